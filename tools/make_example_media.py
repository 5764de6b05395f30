"""Generate the media of the bundled example site (``assets/example``).

Run from the project root::

    python tools/make_example_media.py

It reads the example episode's front matter and writes, deterministically
(same inputs and tools, same bytes):

- ``images/authors/<id>.jpg``: an abstract gradient portrait with initials
  for every person in ``_people/``;
- ``images/podcast/<slug>.jpg``: the 940x550 episode artwork;
- ``video/<slug>.mp4``: a 640x360, 25 fps H.264 + AAC video as long as the
  transcript plus a 15 s tail. The picture is the artwork with the current
  speaker's name and a running timecode (``HH:MM:SS.mmm`` and frame number)
  so that cut points can be checked by eye. The sound is each transcript line
  spoken by ``festival`` with the ``cmu_us_slt_arctic_hts`` voice
  (``apt-get install festival festvox-us-slt-hts``; the host's pitched lower)
  a little after its ``sec`` offset, with silence between lines;
- ``video/<slug>.en.json``: every spoken word with its start and end, as a
  speech recogniser with word timestamps (whisper / WhisperX) writes them:
  clipper finds it beside the video and cuts the clips on the words.

The audio follows what was really "said", not the edited transcript: each line
is spoken as ``tools/example_speech.yaml`` gives it (fillers, contractions,
repeats, pauses, faster or slower), or as written when it is not listed.
Transcription artifacts (a line that is only a speaker name or only a
timestamp, a consecutive duplicate) are not spoken, bracketed notes like
``[laughs]`` are not read out, and a line without ``sec`` or ``time``
continues right after the previous one.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import yaml
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from clipper.fsutil import atomic_path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "assets" / "example"
EPISODE_FILE = SITE / "_podcast" / "from-warehouse-floor-to-analytics-engineering.md"
FONT_DIRS = (ROOT / "fonts", Path("/usr/share/fonts/truetype/dejavu"))
FONTS = {
    "bold": ("Inter-Bold.otf", "DejaVuSans-Bold.ttf"),
    "medium": ("Inter-Medium.otf", "DejaVuSans.ttf"),
    "regular": ("Inter-Regular.otf", "DejaVuSans.ttf"),
}

ARTWORK_SIZE = (940, 550)
PORTRAIT_SIZE = 400
VIDEO_SIZE = (640, 360)
FPS = 25
TAIL_SECONDS = 15
SAMPLE_RATE = 16000
GAP_SECONDS = 0.25  # minimum silence kept before the next line starts
PAUSE_SECONDS = 0.55  # a "|" pause inside a line of the verbatim script
EDGE_SECONDS = 0.03  # festival's own silence kept around a piece of speech
ONSETS = (0.35, 0.6, 0.2, 0.8, 0.45)  # speech starts this long after the transcript time
VOICE = "voice_cmu_us_slt_arctic_hts"
PITCH = {"host": 0.88, "guest": 1.0}  # the host's voice is pitched lower
SCRIPT_FILE = ROOT / "tools" / "example_speech.yaml"

# Portrait palettes (top-left colour, bottom-right colour); chosen by person id.
PALETTES = (
    ((0x2E, 0x3A, 0x87), (0x1F, 0xA2, 0xA8)),
    ((0x8E, 0x2D, 0x5A), (0xF2, 0x8C, 0x5B)),
    ((0x1D, 0x5C, 0x4B), (0x9B, 0xC5, 0x6E)),
    ((0x4A, 0x27, 0x7A), (0xE0, 0x6C, 0x9F)),
)
ART_TOP = (0x14, 0x1B, 0x3A)
ART_BOTTOM = (0x0E, 0x4D, 0x5A)
ACCENT = (0xF4, 0xB9, 0x42)
WHITE = (0xFF, 0xFF, 0xFF)
MUTED = (0xC9, 0xD6, 0xE3)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str  # "host" or "guest"


@dataclass(frozen=True)
class Utterance:
    """One spoken transcript line; ``start`` is None for a continuation."""

    start: float | None
    person: Person
    text: str


def font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(weight)), size)


def font_path(weight: str) -> Path:
    """The bundled Inter face when present, else the DejaVu fallback."""
    for name, folder in zip(FONTS[weight], FONT_DIRS, strict=True):
        if (folder / name).is_file():
            return folder / name
    raise SystemExit(f"error: no font for weight {weight!r} in {FONT_DIRS}")


def front_matter(path: Path) -> dict:
    """The YAML between the opening ``---`` and the next line that is exactly ``---``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    end = lines.index("---", 1)
    return yaml.safe_load("\n".join(lines[1:end]))


def load_people(guest_ids: list[str]) -> list[Person]:
    people = []
    for path in sorted((SITE / "_people").glob("*.md")):
        role = "guest" if path.stem in guest_ids else "host"
        people.append(Person(path.stem, front_matter(path)["title"], role))
    return people


def resolve_speaker(who: str, people: list[Person]) -> Person:
    """Match ``who`` ("Mara", "Mara:", "Mara Petrova") to a person by first name."""
    first = who.strip().rstrip(":").split()[0].lower()
    for person in people:
        if person.name.split()[0].lower() == first:
            return person
    raise SystemExit(f"error: {EPISODE_FILE.name}: unknown speaker {who!r}")


def seconds(item: dict) -> float | None:
    """``sec``, else ``time`` (an int when YAML read an unquoted M:SS, else "M:SS")."""
    if item.get("sec") is not None:
        return float(item["sec"])
    time = item.get("time")
    if isinstance(time, int):
        return float(time)
    if isinstance(time, str):
        total = 0
        for part in time.split(":"):
            total = total * 60 + int(part)
        return float(total)
    return None


def utterances(transcript: list[dict], people: list[Person]) -> list[Utterance]:
    """The lines that were really spoken (see the module docstring)."""
    names = {word.lower() for person in people for word in [person.name, *person.name.split()]}
    spoken: list[Utterance] = []
    previous_text = None
    for item in transcript:
        if "line" not in item:
            continue
        text = re.sub(r"\s*\[[^\]]*\]", "", str(item["line"])).strip()
        artifact = text.lower() in names or re.fullmatch(r"\d+ \d+:\d\d", text)
        if text and not artifact and text != previous_text:
            spoken.append(Utterance(seconds(item), resolve_speaker(item["who"], people), text))
        previous_text = text
    return spoken


# --- images -----------------------------------------------------------------


def gradient(size: tuple[int, int], top_left: tuple, bottom_right: tuple) -> Image.Image:
    """A diagonal linear gradient between two RGB colours."""
    width, height = size
    x = np.linspace(0.0, 1.0, width)[None, :]
    y = np.linspace(0.0, 1.0, height)[:, None]
    weight = ((x * width + y * height) / (width + height))[..., None]
    pixels = (1 - weight) * np.array(top_left) + weight * np.array(bottom_right)
    return Image.fromarray(pixels.astype(np.uint8))


def soft_glow(image: Image.Image, circles: list[tuple[float, float, float, int]]) -> Image.Image:
    """Overlay blurred translucent white discs (cx, cy, radius as fractions, alpha)."""
    width, height = image.size
    layer = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(layer)
    for cx, cy, radius, alpha in circles:
        r = radius * width
        draw.ellipse((cx * width - r, cy * height - r, cx * width + r, cy * height + r), alpha)
    layer = layer.filter(ImageFilter.GaussianBlur(width / 18))
    return Image.composite(Image.new("RGB", image.size, WHITE), image, layer)


def initials(name: str) -> str:
    return "".join(word[0] for word in name.split()[:2]).upper()


def palette_for(person_id: str) -> tuple[tuple, tuple]:
    digest = hashlib.sha256(person_id.encode()).digest()
    return PALETTES[digest[0] % len(PALETTES)]


def make_portrait(person: Person) -> Image.Image:
    """Gradient with soft light, and the initials over a blurred shadow."""
    size = PORTRAIT_SIZE
    image = gradient((size, size), *palette_for(person.id))
    image = soft_glow(image, [(0.18, 0.12, 0.4, 90), (0.95, 0.95, 0.3, 50)])
    text_face = font("bold", int(size * 0.34))
    letters = initials(person.name)
    shadow = Image.new("L", image.size, 0)
    ImageDraw.Draw(shadow).text((size / 2, size / 2 + 6), letters, 90, text_face, "mm")
    shadow = shadow.filter(ImageFilter.GaussianBlur(8))
    image = Image.composite(Image.new("RGB", image.size, (0, 0, 0)), image, shadow)
    ImageDraw.Draw(image).text((size / 2, size / 2), letters, WHITE, text_face, "mm")
    return image


def paste_circle(canvas: Image.Image, image: Image.Image, box: tuple[int, int, int], ring: int):
    """Paste ``image`` as an antialiased disc (x, y, diameter) with a white ring."""
    x, y, diameter = box
    scale = 4  # draw the masks large, then shrink them: smooth edges

    def disc_mask(inset: int) -> Image.Image:
        big = Image.new("L", (diameter * scale, diameter * scale), 0)
        edge = inset * scale
        ImageDraw.Draw(big).ellipse((edge, edge, big.width - 1 - edge, big.height - 1 - edge), 255)
        return big.resize((diameter, diameter), Image.Resampling.LANCZOS)

    canvas.paste(WHITE, (x, y, x + diameter, y + diameter), disc_mask(0))
    inner = image.resize((diameter, diameter), Image.Resampling.LANCZOS)
    canvas.paste(inner, (x, y), disc_mask(ring))


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and face.getlength(candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def make_artwork(meta: dict, guest: Person, portrait: Image.Image) -> Image.Image:
    image = gradient(ARTWORK_SIZE, ART_TOP, ART_BOTTOM)
    image = soft_glow(image, [(0.82, 0.5, 0.22, 45), (0.05, 1.05, 0.25, 30)])
    paste_circle(image, portrait, (640, 145, 260), 6)
    draw = ImageDraw.Draw(image)
    label = f"EXAMPLE PODCAST  ·  S{meta['season']:02d}E{meta['episode']:02d}"
    draw.text((60, 70), label, ACCENT, font("bold", 20))
    draw.rectangle((60, 104, 120, 108), ACCENT)
    title_face = font("bold", 46)
    y = 140
    for line in wrap(meta["short"], title_face, 540):
        draw.text((60, y), line, WHITE, title_face)
        y += 58
    draw.text((60, y + 30), guest.name, WHITE, font("medium", 28))
    topic_face = font("regular", 20)
    topics = ""
    for topic in meta["topics"]:
        candidate = f"{topics}  ·  {topic.capitalize()}" if topics else topic.capitalize()
        if topic_face.getlength(candidate) > 540:
            break
        topics = candidate
    draw.text((60, y + 70), topics, MUTED, topic_face)
    return image


def save_jpeg(image: Image.Image, path: Path) -> None:
    with atomic_path(path) as tmp:
        image.save(tmp, "JPEG", quality=88, optimize=True)


# --- audio ------------------------------------------------------------------

FESTIVAL_SCRIPT = """({voice})
(set! utt (utt.synth (eval (list 'Utterance 'Text "{text}"))))
(utt.save.wave utt "{wav}" 'riff)
(mapcar (lambda (w) (format t "%s %f %f\\n" (item.name w)
  (item.feat w "word_start") (item.feat w "word_end"))) (utt.relation.items utt 'Word))
"""


@dataclass(frozen=True)
class SpokenWord:
    text: str
    start: float
    end: float


def verbatim_script() -> dict[str, dict]:
    """Edited transcript line (spaces normalised) -> what was said, and how fast."""
    entries = yaml.safe_load(SCRIPT_FILE.read_text(encoding="utf-8"))
    return {" ".join(entry["line"].split()): entry for entry in entries}


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path)) as wav:
        if wav.getnchannels() != 1 or wav.getsampwidth() != 2:
            raise SystemExit(f"error: unexpected festival output format in {path}")
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
        return samples, wav.getframerate()


def festival(text: str, workdir: Path) -> tuple[np.ndarray, int, list[tuple[str, float, float]]]:
    """``text`` spoken by festival: samples, their rate, and each word's times."""
    wav, script = workdir / "piece.wav", workdir / "piece.scm"
    clean = text.replace('"', "").replace("\\", "")
    script.write_text(FESTIVAL_SCRIPT.format(voice=VOICE, text=clean, wav=wav), encoding="utf-8")
    out = subprocess.run(["festival", "-b", str(script)], capture_output=True, text=True)
    if out.returncode or not wav.is_file():
        raise SystemExit(f"error: festival failed on {text!r}: {out.stderr.strip()}")
    words = [(n, float(a), float(b)) for n, a, b in (r.split() for r in out.stdout.splitlines())]
    samples, rate = read_wav(wav)
    return samples, rate, words


def resample(samples: np.ndarray, rate: int, speed: float, pitch: float, workdir: Path):
    """``samples`` at SAMPLE_RATE, ``speed`` times faster, pitch scaled by ``pitch``."""
    source, target = workdir / "in.wav", workdir / "out.wav"
    write_wav(samples, source, rate)
    chain = f"asetrate={rate * pitch:.0f},aresample={SAMPLE_RATE},atempo={speed / pitch:.5f}"
    command = [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", str(source)]
    subprocess.run([*command, "-af", chain, "-ac", "1", str(target)], check=True)
    return read_wav(target)[0]


def written_words(said: str, names: list[tuple[str, float, float]]) -> list[SpokenWord]:
    """festival's words with the spelling of ``said`` (case, punctuation): a
    token takes the times of the festival words that spell it."""

    def norm(text: str) -> str:
        return re.sub(r"[^a-z0-9']", "", text.lower())

    tokens = [t for t in said.split() if norm(t)]
    words, index = [], 0
    for token in tokens:
        spelled, first = "", index
        while index < len(names) and len(spelled) < len(norm(token)):
            spelled += norm(names[index][0])
            index += 1
        if spelled != norm(token):
            raise SystemExit(f"error: cannot match {token!r} to festival's words in {said!r}")
        words.append(SpokenWord(token, names[first][1], names[index - 1][2]))
    return words


def speak_line(said: str, speed: float, pitch: float, workdir: Path):
    """A line with its pauses (``|``): samples at SAMPLE_RATE and word times
    from the first word's start."""
    pieces, words, clock = [], [], 0.0
    for number, text in enumerate(p.strip() for p in said.split("|")):
        samples, rate, names = festival(text, workdir)
        spoken = written_words(text, names)
        begin = max(0, int((spoken[0].start - EDGE_SECONDS) * rate))
        finish = int((spoken[-1].end + EDGE_SECONDS) * rate)
        audio = resample(samples[begin:finish], rate, speed, pitch, workdir)
        if number:
            pieces.append(np.zeros(int(PAUSE_SECONDS * SAMPLE_RATE), dtype=np.int16))
            clock += PAUSE_SECONDS
        offset = begin / rate
        words += [
            SpokenWord(w.text, clock + (w.start - offset) / speed, clock + (w.end - offset) / speed)
            for w in spoken
        ]
        pieces.append(audio)
        clock += len(audio) / SAMPLE_RATE
    return np.concatenate(pieces), words


def render_audio(
    spoken: list[Utterance], total: float, workdir: Path
) -> tuple[np.ndarray, list[list[SpokenWord]]]:
    """Place each line a little after its transcript time (real transcripts
    round down to the second); continuations follow the previous line. A line
    that would run into the next one is sped up. Returns the track and the
    words of every line in episode seconds."""
    if shutil.which("festival") is None:
        raise SystemExit("error: festival not found: apt-get install festival festvox-us-slt-hts")
    script = verbatim_script()
    track = np.zeros(int(total * SAMPLE_RATE), dtype=np.int16)
    cursor, timed = 0.0, []
    for index, utterance in enumerate(spoken):
        entry = script.get(" ".join(utterance.text.split()), {})
        said, speed = entry.get("said", utterance.text), entry.get("tempo", 1.0)
        pitch = PITCH[utterance.person.role]
        if utterance.start is None:
            start = cursor + GAP_SECONDS * 2
        else:
            start = utterance.start + ONSETS[index % len(ONSETS)]
        following = [u.start for u in spoken[index + 1 :] if u.start is not None]
        samples, words = speak_line(said, speed, pitch, workdir)
        slot = following[0] - start - GAP_SECONDS if following else None
        if slot is not None and len(samples) / SAMPLE_RATE > slot:
            faster = speed * len(samples) / SAMPLE_RATE / slot * 1.01
            samples, words = speak_line(said, faster, pitch, workdir)
        offset = int(start * SAMPLE_RATE)
        track[offset : offset + len(samples)] = samples[: len(track) - offset]
        timed.append([SpokenWord(w.text, start + w.start, start + w.end) for w in words])
        cursor = start + len(samples) / SAMPLE_RATE
    return track, timed


def write_wav(samples: np.ndarray, path: Path, rate: int = SAMPLE_RATE) -> None:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(samples.tobytes())


def whisper_json(lines: list[list[SpokenWord]]) -> str:
    """The words as a speech recogniser with word timestamps (whisper /
    WhisperX) writes them: one segment per line, each word with its times."""
    segments = [
        {
            "start": round(words[0].start, 3),
            "end": round(words[-1].end, 3),
            "text": " ".join(w.text for w in words),
            "words": [
                {"word": w.text, "start": round(w.start, 3), "end": round(w.end, 3)} for w in words
            ],
        }
        for words in lines
    ]
    return json.dumps({"language": "en", "segments": segments}, indent=1) + "\n"


# --- video ------------------------------------------------------------------


def video_background(artwork: Image.Image) -> Image.Image:
    """The artwork cropped to 16:9 with a dark band for the speaker and timecode."""
    width, height = VIDEO_SIZE
    scale = width / artwork.width
    scaled = artwork.resize((width, round(artwork.height * scale)), Image.Resampling.LANCZOS)
    top = (scaled.height - height) // 2
    frame = scaled.crop((0, top, width, top + height))
    band = Image.new("RGB", (width, 52), (0x0B, 0x10, 0x22))
    frame.paste(Image.blend(frame.crop((0, height - 52, width, height)), band, 0.85), (0, 308))
    return frame


def speaking_windows(spoken: list[Utterance], total: float) -> dict[str, list[tuple]]:
    """Per person id, the (start, end) spans when they hold the floor."""
    starts: list[float] = []
    cursor = 0.0
    for utterance in spoken:
        cursor = utterance.start if utterance.start is not None else cursor
        starts.append(cursor)
    windows: dict[str, list[tuple]] = {}
    for index, utterance in enumerate(spoken):
        end = starts[index + 1] if index + 1 < len(spoken) else total
        spans = windows.setdefault(utterance.person.id, [])
        if spans and spans[-1][1] == starts[index]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((starts[index], end))
    return windows


def drawtext(text: str, weight: str, size: int, x: str, colour: str, enable: str = "") -> str:
    escaped = text.replace("\\", "\\\\").replace("'", "\\'").replace(":", "\\:")
    option = f":enable='{enable}'" if enable else ""
    return (
        f"drawtext=fontfile='{font_path(weight)}':text='{escaped}':fontsize={size}"
        f":fontcolor={colour}:x={x}:y=h-37{option}"
    )


def video_filter(spoken: list[Utterance], total: float) -> str:
    """One graph: speaker names while they speak, timecode and frame number."""
    people = {u.person.id: u.person for u in spoken}
    filters = []
    for person_id, spans in speaking_windows(spoken, total).items():
        person = people[person_id]
        enable = "+".join(f"between(t,{a:.2f},{b - 0.001:.3f})" for a, b in spans)
        label = f"{person.name}  ({person.role})"
        colour = "0xF4B942" if person.role == "guest" else "white"
        filters.append(drawtext(label, "bold", 22, "24", colour, enable))
    timecode = "%{pts\\:hms}  #%{n}"
    filters.append(
        f"drawtext=fontfile='{font_path('medium')}':text='{timecode}':fontsize=20"
        ":fontcolor=white:x=w-tw-24:y=h-36"
    )
    return "[0:v]" + ",".join(filters) + ",format=yuv420p[v]"


def encode_video(background: Path, audio: Path, spoken: list[Utterance], total: float, out: Path):
    # Flags chosen for a small, reproducible file: a still picture compresses to
    # almost nothing between keyframes, and bitexact drops version stamps.
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
        "-loop", "1", "-framerate", str(FPS), "-i", str(background), "-i", str(audio),
        "-filter_complex", video_filter(spoken, total), "-map", "[v]", "-map", "1:a",
        "-t", f"{total:.3f}", "-r", str(FPS),
        "-c:v", "libx264", "-preset", "medium", "-crf", "30", "-tune", "stillimage",
        "-g", str(FPS * 10), "-threads", "1",
        "-c:a", "aac", "-b:a", "32k", "-ac", "1",
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
        "-flags:a", "+bitexact", "-movflags", "+faststart", str(out),
    ]  # fmt: skip
    subprocess.run(command, check=True)


def main() -> None:
    meta = front_matter(EPISODE_FILE)
    slug = EPISODE_FILE.stem
    people = load_people(meta["guests"])
    portraits = {person.id: make_portrait(person) for person in people}
    for person_id, portrait in portraits.items():
        save_jpeg(portrait, SITE / "images" / "authors" / f"{person_id}.jpg")
    guest = next(person for person in people if person.role == "guest")
    artwork = make_artwork(meta, guest, portraits[guest.id])
    save_jpeg(artwork, SITE / meta["image"])

    spoken = utterances(meta["transcript"], people)
    last_start = max(u.start for u in spoken if u.start is not None)
    total = last_start + TAIL_SECONDS
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        samples, words = render_audio(spoken, total, workdir)
        write_wav(samples, workdir / "speech.wav")
        captions = SITE / "video" / f"{slug}.en.json"
        with atomic_path(captions) as out:
            out.write_text(whisper_json(words), encoding="utf-8")
        video_background(artwork).save(workdir / "background.png")
        with atomic_path(SITE / "video" / f"{slug}.mp4") as out:
            encode_video(workdir / "background.png", workdir / "speech.wav", spoken, total, out)
    print(f"wrote media for {slug} ({total:.0f} s video)")


if __name__ == "__main__":
    main()
