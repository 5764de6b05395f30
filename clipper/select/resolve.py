"""The quotes a command works on: an edited quotes file, or a fresh selection."""

from __future__ import annotations

from pathlib import Path

from clipper.episode import Episode
from clipper.errors import ClipperError
from clipper.select.quote import Quote, load_quotes
from clipper.select.selector import SelectOptions, select_quotes


def episode_quotes(
    episode: Episode, quotes_file: Path | None, options: SelectOptions
) -> list[Quote]:
    """The quotes of ``quotes_file`` when given (rendered exactly as written,
    and all of ``episode``), else a fresh selection with ``options``."""
    if quotes_file is None:
        return select_quotes(episode, options)
    quotes = load_quotes(quotes_file)
    for quote in quotes:
        if quote.episode and quote.episode != episode.slug:
            raise ClipperError(
                f"{quotes_file}: quote {quote.id} belongs to episode {quote.episode!r}, "
                f"not {episode.slug!r}"
            )
        quote.episode = episode.slug
    return quotes
