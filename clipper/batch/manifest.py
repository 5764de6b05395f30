"""``OUT/manifest.json``: what each episode's kit was made from.

For every episode the manifest keeps the content hashes of its inputs (the
episode file, its people files and photos, the artwork, the settings that
shape quotes and post text), the settings fingerprint of each rendered product
(cards, clips), the hash of the ``quotes.yaml`` the outputs were rendered from,
the files written, and the data the review page shows. A batch run compares
these with the current inputs to decide what to redo. The file is always
replaced atomically, so a killed run leaves the previous manifest or the new
one, never a torn one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clipper import fsutil
from clipper.errors import ClipperError

if TYPE_CHECKING:
    from clipper.batch.config import Settings
    from clipper.episode import Episode

MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1
MISSING = "missing"

PENDING = "pending"
DONE = "done"
FAILED = "failed"


def file_digest(path: Path | None) -> str:
    """SHA-256 of a file's bytes (first 16 hex digits), or ``missing``."""
    if path is None:
        return MISSING
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return MISSING
    return digest.hexdigest()[:16]


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def episode_sources(episode: Episode) -> dict[str, Any]:
    """The files an episode's kit is made from, and what locates its outputs
    and video. Kept in the manifest so that a rerun can check for changes by
    hashing these files, without parsing the episode again."""
    people = [*episode.guests, *([episode.host] if episode.host else [])]
    files = []
    for person in sorted(people, key=lambda p: p.id):
        files.append(str(episode.site_root / "_people" / f"{person.id}.md"))
        if person.photo is not None:
            files.append(str(person.photo))
    return {
        "episode": str(episode.path.resolve()),
        "site_root": str(episode.site_root),
        "folder": episode.slug,
        "people": files,
        "artwork": str(episode.artwork) if episode.artwork else None,
        "youtube_id": episode.youtube_id,
        "media": episode.media,
    }


def episode_inputs(sources: dict[str, Any], settings: Settings) -> dict[str, str]:
    """Content hashes of everything an episode's quotes, cards and post text
    depend on, by component (so a rerun can say *what* changed)."""
    people = "|".join(f"{Path(p).name}:{file_digest(Path(p))}" for p in sources["people"])
    artwork = sources["artwork"]
    inputs = {
        "episode": file_digest(Path(sources["episode"])),
        "people": text_digest(people),
        "artwork": file_digest(Path(artwork) if artwork else None),
        "settings": settings.fingerprint("selection", "post"),
    }
    if sources.get("item"):  # a feed item: its guid and the hash of its XML
        inputs["item"] = text_digest(sources["item"])
    return inputs


@dataclass
class EpisodeRecord:
    """One episode's entry, keyed by the episode file's stem.

    ``folder`` is the episode's output folder under OUT; ``sources`` are
    the files it is made from (see :func:`episode_sources`); ``products`` maps a
    rendered product (cards, clips) to the settings fingerprint it was made
    with; ``quotes`` is the hash of the user-edited ``quotes.yaml`` the outputs
    come from (``None`` when clipper picked the quotes); ``review`` holds what
    the review page shows (titles, quotes, post texts, warnings) and
    ``assets`` the rendered files per product and quote id (paths relative to
    OUT), with per-quote errors."""

    slug: str
    source: str
    folder: str = ""
    sources: dict[str, Any] = field(default_factory=dict)
    status: str = PENDING
    inputs: dict[str, str] = field(default_factory=dict)
    products: dict[str, str] = field(default_factory=dict)
    quotes: str | None = None
    review: dict[str, Any] = field(default_factory=dict)
    assets: dict[str, dict[str, Any]] = field(default_factory=dict)
    error: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EpisodeRecord:
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


@dataclass
class Manifest:
    path: Path
    episodes: dict[str, EpisodeRecord] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        """The manifest in ``out_dir``; an empty one when there is none yet or
        it comes from another format version (then everything is redone)."""
        path = out_dir / MANIFEST_NAME
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != FORMAT_VERSION:
                return cls(path)
            records = data["episodes"]
            episodes = {slug: EpisodeRecord.from_dict(rec) for slug, rec in records.items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            raise ClipperError(
                f"{path}: unreadable manifest (delete it to rebuild everything)"
            ) from None
        return cls(path, episodes)

    def save(self) -> None:
        data = {
            "version": FORMAT_VERSION,
            "episodes": {slug: asdict(rec) for slug, rec in sorted(self.episodes.items())},
        }
        fsutil.write_text(self.path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
