"""Hand-off to an editing program: an episode's cuts as an OpenTimelineIO
timeline, written in the formats editors open.

One clip per quote (one per kept piece when tight cuts shortened its
pauses or cut its fillers), back to back on one video track, each naming the
episode media at its source times, with a marker over it holding the quote's
text (and its id, speaker and kind as metadata). Written as
``OUT/<slug>/timeline/<slug>.<ext>`` for each of :data:`FORMATS` (OTIO's own
JSON, Final Cut Pro 7 XML which Premiere and DaVinci Resolve import, Final
Cut Pro X XML, and a CMX 3600 EDL), so the kit zip carries them.

The media is named by its file name alone: a kit travels, and the editor
relinks it to their copy of the episode. OpenTimelineIO is imported only
here, when a timeline is written (never at CLI start-up).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from clipper import fsutil
from clipper.episode import Episode
from clipper.render.cutlist import complement
from clipper.select.quote import Quote

if TYPE_CHECKING:
    import opentimelineio as otio

TIMELINE_DIR = "timeline"
# file extension -> OpenTimelineIO adapter
FORMATS = {"otio": "otio_json", "xml": "fcp_xml", "fcpxml": "fcpx_xml", "edl": "cmx_3600"}
AUDIO_ONLY_RATE = 30.0  # frames a second for a timeline of an audio-only episode


def build_timeline(
    episode: Episode, quotes: Sequence[Quote], media: Path, rate: float, duration: float
) -> otio.schema.Timeline:
    """The timeline of ``quotes`` cut from ``media`` (``duration`` seconds,
    ``rate`` frames a second); quotes without times are left out. A quote
    with tight cuts is one clip per kept piece (``q1``, ``q1.2``, ...), so the
    timeline plays what the rendered clip plays; the marker rides on the
    first piece."""
    import opentimelineio as otio

    def time(seconds: float) -> otio.opentime.RationalTime:
        return otio.opentime.RationalTime(round(seconds * rate), rate)

    def span(start: float, end: float) -> otio.opentime.TimeRange:
        return otio.opentime.TimeRange(time(start), time(end) - time(start))

    track = otio.schema.Track(name="Quotes", kind=otio.schema.TrackKind.Video)
    for quote in quotes:
        pieces = [(a, b) for a, b in kept_pieces(quote) if time(b) > time(a)]
        for n, (start, end) in enumerate(pieces, 1):
            clip = otio.schema.Clip(
                name=quote.id if n == 1 else f"{quote.id}.{n}",
                media_reference=otio.schema.ExternalReference(
                    target_url=media.name, available_range=span(0.0, duration)
                ),
                source_range=span(start, end),
            )
            if n == 1:
                clip.markers.append(
                    otio.schema.Marker(
                        name=quote.text,
                        marked_range=span(start, end),
                        color=otio.schema.MarkerColor.YELLOW,
                        metadata={"clipper": _about(quote)},
                    )
                )
            track.append(clip)
    timeline = otio.schema.Timeline(name=episode.title or episode.slug)
    timeline.tracks.append(track)
    return timeline


def kept_pieces(quote: Quote) -> list[tuple[float, float]]:
    """The stretches (episode seconds) of ``quote`` its clip keeps: from its
    start to its end less its ``cuts``; none for an untimed quote."""
    if quote.start is None or quote.end is None:
        return []
    start, end = quote.start, quote.end
    holes = [(max(a, start), min(b, end)) for a, b in quote.cuts or () if a < end and b > start]
    return [(a, b) for a, b in complement(start, end, holes) if b > a]


def _about(quote: Quote) -> dict[str, str]:
    return {"id": quote.id, "speaker": quote.speaker_name, "kind": quote.kind}


def write_timelines(
    folder: Path, episode: Episode, quotes: Sequence[Quote], media: Path
) -> list[Path]:
    """Write the episode's timeline into ``folder/timeline/`` in every format
    of :data:`FORMATS` (atomically); returns the files."""
    import opentimelineio as otio

    from clipper.media.ffmpeg import output_fps, probe

    info = probe(media, need_video=None)
    rate = output_fps(info) if info.width else AUDIO_ONLY_RATE
    timeline = build_timeline(episode, quotes, media, rate, info.duration)
    paths = []
    for ext, adapter in FORMATS.items():
        path = folder / TIMELINE_DIR / f"{episode.slug}.{ext}"
        fsutil.write_text(path, otio.adapters.write_to_string(timeline, adapter))
        paths.append(path)
    return paths
