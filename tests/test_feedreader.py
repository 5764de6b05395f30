"""A podcast feed as a SOURCE: one item read as an episode, by URL (served on
127.0.0.1) or as a local file; bad feeds, items and transcripts get one line."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from clipper.episode import importer
from clipper.episode.feedreader import html_as_text, parse_chapters
from clipper.episode.sources import open_episode
from clipper.errors import ClipperError
from clipper.select.candidates import speaker_turns
from clipper.select.features import EpisodeFacts
from clipper.select.joins import JOIN_FEATURES, boundary_values
from tests.conftest import PROJECT
from tests.loopback import serve

EXAMPLE = PROJECT / "assets" / "example-feed"

VTT = """WEBVTT

00:00:00.000 --> 00:00:04.000
<v Ann Host>Welcome to the show. Today my guest is Bo Guest, who

00:00:04.000 --> 00:00:06.000
<v Ann Host>builds boats.

00:00:06.500 --> 00:00:12.000
<v Bo Guest>Thanks Ann. A boat you can fix at sea beats a fast boat you cannot fix at all.
"""
SRT = """1
00:00:00,000 --> 00:00:05,000
Ann Host: Welcome to the show, in plain subtitles this time around.
"""
HTML = """<html><body>
<cite>Ann Host:</cite><time>0:00</time><p>Welcome to the show, in HTML this time.</p>
<cite>Bo Guest:</cite><time>0:06</time><p>Sails are cheaper than engines, and they never run dry.</p>
</body></html>"""


def write_feed(folder: Path, items: list[str], channel: str = "") -> Path:
    feed = folder / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0" '
        'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
        'xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel>'
        "<title>Boats</title><language>en</language>"
        f"<itunes:author>Ann Host</itunes:author>{channel}{''.join(items)}</channel></rss>",
        encoding="utf-8",
    )
    return feed


def item(guid: str, *tags: str, day: int = 1) -> str:
    return (
        f"<item><title>Episode {guid}</title><guid>{guid}</guid>"
        f"<pubDate>Mon, {day:02d} Jun 2026 09:00:00 GMT</pubDate>"
        f'<enclosure url="{guid}.mp3" type="audio/mpeg" length="1"/>{"".join(tags)}</item>'
    )


def transcript(url: str, kind: str, lang: str = "") -> str:
    language = f' language="{lang}"' if lang else ""
    return f'<podcast:transcript url="{url}" type="{kind}"{language}/>'


@pytest.fixture
def boats(tmp_path: Path) -> Path:
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "a.vtt").write_text(VTT, encoding="utf-8")
    (folder / "a.srt").write_text(SRT, encoding="utf-8")
    (folder / "a.html").write_text(HTML, encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    return folder


def test_the_example_feed_by_url_gives_the_newest_item_with_its_files_in_the_cache(tmp_path):
    with serve(EXAMPLE) as site:
        episode = open_episode(site.url + "feed.xml", cache_dir=tmp_path / "cache")
    assert episode.slug == "small-batch-data-002"
    assert episode.title == "Boring pipelines win, with Priya Nair"
    assert (episode.season, episode.number, str(episode.date)) == (1, 2, "2026-11-16")
    assert episode.media == site.url + "audio/small-batch-data-002.mp3"
    assert episode.page_url == "https://example.org/small-batch-data/small-batch-data-002"
    assert [s.title for s in episode.sections] == [
        "Welcome",
        "Why boring wins",
        "Advice for new teams",
    ]
    assert (episode.host.name, [g.name for g in episode.guests]) == ("Dana Reyes", ["Priya Nair"])
    assert episode.role_reasons["priya-nair"] == "podcast:person role guest"
    cache = (tmp_path / "cache").resolve()
    for image in (episode.artwork, episode.host.photo, episode.guests[0].photo):
        assert image.is_file() and image.resolve().is_relative_to(cache)
    assert (
        episode.artwork.read_bytes()
        == (EXAMPLE / "images" / "small-batch-data-002.jpg").read_bytes()
    )
    guest_lines = [line.text for line in episode.lines if line.role == "guest"]
    assert any(
        text.startswith("A pipeline nobody talks about is a pipeline that works.")
        for text in guest_lines
    )
    assert "/transcripts/small-batch-data-002.vtt" in site.requests


def test_select_and_inspect_take_a_feed_and_an_item(invoke, tmp_path):
    feed = EXAMPLE / "feed.xml"
    result = invoke("select", feed, "--item", "small-batch-data-001", "--json", "--top", "2")
    assert result.exit_code == 0, result.output
    picks = json.loads(result.output)
    assert picks and all(p["episode"] == "small-batch-data-001" for p in picks)
    assert {p["speaker_name"] for p in picks} == {"Marco Alvarez"}
    shown = invoke("inspect", feed, "--item", "1").output
    assert "Boring pipelines win" in shown and "Why boring wins" in shown
    assert "show:     Small Batch Data" in shown


def test_vtt_is_preferred_and_the_language_asked_for_comes_first(boats):
    write_feed(boats, [item("one", transcript("a.srt", "application/x-subrip", "en"),
                            transcript("a.html", "text/html"),
                            transcript("a.vtt", "text/vtt", "es"))])  # fmt: skip
    spanish = open_episode(boats / "feed.xml", lang="es", cache_dir=boats / "cache")
    assert "fix at sea" in spanish.lines[-1].text  # the VTT
    english = open_episode(boats / "feed.xml", lang="en", cache_dir=boats / "cache")
    assert [line.text for line in english.lines] == [
        "Welcome to the show, in plain subtitles this time around."
    ]


def test_voices_become_speakers_and_a_cue_cut_mid_sentence_joins_its_sentence(boats):
    write_feed(boats, [item("one", transcript("a.vtt", "text/vtt"),
                            '<podcast:person role="guest">Bo Guest</podcast:person>',
                            '<podcast:person role="host">Ann Host</podcast:person>')])  # fmt: skip
    episode = open_episode(boats / "feed.xml", cache_dir=boats / "cache")
    assert [(line.speaker_name, line.role) for line in episode.lines] == [
        ("Ann Host", "host"),
        ("Bo Guest", "guest"),
    ]
    assert episode.lines[0].text.endswith("Today my guest is Bo Guest, who builds boats.")


def test_an_html_transcript_is_read_with_its_speakers(boats):
    write_feed(boats, [item("one", transcript("a.html", "text/html"))])
    episode = open_episode(boats / "feed.xml", cache_dir=boats / "cache")
    assert [(line.speaker_name, line.start) for line in episode.lines] == [
        ("Ann Host", 0.0),
        ("Bo Guest", 6.0),
    ]
    assert html_as_text("<cite>A:</cite><p>Hi there.</p>") == "A: Hi there.\n"


def test_the_show_people_and_author_stand_in_when_the_item_names_nobody(boats):
    channel = '<podcast:person img="ann.jpg">Ann Host</podcast:person>'
    shutil.copy(EXAMPLE / "images" / "people" / "dana.jpg", boats / "ann.jpg")
    write_feed(boats, [item("one", transcript("a.vtt", "text/vtt"))], channel)
    episode = open_episode(boats / "feed.xml", cache_dir=boats / "cache")
    assert episode.host.name == "Ann Host" and episode.host.photo.is_file()
    assert episode.role_reasons["ann-host"] == "podcast:person role host"
    assert episode.show == "Boats"  # the feed's title names the show its cards carry


def test_chapters_that_fail_are_a_warning_not_an_error(boats):
    write_feed(boats, [item("one", transcript("a.vtt", "text/vtt"),
                            '<podcast:chapters url="missing.json" type="application/json+chapters"/>')])  # fmt: skip
    episode = open_episode(boats / "feed.xml", cache_dir=boats / "cache")
    assert episode.lines and episode.sections == []
    assert [w.code for w in episode.warnings if w.code == "no-chapters"] == ["no-chapters"]


def test_json_chapters_keep_order_and_drop_silent_ones():
    data = b'{"version":"1.2.0","chapters":[{"startTime":90,"title":"B"},{"startTime":0,"title":"A"},{"startTime":50,"toc":false}]}'
    assert parse_chapters(data, "c.json") == [("A", 0.0), ("B", 90.0)]
    with pytest.raises(ClipperError, match=r"c\.json: not a JSON chapters file"):
        parse_chapters(b'{"chapters": 3}', "c.json")


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ((), "item 'one' (Episode one) has no transcript (no podcast:transcript link)"),
        (
            (transcript("notes.pdf", "application/pdf"),),
            "transcript in an unknown format (application/pdf)",
        ),
        (
            (transcript("gone.vtt", "text/vtt"),),
            "gone.vtt: the transcript did not download (HTTP 404)",
        ),
    ],
)
def test_an_item_without_a_usable_transcript_is_one_error_naming_it(invoke, boats, tags, message):
    write_feed(boats, [item("one", *tags)])
    with serve(boats) as site:
        url = site.url + "feed.xml"
        with pytest.raises(ClipperError, match=re.escape(message)) as error:
            open_episode(url, cache_dir=boats / "cache")
        result = invoke("select", url)
    assert str(error.value).startswith(f"{url}: item 'one'")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.count("\n") == 1 and "item 'one'" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<!DOCTYPE html><html><body>Sign in</body></html>", "an HTML page, not a podcast feed"),
        ("<rss><channel><item></channel>", "broken XML"),
    ],
)
def test_a_feed_url_that_answers_no_feed_is_one_line(invoke, tmp_path, content, message):
    (tmp_path / "feed").write_text(content, encoding="utf-8")
    with serve(tmp_path) as site:
        result = invoke("select", site.url + "feed")
    assert result.exit_code == 1 and message in result.output
    assert result.output.startswith(f"Error: {site.url}feed: ") and result.output.count("\n") == 1


def test_a_long_turn_is_cut_into_lines_of_one_paragraph(boats):
    sentence = "Every boat I ever built taught me one thing about the sea and its moods"
    cues = "\n".join(
        f"00:00:{i * 5:02d}.000 --> 00:00:{i * 5 + 5:02d}.000\n<v Bo Guest>{sentence} number {i}.\n"
        for i in range(6)
    )
    (boats / "long.vtt").write_text(f"WEBVTT\n\n{cues}", encoding="utf-8")
    write_feed(boats, [item("one", transcript("long.vtt", "text/vtt"))])
    episode = open_episode(boats / "feed.xml", cache_dir=boats / "cache")
    assert len(episode.lines) > 1  # timed by their first words
    assert [line.continues for line in episode.lines] == [False] + [True] * (len(episode.lines) - 1)
    turns = speaker_turns(episode)
    turn, facts = turns[0], EpisodeFacts(episode, turns)
    paragraph = JOIN_FEATURES.index("new_paragraph")
    assert all(
        boundary_values(turn, n, facts)[paragraph] == 0.0 for n in range(len(turn.sentences) - 1)
    )
    items = importer.transcript_items(episode)
    assert [i.get("continues", False) for i in items] == [line.continues for line in episode.lines]
