"""Fit the quote ranker on a folder of editors' labels and write its weights.

    pip install -e '.[train]'
    python tools/train_ranker.py LABELS_DIR [-o clipper/select/ranker.json] [-C 0.05]

LABELS_DIR holds one JSON file per episode (format: clipper/select/labels.py);
the weights file is what ``clipper select`` loads (no scikit-learn needed then).

Measured leave-one-episode-out on the 50 labelled episodes against the
shipped recipe (P@5 0.608) and not kept, none beyond one standard error
(paired by episode): a pairwise objective within episodes (0.580); gradient
boosted trees over the named features added to the linear score (0.584 to
0.616); the share of a span's content words among the episode's 40 most
frequent and its title's (0.608, 7 won, 7 lost); the share of them that the
episode's written summary uses (the page's intro and description: 0.596, 5
won, 8 lost); two picks allowed from one speaker turn when they do not overlap
(0.612); the join model's odds that the
sentences before and after a span start a new point added to its score (0.568
to 0.620); spans of up to four sentences (0.592) or any number within 60
words (0.580); and, as a ceiling for meaning from a general-purpose encoder,
all-MiniLM-L6-v2 sentence embeddings of the linear ranker's best 60
candidates beside its score in a second logistic regression (0.520 to 0.556).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from clipper.select.labels import load_labels
from clipper.select.ranker import WEIGHTS_FILE
from clipper.select.training import C, fit_ranker, labeled_rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", type=Path)
    parser.add_argument("-o", "--output", type=Path, default=WEIGHTS_FILE)
    parser.add_argument("-C", type=float, default=C, help="inverse regularisation strength")
    args = parser.parse_args()
    labeled = load_labels(args.labels)
    rows = [labeled_rows(item) for item in labeled]
    note = f"logistic regression, C={args.C}, on {len(rows)} labeled episodes"
    ranker = fit_ranker(rows, c=args.C, note=note)
    ranker.save(args.output)
    print(f"wrote {args.output}: {note}")
    weights = dict(zip(ranker.features, ranker.weights, strict=True))
    for name in sorted(weights, key=lambda name: -abs(weights[name])):
        print(f"  {name:<20} {weights[name]:+.3f}")
    print(f"  and {len(ranker.words)} word weights; the join model:")
    if ranker.joins:
        joins = dict(zip(ranker.joins.features, ranker.joins.weights, strict=True))
        for name in sorted(joins, key=lambda name: -abs(joins[name]))[:8]:
            print(f"  {name:<20} {joins[name]:+.3f}")


if __name__ == "__main__":
    main()
