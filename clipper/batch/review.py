"""``OUT/index.html``: one static page to review a whole run.

Grouped by episode: every card, every clip playable in place, the post text
per platform with a copy button, and the warnings. The page is a single file
with inline CSS and JS; every asset is referenced by a path relative to OUT,
so it works opened from disk, with no server and no external requests (the
only ``http`` URLs are outbound links a reader may click).

The page is built from the review data that a batch run keeps per episode in
the manifest, one dict per episode: ``slug``, ``error`` (a failure or None)
and ``review`` with ``title``, ``label``, ``page_url``, ``youtube_url``,
``post_md``, ``quotes_yaml``, ``warnings`` and ``quotes``; each quote has
``id``, ``text``, ``speaker``, ``kind``, ``start``, ``end``, ``posts``
(platform -> ``text``, ``length``, ``limit``), ``cards`` (``path``, ``size``,
``alt``), ``clips`` (``shape``, ``video``, ``poster``, ``srt``, ``vtt``),
``errors`` and ``warnings``. Asset paths are relative to OUT.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from clipper import fsutil
from clipper.episode import format_clock

INDEX_NAME = "index.html"
_PLATFORM_TITLES = {
    "x": "X",
    "linkedin": "LinkedIn",
    "instagram": "Instagram",
    "threads": "Threads",
    "bluesky": "Bluesky",
}

_CSS = """
:root { --green: #032911; --cream: #F4F0ED; --ink: #1d2420; --muted: #5d6a62;
  --line: #ddd5cd; --accent: #2f7d4f; --warn: #8a5a00; --bad: #a3261b; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--cream); color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
header.top { background: var(--green); color: var(--cream); padding: 28px 40px 22px; }
header.top h1 { margin: 0 0 4px; font-size: 26px; letter-spacing: .2px; }
header.top p { margin: 0; opacity: .85; }
.stats { display: flex; gap: 12px; flex-wrap: wrap; margin-top: 16px; }
.stat { background: rgba(244,240,237,.12); border-radius: 10px; padding: 8px 14px; }
.stat b { font-size: 20px; display: block; }
nav.toc { padding: 14px 40px; background: #fff; border-bottom: 1px solid var(--line);
  display: flex; gap: 8px; flex-wrap: wrap; position: sticky; top: 0; z-index: 2; }
nav.toc a { color: var(--green); text-decoration: none; font-size: 13px; padding: 4px 10px;
  border: 1px solid var(--line); border-radius: 999px; background: var(--cream); }
nav.toc a.failed { color: var(--bad); border-color: #e7b9b4; }
main { padding: 8px 40px 60px; max-width: 1400px; }
section.episode { margin-top: 34px; }
section.episode > h2 { margin: 0; font-size: 22px; color: var(--green); }
.label { display: inline-block; background: var(--green); color: var(--cream); font-size: 12px;
  border-radius: 6px; padding: 2px 8px; margin-right: 8px; vertical-align: middle; }
.meta { color: var(--muted); font-size: 13px; margin: 4px 0 12px; }
.meta a { color: var(--accent); }
.failure { background: #fbeceb; border: 1px solid #e7b9b4; color: var(--bad);
  border-radius: 10px; padding: 12px 16px; margin-top: 12px; }
details.warnings { background: #fdf6e7; border: 1px solid #ecd9a8; border-radius: 10px;
  padding: 8px 14px; margin: 8px 0 14px; color: var(--warn); font-size: 13px; }
details.warnings summary { cursor: pointer; font-weight: 600; }
details.warnings ul { margin: 6px 0 2px; padding-left: 18px; }
article.quote { background: #fff; border: 1px solid var(--line); border-radius: 14px;
  padding: 20px 22px; margin: 14px 0; box-shadow: 0 1px 2px rgba(3,41,17,.05);
  display: grid; grid-template-columns: minmax(0, 1fr) minmax(320px, 420px); gap: 26px; }
@media (max-width: 1000px) { article.quote { grid-template-columns: 1fr; } }
article.quote blockquote { margin: 0; font-size: 19px; line-height: 1.45; font-weight: 500;
  color: var(--green); }
article.quote .who { color: var(--muted); margin: 8px 0 4px; font-size: 13px; }
.num { display: inline-block; min-width: 20px; height: 20px; line-height: 20px; border-radius: 10px;
  background: var(--cream); color: var(--green); text-align: center; font-weight: 700;
  font-size: 11px; margin-right: 8px; }
.kind { text-transform: uppercase; font-size: 11px; letter-spacing: .6px; color: var(--accent);
  font-weight: 700; margin-left: 8px; }
.errors { color: var(--bad); font-size: 13px; margin: 6px 0; }
.note { color: var(--warn); font-size: 13px; margin: 6px 0; }
h3 { font-size: 11px; text-transform: uppercase; letter-spacing: .8px; color: var(--muted);
  margin: 16px 0 8px; }
.cards, .clips { display: flex; gap: 12px; flex-wrap: wrap; align-items: flex-end; }
figure { margin: 0; }
figure img { height: 170px; width: auto; display: block; border-radius: 8px;
  border: 1px solid var(--line); background: var(--cream); }
figure video { height: 240px; width: auto; display: block; border-radius: 8px; background: #000; }
figcaption { font-size: 11px; color: var(--muted); margin-top: 4px; }
figcaption a { color: var(--muted); }
.posts { border-left: 1px solid var(--line); padding-left: 22px; min-width: 0; }
.sticky { position: sticky; top: 64px; }
@media (max-width: 1000px) { .posts { border-left: 0; padding-left: 0; } }
.tabs { display: flex; gap: 4px; flex-wrap: wrap; margin-bottom: 10px; }
.tab { font: inherit; font-size: 12px; border: 1px solid var(--line); background: var(--cream);
  color: var(--ink); border-radius: 999px; padding: 3px 11px; cursor: pointer; }
.tab.active { background: var(--green); border-color: var(--green); color: var(--cream); }
.panel { display: none; }
.panel.active { display: block; }
.panel pre { white-space: pre-wrap; word-break: break-word; margin: 0; font: inherit;
  font-size: 13.5px; line-height: 1.5; background: #fcfbfa; border: 1px solid var(--line);
  border-radius: 10px; padding: 12px 14px; }
.panel footer { display: flex; justify-content: space-between; align-items: center;
  margin-top: 8px; font-size: 12px; color: var(--muted); }
.count.over { color: var(--bad); font-weight: 700; }
button.copy { font: inherit; font-size: 12px; border: 0; border-radius: 6px; padding: 4px 10px;
  background: var(--green); color: var(--cream); cursor: pointer; }
button.copy.done { background: var(--accent); }
.empty { color: var(--muted); font-style: italic; }
"""

_JS = """
document.addEventListener('click', async (event) => {
  const tab = event.target.closest('button.tab');
  if (tab) {
    const box = tab.closest('.posts');
    box.querySelectorAll('.tab, .panel').forEach((el) => el.classList.remove('active'));
    box.querySelectorAll('.tab').forEach((el) => el.setAttribute('aria-selected', 'false'));
    tab.classList.add('active');
    tab.setAttribute('aria-selected', 'true');
    document.getElementById(tab.dataset.panel).classList.add('active');
    return;
  }
  const button = event.target.closest('button.copy');
  if (!button) return;
  const text = document.getElementById(button.dataset.target).textContent;
  try {
    await navigator.clipboard.writeText(text);
  } catch (error) {
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  button.textContent = 'Copied';
  button.classList.add('done');
  setTimeout(() => { button.textContent = 'Copy'; button.classList.remove('done'); }, 1500);
});
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _src(relative: str) -> str:
    """A relative asset path made safe for an attribute (spaces, #, ?)."""
    return _e(url_quote(relative))


def _cards(cards: list[dict[str, str]]) -> str:
    figures = "".join(
        f'<figure><a href="{_src(c["path"])}"><img src="{_src(c["path"])}" '
        f'alt="{_e(c.get("alt", ""))}" loading="lazy"></a>'
        f"<figcaption>{_e(c.get('size', ''))}</figcaption></figure>"
        for c in cards
    )
    return f'<h3>Cards</h3><div class="cards">{figures}</div>' if cards else ""


def _clips(clips: list[dict[str, str]]) -> str:
    figures = []
    for clip in clips:
        poster = f' poster="{_src(clip["poster"])}"' if clip.get("poster") else ""
        links = " · ".join(
            f'<a href="{_src(clip[key])}">{key}</a>' for key in ("srt", "vtt") if clip.get(key)
        )
        figures.append(
            f'<figure><video controls preload="none"{poster}>'
            f'<source src="{_src(clip["video"])}" type="video/mp4"></video>'
            f"<figcaption>{_e(clip.get('shape', ''))} {links}</figcaption></figure>"
        )
    return f'<h3>Clips</h3><div class="clips">{"".join(figures)}</div>' if clips else ""


def _posts(posts: dict[str, dict[str, Any]], anchor: str) -> str:
    """Platform tabs over the post texts; the first tab is open."""
    tabs, panels = [], []
    for position, (name, post) in enumerate(posts.items()):
        target, active = f"{anchor}-{name}", " active" if position == 0 else ""
        over = " over" if post["length"] > post["limit"] else ""
        selected = "true" if position == 0 else "false"
        tabs.append(
            f'<button class="tab{active}" type="button" role="tab" aria-selected="{selected}" '
            f'data-panel="{_e(target)}">{_e(_PLATFORM_TITLES.get(name, name))}</button>'
        )
        panels.append(
            f'<div class="panel{active}" role="tabpanel" id="{_e(target)}">'
            f'<pre id="{_e(target)}-text">'
            f'{_e(post["text"])}</pre><footer><span class="count{over}">'
            f"{post['length']} / {post['limit']} characters</span>"
            f'<button class="copy" type="button" data-target="{_e(target)}-text">Copy</button>'
            "</footer></div>"
        )
    if not tabs:
        return ""
    tablist = f'<div class="tabs" role="tablist">{"".join(tabs)}</div>'
    return f'<div class="sticky">{tablist}{"".join(panels)}</div>'


def _quote(slug: str, number: int, quote: dict[str, Any]) -> str:
    errors = "".join(f'<p class="errors">{_e(err)}</p>' for err in quote.get("errors", []))
    errors += "".join(f'<p class="note">{_e(w)}</p>' for w in quote.get("warnings", []))
    kind = f'<span class="kind">{_e(quote["kind"])}</span>' if quote.get("kind") else ""
    anchor = f"{slug}-{quote['id']}"
    return (
        f'<article class="quote" id="{_e(anchor)}"><div class="main">'
        f"<blockquote>“{_e(quote['text'])}”</blockquote>"
        f'<p class="who"><span class="num">{number}</span>{_e(quote["speaker"])} · '
        f"{format_clock(quote['start'])}–{format_clock(quote['end'])}{kind}</p>{errors}"
        f"{_cards(quote.get('cards', []))}{_clips(quote.get('clips', []))}</div>"
        f'<div class="posts">{_posts(quote.get("posts", {}), anchor)}</div></article>'
    )


def _warnings(warnings: list[str]) -> str:
    if not warnings:
        return ""
    items = "".join(f"<li>{_e(w)}</li>" for w in warnings)
    plural = "s" if len(warnings) != 1 else ""
    return (
        f'<details class="warnings"><summary>{len(warnings)} warning{plural}</summary>'
        f"<ul>{items}</ul></details>"
    )


def _episode(entry: dict[str, Any]) -> str:
    slug = entry["slug"]
    review = entry.get("review") or {}
    title = review.get("title") or slug
    label = f'<span class="label">{_e(review["label"])}</span>' if review.get("label") else ""
    links = [
        f'<a href="{_src(review[key])}">{name}</a>'
        for key, name in (("post_md", "post.md"), ("quotes_yaml", "quotes.yaml"))
        if review.get(key)
    ]
    links += [
        f'<a href="{_e(review[key])}" rel="noreferrer">{name}</a>'
        for key, name in (("page_url", "episode page"), ("youtube_url", "YouTube"))
        if review.get(key)
    ]
    meta = f'<p class="meta">{" · ".join([_e(slug), *links])}</p>'
    body = ""
    if entry.get("error"):
        body += f'<div class="failure"><b>Failed:</b> {_e(entry["error"])}</div>'
    body += _warnings(review.get("warnings", []))
    quotes = review.get("quotes", [])
    body += "".join(_quote(slug, n, q) for n, q in enumerate(quotes, 1))
    if not quotes and not entry.get("error"):
        body += '<p class="empty">No quotes matched the selection settings.</p>'
    heading = f"<h2>{label}{_e(title)}</h2>"
    return f'<section class="episode" id="{_e(slug)}">{heading}{meta}{body}</section>'


def _stat(value: int, name: str) -> str:
    return f'<div class="stat"><b>{value}</b>{name}</div>'


def _toc_link(entry: dict[str, Any]) -> str:
    review = entry.get("review") or {}
    failed = ' class="failed"' if entry.get("error") else ""
    title = _e(review.get("title") or entry["slug"])
    text = _e(review.get("label") or entry["slug"])
    return f'<a href="#{_e(entry["slug"])}" title="{title}"{failed}>{text}</a>'


def render_index(entries: list[dict[str, Any]]) -> str:
    """The review page for ``entries`` (manifest records as dicts, in page order)."""
    quotes = [q for e in entries for q in (e.get("review") or {}).get("quotes", [])]
    failed = [e for e in entries if e.get("error")]
    stats = "".join(
        (
            _stat(len(entries), "episodes"),
            _stat(len(quotes), "quotes"),
            _stat(sum(len(q.get("cards", [])) for q in quotes), "cards"),
            _stat(sum(len(q.get("clips", [])) for q in quotes), "clips"),
            _stat(len(failed), "failed"),
        )
    )
    toc = "".join(_toc_link(e) for e in entries)
    episodes = "".join(_episode(e) for e in entries)
    return (
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>clipper review</title><style>{_CSS}</style></head><body>"
        '<header class="top"><h1>Review: cards, clips and post text</h1>'
        "<p>Everything this batch made, by episode. Copy a post, attach its card or clip.</p>"
        f'<div class="stats">{stats}</div></header>'
        f'<nav class="toc">{toc}</nav><main>{episodes}</main>'
        f"<script>{_JS}</script></body></html>\n"
    )


def write_index(out_dir: Path, entries: list[dict[str, Any]]) -> Path:
    """Write ``OUT/index.html`` atomically (only when its content changes, so
    a run that made nothing touches nothing) and return its path."""
    path = out_dir / INDEX_NAME
    page = render_index(entries)
    if not path.is_file() or path.read_text(encoding="utf-8") != page:
        fsutil.write_text(path, page)
    return path
