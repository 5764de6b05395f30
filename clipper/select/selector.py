"""Pick the lines of an episode worth posting.

Candidates are spans of 1-3 whole sentences inside one speaker turn
(:mod:`clipper.select.candidates`); each is described by named features
(:mod:`clipper.select.features`) and scored by a linear ranker learned from
editors' labels (:mod:`clipper.select.ranker`). The best candidates that pass
the filters are picked with diversity: never two from one speaker turn, never
two on the same point, and spread over the episode's sections when scores are
close. Several kinds with counts are picked in one pass, de-duplicated across
kinds. Picks come back as :class:`~clipper.select.quote.Quote` records with
the seconds where their words are spoken and the top reasons for each pick.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

try:  # CPython's own SHA-1, as the random module does: hashlib would load OpenSSL (~3 ms)
    from _sha1 import sha1
except ImportError:  # pragma: no cover (a Python built without it)
    from hashlib import sha1

from clipper.episode import Episode, Line
from clipper.errors import ClipperError
from clipper.select.candidates import (
    SURE_EDGE,
    Span,
    candidate_spans,
    points_back,
    quotable,
    speaker_turns,
    stands_alone,
    sure_edges,
    whole_chance,
)
from clipper.select.features import (
    FEATURES,
    EpisodeFacts,
    describe,
    kind_of,
    span_features,
    span_flags,
)
from clipper.select.joins import Joins
from clipper.select.quote import KINDS, Quote
from clipper.select.ranker import Ranker, default_ranker

NEAR_DUPLICATE = 0.5
MIN_SCORE = -1.0  # a ranked pick scores at least this (0 is an average candidate)
EDGE_DOUBT = 4.0  # weight of the doubt in a restored span's edges (see doubt())
SECTION_SPREAD = 0.3  # score a pick gives up for each earlier pick from its section
REASONS = 3


@dataclass
class SelectOptions:
    """Filters for :func:`select_quotes`; ``None`` means no filter.

    ``between`` is ``(start_seconds, end_seconds)``; ``lines`` are source line
    indices and ``at`` are seconds: explicit picks that bypass the ranking.
    Brand safety (:mod:`clipper.select.safety`) always applies to ranked picks;
    ``allow_profanity`` lifts only its swear-word list, ``avoid`` adds the
    brand's own words or regexes. ``ranker="llm"`` re-orders the best
    offline candidates with a language model (``model``: an llm model name).
    ``kinds`` asks for several kinds at once, ``(("testimonial", 2), ("any",
    4))``: counts per kind in that order, with one de-duplication across them;
    when empty, ``top`` quotes of ``kind`` are picked.
    """

    speaker: str | None = None
    section: str | None = None
    kind: str = "any"
    min_words: int = 8
    max_words: int = 60
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
    kinds: tuple[tuple[str, int], ...] = ()

    def wanted(self) -> tuple[tuple[str, int], ...]:
        """The kinds to pick and how many of each, in order."""
        return self.kinds or ((self.kind, self.top),)


@dataclass(frozen=True, eq=False)
class Scored:
    """A candidate with its feature values, score and kind."""

    span: Span
    values: list[float]
    score: float
    kind: str
    clarity: float = 0.0  # how clearly it reads as its kind (see features.kind_of)

    @property
    def section(self) -> int | None:
        return self.span.line.section


@dataclass
class Pick:
    """A chosen candidate, each feature's share of its score, and the best
    rivals from its turn with why they lost."""

    scored: Scored
    contributions: dict[str, float]
    deviations: dict[str, float]
    words: list[str] = field(default_factory=list)
    rivals: list[tuple[Scored, str]] = field(default_factory=list)
    edges: list[str] = field(default_factory=list)  # why it starts and ends there
    alike: frozenset[str] = frozenset()  # features equal for every candidate of the episode

    def telling(self) -> dict[str, float]:
        """The contributions that set this pick apart: a feature every
        candidate shares (the role where nobody is named, the section where
        there are none) shifts all scores alike and says nothing of why."""
        return {k: v for k, v in self.contributions.items() if k not in self.alike}


@dataclass
class Selection:
    """What :func:`select` decided: the quotes, the picks behind them (same
    order), and how many candidates were removed before ranking, by reason."""

    quotes: list[Quote]
    picks: list[Pick]
    removed: Counter[str]


# ------------------------------------------------------------- scoring


def episode_facts(episode: Episode) -> EpisodeFacts:
    """The speaker turns of ``episode`` and the facts of their sentences."""
    return EpisodeFacts(episode, speaker_turns(episode))


def featurize(
    episode: Episode,
    *,
    rankable: tuple[int, int] | None = None,
    facts: EpisodeFacts | None = None,
) -> list[tuple[Span, list[float] | None, tuple[str, float]]]:
    """Every quotable candidate of ``episode`` with its feature values and kind.
    With ``rankable=(min_words, max_words)``, only candidates that could be
    ranked (they stand alone and have that many words) get values: describing
    the others is most of the work of a selection. ``facts`` (see
    :func:`episode_facts`) are shared with whoever else needs them."""
    facts = facts or episode_facts(episode)
    return [
        (span, span_features(span, facts), kind_of(span_flags(span, facts)))
        if rankable is None
        or (rankable[0] <= span.word_count <= rankable[1] and stands_alone(span))
        else (span, None, ("insight", 0.0))
        for span in candidate_spans(facts.speaker_turns)
        if quotable(span)
    ]


def score_all(
    episode: Episode,
    ranker: Ranker | None = None,
    *,
    rankable: tuple[int, int] | None = None,
    facts: EpisodeFacts | None = None,
) -> list[Scored]:
    """Every quotable candidate of ``episode``, scored by ``ranker`` (those
    :func:`featurize` gives no values score minus infinity)."""
    ranker = ranker or default_ranker()
    return [
        Scored(span, values, round(ranker.score(values, span.vocabulary) - doubt(span), 4), *kind)
        if values is not None
        else Scored(span, [], float("-inf"), *kind)
        for span, values, kind in featurize(episode, rankable=rankable, facts=facts)
    ]


def doubt(span: Span) -> float:
    """What a span of restored speech loses for edges that may not be sentence
    edges: :data:`EDGE_DOUBT` times minus the log of the restorer's confidence
    that a sentence ends just before the span and at its last word (the odds
    that both edges are real, :func:`whole_chance`). Spans of punctuated text lose nothing."""
    return -EDGE_DOUBT * math.log(max(whole_chance(span), 1e-3))


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
    """The filters of ``options`` except the kind (see :meth:`SelectOptions.wanted`)."""
    span = scored.span
    words, seconds = span.word_count, span.end - span.start
    checks = (
        options.min_words <= words <= options.max_words,
        options.speaker is None or _speaker_matches(span.line, options.speaker),
        options.section is None or _section_matches(episode, span.line, options.section),
        options.min_seconds is None or seconds >= options.min_seconds,
        options.max_seconds is None or seconds <= options.max_seconds,
        options.between is None
        or (options.between[0] <= span.start and span.end <= options.between[1]),
        options.match is None or re.search(options.match, span.text, re.IGNORECASE),
    )
    return all(checks)


def brand_unsafe(text: str, options: SelectOptions) -> str | None:
    """Why brand safety removes ``text`` ("profanity", "insult"...), or None.
    Checked after the other filters: it is the costliest (and its module, about
    15 ms of regex compiling, is loaded only when a selection runs)."""
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
    for kind, count in options.wanted():
        if kind not in KINDS:
            raise ClipperError(f"must be one of {', '.join(KINDS)}, not {kind!r}", field="kind")
        if count < 0:
            raise ClipperError(f"the count of kind {kind!r} is negative", field="kinds")
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
    """One speaker turn, or spans sharing most of their words (Jaccard >= 0.5,
    or 80% of the shorter one: the same point made twice)."""
    if a.turn is b.turn:
        return True
    shared = len(a.vocabulary & b.vocabulary)
    sizes = len(a.vocabulary), len(b.vocabulary)
    smaller = min(sizes) or 1
    union = sum(sizes) - shared or 1  # the size of a | b, without building it
    return shared / smaller >= NEAR_DUPLICATE + 0.3 or shared / union >= NEAR_DUPLICATE


def _pick(ranked: list[Scored], wanted: tuple[tuple[str, int], ...]) -> list[Scored]:
    """Greedy diverse picks from ``ranked`` (best first), kind by kind.

    A candidate's score drops by :data:`SECTION_SPREAD` for each earlier pick
    from its section, so close calls go to a section not yet quoted. For a
    named kind, how clearly a candidate reads as that kind is added to its
    score: asked for testimonials, the plainest praise comes first.
    """
    picked: list[Scored] = []
    per_section: Counter[int | None] = Counter()
    for kind, count in wanted:

        def value(s: Scored, kind: str = kind) -> float:
            return s.score + (s.clarity if kind != "any" else 0.0)

        pool = sorted((s for s in ranked if kind in ("any", s.kind)), key=lambda s: -value(s))
        # A near duplicate of a pick leaves the pool; a candidate is compared
        # with the picks made since it was last reached (None: it has left),
        # and only when the scan reaches it: most of the pool never is.
        compared: list[int | None] = [0] * len(pool)
        sections = {s.section for s in pool}
        for _ in range(count):
            best, best_score = None, float("-inf")
            # No candidate gives up less than the spread of the least quoted section.
            least = SECTION_SPREAD * min((per_section[section] for section in sections), default=0)
            for i, candidate in enumerate(pool):
                if value(candidate) - least <= best_score:
                    break  # sorted: nothing later can beat it
                done = compared[i]
                if done is None or any(
                    _near_duplicate(candidate.span, p.span) for p in picked[done:]
                ):
                    compared[i] = None
                    continue
                compared[i] = len(picked)
                adjusted = value(candidate) - SECTION_SPREAD * per_section[candidate.section]
                if adjusted > best_score:
                    best, best_score = candidate, adjusted
            if best is None:
                break
            picked.append(best)
            per_section[best.section] += 1
    return picked


def quote_id(episode: Episode, span: Span) -> str:
    digest = sha1(f"{episode.slug}\n{span.text}".encode()).hexdigest()[:6]
    return f"l{span.line.index:03d}-{digest}"


def term_text(pick: Pick, name: str) -> str:
    """One term of a pick's score in words: ``"a contrast (+0.61)"``."""
    value = pick.contributions[name]
    if name == "wording":
        return f"wording: {', '.join(pick.words) or '-'} ({value:+.2f})"
    return describe(name, value, pick.deviations[name] > 0)


def reasons(pick: Pick, count: int = REASONS) -> list[str]:
    """The largest positive terms of a pick's score, in words."""
    telling = pick.telling()
    top = sorted(telling, key=lambda name: -telling[name])[:count]
    return [term_text(pick, name) for name in top if telling[name] > 0]


def to_quote(episode: Episode, pick: Pick) -> Quote:
    span = pick.scored.span
    line = span.line
    return Quote(
        id=quote_id(episode, span),
        episode=episode.slug,
        speaker=line.speaker_id,
        speaker_name=line.speaker_name,
        role=line.role,
        section=episode.section_title(line.section),
        kind=pick.scored.kind,
        text=span.text,
        start=round(span.start, 2),
        end=round(span.end, 2),
        score=round(pick.scored.score, 3),
        lines=span.line_indices,
        url=episode.youtube_url(span.start),
        reasons=reasons(pick),
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


def _rivals(pick: Scored, scored: list[Scored], ranker: Ranker, why: dict[int, str]) -> list:
    """The two best other candidates of the pick's turn, and why each lost."""
    mine = ranker.contributions(pick.values, pick.span.vocabulary)
    rivals = sorted(
        (s for s in scored if s.span.turn is pick.span.turn and s is not pick),
        key=lambda s: -s.score,
    )
    # The best rival, and the best one left out for another kind of reason
    # (removed, or scored lower) when there is one.
    removed = [s for s in rivals if why.get(id(s), "").startswith("removed")]
    kept = [s for s in rivals if not why.get(id(s), "").startswith("removed")]
    shown = (
        rivals[:1] + [s for s in (kept if rivals[0] in removed else removed)[:1]] if rivals else []
    )
    out = []
    for rival in shown:
        reason = why.get(id(rival))
        if reason is None:
            theirs = ranker.contributions(rival.values, rival.span.vocabulary)
            gaps = sorted(mine, key=lambda name: theirs[name] - mine[name])[:2]
            detail = ", ".join(f"{name} {theirs[name] - mine[name]:+.2f}" for name in gaps)
            reason = f"scored {pick.score - rival.score:.2f} lower ({detail})"
        out.append((rival, reason))
    return out


def select(
    episode: Episode, options: SelectOptions | None = None, weights: Ranker | None = None
) -> Selection:
    """Like :func:`select_quotes`, with what an explanation needs."""
    options = options or SelectOptions()
    validate_options(options)
    weights = weights or default_ranker()
    explicit = bool(options.lines or options.at)
    facts = episode_facts(episode)
    scored = score_all(
        episode,
        weights,
        rankable=None if explicit else (options.min_words, options.max_words),
        facts=facts,
    )
    joins = Joins(weights.joins, facts) if weights.joins else None
    removed: Counter[str] = Counter()
    why: dict[int, str] = {}
    if explicit:
        chosen = _explicit_picks(episode, scored, options)
    else:
        ranked = _ranked(scored, episode, options, removed, why, joins)
        chosen = _pick(ranked, _wanted(options))
    alike = _alike(scored)
    picks = [
        Pick(
            s,
            weights.contributions(s.values, s.span.vocabulary),
            weights.deviations(s.values),
            weights.top_words(s.span.vocabulary),
            edges=joins.edges(s.span) if joins else [],
            alike=alike,
        )
        for s in chosen
    ]
    for pick in picks:
        pick.rivals = _rivals(pick.scored, scored, weights, why)
    quotes = [to_quote(episode, p) for p in picks]
    if options.ranker == "llm" and not (options.lines or options.at):
        pick_of = {q.id: p for q, p in zip(quotes, picks, strict=True)}
        quotes = _llm_reranked(quotes, options)
        picks = [pick_of[q.id] for q in quotes]
    return Selection(quotes, picks, removed)


def _alike(scored: list[Scored]) -> frozenset[str]:
    """The features whose value is the same for every ranked candidate."""
    rows = [s.values for s in scored if s.values]
    if len(rows) < 2:
        return frozenset()
    return frozenset(
        name for p, name in enumerate(FEATURES) if all(row[p] == rows[0][p] for row in rows)
    )


def _wanted(options: SelectOptions) -> tuple[tuple[str, int], ...]:
    """The kinds and counts to pick; for the LLM ranker, its pool of candidates."""
    if options.ranker == "llm":
        return ((options.kind, LLM_CANDIDATES),)
    return options.wanted()


def _ranked(
    scored: list[Scored],
    episode: Episode,
    options: SelectOptions,
    removed: Counter[str],
    why: dict[int, str],
    joins: Joins | None = None,
) -> list[Scored]:
    """The candidates that may be picked, best first. Those a content rule
    removes (they lean on earlier talk, point back at the conversation, glue
    two points the join model is sure are separate, or brand safety removes
    them) are counted by reason in ``removed``; ``why`` notes for every
    candidate left out why it was."""
    eligible = []
    for s in scored:
        words = s.span.word_count
        if not options.min_words <= words <= options.max_words:
            why[id(s)] = f"{words} words, not {options.min_words}-{options.max_words}"
            continue
        reason = None if stands_alone(s.span) else "leans on earlier talk"
        if reason is None and points_back(s.span):
            reason = "points back at the conversation"
        if reason is None and not sure_edges(s.span):
            reason = f"its edges are less than {SURE_EDGE:.0%} sure to be sentence edges"
        low = s.score + doubt(s.span) < MIN_SCORE  # doubt orders picks, never drops one
        if reason is None and (low or not _passes(s, episode, options)):
            why[id(s)] = "scored too low" if low else "outside the filters"
            continue
        if reason is None and joins is not None and joins.glued(s.span):
            reason = "joins two separate points"
        reason = reason or brand_unsafe(s.span.text, options)
        if reason is not None:
            removed[reason] += 1
            why[id(s)] = f"removed: {reason}"
        else:
            eligible.append(s)
    return sorted(eligible, key=lambda s: (-s.score, s.span.start))


def _llm_reranked(quotes: list[Quote], options: SelectOptions) -> list[Quote]:
    """The adapter to :mod:`clipper.select.llm_rank`: the model's picks first,
    in its order, with its kind (unless ``--kind`` fixed one) and its reason;
    then the offline ranking fills any places left."""
    from clipper.select.llm_rank import Candidate, llm_ranking

    by_id = {q.id: q for q in quotes}
    records = [Candidate(q.id, q.speaker_name, q.text) for q in quotes]
    picks = llm_ranking(records, model=options.model, top=options.top)
    for pick in picks:
        quote = by_id[pick.id]
        quote.kind = pick.kind if pick.kind and options.kind == "any" else quote.kind
        quote.reasons = [f"llm: {pick.reason}"] if pick.reason else quote.reasons
    chosen = [pick.id for pick in picks]
    order = chosen + [quote_id for quote_id in by_id if quote_id not in chosen]
    return [by_id[quote_id] for quote_id in order[: options.top]]


def select_quotes(
    episode: Episode, options: SelectOptions | None = None, *, weights: Ranker | None = None
) -> list[Quote]:
    """The best quotes of ``episode`` under ``options``, best first (for several
    ``kinds``: kind by kind, in their order). ``weights`` default to the
    shipped ranker's."""
    return select(episode, options, weights).quotes
