"""From a transcript's cues to an Episode: speaker turns, whole sentences, lines.

Caption cues cut sentences in the middle and a speaker can change inside a
cue (the format layer already splits such cues by speaker). Here the cues
become speaker turns; each turn is cut into whole sentences, and the
sentences into lines of a paragraph's length, each timed by its first word.
The lines are written as a site page's transcript items, and the page's own
normaliser (:func:`~clipper.episode.load.episode_from_front`) makes the
Episode, so a page written from them by ``clipper import`` loads the same.

Text without sentence punctuation (automatic captions) goes through
:func:`restore_sentences`, the one place the sentence restorer
(:mod:`clipper.episode.restore`) works: it punctuates and capitalises, and
cuts a stream that names nobody into turns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from clipper.episode.clock import format_clock
from clipper.episode.load import Roster, episode_from_front
from clipper.episode.model import GUEST_ROLE, NOBODY_NAMED, UNNAMED, Episode, Line, Person
from clipper.episode.restore import FILLERS, caption_word, edited_words, restore, split_turns
from clipper.episode.sentences import split_words
from clipper.episode.transcripts import Cue, Transcript, spread
from clipper.ids import slugify

PARAGRAPH_WORDS = 35  # a line closes after the sentence that takes it past this
END_CONFIDENCE = "end_confidence"  # the item key of a restored line's confidences
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
    show: str = ""


def build_episode(transcript: Transcript, info: EpisodeInfo) -> Episode:
    """The Episode of ``transcript`` with what ``info`` says about it.

    The source's word times (when it times every word) become
    ``Episode.words``, so clips are cut on them without another alignment."""
    speakers = [*info.people, *title_guests(info.title, info.people)]
    roster = Roster(
        tuple(_person(s) for s in speakers), {slugify(s.name): s.reason for s in speakers}
    )
    front = front_matter(transcript, info)
    episode = episode_from_front(info.path, info.site_root, front, roster)
    return dataclasses.replace(
        episode,
        slug=info.slug,
        youtube_id=info.youtube_id,
        artwork=info.artwork,
        page_url=info.page_url,
        topics=list(info.topics),
        date=info.date,
        media=info.media,
        show=info.show,
        words=transcript.words if transcript.word_level else (),
        word_ends_estimated=transcript.word_level and not transcript.exact_ends,
        role_reasons=_unnamed_said(episode),
        lines=_with_confidence(episode.lines, front["transcript"]),
    )


def _with_confidence(lines: list[Line], items: list[dict]) -> list[Line]:
    """The lines, restored ones with their words' sentence-end confidence
    (when the normaliser kept the line's words as they were)."""
    out = []
    for line in lines:
        item = items[line.index] if 0 <= line.index < len(items) else {}
        confidence = item.get(END_CONFIDENCE, ())
        if confidence and len(confidence) == len(line.text.split()):
            line = dataclasses.replace(line, end_confidence=confidence)
        out.append(line)
    return out


def _unnamed_said(episode: Episode) -> dict[str, str]:
    """The role reasons, saying so where the transcript names nobody: its one
    speaker's role is no guess, and being the same for every line, it weighs
    nothing in the ranking."""
    unnamed = {line.speaker_id for line in episode.lines if line.who == UNNAMED}
    if len(unnamed) != 1 or any(line.who != UNNAMED for line in episode.lines):
        return episode.role_reasons
    return {**episode.role_reasons, unnamed.pop(): NOBODY_NAMED}


def front_matter(transcript: Transcript, info: EpisodeInfo) -> dict:
    """The front matter fields the normaliser reads, as a site page has them."""
    return {
        "title": info.title,
        "short": info.short_title or info.title,
        "season": info.season,
        "episode": info.number,
        "transcript": transcript_items(transcript.cues, info.chapters, known_names(info)),
    }


def known_names(info: EpisodeInfo) -> list[str]:
    """Names and terms the episode knows, for the restorer's capitals: its
    people, and the title's and topics' words written with inner or all
    capitals ("MLOps", "SQL"; a title's capitalised ordinary words are not names)."""
    people = [s.name for s in [*info.people, *title_guests(info.title, info.people)]]
    terms = [
        word
        for text in [info.title, *info.topics]
        for word in re.findall(r"[\w'’.+-]+", text)
        if any(c.isupper() for c in word[1:])
    ]
    return [*people, *terms]


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


@dataclass(frozen=True)
class Restoration:
    """A restored turn: one word for each word given, the same word with
    punctuation or case changed (so every word keeps its time); the words
    where a new turn starts (a speaker change, a question and its answer, a
    long pause: see :func:`~clipper.episode.restore.split_turns`); and for
    each word the restorer's confidence that a sentence ends after it and
    whether an edited transcript shows it (fillers and stutters are left out
    of the text; they stay in the episode's word times); and the word ranges
    of its sentences, as the restorer's marks end them (a sentence may open
    with a hidden "um", which a split on capitals would not see).
    """

    words: list[str]
    turn_starts: set[int]
    end_confidence: list[float]
    shown: list[bool]
    sentences: list[range]


SPEAKER_CHANGE = ">>"  # YouTube's mark of a new speaker in automatic captions


def restore_sentences(
    words: list[str],
    pauses: list[float | None] | None = None,
    names: Sequence[str] = (),
    speaker_changes: Iterable[int] = (),
) -> Restoration:
    """Sentence punctuation and capitals for a turn of unpunctuated speech.

    The one place the sentence restorer works (issue 20). ``pauses`` are the
    silences after the words, ``names`` the people and terms the episode
    knows, ``speaker_changes`` the words a new speaker starts at."""
    turn_ends = [i - 1 for i in speaker_changes if i > 0]
    restored = restore(words, pauses=pauses, turn_ends=turn_ends, names=names)
    turns = split_turns(restored, pauses=pauses, turn_ends=turn_ends)
    return Restoration(
        list(restored.words),
        {turn.start for turn in turns[1:]},
        list(restored.end_confidence),
        list(restored.shown),
        restored.sentences(),
    )


def _without_speaker_marks(tokens: list[_Token]) -> tuple[list[_Token], list[int]]:
    """The tokens without YouTube's bare ``>>`` marks, and the positions
    (in the tokens kept) where a marked new speaker starts."""
    kept: list[_Token] = []
    changes: list[int] = []
    for token in tokens:
        if token.text == SPEAKER_CHANGE:
            changes.append(len(kept))
        else:
            kept.append(token)
    return kept, changes


def _pauses(tokens: list[_Token]) -> list[float | None]:
    """The silence after each token up to the next spoken word, where both are
    timed. A filler is hesitation, not speech: the silence runs over it, so
    "started? [1.8 s] um [0.6 s] a dashboard" is one pause after "started"
    as long as the answer took to begin."""
    pauses: list[float | None] = []
    next_start: float | None = None  # when the next word that is not a filler starts
    for token in reversed(tokens):
        known = next_start is not None and token.end is not None
        pauses.append(max(0.0, next_start - token.end) if known else None)
        if caption_word(token.text) not in FILLERS:
            next_start = token.start
    return pauses[::-1]


def transcript_items(
    cues: tuple[Cue, ...], chapters: list[tuple[str, float]], names: Sequence[str] = ()
) -> list[dict]:
    """Site transcript items (``{"header"}`` and ``{"line", "sec", "time",
    "who"}``) for the cues: lines of whole sentences of one speaker, a new
    line when it passes :data:`PARAGRAPH_WORDS` words, a chapter begins or
    (in restored speech) a new turn starts. A line split off for its length
    alone says ``continues: true``: cues have no paragraphs, so it goes on the
    paragraph of the line before (quote selection reads a new paragraph as a
    strong sign of a new point). ``names`` are written as given where the
    restorer capitalises."""
    pending = sorted((start, title) for title, start in chapters)
    items: list[dict] = []
    for who, marked in speaker_turns(cues):
        tokens, changes = _without_speaker_marks(marked)
        if not tokens:
            continue
        words = [token.text for token in tokens]
        turn_starts: set[int] = set()
        restored = None
        if is_unpunctuated(words):
            restored = restore_sentences(words, _pauses(tokens), names, changes)
            words, turn_starts = restored.words, restored.turn_starts
        line: list[int] = []
        continues = False  # the next line goes on this turn's paragraph
        for sentence in restored.sentences if restored else split_words(words):
            start = tokens[sentence.start].start
            if line and sentence.start in turn_starts:
                items += _line_item(who, words, tokens, line, continues, restored)
                line, continues = [], False
            if pending and start is not None and start >= pending[0][0] - 0.5:
                items += _line_item(who, words, tokens, line, continues, restored)
                line, continues = [], False
                while pending and start >= pending[0][0] - 0.5:
                    items.append({"header": pending.pop(0)[1]})
            line += sentence
            if len(line) >= PARAGRAPH_WORDS:
                items += _line_item(who, words, tokens, line, continues, restored)
                line, continues = [], True
        items += _line_item(who, words, tokens, line, continues, restored)
    return items


def _line_item(
    who: str,
    words: list[str],
    tokens: list[_Token],
    line: list[int],
    continues: bool,
    restored: Restoration | None,
) -> list[dict]:
    """A transcript item; a restored line prints the words an edited
    transcript shows and carries their end confidence under
    :data:`END_CONFIDENCE` for :func:`build_episode` (never written to a page)."""
    texts = [words[i] for i in line]
    if restored is not None:
        texts, confidence = edited_words(
            texts, [restored.shown[i] for i in line], [restored.end_confidence[i] for i in line]
        )
    if not texts:
        return []
    item: dict = {"line": " ".join(texts)}
    if continues:
        item["continues"] = True
    if restored is not None:
        item[END_CONFIDENCE] = tuple(confidence)
    start = tokens[line[0]].start
    if start is not None:
        item["sec"] = round(start, 2)
        item["time"] = format_clock(start)
    item["who"] = who
    return [item]
