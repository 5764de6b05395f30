"""The media file reader: a local audio or video file and its transcript.

The transcript is ``--transcript FILE`` or a file beside the media with its
stem (``talk.vtt``, ``talk.en.json``, ``talk.txt`` ...; see
:func:`~clipper.episode.transcripts.transcript_beside`). The title comes from
the file's ``title`` tag, else its name; the artwork from its embedded cover
(extracted once into the cache), else a picture beside it (``<stem>.jpg``,
``cover.jpg``, ``folder.jpg``), else none (cards then use the theme's plain
background). The slug is the file name, sanitised.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from clipper.episode.build import EpisodeInfo, build_episode
from clipper.episode.model import Episode
from clipper.episode.sources import SourceRequest
from clipper.episode.transcripts import TRANSCRIPT_SUFFIXES, read_transcript, transcript_beside
from clipper.errors import ClipperError
from clipper.fsutil import default_cache_dir
from clipper.ids import slugify
from clipper.media.tags import MediaTags, extract_cover, read_tags

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
SIDECAR_NAMES = ("cover", "folder", "artwork")


def read(source: str, request: SourceRequest) -> Episode:
    media = Path(source)
    if not media.is_file():
        raise ClipperError(f"{media}: no such file")
    facts = read_tags(media)
    transcript = read_transcript(_transcript_path(media, request))
    title = facts.tags.get("title") or media.stem.replace("_", " ")
    info = EpisodeInfo(
        path=media,
        site_root=media.parent.resolve(),
        slug=slugify(media.stem),
        title=title,
        artwork=_artwork(media, facts, request.cache_dir),
        date=_date(facts.tags),
        media=str(media.resolve()),
        show=" ".join(facts.tags.get("album", "").split()),
    )
    return build_episode(transcript, info)


def _transcript_path(media: Path, request: SourceRequest) -> Path:
    if request.transcript is not None:
        return request.transcript
    found = transcript_beside(media, lang=request.lang)
    if found is None:
        kinds = "/".join(s.lstrip(".") for s in TRANSCRIPT_SUFFIXES)
        raise ClipperError(
            f"{media}: no transcript; give one with --transcript FILE or put it beside "
            f"the file as {media.stem}.<{kinds}>"
        )
    return found


def _artwork(media: Path, facts: MediaTags, cache_dir: Path | None) -> Path | None:
    """The embedded cover (extracted into the cache once), else a picture beside it."""
    if facts.cover is not None:
        stat = media.stat()
        key = hashlib.sha256(f"{media.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode())
        out = (cache_dir or default_cache_dir()) / "covers" / f"{key.hexdigest()[:20]}.jpg"
        return out if out.is_file() else extract_cover(facts, out)
    for stem in (media.stem, *SIDECAR_NAMES):
        for suffix in IMAGE_SUFFIXES:
            picture = media.with_name(stem + suffix)
            if picture.is_file():
                return picture.resolve()
    return None


def _date(tags: dict[str, str]) -> dt.date | None:
    for key in ("date", "creation_time", "year"):
        try:
            return dt.date.fromisoformat(tags.get(key, "")[:10])
        except ValueError:
            continue
    return None
