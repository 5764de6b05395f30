"""A quote's cut: the span of the source a clip shows, on the output frame grid."""

from __future__ import annotations

import math
from dataclasses import dataclass

from clipper.errors import ClipperError
from clipper.media.ffmpeg import MediaInfo
from clipper.render.spoken import word_cut_frames
from clipper.select.quote import Quote
from clipper.timing.model import QuoteTiming

END_TOLERANCE = 0.05  # a quote may end this much after the last frame (rounding)


@dataclass(frozen=True)
class Cut:
    """A quote's span in the source: ``start``/``end`` are the clip's bounds
    (padding included), ``speech`` the quote itself in clip time."""

    start: float
    end: float
    speech: tuple[float, float]

    @property
    def duration(self) -> float:
        return self.end - self.start


def check_quote_times(quote: Quote) -> None:
    if not quote.timed:
        raise ClipperError("no start and end: the quote was not timed")
    if quote.end <= quote.start:
        raise ClipperError(f"end ({quote.end:g} s) is not after start ({quote.start:g} s)")


def plan_cut(
    quote: Quote,
    source: MediaInfo,
    pad: float,
    fps: float,
    timing: QuoteTiming | None = None,
) -> Cut:
    """The clip's span in the source, on the output frame grid: it starts with
    the frame on screen at the padded start and holds whole frames; with a
    word ``timing`` the padding stays in the silences around the quote (see
    :mod:`clipper.render.spoken`). Raises ClipperError for an impossible quote.

    The quote's ``start``/``end`` are the speech to keep and are never moved:
    once timed they are its words' bounds (an interpolated timing has already
    put them in a nearby silence), and times an editor wrote in quotes.yaml
    are the editor's word (deleting them has the quote timed instead)."""
    check_quote_times(quote)
    if quote.start < 0 or quote.end > source.duration + END_TOLERANCE:
        raise ClipperError(
            f"quote {quote.start:g}-{quote.end:g} s is outside the video (0-{source.duration:g} s)"
        )
    start, end = quote.start, min(quote.end, source.duration)
    if timing is not None:
        first, stop = word_cut_frames(start, end, timing, pad, fps)
    else:
        first = math.floor(max(0.0, start - pad) * fps + 1e-6)
        stop = round(min(source.duration, end + pad) * fps)
    last = math.floor(source.duration * fps + 1e-6)  # frames that exist
    frames = max(1, min(stop - first, last - first))
    clip_start, clip_end = first / fps, (first + frames) / fps
    return Cut(clip_start, clip_end, (start - clip_start, min(end, clip_end) - clip_start))
