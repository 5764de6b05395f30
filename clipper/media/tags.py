"""What a media file says about itself: its tags (title, artist, date ...)
and its embedded cover picture, read with the bundled ffmpeg."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from clipper import fsutil
from clipper.errors import ClipperError
from clipper.media.ffmpeg import ffmpeg_exe, last_error_line, run_ffmpeg
from clipper.remote import MEDIA_LIMIT, Location, cached

_STREAM = re.compile(r"^\s*Stream #0:(\d+).*?: (Video|Audio): (.*)$")
_TAG = re.compile(r"^\s{4}(\w[\w-]*)\s*: (.*)$")
MEDIA_FILE_SUFFIXES = (".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".wav", ".flac", ".mp4",
                       ".m4v", ".mov", ".webm", ".mkv")  # fmt: skip


@dataclass(frozen=True)
class MediaTags:
    """``tags``: the container's metadata, lower-case keys; ``cover``: the
    stream index of an embedded picture (``attached pic``), or None."""

    path: Path
    has_video: bool
    has_audio: bool
    cover: int | None = None
    tags: dict[str, str] = field(default_factory=dict)


def read_tags(path: Path | str) -> MediaTags:
    """The tags and streams of ``path``; raises ClipperError naming it when
    it is not an audio or video file."""
    path = Path(path)
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)],
        capture_output=True,
        text=True,
        errors="replace",
    )
    return parse_tags(path, proc.stderr)


def parse_tags(path: Path, stderr: str) -> MediaTags:
    """:class:`MediaTags` from the header ``ffmpeg -i`` prints."""
    video = audio = False
    cover = None
    tags: dict[str, str] = {}
    in_container_tags = False
    for line in stderr.splitlines():
        stream = _STREAM.match(line)
        if stream:
            in_container_tags = False
            if "attached pic" in stream.group(3):
                cover = int(stream.group(1)) if cover is None else cover
            elif stream.group(2) == "Video":
                video = True
            else:
                audio = True
        elif line.startswith("  Metadata:") and not video and not audio and cover is None:
            in_container_tags = True
        elif in_container_tags and (tag := _TAG.match(line)):
            tags.setdefault(tag.group(1).lower(), tag.group(2).strip())
        elif in_container_tags and not line.startswith("    "):
            in_container_tags = False
    if not video and not audio:
        reason = last_error_line(stderr) if "Invalid data" in stderr else "no audio or video stream"
        raise ClipperError(f"{path}: not an audio or video file ({reason})")
    return MediaTags(path, video, audio, cover, tags)


def extract_cover(media: MediaTags, out: Path) -> Path:
    """The embedded cover of ``media`` written as a JPEG to ``out`` (atomically)."""
    if media.cover is None:
        raise ClipperError(f"{media.path}: no embedded cover")
    with fsutil.atomic_path(out) as tmp:
        args = ["-i", str(media.path), "-map", f"0:{media.cover}", "-frames:v", "1"]
        run_ffmpeg([*args, "-q:v", "2", str(tmp)], f"{media.path} cover")
    return out


def episode_media(
    media: str, cache_dir: Path | str | None = None
) -> tuple[Path | None, str | None, Path | None]:
    """``(video, url, audio)`` for an episode's own media (``Episode.media``):
    a URL of a media file (a feed's enclosure, ``.mp3``...) is downloaded
    once into ``<cache>/media/``, any other URL is fetched as its video by
    yt-dlp; a local file with a picture stream is the video, one with sound
    alone the audio (clips are then audiograms)."""
    if media.startswith(("http://", "https://")):
        location = Location.of(media)
        if location.suffix() not in MEDIA_FILE_SUFFIXES:
            return None, media, None
        folder = (
            Path(cache_dir).expanduser() if cache_dir else fsutil.default_cache_dir()
        ) / "media"
        media = str(cached(location, folder, MEDIA_LIMIT, "episode media"))
    path = Path(media)
    return (path, None, None) if read_tags(path).has_video else (None, None, path)
