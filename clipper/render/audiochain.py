"""The audio of a clip inside its one ffmpeg filter graph: the quote's span
cut sample-exactly out of the decoded stretch, in 48 kHz stereo, with short
fades at both ends so a cut never clicks."""

from __future__ import annotations

FADE = 0.04  # seconds of fade at each end of a clip


def audio_chain(src: str, lead: float, duration: float, outputs: list[str]) -> str:
    """A filter chain taking ``duration`` seconds from ``lead`` seconds into
    the input ``src`` and splitting the result into the labels ``outputs``."""
    return (
        f"[{src}]atrim=start={lead:.6f}:duration={duration:.6f},asetpts=PTS-STARTPTS,"
        f"aformat=sample_rates=48000:channel_layouts=stereo,afade=t=in:d={FADE},"
        f"afade=t=out:st={max(0.0, duration - FADE):.6f}:d={FADE},asplit={len(outputs)}"
        + "".join(f"[{label}]" for label in outputs)
    )
