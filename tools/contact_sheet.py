"""Render every theme x size for a few episodes into one PNG, to look at.

    python tools/contact_sheet.py [EPISODE.md ...] [--out contact_sheet.png]
    python tools/contact_sheet.py --clips [EPISODE.md] [--video V | --audio A] [--span 2-8]

Without arguments it uses the bundled example episode and, when present,
three episodes of the corpus beside the project. Each row is one episode and
theme; each column one size; the cards are scaled to a common height.

With ``--clips`` it cuts the best quote (or ``--span START-END`` seconds of
the video with that quote's text) in every shape and framing mode (or as
audiograms with ``--audio``) and shows the start, middle and end frame of
each clip: one row per shape and mode.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

from clipper.episode import load_episode
from clipper.render.cards import render_cards
from clipper.render.sizes import PRESETS
from clipper.render.theme import available_themes, load_font
from clipper.select.selector import SelectOptions, select_quotes

PROJECT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT.parent / "shared" / "corpus" / "_podcast"
ROW_HEIGHT = 360
GAP = 16
LABEL_FONT = PROJECT / "fonts" / "Inter-Medium.otf"


def default_episodes() -> list[Path]:
    example = sorted((PROJECT / "assets" / "example" / "_podcast").glob("*.md"))
    corpus = sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []
    picks = [corpus[i] for i in (1, 4, 7) if i < len(corpus)]
    return example + picks


def render_rows(episodes: list[Path], themes: list[str], pick: int, work: Path) -> list[tuple]:
    """One row per (episode, theme): a label and the card files in preset order."""
    rows = []
    for path in episodes:
        episode = load_episode(path)
        quotes = select_quotes(episode, SelectOptions(top=pick + 1))[pick : pick + 1]
        for theme in themes:
            results = render_cards(episode, quotes, work / theme, theme=theme)
            label = f"{episode.slug} · {theme}"
            problems = [r.error for r in results if r.error]
            rows.append((label, [r.path for r in results if r.path], problems))
    return rows


def compose(rows: list[tuple], out: Path) -> None:
    widths = [round(ROW_HEIGHT * s.width / s.height) for s in PRESETS.values()]
    sheet_width = sum(widths) + GAP * (len(widths) + 1)
    row_step = ROW_HEIGHT + GAP + 28
    sheet = Image.new("RGB", (sheet_width, GAP + row_step * len(rows)), "#D9D9D9")
    draw = ImageDraw.Draw(sheet)
    font = load_font(LABEL_FONT, 18)
    for index, (label, paths, problems) in enumerate(rows):
        top = GAP + index * row_step
        text = label + (f"  ERRORS: {'; '.join(problems)}" if problems else "")
        draw.text((GAP, top), text, font=font, fill="#B00020" if problems else "#222222")
        x = GAP
        for path, width in zip(paths, widths, strict=False):
            with Image.open(path) as card:
                sheet.paste(card.convert("RGB").resize((width, ROW_HEIGHT)), (x, top + 28))
            x += width + GAP
    sheet.save(out)


def clip_frames(video: Path, duration: float, stem: Path) -> list[Path]:
    """The start, middle and end frames of ``video`` as PNGs named after ``stem``."""
    from clipper.media.ffmpeg import run_ffmpeg

    stills = []
    for name, at in (("start", 0.05), ("middle", 0.5), ("end", 0.95)):
        still = stem.with_name(f"{stem.name}-{name}.png")
        moment = f"{duration * at:.3f}"
        run_ffmpeg(["-ss", moment, "-i", str(video), "-frames:v", "1", str(still)], "frame")
        stills.append(still)
    return stills


def clip_rows(path: Path, args: argparse.Namespace, work: Path) -> list[tuple]:
    """One row per (shape, framing): a label and the start, middle and end frames."""
    from dataclasses import replace

    from clipper.render.audiogram import render_audiograms
    from clipper.render.clips import render_clips
    from clipper.render.layout import shape_tag

    episode = load_episode(path)
    quote = select_quotes(episode, SelectOptions(top=args.pick + 1))[args.pick]
    if args.span:
        start, end = (float(v) for v in args.span.split("-"))
        quote = replace(quote, start=start, end=end)
    modes = ("speaker", "fit", "stack")
    runs = {"audiogram": None} if args.audio else {mode: mode for mode in modes}
    rows = []
    for mode, frame in runs.items():
        out = work / mode
        if args.audio:
            results = render_audiograms(episode, [quote], out, audio=args.audio)
        else:
            results = render_clips(episode, [quote], out, video=args.video, frame=frame)
        for result in results:
            if frame in ("speaker", "stack") and result.shape == "16:9":
                continue  # 16:9 is the same in every mode
            stem = work / f"{mode}-{shape_tag(result.shape)}"
            stills = clip_frames(result.video, result.duration, stem) if result.video else []
            notes = "; ".join(result.warnings)
            label = f"{result.shape} · {mode}" + (f" ({notes})" if notes else "")
            rows.append((label, stills, [result.error] if result.error else []))
    return rows


def compose_clips(rows: list[tuple], out: Path) -> None:
    """Rows of three frames each, scaled to a common height."""
    widths = []
    for _, paths, _ in rows:
        with Image.open(paths[0]) if paths else Image.new("RGB", (1, 1)) as first:
            widths.append(round(ROW_HEIGHT * first.width / first.height))
    sheet_width = max(3 * w + 4 * GAP for w in widths)
    row_step = ROW_HEIGHT + GAP + 28
    sheet = Image.new("RGB", (sheet_width, GAP + row_step * len(rows)), "#D9D9D9")
    draw = ImageDraw.Draw(sheet)
    font = load_font(LABEL_FONT, 18)
    for index, ((label, paths, problems), width) in enumerate(zip(rows, widths, strict=True)):
        top = GAP + index * row_step
        text = label + (f"  ERRORS: {'; '.join(problems)}" if problems else "")
        draw.text((GAP, top), text, font=font, fill="#B00020" if problems else "#222222")
        for column, path in enumerate(paths):
            with Image.open(path) as frame:
                image = frame.convert("RGB").resize((width, ROW_HEIGHT))
                sheet.paste(image, (GAP + column * (width + GAP), top + 28))
    sheet.save(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("episodes", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=Path("contact_sheet.png"))
    parser.add_argument("--theme", action="append", help="theme(s); default: all bundled")
    parser.add_argument("--pick", type=int, default=0, help="which selected quote (0 = best)")
    parser.add_argument("--clips", action="store_true", help="clip frames instead of cards")
    parser.add_argument("--video", type=Path, help="with --clips: the video [the episode's]")
    parser.add_argument("--audio", type=Path, help="with --clips: audiograms of this audio")
    parser.add_argument("--span", help="with --clips: cut START-END seconds instead")
    args = parser.parse_args(argv)
    episodes = args.episodes or default_episodes()
    if args.clips and args.video is None and args.audio is None:
        site = load_episode(episodes[0]).site_root
        args.video = next((site / "video").glob(f"{episodes[0].stem}.*"), None)
    with tempfile.TemporaryDirectory() as work:
        if args.clips:
            rows = clip_rows(episodes[0], args, Path(work))
            compose_clips(rows, args.out)
        else:
            rows = render_rows(episodes, args.theme or available_themes(), args.pick, Path(work))
            compose(rows, args.out)
    problems = [f"{label}: {problem}" for label, _, errors in rows for problem in errors]
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    print(f"wrote {args.out} ({len(rows)} rows)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
