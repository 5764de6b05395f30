"""The review page: content, escaping, self-contained links, a real browser."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from clipper.batch.review import render_index, run_key, write_index
from tests import htmlcheck

PROJECT = Path(__file__).resolve().parents[1]
YOUTUBE = "https://www.youtube.com/watch?v=cLpR9xmpl01"
PAGE = "https://datatalks.club/podcast/demo.html"


def make_out(tmp_path: Path) -> tuple[Path, list[dict]]:
    """An OUT folder with a card, a clip, a poster and captions, and the entries
    describing them (one made episode, one failed)."""
    out = tmp_path / "out dir"
    cards, clips = out / "demo" / "cards", out / "demo" / "clips"
    cards.mkdir(parents=True)
    clips.mkdir(parents=True)
    Image.new("RGB", (540, 675), "#032911").save(cards / "q1 #1-instagram.png")
    Image.new("RGB", (320, 180), "#F4F0ED").save(clips / "q1-16x9.jpg")
    for name in ("q1-16x9.mp4", "q1-16x9.srt", "q1-16x9.vtt"):
        (clips / name).write_bytes(b"stand-in")
    (out / "demo" / "post.md").write_text("# demo\n", encoding="utf-8")
    (out / "demo" / "quotes.yaml").write_text("[]\n", encoding="utf-8")
    (out / "demo" / "demo-kit.zip").write_bytes(b"stand-in")
    post = f"“Ship <small> things & learn.”\n— Ines\n{YOUTUBE}&t=75\n{PAGE}"
    quote = {
        "id": "q1",
        "text": "Ship <small> things & learn.",
        "speaker": "Ines Kowalczyk",
        "kind": "advice",
        "start": 75.0,
        "end": 81.5,
        "record": {
            "id": "q1",
            "text": "Ship <small> things & learn.",
            "start": 75.0,
            "end": 81.5,
            "score": 4.25,
            "reasons": ["imperative advice", "names a concrete habit", "short", "fourth"],
            "timing": "captions",
            "confidence": 0.9,
        },
        "posts": {
            "x": {
                "text": post,
                "length": 120,
                "limit": 280,
                "card": "instagram",
                "clip": "16:9",
                "clip_limit": 5,
            },
            "bluesky": {
                "text": post,
                "length": 310,
                "limit": 300,
                "card": "square",
                "clip": "1:1",
                "clip_limit": 180,
            },
        },
        "errors": ["story: quote too long for 1080x1920"],
        "warnings": ["9:16: longer than 60 s, too long for Shorts"],
        "cards": [{"path": "demo/cards/q1 #1-instagram.png", "size": "instagram", "alt": "Ship"}],
        "clips": [
            {
                "shape": "16:9",
                "duration": 7.1,
                "video": "demo/clips/q1-16x9.mp4",
                "poster": "demo/clips/q1-16x9.jpg",
                "srt": "demo/clips/q1-16x9.srt",
                "vtt": "demo/clips/q1-16x9.vtt",
            }
        ],
    }
    made = {
        "slug": "demo",
        "error": None,
        "review": {
            "title": "Demo <Episode>",
            "label": "S03E07",
            "page_url": PAGE,
            "youtube_url": YOUTUBE,
            "post_md": "demo/post.md",
            "quotes_yaml": "demo/quotes.yaml",
            "kit": "demo/demo-kit.zip",
            "kit_bytes": 4_420_000,
            "warnings": ["time_backwards: line 4: time goes back"],
            "quotes": [quote],
        },
    }
    failed = {"slug": "broken", "error": "broken.md: line 3: YAML error", "review": {}}
    return out, [made, failed]


def test_page_shows_every_asset_post_text_warning_and_failure(tmp_path):
    _, entries = make_out(tmp_path)
    page = render_index(entries)
    assert "Demo &lt;Episode&gt;" in page
    assert "Ship &lt;small&gt; things &amp; learn." in page
    assert "<small>" not in page, "quote text is escaped, never markup"
    assert 'src="demo/cards/q1%20%231-instagram.png"' in page
    assert '<source src="demo/clips/q1-16x9.mp4" type="video/mp4">' in page
    assert 'poster="demo/clips/q1-16x9.jpg"' in page
    assert page.count('class="copy"') == 3, "two posts and the card's alt text"
    assert '<p class="alt" id="demo-q1-alt"><b>Alt text:</b> Ship</p>' in page
    assert "310 / 300 characters" in page and 'class="count over"' in page
    assert "1 warning" in page and "time_backwards" in page
    assert '<p class="errors">story: quote too long for 1080x1920</p>' in page
    assert '<p class="note">9:16: longer than 60 s, too long for Shorts</p>' in page
    assert "broken.md: line 3: YAML error" in page
    assert 'href="#broken"' in page and 'id="broken"' in page


def test_every_asset_has_a_download_link_and_the_episode_a_zip(tmp_path):
    _, entries = make_out(tmp_path)
    page = render_index(entries)
    for path in (
        "demo/cards/q1%20%231-instagram.png",
        "demo/clips/q1-16x9.mp4",
        "demo/clips/q1-16x9.srt",
        "demo/clips/q1-16x9.jpg",
    ):
        assert f'href="{path}" download>' in page, path
    assert '<a class="button" href="demo/demo-kit.zip" download>Download all (4.4 MB)</a>' in page


def test_each_post_names_what_to_attach_and_the_clip_limit_it_breaks(tmp_path):
    _, entries = make_out(tmp_path)
    page = render_index(entries)
    x_panel = page[page.index('id="demo-q1-x"') : page.index('id="demo-q1-bluesky"')]
    assert 'href="demo/cards/q1%20%231-instagram.png" download>instagram card</a>' in x_panel
    assert 'href="demo/clips/q1-16x9.mp4" download>16:9 clip</a> (7 s)' in x_panel
    assert "too long for X: 5 s at most" in x_panel
    bluesky = page[page.index('id="demo-q1-bluesky"') :]
    assert "square card or 1:1 clip (not made in this run)" in bluesky


def test_each_quote_shows_why_it_was_picked_and_where_its_times_come_from(tmp_path):
    _, entries = make_out(tmp_path)
    page = render_index(entries)
    assert '<span class="kind">advice</span><span class="score">score 4.2</span>' in page
    assert "<li>imperative advice</li><li>names a concrete habit</li><li>short</li>" in page
    assert "<li>fourth</li>" not in page, "only the top three reasons"
    assert "Timing from captions, confidence 90%." in page


def test_state_key_changes_with_the_quotes_of_the_run(tmp_path):
    _, entries = make_out(tmp_path)
    assert run_key(entries) == run_key(json.loads(json.dumps(entries)))
    entries[0]["review"]["quotes"][0]["text"] = "Something else entirely."
    assert run_key(entries) != run_key(make_out(tmp_path / "again")[1])


def test_page_references_only_existing_local_files(tmp_path):
    out, entries = make_out(tmp_path)
    index = write_index(out, entries)
    assert htmlcheck.problems(index) == []
    assert {"demo/post.md", "demo/quotes.yaml", "demo/clips/q1-16x9.vtt"} <= set(
        htmlcheck.references(index)
    )


def test_link_check_catches_missing_files_and_web_requests(tmp_path):
    out, entries = make_out(tmp_path)
    (out / "demo" / "clips" / "q1-16x9.mp4").unlink()
    index = write_index(out, entries)
    index.write_text(
        index.read_text(encoding="utf-8").replace(
            "</head>", '<link rel=stylesheet href="https://cdn.example/x.css"></head>'
        ),
        encoding="utf-8",
    )
    found = htmlcheck.problems(index)
    assert any("q1-16x9.mp4" in p and "does not exist" in p for p in found)
    assert any("cdn.example" in p for p in found)


def test_alt_text_is_shown_once_when_shared_and_under_each_card_when_not(tmp_path):
    _, entries = make_out(tmp_path)
    quote = entries[0]["review"]["quotes"][0]
    card = quote["cards"][0]
    quote["cards"] = [card, dict(card, size="x", alt="Ship")]
    shared = render_index(entries)
    assert shared.count('class="alt"') == 1 and "<b>Alt text, every card:</b> Ship" in shared
    quote["cards"][1]["alt"] = "Ship, wide"
    own = render_index(entries)
    assert own.count('class="alt"') == 2 and "Alt text, every card" not in own
    assert '<p class="alt" id="demo-q1-alt1">Ship, wide</p>' in own
