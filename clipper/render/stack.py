"""Both speakers on screen: the two faces of a side-by-side call, one above the other.

``--frame stack`` (9:16) finds the two people in the faces that
:func:`clipper.render.framing.scan` tracked: the two tracks seen in most of
the quote's stretch, side by side. Each gets its own steady window, cropped
as speaker framing crops one face (:func:`~clipper.render.framing.follow`),
no wider than the distance between the two faces, so a window holds its
person's half of the call and not the other's face. The speaker is the
track whose mouth moves most while the quote is said; the theme's
``stack_speaker`` puts the speaker's panel on top (``top``) or keeps the
call's left-to-right order and draws a border round the speaker's panel
(``highlight``).

``--frame auto`` stacks only when the stack shows something: two faces share
the stretch and the other person *reacts* (their face moves at least
``REACT_SHARE`` as much as the speaker's, e.g. nods and smiles); a still
listener (a frozen tile, a photo) gets the speaker alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from clipper.render.framing import SAMPLE_FPS, CropPath, Scan, Track, follow

if TYPE_CHECKING:
    from clipper.media.ffmpeg import MediaInfo

STACK_SHAPE = "9:16"
PAIR_SHARE = 0.5  # each person is seen in at least this share of the face samples
REACT_SHARE = 0.15  # auto: the listener's face moves at least this share of the speaker's ...
REACT_FLOOR = 1.0  # ... and at least this much (mean grey levels, above encoder noise)
DETECT_FPS = SAMPLE_FPS / 2  # faces are looked for in every other sample


@dataclass(frozen=True)
class Pair:
    """The two crops of a stack, top panel first; ``speaker`` is the index
    of the speaker's panel (0: on top)."""

    paths: tuple[CropPath, CropPath]
    speaker: int


def find_pair(scan: Scan, duration: float) -> tuple[int, int] | None:
    """The tracks of two people side by side through the stretch, the
    speaker's first, or None. Each must be seen in ``PAIR_SHARE`` of the
    face samples, and the two must not overlap across the picture."""
    samples = max(1.0, duration * DETECT_FPS)
    seen = [n for n, track in enumerate(scan.tracks) if len(track.faces) / samples >= PAIR_SHARE]
    if len(seen) < 2:
        return None
    first, second = sorted(seen, key=lambda n: len(scan.tracks[n].faces), reverse=True)[:2]
    a, b = scan.tracks[first], scan.tracks[second]
    if abs(_centre_x(a) - _centre_x(b)) < (_width(a) + _width(b)) / 2:
        return None  # one above the other, or one person found twice
    return (first, second) if a.talk >= b.talk else (second, first)


def reacts(scan: Scan, pair: tuple[int, int]) -> bool:
    """Whether the listener's face moves enough to be worth showing."""
    speaker, listener = (scan.tracks[n].talk for n in pair)
    return listener >= max(REACT_FLOOR, REACT_SHARE * speaker)


def plan_pair(
    scan: Scan,
    source: MediaInfo,
    aspect: float,
    duration: float,
    *,
    speaker_on_top: bool,
    need_reaction: bool,
) -> Pair | None:
    """Steady ``aspect`` crops on both people, or None when the stretch is
    not a two-person call (or, with ``need_reaction``, the listener is still)."""
    pair = find_pair(scan, duration)
    if pair is None or (need_reaction and not reacts(scan, pair)):
        return None
    size = _window(scan, source, aspect, pair)
    paths = {n: follow(_track_centres(scan, n, duration), scan, source, size) for n in pair}
    order = pair if speaker_on_top else tuple(sorted(pair, key=lambda n: _centre_x(scan.tracks[n])))
    top, bottom = order
    return Pair((paths[top], paths[bottom]), order.index(pair[0]))


def _window(scan: Scan, source: MediaInfo, aspect: float, pair: tuple[int, int]) -> tuple[int, int]:
    """The panels' window (displayed pixels): as large as the picture allows
    at ``aspect``, no wider than the distance between the two faces."""
    usable = scan.band_top or source.height
    apart = abs(_centre_x(scan.tracks[pair[0]]) - _centre_x(scan.tracks[pair[1]])) * scan.scale
    width = min(apart, source.display_width, usable * aspect)
    return max(2, int(width) // 2 * 2), max(2, int(width / aspect) // 2 * 2)


def _track_centres(
    scan: Scan, index: int, duration: float
) -> list[tuple[float, int, tuple[float, float]]]:
    """Per sample: the time, ``index`` and where that track's face is (where
    it was last seen while it is missing, where it is first seen before)."""
    track = scan.tracks[index]
    centres: list[tuple[float, int, tuple[float, float]]] = []
    last = track.faces[0].centre
    for i in range(max(1, round(duration * SAMPLE_FPS))):
        t = i / SAMPLE_FPS
        face = track.at(t)
        last = face.centre if face else last
        centres.append((t, index, last))
    return centres


def _centre_x(track: Track) -> float:
    xs = sorted(face.centre[0] for face in track.faces)
    return xs[len(xs) // 2]


def _width(track: Track) -> float:
    widths = sorted(face.w for face in track.faces)
    return widths[len(widths) // 2]
