"""A fitted linear model over named, standardised features: the shared part of
the quote ranker (:mod:`clipper.select.ranker`) and the join model
(:mod:`clipper.select.joins`), as they are stored in ``ranker.json``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clipper.errors import ClipperError


@dataclass(frozen=True)
class LinearModel:
    """``features`` names the order of the other lists; a value's term is
    ``weight * (value - mean) / scale``."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    def __post_init__(self) -> None:
        sizes = {len(self.features), len(self.mean), len(self.scale), len(self.weights)}
        if len(sizes) != 1 or any(s <= 0 for s in self.scale):
            raise ClipperError("ranker weights: lists differ in length or a scale is not > 0")


def linear_fields(data: dict) -> dict[str, Any]:
    """The :class:`LinearModel` fields of a stored model, typed (raises
    KeyError, TypeError or ValueError when one is missing or malformed)."""
    return {
        "features": tuple(str(name) for name in data["features"]),
        "mean": tuple(float(x) for x in data["mean"]),
        "scale": tuple(float(x) for x in data["scale"]),
        "weights": tuple(float(x) for x in data["weights"]),
        "bias": float(data["bias"]),
    }
