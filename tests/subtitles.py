"""Strict SRT and WebVTT readers for the tests: any deviation from the format fails."""

from __future__ import annotations

import itertools
import re

Cue = tuple[float, float, tuple[str, ...]]

_SRT_TIME = re.compile(
    r"^(\d\d):([0-5]\d):([0-5]\d),(\d{3}) --> (\d\d):([0-5]\d):([0-5]\d),(\d{3})$"
)
_VTT_TIME = re.compile(
    r"^(\d\d):([0-5]\d):([0-5]\d)\.(\d{3}) --> (\d\d):([0-5]\d):([0-5]\d)\.(\d{3})$"
)


def _seconds(parts: tuple[str, ...]) -> float:
    hours, minutes, seconds, millis = map(int, parts)
    return hours * 3600 + minutes * 60 + seconds + millis / 1000


def _cue(timing: re.Pattern, lines: list[str], where: str) -> Cue:
    match = timing.match(lines[0])
    assert match, f"{where}: bad timing line {lines[0]!r}"
    start, end = _seconds(match.groups()[:4]), _seconds(match.groups()[4:])
    assert end > start, f"{where}: cue ends before it starts"
    text = tuple(lines[1:])
    assert text and all(line.strip() == line and line for line in text), f"{where}: bad text"
    return start, end, text


def _checked(cues: list[Cue]) -> list[Cue]:
    for (_, end, _), (start, _, _) in itertools.pairwise(cues):
        assert start >= end, "cues overlap"
    return cues


def parse_srt(text: str) -> list[Cue]:
    assert text.endswith("\n") and "\r" not in text
    cues = []
    for number, block in enumerate(text.rstrip("\n").split("\n\n"), 1):
        lines = block.split("\n")
        assert lines[0] == str(number), f"cue {number}: numbered {lines[0]!r}"
        cues.append(_cue(_SRT_TIME, lines[1:], f"cue {number}"))
    return _checked(cues)


_INLINE = re.compile(r"<(\d\d):([0-5]\d):([0-5]\d)\.(\d{3})>")


def vtt_word_times(text: str) -> list[list[float]]:
    """The inline word timestamps of each cue (``<00:00:01.234>``), checked to
    lie strictly inside their cue and to increase."""
    blocks = text[len("WEBVTT\n\n") :].rstrip("\n").split("\n\n")
    times = []
    for block in blocks:
        match = _VTT_TIME.match(block.split("\n")[0])
        start, end = _seconds(match.groups()[:4]), _seconds(match.groups()[4:])
        inline = [_seconds(m.groups()) for m in _INLINE.finditer(block)]
        assert all(start < t < end for t in inline), f"inline time outside {start}-{end}"
        assert inline == sorted(set(inline)), "inline times not increasing"
        times.append(inline)
    return times


def parse_vtt(text: str) -> list[Cue]:
    """Cues of a WebVTT file; inline word timestamps are checked and removed."""
    assert text.startswith("WEBVTT\n\n") and text.endswith("\n")
    vtt_word_times(text)
    blocks = _INLINE.sub("", text)[len("WEBVTT\n\n") :].rstrip("\n").split("\n\n")
    return _checked([_cue(_VTT_TIME, b.split("\n"), f"cue {i}") for i, b in enumerate(blocks, 1)])
