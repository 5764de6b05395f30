"""Transcript formats: every format's cues, speakers and word times; bad files."""

from __future__ import annotations

import json

import pytest

from clipper.episode.transcripts import read_transcript, transcript_beside
from clipper.errors import ClipperError
from tests.conftest import SPEECH_CAPTIONS


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def cue_tuples(transcript):
    return [(c.speaker, c.text) for c in transcript.cues]


def test_vtt_voices_split_a_cue_where_the_speaker_changes(tmp_path):
    path = write(
        tmp_path,
        "talk.vtt",
        "WEBVTT\n\nNOTE made by hand\n\n1\n00:00:00.000 --> 00:00:04.000\n"
        "<v Hosty McHost>Welcome back. What got you</v>\n\n"
        "00:00:04.000 --> 00:00:08.000\n<v Hosty McHost>started?\n<v.loud Jane Doe>A broken dashboard.\n",
    )
    transcript = read_transcript(path)
    assert cue_tuples(transcript) == [
        ("Hosty McHost", "Welcome back. What got you"),
        ("Hosty McHost", "started?"),
        ("Jane Doe", "A broken dashboard."),
    ]
    second, third = transcript.cues[1:]
    assert second.start == 4.0 and second.end == pytest.approx(third.start) and third.end == 8.0
    assert not transcript.word_level


def test_srt_with_name_prefixes_and_without(tmp_path):
    named = write(
        tmp_path,
        "named.srt",
        "1\n00:00:01,000 --> 00:00:03,000\nJane Doe: We shipped it.\n\n"
        "2\n00:00:03,000 --> 00:00:05,000\nIt worked.\nHosty: Really?\n\n"
        "3\n00:00:05,000 --> 00:00:06,000\nJane Doe: Yes.\nHosty: Wow.\n",
    )
    assert cue_tuples(read_transcript(named)) == [
        ("Jane Doe", "We shipped it."),
        (None, "It worked."),
        ("Hosty", "Really?"),
        ("Jane Doe", "Yes."),
        ("Hosty", "Wow."),
    ]
    plain = write(tmp_path, "plain.srt", "1\n00:00:01,000 --> 00:00:03,000\nNote: this is text.\n")
    # One "Note:" in the middle of a file is not a speaker, but the first line's label is.
    assert read_transcript(plain).cues[0].speaker == "Note"
    once = write(
        tmp_path,
        "once.srt",
        "1\n00:00:01,000 --> 00:00:03,000\nWe start.\n\n"
        "2\n00:00:03,000 --> 00:00:04,000\nRule: ship small.\n",
    )
    assert cue_tuples(read_transcript(once)) == [(None, "We start."), (None, "Rule: ship small.")]


def test_podcasting_json_of_phrases_and_of_single_words(tmp_path):
    phrases = {
        "version": "1.0.0",
        "segments": [
            {"speaker": "Jane", "startTime": 0.5, "endTime": 2.0, "body": "Ship small."},
            {"speaker": "Hosty", "startTime": 2.0, "endTime": 3.0, "body": "Why?"},
        ],
    }
    transcript = read_transcript(write(tmp_path, "t.json", json.dumps(phrases)))
    assert cue_tuples(transcript) == [("Jane", "Ship small."), ("Hosty", "Why?")]
    assert not transcript.word_level and transcript.format == "podcast-json"
    words = {
        "segments": [
            {"speaker": "Jane", "startTime": 0.5 + i / 2, "endTime": 0.9 + i / 2, "body": w}
            for i, w in enumerate(["Ship", "small", "things", "often."])
        ]
    }
    transcript = read_transcript(write(tmp_path, "w.json", json.dumps(words)))
    assert transcript.word_level
    assert [(w.text, w.start) for w in transcript.words][:2] == [("Ship", 0.5), ("small", 1.0)]


def test_whisperx_speakers_inside_a_segment_make_two_cues_with_word_times(tmp_path):
    data = {
        "segments": [
            {
                "start": 0.0,
                "end": 3.0,
                "text": " Really? Yes, really.",
                "speaker": "SPEAKER_00",
                "words": [
                    {"word": "Really?", "start": 0.0, "end": 0.6, "speaker": "SPEAKER_00"},
                    {"word": "Yes,", "start": 1.0, "end": 1.4, "speaker": "SPEAKER_01"},
                    {"word": "really.", "start": 1.5, "end": 2.0, "speaker": "SPEAKER_01"},
                ],
            }
        ]
    }
    transcript = read_transcript(write(tmp_path, "x.json", json.dumps(data)))
    assert cue_tuples(transcript) == [("SPEAKER_00", "Really?"), ("SPEAKER_01", "Yes, really.")]
    assert transcript.word_level and transcript.exact_ends
    assert [(w.start, w.end) for w in transcript.cues[1].words] == [(1.0, 1.4), (1.5, 2.0)]


def test_youtube_json3_words_belong_to_their_events():
    transcript = read_transcript(SPEECH_CAPTIONS)
    assert transcript.word_level and not transcript.exact_ends
    assert all(cue.speaker is None and cue.words for cue in transcript.cues)
    assert transcript.cues[0].text.startswith("welcome back")


@pytest.mark.parametrize(
    "text",
    [
        # Otter
        "Hosty McHost  0:03\nWelcome back.\n\nJane Doe  0:10\nThanks for having me.\nIt is great.\n",
        # Riverside
        "Hosty McHost (00:03):\nWelcome back.\n\nJane Doe (00:10):\nThanks for having me. It is great.\n",
        # Descript / Zoom
        "[00:00:03] Hosty McHost: Welcome back.\n[00:00:10] Jane Doe: Thanks for having me.\n"
        "It is great.\n",
        # Zoom's own text export
        "[Hosty McHost] 00:00:03\nWelcome back.\n\n[Jane Doe] 00:00:10\nThanks for having me. It is great.\n",
    ],
    ids=["otter", "riverside", "descript", "zoom"],
)
def test_plain_text_exports_with_names_and_times(tmp_path, text):
    transcript = read_transcript(write(tmp_path, "t.txt", text))
    speakers = [(c.speaker, c.start) for c in transcript.cues]
    assert speakers == [("Hosty McHost", 3.0), ("Jane Doe", 10.0)]
    assert " ".join(transcript.cues[1].text.split()) == "Thanks for having me. It is great."
    assert transcript.cues[0].end == 10.0 and transcript.cues[1].end is None


def test_plain_text_without_times(tmp_path):
    text = "Hosty: Welcome back.\n\nJane: Thanks.\nMore words here.\n\nHosty: Great.\nJane: Yes."
    transcript = read_transcript(write(tmp_path, "t.txt", text))
    assert [(c.speaker, c.text) for c in transcript.cues] == [
        ("Hosty", "Welcome back."),
        ("Jane", "Thanks. More words here."),
        ("Hosty", "Great."),
        ("Jane", "Yes."),
    ]
    assert all(cue.start is None for cue in transcript.cues)
    assert transcript.words == ()  # nothing is timed


def test_plain_text_with_bare_times_and_bracketed_ones(tmp_path):
    text = "0:05\nJane: We met at\n10:30 is late for us.\n\n[0:20] Jane: Ship small.\n(0:31) Then measure.\nJane: Yes."
    transcript = read_transcript(write(tmp_path, "t.txt", text))
    assert [(c.start, c.speaker, c.text) for c in transcript.cues] == [
        (5.0, "Jane", "We met at 10:30 is late for us."),
        (20.0, "Jane", "Ship small."),
        (31.0, None, "Then measure."),
        (None, "Jane", "Yes."),
    ]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("t.vtt", "", "malformed transcript (empty file)"),
        ("t.txt", "\n\n  \n", "malformed transcript (empty file)"),
        ("t.vtt", "WEBVTT\n\nno cue here\n", "malformed transcript (no cues)"),
        ("t.json", '{"segments": []}', "malformed transcript (no words in it)"),
        ("t.pdf", "%PDF-1.4 something", "malformed transcript (unknown transcript format .pdf)"),
        ("t.vtt", b"WEBVTT\x00\x00\x01\x02", "malformed transcript (binary file, not text)"),
        ("t.srt", b"caf\xe9 --> ", "malformed transcript (not UTF-8 text, byte 3)"),
        ("t.json", "[1, 2]", "malformed transcript (not a JSON object)"),
    ],
)
def test_a_bad_transcript_is_one_line_naming_it(tmp_path, name, content, problem):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(ClipperError) as caught:
        read_transcript(path)
    assert str(caught.value) == f"{path}: {problem}"


def test_missing_transcript_names_the_file(tmp_path):
    with pytest.raises(ClipperError, match=r"t\.vtt: cannot read transcript"):
        read_transcript(tmp_path / "t.vtt")


def test_a_transcript_is_found_beside_the_media(tmp_path):
    media = tmp_path / "talk.mp3"
    media.write_bytes(b"")
    assert transcript_beside(media) is None
    write(tmp_path, "talk.txt", "Jane: hi")
    assert transcript_beside(media) == tmp_path / "talk.txt"
    write(tmp_path, "talk.de.srt", "")
    assert transcript_beside(media) == tmp_path / "talk.de.srt"
    write(tmp_path, "talk.en.vtt", "")
    assert transcript_beside(media) == tmp_path / "talk.en.vtt"
