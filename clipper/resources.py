"""Files that ship inside the package: themes, fonts and the example site.

In the checkout they live at the top level (``assets/themes``, ``fonts/``,
``assets/example``); ``clipper/data/`` links to them, and a wheel carries real
copies, so the same lookup works in an editable and in a plain install.
"""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

from clipper.errors import ClipperError


def data_dir(name: str) -> Path:
    """The bundled folder ``name`` (``themes``, ``fonts`` or ``example``)."""
    return Path(str(files("clipper") / "data" / name))


def copy_example(target: Path) -> Path:
    """Copy the bundled example site (a Jekyll site with one episode, its
    people, artwork and a short video) to ``target``, which must not exist
    or be empty; this is how an installed clipper's user reaches it."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ClipperError(f"{target}: exists and is not empty; choose a new folder")
    shutil.copytree(data_dir("example"), target, dirs_exist_ok=True)
    return target
