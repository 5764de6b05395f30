"""Episodes per second for load + select over the corpus, against a YAML-only baseline.

The baseline is the floor of the job: reading each file and parsing its front
matter with the same libyaml safe loader. Both are timed in the same run, best
of ``--repeat``, so the ratio holds on a noisy machine.

Then, per episode, whole processes: ``clipper select EPISODE --json`` against
a bare ``python -c "yaml.safe_load(...)"`` of the same file, median of
``--repeat`` runs each (interleaved, same run). The goal is at most 2x.

    python benchmarks/bench_select.py [SITE_DIR] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
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


# The front matter, as clipper reads it; the page body after it is not YAML.
BARE_YAML = (
    "import sys, yaml\n"
    "text = open(sys.argv[1], encoding='utf-8').read()\n"
    "yaml.safe_load(text.split('\\n---\\n', 1)[0].removeprefix('---\\n'))"
)
CLIPPER_SELECT = "from clipper.cli import main; main()"


# Both sides run as an installed program does, with Python's bytecode cache
# (a shell may have turned it off: then every run compiles each module again).
CACHED = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def process_seconds(code: str, args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, env=CACHED)
    return time.perf_counter() - start


def process_ratio(path: Path, repeat: int) -> tuple[float, float]:
    """Median seconds of a bare YAML parse and of ``clipper select --json``
    (after one unmeasured run of each, which fills the bytecode cache)."""
    process_seconds(BARE_YAML, [str(path)])
    process_seconds(CLIPPER_SELECT, ["select", str(path), "--json"])
    bare, select = [], []
    for _ in range(repeat):
        bare.append(process_seconds(BARE_YAML, [str(path)]))
        select.append(process_seconds(CLIPPER_SELECT, ["select", str(path), "--json"]))
    return statistics.median(bare), statistics.median(select)


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
    print("\nwhole process, median of", args.repeat, "(yaml.safe_load | clipper select --json)")
    ratios = []
    for path in paths:
        bare, select = process_ratio(path, args.repeat)
        ratios.append(select / bare)
        print(f"  {path.stem[:50]:<50} {bare:6.2f}s {select:6.2f}s {select / bare:5.2f}x")
    print(f"process ratio: median {statistics.median(ratios):.2f}x, worst {max(ratios):.2f}x")


if __name__ == "__main__":
    main()
