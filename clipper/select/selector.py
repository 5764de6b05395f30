"""Pick the lines of an episode worth posting.

A candidate is a span of 1-3 whole sentences inside one speaker turn (a turn
is a run of lines by the same speaker, possibly over several source lines).
Each candidate gets a deterministic score; :func:`score_span` documents it.
The best non-overlapping, non-duplicate candidates that pass the filters are
returned as :class:`~clipper.quote.Quote` records with the seconds where their
words are spoken.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from itertools import groupby

from clipper.episode import HOST_ROLE, Episode, Line
from clipper.errors import ClipperError
from clipper.select.quote import KINDS, Quote

MAX_SENTENCES = 3
MIN_CLIP_SECONDS = 0.5
MIN_SCORE = 0.0  # below this a span needs its context: never picked by ranking
NEAR_DUPLICATE = 0.5


@dataclass
class SelectOptions:
    """Filters for :func:`select_quotes`; ``None`` means no filter.

    ``between`` is ``(start_seconds, end_seconds)``; ``lines`` are source line
    indices and ``at`` are seconds: explicit picks that bypass the ranking.
    Brand safety (:mod:`clipper.select.safety`) always applies to ranked picks;
    ``allow_profanity`` lifts only its swear-word list, ``avoid`` adds the
    brand's own words or regexes. ``ranker="llm"`` re-orders the best
    offline candidates with a language model (``model``: an llm model name).
    """

    speaker: str | None = None
    section: str | None = None
    kind: str = "any"
    min_words: int = 8
    max_words: int = 40
    min_seconds: float | None = None
    max_seconds: float | None = None
    between: tuple[float, float] | None = None
    match: str | None = None
    top: int = 10
    lines: tuple[int, ...] = ()
    at: tuple[float, ...] = ()
    allow_profanity: bool = False
    avoid: tuple[str, ...] = ()
    ranker: str = "offline"
    model: str | None = None


# ------------------------------------------------------------- sentences

_ABBREVIATIONS = {
    "e.g.", "i.e.", "etc.", "vs.", "dr.", "mr.", "mrs.", "ms.", "prof.", "st.", "jr.",
    "sr.", "inc.", "ltd.", "co.", "no.", "approx.", "u.s.", "u.k.", "a.m.", "p.m.", "cf.",
}  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*$")


def _ends_sentence(word: str, previous: str | None, following: str | None) -> bool:
    if not _SENTENCE_END.search(word):
        return False
    bare = word.lower().strip("\"'“”‘’()[]")
    if bare in _ABBREVIATIONS:
        return False  # e.g. / Dr. / etc.
    if re.fullmatch(r"[a-z]\.", bare) and previous and previous[0].isupper():
        return False  # a middle initial: "John F. Kennedy" (but "point B." ends)
    if following is None:
        return True
    return bool(re.match(r"[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ]", following))


def split_words(words: list[str]) -> list[range]:
    """The word positions of each sentence (see :func:`split_sentences`)."""
    sentences, first = [], 0
    for i, word in enumerate(words):
        previous = words[i - 1] if i else None
        if _ends_sentence(word, previous, words[i + 1] if i + 1 < len(words) else None):
            sentences.append(range(first, i + 1))
            first = i + 1
    if first < len(words):
        sentences.append(range(first, len(words)))
    return sentences


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, keeping "e.g.", "Dr." and "3.5" intact."""
    words = text.split()
    return [" ".join(words[group.start : group.stop]) for group in split_words(words)]


# ------------------------------------------------------------- turns and spans


class Turn:
    """The words of a run of lines by one speaker, split into sentences.

    Each word remembers its line and its position there, so a span of words
    can be timed by word position within each line.
    """

    def __init__(self, number: int, lines: list[Line]) -> None:
        self.number = number
        self.words: list[str] = []
        self.word_lines: list[Line] = []
        self.positions: list[int] = []
        self.line_sizes: list[int] = []
        for line in lines:
            texts = line.text.split()
            self.words += texts
            self.word_lines += [line] * len(texts)
            self.positions += range(len(texts))
            self.line_sizes += [len(texts)] * len(texts)
        self.sentences = split_words(self.words)
        self.sentence_texts = [" ".join(self.words[r.start : r.stop]) for r in self.sentences]
        self.sentence_stats = [sentence_stats(text) for text in self.sentence_texts]

    def word_time(self, word: int, edge: int = 0) -> float:
        """When word ``word`` starts (``edge=0``) or ends (``edge=1``)."""
        line = self.word_lines[word]
        fraction = (self.positions[word] + edge) / self.line_sizes[word]
        return line.start + (line.end - line.start) * fraction


@dataclass(frozen=True, eq=False)
class Span:
    """Consecutive sentences of one turn: the unit that becomes a quote."""

    turn: Turn
    first_sentence: int
    count: int

    @functools.cached_property
    def sentences(self) -> list[str]:
        return self.turn.sentence_texts[self.first_sentence : self.first_sentence + self.count]

    @property
    def stats(self) -> list[SentenceStats]:
        return self.turn.sentence_stats[self.first_sentence : self.first_sentence + self.count]

    @functools.cached_property
    def word_range(self) -> range:
        first = self.turn.sentences[self.first_sentence]
        last = self.turn.sentences[self.first_sentence + self.count - 1]
        return range(first.start, last.stop)

    @functools.cached_property
    def text(self) -> str:
        return " ".join(self.sentences)

    @functools.cached_property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(re.findall(r"[a-z0-9']+", self.text.lower()))

    @property
    def word_count(self) -> int:
        return len(self.word_range)

    @functools.cached_property
    def lines(self) -> list[Line]:
        """The source lines the span's words come from, in order."""
        seen: dict[int, Line] = {}
        for line in self.turn.word_lines[self.word_range.start : self.word_range.stop]:
            seen.setdefault(line.index, line)
        return list(seen.values())

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
    """Runs of lines by one speaker; lines with an uncertain speaker are left out."""
    usable = [line for line in episode.lines if not line.speaker_uncertain]
    groups = groupby(usable, key=lambda line: line.speaker_id)
    return [Turn(number, list(lines)) for number, (_, lines) in enumerate(groups)]


def candidate_spans(episode: Episode) -> list[Span]:
    """Every span of 1-3 consecutive sentences inside each speaker turn."""
    return [
        Span(turn, first, count)
        for turn in speaker_turns(episode)
        for first in range(len(turn.sentences))
        for count in range(1, min(MAX_SENTENCES, len(turn.sentences) - first) + 1)
    ]


# ------------------------------------------------------------- scoring


def _any(patterns: str) -> re.Pattern[str]:
    return re.compile(patterns, re.IGNORECASE)


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
    r"never|always|remember|think|spend|practice|read)\b"
)
_CONTRAST = _any(
    r"\b(not\b[^.;]{0,60}(;|, but|\bbut\b|it is|it's)|instead of|rather than|"
    r"more than|the difference|is not about|not enough)"
)
_ABSOLUTE = _any(
    r"\b(the (best|hardest|most|biggest|only|first|worst|real)|never|always|nobody|"
    r"everybody|everyone|no one|every)\b"
)
_LESSON = _any(
    r"\b(matters?|does not matter|doesn't matter|what i learned|the lesson|i realized that|"
    r"i learned (that|to)|the point is|is about|the problem is|the hardest part|the trick|"
    r"the goal is|important)\b"
)
_COMPARISON = _any(r"\b(is|are|have become|has become|was) like\b|\blike (a|an)\b")
_CONDITIONAL = _any(r"^if\b[^,]{3,},")
_NUMBER = _any(r"\b\d[\d,.%]*\b|\b(two|three|four|five|ten|hundred|thousand|million)\b")
_FIRST_HAND = _any(r"\b(changed my|helped me|taught me|i went from|i switched)\b")
_BACK_REFERENCE = _any(
    r"\b(as i said|like i said|you said|you mentioned|as you mentioned|i mentioned|"
    r"that one|this one|the same thing|what you said|he said|she said|earlier|mentioned|"
    r"if you remember|you remember|add to that|to that point|building on that)\b"
)
_DANGLING_START = _any(
    r"^(after|before|because of|for|in|with|from|at|on|like|besides|apart from) "
    r"(that|this|it|them|those|these)\b"
)
_FILLER = _any(
    r"\b(um+|uh+|you know|i mean|kind of|sort of|basically|like,|"
    r"(i was|i'm|we were|he was|she was) like)\b"
)
_DEMONSTRATIVE = _any(r"\b(these|those)\b")
_LOGISTICS = _any(
    r"\b(join our|subscribe|thanks for having|thank you for|welcome to|this podcast|"
    r"this episode|today we|live chat|pinned link|we will cover|questions? (at|in) the|"
    r"the (first|next|last|second) question|question is|slido|questions during)\b"
)
_OPENER_PENALTIES = {
    **dict.fromkeys(("it", "that", "this", "these", "those", "they", "he", "she", "them"), 2.0),
    **dict.fromkeys(("and", "so", "but", "because", "or", "also", "then", "which", "plus"), 2.5),
    **dict.fromkeys(("even", "not", "just", "later", "another", "maybe"), 1.5),
    **dict.fromkeys(("yeah", "yes", "no", "okay", "ok", "well", "right", "exactly", "sure",
                     "oh", "um", "uh", "actually", "like", "anyway"), 3.0),
}  # fmt: skip
_QUIET_SECTIONS = _any(r"\b(intro|introduction|closing|wrap|outro|conclusion|goodbye)")


@dataclass(frozen=True)
class Scored:
    span: Span
    score: float
    kind: str


def _first_word(text: str) -> str:
    match = re.match(r"[\"'“‘(]*([A-Za-z']+)", text)
    return match.group(1).lower() if match else ""


_SIGNAL_PATTERNS = {
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
    "number": _NUMBER,
    "first_hand": _FIRST_HAND,
    "back_reference": _BACK_REFERENCE,
    "logistics": _LOGISTICS,
}


@dataclass(frozen=True)
class SentenceStats:
    """What scoring needs to know about one sentence, computed once per episode."""

    features: frozenset[str]
    words: int
    fillers: int
    demonstratives: int
    question: bool
    unbalanced: bool


def sentence_stats(sentence: str) -> SentenceStats:
    return SentenceStats(
        features=frozenset(
            name for name, pattern in _SIGNAL_PATTERNS.items() if pattern.search(sentence)
        ),
        words=len(sentence.split()),
        fillers=len(_FILLER.findall(sentence)),
        demonstratives=len(_DEMONSTRATIVE.findall(sentence)),
        question="?" in sentence,
        unbalanced=_unbalanced(sentence),
    )


def kind_signals(features: frozenset[str]) -> dict[str, float]:
    """How strongly a text with these features reads as each kind of quote."""
    testimonial = 0.0
    if "strong_testimonial" in features:
        testimonial = 2.5
    elif {"praise", "praised_thing"} <= features:
        testimonial = 1.5
    weights = {
        "contrast": 1.5,
        "lesson": 1.2,
        "comparison": 1.2,
        "conditional": 1.0,
        "absolute": 0.8,
    }
    return {
        "testimonial": testimonial,
        "advice": 1.5 * ("advice" in features) + 1.0 * ("imperative" in features),
        "insight": sum(weight for name, weight in weights.items() if name in features),
    }


def _best_kind(signals: dict[str, float]) -> str:
    best = max(signals, key=lambda kind: signals[kind])
    return best if signals[best] > 0 else "insight"


def _unbalanced(text: str) -> bool:
    """Text that opens or closes a quotation it does not contain."""
    depth = 0
    for char in text:
        depth += (char == "“") - (char == "”")
        if depth < 0:
            return True
    return depth != 0 or text.count('"') % 2 == 1


def _length_score(words: int) -> float:
    """0 at 7 words, rising to 1 at 10, flat to 28, then 0.1 less per word."""
    if words <= 28:
        return min(1.0, max(0.0, (words - 7) / 3))
    return 1.0 - (words - 28) * 0.1


def score_span(span: Span, episode: Episode) -> Scored | None:
    """Score how well a span stands alone and how quotable it is.

    ``None`` (never a quote): a question anywhere, a span that does not end a
    sentence or cuts a quotation in half, or lines whose speaker or time is
    doubtful. Otherwise, starting from 0:

    * length: up to +1 (:func:`_length_score`), +0.5 more for a single sentence
      of at most 16 words that has a kind signal (the ideal card);
    * tightness: -0.3 for each sentence after the first, -0.8 for each extra
      source line the span crosses (a new paragraph is often a new thought);
    * standing alone: -1.5 to -3 for an opener that leans on earlier talk
      ("It", "That", "And", "So", "Yeah", "Even"...), -2 for one like "After
      that", -1.5 for a back reference ("as I said", "you mentioned"), -1 for
      each very short filler sentence inside the span, -0.7 for each filler
      phrase ("you know", "kind of", "I was like"), -0.5 for each "these" or
      "those" (they point at something said before, up to three);
    * shape: kind signals from :func:`kind_signals` (praise of a course or
      community, advice, contrast, a lesson, a comparison, an "If ..., ..."
      rule, an absolute), +0.4 for a number, +0.8 for first-hand experience;
    * context: -3 for show logistics ("join our Slack", "thanks for having
      me"), -1.5 for the host (the guest is the story), -1 in intro/closing
      sections.

    The score is deterministic: the same span always gets the same number.
    """
    stats = span.stats
    if any(s.question or s.unbalanced for s in stats):
        return None
    if not _SENTENCE_END.search(span.sentences[-1]):
        return None
    if any(line.time_suspect for line in span.lines):
        return None
    features = frozenset().union(*(s.features for s in stats))
    signals = kind_signals(features)
    words = span.word_count
    first = span.sentences[0]
    score = _length_score(words)
    if len(stats) == 1 and words <= 16 and max(signals.values()) > 0:
        score += 0.5  # one short sentence with a shape: the ideal card
    score -= 0.3 * (len(stats) - 1) + 0.8 * (len(span.lines) - 1)
    score -= _OPENER_PENALTIES.get(_first_word(first), 0.0)
    score -= 2.0 * bool(_DANGLING_START.search(first))
    score -= 1.5 * ("back_reference" in features)
    score -= sum(1.0 for s in stats[1:] if s.words < 4)
    score -= 0.7 * sum(s.fillers for s in stats)
    score -= 0.5 * min(3, sum(s.demonstratives for s in stats))
    score += sum(signals.values())
    score += 0.4 * ("number" in features) + 0.8 * ("first_hand" in features)
    score -= 3.0 * ("logistics" in features)
    score -= 1.5 * (span.line.role == HOST_ROLE)
    score -= 1.0 * bool(_QUIET_SECTIONS.search(episode.section_title(span.line.section)))
    return Scored(span, round(score, 3), _best_kind(signals))


# ------------------------------------------------------------- filters


def _speaker_matches(line: Line, wanted: str) -> bool:
    wanted = wanted.strip().lower()
    if wanted in ("guest", "host"):
        return line.role == wanted
    name = line.speaker_name.lower()
    return wanted in (line.speaker_id.lower(), name, line.who.lower()) or (
        name.split()[:1] == [wanted]
    )


def _section_matches(episode: Episode, line: Line, wanted: str) -> bool:
    if line.section is None:
        return False
    if wanted.strip().isdigit():
        return line.section + 1 == int(wanted)
    return bool(re.search(wanted, episode.section_title(line.section), re.IGNORECASE))


def _passes(scored: Scored, episode: Episode, options: SelectOptions) -> bool:
    span = scored.span
    words, seconds = span.word_count, span.end - span.start
    checks = (
        options.min_words <= words <= options.max_words,
        options.kind in ("any", scored.kind),
        options.speaker is None or _speaker_matches(span.line, options.speaker),
        options.section is None or _section_matches(episode, span.line, options.section),
        options.min_seconds is None or seconds >= options.min_seconds,
        options.max_seconds is None or seconds <= options.max_seconds,
        options.between is None
        or (options.between[0] <= span.start and span.end <= options.between[1]),
        options.match is None or re.search(options.match, span.text, re.IGNORECASE),
    )
    return all(checks) and brand_unsafe(span.text, options) is None


def brand_unsafe(text: str, options: SelectOptions) -> str | None:
    """Why brand safety removes ``text`` ("profanity", "insult"...), or None.
    Checked last: it is the costliest filter (and its module, about 15 ms of
    regex compiling, is loaded only when a selection runs)."""
    from clipper.select.safety import unsafe_reason

    return unsafe_reason(text, allow_profanity=options.allow_profanity, avoid=options.avoid)


RANKERS = ("offline", "llm")
LLM_CANDIDATES = 40


def validate_options(options: SelectOptions) -> None:
    """Raise a ClipperError whose ``field`` names the option at fault."""
    if options.ranker not in RANKERS:
        raise ClipperError(
            f"must be one of {', '.join(RANKERS)}, not {options.ranker!r}", field="ranker"
        )
    if options.kind not in KINDS:
        raise ClipperError(f"must be one of {', '.join(KINDS)}, not {options.kind!r}", field="kind")
    for pattern, name in ((options.match, "match"), (options.section, "section")):
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ClipperError(f"{pattern!r} is not a valid regex: {exc}", field=name) from None
    if options.avoid:
        from clipper.select.safety import avoid_pattern

        for entry in options.avoid:
            avoid_pattern(entry)
    if options.min_words > options.max_words:
        raise ClipperError(
            f"is larger than the most words allowed ({options.max_words})", field="min_words"
        )


# ------------------------------------------------------------- selection


def _near_duplicate(a: Span, b: Span) -> bool:
    """Overlapping spans, or spans sharing most of their words (Jaccard >= 0.5,
    or 80% of the shorter one: the same point made twice)."""
    if a.overlaps(b):
        return True
    shared = len(a.vocabulary & b.vocabulary)
    smaller = min(len(a.vocabulary), len(b.vocabulary)) or 1
    union = len(a.vocabulary | b.vocabulary) or 1
    return shared / smaller >= NEAR_DUPLICATE + 0.3 or shared / union >= NEAR_DUPLICATE


def _pick(ranked: list[Scored], top: int) -> list[Scored]:
    picked: list[Scored] = []
    for candidate in ranked:
        if len(picked) >= top:
            break
        if not any(_near_duplicate(candidate.span, p.span) for p in picked):
            picked.append(candidate)
    return picked


def quote_id(episode: Episode, span: Span) -> str:
    digest = hashlib.sha1(f"{episode.slug}\n{span.text}".encode()).hexdigest()[:6]
    return f"l{span.line.index:03d}-{digest}"


def to_quote(episode: Episode, scored: Scored) -> Quote:
    span = scored.span
    line = span.line
    return Quote(
        id=quote_id(episode, span),
        episode=episode.slug,
        speaker=line.speaker_id,
        speaker_name=line.speaker_name,
        role=line.role,
        section=episode.section_title(line.section),
        kind=scored.kind,
        text=span.text,
        start=round(span.start, 2),
        end=round(span.end, 2),
        score=scored.score,
        lines=span.line_indices,
        url=episode.youtube_url(span.start),
    )


def _explicit_picks(episode: Episode, scored: list[Scored], options: SelectOptions) -> list[Scored]:
    """The best span inside each line named by ``--line`` or ``--at``."""
    wanted = list(options.lines)
    for seconds in options.at:
        spoken = [line for line in episode.lines if line.start <= seconds]
        if not spoken:
            raise ClipperError(f"{episode.path}: nothing is spoken at {seconds:.0f}s")
        wanted.append(spoken[-1].index)
    picks = []
    for index in wanted:
        inside = [
            s
            for s in scored
            if s.span.line_indices == [index] and s.span.word_count <= options.max_words
        ]
        if not inside:
            raise ClipperError(f"{episode.path}: line {index} has no quotable sentence")
        picks.append(max(inside, key=lambda s: (s.score, s.span.word_count)))
    return picks


def score_all(episode: Episode) -> list[Scored]:
    scored = (score_span(span, episode) for span in candidate_spans(episode))
    return [s for s in scored if s is not None]


def select_quotes(episode: Episode, options: SelectOptions | None = None) -> list[Quote]:
    """The best quotes of ``episode`` under ``options``, best first."""
    options = options or SelectOptions()
    validate_options(options)
    scored = score_all(episode)
    if options.lines or options.at:
        return [to_quote(episode, s) for s in _explicit_picks(episode, scored, options)]
    eligible = [s for s in scored if s.score > MIN_SCORE and _passes(s, episode, options)]
    ranked = sorted(eligible, key=lambda s: (-s.score, s.span.start))
    if options.ranker == "llm":
        return _llm_reranked(episode, _pick(ranked, LLM_CANDIDATES), options)
    return [to_quote(episode, s) for s in _pick(ranked, options.top)]


def _llm_reranked(episode: Episode, ranked: list[Scored], options: SelectOptions) -> list[Quote]:
    """The adapter to :mod:`clipper.select.llm_rank`: the model's picks first,
    in its order, with its kind (unless ``--kind`` fixed one) and its reason;
    then the offline ranking fills any places left."""
    from clipper.select.llm_rank import Candidate, llm_ranking

    quotes = {q.id: q for q in (to_quote(episode, s) for s in ranked)}
    records = [Candidate(q.id, q.speaker_name, q.text) for q in quotes.values()]
    picks = llm_ranking(records, model=options.model, top=options.top)
    for pick in picks:
        quote = quotes[pick.id]
        quote.kind = pick.kind if pick.kind and options.kind == "any" else quote.kind
        quote.reasons = [f"llm: {pick.reason}"] if pick.reason else quote.reasons
    chosen = [pick.id for pick in picks]
    order = chosen + [quote_id for quote_id in quotes if quote_id not in chosen]
    return [quotes[quote_id] for quote_id in order[: options.top]]
