"""Audiograms: clips for episodes that only have audio.

Each shape is a still picture drawn once with Pillow (the episode artwork,
blurred behind everything and sharp on a card where there is room, the
speaker's round photo, the name and episode title plate) that ffmpeg animates
in the same single run per quote as a video clip: a waveform of the quote's
audio (``showwaves``), a progress bar sliding in from the left, and the
word-timed captions and poster of :mod:`clipper.render.clips`
(drawn into the graph by :mod:`clipper.render.clipgraph`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from clipper.episode import Episode
from clipper.errors import Notice
from clipper.media.ffmpeg import MediaInfo, probe
from clipper.render.audiochain import Levelling, audio_chain
from clipper.render.clipgraph import ShapeJob, overlay_inputs, rate_text, shape_chain, shape_outputs
from clipper.render.clips import (
    ClipResult,
    QuoteJob,
    RenderOptions,
    check_render_options,
    render_quote,
    run_shape_jobs,
)
from clipper.render.cutlist import Cut
from clipper.render.geometry import Box
from clipper.render.layout import Anchor, Layout, shape_tag
from clipper.render.options import SHAPES, ClipOptions
from clipper.render.theme import Theme, load_theme
from clipper.render.titleband import draw_title_band
from clipper.select.quote import Quote
from clipper.timing.model import QuoteTiming

if TYPE_CHECKING:
    from clipper.render.pictures import CardAssets

FRAME_SIZES = {"16:9": (1920, 1080), "1:1": (1080, 1080), "9:16": (1080, 1920)}
DEFAULT_ART_ASPECT = 940 / 550  # the site's artwork size; used when there is none


@dataclass(frozen=True)
class Plan:
    """Where things go in one audiogram shape (pixels). ``plate`` is the name
    plate's centre x, top and the most height it may take."""

    layout: Layout
    art: Box | None
    badge: tuple[int, int, int]  # centre x, top, diameter
    plate: tuple[int, int, int, int]  # centre x, top, width, room
    wave: Box
    bar: tuple[int, int]  # top, height


def plan_audiogram(shape: str, art_aspect: float | None) -> Plan:
    """The fixed layout of each shape (fractions of the frame, chosen by eye):
    9:16 stacks artwork card, photo, plate, captions, waveform; 1:1 leaves the
    card out; 16:9 puts the card left of the photo and plate."""
    width, height = FRAME_SIZES[shape]
    aspect = art_aspect or DEFAULT_ART_ASPECT

    def box(x: float, y: float, w: float, h: float) -> Box:
        return Box.at(round(x * width), round(y * height), round(w * width), round(h * height))

    art = None
    if shape == "9:16":
        art = box(0.1, 0.06, 0.8, 0.8 * width / aspect / height)
        diameter = round(width * 0.22)
        badge = (width // 2, art.bottom - diameter // 2, diameter)
        plate = (width // 2, art.bottom + diameter // 2 + 24, width, round(height * 0.13))
        captions, wave, bar = 0.56, box(0.06, 0.7, 0.88, 0.1), 0.83
    elif shape == "1:1":
        diameter = round(width * 0.2)
        badge = (width // 2, round(height * 0.05), diameter)
        plate = (width // 2, round(height * 0.27), width, round(height * 0.17))
        captions, wave, bar = 0.46, box(0.06, 0.66, 0.88, 0.16), 0.93
    else:
        art_height = min(0.5 * height, 0.45 * width / aspect)
        art = box(0.05, 0.07, art_height * aspect / width, art_height / height)
        diameter, column, top = round(height * 0.22), round(width * 0.74), round(height * 0.07)
        badge = (column, top, diameter)
        plate = (column, top + diameter + 24, round(width * 0.44), round(height * 0.2))
        captions, wave, bar = 0.76, box(0.05, 0.62, 0.9, 0.12), 0.955
    anchor = Anchor(round(height * captions), hang=True)
    frame = Box.at(0, 0, width, height)
    layout = Layout(shape, width, height, frame, True, None, 0, anchor, round(width * 0.88))
    bar_box = (round(height * bar), max(6, round(height * 0.008)))
    return Plan(layout, art, badge, plate, wave, bar_box)


def draw_still(
    assets: CardAssets, episode: Episode, quote: Quote, theme: Theme, plan: Plan, path: Path
) -> list[str]:
    """The picture under the animation, saved to ``path`` (its plate is
    drawn beside it); returns warnings (missing artwork or photo)."""
    from PIL import Image, ImageDraw, ImageOps

    from clipper.render.sizes import SizeSpec

    width, height = plan.layout.width, plan.layout.height
    still = assets.background(SizeSpec(plan.layout.shape, width, height)).convert("RGBA")
    if plan.art and assets.artwork is not None:
        card = ImageOps.fit(assets.artwork, (plan.art.width, plan.art.height), Image.LANCZOS)
        mask = Image.new("L", card.size, 0)
        radius = round(min(card.size) * 0.05)
        ImageDraw.Draw(mask).rounded_rectangle((0, 0, *card.size), radius=radius, fill=255)
        still.paste(card, (plan.art.x, plan.art.y), mask)
    person = episode.person(quote.speaker)
    centre, top, diameter = plan.badge
    badge = assets.badge(person, diameter)
    still.alpha_composite(badge, (centre - diameter // 2, top))
    centre, top, plate_width, room = plan.plate
    plate_path = path.with_name(f"plate-{path.name}")
    picture = draw_title_band(episode, quote, theme, plate_width, room, plate_path)
    with Image.open(picture.path) as plate:
        still.alpha_composite(plate.convert("RGBA"), (centre - picture.width // 2, top))
    still.convert("RGB").save(path, compress_level=1)
    _, photo_warnings = assets.photo(person)
    return assets.warnings + photo_warnings


def _wave_chains(
    audio: str, plan: Plan, theme: Theme, fps: float, cut: Cut, still: int, tag: str
) -> list[str]:
    """The still with the waveform and the progress bar drawn over it, as ``[tag]``."""
    wave, (bar_top, bar_height) = plan.wave, plan.bar
    colour = theme.accent[:7]
    return [
        f"[{audio}]aformat=channel_layouts=mono,showwaves=s={wave.width}x{wave.height}:"
        f"mode=cline:scale=sqrt:draw=full:rate={rate_text(fps)}:colors={colour},"
        f"format=rgba[{tag}w]",
        f"color=c={colour}:s={plan.layout.width}x{bar_height}:r={rate_text(fps)}:"
        f"d={cut.duration:.6f}[{tag}b]",
        f"[{still}:v][{tag}w]overlay={wave.x}:{wave.y}[{tag}sw]",
        f"[{tag}sw][{tag}b]overlay=x='-w+w*t/{cut.duration:.6f}':y={bar_top},format=yuv420p[{tag}]",
    ]


def build_command(
    source: MediaInfo,
    cut: Cut,
    fps: float,
    jobs: list[ShapeJob],
    plans: list[Plan],
    stills: list[Path],
    theme: Theme,
    levelling: Levelling | None = None,
) -> list[str]:
    """ffmpeg arguments rendering every shape's audiogram in one run."""
    count = len(jobs)
    args = ["-ss", f"{cut.start:.6f}", "-t", f"{cut.span + 0.5:.6f}", "-i", str(source.path)]
    labels = [label for i in range(count) for label in (f"a{i}", f"aw{i}")]
    pieces = [(a - cut.start, b - cut.start) for a, b in cut.kept]
    chains = [audio_chain("0:a", pieces, cut.duration, labels, levelling)]
    outputs: list[str] = []
    next_input = 1
    for i, (job, plan, still) in enumerate(zip(jobs, plans, stills, strict=True)):
        args += ["-loop", "1", "-framerate", rate_text(fps), "-t", f"{cut.duration:.6f}"]
        args += ["-i", str(still)]
        chains += _wave_chains(f"aw{i}", plan, theme, fps, cut, next_input, f"s{i}")
        pictures = overlay_inputs(job)
        for picture in pictures:
            args += ["-i", str(picture)]
        chains += shape_chain(f"s{i}", job, theme, fps, f"j{i}", next_input + 1)
        next_input += 1 + len(pictures)
        outputs += shape_outputs(job, f"j{i}", f"a{i}")
    return [*args, "-filter_complex", ";".join(chains), *outputs]


def _render_shapes(assets: CardAssets, job: QuoteJob) -> dict[str, list[Notice]]:
    """Draw each shape's still and render them all with
    :func:`~clipper.render.clips.run_shape_jobs`; returns notices per shape
    (missing artwork or photo: the episode's)."""
    theme = job.options.theme
    notes: dict[str, list[Notice]] = {}
    art = assets.artwork
    aspect = art.width / art.height if art is not None else None
    drawn: dict[str, tuple[Plan, Path]] = {}

    def place(shape: str, folder: Path) -> tuple[Layout, None]:
        plan = plan_audiogram(shape, aspect)
        still = folder / f"still-{shape_tag(shape)}.png"
        drawn_notes = draw_still(assets, job.episode, job.quote, theme, plan, still)
        notes[shape] = [Notice(note, job.episode.slug) for note in drawn_notes]
        drawn[shape] = plan, still
        return plan.layout, None

    def command(jobs: list[ShapeJob]) -> list[str]:
        plans, stills = zip(*(drawn[shape_job.layout.shape] for shape_job in jobs), strict=True)
        plans, stills = list(plans), list(stills)
        return build_command(
            job.source, job.cut, job.fps, jobs, plans, stills, theme, job.levelling
        )

    run_shape_jobs(job, place, command)
    return notes


def render_audiograms(
    episode: Episode,
    quotes: list[Quote],
    out_dir: Path | str,
    *,
    audio: Path | str,
    shapes: tuple[str, ...] | list[str] = SHAPES,
    captions: bool = ClipOptions.captions,
    pad: float = ClipOptions.pad,
    theme: str | Path = ClipOptions.theme,
    skip_existing: bool = False,
    timings: Mapping[str, QuoteTiming] | None = None,
    loudness: float | None = ClipOptions.loudness,
    caption_style: str | None = ClipOptions.caption_style,
) -> list[ClipResult]:
    """Render every quote of an audio-only episode in every shape, into the
    same files as :func:`~clipper.render.clips.render_clips`
    (``out_dir/<slug>/clips/<quote-id>-<shape>.mp4`` with subtitles and poster).

    A quote that cannot be cut gets ``error`` set; an unreadable ``audio``
    file, a bad theme or shape raises ClipperError. ``timings`` (by quote id)
    cut quotes on their spoken words and time the captions word by word, as
    for video clips; ``loudness`` levels them as video clips are; ``caption_style`` picks one of
    the theme's caption styles."""
    check_render_options(shapes, pad, loudness=loudness)
    from clipper.render.pictures import CardAssets

    options = RenderOptions(
        load_theme(theme, caption_style), captions, pad, skip_existing, "fit", loudness
    )
    source = probe(audio, need_video=False)
    shapes_renderer = functools.partial(_render_shapes, CardAssets(episode, options.theme))
    render = functools.partial(render_quote, render=shapes_renderer)
    results, timings = [], timings or {}
    for quote in quotes:
        timing = timings.get(quote.id)
        results += render(episode, quote, source, tuple(shapes), Path(out_dir), options, timing)
    return results
