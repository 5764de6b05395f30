"""ffmpeg access and media facts.

ffmpeg comes from imageio-ffmpeg, so nothing needs installing on the system.
There is no ffprobe in that package: :func:`probe` parses the stream summary
that ``ffmpeg -i FILE`` prints on stderr.
"""

from __future__ import annotations

import functools
import re
import struct
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from clipper.errors import ClipperError

# Frame rates that sources really use; a measured rate within 1% snaps to one.
STANDARD_RATES = (24000 / 1001, 24.0, 25.0, 30000 / 1001, 30.0, 50.0, 60000 / 1001, 60.0)
MAX_FPS = 60.0
FALLBACK_FPS = 30.0


@functools.cache
def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary bundled with imageio-ffmpeg (looked up once:
    the lookup costs a noticeable part of a short clip's time)."""
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def run_ffmpeg(args: Sequence[str], what: str | None = None) -> str:
    """Run ffmpeg with ``args``; return its stderr, or raise a one-line error.

    ``what`` names the thing being made (a file, a step) for the message; a
    caller that knows the episode or quote adds it as error context instead.
    """
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    if proc.returncode != 0:
        prefix = f"{what}: " if what else ""
        raise ClipperError(f"{prefix}ffmpeg failed: {last_error_line(proc.stderr)}")
    return proc.stderr


def stretch_name(path: Path, start: float, end: float) -> str:
    """How an error names a stretch of a media file: ``talk.mp4 (37.2-41.1 s)``."""
    return f"{path.name} ({start:.1f}-{end:.1f} s)"


# ffmpeg's words for frames or packets that do not decode: damage in the file
DAMAGE_SIGNS = ("Decode error rate", "Invalid data found", "error while decoding", "corrupt")
# lines that only say that something failed, after the line that says what
AFTERMATH = ("Conversion failed!", "Terminating thread", "Task finished with error code")


def last_error_line(stderr: str) -> str:
    """The most telling line of an ffmpeg failure: damage in the media said
    plainly, else its last line that is more than "Conversion failed!"."""
    if any(sign in stderr for sign in DAMAGE_SIGNS):
        return "the media does not decode there (damaged or corrupt)"
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    telling = [line for line in lines if not any(word in line for word in AFTERMATH)]
    return (telling or lines or ["no output"])[-1]


@dataclass(frozen=True)
class MediaInfo:
    """What ``ffmpeg -i`` says about a file.

    ``width``/``height`` are the displayed size (rotation applied, as ffmpeg
    decodes it); ``fps`` is the average rate and ``tbr`` ffmpeg's guess of the
    real base rate (they differ for variable frame rate files).
    """

    path: Path
    duration: float
    width: int
    height: int
    fps: float
    tbr: float
    video_codec: str
    pix_fmt: str
    sar: tuple[int, int]
    audio_codec: str | None
    audio_rate: int | None
    audio_channels: str | None

    @property
    def has_audio(self) -> bool:
        return self.audio_codec is not None

    @property
    def display_width(self) -> int:
        """Width once non-square pixels are stretched to square ones."""
        num, den = self.sar
        return round(self.width * num / den) if num and den else self.width


_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_STREAM = re.compile(r"Stream #\d+:\d+.*?: (Video|Audio): (.*)")
_SIZE = re.compile(r"^(\d+)x(\d+)")
_SAR = re.compile(r"\[SAR (\d+):(\d+)")
_RATE = re.compile(r"([\d.]+)(k?) (fps|tbr)")
_ROTATION = re.compile(r"rotation of (-?[\d.]+) degrees")
_HZ = re.compile(r"(\d+) Hz")


def split_top_level(text: str) -> list[str]:
    """Split ffmpeg's comma-separated stream summary, ignoring commas in brackets."""
    parts, depth, current = [], 0, []
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return parts


def _rate(summary: str, kind: str) -> float:
    for value, kilo, name in _RATE.findall(summary):
        if name == kind:
            return float(value) * (1000 if kilo else 1)
    return 0.0


def parse_probe(path: Path, stderr: str, need_video: bool | None = True) -> MediaInfo:
    """Build :class:`MediaInfo` from ``ffmpeg -i`` stderr. Raises when there
    is no video (``need_video``), no audio (``need_video=False``; the picture
    fields are then zero) or neither (``None``)."""
    video = audio = None
    for kind, summary in _STREAM.findall(stderr):
        if kind == "Video" and video is None and "attached pic" not in summary:
            video = summary
        elif kind == "Audio" and audio is None:
            audio = summary
    if video is None and need_video:
        raise ClipperError(f"{path}: no video stream (audio only, or not a media file)")
    if audio is None and need_video is False:
        raise ClipperError(f"{path}: no audio stream (or not a media file)")
    if video is None and audio is None:
        raise ClipperError(f"{path}: no video or audio stream (not a media file)")
    video = video or "none, none, 0x0"  # audio only: no codec, no picture
    fields = split_top_level(video)
    codec = fields[0].split()[0]
    pix_fmt = fields[1].split("(")[0] if len(fields) > 1 else ""
    size = next((m for f in fields if (m := _SIZE.match(f))), None)
    if size is None:
        raise ClipperError(f"{path}: cannot read the video frame size")
    width, height = int(size.group(1)), int(size.group(2))
    rotation = _ROTATION.search(stderr)
    if rotation and round(abs(float(rotation.group(1)))) % 180 == 90:
        width, height = height, width
    sar = _SAR.search(video)
    duration = _DURATION.search(stderr)
    audio_fields = split_top_level(audio) if audio else []
    hz = _HZ.search(audio) if audio else None
    return MediaInfo(
        path=path,
        duration=(
            int(duration.group(1)) * 3600 + int(duration.group(2)) * 60 + float(duration.group(3))
            if duration
            else 0.0
        ),
        width=width,
        height=height,
        fps=_rate(video, "fps"),
        tbr=_rate(video, "tbr"),
        video_codec=codec,
        pix_fmt=pix_fmt,
        sar=(int(sar.group(1)), int(sar.group(2))) if sar else (1, 1),
        audio_codec=audio_fields[0].split()[0] if audio_fields else None,
        audio_rate=int(hz.group(1)) if hz else None,
        audio_channels=audio_fields[2] if len(audio_fields) > 2 else None,
    )


def probe(path: Path | str, need_video: bool | None = True) -> MediaInfo:
    """Media facts of ``path``; raises ClipperError naming it when it is
    missing, empty, a folder, unreadable, truncated (its last seconds do not
    decode: a partial download or copy), or lacks video (``need_video``),
    audio (``need_video=False``) or both (``None``).

    Callers probe before any other work on a file, so a bad one costs one
    error line and nothing else."""
    path = Path(path)
    what = {True: "video", False: "audio", None: "media"}[need_video]
    if path.is_dir():
        raise ClipperError(f"{path}: a folder, not a media file")
    if not path.is_file():
        raise ClipperError(f"{path}: {what} file not found")
    if path.stat().st_size == 0:
        raise ClipperError(f"{path}: empty file (0 bytes)")
    proc = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-nostdin", "-i", str(path)],
        capture_output=True,
        text=True,
        errors="replace",
    )
    if "Invalid data found" in proc.stderr or "moov atom not found" in proc.stderr:
        raise ClipperError(f"{path}: not a readable {what} (corrupt or truncated)")
    info = parse_probe(path, proc.stderr, need_video)
    if info.duration <= 0:
        raise ClipperError(f"{path}: unknown or zero duration")
    if not decodes_at_end(info):
        raise ClipperError(
            f"{path}: truncated or corrupt: its last seconds (of {info.duration:.0f} s) "
            "do not decode"
        )
    return info


TAIL_SECONDS = 2.0  # how far before the stated end a complete file must still decode


def decodes_at_end(info: MediaInfo) -> bool:
    """Whether the audio, else the picture, of ``info.path`` decodes near its
    stated end. A file cut short (its index written first, as a fast-start MP4
    is) probes as complete; only decoding its tail shows the data is missing."""
    head = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "quiet"]
    if info.duration > TAIL_SECONDS:  # a still image (a poster) decodes only unseeked
        head += ["-ss", f"{info.duration - TAIL_SECONDS:.3f}"]
    head += ["-i", str(info.path)]
    tries = []
    if info.has_audio:
        tries.append(["-map", "0:a:0", "-t", "0.5", "-ac", "1", "-ar", "8000", "-f", "s16le"])
    if info.width:
        tries.append(["-map", "0:v:0", "-frames:v", "1", "-vf", "scale=16:16"])
        tries[-1] += ["-pix_fmt", "gray", "-f", "rawvideo"]
    return any(subprocess.run([*head, *args, "-"], capture_output=True).stdout for args in tries)


def output_fps(info: MediaInfo) -> float:
    """A constant frame rate for the output: the source's average rate snapped
    to a standard one, or a sane fallback for odd variable-rate files."""
    measured = info.fps or info.tbr
    nearest = min(STANDARD_RATES, key=lambda rate: abs(measured - rate))
    if abs(measured - nearest) <= nearest * 0.01:
        return nearest
    if 10 <= measured <= MAX_FPS:
        return float(round(measured))
    return MAX_FPS if measured > MAX_FPS else FALLBACK_FPS


def top_level_boxes(path: Path | str) -> list[str]:
    """Names of the top-level MP4 boxes in file order (``ftyp``, ``moov``, ``mdat`` ...)."""
    names = []
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        end = fh.tell()
        offset = 0
        while offset + 8 <= end:
            fh.seek(offset)
            size, name = struct.unpack(">I4s", fh.read(8))
            if size == 1:
                size = struct.unpack(">Q", fh.read(8))[0]
            elif size == 0:
                size = end - offset
            if size < 8:
                break
            names.append(name.decode("latin-1"))
            offset += size
    return names


def is_faststart(path: Path | str) -> bool:
    """True when the ``moov`` index comes before the media data (web playback
    can start before the whole file is downloaded)."""
    boxes = top_level_boxes(path)
    return "moov" in boxes and "mdat" in boxes and boxes.index("moov") < boxes.index("mdat")
