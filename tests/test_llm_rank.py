"""--ranker llm with a fake model registered through llm's plugin hook; no network."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from clipper.cli.main import main
from clipper.episode.load import load_episode
from clipper.select.llm_rank import Candidate, LlmRankWarning, llm_ranking
from clipper.select.selector import SelectOptions, select_quotes
from tests.sitebuilder import line, write_site

llm = pytest.importorskip("llm")

ANSWERS = (
    "You should build one small project that solves a real problem for someone you know.",
    "The best way to learn SQL is to answer real questions with it every single day.",
    "Good teams never ship a dashboard before they agree on the decision it supports.",
    "The course from this community changed my career, and I recommend it to everyone.",
)


class FakeModel(llm.Model):
    """Answers with ``reply(prompt_text)``; counts its calls."""

    needs_key = None

    model_id = "fake-editor"

    def __init__(self) -> None:
        self.calls = 0
        self.reply = lambda prompt: "[]"

    def execute(self, prompt, stream, response, conversation):
        self.calls += 1
        self.get_key()  # as hosted models do: NeedsKeyException when needs_key has none
        yield self.reply(prompt.prompt)


@pytest.fixture
def fake_model(tmp_path, monkeypatch):
    """A model named ``fake-editor`` in llm's registry, user dir and cache in tmp."""
    monkeypatch.setenv("LLM_USER_PATH", str(tmp_path / "llm"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    model = FakeModel()

    class Plugin:
        __name__ = "ClipperFakeModelPlugin"

        @llm.hookimpl
        def register_models(self, register):
            register(model)

    llm.plugins.pm.register(Plugin(), name="clipper-fake-model")
    try:
        yield model
    finally:
        llm.plugins.pm.unregister(name="clipper-fake-model")


@pytest.fixture
def episode(tmp_path):
    transcript = [line("Welcome to the show, Jane.", 0, "Hosty")]
    for i, text in enumerate(ANSWERS):
        transcript += [
            line("What would you tell someone starting out?", 20 + 40 * i, "Hosty"),
            line(text, 30 + 40 * i, "Jane"),
        ]
    return load_episode(write_site(tmp_path / "site", transcript))


def ids_of(prompt: str, wanted: str) -> str:
    """The id of the candidate line whose text contains ``wanted``."""
    for row in prompt.splitlines():
        record = json.loads(row)
        if wanted in record["text"]:
            return record["id"]
    raise AssertionError(wanted)


def test_the_models_order_kind_and_reason_win(episode, fake_model):
    def reply(prompt):
        ranking = [
            {"id": "no-such-id", "kind": "advice", "reason": "made up"},
            {"id": ids_of(prompt, "dashboard"), "kind": "advice", "reason": "a clear rule"},
            {"id": ids_of(prompt, "SQL"), "kind": "bogus", "reason": "practical"},
            {"id": ids_of(prompt, "dashboard"), "kind": "insight", "reason": "again"},
        ]
        return "```json\n" + json.dumps({"ranking": ranking}) + "\n```"

    fake_model.reply = reply
    offline = select_quotes(episode, SelectOptions(top=4))
    quotes = select_quotes(episode, SelectOptions(top=4, ranker="llm", model="fake-editor"))
    assert [q.text for q in quotes[:2]] == [ANSWERS[2], ANSWERS[1]]
    assert quotes[0].kind == "advice" and quotes[0].reasons == ["llm: a clear rule"]
    assert quotes[1].kind == next(q.kind for q in offline if q.text == ANSWERS[1])
    assert sorted(q.id for q in quotes) == sorted(q.id for q in offline)  # the rest fill in


def test_answers_are_cached_by_content(episode, fake_model):
    fake_model.reply = lambda prompt: json.dumps([ids_of(prompt, "SQL")])
    options = SelectOptions(top=2, ranker="llm", model="fake-editor")
    first = select_quotes(episode, options)
    again = select_quotes(episode, options)
    assert fake_model.calls == 1
    assert first[0].text == again[0].text == ANSWERS[1]
    select_quotes(episode, SelectOptions(top=3, ranker="llm", model="fake-editor"))
    assert fake_model.calls == 2  # another prompt, another answer


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        ("I like the second one best.", "not JSON"),
        ('{"ranking": [{"id": "nope"}]}', "no known candidate id"),
        ('{"picks": []}', "no 'ranking' list"),
    ],
)
def test_bad_answers_fall_back_to_the_offline_ranking(episode, fake_model, reply, message):
    fake_model.reply = lambda prompt: reply
    offline = select_quotes(episode, SelectOptions(top=3))
    with pytest.warns(LlmRankWarning, match=message):
        quotes = select_quotes(episode, SelectOptions(top=3, ranker="llm", model="fake-editor"))
    assert quotes == offline
    assert not list((episode.site_root.parent / "cache").rglob("*.json"))  # nothing cached


def test_model_errors_and_missing_keys_fall_back(fake_model):
    def fail(prompt):
        raise RuntimeError("connection refused\nlong traceback text")

    fake_model.reply = fail
    with pytest.warns(LlmRankWarning, match="fake-editor failed: connection refused;"):
        llm_ranking([Candidate("a", "Jane", "Text.")], model="fake-editor")
    fake_model.needs_key = "fake"  # and no key stored under the test's LLM_USER_PATH
    with pytest.warns(LlmRankWarning, match="llm keys set fake"):
        assert llm_ranking([Candidate("a", "Jane", "Text.")], model="fake-editor") == []


def test_cli_warns_in_one_line_and_still_selects(episode, fake_model):
    args = ["select", str(episode.path), "--ranker", "llm", "--model", "unknown-model"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    warning_lines = [row for row in result.output.splitlines() if row.startswith("warning:")]
    assert warning_lines == [
        "warning: --ranker llm: unknown model 'unknown-model' (see 'llm models'); "
        "using the offline ranking"
    ]
    assert ANSWERS[0][:40] in result.output
