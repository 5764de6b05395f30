"""Visual themes shared by quote cards and video clips.

A theme is a bundled YAML file (``assets/themes/``) or any path the user gives.
Every theme except ``default.yaml`` is read as a set of overrides on top of
the default theme, so a custom theme can be three lines long. Validation is
strict: an unknown key, a wrong type, a bad colour or a missing font file is a
:class:`~clipper.errors.ClipperError` naming the file and the key.

Sizes in a theme are fractions, so one theme fits every canvas: card type
sizes are fractions of the card's unit (the side of a square of the same
area), margins of its short side; caption sizes are fractions of the video
width.

This module does not import Pillow at import time; :meth:`Theme.font` does.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clipper.errors import ClipperError
from clipper.render.options import DEFAULT_THEME
from clipper.resources import data_dir
from clipper.yamlfile import read_yaml

if TYPE_CHECKING:
    from PIL import ImageFont

THEMES_DIR = data_dir("themes")
FONTS_DIR = data_dir("fonts")

FONT_ROLES = ("quote", "name", "title", "caption", "brand")
AUTO_BRAND = "auto"  # a theme's brand line: the episode's show name (Episode.show)
LAYOUTS = ("classic", "photo")
ARTWORK_MODES = ("blur", "cover", "none")
CLIP_BACKGROUNDS = ("blur", "crop")
STACK_SPEAKERS = ("top", "highlight")  # stack framing: the speaker on top, or bordered
# How word-timed captions mark the spoken word: a lit plate under it (highlight),
# the words coming on one at a time (pop), or the words said so far filled (fill).
CAPTION_MARKS = ("highlight", "pop", "fill")

# Where systems keep a colour emoji font; not bundled (Noto Color Emoji is 10 MB).
SYSTEM_EMOJI_FONTS = tuple(
    Path(p)
    for p in (
        "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",
        "/usr/share/fonts/noto/NotoColorEmoji.ttf",
        "/usr/share/fonts/google-noto-emoji/NotoColorEmoji.ttf",
        "/usr/share/fonts/noto-emoji/NotoColorEmoji.ttf",
        "/usr/local/share/fonts/NotoColorEmoji.ttf",
    )
)

_COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")


class _Color:
    """Marker type for the schema: a ``#RRGGBB`` or ``#RRGGBBAA`` string."""


class _Fraction:
    """Marker type for the schema: a number between 0 and 1."""


class _FontList:
    """Marker type for the schema: a font file or a list of them (fallbacks)."""


class _Presets:
    """Marker type for the schema: named caption styles, each a mapping of
    the ``caption`` keys it changes."""


_NullableColor = (_Color, None)

# key -> type, or a nested schema. A tuple means "one of these" (None: null allowed).
_CAPTION_SCHEMA: dict[str, Any] = {
    "size": _Fraction,
    "color": _Color,
    "outline": _NullableColor,
    "outline_width": _Fraction,
    "box": _NullableColor,
    "bottom": _Fraction,
    "font": FONT_ROLES,
    "highlight": _NullableColor,
    "highlight_box": _NullableColor,
    "mark": CAPTION_MARKS,
}

_SCHEMA: dict[str, Any] = {
    "name": str,
    "description": str,
    "colors": {
        "background": _Color,
        "text": _Color,
        "accent": _Color,
        "muted": _Color,
    },
    "fonts": dict.fromkeys(FONT_ROLES, _FontList),
    "layout": LAYOUTS,
    "artwork": ARTWORK_MODES,
    "artwork_blur": _Fraction,
    "artwork_tint": _Fraction,
    "margin": _Fraction,
    "quote_max": _Fraction,
    "quote_min": _Fraction,
    "line_height": float,
    "quote_mark": bool,
    "photo": bool,
    "brand": str,
    "logo": (str, None),
    "emoji_font": (str, None),
    "caption": {**_CAPTION_SCHEMA, "style": str},
    "caption_styles": _Presets,
    "title_band": {
        "color": _Color,
        "background": _NullableColor,
        "size": _Fraction,
    },
    "clip_background": CLIP_BACKGROUNDS,
    "stack_speaker": STACK_SPEAKERS,
}


@dataclass(frozen=True)
class CaptionStyle:
    """Burned-in caption look for clips.

    ``size`` is the font size as a fraction of the video width; ``outline`` is
    drawn ``outline_width`` x font size thick; ``box`` (``#RRGGBBAA``) is an
    optional plate behind the text; ``bottom`` is the gap between the text and
    the bottom edge, as a fraction of the video height; ``font`` is a font role.
    In 9:16 and 1:1 clips with word timing the spoken word is marked as
    ``mark`` says: ``highlight`` draws it in the ``highlight`` colour on a
    ``highlight_box`` plate (when set); ``pop`` brings the words on one at a
    time as they are said, the newest in ``highlight``; ``fill`` shows the
    whole caption and fills the words said so far with ``highlight``
    (karaoke). ``highlight: null`` turns highlight and fill off. ``style``
    names the theme's caption style (preset) these values come from.
    """

    style: str

    size: float
    color: str
    outline: str | None
    outline_width: float
    box: str | None
    bottom: float
    font: str
    highlight: str | None
    highlight_box: str | None
    mark: str

    @property
    def marks_words(self) -> bool:
        """Whether word timing changes the captions (pop needs no colour)."""
        return self.mark == "pop" or self.highlight is not None


@dataclass(frozen=True)
class TitleBand:
    """The episode-title band clips draw over the video (size: fraction of width)."""

    color: str
    background: str | None
    size: float


@dataclass(frozen=True)
class Theme:
    """A validated theme. Font paths are absolute; colours are ``#RRGGBB[AA]``."""

    name: str
    source: Path
    description: str
    background: str
    text: str
    accent: str
    muted: str
    fonts: dict[str, tuple[Path, ...]]
    layout: str
    artwork: str
    artwork_blur: float
    artwork_tint: float
    margin: float
    quote_max: float
    quote_min: float
    line_height: float
    quote_mark: bool
    photo: bool
    brand: str
    logo: Path | None
    emoji_font: Path | None
    caption: CaptionStyle
    caption_styles: dict[str, CaptionStyle]
    title_band: TitleBand
    clip_background: str
    stack_speaker: str

    def with_caption_style(self, name: str | None) -> Theme:
        """This theme with its caption style ``name`` (None: the theme's own)."""
        if name is None or name == self.caption.style:
            return self
        if name not in self.caption_styles:
            known = ", ".join(sorted(self.caption_styles))
            raise ClipperError(
                f"{self.source}: unknown caption style {name!r} (theme {self.name!r} has: {known})"
            )
        return replace(self, caption=self.caption_styles[name])

    def font_path(self, role: str) -> Path:
        """The primary font file of ``role`` (quote, name, title, caption, brand)."""
        return self._role(role)[0]

    def font_stack(self, role: str) -> tuple[Path, ...]:
        """The primary font of ``role`` followed by its fallbacks (e.g. Hebrew,
        Arabic) and the colour emoji font when there is one."""
        emoji = (self.emoji_font,) if self.emoji_font else ()
        return self._role(role) + emoji

    def font(self, role: str, size: int) -> ImageFont.FreeTypeFont:
        """The primary font of ``role`` at ``size`` px, loaded once per theme."""
        return load_font(self.font_path(role), int(size))

    def _role(self, role: str) -> tuple[Path, ...]:
        if role not in self.fonts:
            raise ValueError(f"unknown font role {role!r}; expected one of {FONT_ROLES}")
        return self.fonts[role]


@functools.lru_cache(maxsize=512)
def load_font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    """Load a font file once per (path, size); Pillow fonts are read-only after load."""
    from PIL import ImageFont

    try:
        return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)
    except OSError as exc:
        raise ClipperError(f"{path}: cannot load font ({exc})") from None


def available_themes() -> list[str]:
    """Names of the bundled themes."""
    return sorted(p.stem for p in THEMES_DIR.glob("*.yaml"))


def load_theme(name_or_path: str | Path = DEFAULT_THEME, caption_style: str | None = None) -> Theme:
    """Load a bundled theme by name (``default``, ``light``, ``photo``) or a YAML file,
    with its caption style ``caption_style`` (None: the one the theme names).

    Raises ClipperError naming the file and key on any problem.
    """
    return _load_theme_cached(_resolve_theme_path(name_or_path)).with_caption_style(caption_style)


def _resolve_theme_path(name_or_path: str | Path) -> Path:
    text = str(name_or_path)
    if text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text:
        path = Path(text).expanduser().resolve()
        if not path.is_file():
            raise ClipperError(f"{text}: theme file not found")
        return path
    path = THEMES_DIR / f"{text}.yaml"
    if not path.is_file():
        known = ", ".join(available_themes())
        raise ClipperError(f"unknown theme {text!r}; bundled themes: {known}")
    return path


@functools.lru_cache(maxsize=32)
def _load_theme_cached(path: Path) -> Theme:
    data = _read_yaml(path)
    _validate(data, _SCHEMA, path, prefix="")
    name = data.get("name", path.stem)
    default_path = THEMES_DIR / f"{DEFAULT_THEME}.yaml"
    if path != default_path:
        base = _read_yaml(default_path)
        _validate(base, _SCHEMA, default_path, prefix="")
        data = _merge(base, data)
    return _build({**data, "name": name}, path)


def _read_yaml(path: Path) -> dict:
    data = read_yaml(path, "theme")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ClipperError(f"{path}: a theme must be a mapping of keys to values")
    return data


def _validate(data: dict, schema: dict, path: Path, prefix: str) -> None:
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if key not in schema:
            known = ", ".join(sorted(schema))
            raise ClipperError(f"{path}: unknown theme key {dotted!r} (known: {known})")
        expected = schema[key]
        if expected is _Presets:
            _validate_presets(value, path, dotted)
        elif isinstance(expected, dict):
            if not isinstance(value, dict):
                raise ClipperError(f"{path}: theme key {dotted!r} must be a mapping")
            _validate(value, expected, path, prefix=f"{dotted}.")
        else:
            problem = _type_problem(value, expected)
            if problem:
                raise ClipperError(f"{path}: theme key {dotted!r} {problem}, got {value!r}")


def _validate_presets(value: Any, path: Path, dotted: str) -> None:
    """Caption styles: a mapping of names to the caption keys each changes."""
    if not isinstance(value, dict):
        raise ClipperError(f"{path}: theme key {dotted!r} must be a mapping of style names")
    for name, changes in value.items():
        if not isinstance(changes, dict):
            raise ClipperError(f"{path}: theme key '{dotted}.{name}' must be a mapping")
        _validate(changes, _CAPTION_SCHEMA, path, prefix=f"{dotted}.{name}.")


def _type_problem(value: Any, expected: Any) -> str | None:
    """Why ``value`` does not match ``expected``, or None when it does."""
    if isinstance(expected, tuple) and all(isinstance(option, str) for option in expected):
        return None if value in expected else f"must be one of {', '.join(expected)}"
    if isinstance(expected, tuple):  # (type, None): the value may be null
        return None if value is None else _type_problem(value, expected[0])
    checks = {
        _Color: (lambda v: isinstance(v, str) and bool(_COLOR_RE.match(v)), "must be #RRGGBB"),
        _Fraction: (
            lambda v: _is_number(v) and 0 <= v <= 1,
            "must be a number between 0 and 1",
        ),
        _FontList: (
            lambda v: (
                isinstance(v, str)
                or (isinstance(v, list) and v and all(isinstance(i, str) for i in v))
            ),
            "must be a font file or a list of font files",
        ),
        float: (_is_number, "must be a number"),
        str: (lambda v: isinstance(v, str), "must be a string"),
        bool: (lambda v: isinstance(v, bool), "must be true or false"),
    }
    check, message = checks[expected]
    return None if check(value) else message


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged


def _build(data: dict, path: Path) -> Theme:
    missing = _missing_keys(data, _SCHEMA, prefix="")
    if missing:
        raise ClipperError(f"{path}: theme key {missing[0]!r} is missing")
    if data["quote_min"] > data["quote_max"]:
        raise ClipperError(f"{path}: theme key 'quote_min' is larger than 'quote_max'")
    colors = data["colors"]
    styles = _caption_styles(data, path)
    return Theme(
        name=data["name"],
        source=path,
        description=data["description"],
        background=colors["background"],
        text=colors["text"],
        accent=colors["accent"],
        muted=colors["muted"],
        fonts={role: _font_files(data["fonts"][role], path, role) for role in FONT_ROLES},
        layout=data["layout"],
        artwork=data["artwork"],
        artwork_blur=float(data["artwork_blur"]),
        artwork_tint=float(data["artwork_tint"]),
        margin=float(data["margin"]),
        quote_max=float(data["quote_max"]),
        quote_min=float(data["quote_min"]),
        line_height=float(data["line_height"]),
        quote_mark=data["quote_mark"],
        photo=data["photo"],
        brand=data["brand"],
        logo=_asset_file(data["logo"], path, "logo") if data["logo"] else None,
        emoji_font=_emoji_font(data["emoji_font"], path),
        caption=styles[data["caption"]["style"]],
        caption_styles=styles,
        title_band=TitleBand(**data["title_band"]),
        clip_background=data["clip_background"],
        stack_speaker=data["stack_speaker"],
    )


def _caption_styles(data: dict, path: Path) -> dict[str, CaptionStyle]:
    """Every caption style of the theme: its ``caption`` keys with the
    changes each preset of ``caption_styles`` lists."""
    base, presets = data["caption"], data["caption_styles"]
    if base["style"] not in presets:
        known = ", ".join(sorted(presets))
        raise ClipperError(
            f"{path}: theme key 'caption.style' names no caption style, got "
            f"{base['style']!r} (known: {known})"
        )
    return {
        name: CaptionStyle(**{**base, **changes, "style": name})
        for name, changes in presets.items()
    }


def _emoji_font(value: str | None, theme_path: Path) -> Path | None:
    if value is None:
        return None
    if value == "auto":
        return next((font for font in SYSTEM_EMOJI_FONTS if font.is_file()), None)
    return _asset_file(value, theme_path, "emoji_font")


def _missing_keys(data: dict, schema: dict, prefix: str) -> list[str]:
    missing = []
    for key, expected in schema.items():
        if key == "name":
            continue
        if key not in data:
            missing.append(f"{prefix}{key}")
        elif isinstance(expected, dict):
            missing += _missing_keys(data[key], expected, prefix=f"{prefix}{key}.")
    return missing


def _font_files(value: str | list[str], theme_path: Path, role: str) -> tuple[Path, ...]:
    names = [value] if isinstance(value, str) else value
    return tuple(_asset_file(name, theme_path, f"fonts.{role}") for name in names)


def _asset_file(name: str, theme_path: Path, key: str) -> Path:
    """Find a file named in a theme: absolute, next to the theme, or in fonts/."""
    candidate = Path(name).expanduser()
    if candidate.is_absolute():
        candidates = [candidate]
    else:
        candidates = [theme_path.parent / candidate, FONTS_DIR / candidate]
    for path in candidates:
        if path.is_file():
            return path.resolve()
    raise ClipperError(f"{theme_path}: theme key {key!r}: file {name!r} not found")
