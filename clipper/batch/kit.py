"""``OUT/<slug>/<slug>-kit.zip``: an episode's whole kit in one download.

The zip holds every file of the episode's output folder (cards with their
alt-text ``.txt``, clips with posters and ``.srt``/``.vtt`` captions,
``post.md``, ``quotes.yaml``, the timeline for editing programs from
:mod:`clipper.batch.timeline`) under a top folder named after the episode, so
it unpacks next to other kits without clashing. Temporary ``.part-`` files and
the zip itself are left out.

The zip is reproducible: entries are sorted and carry a fixed date, so the
same files give the same bytes on any machine (sharded CI runs merge into
exactly what one run makes). Its comment records a digest of the contents;
when that still matches, the zip is not written again, so a rerun that
changed nothing leaves it (and its modification time) alone.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

from clipper import fsutil

KIT_SUFFIX = "-kit.zip"
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)
_COMPRESSED = {".png", ".jpg", ".jpeg", ".webp", ".mp4"}  # stored as they are
_COMMENT = b"clipper-kit "


def kit_path(folder: Path) -> Path:
    """Where the kit of the episode in ``folder`` goes."""
    return folder / f"{folder.name}{KIT_SUFFIX}"


def kit_files(folder: Path) -> list[Path]:
    """The files a kit packs, sorted: everything in the episode folder but
    hidden files (temporary parts) and the kit itself."""
    skip = kit_path(folder)
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and path != skip
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    )


def _digest(folder: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def _recorded_digest(zip_file: Path) -> str | None:
    try:
        with zipfile.ZipFile(zip_file) as existing:
            comment = existing.comment
    except (OSError, zipfile.BadZipFile):
        return None
    return comment[len(_COMMENT) :].decode() if comment.startswith(_COMMENT) else None


def write_kit(folder: Path) -> Path:
    """Pack the episode ``folder`` into its kit zip (atomically), unless the
    zip there already holds exactly these files; return the zip's path."""
    target = kit_path(folder)
    files = kit_files(folder)
    digest = _digest(folder, files)
    if _recorded_digest(target) == digest:
        return target
    with fsutil.atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        for path in files:
            name = f"{folder.name}/{path.relative_to(folder).as_posix()}"
            info = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
            info.external_attr = 0o644 << 16
            stored = path.suffix.lower() in _COMPRESSED
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            with open(path, "rb") as source, archive.open(info, "w") as entry:
                shutil.copyfileobj(source, entry, 1 << 20)
        archive.comment = _COMMENT + digest.encode()
    return target
