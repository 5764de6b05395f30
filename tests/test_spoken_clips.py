"""Clips cut on the spoken words, and captions that light up the word being said.

The generated source speaks "words" as tone bursts between silences at known
times, so a clip's audio shows exactly which words it holds and whether it
starts and ends in silence.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from clipper.media.ffmpeg import probe
from clipper.render.clips import ClipResult, render_clips
from clipper.render.cutlist import word_cut_frames
from clipper.render.layout import plan_layout
from clipper.render.spoken import shifted
from clipper.render.theme import load_theme
from clipper.timing.model import QuoteTiming, Word
from tests import factories
from tests.videos import (
    TestVideo,
    decode_audio,
    decode_gray_frames,
    decode_rgb_frames,
    loud_spans,
    make_video,
    read_label,
)

FPS = 25
SPOKEN = [(0.20, 0.60), (0.75, 1.10), (1.20, 1.70), (1.85, 2.30), (2.40, 2.90), (3.05, 3.50)]
SECONDS = 4.0


def silences() -> tuple[tuple[float, float], ...]:
    edges = [0.0, *(t for span in SPOKEN for t in span), SECONDS]
    return tuple(zip(edges[::2], edges[1::2], strict=True))


@pytest.fixture(scope="module")
def speech_video(tmp_path_factory) -> TestVideo:
    folder = tmp_path_factory.mktemp("spoken")
    return make_video(folder / "words.mp4", fps=FPS, seconds=SECONDS, silences=silences())


def timing_of(first: int, last: int, texts: list[str]) -> QuoteTiming:
    """The timing of spoken words ``first..last`` with their neighbours."""
    words = tuple(
        Word(text, *SPOKEN[i]) for text, i in zip(texts, range(first, last + 1), strict=True)
    )
    return QuoteTiming(
        words,
        words[0].start,
        words[-1].end,
        "captions",
        0.9,
        previous_end=SPOKEN[first - 1][1] if first else None,
        next_start=SPOKEN[last + 1][0] if last + 1 < len(SPOKEN) else None,
    )


def render(
    folder: Path, video: TestVideo, text: str, timing: QuoteTiming, words: bool = True, **options
) -> list[ClipResult]:
    """Cut the quote spoken as ``timing``; ``words=False``: from its times only."""
    quote = factories.make_quote(text, id="q1", start=timing.start, end=timing.end, lines=[])
    episode = factories.make_episode(folder)
    timings = {"q1": timing} if words else None
    return render_clips(episode, [quote], folder, video=video.path, timings=timings, **options)


def test_a_mid_line_quote_holds_its_words_whole_and_no_neighbour(speech_video, tmp_path):
    timing = timing_of(2, 3, ["Spoken", "words."])
    result: ClipResult = render(
        tmp_path, speech_video, "Spoken words.", timing, shapes=("16:9",), captions=False
    )[0]
    assert result.error is None
    # the padding stays in the silences: 0.1 s before the quote, 0.1 s after it
    assert 1.10 < result.start <= 1.20 and 2.30 <= result.end < 2.40
    spans = loud_spans(decode_audio(result.video))
    assert len(spans) == 2, spans  # the quote's two words, nothing of a neighbour
    first, last = spans[0], spans[-1]
    assert first[0] >= 0.02  # starts in silence: the first word's onset is kept
    assert first[1] - first[0] == pytest.approx(0.5, abs=0.03)  # the whole first word
    assert last[1] < result.end - result.start - 0.005  # ends in silence (last 10 ms quiet)
    frames, fps = decode_gray_frames(result.video)
    assert read_label(frames[0]) == round(result.start * FPS)  # frame-exact as before
    assert len(frames) == round((result.end - result.start) * fps)


def test_without_timing_the_old_cut_reaches_into_the_neighbours(speech_video, tmp_path):
    """The baseline the word timing fixes: transcript times plus padding."""
    timing = timing_of(2, 3, ["Spoken", "words."])
    results = render(
        tmp_path, speech_video, "Spoken words.", timing, False, shapes=("16:9",), captions=False
    )
    assert len(loud_spans(decode_audio(results[0].video))) == 4


def test_word_cut_frames_pad_into_silence_only():
    timing = timing_of(2, 3, ["a", "b"])  # silence 1.10-1.20 before, 2.30-2.40 after
    assert word_cut_frames(1.2, 2.3, timing, 0.3, 25) == (29, 58)  # 1.16 s, 2.32 s
    assert word_cut_frames(1.2, 2.3, timing, 0.0, 25) == (30, 58)  # 2.30 s is frame 57.5
    alone = QuoteTiming(timing.words, 1.2, 2.3, "captions", 0.9)
    assert word_cut_frames(1.2, 2.3, alone, 0.3, 25) == (23, 65)  # the full pad
    # a neighbour the quote overlaps (hand-set times) is no limit
    assert word_cut_frames(1.0, 2.5, timing, 0.1, 25) == (23, 65)
    # at 30 fps the frames never cut into the words
    first, stop = word_cut_frames(1.203, 2.297, timing, 0.3, 30)
    assert first / 30 <= 1.203 and stop / 30 >= 2.297


HIGHLIGHT_THEME = """\
caption:
  size: 0.1
  color: "#808080"
  outline: null
  box: null
  highlight: "#000000"
  highlight_box: "#FFFFFF"
"""


def lit_box(frame: np.ndarray, top: int) -> tuple[int, int] | None:
    """Left and right edge of the white plate under the lit word, if any."""
    white = np.all(frame[top:] > 240, axis=2)
    columns = np.flatnonzero(white.sum(axis=0) >= 3)
    return (int(columns[0]), int(columns[-1])) if columns.size else None


def same_place(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    """Two plates in the same place, give or take the encoder's pixel at an edge."""
    return a is not None and b is not None and max(abs(a[0] - b[0]), abs(a[1] - b[1])) <= 2


def test_the_spoken_word_lights_up_within_100_ms(speech_video, tmp_path):
    theme = tmp_path / "highlight.yaml"
    theme.write_text(HIGHLIGHT_THEME, encoding="utf-8")
    texts = ["one", "two", "three", "four", "five", "six"]
    timing = timing_of(0, 5, texts)
    results = render(
        tmp_path, speech_video, " ".join(texts), timing, shapes=("9:16", "16:9"), theme=theme
    )
    vertical, landscape = results
    assert vertical.error is None and landscape.error is None
    layout = plan_layout("9:16", probe(speech_video.path), load_theme(theme))
    frames = decode_rgb_frames(vertical.video)

    def lit(t: float) -> tuple[int, int] | None:  # t in episode seconds
        return lit_box(frames[round((t - vertical.start) * FPS)], layout.video.bottom + 2)

    assert lit(SPOKEN[0][0] - 0.1) is None  # nothing lit before the first word
    boxes = []
    for (start, _), (next_start, _) in zip(SPOKEN, [*SPOKEN[1:], (3.7, 0)], strict=True):
        box = lit(start + 0.1)
        assert box is not None and not same_place(box, lit(start - 0.05)), start
        assert same_place(lit(next_start - 0.05), box)  # stays on the word until the next one
        boxes.append(box)
    assert len(set(boxes)) == len(texts)  # a new place for every word
    assert lit_box(decode_rgb_frames(landscape.video)[30], 90) is None  # 16:9 stays plain


def test_a_downloaded_section_moves_the_word_times_with_it():
    timing = shifted(timing_of(2, 3, ["a", "b"]), 1.0)
    assert (timing.start, timing.end, timing.previous_end, timing.next_start) == pytest.approx(
        (0.2, 1.3, 0.1, 1.4)
    )
    assert [t for w in timing.words for t in (w.start, w.end)] == pytest.approx(
        [0.2, 0.7, 0.85, 1.3]
    )
    assert shifted(timing_of(0, 0, ["a"]), 0.1).previous_end is None
