"""The cut list: which spoken words are fillers, where a quote is cut, and how
the cuts sit on the frame grid (no media needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from clipper.errors import ClipperError
from clipper.media.ffmpeg import MediaInfo
from clipper.render.cutlist import Tightening, plan_cut, plan_removals
from clipper.select.quote import load_quotes
from clipper.timing.align import align
from clipper.timing.model import QuoteTiming, Word
from tests.conftest import SPEECH_EPISODE
from tests.factories import make_quote

FPS = 25.0


def spoken(text: str, start: float = 10.0, step: float = 0.3) -> list[Word]:
    """``text`` said one word every ``step`` seconds, words back to back."""
    return [
        Word(word, start + i * step, start + (i + 1) * step) for i, word in enumerate(text.split())
    ]


@pytest.mark.parametrize(
    ("text", "said", "inserted"),
    [
        ("And I hated the spreadsheets.", "And I I hated the spreadsheets", ["I"]),
        ("Then a free course.", "Then a, uh, free course", ["uh,"]),
        ("But it was worth it.", "But you know, it was worth it", ["you", "know,"]),
        ("It helps you later.", "It helps you, like, later", ["like,"]),
        ("You finish it.", "You actually finish it", ["actually"]),
        ("Pick one dataset you like.", "Pick one data set you like", []),  # said in two
        ("The cat sat down.", "The dog sat down", []),  # a word misheard or reworded
    ],
)
def test_the_spoken_words_the_text_leaves_out_are_found(text, said, inserted):
    words = spoken(said)
    found = align(text, words)
    assert found is not None
    assert [words[i].text for i in found.inserted] == inserted


def timing(words: list[Word], fillers: list[Word]) -> QuoteTiming:
    return QuoteTiming(
        tuple(words), words[0].start, words[-1].end, "captions", 1.0, 5.0, 30.0, tuple(fillers)
    )


def test_fillers_are_cut_from_silence_to_silence_and_kept_without_cut_fillers():
    words = [Word("then", 10.0, 10.3), Word("a", 10.3, 10.5), Word("free", 11.0, 11.3)]
    uh = Word("uh", 10.6, 10.85)
    silences = [(10.5, 10.6), (10.85, 11.0)]
    removals = plan_removals(timing(words, [uh]), Tightening(cut_fillers=True), silences)
    assert removals == [(10.55, 10.925)]
    assert plan_removals(timing(words, [uh]), Tightening(), silences) == []


def test_without_a_silence_a_filler_is_cut_where_the_next_word_begins():
    words = [Word("I", 10.0, 10.2), Word("hated", 10.4, 10.8)]
    repeat = Word("I", 10.2, 10.4)
    removals = plan_removals(timing(words, [repeat]), Tightening(cut_fillers=True))
    assert removals == [(10.2, 10.4)]


def test_a_long_pause_is_shortened_to_what_is_kept():
    words = [Word("learn", 10.0, 10.5), Word("it", 12.0, 12.2)]
    silences = [(10.52, 11.98)]
    removals = plan_removals(timing(words, []), Tightening(0.8, 0.3), silences)
    assert removals == [(10.67, 11.83)]
    assert plan_removals(timing(words, []), Tightening(None), silences) == []
    assert plan_removals(timing(words, []), Tightening(2.0), silences) == []


def test_max_pause_must_be_longer_than_keep_pause():
    with pytest.raises(ClipperError, match="max_pause"):
        Tightening(0.2, 0.3)


def media(seconds: float = 60.0) -> MediaInfo:
    return MediaInfo(
        Path("v.mp4"), seconds, 640, 360, 25, 25, "h264", "yuv420p", (1, 1), "aac", 48000, "mono"
    )


def test_the_sound_is_cut_where_planned_and_the_picture_on_whole_frames():
    quote = make_quote("x", start=10.0, end=14.0)
    removals = [(11.013, 11.527), (12.31, 12.5)]
    cut = plan_cut(quote, media(), 0.2, FPS, removals=removals)
    assert cut.removed == tuple(removals)
    for a, b in cut.dropped:
        assert (a * FPS) == pytest.approx(round(a * FPS)) and (b * FPS) == pytest.approx(
            round(b * FPS)
        )
    removed = sum(b - a for a, b in cut.removed)
    assert abs(cut.duration - (cut.span - removed)) <= 0.5 / FPS
    assert cut.clip_time(11.6) == pytest.approx(11.6 - cut.start - (11.527 - 11.013))
    assert cut.clip_time(11.2) == pytest.approx(11.013 - cut.start)  # a removed moment: its cut
    assert cut.clip_speech == (pytest.approx(cut.speech[0]), pytest.approx(4.2 - removed, abs=0.05))


def test_a_cut_over_the_start_moves_the_first_frame():
    quote = make_quote("x", start=10.0, end=14.0)
    cut = plan_cut(quote, media(), 0.3, FPS, removals=[(9.5, 10.1)])
    assert cut.start == pytest.approx(10.08) and cut.removed == ()


def test_cuts_in_a_quotes_file_are_checked(tmp_path):
    path = tmp_path / "quotes.yaml"
    path.write_text("- {text: Hi there, start: 1, end: 5, cuts: [[2, 3], [3.5, 4]]}\n")
    assert load_quotes(path)[0].cuts == [[2.0, 3.0], [3.5, 4.0]]
    path.write_text("- {text: Hi there, cuts: [[2, 3]]}\n")  # untimed: timed and cut again
    assert load_quotes(path)[0].cuts is None
    for bad in ("[[3, 2]]", "[[2, 3], [2.5, 4]]", "[2, 3]", "[[a, 3]]"):
        path.write_text(f"- {{text: Hi there, start: 1, end: 5, cuts: {bad}}}\n")
        with pytest.raises(ClipperError, match="quote 1: 'cuts'"):
            load_quotes(path)


def test_a_max_pause_under_keep_pause_is_a_usage_error_before_any_download(invoke):
    result = invoke("clips", SPEECH_EPISODE, "--max-pause", "0.2", "--url", "http://127.0.0.1:9/v")
    assert result.exit_code == 2
    assert "must be longer than keep_pause" in result.output
    assert "download" not in result.output
