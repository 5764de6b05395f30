"""Read one item of a podcast feed as an Episode.

The feed comes by http(s) URL or as a local file (:mod:`clipper.remote`
resolves its links). An item is an episode: its transcript comes from
``podcast:transcript`` (WebVTT first, then Podcasting 2.0 JSON, SRT, HTML and
plain text; ``lang`` picks among languages), its sections from
``podcast:chapters``, its people from ``podcast:person`` (the item's, else the
show's; ``img`` is the photo), its artwork from the item's ``itunes:image``,
else the show's, and its media from the enclosure (kept as a link: it is
fetched only when clips are made).

Everything fetched lands in a cache folder of the item
(``<cache>/feeds/<feed hash>/<slug>-<item hash>/``), which is the episode's
root: no path of the episode points outside it. Local files next to a local
feed are read in place. A failed chapters file, image or photo is a warning;
an item without a usable transcript is an error naming the item.
"""

from __future__ import annotations

import hashlib
import html.parser
import json
from dataclasses import dataclass
from pathlib import Path

from clipper.episode.build import EpisodeInfo, Speaker, build_episode
from clipper.episode.clock import format_clock
from clipper.episode.feed import Feed, FeedItem, FeedPerson, Link, parse_feed, pick_item
from clipper.episode.model import GUEST_ROLE, HOST_ROLE, Episode, LoadWarning
from clipper.episode.sources import SourceRequest
from clipper.episode.transcripts import Transcript, read_transcript
from clipper.errors import ClipperError
from clipper.fsutil import default_cache_dir, write_text
from clipper.remote import MB, Location, cached, read_bytes

FEED_LIMIT = 30 * MB
TRANSCRIPT_LIMIT = 30 * MB
CHAPTERS_LIMIT = 2 * MB
IMAGE_LIMIT = 15 * MB
# Transcript kinds, best first, and the suffix the format layer reads each by.
KINDS = {"vtt": ".vtt", "json": ".json", "srt": ".srt", "html": ".html", "text": ".txt"}
TYPES = {
    "text/vtt": "vtt",
    "application/json": "json",
    "application/x-subrip": "srt",
    "application/srt": "srt",
    "text/srt": "srt",
    "text/html": "html",
    "text/plain": "text",
}


class NoTranscript(ClipperError):
    """The item has no transcript clipper can read (batch skips such items)."""


@dataclass(frozen=True)
class FeedSource:
    """A feed read once: where it is, and what it says."""

    location: Location
    feed: Feed


def read_feed(source: str | Path) -> FeedSource:
    """The feed at ``source`` (an http(s) URL or a local file)."""
    location = Location.of(source)
    data, _ = read_bytes(location, FEED_LIMIT, "feed")
    return FeedSource(location, parse_feed(data, str(location)))


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed that was read: what a batch run plans and makes."""

    feed: FeedSource
    item: FeedItem

    @property
    def stem(self) -> str:
        return self.item.slug

    def __str__(self) -> str:
        return f"{self.feed.location}#{self.item.guid}"

    def load(self, cache_dir: Path | None = None) -> Episode:
        return item_episode(self.feed, self.item, cache_dir=cache_dir)


def feed_entries(source: str | Path) -> list[FeedEntry]:
    """Every item of the feed at ``source``, newest first."""
    feed = read_feed(source)
    return [FeedEntry(feed, item) for item in feed.feed.items]


def read(source: str, request: SourceRequest) -> Episode:
    """The episode of item ``request.item`` (guid, or N counting from the
    newest; default the newest) of the feed at ``source``."""
    feed = read_feed(source)
    item = pick_item(feed.feed, request.item, str(feed.location))
    return item_episode(feed, item, request.lang, request.cache_dir)


def item_folder(feed: FeedSource, item: FeedItem, cache_dir: Path | None) -> Path:
    """The item's cache folder: by feed and by the item's own XML, so an
    edited item gets fresh copies of what it links to."""
    where = feed.location.url or str(feed.location.root / feed.location.path.name)
    key = hashlib.sha256(where.encode("utf-8")).hexdigest()[:12]
    root = Path(cache_dir).expanduser() if cache_dir else default_cache_dir()
    return root / "feeds" / key / f"{item.slug}-{item.digest[:8]}"


def item_episode(
    feed: FeedSource, item: FeedItem, lang: str | None = None, cache_dir: Path | None = None
) -> Episode:
    """The Episode of one item of ``feed``."""
    folder = item_folder(feed, item, cache_dir)
    warnings: list[LoadWarning] = []
    transcript = _transcript(feed, item, folder, lang)
    info = EpisodeInfo(
        path=transcript.path,
        site_root=folder,
        slug=item.slug,
        title=item.title,
        season=item.season,
        number=item.number,
        artwork=_image(feed, item.image or feed.feed.image, folder, "artwork", warnings),
        page_url=item.link,
        date=item.published.date() if item.published else None,
        media=_media(feed, item),
        people=_people(feed, item, folder, warnings),
        chapters=_chapters(feed, item, warnings),
        show=" ".join(feed.feed.title.split()),
    )
    episode = build_episode(transcript, info)
    episode.warnings[:0] = warnings
    return episode


def _named(item: FeedItem) -> str:
    named = f"item {item.guid!r}"
    return named if item.title == item.guid else f"{named} ({item.title})"


# ---------------------------------------------------------------- transcript


def transcript_kind(link: Link, location: Location) -> str | None:
    """vtt, json, srt, html or text, from the link's type, else its suffix."""
    kind = TYPES.get(link.type.split(";")[0].strip())
    if kind is None:
        by_suffix = {suffix: name for name, suffix in KINDS.items()}
        kind = by_suffix.get(location.suffix()) or ("text" if location.suffix() == ".txt" else None)
    return kind


def ranked_transcripts(
    feed: FeedSource, item: FeedItem, lang: str | None
) -> list[tuple[str, Location]]:
    """The item's transcript links clipper can read, best first: in ``lang``
    (or the feed's language) before others, then by format."""
    wanted = (lang or feed.feed.language or "").lower().split("-")[0]
    ranked = []
    for link in item.transcripts:
        try:
            location = feed.location.join(link.url)
        except ClipperError:
            continue
        kind = transcript_kind(link, location)
        if kind is not None:
            language = (link.language or feed.feed.language).lower().split("-")[0]
            other_language = bool(wanted and language and language != wanted)
            ranked.append(((other_language, list(KINDS).index(kind)), kind, location))
    return [(kind, location) for _, kind, location in sorted(ranked, key=lambda r: r[0])]


def _transcript(feed: FeedSource, item: FeedItem, folder: Path, lang: str | None) -> Transcript:
    where = f"{feed.location}: {_named(item)}"
    if not item.transcripts:
        raise NoTranscript(f"{where} has no transcript (no podcast:transcript link)")
    ranked = ranked_transcripts(feed, item, lang)
    if not ranked:
        types = ", ".join(sorted({link.type or link.url for link in item.transcripts}))
        raise NoTranscript(f"{where}: transcript in an unknown format ({types})")
    failure: ClipperError | None = None
    for kind, location in ranked:
        try:
            return _read_one(kind, location, folder, item)
        except ClipperError as exc:
            failure = failure or exc
    assert failure is not None
    raise ClipperError(f"{where}: {failure}") from None


def _read_one(kind: str, location: Location, folder: Path, item: FeedItem) -> Transcript:
    what = f"transcript of {_named(item)}"
    if location.path is not None and kind != "html" and location.suffix() == KINDS[kind]:
        return read_transcript(location.path, what)
    data, _ = read_bytes(location, TRANSCRIPT_LIMIT, "transcript")
    if kind == "html":
        text, kind = html_as_text(data.decode("utf-8", "replace")), "text"
        data = text.encode("utf-8")
    path = folder / f"transcript{KINDS[kind]}"
    write_text(path, data.decode("utf-8", "replace"))
    return read_transcript(path, what)


class _HtmlTranscript(html.parser.HTMLParser):
    """The Podcasting 2.0 HTML transcript: ``<cite>`` speaker, ``<time>``
    start, ``<p>`` what they said."""

    def __init__(self) -> None:
        super().__init__()
        self.paragraphs: list[tuple[str, str, str]] = []
        self.speaker = self.time = ""
        self.tag = ""
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("cite", "time", "p"):
            self.tag, self.text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag != self.tag:
            return
        text = " ".join(" ".join(self.text).split())
        if tag == "cite":
            self.speaker = text.rstrip(":").strip()
        elif tag == "time":
            self.time = text
        elif text:
            self.paragraphs.append((self.speaker, self.time, text))
        self.tag = ""

    def handle_data(self, data: str) -> None:
        if self.tag:
            self.text.append(data)


def html_as_text(page: str) -> str:
    """An HTML transcript as the plain-text export form ("Name (0:09): ...")."""
    parser = _HtmlTranscript()
    parser.feed(page)
    lines = []
    for speaker, time, text in parser.paragraphs:
        head = " ".join(part for part in (speaker, f"({time})" if time else "") if part)
        lines.append(f"{head}: {text}" if head else text)
    return "\n\n".join(lines) + "\n"


# ---------------------------------------------------------------- the rest


def _media(feed: FeedSource, item: FeedItem) -> str | None:
    if item.enclosure is None:
        return None
    try:
        return str(feed.location.join(item.enclosure.url))
    except ClipperError:
        return None


def _image(
    feed: FeedSource, link: str, folder: Path, what: str, warnings: list[LoadWarning]
) -> Path | None:
    """An image linked from the feed, copied into the item's folder."""
    if not link:
        return None
    try:
        return cached(feed.location.join(link), folder, IMAGE_LIMIT, what)
    except ClipperError as exc:
        warnings.append(LoadWarning(f"no-{what}", None, str(exc)))
        return None


def _people(
    feed: FeedSource, item: FeedItem, folder: Path, warnings: list[LoadWarning]
) -> list[Speaker]:
    """The item's ``podcast:person`` list (it replaces the show's), hosts and
    guests only; the feed's author as host when nobody is named host."""
    persons = item.persons or feed.feed.persons
    people = []
    for person in persons:
        role = _role(person)
        if role is not None:
            photo = _image(feed, person.img, folder, "photo", warnings)
            people.append(Speaker(person.name, role, f"podcast:person role {person.role}", photo))
    if feed.feed.author and not any(p.role == HOST_ROLE for p in people):
        people.append(Speaker(feed.feed.author, HOST_ROLE, "the feed's author"))
    return people


def _role(person: FeedPerson) -> str | None:
    if "guest" in person.role:
        return GUEST_ROLE
    if "host" in person.role:
        return HOST_ROLE
    return None


def _chapters(
    feed: FeedSource, item: FeedItem, warnings: list[LoadWarning]
) -> list[tuple[str, float]]:
    """``(title, start)`` of each listed chapter (``toc: false`` ones are silent)."""
    if item.chapters is None:
        return []
    try:
        location = feed.location.join(item.chapters.url)
        data, _ = read_bytes(location, CHAPTERS_LIMIT, "chapters")
        return parse_chapters(data, str(location))
    except ClipperError as exc:
        warnings.append(LoadWarning("no-chapters", None, str(exc)))
        return []


def parse_chapters(data: bytes, source: str) -> list[tuple[str, float]]:
    """JSON chapters (Podcasting 2.0 format) as ``(title, start seconds)``."""
    try:
        chapters = json.loads(data)["chapters"]
        found = [
            (" ".join(str(c.get("title") or format_clock(float(c["startTime"]))).split()),
             float(c["startTime"]))
            for c in chapters
            if c.get("toc", True) is not False
        ]  # fmt: skip
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ClipperError(f"{source}: not a JSON chapters file ({type(exc).__name__})") from None
    return sorted(found, key=lambda chapter: chapter[1])
