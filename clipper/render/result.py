"""What every renderer returns per quote and variant, so callers treat cards and clips alike."""

from __future__ import annotations

from typing import Any, Protocol

from clipper.errors import Notice


class RenderResult(Protocol):
    """One quote rendered in one variant (a card size or a clip shape).

    ``error`` is set, and nothing written, when it could not be made;
    ``skipped`` when existing files were kept; ``warnings`` are for people,
    each with its context: a notice about the whole episode (a bad artwork or
    video) is carried by every result it touched, equal in each.
    """

    quote_id: str
    error: str | None
    warnings: list[Notice]
    skipped: bool

    @property
    def variant(self) -> str:
        """The card size or clip shape, as the user names it."""
        ...

    def record(self) -> dict[str, Any] | None:
        """The manifest's description of what was made (file paths as ``Path``),
        or ``None`` when nothing was."""
        ...
