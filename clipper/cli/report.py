"""How commands report on stderr what did not stop the work (warnings) and
what did (errors, exit status)."""

from __future__ import annotations

import contextlib
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import click

from clipper.episode import Episode
from clipper.errors import LlmRankWarning, Notice
from clipper.select.quote import Quote
from clipper.select.resolve import episode_quotes
from clipper.select.selector import SelectOptions


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
