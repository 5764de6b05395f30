"""How often the selector's picks are quotes an editor chose, per labeled episode.

For each episode of LABELS_DIR (see ``clipper/select/labels.py``), the selector
runs with its default options; a pick hits when a label lies in one of its
source lines and the two share at least half of the shorter one's distinct
words. Columns: P@5, P@10, R3@10 (share of strength-3 labels hit in the top
10) and the standalone rate of the top 5, for the default selector and for the
naive baseline "the 5 (10) longest guest sentences". ``--loeo`` scores each
episode with a ranker trained on all the other episodes (needs scikit-learn);
``--folds K`` trains on all but one of K folds instead (faster), and
``--ablation`` repeats that without each feature group in turn.
``--via-feed`` also reads the episodes back from a Podcasting 2.0 feed made
of them (``benchmarks/feedify.py``) and scores those picks in the same run.

    python benchmarks/eval_select.py [LABELS_DIR] [--loeo [--folds K] [--ablation]] [--via-feed]
"""

from __future__ import annotations

import argparse
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


def held_out_selectors(rows: list, without: Sequence[str], folds: int) -> list[Selector]:
    """For each episode, a selector whose ranker never saw that episode: episode
    ``i`` is in fold ``i % folds``, and each fold's ranker learns from the rest."""
    from clipper.select.training import fit_ranker

    rankers = [
        fit_ranker([r for i, r in enumerate(rows) if i % folds != fold], without=without)
        for fold in range(folds)
    ]
    return [_with_ranker(rankers[i % folds]) for i in range(len(rows))]


def held_out_runs(
    labeled: list[LabeledEpisode], folds: int, ablation: bool
) -> list[tuple[str, list[Selector]]]:
    from clipper.select.features import FEATURE_GROUPS
    from clipper.select.training import WORDING, labeled_rows

    rows = [labeled_rows(item) for item in labeled]
    name = "leave-one-episode-out" if folds == len(labeled) else f"{folds}-fold"
    groups = [*FEATURE_GROUPS, WORDING] if ablation else []
    return [
        (f"{name} ranker" + (f" without {group}" if group else ""),
         held_out_selectors(rows, [group] if group else [], folds))
        for group in ["", *groups]
    ]  # fmt: skip


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
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", nargs="?", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--loeo", action="store_true", help="leave-one-episode-out ranker")
    parser.add_argument("--folds", type=int, help="with --loeo: K folds instead of one per episode")
    parser.add_argument("--ablation", action="store_true", help="with --loeo: each group left out")
    parser.add_argument("--quiet", action="store_true", help="print only the mean lines")
    parser.add_argument("--via-feed", action="store_true", help="also read them from a feed")
    args = parser.parse_args(argv)
    if not args.labels.is_dir():
        sys.exit(f"no labels folder at {args.labels}")
    labeled = load_labels(args.labels)
    episodes = [load_episode(item.path) for item in labeled]
    runs: list[tuple[str, list[Selector]]] = [
        ("baseline: the longest guest sentences", [longest_guest_sentences] * len(labeled)),
    ]
    if args.loeo:
        runs += held_out_runs(labeled, args.folds or len(labeled), args.ablation)
    else:
        runs.append(("default selector (shipped weights)", [default_selector] * len(labeled)))
    if args.via_feed:
        import tempfile

        from feedify import feed_selector

        workdir = tempfile.TemporaryDirectory(prefix="clipper-feedify-")  # removed at exit
        via_feed = feed_selector(episodes, Path(workdir.name))
        runs.append(("default selector, read from a feed (feedify)", [via_feed] * len(labeled)))
    for title, selectors in runs:
        rows = [
            score(item, select(episode))
            for item, episode, select in zip(labeled, episodes, selectors, strict=True)
        ]
        print(summary(title, rows) if args.quiet else table(title, rows) + "\n")


if __name__ == "__main__":
    main()
