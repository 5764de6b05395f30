"""The one rectangle type of the renderers."""

from __future__ import annotations

from typing import NamedTuple


class Box(NamedTuple):
    """A pixel rectangle: ``left``/``top`` inclusive, ``right``/``bottom`` exclusive.

    A tuple, so ``left, top, right, bottom = box`` and Pillow calls take it
    as is; ``x``/``y``/``width``/``height`` read it the way ffmpeg filters want.
    """

    left: int
    top: int
    right: int
    bottom: int

    @classmethod
    def at(cls, x: int, y: int, width: int, height: int) -> Box:
        return cls(x, y, x + width, y + height)

    @property
    def x(self) -> int:
        return self.left

    @property
    def y(self) -> int:
        return self.top

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top
