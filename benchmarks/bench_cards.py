"""Quote-card speed: ms per card per size, as a ratio to a plain Pillow baseline.

    python benchmarks/bench_cards.py [EPISODE.md] [--cards 100] [--format png]

The baseline, measured in the same run, is the least any card renderer must
do: open the artwork, resize it to the canvas and save it in the same format.
The card run renders ``--cards`` cards of one episode per size through
:func:`clipper.cards.render_cards`, so it includes decoding the artwork and
loading fonts once (reused by every card), layout, drawing, the alt-text
sidecar and the atomic rename. Target: a card costs at most 2x the baseline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

from clipper.episode import Episode, load_episode
from clipper.render.cards import render_cards, save_image
from clipper.render.sizes import FORMATS, PRESETS
from clipper.select.quote import Quote
from clipper.select.selector import SelectOptions, select_quotes

PROJECT = Path(__file__).resolve().parents[1]


def default_episode() -> Path:
    corpus = PROJECT.parent / "shared" / "corpus" / "_podcast" / "cloud-data-governance.md"
    if corpus.is_file():
        return corpus
    return next((PROJECT / "assets" / "example" / "_podcast").glob("*.md"))


def baseline_ms(artwork: Path, size: tuple[int, int], fmt: str, out: Path, repeat: int) -> float:
    """Median ms to open the artwork, resize it to the canvas and save it."""
    times = []
    for index in range(repeat):
        start = time.perf_counter()
        with Image.open(artwork) as image:
            canvas = image.convert("RGB").resize(size, Image.Resampling.BICUBIC)
        save_image(canvas, out / f"baseline-{index}.{fmt}", fmt)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cards_ms(episode: Episode, quotes: list[Quote], size: str, fmt: str, out: Path) -> float:
    """Mean ms per card over one render_cards call of every quote at ``size``."""
    start = time.perf_counter()
    results = render_cards(episode, quotes, out, sizes=(size,), fmt=fmt)
    elapsed = (time.perf_counter() - start) * 1000
    failed = [r.error for r in results if r.error]
    if failed:
        raise SystemExit(f"cards failed: {failed[0]}")
    return elapsed / len(results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("episode", nargs="?", type=Path, default=None)
    parser.add_argument("--cards", type=int, default=100, help="cards per size [100]")
    parser.add_argument("--format", dest="fmt", choices=sorted(FORMATS), default="png")
    args = parser.parse_args(argv)
    episode = load_episode(args.episode or default_episode())
    if episode.artwork is None or not episode.artwork.is_file():
        raise SystemExit(f"{episode.path}: the benchmark needs an episode with artwork")
    pool = select_quotes(episode, SelectOptions(top=args.cards, min_words=4, max_words=60))
    quotes = [pool[i % len(pool)] for i in range(args.cards)]
    quotes = [Quote(**{**q.to_dict(), "id": f"b{i:03d}"}) for i, q in enumerate(quotes)]
    print(f"episode {episode.slug}: {len(pool)} distinct quotes, {args.cards} cards per size")
    print(f"{'size':<10} {'card ms':>8} {'baseline ms':>12} {'ratio':>6}")
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        for name, spec in PRESETS.items():
            canvas = (spec.width, spec.height)
            # The machine may be shared: take the baseline before and after the cards.
            before = baseline_ms(episode.artwork, canvas, args.fmt, out, 15)
            card = cards_ms(episode, quotes, name, args.fmt, out / name)
            base = (before + baseline_ms(episode.artwork, canvas, args.fmt, out, 15)) / 2
            ratios.append(card / base)
            print(f"{name:<10} {card:8.1f} {base:12.1f} {card / base:6.2f}")
    print(f"median ratio {statistics.median(ratios):.2f} (target <= 2.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
