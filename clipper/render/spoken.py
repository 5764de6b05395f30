"""Quotes timed on their spoken words, ready to cut.

:func:`time_for_clips` is what the ``clips`` command and ``batch`` call before
rendering: it times every quote through :mod:`clipper.timing` (a quote read
from a file keeps the times written there) and, asked to tighten, plans each
quote's cuts (:mod:`clipper.render.cutlist`). :func:`shifted` moves a timing
into a downloaded section's clock.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from clipper.episode.load import Episode
from clipper.errors import ClipperError, Warn, ignore
from clipper.render.cutlist import Tightening, plan_removals
from clipper.select.quote import Quote
from clipper.timing.model import QuoteTiming, Word
from clipper.timing.pauses import pauses

AROUND = 1.0  # seconds of audio read around a quote to place its cuts


def shifted(timing: QuoteTiming, offset: float) -> QuoteTiming:
    """``timing`` with every time ``offset`` seconds earlier (a downloaded section)."""

    def move(t: float | None) -> float | None:
        return None if t is None else t - offset

    return replace(
        timing,
        words=tuple(Word(w.text, w.start - offset, w.end - offset) for w in timing.words),
        start=timing.start - offset,
        end=timing.end - offset,
        previous_end=move(timing.previous_end),
        next_start=move(timing.next_start),
        fillers=tuple(Word(w.text, w.start - offset, w.end - offset) for w in timing.fillers),
    )


def time_for_clips(
    episode: Episode,
    quotes: list[Quote],
    *,
    media: Path | None,
    timing_file: Path | None = None,
    keep_written: bool = False,
    warn: Warn = ignore,
    tightening: Tightening | None = None,
) -> tuple[list[Quote], dict[str, QuoteTiming]]:
    """Time every quote on its spoken words (see :func:`clipper.timing.quotes.time_quotes`).

    Returns the quotes with their times, source and confidence set, and the
    timings by quote id for the cuts and captions. With ``keep_written``
    (quotes from a file the user edits) a quote's own ``start``/``end`` are
    kept; only a quote given without times takes them from its words.

    With a ``tightening`` each quote's ``cuts`` are planned (see
    :func:`~clipper.render.cutlist.plan_removals`), on the silences of
    ``media`` when there is one; cuts a kept quote already has stay, and a
    quote timed by interpolation gets none (its word times are guesses).
    """
    from clipper.timing.quotes import apply_timing, time_quotes

    timings = time_quotes(episode, quotes, timing_file=timing_file, media=media, warn=warn)
    timed = [
        quote if keep_written and quote.timed else apply_timing(quote, timings[quote.id])
        for quote in quotes
    ]
    if tightening is not None:
        timed = [
            quote
            if quote.cuts is not None
            else _tightened(quote, timings[quote.id], media, tightening)
            for quote in timed
        ]
    return timed, timings


def _tightened(
    quote: Quote, timing: QuoteTiming, media: Path | None, tightening: Tightening
) -> Quote:
    """``quote`` with its cuts planned on ``timing`` (and ``media``'s silences)."""
    if timing.source == "interpolated":
        return replace(quote, cuts=[])
    around = (timing.start - AROUND, timing.end + AROUND)
    silences = _silences(media, around)
    removals = plan_removals(timing, tightening, silences)
    return replace(quote, cuts=[[a, b] for a, b in removals])


def _silences(media: Path | None, around: tuple[float, float]) -> list[tuple[float, float]]:
    """The pauses in ``media`` around a quote; none when it has no audio to
    read (the renderer says so: its clips are silent)."""
    if media is None:
        return []
    try:
        return pauses(media, *around)
    except ClipperError:
        return []
