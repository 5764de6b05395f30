"""Reading an episode from a podcast feed's VTT and selecting from it, against
reading the same episode as a site page and selecting from it.

The episode is the corpus episode closest to one hour (or EPISODE). It is
written as a one-item Podcasting 2.0 feed by ``benchmarks/feedify.py`` (VTT
with voices in cues of 14 words, JSON chapters, persons); the feed job
parses the feed, reads the item (transcript, chapters) and selects; the page
job loads the page and selects. Best of ``--repeat`` each, interleaved, in
the same run; the goal is a ratio of at most 1.5.

    python benchmarks/bench_feed.py [EPISODE.md] [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from feedify import write_feed

from clipper.episode import load_episode
from clipper.episode.feedreader import item_episode, read_feed
from clipper.select.selector import SelectOptions, select_quotes

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "_podcast"
HOUR = 3600.0


def hour_long_episode() -> Path:
    """The corpus episode whose spoken length is closest to an hour."""
    paths = sorted(CORPUS.glob("*.md"))
    if not paths:
        sys.exit(f"no corpus at {CORPUS}; give an episode file")
    return min(paths, key=lambda path: abs(load_episode(path).duration - HOUR))


def timed(job: Callable[[], object]) -> float:
    start = time.perf_counter()
    job()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("episode", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    path = args.episode or hour_long_episode()
    page = load_episode(path)
    options = SelectOptions(top=10)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_feed([page], folder)
        cache = folder / "cache"

        def from_feed() -> None:
            feed = read_feed(folder / "feed.xml")
            select_quotes(item_episode(feed, feed.feed.items[0], cache_dir=cache), options)

        def from_page() -> None:
            select_quotes(load_episode(path), options)

        from_feed(), from_page()  # warm up: imports, caches
        feed_times, page_times = [], []
        for _ in range(args.repeat):
            feed_times.append(timed(from_feed))
            page_times.append(timed(from_page))
    words = sum(len(line.text.split()) for line in page.lines)
    print(f"episode: {path.name} ({page.duration / 60:.0f} min, {words} words)")
    print(f"page: load + select   {min(page_times) * 1000:8.1f} ms (best of {args.repeat})")
    print(f"feed: VTT + select    {min(feed_times) * 1000:8.1f} ms (best of {args.repeat})")
    print(f"ratio feed / page     {min(feed_times) / min(page_times):8.2f} (goal: at most 1.5)")


if __name__ == "__main__":
    main()
