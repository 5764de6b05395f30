"""The Quote record and the editable quotes file (YAML) that commands share."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import yaml

from clipper import fsutil
from clipper.episode.model import UNNAMED
from clipper.errors import ClipperError
from clipper.yamlfile import read_yaml

KINDS = ("testimonial", "advice", "insight", "any")


@dataclass
class Quote:
    """A span of 1-3 sentences from one speaker turn, with where it is spoken.

    ``start``/``end`` are seconds in the episode, ``None`` until the quote is
    timed (a quotes file may leave them out: clipper then times the quote from
    its words); ``lines`` are the source transcript indices it comes from;
    ``id`` is stable for the same input.
    ``reasons`` are the selector's top reasons for the pick (for people);
    ``timing`` names where ``start``/``end`` came from (``captions``,
    ``speech`` or ``interpolated``) and ``confidence`` how sure that is.
    ``cuts`` are the stretches (episode seconds) the clip leaves out, pauses
    shortened and fillers cut; ``None`` until planned, ``[]`` for none.
    """

    id: str
    episode: str
    speaker: str
    speaker_name: str
    role: str
    section: str
    kind: str
    text: str
    start: float | None
    end: float | None
    score: float
    lines: list[int]
    url: str | None = None
    reasons: list[str] = field(default_factory=list)
    timing: str | None = None
    confidence: float | None = None
    cuts: list[list[float]] | None = None

    @property
    def shown_name(self) -> str:
        """The name cards and clips print: none where the transcript names
        nobody (its placeholder says nothing about who spoke)."""
        name = self.speaker_name or self.speaker
        return "" if name == UNNAMED else name

    @property
    def timed(self) -> bool:
        return self.start is not None and self.end is not None

    @property
    def duration(self) -> float:
        """Seconds spoken; 0 for a quote not timed yet."""
        return self.end - self.start if self.timed else 0.0

    @property
    def words(self) -> int:
        return len(self.text.split())

    def to_dict(self) -> dict:
        return asdict(self)


_FIELDS = {f.name for f in fields(Quote)}


def _times(data: dict, where: str) -> tuple[float | None, float | None]:
    """``start``/``end`` of a quotes-file entry: both, or neither (then the
    quote is timed from its words)."""
    given = [key for key in ("start", "end") if data.get(key) is not None]
    if not given:
        return None, None
    if len(given) == 1:
        missing = "end" if given == ["start"] else "start"
        raise ClipperError(f"{where}: {given[0]!r} without {missing!r}: give both or neither")
    try:
        start, end = float(data["start"]), float(data["end"])
    except (TypeError, ValueError):
        raise ClipperError(f"{where}: 'start' and 'end' must be numbers of seconds") from None
    if end <= start:
        raise ClipperError(f"{where}: 'end' ({end}) must be after 'start' ({start})")
    return start, end


def _cuts(data: dict, where: str) -> list[list[float]] | None:
    """``cuts`` of a quotes-file entry: pairs ``[from, to]`` of seconds, in order."""
    given = data.get("cuts")
    if given is None:
        return None
    problem = f"{where}: 'cuts' must be a list of [from, to] pairs of seconds, in order"
    if not isinstance(given, list):
        raise ClipperError(problem)
    cuts: list[list[float]] = []
    for pair in given:
        if not isinstance(pair, list) or len(pair) != 2:
            raise ClipperError(problem)
        try:
            a, b = float(pair[0]), float(pair[1])
        except (TypeError, ValueError):
            raise ClipperError(problem) from None
        if not 0 <= a < b or (cuts and a < cuts[-1][1]):
            raise ClipperError(problem)
        cuts.append([a, b])
    return cuts


def quote_from_dict(data: object, source: str, position: int) -> Quote:
    """Build a Quote from a hand-editable mapping; missing optional keys get defaults."""
    where = f"{source}: quote {position + 1}"
    if not isinstance(data, dict):
        raise ClipperError(f"{where}: expected a mapping, got {type(data).__name__}")
    unknown = sorted(set(data) - _FIELDS)
    if unknown:
        raise ClipperError(f"{where}: unknown key {unknown[0]!r}")
    if "text" not in data:
        raise ClipperError(f"{where}: missing key 'text'")
    text = str(data["text"]).strip()
    if not text:
        raise ClipperError(f"{where}: 'text' is empty")
    start, end = _times(data, where)
    return Quote(
        id=str(data.get("id") or f"q{position + 1:03d}"),
        episode=str(data.get("episode", "")),
        speaker=str(data.get("speaker", "")),
        speaker_name=str(data.get("speaker_name", data.get("speaker", ""))),
        role=str(data.get("role", "guest")),
        section=str(data.get("section") or ""),
        kind=str(data.get("kind", "any")),
        text=text,
        start=start,
        end=end,
        score=float(data.get("score", 0.0)),
        lines=[int(i) for i in data.get("lines") or []],
        url=data.get("url"),
        reasons=[str(r) for r in data.get("reasons") or []],
        timing=data.get("timing"),
        confidence=None if data.get("confidence") is None else float(data["confidence"]),
        cuts=None if start is None else _cuts(data, where),
    )


def dump_quotes(quotes: list[Quote]) -> str:
    header = (
        "# clipper quotes: edit the text, start or end, delete entries, or reorder them.\n"
        "# Commands given --quotes render exactly what this file says. To trim a quote,\n"
        "# edit its text and delete its start and end: clipper times it from its words.\n"
        "# cuts: stretches the clip leaves out (pauses shortened, fillers cut); [] for none.\n"
    )
    body = yaml.safe_dump(
        [q.to_dict() for q in quotes], sort_keys=False, allow_unicode=True, width=88
    )
    return header + body


def save_quotes(path: Path, quotes: list[Quote]) -> None:
    """Write ``quotes`` as an editable quotes.yaml (atomically)."""
    fsutil.write_text(path, dump_quotes(quotes))


def load_quotes(path: Path) -> list[Quote]:
    """Read a quotes.yaml as a person may have edited it; a bad entry is a
    one-line error naming the file, the entry and the key."""
    data = read_yaml(path, "quotes file")
    if data is None:
        return []
    if not isinstance(data, list):
        raise ClipperError(f"{path}: expected a list of quotes")
    return [quote_from_dict(item, str(path), i) for i, item in enumerate(data)]
