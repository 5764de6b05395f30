"""The one exception type that the CLI turns into a one-line error, the one
warning record every stage hands back (:class:`Notice`), and the warning a
selection raises (here so the CLI need not import the module that raises it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace


@dataclass(eq=False)
class ClipperError(Exception):
    """A problem with the user's input or environment, worded for the user.

    A command that stops on it prints ``Error: <message>`` (the form of click's
    usage errors) and exits 1; a run that reports it for one asset or episode
    and goes on prints ``error: <message>``, beside its ``warning:`` lines.

    ``message`` says what is wrong, in the library's own words (field names,
    not command-line flags). The optional context fields are filled in by
    whichever layer knows them, each once, and :meth:`__str__` joins them in
    one line: ``<episode>: quote <quote>: <key>: <message>``.

    :param episode: the episode slug or file the problem belongs to.
    :param quote: the id of the quote being rendered.
    :param field: the library's name of the option at fault (``min_words``).
    :param key: the same option as the user typed it (``--min-words``,
        ``selection.min_words``): the CLI or the settings loader sets it from
        ``field``; when set it is shown instead of ``field``.
    """

    message: str
    episode: str | None = None
    quote: str | None = None
    key: str | None = None
    field: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        where = self.key or self.field
        parts = [self.episode, self.quote and f"quote {self.quote}", where, self.message]
        return ": ".join(p for p in parts if p)

    def context(
        self, *, episode: str | None = None, quote: str | None = None, key: str | None = None
    ) -> ClipperError:
        """Fill in the context fields still empty; returns ``self`` to re-raise."""
        self.episode = self.episode or episode
        self.quote = self.quote or quote
        self.key = self.key or key
        return self


@dataclass(frozen=True)
class Notice:
    """A problem that did not stop the work: what was wrong, naming the file
    at fault, and what was done instead ("...; framed as fit").

    The library never prints: each stage hands its notices back with its
    results (``result.warnings``) or to a ``warn`` callback, each problem
    once, with the context it knows: the episode, the quote and the
    ``variant`` (a card size or clip shape) it belongs to, each left empty
    when the problem is wider (a bad video concerns the whole episode). The
    CLI prints each distinct notice once as ``warning: <str(notice)>``; batch
    counts them per episode and keeps them for the review page.
    """

    message: str
    episode: str | None = None
    quote: str | None = None
    variant: str | None = None

    def __str__(self) -> str:
        parts = [self.episode, self.quote and f"quote {self.quote}", self.variant, self.message]
        return ": ".join(p for p in parts if p)

    def local(self) -> str:
        """The notice without its episode and quote (shown under them)."""
        return str(replace(self, episode=None, quote=None))


Warn = Callable[[Notice], None]


def ignore(notice: Notice) -> None:
    """The default ``warn`` callback: a library call made without one drops
    its notices (the result records what was used, e.g. a quote's ``timing``)."""


class LlmRankWarning(UserWarning):
    """The language model could not rank; the offline ranking is kept
    (see :mod:`clipper.select.llm_rank`)."""
