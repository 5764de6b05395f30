"""Where the speaker pauses, from the loudness of the audio itself.

A fixed silence threshold fails both ways: recordings with a noise floor above
it have no "silence" at all, and in clean ones a word's soft last sound (the
release of a final "t") falls below it and the word seems to end early. So
the threshold sits between the window's own noise floor (its quietest frames)
and its speech level (its loudest), and a pause is a run of frames below it.
"""

from __future__ import annotations

import math
from array import array
from pathlib import Path

from clipper.timing.speech import SAMPLE_RATE, read_pcm

FRAME = 0.01  # seconds per loudness frame
MIN_PAUSE = 0.05  # seconds: shorter dips are inside words
FLOOR_SHARE = 0.25  # the threshold lies this far from the floor towards the speech level
MIN_RISE_DB = 6.0  # ... and at least this far above the floor
DEPTH_DB = 35.0  # ... and no more than this below the speech level (clean recordings)
MIN_CONTRAST_DB = 15.0  # speech this little above the floor shows no pause
QUIET_DB = -100.0  # digital silence


def frame_levels(pcm: bytes) -> list[float]:
    """Loudness (dBFS, RMS) of each 10 ms frame of 16-bit mono ``pcm``."""
    samples = array("h")
    samples.frombytes(pcm[: len(pcm) // 2 * 2])
    size = int(SAMPLE_RATE * FRAME)
    levels = []
    for i in range(0, len(samples) - size + 1, size):
        power = sum(s * s for s in samples[i : i + size]) / size
        levels.append(10 * math.log10(power / 32768**2) if power else QUIET_DB)
    return levels


def find_pauses(levels: list[float], offset: float = 0.0) -> list[tuple[float, float]]:
    """(start, end) seconds of the runs of quiet frames at least MIN_PAUSE long."""
    if not levels:
        return []
    ranked = sorted(levels)
    floor, speech = ranked[len(ranked) // 20], ranked[len(ranked) * 19 // 20]
    if speech - floor < MIN_CONTRAST_DB:
        return []  # all speech, or all noise: nothing stands out as a pause
    threshold = max(floor + max(MIN_RISE_DB, FLOOR_SHARE * (speech - floor)), speech - DEPTH_DB)
    pauses, opened = [], None
    for i, level in enumerate([*levels, math.inf]):
        if level < threshold and opened is None:
            opened = i
        elif level >= threshold and opened is not None:
            if (i - opened) * FRAME >= MIN_PAUSE:
                pauses.append((offset + opened * FRAME, offset + i * FRAME))
            opened = None
    return pauses


def pauses(media: Path, start: float, end: float) -> list[tuple[float, float]]:
    """The pauses in ``media`` between ``start`` and ``end`` (media seconds)."""
    start = max(0.0, start)
    return find_pauses(frame_levels(read_pcm(media, start, end)), start)
