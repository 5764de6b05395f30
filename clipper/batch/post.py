"""Ready-to-paste post text for each quote and platform, and ``post.md``.

The text comes from a template (``post.template`` in ``clipper.yaml``) whose
fields are filled per quote. Each platform has a length limit; when the full
text is too long it is shortened gracefully, in this order, until it fits:
hashtags are dropped one at a time from the end, the episode title gives way
to its short title and then goes, the episode page link goes, and finally the
quote itself is cut at a sentence end (or a word, with an ellipsis). A line of
the template whose field is empty is left out entirely, so nothing dangles.

Lengths are counted the way each platform counts them: X weighs every URL as
23 characters and characters outside the Latin/punctuation ranges as 2
(twitter-text v3); the others count characters. Instagram captions do not make
links clickable, so link lines are left out there.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from clipper.episode import format_clock
from clipper.errors import ClipperError

if TYPE_CHECKING:
    from clipper.batch.config import PostSettings
    from clipper.episode import Episode
    from clipper.select.quote import Quote


@dataclass(frozen=True)
class Platform:
    """A platform's post rules and what to attach to a post there: the card
    size (a cards preset) and the clip shape its feed shows best."""

    name: str
    title: str
    limit: int
    card: str
    clip: str
    links: bool = True


PLATFORMS = {
    p.name: p
    for p in (
        Platform("x", "X", 280, card="x", clip="16:9"),
        Platform("linkedin", "LinkedIn", 3000, card="linkedin", clip="1:1"),
        Platform("instagram", "Instagram", 2200, card="instagram", clip="9:16", links=False),
        Platform("threads", "Threads", 500, card="instagram", clip="9:16"),
        Platform("bluesky", "Bluesky", 300, card="square", clip="1:1"),
    )
}
TEMPLATE_FIELDS = (
    "quote",
    "speaker",
    "show",
    "title",
    "label",
    "label_title",
    "youtube_url",
    "page_url",
    "hashtags",
)
_URL = re.compile(r"https?://\S+")
_X_URL_WEIGHT = 23
# twitter-text v3: code points in these ranges weigh 1, all others 2.
_X_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_MIN_QUOTE_WORDS = 4


def template_fields(template: str) -> list[str]:
    """The field names a template uses; raises on an unknown field."""
    names = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    for name in names:
        if name not in TEMPLATE_FIELDS:
            known = ", ".join(TEMPLATE_FIELDS)
            raise ClipperError(f"post.template: unknown field {{{name}}} (known: {known})")
    return names


def x_length(text: str) -> int:
    """Length of ``text`` as X counts it against the 280 limit."""
    urls = _URL.findall(text)
    rest = _URL.sub("", text)
    weight = sum(1 if any(lo <= ord(c) <= hi for lo, hi in _X_LIGHT_RANGES) else 2 for c in rest)
    return weight + _X_URL_WEIGHT * len(urls)


def text_length(platform: Platform, text: str) -> int:
    return x_length(text) if platform.name == "x" else len(text)


def hashtag(topic: str) -> str:
    """``"data governance"`` -> ``#DataGovernance``; empty when nothing is left."""
    words = re.findall(r"[^\W_]+", topic)
    tag = "".join(word[:1].upper() + word[1:] for word in words)
    return f"#{tag}" if tag else ""


def hashtags(topics: list[str], limit: int) -> list[str]:
    tags: list[str] = []
    for topic in topics:
        tag = hashtag(str(topic))
        if tag and tag.lower() not in {t.lower() for t in tags}:
            tags.append(tag)
    return tags[:limit]


def fill(template: str, values: dict[str, str]) -> str:
    """The template with its fields filled; lines with an empty field are
    dropped, runs of blank lines collapse to one."""
    kept: list[str] = []
    for line in template.splitlines():
        names = [n for _, n, _, _ in string.Formatter().parse(line) if n is not None]
        if any(not values.get(name) for name in names):
            continue
        text = line.format_map(values).rstrip()
        if text or (kept and kept[-1]):
            kept.append(text)
    return "\n".join(kept).strip()


def shorten(text: str, keep_chars: int) -> str:
    """``text`` cut to at most ``keep_chars`` characters: at a sentence end
    when one fits, else at a word with an ellipsis."""
    if len(text) <= keep_chars:
        return text
    sentences = _SENTENCE_END.split(text)
    kept = ""
    for sentence in sentences:
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > keep_chars:
            break
        kept = candidate
    if kept:
        return kept
    room = max(keep_chars - 1, 0)  # one character for the ellipsis
    cut = text[:room]
    if not text[room].isspace():  # do not end inside a word
        cut = cut.rsplit(" ", 1)[0] if " " in cut else ""
    return cut.rstrip(" ,;:—-") + "…"


def _values(episode: Episode, quote: Quote, tags: list[str], links: bool) -> dict[str, str]:
    label_title = f"{episode.label} · {episode.title}" if episode.label else episode.title
    return {
        "quote": quote.text,
        "speaker": quote.shown_name,
        "show": episode.show,
        "title": episode.title,
        "label": episode.label,
        "label_title": label_title,
        "youtube_url": (episode.youtube_url(quote.start) or "") if links else "",
        "page_url": episode.page_url if links else "",
        "hashtags": " ".join(tags),
    }


def _reductions(values: dict[str, str], episode: Episode) -> Iterator[dict[str, str]]:
    """The field values from fullest to leanest, quote untouched."""
    current = dict(values)
    yield current
    tags = current["hashtags"].split()
    while tags:
        tags.pop()
        current = {**current, "hashtags": " ".join(tags)}
        yield current
    short = episode.short_title or ""
    if short and short != episode.title:
        label_short = f"{episode.label} · {short}" if episode.label else short
        current = {**current, "title": short, "label_title": label_short}
        yield current
    current = {**current, "title": "", "label_title": ""}
    yield current
    current = {**current, "page_url": ""}
    yield current


def _longest_fitting(
    quote: str, values: dict[str, str], platform: Platform, template: str
) -> str | None:
    """The post with the quote shortened as little as needed to fit (binary
    search on the kept length), or ``None`` when under the minimum quote."""
    best = None
    low, high = 1, len(quote)
    while low <= high:
        keep = (low + high) // 2
        short = shorten(quote, keep)
        text = fill(template, {**values, "quote": short})
        if text_length(platform, text) <= platform.limit:
            if len(short.split()) >= _MIN_QUOTE_WORDS:
                best = text
            low = keep + 1
        else:
            high = keep - 1
    return best


def post_text(episode: Episode, quote: Quote, platform: Platform, settings: PostSettings) -> str:
    """The post for one quote on one platform, within the platform's limit."""
    tags = hashtags(episode.topics, settings.hashtags)
    values = _values(episode, quote, tags, platform.links)
    lean = values
    for lean in _reductions(values, episode):
        text = fill(settings.template, lean)
        if text_length(platform, text) <= platform.limit:
            return text
    for drop_link in (False, True):
        if drop_link:
            lean = {**lean, "youtube_url": ""}
        text = _longest_fitting(quote.text, lean, platform, settings.template)
        if text is not None:
            return text
    raise ClipperError(
        f"the post template leaves no room for the quote on {platform.title} "
        f"({platform.limit} characters)",
        episode=episode.slug,
        quote=quote.id,
    )


def post_texts(episode: Episode, quote: Quote, settings: PostSettings) -> dict[str, str]:
    """``{platform name: text}`` for every platform in the settings."""
    return {
        name: post_text(episode, quote, PLATFORMS[name], settings) for name in settings.platforms
    }


def _asset_lines(quote_id: str, files: list[str]) -> list[str]:
    """``Cards: [square](cards/q1-square.png) · ...``, one line per folder."""
    groups: dict[str, list[str]] = {}
    for file in files:
        folder, _, name = file.rpartition("/")
        label = name.rsplit(".", 1)[0].removeprefix(f"{quote_id}-")
        groups.setdefault(folder.title() or "Files", []).append(f"[{label}]({file})")
    return [
        line for folder, links in groups.items() for line in ("", f"{folder}: {' · '.join(links)}")
    ]


def render_post_md(
    episode: Episode,
    quotes: list[Quote],
    texts: dict[str, dict[str, str]],
    assets: dict[str, list[str]] | None = None,
) -> str:
    """``post.md``: per quote, its text per platform in a fenced block (easy to
    copy), with links to its cards and clips (``assets``: quote id -> paths
    relative to the episode folder)."""
    heading = f"{episode.label} · {episode.title}" if episode.label else episode.title
    out = [f"# {heading}", "", f"Episode page: {episode.page_url}"]
    if episode.youtube_url():
        out.append(f"YouTube: {episode.youtube_url()}")
    for number, quote in enumerate(quotes, 1):
        said = f"{quote.shown_name} at" if quote.shown_name else "At"
        out += ["", f"## {number}. {said} {format_clock(quote.start)} ({quote.id})", ""]
        out.append(f"> {quote.text}")
        out += _asset_lines(quote.id, (assets or {}).get(quote.id, []))
        for name, text in texts.get(quote.id, {}).items():
            platform = PLATFORMS[name]
            used = text_length(platform, text)
            out += [
                "",
                f"### {platform.title} ({used}/{platform.limit})",
                "",
                "````text",
                text,
                "````",
            ]
    return "\n".join(out) + "\n"
