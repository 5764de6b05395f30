"""clipper's transcript parsers against webvtt-py and srt, on what matters here.

A one-hour conversation (two speakers, about 9,000 words) is written as a VTT
with voices and as an SRT with "Name:" prefixes, cut into cues of 14 words
wherever that falls, with about one cue in ten changing speaker inside it (as
captioners do). Each parser reads both files (best of ``--repeat``, same run);
the report gives the time ratio and how many words each attributes to the
wrong speaker. YouTube's word-timed VTT (the speech fixture) is read too:
how many distinct words with their own start time each parser yields.

    pip install webvtt-py srt   # the 'bench' extra
    python benchmarks/bench_transcripts.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from clipper.episode.transcripts import read_transcript

PROJECT = Path(__file__).resolve().parents[1]
SAMPLE = (
    "data teams ship small things often and measure what people actually use every week "
    "because nobody reads a dashboard they did not ask for so we start with the decision"
)
WORDS = SAMPLE.split()
SPEAKERS = ("Hosty McHost", "Jane Doe")
YOUTUBE_VTT = PROJECT / "tests" / "fixtures" / "speech" / "captions" / "speech-fixture.en.vtt"


def conversation(seconds: float = 3600.0, seed: int = 7) -> list[tuple[str, str]]:
    """(speaker, word) for an hour of talk at 2.5 words a second."""
    rng = random.Random(seed)
    spoken, speaker = [], 0
    for i in range(int(seconds * 2.5)):
        if rng.random() < 0.01:
            speaker = 1 - speaker
        word = rng.choice(WORDS)
        spoken.append((SPEAKERS[speaker], word + ("." if i % 12 == 11 else "")))
    return spoken


def stamp(seconds: float, comma: bool) -> str:
    ms = round(seconds * 1000)
    text = f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"
    return text.replace(".", ",") if comma else text


def cues(spoken: list[tuple[str, str]], size: int = 14):
    for first in range(0, len(spoken), size):
        chunk = spoken[first : first + size]
        runs: list[tuple[str, list[str]]] = []
        for who, word in chunk:
            if not runs or runs[-1][0] != who:
                runs.append((who, []))
            runs[-1][1].append(word)
        yield first / 2.5, (first + len(chunk)) / 2.5, runs


def write_vtt(spoken) -> str:
    out = ["WEBVTT", ""]
    for start, end, runs in cues(spoken):
        out.append(f"{stamp(start, False)} --> {stamp(end, False)}")
        out += [f"<v {who}>{' '.join(words)}" for who, words in runs]
        out.append("")
    return "\n".join(out)


def write_srt(spoken) -> str:
    out = []
    for number, (start, end, runs) in enumerate(cues(spoken), 1):
        out += [str(number), f"{stamp(start, True)} --> {stamp(end, True)}"]
        out += [f"{who}: {' '.join(words)}" for who, words in runs]
        out.append("")
    return "\n".join(out)


# Each reader gives (speaker, word) pairs in order.
def ours(path: Path) -> list[tuple[str | None, str]]:
    pairs, who = [], None
    for cue in read_transcript(path).cues:
        who = cue.speaker or who
        pairs += [(who, word) for word in cue.text.split()]
    return pairs


def with_webvtt(path: Path) -> list[tuple[str | None, str]]:
    import webvtt

    captions = webvtt.from_buffer(io.StringIO(path.read_text(encoding="utf-8")))
    return [(c.voice, word) for c in captions for word in c.text.split()]


def with_srt(path: Path) -> list[tuple[str | None, str]]:
    import srt

    pairs, who = [], None
    for subtitle in srt.parse(path.read_text(encoding="utf-8")):
        for line in subtitle.content.splitlines():
            name, sep, rest = line.partition(": ")
            if sep and name in SPEAKERS:  # srt leaves speaker prefixes to the caller
                who, line = name, rest
            pairs += [(who, word) for word in line.split()]
    return pairs


def best(job: Callable[[Path], object], path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        job(path)
        times.append(time.perf_counter() - start)
    return min(times)


def wrong_speakers(pairs, spoken) -> int:
    if len(pairs) != len(spoken):
        return -1
    return sum(a[0] != b[0] for a, b in zip(pairs, spoken, strict=True))


def timed_words(job: Callable[[Path], object]) -> str:
    if job is ours:
        words = read_transcript(YOUTUBE_VTT).words
        return f"{len(words)} words, each with its own start"
    import webvtt

    captions = webvtt.read(str(YOUTUBE_VTT))
    words = sum(len(c.text.split()) for c in captions)
    return f"{len(captions)} cues, {words} words (repeated lines included), no word times"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    spoken = conversation()
    with tempfile.TemporaryDirectory() as folder:
        vtt, srt_path = Path(folder) / "hour.vtt", Path(folder) / "hour.srt"
        vtt.write_text(write_vtt(spoken), encoding="utf-8")
        srt_path.write_text(write_srt(spoken), encoding="utf-8")
        print(f"one hour: {len(spoken)} words, {sum(1 for _ in cues(spoken))} cues")
        for name, path, theirs in (("VTT", vtt, with_webvtt), ("SRT", srt_path, with_srt)):
            mine_s, their_s = best(ours, path, args.repeat), best(theirs, path, args.repeat)
            label = "webvtt-py" if theirs is with_webvtt else "srt"
            print(
                f"{name}: clipper {mine_s * 1000:.0f} ms, {label} {their_s * 1000:.0f} ms "
                f"(clipper/{label} = {mine_s / their_s:.2f}x); words given the wrong speaker: "
                f"clipper {wrong_speakers(ours(path), spoken)}, "
                f"{label} {wrong_speakers(theirs(path), spoken)}"
            )
    print(f"YouTube word-timed VTT: clipper {timed_words(ours)}")
    print(f"YouTube word-timed VTT: webvtt-py {timed_words(with_webvtt)}")


if __name__ == "__main__":
    main()
