"""Caption chunks for a quote: split, timed by word position, written as SRT/VTT.

A chunk holds at most two lines; a line never ends up with a single word when
the chunk has more (no widows), and chunks prefer to end where a sentence or
clause ends. Timing spreads the chunks over the spoken part of the clip in
proportion to their characters, so a caption changes roughly when its first
word is said; the first cue starts at 0 and the last ends with the clip, with
no gaps and no overlaps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

    from clipper.render.text import FittedText
    from clipper.render.theme import CaptionStyle, Theme

MAX_LINE_CHARS = 32
SENTENCE_END = ".!?…"
CLAUSE_END = ",;:–—"
# words a caption should not end on: they lean on the next word
WEAK_ENDINGS = frozenset(
    {
        *("a", "an", "the", "of", "to", "and", "or", "but", "in", "on", "at", "for", "with"),
        *("my", "your", "our", "is", "are", "was", "were", "that", "who", "which", "i", "we"),
    }
)


@dataclass(frozen=True)
class Cue:
    """A caption on screen from ``start`` to ``end`` (clip seconds); ``words``
    holds when each of its words is spoken, when known (word timing)."""

    start: float
    end: float
    lines: tuple[str, ...]
    words: tuple[float, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def split_lines(words: tuple[str, ...], max_chars: int = MAX_LINE_CHARS) -> tuple[str, ...]:
    """One line when it fits, else the two-line split with the shortest longer
    line, keeping at least two words on the last line when there are three or more."""
    whole = " ".join(words)
    if len(whole) <= max_chars or len(words) == 1:
        return (whole,)
    candidates = range(1, len(words) - 1) if len(words) >= 3 else range(1, len(words))
    best = min(
        candidates,
        key=lambda k: max(len(" ".join(words[:k])), len(" ".join(words[k:]))),
    )
    return (" ".join(words[:best]), " ".join(words[best:]))


def _chunk_cost(words: tuple[str, ...], max_chars: int, alone: bool) -> float:
    """How bad ``words`` is as one caption (inf when it does not fit)."""
    lines = split_lines(words, max_chars)
    if any(len(line) > max_chars and " " in line for line in lines):
        return float("inf")  # only a lone overlong word may overflow its line
    length = sum(len(line) for line in lines)
    cost = ((1.5 * max_chars - length) / max_chars) ** 2 * 100
    if len(words) == 1 and not alone:
        cost += 1000
    last = words[-1]
    if last[-1] in SENTENCE_END:
        cost -= 150
    elif last[-1] in CLAUSE_END:
        cost -= 60
    elif last.lower() in WEAK_ENDINGS:
        cost += 120
    cost += 200 * sum(word[-1] in SENTENCE_END for word in words[:-1])
    return cost


def chunk_words(text: str, max_chars: int = MAX_LINE_CHARS) -> list[tuple[str, ...]]:
    """Split ``text`` into caption chunks, each a tuple of at most two lines."""
    words = tuple(text.split())
    if not words:
        return []

    @cache
    def best_from(i: int) -> tuple[float, tuple[int, ...]]:
        if i == len(words):
            return 0.0, ()
        options = []
        for j in range(i + 1, len(words) + 1):
            cost = _chunk_cost(words[i:j], max_chars, alone=len(words) == 1)
            if cost == float("inf"):
                break
            rest_cost, rest = best_from(j)
            options.append((cost + rest_cost, (j, *rest)))
        return min(options)

    chunks, start = [], 0
    for end in best_from(0)[1]:
        chunks.append(split_lines(words[start:end], max_chars))
        start = end
    return chunks


def time_cues(
    chunks: list[tuple[str, ...]], speech_start: float, speech_end: float, clip_end: float
) -> list[Cue]:
    """Spread ``chunks`` over ``speech_start..speech_end`` by character position;
    the cues cover ``0..clip_end`` exactly (times rounded to milliseconds)."""
    weights = [sum(len(line) + 1 for line in chunk) for chunk in chunks]
    total = sum(weights) or 1
    starts, done = [], 0
    for weight in weights:
        starts.append(speech_start + (speech_end - speech_start) * done / total)
        done += weight
    bounds = [0.0, *(round(t, 3) for t in starts[1:]), round(clip_end, 3)]
    return [
        Cue(bounds[i], bounds[i + 1], chunk)
        for i, chunk in enumerate(chunks)
        if bounds[i + 1] > bounds[i]
    ]


def make_cues(
    text: str,
    speech_start: float,
    speech_end: float,
    clip_end: float,
    max_chars: int = MAX_LINE_CHARS,
) -> list[Cue]:
    """Caption cues for ``text`` spoken between the given clip times."""
    return time_cues(chunk_words(text, max_chars), speech_start, speech_end, clip_end)


def _timestamp(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def format_srt(cues: list[Cue]) -> str:
    blocks = [
        f"{i}\n{_timestamp(c.start, ',')} --> {_timestamp(c.end, ',')}\n{c.text}\n"
        for i, c in enumerate(cues, 1)
    ]
    return "\n".join(blocks)


def _timed_text(cue: Cue) -> str:
    """The cue's text with WebVTT timestamp tags before each word spoken
    strictly inside the cue (``a <00:00:01.200>b``), in increasing order."""
    if not cue.words:
        return cue.text
    lines, index, last = [], 0, cue.start
    for line in cue.lines:
        tokens = []
        for token in line.split():
            at = cue.words[index]
            if last < at < cue.end:
                token, last = f"<{_timestamp(at, '.')}>{token}", at
            tokens.append(token)
            index += 1
        lines.append(" ".join(tokens))
    return "\n".join(lines)


def format_vtt(cues: list[Cue]) -> str:
    """WebVTT; cues with word times carry them inline (karaoke-style timestamps)."""
    blocks = [
        f"{_timestamp(c.start, '.')} --> {_timestamp(c.end, '.')}\n{_timed_text(c)}\n" for c in cues
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


@dataclass(frozen=True)
class CaptionImage:
    """A cue drawn as a transparent PNG, to be overlaid while the cue is on;
    ``text_origin`` is the top-left corner of its text block on the image."""

    path: Path
    width: int
    height: int
    cue: Cue
    text_origin: tuple[int, int]


def caption_font_size(theme: Theme, frame: tuple[int, int]) -> int:
    """Caption size in pixels: the theme's fraction of the frame's short side,
    so the text is the same size in every shape of a clip."""
    return max(10, round(theme.caption.size * min(frame)))


def line_chars(box_width: int, font_size: int) -> int:
    """How many characters of caption text fit a line, roughly (0.55 em each)."""
    return max(12, int(box_width / (0.55 * font_size)))


def fit_caption_size(cues: list[Cue], theme: Theme, size: int, box_width: int) -> int:
    """The largest size up to ``size`` at which every cue line fits ``box_width``."""
    from clipper.render.text import FontStack

    fonts = theme.font_stack(theme.caption.font)
    lines = [line for cue in cues for line in cue.lines]
    while size > 10:
        stack = FontStack(fonts, size)
        widest = max(
            (sum(stack.word(w).width for w in line.split()) + stack.space * line.count(" "))
            for line in lines
        )
        if widest <= box_width:
            break
        size = int(size * min(0.95, box_width / widest))
    return size


def caption_outline(style: CaptionStyle, size: int) -> int:
    """Outline thickness in pixels at font ``size`` (0: no outline)."""
    return max(1, round(style.outline_width * size)) if style.outline else 0


def dilate(mask: Image.Image, pixels: int) -> Image.Image:
    """``mask`` grown by ``pixels`` on every side (an outline's halo):
    ``pixels`` passes of a 3x3 maximum give the same square as one maximum
    filter ``2 * pixels + 1`` wide, at a fraction of its cost (which grows
    with the square of the width: a pop caption's 9 px outline took 3x as long)."""
    from PIL import ImageFilter

    for _ in range(pixels):
        mask = mask.filter(ImageFilter.MaxFilter(3))
    return mask


def compose_caption(
    fitted: FittedText,
    canvas: tuple[int, int],
    origin: tuple[float, float],
    colour: str,
    outline: tuple[str, int] | None,
    plate: Callable[[Image.Image], None],
) -> Image.Image:
    """``fitted`` drawn in ``colour`` at ``origin`` on a transparent ``canvas``
    that ``plate`` first draws its background on, with an ``outline`` (colour,
    pixels) when given."""
    from PIL import Image

    from clipper.render.text import draw_block

    mask = Image.new("L", canvas, 0)
    draw_block(mask, fitted, origin, fitted.width, "white", "center")
    image = Image.new("RGBA", canvas, (0, 0, 0, 0))
    plate(image)
    if outline:
        halo = dilate(mask, outline[1])
        image.paste(Image.new("RGBA", canvas, outline[0]), (0, 0), halo)
    image.paste(Image.new("RGBA", canvas, colour), (0, 0), mask)
    return image


def caption_plate(style: CaptionStyle, size: int) -> Callable[[Image.Image], None]:
    """Draws the caption's plate (``box``), if it has one, over a whole caption image."""
    from PIL import ImageDraw

    def plate(image: Image.Image) -> None:
        if style.box:
            ImageDraw.Draw(image).rounded_rectangle(
                (0, 0, image.width - 1, image.height - 1), radius=size // 3, fill=style.box
            )

    return plate


def draw_caption_images(
    cues: list[Cue], theme: Theme, size: int, folder: Path, prefix: str
) -> list[CaptionImage]:
    """Draw each cue centred on a transparent PNG in ``folder``: text in the
    caption colour with an outline, on the theme's plate when it has one."""
    from clipper.render.text import FittedText, FontStack, paragraph_is_rtl

    style = theme.caption
    stack = FontStack(theme.font_stack(style.font), size)
    outline = caption_outline(style, size)
    pad_x, pad_y = round(size * 0.45), round(size * 0.22)
    images = []
    for index, cue in enumerate(cues):
        lines = tuple(tuple(stack.word(w) for w in line.split()) for line in cue.lines)
        fitted = FittedText(stack, lines, size * 1.22, paragraph_is_rtl(cue.text))
        width = round(fitted.width) + 2 * (pad_x + outline)
        height = round(fitted.height) + 2 * (pad_y + outline)

        origin = (pad_x + outline, pad_y + outline)
        halo = (style.outline, outline) if style.outline else None
        plate = caption_plate(style, size)
        image = compose_caption(fitted, (width, height), origin, style.color, halo, plate)
        path = folder / f"{prefix}-{index:03d}.png"
        image.save(path, compress_level=1)
        images.append(CaptionImage(path, width, height, cue, origin))
    return images
