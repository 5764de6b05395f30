"""clipper: turn a podcast episode page into ready-to-post social media assets.

The public API, imported lazily so that ``clipper --help`` stays light::

    from clipper import SelectOptions, load_episode, render_cards, select_quotes
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
# The name on the package index: "clipper" there is an unrelated project (a CLIP-seq
# peak caller). The import package and the command stay `clipper`.
DISTRIBUTION = "clipper-podcast"

_EXPORTS = {
    "ClipperError": "clipper.errors",
    "Episode": "clipper.episode",
    "Line": "clipper.episode",
    "Person": "clipper.episode",
    "load_episode": "clipper.episode",
    "open_episode": "clipper.episode.sources",
    "Quote": "clipper.select",
    "SelectOptions": "clipper.select",
    "load_quotes": "clipper.select",
    "save_quotes": "clipper.select",
    "select_quotes": "clipper.select",
    "CardOptions": "clipper.render.options",
    "ClipOptions": "clipper.render.options",
    "render_cards": "clipper.render.cards",
    "render_clips": "clipper.render.clips",
    "render_audiograms": "clipper.render.audiogram",
    "load_settings": "clipper.batch.config",
    "BatchRequest": "clipper.batch.plan",
    "run_batch": "clipper.batch.run",
}

__all__ = [
    "BatchRequest",
    "CardOptions",
    "ClipOptions",
    "ClipperError",
    "Episode",
    "Line",
    "Person",
    "Quote",
    "SelectOptions",
    "load_episode",
    "load_quotes",
    "load_settings",
    "open_episode",
    "render_audiograms",
    "render_cards",
    "render_clips",
    "run_batch",
    "save_quotes",
    "select_quotes",
]

if TYPE_CHECKING:
    from clipper.batch.config import load_settings
    from clipper.batch.plan import BatchRequest
    from clipper.batch.run import run_batch
    from clipper.episode import Episode, Line, Person, load_episode
    from clipper.episode.sources import open_episode
    from clipper.errors import ClipperError
    from clipper.render.audiogram import render_audiograms
    from clipper.render.cards import render_cards
    from clipper.render.clips import render_clips
    from clipper.render.options import CardOptions, ClipOptions
    from clipper.select import Quote, SelectOptions, load_quotes, save_quotes, select_quotes


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'clipper' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
