"""Screenshot a review page (OUT/index.html) in headless Chromium, phone and desktop.

    python tools/screenshot_review.py output/index.html review.png [--width 390 --height 844]

The whole page is captured (``--viewport-only`` for the first screen). Playwright
(``pip install playwright``, part of the test extra) drives the system Chromium
(``apt-get install -y chromium``); no browser is downloaded. Chromium runs with
networking features off and a throw-away profile, so the shot also shows that
the page needs nothing from the network.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def browser_available() -> bool:
    """Chromium on the PATH and Playwright importable."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return find_chromium() is not None


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A Playwright browser on the system Chromium."""
    from playwright.sync_api import sync_playwright

    executable = find_chromium()
    if executable is None:
        raise FileNotFoundError("chromium is not installed (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(
    page: Path, png: Path, width: int = 390, height: int = 844, full_page: bool = True
) -> Path:
    """Save a screenshot of ``page`` at a ``width`` x ``height`` viewport."""
    with chromium() as browser:
        tab = browser.new_page(viewport={"width": width, "height": height})
        tab.goto(page.resolve().as_uri())
        tab.screenshot(path=str(png), full_page=full_page)
    return png


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--height", type=int, default=844)
    parser.add_argument("--viewport-only", action="store_true")
    args = parser.parse_args(argv)
    try:
        screenshot(args.page, args.png, args.width, args.height, not args.viewport_only)
    except (FileNotFoundError, ImportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(args.png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
