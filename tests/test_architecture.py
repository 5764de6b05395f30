"""The package's shape: stages import only earlier stages, click stays in the CLI,
start-up stays light, the README example and command list stay true."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import clipper
from clipper.cli import main
from tests.conftest import EXAMPLE_SITE, PROJECT, SPEECH_CAPTIONS, SPEECH_EPISODE

PACKAGE = PROJECT / "clipper"
# Each stage may import the base modules and the stages before it, never one after.
STAGES = ("media", "episode", "select", "timing", "render", "batch", "cli")
BASE = {"errors", "fsutil", "yamlfile", "resources", "ids", "remote"}
HEAVY = ("PIL", "yt_dlp", "numpy", "cv2", "pocketsphinx", "sklearn", "llm", "opentimelineio")


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside functions."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def stage_of(module: str) -> str | None:
    """The stage (or "base") a ``clipper.*`` module belongs to."""
    parts = module.split(".")
    if parts[0] != "clipper" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in STAGES else "base" if parts[1] in BASE else None


def package_files() -> list[Path]:
    return sorted(
        p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE
    )


def test_no_stage_imports_a_later_stage():
    rank = {"base": -1, **{stage: i for i, stage in enumerate(STAGES)}}
    problems = []
    for path in package_files():
        own = stage_of("clipper." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts))
        assert own is not None, f"{path}: not in a stage folder or a base module"
        for module in imported_modules(path):
            other = stage_of(module)
            if other is not None and rank[other] > rank[own]:
                problems.append(f"{path.relative_to(PROJECT)} ({own}) imports {module} ({other})")
    assert problems == []


def test_no_render_module_passes_700_lines():
    """The renderers stay in parts small enough to read: a clip's cut, layout,
    audio and command, a card's layout and its pictures each have a home."""
    sizes = {
        path.name: len(path.read_text(encoding="utf-8").splitlines())
        for path in (PACKAGE / "render").glob("*.py")
    }
    assert {name: lines for name, lines in sizes.items() if lines > 700} == {}


def test_only_the_cli_imports_click():
    importers = [
        path.relative_to(PROJECT).as_posix()
        for path in package_files()
        if any(m == "click" or m.startswith("click.") for m in imported_modules(path))
    ]
    assert importers and all(p.startswith("clipper/cli/") for p in importers), importers


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["select", str(sorted((EXAMPLE_SITE / "_podcast").glob("*.md"))[0]), "--json"],
        ["select", str(SPEECH_EPISODE), "--timing", str(SPEECH_CAPTIONS), "--json"],
    ],
    ids=["help", "select", "select-timing"],
)
def test_start_up_imports_no_heavy_package(args):
    code = (
        "import sys\n"
        "from clipper.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_public_api_is_re_exported_lazily():
    assert set(clipper.__all__) <= set(dir(clipper))
    for name in clipper.__all__:
        assert getattr(clipper, name) is not None
    with pytest.raises(AttributeError):
        clipper.no_such_thing  # noqa: B018


def test_every_command_is_in_the_readme_with_an_example_in_its_help(invoke):
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert set(main.commands) >= {"inspect", "select", "cards", "clips", "batch", "init"}
    for name in main.commands:
        assert f"`clipper {name}" in readme, f"README does not show clipper {name}"
        help_text = invoke(name, "--help").output
        assert re.search(rf"Example:\n\s+clipper {name} ", help_text), f"{name} --help"


def test_the_readme_python_example_runs(tmp_path, monkeypatch):
    """The README's API example, as written, on the bundled example (cards only:
    clips are covered by the clip tests)."""
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```python\n(.*?)```", readme, re.S)
    example = example.replace("render_clips(", "(lambda *args, **options: options)(")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "example").symlink_to(EXAMPLE_SITE)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(example, "README.md", "exec"), namespace)
    cards = namespace["cards"]
    assert len(cards) == 4 and all(card.path and card.path.is_file() for card in cards)
