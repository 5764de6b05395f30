import json

import pytest

from clipper.episode import clean_youtube_id, load_episode, parse_time
from clipper.errors import ClipperError
from tests.conftest import corpus_episodes
from tests.sitebuilder import line, write_site


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("4:15", 255.0),
        ("0:14", 14.0),
        ("1:02:03", 3723.0),
        (255, 255.0),  # YAML's reading of an unquoted 4:15
        (12.5, 12.5),
        ("90", 90.0),
        ("37:567", None),
        ("4:75", None),
        ("abc", None),
        ("", None),
        (True, None),
        (-3, None),
    ],
)
def test_parse_time(value, seconds):
    assert parse_time(value) == seconds


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("B2tzuUg5uZs", ("B2tzuUg5uZs", False)),
        ("-i0fVp0ntYA", ("-i0fVp0ntYA", False)),
        ("NfAJAr7FvyY&t", ("NfAJAr7FvyY", True)),
        ("https://www.youtube.com/watch?v=B2tzuUg5uZs&t=4", ("B2tzuUg5uZs", True)),
        ("short", (None, False)),
        ("B2tzuUg5uZsX1", (None, False)),
        ("../../etc/pas", (None, False)),
        (None, (None, False)),
    ],
)
def test_clean_youtube_id(raw, expected):
    assert clean_youtube_id(raw) == expected


def test_front_matter_ends_at_first_dashes_line_and_values_may_contain_dashes(tmp_path):
    path = write_site(tmp_path, [line("A fine line of text here.", 5, "Jane")])
    text = path.read_text().replace("title: A Test Episode", "title: 'Before --- after'")
    path.write_text(text + "\n---\nnot: front matter\n")
    episode = load_episode(path)
    assert episode.title == "Before --- after"
    assert episode.slug == "test-episode"
    assert episode.label == "S02E05"
    assert episode.page_url.endswith("/podcast/test-episode.html")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"no front matter here\n", "line 1: no front matter"),
        (b"---\ntitle: x\n", "not closed"),
        (b"---\ntitle: x\n\tbad: tab\nseason: 1\n---\n", "line 3: not valid YAML"),
        (b"---\ntitle: x\n---\n", "no 'transcript'"),
        (b"---\n- a\n- b\n---\n", "not a mapping"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
        (b"---\ntranscript: 5\n---\n", "neither a list nor a string"),
    ],
)
def test_a_file_that_is_not_an_episode_is_a_one_line_error(tmp_path, content, message):
    path = tmp_path / "_podcast" / "bad.md"
    path.parent.mkdir()
    path.write_bytes(content)
    with pytest.raises(ClipperError) as error:
        load_episode(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_continuations_join_the_previous_turn_with_interpolated_times(tmp_path):
    path = write_site(
        tmp_path,
        [
            line("One two three four.", 10, "Jane"),
            line("Five six seven eight.", None, "Jane"),
            line("Next speaker talks here.", 30, "Hosty"),
        ],
    )
    episode = load_episode(path)
    first, continuation, host = episode.lines
    assert continuation.speaker_name == "Jane Doe"
    assert first.start == 10 and host.start == 30
    assert continuation.start == pytest.approx(20)  # half the words, half the interval
    assert first.end == continuation.start
    assert any(w.code == "untimed-lines" for w in episode.warnings)


def test_artifact_lines_are_dropped_with_warnings(tmp_path):
    path = write_site(
        tmp_path,
        [
            line("A real sentence from the guest.", 5, "Jane"),
            line("0 4:15", 5, "Jane"),
            line("Jane", 5, "Jane"),
            {"line": "Bare copy of the next line."},
            {"header": "Section"},
            line("Bare copy of the next line.", 9, "Jane"),
            line("Bare copy of the next line.", 9, "Jane"),
            line(".", 12, "Hosty"),
        ],
    )
    episode = load_episode(path)
    assert [x.text for x in episode.lines] == [
        "A real sentence from the guest.",
        "Bare copy of the next line.",
    ]
    codes = [w.code for w in episode.warnings]
    for code in ("timestamp-line", "speaker-name-line", "duplicate-line", "empty-line"):
        assert code in codes
    assert codes.count("duplicate-line") == 2


def test_time_going_backwards_is_flagged_and_never_yields_end_before_start(tmp_path):
    path = write_site(
        tmp_path,
        [
            line("First line here.", 100, "Jane"),
            line("Second line here.", 120, "Hosty"),
            line("A glitch from the future.", 900, "Jane"),
            line("Back to normal time.", 140, "Hosty"),
            line("And it goes on.", 160, "Jane"),
        ],
    )
    episode = load_episode(path)
    assert [x.index for x in episode.lines] == [0, 1, 2, 3, 4]
    assert [w.line for w in episode.warnings if w.code == "time-backwards"] == [2]
    starts = [x.start for x in episode.lines]
    assert starts == sorted(starts)
    assert all(x.end > x.start for x in episode.lines)
    assert episode.lines[2].time_suspect


def test_malformed_time_is_warned_and_interpolated(tmp_path):
    item = line("A line with a bad time.", 2787, "Jane")
    item["time"] = "37:567"
    path = write_site(tmp_path, [line("Before.", 100, "Jane"), item, line("After.", 140, "Hosty")])
    episode = load_episode(path)
    assert 100 < episode.lines[1].start < 140
    assert any(w.code == "bad-time" and w.line == 1 for w in episode.warnings)


def test_time_without_sec_is_used(tmp_path):
    path = write_site(
        tmp_path,
        [
            {"line": "Timed by string.", "time": "1:02:03", "who": "Jane"},
            {"line": "Timed by base-60 int.", "time": 4000, "who": "Jane"},
        ],
    )
    assert [x.start for x in load_episode(path).lines] == [3723.0, 4000.0]


def test_speaker_labels_resolve_to_people(tmp_path):
    path = write_site(
        tmp_path,
        [
            line("Hello from the host.", 1, "Hosty:"),
            line("Hello from the guest.", 5, "Jane"),
            line("This who field holds a whole sentence, not a name.", 9, "Jane"),
        ],
        people={"janedoe": "Jane Doe", "hostymchost": "Hosty McHost"},
    )
    items = path.read_text().replace("who: Jane\n- line: This", "who: Jane\n- line: This")
    path.write_text(items)
    episode = load_episode(path)
    host, guest, _ = episode.lines
    assert (host.speaker_id, host.speaker_name, host.role) == (
        "hostymchost",
        "Hosty McHost",
        "host",
    )
    assert (guest.speaker_id, guest.speaker_name, guest.role) == ("janedoe", "Jane Doe", "guest")
    assert episode.host and episode.host.id == "hostymchost"


def test_who_holding_a_sentence_uses_the_previous_speaker(tmp_path):
    path = write_site(
        tmp_path,
        [
            line("The guest starts talking.", 5, "Jane"),
            line("And continues here.", 9, "I think this was a sentence, not a speaker name."),
        ],
    )
    episode = load_episode(path)
    assert episode.lines[1].speaker_id == "janedoe"
    assert any(w.code == "who-sentence" for w in episode.warnings)


def test_bracketed_notes_are_removed(tmp_path):
    path = write_site(
        tmp_path, [line("That was fun. [laughs] Really fun [Jane agrees].", 5, "Jane")]
    )
    assert load_episode(path).lines[0].text == "That was fun. Really fun."


def test_old_schema_transcript_string(tmp_path):
    raw = "00:00\nHosty\nWelcome to the show.\n\n0:09\nJane\nThanks for having me here.\n"
    episode = load_episode(write_site(tmp_path, raw))
    assert [(x.start, x.speaker_id, x.text) for x in episode.lines] == [
        (0.0, "hosty", "Welcome to the show."),
        (9.0, "janedoe", "Thanks for having me here."),
    ]
    assert any(w.code == "old-schema" for w in episode.warnings)


def test_paths_never_escape_the_site_root(tmp_path):
    site = tmp_path / "site"
    path = write_site(site, [line("Hi there.", 1, "Jane")], extra={"image": "../../etc/passwd"})
    episode = load_episode(path)
    assert episode.artwork is None
    assert any(w.code == "unsafe-path" for w in episode.warnings)


def test_junk_youtube_id_is_cleaned_or_rejected(tmp_path):
    junk = write_site(
        tmp_path / "a", [line("Hi.", 1, "Jane")], extra={"ids": {"youtube": "NfAJAr7FvyY&t"}}
    )
    bad = write_site(
        tmp_path / "b", [line("Hi.", 1, "Jane")], extra={"ids": {"youtube": "--exec rm"}}
    )
    assert load_episode(junk).youtube_id == "NfAJAr7FvyY"
    assert load_episode(bad).youtube_id is None
    assert any(w.code == "youtube-id-invalid" for w in load_episode(bad).warnings)


# The quirks MANIFEST.json lists, as the warning codes they must produce.
EXPECTED_WARNINGS = {
    "from-semiconductor-data-to-applied-machine-learning": {
        "timestamp-line", "speaker-name-line", "repeated-sentence"},
    "s21e08-from-semiconductors-to-machine-learning-career-in-data-and-teaching": {
        "timestamp-line", "speaker-name-line"},
    "data-team-roles": {"old-schema"},
    "cloud-data-governance": {"untimed-lines", "duplicate-line", "time-gap"},
    "developer-personal-brand-learn-in-public": {"duplicate-line", "untimed-lines"},
    "machine-learning-decision-optimization": {
        "speaker-name-line", "uncertain-speaker", "empty-line"},
    "applied-llm-research-and-career-growth-in-practice": {"who-sentence", "shared-time"},
    "learning-machine-learning-self-taught-bioinformatics": {"bad-time"},
    "kaggle-grandmaster-to-production-ml-and-education": {"youtube-id-cleaned"},
    "mlops-kubeflow-model-monitoring": {"time-backwards"},
    "production-ml-search-vector-search-embeddings-hybrid-search": {
        "unknown-speaker", "guest-silent"},
}  # fmt: skip


def test_every_corpus_episode_loads_with_the_expected_warnings(corpus_dir):
    manifest = json.loads((corpus_dir / "MANIFEST.json").read_text())
    listed = {entry["path"].split("/")[-1][:-3] for entry in manifest["episodes"]}
    assert listed <= {p.stem for p in corpus_episodes()}
    for path in corpus_episodes():
        episode = load_episode(path)
        assert episode.lines, path
        assert all(x.end > x.start for x in episode.lines), path
        starts = [x.start for x in episode.lines]
        assert starts == sorted(starts), path
        codes = {w.code for w in episode.warnings}
        assert EXPECTED_WARNINGS.get(path.stem, set()) <= codes, (path.stem, codes)


def test_corpus_speakers_resolve_to_full_names(corpus_dir):
    def names(slug):
        return {x.speaker_name for x in load_episode(corpus_dir / "_podcast" / f"{slug}.md").lines}

    assert names("mlops-kubeflow-model-monitoring") == {
        "Alexey Grigorev",
        "Theofilos Papapanagiotou",
    }
    assert "José María Sánchez Salas" in names(
        "remote-data-engineering-work-and-building-iot-platforms"
    )
    assert names("developer-personal-brand-learn-in-public") == {
        "Alexey Grigorev",
        "Shawn Swyx Wang",
    }


def test_corpus_artwork_with_a_space_in_its_path_is_found(corpus_dir):
    episode = load_episode(
        corpus_dir / "_podcast" / "production-ml-search-vector-search-embeddings-hybrid-search.md"
    )
    assert episode.artwork is not None and episode.artwork.exists()


def test_the_site_title_names_the_show_and_a_broken_config_is_a_warning(tmp_path):
    path = write_site(tmp_path, [line("A fine line of text here.", 5, "Jane")])
    assert load_episode(path).show == ""  # a site without _config.yml names no show
    (tmp_path / "_config.yml").write_text("title: Small Batch Data\nbaseurl: ''\n")
    assert load_episode(path).show == "Small Batch Data"
    (tmp_path / "_config.yml").write_text("title: {name: not a name}\n")
    assert load_episode(path).show == ""  # only a text names the show
    (tmp_path / "_config.yml").write_text("title: [unclosed\n")
    episode = load_episode(path)
    assert episode.show == ""
    assert [w.code for w in episode.warnings] == ["site-config"]
    assert "_config.yml" in episode.warnings[0].message
