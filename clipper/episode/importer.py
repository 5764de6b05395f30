"""Write any episode into a site in the site layout (``clipper import``).

The page ``_podcast/<slug>.md`` holds the front matter the site loader reads
(title, numbers, guests, image, date, topics, YouTube id) and the transcript
as ``{header}`` and ``{line, sec, time, who}`` items; ``_people/<id>.md``
names each guest and the host (photo copied beside them), the artwork goes
to ``images/podcast/``, the media to ``video/`` or ``audio/`` (a feed's
enclosure is downloaded once first; a video page's URL is left to the
download ``clips`` and ``batch`` make from its YouTube id), and
the word times the source gave beside it as whisper JSON
(``<slug>.<lang>.json``; else the captions file beside the source's media),
where the timing stage looks for them. A user can
then fix a name or a sentence by hand and rerun: the page loads to the same
lines, speakers and roles, so it gives the same picks.

Everything is prepared first and every file is written atomically; an
existing page is never replaced without ``force`` and existing people files
are kept (they may hold the site's own edits).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from clipper import fsutil
from clipper.episode.clock import format_clock
from clipper.episode.model import GUEST_ROLE, Episode, Person, Word
from clipper.episode.transcripts import captions_beside
from clipper.errors import ClipperError
from clipper.media.tags import episode_media

WORDS_PER_SEGMENT_GAP = 1.0  # seconds of silence that start a new segment in the words file


@dataclass
class ImportResult:
    """The files ``import_episode`` wrote, the page first; ``kept`` those it left alone."""

    page: Path
    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def import_episode(
    episode: Episode,
    site: Path | str,
    *,
    lang: str = "en",
    force: bool = False,
    cache_dir: Path | str | None = None,
) -> ImportResult:
    """Write ``episode`` into the site at ``site``; see the module docstring.
    ``cache_dir`` is where a remote enclosure is downloaded (clipper's cache)."""
    site = Path(site)
    page = site / "_podcast" / f"{episode.slug}.md"
    if page.exists() and not force:
        raise ClipperError(f"{page}: already exists (import with force to replace it)")
    if not episode.lines:
        raise ClipperError(f"{episode.path}: no spoken lines to import")
    # What can fail (a download, a file that is not media) comes before any writing.
    video, _, audio = episode_media(episode.media, cache_dir) if episode.media else (None,) * 3
    media = video or audio
    result = ImportResult(page)
    image = None
    if episode.artwork is not None and episode.artwork.is_file():
        image = Path("images/podcast") / f"{episode.slug}{episode.artwork.suffix.lower()}"
        _copy(episode.artwork, site / image, result)
    front = front_matter(episode, image)
    if media is not None:
        folder = "video" if video else "audio"
        _copy(media, site / folder / f"{episode.slug}{media.suffix.lower()}", result)
        _write_words(episode, media, site / folder, lang, result)
    for person in speakers(episode):
        _write_person(site, person, result)
    if episode.show:
        _write_site_config(site, episode.show, result)
    text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
    fsutil.write_text(page, text + "---\n")
    result.written.insert(0, page)
    return result


def _write_words(
    episode: Episode, media: Path, folder: Path, lang: str, result: ImportResult
) -> None:
    """The source's word times as ``<slug>.<lang>.json``, else a captions file
    that lay beside the media, under the slug's name, where timing finds them."""
    if episode.words:
        words = folder / f"{episode.slug}.{lang}.json"
        fsutil.write_text(words, whisper_json(episode.words, lang))
        result.written.append(words)
        return
    captions = captions_beside(media, (), lang)
    if captions is not None:
        _copy(captions, folder / f"{episode.slug}{captions.name[len(media.stem) :]}", result)


def front_matter(episode: Episode, image: Path | None = None) -> dict:
    """The page's front matter: what the site loader reads, transcript last;
    ``image`` is the artwork's path in the site."""
    front: dict = {"title": episode.title}
    if episode.short_title != episode.title:
        front["short"] = episode.short_title
    if episode.season is not None:
        front["season"] = episode.season
    if episode.number is not None:
        front["episode"] = episode.number
    if episode.date is not None:
        front["date"] = episode.date.isoformat()
    front["guests"] = [p.id for p in speakers(episode) if p.role == GUEST_ROLE]
    if episode.youtube_id:
        front["ids"] = {"youtube": episode.youtube_id}
    if episode.topics:
        front["topics"] = list(episode.topics)
    front["link"] = episode.page_url  # "" when it has none: no site address made up
    if image is not None:
        front["image"] = image.as_posix()
    front["transcript"] = transcript_items(episode)
    return front


def transcript_items(episode: Episode) -> list[dict]:
    """The episode's lines as site transcript items, a header where a section
    begins, ``continues: true`` on a line that goes on the paragraph before."""
    items: list[dict] = []
    section = None
    for line in episode.lines:
        if line.section is not None and line.section != section:
            items.append({"header": episode.section_title(line.section)})
        section = line.section
        item = {
            "line": line.text,
            "sec": round(line.start, 2),
            "time": format_clock(line.start),
            "who": line.who,
        }
        items.append({**item, "continues": True} if line.continues else item)
    return items


def whisper_json(words: tuple[Word, ...], lang: str) -> str:
    """Word times as whisper writes them: segments split at pauses, each with its words."""
    segments: list[dict] = []
    for word in words:
        if not segments or word.start - segments[-1]["end"] > WORDS_PER_SEGMENT_GAP:
            segments.append({"start": word.start, "end": word.end, "text": "", "words": []})
        segment = segments[-1]
        segment["words"].append({"word": word.text, "start": word.start, "end": word.end})
        segment["end"] = max(segment["end"], word.end)
        segment["text"] = f"{segment['text']} {word.text}".strip()
    return json.dumps({"language": lang, "segments": segments}, indent=1, ensure_ascii=False)


def speakers(episode: Episode) -> list[Person]:
    """Everyone in the episode with their role: the guests (silent ones too)
    and every speaker. Each gets a ``_people`` file, and the guests are
    listed, so the site gives each the role they have here (a person in
    ``_people`` who is not a listed guest is a host) and a user can name an
    unnamed speaker (``SPEAKER_01``) by editing one file."""
    people = {guest.id: guest for guest in episode.guests}
    for line in episode.lines:
        if line.speaker_id not in people:
            known = episode.person(line.speaker_id)
            photo = known.photo if known else None
            people[line.speaker_id] = Person(line.speaker_id, line.speaker_name, line.role, photo)
    return list(people.values())


def _write_person(site: Path, person: Person, result: ImportResult) -> None:
    path = site / "_people" / f"{person.id}.md"
    if path.exists():
        result.kept.append(path)
        return
    front: dict = {"title": person.name}
    if person.photo is not None and person.photo.is_file():
        picture = Path("images/people") / f"{person.id}{person.photo.suffix.lower()}"
        _copy(person.photo, site / picture, result)
        front["picture"] = picture.as_posix()
    text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n"
    fsutil.write_text(path, text)
    result.written.append(path)


def _write_site_config(site: Path, show: str, result: ImportResult) -> None:
    """A ``_config.yml`` naming the show, so the site's cards keep its name
    (a site that has one keeps it as it is)."""
    path = site / "_config.yml"
    if path.exists():
        result.kept.append(path)
        return
    fsutil.write_text(path, yaml.safe_dump({"title": show}, allow_unicode=True))
    result.written.append(path)


def _copy(source: Path, target: Path, result: ImportResult) -> None:
    """``source`` at ``target`` (a hard link where the file system allows, else
    a copy), atomically; nothing when it is already that file."""
    if target.exists() and target.resolve() == source.resolve():
        return
    with fsutil.atomic_path(target) as tmp:
        try:
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)
    result.written.append(target)
