"""`clipper init --github-actions`: a workflow GitHub can run, with the push
path (cache, batch --since, one artifact per kit) and the sharded rebuild."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.metadata import packages_distributions, version
from pathlib import Path

import pytest
import yaml

import clipper

WORKFLOW = Path(".github/workflows/clipper.yml")


@pytest.fixture
def workflow(invoke, tmp_path, monkeypatch) -> dict:
    monkeypatch.chdir(tmp_path)
    result = invoke("init", "--github-actions", "--shards", "3", "--install", "clipper==9.9")
    assert result.exit_code == 0, result.output
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(job: dict, uses: str) -> list[dict]:
    return [s for s in job["steps"] if s.get("uses", "").startswith(uses)]


def runs(job: dict) -> str:
    return "\n".join(s.get("run", "") for s in job["steps"])


def test_runs_on_episode_pushes_and_on_demand(workflow):
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"]["paths"] == ["_podcast/**"]
    assert triggers["workflow_dispatch"]["inputs"]["rebuild"]["type"] == "boolean"
    assert set(workflow["jobs"]) == {"batch", "kit", "shard", "merge"}
    assert workflow["env"]["CLIPPER"] == "clipper==9.9"


def test_push_job_restores_output_and_downloads_runs_batch_since_and_saves(workflow):
    job = workflow["jobs"]["batch"]
    assert 'pip install "$CLIPPER"' in runs(job)
    restored = {s["with"]["path"] for s in steps(job, "actions/cache/restore@")}
    saved = {s["with"]["path"] for s in steps(job, "actions/cache/save@")}
    assert restored == saved == {"output", "~/.cache/clipper"}
    assert 'clipper batch "$SOURCE" --out output --since' in runs(job)
    assert workflow["env"]["SOURCE"] == "."


def test_each_kit_made_is_its_own_artifact(workflow):
    job = workflow["jobs"]["kit"]
    assert job["needs"] == "batch"
    assert job["strategy"]["matrix"]["slug"] == "${{ fromJSON(needs.batch.outputs.kits) }}"
    (upload,) = steps(job, "actions/upload-artifact@")
    assert upload["with"]["name"] == "kit-${{ matrix.slug }}"
    assert upload["with"]["path"].endswith("${{ matrix.slug }}-kit.zip")


def test_rebuild_shards_the_back_catalogue_and_merges(workflow):
    shard, merge = workflow["jobs"]["shard"], workflow["jobs"]["merge"]
    assert shard["strategy"]["matrix"]["shard"] == [1, 2, 3]
    assert 'clipper batch "$SOURCE" --out output --shard ${{ matrix.shard }}/3' in runs(shard)
    assert steps(shard, "actions/upload-artifact@")[0]["with"]["path"] == "output"
    assert merge["needs"] == "shard"
    assert steps(merge, "actions/download-artifact@")[0]["with"]["pattern"] == "shard-*"
    assert "clipper merge shards/* --out output" in runs(merge)
    assert steps(merge, "actions/cache/save@")[0]["with"]["path"] == "output"


def test_kit_listing_step_names_only_kits_made_in_this_run(workflow, tmp_path):
    (step,) = [s for s in workflow["jobs"]["batch"]["steps"] if s.get("id") == "kits"]
    for slug in ("old", "new-one", "new-two"):
        (tmp_path / "output" / slug).mkdir(parents=True)
    (tmp_path / "output" / "old" / "old-kit.zip").write_bytes(b"zip")
    os.utime(tmp_path / "output" / "old" / "old-kit.zip", (1_000_000, 1_000_000))
    (tmp_path / ".clipper-started").touch()
    os.utime(tmp_path / ".clipper-started", (2_000_000, 2_000_000))
    for slug in ("new-one", "new-two"):
        (tmp_path / "output" / slug / f"{slug}-kit.zip").write_bytes(b"zip")
    outputs = tmp_path / "github_output"
    env = {**os.environ, "GITHUB_OUTPUT": str(outputs)}
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, check=True)
    assert outputs.read_text() == 'kits=["new-one","new-two"]\n'
    assert sorted(p.name for p in (tmp_path / "new-kits").rglob("*.zip")) == [
        "new-one-kit.zip",
        "new-two-kit.zip",
    ]


@pytest.fixture
def feed_workflow(invoke, tmp_path, monkeypatch) -> dict:
    monkeypatch.chdir(tmp_path)
    url = "https://example.org/podcast/feed.xml"
    result = invoke("init", "--github-actions", "--feed", url, "--install", "clipper==9.9")
    assert result.exit_code == 0, result.output
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_a_feed_is_watched_on_a_schedule_and_batched_like_a_site(feed_workflow):
    triggers = feed_workflow[True]
    assert set(triggers) == {"schedule", "workflow_dispatch"}
    assert triggers["schedule"] == [{"cron": "17 */6 * * *"}]
    assert feed_workflow["env"]["SOURCE"] == "https://example.org/podcast/feed.xml"
    batch = feed_workflow["jobs"]["batch"]
    assert batch["if"] == "${{ github.event_name != 'workflow_dispatch' || !inputs.rebuild }}"
    assert 'clipper batch "$SOURCE" --out output --since' in runs(batch)


def test_a_feed_must_be_a_plain_http_url(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for bad in ("feed.xml", 'https://x.org/"; rm -rf /', "https://x.org/$HOME"):
        result = invoke("init", "--github-actions", "--feed", bad)
        assert result.exit_code == 1 and "not an http(s) URL" in result.output
    assert not WORKFLOW.exists()


def test_refuses_to_overwrite_and_rejects_odd_requirements(invoke, workflow):
    again = invoke("init", "--github-actions")
    assert again.exit_code == 1 and "already exists" in again.output
    odd = invoke("init", "--github-actions", "--force", "--install", 'a"b')
    assert odd.exit_code == 1 and "not a plain pip requirement" in odd.output


def test_the_default_install_is_this_project(invoke, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert invoke("init", "--github-actions").exit_code == 0
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    name, pinned = workflow["env"]["CLIPPER"].split("==")
    assert (name, pinned) == ("clipper-podcast", clipper.__version__)
    # the distribution of that name is the one that holds this very package
    assert "clipper-podcast" in packages_distributions()["clipper"]
    assert version(name) == clipper.__version__


def actionlint() -> str | None:
    return shutil.which("actionlint") or shutil.which(
        "actionlint", path=str(Path(sys.executable).parent)
    )


@pytest.mark.skipif(actionlint() is None, reason="actionlint is not installed")
@pytest.mark.parametrize("kind", ["workflow", "feed_workflow"])
def test_actionlint_finds_nothing(kind, request):
    request.getfixturevalue(kind)
    done = subprocess.run([actionlint(), str(WORKFLOW)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
