"""Settings for batch runs, read from ``clipper.yaml``.

The file is validated strictly: an unknown key or a value of the wrong type is
a one-line :class:`ClipperError` naming the file and the dotted key, so a typo
never silently falls back to a default. A retired key (one a section's
``RETIRED`` lists) still loads, with one warning line naming it the same way.
``clipper init`` writes :data:`INIT_TEMPLATE`, a commented file whose values
are exactly the defaults.
Command-line options override the file (see :meth:`Settings.override`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from textwrap import indent
from typing import Any, ClassVar

from clipper import fsutil
from clipper.batch.post import PLATFORMS, template_fields
from clipper.episode import parse_time_range
from clipper.errors import ClipperError
from clipper.render.cutlist import Tightening
from clipper.render.options import FRAME_MODES, SHAPES, CardOptions, ClipOptions, parse_loudness
from clipper.render.sizes import FORMATS
from clipper.select.quote import KINDS
from clipper.select.selector import SelectOptions, validate_options
from clipper.yamlfile import read_yaml

log = logging.getLogger(__name__)

CONFIG_NAME = "clipper.yaml"
_SIZE_NAME = re.compile(r"^([a-z][a-z0-9_-]*|\d{2,5}x\d{2,5})$")

DEFAULT_TEMPLATE = """\
“{quote}”
— {speaker}

{label_title}
▶ Watch this moment: {youtube_url}
Full episode: {page_url}

{hashtags}
"""

Check = Callable[[str, Any], Any]
Warn = Callable[[str], None]


def _fail(key: str, expected: str, value: Any) -> ClipperError:
    return ClipperError(f"expected {expected}, got {type(value).__name__} {value!r}", key=key)


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _fail(key, "true or false", value)
    return value


def _int(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(key, "a whole number >= 0", value)
    return value


def _number(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise _fail(key, "a number >= 0", value)
    return float(value)


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(key, "a non-empty string", value)
    return value


def _optional(check: Check) -> Check:
    def checked(key: str, value: Any) -> Any:
        return None if value is None else check(key, value)

    return checked


def _one_of(choices: tuple[str, ...]) -> Check:
    def checked(key: str, value: Any) -> str:
        if value not in choices:
            raise _fail(key, "one of " + ", ".join(choices), value)
        return value

    return checked


def _list_of(check: Check) -> Check:
    def checked(key: str, value: Any) -> tuple:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value:
            raise _fail(key, "a non-empty list", value)
        return tuple(check(f"{key}[{i}]", item) for i, item in enumerate(value))

    return checked


def _loudness(key: str, value: Any) -> float | None:
    try:
        return parse_loudness(value)
    except ValueError as exc:
        raise ClipperError(str(exc), key=key) from None


def _template(key: str, value: Any) -> str:
    template_fields(_text(key, value))
    return value


def _size(key: str, value: Any) -> str:
    if not isinstance(value, str) or not _SIZE_NAME.match(value):
        raise _fail(key, "a size name (instagram, x, ...), 'all' or WxH", value)
    return value


def _section(key: str, value: Any) -> str:
    """A section number (YAML int) or a regex on the section title."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text(key, value)


def _kinds(key: str, value: Any) -> tuple[tuple[str, int], ...]:
    if not isinstance(value, dict) or not value:
        raise _fail(key, "a mapping of kind to count, e.g. {advice: 3}", value)
    return tuple(
        (_one_of(KINDS)(f"{key}.{kind}", kind), _int(f"{key}.{kind}", count))
        for kind, count in value.items()
    )


def _avoid(key: str, value: Any) -> tuple[str, ...]:
    """The brand's own words or regexes; each must compile."""
    from clipper.select.safety import avoid_pattern

    if not isinstance(value, list):
        raise _fail(key, "a list of words or regexes", value)
    entries = tuple(_text(f"{key}[{i}]", entry) for i, entry in enumerate(value))
    for i, entry in enumerate(entries):
        try:
            avoid_pattern(entry)
        except ClipperError as exc:
            raise exc.context(key=f"{key}[{i}]") from None
    return entries


def _between(key: str, value: Any) -> tuple[float, float]:
    try:
        return parse_time_range(value)
    except ClipperError as exc:
        raise exc.context(key=key) from None


@dataclass(frozen=True)
class SelectionSettings:
    """Which quotes each episode gets: ``kinds`` maps a kind to how many
    quotes of it to take; the rest are the filters of ``clipper select``
    (same defaults, except that only guests are quoted)."""

    kinds: tuple[tuple[str, int], ...] = (("any", 6),)
    speaker: str | None = "guest"
    section: str | None = SelectOptions.section
    min_words: int = SelectOptions.min_words
    max_words: int = SelectOptions.max_words
    min_seconds: float | None = SelectOptions.min_seconds
    max_seconds: float | None = SelectOptions.max_seconds
    between: tuple[float, float] | None = SelectOptions.between
    match: str | None = SelectOptions.match
    allow_profanity: bool = SelectOptions.allow_profanity
    avoid: tuple[str, ...] = SelectOptions.avoid

    CHECKS: ClassVar[dict[str, Check]] = {
        "kinds": _kinds,
        "speaker": _optional(_text),
        "section": _optional(_section),
        "min_words": _int,
        "max_words": _int,
        "min_seconds": _optional(_number),
        "max_seconds": _optional(_number),
        "between": _optional(_between),
        "match": _optional(_text),
        "allow_profanity": _bool,
        "avoid": _avoid,
    }

    def validate(self) -> None:
        """Check the filters as ``select_quotes`` will, naming the settings key."""
        try:
            validate_options(self.options())
        except ClipperError as exc:
            raise exc.context(key=f"selection.{exc.field}") from None

    def options(self) -> SelectOptions:
        """The selection as one :class:`SelectOptions`: all kinds, in the order of the file."""
        filters = {name: getattr(self, name) for name in self.CHECKS if name != "kinds"}
        return SelectOptions(kinds=self.kinds, **filters)


@dataclass(frozen=True)
class CardSettings(CardOptions):
    enabled: bool = True

    CHECKS: ClassVar[dict[str, Check]] = {
        "enabled": _bool,
        "sizes": _list_of(_size),
        "theme": _text,
        "format": _one_of(tuple(FORMATS)),
    }


@dataclass(frozen=True)
class ClipSettings(ClipOptions):
    """``video_dir`` holds local videos named ``<slug>.mp4`` (relative to the
    site root); an episode without one gets audiograms from
    ``<audio_dir>/<slug>.mp3|m4a|wav`` if there is one, else is cut from its
    YouTube video. ``frame`` is one of ``FRAME_MODES``;
    ``loudness`` a target in LUFS or None (``off``)."""

    enabled: bool = True
    video_dir: str = "video"
    audio_dir: str = "audio"

    CHECKS: ClassVar[dict[str, Check]] = {
        "enabled": _bool,
        "shapes": _list_of(_one_of(SHAPES)),
        "captions": _bool,
        "pad": _number,
        "theme": _text,
        "video_dir": _text,
        "audio_dir": _text,
        "frame": _one_of(FRAME_MODES),
        "loudness": _loudness,
        "caption_style": _optional(_text),
        "max_pause": _optional(_number),
        "keep_pause": _number,
        "cut_fillers": _bool,
    }
    # keys older files may hold that no longer do anything, and why
    RETIRED: ClassVar[dict[str, str]] = {
        "snap": "clips are cut in the silences around the spoken words",
    }

    def validate(self) -> None:
        try:
            self.tightening()
        except ClipperError as exc:
            raise exc.context(key="clips.max_pause") from None

    def tightening(self) -> Tightening:
        """How quotes are tightened before they are cut."""
        return Tightening(self.max_pause, self.keep_pause, self.cut_fillers)


@dataclass(frozen=True)
class PostSettings:
    platforms: tuple[str, ...] = tuple(PLATFORMS)
    hashtags: int = 3
    template: str = DEFAULT_TEMPLATE

    CHECKS: ClassVar[dict[str, Check]] = {
        "platforms": _list_of(_one_of(tuple(PLATFORMS))),
        "hashtags": _int,
        "template": _template,
    }


_SECTIONS = {
    "selection": SelectionSettings,
    "cards": CardSettings,
    "clips": ClipSettings,
    "post": PostSettings,
}


@dataclass(frozen=True)
class Settings:
    """Everything a batch run needs besides the episode list. ``output`` and
    ``cache`` are resolved paths (``cache=None``: the user cache directory)."""

    output: Path = Path("output")
    cache: Path | None = None
    selection: SelectionSettings = field(default_factory=SelectionSettings)
    cards: CardSettings = field(default_factory=CardSettings)
    clips: ClipSettings = field(default_factory=ClipSettings)
    post: PostSettings = field(default_factory=PostSettings)

    def override(self, **changes: Any) -> Settings:
        """A copy with ``section__key=value`` or top-level ``key=value``
        replaced; ``None`` values mean "not given on the command line"."""
        result = self
        for name, value in changes.items():
            if value is None:
                continue
            section, _, key = name.partition("__")
            if key:
                value = replace(getattr(result, section), **{key: value})
                name = section
            result = replace(result, **{name: value})
        return result

    def fingerprint(self, *sections: str) -> str:
        """A stable hash of the named sections (what a rendered output depends on)."""
        data = {name: asdict(getattr(self, name)) for name in sections}
        blob = json.dumps(data, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def _build_section(cls: type, data: Any, key: str, warn: Warn) -> Any:
    if not isinstance(data, dict):
        raise _fail(key, "a mapping", data)
    known = {f.name for f in fields(cls)}
    retired = getattr(cls, "RETIRED", {})
    values = {}
    for name, value in data.items():
        if name in retired:
            warn(f"{key}.{name}: has no effect any more ({retired[name]}); remove it")
            continue
        if name not in known:
            raise ClipperError(f"{key}.{name}: unknown key (known: {', '.join(sorted(known))})")
        values[name] = cls.CHECKS[name](f"{key}.{name}", value)
    section = cls(**values)
    if hasattr(section, "validate"):
        section.validate()
    return section


def parse_settings(data: Any, base_dir: Path, warn: Warn = log.warning) -> Settings:
    """Validate a parsed ``clipper.yaml`` mapping; relative paths are taken
    from ``base_dir`` (the file's directory). ``warn`` gets one line per
    retired key."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ClipperError("expected a mapping of settings at the top level")
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name in _SECTIONS:
            given = {} if value is None else value
            values[name] = _build_section(_SECTIONS[name], given, name, warn)
        elif name in ("output", "cache"):
            values[name] = None if value is None else base_dir / _text(name, value)
        else:
            known = ", ".join(["output", "cache", *_SECTIONS])
            raise ClipperError(f"{name}: unknown key (known: {known})")
    if values.get("output") is None:
        values["output"] = base_dir / "output"
    for section in ("cards", "clips"):
        if section in values and is_theme_file(values[section].theme):
            theme = str(base_dir / values[section].theme)
            values[section] = replace(values[section], theme=theme)
    return Settings(**values)


def is_theme_file(theme: str) -> bool:
    """A theme given as a YAML file rather than a bundled theme's name."""
    return theme.endswith((".yaml", ".yml"))


def load_settings(
    path: Path | str | None, cwd: Path | None = None, warn: Warn = log.warning
) -> Settings:
    """Settings from ``path``; with ``None``, from ``clipper.yaml`` in ``cwd``
    when there is one, else the defaults (output in ``cwd/output``). ``warn``
    gets one line per retired key, naming the file as errors do."""
    cwd = cwd or Path.cwd()
    if path is None:
        candidate = cwd / CONFIG_NAME
        if not candidate.is_file():
            return Settings(output=cwd / "output")
        path = candidate
    path = Path(path)
    data = read_yaml(path, "settings")
    try:
        return parse_settings(data, path.resolve().parent, lambda text: warn(f"{path}: {text}"))
    except ClipperError as exc:
        raise ClipperError(f"{path}: {exc}") from None


INIT_TEMPLATE = """\
# clipper settings for `clipper batch`. Command-line options override them.
# Relative paths are relative to this file.

# Where the kits go: OUT/<episode>/{quotes.yaml,cards/,clips/,post.md},
# OUT/index.html (review page) and OUT/manifest.json (what was made from what).
output: output
# Downloaded episode videos (null: the user cache directory).
cache: null

selection:
  # How many quotes of each kind per episode: testimonial, advice, insight, any.
  kinds:
    any: 6
  # Who may be quoted: guest, host, a name or a person id (null: anyone).
  speaker: guest
  section: null        # regex on the section title, or its number
  min_words: 8
  max_words: 60
  min_seconds: null    # clip length limits, in seconds
  max_seconds: null
  between: null        # only quotes spoken in a range, e.g. "10:00-25:30"
  match: null          # only quotes matching a regex
  # Brand safety: slurs, insults and third parties' private details are never
  # quoted; swear words are unless allow_profanity is true.
  allow_profanity: false
  avoid: []            # your own words or regexes, e.g. [acme, "\\bcrypto\\w*"]

cards:
  enabled: true
  # Presets: instagram, square, story, x, linkedin, youtube, or WxH; all = every preset.
  sizes: [all]
  theme: default       # a theme name from assets/themes or a path to a theme .yaml
  format: png          # png, jpg or webp

clips:
  enabled: true
  shapes: ["16:9", "1:1", "9:16"]
  captions: true       # burn captions in and write .srt/.vtt
  pad: 0.3             # seconds added before and after each quote
  theme: default
  # Local videos named <episode-slug>.mp4 in this folder (relative to the site);
  # an episode without one is downloaded from its YouTube id.
  video_dir: video
  # Audio-only episodes: <episode-slug>.mp3, .m4a or .wav here become audiograms.
  audio_dir: audio
  # 1:1 and 9:16: speaker (crop on the face) or fit (whole picture); in 9:16 also stack
  # (both faces of a call, one above the other) or auto (stack when the listener reacts).
  frame: speaker
  # Every clip is brought to this loudness (LUFS integrated, true peak under
  # -1 dBTP: what Instagram, TikTok and YouTube play at); off keeps the source's.
  loudness: -14
  # The theme's caption style: box, pop or karaoke in the bundled themes (null: the
  # one the theme names).
  caption_style: null
  # Tight cuts, on the spoken words: a pause inside a quote longer than max_pause
  # seconds is shortened to keep_pause (max_pause: null keeps pauses), and with
  # cut_fillers the words the edited transcript leaves out ("um", "you know",
  # a repeated word) are cut. quotes.yaml records each quote's cuts.
  max_pause: 0.8
  keep_pause: 0.3
  cut_fillers: false

post:
  platforms: [x, linkedin, instagram, threads, bluesky]
  hashtags: 3          # at most this many, made from the episode topics
  # Fields: {quote} {speaker} {show} {title} {label} {label_title} {youtube_url}
  # {page_url} {hashtags}. A line whose field is empty (no YouTube id, no topics,
  # or dropped to fit a platform limit) is left out.
  template: |
""" + indent(DEFAULT_TEMPLATE, "    ")


def write_init(path: Path, force: bool = False) -> None:
    """Write the commented default settings file (never over an existing one
    unless ``force``)."""
    if path.exists() and not force:
        raise ClipperError(f"{path}: already exists (use --force to overwrite)")
    fsutil.write_text(path, INIT_TEMPLATE)
