"""The audio of a clip inside its one ffmpeg filter graph: the quote's span
cut sample-exactly out of the decoded stretch (in pieces joined by short
crossfades when the quote is tightened), brought to the platform's
loudness target, in 48 kHz stereo, with short fades at both ends so a cut
never clicks.

Loudness: the clip's own audio is measured first (one audio-only pass, see
:mod:`clipper.media.loudness`), and ``loudnorm`` gets those figures, so it
knows the whole clip before it starts: a plain gain when that keeps the true
peak under the ceiling, otherwise its look-ahead limiter and level control
bring the clip to the target without clipping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clipper.media.loudness import Loudness

FADE = 0.04  # seconds of fade at each end of a clip
CROSSFADE = 0.02  # seconds over which the two sides of a cut inside a clip are blended
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
    pieces: Sequence[tuple[float, float]],
    duration: float,
    outputs: list[str],
    levelling: Levelling | None = None,
) -> str:
    """Filter chains taking the ``pieces`` (input seconds) of the input
    ``src``, joined by short crossfades, levelled, made exactly ``duration``
    seconds long (the picture's length), and split into the labels
    ``outputs``. Each join overlaps ``CROSSFADE`` seconds taken half from
    either side of the cut, so the joined sound keeps the summed length of
    the pieces."""
    half = CROSSFADE / 2
    count = len(pieces)
    chains, joined = [], "acut0"
    trims = [
        f"atrim=start={a - (half if i else 0):.6f}:end={b + (half if i < count - 1 else 0):.6f}"
        for i, (a, b) in enumerate(pieces)
    ]
    if count > 1:
        chains.append(f"[{src}]asplit={count}" + "".join(f"[acsrc{i}]" for i in range(count)))
        chains += [
            f"[acsrc{i}]{trim},asetpts=PTS-STARTPTS[acut{i}]" for i, trim in enumerate(trims)
        ]
        for i in range(1, count):
            out = f"acjoin{i}"
            chains.append(f"[{joined}][acut{i}]acrossfade=d={CROSSFADE}:c1=tri:c2=tri[{out}]")
            joined = out
        head = f"[{joined}]apad=whole_dur={duration:.6f},atrim=duration={duration:.6f},"
    else:
        head = f"[{src}]{trims[0]},asetpts=PTS-STARTPTS,"
    level = levelling.filter() if levelling else ""
    chains.append(
        f"{head}{level}aformat=sample_rates=48000:channel_layouts=stereo,afade=t=in:d={FADE},"
        f"afade=t=out:st={max(0.0, duration - FADE):.6f}:d={FADE},asplit={len(outputs)}"
        + "".join(f"[{label}]" for label in outputs)
    )
    return ";".join(chains)


def levelling(target: float | None, measured: Loudness | None) -> Levelling | None:
    """What to level a clip by: nothing when levelling is off (``target``
    None) or there is no sound to level."""
    if target is None or measured is None or measured.silent:
        return None
    return Levelling(target, measured)
