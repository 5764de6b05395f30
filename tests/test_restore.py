"""Sentence restoration: a lower-case stream of words gets sentences and capitals."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from dataclasses import replace

import numpy as np

from clipper.episode import restore as restore_module
from clipper.episode.load import Episode, load_episode
from clipper.episode.restore import (
    COMMA,
    NONE,
    PERIOD,
    QUESTION,
    caption_word,
    edited_out,
    edited_words,
    punctuated_words,
    restore,
    split_turns,
)
from clipper.episode.restore_training import episode_stream
from clipper.select.candidates import SURE_EDGE, candidate_spans, speaker_turns, whole_chance
from clipper.select.selector import EDGE_DOUBT, SelectOptions, score_all, select_quotes
from tests.conftest import PROJECT

STREAM = (
    "so tell me a bit about your background how did you get into data engineering "
    "well i studied physics at university and after my phd i joined a startup in berlin "
    "where we built everything on aws and sql there was no data team so i became the data team "
    "what would you recommend to someone who wants to start today "
    "i would say learn sql first because every company uses it and then pick one cloud"
)


def test_a_lower_case_stream_gets_sentences_and_capitals():
    restored = restore(STREAM.split())
    sentences = restored.sentences()
    assert len(sentences) >= 4
    for sentence in sentences:
        first, last = restored.words[sentence.start], restored.words[sentence.stop - 1]
        assert first[0].isupper(), first
        assert last[-1] in ".?", last
    assert "I" in {w.strip(",.?") for w in restored.words}
    assert {"SQL", "AWS"} <= {w.strip(",.?") for w in restored.words}
    assert restored.text.endswith(".")


def test_questions_get_question_marks():
    restored = restore(STREAM.split())
    questions = [
        restored.words[s.stop - 1]
        for s in restored.sentences()
        if restored.marks[s.stop - 1] == QUESTION
    ]
    assert "engineering?" in questions
    assert "today?" in questions


def test_names_known_to_the_episode_are_capitalised():
    words = [
        "thank",
        "you",
        "for",
        "having",
        "me",
        "zoltan",
        "it",
        "is",
        "great",
        "to",
        "be",
        "here",
        "with",
        "you",
        "and",
        "alexey",
    ]
    restored = restore(words, names=["Zoltan Szabo", "Alexey Grigorev"])
    assert "Zoltan" in restored.text
    assert "Alexey." in restored.text
    assert "zoltan" not in restored.text


def test_a_speaker_change_always_ends_a_sentence_and_a_turn():
    words = [
        "i",
        "think",
        "that",
        "is",
        "the",
        "main",
        "point",
        "and",
        "we",
        "should",
        "move",
        "on",
    ]
    restored = restore(words, turn_ends=[5])
    assert restored.marks[5] in (PERIOD, QUESTION)
    assert restored.end_confidence[5] == 1.0
    assert restored.words[6][0].isupper()
    assert split_turns(restored, turn_ends=[5])[0] == range(0, 6)


def test_a_long_pause_ends_a_turn_and_short_ones_do_not():
    words = [
        "we",
        "used",
        "spark",
        "for",
        "everything",
        "it",
        "was",
        "slow",
        "we",
        "moved",
        "to",
        "duckdb",
        "later",
    ]
    pauses = [0.1] * len(words)
    pauses[5] = 3.0
    restored = restore(words, pauses=pauses)
    assert split_turns(restored, pauses=pauses)[0] == range(0, 6)
    assert split_turns(restore(words), pauses=[0.1] * len(words))[0].start == 0


def test_a_question_then_its_answer_are_two_turns():
    restored = restore(STREAM.split())
    turns = split_turns(restored)
    assert len(turns) >= 2
    first_turn_end = restored.words[turns[0].stop - 1]
    assert first_turn_end.endswith("?")


def test_where_no_speaker_is_marked_a_sentence_end_the_restorer_reads_as_one_starts_a_turn():
    items = punctuated_words("We moved to DuckDB. It was faster. Great, and did the team like it?")
    words = [form for _, _, form in items]
    marks = [mark for _, mark, _ in items]
    chance = [0.0] * len(words)
    chance[words.index("to")] = 0.9  # likely, but inside a sentence: no turn there
    chance[words.index("faster")] = 0.8
    restored = restore_module.Restored(
        tuple(words), tuple(marks), (0.5,) * len(words), (True,) * len(words), tuple(chance)
    )
    after_faster = words.index("faster") + 1
    assert [turn.start for turn in split_turns(restored)] == [0, after_faster]
    assert [turn.start for turn in split_turns(restored, turn_ends=[3])] == [0, 4]


def test_empty_input_restores_to_nothing():
    assert restore([]).words == ()


def test_training_targets_read_the_editors_marks():
    targets = punctuated_words("Well, I joined AWS – in 2019. Why? Because e.g. SQL… “Great!”")
    assert [(w, m) for w, m, _ in targets] == [
        ("well", COMMA),
        ("i", NONE),
        ("joined", NONE),
        ("aws", COMMA),
        ("in", NONE),
        ("2019", PERIOD),
        ("why", QUESTION),
        ("because", NONE),
        ("e.g", NONE),
        ("sql", PERIOD),
        ("great", PERIOD),
    ]
    assert targets[3][2] == "AWS"
    assert caption_word("Don’t,") == "don't"


def test_training_streams_know_where_the_speaker_changes(example_episode):
    lines = load_episode(example_episode).lines
    changes = [i for i in range(len(lines) - 1) if lines[i].speaker_id != lines[i + 1].speaker_id]
    stream = episode_stream(example_episode)
    assert len(stream.turn_ends) == len(changes) > 0
    words_to_first_change = sum(
        len(punctuated_words(line.text)) for line in lines[: changes[0] + 1]
    )
    assert stream.turn_ends[0] == words_to_first_change - 1


def test_decision_thresholds_move_the_marks_and_not_the_confidences(monkeypatch):
    words = STREAM.split()
    before = restore(words)
    model = restore_module._load_model()
    eager = replace(model, bias=np.add(model.bias, [0.0, 0.0, 4.0, 0.0]))
    monkeypatch.setattr(restore_module, "_load_model", lambda: eager)
    after = restore(words)
    assert len(after.sentences()) > len(before.sentences())
    assert after.end_confidence[:-1] == before.end_confidence[:-1]


def test_restoration_is_the_same_under_any_hash_seed():
    script = (
        "import json, sys; from clipper.episode.restore import restore; "
        "r = restore(sys.argv[1].split(), names=['Zoltan Szabo']); "
        "print(json.dumps([r.words, r.end_confidence]))"
    )
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script, STREAM + " zoltan"],
            capture_output=True, text=True, check=True, env=env, cwd=PROJECT,
        )  # fmt: skip
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop())[0][-1] == "Zoltan."


def test_spans_of_restored_speech_with_doubtful_edges_rank_lower(example_episode):
    episode = load_episode(example_episode)

    def scores(confidence: float) -> list[float]:
        lines = [
            replace(line, end_confidence=(confidence,) * len(line.text.split()))
            for line in episode.lines
        ]
        return [s.score for s in score_all(replace(episode, lines=lines)) if s.values]

    plain = [s.score for s in score_all(episode) if s.values]
    assert plain and scores(1.0) == plain
    # Both edges sure by half: a span loses EDGE_DOUBT * -log(1/4), half of it
    # when it opens its speaker's turn (no doubt that something starts there).
    losses = {round(p - d, 2) for p, d in zip(plain, scores(0.5), strict=True)}
    assert losses == {round(EDGE_DOUBT * math.log(2), 2), round(EDGE_DOUBT * math.log(4), 2)}


def test_fillers_do_not_move_the_sentences():
    plain = restore(STREAM.split())
    spoken = STREAM.replace(" i studied", " um i studied").replace(" what would", " uh what would")
    restored = restore(spoken.split())
    kept = [
        (word.lower(), mark)
        for word, mark in zip(restored.words, restored.marks, strict=True)
        if word.strip(",.?").lower() not in ("um", "uh")
    ]
    assert kept == [
        (word.lower(), mark) for word, mark in zip(plain.words, plain.marks, strict=True)
    ]
    assert "uh What would" in restored.text  # the capital goes on the first word shown


def test_fillers_and_stutters_are_not_shown_and_a_sentence_end_on_one_moves_back():
    words = ["um", "so", "i", "think", "the", "the", "main", "thing", "is", "i", "i", "think", "uh"]
    restored = restore(words)
    assert [w for w, shown in zip(words, restored.shown, strict=True) if not shown] == [
        "um",
        "the",
        "i",
        "uh",
    ]
    printed, sure = edited_words(restored.words, restored.shown, restored.end_confidence)
    assert printed[0] == "So" and printed[-1] == "think."  # the turn's end was after "uh"
    assert sure[-1] == 1.0 and len(sure) == len(printed)
    assert all(restore(["i", "know", "that", "that", "works"]).shown)
    across = "we tried it it was too slow so we dropped it"
    restored_across = restore(across.split(), turn_ends=[2])
    assert restored_across.text.startswith("We tried it. It was")
    assert all(restored_across.shown)  # a sentence end between them: no stutter


def test_a_comma_inside_a_stutter_keeps_it_a_stutter_only_where_no_clause_can_end():
    def left_out(text: str) -> list[str]:
        words = [w.strip(",.") for w in text.split()]
        marks = [COMMA if w[-1] == "," else PERIOD if w[-1] == "." else NONE for w in text.split()]
        return [w for w, out in zip(words, edited_out(words, marks), strict=True) if out]

    assert left_out("then i, i think so.") == ["i"]
    assert left_out("we saw the, the main thing.") == ["the"]
    assert left_out("if you do it, it works.") == []
    assert left_out("it was very, very slow.") == []


def test_restored_spans_are_picked_only_between_likely_sentence_ends(example_episode):
    episode = load_episode(example_episode)

    def restored(confidence: float) -> Episode:
        lines = [
            replace(line, end_confidence=(confidence,) * len(line.text.split()))
            for line in episode.lines
        ]
        return replace(episode, lines=lines)

    assert len(select_quotes(restored(math.sqrt(SURE_EDGE) + 0.01), SelectOptions(top=5))) == 5
    # A turn opens as surely as the line before it ended (only the first for sure).
    openings = [turn.end_confidence(-1) for turn in speaker_turns(restored(0.6))]
    assert openings[0] == 1.0 and set(openings[1:]) == {0.6}
    doubtful = restored(SURE_EDGE - 0.01)
    assert select_quotes(doubtful, SelectOptions(top=5)) == []  # no span sure enough to be whole
    # A line the user names is still picked.
    line = select_quotes(episode, SelectOptions(top=1))[0].lines[0]
    assert select_quotes(doubtful, SelectOptions(top=1, lines=[line]))[0].lines == [line]


def test_a_restored_span_is_as_likely_whole_as_both_its_edges_are_real(example_episode):
    episode = load_episode(example_episode)
    assert {whole_chance(span) for span in candidate_spans(speaker_turns(episode))} == {1.0}
    lines = [
        replace(line, end_confidence=(0.9,) * len(line.text.split())) for line in episode.lines
    ]
    spans = candidate_spans(speaker_turns(replace(episode, lines=lines)))
    # Both edges sure by 0.9; the episode's first span has nothing before it.
    assert {round(whole_chance(span), 6) for span in spans} == {0.81, 0.9}
    assert round(whole_chance(spans[0]), 6) == 0.9
