"""The bundled example site has the real site's layout and a small local video."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from clipper.media.ffmpeg import probe
from clipper.render import framing

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


@pytest.mark.slow
@pytest.mark.parametrize(("segment", "side"), [(0, "left"), (2, "right")])
def test_example_video_is_a_call_whose_speaker_moves_their_mouth(
    example_site: Path, example_episode: Path, segment: int, side: str
) -> None:
    """Two faces side by side (the host left, the guest right); while one of
    them speaks (segment 0: the host's welcome, 2: the guest's first answer),
    that one's mouth moves and the other's is still."""
    video = example_site / "video" / f"{example_episode.stem}.mp4"
    words = json.loads(video.with_suffix(".en.json").read_text(encoding="utf-8"))
    spoken = words["segments"][segment]
    start, end = spoken["start"], min(spoken["end"], spoken["start"] + 4)
    source = probe(video)
    scanned = framing.scan(source, start, end - start, (0.0, end - start))
    centres = sorted(t.faces[0].centre[0] * scanned.scale / source.width for t in scanned.tracks)
    assert len(centres) == 2 and centres[0] < 0.5 < centres[1], centres
    talker, still = sorted(scanned.tracks, key=lambda t: -t.talk)
    assert talker.talk > 4 * max(still.talk, 0.1), (talker.talk, still.talk)
    assert (talker.faces[0].centre[0] * scanned.scale < source.width / 2) == (side == "left")
