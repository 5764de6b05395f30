"""Find the episode's video: a local file, or a download through yt-dlp.

Downloads go to a cache directory (default ``~/.cache/clipper``, or
``$XDG_CACHE_HOME/clipper``), one file per video, reused on every later run.
A download happens in a private temporary folder inside the cache and only a
complete, probed file is renamed into place, next to a small JSON record of
its expected duration; a cached file is probed again before every use, so a
partial or damaged file is never cut.

A whole YouTube video also gets YouTube's automatic captions (word-timed
json3) beside it as ``<id>.<lang>.json3``, fetched once in a separate yt-dlp
run so that a caption failure never costs the video; the timing stage finds
them there and cuts clips on the spoken words.

yt-dlp is imported inside the functions that use it: the CLI must start fast.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from clipper import fsutil
from clipper.errors import ClipperError
from clipper.fsutil import default_cache_dir
from clipper.ids import YOUTUBE_ID
from clipper.media.ffmpeg import MediaInfo, ffmpeg_exe, probe

log = logging.getLogger(__name__)
# yt-dlp's chatter is logged for whoever configures logging; unconfigured, it
# is not printed (Python's last-resort handler would): the library never prints.
log.addHandler(logging.NullHandler())

YOUTUBE_WATCH = re.compile(r"^https://www\.youtube\.com/watch\?v=([A-Za-z0-9_-]{11})$")
# MP4/H.264 up to 1080p with audio, else the best thing at most 1080p high.
FORMAT = (
    "bv*[height<=1080][ext=mp4][vcodec^=avc1]+ba[ext=m4a]/"
    "b[height<=1080][ext=mp4]/bv*[height<=1080]+ba/b[height<=1080]/b"
)
# YouTube's automatic captions: word-timed, so clips can be cut on the spoken words.
CAPTION_LANGS = ("en", "en-orig")
CAPTION_FORMATS = "json3/srv3/vtt/best"
DURATION_TOLERANCE = 1.5  # seconds between what the site says and what is on disk
VIDEO_SUFFIXES = (".mp4", ".mkv", ".webm", ".mov")

Progress = Callable[[int, int | None], None]


class Episode(Protocol):
    """What finding a video needs of an episode (media comes before the
    episode stage, which reads media files; any Episode fits)."""

    @property
    def slug(self) -> str: ...

    @property
    def youtube_id(self) -> str | None: ...


def youtube_url(video_id: str) -> str:
    """The watch URL of a validated YouTube id (ids may start with '-', so
    they are never handed to a tool on their own)."""
    if not YOUTUBE_ID.match(video_id or ""):
        raise ClipperError(f"invalid YouTube id {video_id!r} (expected 11 of A-Z a-z 0-9 _ -)")
    return f"https://www.youtube.com/watch?v={video_id}"


def cache_key(url: str) -> str:
    """File name stem for ``url`` in the cache: the YouTube id, else a hash."""
    match = YOUTUBE_WATCH.match(url)
    return match.group(1) if match else "url-" + hashlib.sha256(url.encode()).hexdigest()[:16]


def resolve_video(
    episode: Episode,
    *,
    video: Path | str | None = None,
    url: str | None = None,
    cache_dir: Path | str | None = None,
    progress: Progress | None = None,
) -> Path:
    """The video file to cut ``episode`` from (downloading it when needed)."""
    if video is not None:
        path = Path(video).expanduser()
        if not path.is_file():
            raise ClipperError(f"video file {path} not found", episode=episode.slug)
        return path
    source = episode_url(episode, url)
    with _named(episode):
        return download(source, cache_path(cache_dir), progress=progress)


def resolve_section(
    episode: Episode,
    section: tuple[float, float],
    *,
    url: str | None = None,
    cache_dir: Path | str | None = None,
    progress: Progress | None = None,
) -> Path:
    """Only ``section`` (seconds) of the episode's video, downloaded and cached;
    time 0 of the file is the section's start."""
    source = episode_url(episode, url)
    with _named(episode):
        return download(source, cache_path(cache_dir), progress=progress, section=section)


@contextlib.contextmanager
def _named(episode: Episode) -> Iterator[None]:
    """Prefix download errors with the episode they stop."""
    try:
        yield
    except ClipperError as exc:
        raise exc.context(episode=episode.slug) from None


def episode_url(episode: Episode, url: str | None) -> str:
    """``url`` when given, else the episode's YouTube video."""
    if url is not None:
        return url
    if not episode.youtube_id:
        raise ClipperError(
            "no video: the episode has no YouTube id; give a video file or a URL",
            episode=episode.slug,
        )
    return youtube_url(episode.youtube_id)


def cache_path(cache_dir: Path | str | None) -> Path:
    return Path(cache_dir).expanduser() if cache_dir else default_cache_dir()


def _record_path(video: Path) -> Path:
    return video.with_suffix(".json")


def verified(video: Path) -> MediaInfo | None:
    """Probe a cached file; None unless it is complete (its duration matches
    the one recorded when the download finished)."""
    record = _record_path(video)
    if not video.is_file() or not record.is_file():
        return None
    try:
        expected = json.loads(record.read_text(encoding="utf-8")).get("duration")
        info = probe(video)
    except (ClipperError, ValueError, OSError):
        return None
    if expected and abs(info.duration - float(expected)) > DURATION_TOLERANCE:
        return None
    return info


class YtdlpLogger:
    """Routes yt-dlp's messages to :mod:`logging` instead of the terminal."""

    def debug(self, message: str) -> None:
        log.debug("yt-dlp: %s", message)

    def info(self, message: str) -> None:
        log.info("yt-dlp: %s", message)

    def warning(self, message: str) -> None:
        log.warning("yt-dlp: %s", message)

    def error(self, message: str) -> None:
        log.debug("yt-dlp error: %s", message)  # raised as DownloadError and reported once


def _progress_hook(progress: Progress | None) -> Callable[[dict[str, Any]], None]:
    def hook(status: dict[str, Any]) -> None:
        if progress and status.get("status") in ("downloading", "finished"):
            total = status.get("total_bytes") or status.get("total_bytes_estimate")
            progress(int(status.get("downloaded_bytes") or 0), int(total) if total else None)

    return hook


def ytdlp_options(folder: Path, progress: Progress | None, retries: int) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "merge_output_format": "mp4",
        "outtmpl": {"default": "video.%(ext)s"},
        "paths": {"home": str(folder), "temp": str(folder)},
        "noplaylist": True,
        "retries": retries,
        "fragment_retries": retries,
        "extractor_retries": retries,
        "socket_timeout": 20,
        "continuedl": False,
        "overwrites": True,
        "cachedir": False,
        "quiet": True,
        "noprogress": True,
        "logger": YtdlpLogger(),
        "progress_hooks": [_progress_hook(progress)],
        "ffmpeg_location": ffmpeg_exe(),
    }


def caption_options(folder: Path, langs: Sequence[str] = CAPTION_LANGS) -> dict[str, Any]:
    """yt-dlp options that fetch only the automatic captions (json3 preferred)."""
    return {
        **ytdlp_options(folder, None, retries=1),
        "skip_download": True,
        "writeautomaticsub": True,
        "writesubtitles": False,
        "subtitleslangs": list(langs),
        "subtitlesformat": CAPTION_FORMATS,
    }


def fetch_captions(url: str, video: Path, langs: Sequence[str] = CAPTION_LANGS) -> Path | None:
    """YouTube's automatic captions of ``url`` saved beside the cached ``video``
    as ``<stem>.<lang>.<format>``; None (and a logged warning) when there are
    none. Its own yt-dlp run, so that a caption failure never costs the video."""
    with tempfile.TemporaryDirectory(dir=video.parent, prefix=".captions-") as tmp:
        folder = Path(tmp)
        try:
            _run_ytdlp(url, caption_options(folder, langs))
        except ClipperError as exc:
            log.warning("no automatic captions: %s", exc)
            return None
        for found in sorted(folder.glob("video.*")):
            target = video.with_name(f"{video.stem}.{found.name.removeprefix('video.')}")
            os.replace(found, target)
            return target
    return None


def _with_captions(url: str, video: Path) -> None:
    """Fetch a cached YouTube video's captions once (the record notes the attempt)."""
    record = _record_path(video)
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if not YOUTUBE_WATCH.match(url) or not isinstance(data, dict) or "captions" in data:
        return
    found = fetch_captions(url, video)
    data["captions"] = found.name if found else None
    fsutil.write_text(record, json.dumps(data))


def _short_reason(exc: Exception) -> str:
    """yt-dlp's message without its decorations: the first non-empty line,
    no ``ERROR:``/``[download]`` prefixes, no ``(caused by ...)`` tail."""
    lines = [line.strip() for line in re.split(r"[\r\n]+", str(exc)) if line.strip()]
    text = " ".join(lines) or type(exc).__name__
    text = re.sub(r"^(ERROR:\s*)?(\[\w+\]\s*)?(Got error:\s*)?", "", text)
    return re.sub(r"\s*\(caused by .*\)$", "", text).strip()


def _run_ytdlp(url: str, options: dict[str, Any], ranges: Iterable[tuple[float, float]] = ()):
    import yt_dlp
    from yt_dlp.postprocessor.ffmpeg import FFmpegPostProcessor
    from yt_dlp.utils import download_range_func

    ranges = list(ranges)
    if ranges:
        options = {**options, "download_ranges": download_range_func(None, ranges)}
    # Partial downloads ask "is ffmpeg installed?" without the options, so the
    # bundled ffmpeg is also set where yt-dlp's own command line sets it.
    token = FFmpegPostProcessor._ffmpeg_location.set(options["ffmpeg_location"])
    try:
        with yt_dlp.YoutubeDL(options) as ydl:
            return ydl.extract_info(url, download=True)
    except (yt_dlp.utils.DownloadError, yt_dlp.utils.YoutubeDLError, OSError) as exc:
        raise ClipperError(f"{url}: download failed: {_short_reason(exc)}") from None
    finally:
        FFmpegPostProcessor._ffmpeg_location.reset(token)


def download(
    url: str,
    cache_dir: Path,
    *,
    progress: Progress | None = None,
    retries: int = 3,
    section: tuple[float, float] | None = None,
) -> Path:
    """Download ``url`` (or only ``section`` of it) into the cache, or reuse a
    verified earlier download; returns the file."""
    if not url.startswith(("https://", "http://")):
        raise ClipperError(f"{url}: not an http(s) URL")
    stem = cache_key(url)
    if section:
        stem += f"-{section[0]:.2f}-{section[1]:.2f}"
    target = cache_dir / f"{stem}.mp4"
    if verified(target):
        log.info("using cached %s", target)
        if not section:
            _with_captions(url, target)
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix=".download-") as tmp:
        folder = Path(tmp)
        options = ytdlp_options(folder, progress, retries)
        info = _run_ytdlp(url, options, [section] if section else [])
        files = [p for p in folder.iterdir() if p.suffix in VIDEO_SUFFIXES]
        if len(files) != 1:
            raise ClipperError(f"{url}: download failed: no complete video file came back")
        media = probe(files[0])
        expected = (section[1] - section[0]) if section else (info or {}).get("duration")
        if expected and abs(media.duration - float(expected)) > DURATION_TOLERANCE:
            raise ClipperError(
                f"{url}: download incomplete ({media.duration:.1f} s of {float(expected):.1f} s)"
            )
        fsutil.write_text(
            _record_path(target), json.dumps({"url": url, "duration": media.duration})
        )
        os.replace(files[0], target)
    if not section:
        _with_captions(url, target)
    return target


LANG_CODE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})?$")
INFO_NAME = "video.info.json"


def info_options(folder: Path, lang: str) -> dict[str, Any]:
    """yt-dlp options that write a video's info, thumbnail and captions in
    ``lang`` (uploaded and automatic; word-timed json3 preferred), no video."""
    if not LANG_CODE.match(lang):
        raise ClipperError(f"language {lang!r}: expected a code such as en or pt-BR")
    return {
        **ytdlp_options(folder, None, retries=1),
        "skip_download": True,
        "writeinfojson": True,
        "writethumbnail": True,
        "writesubtitles": True,
        "writeautomaticsub": True,
        "subtitleslangs": [re.escape(lang), f"{re.escape(lang)}-.*"],
        "subtitlesformat": CAPTION_FORMATS,
    }


def fetch_info(url: str, lang: str, cache_dir: Path | str | None = None) -> Path:
    """The ``video.info.json`` of ``url`` with its captions beside it, as
    ``yt-dlp --write-info-json --write-subs --write-auto-subs`` writes them,
    in a cache folder of the URL (fetched once; a failed fetch leaves none)."""
    if not url.startswith(("https://", "http://")) or any(c.isspace() for c in url):
        raise ClipperError(f"{url}: not an http(s) URL")
    root = cache_path(cache_dir) / "info"
    folder = root / f"{cache_key(url)}-{lang}"
    if (folder / INFO_NAME).is_file():
        return folder / INFO_NAME
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".info-") as tmp:
        _run_ytdlp(url, info_options(Path(tmp), lang))
        if not (Path(tmp) / INFO_NAME).is_file():
            raise ClipperError(f"{url}: yt-dlp wrote no video information")
        os.replace(tmp, folder)
    return folder / INFO_NAME
