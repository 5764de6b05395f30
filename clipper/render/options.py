"""The renderers' options and their defaults, defined once.

The CLI's flags and clipper.yaml's ``cards:``/``clips:`` sections both take
their defaults from here (the settings classes extend these), as
``SelectionSettings`` does from ``SelectOptions``. No Pillow import here, so
settings are validated without it, nor the theme module (``clipper select``
starts without either).
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_THEME = "default"  # a bundled theme (see clipper.render.theme)
SHAPES = ("16:9", "1:1", "9:16")
# 1:1 and 9:16: crop on the speaker's face, or the whole picture; 9:16 alone: both
# faces of a side-by-side call one above the other (stack), or that when the
# listener reacts and the speaker otherwise (auto).
FRAME_MODES = ("speaker", "fit", "stack", "auto")


@dataclass(frozen=True)
class CardOptions:
    """``sizes``: preset names, ``WxH`` or ``all``; ``format``: png, jpg or webp."""

    sizes: tuple[str, ...] = ("all",)
    theme: str = DEFAULT_THEME
    format: str = "png"


@dataclass(frozen=True)
class ClipOptions:
    """``pad``: seconds of silence kept around a quote; ``captions``: burn
    them in (files are always written); ``frame``: one of ``FRAME_MODES``;
    ``loudness``: the integrated loudness (LUFS) every clip is brought to,
    or None to keep the source's level; ``caption_style``: one of the theme's
    caption styles (None: the theme's own); ``max_pause``/``keep_pause``/
    ``cut_fillers``: how quotes are tightened (:mod:`clipper.render.cutlist`)."""

    shapes: tuple[str, ...] = SHAPES
    captions: bool = True
    pad: float = 0.3
    theme: str = DEFAULT_THEME
    frame: str = "speaker"
    loudness: float | None = -14.0  # what Instagram, TikTok and YouTube play at
    caption_style: str | None = None
    max_pause: float | None = 0.8  # seconds: a longer pause inside a quote is shortened
    keep_pause: float = 0.3  # ... to this
    cut_fillers: bool = False  # cut the spoken words the edited text leaves out


LOUDNESS_RANGE = (-40.0, -5.0)  # LUFS a clip may be levelled to
LOUDNESS_OFF = ("off", "none", "false")


def parse_loudness(value: object) -> float | None:
    """A loudness setting as given on the command line or in clipper.yaml:
    a target in LUFS (``-14``), or ``off`` (also YAML's ``false``/``null``)
    for None. Raises ValueError naming what is wrong."""
    if value is None or value is False or str(value).strip().lower() in LOUDNESS_OFF:
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected a loudness in LUFS or off, got {value!r}")
    try:
        target = float(str(value))
    except ValueError:
        raise ValueError(f"expected a loudness in LUFS (like -14) or off, got {value!r}") from None
    low, high = LOUDNESS_RANGE
    if not low <= target <= high:
        raise ValueError(f"loudness {target:g} LUFS is outside {low:g} to {high:g} LUFS")
    return target
