"""Cut quotes out of the episode video as ready-to-post clips.

One ffmpeg run per quote renders every shape (see
:mod:`clipper.render.clipgraph`). The parts of a clip have homes of their
own: the cut (:mod:`~clipper.render.cutlist`), the layout per framing mode
(:mod:`~clipper.render.layout`), the title band
(:mod:`~clipper.render.titleband`), the audio chain
(:mod:`~clipper.render.audiochain`) and the command
(:mod:`~clipper.render.clipgraph`). This module runs them for each quote,
shared with audiograms (:func:`render_quote`, :func:`run_shape_jobs`), and
writes the files.
"""

from __future__ import annotations

import contextlib
import functools
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from clipper import fsutil
from clipper.episode import Episode
from clipper.errors import ClipperError, Notice
from clipper.media.ffmpeg import MediaInfo, output_fps, probe, run_ffmpeg, stretch_name
from clipper.media.loudness import measure_loudness
from clipper.media.source import Progress, resolve_section, resolve_video
from clipper.render import framing
from clipper.render.audiochain import Levelling, levelling
from clipper.render.captions import (
    Cue,
    caption_font_size,
    draw_caption_images,
    fit_caption_size,
    format_srt,
    format_vtt,
    line_chars,
    make_cues,
)
from clipper.render.clipgraph import ShapeJob, build_command
from clipper.render.cutlist import Cut, check_quote_times, plan_cut
from clipper.render.layout import Layout, caption_corner, frame_layout, shape_tag, wants_faces
from clipper.render.options import FRAME_MODES, SHAPES, ClipOptions, parse_loudness
from clipper.render.spoken import shifted
from clipper.render.theme import Theme, load_theme
from clipper.render.titleband import Picture, draw_name_tag, draw_title_band
from clipper.render.wordcaptions import (
    HIGHLIGHT_SHAPES,
    mark_words,
    token_starts,
    word_cues,
    word_strip,
)
from clipper.select.quote import Quote
from clipper.timing.model import QuoteTiming

SECTION_MARGIN = 1.0  # seconds downloaded around a quote with --sections


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
    cut_out: float = 0.0  # seconds left out between start and end (tight cuts)
    warnings: list[Notice] = field(default_factory=list)
    error: str | None = None
    skipped: bool = False
    caption_style: str | None = None  # the caption style burned in (None: no captions)

    @property
    def duration(self) -> float:
        return self.end - self.start - self.cut_out

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
        record = {"shape": self.shape, "duration": round(self.duration, 2), **files}
        return {**record, "caption_style": self.caption_style} if self.caption_style else record


def platform_warnings(shape: str, duration: float) -> list[str]:
    """A warning for each platform whose limit this clip's length exceeds."""
    return [
        f"{duration:.0f} s is longer than {name} allows ({limit} s)"
        for name, limit, shapes in PLATFORM_LIMITS
        if shape in shapes and duration > limit
    ]


def source_warnings(episode: Episode, source: MediaInfo) -> list[Notice]:
    """How the source deviates from a clean input, and what is done about it."""
    return [Notice(note, episode.slug) for note in _source_notes(source)]


def _source_notes(source: MediaInfo) -> list[str]:
    notes = []
    if not source.has_audio:
        notes.append(
            f"{source.path.name}: no audio track: the clips are silent, and quotes without "
            "captions are timed from the transcript"
        )
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
        cues = make_cues(text, *cut.clip_speech, cut.duration, chars)
    else:
        starts = [cut.clip_time(t) for t in token_starts(text.split(), timing, 0.0)]
        cues = word_cues(text, starts, cut.duration, chars)
    return cues, fit_caption_size(cues, theme, size, inner)


def poster_frame(cues: list[Cue], cut: Cut, fps: float) -> int:
    """The frame for the poster: the middle of the first caption, so it shows
    the quote's opening words."""
    moment = (cues[0].start + cues[0].end) / 2 if cues else cut.duration / 3
    return max(0, min(int(moment * fps), int(cut.duration * fps) - 1))


def render_quote(
    episode: Episode,
    quote: Quote,
    source: MediaInfo,
    shapes: tuple[str, ...],
    out_dir: Path,
    options: RenderOptions,
    timing: QuoteTiming | None = None,
    render: Callable[[QuoteJob], dict[str, list[Notice]]] | None = None,
) -> list[ClipResult]:
    """One quote in every shape; ``render`` draws and encodes the shapes
    still to make and returns notices per shape (``_render_shapes``;
    audiograms bring their own)."""
    render = render or _render_shapes
    style = options.theme.caption.style if options.captions else None
    results = {s: ClipResult(episode.slug, quote.id, s, caption_style=style) for s in shapes}
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
        removals = [(a, b) for a, b in quote.cuts or ()]
        cut = plan_cut(quote, source, options.pad, output_fps(source), timing, removals)
        todo_paths = {s: paths[s] for s in todo}
        level = clip_levelling(source, cut, options.loudness)
        job = QuoteJob(episode, quote, source, cut, todo_paths, options, timing, level)
        notes = render(job)
    except ClipperError as exc:
        for shape in todo:
            results[shape].error = str(exc.context(episode=episode.slug, quote=quote.id))
        return list(results.values())
    for shape in todo:
        result = results[shape]
        result.video, result.srt, result.vtt, result.poster = paths[shape].values()
        result.start, result.end, result.cut_out = cut.start, cut.end, cut.span - cut.duration
        limits = platform_warnings(shape, cut.duration)
        result.warnings += notes.get(shape, [])
        result.warnings += [Notice(note, episode.slug, quote.id, shape) for note in limits]
    return list(results.values())


def clip_levelling(source: MediaInfo, cut: Cut, target: float | None) -> Levelling | None:
    """How to bring the clip's audio to ``target`` LUFS: its own loudness,
    measured in one audio-only pass over the cut (none for a silent source
    or with levelling off)."""
    if target is None or not source.has_audio:
        return None
    return levelling(target, measure_loudness(source.path, cut.start, cut.span))


@dataclass(frozen=True)
class RenderOptions:
    theme: Theme
    captions: bool
    pad: float
    skip_existing: bool
    frame: str = ClipOptions.frame
    loudness: float | None = ClipOptions.loudness


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
    levelling: Levelling | None = None

    @property
    def fps(self) -> float:
        return output_fps(self.source)


def _render_shapes(job: QuoteJob) -> dict[str, list[Notice]]:
    """Frame each shape on the source (speaker or fit, name band) and render
    them all with :func:`run_shape_jobs`. Returns notices per shape (a
    speaker framing that fell back to fit)."""
    episode, quote, source, cut = job.episode, job.quote, job.source, job.cut
    theme = job.options.theme
    frame = job.options.frame
    faces = wants_faces(frame, job.paths)
    scanned = framing.scan(source, cut.start, cut.span, cut.speech, faces)
    notes: dict[str, list[Notice]] = {}

    def place(shape: str, folder: Path) -> tuple[Layout, Picture | None]:
        layout, note = frame_layout(shape, frame, scanned, source, theme, cut)
        if note:
            notes[shape] = [Notice(note, episode.slug, quote.id, shape)]
        if not layout.title:
            return layout, None
        title_path = folder / f"title-{shape_tag(shape)}.png"
        if layout.panels:
            return layout, draw_name_tag(quote, theme, layout.width, layout.title_room, title_path)
        title = draw_title_band(episode, quote, theme, layout.width, layout.title_room, title_path)
        return layout, title

    def command(jobs: list[ShapeJob]) -> list[str]:
        return build_command(source, cut, job.fps, jobs, theme, job.levelling)

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
        run_ffmpeg(command(jobs), stretch_name(job.source.path, cut.start, cut.end))
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
    if theme.caption.marks_words and timing and layout.shape in HIGHLIGHT_SHAPES:
        corners = {i.path: caption_corner(layout, i) for i in job.captions}
        job.captions, patches = mark_words(job.captions, theme, size)
        job.words = word_strip(patches, corners, frames, folder / f"words-{tag}.png")


def check_render_options(
    shapes: tuple[str, ...] | list[str],
    pad: float,
    frame: str = ClipOptions.frame,
    loudness: float | None = None,
) -> None:
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown:
        raise ClipperError(f"unknown clip shape {unknown[0]!r}; use {', '.join(SHAPES)}")
    if pad < 0:
        raise ClipperError(f"padding must not be negative (got {pad:g} s)")
    if frame not in FRAME_MODES:
        raise ClipperError(f"unknown framing {frame!r}; use {', '.join(FRAME_MODES)}")
    try:
        parse_loudness(loudness)
    except ValueError as exc:
        raise ClipperError(str(exc)) from None


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
    loudness: float | None = ClipOptions.loudness,
    caption_style: str | None = ClipOptions.caption_style,
) -> list[ClipResult]:
    """Render every quote in every shape into ``out_dir/<slug>/clips/``.

    ``frame="speaker"`` crops 1:1 and 9:16 on the speaker's face (``fit``
    when none is found, with a warning); ``"fit"`` shows the whole picture
    over a blurred copy of itself; ``"stack"`` puts both faces of a
    side-by-side call one above the other in 9:16 (the speaker otherwise),
    ``"auto"`` does so when the listener reacts (see :mod:`clipper.render.stack`).
    ``loudness`` (LUFS, None: off) is the
    integrated loudness each clip is brought to, its true peak kept under
    -1 dBTP. ``caption_style`` picks one of the theme's caption styles (``box``,
    ``pop``, ``karaoke`` in the bundled themes; None: the one the theme names).

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

    check_render_options(shapes, pad, frame, loudness)
    theme_used = load_theme(theme, caption_style)
    options = RenderOptions(theme_used, captions, pad, skip_existing, frame, loudness)
    shapes, out_dir, timings = tuple(shapes), Path(out_dir), timings or {}
    if sections and video is None:
        fetch = functools.partial(
            resolve_section, episode, url=url, cache_dir=cache_dir, progress=progress
        )
        return _render_sections(episode, quotes, shapes, out_dir, options, fetch, timings)
    path = resolve_video(episode, video=video, url=url, cache_dir=cache_dir, progress=progress)
    source = probe(path)
    notes = source_warnings(episode, source)
    results = []
    for quote in quotes:
        timing = timings.get(quote.id)
        for result in render_quote(episode, quote, source, shapes, out_dir, options, timing):
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
        cuts = [[a - offset, b - offset] for a, b in quote.cuts or ()]
        local = replace(quote, start=quote.start - offset, end=quote.end - offset, cuts=cuts)
        timing = timings.get(quote.id)
        local_timing = shifted(timing, offset) if timing else None
        for result in render_quote(episode, local, source, shapes, out_dir, options, local_timing):
            if result.video and not result.skipped:
                result.start, result.end = result.start + offset, result.end + offset
            result.warnings[:0] = source_warnings(episode, source)
            results.append(result)
    return results
