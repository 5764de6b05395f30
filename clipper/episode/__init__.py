"""Stage 1: load an episode page and normalise its transcript into plain dataclasses.

``model`` holds the records, ``load`` reads and repairs a page, ``clock``
parses the times people write.
"""

from clipper.episode.clock import format_clock, parse_time, parse_time_range
from clipper.episode.load import YOUTUBE_ID, clean_youtube_id, load_episode, read_front_matter
from clipper.episode.model import (
    GUEST_ROLE,
    HOST_ROLE,
    Episode,
    Line,
    LoadWarning,
    Person,
    Section,
)

__all__ = [
    "GUEST_ROLE",
    "HOST_ROLE",
    "YOUTUBE_ID",
    "Episode",
    "Line",
    "LoadWarning",
    "Person",
    "Section",
    "clean_youtube_id",
    "format_clock",
    "load_episode",
    "parse_time",
    "parse_time_range",
    "read_front_matter",
]
