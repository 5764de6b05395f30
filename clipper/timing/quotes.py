"""When each quote is spoken, word by word, from the best source there is.

Sources, in order (the first whose alignment is confident enough wins):

1. ``captions``: a word-timed captions file given as ``timing_file``, else
   the words the episode's source timed (``Episode.words``), else a file found
   beside the media (``<stem>.<lang>.json3|srv3|vtt|json|srt``, which is where
   the download puts YouTube's automatic captions);
2. ``speech``: pocketsphinx on the audio around the quote (needs ``media``);
3. ``interpolated``: the transcript's line times spread over the words, the
   quote's bounds snapped to a nearby silence when the media is there.

Every source is first placed by the interpolated guess, so captions and the
recogniser only look at a window around it. Times are episode seconds; the
media must be the whole episode (not a downloaded section).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from clipper.episode import Episode, Line
from clipper.episode.transcripts import captions_beside
from clipper.errors import ClipperError, Notice, Warn, ignore
from clipper.media.ffmpeg import MediaInfo, probe
from clipper.select.quote import Quote
from clipper.timing.align import Alignment, align, is_filler
from clipper.timing.captionfiles import CaptionWords, read_captions
from clipper.timing.interpolate import SNAP_WINDOW, line_words, snap_to_silence
from clipper.timing.model import QuoteTiming, Word
from clipper.timing.pauses import pauses

if TYPE_CHECKING:
    from clipper.timing.speech import Recogniser

MIN_CONFIDENCE = 0.5  # below this a source's alignment is not trusted
NOT_FOUND = 0.35  # a quote's text aligning this poorly with its transcript is not in it
CUE_LEVEL_WEIGHT = 0.7  # captions timed per cue, not per word, are less sure
CAPTION_MARGIN = 15.0  # seconds of captions searched around the quote's lines
END_MARGIN = 1.0  # seconds words may run past the media's end (rounding, padding)
SPEECH_MARGIN = 1.5  # seconds of audio decoded around the guess ...
SPEECH_MARGIN_SHARE = 0.1  # ... plus this share of the quote's lines' length
LONG_LINE = 120.0  # seconds: a line longer than this widens the margin no further
MAX_WINDOW = 120.0  # seconds: overlapping windows are decoded together up to this length
PAUSE_REACH = 0.1  # a pause must end this close to the next word's (jittered) start
FALLBACK = "timed from the transcript"


def time_quotes(
    episode: Episode,
    quotes: Sequence[Quote],
    *,
    timing_file: Path | str | None = None,
    media: Path | str | None = None,
    speech: bool = True,
    recogniser: Recogniser | None = None,
    warn: Warn = ignore,
) -> dict[str, QuoteTiming]:
    """A :class:`QuoteTiming` for every quote, keyed by quote id.

    :param timing_file: a captions file (``--timing``); an unreadable one, one
        past the media's end or of another talk is one notice naming it, and
        the next source is used.
    :param media: the episode's whole video or audio: captions beside it are
        used, speech is recognised in it, interpolated cuts snap to its
        silences. It is probed first: a missing, unreadable or truncated file
        raises ClipperError before any other work.
    :param speech: allow speech recognition (about 0.2-0.3 s of CPU per second
        of the audio around the quotes that captions do not time).
    :param recogniser: a loaded recogniser to reuse (across episodes, or to
        read its real-time factor); one is loaded when speech is first needed.
    :param warn: receives each :class:`~clipper.errors.Notice` once: one per
        quote that fell back (saying why), one per bad file.

    Raises ClipperError when a quote's text is not in the transcript at all
    (nothing to time it on).
    """
    info = probe(media, need_video=None) if media else None
    instead = _instead(speech and info is not None and info.has_audio)
    rejected: list[str] = []
    captions = _load_captions(episode, timing_file, info, rejected.append)
    for why in rejected:
        warn(Notice(f"{why}; {instead}", episode.slug))
    timer = _Timer(episode, info, captions, speech, recogniser, warn)
    if rejected:  # said once for every quote
        timer.unusable.add("captions")
    return timer.time_all(quotes)


def _instead(speech: bool) -> str:
    """What times the quotes when captions cannot."""
    return f"quotes are timed from {'speech' if speech else 'the transcript'} instead"


def apply_timing(quote: Quote, timing: QuoteTiming) -> Quote:
    """``quote`` with its start and end from ``timing``, and where they came from."""
    return dataclasses.replace(
        quote,
        start=round(timing.start, 3),
        end=round(timing.end, 3),
        timing=timing.source,
        confidence=round(timing.confidence, 2),
    )


def _load_captions(
    episode: Episode,
    timing_file: Path | str | None,
    media: MediaInfo | None,
    reject: Callable[[str], None],
) -> CaptionWords | None:
    """The captions to time the quotes on; a file that cannot be used is
    ``reject``-ed with the reason (naming it) and None is returned."""
    path = Path(timing_file) if timing_file else None
    if path is None and episode.words:
        exact = not episode.word_ends_estimated
        return CaptionWords(episode.path, episode.words, word_level=True, exact_ends=exact)
    if path is None and media is not None:
        path = captions_beside(media.path, (episode.slug,))
    if path is None:
        return None
    try:
        captions = read_captions(path)
    except ClipperError as exc:
        reject(str(exc))
        return None
    first = captions.words[0].start
    if media is not None and first > media.duration + END_MARGIN:
        reject(
            f"{path}: its words start at {first:.0f} s, past the end of the media "
            f"({media.duration:.0f} s): captions of another recording?"
        )
        return None
    return captions


class _Timer:
    """Times one episode's quotes; holds the captions and the recognised speech.

    Why a source was passed over is collected per quote (``reasons``) and said
    in one notice with the source finally used; a source that failed for
    every quote alike (captions of another talk, silent audio, no audio
    track) is one notice naming its file instead."""

    def __init__(
        self,
        episode: Episode,
        media: MediaInfo | None,
        captions: CaptionWords | None,
        speech: bool,
        recogniser: Recogniser | None,
        warn: Warn,
    ) -> None:
        self.episode = episode
        self.media = media
        self.audio = media.path if media is not None and media.has_audio else None
        self.captions = captions
        self.speech = speech and self.audio is not None
        self.recogniser = recogniser
        self.warn = warn
        self.heard: list[tuple[float, float, list[Word]]] = []  # decoded windows
        self.reasons: dict[str, list[tuple[str, str]]] = {}  # quote id -> (source, why)
        # sources that failed for every quote, said once; a missing audio track
        # is said by whoever renders the media (its clips are silent too)
        self.unusable = {"speech"} if media is not None and self.audio is None else set()
        self.pauses_failed = False

    def time_all(self, quotes: Sequence[Quote]) -> dict[str, QuoteTiming]:
        """Captions first for every quote; the audio around the quotes they
        cannot time is then recognised in one pass (overlapping windows merged)."""
        guesses = {quote.id: self._guess(quote) for quote in quotes}
        self.reasons = {quote.id: [] for quote in quotes}
        timings: dict[str, QuoteTiming] = {}
        for quote in quotes:
            timing = self._trusted("captions", quote, self._from_captions(quote, guesses[quote.id]))
            if timing is not None:
                timings[quote.id] = timing
        pending = [quote for quote in quotes if quote.id not in timings]
        self._check_captions(bool(quotes) and not timings)
        if self.speech and pending:
            self._listen([self._speech_window(quote, guesses[quote.id]) for quote in pending])
        for quote in pending:
            timing = self._trusted("speech", quote, self._from_speech(quote, guesses[quote.id]))
            if timing is None:
                timing = self._interpolated(guesses[quote.id])
            timings[quote.id] = timing
            self._report(quote, timing)
        return timings

    def _guess(self, quote: Quote) -> Alignment:
        """Where the transcript's line times put the quote's words: in its
        own lines, else (lines that do not hold its text) anywhere."""
        lines = quote_lines(self.episode, quote)
        guess = align(quote.text, line_words(lines))
        if guess is None or not guess.words:
            raise ClipperError("no word of its text to time", self.episode.slug, quote.id)
        if guess.confidence < NOT_FOUND and len(lines) < len(self.episode.lines):
            guess = align(quote.text, line_words(list(self.episode.lines))) or guess
        if guess.confidence >= NOT_FOUND:
            return guess
        where = f"its text is not in the transcript of {self.episode.path}"
        if not quote.timed:  # nothing to cut on
            raise ClipperError(
                f"{where} (best match {guess.confidence:.0%}); fix it or give its start and end",
                self.episode.slug,
                quote.id,
            )
        self.warn(Notice(f"{where}; cut at its own times", self.episode.slug, quote.id))
        return guess

    def _trusted(self, name: str, quote: Quote, timing: QuoteTiming | None) -> QuoteTiming | None:
        if timing is None or timing.confidence >= MIN_CONFIDENCE:
            return timing
        where = self.captions.path if name == "captions" and self.captions else self.audio
        why = f"{name} in {where} match its text poorly (confidence {timing.confidence:.2f})"
        self.reasons[quote.id].append((name, why))
        return None

    def _check_captions(self, none_matched: bool) -> None:
        """Captions that time none of the quotes belong to something else."""
        if self.captions is None or not none_matched:
            return
        words = self.captions.words
        self._unusable(
            "captions",
            f"{self.captions.path}: matches none of the quotes (its words run "
            f"{words[0].start:.0f}-{words[-1].end:.0f} s): captions of another talk?; "
            + _instead(self.speech),
        )

    def _unusable(self, source: str, message: str) -> None:
        self.unusable.add(source)
        self.warn(Notice(message, self.episode.slug))

    def _report(self, quote: Quote, timing: QuoteTiming) -> None:
        """One notice for a quote that fell back, saying why, unless a notice
        for the whole file already said it."""
        reasons = [why for source, why in self.reasons[quote.id] if source not in self.unusable]
        if timing.source == "interpolated" and not self.unusable:
            reasons = reasons or ["no captions or speech to time it"]
        if reasons:
            source = FALLBACK if timing.source == "interpolated" else f"timed from {timing.source}"
            self.warn(Notice(f"{'; '.join(reasons)}; {source}", self.episode.slug, quote.id))

    def _from_captions(self, quote: Quote, guess: Alignment) -> QuoteTiming | None:
        if self.captions is None:
            return None
        lines = quote_lines(self.episode, quote)
        low = min(guess.words[0].start, lines[0].start) - CAPTION_MARGIN
        high = max(guess.words[-1].end, lines[-1].end) + CAPTION_MARGIN
        spoken = [w for w in self.captions.words if low <= w.start <= high]
        timing = _timing(quote.text, spoken, "captions")
        if timing is None:
            why = f"captions in {self.captions.path} have no words near it ({low:.0f}-{high:.0f} s)"
            self.reasons[quote.id].append(("captions", why))
            return None
        if self.media is not None and timing.end > self.media.duration + END_MARGIN:
            why = (
                f"captions in {self.captions.path} put it at {timing.start:.0f}-{timing.end:.0f} s,"
                f" past the end of {self.media.path} ({self.media.duration:.0f} s)"
            )
            self.reasons[quote.id].append(("captions", why))
            return None
        if not self.captions.word_level:
            timing = dataclasses.replace(timing, confidence=timing.confidence * CUE_LEVEL_WEIGHT)
        if not self.captions.exact_ends and self.audio is not None:
            timing = self._refine_ends(timing)
        return timing

    def _speech_window(self, quote: Quote, guess: Alignment) -> tuple[float, float]:
        """The guess widened by a margin that grows with the quote's lines
        (a long line's interpolated times are further off)."""
        lines = quote_lines(self.episode, quote)
        span = max(line.end for line in lines) - min(line.start for line in lines)
        margin = SPEECH_MARGIN + SPEECH_MARGIN_SHARE * min(span, len(lines) * LONG_LINE)
        return max(0.0, guess.words[0].start - margin), guess.words[-1].end + margin

    def _listen(self, windows: list[tuple[float, float]]) -> None:
        """Recognise the speech in ``windows``, overlapping ones once; audio
        with no sound in any of them is one notice."""
        if self.recogniser is None:
            from clipper.timing.speech import Recogniser

            self.recogniser = Recogniser()
        for start, end in merge_windows(windows, MAX_WINDOW):
            try:
                self.heard.append((start, end, self.recogniser.words(self.audio, start, end)))
            except ClipperError as exc:
                self._unusable("speech", f"{exc}; {_instead(False)}")
                return
        if not any(words for _, _, words in self.heard):
            self._unusable("speech", f"{self.audio}: no speech heard (silent?); {_instead(False)}")

    def _from_speech(self, quote: Quote, guess: Alignment) -> QuoteTiming | None:
        if "speech" in self.unusable:
            return None
        start, end = self._speech_window(quote, guess)
        for low, high, words in self.heard:
            if low <= start and end <= high:
                return _timing(quote.text, [w for w in words if start <= w.start <= end], "speech")
        return None

    def _refine_ends(self, timing: QuoteTiming) -> QuoteTiming:
        """Captions give word starts only. A pause in the audio that runs from
        after the last word's start up to the next word is the pause after the
        quote: the quote ends where it begins; likewise the previous word ends
        where the pause before the quote begins. Without such pauses (speech
        running on, a noisy recording) the estimates stay."""
        first, last = timing.start, timing.words[-1].start
        low = timing.previous_end - 1.0 if timing.previous_end is not None else first - 1.0
        high = timing.next_start if timing.next_start is not None else timing.end + 1.0
        found = self._pauses(low, high + PAUSE_REACH)
        after = [a for a, b in found if last < a < high and b >= high - PAUSE_REACH]
        before = [a for a, b in found if low < a < first and b >= first - PAUSE_REACH]
        end = min(after) if after else timing.end
        previous_end = max(before) if before else timing.previous_end
        words = (*timing.words[:-1], dataclasses.replace(timing.words[-1], end=end))
        return dataclasses.replace(timing, words=words, end=end, previous_end=previous_end)

    def _pauses(self, start: float, end: float) -> list[tuple[float, float]]:
        """The pauses in the audio; none (and one notice) when it cannot be read."""
        if self.audio is None or self.pauses_failed:
            return []
        try:
            return pauses(self.audio, start, end)
        except ClipperError as exc:
            self.pauses_failed = True
            self.warn(Notice(f"{exc}; cuts are not moved into its pauses", self.episode.slug))
            return []

    def _interpolated(self, guess: Alignment) -> QuoteTiming:
        start, end = guess.words[0].start, guess.words[-1].end
        if self.audio is not None:
            found = self._pauses(start - SNAP_WINDOW, end + SNAP_WINDOW)
            start, end = snap_to_silence(start, found), snap_to_silence(end, found)
        return QuoteTiming(guess.words, start, max(end, start + 0.1), "interpolated", 0.0)


def _timing(text: str, spoken: list[Word], source: str) -> QuoteTiming | None:
    """Align ``text`` to ``spoken`` and bound it by the neighbouring spoken words
    (a filler such as "um" next to the quote belongs to nobody: a cut may keep it)."""
    found = align(text, spoken)
    if found is None or not found.words:
        return None
    leading = list(
        itertools.takewhile(lambda w: is_filler(w.text), reversed(spoken[: found.first]))
    )
    trailing = list(itertools.takewhile(lambda w: is_filler(w.text), spoken[found.last + 1 :]))
    before = next((w for w in reversed(spoken[: found.first]) if not is_filler(w.text)), None)
    after = next((w for w in spoken[found.last + 1 :] if not is_filler(w.text)), None)
    inside = [spoken[i] for i in found.inserted]
    return QuoteTiming(
        words=found.words,
        start=found.words[0].start,
        end=found.words[-1].end,
        source=source,
        confidence=found.confidence,
        previous_end=before.end if before else None,
        next_start=after.start if after else None,
        fillers=(*leading[::-1], *inside, *trailing),
    )


def merge_windows(windows: list[tuple[float, float]], longest: float) -> list[tuple[float, float]]:
    """Overlapping windows joined, unless the join would be longer than ``longest``."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1] and max(end, merged[-1][1]) - merged[-1][0] <= longest:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def quote_lines(episode: Episode, quote: Quote) -> list[Line]:
    """The transcript lines a quote comes from: its ``lines``, else those its
    times cover, else every line (the alignment then finds the text)."""
    if quote.lines:
        wanted = set(quote.lines)
        found = [line for line in episode.lines if line.index in wanted]
        if found:
            return found
    start, end = quote.start, quote.end
    if start is not None and end is not None:
        found = [line for line in episode.lines if line.start < end and line.end > start]
        if found:
            return found
    return list(episode.lines)
