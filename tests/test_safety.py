"""Brand safety: what is never quoted, what only --allow-profanity lets through,
and ordinary words that must stay quotable."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from clipper.batch.config import parse_settings
from clipper.cli.main import main
from clipper.episode.load import load_episode
from clipper.errors import ClipperError
from clipper.select import safety
from clipper.select.safety import unsafe_reason
from clipper.select.selector import SelectOptions, select_quotes
from tests.sitebuilder import line, write_site

SWEARING = (
    "The hardest part is not building the model; it is getting the damn thing into production.",
    "You should never ship a model you cannot explain, because that is pure bullsh1t.",
    "The best teams never wait for perfect data; they ship the f*cking prototype first.",
)
INSULTS = (
    "Most recruiters are clueless, so you should never trust a job title on its own.",
    "My old manager was an idiot who never understood that data beats opinions.",
)
PRIVATE = (
    "My colleague Tom was diagnosed with cancer, and the lesson is that health matters more.",
    "The best lesson came when my father passed away: work never matters more than people.",
)
CLEAN = (
    "You should build one small project that solves a real problem for someone you know.",
    "The best way to learn SQL is to answer real questions with it every single day.",
    "Good teams never ship a dashboard before they agree on the decision it supports.",
)


@pytest.fixture
def risky_episode(tmp_path):
    """A guest whose best-shaped lines swear, insult or expose someone's private life."""
    texts = [*SWEARING, *INSULTS, *PRIVATE, *CLEAN]
    transcript = [line("Welcome to the show, Jane.", 0, "Hosty")]
    for i, text in enumerate(texts):
        transcript += [
            line("What would you tell someone starting out?", 20 + 40 * i, "Hosty"),
            line(text, 30 + 40 * i, "Jane"),
        ]
    return load_episode(write_site(tmp_path, transcript))


def top10(episode, **options):
    return [q.text for q in select_quotes(episode, SelectOptions(top=10, **options))]


def picked(texts, quotes):
    return [t for t in texts if t in quotes]


def test_unsafe_lines_are_the_best_shaped_ones_without_the_filter(risky_episode, monkeypatch):
    monkeypatch.setattr(safety, "unsafe_reason", lambda text, **_: None)
    quotes = top10(risky_episode)
    assert picked(SWEARING, quotes) and picked(INSULTS, quotes) and picked(PRIVATE, quotes)


def test_default_top_10_holds_no_swearing_insult_or_private_detail(risky_episode):
    quotes = top10(risky_episode)
    assert picked(CLEAN, quotes) == list(CLEAN)
    assert not picked(SWEARING + INSULTS + PRIVATE, quotes)


def test_allow_profanity_lifts_only_the_word_list(risky_episode):
    quotes = top10(risky_episode, allow_profanity=True)
    assert picked(SWEARING, quotes)
    assert not picked(INSULTS + PRIVATE, quotes)


def test_avoid_takes_words_and_regexes(risky_episode):
    quotes = top10(risky_episode, avoid=("sql", r"\bdash\w+"))
    assert CLEAN[0] in quotes
    assert CLEAN[1] not in quotes and CLEAN[2] not in quotes


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("That is such bullshit.", "profanity"),
        ("Honestly, sh!t happens in production.", "profanity"),
        ("He is a real a$$hole about code review.", "profanity"),
        ("This is f u c k i n g hard.", "profanity"),
        ("What a f.u.c.k.i.n.g mess that was.", "profanity"),
        ("Fuuuuck, that took a week.", "profanity"),
        ("What the f**k is a data mesh?", "profanity"),
        ("Those people are retards.", "slur"),
        ("They are so lazy about testing.", "insult"),
        ("What an idiot, he deleted the table.", "insult"),
        ("Mark is a total clown when it comes to SQL.", "insult"),
        ("His wife had a miscarriage last spring.", "private"),
        ("My brother is struggling with depression.", "private"),
        ("She lives at 221 Baker Street, near the station.", "private"),
        ("You can reach him on 555-123-4567 any time.", "private"),
    ],
)
def test_reasons(text, reason):
    assert unsafe_reason(text) == reason
    lifted = unsafe_reason(text, allow_profanity=True)
    assert lifted == (None if reason == "profanity" else reason)


@pytest.mark.parametrize(
    "text",
    [
        "Scunthorpe is a town, and its data team is great.",
        "We need to assess the class imbalance before any analysis.",
        "I was sick of spreadsheets, so I learned Python.",
        "I felt like an idiot in my first week, and that is normal.",
        "I was so stupid back then about testing.",
        "If you are lazy about tests, production will teach you.",
        "Excel is useless for this kind of work.",
        "We had to kill the process and execute the job again.",
        "I have a BS in physics and I used MF models for recommendations.",
        "Our money was tied up in a huge fat dataset.",
        "We built a model for cancer diagnosis with my colleague.",
        "He had a stroke of luck with that first job.",
        "Dick Grune wrote the book on parsing techniques.",
        "I graduated summa cum laude in 2015 with 455 credits.",
        "Cocktail parties and the Cockburn method are fine topics.",
    ],
)
def test_ordinary_text_is_safe(text):
    assert unsafe_reason(text) is None


def test_bad_avoid_regex_is_a_one_line_error(risky_episode, tmp_path):
    with pytest.raises(ClipperError, match="not a valid regex"):
        select_quotes(risky_episode, SelectOptions(avoid=("crypto(",)))
    with pytest.raises(ClipperError, match=r"^selection\.avoid\[1\]: 'crypto\(' is not a valid"):
        parse_settings({"selection": {"avoid": ["acme", "crypto("]}}, tmp_path)


def test_settings_reach_select_options(tmp_path):
    settings = parse_settings({"selection": {"allow_profanity": True, "avoid": ["acme"]}}, tmp_path)
    options = settings.selection.options()
    assert options.allow_profanity and options.avoid == ("acme",)


def test_cli_allow_profanity(risky_episode):
    args = ["select", str(risky_episode.path), "--json", "--top", "10"]
    plain = CliRunner().invoke(main, args).output
    allowed = CliRunner().invoke(main, [*args, "--allow-profanity"]).output
    assert "damn" not in plain and "f*cking" not in plain
    assert "damn" in allowed or "f*cking" in allowed or "bullsh1t" in allowed
