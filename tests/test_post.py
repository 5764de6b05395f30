"""Post text per platform: content, limits, graceful trimming, post.md."""

from __future__ import annotations

import dataclasses

import pytest

from clipper.batch.config import PostSettings
from clipper.batch.post import (
    PLATFORMS,
    fill,
    hashtag,
    hashtags,
    post_text,
    post_texts,
    render_post_md,
    shorten,
    text_length,
    x_length,
)
from clipper.episode import load_episode
from clipper.errors import ClipperError
from clipper.select.quote import Quote
from tests import factories

SHORT = "Build the smallest dashboard that answers one real question."
LONG = (
    "I spent six years on the warehouse floor before I wrote my first SQL query. "
    "What I learned there is that nobody cares about your pipeline if the people "
    "who pick and pack cannot read the numbers at a glance. "
    "So every dashboard we ship now starts with one question from the floor, "
    "and we only add a chart when somebody asks for it twice."
)


@pytest.fixture
def episode(example_episode):
    return load_episode(example_episode)


def make_quote(text: str, start: float = 754.6) -> Quote:
    return factories.make_quote(text, id="q1", episode="ep", start=start, end=start + 10, lines=[3])


def test_hashtags_are_camel_case_deduplicated_and_limited():
    assert hashtag("data governance") == "#DataGovernance"
    assert hashtag("MLOps") == "#MLOps"
    assert hashtag("C++ / Rust") == "#CRust"
    assert hashtag("---") == ""
    assert hashtags(["data science", "Data Science", "---", "mlops", "sql"], 3) == [
        "#DataScience",
        "#Mlops",
        "#Sql",
    ]


def test_x_length_counts_links_as_23_and_wide_characters_as_two():
    assert x_length("hello") == 5
    assert x_length("see https://example.com/a/very/long/path?with=query") == 4 + 23
    assert x_length("“quote” — name…") == 14 + 2  # the ellipsis is outside the light ranges
    assert x_length("日本") == 4


def test_a_short_quote_gets_everything_on_every_platform(episode):
    texts = post_texts(episode, make_quote(SHORT), PostSettings())
    assert set(texts) == set(PLATFORMS)
    for name, text in texts.items():
        assert f"“{SHORT}”" in text
        assert "Ines Kowalczyk" in text
        assert text_length(PLATFORMS[name], text) <= PLATFORMS[name].limit
    linkedin = texts["linkedin"]
    assert episode.title in linkedin
    assert episode.page_url in linkedin
    assert f"{episode.youtube_url()}&t=754" in linkedin
    assert "#AnalyticsEngineering #CareerTransition #DataEngineering" in linkedin


def test_a_quote_nobody_is_named_for_has_no_signature_and_the_show_fills_its_field(episode):
    quote = dataclasses.replace(make_quote(SHORT), speaker="speaker", speaker_name="Speaker")
    settings = PostSettings(template="“{quote}”\n— {speaker}\n{show}: {label_title}")
    text = post_text(
        dataclasses.replace(episode, show="Small Batch Data"), quote, PLATFORMS["x"], settings
    )
    assert "Speaker" not in text and "—" not in text
    assert "Small Batch Data: S03E07" in text
    assert "## 1. At 12:34 (q1)" in render_post_md(episode, [quote], {"q1": {}})


def test_instagram_text_has_no_links_because_captions_do_not_link(episode):
    text = post_texts(episode, make_quote(SHORT), PostSettings())["instagram"]
    assert "http" not in text
    assert "Watch this moment" not in text


def test_long_posts_shed_hashtags_then_title_then_page_link_before_the_quote(episode):
    x = post_text(episode, make_quote(LONG), PLATFORMS["x"], PostSettings())
    assert x_length(x) <= 280
    assert "#" not in x
    assert episode.page_url not in x
    assert f"{episode.youtube_url()}&t=754" in x, "the link to the moment stays"
    assert x.startswith("“I spent six years on the warehouse floor")
    assert "…" in x or x.split("”")[0].endswith((".", "!", "?"))
    bluesky = post_text(episode, make_quote(SHORT), PLATFORMS["bluesky"], PostSettings())
    assert f"“{SHORT}”" in bluesky, "a short quote is never cut"


def test_without_a_youtube_id_the_watch_line_disappears(episode):
    no_video = dataclasses.replace(episode, youtube_id=None)
    text = post_text(no_video, make_quote(SHORT), PLATFORMS["linkedin"], PostSettings())
    assert "Watch this moment" not in text
    assert "youtube" not in text


@pytest.mark.parametrize("words", [5, 20, 40, 80, 160])
def test_every_platform_stays_within_its_limit_whatever_the_quote(episode, words):
    text = " ".join(f"word{i}." if i % 9 == 8 else f"word{i}" for i in range(words))
    for name, post in post_texts(episode, make_quote(text), PostSettings()).items():
        assert text_length(PLATFORMS[name], post) <= PLATFORMS[name].limit
        assert "Ines Kowalczyk" in post


def test_shorten_prefers_sentence_ends_then_words_with_an_ellipsis():
    assert shorten("One two. Three four.", 100) == "One two. Three four."
    assert shorten("One two. Three four five.", 15) == "One two."
    assert shorten("Alpha beta gamma delta", 13) == "Alpha beta…"
    assert len(shorten(LONG, 120)) <= 120


def test_fill_drops_lines_whose_field_is_empty_and_collapses_blank_lines():
    template = "{quote}\n\nby {speaker}\n\n{hashtags}\n\nend"
    assert fill(template, {"quote": "Q", "speaker": "", "hashtags": ""}) == "Q\n\nend"


def test_a_template_with_no_room_for_the_quote_is_an_error(episode):
    settings = PostSettings(template="{quote}\n" + "x" * 400)
    with pytest.raises(ClipperError, match="no room for the quote on X"):
        post_text(episode, make_quote(SHORT), PLATFORMS["x"], settings)


def test_post_md_lists_each_quote_with_fenced_texts_and_asset_links(episode):
    quotes = [make_quote(SHORT), dataclasses.replace(make_quote(LONG, 62.0), id="q2")]
    texts = {q.id: post_texts(episode, q, PostSettings()) for q in quotes}
    markdown = render_post_md(episode, quotes, texts, {"q1": ["cards/q1-square.png"]})
    assert markdown.startswith(f"# S03E07 · {episode.title}\n")
    assert "## 1. Ines Kowalczyk at 12:34 (q1)" in markdown
    assert "## 2. Ines Kowalczyk at 1:02 (q2)" in markdown
    assert "Cards: [square](cards/q1-square.png)" in markdown
    assert markdown.count("````text") == 2 * len(PLATFORMS)
    assert f"### X ({x_length(texts['q1']['x'])}/280)" in markdown
