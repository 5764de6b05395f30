"""What ``inspect`` and ``select`` print: plain text made from library
objects (no click, so a test or a notebook can print the same)."""

from __future__ import annotations

from clipper.episode import Episode, format_clock
from clipper.episode.model import NOBODY_NAMED
from clipper.select.quote import Quote
from clipper.select.selector import Selection, term_text


def describe_episode(episode: Episode) -> str:
    label = f" ({episode.label})" if episode.label else ""
    out = [
        f"{episode.title}{label}",
        f"  show:     {episode.show or '(not named: cards carry no show name)'}",
        f"  file:     {episode.path}",
        f"  youtube:  {episode.youtube_url() or '(none)'}",
        *([f"  media:    {episode.media}"] if episode.media else []),
        *([f"  words:    {len(episode.words)} timed by the source"] if episode.words else []),
        f"  artwork:  {episode.artwork or '(none)'}",
        f"  duration: {format_clock(episode.duration)}",
        "  guests:   " + (", ".join(f"{g.name} ({g.id})" for g in episode.guests) or "(none)"),
        "speakers:",
    ]
    counts: dict[tuple[str, str, str], int] = {}
    for line in episode.lines:
        why = episode.role_reasons.get(line.speaker_id, "")
        role = "-" if why == NOBODY_NAMED else line.role
        key = (f"{line.speaker_name} ({line.speaker_id})", role, why)
        counts[key] = counts.get(key, 0) + 1
    out += [
        f"  {name:40} {role:5} {n:4} lines  ({why})" if why else f"  {name:40} {role:5} {n:4} lines"
        for (name, role, why), n in counts.items()
    ]
    out.append(f"sections: {len(episode.sections)}")
    out += [
        f"  {s.index + 1:3}. {format_clock(s.start) if s.start is not None else '--':>8}  {s.title}"
        for s in episode.sections
    ]
    out.append(f"warnings: {len(episode.warnings)}")
    out += [f"  {warning}" for warning in episode.warnings]
    return "\n".join(out)


def quotes_json(quotes: list[Quote], chosen: Selection) -> list[dict]:
    """Each quote (``chosen``'s, perhaps re-timed) as a dict, with a ``features``
    object: every term of its score."""
    return [
        {**quote.to_dict(), "features": {k: round(v, 3) for k, v in pick.contributions.items()}}
        for quote, pick in zip(quotes, chosen.picks, strict=True)
    ]


def explanation(quotes: list[Quote], chosen: Selection, terms: int = 4) -> str:
    """Each pick with its largest score terms and its best rivals from the same
    turn (and why they lost); then what was removed before ranking, by reason."""
    import textwrap

    width = _table_width()
    out = []
    for rank, (quote, pick) in enumerate(zip(quotes, chosen.picks, strict=True), 1):
        out.append(quote_row(rank, quote, width))
        telling = pick.telling()
        top = sorted(telling, key=lambda name: -abs(telling[name]))
        out.append("    why: " + "; ".join(term_text(pick, name) for name in top[:terms]))
        out += [f"    span {edge}" for edge in pick.edges]
        for rival, reason in pick.rivals:
            text = textwrap.shorten(rival.span.text, 60, placeholder="...")
            out.append(f"    rival [{rival.score:4.1f}] {text!r}: {reason}")
    removed = ", ".join(f"{n} {reason}" for reason, n in chosen.removed.most_common())
    out.append(f"removed before ranking: {removed or 'none'}")
    return "\n".join(out) if quotes else "no quotes match\n" + out[-1]


def _table_width() -> int:
    import shutil

    return max(40, shutil.get_terminal_size((100, 20)).columns - 4)


def quote_row(rank: int, quote: Quote, width: int) -> str:
    """Rank, score, kind, time, speaker and id, then the wrapped text."""
    import textwrap

    when = f"{format_clock(quote.start)}-{format_clock(quote.end)}"
    head = (
        f"{rank:2}. [{quote.score:4.1f}] {quote.kind:<11} "
        f"{when}  {quote.speaker_name}  ({quote.id})"
    )
    body = textwrap.fill(quote.text, width, initial_indent="    ", subsequent_indent="    ")
    return f"{head}\n{body}"


def quote_table(quotes: list[Quote]) -> str:
    """A readable table: rank, score, kind, time, speaker, wrapped text."""
    if not quotes:
        return "no quotes match"
    width = _table_width()
    return "\n".join(quote_row(rank, quote, width) for rank, quote in enumerate(quotes, 1))
