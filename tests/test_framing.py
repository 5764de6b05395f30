"""Speaker framing: the crop finds the face that talks, holds still, cuts on a
layout change, and falls back to fit; the source's name band is kept clear.

Fixture face: ``tests/data/astronaut_face.jpg``, a crop of NASA's public-domain
portrait of Eileen Collins as shipped in scikit-image (``skimage.data.astronaut()``).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from clipper.media.ffmpeg import MediaInfo, ffmpeg_exe, probe
from clipper.render import framing
from clipper.render.clips import render_clips
from clipper.render.layout import plan_layout
from clipper.render.theme import load_theme
from tests import factories
from tests.videos import (
    FACE_PHOTO,
    decode_gray_frames,
    make_band_video,
    make_face_video,
    make_video,
)

TEXT = "Start from the decision someone has to make, not from the data you happen to have."


def media(width: int = 640, height: int = 360) -> MediaInfo:
    return MediaInfo(
        Path("v.mp4"), 60.0, width, height, 25, 25, "h264", "yuv420p", (1, 1), "aac", 48000, "mono"
    )


def face_centres(frames: np.ndarray) -> list[list[float]]:
    """Horizontal centres (fractions of the width) of the faces in each frame
    (looked for at a quarter of the size, as fast and as reliable)."""
    small = frames[:, ::4, ::4].copy()
    return [
        [(f.x + f.w / 2) / frame.shape[1] for f in framing.detect_faces(frame, 0.0)]
        for frame in small
    ]


def render_916(tmp_path: Path, video: Path, frame: str = "speaker"):
    episode = factories.make_episode(tmp_path)
    quote = factories.make_quote(TEXT, start=0.4, end=2.6)
    return render_clips(episode, [quote], tmp_path, video=video, shapes=("9:16",), frame=frame)[0]


def sampled(path: Path, every: int = 10) -> np.ndarray:
    frames, _ = decode_gray_frames(path)
    return frames[::every, :, :]


@pytest.mark.slow
def test_a_face_at_the_left_third_is_centred_in_the_vertical_clip(tmp_path):
    video = make_face_video(tmp_path / "left.mp4", (1 / 3,))
    result = render_916(tmp_path, video)
    assert result.error is None and result.warnings == []
    centres = face_centres(sampled(result.video))
    assert len(centres) >= 5
    for found in centres:
        assert len(found) == 1 and 0.35 <= found[0] <= 0.65, centres


@pytest.mark.slow
@pytest.mark.parametrize("talking", [0, 1])
def test_side_by_side_is_framed_on_the_face_that_talks(tmp_path, talking):
    video = make_face_video(tmp_path / "pair.mp4", (0.25, 0.75), talking=talking)
    result = render_916(tmp_path, video)
    assert result.error is None
    frames = sampled(result.video, every=1)
    centres = face_centres(frames[::10])
    # the opening mouth hides the face from the detector now and then
    assert sum(len(found) == 1 for found in centres) >= len(centres) / 2, centres
    assert all(0.35 <= x <= 0.65 for found in centres for x in found), centres
    frames = frames.astype(np.int16)
    height, width = frames.shape[1:]
    # the framed face's mouth opens and closes (the other face's never does)
    mouth = frames[:, height // 3 : 2 * height // 3, width // 4 : 3 * width // 4]
    assert np.abs(np.diff(mouth, axis=0)).mean() > 2.0


@pytest.mark.slow
def test_a_small_face_in_a_720p_wide_shot_is_framed_in_both_vertical_shapes(tmp_path):
    """One face of 85 px (12 % of the height) at a fifth of the width: too
    small for the quick pass, found by the second one."""
    video = make_face_video(tmp_path / "wide.mp4", (0.2,), size=(1280, 720), face_height=85)
    episode = factories.make_episode(tmp_path)
    quote = factories.make_quote(TEXT, start=0.4, end=2.6)
    results = render_clips(episode, [quote], tmp_path, video=video, shapes=("1:1", "9:16"))
    for result in results:
        assert result.error is None and result.warnings == [], result
        frames = sampled(result.video)
        width = frames.shape[2]
        found = [framing.find_faces(frame, 0.0) for frame in frames]
        assert sum(len(faces) == 1 for faces in found) >= len(found) - 1, (result.shape, found)
        for faces in found:
            for face in faces:
                # cropped on the face (fit would show it 72 px wide, at a fifth of the width)
                assert face.w > 0.1 * width, (result.shape, face)
                low = 0.3 if result.shape == "1:1" else 0.4  # 1:1 stops at the source's edge
                assert low <= (face.x + face.w / 2) / width <= 0.65, (result.shape, face)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("size", "face"), [((1280, 720), 48), ((1920, 1080), 72), ((640, 360), 24)]
)
def test_faces_of_a_fifteenth_of_the_height_are_found(tmp_path, size, face):
    video = probe(make_face_video(tmp_path / "far.mp4", (0.7,), size=size, face_height=face))
    scanned = framing.scan(video, 0.2, 2.5, (0.3, 2.4))
    assert len(scanned.tracks) == 1
    for found in scanned.tracks[0].faces:
        centre = found.centre[0] * scanned.scale / size[0]
        assert abs(centre - 0.7) < 0.03
        assert 0.8 < found.w * scanned.scale / face < 1.4


@pytest.mark.slow
@pytest.mark.parametrize("faces", [(0.3,), (0.3, 0.7)])
def test_one_steady_face_is_found_in_the_keyframes_alone(tmp_path, monkeypatch, faces):
    """One face that holds still in every keyframe needs no 4 fps pass; two
    faces (someone to choose by the mouth) still get it."""
    video = probe(make_face_video(tmp_path / "f.mp4", faces, seconds=4.0, keyframe_every=25))
    decoded = []
    real = framing.decode_samples

    def spy(*args, **kwargs):
        frames, scale = real(*args, **kwargs)
        decoded.append(len(frames))
        return frames, scale

    monkeypatch.setattr(framing, "decode_samples", spy)
    scanned = framing.scan(video, 0.5, 3.0, (0.2, 2.8))
    centres = sorted(t.faces[0].centre[0] * scanned.scale / 640 for t in scanned.tracks)
    assert centres == pytest.approx(list(faces), abs=0.03)
    if len(faces) == 1:
        assert decoded == [3]  # keyframes only: 0, 1 and 2 s (the seek stops on the one at 0)
        path = framing.plan_path(scanned, video, 9 / 16, 3.0)
        assert len(path.moves) == 1 and abs(path.position(1.0)[0] + 101 - 192) <= 4
    else:
        assert decoded[0] <= 4 and decoded[1] == 12  # keyframes, then 4 fps


def test_the_close_look_runs_only_where_the_quick_one_finds_nothing(monkeypatch):
    calls = []
    real = framing.detect_faces

    def counting(frame, t, *args, **kwargs):
        calls.append(frame.shape)
        return real(frame, t, *args, **kwargs)

    monkeypatch.setattr(framing, "detect_faces", counting)
    blank = np.full((540, 960), 128, dtype=np.uint8)
    assert framing.find_faces(blank, 0.0) == []
    assert calls == [(216, 384), (540, 960)]
    calls.clear()
    face = np.asarray(Image.open(FACE_PHOTO).convert("L"))
    blank[100 : 100 + face.shape[0] * 2, 200 : 200 + face.shape[1] * 2] = np.kron(
        face, np.ones((2, 2), dtype=np.uint8)
    )  # a face of about 150 px: found at once
    found = framing.find_faces(blank, 0.0)
    assert calls == [(216, 384)]
    assert len(found) == 1 and 120 < found[0].w < 200 and 250 < found[0].x < 330


@pytest.mark.slow
def test_no_face_falls_back_to_fit_with_a_warning(tmp_path):
    video = make_face_video(tmp_path / "none.mp4", ())
    result = render_916(tmp_path, video)
    assert result.error is None
    assert any("no face found, framed as fit" in str(w) for w in result.warnings)
    source = decode_gray_frames(video)[0][10].astype(float)
    shown = sampled(result.video, every=1000)[0][656 : 656 + 608].astype(float)  # 1080x608 box
    rows = np.linspace(0, 359, 608).round().astype(int)  # the 640x360 source at 1080x608
    columns = np.linspace(0, 639, 1080).round().astype(int)
    assert np.abs(shown - source[rows][:, columns]).mean() < 8  # the whole picture, uncropped


@pytest.mark.slow
def test_fit_shows_a_real_blur_of_the_video_behind_it(tmp_path):
    video = make_video(tmp_path / "stripes.mp4", fps=25, seconds=3).path
    result = render_916(tmp_path, video, frame="fit")
    assert result.error is None and result.warnings == []
    below = sampled(result.video, every=1000)[0][1600:1900].astype(float)  # under the captions
    profile = below.mean(axis=0)  # the source's left-to-right gradient shows through the blur
    assert profile[-100:].mean() - profile[:100].mean() > 15  # not a flat tinted fill


def test_the_crop_holds_still_and_cuts_when_the_layout_changes():
    def face(t: float, x: float) -> framing.Face:
        return framing.Face(t, x, 100, 60, 60)

    jitter = [face(t / 4, 100 + (t % 3) * 3) for t in range(8)]  # left, jittering
    moved = [face(2 + t / 4, 400) for t in range(8)]  # from 2 s: a new layout
    scan = framing.Scan(640, 360, 1.0, [framing.Track(jitter), framing.Track(moved)], None)
    path = framing.plan_path(scan, media(), 9 / 16, 4.0)
    assert path is not None and (path.width, path.height) == (202, 360)
    assert [m.pan for m in path.moves] == [0.0, 0.0]  # a hold, then a cut
    assert path.position(1.0) == path.position(0.0) == path.moves[0].b
    assert abs(path.position(3.0)[0] + 101 - 430) <= 2
    assert 1.7 < path.moves[1].start < 2.0
    assert "if(lt(t,1.875)" in path.filter()


def test_the_talking_track_wins_over_a_still_one():
    still = framing.Track([framing.Face(t / 4, 100, 100, 60, 60) for t in range(8)], talk=0.5)
    talker = framing.Track([framing.Face(t / 4, 450, 100, 60, 60) for t in range(8)], talk=9.0)
    path = framing.plan_path(framing.Scan(640, 360, 1.0, [still, talker], None), media(), 1.0, 2.0)
    assert path.moves[0].b == (280, 0) and len(path.moves) == 1


def test_no_tracks_means_no_path():
    assert framing.plan_path(framing.Scan(640, 360, 1.0, [], None), media(), 1.0, 2.0) is None


def test_a_name_band_burned_into_the_bottom_is_found():
    frames = np.tile(np.linspace(40, 200, 360, dtype=np.uint8)[None, :, None], (6, 1, 480))
    assert framing.find_band(frames) is None
    frames[:, 300:, :] = 20
    assert framing.find_band(frames) in range(299, 302)


@pytest.mark.slow
@pytest.mark.parametrize("band", [True, False])
def test_without_faces_the_band_is_read_from_a_few_keyframes_alike(tmp_path, band):
    video = probe(make_band_video(tmp_path / "band.mp4", band=band))
    frames, _ = framing.decode_samples(video, 1.2, 4.0, keyframes=True)
    assert 2 <= len(frames) <= 6  # the keyframes of 4 s, a second apart; 4 fps would be 16
    alone = framing.scan(video, 1.2, 4.0, (0.3, 3.7), faces=False)
    with_faces = framing.scan(video, 1.2, 4.0, (0.3, 3.7), faces=True)
    assert alone.tracks == [] and with_faces.tracks == []
    if band:  # read from different frames, the band's edge may land a row apart
        assert alone.band_top in range(298, 303) and with_faces.band_top in range(298, 303)
    else:
        assert alone.band_top is None and with_faces.band_top is None


def test_sixteen_nine_captions_stand_above_the_sources_name_band():
    theme = load_theme("default")
    plain = plan_layout("16:9", media(), theme)
    banded = plan_layout("16:9", media(), theme, band_top=300)
    assert plain.captions.y > 300
    assert banded.captions.y < 300
    vertical = plan_layout("9:16", media(), theme, band_top=300)
    assert vertical.crop == "crop=iw:300:0:0"  # the band is cut off; the title names the speaker
    assert (vertical.width, vertical.height) == (1080, 1920)


def test_a_glance_at_another_face_does_not_cut_there_and_back():
    speaker = [framing.Face(t / 4, 100, 100, 60, 60) for t in range(16)]
    glance = [framing.Face(2 + t / 4, 450, 100, 60, 60) for t in range(2)]  # half a second
    scan = framing.Scan(
        640, 360, 1.0, [framing.Track(speaker, talk=1.0), framing.Track(glance, talk=5.0)], None
    )
    path = framing.plan_path(scan, media(), 9 / 16, 4.0)
    assert len(path.moves) == 1


@pytest.mark.slow
def test_ffmpeg_moves_the_window_as_the_path_says(tmp_path):
    """The piecewise expression in a real graph: a hold, a cut at 1 s, a pan from 1.5 s."""
    path = framing.CropPath(
        96,
        180,
        [
            framing.Move(0.0, (0, 0), (0, 0)),
            framing.Move(1.0, (200, 0), (200, 0)),
            framing.Move(1.5, (200, 0), (100, 0), pan=0.4),
        ],
    )
    out = tmp_path / "crop.mkv"
    subprocess.run(
        [
            *(ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=2.2"),
            *("-vf", path.filter(), "-c:v", "ffv1", str(out)),
        ],
        check=True,
    )
    frames, _ = decode_gray_frames(out)
    assert frames.shape[1:] == (180, 96)
    full = subprocess.run(
        [
            *(ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=2.2"),
            *("-f", "rawvideo", "-pix_fmt", "gray", "-"),
        ],
        capture_output=True,
        check=True,
    ).stdout
    originals = np.frombuffer(full, dtype=np.uint8).reshape(-1, 180, 320)
    for index, frame in enumerate(frames):
        x = round(path.position(index / 25)[0]) // 2 * 2
        assert np.abs(frame.astype(int) - originals[index, :, x : x + 96]).mean() < 6, index
