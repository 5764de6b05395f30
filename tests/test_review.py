"""The review page: content, escaping, self-contained links, a real browser."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from PIL import Image

from clipper.batch.review import render_index, write_index
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
    post = f"“Ship <small> things & learn.”\n— Ines\n{YOUTUBE}&t=75\n{PAGE}"
    quote = {
        "id": "q1",
        "text": "Ship <small> things & learn.",
        "speaker": "Ines Kowalczyk",
        "kind": "advice",
        "start": 75.0,
        "end": 81.5,
        "posts": {
            "x": {"text": post, "length": 120, "limit": 280},
            "bluesky": {"text": post, "length": 310, "limit": 300},
        },
        "errors": ["story: quote too long for 1080x1920"],
        "warnings": ["9:16: longer than 60 s, too long for Shorts"],
        "cards": [{"path": "demo/cards/q1 #1-instagram.png", "size": "instagram", "alt": "Ship"}],
        "clips": [
            {
                "shape": "16:9",
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
    assert page.count('class="copy"') == 2
    assert "310 / 300 characters" in page and 'class="count over"' in page
    assert "1 warning" in page and "time_backwards" in page
    assert '<p class="errors">story: quote too long for 1080x1920</p>' in page
    assert '<p class="note">9:16: longer than 60 s, too long for Shorts</p>' in page
    assert "broken.md: line 3: YAML error" in page
    assert 'href="#broken"' in page and 'id="broken"' in page


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


def _screenshot_tool():
    spec = importlib.util.spec_from_file_location(
        "screenshot_review", PROJECT / "tools" / "screenshot_review.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    not any(shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")),
    reason="chromium is not installed",
)
def test_page_renders_in_headless_chromium(tmp_path):
    out, entries = make_out(tmp_path)
    index = write_index(out, entries)
    tool = _screenshot_tool()
    probe = out / "probe.html"  # the page, plus a click on its second platform tab
    click = "<script>document.querySelectorAll('button.tab')[1].click()</script>"
    probe.write_text(index.read_text(encoding="utf-8") + click, encoding="utf-8")
    dom = tool.run_chromium(probe, ["--dump-dom"], 1200, 900)
    assert "Demo &lt;Episode&gt;" in dom
    assert 'class="panel active" role="tabpanel" id="demo-q1-bluesky"' in dom
    assert 'class="panel" role="tabpanel" id="demo-q1-x"' in dom
    png = tool.screenshot(index, tmp_path / "shot.png", 1200, 900)
    with Image.open(png) as shot:
        colours = shot.convert("RGB").getcolors(maxcolors=1 << 16)
    assert shot.size == (1200, 900)
    assert colours is None or len(colours) > 50, "the page rendered more than a blank screen"
