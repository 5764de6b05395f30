"""Fit the quote ranker on a folder of editors' labels and write its weights.

    pip install -e '.[train]'
    python tools/train_ranker.py LABELS_DIR [-o clipper/select/ranker.json] [-C 0.05]

LABELS_DIR holds one JSON file per episode (format: clipper/select/labels.py);
the weights file is what ``clipper select`` loads (no scikit-learn needed then).
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
