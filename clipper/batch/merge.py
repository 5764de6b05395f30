"""``clipper merge``: the output folders of ``batch --shard K/N`` runs made one.

A back catalogue is rebuilt fastest as N parallel jobs, each running
``clipper batch SITE --shard K/N --out part-K`` (CI runs them as a matrix).
Merging copies every finished (made or failed) episode of each part into OUT
(its folder: cards, clips, post.md, quotes.yaml, kit zip; and its manifest
record), then rebuilds ``OUT/index.html``. The result is what one unsharded
run into OUT makes: same manifest entries, same files, same bytes.

An episode in a part replaces the same episode in OUT: its folder there is made
to match the part's (files copied atomically, files the part lacks removed), so
merging the shards of a rebuild over an older output leaves nothing stale. A
part's manifest is not trusted blindly: a folder name that is not a plain name
is refused. Episodes a part left pending (an interrupted shard) are not merged.
"""

from __future__ import annotations

import filecmp
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from clipper import fsutil
from clipper.batch.manifest import DONE, FAILED, MANIFEST_NAME, Manifest
from clipper.batch.run import exclusive_output, write_review
from clipper.errors import ClipperError


@dataclass
class MergeSummary:
    merged: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    index: Path | None = None

    def lines(self) -> list[str]:
        out = [f"merged {len(self.merged)} episodes"]
        out += [f"  left out {slug}: unfinished in its shard" for slug in self.pending]
        if self.index:
            out.append(f"review: {self.index}")
        return out


def _visible_files(folder: Path) -> dict[str, Path]:
    """Files under ``folder`` by relative path, without hidden (temporary) ones."""
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): path
        for path in folder.rglob("*")
        if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts)
    }


def mirror_folder(source: Path, target: Path) -> None:
    """Make ``target`` hold exactly the files of ``source``: copy what is new
    or different (atomically), delete what ``source`` lacks."""
    wanted, present = _visible_files(source), _visible_files(target)
    for name, path in wanted.items():
        existing = present.get(name)
        if existing is None or not filecmp.cmp(path, existing, shallow=False):
            with fsutil.atomic_path(target / name) as tmp:
                shutil.copyfile(path, tmp)
    for name in present.keys() - wanted.keys():
        present[name].unlink()
    for folder in sorted((p for p in target.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


def _load_part(part: Path, out_dir: Path) -> Manifest:
    if part.resolve() == out_dir:
        raise ClipperError(f"{part}: is the output folder itself; merge other folders into it")
    if not (part / MANIFEST_NAME).is_file():
        raise ClipperError(f"{part}: no {MANIFEST_NAME}; not the output of a clipper batch run")
    return Manifest.load(part)


def merge_outputs(out_dir: Path, parts: list[Path]) -> MergeSummary:
    """Merge the batch output folders ``parts`` into ``out_dir``, later parts
    winning over earlier ones and over what ``out_dir`` held."""
    out_dir = out_dir.resolve()
    manifests = [(part, _load_part(part, out_dir)) for part in parts]
    summary = MergeSummary()
    with exclusive_output(out_dir):
        manifest = Manifest.load(out_dir)
        for part, theirs in manifests:
            for slug, record in sorted(theirs.episodes.items()):
                if record.status not in (DONE, FAILED):
                    summary.pending.append(slug)
                    continue
                folder = record.folder or slug
                if Path(folder).name != folder or folder.startswith("."):
                    raise ClipperError(f"{part / MANIFEST_NAME}: {slug}: bad folder {folder!r}")
                mirror_folder(part / folder, out_dir / folder)
                manifest.episodes[slug] = record
                summary.merged.append(slug)
        manifest.save()
        summary.index = write_review(out_dir, manifest)
    return summary
