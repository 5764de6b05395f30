"""The site reader: a ``_podcast/<slug>.md`` page, or a site folder and the
slug of one of its pages (``--item``). Asked last: any file no other reader
claims is read as a page (and fails as one, naming the file)."""

from __future__ import annotations

from pathlib import Path

from clipper.episode.load import load_episode
from clipper.episode.model import Episode
from clipper.episode.sources import SourceRequest
from clipper.errors import ClipperError
from clipper.ids import SAFE_ID


def read(source: str, request: SourceRequest) -> Episode:
    path = Path(source)
    if request.transcript is not None:
        raise ClipperError(f"{path}: a site page has its own transcript; 'transcript' is for media")
    if path.is_dir():
        path = site_page(path, request.item)
    return load_episode(path, request.site)


def site_page(root: Path, item: str | None) -> Path:
    """The page of ``item`` (a slug) in the site at ``root``."""
    if not item:
        raise ClipperError(f"{root}: a site folder holds many episodes; name one with its slug")
    if not SAFE_ID.match(item):
        raise ClipperError(f"{root}: {item!r} is not an episode slug")
    page = root / "_podcast" / f"{item}.md"
    if not page.is_file():
        raise ClipperError(f"{root}: no episode {item!r} in _podcast/")
    return page
