"""Candidate quotes: spans of 1-3 whole sentences inside one speaker turn.

A turn is a run of lines by the same speaker, possibly over several source
lines. Each word of a turn remembers its line and its position there, so a
span is timed by word position within each line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby
from typing import Any, Generic, TypeVar

from clipper.episode.load import Episode, Line
from clipper.episode.model import UNNAMED
from clipper.episode.sentences import split_words

MAX_SENTENCES = 3
MIN_CLIP_SECONDS = 0.5
MAX_TURN_SECONDS = 120.0
# A restored span is ranked only when it is likely whole: the restorer's
# confidences that a sentence ends just before it and at its last word,
# multiplied, at least this (read as probabilities; bench_restore shows how
# far the shipped model's are from the editors' ends). 0.7 rather than 0.5:
# it keeps a pick that starts or stops mid-sentence out of more cards (82.8%
# of picks on real edges instead of 78.8%) for 0.036 of caption P@5.
SURE_EDGE = 0.7
_FULL_STOP = re.compile(r"(?<![.…])[.!][\"'”’)]*$")
_VOCABULARY_WORD = re.compile(r"[a-z0-9']+")

_T = TypeVar("_T")


class _cached(Generic[_T]):
    """An attribute computed on first use and then stored on the instance, as
    :func:`functools.cached_property` does but without taking its lock (which
    Python 3.11 does on every first use, thousands of times per selection)."""

    def __init__(self, compute: Callable[[Any], _T]) -> None:
        self.compute = compute
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> _T:
        if instance is None:
            return self  # type: ignore[return-value]  (looked up on the class)
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


# ------------------------------------------------------------- turns and spans


class Turn:
    """The words of a run of lines by one speaker, split into sentences.

    Each word remembers its line and its position there, so a span of words
    can be timed by word position within each line.
    """

    def __init__(self, number: int, lines: list[Line], opening: float = 1.0) -> None:
        self.number = number
        self.opening = opening  # the confidence that a sentence ends just before the turn
        self.words: list[str] = []
        self.word_lines: list[Line] = []
        self.positions: list[int] = []
        self.line_sizes: list[int] = []
        self.spoken_lines: list[Line] = []  # the lines with words, in order
        self.line_numbers: list[int] = []  # per word: its line's place in spoken_lines
        for line in lines:
            texts = line.text.split()
            if not texts:
                continue
            self.words += texts
            self.word_lines += [line] * len(texts)
            self.positions += range(len(texts))
            self.line_sizes += [len(texts)] * len(texts)
            self.line_numbers += [len(self.spoken_lines)] * len(texts)
            self.spoken_lines.append(line)
        self.sentences = split_words(self.words)
        self.sentence_texts = [" ".join(self.words[r.start : r.stop]) for r in self.sentences]
        # Per sentence: no question, no quotation cut in half (see :func:`quotable`).
        self.plain_sentences = [
            "?" not in text and not _unbalanced(text) for text in self.sentence_texts
        ]
        # Per sentence: it ends with a full stop or "!", not "..." (the end of a
        # span's text: trimming its first words leaves at least three).
        self.full_stops = [bool(_FULL_STOP.search(text)) for text in self.sentence_texts]
        self._vocabulary_words: dict[int, list[str]] = {}
        self._points_back: dict[int, bool] = {}

    def vocabulary_words(self, number: int) -> list[str]:
        """The lower-case words of sentence ``number`` (see :attr:`Span.vocabulary`)."""
        words = self._vocabulary_words.get(number)
        if words is None:
            text = self.sentence_texts[number].lower()
            words = self._vocabulary_words[number] = _VOCABULARY_WORD.findall(text)
        return words

    def points_back(self, number: int) -> bool:
        """Whether sentence ``number`` refers to the conversation itself (see
        :func:`points_back`)."""
        found = self._points_back.get(number)
        if found is None:
            found = self._points_back[number] = bool(
                _CONVERSATION.search(self.sentence_texts[number])
            )
        return found

    def end_confidence(self, word: int) -> float:
        """The restorer's confidence that a sentence ends after word ``word``
        (before the turn's first word: after the line before it; 1.0 in
        punctuated text)."""
        if word < 0:
            return self.opening
        line = self.word_lines[word]
        return line.end_confidence[self.positions[word]] if line.end_confidence else 1.0

    def word_time(self, word: int, edge: int = 0) -> float:
        """When word ``word`` starts (``edge=0``) or ends (``edge=1``)."""
        line = self.word_lines[word]
        fraction = (self.positions[word] + edge) / self.line_sizes[word]
        return line.start + (line.end - line.start) * fraction


@dataclass(frozen=True, eq=False)
class Span:
    """Consecutive sentences of one turn: the unit that becomes a quote.

    ``trim`` leading words of the first sentence are left out: spoken
    connectives such as "So," or "And" (see :func:`connective_words`); the
    rest of that sentence then starts with a capital.
    """

    turn: Turn
    first_sentence: int
    count: int
    trim: int = 0

    @_cached
    def sentences(self) -> list[str]:
        texts = self.turn.sentence_texts[self.first_sentence : self.first_sentence + self.count]
        if self.trim:
            first = self.turn.sentences[self.first_sentence]
            rest = " ".join(self.turn.words[first.start + self.trim : first.stop])
            texts = [rest[:1].upper() + rest[1:], *texts[1:]]
        return texts

    @_cached
    def word_range(self) -> range:
        first = self.turn.sentences[self.first_sentence]
        last = self.turn.sentences[self.first_sentence + self.count - 1]
        return range(first.start + self.trim, last.stop)

    @_cached
    def text(self) -> str:
        return " ".join(self.sentences)

    @_cached
    def vocabulary(self) -> frozenset[str]:
        # The words of the lower-cased text, in order, put together from its
        # sentences' (a space joins them, so no word runs across two): the same
        # list, so the set iterates in the same order, with each sentence split
        # once per turn.
        first, turn = self.first_sentence, self.turn
        words = (
            _VOCABULARY_WORD.findall(self.sentences[0].lower())
            if self.trim
            else turn.vocabulary_words(first)
        )
        for number in range(first + 1, first + self.count):
            words = words + turn.vocabulary_words(number)
        return frozenset(words)

    @property
    def word_count(self) -> int:
        return len(self.word_range)

    @_cached
    def lines(self) -> list[Line]:
        """The source lines the span's words come from, in order."""
        numbers = self.turn.line_numbers
        words = self.word_range
        return self.turn.spoken_lines[numbers[words.start] : numbers[words.stop - 1] + 1]

    @property
    def start(self) -> float:
        return self.turn.word_time(self.word_range.start)

    @property
    def end(self) -> float:
        return max(self.turn.word_time(self.word_range.stop - 1, 1), self.start + MIN_CLIP_SECONDS)

    @property
    def line(self) -> Line:
        return self.lines[0]

    @property
    def line_indices(self) -> list[int]:
        return [line.index for line in self.lines]

    def overlaps(self, other: Span) -> bool:
        return (
            self.turn is other.turn
            and self.first_sentence < other.first_sentence + other.count
            and other.first_sentence < self.first_sentence + self.count
        )


def speaker_turns(episode: Episode) -> list[Turn]:
    """Runs of lines by one speaker, lines with an uncertain speaker left out.

    A run is cut into several turns at a new section and where it grows
    longer than :data:`MAX_TURN_SECONDS`: a long monologue answers several
    things, and picks keep to one per turn. In a transcript that names nobody
    every line has the one unnamed speaker, and a new paragraph is where the
    reader found a new turn (a ``>>`` mark, a speaker change the restorer
    reads, a question's answer, a long silence), so it starts one here too.
    """
    usable = [line for line in episode.lines if not line.speaker_uncertain]
    turns: list[Turn] = []
    before: Line | None = None  # the line before the turn being built
    for _, run in groupby(usable, key=lambda line: line.speaker_id):
        lines: list[Line] = []
        for line in run:
            if lines and (
                line.section != lines[0].section
                or line.start - lines[0].start > MAX_TURN_SECONDS
                or (line.who == UNNAMED and not line.continues)
            ):
                turns.append(Turn(len(turns), lines, _last_end_confidence(before)))
                before, lines = lines[-1], []
            lines.append(line)
        turns.append(Turn(len(turns), lines, _last_end_confidence(before)))
        before = lines[-1]
    return turns


def _last_end_confidence(line: Line | None) -> float:
    """The restorer's confidence that a sentence ends at the last word of
    ``line`` (1.0 for punctuated text and before the first line)."""
    return line.end_confidence[-1] if line is not None and line.end_confidence else 1.0


# Spoken connectives an editor drops from the front of a quote ("So, the key
# is ..." -> "The key is ..."); "so" stays before words it qualifies.
_CONNECTIVES = frozenset({
    "and", "but", "so", "also", "because", "yeah", "yes", "well", "okay", "ok", "oh", "um",
    "uh", "actually", "basically", "anyway", "plus", "then", "now", "honestly",
})  # fmt: skip
_KEEP_SO = frozenset({"many", "much", "far", "few", "long", "little"})
MAX_TRIM = 3


def connective_words(words: list[str]) -> int:
    """How many leading words of a sentence are connectives to drop (at most
    :data:`MAX_TRIM`, and never the whole sentence)."""
    count = 0
    while count < min(MAX_TRIM, len(words) - 3):
        word = words[count].lower().strip(",.;:-–—")
        following = words[count + 1].lower().strip(",") if count + 1 < len(words) else ""
        if word not in _CONNECTIVES or (word == "so" and following in _KEEP_SO):
            break
        count += 1
    return count


def candidate_spans(turns: list[Turn]) -> list[Span]:
    """Every span of 1-3 consecutive sentences inside each speaker turn, each
    without the connectives its first sentence opens with."""
    spans = []
    for turn in turns:
        for first, sentence in enumerate(turn.sentences):
            trim = connective_words(turn.words[sentence.start : sentence.stop])
            for count in range(1, min(MAX_SENTENCES, len(turn.sentences) - first) + 1):
                spans.append(Span(turn, first, count, trim))
    return spans


def _unbalanced(text: str) -> bool:
    """Text that opens or closes a quotation it does not contain."""
    if "“" in text or "”" in text:
        depth = 0
        for char in text:
            depth += (char == "“") - (char == "”")
            if depth < 0:
                return True
        if depth != 0:
            return True
    return text.count('"') % 2 == 1


def quotable(span: Span) -> bool:
    """Whether a span may be a quote at all: no question anywhere, it ends a
    sentence (not trailing off with "..."), cuts no quotation in half, and its
    speaker and times are sure."""
    turn, end = span.turn, span.first_sentence + span.count
    return (
        all(turn.plain_sentences[span.first_sentence : end])
        and turn.full_stops[end - 1]
        and not any(line.time_suspect for line in span.lines)
    )


# Openers that lean on what was said before: a span starting with one is never
# ranked (it can still be picked by --line), whatever its other merits.
LEANING_OPENERS = frozenset({
    "and", "but", "so", "or", "because", "also", "then", "which", "plus", "yeah", "yes",
    "okay", "ok", "well", "um", "uh", "oh", "right", "exactly", "sure", "that", "this",
    "these", "those", "it", "they", "he", "she", "them", "their", "his", "her", "its",
})  # fmt: skip
_OPENER = re.compile(r"[\"'“‘(]*([A-Za-z']+)")
# Words that point back at the conversation itself: a stranger reading the
# quote was not there. Editors' labels hold them three times less often than
# other candidates do. Such spans are still described and scored (the ranker
# learns from them), only never picked.
CONVERSATION_PHRASES = (
    r"as i said|like i said|as i mentioned|i mentioned|as you said|like you said|you said|"
    r"as you mentioned|you mentioned|as we said|we discussed|we talked about|you asked|"
    r"your question|good question|great question"
)
_CONVERSATION = re.compile(rf"\b({CONVERSATION_PHRASES})\b", re.IGNORECASE)


def whole_chance(span: Span) -> float:
    """The chance that a span of restored speech begins and ends on sentence
    edges: the restorer's confidences that a sentence ends just before it and
    at its last word, taken as independent, multiplied (1.0 in punctuated text)."""
    turn = span.turn
    before = turn.sentences[span.first_sentence].start - 1
    return turn.end_confidence(before) * turn.end_confidence(span.word_range.stop - 1)


def sure_edges(span: Span) -> bool:
    """Whether a span of restored speech is likely whole (its
    :func:`whole_chance` is at least :data:`SURE_EDGE`)."""
    return whole_chance(span) >= SURE_EDGE


def stands_alone(span: Span) -> bool:
    """Starts with a capital and not with a word that leans on earlier talk."""
    match = _OPENER.match(span.text)
    if not match or not match.group(1)[0].isupper():
        return False
    first = match.group(1).lower()
    return first not in LEANING_OPENERS and first.split("'")[0] not in LEANING_OPENERS


def points_back(span: Span) -> bool:
    """Refers to the conversation itself: "as I mentioned", "you said"."""
    # Sentence by sentence, as spans share them: a phrase of letters and spaces
    # never runs across the end of a sentence, and none starts with a
    # connective that trimming drops (see connective_words).
    first = span.first_sentence
    return any(map(span.turn.points_back, range(first, first + span.count)))
