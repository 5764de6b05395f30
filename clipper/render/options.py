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
FRAME_MODES = ("speaker", "fit")  # 1:1 and 9:16: crop on the speaker's face, or the whole picture


@dataclass(frozen=True)
class CardOptions:
    """``sizes``: preset names, ``WxH`` or ``all``; ``format``: png, jpg or webp."""

    sizes: tuple[str, ...] = ("all",)
    theme: str = DEFAULT_THEME
    format: str = "png"


@dataclass(frozen=True)
class ClipOptions:
    """``pad``: seconds of silence kept around a quote; ``captions``: burn
    them in (files are always written); ``frame``: one of ``FRAME_MODES``."""

    shapes: tuple[str, ...] = SHAPES
    captions: bool = True
    pad: float = 0.3
    theme: str = DEFAULT_THEME
    frame: str = "speaker"
