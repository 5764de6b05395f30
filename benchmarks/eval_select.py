"""How often the selector's picks are quotes an editor chose, per labeled episode.

For each episode of LABELS_DIR (see ``clipper/select/labels.py``), the selector
runs with its default options; a pick hits when a label lies in one of its
source lines and the two share at least half of the shorter one's distinct
words. Columns: P@5, P@10, R3@10 (share of strength-3 labels hit in the top
10) and the standalone rate of the top 5, for the default selector and for the
naive baseline "the 5 (10) longest guest sentences". ``--loeo`` scores each
episode with a ranker trained on all the other episodes (needs scikit-learn);
``--folds K`` trains on all but one of K folds instead (faster), and
``--ablation`` repeats that without each feature group in turn (``joins``: without
the join model that keeps two separate points out of one quote), ``--without
GROUP`` without one. Each such run is compared with the full held-out ranker
episode by episode: the mean P@5 difference with its paired standard error,
and how many episodes it won and lost. Features are described once per
episode and each fold's ranker is fitted once.
``--via-feed`` also reads the episodes back from a Podcasting 2.0 feed made
of them (``benchmarks/feedify.py``) and scores those picks in the same run.
``--curve 5,10,20`` is a learning curve: each episode scored by a ranker
fitted on that many of the other episodes (a random draw, seeded by the
episode), then on all of them, and how much P@5 gains per doubling of the
labelled episodes (a least-squares line through P@5 against log2 of the count).

    python benchmarks/eval_select.py [LABELS_DIR] [--loeo [--folds K] [--ablation | --without G]]
        [--via-feed] [--curve SIZES]
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import random
import re
import statistics
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from clipper.episode.load import GUEST_ROLE, Episode, load_episode
from clipper.select.labels import LabeledEpisode, hit_labels, load_labels
from clipper.select.selector import SelectOptions, select_quotes

DEFAULT_LABELS = Path(__file__).resolve().parents[2] / "shared" / "labels"
# Openers that lean on what came before (the labels README's list and its kin).
_LEANING_OPENER = re.compile(
    r"^(and|but|so|or|because|yeah|yes|okay|ok|well|um|uh|that|this|these|those|it|"
    r"which|they|he|she|also|then)\b",
    re.IGNORECASE,
)

Pick = tuple[list[int], str]  # source lines, text
Selector = Callable[[Episode], list[Pick]]


@dataclass
class Row:
    slug: str
    p5: float
    p10: float
    r3: float
    standalone: float


def standalone(text: str) -> bool:
    """Starts with a capital, ends with . ! or ?, is no question, leans on nothing."""
    text = text.strip().lstrip("\"'“‘")
    return (
        bool(text)
        and text[0].isupper()
        and text.rstrip("\"'”’")[-1:] in (".", "!", "?")
        and "?" not in text
        and not _LEANING_OPENER.match(text)
    )


def score(labeled: LabeledEpisode, picks: Sequence[Pick]) -> Row:
    hits = [bool(hit_labels(labeled, lines, text)) for lines, text in picks[:10]]
    strong = {id(label) for label in labeled.labels if label.strength == 3}
    found = {id(label) for lines, text in picks[:10] for label in hit_labels(labeled, lines, text)}
    top5 = picks[:5]
    return Row(
        slug=labeled.slug,
        p5=sum(hits[:5]) / 5,
        p10=sum(hits) / 10,
        r3=len(strong & found) / len(strong) if strong else 0.0,
        standalone=sum(standalone(text) for _, text in top5) / max(1, len(top5)),
    )


def default_selector(episode: Episode) -> list[Pick]:
    return [(q.lines, q.text) for q in select_quotes(episode, SelectOptions(top=10))]


def longest_guest_sentences(episode: Episode) -> list[Pick]:
    from clipper.select.candidates import speaker_turns

    sentences = [
        (len(text.split()), [turn.word_lines[r.start].index], text)
        for turn in speaker_turns(episode)
        if turn.word_lines and turn.word_lines[0].role == GUEST_ROLE
        for r, text in zip(turn.sentences, turn.sentence_texts, strict=True)
    ]
    sentences.sort(key=lambda s: -s[0])
    return [(lines, text) for _, lines, text in sentences[:10]]


def held_out_rankers(rows: list, without: str, folds: int, full: list | None) -> list:
    """One ranker per fold, fitted on the episodes outside it (episode ``i`` is
    in fold ``i % folds``), without the feature group ``without``. Leaving out
    the join model changes no ranker weight, so it reuses ``full``'s fits."""
    from clipper.select.training import JOINS, fit_ranker

    if without == JOINS and full is not None:
        return [dataclasses.replace(ranker, joins=None) for ranker in full]
    groups = [without] if without else []
    return [
        fit_ranker([r for i, r in enumerate(rows) if i % folds != fold], without=groups)
        for fold in range(folds)
    ]


def held_out_runs(
    labeled: list[LabeledEpisode], folds: int, groups: Sequence[str]
) -> list[tuple[str, list[Selector]]]:
    """The held-out ranker and, for each of ``groups``, the same without that group."""
    from clipper.select.training import labeled_rows

    rows = [labeled_rows(item) for item in labeled]
    name = "leave-one-episode-out" if folds == len(labeled) else f"{folds}-fold"
    full = held_out_rankers(rows, "", folds, None)
    runs = []
    for group in ["", *groups]:
        rankers = held_out_rankers(rows, group, folds, full) if group else full
        title = f"{name} ranker" + (f" without {group}" if group else "")
        runs.append((title, [_with_ranker(rankers[i % folds]) for i in range(len(rows))]))
    return runs


def curve_runs(
    labeled: list[LabeledEpisode], sizes: Sequence[int]
) -> list[tuple[str, list[Selector]]]:
    """For each size, a run whose ranker for episode ``i`` is fitted on that
    many of the other episodes, drawn at random with ``i`` as the seed."""
    from clipper.select.training import fit_ranker, labeled_rows

    rows = [labeled_rows(item) for item in labeled]
    runs = []
    for size in sizes:
        selectors = []
        for i in range(len(rows)):
            others = [row for j, row in enumerate(rows) if j != i]
            drawn = random.Random(i).sample(others, min(size, len(others)))
            selectors.append(_with_ranker(fit_ranker(drawn)))
        runs.append((f"ranker fitted on {size} other episodes", selectors))
    return runs


def gain_per_doubling(sizes: Sequence[int], p5: Sequence[float]) -> str:
    """The slope of P@5 against log2 of the labelled episodes, and the count at
    which that line would reach 0.70 (an extrapolation, said as one)."""
    x = [math.log2(size) for size in sizes]
    slope, intercept = statistics.linear_regression(x, p5)
    gain = f"P@5 gains {slope:+.3f} per doubling of the labelled episodes"
    if slope <= 0:
        return f"{gain}: more labels did not help at these sizes"
    return f"{gain}; on that line, P@5 0.70 needs about {2 ** ((0.70 - intercept) / slope):.0f}"


def _with_ranker(ranker) -> Selector:
    def run(episode: Episode) -> list[Pick]:
        quotes = select_quotes(episode, SelectOptions(top=10), weights=ranker)
        return [(q.lines, q.text) for q in quotes]

    return run


def table(title: str, rows: list[Row]) -> str:
    out = [title, f"{'episode':<58} {'P@5':>5} {'P@10':>5} {'R3@10':>6} {'stand':>6}"]
    for row in rows:
        out.append(
            f"{row.slug[:58]:<58} {row.p5:5.2f} {row.p10:5.2f} {row.r3:6.2f} {row.standalone:6.0%}"
        )
    out.append(summary("mean", rows))
    return "\n".join(out)


def summary(name: str, rows: list[Row]) -> str:
    mean = statistics.fmean
    return (
        f"{name:<58} {mean(r.p5 for r in rows):5.3f} {mean(r.p10 for r in rows):5.3f} "
        f"{mean(r.r3 for r in rows):6.3f} {mean(r.standalone for r in rows):6.1%}"
        f"  (P@5 SE {standard_error([r.p5 for r in rows]):.3f})"
    )


def standard_error(values: Sequence[float]) -> float:
    return statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else 0.0


def versus(rows: list[Row], reference: list[Row], name: str) -> str:
    """Per-episode wins and losses in P@5 against ``reference`` (same episodes),
    and the mean difference with its paired standard error."""
    differences = [r.p5 - ref.p5 for r, ref in zip(rows, reference, strict=True)]
    wins = sum(d > 0 for d in differences)
    losses = sum(d < 0 for d in differences)
    return (
        f"  this run minus {name}: P@5 {statistics.fmean(differences):+.3f} "
        f"(paired SE {standard_error(differences):.3f}); P@10 "
        f"{statistics.fmean(r.p10 - ref.p10 for r, ref in zip(rows, reference, strict=True)):+.3f}"
        f"; episodes won {wins}, lost {losses}, tied {len(differences) - wins - losses}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", nargs="?", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--loeo", action="store_true", help="leave-one-episode-out ranker")
    parser.add_argument("--folds", type=int, help="with --loeo: K folds instead of one per episode")
    parser.add_argument("--ablation", action="store_true", help="with --loeo: each group left out")
    parser.add_argument(
        "--without", action="append", default=[], metavar="GROUP",
        help="with --loeo: also without GROUP (e.g. joins), with per-episode wins and losses",
    )  # fmt: skip
    parser.add_argument("--quiet", action="store_true", help="print only the mean lines")
    parser.add_argument("--via-feed", action="store_true", help="also read them from a feed")
    parser.add_argument(
        "--curve", metavar="SIZES", type=_sizes,
        help="learning curve: rankers fitted on SIZES other episodes each (e.g. 5,10,20)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.loeo and args.curve:
        parser.error("--curve makes its own held-out rankers: leave out --loeo")
    if not args.labels.is_dir():
        sys.exit(f"no labels folder at {args.labels}")
    labeled = load_labels(args.labels)
    episodes = [load_episode(item.path) for item in labeled]
    runs: list[tuple[str, list[Selector]]] = [
        ("baseline: the longest guest sentences", [longest_guest_sentences] * len(labeled)),
    ]
    curve: list[tuple[str, list[Selector]]] = []
    if args.loeo:
        from clipper.select.features import FEATURE_GROUPS
        from clipper.select.training import JOINS, WORDING

        groups = [*FEATURE_GROUPS, WORDING, JOINS] if args.ablation else args.without
        runs += held_out_runs(labeled, args.folds or len(labeled), groups)
    elif args.curve:
        largest = len(labeled) - 1
        sizes = sorted({min(size, largest) for size in [*args.curve, largest]})
        curve = curve_runs(labeled, sizes)
        runs += curve
    else:
        runs.append(("default selector (shipped weights)", [default_selector] * len(labeled)))
    if args.via_feed:
        import tempfile

        from feedify import feed_selector

        workdir = tempfile.TemporaryDirectory(prefix="clipper-feedify-")  # removed at exit
        via_feed = feed_selector(episodes, Path(workdir.name))
        runs.append(("default selector, read from a feed (feedify)", [via_feed] * len(labeled)))
    reference: tuple[str, list[Row]] | None = None
    mean_p5: dict[str, float] = {}
    for title, selectors in runs:
        rows = [
            score(item, select(episode))
            for item, episode, select in zip(labeled, episodes, selectors, strict=True)
        ]
        print(summary(title, rows) if args.quiet else table(title, rows))
        if reference is not None and "without" in title:
            print(versus(rows, reference[1], reference[0]))
        elif "ranker" in title:
            reference = (title, rows)
        mean_p5[title] = statistics.fmean(row.p5 for row in rows)
        print()
    if curve:
        print(gain_per_doubling(sizes, [mean_p5[title] for title, _ in curve]))


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part) for part in text.split(",")})
    except ValueError:
        sizes = []
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"not a list of episode counts: {text!r}")
    return sizes


if __name__ == "__main__":
    main()
