"""Hand-off: an episode's cuts as a timeline that editing programs open."""

from __future__ import annotations

import opentimelineio as otio
import pytest

from clipper.batch.timeline import FORMATS, write_timelines
from tests import factories
from tests.videos import make_video

FPS = 25.0
QUOTES = (
    ("q1", "The first thing we fixed was the definition of an active user.", 2.0, 4.5),
    ("q2", "Ship the boring model first, then make it clever.", 6.24, 9.0),
)

# q4 keeps these pieces: a long pause and a filler were cut out of it. The pieces
# start on whole seconds because OTIO's FCP X reader floors 46/5 s to frame 229.
TIGHT = ((7.0, 7.6), (8.0, 8.6), (9.0, 9.68))
CUTS = [[7.6, 8.0], [8.6, 9.0]]


@pytest.fixture(scope="module")
def timelines(tmp_path_factory):
    root = tmp_path_factory.mktemp("timeline")
    video = make_video(root / "episode.mp4", fps=FPS, seconds=10.0)
    episode = factories.make_episode(root)
    quotes = [
        factories.make_quote(text, id=qid, start=start, end=end) for qid, text, start, end in QUOTES
    ]
    untimed = factories.make_quote("Never timed, so never on the timeline.", id="q3", start=None)
    tightened = factories.make_quote(
        "Measure twice, um, cut once.", id="q4", start=TIGHT[0][0], end=TIGHT[-1][1], cuts=CUTS
    )
    quotes = [*quotes, untimed, tightened]
    return episode, write_timelines(root / "out", episode, quotes, video.path)


def read_back(path):
    options = {"rate": FPS} if path.suffix == ".edl" else {}
    return otio.adapters.read_from_file(str(path), **options)


def test_every_format_is_written_beside_the_others(timelines):
    episode, paths = timelines
    assert sorted(p.name for p in paths) == sorted(f"{episode.slug}.{ext}" for ext in FORMATS)
    assert {p.parent.name for p in paths} == {"timeline"}


@pytest.mark.parametrize("ext", list(FORMATS))
def test_the_timeline_opens_again_with_one_clip_per_quote_at_its_source_times(timelines, ext):
    _, paths = timelines
    timeline = read_back(next(p for p in paths if p.suffix == f".{ext}"))
    clips = list(timeline.find_clips())[:2]
    assert [clip.name for clip in clips] == ["q1", "q2"]
    for clip, (_, text, start, end) in zip(clips, QUOTES, strict=True):
        source = clip.source_range
        assert source.start_time.to_seconds() == pytest.approx(start, abs=0.5 / FPS)
        assert source.end_time_exclusive().to_seconds() == pytest.approx(end, abs=0.5 / FPS)
        assert clip.media_reference.target_url.endswith("episode.mp4")
        (marker,) = clip.markers
        assert marker.name.casefold() == text.casefold()  # the EDL writes it in capitals


def test_markers_carry_the_quote_in_otio_json(timelines):
    _, paths = timelines
    timeline = read_back(next(p for p in paths if p.suffix == ".otio"))
    marker = timeline.find_clips()[0].markers[0]
    assert marker.metadata["clipper"] == {"id": "q1", "speaker": "Ines Kowalczyk", "kind": "advice"}


@pytest.mark.parametrize("ext", list(FORMATS))
def test_a_tightened_quote_plays_only_what_its_clip_keeps(timelines, ext):
    _, paths = timelines
    timeline = read_back(next(p for p in paths if p.suffix == f".{ext}"))
    pieces = list(timeline.find_clips())[2:]
    assert [clip.name for clip in pieces] == ["q4", "q4.2", "q4.3"]
    for clip, (start, end) in zip(pieces, TIGHT, strict=True):
        assert clip.source_range.start_time.to_seconds() == pytest.approx(start, abs=0.5 / FPS)
        assert clip.source_range.end_time_exclusive().to_seconds() == pytest.approx(
            end, abs=0.5 / FPS
        )
    assert [len(clip.markers) for clip in pieces] == [1, 0, 0]
