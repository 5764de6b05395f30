"""Files that ship inside the package: themes, fonts and the example site.

In the checkout they live at the top level (``assets/themes``, ``fonts/``,
``assets/example``); ``clipper/data/`` links to them, and a wheel carries real
copies, so the same lookup works in an editable and in a plain install.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def data_dir(name: str) -> Path:
    """The bundled folder ``name`` (``themes``, ``fonts`` or ``example``)."""
    return Path(str(files("clipper") / "data" / name))
