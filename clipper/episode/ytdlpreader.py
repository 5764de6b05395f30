"""Read a video of YouTube (or any site yt-dlp knows) as an Episode.

The source is a URL, or the ``<name>.info.json`` that ``yt-dlp
--write-info-json --write-subs --write-auto-subs`` leaves next to its caption
files (``<name>.<lang>.<json3|srv3|vtt>``), which works offline. A URL is
first turned into exactly that: yt-dlp writes the info and captions (no
video) into a cache folder of the URL (:func:`clipper.media.source.fetch_info`).

The episode: title, chapters as sections, thumbnail as artwork (a
``<name>.jpg|png|webp`` beside the info), the channel as the
host, the video as the media. Its transcript: the uploaded subtitles in
``lang`` when there are any, else the automatic captions in ``lang`` (word
timed in json3 and srv3; their word times become the episode's).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from clipper.episode.build import EpisodeInfo, Speaker, build_episode
from clipper.episode.model import HOST_ROLE, Episode
from clipper.episode.sources import INFO_SUFFIX, SourceRequest, is_url
from clipper.episode.transcripts import glob_escape, read_transcript
from clipper.errors import ClipperError
from clipper.ids import YOUTUBE_ID, slugify
from clipper.media.source import VIDEO_SUFFIXES, fetch_info
from clipper.remote import MB

INFO_LIMIT = 20 * MB
CAPTION_SUFFIXES = (".json3", ".srv3", ".vtt")  # best first: word-timed ones
THUMBNAIL_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def read(source: str, request: SourceRequest) -> Episode:
    """The episode of a yt-dlp ``.info.json`` file, or of a video URL (whose
    info and captions are fetched into the cache first)."""
    if not is_url(source):
        return info_episode(Path(source).expanduser(), request.lang)
    return info_episode(fetch_info(source, request.lang, request.cache_dir), request.lang)


def read_info(path: Path) -> dict:
    """The info.json's fields; ClipperError naming the file when it is no such file."""
    try:
        if path.stat().st_size > INFO_LIMIT:
            raise ClipperError(f"{path}: larger than {INFO_LIMIT // MB} MB; not read")
        info = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ClipperError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (ValueError, UnicodeDecodeError):
        raise ClipperError(f"{path}: not a yt-dlp info.json (not JSON)") from None
    if not isinstance(info, dict) or not isinstance(info.get("id"), str):
        raise ClipperError(f"{path}: not a yt-dlp info.json (no video id)")
    return info


def caption_file(path: Path, info: dict, lang: str) -> Path:
    """The captions beside ``path`` to read: uploaded subtitles in ``lang``
    first, then automatic captions in ``lang`` (``en`` also takes
    ``en-orig``, ``en-US``...); word-timed formats first."""
    base = path.name[: -len(INFO_SUFFIX)]
    found: dict[str, list[Path]] = {}
    for suffix in CAPTION_SUFFIXES:
        for file in sorted(path.parent.glob(f"{glob_escape(base)}.*{suffix}")):
            code = file.name[len(base) + 1 : -len(suffix)]
            found.setdefault(code, []).append(file)
    uploaded = set(info.get("subtitles") or {})
    matching = [code for code in found if code.split("-")[0].lower() == lang.split("-")[0].lower()]
    matching.sort(key=lambda code: (code not in uploaded, code != lang, code))
    if not matching:
        have = ", ".join(sorted(found)) or "none"
        raise ClipperError(
            f"{path}: no captions in {lang!r} beside it (found: {have}); fetch them with "
            "yt-dlp --write-subs --write-auto-subs, or pick another --lang"
        )
    return found[matching[0]][0]


def info_episode(path: Path, lang: str | None = None) -> Episode:
    """The episode of a yt-dlp info.json and the captions beside it."""
    info = read_info(path)
    lang = lang or str(info.get("language") or "en")
    captions = caption_file(path, info, lang)
    transcript = read_transcript(captions, "captions")
    video_id = info["id"]
    youtube = str(info.get("extractor_key") or info.get("extractor") or "").lower() == "youtube"
    channel = " ".join(str(info.get("channel") or info.get("uploader") or "").split())
    return build_episode(
        transcript,
        EpisodeInfo(
            path=captions,
            site_root=path.parent,
            slug=slugify(video_id, "video"),
            title=" ".join(str(info.get("title") or video_id).split()),
            youtube_id=video_id if youtube and YOUTUBE_ID.match(video_id) else None,
            artwork=_thumbnail(path),
            page_url=_web_url(info.get("webpage_url")),
            media=_media(path, info, youtube),
            people=[Speaker(channel, HOST_ROLE, "the channel's owner")] if channel else [],
            chapters=_chapters(info),
            show=channel,
        ),
    )


def _web_url(value: object) -> str:
    text = str(value or "")
    return text if urlsplit(text).scheme.lower() in ("http", "https") else ""


def _media(path: Path, info: dict, youtube: bool) -> str | None:
    """A video beside the info (``<name>.mp4``...), else the page to download
    from (YouTube videos are found by their id)."""
    base = path.name[: -len(INFO_SUFFIX)]
    for suffix in VIDEO_SUFFIXES:
        if (path.parent / f"{base}{suffix}").is_file():
            return str(path.parent / f"{base}{suffix}")
    return None if youtube else _web_url(info.get("webpage_url")) or None


def _thumbnail(path: Path) -> Path | None:
    """The thumbnail yt-dlp wrote beside the info (``--write-thumbnail``)."""
    base = path.name[: -len(INFO_SUFFIX)]
    found = (path.parent / f"{base}{suffix}" for suffix in THUMBNAIL_SUFFIXES)
    return next((image for image in found if image.is_file()), None)


def _chapters(info: dict) -> list[tuple[str, float]]:
    chapters = []
    for chapter in info.get("chapters") or []:
        try:
            title = " ".join(str(chapter.get("title") or "").split())
            chapters.append((title, float(chapter["start_time"])))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return [c for c in chapters if c[0]]
