"""A plain (non-editable) install in a fresh venv, run from another folder,
makes the example kit.

What this proves and how, offline: the wheel is built from a copy of the
source tree (symlinks as in git), so it holds whatever the package data
patterns pick up and nothing of the checkout leaks in; pip installs it,
non-editable, into a new venv that has no pip, no project path and no
PYTHONPATH. The runtime dependencies are not downloaded (tests use no
network): a ``.pth`` line lets the venv import them from this test
environment, after its own site-packages, so the clipper that runs is the
installed one. That they are declared is checked in the wheel's metadata;
resolving them from an index is pip's job, not clipper's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from clipper import DISTRIBUTION, __version__
from tests.conftest import PROJECT

pytestmark = pytest.mark.slow


def call(*args: object, cwd: Path | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def build_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("clipper", "assets", "fonts"):
        shutil.copytree(PROJECT / folder, source / folder, symlinks=True, ignore=skip)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT / name, source / name)
    dist = tmp_path / "dist"
    call(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "--no-index", "-w", dist, source)  # fmt: skip
    (wheel,) = dist.glob("clipper_podcast-*.whl")
    return wheel


def requirements(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(name).decode()
    return [
        line.split(":", 1)[1].strip()
        for line in metadata.splitlines()
        if line.startswith("Requires-Dist:")
    ]


def fresh_venv(root: Path) -> Path:
    venv.create(root, with_pip=False)
    python = root / "bin" / "python"
    site = call(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    Path(site, "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def test_installed_clipper_makes_the_example_kit_from_another_folder(tmp_path):
    wheel = build_wheel(tmp_path)
    needs = requirements(wheel)
    assert any(r.startswith("pillow") for r in needs)
    assert wheel.name.startswith(f"{DISTRIBUTION.replace('-', '_')}-{__version__}-")
    assert [r for r in needs if r.startswith("moviepy")] == ['moviepy>=2; extra == "bench"']

    python = fresh_venv(tmp_path / "venv")
    call(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps",
         "--no-index", wheel)  # fmt: skip
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = call(python, "-c", "import clipper; print(clipper.__file__)", cwd=elsewhere)
    assert where.startswith(str(tmp_path / "venv")), where
    clipper = tmp_path / "venv" / "bin" / "clipper"
    call(clipper, "init", "--example", "site", cwd=elsewhere)
    assert list((elsewhere / "site" / "_podcast").glob("*.md"))
    call(clipper, "batch", "site", "--no-clips", "--out", "kit", cwd=elsewhere)
    manifest = json.loads((elsewhere / "kit" / "manifest.json").read_text())
    (record,) = manifest["episodes"].values()
    assert record["status"] == "done" and record["assets"]["cards"]
    assert len(list((elsewhere / "kit").glob("*/cards/*.png"))) >= 6
    assert list((elsewhere / "kit").glob("*/*-kit.zip"))
    assert (elsewhere / "kit" / "index.html").is_file()
