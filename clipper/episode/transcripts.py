"""Transcript and captions files: one parser per format, all giving cues.

Formats: WebVTT (``<v Name>`` voices, YouTube's inline word times
``<00:00:01.234><c> word</c>``), SRT (with or without ``Name:`` prefixes),
Podcasting 2.0 JSON (``segments`` of ``speaker``/``startTime``/``endTime``/
``body``), whisper / WhisperX JSON (segments, word times, diarised speaker
labels), YouTube json3 and srv3 as yt-dlp saves them, and plain-text exports
with ``Name:`` paragraphs and optional timestamps (Otter, Descript,
Riverside, Zoom).

Each gives a :class:`Transcript`: :class:`Cue` s in time order, each with its
text, its speaker (None when the source does not say) and, where the source
times words, its words. The episode stage builds lines from the cues; the
timing stage reads the words (:attr:`Transcript.words`).

YouTube gives when each word starts, not when it ends: such a word ends at
the next word's start or after a length-based estimate, whichever is first
(``exact_ends`` False). Cue-level files (plain SRT/VTT) have no word times:
:attr:`Transcript.words` spreads each cue's time over its words by length
(``word_level`` False).

Our own parsers, not webvtt-py / srt: on an hour of talk
(``benchmarks/bench_transcripts.py``) webvtt-py keeps one voice per cue (498
of 9,000 words go to the wrong speaker), drops YouTube's word times and takes
3-6x our time; srt is as fast as ours but leaves speaker prefixes to us. One
cue grammar serves VTT and SRT here.

Every reader raises :class:`ClipperError` naming the file for input it cannot
read: nothing else escapes.
"""

from __future__ import annotations

import codecs
import json
import re
import xml.etree.ElementTree as ElementTree
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from clipper.episode.clock import parse_time
from clipper.episode.model import Word
from clipper.errors import ClipperError

CAPTION_SUFFIXES = (".json3", ".srv3", ".vtt", ".json", ".srt")  # word-timed ones first
TRANSCRIPT_SUFFIXES = (*CAPTION_SUFFIXES, ".txt")
MAX_TRANSCRIPT_BYTES = 50_000_000
SECONDS_PER_CHAR = 0.065  # a spoken word lasts about this per letter, plus a base
WORD_BASE_SECONDS = 0.12
LONGEST_WORD = 1.2


@dataclass(frozen=True)
class Cue:
    """A stretch of text the source times as one: ``start``/``end`` seconds
    (None in a plain-text transcript without timestamps), the ``speaker``
    label as the source writes it, and the cue's ``words`` when timed."""

    start: float | None
    end: float | None
    text: str
    speaker: str | None = None
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class Transcript:
    """The cues of one file, in time order."""

    path: Path
    format: str
    cues: tuple[Cue, ...]
    word_level: bool = False
    exact_ends: bool = True

    @property
    def words(self) -> tuple[Word, ...]:
        """Every spoken word with its time: the source's word times, else each
        timed cue's time spread over its words by length."""
        words: list[Word] = []
        for cue in self.cues:
            if cue.words:
                words += cue.words
            elif cue.start is not None and cue.end is not None:
                words += spread(cue.text, cue.start, cue.end)
        return tuple(sorted(words, key=lambda w: w.start))


def estimated_end(text: str, start: float, next_start: float | None) -> float:
    """When a word whose start alone is known probably ends."""
    guess = start + min(LONGEST_WORD, WORD_BASE_SECONDS + SECONDS_PER_CHAR * len(text))
    return guess if next_start is None else max(start, min(guess, next_start))


def spread(text: str, start: float, end: float) -> list[Word]:
    """A cue's words over its time, each in proportion to its length."""
    parts = text.split()
    total = sum(len(p) + 1 for p in parts)
    words, elapsed = [], 0
    for part in parts:
        a = start + (end - start) * elapsed / total
        elapsed += len(part) + 1
        words.append(Word(part, a, start + (end - start) * elapsed / total))
    return words


# A word whose start alone is known: its text, start and the cue it belongs to.
_Start = tuple[str, float, int]


def _cues_with_ends(
    spans: list[tuple[float, float, str | None]], starts: list[_Start], last_end: float
) -> tuple[Cue, ...]:
    """Cues from their (start, end, speaker) and word starts: each word ends
    at its estimate or the next word's start, and belongs to its cue."""
    starts = sorted(((t.strip(), s, c) for t, s, c in starts if t.strip()), key=lambda p: p[1])
    per_cue: list[list[Word]] = [[] for _ in spans]
    for i, (text, start, cue) in enumerate(starts):
        following = starts[i + 1][1] if i + 1 < len(starts) else last_end
        per_cue[cue].append(Word(text, start, estimated_end(text, start, following)))
    return tuple(
        Cue(begin, end, " ".join(w.text for w in words), speaker, tuple(words))
        for (begin, end, speaker), words in zip(spans, per_cue, strict=True)
        if words
    )


# ------------------------------------------------------------------ YouTube json3 / srv3

# One caption event: its start and end, and its pieces of text, each with its
# offset from the start (None when the piece is not timed).
Event = tuple[float, float, list[tuple[str, float | None]]]


def _event_transcript(path: Path, kind: str, events: list[Event]) -> Transcript:
    """Automatic captions time every word after an event's first; an event
    whose words carry no offsets (uploaded captions) is spread over its
    duration, and a file mostly made of those is read at cue level."""
    spans: list[tuple[float, float, str | None]] = []
    starts: list[_Start] = []
    last_end, timed, untimed = 0.0, 0, 0
    for begin, end, pieces in events:
        last_end = max(last_end, end)
        pieces = [(text, offset) for text, offset in pieces if text.strip()]
        if not pieces:
            continue
        cue = len(spans)
        spans.append((begin, end, None))
        text = "".join(text for text, _ in pieces)
        if len(text.split()) > 1 and all(offset is None for _, offset in pieces[1:]):
            untimed += 1
            starts += [(word.text, word.start, cue) for word in spread(text, begin, end)]
            continue
        timed += 1
        starts += [(text, begin + (offset or 0.0), cue) for text, offset in pieces]
    cues = _cues_with_ends(spans, starts, last_end)
    return Transcript(path, kind, cues, word_level=timed >= untimed, exact_ends=False)


def _seconds_or_none(milliseconds: float | str | None) -> float | None:
    return None if milliseconds is None else float(milliseconds) / 1000


def parse_json3(path: Path, data: dict) -> Transcript:
    """``{"events": [{"tStartMs", "dDurationMs", "segs": [{"utf8", "tOffsetMs"}]}]}``."""
    events: list[Event] = []
    for event in data.get("events") or []:
        if not isinstance(event, dict) or "segs" not in event:
            continue  # window definitions
        begin = float(event["tStartMs"]) / 1000
        end = begin + float(event.get("dDurationMs", 0)) / 1000
        pieces = [
            (str(s.get("utf8", "")), _seconds_or_none(s.get("tOffsetMs"))) for s in event["segs"]
        ]
        events.append((begin, end, pieces))
    return _event_transcript(path, "json3", events)


def parse_srv3(path: Path, text: str) -> Transcript:
    """``<timedtext><body><p t="ms" d="ms"><s t="offset ms">word</s>...</p>``."""
    events: list[Event] = []
    for p in ElementTree.fromstring(text).iter("p"):
        begin = float(p.get("t", 0)) / 1000
        end = begin + float(p.get("d", 0)) / 1000
        segments = list(p.iter("s"))
        pieces = [(s.text or "", _seconds_or_none(s.get("t"))) for s in segments]
        events.append((begin, end, pieces or [(p.text or "", None)]))
    return _event_transcript(path, "srv3", events)


# ------------------------------------------------------------------ JSON segments


def parse_whisper(path: Path, data: dict) -> Transcript:
    """``{"segments": [{"start", "end", "text", "speaker", "words": [{"word",
    "start", "end", "speaker"}]}]}``. WhisperX leaves numbers without times:
    they are placed after the word before. A segment whose words change
    speaker (diarisation) is cut into one cue per speaker."""
    segments = data.get("segments")
    if not isinstance(segments, list):
        raise ValueError("no 'segments' list")
    word_level = all(isinstance(seg.get("words"), list) for seg in segments)
    cues: list[Cue] = []
    for seg in segments:
        start, end = float(seg["start"]), float(seg["end"])
        speaker = _label(seg.get("speaker"))
        if not word_level:
            cues.append(Cue(start, end, " ".join(str(seg["text"]).split()), speaker))
            continue
        runs: list[tuple[str | None, list[Word]]] = []
        last = cues[-1].words[-1].end if cues and cues[-1].words else start
        for item in seg["words"]:
            text = str(item.get("word", item.get("text", ""))).strip()
            if not text:
                continue
            if "start" in item and "end" in item:
                word = Word(text, float(item["start"]), float(item["end"]))
            else:
                word = Word(text, last, last)
            last = word.end
            who = _label(item.get("speaker")) or speaker
            if not runs or runs[-1][0] != who:
                runs.append((who, []))
            runs[-1][1].append(word)
        cues += [
            Cue(words[0].start, words[-1].end, " ".join(w.text for w in words), who, tuple(words))
            for who, words in runs
        ]
    return Transcript(path, "whisper", tuple(cues), word_level=word_level)


def parse_podcast_json(path: Path, data: dict) -> Transcript:
    """Podcasting 2.0 JSON: ``{"segments": [{"speaker", "startTime", "endTime",
    "body"}]}``. Many files hold one word per segment: those are word times."""
    cues = []
    for seg in data["segments"]:
        text = " ".join(str(seg.get("body", "")).split())
        if text:
            start, end = float(seg["startTime"]), float(seg["endTime"])
            cues.append(Cue(start, end, text, _label(seg.get("speaker"))))
    single = sum(len(cue.text.split()) == 1 for cue in cues)
    if cues and single >= 0.8 * len(cues):
        cues = [
            Cue(c.start, c.end, c.text, c.speaker, tuple(spread(c.text, c.start, c.end)))
            for c in cues
            if c.start is not None and c.end is not None
        ]
        return Transcript(path, "podcast-json", tuple(cues), word_level=True)
    return Transcript(path, "podcast-json", tuple(cues))


def parse_json(path: Path, text: str) -> Transcript:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    if "events" in data:
        return parse_json3(path, data)
    segments = data.get("segments")
    first = segments[0] if isinstance(segments, list) and segments else None
    if isinstance(first, dict) and ("startTime" in first or "body" in first):
        return parse_podcast_json(path, data)
    return parse_whisper(path, data)


# ------------------------------------------------------------------ speaker labels

# A speaker label: a few capitalised words, or a diarisation label.
_SPEAKER = r"[A-Z][\w.'’-]*(?: [A-Z0-9][\w.'’-]*){0,3}|SPEAKER_\d+|[Ss]peaker \d+"
# "Jane Doe: text", "SPEAKER_00: text", "[Jane Doe] text", ">> JANE: text".
_PREFIX = re.compile(
    rf"^(?:>>\s*)?(?:\[(?P<bracket>[^\]\d][^\]]{{0,39}})\]|(?P<name>{_SPEAKER})\s*:)\s+(?P<text>\S.*)$"
)


def _label(value: object) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _prefix(line: str) -> tuple[str | None, str]:
    """``(label, text)`` of a line that starts with a speaker label."""
    match = _PREFIX.match(line.strip())
    if not match:
        return None, line.strip()
    return (match.group("bracket") or match.group("name")).strip(), match.group("text")


def _speaker_labels(lines: list[str]) -> set[str]:
    """The prefixes that are speaker labels: those that open two lines or
    more, or the very first line ("Note: ..." once is text, not a speaker)."""
    found = [label for label, _ in map(_prefix, lines) if label]
    counts = Counter(found)
    first = _prefix(lines[0])[0] if lines else None
    return {label for label, n in counts.items() if n >= 2 or label == first}


# ------------------------------------------------------------------ VTT / SRT

_CUE_TIME = re.compile(
    r"^\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{3})\s*-->\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{3})"
)
_INLINE = re.compile(r"<((?:\d+:)?\d{1,2}:\d{2}\.\d{3})>")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]*>")


def clock_seconds(value: str) -> float:
    parts = value.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def _raw_cues(text: str) -> list[tuple[float, float, list[str]]]:
    """(start, end, text lines) of each cue. A cue runs from its timing line
    to a blank line or the next timing line (a number just before a timing
    line is that cue's identifier, not text)."""
    cues: list[tuple[float, float, list[str]]] = []
    for block in re.split(r"\n\n+", text.replace("\r\n", "\n")):
        lines = block.strip("\n").split("\n")
        for i, line in enumerate(lines):
            match = _CUE_TIME.match(line)
            if not match:
                continue
            if i >= 2 and cues and cues[-1][2] and lines[i - 1].strip().isdigit():
                cues[-1][2].pop()
            start, end = clock_seconds(match.group(1)), clock_seconds(match.group(2))
            cues.append((start, end, []))
            following = lines[i + 1 :]
            stop = next((j for j, x in enumerate(following) if _CUE_TIME.match(x)), None)
            cues[-1][2].extend(x for x in following[:stop] if x.strip())
    return cues


def parse_vtt(path: Path, text: str, kind: str = "vtt") -> Transcript:
    """YouTube's word-timed VTT, else cues with voices or ``Name:`` prefixes
    (SRT is read the same way)."""
    raw = _raw_cues(text)
    if not raw:
        raise ValueError("no cues")
    if any(_is_new_words(line) for _, _, lines in raw for line in lines):
        return _inline_words(path, kind, raw)
    labels = _speaker_labels([line for _, _, lines in raw for line in lines])
    cues: list[Cue] = []
    for start, end, lines in raw:
        cues += _voiced_cues(start, end, lines, labels)
    return Transcript(path, kind, tuple(cues))


def _voiced_cues(start: float, end: float, lines: list[str], labels: set[str]) -> list[Cue]:
    """One cue per speaker in a cue's lines (a voice or a label opens a new
    speaker; other lines continue the current one), its time shared by length."""
    runs: list[tuple[str | None, list[str]]] = []
    for line in lines:
        voice = _VOICE.search(line)
        label, rest = (voice.group(1).strip(), line) if voice else _prefix(line)
        if label is not None and (voice or label in labels):
            runs.append((label, []))
            line = rest
        elif not runs:
            runs.append((None, []))
        runs[-1][1].append(" ".join(_TAG.sub("", line).split()))
    texts = [(who, " ".join(filter(None, parts))) for who, parts in runs]
    texts = [(who, text) for who, text in texts if text]
    total = sum(len(text) + 1 for _, text in texts)
    cues, elapsed = [], 0
    for who, text in texts:
        a = start + (end - start) * elapsed / total
        elapsed += len(text) + 1
        cues.append(Cue(a, start + (end - start) * elapsed / total, text, who))
    return cues


def _inline_words(path: Path, kind: str, raw: list[tuple[float, float, list[str]]]) -> Transcript:
    """Only lines with inline tags hold new words; the others repeat the
    previous cue's text (how YouTube scrolls its captions). A line's first
    word starts with its cue; words between two times share the stretch."""
    spans: list[tuple[float, float, str | None]] = []
    starts: list[_Start] = []
    last_end = 0.0
    for start, end, lines in raw:
        last_end = max(last_end, end)
        new = list(filter(_is_new_words, lines))
        if not new:
            continue
        cue = len(spans)
        spans.append((start, end, None))
        for line in new:
            pieces = _INLINE.split(line)
            times = [start, *(clock_seconds(at) for at in pieces[1::2])]
            for text, a, b in zip(pieces[::2], times, [*times[1:], end], strict=True):
                words = spread(_TAG.sub("", text), a, max(a, b))
                starts += [(w.text, w.start, cue) for w in words]
    cues = _cues_with_ends(spans, starts, last_end)
    return Transcript(path, kind, cues, word_level=True, exact_ends=False)


def _is_new_words(line: str) -> bool:
    return bool(_INLINE.search(line)) or "<c>" in line


# ------------------------------------------------------------------ plain text

_CLOCK = r"[(\[]?(?P<time>\d{1,2}:\d{2}(?::\d{2})?)(?:[.,]\d+)?[)\]]?"
_NAME = rf"(?P<name>{_SPEAKER})"
# Paragraph openers: a time, and maybe a speaker and the first text.
_HEADS = (
    # Otter / Riverside: "Jane Doe  0:03" or "Jane Doe (00:03):" on its own line
    re.compile(rf"^{_NAME}(?:\s+|\s*-\s*){_CLOCK}\s*:?$"),
    # Zoom / Descript: "[00:00:03] Jane Doe: text", "00:03 Jane: text"
    re.compile(rf"^{_CLOCK}\s+{_NAME}\s*:\s*(?P<text>.*)$"),
    # Zoom's text export: "[Jane Doe] 10:02:03"
    re.compile(rf"^\[(?P<name>[^\]\d][^\]]{{0,39}})\]\s*{_CLOCK}\s*:?$"),
    # "Jane Doe (00:03): text"
    re.compile(rf"^{_NAME}\s*{_CLOCK}\s*:\s*(?P<text>.*)$"),
    # a time alone on its line, or "[00:03] text" (a bare "10:30 is late" is text)
    re.compile(rf"^{_CLOCK}$"),
    re.compile(r"^[(\[](?P<time>\d{1,2}:\d{2}(?::\d{2})?)(?:[.,]\d+)?[)\]]\s*(?P<text>.*)$"),
)


def parse_text(path: Path, text: str) -> Transcript:
    """Paragraphs opened by a speaker and/or a timestamp; a paragraph that
    names nobody continues the speaker before it. Times a paragraph lacks
    stay None (the episode stage spreads them by word count)."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    labels = _speaker_labels([line for line in lines if line])
    paragraphs: list[list] = []  # [time, speaker, [texts]]
    for line in lines:
        if not line:
            if paragraphs and paragraphs[-1][2]:
                paragraphs.append([None, None, []])
            continue
        time, who, rest = _text_head(line, labels)
        if time is None and who is None:
            if not paragraphs:
                paragraphs.append([None, None, []])
            paragraphs[-1][2].append(rest)
            continue
        if paragraphs and not paragraphs[-1][2]:  # a head with no text yet: one paragraph
            before_time, before_who, _ = paragraphs.pop()
            time = time if time is not None else before_time
            who = who or before_who
        paragraphs.append([time, who, [rest] if rest else []])
    cues = [
        Cue(time, None, " ".join(" ".join(texts).split()), who)
        for time, who, texts in paragraphs
        if texts
    ]
    return Transcript(path, "text", tuple(_close_times(cues)))


def _text_head(line: str, labels: set[str]) -> tuple[float | None, str | None, str]:
    """``(time, speaker, text)`` of a line that opens a paragraph, else ``(None, None, line)``."""
    for pattern in _HEADS:
        match = pattern.match(line)
        if match:
            found = match.groupdict()
            text = (found.get("text") or "").strip()
            return parse_time(found["time"]), _label(found.get("name")), text
    who, rest = _prefix(line)
    if who in labels:
        return None, who, rest
    return None, None, line


def _close_times(cues: list[Cue]) -> list[Cue]:
    """A timed paragraph ends where the next timed one starts."""
    closed = []
    for i, cue in enumerate(cues):
        following = next((c.start for c in cues[i + 1 :] if c.start is not None), None)
        end = following if cue.start is not None and following is not None else None
        closed.append(Cue(cue.start, end, cue.text, cue.speaker))
    return closed


# ------------------------------------------------------------------ entry points


def parse_transcript(path: Path, text: str) -> Transcript:
    """The cues of ``text``, read as the format its suffix names, else as the
    format its content shows; raises ValueError when no format fits."""
    suffix = path.suffix.lower()
    head = text.lstrip()[:200]
    if suffix in (".json3", ".json") or head.startswith("{"):
        return parse_json(path, text)
    if suffix == ".srv3" or head.startswith("<"):
        return parse_srv3(path, text)
    if suffix == ".vtt" or head.startswith("WEBVTT"):
        return parse_vtt(path, text)
    if suffix == ".srt" or (suffix != ".txt" and _CUE_TIME.search(text[:2000] or "")):
        return parse_vtt(path, text, "srt")
    if suffix in (".txt", ".md", ""):
        return parse_text(path, text)
    raise ValueError(f"unknown transcript format {suffix}")


def read_transcript(path: Path | str, what: str = "transcript") -> Transcript:
    """The cues of a transcript file; raises ClipperError naming it (as
    ``what``) when it cannot be read, is in no known format, or has no words."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_TRANSCRIPT_BYTES:
            raise ValueError("file too large")
        result = parse_transcript(path, decode_text(path.read_bytes()))
    except UnicodeDecodeError as exc:
        raise ClipperError(f"{path}: malformed {what} (not UTF-8 text, byte {exc.start})") from None
    except OSError as exc:
        raise ClipperError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    except (ValueError, KeyError, TypeError, AttributeError, ElementTree.ParseError) as exc:
        raise ClipperError(f"{path}: malformed {what} ({_reason(exc)})") from None
    if not any(cue.text.strip() for cue in result.cues):
        raise ClipperError(f"{path}: malformed {what} (no words in it)")
    return result


def decode_text(raw: bytes) -> str:
    """A text file's bytes as text: UTF-8, or UTF-16 when it starts with that
    byte-order mark (as Windows tools save it). Raises ValueError for an
    empty or binary file, UnicodeDecodeError for text in another encoding."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    if not raw.strip():
        raise ValueError("empty file")
    if b"\x00" in raw[:4096]:
        raise ValueError("binary file, not text")
    return raw.decode("utf-8-sig")


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing {exc}"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def captions_beside(media: Path, names: tuple[str, ...] = (), lang: str = "en") -> Path | None:
    """A captions file next to ``media``: ``<stem>.<lang>.<format>`` for the
    media's stem or any of ``names``; ``lang`` first, then any language;
    formats in order of :data:`CAPTION_SUFFIXES` (word-timed ones first)."""
    return _beside(media, names, (f".{lang}", ".*"), CAPTION_SUFFIXES)


def transcript_beside(media: Path, names: tuple[str, ...] = (), lang: str = "en") -> Path | None:
    """A transcript or captions file next to ``media``: as :func:`captions_beside`,
    then ``<stem>.<format>`` without a language, any of :data:`TRANSCRIPT_SUFFIXES`."""
    return _beside(media, names, (f".{lang}", ".*", ""), TRANSCRIPT_SUFFIXES)


def _beside(
    media: Path, names: tuple[str, ...], languages: tuple[str, ...], suffixes: tuple[str, ...]
) -> Path | None:
    stems = (media.stem, *names)
    for language in languages:
        for suffix in suffixes:
            for stem in stems:
                found = sorted(media.parent.glob(f"{glob_escape(stem)}{language}{suffix}"))
                found = [path for path in found if path != media and path.is_file()]
                if found:
                    return found[0]
    return None


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)
