"""Load an episode page of the DataTalks.Club site and normalise it.

The input is messy in many known ways (see ``../shared/corpus/MANIFEST.json``);
each quirk becomes a :class:`LoadWarning` instead of a crash.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from clipper.episode.clock import parse_time
from clipper.episode.model import (
    GUEST_ROLE,
    HOST_ROLE,
    Episode,
    Line,
    LoadWarning,
    Person,
    Section,
)
from clipper.episode.roles import SpeakerEvidence, decide_roles
from clipper.errors import ClipperError
from clipper.ids import SAFE_ID, YOUTUBE_ID
from clipper.yamlfile import parse_yaml, read_yaml

# ---------------------------------------------------------------- loading

_YOUTUBE_ID_IN_JUNK = re.compile(r"(?:v=|youtu\.be/|^)([A-Za-z0-9_-]{11})(?![A-Za-z0-9_-])")
_TIMESTAMP_ONLY = re.compile(r"^[\d\s:.,]+$")
_BRACKETED = re.compile(r"\s*\[[^\]]{0,80}\]")
_PUNCTUATION = re.compile(r"[.?!,]")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
_WORDS_PER_SECOND = 2.5
TIME_GAP_WARNING = 300.0
PAGE_URL = "https://datatalks.club/podcast/{slug}.html"


def load_episode(path: Path | str, site_root: Path | str | None = None) -> Episode:
    """Read ``path`` (a ``_podcast/*.md`` page) and normalise it.

    Raises :class:`ClipperError` with a one-line message naming the file when
    it is not an episode at all; every lesser problem becomes a warning.

    :param path: the episode page.
    :param site_root: the Jekyll site it belongs to (people, images); by
        default the parent of the ``_podcast/`` folder. No path from the front
        matter is followed outside it.
    """
    path = Path(path)
    root = Path(site_root) if site_root else _find_site_root(path)
    front = read_front_matter(path)
    builder = _EpisodeBuilder(path, root.resolve(), front)
    return builder.build()


@dataclass(frozen=True)
class Roster:
    """The people a source other than a site names (a feed's persons, a
    title's guest), in place of the site's ``guests`` and ``_people/``:
    ``reasons`` says, per person id, why they have their role."""

    people: tuple[Person, ...]
    reasons: dict[str, str]


def episode_from_front(path: Path, site_root: Path, front: dict, roster: Roster) -> Episode:
    """An episode from front matter a reader put together (``transcript`` as
    a site page has it), its people from ``roster``: normalised exactly as a
    page with that front matter is, so an imported page loads the same."""
    return _EpisodeBuilder(path, site_root.resolve(), front, roster).build()


def _find_site_root(path: Path) -> Path:
    parent = path.resolve().parent
    return parent.parent if parent.name == "_podcast" else parent


def read_front_matter(path: Path) -> dict:
    """The YAML front matter of a Jekyll page as a dict.

    The front matter ends at the first line that is exactly ``---``; values may
    contain ``---`` inside a line.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ClipperError(f"{path}: cannot read file ({exc.strerror})") from None
    if b"\x00" in raw:
        raise ClipperError(f"{path}: binary file, not an episode page")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ClipperError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ClipperError(f"{path}: line 1: no front matter (the file must start with '---')")
    try:
        end = next(i for i, line in enumerate(lines[1:], 1) if line.rstrip() == "---")
    except StopIteration:
        raise ClipperError(f"{path}: front matter is not closed by a '---' line") from None
    data = parse_yaml("\n".join(lines[1:end]), path, first_line=2)
    if not isinstance(data, dict):
        raise ClipperError(f"{path}: front matter is not a mapping of keys to values")
    return data


def clean_youtube_id(raw: object) -> tuple[str | None, bool]:
    """``(id, cleaned)``: the valid 11-character id recovered from ``raw``, or
    ``None``; ``cleaned`` says junk was removed."""
    if raw is None:
        return None, False
    text = str(raw).strip()
    if YOUTUBE_ID.match(text):
        return text, False
    found = _YOUTUBE_ID_IN_JUNK.search(text)
    return (found.group(1), True) if found else (None, False)


def clean_text(text: str) -> str:
    """Transcript text without bracketed notes ("[laughs]") and extra spaces."""
    if "[" in text:
        text = _BRACKETED.sub("", text)
    return " ".join(text.split())  # str.split() and \s know the same white space


def word_count(text: str) -> int:
    return len(text.split())


@dataclass
class _RawLine:
    """A transcript line before timing: ``start`` is None when the source has none."""

    index: int
    who: str
    text: str
    start: float | None
    section: int | None
    speaker_uncertain: bool = False
    time_suspect: bool = False
    continues: bool = False


class _EpisodeBuilder:
    """Turns front matter into an Episode; collects warnings on the way."""

    def __init__(self, path: Path, root: Path, front: dict, roster: Roster | None = None) -> None:
        self.path = path
        self.root = root
        self.front = front
        self.roster = roster
        self.warnings: list[LoadWarning] = []
        self.sections: list[Section] = []

    def warn(self, code: str, line: int | None, message: str) -> None:
        self.warnings.append(LoadWarning(code, line, message))

    # -- top level
    def build(self) -> Episode:
        front = self.front
        transcript = front.get("transcript")
        if transcript is None:
            raise ClipperError(f"{self.path}: no 'transcript' in the front matter")
        guests = self._guests()
        raw_lines = self._raw_lines(transcript)
        if not raw_lines:
            raise ClipperError(f"{self.path}: the transcript has no spoken lines")
        speakers = _SpeakerResolver(self, guests, raw_lines)
        lines = self._timed_lines(raw_lines, speakers)
        self._warn_silent_guests(guests, lines)
        self._finish_sections(lines)
        youtube_id = self._youtube_id()
        slug = self.path.stem
        title = _text_field(front.get("title")) or slug
        return Episode(
            path=self.path,
            site_root=self.root,
            slug=slug,
            title=title,
            short_title=_text_field(front.get("short")) or title,
            season=_int_field(front.get("season")),
            number=_int_field(front.get("episode")),
            youtube_id=youtube_id,
            artwork=self.site_path(front.get("image"), "image"),
            guests=guests,
            host=speakers.host,
            page_url=self._page_url(slug),
            topics=[str(t).strip() for t in front.get("topics") or [] if str(t).strip()],
            sections=self.sections,
            lines=lines,
            warnings=self.warnings,
            role_reasons=speakers.reasons,
            show=self._site_title(),
        )

    def _site_title(self) -> str:
        """The site's name (``title`` in Jekyll's ``_config.yml``), which
        brands its episodes' cards; a config that cannot be read is a warning."""
        config = self.root / "_config.yml"
        if not config.is_file():
            return ""
        try:
            data = read_yaml(config, "site settings")
        except ClipperError as exc:
            self.warn("site-config", None, f"{exc}; the cards carry no show name")
            return ""
        title = data.get("title") if isinstance(data, dict) else None
        return " ".join(title.split()) if isinstance(title, str) else ""

    def _page_url(self, slug: str) -> str:
        """The page's address on the site, unless the page has a ``link`` (an
        imported episode): then that, when it is an http(s) URL, else none."""
        if "link" not in self.front:
            return PAGE_URL.format(slug=slug)
        link = _text_field(self.front.get("link"))
        return link if link.startswith(("https://", "http://")) else ""

    def _warn_silent_guests(self, guests: list[Person], lines: list[Line]) -> None:
        speaking = {line.speaker_id for line in lines}
        for guest in guests:
            if guest.id not in speaking:
                self.warn(
                    "guest-silent",
                    None,
                    f"guest {guest.id} ({guest.name}) never speaks in the transcript",
                )

    def _guests(self) -> list[Person]:
        if self.roster is not None:
            return [p for p in self.roster.people if p.role == GUEST_ROLE]
        return [p for p in (self._person(g, GUEST_ROLE) for g in self._guest_ids()) if p]

    def known_reason(self, person: Person) -> str | None:
        """Why a known person has their role, when the roster says."""
        return self.roster.reasons.get(person.id) if self.roster else None

    def _guest_ids(self) -> list[str]:
        guests = self.front.get("guests") or []
        if isinstance(guests, str):
            guests = [guests]
        if not isinstance(guests, list):
            self.warn("bad-guests", None, "'guests' is not a list; ignored")
            return []
        return [str(g).strip() for g in guests if str(g).strip()]

    def _youtube_id(self) -> str | None:
        raw = (
            (self.front.get("ids") or {}).get("youtube")
            if isinstance(self.front.get("ids"), dict)
            else None
        )
        youtube_id, cleaned = clean_youtube_id(raw)
        if cleaned:
            self.warn("youtube-id-cleaned", None, f"ids.youtube {raw!r} cleaned to {youtube_id!r}")
        elif raw is not None and youtube_id is None:
            self.warn("youtube-id-invalid", None, f"ids.youtube {raw!r} is not a YouTube id")
        return youtube_id

    # -- paths and people
    def site_path(self, value: object, field_name: str) -> Path | None:
        """A path from the front matter, resolved inside the site root, or None."""
        if not value or not isinstance(value, str):
            return None
        candidate = (self.root / value.lstrip("/")).resolve()
        if not candidate.is_relative_to(self.root):
            self.warn("unsafe-path", None, f"{field_name} {value!r} points outside the site root")
            return None
        return candidate

    def _person(self, person_id: str, role: str) -> Person | None:
        if not SAFE_ID.match(person_id):
            self.warn("bad-person-id", None, f"person id {person_id!r} is not a valid file name")
            return None
        people_file = self.root / "_people" / f"{person_id}.md"
        try:
            data = read_front_matter(people_file)
        except ClipperError as exc:
            self.warn("missing-person", None, str(exc))
            return Person(id=person_id, name=person_id, role=role)
        name = _text_field(data.get("title")) or person_id
        photo = self.site_path(data.get("picture"), f"{people_file.name} picture")
        return Person(id=person_id, name=name, role=role, photo=photo)

    def person_by_first_name(self, who: str) -> Person | None:
        """A person from ``_people/`` whose name or id starts with ``who``
        (how hosts appear: "Alexey" is alexeygrigorev)."""
        if self.roster is not None:
            hosts = [p for p in self.roster.people if p.role == HOST_ROLE]
            return next((p for p in hosts if _name_matches(who, p)), None)
        people_dir = self.root / "_people"
        key = _name_key(who)
        if not key or not people_dir.is_dir():
            return None
        for people_file in sorted(people_dir.glob(f"{key[:3]}*.md")):
            person = self._person(people_file.stem, HOST_ROLE)
            if person and _name_matches(who, person):
                return person
        return None

    # -- transcript
    def _raw_lines(self, transcript: object) -> list[_RawLine]:
        if isinstance(transcript, str):
            self.warn(
                "old-schema",
                None,
                "transcript is one string; parsed as 'MM:SS/Speaker/text' blocks",
            )
            items = _items_from_string(transcript)
        elif isinstance(transcript, list):
            items = transcript
        else:
            raise ClipperError(f"{self.path}: 'transcript' is neither a list nor a string")
        return _TranscriptReader(self).read(items)

    def _timed_lines(self, raw: list[_RawLine], speakers: _SpeakerResolver) -> list[Line]:
        starts = _assign_times(raw, self)
        ends = [*starts[1:], None]
        lines = []
        for item, start, end in zip(raw, starts, ends, strict=True):
            if end is None or end <= start:
                end = start + max(1.0, word_count(item.text) / _WORDS_PER_SECOND)
            person = speakers.resolve(item.who)
            lines.append(
                Line(
                    index=item.index,
                    who=item.who,
                    speaker_id=person.id,
                    speaker_name=person.name,
                    role=person.role,
                    text=item.text,
                    start=start,
                    end=end,
                    section=item.section,
                    time_suspect=item.time_suspect,
                    speaker_uncertain=item.speaker_uncertain,
                    continues=item.continues,
                )
            )
        return lines

    def add_section(self, title: str) -> int:
        self.sections.append(Section(index=len(self.sections), title=title, start=None))
        return len(self.sections) - 1

    def _finish_sections(self, lines: list[Line]) -> None:
        first_start: dict[int, float] = {}
        for line in lines:
            if line.section is not None:
                first_start.setdefault(line.section, line.start)
        self.sections = [Section(s.index, s.title, first_start.get(s.index)) for s in self.sections]


def _text_field(value: object) -> str:
    return str(value).strip() if value is not None else ""


def _int_field(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _name_key(name: str) -> str:
    return re.sub(r"[^\w]", "", name.split(" ")[0].lower()) if name.strip() else ""


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if c.isalnum() or c == " ")


def _name_matches(who: str, person: Person) -> bool:
    """ "Theo" matches Theofilos Papapanagiotou, "José" matches José María..., "Swyx"
    matches Shawn Swyx Wang: ``who`` is a name, nickname or prefix of one."""
    spoken = _fold(who).split()
    if not spoken:
        return False
    tokens = [*_fold(person.name).split(), _fold(person.id)]
    if " ".join(spoken) == _fold(person.name):
        return True
    first = spoken[0]
    return len(first) >= 3 and any(token.startswith(first) for token in tokens)


def _items_from_string(transcript: str) -> list[dict]:
    """Parse the old schema: blank-line separated blocks of time, speaker, text."""
    items = []
    for block in re.split(r"\n\s*\n", transcript.strip()):
        rows = [row.strip() for row in block.strip().splitlines() if row.strip()]
        if len(rows) >= 3 and parse_time(rows[0]) is not None:
            items.append({"time": rows[0], "who": rows[1], "line": " ".join(rows[2:])})
        elif rows:
            items.append({"line": " ".join(rows)})
    return items


class _TranscriptReader:
    """Walks the transcript items: headers, artifacts, duplicates, continuations."""

    def __init__(self, builder: _EpisodeBuilder) -> None:
        self.builder = builder
        self.lines: list[_RawLine] = []
        self.section: int | None = None
        self.speakers: set[str] = set()  # folded speaker labels, to spot name-only lines
        self.next_speaker_uncertain = False

    def read(self, items: list) -> list[_RawLine]:
        self.speakers = {
            _fold(_clean_who(item["who"]))
            for item in items
            if isinstance(item, dict) and _looks_like_name(item.get("who"))
        }
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                self.builder.warn("bad-item", index, "transcript item is not a mapping; skipped")
            elif "header" in item:
                self._header(str(item["header"]).strip())
            else:
                self._line(index, item, _next_spoken_item(items, index))
        self._summarise_timing()
        return self.lines

    def _summarise_timing(self) -> None:
        untimed = [line.index for line in self.lines if line.start is None]
        if untimed:
            self.builder.warn(
                "untimed-lines",
                untimed[0],
                f"{len(untimed)} lines have no time; they continue the previous turn "
                "and their times are interpolated",
            )
        shared = [
            b.index
            for a, b in itertools.pairwise(self.lines)
            if b.start is not None and a.start == b.start
        ]
        if shared:
            self.builder.warn(
                "shared-time",
                shared[0],
                f"{len(shared)} lines share the previous line's time; times are interpolated",
            )

    def _header(self, title: str) -> None:
        if self.section is not None and self.builder.sections[self.section].title == title:
            return  # the generator repeats headers; one section per title run
        self.section = self.builder.add_section(title)

    def _line(self, index: int, item: dict, following: object) -> None:
        warn = self.builder.warn
        text = clean_text(_text_field(item.get("line")))
        who = _clean_who(item.get("who"))
        if not text or not any(c.isalnum() for c in text):
            warn("empty-line", index, "line has no words; dropped")
            return
        if _TIMESTAMP_ONLY.match(text):
            warn("timestamp-line", index, f"line {text!r} is only a timestamp; dropped")
            return
        if len(text) <= 40 and _fold(text.rstrip(".:")) in self.speakers:
            warn("speaker-name-line", index, f"line {text!r} is only a speaker name; dropped")
            self.next_speaker_uncertain = _fold(text.rstrip(".:")) != _fold(who)
            return
        if (
            not who
            and isinstance(following, dict)
            and clean_text(_text_field(following.get("line"))) == text
        ):
            warn("duplicate-line", index, "bare line repeats the next item; dropped")
            return
        previous = self.lines[-1] if self.lines else None
        if previous and previous.text == text:
            if not who or who == previous.who:
                warn("duplicate-line", index, "line repeats the previous line; dropped")
                return
            warn("duplicate-line", index, "another speaker repeats the previous line; kept")
        start = self._start(index, item)
        if not who or not _looks_like_name(who):
            who = self._continuation_speaker(index, who, previous)
        uncertain, self.next_speaker_uncertain = self.next_speaker_uncertain, False
        if uncertain:
            warn("uncertain-speaker", index, "follows a speaker-name line; not used for quotes")
        text = _drop_repeated_sentences(text, index, warn)
        continues = item.get("continues") is True and bool(previous) and previous.who == who
        self.lines.append(
            _RawLine(index, who, text, start, self.section, uncertain, continues=continues)
        )

    def _continuation_speaker(self, index: int, who: str, previous: _RawLine | None) -> str:
        if who:
            self.builder.warn(
                "who-sentence", index, f"'who' holds text ({who[:30]!r}...); using previous speaker"
            )
        return previous.who if previous else (who or "Unknown")

    def _start(self, index: int, item: dict) -> float | None:
        sec, time = item.get("sec"), item.get("time")
        from_sec = parse_time(sec) if sec is not None else None
        from_time = parse_time(time) if time is not None else None
        if time is not None and from_time is None:
            self.builder.warn("bad-time", index, f"malformed time {time!r}")
            return None  # a sec derived from a malformed time is not trusted either
        if sec is not None and from_sec is None:
            self.builder.warn("bad-time", index, f"malformed sec {sec!r}")
        return from_sec if from_sec is not None else from_time


def _next_spoken_item(items: list, index: int) -> object:
    """The next item that is not a header (the generator puts repeated headers
    between a bare line and the item it duplicates)."""
    following = itertools.islice(items, index + 1, None)
    return next(
        (item for item in following if not (isinstance(item, dict) and "header" in item)), None
    )


def _clean_who(value: object) -> str:
    return " ".join(_text_field(value).split()).rstrip(":").strip()


def _looks_like_name(value: object) -> bool:
    """A speaker label is a few capitalised words, not a transcript sentence."""
    text = _clean_who(value)
    return (
        bool(text) and len(text) <= 40 and len(text.split()) <= 4 and not _PUNCTUATION.search(text)
    )


def _drop_repeated_sentences(text: str, index: int, warn) -> str:
    """Collapse a sentence the transcriber repeated back to back ("I will. I will.")."""
    sentences = _SENTENCE_BREAK.split(text)
    kept = [s for i, s in enumerate(sentences) if i == 0 or s != sentences[i - 1]]
    if len(kept) < len(sentences):
        warn("repeated-sentence", index, "a sentence repeated back to back was collapsed")
    return " ".join(kept)


def _assign_times(raw: list[_RawLine], builder: _EpisodeBuilder) -> list[float]:
    """Start seconds for every line, in source order and never decreasing.

    Timestamps outside the longest non-decreasing run are flagged as suspect
    and, like lines without a time and lines sharing a time, get a start
    interpolated by word count between their timed neighbours.
    """
    timed = [i for i, line in enumerate(raw) if line.start is not None]
    trusted = set(_longest_non_decreasing([raw[i].start for i in timed]))
    anchors: dict[int, float] = {}
    for position, i in enumerate(timed):
        line = raw[i]
        if position not in trusted:
            line.time_suspect = True
            builder.warn(
                "time-backwards", line.index, f"timestamp {line.start:.0f}s is out of order"
            )
        elif line.start not in anchors.values():
            anchors[i] = line.start
    _warn_gaps(raw, anchors, builder)
    return _interpolate(raw, anchors)


def _longest_non_decreasing(values: list[float]) -> list[int]:
    """Positions of one longest non-decreasing subsequence (patience sorting)."""
    tails: list[int] = []
    tail_values: list[float] = []  # values[t] for t in tails
    previous = [-1] * len(values)
    for i, value in enumerate(values):
        pos = bisect.bisect_right(tail_values, value)
        previous[i] = tails[pos - 1] if pos else -1
        if pos == len(tails):
            tails.append(i)
            tail_values.append(value)
        else:
            tails[pos] = i
            tail_values[pos] = value
    chain, current = [], tails[-1] if tails else -1
    while current != -1:
        chain.append(current)
        current = previous[current]
    return chain[::-1]


def _warn_gaps(raw: list[_RawLine], anchors: dict[int, float], builder: _EpisodeBuilder) -> None:
    ordered = sorted(anchors.items())
    for (_, a), (j, b) in itertools.pairwise(ordered):
        if b - a > TIME_GAP_WARNING:
            builder.warn("time-gap", raw[j].index, f"{b - a:.0f}s jump between lines")


def _interpolate(raw: list[_RawLine], anchors: dict[int, float]) -> list[float]:
    """Spread the lines between two anchors over the interval by word count."""
    if not anchors:
        anchors = {0: 0.0}
    ordered = sorted(anchors.items())
    starts = [0.0] * len(raw)
    first_index, first_time = ordered[0]
    for i in range(first_index):
        starts[i] = first_time  # lines before the first timestamp
    bounds = [*ordered, (len(raw), None)]
    for (i, a), (j, b) in itertools.pairwise(bounds):
        words = [max(1, word_count(raw[k].text)) for k in range(i, j)]
        span = (b - a) if b is not None else sum(words) / _WORDS_PER_SECOND
        elapsed = 0
        for k, count in zip(range(i, j), words, strict=True):
            starts[k] = a + span * elapsed / sum(words)
            elapsed += count
    return starts


class _SpeakerResolver:
    """Maps ``who`` labels to people: guests by name or nickname, hosts through
    ``_people/``, anyone else by the label itself; roles are decided once for
    all labels by :func:`~clipper.episode.roles.decide_roles`."""

    def __init__(self, builder: _EpisodeBuilder, guests: list[Person], raw: list[_RawLine]) -> None:
        self.cache: dict[str, Person] = {}
        self.reasons: dict[str, str] = {}
        self.host: Person | None = None
        first_index: dict[str, int] = {}
        questions: dict[str, int] = {}
        for line in raw:
            first_index.setdefault(line.who, line.index)
            questions[line.who] = questions.get(line.who, 0) + ("?" in line.text)
        found = {who: self._lookup(builder, guests, who, first_index[who]) for who in first_index}
        evidence = [
            SpeakerEvidence(
                who,
                person.role if known else None,
                questions[who],
                builder.known_reason(person) if known else None,
            )
            for who, (person, known) in found.items()
        ]
        for who, (role, reason) in decide_roles(evidence).items():
            person = found[who][0]
            self.cache[who] = Person(person.id, person.name, role, person.photo)
            self.reasons.setdefault(person.id, reason)
            if role == HOST_ROLE and self.host is None:
                self.host = self.cache[who]

    def resolve(self, who: str) -> Person:
        return self.cache[who]

    @staticmethod
    def _lookup(
        builder: _EpisodeBuilder, guests: list[Person], who: str, index: int
    ) -> tuple[Person, bool]:
        """The person behind ``who`` and whether the site knows them."""
        for guest in guests:
            if _name_matches(who, guest):
                return guest, True
        known = builder.person_by_first_name(who)
        if known:
            return Person(known.id, known.name, HOST_ROLE, known.photo), True
        slug = re.sub(r"[^a-z0-9]+", "-", _fold(who)).strip("-") or "unknown"
        if builder.roster is None:  # elsewhere a label the source names nobody by is normal
            builder.warn("unknown-speaker", index, f"speaker {who!r} matches no _people entry")
        return Person(slug, who, GUEST_ROLE), False
