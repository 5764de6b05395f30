"""End-to-end batch runs: the whole corpus, interrupted runs, the example with clips."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml

from clipper.batch.timeline import FORMATS
from clipper.fsutil import PART_MARKER
from clipper.select.quote import load_quotes
from tests import htmlcheck

CARDS_ONLY = {
    "selection": {"kinds": {"any": 2}},
    "cards": {"sizes": ["linkedin"]},
    "clips": {"enabled": False},
}


def write_settings(folder: Path, out: Path, settings: dict) -> Path:
    path = folder / "clipper.yaml"
    path.write_text(yaml.safe_dump({**settings, "output": str(out)}), encoding="utf-8")
    return path


def copy_site(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("MANIFEST.json"))
    return target


def tree(out: Path) -> dict[str, bytes]:
    """Every output file and its bytes, except the manifest (it holds paths)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


def mtimes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*")}


def test_corpus_batch_makes_every_episode_then_reruns_only_what_changed(
    invoke, corpus_dir, tmp_path
):
    site = copy_site(corpus_dir, tmp_path / "site")
    out = tmp_path / "out"
    config = write_settings(tmp_path, out, CARDS_ONLY)
    args = ["batch", str(site), "--no-clips", "--config", str(config), "--jobs", "2"]
    first = invoke(*args)
    episodes = sorted(p.stem for p in (site / "_podcast").glob("*.md"))
    assert first.exit_code == 0, first.output
    assert f"made {len(episodes)}, skipped 0, failed 0" in first.output
    records = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["episodes"]
    for slug in episodes:
        assert records[slug]["status"] == "done"
        folder = out / records[slug]["folder"]
        assert list((folder / "cards").glob("*-linkedin.png")), f"{slug}: no cards"
        assert "````text" in (folder / "post.md").read_text(encoding="utf-8")
    assert htmlcheck.problems(out / "index.html") == []

    before = mtimes(out)
    rerun = invoke(*args)
    assert rerun.exit_code == 0
    assert f"nothing to do: {len(episodes)} episodes up to date" in rerun.output
    assert mtimes(out) == before

    touched = site / "_podcast" / "cloud-data-governance.md"
    os.utime(touched, (time.time() + 60, time.time() + 60))
    assert "nothing to do" in invoke(*args).output, "same bytes: nothing to redo"
    assert mtimes(out) == before

    changed = site / "_podcast" / "data-team-roles.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nEdited body.\n", "utf-8")
    third = invoke(*args)
    assert f"made 1, skipped {len(episodes) - 1}, failed 0" in third.output
    after = mtimes(out)
    redone = {path for path in after if after[path] != before.get(path)}
    assert redone, "the changed episode was redone"
    assert all(p.startswith("data-team-roles/") or "/" not in p for p in redone), redone


def _clipper(*args: str) -> list[str]:
    return [sys.executable, "-c", "from clipper.cli import main; main()", *args]


def _run_until(command: list[str], out: Path, delay: float, sig: int) -> bool:
    """Start the batch in its own process group and, ``delay`` seconds after
    it starts writing to ``out``, signal the whole group (as a terminal's
    Ctrl-C or a CI cancel would). True when it was still running then."""
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    while process.poll() is None and not (out / "manifest.json").exists():
        time.sleep(0.02)
    try:
        process.wait(timeout=delay)
        interrupted = False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, sig)
        process.wait(timeout=60)
        interrupted = True
    stderr = process.stderr.read().decode()
    process.stderr.close()
    # Ctrl-C while Python is still importing prints Python's own traceback;
    # once the batch runs, it must stop cleanly.
    assert "clipper/batch.py" not in stderr or "Traceback" not in stderr, stderr
    return interrupted


def _finished_files(out: Path) -> dict[str, int]:
    """Modification times of the files of episodes the manifest says are done."""
    manifest = out / "manifest.json"
    if not manifest.exists():
        return {}
    records = json.loads(manifest.read_text(encoding="utf-8"))["episodes"].values()
    done = [r["folder"] for r in records if r["status"] == "done"]
    return {p: t for p, t in mtimes(out).items() if p.split("/")[0] in done and "." in p}


def test_interrupted_runs_then_a_rerun_end_like_an_uninterrupted_run(corpus_dir, tmp_path):
    site = copy_site(corpus_dir, tmp_path / "site")
    only = [
        "data-team-roles",
        "machine-learning-decision-optimization",
        "kaggle-grandmaster-to-production-ml-and-education",
        "cloud-data-governance",
    ]
    selection = [arg for slug in only for arg in ("--only", slug)]

    def command(out: Path) -> list[str]:
        config = write_settings(tmp_path, out, CARDS_ONLY)
        return _clipper("batch", str(site), "--config", str(config), "--jobs", "2", *selection)

    reference = tmp_path / "reference"
    started = time.monotonic()
    subprocess.run(command(reference), check=True, capture_output=True)
    duration = time.monotonic() - started

    rng = random.Random(20261126)
    trials = [[signal.SIGINT], [signal.SIGKILL], [signal.SIGTERM, signal.SIGKILL]]
    interruptions = 0
    for number, signals in enumerate(trials):
        out = tmp_path / f"interrupted-{number}"
        for sig in signals:
            interruptions += _run_until(command(out), out, rng.uniform(0, 0.6 * duration), sig)
        finished = _finished_files(out)
        final = subprocess.run(command(out), capture_output=True, text=True, check=False)
        assert final.returncode == 0, final.stdout + final.stderr
        assert not [p for p in out.rglob("*") if PART_MARKER in p.name]
        assert tree(out) == tree(reference)
        after = mtimes(out)
        assert {p: after[p] for p in finished} == finished, "finished episodes were redone"
    assert interruptions >= 2, "the signals hit running batches"


@pytest.mark.slow
def test_example_batch_with_clips_makes_the_whole_kit(invoke, example_site, tmp_path):
    out = tmp_path / "out"
    settings = {
        "selection": {"kinds": {"any": 2}},
        "cards": {"sizes": ["square", "story"]},
        "clips": {"shapes": ["16:9", "9:16"]},
    }
    config = write_settings(tmp_path, out, settings)
    result = invoke("batch", str(example_site), "--config", str(config))
    assert result.exit_code == 0, result.output
    assert "made 1, skipped 0, failed 0" in result.output
    folder = next(p for p in out.iterdir() if p.is_dir())
    assert len(list((folder / "cards").glob("*.png"))) == 4
    assert len(list((folder / "cards").glob("*.txt"))) == 4
    for suffix, count in ((".mp4", 4), (".srt", 4), (".vtt", 4), (".jpg", 4)):
        assert len(list((folder / "clips").glob(f"*{suffix}"))) == count, suffix
    assert (folder / "post.md").is_file() and (folder / "quotes.yaml").is_file()
    quotes = load_quotes(folder / "quotes.yaml")  # timed from the captions beside the video
    with zipfile.ZipFile(folder / f"{folder.name}-kit.zip") as kit:
        handed_off = {n for n in kit.namelist() if "/timeline/" in n}
    assert handed_off == {f"{folder.name}/timeline/{folder.name}.{ext}" for ext in FORMATS}
    assert quotes and all(q.timing == "captions" and q.confidence >= 0.9 for q in quotes)
    index = out / "index.html"
    assert htmlcheck.problems(index) == []
    referenced = set(htmlcheck.references(index))
    for path in (folder / "clips").glob("*.mp4"):
        assert path.relative_to(out).as_posix() in referenced
    rerun = invoke("batch", str(example_site), "--config", str(config))
    assert "nothing to do" in rerun.output


def test_a_missing_video_fails_the_episode_not_the_batch(invoke, example_site, tmp_path):
    site = copy_site(example_site, tmp_path / "site")
    (next((site / "video").glob("*.mp4"))).unlink()
    text_path = next((site / "_podcast").glob("*.md"))
    text = text_path.read_text(encoding="utf-8")
    text_path.write_text(text.replace("youtube: cLpR9xmpl01", "youtube: ''"), encoding="utf-8")
    out = tmp_path / "out"
    config = write_settings(tmp_path, out, {**CARDS_ONLY, "clips": {"shapes": ["1:1"]}})
    result = invoke("batch", str(site), "--config", str(config))
    assert result.exit_code == 1
    assert "failed 1" in result.output
    reason = next(line for line in result.output.splitlines() if line.startswith("  failed  "))
    assert reason.startswith("  failed  from-warehouse-floor-to-analytics-engineering: ")
    assert "video" in reason
    folder = out / "from-warehouse-floor-to-analytics-engineering"
    assert list((folder / "cards").glob("*.png")), "the cards made before the failure stay"
