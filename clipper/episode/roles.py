"""Who is the host and who is a guest, and why.

Evidence, strongest first, for each speaker label of a transcript:

1. a guest listed in the front matter is a guest;
2. a label that names a role ("Guest", "Host", "Interviewer 2") means what it says;
3. someone found in ``_people/`` who is not a listed guest is a host (how the
   site's regular hosts appear: "Alexey");
4. among the rest, when no host is known yet and at least two people speak,
   the one who asks the most questions is the host (the first to speak when
   nobody asks any); everyone else is a guest, and so is a lone speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clipper.episode.model import GUEST_ROLE, HOST_ROLE

_HOST_LABEL = re.compile(
    r"^(the\s+)?(host|co-?host|interviewer|moderator|presenter)(\s*#?\d+)?$", re.IGNORECASE
)
_GUEST_LABEL = re.compile(r"^(the\s+)?(guest|interviewee)(\s*#?\d+)?$", re.IGNORECASE)


@dataclass(frozen=True)
class SpeakerEvidence:
    """What the transcript and the site say about one speaker label.

    ``known`` is ``"guest"`` for a listed guest, ``"host"`` for a ``_people``
    entry that is not a listed guest, ``None`` otherwise; ``questions`` counts
    the speaker's lines with a question mark; ``because`` says why a known
    speaker has that role when the source says (a feed's person role, the
    title), instead of the site's reasons."""

    label: str
    known: str | None
    questions: int
    because: str | None = None


def label_role(label: str) -> str | None:
    """The role a label names ("Guest", "Host 2"), or None for a name."""
    if _HOST_LABEL.match(label.strip()):
        return HOST_ROLE
    if _GUEST_LABEL.match(label.strip()):
        return GUEST_ROLE
    return None


def decide_roles(speakers: list[SpeakerEvidence]) -> dict[str, tuple[str, str]]:
    """``label -> (role, reason)`` for every speaker, in order of first line."""
    decided: dict[str, tuple[str, str]] = {}
    for speaker in speakers:
        named = label_role(speaker.label)
        if speaker.known == GUEST_ROLE:
            decided[speaker.label] = (GUEST_ROLE, speaker.because or "listed guest")
        elif named:
            decided[speaker.label] = (named, f"label says {named}")
        elif speaker.known == HOST_ROLE:
            decided[speaker.label] = (
                HOST_ROLE,
                speaker.because or "in _people, not a listed guest",
            )
    rest = [s for s in speakers if s.label not in decided]
    has_host = any(role == HOST_ROLE for role, _ in decided.values())
    if rest and not has_host and len(speakers) > 1:
        asker = max(rest, key=lambda s: s.questions)  # the earliest on a tie
        reason = (
            f"asks the most questions ({asker.questions})"
            if asker.questions
            else "speaks first; nobody asks questions"
        )
        decided[asker.label] = (HOST_ROLE, reason)
    for speaker in rest:
        if speaker.label not in decided:
            alone = len(speakers) == 1
            decided[speaker.label] = (GUEST_ROLE, "only speaker" if alone else "not the host")
    return decided
