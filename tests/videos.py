"""Generated test videos whose frames carry their own frame number.

Each frame shows 16 vertical stripes across its full width in the top half:
stripe 0 is white and stripe 15 black (a frame marker), stripes 1-13 hold the
frame number in binary (most significant bit first) and stripe 14 its parity.
The stripes span the whole width, so the number survives being scaled and
centred in any clip shape; :func:`read_label` finds a clean row and decodes it.
The lower half is a soft gradient so the blurred background has something to blur.

Audio is a 440 Hz tone, with optional silent stretches (pauses between words).
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from clipper.media.ffmpeg import ffmpeg_exe, probe

STRIPES = 16
DATA_BITS = 13
STRIPE_ROWS = 0.5  # fraction of the frame height carrying the stripes


@dataclass(frozen=True)
class TestVideo:
    """A generated video; frame label ``n`` is shown at time ``n / label_rate``."""

    path: Path
    label_rate: float
    fps: float
    duration: float
    width: int
    height: int
    audio: bool

    __test__ = False  # not a test class, despite the name

    def label_time(self, label: int) -> float:
        return label / self.label_rate


def stripe_bits(number: int) -> list[int]:
    data = [(number >> (DATA_BITS - 1 - i)) & 1 for i in range(DATA_BITS)]
    return [1, *data, sum(data) % 2, 0]


def frame_pixels(number: int, width: int, height: int) -> np.ndarray:
    frame = np.empty((height, width), dtype=np.uint8)
    gradient = np.linspace(70, 170, width, dtype=np.float32)
    frame[:] = gradient.astype(np.uint8)
    columns = (np.arange(width) * STRIPES) // width
    bits = np.array(stripe_bits(number), dtype=np.uint8)[columns] * 255
    frame[: int(height * STRIPE_ROWS)] = bits
    return frame


def make_video(
    path: Path,
    *,
    fps: float,
    seconds: float,
    size: tuple[int, int] = (320, 180),
    audio: bool = True,
    vfr: bool = False,
    silences: tuple[tuple[float, float], ...] = (),
    pix_fmt: str = "yuv420p",
    sar: str = "1",
) -> TestVideo:
    """Encode a numbered video. With ``vfr`` the frames are labelled at 60 fps
    and some are dropped so that frame gaps vary between 1/60 and 3/60 s."""
    width, height = size
    rate = 60.0 if vfr else fps
    count = round(seconds * rate)
    rate_arg = "30000/1001" if abs(rate - 30000 / 1001) < 1e-6 else f"{rate:g}"
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
    cmd += ["-f", "rawvideo", "-pix_fmt", "gray", "-s", f"{width}x{height}"]
    cmd += ["-framerate", rate_arg, "-i", "-"]
    if audio:
        gate = "+".join(f"between(t\\,{a}\\,{b})" for a, b in silences) or "0"
        cmd += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}"]
        cmd += ["-af", f"volume=0.3*not({gate}):eval=frame", "-c:a", "aac"]
    video_filter = f"setsar={sar}"
    if vfr:
        video_filter += ",select='not(eq(mod(n\\,6)\\,2)+eq(mod(n\\,6)\\,4)+eq(mod(n\\,6)\\,5))'"
        cmd += ["-fps_mode", "vfr"]
    cmd += ["-vf", video_filter, "-c:v", "libx264", "-preset", "ultrafast", "-g", "50"]
    cmd += ["-pix_fmt", pix_fmt, str(path)]
    frames = b"".join(frame_pixels(n, width, height).tobytes() for n in range(count))
    subprocess.run(cmd, input=frames, check=True)
    return TestVideo(path, rate, 30.0 if vfr else fps, count / rate, width, height, audio)


def decode_gray_frames(path: Path, passthrough: bool = False) -> tuple[np.ndarray, float]:
    """All frames of ``path`` as a (frames, height, width) gray array, plus fps.
    With ``passthrough`` a variable-rate file gives each frame once."""
    timing = ["-fps_mode", "passthrough"] if passthrough else []
    proc = subprocess.run(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-i",
            str(path),
            *timing,
            "-f",
            "rawvideo",
            "-pix_fmt",
            "gray",
            "-",
        ],
        capture_output=True,
        check=True,
    )
    stderr = proc.stderr.decode(errors="replace")
    width, height = map(int, re.search(r"Video: .*?, (\d+)x(\d+)", stderr).groups())
    fps = float(re.search(r"([\d.]+) fps", stderr).group(1))
    frames = np.frombuffer(proc.stdout, dtype=np.uint8).reshape(-1, height, width)
    return frames, fps


def decode_rgb_frames(path: Path) -> np.ndarray:
    """All frames of ``path`` as a (frames, height, width, 3) RGB array."""
    info = probe(path)
    proc = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    )
    return np.frombuffer(proc.stdout, dtype=np.uint8).reshape(-1, info.height, info.width, 3)


def decode_audio(path: Path, rate: int = 8000) -> np.ndarray:
    """The audio of ``path`` as mono float samples at ``rate``."""
    command = [ffmpeg_exe(), "-v", "error", "-i", str(path), "-ac", "1", "-ar", str(rate)]
    proc = subprocess.run(
        [*command, "-f", "s16le", "-"],
        capture_output=True,
        check=True,
    )
    return np.frombuffer(proc.stdout, dtype=np.int16).astype(np.float32) / 32768


def loud_spans(
    samples: np.ndarray, rate: int = 8000, window: float = 0.01
) -> list[tuple[float, float]]:
    """Stretches (seconds) where the sound is on: 10 ms windows louder than a
    tenth of the loudest one, joined across gaps shorter than 30 ms."""
    size = int(rate * window)
    count = len(samples) // size
    level = np.sqrt(np.mean(samples[: count * size].reshape(count, size) ** 2, axis=1))
    loud = level > 0.1 * level.max()
    spans: list[tuple[float, float]] = []
    for index in np.flatnonzero(loud):
        start, end = index * window, (index + 1) * window
        if spans and start - spans[-1][1] < 0.03:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def read_label(frame: np.ndarray) -> int | None:
    """Decode the frame number from the clean rows of stripes, or None."""
    width = frame.shape[1]
    centres = [int((i + 0.5) * width / STRIPES) for i in range(STRIPES)]
    votes: Counter[int] = Counter()
    for row in frame:
        samples = row[centres].astype(int)
        if not np.all((samples < 60) | (samples > 195)):
            continue
        bits = [int(s > 127) for s in samples]
        data = bits[1 : 1 + DATA_BITS]
        if bits[0] != 1 or bits[-1] != 0 or sum(data) % 2 != bits[-2]:
            continue
        votes[int("".join(map(str, data)), 2)] += 1
    if not votes:
        return None
    label, rows = votes.most_common(1)[0]
    return label if rows >= 3 else None


@pytest.fixture(scope="session")
def test_videos(tmp_path_factory) -> dict[str, TestVideo]:
    """The shared numbered sources: 25 fps, 29.97 fps, variable rate, and an
    awkward one (odd size, non-square pixels, 4:4:4, no audio)."""
    folder = tmp_path_factory.mktemp("videos")
    return {
        "25": make_video(folder / "cfr25.mp4", fps=25, seconds=4),
        "29.97": make_video(folder / "ntsc.mp4", fps=30000 / 1001, seconds=4),
        "vfr": make_video(folder / "vfr.mp4", fps=60, seconds=4, vfr=True),
        "odd": make_video(
            folder / "odd.mkv",
            fps=25,
            seconds=3,
            size=(321, 179),
            audio=False,
            pix_fmt="yuv444p",
            sar="4/3",
        ),
    }


FACE_PHOTO = Path(__file__).parent / "data" / "astronaut_face.jpg"
FACE_SIZE = (160, 208)  # the photo's size; its face box is about (45, 53, 76, 76)
FACE_BOX = 76  # the face box's side in the photo
MOUTH = (62, 108, 40, 18)  # x, y, width, height of the mouth in the photo


def soft_gradients(width: int, height: int, seconds: float) -> str:
    """A lavfi source of soft colour gradients drifting slowly, the same in
    every run (the bundled ffmpeg's ``gradients`` source ignores its seed):
    drawn with ``geq`` at a quarter of the size, then scaled up."""
    colours = (
        "r='120+60*sin(7*X/W+0.3*T)':g='110+50*sin(5*Y/H+0.2*T)':b='140+40*sin(4*(X/W+Y/H)-0.1*T)'"
    )
    small = f"{max(2, width // 4)}x{max(2, height // 4)}"
    return f"nullsrc=s={small}:r=25:d={seconds},format=rgb24,geq={colours},scale={width}:{height}"


def make_face_video(
    path: Path,
    faces: tuple[float, ...],
    *,
    talking: int | None = None,
    seconds: float = 3.0,
    size: tuple[int, int] = (640, 360),
    face_height: int = FACE_BOX,
    keyframe_every: int = 250,
) -> Path:
    """A 25 fps video (640x360 unless ``size``) with the face photo centred at
    each fraction of the width in ``faces`` (none: a face-less picture), scaled
    so that its face box is ``face_height`` pixels; the face at index
    ``talking`` has a mouth that opens and closes five times a second; a
    keyframe every ``keyframe_every`` frames."""
    width, height = size
    scale = face_height / FACE_BOX
    photo_w, photo_h = (round(side * scale) // 2 * 2 for side in FACE_SIZE)
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
    cmd += [
        "-f",
        "lavfi",
        "-i",
        soft_gradients(width, height, seconds),
    ]
    cmd += ["-f", "lavfi", "-i", f"sine=frequency=220:sample_rate=48000:duration={seconds}"]
    chains, last = [], "0:v"
    for n, centre in enumerate(faces):
        cmd += ["-loop", "1", "-t", f"{seconds}", "-i", str(FACE_PHOTO)]
        x, y = round(centre * width - photo_w / 2), (height - photo_h) // 2
        chains.append(f"[{n + 2}:v]scale={photo_w}:{photo_h}[p{n}]")
        chains.append(f"[{last}][p{n}]overlay={x}:{y}:shortest=1[f{n}]")
        last = f"f{n}"
        if n == talking:
            mx, my, mw, mh = (round(v * scale) for v in MOUTH)
            chains.append(
                f"[{last}]drawbox=x={x + mx}:y={y + my}:w={mw}:h={mh}:c=0x301010@0.8:t=fill:"
                f"enable='lt(mod(t,0.2),0.1)'[t{n}]"
            )
            last = f"t{n}"
    chains.append(f"[{last}]format=yuv420p[v]")
    cmd += ["-filter_complex", ";".join(chains), "-map", "[v]", "-map", "1:a"]
    cmd += ["-c:v", "libx264", "-preset", "ultrafast", "-g", str(keyframe_every)]
    cmd += ["-c:a", "aac", "-t", f"{seconds}", str(path)]
    subprocess.run(cmd, check=True)
    return path


def make_band_video(path: Path, *, band: bool = True, seconds: float = 6.0) -> Path:
    """A 640x360 25 fps video of soft moving gradients with a keyframe every
    second; with ``band`` a dark name band burned in from row 300 down."""
    picture = soft_gradients(640, 360, seconds)
    if band:
        picture += ",drawbox=y=300:w=iw:h=60:c=0x202020:t=fill"
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", picture]
    cmd += ["-c:v", "libx264", "-preset", "ultrafast", "-g", "25", "-pix_fmt", "yuv420p", str(path)]
    subprocess.run(cmd, check=True)
    return path


def make_call_video(
    path: Path, *, speaker: int = 0, reacting: bool = True, seconds: float = 3.0
) -> Path:
    """A 1280x720 25 fps side-by-side call: two tiles, each with the face photo
    at twice its size, the right one mirrored and tinted blue (another
    person). The ``speaker`` tile's (0: left) mouth opens and closes five
    times a second; with ``reacting`` the other person nods."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
    cmd += ["-f", "lavfi", "-i", f"color=c=0x6b5a4a:s=640x720:r=25:d={seconds}"]
    cmd += ["-f", "lavfi", "-i", f"color=c=0x3d4f5c:s=640x720:r=25:d={seconds}"]
    cmd += ["-f", "lavfi", "-i", f"sine=frequency=220:sample_rate=48000:duration={seconds}"]
    cmd += ["-loop", "1", "-t", f"{seconds}", "-i", str(FACE_PHOTO)]
    width, height = FACE_SIZE[0] * 2, FACE_SIZE[1] * 2
    x, y = (640 - width) // 2, (720 - height) // 2
    mx, my, mw, mh = (2 * v for v in MOUTH)
    nod = f"{y}+2*sin(2*PI*t*1.5)" if reacting else str(y)
    chains = [
        f"[3:v]scale={width}:{height},split[p0][p1raw]",
        "[p1raw]hflip,colorchannelmixer=rr=0.8:bb=1.2[p1]",
    ]
    for n in (0, 1):
        move = str(y) if n == speaker else nod
        chains.append(f"[{n}:v][p{n}]overlay=x={x}:y='{move}':eval=frame:shortest=1[t{n}]")
        if n == speaker:
            mouth_x = x + (mx if n == 0 else width - mx - mw)
            chains.append(
                f"[t{n}]drawbox=x={mouth_x}:y={y + my}:w={mw}:h={mh}:c=0x301010@0.8:t=fill:"
                f"enable='lt(mod(t,0.2),0.1)'[t{n}m]"
            )
        else:
            chains.append(f"[t{n}]null[t{n}m]")
    chains.append("[t0m][t1m]hstack,format=yuv420p[v]")
    cmd += ["-filter_complex", ";".join(chains), "-map", "[v]", "-map", "2:a"]
    cmd += ["-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-t", f"{seconds}", str(path)]
    subprocess.run(cmd, check=True)
    return path
