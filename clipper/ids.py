"""Identifiers every stage validates: YouTube ids and file-name slugs."""

from __future__ import annotations

import re
import unicodedata

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
MAX_SLUG = 80


def slugify(text: str, fallback: str = "episode") -> str:
    """A file-name-safe slug from any text: ASCII letters, digits and single
    hyphens ("Ünïcode & Friends!" -> ``unicode-friends``), at most
    :data:`MAX_SLUG` characters; ``fallback`` when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:MAX_SLUG].rstrip("-") or fallback
