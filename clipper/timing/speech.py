"""Offline speech recognition with pocketsphinx, on short windows of audio.

pocketsphinx's wheel carries a US English acoustic model, language model and
dictionary, so nothing is downloaded. Only the audio around a quote is decoded
(16 kHz mono PCM cut out by the bundled ffmpeg): a whole episode would take
minutes. The recogniser's words are rough, but their times are good, and the
alignment only needs enough of them to anchor the quote's text.

pocketsphinx is imported inside :class:`Recogniser`: the CLI must start fast.
"""

from __future__ import annotations

import subprocess
import time
from array import array
from pathlib import Path

from clipper.errors import ClipperError
from clipper.media.ffmpeg import ffmpeg_exe, last_error_line
from clipper.timing.model import Word

SAMPLE_RATE = 16000
FRAMES_PER_SECOND = 100  # pocketsphinx's frame rate
SILENT_PEAK = 33  # samples never louder than this (-60 dBFS) are silence, not speech


def read_pcm(media: Path, start: float, end: float) -> bytes:
    """16 kHz mono signed 16-bit samples of ``media`` between ``start`` and ``end``."""
    start = max(0.0, start)
    cmd = [
        ffmpeg_exe(),
        *("-hide_banner", "-nostdin", "-v", "error"),
        *("-ss", f"{start:.3f}", "-t", f"{max(0.0, end - start):.3f}", "-i", str(media)),
        *("-vn", "-ac", "1", "-ar", str(SAMPLE_RATE), "-f", "s16le", "-"),
    ]
    proc = subprocess.run(cmd, capture_output=True)
    if proc.returncode != 0:
        reason = last_error_line(proc.stderr.decode("utf-8", "replace"))
        raise ClipperError(f"{media}: cannot read audio: {reason}")
    return proc.stdout


class Recogniser:
    """One loaded pocketsphinx decoder (loading takes about a second), reused
    for every window. ``audio_seconds`` were decoded in ``busy_seconds`` of wall
    time, ``cpu_seconds`` of them this process's CPU time (the decoding itself)."""

    def __init__(self) -> None:
        try:
            from pocketsphinx import Decoder
        except ImportError:
            raise ClipperError(
                "speech recognition needs pocketsphinx: pip install pocketsphinx"
            ) from None
        self._decoder = Decoder(samprate=SAMPLE_RATE, loglevel="FATAL")
        self.audio_seconds = 0.0
        self.busy_seconds = 0.0
        self.cpu_seconds = 0.0

    def words(self, media: Path, start: float, end: float) -> list[Word]:
        """The words spoken in ``media`` between ``start`` and ``end`` (media
        seconds); none in silence (the decoder would hear words in it)."""
        began, cpu = time.perf_counter(), time.process_time()
        pcm = read_pcm(media, start, end)
        if is_silent(pcm):
            return []
        decoder = self._decoder
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        found = [
            Word(
                seg.word,
                max(0.0, start) + seg.start_frame / FRAMES_PER_SECOND,
                max(0.0, start) + (seg.end_frame + 1) / FRAMES_PER_SECOND,
            )
            for seg in decoder.seg()
            if _is_word(seg.word)
        ]
        self.audio_seconds += len(pcm) / (2 * SAMPLE_RATE)
        self.busy_seconds += time.perf_counter() - began
        self.cpu_seconds += time.process_time() - cpu
        return found

    @property
    def real_time_factor(self) -> float:
        """Wall-clock seconds per second of audio (extraction included)."""
        return self.busy_seconds / self.audio_seconds if self.audio_seconds else 0.0


def is_silent(pcm: bytes) -> bool:
    """Whether 16-bit ``pcm`` holds no sound at all (or no samples)."""
    samples = array("h")
    samples.frombytes(pcm[: len(pcm) // 2 * 2])
    return not samples or max(max(samples), -min(samples)) < SILENT_PEAK


def _is_word(token: str) -> bool:
    """Not silence, sentence marks or noise (``<sil>``, ``<s>``, ``[NOISE]``, ``+SPN+``)."""
    return bool(token) and token[0] not in "<[+"
