"""Word times from captions files, for timing quotes.

The files are parsed by the episode stage's transcript layer
(:mod:`clipper.episode.transcripts`: YouTube json3/srv3/VTT, whisper /
WhisperX JSON, Podcasting 2.0 JSON, plain SRT/VTT); this module keeps their
words and says how far to trust them: ``word_level`` is False when a cue's
time was spread over its words, ``exact_ends`` False when the source gave
word starts only (the timing stage then refines ends against the audio).

A file that cannot be read raises :class:`ClipperError` naming it, so a bad
file costs one warning, never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clipper.episode.model import Word
from clipper.episode.transcripts import glob_escape, read_transcript
from clipper.errors import ClipperError

CAPTION_SUFFIXES = (".json3", ".srv3", ".vtt", ".json", ".srt")


@dataclass(frozen=True)
class CaptionWords:
    """The words of a captions file, in time order."""

    path: Path
    words: tuple[Word, ...]
    word_level: bool = True
    exact_ends: bool = True


def read_captions(path: Path | str) -> CaptionWords:
    """The words of a captions file; raises ClipperError naming it when unreadable."""
    transcript = read_transcript(path, "captions file")
    words = transcript.words
    if not words:
        raise ClipperError(f"{transcript.path}: malformed captions file (no timed words)")
    return CaptionWords(transcript.path, words, transcript.word_level, transcript.exact_ends)


def captions_beside(media: Path, names: tuple[str, ...] = (), lang: str = "en") -> Path | None:
    """A captions file next to ``media``: ``<stem>.<lang>.<format>`` for the
    media's stem or any of ``names``; ``lang`` first, then any language;
    formats in order of :data:`CAPTION_SUFFIXES` (word-timed ones first)."""
    folder = media.parent
    stems = (media.stem, *names)
    for language in (lang, "*"):
        for suffix in CAPTION_SUFFIXES:
            for stem in stems:
                found = sorted(folder.glob(f"{glob_escape(stem)}.{language}{suffix}"))
                if found:
                    return found[0]
    return None
