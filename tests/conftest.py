"""Shared fixtures: the bundled example site and the real corpus beside the project."""

from __future__ import annotations

from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT.parent / "shared" / "corpus"
EXAMPLE_SITE = PROJECT / "assets" / "example"


def corpus_episodes() -> list[Path]:
    """Every corpus episode file, or an empty list when the corpus is absent."""
    podcast = CORPUS / "_podcast"
    return sorted(podcast.glob("*.md")) if podcast.is_dir() else []


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
