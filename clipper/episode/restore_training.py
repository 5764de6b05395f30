"""Training and scoring data for the sentence restorer (development only).

Edited transcripts are turned into what a speech recogniser gives: each
episode one stream of caption words (lower case, no punctuation, no speakers),
with the editors' marks as the targets. The split is fixed by episode: every
episode that has editors' quote labels (and any other version of it) is held
out, so the restorer is scored, and selection on restored text is measured,
on episodes it never learned from. Only ``tools/train_restorer.py`` and
``benchmarks/bench_restore.py`` import this module.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from clipper.episode.load import load_episode
from clipper.episode.restore import COMMA, PERIOD, QUESTION, SENTENCE_ENDS, punctuated_words

FOLDERS = ("corpus", "trainset", "textset")


@dataclass(frozen=True)
class Stream:
    """One episode as caption words, the editors' mark after each, how each
    word was written, and the words after which the speaker changes."""

    slug: str
    words: tuple[str, ...]
    marks: tuple[int, ...]
    written: tuple[str, ...]
    turn_ends: tuple[int, ...] = ()


def episode_stream(path: Path) -> Stream:
    """The episode's lines as one stream; a sentence always ends where a line
    does, and a turn where the next line names another speaker."""
    words: list[str] = []
    marks: list[int] = []
    written: list[str] = []
    turn_ends: list[int] = []
    speaker = None
    for line in load_episode(path).lines:
        items = punctuated_words(line.text)
        if not items:
            continue
        if words and line.speaker_id != speaker:
            turn_ends.append(len(words) - 1)
        speaker = line.speaker_id
        for word, mark, form in items:
            words.append(word)
            marks.append(mark)
            written.append(form)
        if marks[-1] not in SENTENCE_ENDS:
            marks[-1] = PERIOD
    return Stream(path.stem, tuple(words), tuple(marks), tuple(written), tuple(turn_ends))


def pages(shared: Path) -> list[Path]:
    """Every episode page of the shared folders, sorted by path."""
    return sorted(p for folder in FOLDERS for p in (shared / folder / "_podcast").glob("*.md"))


def labeled_pages(shared: Path) -> set[Path]:
    """The pages that have editors' quote labels."""
    found = set()
    for file in sorted((shared / "labels").glob("*.json")):
        found.add((shared / json.loads(file.read_text(encoding="utf-8"))["episode"]).resolve())
    return found


def split(shared: Path, streams: Sequence[Stream], paths: Sequence[Path]) -> tuple[list, list]:
    """(train, held out): held out are the labelled episodes and every page that
    shares a tenth of its word 8-grams with one of them (older versions)."""
    labeled = labeled_pages(shared)
    held = [s for s, p in zip(streams, paths, strict=True) if p.resolve() in labeled]
    held_grams = set().union(*(_grams(s) for s in held))
    train = [
        s
        for s, p in zip(streams, paths, strict=True)
        if p.resolve() not in labeled and _shared_share(s, held_grams) < 0.1
    ]
    return train, held


def _grams(stream: Stream, n: int = 8) -> set[tuple[str, ...]]:
    return {stream.words[i : i + n] for i in range(0, max(0, len(stream.words) - n), 4)}


def _shared_share(stream: Stream, grams: set) -> float:
    own = _grams(stream)
    return len(own & grams) / max(1, len(own))


def capital_forms(streams: Iterable[Stream], min_count: int = 3) -> dict[str, str]:
    """Caption word -> its usual written form, for words mostly written with a
    capital where no sentence starts (names, acronyms: "python" -> "Python")."""
    forms: dict[str, Counter] = {}
    for stream in streams:
        starts = True
        for word, mark, form in zip(stream.words, stream.marks, stream.written, strict=True):
            if not starts and form.lower() == word:
                forms.setdefault(word, Counter())[form] += 1
            starts = mark in SENTENCE_ENDS
    out = {}
    for word, counts in sorted(forms.items()):
        form, count = counts.most_common(1)[0]
        total = sum(counts.values())
        if form != word and count >= min_count and count >= 0.6 * total and word != "i":
            out[word] = form
    return out


@dataclass(frozen=True)
class Scores:
    boundary: float
    question: float
    comma: float

    def __str__(self) -> str:
        return (
            f"boundary F1 {self.boundary:.3f}  question F1 {self.question:.3f}  "
            f"comma F1 {self.comma:.3f}"
        )


def f1(gold: Sequence[bool], predicted: Sequence[bool]) -> float:
    hits = sum(g and p for g, p in zip(gold, predicted, strict=True))
    if hits == 0:
        return 0.0
    precision, recall = hits / sum(predicted), hits / sum(gold)
    return 2 * precision * recall / (precision + recall)


def score(gold: Sequence[int], predicted: Sequence[int]) -> Scores:
    """F1 of sentence ends (. or ? at the same word), of question marks and of commas."""
    return Scores(
        boundary=f1([g in SENTENCE_ENDS for g in gold], [p in SENTENCE_ENDS for p in predicted]),
        question=f1([g == QUESTION for g in gold], [p == QUESTION for p in predicted]),
        comma=f1([g == COMMA for g in gold], [p == COMMA for p in predicted]),
    )
