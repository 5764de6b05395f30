"""``clipper batch``: every new or changed episode into a ready-to-post kit.

Flow: discover episode files (a site's ``_podcast/*.md`` or explicit files),
narrow them (``--only``, ``--since``, ``--shard``), load each one and compare
its input hashes with ``OUT/manifest.json`` to plan what to redo, then run the
planned episodes in worker processes. Each finished episode is recorded in the
manifest at once (atomically), and at the end ``OUT/index.html`` is rebuilt.

Planning (what is new, changed, edited or half done, and how resuming after an
interruption works) lives in :mod:`clipper.plan`; this module runs the plans.
Temporary ``.part-`` files of a killed run are removed before anything starts.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from itertools import repeat
from pathlib import Path
from typing import Any

from clipper import fsutil
from clipper.batch.config import Settings
from clipper.batch.kit import write_kit
from clipper.batch.manifest import (
    DONE,
    FAILED,
    PENDING,
    EpisodeRecord,
    Manifest,
)
from clipper.batch.plan import (
    AUDIO_SUFFIXES,
    POST_NAME,
    PRODUCTS,
    QUOTES_NAME,
    UP_TO_DATE,
    BatchRequest,
    Plan,
    clean_outputs,
    discover,
    narrow,
    pending_record,
    plan_episode,
    write_quotes_file,
)
from clipper.batch.post import PLATFORMS, Platform, post_texts, render_post_md, text_length
from clipper.batch.review import write_index
from clipper.batch.timeline import write_timelines
from clipper.episode import Episode
from clipper.errors import ClipperError, LlmRankWarning, Notice
from clipper.render.result import RenderResult
from clipper.render.spoken import time_for_clips
from clipper.select.quote import Quote, load_quotes
from clipper.select.selector import select_quotes
from clipper.timing.model import QuoteTiming

try:  # advisory locking of the output folder (POSIX)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

LOCK_NAME = ".clipper.lock"


# ---------------------------------------------------------------- request


@dataclass
class Outcome:
    """What a worker returns for one episode (plain data, picklable)."""

    slug: str
    status: str
    error: str | None = None
    review: dict[str, Any] = field(default_factory=dict)
    assets: dict[str, dict[str, Any]] = field(default_factory=dict)
    quotes: int = 0
    cards: int = 0
    clips: int = 0
    warnings: int = 0
    seconds: float = 0.0


@dataclass
class Summary:
    made: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    interrupted: bool = False
    index: Path | None = None

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.failed else 0

    def lines(self) -> list[str]:
        reasons: dict[str, int] = {}
        for _, reason in self.skipped:
            reasons[reason] = reasons.get(reason, 0) + 1
        if self.interrupted:
            head = "interrupted: finished work is kept, rerun to continue"
        elif not self.made and not self.failed:
            head = f"nothing to do: {reasons.pop(UP_TO_DATE, 0)} episodes up to date"
        else:
            head = f"made {len(self.made)}, skipped {len(self.skipped)}, failed {len(self.failed)}"
        out = [head]
        out += [f"  failed  {slug}: {reason}" for slug, reason in self.failed]
        out += [f"  note    {slug}: {note}" for slug, note in self.notes]
        out += [f"  skipped {n}: {reason}" for reason, n in reasons.items()]
        if self.index:
            out.append(f"review: {self.index}")
        return out


# ---------------------------------------------------------------- one episode (worker)


@dataclass(frozen=True)
class EpisodeJob:
    """Everything a worker process needs for one episode (picklable)."""

    slug: str
    episode: Episode
    out_dir: Path
    settings: Settings
    video: Path | None


def _episode_quotes(job: EpisodeJob, warn: Callable[[Notice], None]) -> tuple[list[Quote], bool]:
    """The episode's quotes: those of its quotes.yaml (then True), else fresh
    picks (a language-model ranker that falls back is a notice)."""
    path = job.out_dir / job.episode.slug / QUOTES_NAME
    if not path.exists():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", LlmRankWarning)
            quotes = select_quotes(job.episode, job.settings.selection.options())
        for warning in caught:
            warn(Notice(str(warning.message), job.episode.slug))
        return quotes, False
    quotes = load_quotes(path)
    for quote in quotes:
        quote.episode = job.episode.slug
    return quotes, True


def _media(job: EpisodeJob) -> Path | None:
    """The episode's video for clips (downloaded once into the cache when the
    site has none); the site's own video, if any, when clips are off. The
    episode's own media (a feed item's enclosure, audio or video) when the site
    has none (see :func:`clipper.media.tags.episode_media`)."""
    if not job.settings.clips.enabled:
        return job.video
    url = None
    if job.video is None and job.episode.media is not None:
        from clipper.media.tags import episode_media

        video, url, audio = episode_media(job.episode.media, job.settings.cache)
        if video or audio:
            return video or audio
    if job.video is None and url is None and job.episode.youtube_id is None:
        where = f"{job.settings.clips.video_dir}/{job.episode.slug}.mp4"
        audio = f"{job.settings.clips.audio_dir}/{job.episode.slug}.mp3"
        raise ClipperError(
            f"{job.episode.slug}: no video for clips: put one at {where} "
            f"(or the audio at {audio}) in the site, "
            "add ids.youtube to the episode, or use --no-clips"
        )
    from clipper.media.ffmpeg import probe
    from clipper.media.source import resolve_video

    path = resolve_video(job.episode, video=job.video, url=url, cache_dir=job.settings.cache)
    probe(path, need_video=path.suffix not in AUDIO_SUFFIXES)  # a bad file fails the episode now
    return path


def _relative(path: Path | None, out_dir: Path) -> str | None:
    return None if path is None else path.relative_to(out_dir).as_posix()


def _assets(results: Sequence[RenderResult], out_dir: Path) -> dict[str, Any]:
    """Render results by quote id: the files made (paths relative to
    ``out_dir``), the errors (nothing made) and the quote's own warnings,
    each once, naming the size or shape where it is one's (the episode's
    warnings go to the episode: :func:`_episode_notices`)."""
    assets: dict[str, Any] = {}
    for result in results:
        entry = assets.setdefault(result.quote_id, {"items": [], "errors": [], "warnings": []})
        if result.error:
            entry["errors"].append(f"{result.variant}: {result.error}")
        elif (record := result.record()) is not None:
            relative = {
                k: _relative(v, out_dir) if isinstance(v, Path) else v for k, v in record.items()
            }
            entry["items"].append(relative)
        mine = [w.local() for w in result.warnings if w.quote]
        entry["warnings"] = list(dict.fromkeys([*entry["warnings"], *mine]))
    return assets


def _episode_notices(results: Sequence[RenderResult]) -> list[Notice]:
    """The distinct notices of a render about the whole episode (each rides
    on every result it touched); a quote's own are in :func:`_assets`."""
    return list(dict.fromkeys(w for r in results for w in r.warnings if w.quote is None))


def _render_cards(
    job: EpisodeJob, quotes: list[Quote], notices: list[Notice]
) -> dict[str, dict[str, Any]]:
    settings = job.settings.cards
    if not settings.enabled:
        return {}
    from clipper.render.cards import render_cards

    results = render_cards(
        job.episode,
        quotes,
        job.out_dir,
        sizes=settings.sizes,
        theme=settings.theme,
        fmt=settings.format,
        skip_existing=True,
    )
    notices += _episode_notices(results)
    return {"cards": _assets(results, job.out_dir)}


def _render_clips(
    job: EpisodeJob,
    quotes: list[Quote],
    media: Path | None,
    timings: dict[str, QuoteTiming],
    notices: list[Notice],
) -> dict[str, dict[str, Any]]:
    settings = job.settings.clips
    if not settings.enabled:
        return {}
    if media is not None and media.suffix in AUDIO_SUFFIXES:  # an audio-only episode
        from clipper.render.audiogram import render_audiograms

        render = functools.partial(render_audiograms, audio=media)
    else:
        from clipper.render.clips import render_clips

        cache = job.settings.cache
        render = functools.partial(render_clips, video=media, cache_dir=cache, frame=settings.frame)
    results = render(
        job.episode,
        quotes,
        job.out_dir,
        shapes=settings.shapes,
        captions=settings.captions,
        pad=settings.pad,
        theme=settings.theme,
        skip_existing=True,
        timings=timings,
        loudness=settings.loudness,
        caption_style=settings.caption_style,
    )
    notices += _episode_notices(results)
    return {"clips": _assets(results, job.out_dir)}


def _attachment(platform: Platform) -> dict[str, Any]:
    """What to attach to a post on ``platform``: its card size, its clip
    shape and the longest clip it takes (from the clip renderer's limits,
    whose names start with the platform's title, e.g. "Instagram Reels")."""
    from clipper.render.clips import PLATFORM_LIMITS

    limits = [
        seconds
        for name, seconds, shapes in PLATFORM_LIMITS
        if name.startswith(platform.title) and platform.clip in shapes
    ]
    return {"card": platform.card, "clip": platform.clip, "clip_limit": min(limits, default=None)}


def _post_entries(job: EpisodeJob, quotes: list[Quote]) -> list[dict[str, Any]]:
    """The review data of each quote (see :mod:`clipper.batch.review`);
    ``record`` is the quote as quotes.yaml holds it, for the page's export."""
    entries = []
    for quote in quotes:
        entry: dict[str, Any] = {
            "id": quote.id,
            "text": quote.text,
            "speaker": quote.speaker_name,
            "kind": quote.kind,
            "start": quote.start,
            "end": quote.end,
            "record": quote.to_dict(),
            "posts": {},
            "errors": [],
        }
        try:
            for name, text in post_texts(job.episode, quote, job.settings.post).items():
                platform = PLATFORMS[name]
                entry["posts"][name] = {
                    "text": text,
                    "length": text_length(platform, text),
                    "limit": platform.limit,
                    **_attachment(platform),
                }
        except ClipperError as exc:
            entry["errors"].append(str(exc))
        entries.append(entry)
    return entries


def asset_paths(assets: dict[str, dict[str, Any]], quote_id: str, base: str) -> list[str]:
    """The card and clip files of a quote, relative to the folder ``base``."""
    paths = []
    for product in PRODUCTS:
        for item in assets.get(product, {}).get(quote_id, {}).get("items", []):
            path = item.get("path") or item.get("video")
            paths.append(Path(path).relative_to(base).as_posix())
    return paths


def make_episode(job: EpisodeJob) -> Outcome:
    """Quotes, cards, clips and post text for one episode. Never raises a
    ClipperError: a failure is reported in the outcome.

    Quotes are timed on their spoken words (captions beside the video, speech
    recognition, or the transcript) before anything needs their times; picks
    are saved to quotes.yaml with those times, and a quote from the file keeps
    the times written there (one given without times is timed). The media is
    probed before any work on it: a bad file fails the episode in one line.

    Every notice (warning) is counted once in the outcome; the review data
    keeps them: the episode's with its input warnings, a quote's with it."""
    started = time.monotonic()
    episode, out_dir = job.episode, job.out_dir
    notices: list[Notice] = []
    try:
        quotes, from_file = _episode_quotes(job, notices.append)
        assets = _render_cards(job, quotes, notices)  # cards need no times: made even if clips fail
        media = _media(job)
        quotes, timings = time_for_clips(
            episode,
            quotes,
            media=media,
            keep_written=from_file,
            warn=notices.append,
            tightening=job.settings.clips.tightening(),
        )
        if not from_file:
            write_quotes_file(out_dir / episode.slug / QUOTES_NAME, quotes)
        entries = _post_entries(job, quotes)
        assets |= _render_clips(job, quotes, media, timings, notices)
        if media is not None:
            write_timelines(out_dir / episode.slug, episode, quotes, media)
    except ClipperError as exc:
        return Outcome(job.slug, FAILED, error=str(exc), seconds=time.monotonic() - started)
    folder = episode.slug
    distinct = list(dict.fromkeys(notices))
    texts = {e["id"]: {n: p["text"] for n, p in e["posts"].items()} for e in entries}
    links = {q.id: asset_paths(assets, q.id, folder) for q in quotes}
    fsutil.write_text(out_dir / folder / POST_NAME, render_post_md(episode, quotes, texts, links))
    kit = write_kit(out_dir / folder)
    review = {
        "title": episode.title,
        "label": episode.label,
        "page_url": episode.page_url,
        "youtube_url": episode.youtube_url(),
        "post_md": f"{folder}/{POST_NAME}",
        "quotes_yaml": f"{folder}/{QUOTES_NAME}",
        "kit": _relative(kit, out_dir),
        "kit_bytes": kit.stat().st_size,
        "warnings": [str(w) for w in episode.warnings]
        + [str(replace(n, episode=None)) for n in distinct],  # the page names the episode
        "quotes": entries,
    }
    count = {p: sum(len(e["items"]) for e in assets.get(p, {}).values()) for p in PRODUCTS}
    return Outcome(
        job.slug,
        DONE,
        review=review,
        assets=assets,
        quotes=len(quotes),
        cards=count["cards"],
        clips=count["clips"],
        warnings=len(distinct)
        + sum(len(e["warnings"]) for a in assets.values() for e in a.values()),
        seconds=time.monotonic() - started,
    )


# ---------------------------------------------------------------- running

_BUSY = False  # per worker process: interrupt only while making an episode


def _worker_sigint(signum: int, frame: object) -> None:
    if _BUSY:
        raise KeyboardInterrupt


def _init_worker() -> None:
    """Workers get Ctrl-C (or a CI cancel's SIGTERM) with the whole process
    group; an idle worker ignores it (no traceback), a busy one stops its
    episode cleanly."""
    signal.signal(signal.SIGINT, _worker_sigint)
    signal.signal(signal.SIGTERM, _worker_sigint)


def _run_in_worker(job: EpisodeJob) -> Outcome:
    global _BUSY
    _BUSY = True
    try:
        return make_episode(job)
    except KeyboardInterrupt:
        return Outcome(job.slug, PENDING, error="interrupted")
    finally:
        _BUSY = False


def available_cores() -> int:
    """Cores this process may run on (respects CPU affinity, e.g. in CI containers)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


@contextlib.contextmanager
def _worker_pool(count: int) -> Iterator[ProcessPoolExecutor | None]:
    """A process pool for ``count`` > 1 workers (``None``: work in-process).
    On the way out, work not yet started is cancelled (Ctrl-C)."""
    if count <= 1:
        yield None
        return
    pool = ProcessPoolExecutor(max_workers=count, initializer=_init_worker)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _execute(jobs: list[EpisodeJob], pool: ProcessPoolExecutor | None) -> Iterator[Outcome]:
    """Outcomes as episodes finish, in-process or from the pool."""
    if pool is None:
        for job in jobs:
            yield _safely(make_episode, job)
        return
    running: dict[Future, EpisodeJob] = {pool.submit(_run_in_worker, j): j for j in jobs}
    while running:
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            yield _result(future, running.pop(future))


def _safely(function: Callable[[EpisodeJob], Outcome], job: EpisodeJob) -> Outcome:
    """Turn an unexpected crash of one episode into a failed outcome."""
    try:
        return function(job)
    except Exception as exc:  # one broken episode must not stop the batch
        return Outcome(job.slug, FAILED, error=f"{type(exc).__name__}: {exc}")


def _result(future: Future, job: EpisodeJob) -> Outcome:
    try:
        return future.result()
    except Exception as exc:  # a worker crash must not stop the batch
        return Outcome(job.slug, FAILED, error=f"{type(exc).__name__}: {exc}")


def _page_entry(record: EpisodeRecord) -> dict[str, Any]:
    """A manifest record as review.py wants it: assets merged into each quote."""
    review = dict(record.review)
    quotes = []
    for quote in review.get("quotes", []):
        merged = dict(quote, errors=list(quote.get("errors", [])), warnings=[])
        for product in PRODUCTS:
            entry = record.assets.get(product, {}).get(quote["id"], {})
            merged[product] = entry.get("items", [])
            merged["errors"] += entry.get("errors", [])
            merged["warnings"] += entry.get("warnings", [])
        quotes.append(merged)
    review["quotes"] = quotes
    error = record.error if record.status == FAILED else None
    return {"slug": record.folder or record.slug, "review": review, "error": error}


def _page_order(record: EpisodeRecord) -> tuple:
    return (record.review.get("label") or "~", record.slug)


def warning_count(outcome: Outcome) -> str:
    """``, 2 warnings`` (listed on the review page), or nothing."""
    count = outcome.warnings
    return f", {count} warning{'s' * (count != 1)}" if count else ""


class Reporter:
    """Plain log lines (for CI); the CLI swaps in a progress bar on a terminal.
    An episode's warnings are counted here, not repeated: the review page
    (and the manifest) lists them."""

    def __init__(self, echo: Callable[[str], None] = print) -> None:
        self.echo = echo
        self.total = 0
        self.count = 0

    def start(self, total: int) -> None:
        self.total = total

    def done(self, outcome: Outcome) -> None:
        self.count += 1
        if outcome.status == DONE:
            what = (
                f"made: {outcome.quotes} quotes, {outcome.cards} cards, {outcome.clips} clips "
                f"in {outcome.seconds:.1f} s{warning_count(outcome)}"
            )
        else:
            what = f"{outcome.status}: {outcome.error}"
        self.echo(f"[{self.count}/{self.total}] {outcome.slug} {what}")

    def finish(self) -> None:
        """Called once all episodes are done (closes a progress bar)."""


def run_batch(request: BatchRequest, reporter: Reporter | None = None) -> Summary:
    """Plan and run a batch; see the module docstring. A run with nothing to
    do writes nothing at all and parses no episode."""
    reporter = reporter or Reporter()
    out_dir = request.settings.output.resolve()
    paths, left_out = narrow(discover(request.sources), request)
    with exclusive_output(out_dir, request.dry_run):
        if not request.dry_run:  # safe: the lock says no other run is writing here
            removed = fsutil.remove_stray_parts(out_dir)
            if removed:
                reporter.echo(f"removed {removed} partial files left by an interrupted run")
        manifest = Manifest.load(out_dir)
        records = [manifest.episodes.get(p.stem) for p in paths]
        quick = [
            plan_episode(path, record, request, out_dir, load=False)
            for path, record in zip(paths, records, strict=True)
        ]
        if all(plan is not None for plan in quick):
            return _run_plans(quick, left_out, manifest, request, reporter, None)
        # Fail fast on bad settings, and import the renderers before workers fork.
        check_render_settings(request.settings)
        slow = [i for i, plan in enumerate(quick) if plan is None]
        workers = min(request.jobs or available_cores(), len(paths))
        with _worker_pool(workers) as pool:
            mapper = map if pool is None else pool.map
            planned = mapper(
                plan_episode,
                [paths[i] for i in slow],
                [records[i] for i in slow],
                repeat(request),
                repeat(out_dir),
            )
            plans = [plan if plan is not None else next(planned) for plan in quick]
            return _run_plans(plans, left_out, manifest, request, reporter, pool)


def check_render_settings(settings: Settings) -> None:
    """Fail once, up front, on a setting that every episode would fail on
    (an unknown card size, a theme that does not load)."""
    from clipper.render.theme import load_theme

    if settings.cards.enabled:
        from clipper.render.sizes import resolve_sizes

        _check("cards.sizes", resolve_sizes, settings.cards.sizes)
        _check("cards.theme", load_theme, settings.cards.theme)
    if settings.clips.enabled:
        _check("clips.theme", load_theme, settings.clips.theme)
        with_style = functools.partial(load_theme, settings.clips.theme)
        _check("clips.caption_style", with_style, settings.clips.caption_style)


def _check(key: str, function: Callable[[Any], object], value: Any) -> None:
    try:
        function(value)
    except ClipperError as exc:
        raise ClipperError(f"settings {key}: {exc}") from None


@contextlib.contextmanager
def exclusive_output(out_dir: Path, dry_run: bool = False) -> Iterator[None]:
    """Hold ``OUT/.clipper.lock`` so that two batch runs never write the same
    output folder at once (a dry run only reads)."""
    if dry_run or fcntl is None:
        yield
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / LOCK_NAME, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ClipperError(
                f"{out_dir}: another clipper batch is writing here; wait for it to finish"
            ) from None
        yield


def _run_plans(
    plans: list[Plan],
    left_out: list[tuple[str, str]],
    manifest: Manifest,
    request: BatchRequest,
    reporter: Reporter,
    pool: ProcessPoolExecutor | None,
) -> Summary:
    out_dir = request.settings.output.resolve()
    summary = Summary(
        skipped=left_out + [(p.slug, p.reason) for p in plans if p.action == "skip"],
        failed=[(p.slug, p.reason) for p in plans if p.action == "fail"],
    )
    if request.dry_run:
        for plan in plans:
            verb = {"make": "would make", "skip": "up to date", "fail": "would fail"}[plan.action]
            reporter.echo(f"{verb} {plan.slug}: {plan.reason}")
        return summary
    todo = [p for p in plans if p.action == "make"]
    if todo or summary.failed:
        _prepare(plans, manifest, out_dir)
        _run_jobs(todo, request, manifest, summary, reporter, pool)
    if manifest.episodes:
        summary.index = write_review(out_dir, manifest)
    return summary


def write_review(out_dir: Path, manifest: Manifest) -> Path:
    """``OUT/index.html`` over the finished (made or failed) episodes."""
    records = [r for r in manifest.episodes.values() if r.status in (DONE, FAILED)]
    return write_index(out_dir, [_page_entry(r) for r in sorted(records, key=_page_order)])


def _prepare(plans: list[Plan], manifest: Manifest, out_dir: Path) -> None:
    """Record failures, clean stale outputs and mark the episodes to make as
    pending (see module docstring)."""
    for plan in plans:
        old = manifest.episodes.get(plan.slug)
        if plan.action == "fail":
            old = old or EpisodeRecord(plan.slug, str(plan.source))
            manifest.episodes[plan.slug] = replace(old, status=FAILED, error=plan.reason)
        elif plan.action == "make":
            clean_outputs(plan, out_dir)
            manifest.episodes[plan.slug] = pending_record(plan, old)
    manifest.save()


def _run_jobs(
    todo: list[Plan],
    request: BatchRequest,
    manifest: Manifest,
    summary: Summary,
    reporter: Reporter,
    pool: ProcessPoolExecutor | None,
) -> None:
    """Make the planned episodes, recording each in the manifest as it finishes."""
    jobs = [
        EpisodeJob(p.slug, p.episode, request.settings.output.resolve(), request.settings, p.video)
        for p in todo
        if p.episode is not None
    ]
    reporter.start(len(jobs))
    try:
        for outcome in _execute(jobs, pool):
            _record(manifest, outcome, summary)
            reporter.done(outcome)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        reporter.finish()
        manifest.save()


def _record(manifest: Manifest, outcome: Outcome, summary: Summary) -> None:
    record = manifest.episodes[outcome.slug]
    if outcome.status == PENDING:  # interrupted: stays pending, resumed next time
        summary.interrupted = True
        return
    record.status = outcome.status
    record.error = outcome.error
    if outcome.status == DONE:
        record.review = outcome.review
        record.assets = {**record.assets, **outcome.assets}
        summary.made.append((outcome.slug, f"{outcome.cards} cards, {outcome.clips} clips"))
        if not outcome.quotes:
            summary.notes.append((outcome.slug, "no quotes matched the selection settings"))
        if outcome.warnings:
            note = f"{warning_count(outcome)[2:]}, listed on the review page"
            summary.notes.append((outcome.slug, note))
    else:
        record.review, record.assets = {}, {}
        summary.failed.append((outcome.slug, outcome.error or "failed"))
    manifest.save()
