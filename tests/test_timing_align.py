"""Aligning edited transcript text to the words as spoken."""

from __future__ import annotations

import pytest

from clipper.timing.align import align, normalise
from clipper.timing.model import Word


def spoken(text: str, start: float = 10.0, step: float = 0.4) -> list[Word]:
    """Words 0.4 s apart, each lasting 0.3 s."""
    return [Word(w, start + i * step, start + i * step + 0.3) for i, w in enumerate(text.split())]


def starts(alignment) -> dict[str, float]:
    return {w.text: round(w.start, 2) for w in alignment.words}


@pytest.mark.parametrize(
    ("written", "tokens"),
    [
        ("didn't", ["did", "not"]),
        ("It’s", ["it", "is"]),
        ("85%", ["eighty", "five", "percent"]),
        ("2019", ["twenty", "nineteen"]),
        ("$1,200", ["one", "thousand", "two", "hundred", "dollars"]),
        ("3rd", ["third"]),
        ("1990s", ["nineteen", "nineties"]),
        ("2,500", ["two", "thousand", "five", "hundred"]),
        ("end-to-end.", ["end", "to", "end"]),
        ("didn't(2)", ["did", "not"]),  # pocketsphinx marks alternate pronunciations
    ],
)
def test_normalise(written, tokens):
    assert normalise(written) == tokens


def test_fillers_and_neighbours_around_the_quote_are_left_out():
    words = spoken("and that was it um so I did not plan any of this okay next")
    found = align("So I didn't plan any of this.", words)
    assert [w.text for w in found.words] == ["So", "I", "didn't", "plan", "any", "of", "this."]
    assert found.words[0].start == words[5].start  # "so", not "um"
    assert found.words[-1].end == words[12].end
    assert (found.first, found.last) == (5, 12)
    assert found.confidence == 1.0


def test_fillers_and_repeats_inside_the_quote_cost_little():
    words = spoken("I I hated the uh the spreadsheets")
    found = align("I hated the spreadsheets.", words)
    assert found.confidence >= 0.8
    assert starts(found)["hated"] == 10.8 and found.words[-1].end == words[-1].end


def test_numbers_written_as_digits_match_spoken_words():
    words = spoken("it took eighty five percent of my time")
    found = align("It took 85% of my time.", words)
    assert found.confidence == 1.0
    assert found.words[2].start == words[2].start and found.words[2].end == words[4].end


def test_misrecognised_words_still_get_the_spoken_time():
    words = spoken("questions in the slab channel in my first weak")
    found = align("questions in the Slack channel in my first week.", words)
    assert starts(found)["Slack"] == round(words[3].start, 2)
    assert found.words[-1].end == words[-1].end
    assert 0.7 <= found.confidence < 1.0


def test_a_word_nobody_said_is_placed_between_its_neighbours():
    words = spoken("pick one you care about")
    found = align("Pick one dataset you care about.", words)
    dataset = found.words[2]
    assert words[1].end <= dataset.start < dataset.end <= words[2].start


def test_unrelated_speech_has_low_confidence():
    found = align(
        "Then a friend showed me a free course on data engineering.",
        spoken("the weather was cold and we stayed inside all week long"),
    )
    assert found.confidence < 0.5


def test_nothing_to_align():
    assert align("", spoken("hello")) is None
    assert align("hello", []) is None


def test_a_quote_is_found_in_a_whole_episode_of_words():
    filler = "and the data we it was so that is the thing I think " * 150
    quote = "Clear names and tests beat clever joins every single time."
    words = spoken(
        filler + "honestly clear names and tests beat clever joins every single time " + filler
    )
    found = align(quote, words)
    assert found.confidence == 1.0
    assert [w.text for w in words[found.first : found.last + 1]][:2] == ["clear", "names"]
