"""The one exception type that the CLI turns into a one-line error, and the
one warning it shows for a selection (here so the CLI need not import the
module that raises it)."""

from __future__ import annotations

from dataclasses import dataclass


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


class LlmRankWarning(UserWarning):
    """The language model could not rank; the offline ranking is kept
    (see :mod:`clipper.select.llm_rank`)."""
