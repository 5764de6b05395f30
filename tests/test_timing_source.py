"""YouTube automatic captions fetched with the video, without the network:
the yt-dlp options, and the caption file picked up from the download cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from clipper.episode import load_episode
from clipper.errors import ClipperError
from clipper.media import source
from clipper.media.ffmpeg import probe
from clipper.timing.quotes import time_quotes
from tests.conftest import SPEECH_CAPTIONS, SPEECH_EPISODE, SPEECH_MEDIA
from tests.factories import make_quote

URL = "https://www.youtube.com/watch?v=spEEchFixt1"


def test_caption_options_ask_for_automatic_captions_only(tmp_path):
    options = source.caption_options(tmp_path, ("en", "de"))
    assert options["writeautomaticsub"] and options["skip_download"]
    assert not options["writesubtitles"]
    assert options["subtitleslangs"] == ["en", "de"]
    assert options["subtitlesformat"].startswith("json3/")
    assert options["paths"]["home"] == str(tmp_path)


@pytest.fixture
def cached_video(tmp_path) -> Path:
    """The fixture video as a verified earlier download of URL."""
    video = tmp_path / "spEEchFixt1.mp4"
    shutil.copy(SPEECH_MEDIA, video)
    video.with_suffix(".json").write_text(
        json.dumps({"url": URL, "duration": probe(video).duration})
    )
    return video


def fake_ytdlp(calls: list, fail: bool = False):
    """Stands in for yt-dlp: records the options and writes what it would."""

    def run(url, options, ranges=()):
        calls.append(options)
        if fail:
            raise ClipperError(f"{url}: download failed: HTTP Error 429")
        shutil.copy(SPEECH_CAPTIONS, Path(options["paths"]["home"]) / "video.en.json3")

    return run


def test_captions_come_with_the_download_and_are_picked_up_from_the_cache(
    cached_video, monkeypatch
):
    calls: list = []
    monkeypatch.setattr(source, "_run_ytdlp", fake_ytdlp(calls))
    assert source.download(URL, cached_video.parent) == cached_video
    assert calls and calls[0]["writeautomaticsub"]
    beside = cached_video.with_name("spEEchFixt1.en.json3")
    assert beside.read_bytes() == SPEECH_CAPTIONS.read_bytes()
    source.download(URL, cached_video.parent)
    assert len(calls) == 1  # fetched once, remembered in the download record

    episode = load_episode(SPEECH_EPISODE)
    quote = make_quote("It is fine if it is ugly.", lines=[], start=33.0, end=49.0)
    timing = time_quotes(episode, [quote], media=cached_video, speech=False)[quote.id]
    assert timing.source == "captions"
    assert abs(timing.start - 41.569) < 0.05


def test_a_caption_failure_never_costs_the_video(cached_video, monkeypatch):
    calls: list = []
    monkeypatch.setattr(source, "_run_ytdlp", fake_ytdlp(calls, fail=True))
    assert source.download(URL, cached_video.parent) == cached_video
    assert not list(cached_video.parent.glob("*.json3"))
    assert json.loads(cached_video.with_suffix(".json").read_text())["captions"] is None
    source.download(URL, cached_video.parent)
    assert len(calls) == 1


def test_other_sites_have_no_automatic_captions_to_fetch(tmp_path, monkeypatch):
    url = "https://example.com/talk.mp4"
    video = tmp_path / f"{source.cache_key(url)}.mp4"
    shutil.copy(SPEECH_MEDIA, video)
    video.with_suffix(".json").write_text(
        json.dumps({"url": url, "duration": probe(video).duration})
    )
    calls: list = []
    monkeypatch.setattr(source, "_run_ytdlp", fake_ytdlp(calls))
    assert source.download(url, tmp_path) == video
    assert calls == []
