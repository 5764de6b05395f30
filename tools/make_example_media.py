"""Generate the media of the bundled example site (``assets/example``).

Run from the project root::

    python tools/make_example_media.py

It reads the example episode's front matter and writes, deterministically
(same inputs and tools, same bytes):

- ``images/authors/<id>.jpg``: a head-and-shoulders photo of every person
  in ``_people/`` (the host and the guest each get their own look, below);
- ``images/podcast/<slug>.jpg``: the 940x550 episode artwork, with the
  guest's photo;
- ``video/<slug>.mp4``: a 1280x720, 25 fps H.264 + AAC video as long as the
  transcript plus a 15 s tail, laid out as a video call: the host's tile on
  the left, the guest's on the right, each mouth opening with the loudness of
  the speech while one of that person's words is said (still otherwise), and
  a band under them with both names (the one holding the floor in the accent
  colour) and a running timecode (``HH:MM:SS.mmm`` and frame number) so that
  cut points can be checked by eye. The sound is each transcript line
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

Where the images come from: both people are one photo, NASA's portrait of
astronaut Eileen Collins (public domain: a work of the US government, NASA),
as scikit-image ships it (``skimage.data.astronaut()``; needs
``pip install -e '.[example-media]'``). The host is mirrored, cut wider and graded
cool and nearly grey; the guest is cut closer in warm colour, so that they
read as two people. The jaw is dropped by warping the photo (``open_mouth``).
Everything else (artwork, band, names) is drawn here with the bundled Inter
font (SIL OFL).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Iterator
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
VIDEO_SIZE = (1280, 720)
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


def titled_artwork(
    label: str, title: str, guest: Person, portrait: Image.Image
) -> tuple[Image.Image, int]:
    """Episode artwork: a label, a title and the guest's name beside their portrait;
    returns it with the height below the name, for whatever a caller adds."""
    image = gradient(ARTWORK_SIZE, ART_TOP, ART_BOTTOM)
    image = soft_glow(image, [(0.82, 0.5, 0.22, 45), (0.05, 1.05, 0.25, 30)])
    paste_circle(image, portrait, (640, 145, 260), 6)
    draw = ImageDraw.Draw(image)
    draw.text((60, 70), label, ACCENT, font("bold", 20))
    draw.rectangle((60, 104, 120, 108), ACCENT)
    title_face = font("bold", 46)
    y = 140
    for line in wrap(title, title_face, 540):
        draw.text((60, y), line, WHITE, title_face)
        y += 58
    draw.text((60, y + 30), guest.name, WHITE, font("medium", 28))
    return image, y


def make_artwork(meta: dict, guest: Person, portrait: Image.Image) -> Image.Image:
    label = f"EXAMPLE PODCAST  ·  S{meta['season']:02d}E{meta['episode']:02d}"
    image, y = titled_artwork(label, meta["short"], guest, portrait)
    topic_face = font("regular", 20)
    topics = ""
    for topic in meta["topics"]:
        candidate = f"{topics}  ·  {topic.capitalize()}" if topics else topic.capitalize()
        if topic_face.getlength(candidate) > 540:
            break
        topics = candidate
    ImageDraw.Draw(image).text((60, y + 70), topics, MUTED, topic_face)
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


# --- faces --------------------------------------------------------------------
# Both people are one photo: NASA's portrait of astronaut Eileen Collins (public
# domain, a work of the US government), as scikit-image ships it in
# skimage.data.astronaut(). Crop, mirror and colour grade tell them apart.

PHOTO_MOUTH = (225.0, 146.0)  # centre of the closed mouth in the 512x512 photo
PHOTO_MOUTH_WIDTH = 46.0
PHOTO_CHIN = 178.0
PHOTO_HEAD = (225.0, 114.0, 200.0)  # centre and side of the square portrait crop


@dataclass(frozen=True)
class Look:
    """How one person is cut from the photo: ``box`` (left, top, right,
    bottom, in the photo as it is, before ``mirror``), colour ``saturation``
    and per-channel ``tint``."""

    box: tuple[int, int, int, int]
    mirror: bool
    saturation: float
    tint: tuple[float, float, float]


LOOKS = {
    "guest": Look((75, 0, 375, 300), False, 1.0, (1.04, 1.0, 0.95)),  # warm, close
    "host": Look((45, 0, 405, 360), True, 0.3, (0.93, 0.99, 1.1)),  # cool, wider, mirrored
}


def astronaut() -> Image.Image:
    try:
        from skimage import data
    except ImportError:
        message = "error: pip install scikit-image (the faces are skimage.data.astronaut())"
        raise SystemExit(message) from None
    return Image.fromarray(data.astronaut())


def graded(photo: Image.Image, look: Look) -> Image.Image:
    """The photo in ``look``'s colours (mirrored if it says so)."""
    from PIL import ImageEnhance, ImageOps

    image = ImageEnhance.Color(photo).enhance(look.saturation)
    pixels = np.asarray(image, dtype=np.float32) * np.array(look.tint, dtype=np.float32)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return ImageOps.mirror(image) if look.mirror else image


def photo_x(x: float, look: Look, width: int) -> float:
    """A photo column as it lies in the (maybe mirrored) graded photo."""
    return width - 1 - x if look.mirror else x


def make_portrait(photo: Image.Image, look: Look) -> Image.Image:
    """The person's square head-and-shoulders photo for ``_people``."""
    cx, cy, side = PHOTO_HEAD
    cx = photo_x(cx, look, photo.width)
    box = (cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2)
    return (
        graded(photo, look)
        .crop(tuple(round(v) for v in box))
        .resize((PORTRAIT_SIZE, PORTRAIT_SIZE), Image.Resampling.LANCZOS)
    )


@dataclass(frozen=True)
class Mouth:
    """Where the mouth is in a tile (pixels): centre, width and chin."""

    x: float
    y: float
    width: float
    chin: float


def tile_picture(photo: Image.Image, look: Look, size: tuple[int, int]) -> tuple[np.ndarray, Mouth]:
    """The person's video tile and where its mouth lies."""
    left, top, right, bottom = look.box
    if look.mirror:
        left, right = photo.width - right, photo.width - left
    scale_x, scale_y = size[0] / (right - left), size[1] / (bottom - top)
    tile = graded(photo, look).crop((left, top, right, bottom))
    tile = tile.resize(size, Image.Resampling.LANCZOS)
    mx = (photo_x(PHOTO_MOUTH[0], look, photo.width) - left) * scale_x
    mouth = Mouth(
        mx,
        (PHOTO_MOUTH[1] - top) * scale_y,
        PHOTO_MOUTH_WIDTH * scale_x,
        (PHOTO_CHIN - top) * scale_y,
    )
    return np.asarray(tile), mouth


def open_mouth(
    tile: np.ndarray, mouth: Mouth, opening: float, inside: tuple[int, int, int]
) -> tuple[int, int, np.ndarray]:
    """The mouth region of ``tile`` with the jaw dropped ``opening`` (0-1):
    everything below the line between the lips (a smile: its corners higher)
    moves down, most in the middle, none at the corners, fading out under the
    chin, and the gap shows the mouth's dark ``inside``. Returns the region's
    top-left corner and pixels."""
    import cv2

    w = mouth.width
    x0, x1 = round(mouth.x - 0.8 * w), round(mouth.x + 0.8 * w)
    y0, y1 = round(mouth.y - 0.3 * w), round(mouth.chin + 0.5 * w)
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    across = np.clip(np.abs(xs - mouth.x) / (0.55 * w), 0, 1)
    lips = mouth.y - SMILE * w * across**2
    shape = np.clip(np.cos(across * np.pi / 2), 0, 1) ** 1.5  # 1 in the middle, 0 at corners
    below = np.clip((ys - lips) / 2, 0, 1)
    fade = np.clip((y1 - ys) / (y1 - mouth.chin), 0, 1)
    shift = MOUTH_OPENING * w * opening * shape * below * fade
    source_y = ys - shift
    region = cv2.remap(tile, xs, source_y, cv2.INTER_LINEAR).astype(np.float32)
    gap = (np.clip((lips - source_y) / 1.5, 0, 1) * (below > 0))[..., None]
    depth = 0.75 + 0.25 * across[..., None]  # darker in the middle
    region = region * (1 - gap) + np.array(inside, dtype=np.float32) * depth * gap
    return x0, y0, region.astype(np.uint8)


# --- video ------------------------------------------------------------------

# A call: the host's tile on the left, the guest's on the right, edge to edge
# (a crop on either face then shows no border), and a band under them with the
# names (the one holding the floor in the accent colour) and a running timecode.
TILE_SIZE = (640, 640)
TILE_LEFT = {"host": 0, "guest": 640}
MOUTH_LEVELS = 8
MOUTH_OPENING = 0.15  # of the mouth's width, wide open
MOUTH_INSIDE = (0x5A, 0x22, 0x26)  # before the person's colour grade
SMILE = 0.1  # the corners of the lips' line lie this much of its width higher
BAND = (0x0B, 0x10, 0x22)


@dataclass(frozen=True)
class Tile:
    person: Person
    picture: np.ndarray
    mouth: Mouth
    mouths: list[tuple[int, int, np.ndarray]]  # the mouth region at each level of opening


def make_tiles(photo: Image.Image, people: list[Person]) -> list[Tile]:
    tiles = []
    for person in people:
        look = LOOKS[person.role]
        picture, mouth = tile_picture(photo, look, TILE_SIZE)
        inside = graded(Image.new("RGB", (1, 1), MOUTH_INSIDE), look).getpixel((0, 0))
        levels = [
            open_mouth(picture, mouth, n / (MOUTH_LEVELS - 1), inside) for n in range(MOUTH_LEVELS)
        ]
        tiles.append(Tile(person, picture, mouth, levels))
    return tiles


def call_frame(tiles: list[Tile], active: str | None) -> np.ndarray:
    """The call's still picture: both tiles, and the band with their names
    (``active``'s in the accent colour; the timecode is drawn by ffmpeg)."""
    frame = Image.new("RGB", VIDEO_SIZE, BAND)
    draw = ImageDraw.Draw(frame)
    label = font("bold", 22)
    middle = (TILE_SIZE[1] + VIDEO_SIZE[1]) // 2
    for tile in tiles:
        left = TILE_LEFT[tile.person.role]
        frame.paste(Image.fromarray(tile.picture), (left, 0))
        colour = ACCENT if tile.person.id == active else WHITE
        text = f"{tile.person.name}  ({tile.person.role})"
        draw.text((left + 24, middle), text, colour, label, "lm")
    return np.asarray(frame).copy()


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


def floor_holder(windows: dict[str, list[tuple]], frames: int) -> list[str | None]:
    """Per video frame, who holds the floor (None before anyone speaks)."""
    holder: list[str | None] = [None] * frames
    for person_id, spans in windows.items():
        for start, end in spans:
            for n in range(round(start * FPS), min(frames, round(end * FPS))):
                holder[n] = person_id
    return holder


def mouth_openings(
    samples: np.ndarray, spoken: list[Utterance], words: list[list[SpokenWord]], frames: int
) -> dict[str, np.ndarray]:
    """Per person id and video frame, how far the mouth is open (a level):
    the loudness of the speech in that frame while one of their words is
    said, closed otherwise."""
    step = SAMPLE_RATE // FPS
    padded = np.zeros(frames * step, dtype=np.float32)
    padded[: min(len(samples), len(padded))] = samples[: len(padded)]
    rms = np.sqrt(np.mean(padded.reshape(frames, step) ** 2, axis=1)) + 1e-3
    decibels = 20 * np.log10(rms / 32768)
    openings = {}
    for utterance in spoken:
        openings.setdefault(utterance.person.id, np.zeros(frames, dtype=bool))
    for utterance, line in zip(spoken, words, strict=True):
        for word in line:
            first, last = int(word.start * FPS), int(np.ceil(word.end * FPS))
            openings[utterance.person.id][first : min(frames, last)] = True
    talking = np.any(list(openings.values()), axis=0)
    loud = np.percentile(decibels[talking], 90)
    level = np.clip((decibels - loud + MOUTH_RANGE_DB) / MOUTH_RANGE_DB, 0, 1)
    level = np.round(level * (MOUTH_LEVELS - 1)).astype(int)
    return {person: np.where(mask, level, 0) for person, mask in openings.items()}


MOUTH_RANGE_DB = 18  # the mouth opens from this far under loud speech to wide open


def encode_video(frames: Iterator[np.ndarray], audio: Path, total: float, out: Path) -> None:
    """Frames from Python, the timecode from ffmpeg. Flags chosen for a small,
    reproducible file: a still call compresses to little more than the mouths
    and the timecode, and bitexact drops version stamps."""
    timecode = "%{pts\\:hms}  #%{n}"
    picture = (
        f"drawtext=fontfile='{font_path('medium')}':text='{timecode}':fontsize=20"
        f":fontcolor=white:x=w-tw-24:y={(TILE_SIZE[1] + VIDEO_SIZE[1]) // 2}-th/2,format=yuv420p"
    )
    width, height = VIDEO_SIZE
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", str(FPS),
        "-i", "-", "-i", str(audio), "-vf", picture, "-map", "0:v", "-map", "1:a",
        "-t", f"{total:.3f}", "-r", str(FPS),
        "-c:v", "libx264", "-preset", "medium", "-crf", "33", "-tune", "stillimage",
        "-g", str(FPS * 10), "-threads", "1",
        "-c:a", "aac", "-b:a", "32k", "-ac", "1",
        "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
        "-flags:a", "+bitexact", "-movflags", "+faststart", "-f", "mp4", str(out),
    ]  # fmt: skip
    with subprocess.Popen(command, stdin=subprocess.PIPE) as encoder:
        for frame in frames:
            encoder.stdin.write(frame.tobytes())
        encoder.stdin.close()
    if encoder.returncode:
        raise SystemExit(f"error: ffmpeg failed to encode {out}")


def call_frames(
    tiles: list[Tile], stills: dict[str | None, np.ndarray], holder: list[str | None],
    openings: dict[str, np.ndarray],
) -> Iterator[np.ndarray]:  # fmt: skip
    """Each video frame: the still of whoever holds the floor, each mouth at
    its opening."""
    for n, active in enumerate(holder):
        frame = stills[active].copy()
        for tile in tiles:
            x0, y0, region = tile.mouths[openings[tile.person.id][n]]
            x, y = TILE_LEFT[tile.person.role] + x0, y0
            frame[y : y + region.shape[0], x : x + region.shape[1]] = region
        yield frame


def main() -> None:
    meta = front_matter(EPISODE_FILE)
    slug = EPISODE_FILE.stem
    people = load_people(meta["guests"])
    photo = astronaut()
    portraits = {person.id: make_portrait(photo, LOOKS[person.role]) for person in people}
    for person_id, portrait in portraits.items():
        save_jpeg(portrait, SITE / "images" / "authors" / f"{person_id}.jpg")
    guest = next(person for person in people if person.role == "guest")
    artwork = make_artwork(meta, guest, portraits[guest.id])
    save_jpeg(artwork, SITE / meta["image"])

    spoken = utterances(meta["transcript"], people)
    last_start = max(u.start for u in spoken if u.start is not None)
    total = last_start + TAIL_SECONDS
    frames = round(total * FPS)
    tiles = make_tiles(photo, people)
    stills = {active: call_frame(tiles, active) for active in [None, *portraits]}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        samples, words = render_audio(spoken, total, workdir)
        write_wav(samples, workdir / "speech.wav")
        captions = SITE / "video" / f"{slug}.en.json"
        with atomic_path(captions) as out:
            out.write_text(whisper_json(words), encoding="utf-8")
        holder = floor_holder(speaking_windows(spoken, total), frames)
        openings = mouth_openings(samples, spoken, words, frames)
        pictures = call_frames(tiles, stills, holder, openings)
        with atomic_path(SITE / "video" / f"{slug}.mp4") as out:
            encode_video(pictures, workdir / "speech.wav", total, out)
    print(f"wrote media for {slug} ({total:.0f} s video)")


if __name__ == "__main__":
    main()
