"""Tight cuts on the speech fixture (festival speech with true word times):
long pauses inside a quote are shortened and, with cut_fillers, the words the
edited transcript leaves out are cut; the clip keeps every word of the quote,
its captions stay on the words, and quotes.yaml records the cuts."""

from __future__ import annotations

import json

import numpy as np
import pytest

from clipper.episode import load_episode
from clipper.render.clips import render_clips
from clipper.render.cutlist import Tightening
from clipper.render.spoken import time_for_clips
from clipper.select.quote import dump_quotes, load_quotes
from tests.conftest import SPEECH, SPEECH_CAPTIONS, SPEECH_EPISODE, SPEECH_MEDIA
from tests.factories import make_quote
from tests.subtitles import parse_vtt, vtt_word_times
from tests.videos import decode_audio

pytestmark = pytest.mark.slow

RATE = 8000
# seconds of a filler a clip may keep: the cuts follow the captions' word times,
# up to 20 ms off at either end of a word said without a pause
FILLER_KEPT = 0.04
WORD_KEPT = 0.8  # share of each quote word's true duration a clip must keep
CAPTION_ERROR = 0.1  # seconds between a caption's word time and the word
TRUTH = json.loads((SPEECH / "truth.json").read_text())
# test sentences with fillers, timed from the captions (not "But it was worth it.", which
# the captions time poorly), and the quote with a long pause and a "like"
PICKED = [0, 1, 4, 5, 7, 8, 9]


def quotes_to_cut() -> list[dict]:
    return [TRUTH["sentences"][n] for n in PICKED] + [TRUTH["edits"]]


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    """The picked quotes timed from the captions, tightened with fillers cut,
    and cut as 16:9 clips at the source's level."""
    out = tmp_path_factory.mktemp("tight")
    episode = load_episode(SPEECH_EPISODE)
    picked = [
        make_quote(t["text"], id=f"t{n}", lines=lines_of(episode, t["text"]), start=None, end=None)
        for n, t in enumerate(quotes_to_cut())
    ]
    quotes, timings = time_for_clips(
        episode,
        picked,
        media=SPEECH_MEDIA,
        timing_file=SPEECH_CAPTIONS,
        tightening=Tightening(cut_fillers=True),
    )
    results = render_clips(
        episode, quotes, out, video=SPEECH_MEDIA, shapes=("16:9",), timings=timings, loudness=None
    )
    assert [r.error for r in results] == [None] * len(results)
    return quotes, results


def inner_cuts(quote, result) -> list[tuple[float, float]]:
    """The quote's cuts inside its clip (one reaching an end moved that end)."""
    return [(a, b) for a, b in quote.cuts if result.start < a and b < result.end]


def lines_of(episode, text: str) -> list[int]:
    """The transcript lines holding the sentences of ``text``."""
    sentences = [s if s.endswith(".") else f"{s}." for s in text.split(". ")]
    return [line.index for line in episode.lines if any(s in line.text for s in sentences)]


def kept_spans(quote, result) -> list[tuple[float, float]]:
    """The source stretches the clip plays: its span less the cuts inside."""
    edges = [result.start, *(t for cut in inner_cuts(quote, result) for t in cut), result.end]
    return [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]


def clip_time(quote, result, t: float) -> float:
    """Where source second ``t`` is heard in the clip."""
    gone = sum(min(b, t) - a for a, b in inner_cuts(quote, result) if a < t)
    return t - result.start - gone


def overlap(span: tuple[float, float], spans: list[tuple[float, float]]) -> float:
    return sum(max(0.0, min(span[1], b) - max(span[0], a)) for a, b in spans)


def spoken_words(truth: dict) -> list[dict]:
    """The truth's words from just before the quote to just after it."""
    return [w for w in TRUTH["words"] if truth["start"] - 0.5 < w["start"] < truth["end"]]


def test_the_clips_play_exactly_the_kept_stretches_of_the_source(clips):
    quotes, results = clips
    source = decode_audio(SPEECH_MEDIA, RATE)
    for quote, result in zip(quotes, results, strict=True):
        sound = decode_audio(result.video, RATE)
        assert len(sound) / RATE == pytest.approx(result.duration, abs=0.03)
        for a, b in kept_spans(quote, result):
            if b - a < 0.1:
                continue
            inside = (a + 0.02, b - 0.02)  # clear of the crossfades and fades
            at = clip_time(quote, result, inside[0])
            ours = sound[round(at * RATE) : round((at + inside[1] - inside[0]) * RATE)]
            theirs = source[round(inside[0] * RATE) : round(inside[0] * RATE) + len(ours)]
            if np.abs(theirs).max() < 0.01:
                continue  # silence matches anything
            similarity = np.dot(ours, theirs) / (np.linalg.norm(ours) * np.linalg.norm(theirs))
            assert similarity > 0.9, (quote.id, a, b, similarity)


def test_no_filler_is_heard_and_every_word_of_the_quote_is(clips):
    quotes, results = clips
    for quote, result, truth in zip(quotes, results, quotes_to_cut(), strict=True):
        assert quote.cuts, quote.id
        kept = kept_spans(quote, result)
        words = spoken_words(truth)
        twins = _repeats(words)
        for i, word in enumerate(words):
            span = (word["start"], word["end"])
            heard = overlap(span, kept)
            if i in twins:  # a repeated word: either time it is said may go, one must stay
                other = words[twins[i]]
                twin = (other["start"], other["end"])
                kept_share = max(
                    heard / (span[1] - span[0]), overlap(twin, kept) / (twin[1] - twin[0])
                )
                assert min(heard, overlap(twin, kept)) <= FILLER_KEPT, (quote.id, word)
                assert kept_share >= WORD_KEPT, (quote.id, word)
            elif word.get("filler"):
                assert heard <= FILLER_KEPT, (quote.id, word, heard)
            elif truth["start"] <= word["start"] < truth["end"]:
                assert heard >= WORD_KEPT * (span[1] - span[0]), (quote.id, word)


def _repeats(words: list[dict]) -> dict[int, int]:
    """Words said twice in a row ("to, to", "so many, so many"): each index
    of such a pair mapped to the other's; the second time is the filler."""
    pairs: dict[int, int] = {}
    i = 0
    while i < len(words):
        run = i
        while run < len(words) and words[run].get("filler"):
            run += 1
        size = run - i
        before = [w["text"].lower() for w in words[max(0, i - size) : i]]
        if size and before == [w["text"].lower() for w in words[i:run]]:
            for k in range(size):
                pairs[i - size + k], pairs[i + k] = i + k, i - size + k
        i = max(run, i + 1)
    return pairs


def test_a_long_pause_inside_a_quote_is_shortened(clips):
    quotes, results = clips
    quote, result, truth = quotes[-1], results[-1], TRUTH["edits"]
    ((before, after),) = truth["pauses"]
    assert after - before > 1.5
    shortened = clip_time(quote, result, after) - clip_time(quote, result, before)
    assert shortened == pytest.approx(0.3, abs=0.06)
    sound = decode_audio(result.video, RATE)
    level = np.abs(sound[: len(sound) // 80 * 80]).reshape(-1, 80).max(axis=1)  # 10 ms
    loud = np.flatnonzero(level > 0.1 * level.max())
    assert np.diff(loud).max() * 0.01 < 0.8  # no silence above the threshold is left


def test_captions_stay_on_the_spoken_words(clips):
    quotes, results = clips
    for quote, result, truth in zip(quotes, results, quotes_to_cut(), strict=True):
        words = [
            w
            for w in spoken_words(truth)
            if not w.get("filler") and truth["start"] <= w["start"] < truth["end"]
        ]
        tokens = quote.text.split()
        if len(words) != len(tokens):
            continue  # "did not" for "didn't": no word-for-word pairing
        vtt = result.vtt.read_text(encoding="utf-8")
        shown = []
        for (start, _, lines), inline in zip(parse_vtt(vtt), vtt_word_times(vtt), strict=True):
            count = len(" ".join(lines).split())  # the first word is timed inline or by the cue
            shown += inline if len(inline) == count else [start, *inline]
        assert len(shown) == len(tokens)
        for time, word in zip(shown, words, strict=True):
            expected = clip_time(quote, result, word["start"])
            assert abs(time - expected) <= CAPTION_ERROR, (quote.id, word, time, expected)
        srt_start = result.srt.read_text(encoding="utf-8").split("\n")[1].split(" --> ")[0]
        assert srt_start.replace(",", ".") == vtt.split("\n")[2].split(" --> ")[0]


def test_quotes_yaml_keeps_the_cuts_for_an_identical_rerun(clips, tmp_path):
    quotes, _ = clips
    path = tmp_path / "quotes.yaml"
    path.write_text(dump_quotes(quotes), encoding="utf-8")
    again = load_quotes(path)
    assert [q.cuts for q in again] == [q.cuts for q in quotes]
    episode = load_episode(SPEECH_EPISODE)
    rerun, _ = time_for_clips(
        episode,
        again,
        media=SPEECH_MEDIA,
        timing_file=SPEECH_CAPTIONS,
        keep_written=True,
        tightening=Tightening(max_pause=None),  # other settings do not move written cuts
    )
    assert [q.cuts for q in rerun] == [q.cuts for q in quotes]
