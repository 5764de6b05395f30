"""Hand-off to an editing program: an episode's cuts as an OpenTimelineIO
timeline, written in the formats editors open.

One clip per quote, back to back on one video track, each naming the episode
media at the quote's source times, with a marker over it holding the quote's
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
    ``rate`` frames a second); quotes without times are left out."""
    import opentimelineio as otio

    def time(seconds: float) -> otio.opentime.RationalTime:
        return otio.opentime.RationalTime(round(seconds * rate), rate)

    def span(start: float, end: float) -> otio.opentime.TimeRange:
        return otio.opentime.TimeRange(time(start), time(end) - time(start))

    track = otio.schema.Track(name="Quotes", kind=otio.schema.TrackKind.Video)
    for quote in quotes:
        if quote.start is None or quote.end is None:
            continue
        reference = otio.schema.ExternalReference(
            target_url=media.name, available_range=span(0.0, duration)
        )
        clip = otio.schema.Clip(
            name=quote.id, media_reference=reference, source_range=span(quote.start, quote.end)
        )
        clip.markers.append(
            otio.schema.Marker(
                name=quote.text,
                marked_range=span(quote.start, quote.end),
                color=otio.schema.MarkerColor.YELLOW,
                metadata={
                    "clipper": {"id": quote.id, "speaker": quote.speaker_name, "kind": quote.kind}
                },
            )
        )
        track.append(clip)
    timeline = otio.schema.Timeline(name=episode.title or episode.slug)
    timeline.tracks.append(track)
    return timeline


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
