"""Where a quote starts and ends inside a turn: a learned model of sentence joins.

Editors' spans are runs of whole sentences, so between two neighbouring
sentences of a turn there is either a join (both belong to one quote: a
set-up and its punchline, a claim and its reason) or a cut (a new point
starts). :class:`JoinModel` gives the odds of a join from named features of
the two sentences: how the second opens ("It", "So", "Yeah" lean on the
first; "The", "I" start afresh), the content words they share (a topic
shift shares none), whether the second is a claim of its own (present tense,
a lesson, advice), their lengths, and whether a new transcript paragraph
starts between them. It is a logistic regression fitted on the sentence
pairs of editors' labels (``tools/train_ranker.py``) and ships in
``ranker.json``; scoring is plain Python.

:class:`Joins` applies it to a selection: a span with a join inside it that
the model is sure is a cut is never ranked (two points are two candidates),
and each pick's edges are explained: how likely the sentence before it and
the one after it belong with it, and why.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from clipper.errors import ClipperError
from clipper.select.candidates import Span, Turn
from clipper.select.features import OPENERS, POINTERS, EpisodeFacts, SentenceFacts
from clipper.select.linear import LinearModel

# A span is never ranked when the model gives one of the joins inside it less
# than this chance: it is sure the two sentences are two points (in practice
# a new transcript paragraph with a fresh opener; see README, "How quotes are
# ranked").
SURE_CUT = 0.1

JOIN_FEATURES: tuple[str, ...] = (
    "opens_pronoun", "opens_conjunction", "opens_discourse", "opens_leaning",
    "early_pointer", "dangling_start", "shared_words", "shares_a_word",
    "first_length", "second_length", "first_short", "second_short",
    "first_conditional", "first_contrast", "second_contrast", "second_lesson",
    "second_advice", "second_imperative", "second_absolute", "second_back_reference",
    "first_past", "second_past", "second_present", "second_you", "first_you",
    "second_pointers", "second_i", "first_i", "new_paragraph", "opens_article",
    "opens_person",
)  # fmt: skip

# Each join feature in words: (when the pair has more of it, when it has less).
_JOIN_WORDS: dict[str, tuple[str, str]] = {
    "opens_pronoun": ("next opens with a pronoun", "next opens with no pronoun"),
    "opens_conjunction": ("next opens with a conjunction", "next opens with no conjunction"),
    "opens_discourse": ("next opens with a reply word", "next opens with no reply word"),
    "opens_leaning": ("next opener leans back", "next opener leans on nothing"),
    "early_pointer": ("next points back early", "next has no early 'it'/'this'"),
    "dangling_start": ("next starts 'after that'-like", "no dangling start"),
    "shared_words": ("many shared words", "few shared words"),
    "shares_a_word": ("a shared word", "no shared word"),
    "first_length": ("a long first sentence", "a short first sentence"),
    "second_length": ("a long next sentence", "a short next sentence"),
    "first_short": ("a fragment first", "a full first sentence"),
    "second_short": ("a fragment next", "a full next sentence"),
    "first_conditional": ("an 'if' set-up", "no 'if' set-up"),
    "first_contrast": ("a contrast first", "no contrast first"),
    "second_contrast": ("a contrast next", "no contrast next"),
    "second_lesson": ("a lesson next", "no lesson next"),
    "second_advice": ("advice next", "no advice next"),
    "second_imperative": ("an imperative next", "no imperative next"),
    "second_absolute": ("an absolute next", "no absolute next"),
    "second_back_reference": ("next refers back", "next does not refer back"),
    "first_past": ("past tense first", "little past tense first"),
    "second_past": ("past tense next", "little past tense next"),
    "second_present": ("present tense next", "little present tense next"),
    "second_you": ("'you' next", "little 'you' next"),
    "first_you": ("'you' first", "little 'you' first"),
    "second_pointers": ("'it'/'this' next", "few 'it'/'this' next"),
    "second_i": ("'I' next", "little 'I' next"),
    "first_i": ("'I' first", "little 'I' first"),
    "new_paragraph": ("a new paragraph", "the same paragraph"),
    "opens_article": ("next opens with 'the'/'a'", "next opens with no article"),
    "opens_person": ("next opens with 'I'/'we'/'you'", "next opens with no person"),
}


def _share(count: int, words: int) -> float:
    return count / max(1, words)


def pair_features(first: SentenceFacts, second: SentenceFacts, new_paragraph: bool) -> list[float]:
    """The values of :data:`JOIN_FEATURES` for two neighbouring sentences."""
    opener = second.words[0] if second.words else ""
    a, b = set(first.content), set(second.content)
    shared = len(a & b) / max(1, min(len(a), len(b)))
    na, nb = max(1, first.counts["words"]), max(1, second.counts["words"])
    return [
        *(float(opener in words) for words in OPENERS.values()),
        float(any(word in POINTERS for word in second.words[:4])),
        float("dangling_start" in second.flags),
        shared,
        float(shared > 0),
        min(na, 40) / 20,
        min(nb, 40) / 20,
        float(na < 8),
        float(nb < 8),
        float("conditional" in first.flags),
        float("contrast" in first.flags),
        float("contrast" in second.flags),
        float("lesson" in second.flags),
        float("advice" in second.flags),
        float("imperative" in second.flags),
        float("absolute" in second.flags),
        float("back_reference" in second.flags),
        _share(first.counts["past"], na),
        _share(second.counts["past"], nb),
        _share(second.counts["present"], nb),
        _share(second.counts["second"], nb),
        _share(first.counts["second"], na),
        _share(second.counts["pointers"], nb),
        _share(second.counts["first_singular"], nb),
        _share(first.counts["first_singular"], na),
        float(new_paragraph),
        float(opener in ("the", "a", "an")),
        float(opener in ("i", "we", "you")),
    ]


@dataclass(frozen=True)
class JoinModel(LinearModel):
    """Logistic weights over standardised :data:`JOIN_FEATURES`."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.features != JOIN_FEATURES:
            raise ClipperError("ranker weights: the join model's features are not this version's")

    @functools.cached_property
    def _terms(self) -> list[tuple[float, float]]:
        """(weight / scale, mean) of each feature."""
        return [(w / s, m) for w, s, m in zip(self.weights, self.scale, self.mean, strict=True)]

    def probability(self, values: list[float]) -> float:
        """The chance that the two sentences belong to one quote."""
        z = self.bias + math.fsum(
            slope * (v - m) for v, (slope, m) in zip(values, self._terms, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def reasons(self, values: list[float], count: int = 2) -> list[str]:
        """The features that move the odds most, in words: ``"a new paragraph (-5.95)"``."""
        terms = {
            name: (w * (v - m) / s, v > m)
            for name, v, m, s, w in zip(
                self.features, values, self.mean, self.scale, self.weights, strict=True
            )
        }
        top = sorted(terms, key=lambda name: -abs(terms[name][0]))[:count]
        return [f"{_JOIN_WORDS[name][not terms[name][1]]} ({terms[name][0]:+.2f})" for name in top]


def boundary_values(turn: Turn, number: int, facts: EpisodeFacts) -> list[float]:
    """The :data:`JOIN_FEATURES` of sentence ``number`` of ``turn`` and the next one."""
    lines = turn.line_numbers
    second = lines[turn.sentences[number + 1].start]
    new_paragraph = second != lines[turn.sentences[number].start]
    new_paragraph = new_paragraph and not turn.spoken_lines[second].continues
    return pair_features(
        facts.sentence(turn, number), facts.sentence(turn, number + 1), new_paragraph
    )


class Joins:
    """The join model applied to one episode's turns, each boundary once."""

    def __init__(self, model: JoinModel, facts: EpisodeFacts) -> None:
        self.model = model
        self.facts = facts
        self._odds: dict[tuple[int, int], float] = {}

    def probability(self, turn: Turn, number: int) -> float:
        """The chance that sentences ``number`` and ``number + 1`` of ``turn``
        belong to one quote."""
        key = (turn.number, number)
        found = self._odds.get(key)
        if found is None:
            values = boundary_values(turn, number, self.facts)
            found = self._odds[key] = self.model.probability(values)
        return found

    def glued(self, span: Span) -> bool:
        """The span joins two points the model is sure are separate."""
        first = span.first_sentence
        return any(
            self.probability(span.turn, number) < SURE_CUT
            for number in range(first, first + span.count - 1)
        )

    def edges(self, span: Span) -> list[str]:
        """Why the span starts and ends where it does, in words: for the
        sentence before it, each join inside it and the sentence after it, the
        chance it belongs with the span and the two strongest reasons."""
        turn, first = span.turn, span.first_sentence
        last = first + span.count - 1
        out = []
        for number, where in ((first - 1, "before"), *((n, "inside") for n in range(first, last)),
                              (last, "after")):  # fmt: skip
            if 0 <= number < len(turn.sentences) - 1:
                chance = self.probability(turn, number)
                why = ", ".join(self.model.reasons(boundary_values(turn, number, self.facts)))
                verdict = _verdict(chance, where)
                if where != "inside":
                    other = turn.sentence_texts[number if where == "before" else number + 1]
                    verdict = f"{_shorten(other)} {verdict}"
                out.append(f"{where}: {verdict} (join {chance:.0%}: {why})")
        return out


def _shorten(text: str, words: int = 6) -> str:
    parts = text.split()
    return repr(" ".join(parts[:words]) + ("..." if len(parts) > words else ""))


def _verdict(chance: float, where: str) -> str:
    if where == "inside":
        return "one point" if chance >= 0.5 else "a weaker join"
    return "is a new point" if chance < 0.5 else "could belong with it"
