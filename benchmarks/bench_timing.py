"""How well each timing source cuts the speech fixture's 10 mid-line sentences.

    python benchmarks/bench_timing.py [--pad 0.3] [--noise 0.003]

For each source (a word-timed captions file, pocketsphinx on the audio, and
the transcript interpolation baseline with silence snapping, all on the same
fixture in the same run) it prints how many sentences are cut cleanly (every
word of the sentence inside the cut, no word of a neighbouring sentence), the
median and worst error of the timed start/end against the true word times,
and for pocketsphinx its real-time factor (decoding seconds per audio second).

``--noise A`` mixes pink noise of amplitude A (0.003: a quiet room, 0.01: a
noisy one) into a copy of the fixture's audio first: the committed speech has
digitally silent pauses, real recordings do not.

The cut is the timed span padded by ``--pad`` seconds, but never past the
middle of the silence to the neighbouring spoken word when that is known.
Targets (issue 9): captions 10/10 and median <= 60 ms; speech >= 8/10 and
median <= 150 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from clipper.episode import load_episode
from clipper.media.ffmpeg import run_ffmpeg
from clipper.select.quote import Quote
from clipper.timing.model import QuoteTiming
from clipper.timing.quotes import time_quotes
from clipper.timing.speech import Recogniser

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "speech"
MEDIA = FIXTURE / "video" / "speech-fixture.mp4"
CAPTIONS = FIXTURE / "captions" / "speech-fixture.en.json3"


def fixture_quotes() -> tuple[object, list[Quote], list[dict]]:
    episode = load_episode(FIXTURE / "_podcast" / "speech-fixture.md")
    truth = json.loads((FIXTURE / "truth.json").read_text())["sentences"]
    quotes = []
    for number, sentence in enumerate(truth):
        line = next(line for line in episode.lines if sentence["text"] in line.text)
        quotes.append(
            Quote(
                id=f"s{number:02d}",
                episode=episode.slug,
                speaker=line.speaker_id,
                speaker_name=line.speaker_name,
                role=line.role,
                section="",
                kind="any",
                text=sentence["text"],
                start=line.start,
                end=line.end,
                score=0.0,
                lines=[line.index],
            )
        )
    return episode, quotes, truth


def cut(timing: QuoteTiming, pad: float) -> tuple[float, float]:
    start, end = timing.start - pad, timing.end + pad
    if timing.previous_end is not None:
        start = max(start, (timing.previous_end + timing.start) / 2)
    if timing.next_start is not None:
        end = min(end, (timing.end + timing.next_start) / 2)
    return start, end


def score(timings: dict[str, QuoteTiming], truth: list[dict], pad: float) -> dict:
    clean, errors, sources = 0, [], set()
    for number, sentence in enumerate(truth):
        timing = timings[f"s{number:02d}"]
        sources.add(timing.source)
        start, end = cut(timing, pad)
        inside = start <= sentence["start"] and end >= sentence["end"]
        clear = start >= sentence["previous_end"] and (
            sentence["next_start"] is None or end <= sentence["next_start"]
        )
        clean += inside and clear
        errors += [abs(timing.start - sentence["start"]), abs(timing.end - sentence["end"])]
    return {
        "clean": clean,
        "median_ms": 1000 * statistics.median(errors),
        "worst_ms": 1000 * max(errors),
        "sources": ",".join(sorted(sources)),
    }


def with_noise(media: Path, amplitude: float, folder: Path) -> Path:
    """A copy of ``media`` with pink noise mixed into its sound."""
    noisy = folder / media.name
    noise = f"anoisesrc=color=pink:amplitude={amplitude}:sample_rate=16000:seed=3"
    mix = "[0:a][1:a]amix=inputs=2:duration=first:normalize=0[a]"
    run_ffmpeg(
        [
            *("-i", str(media), "-f", "lavfi", "-i", noise, "-filter_complex", mix),
            *("-map", "0:v", "-map", "[a]", "-c:v", "copy", "-c:a", "aac", str(noisy)),
        ],
        f"{media}: adding noise",
    )
    return noisy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pad", type=float, default=0.3)
    parser.add_argument("--noise", type=float, default=0.0, help="pink noise amplitude")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        media = with_noise(MEDIA, args.noise, Path(folder)) if args.noise else MEDIA
        run(media, args.pad, args.noise)


def run(media: Path, pad: float, noise: float) -> None:
    episode, quotes, truth = fixture_quotes()
    quiet = [].append
    runs = {}
    began = time.perf_counter()
    runs["captions file"] = time_quotes(
        episode, quotes, timing_file=CAPTIONS, media=media, speech=False, warn=quiet
    )
    seconds = {"captions file": time.perf_counter() - began}
    recogniser = Recogniser()
    began = time.perf_counter()
    runs["pocketsphinx"] = time_quotes(
        episode, quotes, media=media, recogniser=recogniser, warn=quiet
    )
    seconds["pocketsphinx"] = time.perf_counter() - began
    began = time.perf_counter()
    runs["interpolation"] = time_quotes(episode, quotes, media=media, speech=False, warn=quiet)
    seconds["interpolation"] = time.perf_counter() - began
    noisy = f", pink noise {noise:g}" if noise else ""
    print(f"speech fixture: {len(truth)} mid-line sentences, pad {pad:g} s{noisy}")
    print(f"{'source':15} {'clean':>6} {'median':>9} {'worst':>9} {'time':>7}  timed by")
    for name, timings in runs.items():
        result = score(timings, truth, pad)
        print(
            f"{name:15} {result['clean']:>3}/{len(truth)} {result['median_ms']:>6.0f} ms "
            f"{result['worst_ms']:>6.0f} ms {seconds[name]:>6.2f}s  {result['sources']}"
        )
    cpu_factor = recogniser.cpu_seconds / recogniser.audio_seconds
    print(
        f"pocketsphinx real-time factor: {recogniser.real_time_factor:.2f} wall, "
        f"{cpu_factor:.2f} CPU ({recogniser.audio_seconds:.1f} s of the fixture's "
        f"{episode.duration:.0f} s decoded in {recogniser.busy_seconds:.1f} s)"
    )


if __name__ == "__main__":
    main()
