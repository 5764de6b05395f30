"""Site episodes turned into a Podcasting 2.0 feed, to read them back through
the feed reader and compare (``eval_select.py --via-feed``, ``bench_feed.py``).

The feed is what a podcast host publishes: one item per episode with a WebVTT
transcript whose cues carry ``<v Name>`` voices and are cut every
:data:`CUE_WORDS` words, in the middle of sentences as captions are; JSON
chapters from the page's section headers; ``podcast:person`` for the host and
the guests. Each line gets time in proportion to its words (the page's own
times are coarse and sometimes repeat), so every cue knows which page line it
came from, and a pick from the feed maps back to page lines by time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from clipper.episode import Episode
from clipper.episode.feedreader import item_episode, read_feed
from clipper.select.selector import SelectOptions, select_quotes

CUE_WORDS = 14
SECONDS_PER_WORD = 0.4  # 150 words a minute
GAP = 0.3  # seconds between lines

Pick = tuple[list[int], str]  # page lines, text


@dataclass(frozen=True)
class TimedCue:
    start: float
    end: float
    speaker: str
    text: str
    page_line: int  # the page's transcript index


def clock(seconds: float) -> str:
    minutes, millis = divmod(round(seconds * 1000), 60_000)
    return f"{minutes // 60:02d}:{minutes % 60:02d}:{millis // 1000:02d}.{millis % 1000:03d}"


def timed_cues(episode: Episode) -> tuple[list[TimedCue], list[tuple[str, float]]]:
    """The episode's lines cut into cues of CUE_WORDS words, and its chapters."""
    cues, chapters, now, section = [], [], 0.0, None
    for line in episode.lines:
        if line.section is not None and line.section != section:
            chapters.append((episode.section_title(line.section), round(now, 3)))
            section = line.section
        words = line.text.split()
        for first in range(0, len(words), CUE_WORDS):
            part = words[first : first + CUE_WORDS]
            end = now + SECONDS_PER_WORD * len(part)
            cues.append(TimedCue(now, end, line.speaker_name, " ".join(part), line.index))
            now = end
        now += GAP
    return cues, chapters


def vtt(cues: Sequence[TimedCue]) -> str:
    out = ["WEBVTT", ""]
    for cue in cues:
        out += [f"{clock(cue.start)} --> {clock(cue.end)}", f"<v {cue.speaker}>{cue.text}", ""]
    return "\n".join(out)


def item_xml(episode: Episode, number: int) -> str:
    slug = episode.slug
    people = [(p, "guest") for p in episode.guests] + (
        [(episode.host, "host")] if episode.host else []
    )
    persons = [
        f'<podcast:person role="{role}">{escape(person.name)}</podcast:person>'
        for person, role in people
    ]
    return "\n".join([
        "<item>",
        f"<title>{escape(episode.title)}</title>",
        f'<guid isPermaLink="false">{escape(slug)}</guid>',
        f"<pubDate>Mon, {1 + number % 28:02d} Jun 2026 09:00:00 GMT</pubDate>",
        f'<enclosure url="audio/{quoteattr(slug)[1:-1]}.mp3" length="1" type="audio/mpeg"/>',
        f'<podcast:transcript url="transcripts/{slug}.vtt" type="text/vtt"/>',
        f'<podcast:chapters url="chapters/{slug}.json" type="application/json+chapters"/>',
        *persons,
        "</item>",
    ])  # fmt: skip


def write_feed(episodes: Sequence[Episode], folder: Path) -> dict[str, list[TimedCue]]:
    """``folder/feed.xml`` and its transcripts and chapters; the cues of each
    episode by slug."""
    (folder / "transcripts").mkdir(parents=True, exist_ok=True)
    (folder / "chapters").mkdir(exist_ok=True)
    cues_by_slug, items = {}, []
    for number, episode in enumerate(episodes):
        cues, chapters = timed_cues(episode)
        cues_by_slug[episode.slug] = cues
        (folder / "transcripts" / f"{episode.slug}.vtt").write_text(vtt(cues), encoding="utf-8")
        listed = [{"startTime": start, "title": title} for title, start in chapters]
        chapters_json = json.dumps({"version": "1.2.0", "chapters": listed})
        (folder / "chapters" / f"{episode.slug}.json").write_text(chapters_json, encoding="utf-8")
        items.append(item_xml(episode, number))
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel>'
        "<title>Labelled episodes</title><language>en</language>\n"
        + "\n".join(items)
        + "\n</channel></rss>\n"
    )
    (folder / "feed.xml").write_text(feed, encoding="utf-8")
    return cues_by_slug


def page_lines(feed_episode: Episode, cues: Sequence[TimedCue], feed_lines: list[int]) -> list[int]:
    """The page lines a pick made of ``feed_lines`` (of the feed's episode) came
    from: those of the cues spoken between its first line's start and its last
    line's end."""
    by_index = {line.index: line for line in feed_episode.lines}
    start = min(by_index[i].start for i in feed_lines) - 1e-6
    end = max(by_index[i].end for i in feed_lines)
    return list(dict.fromkeys(c.page_line for c in cues if c.start < end and c.end > start))


def feed_selector(
    episodes: Sequence[Episode], folder: Path, options: SelectOptions | None = None
) -> Callable[[Episode], list[Pick]]:
    """A selector for eval_select.py: the page episode's picks as made from
    the feed item of the same episode, with their page lines."""
    cues = write_feed(episodes, folder)
    feed = read_feed(folder / "feed.xml")
    items = {item.guid: item for item in feed.feed.items}

    def select(episode: Episode) -> list[Pick]:
        read = item_episode(feed, items[episode.slug], cache_dir=folder / "cache")
        quotes = select_quotes(read, options or SelectOptions(top=10))
        return [(page_lines(read, cues[episode.slug], q.lines), q.text) for q in quotes]

    return select
