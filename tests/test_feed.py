"""Podcast feeds as records (RSS and Atom, Podcasting 2.0 tags) and the
fetching of what they link to; no network: a server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt

import pytest

from clipper.episode.feed import parse_feed, pick_item, slug_of
from clipper.errors import ClipperError
from clipper.remote import Location, cached, read_bytes
from tests.conftest import PROJECT
from tests.loopback import serve

EXAMPLE_FEED = PROJECT / "assets" / "example-feed" / "feed.xml"

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:podcast="https://podcastindex.org/namespace/1.0">
  <title>Atom show</title><id>urn:show</id><updated>2026-01-03T00:00:00Z</updated>
  <entry><title>Older</title><id>urn:uuid:1</id><updated>2026-01-01T00:00:00Z</updated>
    <link rel="enclosure" href="one.mp4" type="video/mp4" length="5"/></entry>
  <entry><title>Newer</title><id>urn:uuid:2</id><updated>2026-01-02T00:00:00Z</updated>
    <link rel="alternate" href="https://example.org/two"/>
    <link rel="enclosure" href="two.mp3" type="audio/mpeg" length="5"/>
    <podcast:transcript url="two.srt" type="application/x-subrip"/>
    <podcast:transcript url="two.vtt" type="text/vtt"/></entry>
</feed>"""


def test_the_example_feed_reads_as_two_items_newest_first():
    feed = parse_feed(EXAMPLE_FEED.read_bytes(), str(EXAMPLE_FEED))
    assert feed.title == "Small Batch Data" and feed.image == "images/show.jpg"
    assert [p.name for p in feed.persons] == ["Dana Reyes"]
    newest, older = feed.items
    assert (newest.guid, older.guid) == ("small-batch-data-002", "small-batch-data-001")
    assert newest.published == dt.datetime(2026, 11, 16, 9, tzinfo=dt.timezone.utc)
    assert (newest.season, newest.number) == (1, 2)
    assert newest.enclosure.url == "audio/small-batch-data-002.mp3"
    assert newest.enclosure.type == "audio/mpeg"
    assert newest.image == "images/small-batch-data-002.jpg"
    assert [(t.url, t.type) for t in newest.transcripts] == [
        ("transcripts/small-batch-data-002.vtt", "text/vtt")
    ]
    assert newest.chapters.url == "chapters/small-batch-data-002.json"
    assert [(p.name, p.role, p.img) for p in newest.persons] == [
        ("Dana Reyes", "host", "images/people/dana.jpg"),
        ("Priya Nair", "guest", "images/people/priya.jpg"),
    ]


def test_an_atom_feed_keeps_every_transcript_link():
    feed = parse_feed(ATOM, "atom.xml")
    newer, older = feed.items
    assert (newer.title, older.title) == ("Newer", "Older")
    assert [t.type for t in newer.transcripts] == ["application/x-subrip", "text/vtt"]
    assert newer.enclosure.url == "two.mp3" and older.enclosure.type == "video/mp4"
    assert newer.link == "https://example.org/two"


def test_an_edited_item_changes_its_digest_and_no_other():
    added = b"</entry><entry><id>urn:uuid:3</id><title>Added</title></entry>"
    edited = ATOM.replace(b"<title>Newer</title>", b"<title>Newer, edited</title>")
    edited = edited.replace(b"</entry>", added, 1)  # right after the older item
    before, after = parse_feed(ATOM, "a").items, parse_feed(edited, "a").items
    assert after[0].title == "Newer, edited" and after[2].title == "Added"  # undated: last
    assert before[0].digest != after[0].digest and before[1].digest == after[1].digest


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<!DOCTYPE html><html><body>Welcome</body></html>", "an HTML page, not a podcast feed"),
        (b"<rss><channel><item><title>x</item></channel></rss>", "broken XML"),
        (b"<?xml version='1.0'?><opml><body/></opml>", "the document is <opml>"),
    ],
)
def test_what_is_not_a_feed_is_named(data, message):
    with pytest.raises(ClipperError, match=message) as error:
        parse_feed(data, "https://example.org/feed")
    assert str(error.value).startswith("https://example.org/feed: ")


def test_an_item_is_picked_by_guid_by_number_or_as_the_newest():
    feed = parse_feed(ATOM, "atom.xml")
    assert pick_item(feed, None, "f").guid == "urn:uuid:2"
    assert pick_item(feed, "2", "f").guid == "urn:uuid:1"
    assert pick_item(feed, "urn:uuid:1", "f").title == "Older"
    with pytest.raises(
        ClipperError, match=r"no item 'urn:uuid:9' \(give a guid, or 1-2 from the newest"
    ):
        pick_item(feed, "urn:uuid:9", "f")


@pytest.mark.parametrize(
    "guid",
    ["https://example.org/?p=123", "../../etc/passwd", "Episode 7", "a" * 300, "..", "урок"],
)
def test_a_slug_from_any_guid_is_a_plain_file_name(guid):
    slug = slug_of(guid)
    assert slug and len(slug) <= 60 and all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    assert slug == slug_of(guid) and slug != slug_of(guid + "x")


def test_a_plain_guid_is_its_own_slug():
    assert slug_of("small-batch-data-002") == "small-batch-data-002"


def test_links_resolve_against_the_feed_and_never_leave_a_local_feeds_folder(tmp_path):
    web = Location.of("https://example.org/pod/feed.xml")
    assert web.join("t/1.vtt").url == "https://example.org/pod/t/1.vtt"
    assert web.join("https://cdn.example.org/a.mp3").url == "https://cdn.example.org/a.mp3"
    local = Location.of(tmp_path / "feed.xml")
    assert local.join("audio/a%20b.mp3").path == tmp_path / "audio" / "a b.mp3"
    assert local.join("http://127.0.0.1/x.vtt").url == "http://127.0.0.1/x.vtt"
    for bad in ("../secret.txt", "/etc/passwd", "file:///etc/passwd", "ftp://example.org/x"):
        with pytest.raises(ClipperError):
            local.join(bad)
    with pytest.raises(ClipperError, match="only http"):
        web.join("file:///etc/passwd")


@pytest.mark.parametrize(
    "link",
    ["http://127.0.0.1:8080/x.vtt", "http://169.254.169.254/latest/meta-data", "//10.1.2.3/t.vtt"],
)
def test_a_feed_on_the_internet_may_not_link_inward(link):
    """Nothing is fetched: the link is refused when it is resolved."""
    with pytest.raises(ClipperError, match="a link from the internet to a private address"):
        Location.of("https://93.184.215.14/feed.xml").join(link)
    assert Location.of("http://127.0.0.1:9/feed.xml").join(link).url  # a local feed may


def test_downloads_keep_to_their_limit_and_name_what_failed(tmp_path):
    (tmp_path / "big.bin").write_bytes(b"x" * 5000)
    (tmp_path / "small.vtt").write_text("WEBVTT\n", encoding="utf-8")
    with serve(tmp_path) as site:
        data, kind = read_bytes(Location.of(site.url + "small.vtt"), 1000, "transcript")
        assert (data, kind) == (b"WEBVTT\n", "text/vtt")
        with pytest.raises(ClipperError, match="larger than"):
            read_bytes(Location.of(site.url + "big.bin"), 1000, "transcript")
        with pytest.raises(
            ClipperError, match=r"missing\.vtt: the transcript did not download \(HTTP 404\)"
        ):
            read_bytes(Location.of(site.url + "missing.vtt"), 1000, "transcript")
        cache = tmp_path / "cache"
        with pytest.raises(ClipperError, match="larger than"):
            cached(Location.of(site.url + "big.bin"), cache, 1000, "image")
        assert not cache.exists() or not any(cache.iterdir())  # nothing half-written
        first = cached(Location.of(site.url + "small.vtt"), cache, 1000, "transcript")
        again = cached(Location.of(site.url + "small.vtt"), cache, 1000, "transcript")
        assert first == again and first.parent == cache and first.suffix == ".vtt"
        assert site.requests.count("/small.vtt") == 2  # read_bytes once, cached once


def test_redirects_are_followed_to_http_only(tmp_path):
    (tmp_path / "real.vtt").write_text("WEBVTT\n", encoding="utf-8")
    (tmp_path / "escape.redirect").write_text("ftp://127.0.0.1/secret", encoding="utf-8")
    with serve(tmp_path) as site:
        (tmp_path / "moved.redirect").write_text(site.url + "real.vtt", encoding="utf-8")
        assert (
            read_bytes(Location.of(site.url + "moved.redirect"), 100, "transcript")[0]
            == b"WEBVTT\n"
        )
        with pytest.raises(ClipperError, match=r"did not download \(HTTP 302\)"):  # not followed
            read_bytes(Location.of(site.url + "escape.redirect"), 100, "transcript")


def test_a_server_that_is_not_there_is_one_error(tmp_path):
    with serve(tmp_path) as site:
        url = site.url
    with pytest.raises(ClipperError, match="the feed did not download"):
        read_bytes(Location.of(url + "feed.xml"), 1000, "feed")
