"""Hostile media inputs end cleanly: a bad file is one warning naming it and
the fallback used, or one short error naming it, never a traceback.

Media is generated with the bundled ffmpeg from the committed speech fixture
(a 69 s talk with word-timed captions) or from lavfi sources.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from clipper.episode import load_episode
from clipper.errors import ClipperError, Notice
from clipper.media.ffmpeg import ffmpeg_exe, probe
from clipper.render.cards import render_cards
from clipper.select import SelectOptions, select_quotes
from clipper.select.quote import save_quotes
from clipper.timing.quotes import time_quotes
from tests.conftest import EXAMPLE_SITE, SPEECH, SPEECH_CAPTIONS, SPEECH_EPISODE, SPEECH_MEDIA
from tests.factories import make_quote, speech_quotes

VTT = SPEECH_CAPTIONS.with_suffix(".vtt")


@pytest.fixture(scope="module")
def talk():
    """The speech fixture's episode and one quote per measured sentence."""
    episode = load_episode(SPEECH_EPISODE)
    truth = json.loads((SPEECH / "truth.json").read_text())["sentences"]
    quotes = speech_quotes(episode, truth, episode="speech-fixture")
    return episode, quotes


def ffmpeg(*args: str) -> None:
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", *args], check=True)


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> dict[str, Path]:
    """Bad media of every kind, made once from the speech fixture."""
    folder = tmp_path_factory.mktemp("media")
    files = {name: folder / name for name in ("truncated.mp4", "random.mp4", "empty.mp4")}
    data = SPEECH_MEDIA.read_bytes()
    files["truncated.mp4"].write_bytes(data[: len(data) // 3])  # its index is at the start
    damaged = bytearray(data)  # the middle fifth of the bytes zeroed: from about 20 s to 48 s
    low, high = 2 * len(data) // 5, 3 * len(data) // 5
    damaged[low:high] = bytes(high - low)
    files["damaged.mp4"] = folder / "damaged.mp4"
    files["damaged.mp4"].write_bytes(damaged)
    files["random.mp4"].write_bytes(os.urandom(20_000))
    files["empty.mp4"].write_bytes(b"")
    files["folder.mp4"] = folder / "folder.mp4"
    files["folder.mp4"].mkdir()
    files["audio.mp4"] = folder / "audio.mp4"  # sound only, named as a video
    ffmpeg("-i", str(SPEECH_MEDIA), "-vn", "-c:a", "copy", str(files["audio.mp4"]))
    files["mute.mp4"] = folder / "mute.mp4"  # no audio stream
    ffmpeg("-i", str(SPEECH_MEDIA), "-an", "-c:v", "copy", str(files["mute.mp4"]))
    files["silent.wav"] = folder / "silent.wav"  # an audio stream with no sound in it
    length = f"{probe(SPEECH_MEDIA).duration:.2f}"
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", length, str(files["silent.wav"]))
    return files


# ---------------------------------------------------------------- the video or audio file

FATAL = {
    "truncated.mp4": "truncated or corrupt",
    "random.mp4": "not a readable video",
    "empty.mp4": "empty file (0 bytes)",
    "folder.mp4": "a folder, not a media file",
    "audio.mp4": "no video stream",
}


@pytest.mark.parametrize("name", sorted(FATAL))
def test_a_bad_video_is_refused_by_the_probe_naming_it(media, name):
    with pytest.raises(ClipperError) as caught:
        probe(media[name])
    assert str(caught.value).startswith(f"{media[name]}: {FATAL[name]}")


def test_a_whole_video_still_probes(media):
    assert probe(SPEECH_MEDIA).duration > 60
    assert not probe(media["mute.mp4"]).has_audio


@pytest.mark.parametrize("name", sorted(FATAL))
def test_clips_from_a_bad_video_stop_in_one_line_before_any_work(
    invoke, media, name, talk, tmp_path
):
    quotes = tmp_path / "quotes.yaml"
    save_quotes(quotes, talk[1][:1])
    out = tmp_path / "out"
    result = invoke(
        "clips", SPEECH_EPISODE, "--quotes", quotes, "--video", media[name], "--out", out
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {media[name]}: {FATAL[name]}")
    assert not out.exists()  # nothing timed, nothing drawn


def test_damage_inside_a_video_fails_only_the_clip_it_touches_naming_file_and_stretch(
    invoke, media, talk, tmp_path
):
    _, quotes = talk
    inside, after = quotes[5], quotes[9]  # 37.2-41.1 s and 59.3-62.4 s
    assert probe(media["damaged.mp4"]).duration > 60  # whole at both ends: the probe passes
    listed = tmp_path / "quotes.yaml"
    save_quotes(listed, [inside, after])
    out = tmp_path / "out"
    args = ("--quotes", listed, "--video", media["damaged.mp4"], "--shape", "16:9")
    result = invoke("clips", SPEECH_EPISODE, *args, "--out", out)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.output
    assert f"quote {inside.id}: damaged.mp4 (" in errors[0]
    assert errors[0].endswith("the media does not decode there (damaged or corrupt)")
    assert [p.name for p in out.rglob("*.mp4")] == [f"{after.id}-16x9.mp4"]


def test_audiograms_from_a_bad_audio_file_stop_in_one_line(invoke, media, talk, tmp_path):
    quotes = tmp_path / "quotes.yaml"
    save_quotes(quotes, talk[1][:1])
    result = invoke("clips", SPEECH_EPISODE, "--quotes", quotes, "--audio", media["random.mp4"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {media['random.mp4']}: not a readable audio (corrupt or truncated)"
    ]


def test_timing_on_a_truncated_video_fails_before_listening(media, talk):
    episode, quotes = talk
    with pytest.raises(ClipperError, match="truncated or corrupt"):
        time_quotes(episode, quotes[:1], media=media["truncated.mp4"])


def test_silent_audio_is_one_notice_naming_the_file(media, talk):
    episode, quotes = talk
    notices: list[Notice] = []
    timings = time_quotes(episode, quotes[:3], media=media["silent.wav"], warn=notices.append)
    assert notices == [
        Notice(
            f"{media['silent.wav']}: no speech heard (silent?); "
            "quotes are timed from the transcript instead",
            "speech-fixture",
        )
    ]
    assert {t.source for t in timings.values()} == {"interpolated"}


def test_a_video_without_sound_is_timed_from_its_captions_without_a_word(media, talk, tmp_path):
    """The missing track is the renderer's to report (its clips are silent); timing
    uses the captions and says nothing."""
    episode, quotes = talk
    notices: list[Notice] = []
    timings = time_quotes(
        episode, quotes[:2], media=media["mute.mp4"], timing_file=VTT, warn=notices.append
    )
    assert notices == []
    assert {t.source for t in timings.values()} == {"captions"}


def test_a_quote_found_nowhere_in_the_episode_is_an_error_naming_it(talk):
    episode, _ = talk
    stranger = make_quote(
        "The weather in the mountains was cold and the hikers carried extra blankets.",
        id="stranger",
        lines=[],
        start=None,
        end=None,
    )
    with pytest.raises(ClipperError) as caught:
        time_quotes(episode, [stranger], timing_file=VTT, speech=False)
    message = str(caught.value)
    assert message.startswith("speech-fixture: quote stranger: its text is not in the transcript")
    assert str(episode.path) in message


def test_a_quote_whose_lines_are_wrong_is_found_elsewhere_in_the_episode(talk):
    """An edited quotes.yaml may keep stale line numbers: the text still counts."""
    episode, quotes = talk
    moved = replace(quotes[6], lines=quotes[1].lines, start=None, end=None)
    timing = time_quotes(episode, [moved], timing_file=VTT, speech=False)[moved.id]
    assert timing.source == "captions"
    assert quotes[6].start <= timing.start < timing.end <= quotes[6].end + 1  # in its own line


def test_clips_of_a_quote_found_nowhere_end_in_one_error_line(invoke, tmp_path):
    quotes = tmp_path / "quotes.yaml"
    quotes.write_text("- id: stranger\n  text: Purple elephants compose sonnets on Tuesdays.\n")
    result = invoke("clips", SPEECH_EPISODE, "--quotes", quotes, "--video", SPEECH_MEDIA)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) <= 3 and lines[-1].startswith("Error: speech-fixture: quote stranger: ")
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- captions files


def _bad_captions(folder: Path) -> dict[str, Path]:
    text = VTT.read_text(encoding="utf-8")
    files = {
        "binary.json3": os.urandom(4000),
        "empty.vtt": b"",
        "latin1.vtt": "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nCaf\u00e9 cr\u00e8me\n".encode(
            "latin-1"
        ),
        "broken.json": b'{"segments": [{"start": 1, "end": 2, "text": "hi"',
        "broken.srv3": b'<timedtext><body><p t="1000">hi</body>',
        "nul.vtt": text.encode("utf-8").replace(b"WEBVTT", b"WEBVTT\x00\x00"),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    return paths


REASONS = {
    "binary.json3": "binary file, not text",
    "empty.vtt": "empty file",
    "latin1.vtt": "not UTF-8 text",
    "broken.json": "Expecting ',' delimiter",
    "broken.srv3": "mismatched tag",
    "nul.vtt": "binary file, not text",
}


@pytest.mark.parametrize("name", sorted(REASONS))
def test_an_unreadable_captions_file_is_one_notice_and_the_quotes_are_still_timed(
    talk, tmp_path, name
):
    episode, quotes = talk
    path = _bad_captions(tmp_path)[name]
    notices: list[Notice] = []
    timings = time_quotes(episode, quotes[:3], timing_file=path, speech=False, warn=notices.append)
    assert len(notices) == 1, notices
    message = notices[0].message
    assert message.startswith(f"{path}: malformed captions file (") and REASONS[name] in message
    assert message.endswith("; quotes are timed from the transcript instead")
    assert {t.source for t in timings.values()} == {"interpolated"}


def test_captions_saved_as_utf16_are_read(talk, tmp_path):
    episode, quotes = talk
    path = tmp_path / "windows.vtt"
    path.write_text(VTT.read_text(encoding="utf-8"), encoding="utf-16")
    notices: list[Notice] = []
    timings = time_quotes(episode, quotes[:3], timing_file=path, speech=False, warn=notices.append)
    assert notices == []
    assert {t.source for t in timings.values()} == {"captions"}


def _shifted_whisper(path: Path, shift: float, keep_until: float | None = None) -> Path:
    """The fixture's captions as whisper JSON, every time moved by ``shift``,
    only the words before ``keep_until`` kept."""
    from clipper.timing.captionfiles import read_captions

    words = [
        {"word": w.text, "start": w.start + shift, "end": w.end + shift}
        for w in read_captions(SPEECH_CAPTIONS).words
        if keep_until is None or w.start < keep_until
    ]
    segment = {"start": words[0]["start"], "end": words[-1]["end"], "words": words, "text": ""}
    path.write_text(json.dumps({"segments": [segment]}), encoding="utf-8")
    return path


def test_captions_past_the_end_of_the_video_are_one_notice_naming_them(talk, tmp_path):
    episode, quotes = talk
    late = _shifted_whisper(tmp_path / "late.json", 1000.0)
    first = json.loads(late.read_text())["segments"][0]["start"]
    end = probe(SPEECH_MEDIA).duration
    notices: list[Notice] = []
    time_quotes(
        episode, quotes[:3], timing_file=late, media=SPEECH_MEDIA, speech=False, warn=notices.append
    )
    assert [n.message for n in notices] == [
        f"{late}: its words start at {first:.0f} s, past the end of the media ({end:.0f} s): "
        "captions of "
        "another recording?; quotes are timed from the transcript instead"
    ]


def test_captions_that_stop_early_name_themselves_for_the_quotes_they_miss(talk, tmp_path):
    episode, quotes = talk
    short = _shifted_whisper(tmp_path / "short.json", 0.0, keep_until=20.0)
    notices: list[Notice] = []
    timings = time_quotes(
        episode, quotes, timing_file=short, media=SPEECH_MEDIA, speech=False, warn=notices.append
    )
    missed = [q.id for q in quotes if timings[q.id].source != "captions"]
    assert missed and len(missed) < len(quotes)
    assert [n.quote for n in notices] == missed  # one notice per quote it misses
    assert all(n.message.startswith(f"captions in {short} ") for n in notices)
    assert all(n.message.endswith("; timed from the transcript") for n in notices)
    assert any("have no words near it" in n.message for n in notices)


def test_select_with_binary_captions_warns_once_and_selects(invoke, talk, tmp_path):
    path = _bad_captions(tmp_path)["binary.json3"]
    result = invoke("select", SPEECH_EPISODE, "--timing", path, "--top", 2, "--json")
    assert result.exit_code == 0
    assert result.stderr.strip().splitlines() == [
        f"warning: speech-fixture: {path}: malformed captions file (binary file, not text); "
        "quotes are timed from the transcript instead"
    ]


# ---------------------------------------------------------------- pictures


@pytest.fixture
def broken_pictures(tmp_path) -> Path:
    """The example episode (a copy) whose artwork and photos are junk."""
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE_SITE, site, ignore=shutil.ignore_patterns("video"))
    path = next((site / "_podcast").glob("*.md"))
    episode = load_episode(path)
    people = [*episode.guests, episode.host]
    pictures = [episode.artwork, *(p.photo for p in people if p and p.photo)]
    assert len(pictures) >= 2 and all(pictures)
    for picture in pictures:
        picture.write_bytes(os.urandom(3000))
    return path


def test_unreadable_pictures_are_one_notice_each_on_every_card(broken_pictures, tmp_path):
    episode = load_episode(broken_pictures)
    quotes = select_quotes(episode, SelectOptions(top=2))
    results = render_cards(episode, quotes, tmp_path / "out", sizes=("square", "story"))
    assert all(r.error is None for r in results)
    distinct = set().union(*(r.warnings for r in results))
    assert distinct and all(n.episode == episode.slug and n.quote is None for n in distinct)
    assert all("is unreadable" in n.message for n in distinct)
    assert all(n.message.count(str(episode.site_root)) == 1 for n in distinct)  # named once


def test_cards_with_unreadable_pictures_print_each_warning_once(invoke, broken_pictures, tmp_path):
    result = invoke("cards", broken_pictures, "--top", 2, "--size", "square", "--out", tmp_path)
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings and len(warnings) == len(set(warnings))
    assert all("is unreadable" in line for line in warnings)


# ---------------------------------------------------------------- made, with one warning each


def _one_quote(talk, folder: Path) -> Path:
    quotes = folder / "quotes.yaml"
    save_quotes(quotes, talk[1][4:5])  # a short line: the clip renders fast
    return quotes


def _warnings(result) -> list[str]:
    lines = result.stderr.splitlines()
    assert "Traceback" not in result.output and not any(line.startswith(" ") for line in lines)
    return [line for line in lines if line.startswith("warning:")]


@pytest.mark.slow
def test_a_clip_without_a_face_warns_once_with_its_context(invoke, talk, tmp_path):
    """The fixture's video has no face: one line per shape, naming episode,
    quote and shape once (the renderer used to log it as well)."""
    quotes = _one_quote(talk, tmp_path)
    result = invoke(
        "clips", SPEECH_EPISODE, "--quotes", quotes, "--video", SPEECH_MEDIA,
        "--timing", VTT, "--shape", "9:16", "--no-captions", "--out", tmp_path / "out",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert _warnings(result) == [
        "warning: speech-fixture: quote s4: 9:16: no face found, framed as fit"
    ]


@pytest.mark.slow
def test_audiograms_of_silent_audio_warn_once_naming_it(invoke, media, talk, tmp_path):
    quotes = _one_quote(talk, tmp_path)
    result = invoke(
        "clips", SPEECH_EPISODE, "--quotes", quotes, "--audio", media["silent.wav"],
        "--shape", "1:1", "--no-captions", "--out", tmp_path / "out",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    silent = (
        f"warning: speech-fixture: {media['silent.wav']}: no speech heard (silent?); "
        "quotes are timed from the transcript instead"
    )
    warnings = _warnings(result)  # the fixture has no artwork either: that is the other
    assert warnings.count(silent) == 1 and len(warnings) == len(set(warnings)) == 2


@pytest.mark.slow
def test_clips_of_a_video_without_sound_warn_once_naming_it(invoke, media, talk, tmp_path):
    quotes = _one_quote(talk, tmp_path)
    result = invoke(
        "clips", SPEECH_EPISODE, "--quotes", quotes, "--video", media["mute.mp4"],
        "--shape", "16:9", "--no-captions", "--out", tmp_path / "out",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert _warnings(result) == [
        "warning: speech-fixture: mute.mp4: no audio track: the clips are silent, and quotes "
        "without captions are timed from the transcript"
    ]


@pytest.mark.slow
def test_batch_counts_warnings_and_fails_only_the_episode_with_a_bad_video(invoke, media, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SPEECH, site)
    (site / "video" / "speech-fixture.mp4").unlink()
    shutil.copy(media["mute.mp4"], site / "video" / "speech-fixture.mp4")
    text = (site / "_podcast" / "speech-fixture.md").read_text(encoding="utf-8")
    (site / "_podcast" / "broken-video.md").write_text(text, encoding="utf-8")
    shutil.copy(media["truncated.mp4"], site / "video" / "broken-video.mp4")
    config = tmp_path / "clipper.yaml"
    config.write_text("clips:\n  shapes: ['16:9']\n  captions: false\ncards:\n  enabled: false\n")
    result = invoke("batch", site, "--config", config, "--out", tmp_path / "out", "--jobs", 1)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "warning:" not in result.output, result.output
    lines = result.output.splitlines()
    made = next((line for line in lines if "speech-fixture made:" in line), result.output)
    assert made.endswith(", 1 warning")  # counted, not repeated
    failed = next(line for line in lines if "broken-video failed:" in line)
    assert "broken-video.mp4: truncated or corrupt" in failed
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    review = manifest["episodes"]["speech-fixture"]["review"]
    assert any("speech-fixture.mp4: no audio track" in w for w in review["warnings"])
