"""Generate the bundled example feed (``assets/example-feed``) from
``tools/example_feed.yaml``.

Run from the project root (needs ``apt-get install festival festvox-us-slt-hts``)::

    python tools/make_example_feed.py

For every episode of the script it speaks each line with festival (the host
pitched lower, as in the example site) and writes, with relative links so
the feed works from its folder or any web server:

- ``feed.xml``: RSS 2.0 with ``itunes:`` tags and the Podcasting 2.0
  ``podcast:transcript``, ``podcast:chapters`` and ``podcast:person`` tags;
- ``audio/<guid>.mp3``: the episode, mono, 32 kbit/s, and beside it
  ``audio/<guid>.en.json``, every word with its times as whisper writes them
  (as the example site ships them beside its video: clips are cut on them);
- ``transcripts/<guid>.vtt``: WebVTT cues of at most 10 words with
  ``<v Name>`` voices, timed on festival's words;
- ``chapters/<guid>.json``: JSON chapters;
- ``images/``: the show's and each episode's artwork and the people's photos.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import imageio_ffmpeg
import numpy as np
import yaml
from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_example_media import (  # the example site's tool, beside this one
    ACCENT,
    ART_BOTTOM,
    ART_TOP,
    PITCH,
    SAMPLE_RATE,
    WHITE,
    Person,
    font,
    gradient,
    make_portrait,
    save_jpeg,
    soft_glow,
    speak_line,
    titled_artwork,
    whisper_json,
    wrap,
    write_wav,
)

from clipper.fsutil import atomic_path

ROOT = Path(__file__).resolve().parents[1]
FEED = ROOT / "assets" / "example-feed"
SCRIPT = ROOT / "tools" / "example_feed.yaml"
CUE_WORDS = 10
LEAD_SECONDS = 0.6  # silence before the first line
GAP_SECONDS = {"same": 0.35, "turn": 0.7, "chapter": 1.2}
TAIL_SECONDS = 1.0
ARTWORK_SIZE = (940, 550)
SHOW_ART = 600


@dataclass(frozen=True)
class Spoken:
    """One line as spoken: who, when its words are said, and its chapter."""

    person: Person
    words: list  # make_example_media.SpokenWord, in episode seconds
    chapter: int


def clock(seconds: float) -> str:
    minutes, millis = divmod(round(seconds * 1000), 60_000)
    return f"{minutes // 60:02d}:{minutes % 60:02d}:{millis // 1000:02d}.{millis % 1000:03d}"


def speak_episode(episode: dict, host: Person, guest: Person, workdir: Path):
    """The episode's track and its lines with their word times."""
    pieces, spoken, cursor, previous = [], [], LEAD_SECONDS, None
    pieces.append(np.zeros(int(LEAD_SECONDS * SAMPLE_RATE), dtype=np.int16))
    for number, chapter in enumerate(episode["chapters"]):
        for index, (who, text) in enumerate(chapter["lines"]):
            person = host if who == "host" else guest
            if previous is not None:
                kind = "chapter" if index == 0 else "same" if previous == person else "turn"
                pieces.append(np.zeros(int(GAP_SECONDS[kind] * SAMPLE_RATE), dtype=np.int16))
                cursor += GAP_SECONDS[kind]
            samples, words = speak_line(text, 1.0, PITCH[person.role], workdir)
            shifted = [type(w)(w.text, cursor + w.start, cursor + w.end) for w in words]
            spoken.append(Spoken(person, shifted, number))
            pieces.append(samples)
            cursor += len(samples) / SAMPLE_RATE
            previous = person
    pieces.append(np.zeros(int(TAIL_SECONDS * SAMPLE_RATE), dtype=np.int16))
    return np.concatenate(pieces), spoken


def vtt(spoken: list[Spoken]) -> str:
    """Cues of at most CUE_WORDS words, each with its speaker's voice."""
    out = ["WEBVTT", ""]
    for line in spoken:
        for first in range(0, len(line.words), CUE_WORDS):
            words = line.words[first : first + CUE_WORDS]
            text = " ".join(w.text for w in words)
            out += [f"{clock(words[0].start)} --> {clock(words[-1].end)}"]
            out += [f"<v {line.person.name}>{text}", ""]
    return "\n".join(out)


def chapters(episode: dict, spoken: list[Spoken]) -> str:
    starts = {}
    for line in spoken:
        starts.setdefault(line.chapter, max(0.0, line.words[0].start - 0.3))
    items = [
        {"startTime": round(starts[i], 2), "title": chapter["title"]}
        for i, chapter in enumerate(episode["chapters"])
    ]
    return json.dumps({"version": "1.2.0", "chapters": items}, indent=1) + "\n"


def encode_mp3(samples: np.ndarray, out: Path, workdir: Path) -> float:
    """Mono 32 kbit/s MP3, no metadata (the same bytes every run); its length."""
    wav = workdir / "episode.wav"
    write_wav(samples, wav)
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", str(wav),
        "-ac", "1", "-ar", "22050", "-c:a", "libmp3lame", "-b:a", "32k",
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact", str(out),
    ]  # fmt: skip
    with atomic_path(out) as tmp:
        command[-1] = str(tmp)
        subprocess.run(command, check=True)
    return len(samples) / SAMPLE_RATE


def show_artwork(show: dict) -> Image.Image:
    image = gradient((SHOW_ART, SHOW_ART), ART_TOP, ART_BOTTOM)
    image = soft_glow(image, [(0.85, 0.2, 0.35, 60), (0.1, 1.0, 0.3, 40)])
    draw = ImageDraw.Draw(image)
    face = font("bold", 72)
    y = 170
    for line in wrap(show["title"], face, SHOW_ART - 120):
        draw.text((60, y), line, WHITE, face)
        y += 86
    draw.rectangle((60, y + 20, 140, y + 26), ACCENT)
    draw.text((60, y + 50), "a podcast about data teams", WHITE, font("medium", 30))
    return image


def episode_artwork(show: dict, episode: dict, guest: Person, portrait: Image.Image) -> Image.Image:
    label = f"{show['title'].upper()}  ·  EPISODE {episode['number']}"
    image, _ = titled_artwork(label, episode["title"].split(",")[0], guest, portrait)
    return image


def person_tag(person: Person, role: str) -> str:
    img = quoteattr(f"images/people/{person.id}.jpg")
    return f'      <podcast:person role="{role}" img={img}>{escape(person.name)}</podcast:person>'


def item_xml(episode: dict, host: Person, guest: Person, seconds: float, size: int) -> str:
    guid = episode["guid"]
    date = episode["date"]
    pub = f"{date:%a, %d %b %Y} 09:00:00 GMT"
    return "\n".join([
        "    <item>",
        f"      <title>{escape(episode['title'])}</title>",
        f'      <guid isPermaLink="false">{guid}</guid>',
        f"      <pubDate>{pub}</pubDate>",
        f"      <link>https://example.org/small-batch-data/{guid}</link>",
        f"      <description>{escape(episode['title'])}.</description>",
        f'      <enclosure url="audio/{guid}.mp3" length="{size}" type="audio/mpeg"/>',
        f"      <itunes:duration>{round(seconds)}</itunes:duration>",
        f'      <itunes:image href="images/{guid}.jpg"/>',
        f"      <itunes:season>{episode['season']}</itunes:season>",
        f"      <itunes:episode>{episode['number']}</itunes:episode>",
        f'      <podcast:transcript url="transcripts/{guid}.vtt" type="text/vtt" language="en"/>',
        f'      <podcast:chapters url="chapters/{guid}.json" type="application/json+chapters"/>',
        person_tag(host, "host"),
        person_tag(guest, "guest"),
        "    </item>",
    ])  # fmt: skip


def feed_xml(show: dict, host: Person, items: list[str]) -> str:
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
        ' xmlns:podcast="https://podcastindex.org/namespace/1.0">',
        "  <channel>",
        f"    <title>{escape(show['title'])}</title>",
        f"    <link>{show['link']}</link>",
        f"    <description>{escape(show['description'])}</description>",
        "    <language>en</language>",
        f"    <itunes:author>{escape(show['author'])}</itunes:author>",
        '    <itunes:image href="images/show.jpg"/>',
        person_tag(host, "host").replace("      ", "    ", 1),
        *items,
        "  </channel>",
        "</rss>",
        "",
    ])  # fmt: skip


def write(path: Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def main() -> None:
    script = yaml.safe_load(SCRIPT.read_text(encoding="utf-8"))
    show = script["show"]
    host = Person(show["host"]["id"], show["host"]["name"], "host")
    save_jpeg(show_artwork(show), FEED / "images" / "show.jpg")
    save_jpeg(make_portrait(host), FEED / "images" / "people" / f"{host.id}.jpg")
    items = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for episode in script["episodes"]:
            guid = episode["guid"]
            guest = Person(episode["guest"]["id"], episode["guest"]["name"], "guest")
            portrait = make_portrait(guest)
            save_jpeg(portrait, FEED / "images" / "people" / f"{guest.id}.jpg")
            save_jpeg(
                episode_artwork(show, episode, guest, portrait), FEED / "images" / f"{guid}.jpg"
            )
            samples, spoken = speak_episode(episode, host, guest, workdir)
            audio = FEED / "audio" / f"{guid}.mp3"
            seconds = encode_mp3(samples, audio, workdir)
            write(FEED / "audio" / f"{guid}.en.json", whisper_json([s.words for s in spoken]))
            write(FEED / "transcripts" / f"{guid}.vtt", vtt(spoken))
            write(FEED / "chapters" / f"{guid}.json", chapters(episode, spoken))
            items.append(item_xml(episode, host, guest, seconds, audio.stat().st_size))
            print(f"wrote {guid} ({seconds:.0f} s)")
    write(FEED / "feed.xml", feed_xml(show, host, items))


if __name__ == "__main__":
    main()
