"""Clip rendering speed against a plain ffmpeg floor and a moviepy composite.

    python benchmarks/bench_clips.py [--seconds 30] [--size 1920x1080] [--frame speaker|fit]
                                     [--shape 9:16 ...] [--skip-moviepy]

A test source (testsrc2 with a face photo at the left third, + tone; 1080p
unless ``--size``) is generated first (not timed). Then, all in one run, for
a quote of ``--seconds``:

(a) floor: plain ffmpeg re-encodes of the segment with clipper's encoder
    settings, into the same output sizes (scale + pad, nothing composited);
(b) clipper: render_clips with captions, every shape in one ffmpeg run, and
    each shape on its own (speaker framing's face scan included). The
    analysis steps are also timed on their own: the face scan (and its 4 fps
    pass, which the source's one steady face skips), the name band
    alone, and speech recognition on the quote's window, which ``clips`` and
    ``batch`` run only for a source without captions (the bench source has
    none, and render_clips is given no word times, so (b) does not include it;
    its row says what such a source adds);
(c) moviepy: the same 9:16 composite (blurred background, video, title band,
    caption images) through moviepy;
(d) what the edit costs: the three shapes in one run with loudness levelling
    (its measuring pass included) and four tight cuts (crossfaded sound,
    frames dropped), against the same run with neither.

``--shape`` limits (a) and (b) to some shapes (the issue's figure: ``--shape
9:16 --skip-moviepy``; (d) needs all three). Prints a table and the ratios:
target (b) <= 1.3x (a), (c) >= 5x (b), (d) <= 1.2x.
"""

from __future__ import annotations

import argparse
import functools
import operator
import resource
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from clipper.episode import Episode, load_episode
from clipper.media.ffmpeg import MediaInfo, ffmpeg_exe, output_fps, probe, run_ffmpeg
from clipper.render.captions import draw_caption_images
from clipper.render.clipgraph import ENCODE_ARGS
from clipper.render.clips import render_clips, shape_cues
from clipper.render.cutlist import plan_cut
from clipper.render.layout import frame_size, plan_layout, shape_tag
from clipper.render.options import SHAPES
from clipper.render.theme import load_theme
from clipper.render.titleband import draw_title_band
from clipper.select.quote import Quote
from clipper.timing.quotes import SPEECH_MARGIN
from clipper.timing.speech import Recogniser

FACE_PHOTO = Path(__file__).resolve().parents[1] / "tests/data/astronaut_face.jpg"
EXAMPLE_EPISODE = (
    Path(__file__).resolve().parents[1]
    / "assets/example/_podcast/from-warehouse-floor-to-analytics-engineering.md"
)
QUOTE_TEXT = (
    "The first dashboard I deleted was the one everybody said they needed. Nobody "
    "noticed for three weeks. That taught me to start from the decision someone has "
    "to make on Monday morning, not from the data we happen to have, and to ask who "
    "will open the thing before I build it. Most of the time a table in an email does "
    "the job, and when it does not, you find out quickly what the real question is."
)


def make_source(path: Path, seconds: float, size: str) -> None:
    height = int(size.split("x")[1])
    face = (
        f"[2:v]scale=-2:{height // 2}[face];"
        f"[0:v][face]overlay=x=W/3-w/2:y=(H-h)/2:shortest=1,format=yuv420p[v]"
    )
    subprocess.run(
        [
            *(ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"),
            *("-f", "lavfi", "-i", f"testsrc2=s={size}:r=25:d={seconds}"),
            *("-f", "lavfi", "-i", f"sine=frequency=300:d={seconds}"),
            *("-loop", "1", "-i", str(FACE_PHOTO), "-filter_complex", face),
            *("-map", "[v]", "-map", "1:a", "-t", f"{seconds}"),
            *("-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"),
            str(path),
        ],
        check=True,
    )


def floor(source: Path, start: float, duration: float, size: tuple[int, int], out: Path) -> None:
    width, height = size
    fit = (
        f"scale={width}:{height}:force_original_aspect_ratio=decrease,"
        f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,setsar=1"
    )
    run_ffmpeg(
        [
            "-ss",
            f"{start}",
            "-t",
            f"{duration}",
            "-i",
            str(source),
            "-vf",
            fit,
            *ENCODE_ARGS,
            str(out),
        ],
        "floor",
    )


def moviepy_916(episode: Episode, quote: Quote, source: Path, folder: Path) -> None:
    """The 9:16 composite done frame by frame through moviepy."""
    from moviepy import CompositeVideoClip, ImageClip, VideoFileClip, vfx

    theme = load_theme("default")
    info = probe(source)
    cut = plan_cut(quote, info, 0.3, fps=output_fps(info))
    layout = plan_layout("9:16", info, theme)
    cues, size = shape_cues(quote, cut, layout, theme)
    title = draw_title_band(
        episode, quote, theme, layout.width, layout.title_room, folder / "mp-title.png"
    )
    captions = draw_caption_images(cues, theme, size, folder, "mp-cap")
    clip = VideoFileClip(str(source)).subclipped(cut.start, cut.end)
    width, height = layout.width, layout.height
    background = (
        clip.resized(height=height // 8)
        .resized(height=height)
        .with_effects([vfx.MultiplyColor(0.35)])
        .with_position("center")
    )
    layers = [
        background,
        clip.resized(width=layout.video.width).with_position((0, layout.video.y)),
        ImageClip(str(title.path))
        .with_duration(cut.duration)
        .with_position(((width - title.width) // 2, layout.title.top(title.height))),
    ]
    for image in captions:
        layers.append(
            ImageClip(str(image.path))
            .with_start(image.cue.start)
            .with_duration(image.cue.end - image.cue.start)
            .with_position(((width - image.width) // 2, layout.captions.top(image.height)))
        )
    CompositeVideoClip(layers, size=(width, height)).write_videofile(
        str(folder / "moviepy-9x16.mp4"),
        fps=output_fps(info),
        codec="libx264",
        preset="veryfast",
        audio_codec="aac",
        ffmpeg_params=["-crf", "21", "-pix_fmt", "yuv420p", "-movflags", "+faststart"],
        logger=None,
    )
    clip.close()


@dataclass
class Timing:
    wall: float
    cpu: float  # this process and its children (ffmpeg): robust to a busy machine

    def __truediv__(self, other: Timing) -> str:
        return f"{self.wall / other.wall:.2f}x wall, {self.cpu / other.cpu:.2f}x cpu"

    def __add__(self, other: Timing) -> Timing:
        return Timing(self.wall + other.wall, self.cpu + other.cpu)


def cpu_seconds() -> float:
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(action: Callable[[], object], repeat: int) -> Timing:
    """The fastest of ``repeat`` runs (wall and CPU seconds)."""
    best = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), cpu_seconds()
        action()
        timing = Timing(time.perf_counter() - wall, cpu_seconds() - cpu)
        best = timing if best is None or timing.wall < best.wall else best
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="quote length")
    parser.add_argument("--repeat", type=int, default=2, help="runs per row (fastest kept)")
    parser.add_argument("--size", default="1920x1080", help="source size WxH")
    parser.add_argument("--frame", default="speaker", choices=("speaker", "fit"))
    parser.add_argument("--shape", action="append", choices=SHAPES, help="default: all three")
    parser.add_argument("--skip-moviepy", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-clips-") as tmp:
        folder = Path(tmp)
        source = folder / "source.mp4"
        make_source(source, args.seconds + 10, args.size)
        episode = load_episode(EXAMPLE_EPISODE)
        quote = Quote(
            id="q001",
            episode="bench",
            speaker="ines",
            speaker_name="Ines Kowalczyk",
            role="guest",
            section="",
            kind="any",
            text=QUOTE_TEXT,
            start=5.0,
            end=5.0 + args.seconds,
            score=1.0,
            lines=[],
        )
        info = probe(source)
        cut = plan_cut(quote, info, 0.3, fps=output_fps(info))

        def plain(shape: str) -> None:
            size = frame_size(shape, info)
            floor(source, cut.start, cut.duration, size, folder / f"floor-{shape_tag(shape)}.mp4")

        def clipper(shapes: tuple[str, ...], name: str, **options: object) -> None:
            render_clips(
                episode,
                [options.pop("quote", quote)],
                folder / name,
                video=source,
                shapes=shapes,
                frame=args.frame,
                **options,
            )

        step = args.seconds / 5  # four cuts of 0.4 s, as pauses and fillers would be
        cuts = [[5.0 + step * k, 5.4 + step * k] for k in range(1, 5)]
        tightened = replace(quote, cuts=cuts)

        from clipper.render import framing

        shapes = tuple(args.shape or SHAPES)
        scan = measure(lambda: framing.scan(info, cut.start, cut.duration, cut.speech), args.repeat)
        band = measure(
            lambda: framing.scan(info, cut.start, cut.duration, cut.speech, faces=False),
            args.repeat,
        )
        full_scan = measure(lambda: four_fps_faces(info, cut.start, cut.duration), args.repeat)
        recogniser = Recogniser()  # loaded once per run, as clips and batch do
        window = (cut.start - SPEECH_MARGIN, cut.end + SPEECH_MARGIN)
        speech = measure(lambda: recogniser.words(source, *window), args.repeat)
        floors = {s: measure(lambda s=s: plain(s), args.repeat) for s in shapes}
        singles = {s: measure(lambda s=s: clipper((s,), shape_tag(s)), args.repeat) for s in shapes}
        rows = [(f"(a) ffmpeg plain re-encode {s}", t) for s, t in floors.items()]
        rows += [(f"(b) clipper {s} with captions", t) for s, t in singles.items()]
        together = None
        if len(shapes) > 1:
            together = measure(lambda: clipper(shapes, "all"), args.repeat)
            floor_row = (f"(a) ffmpeg plain re-encode, {len(shapes)} sizes", total(floors))
            rows.insert(len(floors), floor_row)
            rows.append((f"(b) clipper {len(shapes)} shapes, {len(shapes)} runs", total(singles)))
            rows.append((f"(b) clipper {len(shapes)} shapes, one run", together))
        rows.append(("    of which: face scan (decode + detect, once per quote)", scan))
        rows.append(("    face scan's 4 fps pass (two faces, or one that moves)", full_scan))
        rows.append(("    name band alone (16:9 or fit: keyframes only)", band))
        rows.append(("    not in (b): speech recognition of the quote's window", speech))
        plain_run = edited = None
        if shapes == SHAPES:
            plain_run = measure(lambda: clipper(SHAPES, "plain", loudness=None), args.repeat)
            edited = measure(lambda: clipper(SHAPES, "edited", quote=tightened), args.repeat)
            rows.append(("(d) clipper 3 shapes, one run, no loudness, no cuts", plain_run))
            rows.append(("(d) clipper 3 shapes, one run, loudness + 4 cuts", edited))
        moviepy = None
        if not args.skip_moviepy:
            moviepy = measure(lambda: moviepy_916(episode, quote, source, folder), 1)
            rows.append(("(c) moviepy 9:16 composite", moviepy))
        print(
            f"quote {args.seconds:g} s (+0.3 s pad each side), source {args.size} 25 fps, "
            f"--frame {args.frame}\n"
        )
        print("| run | wall s | cpu s |\n| --- | ---: | ---: |")
        for name, timing in rows:
            print(f"| {name} | {timing.wall:.2f} | {timing.cpu:.2f} |")
        print()
        for shape in shapes:
            print(f"clipper {shape} / floor {shape}: {singles[shape] / floors[shape]}")
            with_speech = singles[shape] + speech
            print(f"  with speech recognition (no captions): {with_speech / floors[shape]}")
        if together:
            print(f"clipper shapes one run / floor all sizes: {together / total(floors)}")
            print(f"clipper one run / one run per shape: {together / total(singles)}")
        if edited:
            print(f"loudness + cuts / neither: {edited / plain_run}")
        if moviepy and "9:16" in singles:
            print(f"moviepy 9:16 / clipper 9:16: {moviepy / singles['9:16']}")


def four_fps_faces(info: MediaInfo, start: float, duration: float) -> list:
    """What the face scan costs where the keyframes do not show one steady
    face (the bench source's one face does): the 4 fps decode and the search
    in every other sample."""
    from clipper.render import framing

    frames, _ = framing.decode_samples(info, start, duration)
    return [framing.find_faces(frames[i], 0.0) for i in range(0, len(frames), 2)]


def total(timings: dict[str, Timing]) -> Timing:
    return functools.reduce(operator.add, timings.values())


if __name__ == "__main__":
    main()
