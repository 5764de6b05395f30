"""Word times from captions files, for timing quotes.

The files are parsed by the episode stage's transcript layer
(:mod:`clipper.episode.transcripts`: YouTube json3/srv3/VTT, whisper /
WhisperX JSON, Podcasting 2.0 JSON, plain SRT/VTT); this module keeps their
words and says how far to trust them: ``word_level`` is False when a cue's
time was spread over its words, ``exact_ends`` False when the source gave
word starts only (the timing stage then refines ends against the audio).

Finding one beside the media is the episode stage's
(:func:`~clipper.episode.transcripts.captions_beside`).

A file that cannot be read raises :class:`ClipperError` naming it, so a bad
file costs one warning, never a crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from clipper.episode.model import Word
from clipper.episode.transcripts import read_transcript
from clipper.errors import ClipperError


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
