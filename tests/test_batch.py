"""`clipper batch`: discovery, planning, reruns, edits, failures (cards only).

The slow end-to-end runs (corpus, interruption, the example with clips) live in
test_batch_runs.py.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import io
import json
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from clipper.batch.config import load_settings
from clipper.batch.plan import BatchRequest, Shard, discover, quotes_digest
from clipper.batch.run import run_batch
from clipper.cli.progress import BarReporter
from clipper.errors import ClipperError

FAST_SETTINGS = {
    "selection": {"kinds": {"any": 2}},
    "cards": {"sizes": ["linkedin"]},
    "clips": {"enabled": False},
}


def write_settings(folder: Path, **changes: dict) -> Path:
    """A clipper.yaml for quick runs: 2 quotes, one card size, no clips."""
    data = {**FAST_SETTINGS, **changes, "output": str(folder / "out")}
    path = folder / "clipper.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def files_with_mtimes(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


@pytest.fixture
def site(tmp_path, example_site) -> Path:
    """A copy of the example site without its video (cards-only tests)."""
    copy = tmp_path / "site"
    shutil.copytree(example_site, copy, ignore=shutil.ignore_patterns("video"))
    return copy


@pytest.fixture
def episode_file(site) -> Path:
    return next((site / "_podcast").glob("*.md"))


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["episodes"]


def test_shards_split_every_episode_into_exactly_one_stable_share():
    slugs = [f"episode-{i}" for i in range(200)]
    shards = [Shard.parse(f"{k}/4") for k in range(1, 5)]
    owners = [[s.index for s in shards if slug in s] for slug in slugs]
    assert all(len(owner) == 1 for owner in owners)
    sizes = [sum(1 for o in owners if o == [k]) for k in range(1, 5)]
    assert min(sizes) > 30, "shares are roughly even"
    # stable across runs, machines and Python versions (no salted hash()):
    known = {"data-team-roles": 1, "mlops-kubeflow-model-monitoring": 3, "from-warehouse-floor": 2}
    for slug, index in known.items():
        assert slug in Shard(index, 4)
    for bad in ("0/3", "4/3", "2", "a/b"):
        with pytest.raises(ClipperError, match="--shard"):
            Shard.parse(bad)


def test_discover_takes_sites_podcast_folders_and_files(site, episode_file, tmp_path):
    assert discover((site,)) == [episode_file]
    assert discover((site / "_podcast", episode_file)) == [episode_file]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ClipperError, match="no episode files"):
        discover((empty,))
    with pytest.raises(ClipperError, match="no such file"):
        discover((tmp_path / "missing.md",))


def test_batch_makes_a_kit_then_a_rerun_does_nothing_and_touches_nothing(
    invoke, site, episode_file, tmp_path
):
    config = write_settings(tmp_path)
    first = invoke("batch", site, "--config", config)
    assert first.exit_code == 0, first.output
    assert "made 1, skipped 0, failed 0" in first.output
    out = tmp_path / "out"
    folder = out / episode_file.stem
    assert len(list((folder / "cards").glob("*-linkedin.png"))) == 2
    assert "### X (" in (folder / "post.md").read_text(encoding="utf-8")
    assert (out / "index.html").is_file()
    before = files_with_mtimes(out)
    second = invoke("batch", site, "--config", config)
    assert second.exit_code == 0
    assert "nothing to do: 1 episodes up to date" in second.output
    assert files_with_mtimes(out) == before


def test_dry_run_lists_the_plan_and_writes_nothing(invoke, site, tmp_path):
    result = invoke("batch", site, "--config", write_settings(tmp_path), "--dry-run")
    assert result.exit_code == 0
    assert "would make from-warehouse-floor-to-analytics-engineering: new" in result.output
    assert not (tmp_path / "out").exists()


def test_changed_inputs_redo_the_episode_and_say_why(invoke, site, episode_file, tmp_path):
    config = write_settings(tmp_path)
    invoke("batch", site, "--config", config)
    person = next((site / "_people").glob("*.md"))
    person.write_text(person.read_text(encoding="utf-8") + "\nMore bio.\n", encoding="utf-8")
    rerun = invoke("batch", site, "--config", config, "--dry-run")
    assert "would make from-warehouse-floor-to-analytics-engineering: changed: people" in (
        rerun.output
    )
    write_settings(tmp_path, cards={"sizes": ["square"]})
    rerun = invoke("batch", site, "--config", config)
    assert "made 1" in rerun.output
    cards = sorted(p.name for p in (tmp_path / "out" / episode_file.stem / "cards").iterdir())
    assert cards and all("-square." in name for name in cards), "stale cards are removed"


def test_an_edited_quotes_file_is_rendered_and_kept(invoke, site, episode_file, tmp_path):
    config = write_settings(tmp_path)
    invoke("batch", site, "--config", config)
    folder = tmp_path / "out" / episode_file.stem
    quotes_file = folder / "quotes.yaml"
    assert quotes_digest(quotes_file)[1] is False
    quotes = yaml.safe_load(quotes_file.read_text(encoding="utf-8"))
    quotes[0]["text"] = "Half a working pipeline teaches you more than ten finished videos."
    quotes_file.write_text(yaml.safe_dump(quotes[:1]), encoding="utf-8")

    edited = invoke("batch", site, "--config", config)
    assert "made 1" in edited.output
    assert len(list((folder / "cards").glob("*.png"))) == 1
    assert "Half a working pipeline teaches you" in (folder / "post.md").read_text("utf-8")
    assert yaml.safe_load(quotes_file.read_text(encoding="utf-8")) == quotes[:1], "kept as edited"
    assert "nothing to do" in invoke("batch", site, "--config", config).output
    assert "made 1" in invoke("batch", site, "--config", config, "--force").output
    assert yaml.safe_load(quotes_file.read_text(encoding="utf-8")) == quotes[:1]

    quotes_file.unlink()
    restored = invoke("batch", site, "--config", config)
    assert "made 1" in restored.output
    assert len(list((folder / "cards").glob("*.png"))) == 2, "clipper's own picks are back"


def test_a_deleted_card_is_made_again_and_nothing_else(invoke, site, episode_file, tmp_path):
    config = write_settings(tmp_path)
    invoke("batch", site, "--config", config)
    cards = sorted((tmp_path / "out" / episode_file.stem / "cards").glob("*.png"))
    kept_mtime = cards[1].stat().st_mtime_ns
    cards[0].unlink()
    rerun = invoke("batch", site, "--config", config)
    assert "made 1" in rerun.output
    assert cards[0].is_file()
    assert cards[1].stat().st_mtime_ns == kept_mtime, "existing cards are not redone"


def test_one_bad_episode_fails_alone_with_its_reason(invoke, site, tmp_path):
    (site / "_podcast" / "broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    (site / "_podcast" / "notes.md").write_text("just some notes\n", encoding="utf-8")
    result = invoke("batch", site, "--config", write_settings(tmp_path))
    assert result.exit_code == 1
    assert "made 1, skipped 0, failed 2" in result.output
    assert "failed  broken: " in result.output and "YAML" in result.output
    assert "failed  notes: " in result.output and "front matter" in result.output
    records = manifest(tmp_path / "out")
    assert records["broken"]["status"] == "failed"
    assert records["from-warehouse-floor-to-analytics-engineering"]["status"] == "done"
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "failed" in index and "broken" in index


def test_only_since_and_shard_narrow_the_run(invoke, site, episode_file, tmp_path):
    second = site / "_podcast" / "second-episode.md"
    text = episode_file.read_text(encoding="utf-8")
    second.write_text(text.replace("episode: 7", "episode: 8", 1), encoding="utf-8")
    config = write_settings(tmp_path)
    only = invoke("batch", site, "--config", config, "--only", "second-episode", "--dry-run")
    assert "would make second-episode" in only.output
    assert episode_file.stem not in only.output
    unknown = invoke("batch", site, "--config", config, "--only", "nope")
    assert unknown.exit_code != 0
    assert "--only nope: no such episode" in unknown.output
    added = yaml.safe_load(text.split("---")[1]).get("dateadded")
    assert isinstance(added, dt.date), "the example episode has a dateadded"
    later = (added + dt.timedelta(days=1)).isoformat()
    since = invoke("batch", site, "--config", config, "--since", later, "--dry-run")
    assert "would make" not in since.output
    shards = [
        invoke("batch", site, "--config", config, "--shard", f"{k}/2", "--dry-run") for k in (1, 2)
    ]
    made = [line for r in shards for line in r.output.splitlines() if "would make" in line]
    assert len(made) == 2


def test_products_are_added_later_without_redoing_the_rest(invoke, site, episode_file, tmp_path):
    config = write_settings(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    text_only = invoke("batch", site, "--config", config, "--out", elsewhere, "--no-cards")
    assert text_only.exit_code == 0, text_only.output
    assert "[1/1] from-warehouse-floor-to-analytics-engineering made: 2 quotes, 0 cards" in (
        text_only.output
    ), "plain progress lines when not on a terminal"
    folder = elsewhere / episode_file.stem
    assert (folder / "post.md").is_file() and not (folder / "cards").exists()
    assert not (tmp_path / "out").exists(), "--out overrides the settings file"
    quotes_mtime = (folder / "quotes.yaml").stat().st_mtime_ns
    with_cards = invoke("batch", site, "--config", config, "--out", elsewhere, "--dry-run")
    assert "cards not made yet" in with_cards.output
    invoke("batch", site, "--config", config, "--out", elsewhere)
    assert len(list((folder / "cards").glob("*.png"))) == 2
    assert (folder / "quotes.yaml").stat().st_mtime_ns == quotes_mtime
    index = (elsewhere / "index.html").read_text(encoding="utf-8")
    assert index.count("<img ") == 2


def test_a_second_run_on_the_same_output_folder_is_refused(invoke, site, tmp_path):
    config = write_settings(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    with open(out / ".clipper.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        refused = invoke("batch", site, "--config", config)
    assert refused.exit_code != 0
    assert "another clipper batch is writing here" in refused.output
    assert invoke("batch", site, "--config", config).exit_code == 0


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            {"cards": {"sizes": ["instagarm"]}},
            "settings cards.sizes: unknown card size 'instagarm'",
        ),
        ({"cards": {"theme": "no-such-theme"}}, "settings cards.theme: "),
    ],
)
def test_a_setting_every_episode_would_fail_on_stops_the_run_up_front(
    invoke, site, tmp_path, section, message
):
    result = invoke("batch", site, "--config", write_settings(tmp_path, **section))
    assert result.exit_code != 0
    assert message in result.output
    assert not (tmp_path / "out" / "manifest.json").exists(), "nothing was made"


def test_stray_temporary_files_go_even_when_nothing_else_is_to_do(invoke, site, tmp_path):
    config = write_settings(tmp_path)
    invoke("batch", site, "--config", config)
    stray = tmp_path / "out" / ".index.part-12345.html"
    stray.write_text("half a page", encoding="utf-8")
    rerun = invoke("batch", site, "--config", config)
    assert "removed 1 partial files" in rerun.output
    assert "nothing to do" in rerun.output
    assert not stray.exists()


def test_a_damaged_manifest_is_a_one_line_error_and_an_old_one_is_rebuilt(invoke, site, tmp_path):
    config = write_settings(tmp_path)
    invoke("batch", site, "--config", config)
    manifest_file = tmp_path / "out" / "manifest.json"
    manifest_file.write_text('{"version": 1, "episodes": ', encoding="utf-8")
    damaged = invoke("batch", site, "--config", config)
    assert damaged.exit_code != 0
    assert "unreadable manifest (delete it to rebuild everything)" in damaged.output
    manifest_file.write_text('{"version": 0, "episodes": {}}', encoding="utf-8")
    assert "would make from-warehouse-floor-to-analytics-engineering: new" in (
        invoke("batch", site, "--config", config, "--dry-run").output
    )


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_progress_bar_instead_of_log_lines(site, tmp_path, monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    settings = load_settings(write_settings(tmp_path))
    summary = run_batch(BatchRequest(sources=(site,), settings=settings), BarReporter())
    assert summary.exit_code == 0
    shown = terminal.getvalue()
    assert "episodes" in shown and "1/1" in shown and "2 cards" in shown
    assert "[1/1]" not in shown, "no plain log lines on a terminal"
