"""The audio of a clip inside its one ffmpeg filter graph: the quote's span
cut sample-exactly out of the decoded stretch, brought to the platform's
loudness target, in 48 kHz stereo, with short fades at both ends so a cut
never clicks.

Loudness: the clip's own audio is measured first (one audio-only pass, see
:mod:`clipper.media.loudness`), and ``loudnorm`` gets those figures, so it
knows the whole clip before it starts: a plain gain when that keeps the true
peak under the ceiling, otherwise its look-ahead limiter and level control
bring the clip to the target without clipping.
"""

from __future__ import annotations

from dataclasses import dataclass

from clipper.media.loudness import Loudness

FADE = 0.04  # seconds of fade at each end of a clip
TRUE_PEAK = -1.0  # dBTP: the most a platform-ready clip may peak at
TRUE_PEAK_AIM = -1.5  # dBTP asked of loudnorm: AAC encoding adds a few tenths of a dB
LOUDNESS_RANGE = 11.0  # LU: loudnorm's range target (speech stays far below it)


@dataclass(frozen=True)
class Levelling:
    """Bring audio measured as ``measured`` to ``target`` LUFS integrated."""

    target: float
    measured: Loudness

    def filter(self) -> str:
        m = self.measured
        return (
            f"loudnorm=I={self.target:g}:TP={TRUE_PEAK_AIM:g}:LRA={LOUDNESS_RANGE:g}:"
            f"measured_I={m.integrated:g}:measured_TP={m.true_peak:g}:"
            f"measured_LRA={m.lra:g}:measured_thresh={m.threshold:g}:linear=true,"
        )


def audio_chain(
    src: str,
    lead: float,
    duration: float,
    outputs: list[str],
    levelling: Levelling | None = None,
) -> str:
    """A filter chain taking ``duration`` seconds from ``lead`` seconds into
    the input ``src``, levelled, and split into the labels ``outputs``."""
    level = levelling.filter() if levelling else ""
    return (
        f"[{src}]atrim=start={lead:.6f}:duration={duration:.6f},asetpts=PTS-STARTPTS,{level}"
        f"aformat=sample_rates=48000:channel_layouts=stereo,afade=t=in:d={FADE},"
        f"afade=t=out:st={max(0.0, duration - FADE):.6f}:d={FADE},asplit={len(outputs)}"
        + "".join(f"[{label}]" for label in outputs)
    )


def levelling(target: float | None, measured: Loudness | None) -> Levelling | None:
    """What to level a clip by: nothing when levelling is off (``target``
    None) or there is no sound to level."""
    if target is None or measured is None or measured.silent:
        return None
    return Levelling(target, measured)
