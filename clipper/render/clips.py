"""Cut quotes out of the episode video as ready-to-post clips.

One ffmpeg run per quote renders every shape: the source is decoded once,
converted to constant frame rate, trimmed frame-exactly, then split into one
chain per shape (scale, blurred background, title band, caption overlays) and
encoded to H.264/AAC with ``+faststart``. Caption and title images are drawn
with Pillow and composited in the same filter graph.

Frame accuracy: ffmpeg seeks (``-ss`` before ``-i``) to a little before the
cut, the ``fps`` filter maps every output frame slot to the source frame shown
at that moment (which also makes variable-rate sources constant), and ``trim``
cuts at the exact slot, so the first and last frames are the ones on screen at
the cut points, within one frame.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import math
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clipper import fsutil
from clipper.episode import Episode
from clipper.errors import ClipperError
from clipper.media.ffmpeg import MediaInfo, output_fps, probe, run_ffmpeg
from clipper.media.source import Progress, resolve_section, resolve_video
from clipper.render import framing
from clipper.render.captions import (
    CaptionImage,
    Cue,
    caption_font_size,
    draw_caption_images,
    fit_caption_size,
    format_srt,
    format_vtt,
    line_chars,
    make_cues,
)
from clipper.render.geometry import Box
from clipper.render.options import FRAME_MODES, SHAPES, ClipOptions
from clipper.render.spoken import shifted, word_cut_frames
from clipper.render.theme import Theme, load_theme
from clipper.render.wordcaptions import (
    HIGHLIGHT_SHAPES,
    WordStrip,
    draw_word_patches,
    token_starts,
    word_cues,
    word_strip,
)
from clipper.select.quote import Quote
from clipper.timing.model import QuoteTiming

if TYPE_CHECKING:
    from clipper.render.framing import CropPath
    from clipper.render.text import FittedText

log = logging.getLogger(__name__)

SHAPE_RATIOS = {"16:9": (16, 9), "1:1": (1, 1), "9:16": (9, 16)}
MAX_SHORT_SIDE = 1080
BACKGROUND_FPS = 5
SEEK_LEAD = 0.5  # seconds decoded before the cut so the fps filter sees the frame on screen
SECTION_MARGIN = 1.0  # seconds downloaded around a quote with --sections
FADE = 0.04
END_TOLERANCE = 0.05  # a quote may end this much after the last frame (rounding)
VIDEO_ARGS = ("-c:v", "libx264", "-preset", "veryfast", "-crf", "21", "-pix_fmt", "yuv420p")
AUDIO_ARGS = ("-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2")
CONTAINER_ARGS = ("-movflags", "+faststart")
ENCODE_ARGS = (*VIDEO_ARGS, *AUDIO_ARGS, *CONTAINER_ARGS)

# (platform, longest clip in seconds, shapes the platform takes)
PLATFORM_LIMITS = (
    ("YouTube Shorts", 60, ("9:16", "1:1")),
    ("Instagram Reels", 90, ("9:16",)),
    ("X", 140, SHAPES),
    ("TikTok", 600, ("9:16",)),
    ("LinkedIn", 600, SHAPES),
    ("Threads", 300, SHAPES),
    ("Bluesky", 180, SHAPES),
)


def rate_text(fps: float) -> str:
    """A frame rate as ffmpeg should get it: ``30000/1001``, not ``29.97``."""
    rate = Fraction(fps).limit_denominator(1001)
    return f"{rate.numerator}/{rate.denominator}"


def shape_tag(shape: str) -> str:
    """``16:9`` -> ``16x9`` (the form used in file names)."""
    return shape.replace(":", "x")


@dataclass
class ClipResult:
    """One quote in one shape. ``error`` is set (and no files written) when
    the quote could not be cut; ``skipped`` when existing files were kept."""

    episode: str
    quote_id: str
    shape: str
    video: Path | None = None
    srt: Path | None = None
    vtt: Path | None = None
    poster: Path | None = None
    start: float = 0.0
    end: float = 0.0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    skipped: bool = False

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def paths(self) -> list[Path]:
        return [p for p in (self.video, self.srt, self.vtt, self.poster) if p is not None]

    @property
    def variant(self) -> str:
        return self.shape

    def record(self) -> dict[str, Any] | None:
        if self.video is None:
            return None
        files = {"video": self.video, "poster": self.poster, "srt": self.srt, "vtt": self.vtt}
        return {"shape": self.shape, "duration": round(self.duration, 2), **files}


@dataclass(frozen=True)
class Anchor:
    """A vertical position: things hang below ``y`` or stand on it."""

    y: int
    hang: bool

    def top(self, height: int) -> int:
        return self.y if self.hang else self.y - height


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


@dataclass(frozen=True)
class Cut:
    """A quote's span in the source: ``start``/``end`` are the clip's bounds
    (padding included), ``speech`` the quote itself in clip time."""

    start: float
    end: float
    speech: tuple[float, float]

    @property
    def duration(self) -> float:
        return self.end - self.start


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


def platform_warnings(shape: str, duration: float) -> list[str]:
    """A warning for each platform whose limit this clip's length exceeds."""
    return [
        f"{duration:.0f} s is longer than {name} allows ({limit} s)"
        for name, limit, shapes in PLATFORM_LIMITS
        if shape in shapes and duration > limit
    ]


def check_quote_times(quote: Quote) -> None:
    if not quote.timed:
        raise ClipperError("no start and end: the quote was not timed")
    if quote.end <= quote.start:
        raise ClipperError(f"end ({quote.end:g} s) is not after start ({quote.start:g} s)")


def plan_cut(
    quote: Quote,
    source: MediaInfo,
    pad: float,
    fps: float,
    timing: QuoteTiming | None = None,
) -> Cut:
    """The clip's span in the source, on the output frame grid: it starts with
    the frame on screen at the padded start and holds whole frames; with a
    word ``timing`` the padding stays in the silences around the quote (see
    :mod:`clipper.render.spoken`). Raises ClipperError for an impossible quote.

    The quote's ``start``/``end`` are the speech to keep and are never moved:
    once timed they are its words' bounds (an interpolated timing has already
    put them in a nearby silence), and times an editor wrote in quotes.yaml
    are the editor's word (deleting them has the quote timed instead)."""
    check_quote_times(quote)
    if quote.start < 0 or quote.end > source.duration + END_TOLERANCE:
        raise ClipperError(
            f"quote {quote.start:g}-{quote.end:g} s is outside the video (0-{source.duration:g} s)"
        )
    start, end = quote.start, min(quote.end, source.duration)
    if timing is not None:
        first, stop = word_cut_frames(start, end, timing, pad, fps)
    else:
        first = math.floor(max(0.0, start - pad) * fps + 1e-6)
        stop = round(min(source.duration, end + pad) * fps)
    last = math.floor(source.duration * fps + 1e-6)  # frames that exist
    frames = max(1, min(stop - first, last - first))
    clip_start, clip_end = first / fps, (first + frames) / fps
    return Cut(clip_start, clip_end, (start - clip_start, min(end, clip_end) - clip_start))


@dataclass(frozen=True)
class Picture:
    """A still image overlaid on a clip."""

    path: Path
    width: int
    height: int


def _title_blocks(
    episode: Episode, quote: Quote, theme: Theme, inner: int, size: int, title_lines: int
) -> list[tuple[FittedText, str]]:
    """The speaker's name and the episode label and title, fitted to ``inner`` px."""
    from clipper.render.text import fit_text, typographic

    name = fit_text(
        typographic(quote.speaker_name or quote.speaker),
        theme.font_stack("name"),
        (inner, size * 3),
        (max(8, size // 2), round(size * 1.5)),
        1.2,
        max_lines=1,
    )
    title_text = " · ".join(filter(None, [episode.label, episode.short_title or episode.title]))
    title = fit_text(
        typographic(title_text),
        theme.font_stack("title"),
        (inner, size * 1.3 * title_lines),
        (max(8, size // 2), size),
        1.25,
        max_lines=title_lines,
    )
    pairs = ((name, theme.title_band.color), (title, theme.accent))
    return [(block, colour) for block, colour in pairs if block is not None]


def draw_title_band(
    episode: Episode, quote: Quote, theme: Theme, width: int, room: int, path: Path
) -> Picture:
    """The speaker's name over the episode title on a rounded plate, at the
    largest size (and with the title on two lines if possible) within ``room``."""
    from PIL import Image, ImageDraw

    from clipper.render.text import draw_block

    plate_width, inner = round(width * 0.88), round(width * 0.8)
    for scale, title_lines in itertools.product((1.0, 0.9, 0.8, 0.7, 0.6), (2, 1)):
        size = max(8, round(theme.title_band.size * width * scale))
        blocks = _title_blocks(episode, quote, theme, inner, size, title_lines)
        pad, spacing = round(size * 0.8), round(size * 0.3)
        height = round(sum(block.height for block, _ in blocks) + 2 * pad + spacing)
        if height <= room:
            break
    image = Image.new("RGBA", (plate_width, height), (0, 0, 0, 0))
    if theme.title_band.background:
        ImageDraw.Draw(image).rounded_rectangle(
            (0, 0, plate_width - 1, height - 1),
            radius=round(size * 0.6),
            fill=theme.title_band.background,
        )
    top = pad
    for block, colour in blocks:
        draw_block(image, block, ((plate_width - inner) / 2, top), inner, colour, "center")
        top += block.height + spacing
    image.save(path, compress_level=1)
    return Picture(path, plate_width, height)


@dataclass
class ShapeJob:
    """Everything one shape of one quote needs for the ffmpeg run."""

    layout: Layout
    video_out: Path
    poster_out: Path
    poster_frame: int
    title: Picture | None = None
    captions: list[CaptionImage] = field(default_factory=list)
    words: WordStrip | None = None  # the lit words over the captions


def _background_chain(src: str, layout: Layout, theme: Theme, fps: float, out: str) -> str:
    """Blurred, darkened, lightly brand-tinted copy of the video filling the
    frame: the shapes of the picture stay visible behind the sharp video.

    The blur runs at 1/8 of the frame size and is scaled up (the same look as
    a full-size blur for a fraction of the cost), and it changes only
    ``BACKGROUND_FPS`` times a second: under a heavy blur nobody sees the
    difference, while the encoder gets identical frames it codes for almost
    nothing (a background at full rate costs about 30% more encoding time)."""
    small_w, small_h = even(layout.width / 8), even(layout.height / 8)
    tint = theme.background[:7]
    return (
        f"[{src}]fps={BACKGROUND_FPS},"
        f"scale={small_w}:{small_h}:force_original_aspect_ratio=increase:flags=fast_bilinear,"
        f"crop={small_w}:{small_h},gblur=sigma={max(2, small_w / 28):.1f},"
        f"drawbox=c={tint}@0.35:t=fill,eq=brightness=-0.08,"
        f"scale={layout.width}:{layout.height}:flags=bilinear,setsar=1,fps={rate_text(fps)}[{out}]"
    )


def _shape_chain(
    src: str, job: ShapeJob, theme: Theme, fps: float, tag: str, first_input: int
) -> list[str]:
    """Filter chains turning the trimmed video ``src`` into one shape."""
    layout, video = job.layout, job.layout.video
    chains = []
    crop = f"{layout.crop}," if layout.crop else ""
    sharp = f"scale={video.width}:{video.height}:flags=lanczos"
    if layout.fills:
        x, y = max(0, -video.x), max(0, -video.y)
        chains.append(
            f"[{src}]{crop}{sharp},crop={layout.width}:{layout.height}:{x}:{y},setsar=1[{tag}v0]"
        )
    else:
        chains.append(f"[{src}]{crop}split[{tag}bg][{tag}fg]")
        chains.append(_background_chain(f"{tag}bg", layout, theme, fps, f"{tag}bgs"))
        chains.append(f"[{tag}fg]{sharp},setsar=1[{tag}fgs]")
        chains.append(f"[{tag}bgs][{tag}fgs]overlay={video.x}:{video.y}[{tag}v0]")
    step, index = 0, first_input
    for _, x, y, enable in _placed_overlays(job):
        chains.append(
            f"[{tag}v{step}][{index}:v]overlay={x}:{y}{enable}:format=yuv420[{tag}v{step + 1}]"
        )
        step, index = step + 1, index + 1
    if job.words:
        base, out = f"{tag}v{step}", f"{tag}v{step + 1}"
        chains += job.words.chains(f"{index}:v", base, out, rate_text(fps))
        step += 1
    chains.append(f"[{tag}v{step}]format=yuv420p,split[{tag}out][{tag}p]")
    chains.append(
        f"[{tag}p]trim=start_frame={job.poster_frame}:end_frame={job.poster_frame + 1},"
        f"scale=out_range=full,format=yuvj420p[{tag}poster]"
    )
    return chains


def _enable(start: float, end: float) -> str:
    return f":enable='between(t,{start:.3f},{end - 0.001:.3f})'"


def caption_corner(layout: Layout, image: CaptionImage) -> tuple[int, int]:
    """Where a caption image's top-left corner sits on the frame."""
    return (layout.width - image.width) // 2, layout.captions.top(image.height)


def _placed_overlays(job: ShapeJob) -> list[tuple[Picture | CaptionImage, int, int, str]]:
    """Every still of ``job`` with its top-left corner and when it shows, in
    the order of :func:`overlay_inputs`: title, then captions."""
    layout = job.layout
    placed: list[tuple[Picture | CaptionImage, int, int, str]] = []
    if job.title and layout.title:  # a title picture is drawn only for layouts with a band
        top = layout.title.top(job.title.height)
        placed.append((job.title, (layout.width - job.title.width) // 2, top, ""))
    for image in job.captions:
        x, y = caption_corner(layout, image)
        placed.append((image, x, y, _enable(image.cue.start, image.cue.end)))
    return placed


def overlay_inputs(job: ShapeJob) -> list[Path]:
    """The images the job reads, in input order: title, captions, lit-word strip."""
    title = [job.title.path] if job.title else []
    strip = [job.words.path] if job.words else []
    return [*title, *(image.path for image in job.captions), *strip]


def build_command(
    source: MediaInfo, cut: Cut, fps: float, jobs: list[ShapeJob], theme: Theme
) -> list[str]:
    """ffmpeg arguments rendering every job in one run (one filter graph).

    The seek point sits a whole number of frames (and a millisecond) before
    the cut, so the ``fps`` filter's frame slots line up with the source's
    frame times and ``trim`` picks exactly the slot at the cut."""
    first = round(cut.start * fps)
    seek = max(0.0, (first - math.ceil(SEEK_LEAD * fps)) / fps - 0.001)
    lead = cut.start - seek
    half_frame = 0.5 / fps
    read = cut.duration + lead + 0.5
    args = ["-ss", f"{seek:.6f}", "-t", f"{read:.6f}", "-i", str(source.path)]
    audio_in = "0:a"
    if not source.has_audio:
        args += ["-f", "lavfi", "-t", f"{read:.6f}", "-i", "anullsrc=r=48000:cl=stereo"]
        audio_in = "1:a"
    next_input = 2 if not source.has_audio else 1
    count = len(jobs)
    chains = [
        f"[0:v]fps={rate_text(fps)},"
        f"trim=start={lead - half_frame:.6f}:end={lead + cut.duration - half_frame:.6f},"
        f"setpts=PTS-STARTPTS,split={count}" + "".join(f"[s{i}]" for i in range(count)),
        f"[{audio_in}]atrim=start={lead:.6f}:duration={cut.duration:.6f},asetpts=PTS-STARTPTS,"
        f"aformat=sample_rates=48000:channel_layouts=stereo,afade=t=in:d={FADE},"
        f"afade=t=out:st={max(0.0, cut.duration - FADE):.6f}:d={FADE},asplit={count}"
        + "".join(f"[a{i}]" for i in range(count)),
    ]
    outputs: list[str] = []
    for i, job in enumerate(jobs):
        pictures = overlay_inputs(job)
        for picture in pictures:
            args += ["-i", str(picture)]
        chains += _shape_chain(f"s{i}", job, theme, fps, f"j{i}", next_input)
        next_input += len(pictures)
        outputs += ["-map", f"[j{i}out]", "-map", f"[a{i}]", *ENCODE_ARGS, str(job.video_out)]
        outputs += ["-map", f"[j{i}poster]", "-frames:v", "1", "-q:v", "3"]
        outputs += ["-update", "1", str(job.poster_out)]
    return [*args, "-filter_complex", ";".join(chains), *outputs]


def source_warnings(source: MediaInfo) -> list[str]:
    """How the source deviates from a clean input, and what is done about it."""
    notes = []
    if not source.has_audio:
        notes.append(f"{source.path.name}: no audio track; the clips get silent audio")
    if source.fps and source.tbr and abs(source.fps - source.tbr) > 0.01 * source.tbr:
        notes.append(
            f"{source.path.name}: variable frame rate; clips are made at a constant "
            f"{output_fps(source):.3g} fps"
        )
    if source.sar != (1, 1) or source.width % 2 or source.height % 2:
        notes.append(
            f"{source.path.name}: {source.width}x{source.height} with pixel aspect "
            f"{source.sar[0]}:{source.sar[1]}; rescaled to square pixels and even sizes"
        )
    return notes


def clip_paths(out_dir: Path, episode: Episode, quote: Quote, shape: str) -> dict[str, Path]:
    stem = out_dir / episode.slug / "clips" / f"{quote.id}-{shape_tag(shape)}"
    return {ext: stem.with_suffix(f".{ext}") for ext in ("mp4", "srt", "vtt", "jpg")}


def shape_cues(
    quote: Quote, cut: Cut, layout: Layout, theme: Theme, timing: QuoteTiming | None = None
) -> tuple[list[Cue], int]:
    """Caption cues sized for ``layout``, and the font size they fit at; with
    a word ``timing`` each cue comes on when its first word is spoken."""
    from clipper.render.text import drop_chars, missing_chars, typographic

    fonts = theme.font_stack(theme.caption.font)
    text = typographic(quote.text)
    text = drop_chars(text, missing_chars(text, fonts))
    size = caption_font_size(theme, (layout.width, layout.height))
    inner = layout.caption_width - size
    chars = line_chars(inner, size)
    if timing is None:
        cues = make_cues(text, *cut.speech, cut.duration, chars)
    else:
        starts = token_starts(text.split(), timing, cut.start)
        cues = word_cues(text, starts, cut.duration, chars)
    return cues, fit_caption_size(cues, theme, size, inner)


def poster_frame(cues: list[Cue], cut: Cut, fps: float) -> int:
    """The frame for the poster: the middle of the first caption, so it shows
    the quote's opening words."""
    moment = (cues[0].start + cues[0].end) / 2 if cues else cut.duration / 3
    return max(0, min(int(moment * fps), int(cut.duration * fps) - 1))


def _render_quote(
    episode: Episode,
    quote: Quote,
    source: MediaInfo,
    shapes: tuple[str, ...],
    out_dir: Path,
    options: RenderOptions,
    timing: QuoteTiming | None = None,
    render: Callable[[QuoteJob], dict[str, list[str]]] | None = None,
) -> list[ClipResult]:
    """One quote in every shape; ``render`` draws and encodes the shapes
    still to make and returns warnings per shape (``_render_shapes``;
    audiograms bring their own)."""
    render = render or _render_shapes
    results = {s: ClipResult(episode.slug, quote.id, s) for s in shapes}
    paths = {s: clip_paths(out_dir, episode, quote, s) for s in shapes}
    todo = [
        s
        for s in shapes
        if not (options.skip_existing and all(p.exists() for p in paths[s].values()))
    ]
    for shape in set(shapes) - set(todo):
        result = results[shape]
        result.skipped = True
        result.video, result.srt, result.vtt, result.poster = paths[shape].values()
    if not todo:
        return list(results.values())
    try:
        cut = plan_cut(quote, source, options.pad, output_fps(source), timing)
        todo_paths = {s: paths[s] for s in todo}
        notes = render(QuoteJob(episode, quote, source, cut, todo_paths, options, timing))
    except ClipperError as exc:
        for shape in todo:
            results[shape].error = str(exc.context(episode=episode.slug, quote=quote.id))
        return list(results.values())
    for shape in todo:
        result = results[shape]
        result.video, result.srt, result.vtt, result.poster = paths[shape].values()
        result.start, result.end = cut.start, cut.end
        result.warnings += notes.get(shape, []) + platform_warnings(shape, cut.duration)
    return list(results.values())


@dataclass(frozen=True)
class RenderOptions:
    theme: Theme
    captions: bool
    pad: float
    skip_existing: bool
    frame: str = ClipOptions.frame


@dataclass(frozen=True)
class QuoteJob:
    """One quote's cut to render in the shapes of ``paths`` (shape -> file
    extension -> final path): what a shape renderer is given."""

    episode: Episode
    quote: Quote
    source: MediaInfo
    cut: Cut
    paths: dict[str, dict[str, Path]]
    options: RenderOptions
    timing: QuoteTiming | None

    @property
    def fps(self) -> float:
        return output_fps(self.source)


def _render_shapes(job: QuoteJob) -> dict[str, list[str]]:
    """Frame each shape on the source (speaker or fit, name band) and render
    them all with :func:`run_shape_jobs`. Returns warnings per shape (a
    speaker framing that fell back to fit)."""
    episode, quote, source, cut = job.episode, job.quote, job.source, job.cut
    theme = job.options.theme
    faces = job.options.frame == "speaker" and any(shape != "16:9" for shape in job.paths)
    scanned = framing.scan(source, cut.start, cut.duration, cut.speech, faces)
    notes: dict[str, list[str]] = {}

    def place(shape: str, folder: Path) -> tuple[Layout, Picture | None]:
        path = None
        if faces and shape != "16:9":
            across, down = SHAPE_RATIOS[shape]
            path = framing.plan_path(scanned, source, across / down, cut.duration)
            if path is None:
                note = "no face found, framed as fit"
                notes[shape] = [note]
                log.warning("%s: quote %s: %s: %s", episode.slug, quote.id, shape, note)
        layout = plan_layout(shape, source, theme, scanned.band_top, path)
        if not layout.title:
            return layout, None
        title_path = folder / f"title-{shape_tag(shape)}.png"
        title = draw_title_band(episode, quote, theme, layout.width, layout.title_room, title_path)
        return layout, title

    def command(jobs: list[ShapeJob]) -> list[str]:
        return build_command(source, cut, job.fps, jobs, theme)

    run_shape_jobs(job, place, command)
    return notes


def run_shape_jobs(
    job: QuoteJob,
    place: Callable[[str, Path], tuple[Layout, Picture | None]],
    command: Callable[[list[ShapeJob]], list[str]],
) -> None:
    """What every renderer of a quote's shapes (video clips, audiograms) does
    alike: in a temporary folder, give each shape of ``job`` its captions,
    poster frame and atomic output paths as a :class:`ShapeJob`, run ffmpeg
    once for all of them, then write the subtitle files; the videos and
    posters are published only when the run succeeds.

    Only the renderer's own parts come from outside: ``place(shape, folder)``
    plans a shape's layout, drawing what the shape needs into ``folder``, and
    returns it with its title picture (or None); ``command(jobs)`` builds the
    ffmpeg arguments (one filter graph) for every job."""
    cut, timing, theme, fps = job.cut, job.timing, job.options.theme, job.fps
    with tempfile.TemporaryDirectory(prefix="clipper-") as tmp, contextlib.ExitStack() as stack:
        folder = Path(tmp)
        jobs, sidecars = [], {}
        for shape, files in job.paths.items():
            layout, title = place(shape, folder)
            cues, size = shape_cues(job.quote, cut, layout, theme, timing)
            shape_job = ShapeJob(
                layout,
                stack.enter_context(fsutil.atomic_path(files["mp4"])),
                stack.enter_context(fsutil.atomic_path(files["jpg"])),
                poster_frame(cues, cut, fps),
                title,
            )
            if job.options.captions:
                frames = round(cut.duration * fps)
                add_captions(shape_job, cues, size, theme, timing, frames, folder)
            jobs.append(shape_job)
            sidecars[files["srt"]] = format_srt(cues)
            sidecars[files["vtt"]] = format_vtt(cues)
        run_ffmpeg(command(jobs))
        for sidecar, text in sidecars.items():
            fsutil.write_text(sidecar, text)


def add_captions(
    job: ShapeJob,
    cues: list[Cue],
    size: int,
    theme: Theme,
    timing: QuoteTiming | None,
    frames: int,
    folder: Path,
) -> None:
    """Draw ``job``'s caption images and, with word times, its lit-word strip."""
    layout, tag = job.layout, shape_tag(job.layout.shape)
    job.captions = draw_caption_images(cues, theme, size, folder, f"cap-{tag}")
    if theme.caption.highlight and timing and layout.shape in HIGHLIGHT_SHAPES:
        patches = [p for i in job.captions for p in draw_word_patches(i, theme, size)]
        corners = {i.path: caption_corner(layout, i) for i in job.captions}
        job.words = word_strip(patches, corners, frames, folder / f"words-{tag}.png")


def check_render_options(
    shapes: tuple[str, ...] | list[str], pad: float, frame: str = ClipOptions.frame
) -> None:
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown:
        raise ClipperError(f"unknown clip shape {unknown[0]!r}; use {', '.join(SHAPES)}")
    if pad < 0:
        raise ClipperError(f"padding must not be negative (got {pad:g} s)")
    if frame not in FRAME_MODES:
        raise ClipperError(f"unknown framing {frame!r}; use {', '.join(FRAME_MODES)}")


def render_clips(
    episode: Episode,
    quotes: list[Quote],
    out_dir: Path | str,
    *,
    video: Path | str | None = None,
    url: str | None = None,
    shapes: tuple[str, ...] | list[str] = SHAPES,
    captions: bool = ClipOptions.captions,
    pad: float = ClipOptions.pad,
    theme: str | Path = ClipOptions.theme,
    cache_dir: Path | str | None = None,
    skip_existing: bool = False,
    sections: bool = False,
    progress: Progress | None = None,
    timings: Mapping[str, QuoteTiming] | None = None,
    frame: str = ClipOptions.frame,
) -> list[ClipResult]:
    """Render every quote in every shape into ``out_dir/<slug>/clips/``.

    ``frame="speaker"`` crops 1:1 and 9:16 on the speaker's face (``fit``
    when none is found, with a warning); ``"fit"`` shows the whole picture
    over a blurred copy of itself.

    A quote that cannot be cut gets ``error`` set in its results and the rest
    go on; a problem that stops everything (no usable video, a bad theme or
    shape) raises ClipperError. ``progress`` is called with (bytes done,
    total) while the video downloads; with ``sections`` (and no local
    ``video``) only each quote's stretch of the video is downloaded.
    ``timings`` (by quote id, see :mod:`clipper.timing`;
    :func:`~clipper.render.spoken.time_for_clips` makes them) cut a quote on
    its spoken words and time its captions word by word; without one a quote
    is cut at its own times, padded.
    """

    check_render_options(shapes, pad, frame)
    options = RenderOptions(load_theme(theme), captions, pad, skip_existing, frame)
    shapes, out_dir, timings = tuple(shapes), Path(out_dir), timings or {}
    if sections and video is None:
        fetch = functools.partial(
            resolve_section, episode, url=url, cache_dir=cache_dir, progress=progress
        )
        return _render_sections(episode, quotes, shapes, out_dir, options, fetch, timings)
    path = resolve_video(episode, video=video, url=url, cache_dir=cache_dir, progress=progress)
    source = probe(path)
    notes = source_warnings(source)
    for note in notes:
        log.warning("%s: %s", episode.slug, note)
    results = []
    for quote in quotes:
        timing = timings.get(quote.id)
        for result in _render_quote(episode, quote, source, shapes, out_dir, options, timing):
            result.warnings[:0] = notes
            results.append(result)
    return results


def _render_sections(
    episode: Episode,
    quotes: list[Quote],
    shapes: tuple[str, ...],
    out_dir: Path,
    options: RenderOptions,
    fetch: Callable[[tuple[float, float]], Path],
    timings: Mapping[str, QuoteTiming],
) -> list[ClipResult]:
    """Download and cut each quote's own stretch of the video; results keep
    episode times."""
    results = []
    for quote in quotes:
        try:
            check_quote_times(quote)
            offset = max(0.0, quote.start - options.pad - SECTION_MARGIN)
            source = probe(fetch((offset, quote.end + options.pad + SECTION_MARGIN)))
        except ClipperError as exc:
            error = str(exc.context(episode=episode.slug, quote=quote.id))
            results += [ClipResult(episode.slug, quote.id, s, error=error) for s in shapes]
            continue
        local = replace(quote, start=quote.start - offset, end=quote.end - offset)
        timing = timings.get(quote.id)
        local_timing = shifted(timing, offset) if timing else None
        for result in _render_quote(episode, local, source, shapes, out_dir, options, local_timing):
            if result.video and not result.skipped:
                result.start, result.end = result.start + offset, result.end + offset
            result.warnings[:0] = source_warnings(source)
            results.append(result)
    return results
