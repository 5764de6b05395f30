"""Render every theme x size for a few episodes into one PNG, to look at.

    python tools/contact_sheet.py [EPISODE.md ...] [--out contact_sheet.png]

Without arguments it uses the bundled example episode and, when present,
three episodes of the corpus beside the project. Each row is one episode and
theme; each column one size; the cards are scaled to a common height.
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("episodes", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=Path("contact_sheet.png"))
    parser.add_argument("--theme", action="append", help="theme(s); default: all bundled")
    parser.add_argument("--pick", type=int, default=0, help="which selected quote (0 = best)")
    args = parser.parse_args(argv)
    episodes = args.episodes or default_episodes()
    with tempfile.TemporaryDirectory() as work:
        rows = render_rows(episodes, args.theme or available_themes(), args.pick, Path(work))
        compose(rows, args.out)
    problems = [f"{label}: {problem}" for label, _, errors in rows for problem in errors]
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    print(f"wrote {args.out} ({len(rows)} rows)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
