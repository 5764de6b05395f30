"""Captions files: every format's words and times, discovery beside the media, bad files."""

from __future__ import annotations

import json
import shutil

import pytest

from clipper.episode.transcripts import captions_beside
from clipper.errors import ClipperError
from clipper.timing.captionfiles import read_captions
from tests.conftest import SPEECH, SPEECH_CAPTIONS


def truth_words() -> list[dict]:
    return json.loads((SPEECH / "truth.json").read_text())["words"]


@pytest.mark.parametrize("suffix", [".json3", ".vtt"])
def test_youtube_captions_give_every_word_its_start(suffix):
    captions = read_captions(SPEECH_CAPTIONS.with_suffix(suffix))
    truth = truth_words()
    assert captions.word_level and not captions.exact_ends
    assert len(captions.words) == len(truth)  # the VTT's repeated lines are not read twice
    assert captions.words[0].text == "welcome"
    for word, true in zip(captions.words, truth, strict=True):
        assert abs(word.start - true["start"]) <= 0.021
        assert word.start <= word.end


def test_srv3_words_are_offsets_into_their_paragraph(tmp_path):
    path = tmp_path / "talk.en.srv3"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8" ?><timedtext format="3"><body>'
        '<p t="1000" d="2000" w="1"><s ac="0">hello</s><s t="400" ac="0"> there</s></p>'
        '<p t="3000" d="1000" w="1"><s>again</s></p>'
        '<p t="4000" d="1000" w="1" a="1">\n</p>'
        '<p t="5000" d="1000">not word timed</p></body></timedtext>'
    )
    words = read_captions(path).words
    assert [(w.text, round(w.start, 2)) for w in words] == [
        ("hello", 1.0),
        ("there", 1.4),
        ("again", 3.0),
        ("not", 5.0),
        ("word", 5.27),
        ("timed", 5.6),
    ]
    assert words[0].end <= 1.4


def test_whisper_json_keeps_word_ends_and_places_untimed_numbers(tmp_path):
    path = tmp_path / "talk.json"
    words = [
        {"word": " It", "start": 0.5, "end": 0.6},
        {"word": " took", "start": 0.6, "end": 0.9},
        {"word": " 85%"},  # WhisperX gives numbers no time
        {"word": " longer.", "start": 1.8, "end": 2.3},
    ]
    path.write_text(
        json.dumps({"segments": [{"start": 0.5, "end": 2.3, "text": "", "words": words}]})
    )
    captions = read_captions(path)
    assert captions.exact_ends
    assert [w.text for w in captions.words] == ["It", "took", "85%", "longer."]
    assert captions.words[2].start == pytest.approx(0.9)
    assert captions.words[3].end == 2.3


def test_plain_srt_is_spread_over_each_cue(tmp_path):
    path = tmp_path / "talk.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nhello big world\n\n"
        "2\n00:00:04,000 --> 00:00:05,000\n<i>bye</i>\n"
    )
    captions = read_captions(path)
    assert not captions.word_level
    assert [w.text for w in captions.words] == ["hello", "big", "world", "bye"]
    assert captions.words[0].start == 1.0 and captions.words[2].end == pytest.approx(3.0)
    assert (captions.words[3].start, captions.words[3].end) == (4.0, 5.0)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bad.en.json3", '{"events": [{"tStartMs": "soon", "segs": [{"utf8": "hi"}]}]}'),
        ("bad.en.json3", "{not json"),
        ("bad.en.vtt", "WEBVTT\n\nno cues here\n"),
        ("bad.en.srv3", "<timedtext><body><p t='1'>unclosed"),
        ("bad.json", '{"segments": "nope"}'),
        ("bad.en.json3", '{"events": []}'),
    ],
)
def test_a_malformed_file_is_one_line_naming_it(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ClipperError) as caught:
        read_captions(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: malformed captions file") and "\n" not in message


def test_captions_are_found_beside_the_media_by_its_stem_or_the_slug(tmp_path):
    media = tmp_path / "abcdefghijk.mp4"
    media.write_bytes(b"")
    assert captions_beside(media) is None
    shutil.copy(SPEECH_CAPTIONS, tmp_path / "my-episode.de.vtt")
    assert captions_beside(media, ("my-episode",)) == tmp_path / "my-episode.de.vtt"
    shutil.copy(SPEECH_CAPTIONS, tmp_path / "abcdefghijk.en.json3")
    assert captions_beside(media, ("my-episode",)) == tmp_path / "abcdefghijk.en.json3"
    (tmp_path / "abcdefghijk.json").write_text("{}")  # the download record is no captions file
    assert captions_beside(media) == tmp_path / "abcdefghijk.en.json3"


def test_json3_events_without_word_offsets_are_spread_over_the_event(tmp_path):
    path = tmp_path / "uploaded.en.json3"
    events = [
        {"tStartMs": 0, "dDurationMs": 916040, "id": 1},  # the window definition
        {"tStartMs": 1000, "dDurationMs": 2000, "segs": [{"utf8": "one two three four"}]},
        {"tStartMs": 3000, "dDurationMs": 1000, "aAppend": 1, "segs": [{"utf8": "\n"}]},
        {"tStartMs": 4000, "dDurationMs": 1000, "segs": [{"utf8": "five"}, {"utf8": " six"}]},
    ]
    path.write_text(json.dumps({"events": events}))
    captions = read_captions(path)
    assert not captions.word_level
    starts = [round(w.start, 2) for w in captions.words]
    assert starts == [1.0, 1.42, 1.84, 2.47, 4.0, 4.56]  # by length (with a space)


def test_youtube_vtt_lines_with_untimed_word_tags_still_count(tmp_path):
    path = tmp_path / "rolling.en.vtt"
    path.write_text(
        "WEBVTT\nKind: captions\n\n"
        "00:00:00.160 --> 00:00:02.270 align:start position:0%\n \n"
        "the<00:00:00.400><c> first</c><00:00:00.800><c> line</c>\n\n"
        "00:00:02.270 --> 00:00:02.280 align:start position:0%\nthe first line\n \n\n"
        "00:00:02.280 --> 00:00:05.000 align:start position:0%\nthe first line\n"
        "and<c> the</c><c> second</c>\n"
    )
    words = read_captions(path).words
    assert [w.text for w in words] == ["the", "first", "line", "and", "the", "second"]
    assert [w.start for w in words[:4]] == [0.16, 0.4, 0.8, 2.28]
    assert 2.28 < words[4].start < words[5].start < 5.0
