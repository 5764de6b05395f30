"""One entry point for every kind of episode source: :func:`open_episode`.

A SOURCE is a site page (``_podcast/<slug>.md``) or site folder, a local
audio or video file with its transcript, a podcast feed, or a video URL.
Each kind has one reader module in this stage with a function
``read(source, request) -> Episode``, and a cheap test here saying whether a
source is of its kind (a suffix, a URL scheme, a folder's shape);
:data:`READERS` lists them in the order they are asked. Reader modules are
imported only when they read, so the CLI starts fast. Nothing downstream
learns which reader made an Episode.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from clipper.episode.model import Episode
from clipper.errors import ClipperError

AUDIO_SUFFIXES = (".mp3", ".m4a", ".wav", ".aac", ".ogg", ".oga", ".opus", ".flac")
VIDEO_SUFFIXES = (".mp4", ".m4v", ".mkv", ".webm", ".mov")
PAGE_SUFFIXES = (".md", ".markdown")
FEED_SUFFIXES = (".xml", ".rss", ".atom")
INFO_SUFFIX = ".info.json"
# Hosts whose pages are videos for yt-dlp; any other URL is read as a feed (a
# video elsewhere: pass the .info.json that yt-dlp --write-info-json writes).
VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com", "dailymotion.com", "twitch.tv")
SUPPORTED = (
    "a site page or folder, an audio or video file with its transcript, a podcast feed, "
    "a video URL or a yt-dlp .info.json"
)


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def is_media_file(source: str) -> bool:
    return not is_url(source) and Path(source).suffix.lower() in (*AUDIO_SUFFIXES, *VIDEO_SUFFIXES)


def is_video_source(source: str) -> bool:
    """A yt-dlp ``.info.json``, or a URL on a video site (:data:`VIDEO_HOSTS`)."""
    if not is_url(source):
        return source.lower().endswith(INFO_SUFFIX)
    host = (urlsplit(source).hostname or "").lower()
    return any(host == name or host.endswith("." + name) for name in VIDEO_HOSTS)


def is_feed_source(source: str) -> bool:
    """Any other http(s) URL, or an .xml/.rss/.atom file."""
    return is_url(source) or Path(source).suffix.lower() in FEED_SUFFIXES


def is_site_source(source: str) -> bool:
    """A site folder (it has ``_podcast/``), a page, or any other local file
    (read as a page, it fails as one, naming the file)."""
    path = Path(source)
    if is_url(source):
        return False
    if path.is_dir():
        return (path / "_podcast").is_dir()
    return path.is_file() or path.suffix.lower() in PAGE_SUFFIXES


@dataclass(frozen=True)
class Reader:
    """A kind of source: ``claims`` says whether a source is of this kind;
    ``module`` has ``read(source: str, request: SourceRequest) -> Episode``."""

    kind: str
    claims: Callable[[str], bool]
    module: str


# Asked in this order; the site reader last, as it takes any file.
READERS: tuple[Reader, ...] = (
    Reader("media file", is_media_file, "clipper.episode.mediafile"),
    Reader("video", is_video_source, "clipper.episode.ytdlpreader"),
    Reader("feed", is_feed_source, "clipper.episode.feedreader"),
    Reader("site", is_site_source, "clipper.episode.site"),
)


@dataclass(frozen=True)
class SourceRequest:
    """What the caller asks of a source besides where it is.

    ``item``: which episode of a source that holds several (a feed's guid or
    number, 1 = newest; a site folder's slug). ``transcript``: a transcript
    file to use instead of the one the source has or has beside it. ``lang``:
    the captions language to prefer. ``site``: a site page's root (default:
    the parent of its ``_podcast/``). ``cache_dir``: where downloads and
    extracted artwork go (default: clipper's cache)."""

    item: str | None = None
    transcript: Path | None = None
    lang: str = "en"
    site: Path | None = None
    cache_dir: Path | None = None


def open_episode(
    source: str | Path,
    *,
    item: str | None = None,
    transcript: Path | str | None = None,
    lang: str = "en",
    site: Path | str | None = None,
    cache_dir: Path | str | None = None,
) -> Episode:
    """The Episode that ``source`` holds, read by the reader that claims it.

    Raises :class:`ClipperError` naming the source when no reader claims it,
    and whatever one-line error the reader raises for bad input."""
    request = SourceRequest(
        item=str(item) if item is not None else None,
        transcript=Path(transcript) if transcript else None,
        lang=lang,
        site=Path(site) if site else None,
        cache_dir=Path(cache_dir) if cache_dir else None,
    )
    text = str(source)
    module = importlib.import_module(reader_for(text).module)
    return module.read(text, request)


def reader_for(source: str) -> Reader:
    """The reader that claims ``source``."""
    for reader in READERS:
        if reader.claims(source):
            return reader
    if not is_url(source) and not Path(source).exists():
        raise ClipperError(f"{source}: no such file or folder")
    raise ClipperError(f"{source}: not a supported source (expected {SUPPORTED})")
