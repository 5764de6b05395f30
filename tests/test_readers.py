"""Episodes from cues and from local media files: turns, sentences, roles,
word times, tags and covers, the CLI on any SOURCE, and bad input."""

from __future__ import annotations

import itertools
import json
import subprocess
from pathlib import Path

import pytest

from clipper.episode import build
from clipper.episode.build import EpisodeInfo, build_episode, title_guests
from clipper.episode.model import Word
from clipper.episode.sources import open_episode
from clipper.episode.transcripts import Cue, Transcript
from clipper.errors import ClipperError
from clipper.media.ffmpeg import ffmpeg_exe, probe
from clipper.render.options import ClipOptions
from clipper.select.candidates import speaker_turns
from clipper.timing.align import align

CONVERSATION_VTT = """WEBVTT

00:00:00.000 --> 00:00:04.000
<v Hosty McHost>Welcome to the show. Today we talk about shipping data

00:00:04.000 --> 00:00:08.000
<v Hosty McHost>products. What got you started?
<v Jane Doe>Honestly, it was a broken dashboard that nobody trusted.

00:00:08.000 --> 00:00:14.000
<v Jane Doe>Every team I have worked with learned the same lesson the hard way:

00:00:14.000 --> 00:00:20.000
<v Jane Doe>ship small things often and measure what people actually use every week.

00:00:20.000 --> 00:00:26.000
<v Jane Doe>Nobody reads a dashboard they did not ask for, so ask them first.
"""


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def make_media(
    folder: Path, name: str, *, title: str | None = None, cover: bool = False, album: str = ""
) -> Path:
    """A 26 s tone as mp3 (optionally tagged, with an embedded cover)."""
    ffmpeg = ffmpeg_exe()
    path = folder / name
    args = [ffmpeg, "-hide_banner", "-loglevel", "error", "-y"]
    args += ["-f", "lavfi", "-i", "sine=frequency=220:duration=26"]
    if cover:
        picture = folder / "cover-source.png"
        colour = ["-f", "lavfi", "-i", "color=c=teal:s=120x120:d=1", "-frames:v", "1"]
        subprocess.run([*args[:5], *colour, str(picture)], check=True)
        args += ["-i", str(picture), "-map", "0:a", "-map", "1:v", "-c:v", "mjpeg"]
        args += ["-disposition:v", "attached_pic"]
    if title:
        args += ["-metadata", f"title={title}", "-metadata", "date=2024-05-01"]
    if album:
        args += ["-metadata", f"album={album}"]
    subprocess.run([*args, "-c:a", "libmp3lame", str(path)], check=True)
    return path


def transcript_of(*cues: Cue) -> Transcript:
    return Transcript(Path("t.vtt"), "vtt", tuple(cues))


def info(tmp_path, title="A Talk", **extra) -> EpisodeInfo:
    return EpisodeInfo(path=tmp_path / "t.mp3", site_root=tmp_path, slug="t", title=title, **extra)


# ------------------------------------------------------------------ building lines


def test_cues_become_whole_sentences_of_one_speaker(tmp_path):
    episode = build_episode(
        transcript_of(
            Cue(0.0, 2.0, "Welcome back. What got", "Hosty"),
            Cue(2.0, 4.0, "you started? It was", "Hosty"),
            Cue(4.0, 6.0, "a broken dashboard.", "Jane"),
        ),
        info(tmp_path),
    )
    assert [(line.who, line.text) for line in episode.lines] == [
        ("Hosty", "Welcome back. What got you started? It was"),
        ("Jane", "a broken dashboard."),
    ]
    assert episode.lines[1].start == 4.0


def test_long_turns_are_cut_into_lines_at_sentence_ends_and_chapters(tmp_path):
    sentence = "Ship small things often and measure what people use every single week."
    cues = [Cue(float(i * 4), float(i * 4 + 4), sentence, "Jane") for i in range(8)]
    episode = build_episode(
        transcript_of(*cues), info(tmp_path, chapters=[("Intro", 0.0), ("Lessons", 16.0)])
    )
    texts = [line.text for line in episode.lines]
    assert all(text.endswith("week.") for text in texts)
    assert all(len(text.split()) <= build.PARAGRAPH_WORDS + 12 for text in texts)
    assert [s.title for s in episode.sections] == ["Intro", "Lessons"]
    assert episode.sections[1].start == 16.0
    assert [line.section for line in episode.lines][-1] == 1


def test_word_times_from_the_source_become_the_episode_words(tmp_path, monkeypatch):
    path = tmp_path / "talk.json"
    words = [
        {"word": w, "start": i * 0.5, "end": i * 0.5 + 0.4, "speaker": "SPEAKER_00"}
        for i, w in enumerate(
            ["So", "what", "is", "the", "hardest", "part", "of", "the", "job?", "I", "think"]
        )
    ]
    words += [
        {"word": w, "start": 10 + i * 0.5, "end": 10.4 + i * 0.5, "speaker": "SPEAKER_01"}
        for i, w in enumerate(
            ["Trust.", "Nobody", "uses", "numbers", "they", "do", "not", "trust."]
        )
    ]
    path.write_text(json.dumps({"segments": [{"start": 0, "end": 14, "text": "", "words": words}]}))
    from clipper.episode.transcripts import read_transcript

    episode = build_episode(read_transcript(path), info(tmp_path))
    assert len(episode.words) == len(words) and not episode.word_ends_estimated
    assert [(line.who, line.start) for line in episode.lines] == [
        ("SPEAKER_00", 0.0),
        ("SPEAKER_01", 10.0),
    ]
    # Unnamed speakers stay unnamed; the asker is the host.
    assert [line.speaker_name for line in episode.lines] == ["SPEAKER_00", "SPEAKER_01"]
    assert [line.role for line in episode.lines] == ["host", "guest"]


def test_unpunctuated_turns_go_through_the_restorer_word_for_word(tmp_path, monkeypatch):
    seen = []

    def restore(words, pauses=None, names=(), speaker_changes=()):
        seen.append(list(words))
        sure = [0.0] * len(words)
        marked = [*words[:-1], words[-1] + "."]
        return build.Restoration(marked, set(), sure, [True] * len(words), [range(len(words))])

    monkeypatch.setattr(build, "restore_sentences", restore)
    raw = " ".join(["so we kept shipping small things"] * 5)
    build_episode(transcript_of(Cue(0.0, 10.0, raw, "Jane")), info(tmp_path))
    assert seen == [raw.split()]
    seen.clear()
    punctuated = " ".join(["We kept shipping small things."] * 5)
    build_episode(transcript_of(Cue(0.0, 10.0, punctuated, "Jane")), info(tmp_path))
    assert seen == []


def test_restored_text_leaves_fillers_and_stutters_out_and_clips_still_find_the_words(tmp_path):
    spoken = (
        "um so i think the the main thing is that you ship small things every week "
        "and you ask people what they actually use and then uh i i think you measure it"
    )
    raw = spoken.split()
    words = tuple(Word(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(raw))
    transcript = Transcript(
        Path("t.json"), "json", (Cue(0.0, len(raw) * 0.4, spoken, None, words),), True
    )
    episode = build_episode(transcript, info(tmp_path))
    text = " ".join(line.text for line in episode.lines)
    assert text.startswith("So I think the main thing is"), text
    printed = [w.strip(",.?").lower() for w in text.split()]
    assert not {"um", "uh"} & set(printed)
    assert ("the", "the") not in itertools.pairwise(printed)
    assert ("i", "i") not in itertools.pairwise(printed)
    assert all(len(line.end_confidence) == len(line.text.split()) for line in episode.lines)
    assert len(episode.words) == len(raw)  # the clip is still cut on every spoken word
    timed = align("So I think the main thing is that you ship small things", episode.words)
    assert timed is not None and timed.confidence > 0.9
    assert (timed.words[0].start, timed.words[-1].end) == (words[1].start, words[13].end)


# ------------------------------------------------------------------ roles


@pytest.mark.parametrize(
    ("title", "names"),
    [
        ("Shipping data products with Jane Doe", ["Jane Doe"]),
        ("Episode 12 ft. Jane Doe and John van Roe", ["Jane Doe", "John van Roe"]),
        ("Data contracts | Jane Doe", ["Jane Doe"]),
        ("Working with Python", []),
        ("Coffee with Jane", []),
    ],
)
def test_guests_named_in_the_title(title, names):
    assert [s.name for s in title_guests(title)] == names


def test_the_title_names_the_guest_and_inspect_says_so(tmp_path):
    cues = (
        Cue(0.0, 3.0, "What got you started?", "Hosty"),
        Cue(3.0, 6.0, "A broken dashboard.", "Jane"),
    )
    episode = build_episode(transcript_of(*cues), info(tmp_path, title="Talk with Jane Doe"))
    assert episode.role_reasons == {
        "hosty": "asks the most questions (1)",
        "jane-doe": "named in the title",
    }
    assert [g.name for g in episode.guests] == ["Jane Doe"]
    assert episode.lines[1].speaker_name == "Jane Doe"


def test_named_people_of_the_source_keep_their_roles_and_reasons(tmp_path):
    people = [build.Speaker("Jane Doe", "host", "podcast:person role")]
    cues = (Cue(0.0, 3.0, "Why?", "Guesty"), Cue(3.0, 6.0, "Because.", "Jane Doe"))
    episode = build_episode(transcript_of(*cues), info(tmp_path, people=people))
    assert episode.host is not None and episode.host.name == "Jane Doe"
    assert episode.role_reasons["jane-doe"] == "podcast:person role"
    assert [line.role for line in episode.lines] == ["guest", "host"]


# ------------------------------------------------------------------ media files


def test_a_media_file_with_tags_cover_and_a_transcript_beside_it(tmp_path):
    media = make_media(
        tmp_path, "My Talk (final).mp3", title="Data work with Jane Doe", cover=True, album="Pipes"
    )
    (tmp_path / "My Talk (final).vtt").write_text(CONVERSATION_VTT)
    episode = open_episode(media)
    assert episode.title == "Data work with Jane Doe" and episode.slug == "my-talk-final"
    assert episode.show == "Pipes"  # podcasts tag the show's name as the album
    assert episode.media == str(media.resolve()) and str(episode.date) == "2024-05-01"
    assert episode.artwork is not None and episode.artwork.suffix == ".jpg"
    assert episode.artwork.stat().st_size > 100
    assert [g.name for g in episode.guests] == ["Jane Doe"]
    assert episode.host is not None and episode.host.name == "Hosty McHost"
    assert episode.lines[0].text.startswith("Welcome to the show. Today we talk about shipping")
    assert episode.warnings == []  # speakers the source does not name are no quirk


def test_no_tags_title_from_the_name_and_a_sidecar_picture(tmp_path):
    media = make_media(tmp_path, "deep_dive.mp3")
    (tmp_path / "cover.png").write_bytes((tmp_path / "deep_dive.mp3").read_bytes()[:10])
    transcript = tmp_path / "elsewhere.srt"
    transcript.write_text("1\n00:00:01,000 --> 00:00:03,000\nJane: Ship small things.\n")
    episode = open_episode(media, transcript=transcript)
    assert episode.title == "deep dive" and episode.artwork == (tmp_path / "cover.png")


def test_bad_media_sources_are_one_line_errors(tmp_path):
    fake = tmp_path / "fake.mp3"
    fake.write_text("this is not audio")
    (tmp_path / "fake.vtt").write_text(CONVERSATION_VTT)
    with pytest.raises(ClipperError, match=r"fake\.mp3: not an audio or video file"):
        open_episode(fake)
    lonely = make_media(tmp_path, "lonely.mp3")
    with pytest.raises(ClipperError, match=r"lonely\.mp3: no transcript; give one with"):
        open_episode(lonely)
    with pytest.raises(ClipperError, match=r"x\.pdf: not a supported source"):
        (tmp_path / "x.pdf").mkdir()
        open_episode(tmp_path / "x.pdf")
    with pytest.raises(ClipperError, match=r"gone\.mp3: no such file"):
        open_episode(tmp_path / "gone.mp3")


# ------------------------------------------------------------------ the CLI on any source


def test_cli_reads_a_media_file_as_it_reads_a_page(tmp_path, invoke):
    media = make_media(tmp_path, "talk.mp3", title="Data work with Jane Doe")
    transcript = tmp_path / "notes" / "talk-transcript.vtt"
    transcript.parent.mkdir()
    transcript.write_text(CONVERSATION_VTT)
    result = invoke("inspect", media, "--transcript", transcript)
    assert result.exit_code == 0, result.output
    assert "Jane Doe (jane-doe)" in result.output and "(named in the title)" in result.output
    assert f"  media:    {media.resolve()}" in result.output.splitlines()
    result = invoke("select", media, "--transcript", transcript, "--json", "--top", "2")
    assert result.exit_code == 0, result.output
    picks = json.loads(result.stdout)
    assert picks and all(p["speaker_name"] == "Jane Doe" for p in picks)


def test_cli_bad_sources_say_which_and_what(tmp_path, invoke):
    fake = tmp_path / "fake.mp4"
    fake.write_bytes(b"\x00" * 64)
    result = invoke("select", fake)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith(f"Error: {fake}: not an audio or video file (")
    assert len(result.output.strip().splitlines()) == 1
    media = make_media(tmp_path, "talk.mp3")
    unknown = tmp_path / "talk.docx"
    unknown.write_text("Jane: hello")
    result = invoke("inspect", media, "--transcript", unknown)
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {unknown}: malformed transcript (unknown transcript format .docx)"
    )
    empty = tmp_path / "empty.vtt"
    empty.write_text("WEBVTT\n\n")
    result = invoke("cards", media, "--transcript", empty, "--out", tmp_path / "out")
    assert result.exit_code == 1 and "empty.vtt: malformed transcript (no cues)" in result.output
    assert not (tmp_path / "out").exists()


def test_site_pages_and_folders_read_as_before(example_episode, example_site, invoke):
    from clipper.episode import load_episode

    page = load_episode(example_episode)
    assert open_episode(example_episode) == page
    assert open_episode(example_site, item=example_episode.stem) == page
    result = invoke("inspect", example_site)
    assert result.exit_code == 1 and "name one with its slug" in result.output
    result = invoke("inspect", example_episode, "--transcript", example_episode)
    assert result.exit_code == 1 and "a site page has its own transcript" in result.output


# ------------------------------------------------------------------ import


def vtt_of(episode, words_per_cue: int = 14) -> str:
    """The episode as a VTT with voices, cut into cues of ``words_per_cue``
    words wherever that falls (mid-sentence), each line's time spread over it."""
    out = ["WEBVTT", ""]
    for line in episode.lines:
        words = line.text.split()
        step = (line.end - line.start) / len(words)
        for first in range(0, len(words), words_per_cue):
            chunk = words[first : first + words_per_cue]
            start = line.start + first * step
            end = start + len(chunk) * step
            out += [
                f"{clock(start)} --> {clock(end)}",
                f"<v {line.speaker_name}>{' '.join(chunk)}",
                "",
            ]
    return "\n".join(out)


def clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}.{int(seconds % 1 * 1000):03d}"


def test_an_imported_page_gives_the_same_picks_as_its_source(tmp_path, example_episode, invoke):
    from clipper.episode import load_episode

    transcript = tmp_path / "talk.vtt"
    transcript.write_text(vtt_of(load_episode(example_episode)))
    media = make_media(tmp_path, "talk.mp3", title="Warehouse to analytics with Jane Doe")
    from_source = invoke("select", media, "--json")
    assert from_source.exit_code == 0, from_source.output
    site = tmp_path / "site"
    result = invoke("import", media, "--site", site)
    assert result.exit_code == 0, result.output
    page = site / "_podcast" / "talk.md"
    assert result.stdout.splitlines()[0] == str(page)
    assert (site / "audio" / "talk.mp3").is_file()
    from_page = invoke("select", page, "--json")
    assert from_page.exit_code == 0, from_page.output
    picks = json.loads(from_source.stdout)
    assert len(picks) >= 3 and json.loads(from_page.stdout) == picks
    again = invoke("import", media, "--site", site)
    assert again.exit_code == 1 and f"{page}: already exists" in again.output


def test_a_failed_import_writes_nothing(tmp_path, invoke):
    media = make_media(tmp_path, "talk.mp3")
    (tmp_path / "talk.srt").write_text("1\n00:00:01,000 --> soon\nJane: hello\n")
    result = invoke("import", media, "--site", tmp_path / "site")
    assert result.exit_code == 1
    assert (
        result.output.strip() == f"Error: {tmp_path / 'talk.srt'}: malformed transcript (no cues)"
    )
    assert not (tmp_path / "site").exists()


def test_import_writes_word_times_people_and_artwork(tmp_path, invoke):
    media = make_media(
        tmp_path, "talk.mp3", title="Data work with Jane Doe", cover=True, album="Pipes"
    )
    words = [
        {"word": w, "start": i * 0.5, "end": i * 0.5 + 0.4, "speaker": "SPEAKER_00"}
        for i, w in enumerate(["So", "what", "is", "the", "hardest", "part", "of", "the", "job?"])
    ]
    words += [
        {"word": w, "start": 10 + i * 0.5, "end": 10.4 + i * 0.5, "speaker": "SPEAKER_01"}
        for i, w in enumerate(
            ["Trust.", "Nobody", "uses", "numbers", "they", "do", "not", "trust."]
        )
    ]
    segment = {"start": 0, "end": 14, "text": "", "words": words}
    (tmp_path / "talk.json").write_text(json.dumps({"segments": [segment]}))
    site = tmp_path / "site"
    assert invoke("import", media, "--site", site).exit_code == 0
    timings = json.loads((site / "audio" / "talk.en.json").read_text())
    spoken = [w for s in timings["segments"] for w in s["words"]]
    assert [(w["word"], w["start"]) for w in spoken] == [(w["word"], w["start"]) for w in words]
    assert (site / "images" / "podcast" / "talk.jpg").stat().st_size > 100
    people = sorted(p.name for p in (site / "_people").glob("*.md"))
    assert people == ["jane-doe.md", "speaker00.md", "speaker01.md"]
    # A user names the unnamed guest by hand; the page reads it.
    (site / "_people" / "speaker01.md").write_text("---\ntitle: Ada Lovelace\n---\n")
    episode = open_episode(site / "_podcast" / "talk.md")
    assert episode.page_url == "" and episode.artwork == site / "images" / "podcast" / "talk.jpg"
    assert episode.show == "Pipes"  # the site's _config.yml keeps the show's name
    assert [(line.speaker_name, line.role) for line in episode.lines] == [
        ("SPEAKER_00", "host"),
        ("Ada Lovelace", "guest"),
    ]


def test_clips_of_a_video_source_are_cut_on_its_own_word_times(tmp_path, invoke):
    video = tmp_path / "talk.mp4"
    ffmpeg = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y"]
    inputs = ["-f", "lavfi", "-i", "testsrc=size=320x180:rate=25:duration=12"]
    inputs += ["-f", "lavfi", "-i", "sine=frequency=220:duration=12"]
    codecs = ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest"]
    subprocess.run([*ffmpeg, *inputs, *codecs, str(video)], check=True)
    text = "Ship small things often and measure what people actually use every single week."
    words = [
        {"word": w, "start": 2 + i * 0.4, "end": 2.3 + i * 0.4, "speaker": "SPEAKER_00"}
        for i, w in enumerate(text.split())
    ]
    segment = {"start": 2, "end": 8, "text": text, "words": words}
    (tmp_path / "talk.json").write_text(json.dumps({"segments": [segment]}))
    result = invoke(
        "clips", video, "--top", "1", "--shape", "16:9", "--frame", "fit", "--out", tmp_path / "out"
    )
    assert result.exit_code == 0, result.output
    assert "interpolated" not in result.output and "speech" not in result.output
    (clip,) = (tmp_path / "out" / "talk" / "clips").glob("*-16x9.mp4")
    spoken = words[-1]["end"] - words[0]["start"]  # 5.1 s, padded into the silence around
    assert spoken <= probe(clip).duration <= spoken + 2 * ClipOptions.pad + 0.1
    assert "Ship small things" in clip.with_suffix(".srt").read_text()


def test_import_downloads_a_remote_enclosure_into_the_site(tmp_path):
    from clipper.episode.importer import import_episode
    from tests.loopback import serve

    served = tmp_path / "served"
    served.mkdir()
    make_media(served, "ep1.mp3")
    cues = (Cue(0.0, 3.0, "What got you started?", "Hosty"), Cue(3.0, 6.0, "A dashboard.", "Jane"))
    with serve(served) as web:
        episode = build_episode(transcript_of(*cues), info(tmp_path, media=f"{web.url}ep1.mp3"))
        result = import_episode(episode, tmp_path / "site", cache_dir=tmp_path / "cache")
    copied = tmp_path / "site" / "audio" / "t.mp3"
    assert copied in result.written
    assert copied.read_bytes() == (served / "ep1.mp3").read_bytes()
    with serve(tmp_path / "cache") as web:  # a download that fails leaves no page
        episode = build_episode(transcript_of(*cues), info(tmp_path, media=f"{web.url}gone.mp3"))
        with pytest.raises(ClipperError):
            import_episode(episode, tmp_path / "other", cache_dir=tmp_path / "cache2")
    assert not (tmp_path / "other").exists()


def test_import_keeps_the_captions_that_lay_beside_the_media(tmp_path, invoke):
    media = make_media(tmp_path, "talk.mp3")
    (tmp_path / "talk.vtt").write_text(CONVERSATION_VTT)  # the transcript: no word times
    captions = tmp_path / "talk.en.json3"
    captions.write_text(
        '{"events": [{"tStartMs": 0, "dDurationMs": 900, "segs": [{"utf8": "hi"}]}]}'
    )
    assert (
        invoke(
            "import", media, "--transcript", tmp_path / "talk.vtt", "--site", tmp_path / "s"
        ).exit_code
        == 0
    )
    assert (tmp_path / "s" / "audio" / "talk.en.json3").read_bytes() == captions.read_bytes()


# ------------------------------------------------------------------ restored captions

HOST_SAYS = (
    "welcome to the show ada lovelace it is great to have you here "
    "what got you into data engineering in the first place"
)
GUEST_SAYS = (
    "thank you for having me i started as an analyst and i kept fixing the same broken "
    "pipelines by hand every monday so i learned python and sql and automated all of it "
    "and that is how i became a data engineer"
)


def automatic_captions(words: list[str], seconds_per_word: float = 0.35) -> dict:
    """YouTube json3 as yt-dlp saves automatic captions: lower case, no
    punctuation, a time for every word, eight words an event."""
    events = []
    for first in range(0, len(words), 8):
        begin = round(first * seconds_per_word * 1000)
        segs = [
            {"utf8": (" " if k else "") + word, "tOffsetMs": round(k * seconds_per_word * 1000)}
            for k, word in enumerate(words[first : first + 8])
        ]
        events.append({"tStartMs": begin, "dDurationMs": 8 * 350, "segs": segs})
    return {"wireMagic": "pb3", "events": events}


def test_import_of_automatic_captions_writes_the_restored_transcript(tmp_path, invoke):
    media = make_media(tmp_path, "talk.mp3", title="Pipelines with Ada Lovelace")
    words = [*HOST_SAYS.split(), ">>", *GUEST_SAYS.split()]
    (tmp_path / "talk.en.json3").write_text(json.dumps(automatic_captions(words)))
    site = tmp_path / "site"
    assert invoke("import", media, "--site", site).exit_code == 0
    episode = open_episode(site / "_podcast" / "talk.md")
    lines = [line.text for line in episode.lines]
    assert all(text[0].isupper() and text[-1] in ".?" for text in lines), lines
    text = " ".join(lines)
    assert "Ada Lovelace" in text and " I " in text
    assert {"Python", "SQL"} <= set(text.replace(",", " ").replace(".", " ").split())
    # The speaker change (>>) starts a new line and is no word of the text.
    assert any(t.startswith("Thank you for having me") for t in lines) and ">>" not in text
    assert "place?" in text
    # The captions' word times, beside the media, still time the words.
    timings = json.loads((site / "audio" / "talk.en.json").read_text())
    spoken = [w["word"].strip() for s in timings["segments"] for w in s["words"]]
    assert spoken[:3] == ["welcome", "to", "the"]
    # Nobody is named in the captions: inspect says so instead of guessing a role.
    speakers = invoke("inspect", media).output.split("speakers:")[1].splitlines()[1]
    assert "nobody is named" in speakers and "guest" not in speakers, speakers
    # ... and no pick is explained by the role every line shares.
    explained = invoke("select", media, "--explain", "--min-words", 4).output
    assert "why:" in explained and "a guest" not in explained, explained


ASKED = "so what surprised you most when you started"
ANSWERED = (
    "a dashboard nobody opens is just an expensive screenshot we had more than two "
    "hundred dashboards and fewer than twenty were opened in a normal week"
)


def test_a_silence_across_an_um_ends_a_question_and_its_answer_is_a_turn_of_its_own(tmp_path):
    """Captions name nobody: the host's question, 1.8 s of silence, "um", 0.6 s
    more, the guest's answer. The silence is one pause, however the "um" cuts
    it, so the answer starts a line and (for selection) a turn of its own."""
    words = [Word(w, i * 0.35, i * 0.35 + 0.3) for i, w in enumerate(ASKED.split())]
    asked = words[-1].end
    words.append(Word("um", asked + 1.8, asked + 2.05))
    answered = asked + 2.65
    words += [
        Word(w, answered + i * 0.35, answered + i * 0.35 + 0.3)
        for i, w in enumerate(ANSWERED.split())
    ]
    spoken = " ".join(w.text for w in words)
    transcript = Transcript(
        Path("t.json"), "json", (Cue(0.0, words[-1].end, spoken, None, tuple(words)),), True
    )
    episode = build_episode(transcript, info(tmp_path))
    texts = [line.text for line in episode.lines]
    assert texts[0].endswith("started?") and texts[1].startswith("A dashboard"), texts
    turns = speaker_turns(episode)
    assert [[line.text for line in turn.spoken_lines] for turn in turns] == [[t] for t in texts]
