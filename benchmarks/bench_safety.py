"""Brand safety on real episodes: what it removes, and what it costs.

For each episode: how many candidates pass every other filter, and how many of
those each brand-safety reason removes (with ``-v``, their text). Then the
time of load + select with the filter against the same selection with the
filter switched off, best of ``--repeat``, in the same run.

    python benchmarks/bench_safety.py [SITE_DIR ...] [--repeat 5] [-v]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path
from unittest import mock

from clipper.episode.load import load_episode
from clipper.select import safety, selector
from clipper.select.safety import REASONS

DEFAULT_SITE = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def removals(path: Path, verbose: bool) -> tuple[int, Counter]:
    """Candidates that pass every other filter, and the reasons that remove some."""
    episode = load_episode(path)
    options = selector.SelectOptions()
    with mock.patch.object(selector, "brand_unsafe", lambda text, options: None):
        eligible = [
            s
            for s in selector.score_all(episode)
            if s.score > selector.MIN_SCORE and selector._passes(s, episode, options)
        ]
    counts: Counter = Counter()
    for scored in eligible:
        reason = selector.brand_unsafe(scored.span.text, options)
        if reason:
            counts[reason] += 1
            if verbose:
                print(f"    {reason:9} {scored.span.text[:110]}")
    return len(eligible), counts


def timed_run(paths: list[Path], safe: bool) -> tuple[float, float]:
    """Seconds of load + select over ``paths``, and of that, seconds spent in
    the brand-safety check (0 when ``safe`` is false: the check is off)."""
    safety._sentence_reason.cache_clear()  # each run starts cold, as a fresh process does
    safety._token_class.cache_clear()
    check = selector.brand_unsafe
    inside = 0.0

    def timed_check(text: str, options: selector.SelectOptions) -> str | None:
        nonlocal inside
        start = time.perf_counter()
        reason = check(text, options)
        inside += time.perf_counter() - start
        return reason

    start = time.perf_counter()
    with mock.patch.object(selector, "brand_unsafe", timed_check if safe else lambda t, o: None):
        for path in paths:
            selector.select_quotes(load_episode(path), selector.SelectOptions(top=10))
    return time.perf_counter() - start, inside


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="*", type=Path, default=[DEFAULT_SITE])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    paths = sorted(p for site in args.sites for p in (site / "_podcast").glob("*.md"))
    if not paths:
        raise SystemExit("no episodes in " + ", ".join(str(s / "_podcast") for s in args.sites))
    total, removed = 0, Counter()
    print(f"{'episode':50} {'eligible':>8}  " + " ".join(f"{r:>9}" for r in REASONS))
    for path in paths:
        eligible, counts = removals(path, args.verbose)
        total, removed = total + eligible, removed + counts
        print(f"{path.stem[:50]:50} {eligible:8}  " + " ".join(f"{counts[r]:9}" for r in REASONS))
    print(
        f"{'all ' + str(len(paths)) + ' episodes':50} {total:8}  "
        + " ".join(f"{removed[r]:9}" for r in REASONS)
    )
    without, with_filter, inside = float("inf"), float("inf"), float("inf")
    for _ in range(args.repeat):  # interleaved, so both see the same machine load
        without = min(without, timed_run(paths, safe=False)[0])
        run, check = timed_run(paths, safe=True)
        with_filter, inside = min(with_filter, run), min(inside, check)
    print(f"load + select without the filter: {without:.3f} s (best of {args.repeat})")
    print(f"load + select with brand safety:   {with_filter:.3f} s")
    print(f"ratio:                             {with_filter / without:.2f}x")
    print(f"time inside the check:             {inside:.3f} s ({inside / with_filter:.1%})")


if __name__ == "__main__":
    main()
