"""Shared fixtures: the bundled example site and the real corpus beside the project."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner, Result

from clipper.cli import main

PROJECT = Path(__file__).resolve().parents[1]
# The shared data beside the project; CLIPPER_SHARED points elsewhere (a git worktree).
SHARED = Path(os.environ.get("CLIPPER_SHARED") or PROJECT.parent / "shared")
CORPUS = SHARED / "corpus"
LABELS = SHARED / "labels"
EXAMPLE_SITE = PROJECT / "assets" / "example"
# Festival speech that differs from its edited transcript (tools/make_speech_fixture.py).
SPEECH = PROJECT / "tests" / "fixtures" / "speech"
SPEECH_EPISODE = SPEECH / "_podcast" / "speech-fixture.md"
SPEECH_MEDIA = SPEECH / "video" / "speech-fixture.mp4"
SPEECH_CAPTIONS = SPEECH / "captions" / "speech-fixture.en.json3"


def corpus_episodes() -> list[Path]:
    """Every corpus episode file, or an empty list when the corpus is absent."""
    podcast = CORPUS / "_podcast"
    return sorted(podcast.glob("*.md")) if podcast.is_dir() else []


@pytest.fixture
def eval_select() -> ModuleType:
    """``benchmarks/eval_select.py``, imported as the benchmark runs it (its
    folder on the path, for its own imports)."""
    sys.path.insert(0, str(PROJECT / "benchmarks"))
    try:
        import eval_select
    finally:
        sys.path.remove(str(PROJECT / "benchmarks"))
    return eval_select


@pytest.fixture
def corpus_dir() -> Path:
    if not (CORPUS / "_podcast").is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture
def example_site() -> Path:
    return EXAMPLE_SITE


@pytest.fixture
def example_episode() -> Path:
    episodes = sorted((EXAMPLE_SITE / "_podcast").glob("*.md"))
    assert episodes, "assets/example/_podcast holds the bundled example episode"
    return episodes[0]


@pytest.fixture
def invoke() -> Callable[..., Result]:
    """Run the CLI in-process: ``invoke("select", path, "--top", 3)``.

    Arguments are turned into strings; an exception other than the exit the
    CLI means to make propagates, so a crash fails the test with its traceback.
    """

    def run(*args: object) -> Result:
        return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run
