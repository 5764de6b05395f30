"""Cut points on a quote's spoken words.

Given a :class:`~clipper.timing.model.QuoteTiming`, a clip starts in the
silence before the quote's first spoken word and ends in the silence after its
last: ``pad`` seconds at most, and never beyond the middle of the silence
towards a neighbouring word, so word times a few tens of milliseconds off on
either side still leave the neighbour out. Bounds are whole output frames: the
first frame never starts after the first word and the last never ends before
the last word.

A quote's own ``start``/``end`` (its first word's start and last word's end
once timed, or what an editor wrote in quotes.yaml) are the speech to keep;
the timing adds where the neighbours are. A neighbour that overlaps the quote
(hand-set times reaching into it) is not a limit: the file is obeyed.

:func:`time_for_clips` is what the ``clips`` command and ``batch`` call before
rendering: it times every quote through :mod:`clipper.timing` and applies the
rule above for quotes read from a file.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from clipper.episode.load import Episode
from clipper.select.quote import Quote
from clipper.timing.model import QuoteTiming, Word

log = logging.getLogger(__name__)

EPSILON = 1e-6


def word_cut_frames(
    start: float, end: float, timing: QuoteTiming, pad: float, fps: float
) -> tuple[int, int]:
    """The first frame of the clip and the frame after its last, on the output
    frame grid, for speech from ``start`` to ``end`` (seconds)."""
    earliest, latest = start - pad, end + pad
    if timing.previous_end is not None and timing.previous_end <= start:
        earliest = max(earliest, (timing.previous_end + start) / 2)
    if timing.next_start is not None and timing.next_start >= end:
        latest = min(latest, (end + timing.next_start) / 2)
    first = min(math.ceil(earliest * fps - EPSILON), math.floor(start * fps + EPSILON))
    stop = max(math.floor(latest * fps + EPSILON), math.ceil(end * fps - EPSILON))
    return max(0, first), stop


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
    )


def time_for_clips(
    episode: Episode,
    quotes: list[Quote],
    *,
    media: Path | None,
    timing_file: Path | None = None,
    keep_written: bool = False,
    warn: Callable[[str], None] = log.warning,
) -> tuple[list[Quote], dict[str, QuoteTiming]]:
    """Time every quote on its spoken words (see :func:`clipper.timing.quotes.time_quotes`).

    Returns the quotes with their times, source and confidence set, and the
    timings by quote id for the cuts and captions. With ``keep_written``
    (quotes from a file the user edits) a quote's own ``start``/``end`` are
    kept; only a quote given without times takes them from its words.
    """
    from clipper.timing.quotes import apply_timing, time_quotes

    timings = time_quotes(episode, quotes, timing_file=timing_file, media=media, warn=warn)
    timed = [
        quote if keep_written and quote.timed else apply_timing(quote, timings[quote.id])
        for quote in quotes
    ]
    return timed, timings
