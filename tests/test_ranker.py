"""The learned ranker: shipped weights, diversity, several kinds, explanations, evaluation."""

import json
import os
import subprocess
import sys

import pytest

from clipper.episode.load import load_episode
from clipper.select.candidates import connective_words
from clipper.select.features import sentence_facts
from clipper.select.labels import overlap_hit, vocabulary
from clipper.select.ranker import default_ranker
from clipper.select.selector import SelectOptions, select, select_quotes
from tests.conftest import LABELS, corpus_episodes
from tests.sitebuilder import interview, line, write_site


@pytest.fixture
def talk(tmp_path):
    """A guest answering three questions in two sections; one answer is long."""
    return load_episode(
        write_site(
            tmp_path,
            [
                {"header": "Career"},
                line("How did you start in data?", 0, "Hosty"),
                line(
                    "So, the best way to learn is to build a project that someone really uses. "
                    "You should never wait until you feel ready to share your work. "
                    "If nobody uses your model, it does not matter how accurate it is.",
                    10,
                    "Jane",
                ),
                line("And what about courses?", 40, "Hosty"),
                line(
                    "The course from this community changed my career completely. "
                    "The best course ever, honestly, for anyone who wants to switch.",
                    50,
                    "Jane",
                ),
                {"header": "Teams"},
                line("What makes a good data team?", 80, "Hosty"),
                line(
                    "Good teams never ship a dashboard before they agree on the decision it "
                    "supports. Data quality is not a tool problem; it is a people problem.",
                    90,
                    "Jane",
                ),
            ],
        )
    )


def test_shipped_weights_load_and_score_without_scikit_learn(example_episode):
    code = (
        "import sys\n"
        "for name in ('sklearn', 'numpy', 'scipy'):\n"
        "    sys.modules[name] = None  # any import of them fails\n"
        "from clipper.episode.load import load_episode\n"
        "from clipper.select.selector import select_quotes\n"
        "print(len(select_quotes(load_episode(sys.argv[1]))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(example_episode)], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) > 0
    ranker = default_ranker()
    assert ranker.features and ranker.words, "the shipped file holds feature and word weights"


def test_no_two_picks_from_one_turn_and_one_per_point(talk):
    picks = select(talk, SelectOptions(top=10)).picks
    turns = [p.scored.span.turn.number for p in picks]
    assert len(turns) == len(set(turns)) == 3  # three guest answers, three picks


def test_lines_pointing_back_at_the_conversation_are_not_ranked(tmp_path):
    episode = load_episode(
        interview(
            tmp_path,
            (
                "What should a junior data scientist focus on?",
                "As you mentioned, the best way to learn is to ship a project people use.",
            ),
            (
                "And the hardest part?",
                "Like I said, if nobody uses your model, it does not matter how accurate it is.",
            ),
            ("Anything else?", "Data quality is a people problem before it is a tool problem."),
        )
    )
    texts = [quote.text for quote in select_quotes(episode, SelectOptions(top=10))]
    assert texts == ["Data quality is a people problem before it is a tool problem."]


def test_selection_is_the_same_whatever_the_hash_seed(corpus_dir):
    episode = corpus_dir / "_podcast" / "cloud-data-governance.md"
    outputs = {
        subprocess.run(
            [
                sys.executable,
                "-m",
                "clipper.cli.main",
                "select",
                str(episode),
                "--json",
                "--top",
                "40",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


def test_spoken_connectives_are_dropped_from_the_front(talk):
    assert connective_words(["So,", "the", "best", "way", "is", "this", "one."]) == 1
    assert connective_words(["So", "many", "people", "try", "it."]) == 0
    quotes = select_quotes(talk, SelectOptions(top=10, match="best way to learn"))
    assert quotes[0].text.startswith("The best way to learn")
    assert quotes[0].start > 10.0, "the clip starts after the dropped word"


def test_several_kinds_in_one_pass_share_one_de_duplication(talk):
    quotes = select_quotes(talk, SelectOptions(kinds=(("testimonial", 1), ("any", 5))))
    assert quotes[0].kind == "testimonial"
    assert len({q.id for q in quotes}) == len(quotes) == 3
    assert sum("course" in q.text for q in quotes) == 1


def test_quotes_carry_reasons_and_explain_lists_terms_and_rivals(talk):
    chosen = select(talk, SelectOptions(top=3))
    assert all(q.reasons for q in chosen.quotes)
    first = chosen.picks[0]
    assert first.rivals, "the long answer has rivals from the same turn"
    assert sum(first.contributions.values()) + default_ranker().bias == pytest.approx(
        first.scored.score, abs=1e-3
    )


def test_cli_explain_and_json_features(talk):
    from click.testing import CliRunner

    from clipper.cli import main

    runner = CliRunner()
    explained = runner.invoke(main, ["select", str(talk.path), "--top", "2", "--explain"])
    assert explained.exit_code == 0, explained.output
    assert "why:" in explained.output and "removed before ranking:" in explained.output
    as_json = runner.invoke(main, ["select", str(talk.path), "--top", "2", "--json"])
    data = json.loads(as_json.output)
    assert "host" in data[0]["features"] and data[0]["reasons"]


def test_hit_rule_counts_half_of_the_shorter_text():
    short = vocabulary("Data quality is a people problem.")
    assert overlap_hit(short, vocabulary("In the end data quality is a people problem, always."))
    assert not overlap_hit(short, vocabulary("Good teams never ship a dashboard."))


def test_no_corpus_top_five_holds_two_picks_from_one_turn(corpus_dir):
    for path in corpus_episodes():
        picks = select(load_episode(path), SelectOptions(top=5)).picks
        turns = [p.scored.span.turn.number for p in picks]
        assert len(turns) == len(set(turns)), path.stem


@pytest.fixture
def labels_dir():
    if not LABELS.is_dir():
        pytest.skip("../shared/labels is not present")
    return LABELS


def test_eval_shows_the_ranker_beating_the_naive_baseline(labels_dir, eval_select):
    from clipper.select.labels import load_labels

    labeled = [item for item in load_labels(labels_dir) if item.path.parent.parent.name == "corpus"]
    ranker, naive = [], []
    for item in labeled:
        episode = load_episode(item.path)
        ranker.append(eval_select.score(item, eval_select.default_selector(episode)))
        naive.append(eval_select.score(item, eval_select.longest_guest_sentences(episode)))
    mean = sum(r.p5 for r in ranker) / len(ranker)
    assert mean >= sum(r.p5 for r in naive) / len(naive) + 0.15
    assert all(r.standalone == 1.0 for r in ranker)


def test_eval_learning_curve_gives_the_gain_per_doubling_of_labels(eval_select):
    line = eval_select.gain_per_doubling([4, 8, 16], [0.50, 0.55, 0.60])
    assert "+0.050 per doubling" in line and "needs about 64" in line
    assert "did not help" in eval_select.gain_per_doubling([4, 8], [0.5, 0.5])


def test_explain_counts_what_brand_safety_removed(tmp_path):
    from clipper.select.selector import Selection

    answer = (
        "The hardest part is not the model, it is the damn shitty deployment. "
        "Good teams agree on the decision before they build any dashboard."
    )
    episode = load_episode(interview(tmp_path, ("What matters most?", answer)))
    chosen: Selection = select(episode, SelectOptions(top=5))
    assert chosen.removed["profanity"] >= 1
    assert all("shitty" not in q.text for q in chosen.quotes)


@pytest.mark.parametrize(
    ("sentence", "logistics"),
    [
        ("Thanks everyone for joining us today, it was a great conversation.", True),
        ("Thanks a lot for joining us, and see you next time.", True),
        ("Thank you all for listening.", True),
        ("Thanks, everyone, for being here.", True),
        ("Have a great weekend, everybody.", True),
        ("Thanks to this course I landed my first data job.", False),
        ("Thanks to my mentor for everything she taught me about testing.", False),
        ("Good teams never ship a dashboard before they agree on the decision.", False),
    ],
)
def test_closing_pleasantries_count_as_show_logistics(sentence, logistics):
    """The host's goodbye is logistics, however many words sit between the
    thanks and the "for"; thanking a course or a person for what they did is praise."""
    assert ("logistics" in sentence_facts(sentence).flags) == logistics
