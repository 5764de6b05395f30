"""Where the picture, title band and captions go in each clip shape, per
framing mode: ``fit`` (the whole picture, over a blurred copy of itself when
it does not fill the frame), ``speaker`` (a steady crop on the speaker's
face, see :mod:`clipper.render.framing`) and ``stack`` (9:16: two panels, one
face each, with the captions in the seam between them, see
:mod:`clipper.render.stack`); ``auto`` stacks when that shows a reacting
listener and frames the speaker otherwise."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from clipper.media.ffmpeg import MediaInfo
from clipper.render import framing, stack
from clipper.render.geometry import Box
from clipper.render.theme import Theme

if TYPE_CHECKING:
    from clipper.render.captions import CaptionImage
    from clipper.render.cutlist import Cut
    from clipper.render.framing import CropPath, Scan

SHAPE_RATIOS = {"16:9": (16, 9), "1:1": (1, 1), "9:16": (9, 16)}
MAX_SHORT_SIDE = 1080
STACK_SEAM = 0.15  # the band between the stacked panels, where captions sit (of the height)
STACK_TAG_INSET = 0.012  # the speaker's name tag sits this far inside its panel (of the height)
STACK_TAG_ROOM = 0.05  # ... and is at most this tall
STACK_BORDER = 0.01  # the speaker's panel border with stack_speaker: highlight (of the width)


def shape_tag(shape: str) -> str:
    """``16:9`` -> ``16x9`` (the form used in file names)."""
    return shape.replace(":", "x")


@dataclass(frozen=True)
class Anchor:
    """A vertical position: things hang below ``y`` or stand on it."""

    y: int
    hang: bool
    centre: bool = False  # things are centred on ``y`` (``hang`` does not count)

    def top(self, height: int) -> int:
        if self.centre:
            return self.y - height // 2
        return self.y if self.hang else self.y - height


@dataclass(frozen=True)
class Panel:
    """One face of a stack: the ``crop`` of the source shown in ``box``,
    with a ``border`` in that colour round it when set."""

    crop: str
    box: Box
    border: str | None = None


@dataclass(frozen=True)
class Layout:
    """Where things go in one shape. ``video`` is the sharp video's box (it
    extends past the frame in crop mode); ``fills`` means no background shows."""

    shape: str
    width: int
    height: int
    video: Box
    fills: bool
    title: Anchor | None
    title_room: int  # the most height the title band may take
    captions: Anchor
    caption_width: int
    crop: str = ""  # ffmpeg crop of the source before scaling (name band, speaker path)
    panels: tuple[Panel, ...] = ()  # stack framing: the panels that make the picture


def even(value: float) -> int:
    return max(2, round(value / 2) * 2)


def frame_size(shape: str, source: MediaInfo) -> tuple[int, int]:
    """Output size: 1080 on the short side for 1:1 and 9:16 (what the platforms
    expect, whatever the source); 16:9 keeps the source's short side up to 1080."""
    across, down = SHAPE_RATIOS[shape]
    short = MAX_SHORT_SIDE
    if shape == "16:9":
        short = min(MAX_SHORT_SIDE, even(min(source.display_width, source.height)))
    if across >= down:
        return even(short * across / down), short
    return short, even(short * down / across)


def plan_layout(
    shape: str,
    source: MediaInfo,
    theme: Theme,
    band_top: int | None = None,
    path: CropPath | None = None,
) -> Layout:
    """Place the video, title band and captions for ``shape``.

    A landscape source in a taller shape sits in the middle with the title
    band above it and the captions below; otherwise (16:9, crop mode, speaker
    framing, portrait sources) captions stand near the bottom over the video
    and the title hangs from the top, clear of the platforms' buttons on
    vertical video. ``band_top`` is where the source's own name band starts:
    16:9 keeps its captions above it, the other shapes crop it off (their
    title band names the speaker). ``path`` crops a window on the speaker.
    """
    width, height = frame_size(shape, source)
    crop, visible = "", (source.display_width, source.height)
    if path is not None:
        crop, visible = path.filter(), (width, height)
    elif band_top and shape != "16:9":
        crop, visible = f"crop=iw:{band_top}:0:0", (source.display_width, band_top)
    fit = min if theme.clip_background == "blur" and path is None else max
    scale = fit(width / visible[0], height / visible[1])
    video_w, video_h = even(visible[0] * scale), even(visible[1] * scale)
    video = Box.at((width - video_w) // 2, (height - video_h) // 2, video_w, video_h)
    fills = video_w >= width and video_h >= height
    caption_width = round(width * 0.88)
    gap = round(height * 0.025)
    if shape != "16:9" and video.y > height * 0.15:
        title, captions = Anchor(video.y - gap, hang=False), Anchor(video.bottom + gap, hang=True)
        room = video.y - 2 * gap
        return Layout(
            shape, width, height, video, fills, title, room, captions, caption_width, crop
        )
    vertical = height > width
    bottom = max(theme.caption.bottom, 0.2 if vertical else 0.0)
    captions = Anchor(height - round(height * bottom), hang=False)
    if band_top and shape == "16:9":
        captions = Anchor(min(captions.y, video.y + round(band_top * scale) - gap), hang=False)
    title = None if shape == "16:9" else Anchor(round(height * (0.13 if vertical else 0.05)), True)
    room = round(height * 0.2)
    return Layout(shape, width, height, video, fills, title, room, captions, caption_width, crop)


def caption_corner(layout: Layout, image: CaptionImage) -> tuple[int, int]:
    """Where a caption image's top-left corner sits on the frame."""
    return (layout.width - image.width) // 2, layout.captions.top(image.height)


def stack_rows(height: int) -> tuple[int, int]:
    """The height of each stacked panel and of the seam between them."""
    seam = even(height * STACK_SEAM)
    return even((height - seam) / 2), height - 2 * even((height - seam) / 2)


def stack_layout(pair: stack.Pair, theme: Theme, size: tuple[int, int]) -> Layout:
    """Two panels filling a 9:16 frame, one face each, with a seam of the
    theme's background colour between them holding the captions (centred in
    it, so they never cover a face). No title band (the top of a vertical
    frame belongs to the top face): a name tag on the speaker's panel, on
    its edge by the seam, says who is talking."""
    width, height = size
    panel, seam = stack_rows(height)
    panels = tuple(
        Panel(
            path.filter(),
            Box.at(0, top, width, panel),
            theme.accent if theme.stack_speaker == "highlight" and n == pair.speaker else None,
        )
        for n, (path, top) in enumerate(zip(pair.paths, (0, height - panel), strict=True))
    )
    seam_middle = Anchor(panel + seam // 2, hang=False, centre=True)
    inset = even(height * STACK_TAG_INSET)
    tag = (
        Anchor(panel - inset, hang=False)
        if pair.speaker == 0
        else Anchor(height - panel + inset, hang=True)
    )
    frame = Box.at(0, 0, width, height)
    room = round(height * STACK_TAG_ROOM)
    fields = (frame, True, tag, room, seam_middle, round(width * 0.88), "", panels)
    return Layout(stack.STACK_SHAPE, width, height, *fields)


def clip_clock(cut: Cut) -> Callable[[float], float]:
    """Seconds into the cut's source stretch -> seconds into the clip."""
    return lambda t: cut.clip_time(cut.start + t)


def wants_faces(frame: str, shapes: Iterable[str]) -> bool:
    """Whether framing ``shapes`` in mode ``frame`` needs the faces scanned."""
    return frame != "fit" and any(shape != "16:9" for shape in shapes)


def frame_layout(
    shape: str, frame: str, scanned: Scan, source: MediaInfo, theme: Theme, cut: Cut
) -> tuple[Layout, str | None]:
    """The layout of ``shape`` in framing mode ``frame`` on the ``scanned``
    stretch of ``cut``, and a note when it fell back (no two faces for
    ``stack``: the speaker; no face: ``fit``). Only 9:16 stacks; 16:9
    always shows the whole picture. A tightened cut's crops follow its clock."""
    path, note = None, None
    if frame in ("stack", "auto") and shape == stack.STACK_SHAPE:
        size = frame_size(shape, source)
        pair = stack.plan_pair(
            scanned,
            source,
            size[0] / stack_rows(size[1])[0],
            cut.span,
            speaker_on_top=theme.stack_speaker == "top",
            need_reaction=frame == "auto",
        )
        if pair is not None:
            top, bottom = (path.retimed(clip_clock(cut)) for path in pair.paths)
            return stack_layout(replace(pair, paths=(top, bottom)), theme, size), None
        if frame == "stack":
            note = "no two faces side by side, framed on the speaker"
    if wants_faces(frame, (shape,)):
        across, down = SHAPE_RATIOS[shape]
        path = framing.plan_path(scanned, source, across / down, cut.span)
        if path is None:
            note = "no face found, framed as fit"
        else:
            path = path.retimed(clip_clock(cut))
    return plan_layout(shape, source, theme, scanned.band_top, path), note
