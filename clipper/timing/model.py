"""The records the timing stage hands to the renderers.

Every time is in seconds of the episode's media. Word sources (captions files,
YouTube automatic captions, speech recognition, interpolation) produce
lists of :class:`~clipper.episode.model.Word` (the episode stage's record);
alignment maps the quote's edited transcript text onto them and yields one
:class:`QuoteTiming` per quote.
"""

from __future__ import annotations

from dataclasses import dataclass

from clipper.episode.model import Word

__all__ = ["TIMING_SOURCES", "QuoteTiming", "Word"]

TIMING_SOURCES = ("captions", "speech", "interpolated")


@dataclass(frozen=True)
class QuoteTiming:
    """When a quote is spoken, word by word.

    ``words`` holds the quote's words as written in its text (fillers the
    speaker said but the text omits are not there), each with its aligned time.
    ``start``/``end`` bound the spoken quote: the first word's start (a leading
    filler such as "um, so" may be left out) and the last word's end.
    ``previous_end``/``next_start`` are where the neighbouring spoken words end
    and begin (``None`` when unknown), so a cut can be padded into the silence
    between without reaching a neighbour's word. ``source`` is one of
    :data:`TIMING_SOURCES`; ``confidence`` (0-1) says how well the text aligned.
    ``fillers`` are the spoken words the text leaves out ("um", "you know", a
    repeated word, a word the editor cut), inside the quote or between it and
    its neighbours: what ``--cut-fillers`` removes.
    """

    words: tuple[Word, ...]
    start: float
    end: float
    source: str
    confidence: float
    previous_end: float | None = None
    next_start: float | None = None
    fillers: tuple[Word, ...] = ()
