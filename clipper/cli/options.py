"""The options several commands share: how to read a SOURCE, the quote
filters of ``clipper select``, and the render options."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import click

from clipper.episode import parse_time, parse_time_range
from clipper.episode.sources import open_episode
from clipper.errors import ClipperError
from clipper.render.options import CardOptions, parse_loudness
from clipper.select.quote import KINDS
from clipper.select.selector import RANKERS, SelectOptions

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
