"""Atomic file output: write to a temporary sibling, then rename into place.

A crash or a kill at any moment leaves either the old file or the new one,
never a half-written file. Temporary names start with ``.`` and contain
``.part-`` so that stray ones are easy to find and clean up.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

PART_MARKER = ".part-"


def temp_sibling(path: Path) -> Path:
    """A temporary path next to ``path`` that keeps its suffix (ffmpeg and
    Pillow choose the format from it)."""
    return path.with_name(f".{path.stem}{PART_MARKER}{os.getpid()}{path.suffix}")


@contextlib.contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path to write to; on success it replaces ``path``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_sibling(target)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_text(path: Path | str, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def remove_stray_parts(directory: Path) -> int:
    """Delete temporary files left by an interrupted run; return how many."""
    removed = 0
    if not directory.is_dir():
        return 0
    for stray in directory.rglob(f".*{PART_MARKER}*"):
        with contextlib.suppress(FileNotFoundError):
            stray.unlink()
            removed += 1
    return removed


def default_cache_dir() -> Path:
    """clipper's user cache folder (downloads, LLM answers): ``$XDG_CACHE_HOME/clipper``."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "clipper"
