"""Screenshot a review page (OUT/index.html) with headless Chromium.

    python tools/screenshot_review.py output/index.html review.png [--width 1400 --height 2400]

Chromium comes from the Debian package (``apt-get install -y chromium``). It
runs with networking features off and a throw-away profile, so the shot also
shows that the page needs nothing from the network.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_command(
    chromium: str, page: Path, profile: Path, extra: list[str], width: int, height: int
) -> list[str]:
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
        *extra,
        page.resolve().as_uri(),
    ]


def run_chromium(page: Path, extra: list[str], width: int, height: int) -> str:
    """Run headless Chromium on ``page`` with ``extra`` flags; returns stdout."""
    chromium = find_chromium()
    if chromium is None:
        raise FileNotFoundError("chromium is not installed (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory(prefix="clipper-chromium-") as profile:
        command = chromium_command(chromium, page, Path(profile), extra, width, height)
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"chromium failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return done.stdout


def screenshot(page: Path, png: Path, width: int = 1400, height: int = 2400) -> Path:
    run_chromium(page, [f"--screenshot={png.resolve()}"], width, height)
    return png


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=2400)
    args = parser.parse_args(argv)
    try:
        screenshot(args.page, args.png, args.width, args.height)
    except (FileNotFoundError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(args.png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
