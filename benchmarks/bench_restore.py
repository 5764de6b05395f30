"""Sentence restoration on held-out episodes, beside baselines in the same run.

Every labelled episode of ``../shared`` (never seen in training, see
``clipper/episode/restore_training.py``) is stripped to what automatic
captions give: lower case, no punctuation, no speakers, one word every 0.4 s.

1. Punctuation from text alone: sentence-boundary F1 (. or ? after the same
   word as the editors), question-mark F1 and comma F1, for the restorer, a
   hashed word n-gram logistic regression trained on the same episodes, and
   a period every N words (N the mean sentence length in training); and how
   often the editors end a sentence where the restorer gives a sentence end
   each level of confidence (its calibration: the selection rules below read
   the confidences as probabilities).
2. Selection on the same episodes as YouTube's automatic captions give them
   (a json3 file with every word timed, the title and the chapters, read by
   the code that reads a user's captions: restored, cut into turns and
   lines), beside the edited originals, same labels, same run: P@5; of the
   top five picks, those beginning and ending on a real sentence edge, with
   its standard error,
   the share the restorer's confidences expect
   (:func:`clipper.select.candidates.whole_chance` of each pick) and how
   many picks begin or end inside an editors' sentence; picks that read as
   sentences (capital first, final . ! or ?). A pick on restored text maps
   back to the source items through the words it covers (a pick not found
   in the stream counts as a miss; the table says how many). One row
   gives the captions YouTube's ``>>`` where the speaker changes, as some
   automatic captions have them (still naming nobody); and for each row, how
   many picks quote the host alone and how many mix two speakers' words.
   The last column counts the edges of all the picks ``clipper select``
   makes by default (ten an episode: twice the picks, a smaller error).
3. Time to restore 10,000 words on one core, beside loading the episode page.

    nice -n 10 python benchmarks/bench_restore.py [SHARED] [--cache FILE] [--no-baseline]
        [--only punctuation|selection|speed ...] [--edge-rule DOUBT,SURE ...]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import pickle
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from clipper.episode.build import SPEAKER_CHANGE, EpisodeInfo, build_episode
from clipper.episode.load import HOST_ROLE, Episode, load_episode
from clipper.episode.restore import (
    PERIOD,
    SENTENCE_ENDS,
    Restored,
    caption_word,
    likely_turn_ends,
    restore,
    split_turns,
)
from clipper.episode.restore_training import Stream, episode_stream, pages, score, split
from clipper.episode.transcripts import read_transcript
from clipper.select import candidates, selector
from clipper.select.labels import LabeledEpisode, hit_labels, load_labels
from clipper.select.selector import SelectOptions

SHARED = Path(__file__).resolve().parents[2] / "shared"
TABLES = ("punctuation", "selection", "speed")
SECONDS_PER_WORD = 0.4  # automatic captions at a steady rate: no pauses to read
CUE_WORDS = 8  # words per caption event, as YouTube's automatic captions show them
MAX_LEFT_OUT = 2  # fillers and repeats a pick's text may leave out between two words
TOP = 5
DEFAULT_PICKS = SelectOptions().top  # how many picks clipper select makes
ORIGINALS = "edited originals"
RESTORED = "automatic-caption style, restored"
MARKED = "the same with >> at speaker changes"
# Each row of the selection table: the score lost per unit of edge doubt there,
# and how likely whole a restored span must be (candidates.SURE_EDGE; 0: any).
SELECTION_ROWS = {
    ORIGINALS: (selector.EDGE_DOUBT, candidates.SURE_EDGE),
    RESTORED: (selector.EDGE_DOUBT, candidates.SURE_EDGE),
    "the same, any edge (doubt only)": (selector.EDGE_DOUBT, 0.0),
    "the same, any edge, doubt not counted": (0.0, 0.0),
    MARKED: (selector.EDGE_DOUBT, candidates.SURE_EDGE),
}


# ------------------------------------------------------------- punctuation


def every_n_words(stream: Stream, n: int) -> list[int]:
    return [PERIOD if (i + 1) % n == 0 else 0 for i in range(len(stream.words))]


def _ngram_features(words: Sequence[str], i: int) -> list[str]:
    def at(k: int) -> str:
        j = i + k
        return words[j] if 0 <= j < len(words) else "<edge>"

    return [
        *(f"w{k}={at(k)}" for k in range(-2, 4)),
        *(f"b{k}={at(k)}_{at(k + 1)}" for k in range(-1, 3)),
        f"t={at(-1)}_{at(0)}_{at(1)}",
        f"t+={at(0)}_{at(1)}_{at(2)}",
    ]


class NgramBaseline:
    """The issue's floor: a hashed word n-gram logistic regression (sklearn)."""

    def __init__(self, train: Sequence[Stream]) -> None:
        from sklearn.feature_extraction import FeatureHasher
        from sklearn.linear_model import SGDClassifier

        self.hasher = FeatureHasher(n_features=2**20, input_type="string")
        rows = [_ngram_features(s.words, i) for s in train for i in range(len(s.words))]
        self.model = SGDClassifier(
            loss="log_loss", alpha=1e-6, max_iter=8, tol=None, random_state=0
        )
        self.model.fit(self.hasher.transform(rows), [m for s in train for m in s.marks])

    def predict(self, stream: Stream) -> list[int]:
        rows = [_ngram_features(stream.words, i) for i in range(len(stream.words))]
        return [int(m) for m in self.model.predict(self.hasher.transform(rows))]


def punctuation_table(train: list[Stream], held: list[Stream], baseline: bool) -> None:
    gold = [m for s in held for m in s.marks]
    sentences = sum(m in SENTENCE_ENDS for s in train for m in s.marks)
    n = round(sum(len(s.words) for s in train) / sentences)
    rows = [(f"a period every {n} words", [m for s in held for m in every_n_words(s, n)])]
    if baseline:
        started = time.perf_counter()
        ngram = NgramBaseline(train)
        print(f"(n-gram baseline trained in {time.perf_counter() - started:.0f} s)")
        rows.append(
            ("hashed n-gram logistic regression", [m for s in held for m in ngram.predict(s)])
        )
    restored = [restore(s.words) for s in held]
    rows.append(("restorer (shipped model)", [m for r in restored for m in r.marks]))
    print(f"\n1. punctuation from text alone: {len(held)} held-out episodes, {len(gold)} words")
    print(f"{'method':<36} {'boundary F1':>12} {'question F1':>12} {'comma F1':>9}")
    for name, predicted in rows:
        result = score(gold, predicted)
        print(f"{name:<36} {result.boundary:12.3f} {result.question:12.3f} {result.comma:9.3f}")
    reliability(held, restored)
    turns_table(held, restored)


def turns_table(held: list[Stream], restored: list[Restored]) -> None:
    """Speaker changes found from text alone (no ``>>``) against the pages'
    own, in the episodes that name their speakers: the question-and-answer
    rule alone, the restorer's speaker-change output alone, and ``split_turns``
    (both)."""
    found: dict[str, list[set[int]]] = {
        "a question and its answer": [],
        "the restorer's changes": [],
    }
    for result in restored:
        found["a question and its answer"].append(_turn_ends(replace(result, turn_chance=())))
        found["the restorer's changes"].append(likely_turn_ends(result))
    found["split_turns (both, as shipped)"] = [_turn_ends(result) for result in restored]
    print(f"{'speaker changes found by':<40} {'precision':>9} {'recall':>7} {'F1':>6}")
    for name, ends in found.items():
        pairs = [(e, set(s.turn_ends)) for e, s in zip(ends, held, strict=True) if s.turn_ends]
        hits = sum(len(e & real) for e, real in pairs)
        precision = hits / max(1, sum(len(e) for e, _ in pairs))
        recall = hits / max(1, sum(len(real) for _, real in pairs))
        f1 = 2 * precision * recall / max(1e-9, precision + recall)
        print(f"{name:<40} {precision:9.3f} {recall:7.3f} {f1:6.3f}")


def _turn_ends(restored: Restored) -> set[int]:
    return {turn.stop - 1 for turn in split_turns(restored)[:-1]}


CONFIDENCE_BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0)


def reliability(held: list[Stream], restored: list[Restored]) -> None:
    """How often the editors end a sentence where the restorer is this sure one
    ends (its last word, forced, left out): calibrated, the two columns agree."""
    pairs = [
        (sure, mark in SENTENCE_ENDS)
        for stream, result in zip(held, restored, strict=True)
        for sure, mark in zip(result.end_confidence[:-1], stream.marks[:-1], strict=True)
    ]
    print(f"{'end confidence':<16} {'words':>8} {'mean confidence':>16} {'editors end one':>16}")
    for low, high in itertools.pairwise(CONFIDENCE_BINS):
        inside = [(sure, real) for sure, real in pairs if low <= sure < high or sure == high == 1]
        if inside:
            mean = statistics.fmean(sure for sure, _ in inside)
            real = statistics.fmean(real for _, real in inside)
            print(f"{f'{low:.2f}-{high:.2f}':<16} {len(inside):8d} {mean:16.3f} {real:16.3f}")
    expected, found = sum(sure for sure, _ in pairs), sum(real for _, real in pairs)
    print(f"sentence ends expected from the confidences {expected:.0f}, found {found}")


# --------------------------------------------------------------- selection


@dataclass
class StrippedEpisode:
    """An episode read back from its automatic-caption file; ``sources[i]`` is
    the source item index of stream word ``i``, ``words[i]`` the word itself;
    ``roles`` the original's role (host or guest) of each source item."""

    episode: Episode
    sources: list[int]
    words: list[str]
    roles: dict[int, str]


def stripped_episode(
    original: Episode, folder: Path, speaker_marks: bool = False
) -> StrippedEpisode:
    """The episode as YouTube's automatic captions give it, through the path a
    user's captions take: a json3 file in ``folder`` (every word timed, no
    speakers, the episode's title and chapters as yt-dlp gives them), read and
    restored by the same code as ``clipper select talk.mp4``. With
    ``speaker_marks``, a ``>>`` (untimed) opens each new speaker's words, as
    YouTube's captions sometimes have it."""
    words, sources, changes = [], [], set()
    speaker = None
    for line in original.lines:
        if speaker_marks and words and line.speaker_id != speaker:
            changes.add(len(words))
        speaker = line.speaker_id
        for token in line.text.split():
            word = caption_word(token)
            if word:
                words.append(word)
                sources.append(line.index)
    path = folder / f"{original.slug}.en.json3"
    path.write_text(json.dumps(_json3(words, changes)), encoding="utf-8")
    info = EpisodeInfo(
        path=path,
        site_root=folder,
        slug=original.slug,
        title=original.title,
        chapters=_chapters(original, sources),
    )
    roles = {line.index: line.role for line in original.lines}
    return StrippedEpisode(build_episode(read_transcript(path), info), sources, words, roles)


def _json3(words: list[str], changes: set[int]) -> dict:
    """Events of :data:`CUE_WORDS` words, each word's offset in its event; a
    ``>>`` at the offset of each word in ``changes`` (taking no time)."""
    events = []
    for first in range(0, len(words), CUE_WORDS):
        cue = words[first : first + CUE_WORDS]
        segs = []
        for k, word in enumerate(cue):
            offset = round(k * SECONDS_PER_WORD * 1000)
            if first + k in changes:
                segs.append({"utf8": (" " if segs else "") + SPEAKER_CHANGE, "tOffsetMs": offset})
            segs.append({"utf8": (" " if segs else "") + word, "tOffsetMs": offset})
        start = round(first * SECONDS_PER_WORD * 1000)
        duration = round(len(cue) * SECONDS_PER_WORD * 1000)
        events.append({"tStartMs": start, "dDurationMs": duration, "wWinId": 1, "segs": segs})
    return {"wireMagic": "pb3", "events": events}


def _chapters(original: Episode, sources: list[int]) -> list[tuple[str, float]]:
    """The original's sections as chapters starting at their first word."""
    section_of = {line.index: line.section for line in original.lines}
    chapters, seen = [], set()
    for number, source in enumerate(sources):
        section = section_of[source]
        if section is not None and section not in seen:
            seen.add(section)
            chapters.append((original.sections[section].title, number * SECONDS_PER_WORD))
    return chapters


def locate(stripped: StrippedEpisode, lines: list[int], text: str) -> range | None:
    """The stream words a pick covers: its caption words in order within its
    lines' times, passing over the fillers and repeats the text leaves out."""
    wanted = [w for w in (caption_word(t) for t in text.split()) if w]
    spoken = [line for line in stripped.episode.lines if line.index in lines]
    first_line, last_line = spoken[0], spoken[-1]
    window = range(
        max(0, math.floor(first_line.start / SECONDS_PER_WORD) - 1),
        min(len(stripped.words), math.ceil(last_line.end / SECONDS_PER_WORD) + 1),
    )
    for start in window:
        stop = _match_from(stripped.words, start, wanted)
        if stop is not None:
            return range(start, stop)
    return None


def _match_from(stream: list[str], start: int, wanted: list[str]) -> int | None:
    """The end of ``wanted`` read in ``stream`` from ``start`` on, at most
    :data:`MAX_LEFT_OUT` unwanted words before each wanted one (None: no match)."""
    at = start
    for number, word in enumerate(wanted):
        limit = at + (MAX_LEFT_OUT if number else 0)
        while at <= limit and at < len(stream) and stream[at] != word:
            at += 1
        if at > limit or at >= len(stream):
            return None
        at += 1
    return at


def reads_as_sentence(text: str) -> bool:
    text = text.strip()
    return bool(text) and text[0].isupper() and text[-1] in ".!?"


@dataclass
class EdgeCount:
    picks: int = 0
    both_edges: int = 0
    sentences: int = 0
    starts_missed: int = 0  # picks that begin inside an editors' sentence
    ends_missed: int = 0  # picks that end inside one
    expected: float = 0.0  # the picks' chances of being whole by the restorer's confidences
    unlocated: int = 0  # picks whose words were not found in the stream (counted as misses)
    host: int = 0  # picks of the host's words alone
    mixed: int = 0  # picks of two speakers' words

    def share(self) -> str:
        """The share of picks on real edges, with its binomial standard error
        (at 250 picks one pick is 0.4 points and the error about 2.6)."""
        p = self.both_edges / self.picks
        return f"{p:.1%} ±{math.sqrt(p * (1 - p) / self.picks):.1%}"


def selection_table(
    shared: Path, held: dict[str, Stream], edge_rules: Sequence[tuple[float, float]] = ()
) -> None:
    """The selection table; ``edge_rules`` adds a row for each other
    (EDGE_DOUBT, SURE_EDGE) on the restored captions."""
    labeled = load_labels(shared / "labels")
    settings = {
        **SELECTION_ROWS,
        **{f"the same, EDGE_DOUBT {d:g}, SURE_EDGE {e:g}": (d, e) for d, e in edge_rules},
    }
    rows: dict[str, list] = {name: [[], EdgeCount(), EdgeCount()] for name in settings}
    with tempfile.TemporaryDirectory(prefix="bench_restore_") as folder:
        for item in labeled:
            original = load_episode(item.path)
            captions = {
                marks: stripped_episode(original, Path(folder), speaker_marks=marks)
                for marks in (False, True)
            }
            for name, (doubt, sure) in settings.items():
                selector.EDGE_DOUBT, candidates.SURE_EDGE = doubt, sure
                stripped = captions[name == MARKED]
                episode = original if name == ORIGINALS else stripped.episode
                p5, top, every = rows[name]
                hits = _count_picks(item, episode, stripped, held[item.slug], (top, every))
                p5.append(hits / TOP)
    selector.EDGE_DOUBT, candidates.SURE_EDGE = SELECTION_ROWS[RESTORED]
    print(f"\n2. selection on {len(labeled)} labelled episodes (held out from restorer training)")
    restored = rows[RESTORED][1]
    print(f"({restored.unlocated} of {restored.picks} restored picks not found in the stream)")
    print(
        f"{'episodes':<48} {'P@5':>6} {'both edges real':>16} {'expected':>9} "
        f"{'starts/ends missed':>19} {'read as sentences':>18} {'host/both':>10} "
        f"{f'all {DEFAULT_PICKS} picks on edges':>22}"
    )
    for name, (p5, edges, every) in rows.items():
        real = "(by definition)" if name == ORIGINALS else edges.share()
        expected = "" if name == ORIGINALS else f"{edges.expected / edges.picks:.1%}"
        missed = "" if name == ORIGINALS else f"{edges.starts_missed}/{edges.ends_missed}"
        real_every = "" if name == ORIGINALS else every.share()
        print(
            f"{name:<48} {statistics.fmean(p5):6.3f} {real:>16} {expected:>9} {missed:>19} "
            f"{edges.sentences / edges.picks:18.1%} {f'{edges.host}/{edges.mixed}':>10} "
            f"{real_every:>22}"
        )


def _count_picks(
    item: LabeledEpisode,
    episode: Episode,
    stripped: StrippedEpisode,
    stream: Stream,
    counts: tuple[EdgeCount, EdgeCount],
) -> int:
    """The hits of the episode's :data:`TOP` picks, whose edges are counted
    into ``counts[0]``; the edges of all the picks ``clipper select`` makes by
    default into ``counts[1]`` (the picks are made one by one, so the first
    :data:`TOP` of them are the top picks; ``episode`` is the original or
    ``stripped``'s)."""
    hits = 0
    picks = selector.select(episode, SelectOptions(top=DEFAULT_PICKS)).picks
    for rank, pick in enumerate(picks):
        quote = selector.to_quote(episode, pick)
        if episode is stripped.episode:
            covered = locate(stripped, quote.lines, quote.text)
            sources = sorted({stripped.sources[i] for i in covered}) if covered else []
        else:
            sources, covered = quote.lines, None
        if rank < TOP:
            hits += bool(hit_labels(item, sources, quote.text))
        roles = {stripped.roles[source] for source in sources}
        starts, ends = _edges(stream, covered) if covered else (False, False)
        for edges in counts if rank < TOP else counts[1:]:
            edges.unlocated += episode is stripped.episode and covered is None
            edges.host += roles == {HOST_ROLE}
            edges.mixed += len(roles) > 1
            edges.picks += 1
            edges.expected += candidates.whole_chance(pick.scored.span)
            edges.sentences += reads_as_sentence(quote.text)
            edges.both_edges += starts and ends
            edges.starts_missed += not starts
            edges.ends_missed += not ends
    return hits


def _edges(stream: Stream, covered: range) -> tuple[bool, bool]:
    """Whether the pick starts where an editors' sentence starts (or after the
    leading connectives the selector drops: "so", "and", at most
    :data:`candidates.MAX_TRIM`) and whether it ends where one ends."""
    start = covered.start
    starts = any(
        (j == 0 or stream.marks[j - 1] in SENTENCE_ENDS)
        and candidates.connective_words(list(stream.words[j : start + 3])) >= start - j
        for j in range(max(0, start - candidates.MAX_TRIM), start + 1)
    )
    return starts, stream.marks[covered.stop - 1] in SENTENCE_ENDS


# -------------------------------------------------------------------- speed


def speed_table(held: list[Stream], shared: Path) -> None:
    words = [w for s in held for w in s.words][:10_000]
    restore(words[:50])  # loads the model once
    timings = []
    for _ in range(5):
        started = time.process_time()
        restore(words)
        timings.append(time.process_time() - started)
    page = next(p for p in pages(shared) if p.stem == held[0].slug)
    loads = []
    for _ in range(5):
        started = time.process_time()
        load_episode(page)
        loads.append(time.process_time() - started)
    print("\n3. speed (CPU seconds, one process, best of 5)")
    print(f"restore 10,000 words            {min(timings):.3f} s")
    ratio = min(timings) / min(loads)
    print(f"load one episode page (baseline) {min(loads):.3f} s   ratio {ratio:.2f}x")


def _edge_rule(text: str) -> tuple[float, float]:
    doubt, sure = (float(part) for part in text.split(","))
    return doubt, sure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", nargs="?", type=Path, default=SHARED)
    parser.add_argument("--cache", type=Path, help="pickle of the streams, reused when present")
    parser.add_argument("--no-baseline", action="store_true", help="skip the n-gram baseline")
    parser.add_argument("--only", choices=TABLES, action="append", help="run only these tables")
    parser.add_argument(
        "--edge-rule",
        type=_edge_rule,
        action="append",
        default=[],
        metavar="DOUBT,SURE",
        help="another selection row: EDGE_DOUBT and SURE_EDGE, e.g. 5,0.5",
    )
    args = parser.parse_args()
    if not (args.shared / "labels").is_dir():
        sys.exit(f"no labelled episodes under {args.shared}")
    if args.cache and args.cache.exists():
        train, held = pickle.loads(args.cache.read_bytes())
    else:
        paths = pages(args.shared)
        train, held = split(args.shared, [episode_stream(p) for p in paths], paths)
        if args.cache:
            args.cache.write_bytes(pickle.dumps((train, held)))
    tables = args.only or TABLES
    if "punctuation" in tables:
        punctuation_table(train, held, not args.no_baseline)
    if "selection" in tables:
        selection_table(args.shared, {s.slug: s for s in held}, args.edge_rule)
    if "speed" in tables:
        speed_table(held, args.shared)


if __name__ == "__main__":
    main()
