"""The join model: where a quote starts and ends inside a speaker turn."""

import dataclasses
import json

import pytest

from clipper.episode.load import load_episode
from clipper.errors import ClipperError
from clipper.select.features import sentence_facts
from clipper.select.joins import JOIN_FEATURES, SURE_CUT, pair_features
from clipper.select.ranker import default_ranker, load_ranker
from clipper.select.selector import SelectOptions, select, select_quotes
from tests.sitebuilder import line, write_site

SET_UP = "If nobody uses your model, accuracy does not matter."


def join_chance(first: str, second: str, new_paragraph: bool = False) -> float:
    values = pair_features(sentence_facts(first), sentence_facts(second), new_paragraph)
    return default_ranker().joins.probability(values)


@pytest.fixture
def two_points(tmp_path):
    """One guest turn over two transcript paragraphs, one point in each."""
    return load_episode(
        write_site(
            tmp_path,
            [
                line("What did you learn about data models?", 0, "Hosty"),
                line(
                    "We start with the decision, not with the data. If you cannot name the "
                    "decision a table supports, you should not build the table yet.",
                    10,
                    "Jane",
                ),
                line("The best data model I ever shipped was the boring one.", 25, "Jane"),
            ],
        )
    )


def test_the_shipped_join_model_reads_the_text():
    # A new transcript paragraph is the strongest sign of a new point.
    assert join_chance(SET_UP, "It is the first thing I tell new hires.", True) < SURE_CUT
    # A sentence that leans back on the one before belongs with it more often
    # than one that starts afresh.
    leaning = join_chance(SET_UP, "It is the first thing I tell every new hire on the team.")
    fresh = join_chance(SET_UP, "The best data model I ever shipped was the boring one.")
    assert leaning > fresh


def test_two_points_are_two_candidates_not_one(two_points):
    chosen = select(two_points, SelectOptions(top=5))
    texts = [quote.text for quote in chosen.quotes]
    assert texts and not any("table yet. The best" in text for text in texts)
    assert chosen.removed["joins two separate points"] > 0


def test_the_example_top_pick_is_one_point(example_episode):
    top = select_quotes(load_episode(example_episode), SelectOptions(top=1))[0]
    assert "build the table yet" in top.text  # the example's best line ...
    assert "boring one" not in top.text  # ... without the next point glued on


def test_explain_says_why_the_span_starts_and_ends_there(two_points):
    from click.testing import CliRunner

    from clipper.cli import main

    result = CliRunner().invoke(main, ["select", str(two_points.path), "--explain"])
    assert result.exit_code == 0, result.output
    assert "span before: 'We start with the decision, not...' could belong" in result.output
    assert "span after: 'The best data model I ever...' is a new point" in result.output
    assert "removed: joins two separate points" in result.output


def test_weights_without_a_join_model_still_load_and_select(tmp_path, two_points):
    data = dataclasses.asdict(default_ranker())
    del data["joins"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    old = load_ranker(path)
    assert old.joins is None
    texts = [q.text for q in select_quotes(two_points, SelectOptions(top=5), weights=old)]
    assert any("table yet. The best" in text for text in texts)  # glued, as before


def test_a_join_model_of_other_features_is_refused(tmp_path):
    data = dataclasses.asdict(default_ranker())
    data["joins"]["features"] = ["something_else", *JOIN_FEATURES[1:]]
    path = tmp_path / "other.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ClipperError, match="join model"):
        load_ranker(path)


def test_fit_joins_learns_cuts_from_pairs():
    pytest.importorskip("sklearn")
    from clipper.select.training import EpisodeRows, fit_joins

    paragraph = JOIN_FEATURES.index("new_paragraph")
    pairs, joined = [], []
    for i in range(40):
        values = [float((i * 7 + k) % 3 == 0) for k in range(len(JOIN_FEATURES))]
        values[paragraph] = float(i % 2)
        pairs.append(values)
        joined.append(1 - i % 2)  # a new paragraph is always a cut
    model = fit_joins([EpisodeRows("x", [], [], [], [], pairs, joined)])
    assert model.weights[paragraph] < 0
    assert model.probability(pairs[1]) < 0.5 < model.probability(pairs[0])


def test_eval_compares_two_runs_episode_by_episode(eval_select):
    def rows(*p5):
        return [eval_select.Row(f"e{i}", p, p, 0.0, 1.0) for i, p in enumerate(p5)]

    line = eval_select.versus(rows(0.6, 0.4, 0.8), rows(0.4, 0.4, 1.0), "before")
    assert "P@5 +0.000" in line and "paired SE 0.115" in line
    assert "won 1, lost 1, tied 1" in line
