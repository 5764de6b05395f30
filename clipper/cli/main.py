"""The ``clipper`` command line: a thin layer over the library.

Only light modules are imported at start-up (``clipper select`` is timed
against a bare YAML parse); commands that render import Pillow or yt-dlp
inside their function body, and output that only some commands print imports
its helpers (textwrap, shutil) where it is made.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import json
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import click

from clipper import DISTRIBUTION
from clipper.episode import Episode, format_clock, parse_time, parse_time_range
from clipper.episode.sources import open_episode
from clipper.errors import ClipperError, LlmRankWarning, Notice
from clipper.render.options import FRAME_MODES, CardOptions, ClipOptions, parse_loudness
from clipper.select.quote import KINDS, Quote, save_quotes
from clipper.select.resolve import episode_quotes
from clipper.select.selector import RANKERS, Selection, SelectOptions, select, term_text

SOURCE_ARG = click.argument("source", metavar="SOURCE")
# How to read a SOURCE (shared by the commands that read one).
READ_OPTIONS = (
    click.option("--item", metavar="GUID|N|SLUG", help="Which episode of a feed or site folder."),
    click.option(
        "--transcript",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Transcript of a media file (.vtt .srt .json .json3 .srv3 .txt) [beside it].",
    ),
    click.option("--lang", default="en", show_default=True, help="Captions language to prefer."),
)


def with_options(options: list[Callable], command: Callable) -> Callable:
    """``command`` with click's ``options`` applied, the first listed shown first."""
    for option in reversed(options):
        command = option(command)
    return command


def episode_source(command: Callable) -> Callable:
    """Add the SOURCE argument and the options that say how to read it; the
    command receives the opened ``episode``."""
    options = [
        SOURCE_ARG,
        click.option(
            "--site",
            type=click.Path(file_okay=False, path_type=Path),
            help="Site root (default: the parent of the episode's _podcast/ folder).",
        ),
        *READ_OPTIONS,
    ]

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        kwargs["episode"] = open_episode(
            kwargs.pop("source"),
            item=kwargs.pop("item"),
            transcript=kwargs.pop("transcript"),
            lang=kwargs.pop("lang"),
            site=kwargs.pop("site"),
        )
        return command(*args, **kwargs)

    return with_options(options, wrapper)


TIMING_OPTION = click.option(
    "--timing",
    "timing_file",
    type=click.Path(path_type=Path),  # an unusable file is a warning naming it
    help="Word-timed captions (YouTube .json3/.srv3/.vtt, whisper .json, .srt) to time quotes.",
)


def _loudness(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return parse_loudness(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def loudness_option(default: str | None) -> Callable:
    """``--loudness LUFS|off``; ``default`` None means "as clipper.yaml says"."""
    shown = {"show_default": True} if default is not None else {}
    return click.option(
        "--loudness",
        default=default,
        metavar="LUFS|off",
        callback=_loudness,
        help="Bring each clip to this integrated loudness (true peak under -1 dBTP), "
        "or off to keep the source's level"
        + ("." if default is not None else " [clips.loudness: -14]."),
        **shown,
    )


THEME_OPTION = click.option(
    "--theme", default=CardOptions.theme, show_default=True, help="Theme name or YAML file."
)
CAPTION_STYLE_OPTION = click.option(
    "--caption-style",
    metavar="NAME",
    help="One of the theme's caption styles: box, pop, karaoke [the theme's own].",
)


def quotes_file_option(verb: str) -> Callable:
    return click.option(
        "--quotes",
        "quotes_file",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"{verb} the quotes of this file (from 'select -o') instead of selecting.",
    )


def out_option(folder: str) -> Callable:
    return click.option(
        "--out",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("output"),
        show_default=True,
        help=f"Output root; {folder} go to OUT/<episode>/{folder}/.",
    )


class ClipperGroup(click.Group):
    """Turns a ClipperError into a one-line ``Error: ...`` (as click's own usage
    errors) and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ClipperError as exc:
            if exc.field and not exc.key:
                exc.key = "--" + exc.field.replace("_", "-")
            raise click.ClickException(str(exc)) from None


@click.group(cls=ClipperGroup)
@click.version_option(package_name=DISTRIBUTION)
def main() -> None:
    """Turn a podcast episode page into quote cards, video clips and post text."""
    # What start-up made (modules, click's commands) lives as long as the process:
    # the garbage collector need not go through it again on every full pass.
    gc.freeze()


# ---------------------------------------------------------------- shared options


def _seconds(value: str, option: str) -> float:
    seconds = parse_time(value)
    if seconds is None:
        raise click.BadParameter(
            f"{value!r} is not a time like 12:34 or 1:02:03", param_hint=option
        )
    return seconds


def _between(value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        return parse_time_range(value)
    except ClipperError as exc:
        raise click.BadParameter(exc.message, param_hint="--between") from None


def selection_options(command: Callable) -> Callable:
    """Add the quote filters of ``clipper select``; the command receives them
    as one ``selection: SelectOptions`` argument."""
    options = [
        click.option("--speaker", help="Name, person id, or 'guest' / 'host'."),
        click.option("--section", help="Regex on the section title, or its number (1 = first)."),
        click.option("--kind", type=click.Choice(KINDS), default="any", show_default=True),
        click.option(
            "--min-words",
            type=click.IntRange(1),
            default=SelectOptions.min_words,
            show_default=True,
        ),
        click.option(
            "--max-words",
            type=click.IntRange(1),
            default=SelectOptions.max_words,
            show_default=True,
        ),
        click.option("--min-seconds", type=click.FloatRange(0), help="Shortest clip length."),
        click.option("--max-seconds", type=click.FloatRange(0), help="Longest clip length."),
        click.option("--between", metavar="START-END", help="Only quotes spoken in 10:00-25:30."),
        click.option("--match", metavar="REGEX", help="Only quotes whose text matches."),
        click.option("--top", type=click.IntRange(1), default=SelectOptions.top, show_default=True),
        click.option("--line", "pick_lines", type=int, multiple=True, help="Pick source line N."),
        click.option(
            "--at", "pick_at", multiple=True, metavar="TIME", help="Pick the line at 12:34."
        ),
        click.option(
            "--allow-profanity",
            is_flag=True,
            help="Allow swear words (slurs, insults and private details stay out).",
        ),
        click.option(
            "--ranker",
            type=click.Choice(RANKERS),
            default="offline",
            show_default=True,
            help="'llm': a language model re-orders the best 40 (pip install 'clipper[llm]').",
        ),
        click.option("--model", metavar="NAME", help="llm model for --ranker llm [llm's default]."),
    ]

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        kwargs["selection"] = SelectOptions(
            speaker=kwargs.pop("speaker"),
            section=kwargs.pop("section"),
            kind=kwargs.pop("kind"),
            min_words=kwargs.pop("min_words"),
            max_words=kwargs.pop("max_words"),
            min_seconds=kwargs.pop("min_seconds"),
            max_seconds=kwargs.pop("max_seconds"),
            between=_between(kwargs.pop("between")),
            match=kwargs.pop("match"),
            top=kwargs.pop("top"),
            lines=tuple(kwargs.pop("pick_lines")),
            at=tuple(_seconds(t, "--at") for t in kwargs.pop("pick_at")),
            allow_profanity=kwargs.pop("allow_profanity"),
            ranker=kwargs.pop("ranker"),
            model=kwargs.pop("model"),
        )
        return command(*args, **kwargs)

    return with_options(options, wrapper)


def resolve_quotes(
    episode: Episode, quotes_file: Path | None, selection: SelectOptions
) -> list[Quote]:
    with selection_warnings():
        return episode_quotes(episode, quotes_file, selection)


@contextlib.contextmanager
def selection_warnings() -> Iterator[None]:
    """Show the warnings of a selection (an LLM ranker falling back) as one
    ``warning:`` line each on stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LlmRankWarning)
        yield
    for warning in caught:
        echo_warning(str(warning.message))


def echo_warning(notice: Notice | str) -> None:
    """The CLI's one way to show a problem that did not stop the work: a
    library notice (from results or a ``warn`` callback) or a settings warning
    as one ``warning:`` line on stderr. The library reports each problem once,
    with its context in the notice, so nothing is added here."""
    click.echo(f"warning: {notice}", err=True)


def timed_quotes(episode: Episode, quotes: list[Quote], timing_file: Path) -> list[Quote]:
    """``quotes`` timed from the words of ``timing_file`` (warnings on stderr)."""
    from clipper.timing.quotes import apply_timing, time_quotes

    timings = time_quotes(episode, quotes, timing_file=timing_file, speech=False, warn=echo_warning)
    return [apply_timing(quote, timings[quote.id]) for quote in quotes]


def report_warnings(episode: Episode) -> None:
    if episode.warnings:
        click.echo(
            f"{episode.path}: {len(episode.warnings)} input warnings "
            f"(see 'clipper inspect {episode.path}')",
            err=True,
        )


def report_problems(results: list) -> None:
    """Each distinct warning and error of a render, once, on stderr (a notice
    about the whole episode rides on every result it touched)."""
    for warning in dict.fromkeys(w for result in results for w in result.warnings):
        echo_warning(warning)
    for error in dict.fromkeys(result.error for result in results if result.error):
        click.echo(f"error: {error}", err=True)


def finish(results: list, quotes: list[Quote], made: str) -> None:
    """Say when nothing matched; exit 1 when any item failed."""
    if not quotes:
        click.echo(f"no quotes match; no {made} made", err=True)
    if any(result.error for result in results):
        sys.exit(1)


# ---------------------------------------------------------------- commands


@main.command()
@episode_source
def inspect(episode: Episode) -> None:
    """Summarise an episode: guests, speakers (and why each got its role),
    sections, duration, warnings.

    \b
    Example:
      clipper inspect assets/example/_podcast/from-warehouse-floor-to-analytics-engineering.md
      clipper inspect talk.mp3 --transcript talk.vtt
    """
    click.echo(describe_episode(episode))


def describe_episode(episode: Episode) -> str:
    label = f" ({episode.label})" if episode.label else ""
    out = [
        f"{episode.title}{label}",
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
        key = (f"{line.speaker_name} ({line.speaker_id})", line.role, why)
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


@main.command("select")
@episode_source
@selection_options
@click.option(
    "--json", "as_json", is_flag=True, help="Print a JSON list of quotes with their features."
)
@click.option(
    "--explain", is_flag=True, help="Show why each quote was picked and why its rivals lost."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write an editable quotes.yaml for --quotes.",
)
@TIMING_OPTION
def select_command(
    episode: Episode,
    selection: SelectOptions,
    as_json: bool,
    explain: bool,
    output: Path | None,
    timing_file: Path | None,
) -> None:
    """Pick the most quotable lines of an episode.

    With --timing, each quote's start and end come from the captions' words
    (--json then shows its 'timing' source and 'confidence').

    \b
    Example:
      clipper select EPISODE.md --kind advice --top 5 -o quotes.yaml
      clipper select EPISODE.md --top 5 --explain
      clipper select talk.mp3 --transcript talk.srt
    """
    with selection_warnings():
        chosen = select(episode, selection)
    quotes = chosen.quotes
    report_warnings(episode)
    if timing_file:
        quotes = timed_quotes(episode, quotes, timing_file)
    if output:
        save_quotes(output, quotes)
        click.echo(f"wrote {len(quotes)} quotes to {output}", err=True)
    if as_json:
        click.echo(json.dumps(quotes_json(quotes, chosen), indent=2, ensure_ascii=False))
    elif explain:
        click.echo(explanation(quotes, chosen))
    elif not output:
        click.echo(quote_table(quotes))


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
        top = sorted(pick.contributions, key=lambda name: -abs(pick.contributions[name]))
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


@main.command()
@episode_source
@selection_options
@quotes_file_option("Render")
@click.option(
    "--size",
    "sizes",
    multiple=True,
    metavar="NAME|WxH",
    help="instagram, square, story, x, linkedin, youtube, WxH, or all (repeatable) [all].",
)
@THEME_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["png", "jpg", "webp"]), default="png", show_default=True
)
@out_option("cards")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of the cards.")
def cards(
    episode: Episode,
    selection: SelectOptions,
    quotes_file: Path | None,
    sizes: tuple[str, ...],
    theme: str,
    fmt: str,
    out: Path,
    as_json: bool,
) -> None:
    """Render quote cards (images with alt-text sidecars) for an episode.

    \b
    Example:
      clipper cards EPISODE.md --top 3 --size square --size story --theme light
    """
    from clipper.render.cards import render_cards

    quotes = resolve_quotes(episode, quotes_file, selection)
    report_warnings(episode)
    results = render_cards(episode, quotes, out, sizes=sizes or ("all",), theme=theme, fmt=fmt)
    report_problems(results)
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
    else:
        for result in results:
            if not result.error:
                click.echo(str(result.path))
    finish(results, quotes, "cards")


@main.command()
@episode_source
@selection_options
@quotes_file_option("Cut")
@click.option("--video", type=click.Path(path_type=Path), help="Local episode video file.")
@click.option("--url", help="Video URL for yt-dlp [the episode's YouTube video].")
@click.option(
    "--audio",
    type=click.Path(path_type=Path),
    help="Episode audio (mp3/m4a/wav): make audiograms instead of video clips.",
)
@click.option(
    "--frame",
    type=click.Choice(FRAME_MODES),
    default=ClipOptions.frame,
    show_default=True,
    help="1:1 and 9:16: crop on the speaker's face, or fit the whole picture; 9:16: stack "
    "both faces of a call, or auto (stack when the listener reacts).",
)
@click.option(
    "--shape",
    "shapes",
    multiple=True,
    type=click.Choice(ClipOptions.shapes),
    help="Clip shape (repeatable) [all three].",
)
@click.option("--captions/--no-captions", default=True, show_default=True, help="Burn in captions.")
@click.option(
    "--pad",
    type=click.FloatRange(0, 5),
    default=ClipOptions.pad,
    show_default=True,
    help="Seconds around each quote.",
)
@click.option("--sections", is_flag=True, help="Download only the quotes' parts of the video.")
@loudness_option(f"{ClipOptions.loudness:g}")
@click.option(
    "--max-pause",
    type=click.FloatRange(0.05, 10),
    default=ClipOptions.max_pause,
    show_default=True,
    help="Shorten a pause inside a quote longer than this many seconds "
    f"to {ClipOptions.keep_pause:g} s.",
)
@click.option("--keep-pauses", is_flag=True, help="Leave every pause as spoken.")
@click.option(
    "--cut-fillers",
    is_flag=True,
    help="Cut the spoken words the edited text leaves out (um, you know, repeats).",
)
@TIMING_OPTION
@THEME_OPTION
@CAPTION_STYLE_OPTION
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Download cache [~/.cache/clipper].",
)
@out_option("clips")
def clips(
    episode: Episode,
    selection: SelectOptions,
    quotes_file: Path | None,
    shapes: tuple[str, ...],
    timing_file: Path | None,
    out: Path,
    video: Path | None,
    url: str | None,
    audio: Path | None,
    frame: str,
    captions: bool,
    pad: float,
    sections: bool,
    loudness: float | None,
    max_pause: float,
    keep_pauses: bool,
    cut_fillers: bool,
    theme: str,
    caption_style: str | None,
    cache_dir: Path | None,
) -> None:
    """Cut quotes out of the episode video as captioned clips in every shape;
    with --audio, audiograms (artwork, photo, waveform, captions) instead.

    Each quote is cut on its spoken words, timed from a word-timed captions
    file, else speech recognition, else the transcript times (with a warning).

    \b
    Example:
      clipper clips EPISODE.md --quotes quotes.yaml --video episode.mp4 --shape 9:16
      clipper clips talk.mp4 --transcript talk.vtt --top 2
    """
    from clipper.cli.progress import terminal_progress
    from clipper.media.ffmpeg import probe
    from clipper.media.source import resolve_video
    from clipper.render.clips import render_clips
    from clipper.render.cutlist import Tightening
    from clipper.render.spoken import time_for_clips
    from clipper.render.theme import load_theme

    if sum(map(bool, (video, url, audio))) > 1:
        raise click.UsageError("give one of --video, --url and --audio")
    try:  # a bad pair of pause lengths is reported before any download
        tightening = Tightening(None if keep_pauses else max_pause, cut_fillers=cut_fillers)
    except ClipperError as exc:
        raise click.BadParameter(str(exc), param_hint="--max-pause") from None
    load_theme(theme, caption_style)  # a bad theme or style fails before any work
    if not (video or url or audio) and episode.media:
        from clipper.media.tags import episode_media

        video, url, audio = episode_media(episode.media, cache_dir)
    if video or audio:  # a bad file stops the command here, before any other work
        probe(audio or video, need_video=not audio)
    quotes = resolve_quotes(episode, quotes_file, selection)
    report_warnings(episode)
    media = audio
    if not audio and (video or not sections):  # --sections downloads each quote's part later
        media = resolve_video(
            episode, video=video, url=url, cache_dir=cache_dir, progress=terminal_progress()
        )
    quotes, timings = time_for_clips(
        episode,
        quotes,
        media=media,
        timing_file=timing_file,
        keep_written=quotes_file is not None,
        warn=echo_warning,
        tightening=tightening,
    )
    if audio:
        from clipper.render.audiogram import render_audiograms

        render = functools.partial(render_audiograms, audio=audio)
    else:
        render = functools.partial(
            render_clips,
            video=media,
            url=url,
            cache_dir=cache_dir,
            sections=sections,
            progress=terminal_progress(),
            frame=frame,
        )
    results = render(
        episode,
        quotes,
        out,
        shapes=shapes or ClipOptions.shapes,
        captions=captions,
        pad=pad,
        theme=theme,
        timings=timings,
        loudness=loudness,
        caption_style=caption_style,
    )
    report_problems(results)
    for result in results:
        if result.video and not result.error:
            click.echo(f"{result.video}{' (kept)' if result.skipped else ''}")
    finish(results, quotes, "clips")


@main.command()
@click.argument("sources", nargs=-1, metavar="[SITE_DIR | EPISODE.md | FEED]...")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Settings file (default: ./clipper.yaml when present).",
)
@click.option(
    "--since", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE", help="Only episodes added since."
)
@click.option(
    "--only", multiple=True, metavar="SLUG", help="Only this episode or feed guid (repeatable)."
)
@click.option(
    "--latest", type=click.IntRange(1), metavar="N", help="Only the N newest episodes or items."
)
@click.option("--jobs", "-j", type=click.IntRange(1), help="Parallel processes [cores].")
@click.option("--no-clips", is_flag=True, help="Skip video clips.")
@click.option("--no-cards", is_flag=True, help="Skip quote cards.")
@click.option("--force", is_flag=True, help="Redo every episode, changed or not.")
@click.option("--dry-run", is_flag=True, help="List what would be done, do nothing.")
@click.option("--shard", metavar="K/N", help="Take the K-th of N stable shares of episodes.")
@loudness_option(None)
@CAPTION_STYLE_OPTION
@click.option(
    "--cut-fillers",
    is_flag=True,
    help="Cut the spoken words the edited text leaves out [clips.cut_fillers].",
)
def batch(
    sources: tuple[str, ...],
    config_path: Path | None,
    out: Path | None,
    since: dt.datetime | None,
    only: tuple[str, ...],
    latest: int | None,
    jobs: int | None,
    no_clips: bool,
    no_cards: bool,
    force: bool,
    dry_run: bool,
    shard: str | None,
    loudness: float | None,
    caption_style: str | None,
    cut_fillers: bool,
) -> None:
    """Make the kit (quotes, cards, clips, post text, review page) for every
    new or changed episode of SITE_DIR (default: .), of the EPISODE.md files,
    or of a podcast FEED (an RSS or Atom URL or file): each item with a
    transcript, its media from the enclosure (audio: audiograms).

    \b
    Example:
      clipper batch assets/example --out output
      clipper batch assets/example-feed/feed.xml --latest 1
    """
    from clipper.batch.config import load_settings
    from clipper.batch.plan import BatchRequest, Shard
    from clipper.batch.run import Reporter, run_batch
    from clipper.cli.progress import BarReporter

    settings = load_settings(config_path, warn=echo_warning).override(
        output=out,
        cards__enabled=False if no_cards else None,
        clips__enabled=False if no_clips else None,
        clips__caption_style=caption_style,
        clips__cut_fillers=True if cut_fillers else None,
    )
    if click.get_current_context().get_parameter_source("loudness").name != "DEFAULT":
        settings = replace(settings, clips=replace(settings.clips, loudness=loudness))
    request = BatchRequest(
        sources=sources or (Path("."),),
        settings=settings,
        since=since.date() if since else None,
        only=only,
        latest=latest,
        shard=Shard.parse(shard) if shard else None,
        jobs=jobs,
        force=force,
        dry_run=dry_run,
    )
    import signal

    signal.signal(signal.SIGTERM, _interrupt)  # a cancelled CI job stops like Ctrl-C
    terminal = sys.stderr.isatty() and not dry_run
    reporter = BarReporter() if terminal else Reporter(lambda text: click.echo(text, err=True))
    summary = run_batch(request, reporter)
    for line in summary.lines():
        click.echo(line)
    sys.exit(summary.exit_code)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@main.command("import")
@SOURCE_ARG
@click.option(
    "--site",
    "target",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The site to write the episode into (made when missing).",
)
@READ_OPTIONS[0]
@READ_OPTIONS[1]
@READ_OPTIONS[2]
@click.option("--force", is_flag=True, help="Replace the episode's page when it exists.")
def import_command(
    source: str, target: Path, item: str | None, transcript: Path | None, lang: str, force: bool
) -> None:
    """Write an episode from any SOURCE into a site: _podcast/<slug>.md, _people/,
    artwork, the media and its word times; edit the page by hand and rerun.

    \b
    Example:
      clipper import talk.mp3 --transcript talk.vtt --site mysite
      clipper batch mysite
    """
    from clipper.episode.importer import import_episode

    episode = open_episode(source, item=item, transcript=transcript, lang=lang)
    result = import_episode(episode, target, lang=lang, force=force)
    for path in result.written:
        click.echo(str(path))
    for path in result.kept:
        click.echo(f"{path} (kept)", err=True)


@main.command()
@click.argument(
    "parts", nargs=-1, required=True, type=click.Path(file_okay=False, exists=True, path_type=Path)
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="The output folder to merge into.",
)
def merge(parts: tuple[Path, ...], out: Path) -> None:
    """Merge the output folders of 'batch --shard K/N' runs into OUT, as one
    unsharded run would have made it.

    \b
    Example:
      clipper merge part-1 part-2 part-3 --out output
    """
    from clipper.batch.merge import merge_outputs

    for line in merge_outputs(out, list(parts)).lines():
        click.echo(line)


@main.command()
@click.argument("path", default="clipper.yaml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite existing files.")
@click.option(
    "--github-actions",
    is_flag=True,
    help="Write .github/workflows/clipper.yml (run in the site repository) instead.",
)
@click.option(
    "--install",
    metavar="REQUIREMENT",
    help=f"How the workflow pip-installs clipper [{DISTRIBUTION}==<this version>].",
)
@click.option(
    "--shards",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="Parallel jobs of the workflow's back-catalogue rebuild.",
)
@click.option("--feed", metavar="URL", help="The workflow watches this podcast feed instead.")
@click.option(
    "--example",
    "example_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Copy the bundled example site to this folder instead.",
)
def init(
    path: Path,
    force: bool,
    github_actions: bool,
    install: str | None,
    shards: int,
    feed: str | None,
    example_dir: Path | None,
) -> None:
    """Write a commented clipper.yaml with the default settings; or the site's
    CI workflow (--github-actions); or a copy of the example site (--example).

    \b
    Example:
      clipper init site/clipper.yaml
      clipper init --github-actions --shards 8
      clipper init --github-actions --feed https://example.org/podcast.xml
      clipper init --example demo && clipper batch demo
    """
    if example_dir is not None:
        from clipper.resources import copy_example

        copy_example(example_dir)
        click.echo(f"copied the example site to {example_dir}; run: clipper batch {example_dir}")
    if github_actions:
        from clipper.batch.workflow import default_install, write_workflow

        written = write_workflow(Path("."), install or default_install(), shards, force, feed)
        click.echo(f"wrote {written}; commit it to run clipper on every new episode")
    if example_dir is None and not github_actions:
        from clipper.batch.config import write_init

        write_init(path, force)
        click.echo(f"wrote {path}; edit it, then run: clipper batch SITE_DIR")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
