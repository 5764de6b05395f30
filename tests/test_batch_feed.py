"""``clipper batch FEED``: the kit of every new or changed item, by guid; an
item without transcript is skipped with a warning, a broken one fails alone.
The feed and everything it links to are served on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT
from tests.loopback import serve

EXAMPLE = PROJECT / "assets" / "example-feed"
NO_RENDERING = {"selection": {"kinds": {"any": 1}}, "cards": {"enabled": False},
                "clips": {"enabled": False}}  # fmt: skip
NEW_ITEM = """    <item>
      <title>Third one</title>
      <guid isPermaLink="false">small-batch-data-003</guid>
      <pubDate>Mon, 30 Nov 2026 09:00:00 GMT</pubDate>
      <enclosure url="audio/small-batch-data-002.mp3" length="1" type="audio/mpeg"/>
      <podcast:transcript url="transcripts/small-batch-data-002.vtt" type="text/vtt"/>
    </item>
"""
BAD_ITEMS = """    <item><title>Trailer</title><guid>trailer</guid>
      <pubDate>Mon, 01 Jun 2026 09:00:00 GMT</pubDate>
      <enclosure url="audio/trailer.mp3" length="1" type="audio/mpeg"/></item>
    <item><title>Lost</title><guid>lost</guid>
      <pubDate>Tue, 02 Jun 2026 09:00:00 GMT</pubDate>
      <podcast:transcript url="transcripts/lost.vtt" type="text/vtt"/></item>
"""


def settings(tmp_path: Path, **extra: object) -> Path:
    path = tmp_path / "clipper.yaml"
    content = {**NO_RENDERING, "output": str(tmp_path / "out"), "cache": str(tmp_path / "cache")}
    path.write_text(yaml.safe_dump({**content, **extra}), encoding="utf-8")
    return path


@pytest.fixture
def feed_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "feed"
    shutil.copytree(EXAMPLE, folder)
    return folder


def add_items(folder: Path, xml: str) -> None:
    feed = folder / "feed.xml"
    text = feed.read_text(encoding="utf-8")
    feed.write_text(text.replace("  </channel>", xml + "  </channel>"), encoding="utf-8")


def manifest(tmp_path: Path) -> dict:
    return json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))["episodes"]


def test_a_scheduled_run_makes_each_new_item_once(invoke, tmp_path, feed_dir):
    config = settings(tmp_path)
    with serve(feed_dir) as site:
        url = site.url + "feed.xml"
        first = invoke("batch", url, "--config", config)
        assert first.exit_code == 0, first.output
        assert "made 2, skipped 0, failed 0" in first.output
        records = manifest(tmp_path)
        assert sorted(records) == ["small-batch-data-001", "small-batch-data-002"]
        assert records["small-batch-data-002"]["source"] == f"{url}#small-batch-data-002"
        for slug in records:
            assert (tmp_path / "out" / slug / "quotes.yaml").is_file()
        fetched = len(site.requests)
        rerun = invoke("batch", url, "--config", config)
        assert "nothing to do: 2 episodes up to date" in rerun.output
        assert site.requests[fetched:] == ["/feed.xml"]  # nothing but the feed is fetched
        add_items(feed_dir, NEW_ITEM)
        third = invoke("batch", url, "--config", config)
    assert "made 1, skipped 2, failed 0" in third.output, third.output
    assert "small-batch-data-003" in manifest(tmp_path)


def test_no_transcript_is_skipped_with_a_warning_and_a_broken_item_fails_alone(
    invoke, tmp_path, feed_dir
):
    add_items(feed_dir, BAD_ITEMS)
    with serve(feed_dir) as site:
        result = invoke("batch", site.url + "feed.xml", "--config", settings(tmp_path))
    assert result.exit_code == 1
    assert "made 2, skipped 1, failed 1" in result.output
    assert "item 'trailer' (Trailer) has no transcript" in result.output
    assert (
        "failed  lost:" in result.output
        and "lost.vtt: the transcript did not download" in result.output
    )
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.is_dir()) == [
        "small-batch-data-001",
        "small-batch-data-002",
    ]


def test_latest_only_and_since_pick_items(invoke, tmp_path, feed_dir):
    feed = feed_dir / "feed.xml"
    config = settings(tmp_path)
    latest = invoke("batch", feed, "--config", config, "--latest", "1", "--dry-run")
    assert "would make small-batch-data-002" in latest.output
    assert "small-batch-data-001" not in latest.output.replace("skipped", "")
    only = invoke("batch", feed, "--config", config, "--only", "small-batch-data-001", "--dry-run")
    assert "would make small-batch-data-001" in only.output and "002" not in only.output
    since = invoke("batch", feed, "--config", config, "--since", "2026-11-10", "--dry-run")
    assert "would make small-batch-data-002" in since.output
    assert "would make small-batch-data-001" not in since.output
    missing = invoke("batch", feed, "--config", config, "--only", "nope")
    assert missing.exit_code != 0 and "--only nope: no such episode" in missing.output


@pytest.mark.slow
def test_an_audio_enclosure_is_downloaded_once_and_made_into_audiograms(invoke, tmp_path, feed_dir):
    config = settings(tmp_path, clips={"shapes": ["16:9"]})
    with serve(feed_dir) as site:
        result = invoke("batch", site.url + "feed.xml", "--config", config, "--latest", "1")
        assert result.exit_code == 0, result.output
        assert site.requests.count("/audio/small-batch-data-002.mp3") == 1
    clips = list((tmp_path / "out" / "small-batch-data-002" / "clips").glob("*.mp4"))
    assert len(clips) == 1
    assert list((tmp_path / "cache" / "media").glob("*.mp3"))
