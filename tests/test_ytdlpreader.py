"""A video as a SOURCE: a yt-dlp .info.json with the captions beside it
(offline), or a URL that yt-dlp turns into those (here a page on 127.0.0.1)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from clipper.episode import ytdlpreader
from clipper.episode.sources import SourceRequest, open_episode, reader_for
from clipper.errors import ClipperError
from clipper.media.source import fetch_info
from tests.conftest import PROJECT, SPEECH_CAPTIONS
from tests.loopback import serve

PORTRAIT = PROJECT / "assets" / "example-feed" / "images" / "people" / "dana.jpg"
UPLOADED = """WEBVTT

00:00:00.500 --> 00:00:05.000
<v Mara>Welcome back to the show, written out by hand this time.
"""


def info(**fields: object) -> dict:
    return {
        "id": "dQw4w9WgXcQ",
        "title": "Word timing, with Ines Kowalczyk",
        "extractor_key": "Youtube",
        "channel": "Mara Petrova",
        "duration": 60,
        "webpage_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "chapters": [
            {"start_time": 0.0, "end_time": 20.0, "title": "Hello"},
            {"start_time": 20.0, "end_time": 60.0, "title": "The work"},
        ],
        "subtitles": {},
        "automatic_captions": {"en": [{"ext": "json3"}]},
        **fields,
    }


def saved(folder: Path, fields: dict, captions: dict[str, Path | str]) -> Path:
    """What ``yt-dlp --write-info-json --write-subs --write-auto-subs
    --write-thumbnail -o talk`` leaves: talk.info.json, talk.<lang>.<ext>, talk.jpg."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "talk.info.json"
    path.write_text(json.dumps(fields), encoding="utf-8")
    for name, content in captions.items():
        target = folder / f"talk.{name}"
        if isinstance(content, Path):
            shutil.copy(content, target)
        else:
            target.write_text(content, encoding="utf-8")
    shutil.copy(PORTRAIT, folder / "talk.jpg")
    return path


def test_video_site_urls_and_info_files_go_to_yt_dlp_other_urls_to_the_feed_reader():
    for source in ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://youtu.be/dQw4w9WgXcQ",
                   "https://vimeo.com/123", "talk.info.json"):  # fmt: skip
        assert reader_for(source).kind == "video", source
    for source in ("https://feeds.example.org/show", "https://notyoutube.com/x", "show.rss"):
        assert reader_for(source).kind == "feed", source


def test_an_info_json_reads_offline_with_its_automatic_captions_and_word_times(tmp_path):
    path = saved(tmp_path / "v", info(), {"en.json3": SPEECH_CAPTIONS})
    assert reader_for(str(path)).kind == "video"
    episode = open_episode(path)
    assert episode.title == "Word timing, with Ines Kowalczyk"
    assert episode.youtube_id == "dQw4w9WgXcQ" and episode.slug == "dqw4w9wgxcq"
    assert episode.media is None  # a YouTube video: downloaded by its id when clips are cut
    assert episode.sections[0].title == "Hello"  # chapters (unpunctuated: one sentence so far)
    assert episode.artwork == tmp_path / "v" / "talk.jpg"
    assert episode.page_url == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert episode.words and episode.words[0].text.lower().startswith("welcome")
    assert {line.speaker_name for line in episode.lines} == {"Speaker"}  # captions name nobody
    assert episode.show == "Mara Petrova"  # the channel


def test_uploaded_subtitles_win_over_automatic_captions(tmp_path):
    fields = info(subtitles={"en": [{"ext": "vtt"}]}, automatic_captions={"en-orig": []})
    path = saved(tmp_path, fields, {"en-orig.json3": SPEECH_CAPTIONS, "en.vtt": UPLOADED})
    episode = open_episode(path)
    assert [line.text for line in episode.lines] == [
        "Welcome back to the show, written out by hand this time."
    ]
    assert episode.words == ()  # cue times only: no word times to cut on


def test_another_language_is_asked_for_by_lang(tmp_path):
    path = saved(tmp_path, info(), {"en.json3": SPEECH_CAPTIONS, "de.vtt": UPLOADED})
    assert (
        open_episode(path, lang="de").lines[0].text.startswith("Welcome back to the show, written")
    )
    with pytest.raises(ClipperError, match=r"no captions in 'fr' beside it \(found: de, en\)"):
        open_episode(path, lang="fr")


def test_an_info_json_without_captions_is_one_line_naming_it(invoke, tmp_path):
    path = saved(tmp_path, info(automatic_captions={}), {})
    result = invoke("select", path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith(f"Error: {path}: no captions in 'en' beside it")
    assert result.output.count("\n") == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a yt-dlp info.json (not JSON)"),
        ('{"title": "x"}', "not a yt-dlp info.json (no video id)"),
    ],
)
def test_a_broken_info_json_is_named(tmp_path, content, message):
    path = tmp_path / "x.info.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ClipperError, match=re.escape(f"{path}: {message}")):
        open_episode(path)


def test_ids_from_the_file_are_checked_before_they_name_anything(tmp_path):
    fields = info(id="../../etc/passwd", extractor_key="Youtube")
    episode = open_episode(saved(tmp_path, fields, {"en.json3": SPEECH_CAPTIONS}))
    assert episode.youtube_id is None and "/" not in episode.slug and ".." not in episode.slug


def test_a_language_code_is_checked_before_it_reaches_yt_dlp(tmp_path):
    with pytest.raises(ClipperError, match="expected a code such as en"):
        fetch_info("https://www.youtube.com/watch?v=dQw4w9WgXcQ", ".*", tmp_path)
    with pytest.raises(ClipperError, match="not an http"):
        fetch_info("file:///etc/passwd", "en", tmp_path)


def test_a_url_goes_through_yt_dlp_into_the_cache_and_reads_like_a_saved_info(tmp_path):
    """yt-dlp's own options, offline: its generic extractor reads a page on
    127.0.0.1 with a <video> and a captions <track>, and writes the info and
    the captions; nothing is downloaded twice."""
    page = tmp_path / "site"
    page.mkdir()
    (page / "talk.html").write_text(
        "<!DOCTYPE html><html><head><title>Boats at sea</title></head><body>"
        '<video src="talk.mp4"><track kind="captions" src="talk.en.vtt" srclang="en"></video>'
        "</body></html>",
        encoding="utf-8",
    )
    (page / "talk.en.vtt").write_text(UPLOADED, encoding="utf-8")
    cache = tmp_path / "cache"
    with serve(page) as site:
        url = site.url + "talk.html"
        request = SourceRequest(cache_dir=cache)  # a URL off the video sites reads as a feed
        episode, again = ytdlpreader.read(url, request), ytdlpreader.read(url, request)
    assert episode.lines[0].text == again.lines[0].text
    assert episode.lines[0].text.startswith("Welcome back to the show")
    assert episode.media == url and episode.youtube_id is None
    assert site.requests.count("/talk.en.vtt") == 1 and "/talk.mp4" not in site.requests
    (info_file,) = cache.glob("info/*/video.info.json")
    assert info_file.with_name("video.en.vtt").is_file()
