"""How loud a stretch of audio is, measured by ffmpeg's EBU R128 meter.

One audio-only pass over the stretch (the video is not decoded): integrated
loudness, loudness range, the gating threshold and the true peak (4x
oversampled), which the renderers hand to ``loudnorm`` so a clip is brought
to a platform's target in the same ffmpeg run that encodes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from clipper.media.ffmpeg import run_ffmpeg, stretch_name

_SUMMARY = re.compile(
    r"Integrated loudness:\s+I:\s+(?P<i>-?[\d.]+|-inf) LUFS\s+"
    r"Threshold:\s+(?P<thresh>-?[\d.]+|-inf) LUFS"
    r".*?LRA:\s+(?P<lra>[\d.]+) LU.*?True peak:\s+Peak:\s+(?P<tp>-?[\d.]+|-inf) dBFS",
    re.DOTALL,
)
SILENT = -70.0  # LUFS: the meter's absolute gate; a stretch this quiet has nothing to normalise


@dataclass(frozen=True)
class Loudness:
    """EBU R128 figures: ``integrated`` (LUFS), ``true_peak`` (dBTP),
    ``lra`` (LU) and ``threshold`` (LUFS, the relative gate)."""

    integrated: float
    true_peak: float
    lra: float
    threshold: float

    @property
    def silent(self) -> bool:
        return self.integrated <= SILENT


def parse_ebur128(stderr: str) -> Loudness | None:
    """The summary the ``ebur128`` filter prints at the end of a run, or None."""
    found = list(_SUMMARY.finditer(stderr))
    if not found:
        return None

    def number(name: str) -> float:
        text = found[-1].group(name)
        return SILENT - 50 if text == "-inf" else float(text)

    return Loudness(number("i"), number("tp"), number("lra"), number("thresh"))


def measure_loudness(path: Path, start: float, duration: float) -> Loudness | None:
    """Loudness of ``duration`` seconds of ``path``'s audio from ``start``;
    None when the file has no audio there."""
    args = ["-nostats", "-ss", f"{max(0.0, start):.6f}", "-t", f"{duration:.6f}", "-i", str(path)]
    args += ["-vn", "-sn", "-af", "ebur128=peak=true:framelog=quiet", "-f", "null", "-"]
    return parse_ebur128(run_ffmpeg(args, what=stretch_name(path, start, start + duration)))
