"""A quote's cut: the span of the source a clip shows, on the output frame
grid, and the stretches inside it left out (the cut list).

Bounds: given a :class:`~clipper.timing.model.QuoteTiming`, a clip starts in
the silence before the quote's first spoken word and ends in the silence after
its last: ``pad`` seconds at most, and never beyond the middle of the silence
towards a neighbouring word, so word times a few tens of milliseconds off on
either side still leave the neighbour out. Bounds are whole output frames: the
first frame never starts after the first word and the last never ends before
the last word. A quote's own ``start``/``end`` (its first word's start and
last word's end once timed, or what an editor wrote in quotes.yaml) are the
speech to keep; the timing adds where the neighbours are. A neighbour that
overlaps the quote (hand-set times reaching into it) is not a limit: the file
is obeyed.

Tight cuts: with word times, a pause inside a quote longer than
``max_pause`` is shortened to ``keep_pause``, and with ``cut_fillers`` the
spoken words the edited text leaves out ("um", "you know", a repeated word;
:class:`~clipper.timing.model.QuoteTiming` ``fillers``) are cut. Cut points
sit in the silences the audio itself shows (:func:`clipper.timing.pauses.pauses`),
in the middle of the one between the words, so the short crossfade over each
cut joins silence to silence; without one, halfway between the word times.
The removals are planned once, in episode seconds, and kept in quotes.yaml
(``cuts``), so a rerun cuts the same; the renderer puts them on the frame grid.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from clipper.errors import ClipperError
from clipper.media.ffmpeg import MediaInfo
from clipper.select.quote import Quote
from clipper.timing.model import QuoteTiming, Word

EPSILON = 1e-6
END_TOLERANCE = 0.05  # a quote may end this much after the last frame (rounding)
SHORTEST_WORD = 0.06  # seconds: no silence starts sooner after a word's start
SILENCE_REACH = 0.06  # seconds a cut's silence may lie beyond the word times (their error)
Span = tuple[float, float]


@dataclass(frozen=True)
class Tightening:
    """How to tighten a quote: pauses longer than ``max_pause`` seconds
    (None: never) shortened to ``keep_pause``; fillers cut or kept."""

    max_pause: float | None = 0.8
    keep_pause: float = 0.3
    cut_fillers: bool = False

    def __post_init__(self) -> None:
        if self.keep_pause < 0:
            raise ClipperError(f"keep_pause must not be negative (got {self.keep_pause:g} s)")
        if self.max_pause is not None and self.max_pause <= self.keep_pause:
            raise ClipperError(
                f"max_pause ({self.max_pause:g} s) must be longer than keep_pause "
                f"({self.keep_pause:g} s)"
            )


@dataclass(frozen=True)
class Cut:
    """A quote's span in the source: ``start``/``end`` are the clip's bounds
    in source seconds (padding included), ``speech`` the quote itself
    relative to ``start``. Inside the bounds, ``removed`` are the source
    stretches the sound leaves out (where the cut points were planned) and
    ``dropped`` the frames the picture leaves out: each a whole number of
    frames near its removal, as many in all as the sound leaves out, so
    picture and sound stay within half a frame of each other."""

    start: float
    end: float
    speech: tuple[float, float]
    removed: tuple[Span, ...] = ()
    dropped: tuple[Span, ...] = ()

    @property
    def span(self) -> float:
        """Seconds of source from the first frame to the last."""
        return self.end - self.start

    @property
    def duration(self) -> float:
        """Seconds of clip: the span less the frames dropped."""
        return self.span - sum(b - a for a, b in self.dropped)

    @property
    def kept(self) -> list[Span]:
        """The source stretches the sound keeps, in order."""
        return complement(self.start, self.end, self.removed)

    @property
    def kept_frames(self) -> list[Span]:
        """The source stretches the picture keeps, in order."""
        return complement(self.start, self.end, self.dropped)

    def clip_time(self, t: float) -> float:
        """Where source second ``t`` is heard in the clip (a removed moment: at its cut)."""
        gone = sum(min(b, t) - a for a, b in self.removed if a < t)
        return t - self.start - gone

    @property
    def clip_speech(self) -> tuple[float, float]:
        """The quote's speech in clip seconds."""
        first, last = self.speech
        return self.clip_time(self.start + first), self.clip_time(self.start + last)


def complement(start: float, end: float, holes: Sequence[Span]) -> list[Span]:
    """The stretches of ``start``-``end`` outside ``holes`` (in order, apart, inside it)."""
    edges = [start, *(t for hole in holes for t in hole), end]
    return [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]


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
    removals: Sequence[Span] = (),
) -> Cut:
    """The clip's span in the source, on the output frame grid: it starts with
    the frame on screen at the padded start and holds whole frames; with a
    word ``timing`` the padding stays in the silences around the quote (see
    the module notes). Raises ClipperError for an impossible quote.

    The quote's ``start``/``end`` are the speech to keep and are never moved:
    once timed they are its words' bounds (an interpolated timing has already
    put them in a nearby silence), and times an editor wrote in quotes.yaml
    are the editor's word (deleting them has the quote timed instead).
    ``removals`` (episode seconds, see :func:`plan_removals`) are put on the
    frame grid; one reaching over the clip's first or last frame moves it."""
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
    stop = first + max(1, min(stop - first, last - first))
    first, stop, removed = _inner_removals(removals, fps, first, stop)
    clip_start, clip_end = first / fps, stop / fps
    speech = (start - clip_start, min(end, clip_end) - clip_start)
    return Cut(clip_start, clip_end, speech, removed, _dropped_frames(removed, fps))


def _inner_removals(
    removals: Sequence[Span], fps: float, first: int, stop: int
) -> tuple[int, int, tuple[Span, ...]]:
    """The clip's frames [first, stop) and ``removals`` inside them, merged
    and in order; one reaching the first or last frame moves that bound
    instead (to the frame on screen at its end, or at its start: the clip's
    fades cover the few milliseconds over). The clip keeps at least a frame."""
    inner: list[Span] = []
    for a, b in sorted(removals):
        a, b = max(a, first / fps), min(b, stop / fps)
        if b <= a:
            continue
        if inner and a <= inner[-1][1]:
            inner[-1] = (inner[-1][0], max(inner[-1][1], b))
        else:
            inner.append((a, b))
    if inner and inner[0][0] * fps < first + 1:
        first = min(stop - 1, math.floor(inner.pop(0)[1] * fps + EPSILON))
    if inner and inner[-1][1] * fps > stop - 1:
        stop = max(first + 1, math.ceil(inner.pop()[0] * fps - EPSILON))
    inner = [(a, b) for a, b in inner if first / fps < a and b < stop / fps]
    return first, stop, tuple(inner)


def _dropped_frames(removed: Sequence[Span], fps: float) -> tuple[Span, ...]:
    """The frames to drop for sound ``removed``: each run starts at the frame
    nearest its removal and is as long as keeps the frames dropped so far
    within half a frame of the sound removed so far."""
    dropped: list[Span] = []
    removed_so_far, frames_so_far, floor = 0.0, 0, 0
    for a, b in removed:
        removed_so_far += b - a
        count = round(removed_so_far * fps) - frames_so_far
        start = max(round(a * fps), floor)
        if count >= 1:
            dropped.append((start / fps, (start + count) / fps))
            frames_so_far += count
            floor = start + count
    return tuple(dropped)


def plan_removals(
    timing: QuoteTiming, tightening: Tightening, silences: Sequence[Span] = ()
) -> list[Span]:
    """The stretches of a quote to leave out (episode seconds, in order):
    the middle of each pause longer than ``max_pause`` and, with
    ``cut_fillers``, each run of filler words from the silence before it to
    the silence after it. ``silences`` are the pauses the audio shows around
    the quote (none: the word times alone place the cuts)."""
    written = sorted(timing.words, key=lambda w: w.start)
    fillers = sorted(timing.fillers, key=lambda w: w.start) if tightening.cut_fillers else []
    removals = [_filler_cut(run, written, timing, silences) for run in _runs(fillers, written)]
    if tightening.max_pause is not None:
        spoken = sorted(
            [*written, *(() if tightening.cut_fillers else timing.fillers)], key=lambda w: w.start
        )
        removals += _pause_cuts(spoken, tightening.max_pause, tightening.keep_pause, silences)
    return _merged(removals)


def _runs(fillers: list[Word], written: list[Word]) -> list[list[Word]]:
    """Fillers grouped into runs no written word interrupts."""
    runs: list[list[Word]] = []
    for filler in fillers:
        if runs and not any(runs[-1][-1].start < w.start < filler.start for w in written):
            runs[-1].append(filler)
        else:
            runs.append([filler])
    return runs


def _filler_cut(
    run: list[Word], written: list[Word], timing: QuoteTiming, silences: Sequence[Span]
) -> Span:
    """From the pause before a run of fillers to the pause after it."""
    first, last = run[0], run[-1]
    before = [w for w in written if w.start < first.start]
    after = [w for w in written if w.start > last.start]
    previous = max(before, key=lambda w: w.start) if before else None
    following = min(after, key=lambda w: w.start) if after else None
    if previous is None:
        end = timing.previous_end if timing.previous_end is not None else first.start - 1.0
        previous = Word("", min(end, first.start), min(end, first.start))
    if following is None:
        start = timing.next_start if timing.next_start is not None else last.end + 1.0
        following = Word("", max(start, last.end), max(start, last.end))
    return _cut_point(previous, first, silences), _cut_point(last, following, silences)


def _silence_between(before: Word, after: Word, silences: Sequence[Span]) -> Span | None:
    """The longest silence after ``before`` starts and up to about where
    ``after`` starts (word starts are what every source gives; ends may be
    guessed, and starts are a few tens of milliseconds off)."""
    low, high = before.start + SHORTEST_WORD, after.start + SILENCE_REACH
    near = [(max(a, low), min(b, high)) for a, b in silences if a < high and b > low]
    return max(near, key=lambda s: s[1] - s[0]) if near else None


def _cut_point(before: Word, after: Word, silences: Sequence[Span]) -> float:
    """Where to cut between two words: the middle of the silence between
    them, else (words said without a pause) where the second begins, the
    time every word source gives (many guess where a word ends)."""
    quiet = _silence_between(before, after, silences)
    return (quiet[0] + quiet[1]) / 2 if quiet else after.start


def _pause_cuts(
    spoken: list[Word], max_pause: float, keep_pause: float, silences: Sequence[Span]
) -> list[Span]:
    """The middle of each pause between spoken words longer than
    ``max_pause`` (the silence the audio shows there, else the gap between
    the word times), leaving ``keep_pause``."""
    cuts = []
    for before, after in itertools.pairwise(spoken):
        low, high = _silence_between(before, after, silences) or (before.end, after.start)
        if high - low > max_pause:
            cuts.append((low + keep_pause / 2, high - keep_pause / 2))
    return cuts


def _merged(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for a, b in sorted(s for s in spans if s[1] > s[0]):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return [(round(a, 3), round(b, 3)) for a, b in out]
