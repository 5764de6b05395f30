"""The last resort: word times guessed from the transcript's line times.

A transcript line has one time (on the real site a median 21 s apart); its
words are spread evenly up to the next line's start. This is what clipper did
before it read captions or listened to the audio, and it misses by seconds on
real episodes. It also gives every other source its first guess of where a
quote is spoken, so captions and speech recognition only look near it.
"""

from __future__ import annotations

from collections.abc import Iterable

from clipper.episode import Line
from clipper.timing.model import Word

SNAP_WINDOW = 0.5  # seconds a cut may move to land in a silence


def line_words(lines: Iterable[Line]) -> list[Word]:
    """Every word of ``lines``, each given an equal share of its line's time."""
    words: list[Word] = []
    for line in lines:
        parts = line.text.split()
        step = (line.end - line.start) / max(1, len(parts))
        words += [
            Word(part, line.start + step * i, line.start + step * (i + 1))
            for i, part in enumerate(parts)
        ]
    return words


def snap_to_silence(
    t: float, silences: Iterable[tuple[float, float]], window: float = SNAP_WINDOW
) -> float:
    """The point nearest ``t`` that lies in a silence, if one is within ``window``."""
    best, distance = t, window
    for start, end in silences:
        nearest = min(max(t, start), end)
        if abs(nearest - t) <= distance:
            best, distance = nearest, abs(nearest - t)
    return best
