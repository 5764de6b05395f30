"""The one ffmpeg run per quote: its inputs, filter graph and outputs.

The source is decoded once, converted to constant frame rate, trimmed
frame-exactly, then split into one chain per shape (scale, blurred
background, title band, caption overlays, lit words) and encoded to
H.264/AAC with ``+faststart``, each with its poster frame.

Frame accuracy: ffmpeg seeks (``-ss`` before ``-i``) to a little before the
cut, the ``fps`` filter maps every output frame slot to the source frame shown
at that moment (which also makes variable-rate sources constant), and ``trim``
cuts at the exact slot, so the first and last frames are the ones on screen at
the cut points, within one frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from clipper.media.ffmpeg import MediaInfo
from clipper.render.audiochain import Levelling, audio_chain
from clipper.render.captions import CaptionImage
from clipper.render.cutlist import Cut
from clipper.render.layout import STACK_BORDER, Layout, caption_corner, even
from clipper.render.theme import Theme
from clipper.render.titleband import Picture
from clipper.render.wordcaptions import WordStrip

BACKGROUND_FPS = 5
SEEK_LEAD = 0.5  # seconds decoded before the cut so the fps filter sees the frame on screen
VIDEO_ARGS = ("-c:v", "libx264", "-preset", "veryfast", "-crf", "21", "-pix_fmt", "yuv420p")
AUDIO_ARGS = ("-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2")
CONTAINER_ARGS = ("-movflags", "+faststart")
ENCODE_ARGS = (*VIDEO_ARGS, *AUDIO_ARGS, *CONTAINER_ARGS)


def rate_text(fps: float) -> str:
    """A frame rate as ffmpeg should get it: ``30000/1001``, not ``29.97``."""
    rate = Fraction(fps).limit_denominator(1001)
    return f"{rate.numerator}/{rate.denominator}"


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


def shape_chain(
    src: str, job: ShapeJob, theme: Theme, fps: float, tag: str, first_input: int
) -> list[str]:
    """Filter chains turning the trimmed video ``src`` into one shape."""
    layout, video = job.layout, job.layout.video
    chains = []
    crop = f"{layout.crop}," if layout.crop else ""
    # bicubic, not lanczos: a 9:16 crop of 1080p is scaled up 1.8x, where lanczos
    # costs as much again as the rest of the scale for a difference no phone shows
    sharp = f"scale={video.width}:{video.height}:flags=bicubic"
    if layout.panels:
        chains += _stack_chains(src, layout, theme, tag, f"{tag}v0")
    elif layout.fills:
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


def _stack_chains(src: str, layout: Layout, theme: Theme, tag: str, out: str) -> list[str]:
    """The two panels of a stack, each its own crop of ``src`` scaled to its
    box (with its border, if any), the top one padded down to the bottom
    one's box with the theme's background: the seam."""
    bottom = layout.panels[-1]
    thickness = max(2, round(layout.width * STACK_BORDER))
    chains = [f"[{src}]split=2[{tag}p0][{tag}p1]"]
    for index, panel in enumerate(layout.panels):
        box = panel.box
        border = panel.border and f",drawbox=c={panel.border[:7]}:t={thickness}"
        chains.append(
            f"[{tag}p{index}]{panel.crop},scale={box.width}:{box.height}:flags=lanczos,"
            f"setsar=1{border or ''}[{tag}q{index}]"
        )
    seam = theme.background[:7]
    chains.append(f"[{tag}q0]pad={layout.width}:{bottom.box.y}:0:0:color={seam}[{tag}q0s]")
    chains.append(f"[{tag}q0s][{tag}q1]vstack[{out}]")
    return chains


def _enable(start: float, end: float) -> str:
    return f":enable='between(t,{start:.3f},{end - 0.001:.3f})'"


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
    source: MediaInfo,
    cut: Cut,
    fps: float,
    jobs: list[ShapeJob],
    theme: Theme,
    levelling: Levelling | None = None,
) -> list[str]:
    """ffmpeg arguments rendering every job in one run (one filter graph).

    The seek point sits a whole number of frames (and a millisecond) before
    the cut, so the ``fps`` filter's frame slots line up with the source's
    frame times and ``trim`` picks exactly the slot at the cut."""
    first = round(cut.start * fps)
    seek = max(0.0, (first - math.ceil(SEEK_LEAD * fps)) / fps - 0.001)
    lead = cut.start - seek
    read = cut.span + lead + 0.5
    args = ["-ss", f"{seek:.6f}", "-t", f"{read:.6f}", "-i", str(source.path)]
    audio_in = "0:a"
    if not source.has_audio:
        args += ["-f", "lavfi", "-t", f"{read:.6f}", "-i", "anullsrc=r=48000:cl=stereo"]
        audio_in = "1:a"
    next_input = 2 if not source.has_audio else 1
    count = len(jobs)
    frames = [(lead + a - cut.start, lead + b - cut.start) for a, b in cut.kept_frames]
    sound = [(lead + a - cut.start, lead + b - cut.start) for a, b in cut.kept]
    chains = [
        f"[0:v]fps={rate_text(fps)},{picture_cut(frames, fps)},split={count}"
        + "".join(f"[s{i}]" for i in range(count)),
        audio_chain(audio_in, sound, cut.duration, [f"a{i}" for i in range(count)], levelling),
    ]
    outputs: list[str] = []
    for i, job in enumerate(jobs):
        pictures = overlay_inputs(job)
        for picture in pictures:
            args += ["-i", str(picture)]
        chains += shape_chain(f"s{i}", job, theme, fps, f"j{i}", next_input)
        next_input += len(pictures)
        outputs += shape_outputs(job, f"j{i}", f"a{i}")
    return [*args, "-filter_complex", ";".join(chains), *outputs]


def picture_cut(pieces: list[tuple[float, float]], fps: float) -> str:
    """The filter keeping the frames of ``pieces`` (input seconds, on the frame
    grid) back to back: ``trim`` for one piece; for several, ``select`` on
    the frame slots and new timestamps counting frames, so the picture jumps
    from the last frame before a cut to the first after it (no frame twice,
    none blank)."""
    half = 0.5 / fps
    if len(pieces) == 1:
        ((a, b),) = pieces
        return f"trim=start={a - half:.6f}:end={b - half:.6f},setpts=PTS-STARTPTS"
    kept = "+".join(f"between(t,{a - half:.6f},{b - half - 1e-4:.6f})" for a, b in pieces)
    return f"select='{kept}',setpts=N/({rate_text(fps)})/TB"


def shape_outputs(job: ShapeJob, tag: str, audio: str) -> list[str]:
    """The output arguments of one shape: its clip (from ``[<tag>out]`` and
    ``[audio]``) and its poster (from ``[<tag>poster]``)."""
    clip = ["-map", f"[{tag}out]", "-map", f"[{audio}]", *ENCODE_ARGS, str(job.video_out)]
    poster = ["-map", f"[{tag}poster]", "-frames:v", "1", "-q:v", "3", "-update", "1"]
    return [*clip, *poster, str(job.poster_out)]
