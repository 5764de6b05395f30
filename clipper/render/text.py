"""Text for cards and captions: typography, font fallback, fitting and wrapping.

Pillow draws one font at a time, so a line is cut into *runs*, each drawn
with the first font of the stack that has its glyphs (Inter, then Noto
Hebrew, Noto Arabic...). Runs are laid out with a word-level bidi pass:
right-to-left words keep their visual order whatever the paragraph direction,
and raqm shapes each run (Arabic joining, RTL glyph order). Characters that
no font has (emoji without a colour emoji font) are dropped, and the caller is
told which, rather than drawn as boxes ("tofu").

The fit search is a binary search on the font size; lines are balanced with
a small dynamic programme so the last line is not a lone word when avoidable.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from clipper.errors import ClipperError
from clipper.render.theme import load_font

PROBE_SIZE = 32
BITMAP_STRIKE = 109
_JOINERS = "\u200c\u200d\ufe0e\ufe0f"  # joiners and variation selectors stay in their run
_NOT_A_CHAR = "\U0010fffd"  # private use, in no font: renders the .notdef box


# --- typography -----------------------------------------------------------

_TYPOGRAPHY = [
    (re.compile(r"[ \t\r\n]+"), " "),
    (re.compile(r" *(?:---|--|—) *"), "\u00a0\u2014 "),  # em dash glued to the word before
    (re.compile(r"(?<=\w) - (?=\w)"), " \u2013 "),  # spaced hyphen -> en dash
    (re.compile(r"(?<=\d)-(?=\d)"), "\u2013"),  # number ranges
    (re.compile(r"\.\.\.|…"), "\u2026"),
    (re.compile(r"(?<=\w)'(?=\w)"), "\u2019"),  # apostrophe
    (re.compile(r"(^|[\s(\[{\u2014\u2013-])'"), "\\1\u2018"),
    (re.compile(r"'"), "\u2019"),
    (re.compile(r'(^|[\s(\[{\u2014\u2013-])"'), "\\1\u201c"),
    (re.compile(r'"'), "\u201d"),
]


def typographic(text: str) -> str:
    """Curly quotes and apostrophes, real dashes and ellipses, single spaces."""
    for pattern, replacement in _TYPOGRAPHY:
        text = pattern.sub(replacement, text)
    return text.strip()


# --- fonts and glyph coverage ---------------------------------------------


@functools.lru_cache(maxsize=64)
def _notdef_mask(path: Path) -> tuple[tuple[int, int], bytes]:
    return _glyph_mask(path, _NOT_A_CHAR)


@functools.lru_cache(maxsize=8192)
def _glyph_mask(path: Path, char: str) -> tuple[tuple[int, int], bytes]:
    mask = scalable_font(path, PROBE_SIZE)[0].getmask(char)
    return mask.size, bytes(mask)


def scalable_font(path: Path, size: int) -> tuple[ImageFont.FreeTypeFont, float]:
    """The font at ``size`` and scale 1, or for a bitmap-only colour emoji font
    (Noto Color Emoji has one 109 px strike) the strike and the scale to apply."""
    try:
        return load_font(path, size), 1.0
    except ClipperError:
        return load_font(path, BITMAP_STRIKE), size / BITMAP_STRIKE


def has_glyph(path: Path, char: str) -> bool:
    """Whether the font at ``path`` draws ``char`` as something other than .notdef."""
    if char.isspace():
        return True
    return _glyph_mask(path, char) != _notdef_mask(path)


@dataclass(frozen=True)
class Run:
    """Consecutive characters drawn with one font of the stack."""

    text: str
    font: int


@dataclass(frozen=True)
class Word:
    """A space-free piece of text as runs, with its width and bidi direction."""

    runs: tuple[Run, ...]
    width: float
    rtl: bool | None  # None: neutral (digits, punctuation) takes its neighbours'
    number: bool = False


class FontStack:
    """A primary font plus fallbacks, all at one pixel size."""

    def __init__(self, paths: Sequence[Path], size: int) -> None:
        self.paths = tuple(paths)
        self.size = int(size)
        loaded = [scalable_font(path, self.size) for path in self.paths]
        self.fonts = [font for font, _ in loaded]
        self.scales = [scale for _, scale in loaded]
        ascent, descent = self.fonts[0].getmetrics()
        self.ascent, self.descent = ascent, descent
        self.space = self.fonts[0].getlength(" ")
        self._words: dict[str, Word] = {}

    def font_for(self, char: str, previous: int) -> int | None:
        """Index of the font drawing ``char``: the previous run's font for marks
        and characters it has, else the first font that has it, else None."""
        if unicodedata.combining(char) or char in _JOINERS or _is_skin_tone(char):
            return previous
        if has_glyph(self.paths[previous], char):
            return previous
        for index, path in enumerate(self.paths):
            if has_glyph(path, char):
                return index
        return None

    def emoji_for(self, char: str, otherwise: int | None) -> int | None:
        """The colour emoji font (a scaled bitmap font) if it has ``char``."""
        for index, path in enumerate(self.paths):
            if self.scales[index] != 1.0 and has_glyph(path, char):
                return index
        return otherwise

    def word(self, text: str) -> Word:
        """``text`` (no spaces) split into font runs and measured; memoised."""
        if text not in self._words:
            self._words[text] = self._measure(text)
        return self._words[text]

    def _measure(self, text: str) -> Word:
        runs = _runs(text, self)
        width = sum(self.run_length(run) for run in runs)
        return Word(tuple(runs), width, _direction(text), _is_number(text))

    def run_length(self, run: Run) -> float:
        font, scale = self.fonts[run.font], self.scales[run.font]
        return font.getlength(run.text, direction=_run_direction(run.text)) * scale


def _is_skin_tone(char: str) -> bool:
    return "\U0001f3fb" <= char <= "\U0001f3ff"


@functools.lru_cache(maxsize=256)
def font_stack(fonts: tuple[Path, ...], size: int) -> FontStack:
    """A shared FontStack per (fonts, size); it caches the words it measures."""
    return FontStack(fonts, size)


def missing_chars(text: str, paths: Sequence[Path]) -> str:
    """The characters of ``text`` that no font in ``paths`` can draw."""
    stack_paths = tuple(paths)
    out = []
    for char in dict.fromkeys(text):
        if char.isspace() or unicodedata.combining(char) or char in _JOINERS:
            continue
        if not any(has_glyph(path, char) for path in stack_paths):
            out.append(char)
    return "".join(out)


def drop_chars(text: str, chars: str) -> str:
    """Remove ``chars`` (plus emoji joiners/selectors) and tidy the spaces."""
    if not chars:
        return text
    drop = set(chars) | {"\u200d", "\ufe0f", "\ufe0e"}
    kept = "".join(c for c in text if c not in drop)
    return re.sub(r" {2,}", " ", re.sub(r" +([,.;:!?])", r"\1", kept)).strip()


def _runs(text: str, stack: FontStack) -> list[Run]:
    runs: list[Run] = []
    current = 0
    for position, char in enumerate(text):
        index = stack.font_for(char, current)
        if text[position + 1 : position + 2] == "\ufe0f":  # asks for emoji presentation
            index = stack.emoji_for(char, index)
        if index is None:
            continue
        if runs and index == runs[-1].font:
            runs[-1] = Run(runs[-1].text + char, index)
        else:
            runs.append(Run(char, index))
        current = index
    return runs


def _is_rtl_char(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def _direction(text: str) -> bool | None:
    """True for right-to-left, False for left-to-right, None for neutral text."""
    kinds = [unicodedata.bidirectional(char) for char in text]
    for kind in kinds:
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return None


def _is_number(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in ("EN", "AN") for char in text)


def _run_direction(text: str) -> str:
    return "rtl" if any(_is_rtl_char(c) for c in text) else "ltr"


def paragraph_is_rtl(text: str) -> bool:
    """Unicode rule P2: the first strong character decides the paragraph direction."""
    return bool(_direction(text))


# --- wrapping and fitting -------------------------------------------------


@dataclass(frozen=True)
class FittedText:
    """Text wrapped into lines at the largest size that fits a box."""

    stack: FontStack
    lines: tuple[tuple[Word, ...], ...]
    line_height: float
    rtl: bool

    @property
    def size(self) -> int:
        return self.stack.size

    @property
    def width(self) -> float:
        return max((self.line_width(line) for line in self.lines), default=0.0)

    @property
    def height(self) -> float:
        return self.line_height * len(self.lines)

    def line_width(self, line: Sequence[Word]) -> float:
        return sum(word.width for word in line) + self.stack.space * (len(line) - 1)


def wrap(words: Sequence[Word], space: float, max_width: float) -> list[list[Word]] | None:
    """Balanced lines no wider than ``max_width`` in the fewest lines, or None
    when a single word is wider than the box."""
    widths = [word.width for word in words]
    if not widths or max(widths) > max_width:
        return None if widths else []
    count = len(_greedy(widths, space, max_width))
    target = _narrowest_width(widths, space, max_width, count)
    breaks = _balanced_breaks(widths, space, max_width, target, count)
    return [list(words[a:b]) for a, b in itertools.pairwise(breaks)]


def _greedy(widths: Sequence[float], space: float, max_width: float) -> list[int]:
    starts, line = [0], 0.0
    for index, width in enumerate(widths):
        if index > starts[-1] and line + space + width > max_width:
            starts.append(index)
            line = width
        else:
            line = width if index == starts[-1] else line + space + width
    return starts


def _narrowest_width(widths: Sequence[float], space: float, high: float, count: int) -> float:
    """The smallest width at which greedy wrapping still needs only ``count`` lines."""
    low = max(widths)
    for _ in range(12):
        middle = (low + high) / 2
        if len(_greedy(widths, space, middle)) <= count:
            high = middle
        else:
            low = middle
    return high


def _balanced_breaks(
    widths: Sequence[float], space: float, limit: float, target: float, count: int
) -> list[int]:
    """Break points (line starts plus the end) for exactly ``count`` lines,
    minimising squared slack against ``target``, with a lone last word penalised."""
    n = len(widths)
    inf = float("inf")
    # best[k][i]: cost of setting words[:i] in k lines; back[k][i]: start of line k
    best = [[inf] * (n + 1) for _ in range(count + 1)]
    back = [[0] * (n + 1) for _ in range(count + 1)]
    best[0][0] = 0.0
    for k in range(1, count + 1):
        for end in range(1, n + 1):
            line = -space
            for start in range(end - 1, -1, -1):
                line += widths[start] + space
                if line > limit:
                    break
                if best[k - 1][start] == inf:
                    continue
                cost = best[k - 1][start] + _line_cost(line, target, end - start, k == count, n)
                if cost < best[k][end]:
                    best[k][end], back[k][end] = cost, start
    breaks, end = [n], n
    for k in range(count, 0, -1):
        end = back[k][end]
        breaks.append(end)
    return breaks[::-1]


def _line_cost(width: float, target: float, words: int, last: bool, total: int) -> float:
    slack = max(0.0, target - width)
    if not last:
        return slack**2 + max(0.0, width - target) ** 2 * 4
    cost = max(0.0, 0.45 * target - width) ** 2
    if words == 1 and total > 2:
        cost += (2 * target) ** 2  # a widow: avoid unless nothing else fits
    return cost


REFERENCE_SIZE = 200


def fit_text(
    text: str,
    fonts: Sequence[Path],
    box: tuple[float, float],
    sizes: tuple[int, int],
    line_height: float,
    max_lines: int | None = None,
) -> FittedText | None:
    """The largest size in ``sizes`` (min, max) at which ``text`` fits ``box``
    (width, height); None when even the minimum fails.

    The binary search counts greedy lines with word widths measured once at a
    reference size and scaled (shaping is the slow part); the winner is then
    laid out exactly and, if rounding made it overflow, stepped down."""
    widths, space = _reference_widths(text, tuple(fonts))
    low, high = sizes
    best = None
    while low <= high:
        middle = (low + high) // 2
        scale = middle / REFERENCE_SIZE
        count = _greedy_count([w * scale for w in widths], space * scale, box, middle * line_height)
        if count is None or (max_lines and count > max_lines):
            high = middle - 1
        else:
            best, low = middle, middle + 1
    for size in range(best or sizes[0], sizes[0] - 1, -1):
        fitted = layout_at(text, fonts, size, box, line_height, max_lines)
        if fitted is not None:
            return fitted
    return None


@functools.lru_cache(maxsize=1024)
def _reference_widths(text: str, fonts: tuple[Path, ...]) -> tuple[list[float], float]:
    stack = font_stack(fonts, REFERENCE_SIZE)
    return [stack.word(piece).width for piece in text.split(" ") if piece], stack.space


def _greedy_count(
    widths: Sequence[float], space: float, box: tuple[float, float], line_height: float
) -> int | None:
    """How many greedy lines the words take in ``box``, or None if they do not fit."""
    if not widths or max(widths) > box[0]:
        return None
    count = len(_greedy(widths, space, box[0]))
    return None if count * line_height > box[1] else count


def layout_at(
    text: str,
    fonts: Sequence[Path],
    size: int,
    box: tuple[float, float],
    line_height: float,
    max_lines: int | None = None,
) -> FittedText | None:
    """Wrap ``text`` at ``size`` in balanced lines; None if it does not fit ``box``
    (balancing never adds a line, so the greedy line count decides the fit).
    Cached: every card of an episode repeats its title, name and brand line."""
    return _layout_at(text, tuple(fonts), size, box, line_height, max_lines)


@functools.lru_cache(maxsize=2048)
def _layout_at(
    text: str,
    fonts: tuple[Path, ...],
    size: int,
    box: tuple[float, float],
    line_height: float,
    max_lines: int | None,
) -> FittedText | None:
    stack = font_stack(fonts, size)
    words = [stack.word(piece) for piece in text.split(" ") if piece]
    count = _greedy_count([w.width for w in words], stack.space, box, size * line_height)
    if count is None or (max_lines and count > max_lines):
        return None
    lines = wrap(words, stack.space, box[0])
    assert lines is not None
    return FittedText(
        stack, tuple(tuple(line) for line in lines), size * line_height, paragraph_is_rtl(text)
    )


# --- drawing --------------------------------------------------------------


def visual_order(line: Sequence[Word], rtl: bool) -> list[Word]:
    """Word-level bidi, left to right: a run of right-to-left words reads right
    to left in any paragraph, and in a right-to-left paragraph the runs
    themselves go right to left. Neutral words take their neighbours' direction."""
    groups: list[tuple[bool, list[Word]]] = []
    for word, word_rtl in zip(line, _resolve_neutrals(line, rtl), strict=True):
        if groups and groups[-1][0] == word_rtl:
            groups[-1][1].append(word)
        else:
            groups.append((word_rtl, [word]))
    pieces = [words[::-1] if group_rtl else words for group_rtl, words in groups]
    if rtl:
        pieces.reverse()
    return [word for piece in pieces for word in piece]


def _resolve_neutrals(line: Sequence[Word], paragraph_rtl: bool) -> list[bool]:
    """Numbers after left-to-right text are left-to-right (bidi rule W7); other
    neutrals between two words of one direction take it, else the paragraph's."""
    directions = [word.rtl for word in line]
    resolved: list[bool] = []
    for index, word in enumerate(line):
        if word.rtl is not None:
            resolved.append(word.rtl)
            continue
        before = next((d for d in reversed(directions[:index]) if d is not None), paragraph_rtl)
        after = next((d for d in directions[index + 1 :] if d is not None), paragraph_rtl)
        if word.number:
            resolved.append(before)
        else:
            resolved.append(before if before == after else paragraph_rtl)
    return resolved


def draw_line(
    image: Image.Image,
    fitted: FittedText,
    line: Sequence[Word],
    origin: tuple[float, float],
    fill: str,
) -> None:
    """Draw ``line`` with its left edge at ``origin[0]`` and baseline at ``origin[1]``."""
    draw = ImageDraw.Draw(image)
    x, baseline = origin
    for word in visual_order(line, fitted.rtl):
        runs = reversed(word.runs) if word.rtl else word.runs
        for run in runs:
            font, scale = fitted.stack.fonts[run.font], fitted.stack.scales[run.font]
            direction = _run_direction(run.text)
            if scale == 1.0:
                draw.text(
                    (x, baseline), run.text, font=font, fill=fill, anchor="ls", direction=direction
                )
            else:
                _paste_colour_run(image, font, scale, run.text, (x, baseline))
            x += fitted.stack.run_length(run)
        x += fitted.stack.space


def _paste_colour_run(
    image: Image.Image,
    font: ImageFont.FreeTypeFont,
    scale: float,
    text: str,
    origin: tuple[float, float],
) -> None:
    """Colour emoji: draw at the font's bitmap strike, scale, and composite so
    the glyphs sit on the baseline at ``origin``."""
    ascent, descent = font.getmetrics()
    strike = Image.new("RGBA", (max(1, round(font.getlength(text))), ascent + descent))
    ImageDraw.Draw(strike).text((0, ascent), text, font=font, anchor="ls", embedded_color=True)
    size = (max(1, round(strike.width * scale)), max(1, round(strike.height * scale)))
    glyphs = strike.resize(size, Image.Resampling.LANCZOS)
    at = (round(origin[0]), round(origin[1] - ascent * scale))
    if image.mode in ("RGB", "RGBA"):
        image.paste(glyphs, at, glyphs)
    else:  # a mask being drawn (e.g. for captions): the emoji's shape
        image.paste(255, (*at, at[0] + size[0], at[1] + size[1]), glyphs.getchannel("A"))


def draw_block(
    image: Image.Image,
    fitted: FittedText,
    top_left: tuple[float, float],
    width: float,
    fill: str,
    align: str = "start",
) -> list[tuple[int, int, int, int]]:
    """Draw every line of ``fitted``; ``align`` is start (left, or right for RTL),
    center, or end. Returns each line's box (left, top, right, bottom)."""
    left, top = top_left
    pad = (fitted.line_height - fitted.stack.ascent - fitted.stack.descent) / 2
    boxes = []
    for index, line in enumerate(fitted.lines):
        line_width = fitted.line_width(line)
        x = left + _align_offset(width - line_width, align, fitted.rtl)
        line_top = top + index * fitted.line_height
        draw_line(image, fitted, line, (x, line_top + pad + fitted.stack.ascent), fill)
        boxes.append(
            (round(x), round(line_top), round(x + line_width), round(line_top + fitted.line_height))
        )
    return boxes


def _align_offset(free: float, align: str, rtl: bool) -> float:
    if align == "center":
        return free / 2
    at_end = (align == "end") != rtl
    return free if at_end else 0.0
