"""``OUT/index.html``: one static page to review and hand off a whole run.

Grouped by episode: every card and clip playable in place with a download
link beside it, each card's alt text with a copy button, a ``Download all``
zip per episode, the post text per platform with what to attach there, why
each quote was picked, and the warnings. Built for a phone first: one column
that never scrolls sideways from 360 px up; two columns on a wide screen.

Approve and trim: every quote has a checkbox and an editable text; ``Export
quotes.yaml`` downloads the approved quotes of an episode in page order, with
the edited texts (an edited quote loses its times, so the next run times it
again). Dropped into ``OUT/<slug>/`` the file is what the next batch renders.
The page keeps these choices in the browser's localStorage under a key made
from the run's quotes, so a reload keeps them and a new run starts afresh.

The page is a single file with inline CSS and JS; every asset is referenced
by a path relative to OUT, so it works opened from disk, with no server and
no external requests (the only ``http`` URLs are outbound links in posts).

The page is built from the review data that a batch run keeps per episode in
the manifest, one dict per episode: ``slug``, ``error`` (a failure or None)
and ``review`` with ``title``, ``label``, ``page_url``, ``youtube_url``,
``post_md``, ``quotes_yaml``, ``kit`` (the zip) and ``kit_bytes``, ``warnings`` and ``quotes``;
each quote has ``id``, ``text``, ``speaker``, ``kind``, ``start``, ``end``,
``record`` (the quote as quotes.yaml holds it: score, reasons, timing...),
``posts`` (platform -> ``text``, ``length``, ``limit``, and what to attach:
``card`` size, ``clip`` shape, ``clip_limit`` seconds), ``cards`` (``path``,
``size``, ``alt``), ``clips`` (``shape``, ``duration``, ``video``, ``poster``,
``srt``, ``vtt``), ``errors`` and ``warnings``. Asset paths are relative to OUT.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import fields
from pathlib import Path
from typing import Any
from urllib.parse import quote as url_quote

from clipper import fsutil
from clipper.batch.post import PLATFORMS
from clipper.episode import format_clock
from clipper.select.quote import Quote

INDEX_NAME = "index.html"
_TOP_REASONS = 3
# quotes.yaml holds exactly the Quote record's fields, in their order.
_EXPORTED_KEYS = tuple(f.name for f in fields(Quote))

_CSS = """
:root { --green: #032911; --cream: #F4F0ED; --ink: #1d2420; --muted: #5d6a62;
  --line: #ddd5cd; --accent: #2f7d4f; --warn: #8a5a00; --bad: #a3261b; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--cream); color: var(--ink); overflow-wrap: anywhere;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
a { color: var(--accent); }
header.top { background: var(--green); color: var(--cream); padding: 20px 16px 16px; }
header.top h1 { margin: 0 0 4px; font-size: 21px; letter-spacing: .2px; }
header.top p { margin: 0; opacity: .85; font-size: 14px; }
.stats { display: flex; gap: 8px; flex-wrap: wrap; margin-top: 12px; }
.stat { background: rgba(244,240,237,.12); border-radius: 10px; padding: 6px 10px;
  font-size: 13px; }
.stat b { font-size: 18px; display: block; }
nav.toc { padding: 10px 16px; background: #fff; border-bottom: 1px solid var(--line);
  display: flex; gap: 8px; overflow-x: auto; position: sticky; top: 0; z-index: 2;
  scrollbar-width: thin; }
nav.toc a { color: var(--green); text-decoration: none; font-size: 13px; padding: 4px 10px;
  border: 1px solid var(--line); border-radius: 999px; background: var(--cream);
  white-space: nowrap; flex: none; }
nav.toc a.failed { color: var(--bad); border-color: #e7b9b4; }
main { padding: 4px 12px 60px; max-width: 1400px; margin: 0 auto; }
section.episode { margin-top: 26px; scroll-margin-top: 56px; }
section.episode > h2 { margin: 0; font-size: 20px; line-height: 1.3; color: var(--green); }
.label { display: inline-block; background: var(--green); color: var(--cream); font-size: 12px;
  border-radius: 6px; padding: 2px 8px; margin-right: 8px; vertical-align: middle; }
.meta { color: var(--muted); font-size: 13px; margin: 4px 0 10px; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 10px 0; }
.button { font: inherit; font-size: 14px; font-weight: 600; border: 0; border-radius: 8px;
  padding: 9px 14px; background: var(--green); color: var(--cream); cursor: pointer;
  text-decoration: none; display: inline-block; }
.button.light { background: #fff; color: var(--green); border: 1px solid var(--green); }
.approved { color: var(--muted); font-size: 13px; }
.failure { background: #fbeceb; border: 1px solid #e7b9b4; color: var(--bad);
  border-radius: 10px; padding: 12px 14px; margin-top: 12px; }
details.warnings { background: #fdf6e7; border: 1px solid #ecd9a8; border-radius: 10px;
  padding: 8px 12px; margin: 8px 0 14px; color: var(--warn); font-size: 13px; }
details.warnings summary { cursor: pointer; font-weight: 600; }
details.warnings ul { margin: 6px 0 2px; padding-left: 18px; }
article.quote { background: #fff; border: 1px solid var(--line); border-radius: 14px;
  padding: 14px; margin: 12px 0; box-shadow: 0 1px 2px rgba(3,41,17,.05);
  display: grid; grid-template-columns: minmax(0, 1fr); gap: 14px; }
article.quote.off { opacity: .55; }
article.quote.off .text { text-decoration: line-through; }
.head { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; font-size: 13px;
  color: var(--muted); }
.pick { display: inline-flex; align-items: center; gap: 6px; font-weight: 600;
  color: var(--green); cursor: pointer; }
.pick input { width: 20px; height: 20px; accent-color: var(--green); margin: 0; }
.num { display: inline-block; min-width: 22px; height: 22px; line-height: 22px;
  border-radius: 11px; background: var(--cream); color: var(--green); text-align: center;
  font-weight: 700; font-size: 12px; }
.kind { text-transform: uppercase; font-size: 11px; letter-spacing: .6px; color: var(--accent);
  font-weight: 700; }
.score { font-size: 12px; font-weight: 700; color: var(--green); background: var(--cream);
  border-radius: 6px; padding: 1px 7px; }
textarea.text { display: block; width: 100%; margin: 8px 0 0; padding: 6px 8px;
  font-family: inherit; font-size: 18px; font-weight: 500; line-height: 1.45;
  color: var(--green); resize: vertical;
  border: 1px solid transparent; border-radius: 8px; background: transparent;
  field-sizing: content; min-height: 3em; }
textarea.text:hover, textarea.text:focus { border-color: var(--line); background: #fcfbfa;
  outline: none; }
.edited { display: none; font-size: 12px; color: var(--warn); margin: 2px 0 0; }
article.quote.changed .edited { display: block; }
.who { color: var(--muted); margin: 4px 0; font-size: 13px; }
.why { font-size: 12.5px; color: var(--muted); margin: 6px 0 0; }
.why ul { margin: 2px 0 0; padding-left: 18px; }
.errors { color: var(--bad); font-size: 13px; margin: 6px 0; }
.note { color: var(--warn); font-size: 13px; margin: 6px 0; }
h3 { font-size: 11px; text-transform: uppercase; letter-spacing: .8px; color: var(--muted);
  margin: 14px 0 8px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
  gap: 12px; align-items: start; }
.clips { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr));
  gap: 12px; align-items: start; }
figure { margin: 0; min-width: 0; }
figure img { width: 100%; height: auto; display: block; border-radius: 8px;
  border: 1px solid var(--line); background: var(--cream); }
figure video { width: 100%; max-height: 70vh; display: block; border-radius: 8px;
  background: #000; object-fit: contain; }
.s16x9 video { aspect-ratio: 16 / 9; }
.s1x1 video { aspect-ratio: 1; }
.s9x16 video { aspect-ratio: 9 / 16; }
figcaption { font-size: 12px; color: var(--muted); margin-top: 4px; display: flex;
  flex-wrap: wrap; gap: 2px 10px; align-items: baseline; }
figcaption b { color: var(--ink); font-weight: 600; }
a.dl { font-weight: 600; white-space: nowrap; }
.alt { font-size: 12.5px; color: var(--muted); margin: 0; }
.alt b { color: var(--ink); font-weight: 600; }
.altrow { align-items: flex-start; background: #fcfbfa; border: 1px solid var(--line);
  border-radius: 10px; padding: 8px 10px; }
.posts { min-width: 0; }
.tabs { display: flex; gap: 4px; flex-wrap: wrap; margin-bottom: 10px; }
.tab { font: inherit; font-size: 13px; border: 1px solid var(--line); background: var(--cream);
  color: var(--ink); border-radius: 999px; padding: 5px 12px; cursor: pointer; }
.tab.active { background: var(--green); border-color: var(--green); color: var(--cream); }
.panel { display: none; }
.panel.active { display: block; }
.panel pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; font: inherit;
  font-size: 14px; line-height: 1.5; background: #fcfbfa; border: 1px solid var(--line);
  border-radius: 10px; padding: 10px 12px; }
.panel footer, .altrow { display: flex; justify-content: space-between; align-items: center;
  gap: 8px; margin-top: 8px; font-size: 12px; color: var(--muted); }
.count.over, .over { color: var(--bad); font-weight: 700; }
.attach { font-size: 13px; margin: 10px 0 0; padding: 8px 10px; border-radius: 10px;
  background: var(--cream); }
.attach b { color: var(--green); }
button.copy { font: inherit; font-size: 12px; font-weight: 600; border: 0; border-radius: 6px;
  padding: 5px 12px; background: var(--green); color: var(--cream); cursor: pointer;
  flex: none; }
button.copy.done { background: var(--accent); }
.empty { color: var(--muted); font-style: italic; }
@media (min-width: 700px) {
  header.top { padding: 28px 40px 22px; }
  header.top h1 { font-size: 26px; }
  nav.toc { padding: 12px 40px; }
  main { padding: 8px 40px 60px; }
  article.quote { padding: 20px 22px; }
}
@media (min-width: 1000px) {
  article.quote { grid-template-columns: minmax(0, 1fr) minmax(320px, 420px); gap: 26px; }
  .posts { border-left: 1px solid var(--line); padding-left: 22px; }
  .sticky { position: sticky; top: 64px; }
}
"""

_JS = """
const RUN = document.body.dataset.run;
const STORE = 'clipper-review:' + RUN;
const state = JSON.parse(localStorage.getItem(STORE) || '{}');
const save = () => localStorage.setItem(STORE, JSON.stringify(state));
const record = (article) => JSON.parse(article.dataset.quote);
const clean = (text) => text.trim().replace(/\\s+/g, ' ');
const edited = (article) => clean(article.querySelector('textarea.text').value);

function refresh(article) {
  const saved = state[article.dataset.key] || {};
  const box = article.querySelector('input.approve');
  const area = article.querySelector('textarea.text');
  box.checked = !saved.off;
  if (saved.text !== undefined && document.activeElement !== area) area.value = saved.text;
  article.classList.toggle('off', !box.checked);
  article.classList.toggle('changed', edited(article) !== record(article).text);
}

function count(section) {
  const all = section.querySelectorAll('article.quote');
  const on = section.querySelectorAll('article.quote:not(.off)');
  const label = section.querySelector('.approved');
  if (label) label.textContent = on.length + ' of ' + all.length + ' approved';
}

function remember(article) {
  const entry = {};
  if (!article.querySelector('input.approve').checked) entry.off = true;
  if (edited(article) !== record(article).text) {
    entry.text = article.querySelector('textarea.text').value;
  }
  if (Object.keys(entry).length) state[article.dataset.key] = entry;
  else delete state[article.dataset.key];
  save();
  refresh(article);
  count(article.closest('section.episode'));
}

function exported(article) {
  const quote = record(article);
  const text = edited(article);
  if (text && text !== quote.text) {
    quote.text = text;
    for (const key of ['start', 'end', 'url', 'timing', 'confidence']) delete quote[key];
  }
  return quote;
}

function toYaml(quotes) {
  const lines = [
    '# clipper quotes: the approved quotes of the review page, in page order.',
    '# Save as OUT/<slug>/quotes.yaml and rerun clipper batch; quotes without',
    '# start/end had their text edited and are timed again.',
  ];
  if (!quotes.length) lines.push('[]');
  for (const quote of quotes) {
    Object.entries(quote).forEach(([key, value], i) => {
      const scalar = value === undefined || value === null ? 'null' : JSON.stringify(value);
      lines.push((i ? '  ' : '- ') + key + ': ' + scalar);
    });
  }
  return lines.join('\\n') + '\\n';
}

function download(name, text) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], {type: 'application/yaml'}));
  link.download = name;
  document.body.appendChild(link);
  link.click();
  setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
}

async function copy(button, text) {
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
}

document.querySelectorAll('article.quote').forEach(refresh);
document.querySelectorAll('section.episode').forEach(count);
document.addEventListener('change', (event) => {
  if (event.target.matches('input.approve')) remember(event.target.closest('article.quote'));
});
document.addEventListener('input', (event) => {
  if (event.target.matches('textarea.text')) remember(event.target.closest('article.quote'));
});
document.addEventListener('click', (event) => {
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
  if (button) {
    copy(button, document.getElementById(button.dataset.target).textContent);
    return;
  }
  const exporter = event.target.closest('button.export');
  if (exporter) {
    const section = exporter.closest('section.episode');
    const approved = section.querySelectorAll('article.quote:not(.off)');
    download('quotes.yaml', toYaml(Array.from(approved, exported)));
  }
});
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _src(relative: str) -> str:
    """A relative asset path made safe for an attribute (spaces, #, ?)."""
    return _e(url_quote(relative))


def _download(path: str, label: str) -> str:
    return f'<a class="dl" href="{_src(path)}" download>{_e(label)}</a>'


def _seconds(value: float) -> str:
    return f"{value:.0f} s" if value < 60 else format_clock(value)


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size / 1e3:.0f} kB"


def _copy_button(target: str) -> str:
    return f'<button class="copy" type="button" data-target="{_e(target)}">Copy</button>'


def _alt_row(alt: str, alt_id: str, label: str = "") -> str:
    text = f"<b>{_e(label)}</b> {_e(alt)}" if label else _e(alt)
    return (
        f'<div class="altrow"><p class="alt" id="{_e(alt_id)}">{text}</p>'
        f"{_copy_button(alt_id)}</div>"
    )


def _cards(cards: list[dict[str, str]], anchor: str) -> str:
    """Each card with its download link; the alt text with a copy button,
    under the cards (once, when every size shares it: the usual case)."""
    if not cards:
        return ""
    alts = [card.get("alt", "") for card in cards]
    shared = alts[0] if len(set(alts)) == 1 else None
    figures = []
    for number, (card, alt) in enumerate(zip(cards, alts, strict=True)):
        own = _alt_row(alt, f"{anchor}-alt{number}") if alt and shared is None else ""
        figures.append(
            f'<figure><a href="{_src(card["path"])}"><img src="{_src(card["path"])}" '
            f'alt="{_e(alt)}" loading="lazy"></a>'
            f"<figcaption><b>{_e(card.get('size', ''))}</b>"
            f"{_download(card['path'], 'Download')}</figcaption>{own}</figure>"
        )
    label = "Alt text, every card:" if len(cards) > 1 else "Alt text:"
    below = _alt_row(shared, f"{anchor}-alt", label) if shared else ""
    return f'<h3>Cards</h3><div class="cards">{"".join(figures)}</div>{below}'


def _clips(clips: list[dict[str, Any]]) -> str:
    figures = []
    for clip in clips:
        poster = f' poster="{_src(clip["poster"])}"' if clip.get("poster") else ""
        extras = [_download(clip[key], key) for key in ("srt", "vtt") if clip.get(key)]
        if clip.get("poster"):
            extras.append(_download(clip["poster"], "poster"))
        length = f" · {_seconds(clip['duration'])}" if clip.get("duration") else ""
        style = f" · {clip['caption_style']} captions" if clip.get("caption_style") else ""
        shape = clip.get("shape", "")
        figures.append(
            f'<figure class="s{_e(shape.replace(":", "x"))}">'
            f'<video controls preload="none" playsinline{poster}>'
            f'<source src="{_src(clip["video"])}" type="video/mp4"></video>'
            f"<figcaption><b>{_e(shape)}{length}</b>{_e(style)}"
            f"{_download(clip['video'], 'Download')}"
            f"{' '.join(extras)}</figcaption></figure>"
        )
    return f'<h3>Clips</h3><div class="clips">{"".join(figures)}</div>' if clips else ""


def _attach(post: dict[str, Any], quote: dict[str, Any], title: str) -> str:
    """What to attach to this post: the platform's card size and clip shape,
    linked, with the clip's length against the platform's limit."""
    if "card" not in post:
        return ""
    options = []
    card = next((c for c in quote.get("cards", []) if c.get("size") == post["card"]), None)
    if card:
        options.append(f"the {_download(card['path'], post['card'] + ' card')}")
    clip = next((c for c in quote.get("clips", []) if c.get("shape") == post["clip"]), None)
    if clip:
        text = f"the {_download(clip['video'], post['clip'] + ' clip')}"
        duration, limit = clip.get("duration"), post.get("clip_limit")
        if duration:
            text += f" ({_seconds(duration)})"
        if duration and limit and duration > limit:
            text += f' <span class="over">too long for {_e(title)}: {limit} s at most</span>'
        options.append(text)
    if not options:
        wanted = f"{post['card']} card or {post['clip']} clip"
        return f'<p class="attach">Attach: the {_e(wanted)} (not made in this run)</p>'
    return f'<p class="attach"><b>Attach:</b> {" or ".join(options)}</p>'


def _posts(quote: dict[str, Any], anchor: str) -> str:
    """Platform tabs over the post texts; the first tab is open."""
    tabs, panels = [], []
    for position, (name, post) in enumerate(quote.get("posts", {}).items()):
        target, active = f"{anchor}-{name}", " active" if position == 0 else ""
        over = " over" if post["length"] > post["limit"] else ""
        selected = "true" if position == 0 else "false"
        title = PLATFORMS[name].title if name in PLATFORMS else name
        tabs.append(
            f'<button class="tab{active}" type="button" role="tab" aria-selected="{selected}" '
            f'data-panel="{_e(target)}">{_e(title)}</button>'
        )
        panels.append(
            f'<div class="panel{active}" role="tabpanel" id="{_e(target)}">'
            f'<pre id="{_e(target)}-text">'
            f'{_e(post["text"])}</pre><footer><span class="count{over}">'
            f"{post['length']} / {post['limit']} characters</span>"
            f"{_copy_button(target + '-text')}</footer>{_attach(post, quote, title)}</div>"
        )
    if not tabs:
        return ""
    tablist = f'<div class="tabs" role="tablist">{"".join(tabs)}</div>'
    return f'<div class="sticky">{tablist}{"".join(panels)}</div>'


def _why(record: dict[str, Any]) -> str:
    """Why the quote was picked (the selector's top reasons) and where its
    times come from; empty for quotes without that data."""
    parts = []
    reasons = record.get("reasons") or []
    if reasons:
        items = "".join(f"<li>{_e(r)}</li>" for r in reasons[:_TOP_REASONS])
        parts.append(f"Picked because:<ul>{items}</ul>")
    if record.get("timing"):
        sure = record.get("confidence")
        sure_text = f", confidence {sure:.0%}" if isinstance(sure, (int, float)) else ""
        parts.append(f"Timing from {_e(record['timing'])}{sure_text}.")
    return f'<div class="why">{"".join(parts)}</div>' if parts else ""


def _exportable(quote: dict[str, Any]) -> dict[str, Any]:
    """The quote as quotes.yaml holds it (older runs kept no ``record``)."""
    record = quote.get("record") or {
        "id": quote["id"],
        "speaker_name": quote.get("speaker", ""),
        "kind": quote.get("kind", "any"),
        "text": quote["text"],
        "start": quote["start"],
        "end": quote["end"],
    }
    return {key: record[key] for key in _EXPORTED_KEYS if key in record}


def _quote(slug: str, number: int, quote: dict[str, Any]) -> str:
    errors = "".join(f'<p class="errors">{_e(err)}</p>' for err in quote.get("errors", []))
    errors += "".join(f'<p class="note">{_e(w)}</p>' for w in quote.get("warnings", []))
    record = _exportable(quote)
    kind = f'<span class="kind">{_e(quote["kind"])}</span>' if quote.get("kind") else ""
    score = f'<span class="score">score {record["score"]:.1f}</span>' if "score" in record else ""
    anchor = f"{slug}-{quote['id']}"
    data = json.dumps(record, ensure_ascii=False, sort_keys=False)
    head = (
        f'<div class="head"><label class="pick"><input class="approve" type="checkbox" checked>'
        f'<span class="num">{number}</span>Post</label>{kind}{score}</div>'
    )
    return (
        f'<article class="quote" id="{_e(anchor)}" data-key="{_e(slug)}/{_e(quote["id"])}" '
        f'data-quote="{_e(data)}"><div class="main">{head}'
        f'<textarea class="text" rows="3" aria-label="Quote text">{_e(quote["text"])}</textarea>'
        '<p class="edited">Edited: exported without its times; the next run times it again '
        "and remakes its cards, clips and posts.</p>"
        f'<p class="who">{_e(quote["speaker"])} · '
        f"{format_clock(quote['start'])}–{format_clock(quote['end'])}</p>"
        f"{_why(record)}{errors}"
        f"{_cards(quote.get('cards', []), anchor)}{_clips(quote.get('clips', []))}</div>"
        f'<div class="posts">{_posts(quote, anchor)}</div></article>'
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


def _actions(review: dict[str, Any]) -> str:
    """Download all (the kit zip) and the export of the approved quotes."""
    buttons = []
    if review.get("kit"):
        size = f" ({_megabytes(review['kit_bytes'])})" if review.get("kit_bytes") else ""
        buttons.append(
            f'<a class="button" href="{_src(review["kit"])}" download>Download all{size}</a>'
        )
    if review.get("quotes"):
        buttons.append(
            '<button class="button light export" type="button">Export quotes.yaml</button>'
            '<span class="approved"></span>'
        )
    return f'<div class="actions">{"".join(buttons)}</div>' if buttons else ""


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
    body = _actions(review)
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


def run_key(entries: list[dict[str, Any]]) -> str:
    """Names the run's review state in the browser: the same quotes (ids and
    texts) give the same key, a run that picked or rendered others a new one."""
    quotes = [
        (e["slug"], q["id"], q["text"])
        for e in entries
        for q in (e.get("review") or {}).get("quotes", [])
    ]
    return hashlib.sha256(json.dumps(quotes).encode()).hexdigest()[:12]


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
        f"<title>clipper review</title><style>{_CSS}</style></head>"
        f'<body data-run="{run_key(entries)}">'
        '<header class="top"><h1>Review: cards, clips and post text</h1>'
        "<p>Untick what not to post, edit a quote, export quotes.yaml; "
        "copy a post and attach its card or clip.</p>"
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
