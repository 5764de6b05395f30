"""The ``clipper clips`` command."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from clipper.media.ffmpeg import probe
from clipper.render import framing
from clipper.select.quote import save_quotes
from tests.factories import clip_quote
from tests.subtitles import vtt_word_times
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
    assert "nope.mp4: video file not found" in result.output


def test_a_quote_given_only_its_text_is_cut_on_its_spoken_words(invoke, example_site, tmp_path):
    """The example ships word-timed captions beside its video: a quote with no
    times is found, timed and cut in the silences around its words."""
    episode = next((example_site / "_podcast").glob("*.md"))
    captions = example_site / "video" / f"{episode.stem}.en.json"
    words = [w for s in json.loads(captions.read_text())["segments"] for w in s["words"]]
    text = "Joining this community was the best decision I made that year."
    first = next(i for i, w in enumerate(words) if w["word"].lower() == "joining")
    last = first + len(text.split()) - 1
    assert words[last]["word"] == "year."
    quotes = tmp_path / "quotes.yaml"
    quotes.write_text(f"- id: q1\n  text: {text}\n", encoding="utf-8")
    video = captions.with_name(f"{episode.stem}.mp4")
    result = invoke(
        "clips",
        episode,
        *("--quotes", quotes, "--video", video, "--shape", "9:16", "--out", tmp_path / "out"),
    )
    assert result.exit_code == 0, result.output
    assert "warning:" not in result.output  # timed from the captions, framed on a face
    clip = tmp_path / "out" / episode.stem / "clips" / "q1-9x16"
    poster = np.asarray(Image.open(clip.with_suffix(".jpg")).convert("L"))
    (face,) = framing.find_faces(poster, 0.0)  # the speaker's, near the middle
    assert abs((face.x + face.w / 2) / poster.shape[1] - 0.5) < 0.1, face
    start, end = words[first]["start"], words[last]["end"]
    begin = max(start - 0.3, (words[first - 1]["end"] + start) / 2)
    finish = min(end + 0.3, (end + words[last + 1]["start"]) / 2)
    assert probe(clip.with_suffix(".mp4")).duration == pytest.approx(finish - begin, abs=0.08)
    spoken = [t for cue in vtt_word_times(clip.with_suffix(".vtt").read_text()) for t in cue]
    assert spoken[0] == pytest.approx(start - begin, abs=0.05)  # "Joining", in clip time
