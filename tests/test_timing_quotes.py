"""Timing quotes from the first source that works, on the committed speech fixture."""

from __future__ import annotations

import itertools
import json
import shutil

import pytest

from clipper.episode import load_episode
from clipper.timing.quotes import apply_timing, merge_windows, time_quotes
from clipper.timing.speech import Recogniser
from tests.conftest import SPEECH, SPEECH_CAPTIONS, SPEECH_EPISODE, SPEECH_MEDIA
from tests.factories import make_quote, speech_quotes


@pytest.fixture(scope="module")
def fixture():
    """The episode, one quote per measured sentence (with its line), and the truth."""
    episode = load_episode(SPEECH_EPISODE)
    truth = json.loads((SPEECH / "truth.json").read_text())["sentences"]
    quotes = speech_quotes(episode, truth)
    return episode, quotes, truth


def assert_cut_cleanly(timing, sentence, tolerance):
    assert abs(timing.start - sentence["start"]) <= tolerance
    assert abs(timing.end - sentence["end"]) <= tolerance
    assert timing.previous_end is None or timing.previous_end <= timing.start
    assert timing.next_start is None or timing.next_start >= timing.end
    assert (
        timing.previous_end is None or timing.previous_end >= sentence["previous_end"] - tolerance
    )
    assert timing.next_start is None or timing.next_start <= sentence["next_start"] + tolerance


def test_a_captions_file_times_every_sentence_on_its_spoken_words(fixture):
    episode, quotes, truth = fixture
    warnings = []
    timings = time_quotes(
        episode, quotes, timing_file=SPEECH_CAPTIONS, speech=False, warn=warnings.append
    )
    assert warnings == []
    for quote, sentence in zip(quotes, truth, strict=True):
        timing = timings[quote.id]
        assert timing.source == "captions" and timing.confidence >= 0.8
        assert " ".join(w.text for w in timing.words) == quote.text  # as written
        assert all(a.start <= b.start for a, b in itertools.pairwise(timing.words))
        assert_cut_cleanly(timing, sentence, 0.09)


def test_captions_beside_the_video_are_found_and_word_ends_follow_the_pauses(fixture, tmp_path):
    episode, quotes, truth = fixture
    media = tmp_path / "speech-fixture.mp4"
    shutil.copy(SPEECH_MEDIA, media)
    shutil.copy(SPEECH_CAPTIONS.with_suffix(".vtt"), tmp_path / "speech-fixture.en.vtt")
    timings = time_quotes(episode, quotes[2:4], media=media, speech=False)
    for quote, sentence in zip(quotes[2:4], truth[2:4], strict=True):
        assert timings[quote.id].source == "captions"
        assert_cut_cleanly(timings[quote.id], sentence, 0.05)


def test_a_malformed_captions_file_is_one_warning_and_the_timing_falls_back(fixture, tmp_path):
    episode, quotes, _truth = fixture
    bad = tmp_path / "broken.en.json3"
    bad.write_text('{"events": [{"segs": [')
    warnings = []
    timings = time_quotes(episode, quotes[:1], timing_file=bad, speech=False, warn=warnings.append)
    assert len(warnings) == 1  # the file, once: no repeat per quote
    assert warnings[0].message.startswith(f"{bad}: malformed captions file")
    assert warnings[0].message.endswith("quotes are timed from the transcript instead")
    timing = timings["s0"]
    assert (timing.source, timing.confidence) == ("interpolated", 0.0)
    assert len(timing.words) == len(quotes[0].text.split())


def test_poorly_matching_captions_fall_back_with_a_warning(fixture, tmp_path):
    episode, quotes, _ = fixture
    other = tmp_path / "other.srt"
    other.write_text("1\n00:00:00,000 --> 00:01:10,000\n" + "lorem ipsum dolor sit amet " * 40)
    warnings = []
    timings = time_quotes(
        episode, quotes[:1], timing_file=other, speech=False, warn=warnings.append
    )
    assert [str(w) for w in warnings] == [
        f"speech-fixture: {other}: matches none of the quotes (its words run 0-70 s): "
        "captions of another talk?; quotes are timed from the transcript instead"
    ]
    assert timings["s0"].source == "interpolated"


def test_a_quote_given_only_its_text_is_found_and_timed(fixture):
    episode, _quotes, truth = fixture
    quote = make_quote(truth[6]["text"], id="bare", lines=[], start=None, end=None)
    timing = time_quotes(episode, [quote], timing_file=SPEECH_CAPTIONS, speech=False)["bare"]
    assert_cut_cleanly(timing, truth[6], 0.09)
    timed = apply_timing(quote, timing)
    assert (timed.timing, timed.start) == ("captions", round(timing.start, 3))


def test_select_with_timing_shows_each_quotes_source_and_confidence(invoke):
    result = invoke("select", SPEECH_EPISODE, "--timing", SPEECH_CAPTIONS, "--json", "--top", 3)
    assert result.exit_code == 0
    quotes = json.loads(result.stdout)
    assert len(quotes) == 3
    assert all(q["timing"] == "captions" and q["confidence"] >= 0.8 for q in quotes)


def test_select_with_a_malformed_timing_file_warns_once_and_still_selects(invoke, tmp_path):
    bad = tmp_path / "bad.en.vtt"
    bad.write_text("WEBVTT\n\nnothing timed\n")
    result = invoke("select", SPEECH_EPISODE, "--timing", bad, "--json", "--top", 2)
    assert result.exit_code == 0
    assert result.stderr.count(f"warning: speech-fixture: {bad}: malformed captions file") == 1
    assert result.stderr.count("warning:") == 1
    assert [q["timing"] for q in json.loads(result.stdout)] == ["interpolated"] * 2


def test_overlapping_speech_windows_are_decoded_once():
    assert merge_windows([(5, 9), (0, 4), (3, 6), (20, 30)], 60) == [(0, 9), (20, 30)]
    assert merge_windows([(0, 40), (30, 70)], 60) == [(0, 40), (30, 70)]  # too long to join


@pytest.mark.slow
def test_pocketsphinx_times_a_quote_from_the_audio_around_it(fixture):
    episode, _quotes, truth = fixture
    # the short line "Start small. ..." keeps the decoded window to a few seconds
    quote = make_quote(truth[4]["text"], id="s4", start=33.0, end=37.5, lines=[])
    warnings = []
    recogniser = Recogniser()
    timing = time_quotes(
        episode, [quote], media=SPEECH_MEDIA, recogniser=recogniser, warn=warnings.append
    )["s4"]
    assert warnings == []
    assert timing.source == "speech" and timing.confidence >= 0.5
    assert_cut_cleanly(timing, truth[4], 0.15)
    assert recogniser.audio_seconds < 12  # only the audio around the quote


def test_the_episodes_own_word_times_come_first(fixture):
    """Words the episode's source timed (a word-timed transcript) time its quotes
    as captions do, with no file and no media; an explicit file still wins."""
    from dataclasses import replace

    from clipper.timing.captionfiles import read_captions

    episode, quotes, truth = fixture
    words = read_captions(SPEECH_CAPTIONS).words
    own = replace(episode, words=words, word_ends_estimated=True)
    warnings = []
    timings = time_quotes(own, quotes, speech=False, warn=warnings.append)
    assert warnings == []
    for quote, sentence in zip(quotes, truth, strict=True):
        assert timings[quote.id].source == "captions"
        assert_cut_cleanly(timings[quote.id], sentence, 0.09)
    shifted = replace(
        own, words=tuple(replace(w, start=w.start + 50, end=w.end + 50) for w in words)
    )
    timings = time_quotes(shifted, quotes, timing_file=SPEECH_CAPTIONS, speech=False)
    assert all(
        abs(timings[q.id].start - s["start"]) <= 0.09 for q, s in zip(quotes, truth, strict=True)
    )
    plain = time_quotes(episode, quotes, speech=False, warn=warnings.append)
    assert {t.source for t in plain.values()} == {"interpolated"}
