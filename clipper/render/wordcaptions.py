"""Captions that follow the voice: cues timed word by word, and the highlight.

With a quote's word timing, each caption chunk comes on when its first word is
spoken, and every cue carries the times of its words (clip seconds), which the
WebVTT file writes inline (``word <00:00:01.234>word``) and the highlight style
uses: while a word is spoken (from its start until the next word's) a patch
with that word in the highlight colour, on the highlight plate, is overlaid on
the caption exactly where the word is drawn. The patches of a clip shape are
stacked in one image (:class:`WordStrip`) that a single overlay shows slot by
slot, in the same ffmpeg graph as the captions (one ``enable`` overlay per
caption chunk).

How the spoken word is marked is the caption style's ``mark`` (see
:class:`~clipper.render.theme.CaptionStyle`): ``highlight`` patches one word
at a time as above; ``pop`` and ``fill`` (karaoke) patch the whole caption per
word, since the words said so far stay changed: pop draws only the words said
so far (the caption image itself is not shown), fill paints them over it in
the highlight colour. Each patch is cropped to what it draws.

The text shown is the quote as written (typographic quotes and dashes); its
tokens are matched to the timed words one to one, or by position in the text
when typography split or merged a token.
"""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from clipper.render.captions import (
    CaptionImage,
    Cue,
    caption_outline,
    caption_plate,
    chunk_words,
    compose_caption,
    dilate,
)
from clipper.timing.model import QuoteTiming

if TYPE_CHECKING:
    from PIL import Image

    from clipper.render.text import FittedText, FontStack
    from clipper.render.text import Word as TextWord
    from clipper.render.theme import Theme

# Shapes whose burned captions use the highlight style when the theme has one:
# short-form vertical and square video; 16:9 keeps calm subtitle-like captions.
HIGHLIGHT_SHAPES = ("9:16", "1:1")
PLATE_PAD_X, PLATE_PAD_Y = 0.12, 0.02  # the lit word's plate around its box, in font sizes
MIN_PLATE = 0.5  # narrowest lit word, in font sizes
SUM_GROUP = 16  # terms an expression adds up flat before it brackets halves


def token_starts(tokens: list[str], timing: QuoteTiming, offset: float) -> list[float]:
    """When each display token is spoken, in clip seconds (episode time minus
    ``offset``). Tokens map one to one onto the timed words when the counts
    agree, otherwise by where their middle falls in the text."""
    starts = [word.start - offset for word in timing.words]
    if len(starts) == len(tokens) or not starts:
        return starts or [timing.start - offset] * len(tokens)
    spoken = [len(word.text) + 1 for word in timing.words]
    shown = [len(token) + 1 for token in tokens]
    edges = list(itertools.accumulate(spoken, initial=0))
    scale = edges[-1] / sum(shown)
    middles = [
        (before + size / 2) * scale
        for before, size in zip(itertools.accumulate(shown, initial=0), shown, strict=False)
    ]
    return [starts[min(len(starts) - 1, bisect.bisect_right(edges, m) - 1)] for m in middles]


def word_cues(text: str, starts: list[float], clip_end: float, max_chars: int) -> list[Cue]:
    """Chunk ``text`` into cues that start when their first word is spoken.

    ``starts`` holds each token's start (clip seconds). The cues cover
    ``0..clip_end`` without gaps (the first starts at 0, each ends when the
    next starts); a chunk whose words come out of order is kept on screen at
    least a millisecond, so no word is ever dropped."""
    chunks = chunk_words(text, max_chars)
    cues, index, previous = [], 0, 0.0
    for number, chunk in enumerate(chunks):
        count = sum(len(line.split()) for line in chunk)
        times = tuple(round(t, 3) for t in starts[index : index + count])
        begin = 0.0 if number == 0 else min(max(times[0], previous + 0.001), clip_end)
        cues.append(Cue(round(begin, 3), 0.0, chunk, times))
        index, previous = index + count, begin
    ends = [cue.start for cue in cues[1:]] + [round(clip_end, 3)]
    return [
        Cue(cue.start, max(end, cue.start + 0.001), cue.lines, cue.words)
        for cue, end in zip(cues, ends, strict=True)
    ]


def highlight_spans(cue: Cue) -> list[tuple[float, float]]:
    """When each word of ``cue`` is lit: from its start (not before the cue)
    until the next word's start, the last one until the cue ends. A word said
    before its cue came on gets an empty span."""
    starts = [min(max(t, cue.start), cue.end) for t in cue.words]
    return list(zip(starts, [*starts[1:], cue.end], strict=True))


@dataclass(frozen=True)
class WordPatch:
    """One word drawn lit, placed at ``(x, y)`` on its ``caption`` image,
    shown from ``start`` to ``end`` (clip seconds)."""

    caption: Path
    image: Image.Image
    x: int
    y: int
    start: float
    end: float


def draw_word_patches(caption: CaptionImage, theme: Theme, size: int) -> list[WordPatch]:
    """The lit version of every word of ``caption``, as small images.

    Right-to-left captions get none (they keep the plain style)."""
    from PIL import ImageDraw

    from clipper.render.text import FittedText

    style = theme.caption
    laid = _laid_out(caption, theme, size)
    if laid is None:
        return []
    stack, fitted, places = laid
    outline_px = caption_outline(style, size)
    # On a plate the lit word needs no outline; without one it keeps the caption's.
    halo = None if style.highlight_box or not style.outline else (style.outline, outline_px)
    grow_x = max(round(size * PLATE_PAD_X), outline_px + 1)
    grow_y = max(round(size * PLATE_PAD_Y), outline_px + 1)
    patches = []
    for (word, (x, y)), (start, end) in zip(places, highlight_spans(caption.cue), strict=True):
        if end <= start:
            continue
        narrow = max(0, round(size * MIN_PLATE - word.width))  # "I", "a": a plate, not a sliver
        box_x, box_y = round(x) - grow_x - narrow // 2, round(y) - grow_y
        width = round(word.width) + 2 * grow_x + narrow
        height = round(fitted.line_height) + 2 * grow_y
        single = FittedText(stack, ((word,),), fitted.line_height, False)

        def plate(image: Image.Image, width: int = width, height: int = height) -> None:
            if style.highlight_box:
                ImageDraw.Draw(image).rounded_rectangle(
                    (0, 0, width - 1, height - 1),
                    radius=round(size * 0.22),
                    fill=style.highlight_box,
                )

        origin = (x - box_x, y - box_y)
        image = compose_caption(single, (width, height), origin, style.highlight, halo, plate)
        patches.append(WordPatch(caption.path, image, box_x, box_y, start, end))
    return patches


def mark_words(
    captions: list[CaptionImage], theme: Theme, size: int
) -> tuple[list[CaptionImage], list[WordPatch]]:
    """The caption images still shown and the timed patches that mark the
    spoken word, in the theme's caption style. Pop replaces a caption's image
    by its patches (a right-to-left caption, which gets none, keeps it)."""
    style = theme.caption
    if style.mark == "highlight":
        return captions, [p for c in captions for p in draw_word_patches(c, theme, size)]
    shown, patches = [], []
    for caption in captions:
        states = draw_word_states(caption, theme, size)
        if style.mark == "fill" or not states:
            shown.append(caption)
        patches += states
    return shown, patches


def draw_word_states(caption: CaptionImage, theme: Theme, size: int) -> list[WordPatch]:
    """Pop and fill: the caption as it stands while each word is spoken.

    Pop: the words said so far in the caption colour, the newest in the
    highlight colour (or the caption colour), outline and plate as the
    caption's. Fill: the words said so far in the highlight colour alone, to
    lie over the caption image on the very pixels of their glyphs (no outline
    needed). Right-to-left captions get none."""
    style = theme.caption
    laid = _laid_out(caption, theme, size)
    if laid is None:
        return []
    stack, fitted, places = laid
    canvas = (caption.width, caption.height)
    glyphs = [_word_mask(stack, word, origin, fitted, canvas) for word, origin in places]
    outline = caption_outline(style, size)
    halos = [_grown(mask, outline) for mask in glyphs] if outline else []
    patches = []
    for index, (start, end) in enumerate(highlight_spans(caption.cue)):
        if end <= start:
            continue
        if style.mark == "fill":
            image = _painted(canvas, [(style.highlight or style.color, glyphs[: index + 1])])
        else:
            newest = style.highlight or style.color
            layers = [(style.color, glyphs[:index]), (newest, glyphs[index : index + 1])]
            if halos:
                layers.insert(0, (style.outline, halos[: index + 1]))
            image = _painted(canvas, layers, caption_plate(style, size))
        box = image.getbbox() or (0, 0, 1, 1)
        patches.append(WordPatch(caption.path, image.crop(box), box[0], box[1], start, end))
    return patches


def _word_mask(
    stack: FontStack,
    word: TextWord,
    origin: tuple[float, float],
    fitted: FittedText,
    canvas: tuple[int, int],
) -> Image.Image:
    """``word`` drawn white on a black mask of the caption's size, where the caption has it."""
    from PIL import Image

    from clipper.render.text import FittedText, draw_block

    mask = Image.new("L", canvas, 0)
    single = FittedText(stack, ((word,),), fitted.line_height, False)
    draw_block(mask, single, origin, word.width, "white", "center")
    return mask


def _grown(mask: Image.Image, pixels: int) -> Image.Image:
    """``mask`` grown by ``pixels`` on every side (the outline's halo); only
    the word's own box is filtered, which is what keeps this cheap."""
    from PIL import Image

    left, top, right, bottom = mask.getbbox() or (0, 0, 1, 1)
    box = (
        max(0, left - pixels),
        max(0, top - pixels),
        min(mask.width, right + pixels),
        min(mask.height, bottom + pixels),
    )
    grown = Image.new("L", mask.size, 0)
    grown.paste(dilate(mask.crop(box), pixels), box[:2])
    return grown


def _painted(
    canvas: tuple[int, int],
    layers: list[tuple[str | None, list[Image.Image]]],
    plate: Callable[[Image.Image], None] | None = None,
) -> Image.Image:
    """A transparent ``canvas`` with ``plate`` drawn, then each layer's
    masks filled with its colour, in order."""
    from PIL import Image, ImageChops

    image = Image.new("RGBA", canvas, (0, 0, 0, 0))
    if plate:
        plate(image)
    for colour, masks in layers:
        if colour and masks:
            union = functools.reduce(ImageChops.lighter, masks)
            image.paste(Image.new("RGBA", canvas, colour), (0, 0), union)
    return image


@dataclass(frozen=True)
class WordStrip:
    """Every lit word of one clip shape stacked in one image, one ``slot``
    (width, height) each, top to bottom; ``places`` says where on the frame
    (x, y) and when (start, end) each slot shows, over a clip of ``frames``."""

    path: Path
    slot: tuple[int, int]
    places: tuple[tuple[int, int, float, float], ...]
    frames: int

    def chains(self, source: str, base: str, out: str, rate: str) -> list[str]:
        """Filter chains overlaying the lit words (input ``source``) on ``base``.

        The strip is decoded and converted to the overlay's pixel format once,
        then repeated for every frame at the output rate, so each frame's time
        picks its slot (``crop``) and position (``overlay``) by expression: one
        input and two filters for any number of words, instead of an overlay
        per word."""
        width, height = self.slot
        spans = [(start, end) for _, _, start, end in self.places]
        slot_top = _piecewise([i * height for i in range(len(spans))], spans)
        x = _piecewise([x for x, _, _, _ in self.places], spans)
        y = _piecewise([y for _, y, _, _ in self.places], spans)
        lit = _piecewise([1] * len(spans), spans)
        return [
            f"[{source}]format=yuva420p,loop=loop={self.frames}:size=1,setpts=N/({rate})/TB,"
            f"crop={width}:{height}:0:'{slot_top}'[{out}w]",
            f"[{base}][{out}w]overlay=x='{x}':y='{y}':eval=frame:enable='{lit}'"
            f":format=yuv420[{out}]",
        ]


def _piecewise(values: list[int], spans: list[tuple[float, float]]) -> str:
    """An ffmpeg expression of ``t``: ``values[i]`` during ``spans[i]``, else 0."""
    return _balanced_sum(
        [
            f"{value}*between(t,{start:.3f},{end - 0.001:.3f})"
            for value, (start, end) in zip(values, spans, strict=True)
        ]
    )


def _balanced_sum(terms: list[str]) -> str:
    """``terms`` added up, bracketed in halves: ffmpeg's expression parser
    refuses a flat sum of about a hundred terms (a quote of a hundred words)
    but takes a sum of any length nested this way."""
    if len(terms) <= SUM_GROUP:
        return "+".join(terms)
    middle = len(terms) // 2
    return f"({_balanced_sum(terms[:middle])})+({_balanced_sum(terms[middle:])})"


def word_strip(
    patches: list[WordPatch], corners: dict[Path, tuple[int, int]], frames: int, path: Path
) -> WordStrip | None:
    """Stack ``patches`` into one PNG at ``path``; ``corners`` are where their
    caption images sit on the frame. None when there is no lit word."""
    from PIL import Image

    if not patches:
        return None
    width = max(patch.image.width for patch in patches)
    tallest = max(patch.image.height for patch in patches)
    height = tallest + tallest % 2  # even, so slots start on a 4:2:0 chroma row
    strip = Image.new("RGBA", (width, height * len(patches)), (0, 0, 0, 0))
    places = []
    for index, patch in enumerate(patches):
        strip.paste(patch.image, (0, index * height))
        left, top = corners[patch.caption]
        places.append((left + patch.x, top + patch.y, patch.start, patch.end))
    strip.save(path, compress_level=1)
    return WordStrip(path, (width, height), tuple(places), frames)


def _laid_out(
    caption: CaptionImage, theme: Theme, size: int
) -> tuple[FontStack, FittedText, list[tuple[TextWord, tuple[float, float]]]] | None:
    """The caption's font stack, its text as drawn, and each word with the
    top-left corner of its box on the caption image; None for right-to-left
    text (which keeps the plain style)."""
    from clipper.render.text import FittedText, FontStack

    stack = FontStack(theme.font_stack(theme.caption.font), size)
    lines = tuple(tuple(stack.word(w) for w in line.split()) for line in caption.cue.lines)
    if any(word.rtl for line in lines for word in line):
        return None
    fitted = FittedText(stack, lines, size * 1.22, False)
    return stack, fitted, list(zip(_flat(lines), _word_origins(fitted, caption), strict=True))


def _flat(lines: tuple[tuple[TextWord, ...], ...]) -> list[TextWord]:
    return [word for line in lines for word in line]


def _word_origins(fitted: FittedText, caption: CaptionImage) -> list[tuple[float, float]]:
    """Top-left corner of each word's box on the caption image (centred lines,
    left to right), as :func:`clipper.render.text.draw_block` places them."""
    left, top = caption.text_origin
    origins = []
    for row, line in enumerate(fitted.lines):
        x = left + (fitted.width - fitted.line_width(line)) / 2
        for word in line:
            origins.append((x, top + row * fitted.line_height))
            x += word.width + fitted.stack.space
    return origins
