"""Episode and Quote records built in code, for tests that need no site on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from clipper.episode import Episode
from clipper.select.quote import Quote


def make_episode(root: Path, **fields: Any) -> Episode:
    """A minimal episode rooted at ``root``; ``fields`` override any attribute."""
    defaults: dict[str, Any] = {
        "path": root / "_podcast" / "test-episode.md",
        "site_root": root,
        "slug": "test-episode",
        "title": "A Test Episode About Data Products",
        "short_title": "Data Products",
        "season": 1,
        "number": 2,
        "youtube_id": None,
        "artwork": None,
        "guests": [],
        "host": None,
        "page_url": "https://example.com/podcast/test-episode.html",
        "topics": [],
        "sections": [],
        "lines": [],
    }
    return Episode(**{**defaults, **fields})


def make_quote(text: str, **fields: Any) -> Quote:
    """A guest quote from 10 s to 20 s of ``test-episode``; ``fields`` override."""
    defaults: dict[str, Any] = {
        "id": "q001",
        "episode": "test-episode",
        "speaker": "ines",
        "speaker_name": "Ines Kowalczyk",
        "role": "guest",
        "section": "",
        "kind": "advice",
        "text": text,
        "start": 10.0,
        "end": 20.0,
        "score": 1.0,
        "lines": [1],
    }
    return Quote(**{**defaults, **fields})


def speech_quotes(talk: Episode, truth: list[dict], **fields: Any) -> list[Quote]:
    """One quote per measured sentence of the speech fixture (``truth.json``), timed by
    the transcript line that holds it; ``fields`` override."""
    quotes = []
    for n, sentence in enumerate(truth):
        line = next(line for line in talk.lines if sentence["text"] in line.text)
        quotes.append(
            make_quote(
                sentence["text"],
                **{
                    "id": f"s{n}",
                    "start": line.start,
                    "end": line.end,
                    "lines": [line.index],
                    **fields,
                },
            )
        )
    return quotes


CLIP_TEXT = "Start from the decision someone has to make, not from the data you happen to have."


def clip_episode(root: Path) -> Episode:
    """The episode the clip tests cut from (its video is generated per test)."""
    return make_episode(root, title="A Test Episode About Numbered Frames")


def clip_quote(quote_id: str, start: float, end: float, text: str = CLIP_TEXT) -> Quote:
    """A quote spoken from ``start`` to ``end`` of the generated test video."""
    return make_quote(text, id=quote_id, start=start, end=end, kind="any", lines=[])
