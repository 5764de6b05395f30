"""Optional re-ranking of the offline candidates by a language model.

Through the `llm <https://llm.datasette.io>`_ library (``pip install
'clipper[llm]'``), which reaches OpenAI, Anthropic, Gemini or local models
through its plugins and keeps their keys (``llm keys set openai``).

:func:`llm_ranking` takes candidate records (id, speaker, text), sends them in
one prompt and returns the model's picks, best first: only ids that exist,
each once, with a kind and a one-line reason. Answers are cached by a hash of
the model and the prompt under the user cache folder, so re-running a
selection costs nothing. On any failure (the package or a key is missing, the
model is unknown or fails, the answer is not the JSON asked for) it emits one
:class:`LlmRankWarning` and returns an empty list: the caller keeps its
offline ranking.
"""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from clipper import fsutil
from clipper.errors import LlmRankWarning

KINDS = ("testimonial", "advice", "insight")
SYSTEM = """\
You are the social media editor of a data and machine learning podcast. From
candidate quotes of one episode, choose the ones you would post as a quote card:
a stranger must understand each one without the rest of the episode, it makes one
clear point (advice, an insight, or praise of a course or community), and it
reads well on its own. Leave out lines that lean on earlier talk, specifics with
no point for a stranger, and two sentences that do not belong together.
Answer with JSON only, no prose: {"ranking": [{"id": "...", "kind":
"advice|insight|testimonial", "reason": "one short line"}, ...]}, best first,
at most %(top)d entries, using only the ids given."""


@dataclass(frozen=True)
class Candidate:
    """What the model sees of one candidate quote."""

    id: str
    speaker: str
    text: str


@dataclass(frozen=True)
class LlmPick:
    id: str
    kind: str | None
    reason: str


class _Failure(Exception):
    """A reason to fall back, worded for the one-line warning."""


def llm_ranking(
    candidates: Sequence[Candidate],
    *,
    model: str | None = None,
    top: int = 10,
    cache_dir: Path | None = None,
) -> list[LlmPick]:
    """The model's picks among ``candidates``, best first; ``[]`` after a
    warning when it cannot rank. ``model`` is an llm model id or alias
    (``None``: llm's default model)."""
    if not candidates:
        return []
    try:
        return _rank(candidates, model, top, cache_dir or fsutil.default_cache_dir() / "llm")
    except _Failure as exc:
        warnings.warn(f"--ranker llm: {exc}; using the offline ranking", LlmRankWarning, 2)
        return []


def _rank(
    candidates: Sequence[Candidate], name: str | None, top: int, cache_dir: Path
) -> list[LlmPick]:
    try:
        import llm
    except ImportError:
        raise _Failure("the llm package is not installed (pip install 'clipper[llm]')") from None
    try:
        model = llm.get_model(name)
    except llm.UnknownModelError:
        raise _Failure(f"unknown model {name!r} (see 'llm models')") from None
    system = SYSTEM % {"top": top}
    prompt = "\n".join(
        json.dumps({"id": c.id, "speaker": c.speaker, "text": c.text}, ensure_ascii=False)
        for c in candidates
    )
    digest = hashlib.sha256(f"{model.model_id}\n{system}\n{prompt}".encode()).hexdigest()
    cached = cache_dir / f"{digest[:32]}.json"
    answer = _read_cache(cached)
    if answer is None:
        answer = _ask(model, prompt, system)
    picks = _parse(answer, {c.id for c in candidates})
    if not picks:
        raise _Failure(f"model {model.model_id} returned no known candidate id")
    fsutil.write_text(cached, answer)
    return picks[:top] if top else picks


def _read_cache(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def _ask(model, prompt: str, system: str) -> str:
    try:
        return model.prompt(prompt, system=system).text()
    except Exception as exc:  # any provider error: the offline ranking still works
        first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise _Failure(f"model {model.model_id} failed: {first_line}") from None


_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")


def _parse(answer: str, known: set[str]) -> list[LlmPick]:
    """The valid entries of the model's JSON ranking, each id once."""
    text = _FENCE.sub("", answer.strip())
    try:
        data = json.loads(text)
    except ValueError:
        raise _Failure("the model's answer is not JSON") from None
    entries = data.get("ranking") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise _Failure("the model's answer has no 'ranking' list")
    picks: dict[str, LlmPick] = {}
    for entry in entries:
        item = entry if isinstance(entry, dict) else {"id": entry}
        pick_id = str(item.get("id", ""))
        if pick_id in known and pick_id not in picks:
            kind = item.get("kind") if item.get("kind") in KINDS else None
            reason = " ".join(str(item.get("reason") or "").split())[:200]
            picks[pick_id] = LlmPick(pick_id, kind, reason)
    return list(picks.values())
