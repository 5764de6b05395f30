"""Editors' quote labels and the hit rule the selector is judged by.

A labels folder holds one ``*.json`` per episode::

    {"episode": "corpus/_podcast/<file>.md",
     "labels": [{"index": 142, "start": 0, "end": 118, "kind": "insight", "strength": 3}]}

``episode`` is relative to the folder's parent; ``index`` is the position of
an item in the front matter's ``transcript`` list and ``start``/``end`` are
character offsets into that item's ``line``. A pick *hits* a label that lies
in one of the pick's source lines when the two share at least half of the
distinct words of the shorter one. Used by ``tools/train_ranker.py`` and
``benchmarks/eval_select.py``; the selector itself never reads labels.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from clipper.episode.load import read_front_matter
from clipper.errors import ClipperError

_WORD = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True)
class Label:
    index: int
    text: str
    kind: str
    strength: int

    @property
    def vocabulary(self) -> frozenset[str]:
        return vocabulary(self.text)


@dataclass(frozen=True)
class LabeledEpisode:
    path: Path
    labels: tuple[Label, ...]

    @property
    def slug(self) -> str:
        return self.path.stem

    def at(self, index: int) -> list[Label]:
        return [label for label in self.labels if label.index == index]


def vocabulary(text: str) -> frozenset[str]:
    """The distinct lower-cased ``[a-z0-9']+`` words of ``text``."""
    return frozenset(_WORD.findall(text.lower()))


def overlap_hit(a: frozenset[str], b: frozenset[str]) -> bool:
    """At least half of the distinct words of the shorter text are shared."""
    shorter = min(len(a), len(b))
    return shorter > 0 and len(a & b) >= shorter / 2


def hit_labels(episode: LabeledEpisode, lines: list[int], text: str) -> list[Label]:
    """The labels a pick made of ``text`` from source ``lines`` hits."""
    words = vocabulary(text)
    return [
        label
        for index in dict.fromkeys(lines)
        for label in episode.at(index)
        if overlap_hit(words, label.vocabulary)
    ]


def load_labels(folder: Path) -> list[LabeledEpisode]:
    """Every labeled episode in ``folder``, sorted by file name."""
    files = sorted(folder.glob("*.json"))
    if not files:
        raise ClipperError(f"{folder}: no *.json label files")
    return [_load_one(path, folder.parent) for path in files]


def _load_one(path: Path, root: Path) -> LabeledEpisode:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        episode = root / data["episode"]
        spans = data["labels"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ClipperError(f"{path}: not a labels file ({exc})") from None
    transcript = read_front_matter(episode).get("transcript")
    if not isinstance(transcript, list):
        raise ClipperError(f"{path}: {episode} has no transcript list")
    labels = []
    for span in spans:
        item = transcript[span["index"]]
        line = item.get("line", "") if isinstance(item, dict) else ""
        text = str(line)[span["start"] : span["end"]]
        labels.append(Label(span["index"], text, span["kind"], int(span["strength"])))
    return LabeledEpisode(episode, tuple(labels))
