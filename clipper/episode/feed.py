"""A podcast feed (RSS 2.0 or Atom) as plain records: the show and its items.

The standard parts (titles, dates, links, enclosures, ``itunes:`` tags, Atom
and RSS alike, odd encodings and date formats) come from feedparser. The
Podcasting 2.0 tags are read from the same bytes with ElementTree, because
feedparser keeps one element per name and drops the text of those with
attributes: an item's several ``podcast:transcript`` links (one per format)
would shrink to the last one and a ``podcast:person`` would lose its name.
(podcastparser, the other maintained choice, reads no Atom, keeps only the
first transcript link and knows only the namespace's old GitHub address.)

Links stay as written; the reader resolves them against the feed's location.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from clipper.errors import ClipperError

PODCAST_NAMESPACES = (
    "https://podcastindex.org/namespace/1.0",
    "https://github.com/podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
)
ATOM = "{http://www.w3.org/2005/Atom}"
SLUG_SAFE = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 60


@dataclass(frozen=True)
class Link:
    """A ``podcast:transcript`` or ``podcast:chapters`` link."""

    url: str
    type: str
    language: str = ""
    rel: str = ""


@dataclass(frozen=True)
class FeedPerson:
    """A ``podcast:person``: ``role`` in lower case (``host`` when absent)."""

    name: str
    role: str
    img: str = ""
    href: str = ""


@dataclass(frozen=True)
class Enclosure:
    url: str
    type: str


@dataclass(frozen=True)
class FeedItem:
    """One episode of a feed. ``digest`` hashes the item's own XML, so a
    batch run can tell an unchanged item without fetching anything else."""

    guid: str
    slug: str
    title: str
    published: dt.datetime | None
    link: str
    enclosure: Enclosure | None
    image: str
    season: int | None
    number: int | None
    transcripts: tuple[Link, ...]
    chapters: Link | None
    persons: tuple[FeedPerson, ...]
    digest: str


@dataclass(frozen=True)
class Feed:
    """A feed's show data and its items, newest first."""

    title: str
    link: str
    image: str
    author: str
    language: str
    persons: tuple[FeedPerson, ...]
    items: list[FeedItem] = field(default_factory=list)


def slug_of(guid: str) -> str:
    """A folder name from an item's guid: the guid itself when it is already
    lower-case letters, digits and hyphens, else a readable tail of it plus a
    hash of the whole guid (so two guids never share a slug)."""
    plain = SLUG_SAFE.sub("-", guid.lower()).strip("-")
    if plain == guid and len(plain) <= MAX_SLUG:
        return plain
    tail = plain[-(MAX_SLUG - 9) :].strip("-")
    digest = hashlib.sha256(guid.encode("utf-8")).hexdigest()[:8]
    return f"{tail}-{digest}" if tail else f"item-{digest}"


def parse_feed(data: bytes, source: str) -> Feed:
    """The feed in ``data``; ``source`` names it in errors."""
    root = _xml_root(data, source)
    import feedparser  # imported here: the CLI starts without it

    parsed = feedparser.parse(data)
    elements = _item_elements(root)
    if len(elements) != len(parsed.entries):
        raise ClipperError(f"{source}: the feed's items could not be read consistently")
    show = parsed.feed
    channel = root.find("channel") if root.tag == "rss" else root
    feed = Feed(
        title=_text(show.get("title")),
        link=_text(show.get("link")),
        image=_text((show.get("image") or {}).get("href") or show.get("logo")),
        author=_text(show.get("author") or (show.get("publisher_detail") or {}).get("name")),
        language=_text(show.get("language")),
        persons=_persons(channel) if channel is not None else (),
    )
    items = [_item(entry, element) for entry, element in zip(parsed.entries, elements, strict=True)]
    feed.items.extend(_newest_first(items))
    return feed


def _xml_root(data: bytes, source: str) -> ET.Element:
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        raise ClipperError(f"{source}: an HTML page, not a podcast feed (RSS or Atom)")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ClipperError(f"{source}: not a podcast feed: broken XML ({exc})") from None
    if root.tag not in ("rss", f"{ATOM}feed"):
        name = root.tag.rpartition("}")[2]
        raise ClipperError(f"{source}: not a podcast feed (RSS or Atom): the document is <{name}>")
    return root


def _item_elements(root: ET.Element) -> list[ET.Element]:
    if root.tag == "rss":
        return root.findall("./channel/item")
    return root.findall(f"./{ATOM}entry")


def _podcast_children(element: ET.Element, name: str) -> list[ET.Element]:
    return [
        child
        for child in element
        if child.tag.startswith("{")
        and child.tag.partition("}")[0][1:].lower().rstrip("/") in PODCAST_NAMESPACES
        and child.tag.partition("}")[2] == name
    ]


def _persons(element: ET.Element) -> tuple[FeedPerson, ...]:
    people = []
    for child in _podcast_children(element, "person"):
        name = " ".join((child.text or "").split())
        if name:
            role = (child.get("role") or "host").strip().lower()
            people.append(FeedPerson(name, role, child.get("img", ""), child.get("href", "")))
    return tuple(people)


def _links(element: ET.Element, name: str) -> list[Link]:
    return [
        Link(child.get("url", "").strip(), (child.get("type") or "").strip().lower(),
             (child.get("language") or "").strip(), (child.get("rel") or "").strip().lower())
        for child in _podcast_children(element, name)
        if child.get("url", "").strip()
    ]  # fmt: skip


def _number(*values: Any) -> int | None:
    for value in values:
        text = _text(value)
        if text.isdigit():
            return int(text)
    return None


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value else ""


def _podcast_text(element: ET.Element, name: str) -> str:
    found = _podcast_children(element, name)
    return _text(found[0].text) if found else ""


def _item(entry: Any, element: ET.Element) -> FeedItem:
    enclosures = [e for e in entry.get("enclosures", []) if e.get("href")]
    media = [e for e in enclosures if str(e.get("type", "")).startswith(("audio/", "video/"))]
    enclosure = (media or enclosures or [None])[0]
    guid = _text(entry.get("id")) or (enclosure or {}).get("href") or _text(entry.get("link"))
    guid = guid or _text(entry.get("title"))
    if not guid:
        raise ClipperError("an item has no guid, enclosure, link or title to tell it by")
    when = entry.get("published_parsed") or entry.get("updated_parsed")
    chapters = _links(element, "chapters")
    return FeedItem(
        guid=guid,
        slug=slug_of(guid),
        title=_text(entry.get("title")) or guid,
        published=_utc(when),
        link=_text(entry.get("link")),
        enclosure=Enclosure(enclosure["href"], enclosure.get("type", "")) if enclosure else None,
        image=_text((entry.get("image") or {}).get("href")),
        season=_number(_podcast_text(element, "season"), entry.get("itunes_season")),
        number=_number(_podcast_text(element, "episode"), entry.get("itunes_episode")),
        transcripts=tuple(_links(element, "transcript")),
        chapters=chapters[0] if chapters else None,
        persons=_persons(element),
        digest=_digest(element),
    )


def _digest(element: ET.Element) -> str:
    """A hash of the item's XML (without the text after it, which belongs to
    its neighbours)."""
    alone = copy.copy(element)
    alone.tail = None
    return hashlib.sha256(ET.tostring(alone)).hexdigest()[:16]


def _utc(when: Any) -> dt.datetime | None:
    """feedparser's UTC time tuple as a datetime."""
    return dt.datetime.fromtimestamp(calendar.timegm(when), dt.timezone.utc) if when else None


def _newest_first(items: list[FeedItem]) -> list[FeedItem]:
    """Dated items newest first (ties keep feed order), undated ones after them."""
    dated = sorted((i for i in items if i.published), key=lambda i: i.published, reverse=True)
    return dated + [i for i in items if not i.published]


def pick_item(feed: Feed, wanted: str | None, source: str) -> FeedItem:
    """The item whose guid (or slug) is ``wanted``, else the ``wanted``-th
    newest (1 is the newest); the newest when ``wanted`` is None."""
    if not feed.items:
        raise ClipperError(f"{source}: the feed has no items")
    if wanted is None:
        return feed.items[0]
    for item in feed.items:
        if wanted in (item.guid, item.slug):
            return item
    if wanted.isdigit() and 1 <= int(wanted) <= len(feed.items):
        return feed.items[int(wanted) - 1]
    count = len(feed.items)
    raise ClipperError(f"{source}: no item {wanted!r} (give a guid, or 1-{count} from the newest)")
