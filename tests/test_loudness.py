"""Loudness: every clip and audiogram comes out at the platforms' level
(-14 LUFS integrated, true peak under -1 dBTP) unless told otherwise."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from clipper.batch.config import parse_settings
from clipper.errors import ClipperError
from clipper.media.ffmpeg import ffmpeg_exe, probe
from clipper.media.loudness import measure_loudness, parse_ebur128
from clipper.render.audiogram import render_audiograms
from tests import factories
from tests.conftest import EXAMPLE_SITE

TEXT = "Start from the decision someone has to make, not from the data you happen to have."

SUMMARY = """[Parsed_ebur128_0 @ 0x1] Summary:

  Integrated loudness:
    I:         -25.3 LUFS
    Threshold: -35.6 LUFS

  Loudness range:
    LRA:         5.6 LU
    Threshold: -47.5 LUFS
    LRA low:   -30.7 LUFS
    LRA high:  -25.1 LUFS

  True peak:
    Peak:       -5.6 dBFS
"""


def loudness_of(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) of a whole file."""
    measured = measure_loudness(path, 0.0, probe(path, need_video=False).duration + 1)
    assert measured is not None
    return measured.integrated, measured.true_peak


def test_the_meter_summary_is_read():
    measured = parse_ebur128("frame lines\n" + SUMMARY)
    assert measured is not None
    assert (measured.integrated, measured.threshold) == (-25.3, -35.6)
    assert (measured.lra, measured.true_peak) == (5.6, -5.6)
    assert parse_ebur128("no summary here") is None


@pytest.mark.parametrize(
    ("given", "target"), [(-14, -14.0), ("-16.5", -16.5), ("off", None), (False, None)]
)
def test_clipper_yaml_takes_a_target_or_off(given, target):
    settings = parse_settings({"clips": {"loudness": given}}, Path("."))
    assert settings.clips.loudness == target
    assert parse_settings({}, Path(".")).clips.loudness == -14.0


@pytest.mark.parametrize("given", [-3, "loud", True])
def test_a_bad_target_names_the_key(given):
    with pytest.raises(ClipperError, match=r"clips\.loudness"):
        parse_settings({"clips": {"loudness": given}}, Path("."))


def test_a_bad_target_on_the_command_line_is_a_usage_error(invoke, example_episode):
    result = invoke("clips", example_episode, "--loudness", "-60")
    assert result.exit_code == 2
    assert "outside -40 to -5 LUFS" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_every_clip_of_the_example_is_at_the_platform_loudness(invoke, tmp_path):
    """The example's speech measures about -25 LUFS as recorded. One shape
    stands for all: every shape of a quote gets the same audio chain."""
    config = tmp_path / "clipper.yaml"
    config.write_text('cards: {enabled: false}\nclips: {shapes: ["1:1"]}\n', encoding="utf-8")
    result = invoke("batch", EXAMPLE_SITE, "--config", config, "--out", tmp_path / "out", "-j", "1")
    assert result.exit_code == 0, result.output
    clips = sorted((tmp_path / "out").glob("*/clips/*.mp4"))
    assert len(clips) >= 5
    for clip in clips:
        integrated, peak = loudness_of(clip)
        assert -15.0 <= integrated <= -13.0, (clip.name, integrated)
        assert peak <= -1.0, (clip.name, peak)


def quiet_speechlike_audio(path: Path, seconds: float = 4.0) -> Path:
    """Noise bursts at a syllable rate, far quieter than the platforms play."""
    subprocess.run(
        [
            *(ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"),
            # seeded: AAC codes dense noise with up to ~2 dB of overshoot in
            # true peak, and one unseeded draw in a few dozen peaked over -1 dBTP
            *("-f", "lavfi", "-i", f"anoisesrc=d={seconds}:a=0.05:r=44100:c=pink:seed=7"),
            *("-af", "volume='0.2+0.8*lt(mod(t,0.3),0.18)':eval=frame", str(path)),
        ],
        check=True,
    )
    return path


@pytest.mark.slow
def test_audiograms_are_levelled_and_off_keeps_the_source_level(tmp_path):
    audio = quiet_speechlike_audio(tmp_path / "episode.wav")
    source, _ = loudness_of(audio)
    assert source < -25
    episode = factories.make_episode(tmp_path)
    quote = factories.make_quote(TEXT, start=0.5, end=3.5)
    for target, folder in ((-14.0, "levelled"), (None, "as-is")):
        (result,) = render_audiograms(
            episode, [quote], tmp_path / folder, audio=audio, shapes=("1:1",), loudness=target
        )
        integrated, peak = loudness_of(result.video)
        expected = source if target is None else target
        assert integrated == pytest.approx(expected, abs=1.0), folder
        assert peak <= -1.0
