"""The learned scorer: a linear model over :data:`~clipper.select.features.FEATURES`.

The weights come from ``tools/train_ranker.py`` (logistic regression on
editors' labels) and ship as ``ranker.json`` beside this module, so scoring
needs neither scikit-learn nor numpy. A span's score is::

    bias + sum(weight[f] * (value[f] - mean[f]) / scale[f])

plus the weights of the span's distinct words found in ``words`` (the
``wording`` term: the editors' vocabulary, words used in many episodes, so no
topic word of one episode). Each term is a contribution, measured against an
average candidate: positive terms are why a span was chosen, negative ones why
not.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

from clipper import fsutil
from clipper.errors import ClipperError
from clipper.select.features import FEATURES
from clipper.select.joins import JoinModel
from clipper.select.linear import LinearModel, linear_fields

WEIGHTS_FILE = Path(__file__).with_name("ranker.json")


@dataclass(frozen=True)
class Ranker(LinearModel):
    """A fitted linear ranker; ``features`` names the order of the other lists."""

    words: dict[str, float] = field(default_factory=dict)
    note: str = ""
    joins: JoinModel | None = None  # where quotes start and end (see clipper.select.joins)

    @functools.cached_property
    def _positions(self) -> list[int]:
        """Where each of this ranker's features sits in :data:`FEATURES`."""
        unknown = [name for name in self.features if name not in FEATURES]
        if unknown:
            raise ClipperError(f"ranker weights: unknown feature {unknown[0]!r}")
        return [FEATURES.index(name) for name in self.features]

    @functools.cached_property
    def _terms(self) -> list[tuple[int, float, float]]:
        """(position, weight / scale, mean) for each feature."""
        return [
            (p, w / s, m)
            for p, w, s, m in zip(self._positions, self.weights, self.scale, self.mean, strict=True)
        ]

    def wording(self, vocabulary: frozenset[str]) -> float:
        """The words' weights added up exactly: a plain sum would depend on
        the set's order, which changes with the hash seed, and move scores
        that land on a rounding boundary from one run to the next."""
        return math.fsum(map(self.words.get, vocabulary, itertools.repeat(0.0)))

    def score(self, values: list[float], vocabulary: frozenset[str]) -> float:
        features = sum(k * (values[p] - m) for p, k, m in self._terms)
        return self.bias + features + self.wording(vocabulary)

    def contributions(self, values: list[float], vocabulary: frozenset[str]) -> dict[str, float]:
        """Each term of :meth:`score` by name (the words' sum as ``wording``)."""
        terms = {
            name: k * (values[p] - m)
            for name, (p, k, m) in zip(self.features, self._terms, strict=True)
        }
        if self.words:
            terms["wording"] = self.wording(vocabulary)
        return terms

    def top_words(self, vocabulary: frozenset[str], count: int = 3) -> list[str]:
        """The span's words that raise its score most."""
        weighted = sorted((-self.words.get(w, 0.0), w) for w in vocabulary)
        return [word for weight, word in weighted[:count] if weight < 0]

    def deviations(self, values: list[float]) -> dict[str, float]:
        """How far above (+) or below (-) an average candidate each feature is, in scales."""
        return {
            name: (values[p] - m) / s
            for name, p, m, s in zip(
                self.features, self._positions, self.mean, self.scale, strict=True
            )
        }

    def save(self, path: Path) -> None:
        data = asdict(self)
        fsutil.write_text(path, json.dumps(data, indent=1) + "\n")


def load_ranker(path: Path) -> Ranker:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Ranker(
            **linear_fields(data),
            words={str(k): float(v) for k, v in data.get("words", {}).items()},
            note=str(data.get("note", "")),
            joins=JoinModel(**linear_fields(data["joins"])) if data.get("joins") else None,
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ClipperError(f"{path}: not a ranker weights file ({exc})") from None


@functools.cache
def default_ranker() -> Ranker:
    """The weights shipped with clipper."""
    return load_ranker(WEIGHTS_FILE)
