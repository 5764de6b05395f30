"""Batch speed on the corpus, cards only: --jobs 1 against --jobs 2, and a rerun.

Each measurement runs the real command (`clipper batch SITE --no-clips`) in a
fresh process, so start-up is included as a user sees it. The --jobs 1 run is
the baseline for the speed-up ratio of --jobs 2, measured in the same run of
this script; the no-change rerun is reported in seconds and as a fraction of
the --jobs 1 run. The machine's own ceiling for two processes (pure CPU work,
no I/O) is measured too, since on a shared or hyper-threaded machine it can be
far below 2x.

    python benchmarks/bench_batch.py [SITE_DIR] [--sizes linkedin ...] [--quotes 6] [--repeat 2]

Times are the best of ``--repeat`` fresh runs (each in a new output folder).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

DEFAULT_SITE = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_batch(site: Path, config: Path, jobs: int) -> tuple[float, str]:
    """Wall seconds of one batch run, and its summary line plus CPU seconds."""
    command = [
        sys.executable,
        "-c",
        "from clipper.cli import main; main()",
        "batch",
        str(site),
        "--no-clips",
        "--config",
        str(config),
        "--jobs",
        str(jobs),
    ]
    start, cpu = time.perf_counter(), children_cpu()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"batch failed:\n{done.stdout}{done.stderr}")
    return elapsed, f"{done.stdout.splitlines()[0]}; {children_cpu() - cpu:.1f} s CPU"


def _spin(units: int) -> int:
    total = 0
    for i in range(units * 1_000_000):
        total += i & 7
    return total


def machine_speedup(units: int = 8) -> float:
    """What two processes gain over one on this machine right now, for pure
    CPU work with no I/O and no shared state: the ceiling for --jobs 2."""
    start = time.perf_counter()
    _spin(units)
    one = time.perf_counter() - start
    with ProcessPoolExecutor(2) as pool:
        start = time.perf_counter()
        list(pool.map(_spin, [units // 2, units // 2]))
        two = time.perf_counter() - start
    return one / two


def write_config(folder: Path, out: Path, sizes: list[str], quotes: int) -> Path:
    settings = {
        "output": str(out),
        "selection": {"kinds": {"any": quotes}},
        "cards": {"sizes": sizes},
        "clips": {"enabled": False},
    }
    path = folder / f"{out.name}.yaml"
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=DEFAULT_SITE)
    parser.add_argument("--sizes", nargs="+", default=["all"])
    parser.add_argument("--quotes", type=int, default=6, help="quotes per episode")
    parser.add_argument("--repeat", type=int, default=2, help="best of N fresh runs")
    args = parser.parse_args()
    episodes = len(list((args.site / "_podcast").glob("*.md")))
    ceiling_before = machine_speedup()
    times = {1: float("inf"), 2: float("inf")}
    rerun = float("inf")
    for attempt in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
            folder = Path(tmp)
            for jobs in (1, 2):
                config = write_config(folder, folder / f"jobs{jobs}", args.sizes, args.quotes)
                elapsed, summary = timed_batch(args.site, config, jobs)
                times[jobs] = min(times[jobs], elapsed)
                print(f"[{attempt + 1}] --jobs {jobs}: {elapsed:7.2f} s  ({summary})")
            elapsed, summary = timed_batch(args.site, config, 2)
            rerun = min(rerun, elapsed)
            print(f"[{attempt + 1}] rerun:   {elapsed:7.2f} s  ({summary})")
            cards = len(list((folder / "jobs2").glob("*/cards/*.png")))
    print(
        f"\n{episodes} episodes, {cards} cards (sizes {' '.join(args.sizes)}, "
        f"{args.quotes} quotes each), {os.cpu_count()} cores"
    )
    print(f"speed-up --jobs 2 / --jobs 1: {times[1] / times[2]:.2f}x")
    print(
        "machine ceiling (2 processes of pure CPU work vs 1): "
        f"{ceiling_before:.2f}x before, {machine_speedup():.2f}x after"
    )
    print(f"no-change rerun: {rerun:.2f} s = {rerun / times[1]:.1%} of the --jobs 1 run")


if __name__ == "__main__":
    main()
