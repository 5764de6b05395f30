"""The ``clipper clips`` command."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clipper.select.quote import save_quotes
from tests.factories import clip_quote
from tests.videos import test_videos

__all__ = ["test_videos"]

pytestmark = pytest.mark.slow


def test_clips_command_cuts_the_quotes_of_a_file(invoke, example_episode, test_videos, tmp_path):
    quotes = tmp_path / "quotes.yaml"
    picks = [clip_quote("good", 0.5, 1.5), clip_quote("late", 3.5, 8.0)]
    save_quotes(quotes, [replace(quote, episode="") for quote in picks])
    result = invoke(
        "clips",
        example_episode,
        *("--quotes", quotes, "--video", test_videos["25"].path, "--shape", "9:16"),
        *("--no-captions", "--pad", "0.1", "--out", tmp_path / "out"),
    )
    assert result.exit_code == 1, result.output
    clip = tmp_path / "out" / "from-warehouse-floor-to-analytics-engineering" / "clips"
    assert str(clip / "good-9x16.mp4") in result.output
    assert (clip / "good-9x16.mp4").is_file() and not (clip / "late-9x16.mp4").exists()
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "quote late" in errors[0]
    assert "Traceback" not in result.output


def test_clips_command_without_a_video_fails_in_one_line(invoke, example_episode, tmp_path):
    quotes = tmp_path / "quotes.yaml"
    save_quotes(quotes, [replace(clip_quote("q1", 0.5, 1.5), episode="")])
    result = invoke("clips", example_episode, "--quotes", quotes, "--video", tmp_path / "nope.mp4")
    assert result.exit_code != 0
    assert result.output.strip().splitlines()[-1].startswith("Error: ")
    assert "nope.mp4 not found" in result.output
