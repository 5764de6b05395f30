import re

import pytest

from clipper.episode import Line, load_episode
from clipper.episode.sentences import split_sentences
from clipper.errors import ClipperError
from clipper.select.candidates import (
    _CONVERSATION,
    _FULL_STOP,
    Turn,
    candidate_spans,
    points_back,
    speaker_turns,
)
from clipper.select.quote import load_quotes, save_quotes
from clipper.select.selector import SelectOptions, select_quotes
from tests.conftest import corpus_episodes
from tests.sitebuilder import line, write_site


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("One thing. Another thing!", ["One thing.", "Another thing!"]),
        ("Use a tool, e.g. Python. It works.", ["Use a tool, e.g. Python.", "It works."]),
        ("Ask Dr. Smith first. Then go.", ["Ask Dr. Smith first.", "Then go."]),
        ("Python 3.5 was out. Then 3.6 came.", ["Python 3.5 was out.", "Then 3.6 came."]),
        ("From point A to point B. It is easy.", ["From point A to point B.", "It is easy."]),
        ("John F. Kennedy said it. Yes.", ["John F. Kennedy said it.", "Yes."]),
        ("Is it? I think so.", ["Is it?", "I think so."]),
        ("He said “Go now.” And we went.", ["He said “Go now.”", "And we went."]),
        ("No end punctuation here", ["No end punctuation here"]),
        ("the U.S. market is big. True.", ["the U.S. market is big.", "True."]),
    ],
)
def test_split_sentences(text, sentences):
    assert split_sentences(text) == sentences


def test_span_facts_from_the_turn_agree_with_the_span_text(example_episode):
    """What a span reads from its turn (built once per turn) is what its own
    text says: its words (a set iterating in the same order, as the wording
    term adds up in that order), its source lines, whether it ends a sentence
    and whether it points back at the conversation."""
    spoken = "So it was like. You said “great” question! And as we discussed, it works. Right"
    turn = Turn(0, [Line(0, "Jane", "jane", "Jane", "guest", spoken, 0.0, 9.0, None)])
    spans = candidate_spans([turn, *speaker_turns(load_episode(example_episode))])
    assert any(span.trim for span in spans) and any(points_back(span) for span in spans)
    for span in spans:
        words = frozenset(re.findall(r"[a-z0-9']+", span.text.lower()))
        assert span.vocabulary == words and list(span.vocabulary) == list(words)
        lines = span.turn.word_lines[span.word_range.start : span.word_range.stop]
        assert span.lines == list({line.index: line for line in lines}.values())
        ends = span.turn.full_stops[span.first_sentence + span.count - 1]
        assert ends == bool(_FULL_STOP.search(span.sentences[-1]))
        assert points_back(span) == bool(_CONVERSATION.search(span.text))


@pytest.fixture
def site_episode(tmp_path):
    """A guest and a host over three sections, with lines of every kind."""
    path = write_site(
        tmp_path,
        [
            {"header": "Welcome"},
            line("Welcome to the show, Jane. Thanks for having me here today.", 0, "Hosty"),
            {"header": "Career"},
            line(
                "I worked in a warehouse for six years before I wrote any code. "
                "The course from this community changed my career completely.",
                20,
                "Jane",
            ),
            line("What was the hardest part of the switch for you?", 40, "Hosty"),
            line(
                "The hardest part is not learning the tools; it is learning to ask good questions. "
                "Yeah. And that took me a long time to be honest.",
                50,
                "Jane",
            ),
            {"header": "Advice"},
            line(
                "You should build one small project that solves a real problem for someone you know.",
                80,
                "Jane",
            ),
            line(
                "Good teams never ship a dashboard before they agree on the decision it supports.",
                100,
                "Hosty",
            ),
            line("Okay.", 115, "Jane"),
        ],
    )
    return load_episode(path)


def texts(quotes):
    return [q.text for q in quotes]


def test_ranking_prefers_standalone_statements(site_episode):
    quotes = select_quotes(site_episode, SelectOptions(top=10))
    assert quotes
    assert all("?" not in q.text for q in quotes)
    assert all(not q.text.startswith(("And ", "Yeah", "Okay", "Welcome")) for q in quotes)
    best = [q.text for q in quotes[:3]]
    assert any(text.startswith("The hardest part is not learning the tools") for text in best)


def test_kind_filter(site_episode):
    testimonials = select_quotes(site_episode, SelectOptions(kind="testimonial"))
    assert texts(testimonials) == ["The course from this community changed my career completely."]
    advice = select_quotes(site_episode, SelectOptions(kind="advice"))
    assert all(q.kind == "advice" for q in advice) and advice


def test_speaker_filter(site_episode):
    for wanted in ("guest", "Jane Doe", "janedoe", "jane"):
        quotes = select_quotes(site_episode, SelectOptions(speaker=wanted))
        assert quotes and {q.speaker for q in quotes} == {"janedoe"}, wanted
    hosts = select_quotes(site_episode, SelectOptions(speaker="host"))
    assert {q.role for q in hosts} == {"host"}


def test_section_filter_by_regex_and_number(site_episode):
    by_name = select_quotes(site_episode, SelectOptions(section="^adv"))
    by_number = select_quotes(site_episode, SelectOptions(section="3"))
    assert by_name and texts(by_name) == texts(by_number)
    assert {q.section for q in by_name} == {"Advice"}


def test_word_and_second_limits(site_episode):
    short = select_quotes(site_episode, SelectOptions(max_words=10, min_words=5))
    assert short and all(5 <= len(q.text.split()) <= 10 for q in short)
    brief = select_quotes(site_episode, SelectOptions(max_seconds=12))
    assert brief and all(q.end - q.start <= 12 for q in brief)
    longer = select_quotes(site_episode, SelectOptions(min_seconds=12))
    assert longer and all(q.end - q.start >= 12 for q in longer)


def test_between_match_and_top(site_episode):
    window = select_quotes(site_episode, SelectOptions(between=(45, 95)))
    assert window and all(q.start >= 45 and q.end <= 95 for q in window)
    matched = select_quotes(site_episode, SelectOptions(match="dashboard"))
    assert texts(matched) == [
        "Good teams never ship a dashboard before they agree on the decision it supports."
    ]
    assert len(select_quotes(site_episode, SelectOptions(top=1))) == 1


def test_explicit_picks_by_line_and_time(site_episode):
    by_line = select_quotes(site_episode, SelectOptions(lines=(7,)))
    by_time = select_quotes(site_episode, SelectOptions(at=(85,)))
    assert (
        texts(by_line)
        == texts(by_time)
        == ["You should build one small project that solves a real problem for someone you know."]
    )
    with pytest.raises(ClipperError):
        select_quotes(site_episode, SelectOptions(lines=(999,)))


def test_invalid_options_are_errors(site_episode):
    """The library names the field; the CLI and settings name the flag or key."""
    with pytest.raises(ClipperError, match=r"^match: '\(unclosed' is not a valid regex"):
        select_quotes(site_episode, SelectOptions(match="(unclosed"))
    with pytest.raises(ClipperError, match=r"^kind: must be one of") as raised:
        select_quotes(site_episode, SelectOptions(kind="funny"))
    assert raised.value.field == "kind" and raised.value.key is None


def test_timing_interpolates_by_word_position(site_episode):
    (quote,) = select_quotes(site_episode, SelectOptions(kind="testimonial"))
    source = next(x for x in site_episode.lines if x.index == quote.lines[0])
    words = source.text.split()
    first_word = words.index("The")
    span = source.end - source.start
    assert quote.start == pytest.approx(source.start + span * first_word / len(words), abs=0.01)
    assert quote.end == pytest.approx(source.end, abs=0.01)  # ends with the line
    assert quote.url.endswith(f"&t={int(quote.start)}")


def test_ids_are_stable_and_quotes_round_trip_through_the_file(site_episode, tmp_path):
    first = select_quotes(site_episode)
    assert [q.id for q in first] == [q.id for q in select_quotes(site_episode)]
    assert len({q.id for q in first}) == len(first)
    save_quotes(tmp_path / "quotes.yaml", first)
    assert load_quotes(tmp_path / "quotes.yaml") == first


def test_hand_edited_quotes_file_errors_name_the_file_and_key(tmp_path):
    path = tmp_path / "quotes.yaml"
    path.write_text("- text: Hello there friend.\n  start: 5\n  ends: 9\n")
    with pytest.raises(ClipperError, match=r"quotes.yaml: quote 1: unknown key 'ends'"):
        load_quotes(path)
    path.write_text("- text: Hello.\n  start: 9\n  end: 5\n")
    with pytest.raises(ClipperError, match="must be after"):
        load_quotes(path)
    path.write_text("- text: Hello.\n  start: 9\n")
    with pytest.raises(ClipperError, match="quote 1: 'start' without 'end': give both or neither"):
        load_quotes(path)


def test_a_quote_given_only_its_text_waits_to_be_timed(tmp_path):
    path = tmp_path / "quotes.yaml"
    path.write_text("- text: Start small.\n  lines: [40]\n- text: Ask.\n  start: null\n")
    first, second = load_quotes(path)
    assert (first.start, first.end, first.lines, first.timed) == (None, None, [40], False)
    assert first.duration == 0 and not second.timed


S21E08 = (
    "from-semiconductor-data-to-applied-machine-learning",
    "s21e08-from-semiconductors-to-machine-learning-career-in-data-and-teaching",
)
HIGHLIGHTS = (
    "If nobody uses your machine learning model, it does not matter",
    "The hardest part is not making the model; it is using the model",
    "LLMs have become like cars",
    "best course ever",
    "game changer",
)


@pytest.mark.parametrize("slug", S21E08)
def test_s21e08_testimonials_and_highlights(corpus_dir, slug):
    episode = load_episode(corpus_dir / "_podcast" / f"{slug}.md")
    testimonials = " | ".join(
        texts(select_quotes(episode, SelectOptions(kind="testimonial", top=5)))
    )
    assert "best course ever" in testimonials
    assert "game changer" in testimonials
    top10 = " | ".join(texts(select_quotes(episode, SelectOptions(top=10))))
    assert sum(h in top10 for h in HIGHLIGHTS) >= 3


def test_artifact_lines_are_never_quotes(corpus_dir):
    episode = load_episode(corpus_dir / "_podcast" / f"{S21E08[0]}.md")
    every = select_quotes(episode, SelectOptions(top=300, min_words=1, max_words=200))
    assert every
    for quote in every:
        assert "0 4:15" not in quote.text
        assert quote.text.strip(". ") != "Dashel"


def test_every_corpus_episode_yields_clean_quotes(corpus_dir):
    for path in corpus_episodes():
        quotes = select_quotes(load_episode(path), SelectOptions(top=5))
        assert quotes, path.stem
        for quote in quotes:
            assert quote.end > quote.start
            assert "?" not in quote.text and "[" not in quote.text
            assert quote.text[-1] in '.!”"’', quote.text
