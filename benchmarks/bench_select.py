"""Episodes per second for load + select over the corpus, against a YAML-only baseline.

The baseline is the floor of the job: reading each file and parsing its front
matter with the same libyaml safe loader. Both are timed in the same run, best
of ``--repeat``, so the ratio holds on a noisy machine.

    python benchmarks/bench_select.py [SITE_DIR] [--repeat 5]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from clipper.episode import load_episode
from clipper.select.selector import SelectOptions, select_quotes
from clipper.yamlfile import SAFE_LOADER

DEFAULT_SITE = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def yaml_only(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    yaml.load(text.split("\n---\n", 1)[0].removeprefix("---\n"), Loader=SAFE_LOADER)


def load_and_select(path: Path) -> None:
    select_quotes(load_episode(path), SelectOptions(top=10))


def best_time(job: Callable[[Path], None], paths: list[Path], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for path in paths:
            job(path)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=DEFAULT_SITE)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    paths = sorted((args.site / "_podcast").glob("*.md"))
    if not paths:
        raise SystemExit(f"no episodes in {args.site / '_podcast'}")
    baseline = best_time(yaml_only, paths, args.repeat)
    clipper = best_time(load_and_select, paths, args.repeat)
    print(f"episodes:               {len(paths)}")
    print(f"YAML parse only:        {len(paths) / baseline:8.1f} episodes/s")
    print(f"load + select (top 10): {len(paths) / clipper:8.1f} episodes/s")
    print(f"ratio to YAML baseline: {clipper / baseline:8.2f}x")


if __name__ == "__main__":
    main()
