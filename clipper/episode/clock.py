"""Clock times as people write them: ``4:15``, ``1:02:03``, ``10:00-25:30``."""

from __future__ import annotations

import re

from clipper.errors import ClipperError

_NUMBER = re.compile(r"\d+(\.\d+)?")
_CLOCK_PART = re.compile(r"\d{1,2}")


def parse_time(value: object) -> float | None:
    """Seconds from a transcript time: ``"4:15"``, ``"1:02:03"``, a number, or
    an int that YAML already parsed from an unquoted ``4:15`` (base 60).

    Returns ``None`` for anything malformed (``"37:567"``, ``"abc"``).
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value) if value >= 0 else None
    text = str(value).strip()
    if _NUMBER.fullmatch(text):
        return float(text)
    parts = text.split(":")
    if not 2 <= len(parts) <= 3 or not all(_CLOCK_PART.fullmatch(p) for p in parts):
        return None
    numbers = [int(p) for p in parts]
    if any(n >= 60 for n in numbers[1:]):
        return None
    seconds = 0
    for number in numbers:
        seconds = seconds * 60 + number
    return float(seconds)


def format_clock(seconds: float) -> str:
    """The inverse of :func:`parse_time`: ``75.4`` -> ``1:15``; ``3725`` -> ``1:02:05``."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def parse_time_range(text: object) -> tuple[float, float]:
    """``(start, end)`` seconds from ``"10:00-25:30"``; the end must be later.

    The one parser for ``--between`` and ``selection.between``.
    """
    parts = text.split("-") if isinstance(text, str) else []
    times = [parse_time(part.strip()) for part in parts]
    if len(times) != 2 or times[0] is None or times[1] is None or times[0] >= times[1]:
        raise ClipperError(f"expected a time range like '10:00-25:30', got {text!r}")
    return times[0], times[1]
