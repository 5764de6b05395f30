"""From a transcript's cues to an Episode: speaker turns, whole sentences, lines.

Caption cues cut sentences in the middle and a speaker can change inside a
cue (the format layer already splits such cues by speaker). Here the cues
become speaker turns; each turn is cut into whole sentences, and the
sentences into lines of a paragraph's length, each timed by its first word.
The lines are written as a site page's transcript items, and the page's own
normaliser (:func:`~clipper.episode.load.episode_from_front`) makes the
Episode, so a page written from them by ``clipper import`` loads the same.

Text without sentence punctuation (automatic captions) goes through
:func:`restore_sentences`, the one place the sentence restorer works.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from clipper.episode.clock import format_clock
from clipper.episode.load import Roster, episode_from_front
from clipper.episode.model import GUEST_ROLE, Episode, Person
from clipper.episode.sentences import split_words
from clipper.episode.transcripts import Cue, Transcript, spread
from clipper.ids import slugify

PARAGRAPH_WORDS = 35  # a line closes after the sentence that takes it past this
UNNAMED = "Speaker"  # the label of a transcript that names nobody
SENTENCE_ENDS_PER_WORD = 1 / 40  # fewer sentence ends than this: unpunctuated


@dataclass(frozen=True)
class Speaker:
    """A person the source names, with their role and why (``reason``)."""

    name: str
    role: str
    reason: str
    photo: Path | None = None


@dataclass
class EpisodeInfo:
    """What a reader knows of an episode besides its transcript.

    ``path`` is the file the episode comes from (for messages), ``site_root``
    the folder none of its paths may escape; ``chapters`` are ``(title,
    start seconds)``; ``people`` the named speakers (the title's guests are
    added by :func:`build_episode`)."""

    path: Path
    site_root: Path
    slug: str
    title: str
    short_title: str = ""
    season: int | None = None
    number: int | None = None
    youtube_id: str | None = None
    artwork: Path | None = None
    page_url: str = ""
    topics: list[str] = field(default_factory=list)
    date: dt.date | None = None
    media: str | None = None
    people: list[Speaker] = field(default_factory=list)
    chapters: list[tuple[str, float]] = field(default_factory=list)


def build_episode(transcript: Transcript, info: EpisodeInfo) -> Episode:
    """The Episode of ``transcript`` with what ``info`` says about it.

    The source's word times (when it times every word) become
    ``Episode.words``, so clips are cut on them without another alignment."""
    speakers = [*info.people, *title_guests(info.title, info.people)]
    roster = Roster(
        tuple(_person(s) for s in speakers), {slugify(s.name): s.reason for s in speakers}
    )
    episode = episode_from_front(info.path, info.site_root, front_matter(transcript, info), roster)
    return dataclasses.replace(
        episode,
        slug=info.slug,
        youtube_id=info.youtube_id,
        artwork=info.artwork,
        page_url=info.page_url,
        topics=list(info.topics),
        date=info.date,
        media=info.media,
        words=transcript.words if transcript.word_level else (),
        word_ends_estimated=transcript.word_level and not transcript.exact_ends,
    )


def front_matter(transcript: Transcript, info: EpisodeInfo) -> dict:
    """The front matter fields the normaliser reads, as a site page has them."""
    return {
        "title": info.title,
        "short": info.short_title or info.title,
        "season": info.season,
        "episode": info.number,
        "transcript": transcript_items(transcript.cues, info.chapters),
    }


def _person(speaker: Speaker) -> Person:
    return Person(slugify(speaker.name, "person"), speaker.name, speaker.role, speaker.photo)


# ------------------------------------------------------------------ title

_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|da|del|la|le|bin|al)){1,3}"
_TITLE_GUESTS = re.compile(
    r"(?:\bwith|\bft\.|\bfeat\.|\bfeaturing|\|)\s+(?P<names>.+?)\s*(?:$|[|:(\[—–]|\s-\s)"
)
_NAME_LIST = re.compile(r"\s*(?:,|&|\band\b)\s*")


def title_guests(title: str, known: Sequence[Speaker] = ()) -> list[Speaker]:
    """Guests a title names: "... with Jane Doe", "ft. Jane Doe", "... | Jane
    Doe" (several joined by "," / "and" / "&"); a name needs two words or
    more, so "with Python" names nobody; people already ``known`` are left out."""
    names: list[str] = []
    for match in _TITLE_GUESTS.finditer(title):
        parts = _NAME_LIST.split(match.group("names"))
        if all(re.fullmatch(_NAME, part) for part in parts):
            names += parts
    taken = {slugify(s.name) for s in known}
    guests = []
    for name in dict.fromkeys(names):
        if slugify(name) not in taken:
            guests.append(Speaker(name, GUEST_ROLE, "named in the title"))
    return guests


# ------------------------------------------------------------------ turns and sentences


@dataclass
class _Token:
    text: str
    start: float | None
    end: float | None


def _cue_tokens(cue: Cue) -> list[_Token]:
    """A cue's words with their times: the source's word times when they
    match its text, else the cue's time spread by length, else (an untimed
    paragraph) its start on the first word alone."""
    texts = cue.text.split()
    if cue.words and len(cue.words) == len(texts):
        return [_Token(t, w.start, w.end) for t, w in zip(texts, cue.words, strict=True)]
    if cue.start is not None and cue.end is not None:
        return [_Token(w.text, w.start, w.end) for w in spread(cue.text, cue.start, cue.end)]
    return [_Token(t, cue.start if i == 0 else None, None) for i, t in enumerate(texts)]


def speaker_turns(cues: tuple[Cue, ...]) -> list[tuple[str, list[_Token]]]:
    """Runs of words by one speaker; a cue that names no speaker continues the
    one before it."""
    turns: list[tuple[str, list[_Token]]] = []
    for cue in cues:
        who = cue.speaker or (turns[-1][0] if turns else UNNAMED)
        if not turns or turns[-1][0] != who:
            turns.append((who, []))
        turns[-1][1].extend(_cue_tokens(cue))
    return [(who, tokens) for who, tokens in turns if tokens]


def is_unpunctuated(words: list[str]) -> bool:
    """Whether a turn reads as raw speech recognition: long, with (almost) no
    sentence ends."""
    if len(words) < 20:
        return False
    ends = sum(word[-1] in ".?!" for word in words)
    return ends < len(words) * SENTENCE_ENDS_PER_WORD


def restore_sentences(words: list[str]) -> list[str]:
    """Sentence punctuation and capitals for a turn of unpunctuated speech.

    The one place the sentence restorer works (issue 20). It returns one
    word for each word given, the same word with punctuation or case
    changed, so every word keeps its time. Until a restorer is wired in, the
    words come back unchanged (such a turn is then one long sentence)."""
    return words


def transcript_items(cues: tuple[Cue, ...], chapters: list[tuple[str, float]]) -> list[dict]:
    """Site transcript items (``{"header"}`` and ``{"line", "sec", "time",
    "who"}``) for the cues: lines of whole sentences of one speaker, a new
    line when it passes :data:`PARAGRAPH_WORDS` words or a chapter begins.
    A line split off for its length alone says ``continues: true``: cues have
    no paragraphs, so it goes on the paragraph of the line before (quote
    selection reads a new paragraph as a strong sign of a new point)."""
    pending = sorted((start, title) for title, start in chapters)
    items: list[dict] = []
    for who, tokens in speaker_turns(cues):
        words = [token.text for token in tokens]
        if is_unpunctuated(words):
            restored = restore_sentences(words)
            words = restored if len(restored) == len(words) else words
        line: list[int] = []
        continues = False  # the next line goes on this turn's paragraph
        for sentence in split_words(words):
            start = tokens[sentence.start].start
            if pending and start is not None and start >= pending[0][0] - 0.5:
                items += _line_item(who, words, tokens, line, continues)
                line, continues = [], False
                while pending and start >= pending[0][0] - 0.5:
                    items.append({"header": pending.pop(0)[1]})
            line += sentence
            if len(line) >= PARAGRAPH_WORDS:
                items += _line_item(who, words, tokens, line, continues)
                line, continues = [], True
        items += _line_item(who, words, tokens, line, continues)
    return items


def _line_item(
    who: str, words: list[str], tokens: list[_Token], line: list[int], continues: bool
) -> list[dict]:
    if not line:
        return []
    item: dict = {"line": " ".join(words[i] for i in line)}
    if continues:
        item["continues"] = True
    start = tokens[line[0]].start
    if start is not None:
        item["sec"] = round(start, 2)
        item["time"] = format_clock(start)
    item["who"] = who
    return [item]
