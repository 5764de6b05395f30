"""What a batch run has to do: which episode files, and for each one whether to
make it, resume it or skip it, and which stale outputs must go first.

Resuming. Before an episode starts, outputs made from stale inputs are
deleted and the manifest records the episode as *pending* with its new input
hashes. Every output file is written atomically, so after an interruption the
files present for a pending episode are complete and made from the recorded
inputs: the next run renders with ``skip_existing=True`` and only makes what is
missing.

Edited ``quotes.yaml``. clipper writes ``OUT/<slug>/quotes.yaml`` with a first
line ``# clipper-digest: <hash of the rest>``. When the rest no longer matches
that hash the user edited the file: from then on it is never overwritten and is
what gets rendered; the manifest stores the hash of the edited file that the
outputs were made from, so saving a new edit re-renders the episode. Deleting
the file brings back clipper's own picks; ``--force`` re-renders everything but
keeps an edited file.

Change detection is by content, not modification time: a fresh checkout (new
mtimes, same bytes) redoes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clipper import fsutil
from clipper.batch.config import Settings, is_theme_file
from clipper.batch.kit import kit_path
from clipper.batch.manifest import (
    DONE,
    PENDING,
    EpisodeRecord,
    episode_inputs,
    episode_sources,
    file_digest,
    text_digest,
)
from clipper.episode import Episode, load_episode, read_front_matter
from clipper.episode.feedreader import FeedEntry, NoTranscript, feed_entries
from clipper.episode.sources import is_feed_source
from clipper.errors import ClipperError
from clipper.media.source import VIDEO_SUFFIXES
from clipper.select.quote import Quote, dump_quotes

QUOTES_NAME = "quotes.yaml"
POST_NAME = "post.md"
DIGEST_PREFIX = "# clipper-digest: "
BATCH_NOTE = (
    "# clipper batch: once you edit this file, reruns render exactly what it says and\n"
    "# never overwrite it; delete it to get clipper's own picks back.\n"
)
PRODUCTS = ("cards", "clips")
AUDIO_SUFFIXES = (".mp3", ".m4a", ".wav")
CLIP_FILES = ("video", "poster", "srt", "vtt")
UP_TO_DATE = "up to date"

# What a batch run makes a kit of: an episode file of a site, or an item of a feed.
Entry = Path | FeedEntry


@dataclass(frozen=True)
class Shard:
    """Part ``index`` (1-based) of ``count``: an episode belongs to the shard
    chosen by a hash of its slug, stable across machines and runs."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        index, sep, count = text.partition("/")
        if not (sep and index.isdigit() and count.isdigit()) or not 1 <= int(index) <= int(count):
            raise ClipperError(f"--shard {text!r}: expected K/N with 1 <= K <= N, e.g. 2/4")
        return cls(int(index), int(count))

    def __contains__(self, slug: str) -> bool:
        bucket = int.from_bytes(hashlib.sha256(slug.encode()).digest()[:8], "big")
        return bucket % self.count == self.index - 1


@dataclass(frozen=True)
class BatchRequest:
    """What to run; ``settings`` already carry the command-line overrides."""

    sources: tuple[Path | str, ...]
    settings: Settings
    since: dt.date | None = None
    only: tuple[str, ...] = ()
    latest: int | None = None
    shard: Shard | None = None
    jobs: int | None = None
    force: bool = False
    dry_run: bool = False


@dataclass
class Plan:
    """What to do with one episode: ``action`` is make, skip or fail."""

    slug: str
    source: Entry
    action: str
    reason: str
    episode: Episode | None = None
    sources: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    products: dict[str, str] = field(default_factory=dict)
    clean: tuple[str, ...] = ()
    edited_quotes: str | None = None
    video: Path | None = None


# ---------------------------------------------------------------- discovery


def discover(sources: tuple[Path | str, ...]) -> list[Entry]:
    """Episode files from site directories (their ``_podcast/*.md``), a
    ``_podcast`` directory, or explicit files, and the items of feeds (URLs
    or .xml/.rss/.atom files); sorted, without duplicates."""
    found: dict[str, Entry] = {}
    for given in sources:
        if is_feed_source(str(given)):
            for entry in feed_entries(given):
                found.setdefault(str(entry), entry)
            continue
        source = Path(given)
        if source.is_dir():
            podcast = source / "_podcast" if (source / "_podcast").is_dir() else source
            files = sorted(podcast.glob("*.md"))
            if not files:
                raise ClipperError(f"{source}: no episode files (_podcast/*.md) found")
        elif source.is_file():
            files = [source]
        else:
            raise ClipperError(f"{source}: no such file or directory")
        for path in files:
            found.setdefault(str(path.resolve()), path)
    entries = sorted(found.values(), key=lambda p: (p.stem, str(p)))
    stems = [p.stem for p in entries]
    for stem in stems:
        if stems.count(stem) > 1:
            raise ClipperError(f"two episodes are named {stem}; their outputs would clash")
    return entries


def episode_date(path: Entry) -> dt.date | None:
    """When the episode was added (front matter ``dateadded``, else ``date``;
    a feed item's publication date)."""
    if isinstance(path, FeedEntry):
        return path.item.published.date() if path.item.published else None
    try:
        front = read_front_matter(path)
    except ClipperError:
        return None
    for key in ("dateadded", "date"):
        value = front.get(key)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip()[:10])
            except ValueError:
                continue
    return None


def _names(entry: Entry) -> set[str]:
    """What ``--only`` may call an episode: its slug (a feed item: or its guid)."""
    return {entry.stem, entry.item.guid} if isinstance(entry, FeedEntry) else {entry.stem}


def narrow(paths: list[Entry], request: BatchRequest) -> tuple[list[Entry], list[tuple[str, str]]]:
    """The episodes this run covers, and the (slug, reason) of those left out
    by --since or --latest."""
    unknown = set(request.only) - {name for p in paths for name in _names(p)}
    if unknown:
        raise ClipperError(f"--only {sorted(unknown)[0]}: no such episode")
    kept, left_out = [], []
    for path in paths:
        if request.only and not _names(path) & set(request.only):
            continue
        if request.shard and path.stem not in request.shard:
            continue
        if request.since:
            added = episode_date(path)
            if added is None or added < request.since:
                why = "no date in front matter" if added is None else "added"
                left_out.append((path.stem, f"{why} before --since {request.since}"))
                continue
        kept.append(path)
    if request.latest is not None:
        newest = sorted(kept, key=lambda p: episode_date(p) or dt.date.min, reverse=True)
        older = newest[request.latest :]
        left_out += [(p.stem, f"not among the {request.latest} newest") for p in older]
        kept = [p for p in kept if not any(p is old for old in older)]
    return kept, left_out


# ---------------------------------------------------------------- planning


def quotes_digest(path: Path) -> tuple[str | None, bool]:
    """``(hash of the file, edited by the user)``; ``(None, False)`` when absent."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, False
    first, _, rest = text.partition("\n")
    generated = first.startswith(DIGEST_PREFIX) and first[len(DIGEST_PREFIX) :] == text_digest(rest)
    return text_digest(text), not generated


def write_quotes_file(path: Path, quotes: list[Quote]) -> None:
    """clipper's picks, with the digest line that tells them from a user's edit."""
    body = BATCH_NOTE + dump_quotes(quotes)
    fsutil.write_text(path, f"{DIGEST_PREFIX}{text_digest(body)}\n{body}")


def find_video(sources: dict[str, Any], settings: Settings) -> Path | None:
    """A local video ``<video_dir>/<slug>.mp4`` inside the site root, else a
    local audio file ``<audio_dir>/<slug>.mp3|m4a|wav`` (for audiograms), if any."""
    root = Path(sources["site_root"]).resolve()
    for key, suffixes in (("video_dir", VIDEO_SUFFIXES), ("audio_dir", AUDIO_SUFFIXES)):
        name = getattr(settings.clips, key)
        folder = (root / name).resolve()
        if not folder.is_relative_to(root):
            raise ClipperError(f"clips.{key} {name!r} is outside the site root")
        for suffix in suffixes:
            candidate = folder / f"{sources['folder']}{suffix}"
            if candidate.is_file():
                return candidate
    return None


def _theme_digest(theme: str) -> str:
    """A theme given as a file counts by content (built-in names by name)."""
    return file_digest(Path(theme))[:8] if is_theme_file(theme) else ""


def product_fingerprints(
    settings: Settings, sources: dict[str, Any], video: Path | None
) -> dict[str, str]:
    """The settings fingerprint of each enabled product. A theme given as a
    file path and the local video count as settings (by content / size+mtime)."""
    products = {}
    if settings.cards.enabled:
        products["cards"] = settings.fingerprint("cards") + _theme_digest(settings.cards.theme)
    if settings.clips.enabled:
        source = f"youtube:{sources['youtube_id']}"
        if sources.get("media"):
            source = f"media:{sources['media']}"
        if video is not None:
            stat = video.stat()
            source = f"{video.name}:{stat.st_size}:{stat.st_mtime_ns}"
        key = f"{settings.fingerprint('clips')}{_theme_digest(settings.clips.theme)}{source}"
        products["clips"] = text_digest(key)
    return products


def _missing_files(record: EpisodeRecord, out_dir: Path, product: str) -> bool:
    for entry in record.assets.get(product, {}).values():
        for item in entry.get("items", []):
            for key in ("path", *CLIP_FILES):
                if item.get(key) and not (out_dir / item[key]).exists():
                    return True
    return False


def _recorded(path: Entry, record: EpisodeRecord) -> bool:
    """Whether ``record`` was made from this episode file, or this very
    version of a feed item (its guid and its XML)."""
    if isinstance(path, FeedEntry):
        return record.sources.get("item") == _item_key(path)
    return record.sources.get("episode") == str(path.resolve())


def _item_key(entry: FeedEntry) -> str:
    return f"{entry}@{entry.item.digest}"


def _load(path: Entry, settings: Settings) -> tuple[Episode, dict[str, Any]]:
    """The episode, and the sources the manifest records for it."""
    if isinstance(path, FeedEntry):
        episode = path.load(settings.cache)
        return episode, {**episode_sources(episode), "item": _item_key(path)}
    episode = load_episode(path)
    return episode, episode_sources(episode)


def _unchanged_inputs(
    path: Entry, record: EpisodeRecord | None, settings: Settings
) -> tuple[dict[str, Any], dict[str, str]] | None:
    """``(sources, inputs)`` from the manifest when the files recorded for the
    episode still hash the same (no parsing: this is what makes a no-change
    rerun fast); ``None`` when the episode must be parsed to know."""
    if record and _recorded(path, record):
        inputs = episode_inputs(record.sources, settings)
        if inputs == record.inputs:
            return record.sources, inputs
    return None


def plan_episode(
    path: Entry,
    record: EpisodeRecord | None,
    request: BatchRequest,
    out_dir: Path,
    load: bool = True,
) -> Plan | None:
    """Decide: redo everything, render what is missing, or skip; and which
    stale outputs must go first. With ``load=False`` nothing is parsed and
    ``None`` means the episode must be loaded to plan or to make it. A feed
    item without a transcript is skipped (the reason says so)."""
    slug = path.stem
    episode = None
    try:
        known = _unchanged_inputs(path, record, request.settings)
        if known is None and not load:
            return None
        if known is None:
            episode, sources = _load(path, request.settings)
            known = sources, {}
        sources, inputs = known[0], known[1] or episode_inputs(known[0], request.settings)
        video = find_video(sources, request.settings)
    except NoTranscript as exc:
        return Plan(slug, path, "skip", str(exc))
    except ClipperError as exc:
        return Plan(slug, path, "fail", str(exc))
    products = product_fingerprints(request.settings, sources, video)
    quotes_hash, edited = quotes_digest(out_dir / sources["folder"] / QUOTES_NAME)
    plan = Plan(slug, path, "make", "", episode, sources, inputs, products)
    plan.edited_quotes, plan.video = (quotes_hash if edited else None), video
    _decide(plan, record, request.force, out_dir, quotes_hash, edited)
    if plan.action == "make" and plan.episode is None:
        if not load:
            return None
        try:
            plan.episode, _ = _load(path, request.settings)
        except ClipperError as exc:
            return Plan(slug, path, "fail", str(exc))
    return plan


def _decide(
    plan: Plan,
    record: EpisodeRecord | None,
    force: bool,
    out_dir: Path,
    quotes_hash: str | None,
    edited: bool,
) -> None:
    """Set the plan's action, reason and what to clean first."""
    full_redo = ("*",)
    if force:
        plan.reason, plan.clean = "--force", full_redo
    elif record is None or not record.inputs:
        plan.reason, plan.clean = "new", full_redo
    elif record.inputs != plan.inputs:
        changed = [k for k in plan.inputs if record.inputs.get(k) != plan.inputs[k]]
        plan.reason, plan.clean = f"changed: {', '.join(changed)}", full_redo
    elif edited and record.quotes != quotes_hash:
        plan.reason, plan.clean = "quotes.yaml edited", full_redo
    elif record.quotes and not edited:
        plan.reason, plan.clean = "quotes.yaml replaced or removed", full_redo
    else:
        products = plan.products
        redo = [p for p in products if p in record.products and record.products[p] != products[p]]
        new = [p for p in products if p not in record.products]
        rest = [p for p in products if p not in redo + new]
        missing = [p for p in rest if _missing_files(record, out_dir, p)]
        plan.clean = tuple(redo)
        folder = out_dir / plan.sources["folder"]
        if record.status != DONE:
            plan.reason = f"{record.status} last time: resuming"
        elif redo or new or missing:
            plan.reason = ", ".join(
                [f"{p} settings changed" for p in redo]
                + [f"{p} not made yet" for p in new]
                + [f"{p} files missing" for p in missing]
            )
        elif quotes_hash is None or not all(
            path.exists() for path in (folder / POST_NAME, kit_path(folder))
        ):
            plan.reason = "post.md, quotes.yaml or the kit zip missing"
        else:
            plan.action, plan.reason = "skip", UP_TO_DATE


def clean_outputs(plan: Plan, out_dir: Path) -> None:
    """Delete outputs that were made from stale inputs (see module docstring)."""
    folder = out_dir / plan.sources["folder"]
    full = "*" in plan.clean
    for product in PRODUCTS if full else plan.clean:
        shutil.rmtree(folder / product, ignore_errors=True)
    if full:
        (folder / POST_NAME).unlink(missing_ok=True)
        kit_path(folder).unlink(missing_ok=True)
        if plan.edited_quotes is None:
            (folder / QUOTES_NAME).unlink(missing_ok=True)


def pending_record(plan: Plan, old: EpisodeRecord | None) -> EpisodeRecord:
    """The manifest entry while the episode is being made: its target inputs,
    and the products that are still valid or about to be made."""
    keep = {} if old is None or "*" in plan.clean else dict(old.products)
    assets = {} if old is None or "*" in plan.clean else dict(old.assets)
    for product in plan.clean:
        keep.pop(product, None)
        assets.pop(product, None)
    return EpisodeRecord(
        slug=plan.slug,
        source=str(plan.source),
        folder=plan.sources["folder"],
        sources=plan.sources,
        status=PENDING,
        inputs=plan.inputs,
        products={**keep, **plan.products},
        quotes=plan.edited_quotes,
        review=old.review if old and "*" not in plan.clean else {},
        assets=assets,
    )
