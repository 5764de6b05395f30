"""Audiograms: an audio-only episode gives every shape with sound, a moving
waveform, captions and a poster."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest

from clipper.errors import ClipperError
from clipper.media.ffmpeg import ffmpeg_exe, probe
from clipper.render.audiogram import plan_audiogram, render_audiograms
from tests import factories
from tests.videos import decode_gray_frames

pytestmark = pytest.mark.slow

TEXT = "Start from the decision someone has to make, not from the data you happen to have."


def make_audio(path, seconds: float = 3.0):
    """A sine sweep with noise bursts (a waveform that changes all the time)."""
    subprocess.run(
        [
            *(ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"),
            *("-f", "lavfi", "-i", f"aevalsrc=0.5*sin(2*PI*(200+150*t)*t):s=44100:d={seconds}"),
            *("-f", "lavfi", "-i", f"anoisesrc=d={seconds}:a=0.4:r=44100:seed=7"),
            "-filter_complex",
            "[1]volume='lt(mod(t,0.7),0.25)':eval=frame[n];[0][n]amix=inputs=2",
            str(path),
        ],
        check=True,
    )
    return path


def test_an_audio_only_episode_gives_every_shape(tmp_path):
    audio = make_audio(tmp_path / "episode.m4a")
    episode = factories.make_episode(tmp_path)
    quote = factories.make_quote(TEXT, start=0.5, end=2.3)
    results = render_audiograms(episode, [quote], tmp_path / "out", audio=audio)
    sizes = {r.shape: (probe(r.video).width, probe(r.video).height) for r in results}
    assert sizes == {"16:9": (1920, 1080), "1:1": (1080, 1080), "9:16": (1080, 1920)}
    for result in results:
        assert result.error is None
        info = probe(result.video)
        assert info.audio_codec == "aac"
        assert info.duration == pytest.approx(result.end - result.start, abs=0.1)
        assert result.end - result.start == pytest.approx(2.4, abs=0.04)
        assert probe(result.poster).width == info.width
        assert "decision someone" in result.srt.read_text(encoding="utf-8").replace("\n", " ")
        frames, _ = decode_gray_frames(result.video)
        wave = plan_audiogram(result.shape, 1.6).wave
        band = frames[:, wave.y : wave.y + wave.height, wave.x : wave.x + wave.width]
        changes = np.abs(np.diff(band.astype(np.int16), axis=0)).mean(axis=(1, 2))
        assert (changes > 0.5).mean() > 0.9  # the waveform moves in (nearly) every frame
        captions = plan_audiogram(result.shape, 1.6).layout.captions.y
        text_rows = frames[len(frames) // 2, captions : captions + 80]
        assert (text_rows > 230).mean() > 0.01  # white caption text on the dark theme


def test_a_file_without_audio_is_one_error(tmp_path):
    silent = tmp_path / "picture.mp4"
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "color=s=64x64:d=1", str(silent)],
        check=True,
    )
    episode = factories.make_episode(tmp_path)
    with pytest.raises(ClipperError, match="no audio stream"):
        render_audiograms(episode, [factories.make_quote(TEXT)], tmp_path, audio=silent)


def test_clips_command_makes_audiograms_from_audio(example_episode, tmp_path):
    from click.testing import CliRunner

    from clipper.cli import main

    audio = make_audio(tmp_path / "episode.wav", seconds=5.0)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            *("clips", str(example_episode), "--audio", str(audio), "--shape", "1:1"),
            *("--at", "0:00", "--max-seconds", "60", "--out", str(out)),
        ],
    )
    clips = list(out.glob("*/clips/*-1x1.mp4"))
    assert clips and str(clips[0]) in result.output, result.output
    assert probe(clips[0]).has_audio


def test_batch_takes_audio_when_there_is_no_video(tmp_path):
    from clipper.batch.config import Settings
    from clipper.batch.plan import find_video

    sources = {"site_root": str(tmp_path), "folder": "ep"}
    (tmp_path / "audio").mkdir()
    (tmp_path / "audio" / "ep.m4a").write_bytes(b"")
    assert find_video(sources, Settings()) == (tmp_path / "audio" / "ep.m4a").resolve()
    (tmp_path / "video").mkdir()
    (tmp_path / "video" / "ep.mp4").write_bytes(b"")
    assert find_video(sources, Settings()) == (tmp_path / "video" / "ep.mp4").resolve()
