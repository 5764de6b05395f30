"""The per-episode kit zip: every file of the episode, reproducible, rebuilt
only when the files change."""

from __future__ import annotations

import zipfile
from pathlib import Path

from clipper.batch.kit import kit_path, write_kit


def make_folder(root: Path) -> Path:
    folder = root / "demo"
    (folder / "cards").mkdir(parents=True)
    (folder / "clips").mkdir()
    files = {
        "post.md": b"# demo\n",
        "quotes.yaml": b"[]\n",
        "cards/q1-x.png": b"png bytes",
        "cards/q1-x.txt": b"Quote card: ...",
        "clips/q1-16x9.mp4": b"mp4 bytes",
        "clips/q1-16x9.jpg": b"poster",
        "clips/q1-16x9.srt": b"1\n",
        "clips/q1-16x9.vtt": b"WEBVTT\n",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "clips" / ".q1-1x1.part-99.mp4").write_bytes(b"half a file")
    return folder


def names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def test_kit_holds_every_file_of_the_episode_under_its_folder(tmp_path):
    folder = make_folder(tmp_path)
    kit = write_kit(folder)
    assert kit == folder / "demo-kit.zip" == kit_path(folder)
    assert names(kit) == [
        "demo/cards/q1-x.png",
        "demo/cards/q1-x.txt",
        "demo/clips/q1-16x9.jpg",
        "demo/clips/q1-16x9.mp4",
        "demo/clips/q1-16x9.srt",
        "demo/clips/q1-16x9.vtt",
        "demo/post.md",
        "demo/quotes.yaml",
    ]
    with zipfile.ZipFile(kit) as archive:
        assert archive.read("demo/clips/q1-16x9.mp4") == b"mp4 bytes"
        assert archive.testzip() is None


def test_kit_is_rewritten_only_when_a_file_changes(tmp_path):
    folder = make_folder(tmp_path)
    kit = write_kit(folder)
    before = kit.stat().st_mtime_ns, kit.stat().st_ino
    write_kit(folder)
    assert (kit.stat().st_mtime_ns, kit.stat().st_ino) == before
    (folder / "quotes.yaml").write_bytes(b"- text: edited\n")
    write_kit(folder)
    assert kit.stat().st_ino != before[1]
    with zipfile.ZipFile(kit) as archive:
        assert archive.read("demo/quotes.yaml") == b"- text: edited\n"
    assert not [p for p in folder.rglob("*kit*") if p != kit], "no temporary file left"


def test_same_files_make_the_same_bytes(tmp_path):
    first = write_kit(make_folder(tmp_path / "a"))
    second = write_kit(make_folder(tmp_path / "b"))
    assert first.read_bytes() == second.read_bytes()
