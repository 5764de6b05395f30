"""Card sizes (platform presets or ``WxH``) and the image formats cards are saved in.

Kept apart from :mod:`clipper.render.cards` so that settings can validate
sizes and formats without importing Pillow.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from clipper.errors import ClipperError

FORMATS = {"png": "PNG", "jpg": "JPEG", "webp": "WEBP"}
MIN_CANVAS, MAX_CANVAS = 200, 4096


@dataclass(frozen=True)
class SizeSpec:
    """A card size. ``safe`` insets (left, top, right, bottom) are the platform's
    no-go zones (UI overlays); the theme margin is added inside them."""

    name: str
    width: int
    height: int
    safe: tuple[int, int, int, int] = (0, 0, 0, 0)

    @property
    def unit(self) -> int:
        """The length theme fractions refer to: the side of a square of the same
        area, so a story gets larger type than a square and a banner smaller."""
        return round(math.sqrt(self.width * self.height))

    @property
    def short(self) -> int:
        """The short side: margins and vertical gaps refer to it."""
        return min(self.width, self.height)

    @property
    def landscape(self) -> bool:
        return self.width >= self.height * 1.35


PRESETS: dict[str, SizeSpec] = {
    spec.name: spec
    for spec in (
        SizeSpec("instagram", 1080, 1350),
        SizeSpec("square", 1080, 1080),
        SizeSpec("story", 1080, 1920, safe=(0, 250, 0, 340)),
        SizeSpec("x", 1200, 675),
        SizeSpec("linkedin", 1200, 627),
        SizeSpec("youtube", 1280, 720),
    )
}


def parse_size(name: str) -> SizeSpec:
    """A preset name or ``WxH`` (e.g. ``1600x900``)."""
    if name in PRESETS:
        return PRESETS[name]
    match = re.fullmatch(r"(\d+)x(\d+)", name)
    if not match:
        known = ", ".join([*PRESETS, "all"])
        raise ClipperError(f"unknown card size {name!r}: use one of {known}, or WxH")
    width, height = int(match[1]), int(match[2])
    if not all(MIN_CANVAS <= side <= MAX_CANVAS for side in (width, height)):
        raise ClipperError(
            f"card size {name!r}: each side must be {MIN_CANVAS}-{MAX_CANVAS} pixels"
        )
    return SizeSpec(name, width, height)


def resolve_sizes(sizes: tuple[str, ...] | list[str] | str) -> list[SizeSpec]:
    """Expand ``all`` and parse names; duplicates are dropped, order is kept."""
    names = [sizes] if isinstance(sizes, str) else list(sizes)
    expanded = [n for name in names for n in (PRESETS if name == "all" else [name])]
    return [parse_size(name) for name in dict.fromkeys(expanded)]
