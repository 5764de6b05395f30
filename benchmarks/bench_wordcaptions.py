"""What word-timed and highlighted captions cost against plain captions.

    python benchmarks/bench_wordcaptions.py [--seconds 30] [--repeat 2]

A 1080p test source (testsrc2 + tone) is generated first (not timed). Then,
in one run, the same quote (about 85 words over ``--seconds``) is rendered
in 9:16 and 1:1 (one ffmpeg run):

(a) baseline: captions timed by character position (no word timing);
(b) word-timed captions, highlight off (the theme's ``caption.highlight: null``);
(c) word-timed captions with the spoken word lit (the ``box`` caption style:
    one strip of lit words, one overlay);
(d) the ``pop`` caption style (a patch of the whole caption per word);
(e) the ``karaoke`` caption style (the same, over the caption images).

Prints wall and CPU seconds (this process and ffmpeg) and the ratio of each
row to (a).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench_clips import EXAMPLE_EPISODE, QUOTE_TEXT, make_source, measure  # the script's folder

from clipper.episode import load_episode
from clipper.render.clips import render_clips
from clipper.select.quote import Quote
from clipper.timing.model import QuoteTiming, Word

SHAPES = ("9:16", "1:1")
START = 5.0


def even_timing(text: str, start: float, end: float) -> QuoteTiming:
    """Every word of ``text`` spoken for an equal share of ``start..end``."""
    tokens = text.split()
    step = (end - start) / len(tokens)
    words = tuple(
        Word(token, start + i * step, start + (i + 0.8) * step) for i, token in enumerate(tokens)
    )
    return QuoteTiming(words, start, end, "captions", 1.0, start - 0.5, end + 0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="quote length")
    parser.add_argument("--repeat", type=int, default=2, help="runs per row (fastest kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-words-") as tmp:
        folder = Path(tmp)
        source = folder / "source.mp4"
        make_source(source, START + args.seconds + 5, "1920x1080")
        plain_theme = folder / "plain.yaml"
        plain_theme.write_text("caption:\n  highlight: null\n", encoding="utf-8")
        episode = load_episode(EXAMPLE_EPISODE)
        end = START + args.seconds
        quote = Quote(
            *("q001", "bench", "ines", "Ines Kowalczyk", "guest", "", "any", QUOTE_TEXT),
            *(START, end, 1.0, []),
        )
        timings = {"q001": even_timing(QUOTE_TEXT, START, end)}

        def render(name: str, **options) -> None:
            render_clips(episode, [quote], folder / name, video=source, shapes=SHAPES, **options)

        rows = {
            "(a) captions by character": measure(lambda: render("a"), args.repeat),
            "(b) word-timed, no highlight": measure(
                lambda: render("b", timings=timings, theme=plain_theme), args.repeat
            ),
            "(c) word-timed, highlight": measure(lambda: render("c", timings=timings), args.repeat),
            "(d) caption style pop": measure(
                lambda: render("d", timings=timings, caption_style="pop"), args.repeat
            ),
            "(e) caption style karaoke": measure(
                lambda: render("e", timings=timings, caption_style="karaoke"), args.repeat
            ),
        }
    words = len(QUOTE_TEXT.split())
    print(f"{args.seconds:g} s quote, {words} words, shapes {' + '.join(SHAPES)}, 1080p source")
    for name, timing in rows.items():
        print(f"  {name:32} {timing.wall:6.2f} s wall  {timing.cpu:6.2f} s cpu")
    baseline = rows["(a) captions by character"]
    for name, timing in list(rows.items())[1:]:
        print(f"{name[:3]}/(a): {timing / baseline}")


if __name__ == "__main__":
    main()
