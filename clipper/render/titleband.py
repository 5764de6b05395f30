"""The title band: the speaker's name over the episode title on a plate; and
the name tag, the speaker's name alone, for a stack's speaker panel."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from clipper.episode import Episode
from clipper.render.theme import Theme
from clipper.select.quote import Quote

if TYPE_CHECKING:
    from PIL import Image

    from clipper.render.text import FittedText


@dataclass(frozen=True)
class Picture:
    """A still image overlaid on a clip."""

    path: Path
    width: int
    height: int


def _title_blocks(
    episode: Episode, quote: Quote, theme: Theme, inner: int, size: int, title_lines: int
) -> list[tuple[FittedText, str]]:
    """The speaker's name and the episode label and title, fitted to ``inner`` px."""
    from clipper.render.text import fit_text, typographic

    name = fit_text(
        typographic(quote.shown_name),
        theme.font_stack("name"),
        (inner, size * 3),
        (max(8, size // 2), round(size * 1.5)),
        1.2,
        max_lines=1,
    )
    title_text = " · ".join(filter(None, [episode.label, episode.short_title or episode.title]))
    title = fit_text(
        typographic(title_text),
        theme.font_stack("title"),
        (inner, size * 1.3 * title_lines),
        (max(8, size // 2), size),
        1.25,
        max_lines=title_lines,
    )
    pairs = ((name, theme.title_band.color), (title, theme.accent))
    return [(block, colour) for block, colour in pairs if block is not None]


def draw_title_band(
    episode: Episode, quote: Quote, theme: Theme, width: int, room: int, path: Path
) -> Picture:
    """The speaker's name over the episode title on a rounded plate, at the
    largest size (and with the title on two lines if possible) within ``room``."""
    from clipper.render.text import draw_block

    plate_width, inner = round(width * 0.88), round(width * 0.8)
    for scale, title_lines in itertools.product((1.0, 0.9, 0.8, 0.7, 0.6), (2, 1)):
        size = max(8, round(theme.title_band.size * width * scale))
        blocks = _title_blocks(episode, quote, theme, inner, size, title_lines)
        pad, spacing = round(size * 0.8), round(size * 0.3)
        height = round(sum(block.height for block, _ in blocks) + 2 * pad + spacing)
        if height <= room:
            break
    image = _plate(theme, plate_width, height, round(size * 0.6))
    top = pad
    for block, colour in blocks:
        draw_block(image, block, ((plate_width - inner) / 2, top), inner, colour, "center")
        top += block.height + spacing
    image.save(path, compress_level=1)
    return Picture(path, plate_width, height)


def draw_name_tag(quote: Quote, theme: Theme, width: int, room: int, path: Path) -> Picture | None:
    """The speaker's name on a plate no wider than the name needs (at most
    70 % of ``width``) and no taller than ``room``: in a stack it names the
    speaker's panel, where a title band would cover a face. None for a
    speaker without a name, or a name too long for one line."""
    from clipper.render.text import draw_block, fit_text, typographic

    speaker = quote.shown_name.strip()
    if not speaker:
        return None
    size = max(8, round(theme.title_band.size * width * 1.3))
    name = fit_text(
        typographic(speaker),
        theme.font_stack("name"),
        (round(width * 0.62), max(8, round(room * 0.6))),
        (max(8, size // 2), size),
        1.2,
        max_lines=1,
    )
    if name is None:
        return None
    pad_x, pad_y = round(name.size * 0.9), round(name.size * 0.45)
    plate_width, height = round(name.width + 2 * pad_x), round(name.height + 2 * pad_y)
    image = _plate(theme, plate_width, height, round(height * 0.3))
    draw_block(image, name, (pad_x, pad_y), round(name.width), theme.title_band.color, "center")
    image.save(path, compress_level=1)
    return Picture(path, plate_width, height)


def _plate(theme: Theme, width: int, height: int, radius: int) -> Image.Image:
    """A clear picture of ``width`` x ``height`` with the theme's title plate
    (a rounded rectangle) on it, when the theme has one."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    if theme.title_band.background:
        ImageDraw.Draw(image).rounded_rectangle(
            (0, 0, width - 1, height - 1), radius=radius, fill=theme.title_band.background
        )
    return image
