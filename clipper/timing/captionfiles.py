"""Read word times from captions files.

Formats: YouTube automatic captions as yt-dlp saves them (json3, srv3, and
VTT whose cues carry inline ``<00:00:01.234><c> word</c>`` start times),
whisper / WhisperX JSON with per-word times, and plain SRT/VTT, whose cue
times are spread over the cue's words by length (``word_level`` is then
False and the result is only as good as the cues).

YouTube gives when each word starts, not when it ends: a word is taken to end
at the next word's start or after a length-based estimate, whichever is
first (``exact_ends`` False), and the timing stage refines such ends against
the audio's silences when it has the media.

Every parser raises :class:`ClipperError` naming the file for input it cannot
read, so a bad file costs one warning, never a crash.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

from clipper.errors import ClipperError
from clipper.timing.model import Word

CAPTION_SUFFIXES = (".json3", ".srv3", ".vtt", ".json", ".srt")
MAX_CAPTIONS_BYTES = 50_000_000
SECONDS_PER_CHAR = 0.065  # a spoken word lasts about this per letter, plus a base
WORD_BASE_SECONDS = 0.12
LONGEST_WORD = 1.2


@dataclass(frozen=True)
class CaptionWords:
    """The words of a captions file, in time order."""

    path: Path
    words: tuple[Word, ...]
    word_level: bool = True
    exact_ends: bool = True


def estimated_end(text: str, start: float, next_start: float | None) -> float:
    """When a word whose start alone is known probably ends."""
    guess = start + min(LONGEST_WORD, WORD_BASE_SECONDS + SECONDS_PER_CHAR * len(text))
    return guess if next_start is None else max(start, min(guess, next_start))


def _with_ends(starts: list[tuple[str, float]], last_end: float | None) -> tuple[Word, ...]:
    """Words from (text, start) pairs: each ends at its estimate or the next start."""
    starts = sorted(((t.strip(), s) for t, s in starts if t.strip()), key=lambda p: p[1])
    words = []
    for i, (text, start) in enumerate(starts):
        following = starts[i + 1][1] if i + 1 < len(starts) else last_end
        words.append(Word(text, start, estimated_end(text, start, following)))
    return tuple(words)


def _spread(text: str, start: float, end: float) -> list[Word]:
    """A cue's words over its time, each in proportion to its length."""
    parts = text.split()
    total = sum(len(p) + 1 for p in parts)
    words, elapsed = [], 0
    for part in parts:
        a = start + (end - start) * elapsed / total
        elapsed += len(part) + 1
        words.append(Word(part, a, start + (end - start) * elapsed / total))
    return words


# ------------------------------------------------------------------ YouTube json3 / srv3


# One caption event: its start and end, and its pieces of text, each with its
# offset from the start (None when the piece is not timed).
Event = tuple[float, float, list[tuple[str, float | None]]]


def _event_words(path: Path, events: list[Event]) -> CaptionWords:
    """Automatic captions time every word after an event's first; an event
    whose words carry no offsets (uploaded captions) is spread over its
    duration, and a file mostly made of those is read at cue level."""
    starts, last_end, timed, untimed = [], 0.0, 0, 0
    for begin, end, pieces in events:
        last_end = max(last_end, end)
        pieces = [(text, offset) for text, offset in pieces if text.strip()]
        text = "".join(text for text, _ in pieces)
        if len(text.split()) > 1 and all(offset is None for _, offset in pieces[1:]):
            untimed += 1
            starts += [(word.text, word.start) for word in _spread(text, begin, end)]
            continue
        timed += bool(pieces)
        starts += [(text, begin + (offset or 0.0)) for text, offset in pieces]
    words = _with_ends(starts, last_end)
    return CaptionWords(path, words, word_level=timed >= untimed, exact_ends=False)


def _seconds_or_none(milliseconds: float | str | None) -> float | None:
    return None if milliseconds is None else float(milliseconds) / 1000


def parse_json3(path: Path, data: dict) -> CaptionWords:
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
    return _event_words(path, events)


def parse_srv3(path: Path, text: str) -> CaptionWords:
    """``<timedtext><body><p t="ms" d="ms"><s t="offset ms">word</s>...</p>``."""
    events: list[Event] = []
    for p in ElementTree.fromstring(text).iter("p"):
        begin = float(p.get("t", 0)) / 1000
        end = begin + float(p.get("d", 0)) / 1000
        segments = list(p.iter("s"))
        pieces = [(s.text or "", _seconds_or_none(s.get("t"))) for s in segments]
        events.append((begin, end, pieces or [(p.text or "", None)]))
    return _event_words(path, events)


# ------------------------------------------------------------------ whisper / WhisperX


def parse_whisper(path: Path, data: dict) -> CaptionWords:
    """``{"segments": [{"start", "end", "text", "words": [{"word", "start", "end"}]}]}``;
    WhisperX leaves numbers without times: they are placed between their neighbours."""
    segments = data.get("segments")
    if not isinstance(segments, list):
        raise ValueError("no 'segments' list")
    words: list[Word] = []
    word_level = all(isinstance(seg.get("words"), list) for seg in segments)
    for seg in segments:
        if not word_level:
            words += _spread(str(seg["text"]), float(seg["start"]), float(seg["end"]))
            continue
        for item in seg["words"]:
            text = str(item.get("word", item.get("text", ""))).strip()
            if not text:
                continue
            if "start" in item and "end" in item:
                words.append(Word(text, float(item["start"]), float(item["end"])))
            else:
                at = words[-1].end if words else float(seg["start"])
                words.append(Word(text, at, at))
    return CaptionWords(path, tuple(words), word_level=word_level)


# ------------------------------------------------------------------ VTT / SRT

_CUE_TIME = re.compile(
    r"^\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{3})\s*-->\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{3})"
)
_INLINE = re.compile(r"<((?:\d+:)?\d{1,2}:\d{2}\.\d{3})>")
_TAG = re.compile(r"</?[^>]*>")


def clock_seconds(value: str) -> float:
    parts = value.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def _cues(text: str) -> list[tuple[float, float, list[str]]]:
    cues: list[tuple[float, float, list[str]]] = []
    for block in re.split(r"\n\n+", text.replace("\r\n", "\n")):
        lines = block.strip("\n").split("\n")
        for i, line in enumerate(lines):
            match = _CUE_TIME.match(line)
            if match:
                start, end = clock_seconds(match.group(1)), clock_seconds(match.group(2))
                cues.append((start, end, [x for x in lines[i + 1 :] if x.strip()]))
                break
    return cues


def parse_vtt(path: Path, text: str) -> CaptionWords:
    """YouTube's word-timed VTT, else plain cues (SRT is read the same way)."""
    cues = _cues(text)
    if not cues:
        raise ValueError("no cues")
    if any(_is_new_words(line) for _, _, lines in cues for line in lines):
        return _inline_words(path, cues)
    words = []
    for start, end, lines in cues:
        words += _spread(_TAG.sub("", " ".join(lines)), start, end)
    return CaptionWords(path, tuple(words), word_level=False)


def _inline_words(path: Path, cues: list[tuple[float, float, list[str]]]) -> CaptionWords:
    """Only lines with inline tags hold new words; the others repeat the
    previous cue's text (how YouTube scrolls its captions). A line's first
    word starts with its cue; words between two times share the stretch."""
    starts, last_end = [], 0.0
    for start, end, lines in cues:
        last_end = max(last_end, end)
        for line in filter(_is_new_words, lines):
            pieces = _INLINE.split(line)
            times = [start, *(clock_seconds(at) for at in pieces[1::2])]
            for text, a, b in zip(pieces[::2], times, [*times[1:], end], strict=True):
                starts += [(w.text, w.start) for w in _spread(_TAG.sub("", text), a, max(a, b))]
    return CaptionWords(path, _with_ends(starts, last_end), exact_ends=False)


def _is_new_words(line: str) -> bool:
    return bool(_INLINE.search(line)) or "<c>" in line


# ------------------------------------------------------------------ entry points


def read_captions(path: Path | str) -> CaptionWords:
    """The words of a captions file; raises ClipperError naming it when unreadable."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_CAPTIONS_BYTES:
            raise ValueError("file too large")
        text = path.read_text(encoding="utf-8-sig")
        suffix = path.suffix.lower()
        if suffix in (".json3", ".json"):
            data = json.loads(text)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            result = parse_json3(path, data) if "events" in data else parse_whisper(path, data)
        elif suffix == ".srv3" or text.lstrip().startswith("<"):
            result = parse_srv3(path, text)
        elif suffix in (".vtt", ".srt"):
            result = parse_vtt(path, text)
        else:
            raise ValueError(f"unknown captions format {suffix or '(no suffix)'}")
    except (OSError, UnicodeDecodeError) as exc:
        raise ClipperError(f"{path}: cannot read captions: {exc.strerror or exc}") from None
    except (ValueError, KeyError, TypeError, AttributeError, ElementTree.ParseError) as exc:
        raise ClipperError(f"{path}: malformed captions file ({_reason(exc)})") from None
    if not result.words:
        raise ClipperError(f"{path}: malformed captions file (no timed words)")
    return result


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing {exc}"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


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


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)
