"""Both speakers on screen: --frame stack and --frame auto on a side-by-side call.

The source is a call made of two tiles holding the same NASA portrait, the
right one mirrored and tinted blue so the two people can be told apart; faces
are found again in the rendered frames with OpenCV's cascade.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from clipper.batch.config import ClipSettings
from clipper.media.ffmpeg import probe
from clipper.render.clips import ClipResult, render_clips
from clipper.render.layout import stack_rows
from tests import factories
from tests.videos import decode_rgb_frames, make_call_video, make_face_video

cv2 = pytest.importorskip("cv2")

QUOTE = "Ship the smallest thing that teaches you something, then ship again."
HIGHLIGHT_THEME = 'stack_speaker: highlight\ncolors:\n  accent: "#FF00FF"\n'


@pytest.fixture(scope="module")
def calls(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("calls")
    return {
        "reacting": make_call_video(folder / "reacting.mp4", speaker=1, reacting=True),
        "still": make_call_video(folder / "still.mp4", speaker=1, reacting=False),
        "alone": make_face_video(folder / "alone.mp4", (0.5,), talking=0),
    }


@pytest.fixture(scope="module")
def frame_of(calls, tmp_path_factory) -> Callable[..., tuple[ClipResult, np.ndarray]]:
    """Render the quote in 9:16 from a call (once per set of options) and
    give the result with the frame of the middle half of the clip where the
    cascade finds the most faces (the box drawn as the speaker's open mouth
    hides the face from it, so every other frame or so is no use)."""
    made: dict[tuple, tuple[ClipResult, np.ndarray]] = {}

    def render(call: str, frame: str, **options: object) -> tuple[ClipResult, np.ndarray]:
        key = (call, frame, *sorted(options.items()))
        if key not in made:
            folder = tmp_path_factory.mktemp("clips")
            quote = factories.make_quote(QUOTE, id="q1", start=0.3, end=2.7, lines=[])
            episode = factories.make_episode(folder)
            (result,) = render_clips(
                episode,
                [quote],
                folder,
                video=calls[call],
                shapes=("9:16",),
                frame=frame,
                **options,
            )
            assert result.error is None, result.error
            frames = decode_rgb_frames(result.video)
            picks = frames[len(frames) // 4 : 3 * len(frames) // 4 : 2]
            made[key] = result, max(picks, key=lambda frame: len(faces_in(frame)))
        return made[key]

    return render


def faces_in(frame: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Faces the cascade finds in a frame (x, y, w, h in frame pixels)."""
    cascade = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    gray = cv2.cvtColor(frame[::2, ::2], cv2.COLOR_RGB2GRAY)
    found = cascade.detectMultiScale(gray, scaleFactor=1.1, minNeighbors=6, minSize=(60, 60))
    faces = sorted((tuple(int(v) * 2 for v in face) for face in found), key=lambda f: -f[2])
    kept: list[tuple[int, int, int, int]] = []
    for x, y, w, h in faces:  # a smaller box inside a bigger one is the same face
        cx, cy = x + w / 2, y + h / 2
        if not any(kx <= cx <= kx + kw and ky <= cy <= ky + kh for kx, ky, kw, kh in kept):
            kept.append((x, y, w, h))
    return kept


def is_blue_person(frame: np.ndarray, face: tuple[int, int, int, int]) -> bool:
    """The right-hand person of the call is tinted blue; the left keeps skin tones."""
    x, y, w, h = face
    skin = frame[y + h // 4 : y + 3 * h // 4, x + w // 4 : x + 3 * w // 4].astype(float)
    return skin[..., 2].mean() > skin[..., 0].mean()


def halves(frame: np.ndarray) -> tuple[list, list]:
    faces = faces_in(frame)
    middle = frame.shape[0] / 2
    top = [f for f in faces if f[1] + f[3] <= middle]
    bottom = [f for f in faces if f[1] >= middle]
    assert len(top) + len(bottom) == len(faces), f"a face across the middle: {faces}"
    return top, bottom


def test_stack_puts_one_face_in_each_half_the_speaker_on_top(frame_of):
    result, frame = frame_of("reacting", "stack")
    info = probe(result.video)
    assert (info.width, info.height) == (1080, 1920)
    top, bottom = halves(frame)
    assert len(top) == 1 and len(bottom) == 1, (top, bottom)
    assert is_blue_person(frame, top[0]), "the speaker (right-hand, blue) is on top"
    assert not is_blue_person(frame, bottom[0])


def test_stack_captions_sit_in_the_seam_clear_of_both_faces(frame_of):
    result, _ = frame_of("reacting", "stack")
    bare, _ = frame_of("reacting", "stack", captions=False)
    middle = len(decode_rgb_frames(bare.video)) // 2
    frame, bare_frame = (decode_rgb_frames(r.video)[middle] for r in (result, bare))
    panel, seam = stack_rows(1920)
    changed = np.abs(frame.astype(int) - bare_frame.astype(int)).max(axis=2) > 60  # the captions
    rows = np.flatnonzero(changed.sum(axis=1) >= 4)
    assert rows.size, "no caption text in the frame"
    assert rows.min() >= panel and rows.max() < panel + seam, (rows.min(), rows.max())
    for _, y, _, h in faces_in(frame):
        assert y + h <= panel or y >= panel + seam, "a face reaches into the seam"


def test_highlight_keeps_the_call_order_and_borders_the_speaker(frame_of, tmp_path):
    theme = tmp_path / "highlight.yaml"
    theme.write_text(HIGHLIGHT_THEME, encoding="utf-8")
    _, frame = frame_of("reacting", "stack", theme=theme)
    top, bottom = halves(frame)
    assert len(top) == 1 and len(bottom) == 1
    assert not is_blue_person(frame, top[0]) and is_blue_person(frame, bottom[0])
    panel, seam = stack_rows(1920)

    def magenta(row: np.ndarray) -> float:
        return float(((row[:, 0] > 200) & (row[:, 1] < 60) & (row[:, 2] > 200)).mean())

    assert magenta(frame[panel + seam + 3]) > 0.9, "the speaker's panel has a border"
    assert magenta(frame[3]) < 0.1, "the listener's has none"


def plate_rows(frame: np.ndarray, plate: tuple[int, int, int]) -> np.ndarray:
    """Rows where the middle fifth of the frame is mostly the title plate's colour."""
    width = frame.shape[1]
    middle = frame[:, 2 * width // 5 : 3 * width // 5].astype(int)
    near = np.abs(middle - np.array(plate)).max(axis=2) < 40
    return np.flatnonzero(near.mean(axis=1) > 0.5)


@pytest.mark.parametrize("speaker_on_top", [True, False])
def test_a_name_tag_marks_the_speakers_panel_by_the_seam(frame_of, tmp_path, speaker_on_top):
    theme = tmp_path / "tag.yaml"
    theme.write_text(
        ("" if speaker_on_top else HIGHLIGHT_THEME) + 'title_band:\n  background: "#00C000"\n',
        encoding="utf-8",
    )
    _, frame = frame_of("reacting", "stack", theme=theme)
    panel, seam = stack_rows(1920)
    rows = plate_rows(frame, (0, 192, 0))
    assert rows.size > 30, "no name tag"
    if speaker_on_top:
        assert panel - 200 < rows.min() and rows.max() < panel, (rows.min(), rows.max())
    else:
        assert panel + seam <= rows.min() and rows.max() < panel + seam + 200


def test_auto_stacks_a_reacting_listener_and_frames_a_still_one_alone(frame_of):
    _, reacting = frame_of("reacting", "auto")
    top, bottom = halves(reacting)
    assert len(top) == 1 and len(bottom) == 1
    _, still = frame_of("still", "auto")
    faces = faces_in(still)
    assert len(faces) == 1 and is_blue_person(still, faces[0]), "the speaker alone"


def test_stack_without_two_faces_frames_the_speaker_and_says_so(frame_of):
    result, frame = frame_of("alone", "stack")
    assert any("no two faces" in str(warning) for warning in result.warnings)
    assert len(faces_in(frame)) == 1


def test_clipper_yaml_takes_the_new_framing_modes():
    checks = ClipSettings.CHECKS["frame"]
    assert checks("clips.frame", "stack") == "stack" and checks("clips.frame", "auto") == "auto"
