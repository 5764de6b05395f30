"""What the ranker knows about a candidate: named numeric features in groups.

Every feature is a plain number computed from the span's words and its place
in the episode, deterministic and cheap (regexes over each sentence, computed
once per sentence). The groups are what the ablation in
``benchmarks/eval_select.py --loeo --without GROUP`` removes:

* ``length``: words, sentences, source lines crossed, short fragments inside;
* ``standalone``: openers that lean on earlier talk ("It", "And", "Yeah"),
  back references ("as I said"), demonstratives and pronouns whose antecedent
  is outside the span, an answer's first words;
* ``generality``: a general claim travels, an anecdote does not (Danescu-
  Niculescu-Mizil et al. 2012): present versus past tense, generic "you",
  first and third person, names and numbers;
* ``distinctiveness``: share of everyday function words, long words, variety;
* ``shape``: contrast, "If ..., ...", imperative, advice, a lesson, a
  comparison, absolutes, superlatives, parallel wording, praise;
* ``fillers``: "you know", "kind of", stutters;
* ``context``: host or guest, intro/closing sections, show logistics and closing
  pleasantries, place in
  the episode and in the answer.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from clipper.episode.load import HOST_ROLE, Episode
from clipper.select.candidates import CONVERSATION_PHRASES, Span, Turn


def _any(patterns: str) -> re.Pattern[str]:
    """A lower-case pattern, searched in lower-cased text (much faster than
    ``re.IGNORECASE`` over long alternations)."""
    return re.compile(patterns)


_PRAISE = _any(
    r"\b(best|awesome|amazing|great|excellent|fantastic|love|loved|recommend|"
    r"game.changer|changed my (career|life)|helped me|grateful|thanks to|life.changing|"
    r"huge difference|really good|the quality)\b"
)
_PRAISED_THING = _any(
    r"\b(course|courses|zoomcamp|community|datatalks|slack|bootcamp|program|book|mentor|"
    r"podcast|cohort|material|teacher|instructor|club)\b"
)
_STRONG_TESTIMONIAL = _any(
    r"\b(game.changer|changed my (career|life)|best course|highly recommend|"
    r"helped me (get|land|find|switch))\b"
)
_ADVICE = _any(
    r"\b(you (need|have|ought) to|you should|you must|make sure|my advice|the key is|"
    r"do not be afraid|don't be afraid|the secret is|you do not have to|you don't have to)\b"
)
_IMPERATIVE = _any(
    r"^(start|focus|learn|build|try|don't|do not|stop|ask|write|share|pick|find|keep|"
    r"never|always|remember|think|spend|practice|read|be|get|make|use|go|talk|invest)\b"
)
_CONTRAST = _any(
    r"\b(not\b[^.;]{0,60}(;|, but|\bbut\b|it is|it's)|instead of|rather than|"
    r"more than|the difference|is not about|not enough|isn't about)"
)
_ABSOLUTE = _any(
    r"\b(the (best|hardest|most|biggest|only|first|worst|real)|never|always|nobody|"
    r"everybody|everyone|no one|every)\b"
)
_LESSON = _any(
    r"\b(matters?|does not matter|doesn't matter|what i learned|the lesson|i realized that|"
    r"i learned (that|to)|the point is|is about|the problem is|the hardest part|the trick|"
    r"the goal is|important|the key|the secret)\b"
)
_COMPARISON = _any(r"\b(is|are|have become|has become|was) like\b|\blike (a|an)\b")
_CONDITIONAL = _any(r"^(if|when|once|unless)\b[^,]{3,},")
_SUPERLATIVE = _any(r"\b(most|least|best|worst|biggest|hardest|easiest|greatest)\b")
_NUMBER = _any(r"\b\d[\d,.%]*\b")
_FIRST_HAND = _any(r"\b(changed my|helped me|taught me|i went from|i switched)\b")
_BACK_REFERENCE = _any(
    rf"\b({CONVERSATION_PHRASES}|"
    r"that one|this one|the same thing|what you said|he said|she said|earlier|mentioned|"
    r"if you remember|you remember|add to that|to that point|building on that|"
    r"that's why|this is why|for example|for instance|in that case|the other one)\b"
)
_DANGLING_START = _any(
    r"^(after|before|because of|for|in|with|from|at|on|like|besides|apart from|about|of|"
    r"to|by) (that|this|it|them|those|these)\b"
)
_FILLER = _any(
    r"\b(um+|uh+|you know|i mean|kind of|sort of|basically|like,|"
    r"(i was|i'm|we were|he was|she was) like)\b"
)
_STUTTER = re.compile(r"\b(\w+)\s+\1\b")
# Show logistics, closing pleasantries included ("thanks everyone for joining", "thank
# you all for listening": up to three words between the thanks and "for", but not "thanks
# to", which is praise); on captions that name nobody the host's goodbye is otherwise a pick.
_LOGISTICS = _any(
    r"\b(join our|subscribe|thank(s| you)(,? (?!to\b)[a-z']+){0,3},? for|welcome to|"
    r"see you (next time|soon)|have a (great|nice|good|wonderful) (day|week|weekend|evening)|"
    r"goodbye|this podcast|"
    r"this episode|today we|live chat|pinned link|we will cover|questions? (at|in) the|"
    r"the (first|next|last|second) question|question is|slido|questions during|"
    r"linkedin|twitter|my name is)\b"
)
_ASKS_ADVICE = _any(
    r"\b(advice|recommend|tips?|suggest|lessons?|learned|mistakes?|should|would you say|"
    r"what would you|how (do|did|can|should) (i|you|we|people|someone))\b"
)
_ADVICE_SECTION = _any(r"\b(advice|tips?|lessons?|recommend|career|learn|mistakes?|future)")
_QUIET_SECTIONS = _any(r"\b(intro|introduction|closing|wrap|outro|conclusion|goodbye)")
_WORD = re.compile(r"[A-Za-z0-9']+")

OPENERS = {
    "opener_pronoun": {"it", "that", "this", "these", "those", "they", "he", "she", "them"},
    "opener_conjunction": {"and", "so", "but", "because", "or", "also", "then", "which", "plus"},
    "opener_discourse": {
        "yeah", "yes", "no", "okay", "ok", "well", "right", "exactly", "sure", "oh", "um",
        "uh", "actually", "like", "anyway", "absolutely", "true", "correct", "definitely",
    },
    "opener_leaning": {"even", "not", "just", "later", "another", "maybe", "there", "here"},
}  # fmt: skip
_SECOND = {"you", "your", "yours", "yourself", "you're", "you've", "you'll", "you'd"}
_FIRST_SINGULAR = {"i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll"}
_FIRST_PLURAL = {"we", "us", "our", "ours", "we're", "we've", "we'd", "we'll"}
_THIRD = {"he", "she", "him", "her", "his", "hers", "they", "them", "their", "they're"}
POINTERS = {"it", "this", "that", "these", "those", "it's", "that's", "there"}
_PRESENT = {
    "is", "are", "am", "do", "does", "don't", "doesn't", "isn't", "aren't", "can", "can't",
    "will", "won't", "has", "have", "need", "needs", "it's", "that's", "there's", "you're",
    "we're", "they're", "should", "must",
}  # fmt: skip
_PAST = {
    "was", "were", "did", "didn't", "had", "wasn't", "weren't", "went", "got", "came",
    "made", "said", "started", "decided", "thought", "joined", "moved", "worked", "ago",
}  # fmt: skip
# Everyday English function words (written for clipper, no external list):
# text made mostly of these says little that is new.
_FUNCTION_WORDS = {
    "a", "an", "the", "and", "or", "but", "so", "of", "to", "in", "on", "at", "for", "with",
    "from", "by", "about", "as", "into", "like", "than", "then", "that", "this", "these",
    "those", "it", "its", "it's", "is", "are", "was", "were", "be", "been", "being", "am",
    "do", "does", "did", "done", "have", "has", "had", "i", "you", "he", "she", "we",
    "they", "me", "him", "her", "us", "them", "my", "your", "his", "our", "their", "what",
    "which", "who", "when", "where", "why", "how", "there", "here", "not", "no", "yes",
    "can", "could", "will", "would", "should", "may", "might", "must", "just", "very",
    "really", "also", "some", "any", "all", "more", "most", "much", "many", "one", "if",
    "because", "know", "think", "get", "got", "go", "going", "thing", "things", "lot",
    "kind", "sort", "mean", "say", "said", "well", "yeah", "okay", "right", "now", "actually",
    "don't", "i'm", "that's", "you're", "we're", "they're", "can't", "there's", "want",
    "make", "see", "way", "something", "people", "time", "good", "even", "only", "other",
    "out", "up", "over", "still", "too", "maybe", "let", "put", "take", "come", "use",
}  # fmt: skip


@dataclass(frozen=True)
class SentenceFacts:
    """What features need to know about one sentence, computed once per episode:
    its lower-cased words, shape flags, content words and word-class counts
    (summed over a span's sentences)."""

    words: tuple[str, ...]
    flags: frozenset[str]
    content: tuple[str, ...]
    counts: dict[str, int]


_FLAG_PATTERNS = {
    "strong_testimonial": _STRONG_TESTIMONIAL,
    "praise": _PRAISE,
    "praised_thing": _PRAISED_THING,
    "advice": _ADVICE,
    "imperative": _IMPERATIVE,
    "contrast": _CONTRAST,
    "lesson": _LESSON,
    "comparison": _COMPARISON,
    "conditional": _CONDITIONAL,
    "absolute": _ABSOLUTE,
    "superlative": _SUPERLATIVE,
    "first_hand": _FIRST_HAND,
    "back_reference": _BACK_REFERENCE,
    "dangling_start": _DANGLING_START,
    "logistics": _LOGISTICS,
}


_WORD_CLASSES = {
    "pointers": POINTERS,
    "second": _SECOND,
    "first_singular": _FIRST_SINGULAR,
    "first_plural": _FIRST_PLURAL,
    "third": _THIRD,
    "present": _PRESENT,
}
COUNTS = ("words", "fillers", "stutters", "names", "numbers", "long_words", "past",
          *_WORD_CLASSES)  # fmt: skip
_CLASSES_OF: dict[str, list[str]] = {}
for _name, _members in _WORD_CLASSES.items():
    for _word in _members:
        _CLASSES_OF.setdefault(_word, []).append(_name)


def sentence_facts(sentence: str) -> SentenceFacts:
    tokens = _WORD.findall(sentence)
    lower = sentence.lower()
    words = tuple(map(str.lower, tokens))
    counts = dict.fromkeys(_WORD_CLASSES, 0)
    for word in words:
        for name in _CLASSES_OF.get(word, ()):
            counts[name] += 1
    counts.update(
        words=len(words),
        fillers=len(_FILLER.findall(lower)),
        stutters=len(_STUTTER.findall(lower)),
        names=sum(1 for t in tokens[1:] if t[0].isupper() and t != "I" and not t.startswith("I'")),
        numbers=len(_NUMBER.findall(lower)),
        long_words=sum(1 for t in tokens if len(t) >= 9),
        past=sum(w in _PAST or (len(w) > 4 and w.endswith("ed")) for w in words),
    )
    return SentenceFacts(
        words=words,
        flags=frozenset(name for name, rx in _FLAG_PATTERNS.items() if rx.search(lower)),
        content=tuple(w for w in words if w not in _FUNCTION_WORDS),
        counts=counts,
    )


FEATURE_GROUPS: dict[str, tuple[str, ...]] = {
    "length": ("trimmed", "words", "words_squared", "two_sentences", "three_sentences",
               "lines_crossed", "fragment_inside"),
    "standalone": ("opener_pronoun", "opener_conjunction", "opener_discourse", "opener_leaning",
                   "dangling_start", "back_reference", "early_pointer", "pointers",
                   "opens_answer"),
    "generality": ("second_person", "first_singular", "first_plural", "third_person",
                   "present", "past", "names", "numbers"),
    "distinctiveness": ("function_words", "long_words", "variety"),
    "shape": ("contrast", "conditional", "imperative", "advice", "lesson", "comparison",
              "absolute", "superlative", "parallel", "praise", "testimonial", "first_hand"),
    "fillers": ("fillers", "stutters"),
    "context": ("host", "asked_for_advice", "advice_section", "quiet_section", "logistics",
                "episode_position", "turn_position", "turn_length"),
}  # fmt: skip
FEATURES: tuple[str, ...] = tuple(name for names in FEATURE_GROUPS.values() for name in names)


class EpisodeFacts:
    """Sentence facts of every turn, computed once and shared by all spans."""

    def __init__(self, episode: Episode, turns: list[Turn]) -> None:
        self.episode = episode
        self.speaker_turns = turns
        self.turns = max(1, len(turns))
        self.asked_for_advice = {
            turn.number
            for previous, turn in itertools.pairwise(turns)
            if _ASKS_ADVICE.search(" ".join(previous.sentence_texts[-3:]).lower())
        }
        # by (turn number, sentence number): only the sentences of spans described
        self._cache: dict[tuple[int, int], SentenceFacts] = {}
        self._trimmed: dict[tuple[int, int], SentenceFacts] = {}
        self._sections: dict[int | None, tuple[float, float]] = {}

    def section_flags(self, section: int | None) -> tuple[float, float]:
        """Whether a section is about advice or careers, and whether it is an
        intro or closing, from its title."""
        flags = self._sections.get(section)
        if flags is None:
            title = self.episode.section_title(section).lower()
            flags = self._sections[section] = (
                float(bool(_ADVICE_SECTION.search(title))),
                float(bool(_QUIET_SECTIONS.search(title))),
            )
        return flags

    def sentence(self, turn: Turn, number: int) -> SentenceFacts:
        key = (turn.number, number)
        facts = self._cache.get(key)
        if facts is None:
            facts = self._cache[key] = sentence_facts(turn.sentence_texts[number])
        return facts

    def sentences(self, span: Span) -> list[SentenceFacts]:
        turn, first = span.turn, span.first_sentence
        rest = [self.sentence(turn, i) for i in range(first + 1, first + span.count)]
        if not span.trim:
            return [self.sentence(turn, first), *rest]
        key = (turn.number, first)
        if key not in self._trimmed:
            self._trimmed[key] = sentence_facts(span.sentences[0])
        return [self._trimmed[key], *rest]


def _rate(count: float, words: int) -> float:
    return min(1.0, count / max(1, words) * 5)


def _summed_counts(sentences: list[SentenceFacts]) -> dict[str, int]:
    """The :data:`COUNTS` of ``sentences`` added up (not to be changed: for one
    sentence, its own)."""
    if len(sentences) == 1:
        return sentences[0].counts
    total = dict(sentences[0].counts)
    for sentence in sentences[1:]:
        for name, count in sentence.counts.items():
            total[name] += count
    return total


def span_features(span: Span, facts: EpisodeFacts) -> list[float]:
    """The values of :data:`FEATURES` for ``span``, in that order."""
    sentences = facts.sentences(span)
    c = _summed_counts(sentences)
    n = max(1, c["words"])
    flags = frozenset().union(*(s.flags for s in sentences))
    first = sentences[0].words
    opener = first[0] if first else ""
    content = [w for s in sentences for w in s.content]
    distinct = len(set(content))
    present, past = c["present"], c["past"]
    line = span.line
    turn_sentences = len(span.turn.sentences)
    advice_section, quiet_section = facts.section_flags(line.section)
    values = {
        "trimmed": float(span.trim > 0),
        "words": min(c["words"], 60) / 40,
        "words_squared": (min(c["words"], 60) / 40) ** 2,
        "two_sentences": float(span.count == 2),
        "three_sentences": float(span.count == 3),
        "lines_crossed": float(len(span.lines) - 1),
        "fragment_inside": float(sum(len(s.words) < 4 for s in sentences[1:])),
        "dangling_start": float("dangling_start" in sentences[0].flags),
        "back_reference": float("back_reference" in flags),
        "early_pointer": float(any(w in POINTERS for w in first[:4])),
        "pointers": _rate(c["pointers"], n),
        "opens_answer": float(span.first_sentence == 0 and span.turn.number > 0),
        "second_person": _rate(c["second"], n),
        "first_singular": _rate(c["first_singular"], n),
        "first_plural": _rate(c["first_plural"], n),
        "third_person": _rate(c["third"], n),
        "present": present / (present + past + 1),
        "past": _rate(past, n),
        "names": _rate(c["names"], n),
        "numbers": float(c["numbers"] > 0),
        "function_words": (n - len(content)) / n,
        "long_words": _rate(c["long_words"], n),
        "variety": distinct / max(1, len(content)),
        "parallel": float(distinct < len(content)),
        "praise": float({"praise", "praised_thing"} <= flags),
        "testimonial": float("strong_testimonial" in flags),
        "fillers": _rate(c["fillers"], n),
        "stutters": float(c["stutters"] > 0),
        "host": float(line.role == HOST_ROLE),
        "asked_for_advice": float(span.turn.number in facts.asked_for_advice),
        "advice_section": advice_section,
        "quiet_section": quiet_section,
        "logistics": float("logistics" in flags),
        "episode_position": span.turn.number / facts.turns,
        "turn_position": span.first_sentence / max(1, turn_sentences - 1),
        "turn_length": math.log1p(turn_sentences) / 3,
    }
    for name, openers in OPENERS.items():
        values[name] = float(opener in openers)
    for name in _SHAPES:
        values[name] = float(name in flags)
    return [values[name] for name in FEATURES]


_SHAPES = ("contrast", "conditional", "imperative", "advice", "lesson", "comparison",
           "absolute", "superlative", "first_hand")  # fmt: skip


def kind_of(span_flags: frozenset[str]) -> tuple[str, float]:
    """testimonial, advice or insight from the span's shape flags, and how
    clearly the span reads as that kind (0 when it has no such flag)."""
    testimonial = 0.0
    if "strong_testimonial" in span_flags:
        testimonial = 2.5
    elif {"praise", "praised_thing"} <= span_flags:
        testimonial = 1.5
    weights = {"contrast": 1.5, "lesson": 1.2, "comparison": 1.2, "conditional": 1.0}
    signals = {
        "testimonial": testimonial,
        "advice": 1.5 * ("advice" in span_flags) + 1.0 * ("imperative" in span_flags),
        "insight": sum(w for name, w in weights.items() if name in span_flags),
    }
    best = max(signals, key=lambda kind: signals[kind])
    return (best, signals[best]) if signals[best] > 0 else ("insight", 0.0)


def span_flags(span: Span, facts: EpisodeFacts) -> frozenset[str]:
    return frozenset().union(*(s.flags for s in facts.sentences(span)))


# Each feature in words: (when the span has more of it, when it has less).
_WORDS: dict[str, tuple[str, str]] = {
    "trimmed": ("opening connective dropped", "as spoken"),
    "words": ("a fuller statement", "short and tight"),
    "words_squared": ("long", "not overlong"),
    "two_sentences": ("two sentences", "not two sentences"),
    "three_sentences": ("three sentences", "fewer than three sentences"),
    "lines_crossed": ("crosses source lines", "one source line"),
    "fragment_inside": ("a fragment inside", "no fragment inside"),
    "opener_pronoun": ("opens with a pronoun", "no pronoun opener"),
    "opener_conjunction": ("opens with a conjunction", "no conjunction opener"),
    "opener_discourse": ("opens with a reply word", "no reply-word opener"),
    "opener_leaning": ("opener leans on context", "opener needs no context"),
    "dangling_start": ("starts 'after that'-like", "no dangling start"),
    "back_reference": ("refers back", "no back reference"),
    "early_pointer": ("points back early", "no early 'it'/'this'"),
    "pointers": ("many 'it'/'this'", "few 'it'/'this'"),
    "opens_answer": ("first words of an answer", "not the first words of an answer"),
    "second_person": ("speaks to 'you'", "little 'you'"),
    "first_singular": ("first person", "little 'I'"),
    "first_plural": ("'we'", "little 'we'"),
    "third_person": ("about 'he'/'they'", "little 'he'/'they'"),
    "present": ("present tense: general", "past tense"),
    "past": ("an anecdote in the past", "not a past anecdote"),
    "names": ("names", "few names"),
    "numbers": ("a number", "no numbers"),
    "function_words": ("everyday words", "distinctive words"),
    "long_words": ("long words", "plain words"),
    "variety": ("varied wording", "repetitive wording"),
    "contrast": ("a contrast", "no contrast"),
    "conditional": ("an 'if ..., ...' rule", "no 'if' rule"),
    "imperative": ("an imperative", "no imperative"),
    "advice": ("advice", "no advice phrase"),
    "lesson": ("a lesson", "no lesson phrase"),
    "comparison": ("a comparison", "no comparison"),
    "absolute": ("an absolute", "no absolute"),
    "superlative": ("a superlative", "no superlative"),
    "parallel": ("parallel wording", "no repeated word"),
    "praise": ("praise", "no praise"),
    "testimonial": ("a testimonial", "no testimonial"),
    "first_hand": ("first-hand change", "no first-hand change"),
    "fillers": ("fillers", "no fillers"),
    "stutters": ("stutters", "no stutter"),
    "host": ("the host", "a guest"),
    "asked_for_advice": ("answers a request for advice", "answers another question"),
    "advice_section": ("a section on advice or careers", "a section on other things"),
    "quiet_section": ("intro or closing", "the main part"),
    "logistics": ("show logistics", "no show logistics"),
    "episode_position": ("late in the episode", "early in the episode"),
    "turn_position": ("late in the answer", "early in the answer"),
    "turn_length": ("a long answer", "a short answer"),
}


def describe(name: str, contribution: float, above_average: bool) -> str:
    """``"a contrast (+0.61)"``: a feature's contribution in words."""
    more, less = _WORDS.get(name, (name, f"little {name}"))
    return f"{more if above_average else less} ({contribution:+.2f})"
