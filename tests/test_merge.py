"""Sharded batch runs merged with `clipper merge` equal one unsharded run;
the kit zip follows the episode's files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_SITE

CARDS_ONLY = "cards:\n  sizes: [x]\nclips:\n  enabled: false\n"


@pytest.fixture
def batch(invoke):
    """``batch(site, out, config, *options)``, asserting that it succeeds."""

    def run(site: Path, out: Path, config: Path, *extra: str) -> None:
        result = invoke("batch", site, "--config", config, "--out", out, *extra)
        assert result.exit_code == 0, result.output

    return run


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (but the run lock) with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".clipper.lock"
    }


@pytest.fixture
def config(tmp_path) -> Path:
    path = tmp_path / "clipper.yaml"
    path.write_text(CARDS_ONLY, encoding="utf-8")
    return path


@pytest.mark.slow
def test_shards_merged_equal_one_unsharded_run(invoke, batch, corpus_dir, tmp_path, config):
    batch(corpus_dir, tmp_path / "whole", config, "-j", "2")
    parts = [tmp_path / f"part-{k}" for k in (1, 2, 3)]
    for k, part in enumerate(parts, 1):
        batch(corpus_dir, part, config, "--shard", f"{k}/3", "-j", "2")
    sizes = [len(json.loads((p / "manifest.json").read_text())["episodes"]) for p in parts]
    assert all(sizes) and sum(sizes) == len(list((corpus_dir / "_podcast").glob("*.md")))
    result = invoke("merge", *parts, "--out", tmp_path / "merged")
    assert result.exit_code == 0, result.output
    assert f"merged {sum(sizes)} episodes" in result.output
    whole, merged = tree(tmp_path / "whole"), tree(tmp_path / "merged")
    assert sorted(merged) == sorted(whole)
    assert merged == whole, "same manifest, review page, cards, post texts and kit zips"


def test_merge_replaces_an_episode_folder_and_leaves_nothing_stale(invoke, batch, tmp_path, config):
    part, out = tmp_path / "part", tmp_path / "out"
    batch(EXAMPLE_SITE, part, config)
    slug = next(p.name for p in part.iterdir() if p.is_dir())
    stale = out / slug / "cards" / "old-quote-x.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"from an older run")
    result = invoke("merge", part, "--out", out)
    assert result.exit_code == 0, result.output
    assert tree(out / slug) == tree(part / slug)
    assert (out / "index.html").read_bytes() == (part / "index.html").read_bytes()
    assert json.loads((out / "manifest.json").read_text()) == json.loads(
        (part / "manifest.json").read_text()
    )


def test_merge_refuses_what_is_not_a_batch_output(invoke, batch, tmp_path, config):
    (tmp_path / "empty").mkdir()
    result = invoke("merge", tmp_path / "empty", "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "no manifest.json; not the output of a clipper batch run" in result.output
    part = tmp_path / "part"
    batch(EXAMPLE_SITE, part, config)
    manifest = json.loads((part / "manifest.json").read_text())
    for record in manifest["episodes"].values():
        record["folder"] = "../../escape"
    (part / "manifest.json").write_text(json.dumps(manifest))
    result = invoke("merge", part, "--out", tmp_path / "out")
    assert result.exit_code == 1 and "bad folder '../../escape'" in result.output
    assert not (tmp_path / "escape").exists()


def test_a_missing_kit_zip_is_made_again_and_an_unchanged_one_kept(invoke, batch, tmp_path, config):
    out = tmp_path / "out"
    batch(EXAMPLE_SITE, out, config)
    kit = next(out.glob("*/*-kit.zip"))
    stamp = kit.stat().st_mtime_ns
    batch(EXAMPLE_SITE, out, config)
    assert kit.stat().st_mtime_ns == stamp
    kit.unlink()
    result = invoke("batch", EXAMPLE_SITE, "--config", config, "--out", out, "--dry-run")
    assert "kit zip missing" in result.output
    batch(EXAMPLE_SITE, out, config)
    assert kit.is_file()
