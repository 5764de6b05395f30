"""Quote cards: one image per quote and size, with artwork, quote and attribution.

:func:`render_cards` is the entry point. It decodes the artwork and the
speakers' photos once per episode (:class:`~clipper.render.pictures.CardAssets`),
lays each card out (:func:`layout_card`, pure geometry, so tests can check the
boxes against the safe area), draws it and writes it atomically with an
alt-text sidecar.

All sizes derive from the card's short side ``u`` and the theme's fractions,
so one theme works from 1200x627 to 1080x1920.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from clipper import fsutil
from clipper.episode import Episode, Person
from clipper.errors import ClipperError, Notice
from clipper.render.geometry import Box
from clipper.render.options import CardOptions
from clipper.render.pictures import CardAssets, mix
from clipper.render.sizes import FORMATS, SizeSpec, resolve_sizes
from clipper.render.text import (
    FittedText,
    draw_block,
    drop_chars,
    fit_text,
    missing_chars,
    typographic,
)
from clipper.render.theme import AUTO_BRAND, Theme, load_theme
from clipper.select.quote import Quote


@dataclass
class CardResult:
    """One card: ``path`` is None when ``error`` says why it was not made."""

    quote_id: str
    size: str
    path: Path | None
    alt_text: str
    error: str | None = None
    warnings: list[Notice] = field(default_factory=list)
    skipped: bool = False
    font_size: int | None = None

    @property
    def variant(self) -> str:
        return self.size

    def record(self) -> dict[str, Any] | None:
        if self.path is None:
            return None
        return {"path": self.path, "size": self.size, "alt": self.alt_text}

    def to_dict(self) -> dict:
        return {
            "quote_id": self.quote_id,
            "size": self.size,
            "path": str(self.path) if self.path else None,
            "alt_text": self.alt_text,
            "error": self.error,
            "warnings": [str(warning) for warning in self.warnings],
            "skipped": self.skipped,
        }


# --- layout -----------------------------------------------------------------


@dataclass(frozen=True)
class TextItem:
    fitted: FittedText
    box: Box
    fill: str
    align: str = "start"


@dataclass(frozen=True)
class CardLayout:
    """Where everything goes on one card. ``boxes`` name every drawn element
    (ink or line boxes, in canvas pixels); ``safe`` is the content area."""

    spec: SizeSpec
    safe: Box
    texts: dict[str, TextItem]
    photo: Box | None
    rule: Box | None
    logo: Box | None
    quote: FittedText

    @property
    def boxes(self) -> dict[str, Box]:
        boxes = {name: item.box for name, item in self.texts.items()}
        if self.photo:
            boxes["photo"] = self.photo
        if self.rule:
            boxes["rule"] = self.rule
        if self.logo:
            boxes["logo"] = self.logo
        return boxes


@dataclass(frozen=True)
class CardText:
    """The words on a card, already typographic and free of undrawable characters."""

    quote: str
    name: str
    title: str
    short_title: str
    label: str
    brand: str

    @property
    def titles(self) -> tuple[str, ...]:
        """The episode title, then shorter versions for tight spaces."""
        before_colon = self.title.split(":")[0].strip()
        return tuple(dict.fromkeys(t for t in (self.title, before_colon, self.short_title) if t))


PHOTO_SCALES = (1.0, 0.75, 0.55)


class QuoteTooLong(ClipperError):
    """The quote does not fit its box even at the theme's minimum size."""


def content_box(spec: SizeSpec, theme: Theme) -> Box:
    """The card minus the platform's unsafe zones and the theme margin."""
    margin = round(theme.margin * spec.short)
    left, top, right, bottom = spec.safe
    return (
        max(left, margin),
        max(top, margin),
        spec.width - max(right, margin),
        spec.height - max(bottom, margin),
    )


class _Builder:
    """Places elements top-down and bottom-up inside the content box."""

    def __init__(self, spec: SizeSpec, theme: Theme, has_photo: bool) -> None:
        self.spec, self.theme, self.has_photo = spec, theme, has_photo
        self.u = spec.unit
        self.safe = content_box(spec, theme)
        self.texts: dict[str, TextItem] = {}
        self.photo: Box | None = None
        self.rule: Box | None = None
        self.logo: Box | None = None

    def px(self, fraction: float) -> int:
        """A type size or width: ``fraction`` of the card's unit."""
        return max(1, round(fraction * self.u))

    def gap(self, fraction: float) -> int:
        """A vertical gap or photo size: ``fraction`` of the card's short side."""
        return max(1, round(fraction * self.spec.short))

    def text(
        self,
        name: str,
        content: str | tuple[str, ...],
        role: str,
        at: tuple[int, int],
        width: int,
        sizes: tuple[float, float],
        fill: str,
        align: str = "start",
        max_lines: int = 1,
    ) -> Box:
        """Fit ``content`` (or the first of several versions, longest first that
        fits) at the top-left ``at`` in ``width``; returns its box."""
        versions = tuple(v for v in ((content,) if isinstance(content, str) else content) if v)
        if not versions:  # e.g. a quote without a speaker: nothing to draw, no height
            return (at[0], at[1], at[0] + width, at[1])
        low, high = self.px(sizes[0]), self.px(sizes[1])
        box = (width, high * 1.3 * max_lines)
        stack = self.theme.font_stack(role)
        fitted = next(
            (f for v in versions if (f := fit_text(v, stack, box, (low, high), 1.3, max_lines))),
            None,
        )
        if fitted is None:  # too long even small: shorten the last version to one line
            fitted = _force_one_line(versions[-1], stack, low, width)
        left, top = at
        box = (left, top, left + width, round(top + fitted.height))
        self.texts[name] = TextItem(fitted, box, fill, align)
        return box


def _force_one_line(content: str, fonts: tuple[Path, ...], size: int, width: int) -> FittedText:
    """Shorten ``content`` word by word with an ellipsis until it fits one line."""
    words = content.split(" ")
    while len(words) > 1:
        words = words[:-1]
        fitted = fit_text(" ".join(words) + "…", fonts, (width, size * 2), (size, size), 1.3, 1)
        if fitted:
            return fitted
    fitted = fit_text(words[0], fonts, (10**6, size * 2), (size, size), 1.3, 1)
    assert fitted is not None
    return fitted


def layout_card(text: CardText, spec: SizeSpec, theme: Theme, has_photo: bool) -> CardLayout:
    """Compute every box of a card; raises QuoteTooLong when the quote cannot fit.
    The photo layout falls back to the classic one for a card with no picture."""
    if theme.layout != "photo" or not has_photo:
        return _layout_classic(_Builder(spec, theme, has_photo), text)
    for scale in PHOTO_SCALES[:-1]:  # a long quote gets room from a smaller photo
        try:
            return _layout_photo(_Builder(spec, theme, has_photo), text, scale)
        except QuoteTooLong:
            continue
    return _layout_photo(_Builder(spec, theme, has_photo), text, PHOTO_SCALES[-1])


def _header(b: _Builder, text: CardText) -> int:
    """Logo and brand line left, episode label right; returns the header's bottom."""
    left, top, right, _ = b.safe
    bottom = top
    if text.label:
        box = b.text(
            "label",
            text.label,
            "brand",
            (left, top),
            right - left,
            (0.026, 0.026),
            b.theme.accent,
            align="end",
        )
        right -= round(b.texts["label"].fitted.width) + b.px(0.04)
        bottom = box[3]
    if b.theme.logo:
        height = b.px(0.045)
        width = round(height * logo_aspect(b.theme.logo))
        b.logo = (left, top, left + width, top + height)
        left += width + b.px(0.02)
        bottom = max(bottom, top + height)
    if text.brand and left < right:
        brand = b.text(
            "brand",
            text.brand.upper(),
            "brand",
            (left, top),
            right - left,
            (0.02, 0.026),
            b.theme.muted,
        )
        bottom = max(bottom, brand[3])
    return bottom


@functools.lru_cache(maxsize=8)
def logo_aspect(path: Path) -> float:
    """Width over height of the theme's logo (read from the header only)."""
    try:
        with Image.open(path) as logo:
            return logo.width / logo.height
    except (OSError, SyntaxError, ValueError) as exc:
        raise ClipperError(f"{path}: theme logo is unreadable ({exc})") from None


def _layout_classic(b: _Builder, text: CardText) -> CardLayout:
    left, _, right, bottom = b.safe
    header_bottom = _header(b, text)
    footer_top = _classic_footer(b, text, bottom)
    rule_top = footer_top - b.gap(0.055)
    b.rule = (left, rule_top, right, rule_top + max(2, b.px(0.003)))
    region = (left, header_bottom + b.gap(0.06), right, rule_top - b.gap(0.05))
    _place_quote(b, text.quote, region, align="start")
    return _finish(b)


def _classic_footer(b: _Builder, text: CardText, bottom: int) -> int:
    """Round photo with name and episode title beside it, anchored to ``bottom``."""
    left, _, right, _ = b.safe
    diameter = b.gap(0.13) if b.has_photo else 0
    column = left + (diameter + b.px(0.035) if diameter else 0)
    width = right - column
    name_box = b.text("name", text.name, "name", (column, 0), width, (0.03, 0.04), b.theme.text)
    title_box = b.text(
        "title",
        text.titles,
        "title",
        (column, 0),
        width,
        (0.022, 0.027),
        b.theme.muted,
        max_lines=1 if b.spec.landscape else 2,
    )
    gap = b.px(0.008)
    block = (name_box[3] - name_box[1]) + gap + (title_box[3] - title_box[1])
    height = max(block, diameter)
    top = bottom - height
    text_top = top + (height - block) // 2
    name_height = name_box[3] - name_box[1]
    _move(b, "name", (column, text_top))
    _move(b, "title", (column, text_top + name_height + gap))
    if diameter:
        photo_top = top + (height - diameter) // 2
        b.photo = (left, photo_top, left + diameter, photo_top + diameter)
    return top


def _layout_photo(b: _Builder, text: CardText, scale: float) -> CardLayout:
    """The speaker's photo leads: big and centred (left column when wide)."""
    left, _, right, bottom = b.safe
    header_bottom = _header(b, text)
    title_box = b.text(
        "title",
        text.titles,
        "title",
        (left, 0),
        right - left,
        (0.022, 0.027),
        b.theme.muted,
        align="center",
        max_lines=1 if b.spec.landscape else 2,
    )
    _move(b, "title", (left, bottom - (title_box[3] - title_box[1])))
    title_top = b.texts["title"].box[1]
    b.rule = None
    if b.spec.landscape:
        _photo_column(b, text, (left, header_bottom, right, title_top), scale)
        return _finish(b)
    squareness = min(1.0, max(0.7, (b.spec.height / b.spec.width - 1) / 0.25))
    diameter = round(b.px(0.30) * scale * squareness)  # square cards need room for the quote
    top = header_bottom + b.gap(0.07)
    center = (left + right) // 2
    b.photo = (center - diameter // 2, top, center - diameter // 2 + diameter, top + diameter)
    name_box = b.text(
        "name",
        text.name,
        "name",
        (left, b.photo[3] + b.px(0.035)),
        right - left,
        (0.032, 0.046),
        b.theme.text,
        align="center",
    )
    region = (left, name_box[3] + b.gap(0.05), right, title_top - b.gap(0.06))
    _place_quote(b, text.quote, region, align="center", mark=False)
    return _finish(b)


def _photo_column(b: _Builder, text: CardText, area: Box, scale: float) -> None:
    """Wide cards: photo and name centred in a left column, the quote beside them."""
    left, top, right, bottom = area
    column = round((right - left) * 0.34)
    diameter = round(min(column - b.px(0.06), b.px(0.42)) * scale)
    gap, pad = b.gap(0.03), b.px(0.015)  # pad keeps a long name off the quote
    name = b.text(
        "name",
        text.name,
        "name",
        (left, 0),
        column - 2 * pad,
        (0.026, 0.036),
        b.theme.text,
        align="center",
        max_lines=2,
    )
    block = diameter + gap + (name[3] - name[1])
    photo_top = (top + bottom - block) // 2
    photo_left = left + (column - diameter) // 2
    b.photo = (photo_left, photo_top, photo_left + diameter, photo_top + diameter)
    _move(b, "name", (left + pad, b.photo[3] + gap))
    region = (left + column + b.px(0.04), top + b.px(0.05), right, bottom - b.px(0.05))
    _place_quote(b, text.quote, region, align="start", mark=False)


def _place_quote(b: _Builder, quote: str, region: Box, align: str, mark: bool = True) -> None:
    """Fit the quote (and its opening mark) into ``region``, vertically centred."""
    theme = b.theme
    left, top, right, bottom = region
    mark_height = b.px(0.075) if mark and theme.quote_mark else 0
    mark_gap = b.gap(0.03) if mark_height else 0
    box = (right - left, bottom - top - mark_height - mark_gap)
    sizes = (b.px(theme.quote_min), b.px(theme.quote_max))
    fitted = fit_text(quote, theme.font_stack("quote"), box, sizes, theme.line_height)
    if fitted is None:
        raise QuoteTooLong(
            f"does not fit the {b.spec.name} card at the theme minimum of {sizes[0]} px"
        )
    block = mark_height + mark_gap + fitted.height
    block_top = top + max(0, round((bottom - top - block) / 2.1))
    if mark_height:
        _place_mark(b, block_top, (left, right), mark_height, fitted.rtl)
    text_top = block_top + mark_height + mark_gap
    b.texts["quote"] = TextItem(
        fitted, (left, text_top, right, round(text_top + fitted.height)), theme.text, align
    )


def _place_mark(b: _Builder, top: int, edges: tuple[int, int], height: int, rtl: bool) -> None:
    """A big opening quotation mark about ``height`` px tall, at the start side
    of the quote (the right for right-to-left text); its box is its ink."""
    size = round(height / 0.36)  # the ink of “ in Inter is about 0.36 em tall
    fitted = fit_text("“", b.theme.font_stack("quote"), (size * 2, size * 2), (size, size), 1.0)
    assert fitted is not None
    x0, y0, x1, y1 = fitted.stack.fonts[0].getbbox("“")
    left = edges[1] - (x1 - x0) if rtl else edges[0]
    b.texts["mark"] = TextItem(fitted, (left, top, left + x1 - x0, top + y1 - y0), b.theme.accent)


def _move(b: _Builder, name: str, at: tuple[int, int]) -> None:
    if name not in b.texts:
        return
    item = b.texts[name]
    left, top, right, bottom = item.box
    dx, dy = at[0] - left, at[1] - top
    b.texts[name] = TextItem(
        item.fitted, (left + dx, top + dy, right + dx, bottom + dy), item.fill, item.align
    )


def _finish(b: _Builder) -> CardLayout:
    return CardLayout(b.spec, b.safe, b.texts, b.photo, b.rule, b.logo, b.texts["quote"].fitted)


# --- drawing ----------------------------------------------------------------


def draw_card(layout: CardLayout, assets: CardAssets, person: Person | None) -> Image.Image:
    """Paint ``layout`` over the episode background."""
    theme = assets.theme
    image = assets.background(layout.spec).copy()
    draw = ImageDraw.Draw(image)
    if layout.rule:
        left, top, right, bottom = layout.rule  # boxes are end-exclusive, rectangle is not
        draw.rectangle(
            (left, top, right - 1, bottom - 1), fill=mix(theme.muted, theme.background, 0.55)
        )
    if layout.photo:
        badge = assets.badge(person, layout.photo[2] - layout.photo[0])
        image.paste(badge, layout.photo[:2], badge)
    if layout.logo:
        logo = assets.logo(layout.logo[2] - layout.logo[0], layout.logo[3] - layout.logo[1])
        image.paste(logo, layout.logo[:2], logo)
    for name, item in layout.texts.items():
        if name == "mark":
            _draw_mark(image, item)
            continue
        left, top, right, _ = item.box
        draw_block(image, item.fitted, (left, top), right - left, item.fill, item.align)
    return image


def _draw_mark(image: Image.Image, item: TextItem) -> None:
    """Draw the quotation mark so its ink's top-left sits at the box's top-left."""
    font = item.fitted.stack.fonts[0]
    ink = font.getbbox("“")
    ImageDraw.Draw(image).text(
        (item.box[0] - ink[0], item.box[1] - ink[1]), "“", font=font, fill=item.fill
    )


# --- putting it together ---------------------------------------------------


def card_text(episode: Episode, quote: Quote, theme: Theme) -> tuple[CardText, list[str]]:
    """The words for ``quote``'s card; characters no font can draw are dropped."""
    person = episode.person(quote.speaker)
    name = person.name if person else quote.shown_name
    raw = CardText(
        quote=typographic(quote.text),
        name=typographic(name),
        title=typographic(episode.title or episode.short_title),
        short_title=typographic(episode.short_title or episode.title),
        label=episode.label,
        brand=episode.show if theme.brand == AUTO_BRAND else theme.brand,
    )
    warnings = []
    cleaned = {}
    for key, role in (
        ("quote", "quote"),
        ("name", "name"),
        ("title", "title"),
        ("short_title", "title"),
    ):
        value = getattr(raw, key)
        missing = missing_chars(value, theme.font_stack(role))
        if missing:
            warnings.append(
                f"dropped {missing} from the {key}: no bundled font has it (no colour emoji font)"
            )
        cleaned[key] = drop_chars(value, missing)
    return CardText(**{**raw.__dict__, **cleaned}), warnings


def alt_text(text: CardText) -> str:
    """What a screen reader should say about the card."""
    label = f" ({text.label})" if text.label else ""
    who = f"{text.name}, " if text.name else ""
    brand = f" {text.brand}." if text.brand else ""
    return f"Quote card: “{text.quote}” — {who}{text.title}{label}.{brand}"


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?…])\s+(?=\S)", text) if s]


def layout_or_trim(
    quote: Quote, text: CardText, spec: SizeSpec, theme: Theme, has_photo: bool
) -> tuple[CardLayout, CardText, list[str]]:
    """Lay the card out; if the quote is too long, keep its first sentences
    that fit and say so; raises ClipperError naming the quote otherwise."""
    if not text.quote.strip():
        raise ClipperError(f"quote {quote.id}: the text is empty; nothing to put on a card")
    sentences = _sentences(text.quote)
    for count in range(len(sentences), 0, -1):
        candidate = CardText(**{**text.__dict__, "quote": " ".join(sentences[:count])})
        try:
            layout = layout_card(candidate, spec, theme, has_photo)
        except QuoteTooLong:
            continue
        warnings = []
        if count < len(sentences):
            warnings.append(
                f"too long for the card; trimmed to its first {count} of {len(sentences)} sentences"
            )
        return layout, candidate, warnings
    words = len(text.quote.split())
    raise ClipperError(
        f"quote {quote.id}: too long for the {spec.name} card ({words} words do not fit "
        f"at the theme minimum of {round(theme.quote_min * spec.unit)} px); shorten it"
    )


def card_path(out_dir: Path, episode: Episode, quote: Quote, spec: SizeSpec, fmt: str) -> Path:
    return Path(out_dir) / episode.slug / "cards" / f"{quote.id}-{spec.name}.{fmt}"


def save_image(image: Image.Image, path: Path, fmt: str) -> None:
    """Write atomically; PNG at a fast compression level, JPEG/WebP at high quality."""
    options = {"PNG": {"compress_level": 3}, "JPEG": {"quality": 92}, "WEBP": {"quality": 90}}
    kind = FORMATS[fmt]
    with fsutil.atomic_path(path) as tmp:
        image.save(tmp, kind, **options[kind])


def render_card(
    episode: Episode, quote: Quote, spec: SizeSpec, assets: CardAssets, path: Path, fmt: str
) -> CardResult:
    """Render one card to ``path``; errors are returned in the result, not raised.
    Its notices: a bad artwork or photo (the episode's), characters no font
    draws (the quote's), a trimmed quote (this size's)."""
    theme = assets.theme
    text, text_warnings = card_text(episode, quote, theme)
    person = episode.person(quote.speaker)
    photo, photo_warnings = assets.photo(person)
    warnings = [Notice(w, episode.slug) for w in [*assets.warnings, *photo_warnings]]
    warnings += [Notice(w, episode.slug, quote.id) for w in text_warnings]
    # the photo layout draws a monogram where there is no photo: it needs a name
    has_photo = photo is not None or (theme.layout == "photo" and bool(text.name))
    try:
        layout, text, trim_warnings = layout_or_trim(quote, text, spec, theme, has_photo)
    except ClipperError as exc:
        return CardResult(quote.id, spec.name, None, alt_text(text), str(exc), warnings)
    warnings += [Notice(w, episode.slug, quote.id, spec.name) for w in trim_warnings]
    image = draw_card(layout, assets, person)
    save_image(image, path, fmt)
    description = alt_text(text)
    fsutil.write_text(path.with_suffix(".txt"), description + "\n")
    return CardResult(
        quote.id,
        spec.name,
        path,
        description,
        None,
        warnings,
        font_size=layout.quote.size,
    )


def render_cards(
    episode: Episode,
    quotes: list[Quote],
    out_dir: Path | str,
    *,
    sizes: tuple[str, ...] | list[str] = CardOptions.sizes,
    theme: str | Path | Theme = CardOptions.theme,
    fmt: str = CardOptions.format,
    skip_existing: bool = False,
) -> list[CardResult]:
    """Render every quote at every size into ``out_dir/<slug>/cards/``.

    A bad quote is reported in its result; a bad size, theme or format raises.

    :param sizes: preset names (see :data:`clipper.render.sizes.PRESETS`),
        ``WxH`` or ``all``.
    :param theme: a bundled theme's name, a theme YAML file or a loaded Theme.
    :param fmt: ``png``, ``jpg`` or ``webp``.
    :param skip_existing: keep cards already on disk (batch reruns).
    """
    fmt = fmt.lower().replace("jpeg", "jpg")
    if fmt not in FORMATS:
        raise ClipperError(f"unknown card format {fmt!r}: use png, jpg or webp")
    specs = resolve_sizes(sizes)
    resolved = theme if isinstance(theme, Theme) else load_theme(theme)
    if resolved.logo:
        logo_aspect(resolved.logo)  # a broken logo stops the run before any card
    assets = CardAssets(episode, resolved)
    results = []
    for quote in quotes:
        for spec in specs:
            path = card_path(Path(out_dir), episode, quote, spec, fmt)
            if skip_existing and path.is_file() and path.with_suffix(".txt").is_file():
                alt = path.with_suffix(".txt").read_text(encoding="utf-8").strip()
                results.append(CardResult(quote.id, spec.name, path, alt, skipped=True))
                continue
            results.append(render_card(episode, quote, spec, assets, path, fmt))
    return results
