"""Pick the lines of an episode worth posting."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SelectOptions:
    """Filters for :func:`select_quotes`; ``None`` means no filter.

    ``between`` is ``(start_seconds, end_seconds)``; ``lines`` are source line
    indices and ``at`` are seconds: explicit picks that bypass the ranking.
    """

    speaker: str | None = None
    section: str | None = None
    kind: str = "any"
    min_words: int = 8
    max_words: int = 40
    min_seconds: float | None = None
    max_seconds: float | None = None
    between: tuple[float, float] | None = None
    match: str | None = None
    top: int = 10
    lines: tuple[int, ...] = ()
    at: tuple[float, ...] = ()
