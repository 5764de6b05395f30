"""Pauses found relative to the recording's own noise floor and speech level."""

from __future__ import annotations

import math
import random
import struct

import pytest

from clipper.timing.pauses import find_pauses, frame_levels


def test_frame_levels_measure_rms_loudness():
    full_scale = struct.pack("<160h", *([32767, -32767] * 80))  # one 10 ms frame
    silent = bytes(320)
    levels = frame_levels(full_scale + silent)
    assert levels[0] == pytest.approx(0.0, abs=0.01) and levels[1] == -100.0


def speech_with_gaps(noise_db: float) -> list[float]:
    """1 s of speech (-20 dB, with a soft 30 ms dip inside a word), a 300 ms
    pause, 1 s of speech; the pause sits at the noise level."""
    rng = random.Random(1)
    speech = [-20 + rng.uniform(-4, 4) for _ in range(100)]
    speech[50:53] = [-45.0] * 3  # a stop closure: too short to be a pause
    pause = [noise_db + rng.uniform(-3, 3) for _ in range(30)]
    return [*speech, *pause, *speech]


@pytest.mark.parametrize("noise_db", [-100.0, -70.0, -45.0])
def test_the_pause_between_words_is_found_whatever_the_noise_floor(noise_db):
    found = find_pauses(speech_with_gaps(noise_db), offset=10.0)
    assert len(found) == 1
    start, end = found[0]
    assert math.isclose(start, 11.0, abs_tol=0.011) and math.isclose(end, 11.3, abs_tol=0.011)


def test_no_pause_in_continuous_speech_or_empty_audio():
    assert find_pauses([-20.0 + (i % 3) for i in range(200)]) == []
    assert find_pauses([]) == []
