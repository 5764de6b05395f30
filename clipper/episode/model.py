"""The episode records every later stage reads: Episode, Line, Person, Section, Word."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

HOST_ROLE = "host"
GUEST_ROLE = "guest"
UNNAMED = "Speaker"  # the label of a transcript that names nobody
# The role reason of that one speaker: its role is no guess and weighs nothing.
NOBODY_NAMED = "nobody is named: no role guessed, ranked without role features"


@dataclass(frozen=True)
class LoadWarning:
    """Something odd in the input that was handled; ``line`` is the source index."""

    code: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{self.code}: {where}{self.message}"


@dataclass(frozen=True)
class Word:
    """One word and when it is spoken (seconds of the episode's media)."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class Person:
    """Someone who speaks in an episode; ``photo`` is an absolute path inside
    the site root (it may not exist on disk)."""

    id: str
    name: str
    role: str
    photo: Path | None = None


@dataclass(frozen=True)
class Section:
    index: int
    title: str
    start: float | None


@dataclass
class Line:
    """One spoken line. ``index`` is its position in the source transcript list
    (for the old string schema, the block number). ``start``/``end`` are seconds;
    ``end`` is the next line's start (or ``start`` plus a reading-time estimate)."""

    index: int
    who: str
    speaker_id: str
    speaker_name: str
    role: str
    text: str
    start: float
    end: float
    section: int | None
    time_suspect: bool = False
    speaker_uncertain: bool = False
    continues: bool = False  # goes on the previous line's paragraph (split for length)
    # Restored speech only: per word of ``text``, the restorer's confidence
    # that a sentence ends after it (empty: the source's own punctuation).
    end_confidence: tuple[float, ...] = ()


@dataclass
class Episode:
    """One episode, normalised: ``lines`` are the spoken lines in order with
    their times and speakers, ``sections`` the transcript's headers, ``guests``
    and ``host`` the people (from ``_people/``), ``warnings`` every quirk of
    the input that was repaired. ``artwork`` is inside ``site_root`` or None.

    ``site_root`` is the folder no path of the episode may escape (a site's
    root; for a media file, its folder). ``words`` are the words as spoken
    with the times the source gave them (word-timed captions, whisper JSON),
    empty when it gave none: timing cuts clips on them without aligning to
    another source; ``word_ends_estimated`` says the source gave only when
    each word starts (YouTube captions). ``media`` is the episode's audio or
    video (a local path or an http(s) URL) for clips when none is given;
    ``date`` when it was published. ``show`` is the podcast's name as the
    source gives it (a feed's title, a media file's album tag, a video's
    channel, a site's ``_config.yml`` title), empty when it gives none."""

    path: Path
    site_root: Path
    slug: str
    title: str
    short_title: str
    season: int | None
    number: int | None
    youtube_id: str | None
    artwork: Path | None
    guests: list[Person]
    host: Person | None
    page_url: str
    topics: list[str]
    sections: list[Section]
    lines: list[Line]
    warnings: list[LoadWarning] = field(default_factory=list)
    role_reasons: dict[str, str] = field(default_factory=dict)  # speaker id -> why that role
    words: tuple[Word, ...] = ()
    word_ends_estimated: bool = False
    media: str | None = None
    date: dt.date | None = None
    show: str = ""

    @property
    def label(self) -> str:
        """``S21E08`` style label, or empty when the numbers are unknown."""
        if self.season is None or self.number is None:
            return ""
        return f"S{self.season:02d}E{self.number:02d}"

    @property
    def duration(self) -> float:
        return max((line.end for line in self.lines), default=0.0)

    def person(self, person_id: str) -> Person | None:
        for person in [*self.guests, *([self.host] if self.host else [])]:
            if person.id == person_id:
                return person
        return None

    def section_title(self, section: int | None) -> str:
        return self.sections[section].title if section is not None else ""

    def youtube_url(self, at: float | None = None) -> str | None:
        if not self.youtube_id:
            return None
        url = f"https://www.youtube.com/watch?v={self.youtube_id}"
        return url if at is None else f"{url}&t={int(at)}"
