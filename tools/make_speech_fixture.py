"""Generate the word-timing test fixture (``tests/fixtures/speech``).

Run from the project root (needs Debian's ``festival`` and ``festvox-us-slt-hts``)::

    python tools/make_speech_fixture.py

Real podcast transcripts are edited: fillers removed, "didn't" written "did not",
repeats dropped, numbers written as digits. This fixture speaks a verbatim script
(with those differences, tempo changes and pauses of varied length) and records
when every spoken word starts and ends, so timing and cutting can be measured
against the truth. It writes:

- ``_podcast/speech-fixture.md`` (+ ``_people/``): the episode, whose transcript
  is the *edited* text in a few long lines, each timed to the whole second like
  the real site;
- ``video/speech-fixture.mp4``: a tiny 25 fps video carrying the speech;
- ``captions/speech-fixture.en.json3`` and ``.vtt``: YouTube-style automatic
  captions (word start times only, a little jitter, a few misrecognised words);
- ``truth.json``: every spoken word's time (``filler`` marks the words the
  transcript leaves out), the 10 test sentences (taken from the middle of
  long lines) with their true bounds and their neighbours', and the ``edits``
  quote (two sentences with a long pause between them and a "like" filler
  inside) with its fillers and pauses, for tight cuts.

In ``spoken``, ``[...]`` marks the fillers (the brackets are not said).

Festival reports each word's start and end (utterance ``Word`` relation); a
sentence's tempo change is applied with ffmpeg's ``atempo``, which scales its
word times by the same factor.
"""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "speech"
SLUG = "speech-fixture"
RATE = 16000
EDGE = 0.03  # seconds of festival's own silence kept around each sentence
LEAD_IN = 0.6
TAIL = 1.0
FILLERS = {"um", "uh"}


@dataclass(frozen=True)
class Sentence:
    """``text`` as the transcript writes it, ``spoken`` as said (fillers in
    brackets); ``tempo`` > 1 is faster; ``pause`` is the silence after it;
    ``test`` marks a measured one, ``edit`` one of the tight-cuts quote."""

    text: str
    spoken: str
    tempo: float = 1.0
    pause: float = 0.35
    test: bool = False
    edit: bool = False

    @property
    def said(self) -> str:
        return self.spoken.replace("[", "").replace("]", "")

    @property
    def filler_flags(self) -> list[bool]:
        """For each spoken word: is it a filler (inside brackets)?"""
        flags, inside = [], False
        for token in self.spoken.split():
            inside = inside or token.startswith("[")
            flags.append(inside)
            inside = inside and not token.rstrip(",.").endswith("]")
        return flags


def s(text: str, spoken: str | None = None, **kwargs) -> Sentence:
    return Sentence(text, spoken or text, **kwargs)


SCRIPT: list[tuple[str, list[Sentence]]] = [
    (
        "Mara",
        [
            s("Welcome back to the show.", pause=0.4),
            s(
                "Today we talk about moving into data engineering.",
                "So today we talk about moving into data engineering.",
                pause=0.7,
            ),
            s("How did you get started?", pause=0.9),
        ],
    ),
    (
        "Ines",
        [
            s("I did not plan any of this.", "[Well,] I didn't plan any of this.", pause=0.45),
            s(
                "My first job was in a call centre, and I hated the spreadsheets "
                "we had to fill in.",
                "[Um,] my first job was in a call center, and I [I] hated the spreadsheets "
                "we had to fill in.",
                tempo=1.15,
                pause=0.3,
                test=True,
            ),
            s(
                "Then a friend showed me a free course on data engineering.",
                "Then a friend showed me a, [uh,] free course on data engineering.",
                tempo=0.9,
                pause=0.15,
                test=True,
            ),
            s(
                "It took me about 85% of my evenings for six months.",
                "It took me about eighty five percent of my evenings for six months.",
                pause=0.6,
                test=True,
            ),
            s("But it was worth it.", "But [you know,] it was worth it.", pause=0.25, test=True),
            s("Now I build pipelines every day.", pause=0.8),
        ],
    ),
    ("Mara", [s("What would you tell someone starting today?", pause=0.7)]),
    (
        "Ines",
        [
            s("Start small.", pause=0.3),
            s(
                "You do not need a big project to learn the basics.",
                "You don't need a big project to, [to] learn the basics.",
                tempo=1.2,
                pause=0.08,
                test=True,
            ),
            s(
                "Pick one dataset you care about and build something end to end.",
                "Pick one data set you care about and, [um,] build something end to end.",
                pause=0.4,
                test=True,
            ),
            s(
                "It is fine if it is ugly.",
                "It's fine if it's ugly.",
                tempo=1.25,
                pause=0.1,
                test=True,
            ),
            s(
                "What matters is that you finish it and show it to people.",
                "What matters is that you [actually] finish it and show it to people.",
                pause=0.3,
                test=True,
            ),
            s("That is how you get feedback.", "That's how you get feedback.", pause=0.8),
        ],
    ),
    ("Mara", [s("And what about the community?", pause=0.6)]),
    (
        "Ines",
        [
            s("The community was the best part.", pause=0.35),
            s(
                "I asked so many questions in the Slack channel in my first week.",
                "I asked so many, [so many] questions in the Slack channel in my first week.",
                tempo=0.85,
                pause=0.2,
                test=True,
            ),
            s(
                "People answered within minutes, even on weekends.",
                "People answered within minutes, [uh,] even on weekends.",
                pause=0.5,
                test=True,
            ),
            s("I still try to give that back."),
        ],
    ),
    ("Mara", [s("Any last advice for people starting out?", pause=0.6)]),
    (
        "Ines",
        [
            s("Write down what you learn.", pause=1.6, edit=True),
            s(
                "It helps you later, and it helps the next person too.",
                "It helps you, [like,] later, and it helps the next person too.",
                pause=0.5,
                edit=True,
            ),
            s("That is really all."),
        ],
    ),
]

# What a YouTube-style recogniser gets wrong (spoken word -> caption word).
MISHEARD = {"slack": "slab", "basics": "basic", "weekends": "weekend", "hated": "heated"}
CAPTION_JITTER = 0.02  # seconds, uniform, on caption word starts


FESTIVAL_SCRIPT = """(voice_cmu_us_slt_arctic_hts)
(set! utt (utt.synth (eval (list 'Utterance 'Text "{text}"))))
(utt.save.wave utt "{wav}" 'riff)
(mapcar (lambda (w) (format t "%s %f %f\\n" (item.name w)
  (item.feat w "word_start") (item.feat w "word_end"))) (utt.relation.items utt 'Word))
"""


def ffmpeg(*args: str) -> None:
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", *args], check=True)


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path)) as fh:
        return np.frombuffer(fh.readframes(fh.getnframes()), dtype=np.int16)


def synthesise(text: str, tempo: float, tmp: Path) -> tuple[np.ndarray, list[tuple]]:
    """16 kHz samples of ``text`` at ``tempo``, trimmed to its words, and each
    word's (name, start, end) in those samples' seconds."""
    raw, scaled = tmp / "raw.wav", tmp / "scaled.wav"
    script = tmp / "say.scm"
    script.write_text(FESTIVAL_SCRIPT.format(text=text.replace('"', ""), wav=raw))
    out = subprocess.run(["festival", "-b", str(script)], capture_output=True, text=True)
    words = [(n, float(a), float(b)) for n, a, b in (r.split() for r in out.stdout.splitlines())]
    ffmpeg("-i", str(raw), "-af", f"atempo={tempo}", "-ar", str(RATE), "-ac", "1", str(scaled))
    samples = read_wav(scaled)
    first, last = words[0][1] / tempo - EDGE, words[-1][2] / tempo + EDGE
    clip = samples[int(first * RATE) : int(last * RATE)]
    return clip, [(n, a / tempo - first, b / tempo - first) for n, a, b in words]


def build() -> tuple[np.ndarray, list[dict], list[dict]]:
    """The whole recording, its spoken words, and its lines with sentence spans."""
    pieces, words, lines = [np.zeros(int(LEAD_IN * RATE), np.int16)], [], []
    clock = LEAD_IN
    with tempfile.TemporaryDirectory() as folder:
        for who, sentences in SCRIPT:
            line = {"who": who, "start": clock, "sentences": []}
            for sentence in sentences:
                audio, timed = synthesise(sentence.said, sentence.tempo, Path(folder))
                flags = sentence.filler_flags
                assert len(flags) == len(timed), (sentence.said, [n for n, _, _ in timed])
                first = len(words)
                words += [
                    {"text": n, "start": round(clock + a, 3), "end": round(clock + b, 3)}
                    | ({"filler": True} if filler else {})
                    for (n, a, b), filler in zip(timed, flags, strict=True)
                ]
                line["sentences"].append((sentence, first, len(words)))
                clock += len(audio) / RATE
                silence = np.zeros(int(sentence.pause * RATE), np.int16)
                pieces += [audio, silence]
                clock += len(silence) / RATE
            lines.append(line)
    pieces.append(np.zeros(int(TAIL * RATE), np.int16))
    return np.concatenate(pieces), words, lines


def test_sentences(words: list[dict], lines: list[dict]) -> list[dict]:
    """The measured sentences: true bounds of their words (a leading filler is
    not part of the quote) and where the neighbouring words end and begin."""
    out = []
    for number, line in enumerate(lines):
        for sentence, first, stop in line["sentences"]:
            if not sentence.test:
                continue
            previous_end = words[first - 1]["end"]
            while words[first]["text"].lower() in FILLERS:
                first += 1
            out.append(
                {
                    "text": sentence.text,
                    "line": number,
                    "start": words[first]["start"],
                    "end": words[stop - 1]["end"],
                    "previous_end": previous_end,
                    "next_start": words[stop]["start"] if stop < len(words) else None,
                }
            )
    return out


def edit_quote(words: list[dict], lines: list[dict]) -> dict:
    """The tight-cuts quote: its sentences' text and line, true bounds, the
    fillers in it and the pauses between its words."""
    number, parts = next(
        (n, parts)
        for n, line in enumerate(lines)
        if (parts := [(s, a, b) for s, a, b in line["sentences"] if s.edit])
    )
    spoken = words[parts[0][1] : parts[-1][2]]
    return {
        "text": " ".join(s.text for s, _, _ in parts),
        "line": number,
        "start": spoken[0]["start"],
        "end": spoken[-1]["end"],
        "fillers": [[w["start"], w["end"]] for w in spoken if w.get("filler")],
        "pauses": [
            [a["end"], b["start"]]
            for a, b in itertools.pairwise(spoken)
            if b["start"] - a["end"] > 0.5
        ],
    }


def caption_words(words: list[dict]) -> list[tuple[str, float]]:
    """What a recogniser would write: lower case, a few words misheard, starts jittered."""
    rng = random.Random(9)
    out = []
    for word in words:
        text = MISHEARD.get(word["text"].lower(), word["text"].lower())
        start = max(0.0, word["start"] + rng.uniform(-CAPTION_JITTER, CAPTION_JITTER))
        out += [(part, start) for part in text.split()]
    return out


def json3(captions: list[tuple[str, float]], duration: float) -> str:
    """YouTube json3: events of up to 8 words, each word offset from its event."""
    events = []
    for i in range(0, len(captions), 8):
        group = captions[i : i + 8]
        begin = round(group[0][1] * 1000)
        end = round((captions[i + 8][1] if i + 8 < len(captions) else duration) * 1000)
        segs = [
            {"utf8": (" " if j else "") + text, "tOffsetMs": round(start * 1000) - begin}
            for j, (text, start) in enumerate(group)
        ]
        for seg in segs[:1]:
            seg.pop("tOffsetMs")
        events.append({"tStartMs": begin, "dDurationMs": end - begin, "wWinId": 1, "segs": segs})
    return json.dumps({"wireMagic": "pb3", "events": events}, indent=1)


def clock(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def vtt(captions: list[tuple[str, float]], duration: float) -> str:
    """yt-dlp's automatic-caption VTT: each cue repeats the previous line, then
    the new words with inline ``<time><c> word</c>`` start times."""
    out = ["WEBVTT", "Kind: captions", "Language: en", ""]
    groups = [captions[i : i + 6] for i in range(0, len(captions), 6)]
    for n, group in enumerate(groups):
        begin = group[0][1]
        end = groups[n + 1][0][1] if n + 1 < len(groups) else duration
        previous = " ".join(t for t, _ in groups[n - 1]) if n else " "
        timed = group[0][0] + "".join(f"<{clock(a)}><c> {t}</c>" for t, a in group[1:])
        out += [f"{clock(begin)} --> {clock(end)} align:start position:0%", previous, timed, ""]
    return "\n".join(out)


def episode_markdown(lines: list[dict]) -> str:
    """Front matter with the edited transcript; each line timed to the whole second."""
    items = []
    for line in lines:
        text = " ".join(sentence.text for sentence, _, _ in line["sentences"])
        second = int(line["start"])
        items.append(
            {
                "line": text,
                "sec": second,
                "time": f"{second // 60}:{second % 60:02d}",
                "who": line["who"],
            }
        )
    front = {
        "title": "Speech fixture: word timing on an edited transcript",
        "short": "Speech fixture",
        "season": 1,
        "episode": 1,
        "guests": ["ineskowalczyk"],
        "ids": {"youtube": "spEEchFixt1"},
        "transcript": [{"header": "Getting started"}, *items],
    }
    return "---\n" + yaml.safe_dump(front, sort_keys=False, width=88) + "---\n"


PEOPLE = {
    "ineskowalczyk": 'short: ineskowalczyk\ntitle: "Ines Kowalczyk"\n',
    "marapetrova": 'short: marapetrova\ntitle: "Mara Petrova"\n',
}


def write_video(samples: np.ndarray, path: Path, tmp: Path) -> None:
    audio = tmp / "speech.wav"
    with wave.open(str(audio), "wb") as fh:
        fh.setnchannels(1)
        fh.setsampwidth(2)
        fh.setframerate(RATE)
        fh.writeframes(samples.tobytes())
    ffmpeg(
        *("-f", "lavfi", "-i", "color=c=0x204060:s=160x90:r=25"),
        *("-i", str(audio), "-shortest", "-map", "0:v", "-map", "1:a"),
        *("-c:v", "libx264", "-preset", "veryslow", "-crf", "40", "-g", "250"),
        *("-c:a", "aac", "-b:a", "24k", "-ar", str(RATE), "-ac", "1"),
        *("-fflags", "+bitexact", "-map_metadata", "-1", "-movflags", "+faststart", str(path)),
    )


def main() -> None:
    samples, words, lines = build()
    duration = len(samples) / RATE
    for folder in ("_podcast", "_people", "video", "captions"):
        (OUT / folder).mkdir(parents=True, exist_ok=True)
    (OUT / "_podcast" / f"{SLUG}.md").write_text(episode_markdown(lines), encoding="utf-8")
    for person, text in PEOPLE.items():
        (OUT / "_people" / f"{person}.md").write_text(f"---\n{text}---\n", encoding="utf-8")
    captions = caption_words(words)
    (OUT / "captions" / f"{SLUG}.en.json3").write_text(json3(captions, duration))
    (OUT / "captions" / f"{SLUG}.en.vtt").write_text(vtt(captions, duration))
    sentences = test_sentences(words, lines)
    truth = {
        "duration": round(duration, 3),
        "words": words,
        "sentences": sentences,
        "edits": edit_quote(words, lines),
    }
    (OUT / "truth.json").write_text(json.dumps(truth, indent=1) + "\n")
    with tempfile.TemporaryDirectory() as tmp:
        write_video(samples, OUT / "video" / f"{SLUG}.mp4", Path(tmp))
    print(f"wrote {OUT} ({duration:.1f} s of speech, {len(words)} words)")


if __name__ == "__main__":
    main()
