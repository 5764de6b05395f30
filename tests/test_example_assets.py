"""The bundled example site has the real site's layout and a small local video."""

from __future__ import annotations

from pathlib import Path

import yaml

MAX_VIDEO_BYTES = 5 * 1024 * 1024


def front_matter(path: Path) -> dict:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "---", f"{path} starts with front matter"
    return yaml.safe_load("\n".join(lines[1 : lines.index("---", 1)]))


def test_example_episode_has_site_layout(example_site: Path, example_episode: Path) -> None:
    meta = front_matter(example_episode)
    assert (example_site / meta["image"]).is_file()
    for guest in meta["guests"]:
        person = front_matter(example_site / "_people" / f"{guest}.md")
        assert person["title"]
        assert (example_site / person["picture"]).is_file()
    spoken = [item for item in meta["transcript"] if "line" in item]
    assert 35 <= len(spoken) <= 50


def test_example_video_is_small(example_site: Path, example_episode: Path) -> None:
    video = example_site / "video" / f"{example_episode.stem}.mp4"
    assert 0 < video.stat().st_size < MAX_VIDEO_BYTES
