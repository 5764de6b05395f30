"""Speaker framing: where the speaker's face is, and a steady crop that follows it.

One pass over the quote's stretch of the source (the bundled
ffmpeg decodes gray frames into a pipe) feeds two questions:

- **Faces**: OpenCV's bundled Haar cascade finds frontal faces in each sample,
  in two passes (see :func:`find_faces`): at ``SCAN_WIDTH`` for faces of a
  ninth of the height and more, then, only in a sample where that found none,
  at ``DETAIL_WIDTH`` for faces down to ``SMALLEST_FACE`` of the height (a
  wide studio shot). Detections are linked into *tracks* (one per person on
  screen, a new track when a face jumps, as at a layout change). The speaker
  is the track whose mouth region changes most while the quote is spoken, so
  in a side-by-side call the crop sits on the one who talks.
- **The source's own lower third**: a hard horizontal edge across most of the
  width, in the bottom of every sample, is a name band burned into the video;
  layouts keep captions above it and crop it out where clipper shows the name.

What is decoded depends on what is asked. Faces are first looked for in the
stretch's keyframes (below): when every one of them shows the same single
face, still, there is nobody else to choose and nothing to follow, so that is
the whole scan (one person on camera, the common case: about a tenth of the
cost). Otherwise faces need ``SAMPLE_FPS`` frames a second (the mouth moves
between neighbouring samples), and the band is read from the same frames.
The band alone (16:9 clips, ``fit`` framing) needs only
a few pictures spread over the stretch, so only keyframes are decoded: the one
the stretch's first frame is decoded from and those within it, at most one per
``BAND_GAP`` seconds (which thins an intra-only source). A keyframe stands
alone, so everything between them is skipped: the pass costs about a tenth of
a 4 fps one on a noisy 1080p source with a keyframe every 5 s, and half on the
example's small 360p video. A long keyframe interval gives fewer samples (the
example's 10 s: one to three a quote), every one of which must show the band.

The crop path is a list of :class:`Move` (hold still, or pan briefly when the
same person drifts out of a dead band; jump at once when the speaker's track
changes) turned into a piecewise ffmpeg expression of ``t``, so the clip is
still one ffmpeg run with no Python frame loop.

Why the Haar cascade and not a better detector: OpenCV's YuNet
(``cv2.FaceDetectorYN``) needs an ONNX model file that no wheel ships, and
the cascade, which ``opencv-python-headless`` bundles, finds frontal faces of
a podcast camera or call well once small faces get the second pass.

numpy and cv2 are imported inside functions: ``clipper --help`` never loads them.
"""

from __future__ import annotations

import functools
import statistics
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from clipper.errors import ClipperError
from clipper.media.ffmpeg import MediaInfo, ffmpeg_exe, last_error_line, stretch_name

if TYPE_CHECKING:
    import numpy as np

SAMPLE_FPS = 4  # frames decoded a second; faces are looked for in every other one
BAND_GAP = 1.0  # seconds: keyframes closer than this to the last one kept are dropped
SCAN_WIDTH = 384  # faces of 1/9 of the height and more are looked for at this width ...
DETAIL_WIDTH = 960  # ... smaller ones at this one, where face samples are decoded
SMALLEST_FACE = 1 / 18  # of the height: the second pass looks for faces this small
STEADY = 0.25  # face widths a lone face may shift between keyframes and count as still
LINK_DISTANCE = 0.6  # a face continues a track within this many face widths
LINK_GAP = 1.5  # seconds a track may go unseen and still continue
MIN_TRACK_SHARE = 0.2  # tracks seen in fewer samples than this are noise
DEAD_BAND = 0.12  # the crop moves only when the face drifts this far (crop widths)
PAN_SECONDS = 0.5
MIN_SHOT = 1.0  # seconds: a shorter switch to another face is ignored
BAND_ZONE = 0.6  # a source name band starts below this fraction of the height
BAND_EDGE = 18  # grey levels: a band's top edge is at least this sharp ...
BAND_SPAN = 0.7  # ... across at least this much of the width, in every sample


@dataclass(frozen=True)
class Face:
    """A detection in scan pixels, at ``t`` seconds of the clip."""

    t: float
    x: float
    y: float
    w: float
    h: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2


@dataclass
class Track:
    """One face followed through the samples; ``talk`` is its mouth motion."""

    faces: list[Face] = field(default_factory=list)
    talk: float = 0.0

    def at(self, t: float) -> Face | None:
        """The detection nearest ``t`` while the track is on screen (gaps
        between detections bridged; half a detection interval past its ends)."""
        margin = 0.5 / SAMPLE_FPS
        if not self.faces[0].t - margin <= t <= self.faces[-1].t + margin:
            return None
        return min(self.faces, key=lambda f: abs(f.t - t))


@dataclass(frozen=True)
class Scan:
    """What one pass over a clip's stretch of the source found (scan pixels;
    ``scale`` converts them to source pixels)."""

    width: int
    height: int
    scale: float
    tracks: list[Track]
    band_top: int | None  # in source pixels: where the source's own lower third starts


@dataclass(frozen=True)
class Move:
    """From ``start`` the window's top-left goes from ``a`` to ``b`` over
    ``pan`` seconds (``pan`` 0: it is at ``b`` at once) and stays there."""

    start: float
    a: tuple[int, int]
    b: tuple[int, int]
    pan: float = 0.0


@dataclass(frozen=True)
class CropPath:
    """A ``width`` x ``height`` window (source pixels) moving as ``moves`` say."""

    width: int
    height: int
    moves: list[Move]

    def position(self, t: float) -> tuple[float, float]:
        """Where the window is at ``t`` (what the ffmpeg expression computes)."""
        current = self.moves[0]
        for move in self.moves:
            if move.start <= t:
                current = move
        if current.pan <= 0:
            return current.b
        k = min(1.0, (t - current.start) / current.pan)
        return tuple(a + (b - a) * k for a, b in zip(current.a, current.b, strict=True))

    def retimed(self, clock: Callable[[float], float]) -> CropPath:
        """The same path on another clock (a tightened clip's): each move
        starts at ``clock(start)``."""
        moves = [replace(move, start=clock(move.start)) for move in self.moves]
        return replace(self, moves=moves)

    def expression(self, axis: int) -> str:
        """A piecewise expression of ``t`` for the window's x (axis 0) or y (1)."""
        text = _move_value(self.moves[-1], axis)
        for move, after in zip(self.moves[-2::-1], self.moves[:0:-1], strict=True):
            text = f"if(lt(t,{after.start:.3f}),{_move_value(move, axis)},{text})"
        return text

    def filter(self) -> str:
        x, y = self.expression(0), self.expression(1)
        return f"crop={self.width}:{self.height}:x='{x}':y='{y}'"


def _move_value(move: Move, axis: int) -> str:
    a, b = move.a[axis], move.b[axis]
    if move.pan <= 0 or a == b:
        return str(b)
    return f"{a}+({b - a})*min(1,(t-{move.start:.3f})/{move.pan:.3f})"


@functools.cache
def _cascade():
    import cv2

    path = cv2.data.haarcascades + "haarcascade_frontalface_default.xml"
    cascade = cv2.CascadeClassifier(path)
    if cascade.empty():
        raise ClipperError(f"{path}: OpenCV's face model is missing (opencv-python-headless<5)")
    return cascade


def decode_samples(
    source: MediaInfo,
    start: float,
    duration: float,
    keyframes: bool = False,
    width: int | None = None,
) -> tuple[np.ndarray, float]:
    """Gray frames of the stretch, and the factor from their pixels to the
    source's displayed pixels: ``SAMPLE_FPS`` a second at ``DETAIL_WIDTH``
    (the decode costs the same as at half that width; a smaller source is
    scaled up, so a face of 1/15 of its height still fills the cascade's
    smallest window), or with ``keyframes`` only the stretch's keyframes at
    ``SCAN_WIDTH`` (see the module notes; their times are not known, which is
    all a band check needs); ``width`` overrides the width."""
    import numpy as np

    if width is None:
        width = min(SCAN_WIDTH, source.display_width) if keyframes else DETAIL_WIDTH
    width -= width % 2
    height = max(2, round(width * source.height / source.display_width / 2) * 2)
    size = f"scale={width}:{height}:flags=area,format=gray"
    if keyframes:
        # The seek stops on the keyframe at or before the start, without
        # decoding on to the start; the select thins intra-only sources.
        skip = ("-skip_frame", "nokey", "-noaccurate_seek")
        thin = f"select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,{BAND_GAP})'"
        video = ("-vf", f"{thin},{size}", "-fps_mode", "passthrough")
    else:
        # Skipping frames nothing refers to (most B-frames) and deblocking makes
        # the decode a third cheaper; a low-resolution look at 4 fps misses nothing.
        skip = ("-skip_frame", "noref", "-skip_loop_filter", "all")
        video = ("-vf", f"fps={SAMPLE_FPS},{size}")
    cmd = [
        *(ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", *skip),
        *("-ss", f"{max(0.0, start):.3f}", "-t", f"{duration:.3f}"),
        *("-i", str(source.path)),
        *("-an", "-sn", *video, "-f", "rawvideo", "-"),
    ]
    proc = subprocess.run(cmd, capture_output=True)
    if proc.returncode != 0:
        reason = last_error_line(proc.stderr.decode(errors="replace"))
        stretch = stretch_name(source.path, start, start + duration)
        raise ClipperError(f"{stretch}: cannot read frames for framing: {reason}")
    frames = np.frombuffer(proc.stdout, dtype=np.uint8)
    count = len(frames) // (width * height)
    frames = frames[: count * width * height].reshape(count, height, width)
    return frames, source.display_width / width


def detect_faces(
    frame: np.ndarray, t: float, smallest: int | None = None, largest: int = 0, fine: bool = False
) -> list[Face]:
    """Faces in ``frame`` from ``smallest`` (default: a ninth of the height,
    20 px at least) to ``largest`` pixels wide (0: any). ``fine`` steps the
    window size by 5 % instead of 15 % and asks for more overlapping hits: a
    face near the cascade's smallest window is found in every sample, not in
    one of two, and no more false ones."""
    smallest = smallest or max(20, frame.shape[0] // 9)
    found = _cascade().detectMultiScale(
        frame,
        scaleFactor=1.05 if fine else 1.15,
        minNeighbors=8 if fine else 5,
        minSize=(smallest, smallest),
        maxSize=(largest, largest),
    )
    return [Face(t, float(x), float(y), float(w), float(h)) for x, y, w, h in found]


def find_faces(frame: np.ndarray, t: float) -> list[Face]:
    """Faces of every size down to ``SMALLEST_FACE`` of the height, in frame
    pixels, looking at full size only where a quick look finds none.

    The first pass runs on ``frame`` scaled to ``SCAN_WIDTH`` (a sixth of the
    pixels of a ``DETAIL_WIDTH`` one). The cascade's smallest window is 24 px,
    so there a face under about a ninth of the height is missed; the second
    pass looks for just those sizes on the full frame, finely (the scales the
    first pass covered are skipped, which keeps its cost to a few first
    passes), in the samples that need it."""
    import cv2

    height, width = frame.shape
    small = frame
    if width > SCAN_WIDTH:
        size = (SCAN_WIDTH, round(height * SCAN_WIDTH / width))
        small = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
    factor = width / small.shape[1]
    found = detect_faces(small, t)
    if found:
        return [Face(t, f.x * factor, f.y * factor, f.w * factor, f.h * factor) for f in found]
    covered = round(max(20, small.shape[0] // 9) * factor)  # the first pass's smallest face
    smallest = max(20, round(height * SMALLEST_FACE))
    if smallest >= covered:
        return []
    return detect_faces(frame, t, smallest, round(covered * 1.2), fine=True)


def steady_face(frames: np.ndarray, duration: float) -> list[Track] | None:
    """The one track of a face that every sample (keyframes, at least two)
    shows alone and in the same place (within ``STEADY`` face widths, the
    same size within a fifth), spread over ``duration``; None when that is
    not so and the stretch needs the full scan."""
    if len(frames) < 2:
        return None
    found = [find_faces(frame, 0.0) for frame in frames]
    if any(len(faces) != 1 for faces in found):
        return None
    first, *others = (faces[0] for faces in found)
    for face in others:
        if _distance(face.centre, first.centre) > STEADY * first.w:
            return None
        if not 0.8 < face.w / first.w < 1.25:
            return None
    step = duration / (len(found) - 1)
    return [Track([replace(faces[0], t=n * step) for n, faces in enumerate(found)])]


def link_tracks(faces: list[list[Face]]) -> list[Track]:
    """Join detections of consecutive samples into tracks, and drop tracks
    seen too rarely to be anything but false detections."""
    tracks: list[Track] = []
    for detections in faces:
        taken: set[int] = set()
        for face in detections:
            best, distance = None, LINK_DISTANCE * face.w
            for index, track in enumerate(tracks):
                last = track.faces[-1]
                gap = _distance(last.centre, face.centre)
                fresh = face.t - last.t <= LINK_GAP and 0.6 < face.w / last.w < 1.6
                if index not in taken and fresh and gap <= distance:
                    best, distance = index, gap
            if best is None:
                tracks.append(Track([face]))
                taken.add(len(tracks) - 1)
            else:
                tracks[best].faces.append(face)
                taken.add(best)
    enough = max(2, MIN_TRACK_SHARE * len(faces))
    return [track for track in tracks if len(track.faces) >= enough]


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5


def mouth_motion(frames: np.ndarray, track: Track, speech: tuple[float, float]) -> float:
    """Mean change of the mouth region from each detection to the next sample
    while the quote is spoken (the whole clip if the face is absent then)."""
    import numpy as np

    def changes(within: bool) -> list[float]:
        values = []
        for face in track.faces:
            index = _index(face.t)
            if (within and not speech[0] <= face.t <= speech[1]) or index + 1 >= len(frames):
                continue
            x0, x1 = round(face.x + face.w * 0.25), round(face.x + face.w * 0.75)
            y0, y1 = round(face.y + face.h * 0.65), round(face.y + face.h * 0.95)
            now = frames[index, y0:y1, x0:x1].astype(np.int16)
            then = frames[index + 1, y0:y1, x0:x1].astype(np.int16)
            if now.size:
                values.append(float(np.abs(now - then).mean()))
        return values

    values = changes(within=True) or changes(within=False)
    return statistics.fmean(values) if values else 0.0


def _index(t: float) -> int:
    return round(t * SAMPLE_FPS)


def find_band(frames: np.ndarray) -> int | None:
    """Top row (scan pixels) of a name band burned into the bottom of the
    source: a sharp horizontal edge across most of the width in every sample."""
    import numpy as np

    if len(frames) == 0:
        return None
    height = frames.shape[1]
    top = int(height * BAND_ZONE)
    rows = frames[:, top - 1 :, :].astype(np.int16)
    edges = np.abs(rows[:, 2:, :] - rows[:, :-2, :]) >= BAND_EDGE  # samples, rows, columns
    share = edges.mean(axis=2).min(axis=0)  # the weakest sample decides
    strong = np.flatnonzero(share >= BAND_SPAN)
    return top + int(strong[0]) + 1 if len(strong) else None


def scan(
    source: MediaInfo,
    start: float,
    duration: float,
    speech: tuple[float, float],
    faces: bool = True,
) -> Scan:
    """Faces (as scored tracks) and the source's name band in a clip's
    stretch; without ``faces`` no face is looked for and only the stretch's
    keyframes are decoded, for the band. With ``faces`` the keyframes are
    looked at first, and the stretch is decoded at ``SAMPLE_FPS`` only when
    they do not show one steady face (see the module notes)."""
    if not faces:
        frames, scale = decode_samples(source, start, duration, keyframes=True)
        tracks = []
    else:
        frames, scale = decode_samples(source, start, duration, True, DETAIL_WIDTH)
        tracks = steady_face(frames, duration)
        if tracks is None:
            frames, scale = decode_samples(source, start, duration)
            every = range(0, len(frames), 2)
            tracks = link_tracks([find_faces(frames[i], i / SAMPLE_FPS) for i in every])
            for track in tracks:
                track.talk = mouth_motion(frames, track, speech)
    band = find_band(frames)
    height, width = frames.shape[1:] if len(frames) else (source.height, source.display_width)
    band_top = round(band * source.height / height) if band else None
    return Scan(width, height, scale, tracks, band_top)


def speaker_centres(scan: Scan, duration: float) -> list[tuple[float, int, tuple[float, float]]]:
    """For each sample: its time, the chosen track and that face's centre
    (scan pixels). The chosen track is the most talkative one on screen;
    samples without a face keep the previous choice."""
    chosen: list[tuple[float, int, tuple[float, float]]] = []
    for i in range(max(1, round(duration * SAMPLE_FPS))):
        t = i / SAMPLE_FPS
        visible = [(n, face) for n, track in enumerate(scan.tracks) if (face := track.at(t))]
        if visible:
            previous = chosen[-1][1] if chosen else None
            n, face = max(visible, key=lambda v: (scan.tracks[v[0]].talk, v[0] == previous))
            chosen.append((t, n, face.centre))
        elif chosen:
            chosen.append((t, *chosen[-1][1:]))
    if chosen and chosen[0][0] > 0:  # before the first face: where it first is
        chosen.insert(0, (0.0, *chosen[0][1:]))
    return _drop_short_shots(chosen)


def _drop_short_shots(
    chosen: list[tuple[float, int, tuple[float, float]]],
) -> list[tuple[float, int, tuple[float, float]]]:
    """Keep the previous framing through a switch to another face that lasts
    less than ``MIN_SHOT`` (two cuts in a second look like a glitch)."""
    kept = list(chosen)
    start = 0
    while start < len(kept):
        end = start
        while end < len(kept) and kept[end][1] == kept[start][1]:
            end += 1
        if start > 0 and end < len(kept) and (end - start) / SAMPLE_FPS < MIN_SHOT:
            kept[start:end] = [(t, *kept[start - 1][1:]) for t, _, _ in kept[start:end]]
            start = 0  # the runs around it may have merged
            continue
        start = end
    return kept


def window(source: MediaInfo, aspect: float, usable_height: int) -> tuple[int, int]:
    """The largest even ``aspect`` (width/height) window in the usable area,
    in displayed pixels."""
    height = min(usable_height, source.display_width / aspect)
    return max(2, int(height * aspect) // 2 * 2), max(2, int(height) // 2 * 2)


def plan_path(scan: Scan, source: MediaInfo, aspect: float, duration: float) -> CropPath | None:
    """A steady crop on the speaker, or None when no face was found.

    Coordinates are the source's stored pixels (ffmpeg crops before scaling)."""
    chosen = speaker_centres(scan, duration)
    if not chosen:
        return None
    return follow(chosen, scan, source, window(source, aspect, scan.band_top or source.height))


def follow(
    chosen: list[tuple[float, int, tuple[float, float]]],
    scan: Scan,
    source: MediaInfo,
    size: tuple[int, int],
) -> CropPath:
    """A steady ``size`` window (displayed pixels) on the faces ``chosen``
    (per sample: time, track, centre in scan pixels): it holds still, pans
    briefly when the face drifts out of the dead band, and cuts when the
    track changes."""
    usable = scan.band_top or source.height
    width, height = size
    stored = source.width / source.display_width  # non-square pixels

    def corner(centre: tuple[float, float]) -> tuple[int, int]:
        cx, cy = centre[0] * scan.scale, centre[1] * scan.scale
        x = min(max(0.0, cx - width / 2), source.display_width - width)
        y = min(max(0.0, cy - height * 0.45), usable - height)
        return round(x * stored) // 2 * 2, round(y) // 2 * 2

    crop_width = min(round(width * stored) // 2 * 2, source.width - source.width % 2)
    path = CropPath(crop_width, height, [])
    hold_track, hold = None, 0.0
    for t, track, centre in chosen:
        cx = centre[0] * scan.scale
        if track != hold_track:  # another person or layout: cut
            start = 0.0 if not path.moves else t - 0.5 / SAMPLE_FPS
            path.moves.append(Move(start, corner(centre), corner(centre)))
            hold_track, hold = track, cx
        elif abs(cx - hold) > DEAD_BAND * width:  # the same person moved: short pan
            here = tuple(round(v) for v in path.position(t))
            path.moves.append(Move(t, here, corner(centre), PAN_SECONDS))
            hold = cx
    return path
