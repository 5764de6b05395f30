"""Terminal progress for the CLI: a download bar and a batch progress bar.

The library reports progress through callbacks (:data:`clipper.media.source.Progress`,
:class:`clipper.batch.run.Reporter`); drawing it on a terminal is the CLI's job.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

import click

from clipper.batch.run import FAILED, Outcome, Reporter, warning_count
from clipper.media.source import Progress


def terminal_progress(stream: TextIO = sys.stderr) -> Progress:
    """A one-line download progress bar for the terminal."""

    def show(done: int, total: int | None) -> None:
        if total:
            filled = int(30 * done / total)
            bar = "#" * filled + "." * (30 - filled)
            stream.write(f"\rdownloading [{bar}] {done / 1e6:6.1f}/{total / 1e6:.1f} MB")
        else:
            stream.write(f"\rdownloading {done / 1e6:6.1f} MB")
        if total and done >= total:
            stream.write("\n")
        stream.flush()

    return show


class BarReporter(Reporter):
    """A progress bar over episodes on a terminal; failures still get a line."""

    def __init__(self) -> None:
        super().__init__(lambda text: click.echo(text, err=True))
        self.bar: Any = None

    def start(self, total: int) -> None:
        super().start(total)
        self.bar = click.progressbar(
            length=total,
            label="episodes",
            file=sys.stderr,
            show_pos=True,
            item_show_func=lambda slug: slug,
        )
        self.bar.__enter__()

    def done(self, outcome: Outcome) -> None:
        self.count += 1
        if outcome.status == FAILED:
            self.echo(f"\\nfailed {outcome.slug}: {outcome.error}")
        self.bar.update(
            1,
            current_item=f"{outcome.slug[:48]}: {outcome.cards} cards, {outcome.clips} clips"
            f"{warning_count(outcome)}",
        )

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
