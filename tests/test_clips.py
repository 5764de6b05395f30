"""Clips: frame-exact cuts in every shape, file properties, bad input."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import pytest

from clipper.errors import ClipperError
from clipper.media.ffmpeg import MediaInfo, ffmpeg_exe, is_faststart, probe
from clipper.render.clips import ClipResult, platform_warnings, render_clips
from clipper.render.layout import plan_layout
from clipper.render.theme import load_theme
from clipper.timing.interpolate import snap_to_silence
from tests.factories import CLIP_TEXT, clip_episode, clip_quote
from tests.subtitles import parse_srt, parse_vtt
from tests.videos import TestVideo, decode_gray_frames, make_video, read_label, test_videos

__all__ = ["test_videos"]  # the session fixture, shared with other test modules

pytestmark = pytest.mark.slow

EXPECTED_SIZES = {"16:9": (320, 180), "1:1": (1080, 1080), "9:16": (1080, 1920)}


def source_labels(video: TestVideo) -> list[int]:
    """The labels of the source's frames in presentation order (no duplicates)."""
    frames, _ = decode_gray_frames(video.path, passthrough=True)
    return [read_label(frame) for frame in frames]


def expected_index(labels: list[int], video: TestVideo, moment: float) -> int:
    """Index of the source frame on screen at ``moment``."""
    shown = [i for i, label in enumerate(labels) if video.label_time(label) <= moment + 1e-6]
    return shown[-1]


def packet_times(path: Path) -> list[int]:
    """Presentation timestamps of the video packets (from ffmpeg's framecrc)."""
    proc = subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-i",
            str(path),
            "-map",
            "0:v",
            "-c",
            "copy",
            "-f",
            "framecrc",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = [line.split(",") for line in proc.stdout.splitlines() if not line.startswith("#")]
    return sorted(int(row[2]) for row in rows)


@pytest.fixture(scope="module", params=["25", "29.97", "vfr", "odd"])
def rendered(request, test_videos, tmp_path_factory) -> tuple[TestVideo, list[ClipResult]]:
    """Every shape of one quote cut from each numbered source (rendered once)."""
    video = test_videos[request.param]
    folder = tmp_path_factory.mktemp(f"clips-{request.param}")
    quote = clip_quote("q7", 1.03, 2.41)
    return video, render_clips(clip_episode(folder), [quote], folder, video=video.path)


def test_cut_shows_the_frames_at_the_cut_points_in_every_shape(rendered):
    video, results = rendered
    assert [r.shape for r in results] == ["16:9", "1:1", "9:16"]
    assert all(r.error is None for r in results)
    labels = source_labels(video)
    for result in results:
        assert result.start == pytest.approx(1.03 - 0.3, abs=1 / video.fps)
        assert result.end == pytest.approx(2.41 + 0.3, abs=1 / video.fps)
        frames, fps = decode_gray_frames(result.video)
        first = expected_index(labels, video, result.start)
        last = expected_index(labels, video, result.end - 1 / fps)
        got_first = labels.index(read_label(frames[0]))
        got_last = labels.index(read_label(frames[-1]))
        assert abs(got_first - first) <= 1, (result.shape, got_first, first)
        assert abs(got_last - last) <= 1, (result.shape, got_last, last)
        assert len(frames) == round((result.end - result.start) * fps)


def test_clip_files_are_ready_to_post(rendered):
    video, results = rendered
    for result in results:
        info = probe(result.video)
        assert (info.video_codec, info.pix_fmt, info.audio_codec) == ("h264", "yuv420p", "aac")
        assert info.audio_channels == "stereo"
        assert info.width % 2 == 0 and info.height % 2 == 0
        assert info.sar == (1, 1)
        if video.width == 320:
            assert (info.width, info.height) == EXPECTED_SIZES[result.shape]
        assert info.fps == pytest.approx(video.fps, rel=2e-3)
        assert info.duration == pytest.approx(result.end - result.start, abs=0.05)
        assert is_faststart(result.video)
        times = packet_times(result.video)
        steps = {b - a for a, b in itertools.pairwise(times)}
        assert len(steps) == 1, f"not constant frame rate: {steps}"
        assert result.video.name == f"q7-{result.shape.replace(':', 'x')}.mp4"
        assert result.video.parent.name == "clips"
        assert result.video.parent.parent.name == "test-episode"
        poster = probe(result.poster)
        assert (poster.width, poster.height) == (info.width, info.height)


def test_caption_files_cover_the_clip_and_hold_the_quote(rendered):
    _, results = rendered
    for result in results:
        cues = parse_srt(result.srt.read_text(encoding="utf-8"))
        assert cues == parse_vtt(result.vtt.read_text(encoding="utf-8"))
        assert cues[0][0] == 0
        assert cues[-1][1] == pytest.approx(result.end - result.start, abs=2e-3)
        assert all(a[1] == b[0] for a, b in itertools.pairwise(cues)), "gaps between cues"
        words = " ".join(" ".join(text) for _, _, text in cues).split()
        assert words == CLIP_TEXT.split()


def test_awkward_sources_are_fixed_and_reported(rendered):
    video, results = rendered
    warnings = " ".join(map(str, results[0].warnings))
    if not video.audio:
        assert "no audio track" in warnings
    if video.width % 2:
        assert "pixel aspect 4:3" in warnings
    if video.label_rate != video.fps:
        assert "variable frame rate" in warnings
    if video.fps == 25 and video.audio:
        assert warnings == ""


def test_a_bad_quote_is_reported_and_the_others_are_made(test_videos, tmp_path):
    quotes = [
        clip_quote("backwards", 2.0, 1.5),
        clip_quote("too-late", 3.0, 9.0),
        clip_quote("fine", 0.2, 0.9),
    ]
    results = render_clips(
        clip_episode(tmp_path),
        quotes,
        tmp_path,
        video=test_videos["25"].path,
        shapes=("9:16",),
        captions=False,
    )
    errors = {r.quote_id: r.error for r in results}
    assert re.match(
        r"test-episode: quote backwards: end .* is not after start", errors["backwards"]
    )
    assert re.match(r"test-episode: quote too-late: .* outside the video", errors["too-late"])
    assert errors["fine"] is None
    made = sorted(p.name for p in (tmp_path / "test-episode" / "clips").iterdir())
    assert made == ["fine-9x16.jpg", "fine-9x16.mp4", "fine-9x16.srt", "fine-9x16.vtt"]


def test_skip_existing_keeps_finished_clips(test_videos, tmp_path):
    args = (clip_episode(tmp_path), [clip_quote("q1", 0.5, 1.0)], tmp_path)
    options = {"video": test_videos["25"].path, "shapes": ("1:1",), "captions": False}
    first = render_clips(*args, **options)[0]
    stamp = first.video.stat().st_mtime_ns
    again = render_clips(*args, skip_existing=True, **options)[0]
    assert again.skipped and again.video == first.video
    assert first.video.stat().st_mtime_ns == stamp
    assert not render_clips(*args, **options)[0].skipped


@pytest.mark.parametrize("content", [None, b"this is not a video"])
def test_missing_or_unreadable_video_stops_with_one_line(tmp_path, content):
    video = tmp_path / "episode.mp4"
    if content is not None:
        video.write_bytes(content)
    with pytest.raises(ClipperError) as caught:
        render_clips(clip_episode(tmp_path), [clip_quote("q1", 0, 1)], tmp_path, video=video)
    assert "episode.mp4" in str(caught.value) and "\n" not in str(caught.value)


def test_unknown_shape_and_theme_are_errors(test_videos, tmp_path):
    episode, quotes = clip_episode(tmp_path), [clip_quote("q1", 0, 1)]
    with pytest.raises(ClipperError, match="shape"):
        render_clips(episode, quotes, tmp_path, video=test_videos["25"].path, shapes=("4:3",))
    with pytest.raises(ClipperError, match="theme"):
        render_clips(episode, quotes, tmp_path, video=test_videos["25"].path, theme="nope")


def test_a_quotes_own_times_are_kept_even_beside_a_silence(tmp_path):
    """Times an editor wrote are the editor's word: a silence 0.2 s away does
    not move the cut (deleting the times has the quote timed on its words)."""
    video = make_video(tmp_path / "gaps.mp4", fps=25, seconds=3, silences=((1.0, 1.4),))
    result: ClipResult = render_clips(
        clip_episode(tmp_path),
        [clip_quote("q1", 1.6, 2.5)],
        tmp_path,
        video=video.path,
        shapes=("16:9",),
        captions=False,
        pad=0.0,
    )[0]
    assert result.start == pytest.approx(1.6, abs=1 / 25)  # on the frame grid, not 1.4
    assert result.end == pytest.approx(2.5, abs=1 / 25)


def test_snap_to_silence_picks_the_nearest_silence_within_the_window():
    silences = [(1.0, 1.4), (3.0, 3.2)]
    assert snap_to_silence(1.6, silences) == 1.4
    assert snap_to_silence(1.2, silences) == 1.2
    assert snap_to_silence(2.0, silences) == 2.0  # 0.6 s away: too far
    assert snap_to_silence(2.7, silences) == 3.0


def test_platform_limits_warn_only_where_they_apply():
    assert platform_warnings("9:16", 30) == []
    long_vertical = " ".join(platform_warnings("9:16", 75))
    assert "YouTube Shorts" in long_vertical and "X " not in long_vertical
    assert "X allows (140 s)" in " ".join(platform_warnings("16:9", 150))


def media(width: int, height: int, sar: tuple[int, int] = (1, 1)) -> MediaInfo:
    return MediaInfo(
        Path("v.mp4"), 60.0, width, height, 25, 25, "h264", "yuv420p", sar, "aac", 48000, "stereo"
    )


@pytest.mark.parametrize(
    ("size", "sar", "shape", "frame"),
    [
        ((1920, 1080), (1, 1), "16:9", (1920, 1080)),
        ((1920, 1080), (1, 1), "9:16", (1080, 1920)),
        ((3840, 2160), (1, 1), "1:1", (1080, 1080)),
        ((1080, 1920), (1, 1), "16:9", (1920, 1080)),
        ((720, 576), (16, 11), "16:9", (1024, 576)),
    ],
)
def test_layouts_keep_the_video_inside_the_frame_at_its_aspect(size, sar, shape, frame):
    source = media(*size, sar)
    layout = plan_layout(shape, source, load_theme("default"))
    assert (layout.width, layout.height) == frame
    video = layout.video
    assert video.x >= 0 and video.y >= 0
    assert video.x + video.width <= layout.width and video.bottom <= layout.height
    assert video.width / video.height == pytest.approx(
        source.display_width / source.height, rel=0.01
    )
    if layout.title:
        assert layout.title_room > 0
        top = layout.title.top(layout.title_room)  # the tallest band stays in the frame
        assert 0 <= top and top + layout.title_room <= layout.height


def test_crop_theme_fills_the_frame_with_the_video(test_videos, tmp_path):
    theme = tmp_path / "crop.yaml"
    theme.write_text("clip_background: crop\n", encoding="utf-8")
    layout = plan_layout("9:16", probe(test_videos["25"].path), load_theme(theme))
    assert layout.fills and layout.video.height == layout.height
    result = render_clips(
        clip_episode(tmp_path),
        [clip_quote("q1", 1.0, 1.5)],
        tmp_path,
        video=test_videos["25"].path,
        shapes=("9:16",),
        theme=theme,
    )[0]
    assert result.error is None
    assert (probe(result.video).width, probe(result.video).height) == (1080, 1920)
