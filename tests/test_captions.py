"""Caption chunks: at most two lines, no widows, timed by word position; SRT/VTT."""

from __future__ import annotations

import itertools

import pytest

from clipper.render.captions import (
    Cue,
    chunk_words,
    draw_caption_images,
    format_srt,
    format_vtt,
    make_cues,
)
from clipper.render.theme import load_theme
from clipper.render.wordcaptions import highlight_spans, token_starts, word_cues
from clipper.timing.model import QuoteTiming, Word
from tests.subtitles import parse_srt, parse_vtt, vtt_word_times

QUOTES = [
    "I think the biggest mistake people make is trying to learn everything at once. Pick "
    "one project, ship it, and then learn what the project needs. That is how you get a job.",
    "Yes.",
    "Short and sweet.",
    "Data engineering is mostly plumbing, and plumbing is underrated.",
    "Supercalifragilisticexpialidocious-and-then-some-more-hyphenated-words are hard to wrap "
    "but they still must appear in the captions without being lost.",
    "We built the model in a week, then spent four months convincing the warehouse team "
    "that the numbers were right; nobody had told us the scanners were logging in local "
    "time while the orders were in UTC, so every Monday looked like a disaster.",
]


@pytest.mark.parametrize("text", QUOTES)
def test_chunks_keep_every_word_in_two_short_lines_without_widows(text):
    chunks = chunk_words(text, max_chars=32)
    assert " ".join(" ".join(chunk) for chunk in chunks).split() == text.split()
    for chunk in chunks:
        assert 1 <= len(chunk) <= 2
        for line in chunk:
            assert len(line) <= 32 or " " not in line  # only a single long word overflows
        if len(chunk) == 2 and sum(len(line.split()) for line in chunk) >= 3:
            assert len(chunk[-1].split()) >= 2, f"widow in {chunk}"
    if len(text.split()) > 1:
        assert all(sum(len(line.split()) for line in chunk) >= 2 for chunk in chunks)


def test_chunks_break_at_sentence_ends():
    chunks = chunk_words(QUOTES[0], max_chars=32)
    ends = [chunk[-1].split()[-1] for chunk in chunks]
    assert "once." in ends and "needs." in ends


@pytest.mark.parametrize("text", QUOTES)
def test_cues_cover_the_clip_in_order_without_gaps(text):
    cues = make_cues(text, speech_start=0.3, speech_end=9.7, clip_end=10.0)
    assert cues[0].start == 0 and cues[-1].end == 10.0
    for before, after in itertools.pairwise(cues):
        assert before.end == after.start and before.start < before.end


def test_cues_follow_the_words():
    # two chunks of equal length: the second starts half-way through the speech
    cues = make_cues("one two three four. five six seven eight.", 1.0, 5.0, 6.0, max_chars=24)
    assert [cue.text for cue in cues] == ["one two three four.", "five six seven eight."]
    assert cues[1].start == pytest.approx(3.0, abs=0.1)


def test_srt_and_vtt_parse_back_to_the_same_cues():
    cues = make_cues(QUOTES[5], 0.3, 3725.0, 3725.3)  # past an hour: hours field used
    srt, vtt = format_srt(cues), format_vtt(cues)
    parsed = parse_srt(srt)
    assert [text for _, _, text in parsed] == [cue.lines for cue in cues]
    times = [t for start, end, _ in parsed for t in (start, end)]
    assert times == pytest.approx([t for cue in cues for t in (cue.start, cue.end)])
    assert parse_vtt(vtt) == parsed
    assert "01:02:05,300" in srt and "01:02:05.300" in vtt


def test_the_strict_parser_rejects_overlaps():
    overlapping = [Cue(0, 2, ("a b",)), Cue(1.5, 3, ("c d",))]
    with pytest.raises(AssertionError, match="overlap"):
        parse_srt(format_srt(overlapping))


def test_caption_images_fit_their_text(tmp_path):
    theme = load_theme("default")
    cues = make_cues("Right-to-left: שלום עולם and accents: déjà vu, naïve café.", 0, 3, 3)
    images = draw_caption_images(cues, theme, 40, tmp_path, "cap")
    from PIL import Image

    for image in images:
        with Image.open(image.path) as picture:
            assert picture.mode == "RGBA" and picture.size == (image.width, image.height)
            alpha = picture.getchannel("A")
            assert alpha.getextrema() == (0, 255)  # transparent corners, solid text
            assert picture.getpixel((0, 0))[3] == 0


WORDS = "Data work starts with a question, not a dashboard. Ask it first."


def spoken_starts(text: str, first: float = 0.4, step: float = 0.35) -> list[float]:
    return [round(first + i * step, 3) for i in range(len(text.split()))]


def test_word_cues_come_on_when_their_first_word_is_spoken():
    starts = spoken_starts(WORDS)
    cues = word_cues(WORDS, starts, clip_end=5.0, max_chars=24)
    assert len(cues) >= 3
    assert cues[0].start == 0 and cues[-1].end == 5.0
    index = 0
    for before, after in itertools.pairwise(cues):
        assert before.end == after.start
    for cue in cues:
        count = sum(len(line.split()) for line in cue.lines)
        assert cue.words == tuple(starts[index : index + count])
        if index:
            assert cue.start == starts[index]  # on with its first word, not by characters
        index += count
    assert index == len(starts)


def test_vtt_carries_each_word_time_inline():
    starts = spoken_starts(WORDS)
    cues = word_cues(WORDS, starts, clip_end=5.0, max_chars=24)
    vtt = format_vtt(cues)
    assert "<00:00:00.750>work" in vtt
    inline = [t for cue in vtt_word_times(vtt) for t in cue]
    cue_starts = [cue.start for cue in cues]
    assert sorted(inline + cue_starts[1:]) == pytest.approx(starts)
    assert parse_vtt(vtt) == parse_srt(format_srt(cues))  # same cues and text


def test_display_tokens_follow_the_timed_words_even_when_typography_splits_them():
    timing = QuoteTiming(
        tuple(Word(w, i, i + 0.5) for i, w in enumerate(["It", "works--mostly", "fine."])),
        0.0,
        2.5,
        "captions",
        1.0,
    )
    assert token_starts(["It", "works", "fine."], timing, 0.0) == [0, 1, 2]
    shown = ["It", "works", "—", "mostly", "fine."]
    assert token_starts(shown, timing, 0.5) == [-0.5, 0.5, 0.5, 0.5, 1.5]


def test_highlight_spans_follow_the_words_within_the_cue():
    cue = Cue(1.0, 3.0, ("one two three",), (0.8, 1.5, 2.2))
    assert highlight_spans(cue) == [(1.0, 1.5), (1.5, 2.2), (2.2, 3.0)]
