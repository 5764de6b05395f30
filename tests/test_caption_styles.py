"""Caption styles: named presets in themes, chosen by theme or --caption-style.

Each style is rendered on a source whose "words" are tone bursts at known
times; a test theme draws the captions white and the mark red, so a frame
shows which words are up and which is marked while each word is spoken.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from clipper.batch.review import render_index
from clipper.errors import ClipperError
from clipper.render.clips import ClipResult, render_clips
from clipper.render.theme import load_theme
from clipper.timing.model import QuoteTiming, Word
from tests import factories
from tests.videos import TestVideo, decode_rgb_frames, make_video

FPS = 25
SECONDS = 4.0
SPOKEN = [(0.20, 0.60), (0.75, 1.10), (1.20, 1.70), (1.85, 2.30), (2.40, 2.90), (3.05, 3.50)]
TEXTS = ["one", "two", "three", "four", "five", "six"]
STYLES = ("box", "pop", "karaoke")

# The same size and outline in every style, so words sit in the same place in each.
TEST_THEME = """\
caption:
  size: 0.06
  color: "#FFFFFF"
  outline: "#000000"
  outline_width: 0.08
  box: null
  highlight: "#FF0000"
  highlight_box: null
caption_styles:
  pop: {size: 0.06, outline_width: 0.08, highlight: "#FF0000"}
  karaoke: {size: 0.06, outline_width: 0.08, highlight: "#FF0000"}
"""


@pytest.mark.parametrize("name", ["default", "light", "photo"])
def test_every_bundled_theme_offers_three_caption_styles(name):
    theme = load_theme(name)
    assert set(STYLES) <= set(theme.caption_styles)
    marks = {load_theme(name, style).caption.mark for style in STYLES}
    assert marks == {"highlight", "pop", "fill"}
    assert theme.caption.style == "box"


def test_a_theme_picks_its_style_and_may_change_a_preset(tmp_path: Path):
    path = tmp_path / "loud.yaml"
    path.write_text(
        'caption:\n  style: karaoke\ncaption_styles:\n  karaoke: {highlight: "#FFD400"}\n',
        encoding="utf-8",
    )
    theme = load_theme(path)
    assert (theme.caption.style, theme.caption.mark) == ("karaoke", "fill")
    assert theme.caption.highlight == "#FFD400"
    assert load_theme(path, "box").caption.highlight == load_theme("default").caption.highlight


def test_a_new_style_can_be_defined_in_a_theme(tmp_path: Path):
    path = tmp_path / "mine.yaml"
    path.write_text("caption_styles:\n  quiet: {mark: pop, highlight: null}\n", encoding="utf-8")
    style = load_theme(path, "quiet").caption
    assert style.mark == "pop" and style.highlight is None and style.marks_words
    assert "quiet" not in load_theme("default").caption_styles


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("caption:\n  style: neon\n", "caption.style"),
        ("caption_styles:\n  pop: {mark: wiggle}\n", "caption_styles.pop.mark"),
        ("caption_styles:\n  pop: {colour: red}\n", "caption_styles.pop.colour"),
        ("caption_styles:\n  pop: bold\n", "caption_styles.pop"),
        ("caption_styles:\n  pop: {style: box}\n", "caption_styles.pop.style"),
    ],
)
def test_a_bad_style_names_the_theme_file_and_key(tmp_path: Path, content: str, expected: str):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ClipperError) as caught:
        load_theme(path)
    assert str(path) in str(caught.value) and expected in str(caught.value)


def test_an_unknown_caption_style_lists_the_themes_styles():
    with pytest.raises(ClipperError, match=r"unknown caption style 'neon'.*box, karaoke, pop"):
        load_theme("default", "neon")


def silences() -> tuple[tuple[float, float], ...]:
    edges = [0.0, *(t for span in SPOKEN for t in span), SECONDS]
    return tuple(zip(edges[::2], edges[1::2], strict=True))


@pytest.fixture(scope="module")
def styled(tmp_path_factory) -> dict[str, tuple[ClipResult, np.ndarray]]:
    """The six-word quote in 9:16, in each style: its result and decoded frames."""
    folder = tmp_path_factory.mktemp("styles")
    video: TestVideo = make_video(
        folder / "words.mp4", fps=FPS, seconds=SECONDS, silences=silences()
    )
    theme = folder / "test.yaml"
    theme.write_text(TEST_THEME, encoding="utf-8")
    words = tuple(Word(text, *span) for text, span in zip(TEXTS, SPOKEN, strict=True))
    timing = QuoteTiming(words, words[0].start, words[-1].end, "captions", 0.9)
    quote = factories.make_quote(
        " ".join(TEXTS), id="q1", start=timing.start, end=timing.end, lines=[]
    )
    episode = factories.make_episode(folder)
    made = {}
    for style in STYLES:
        (result,) = render_clips(
            episode,
            [quote],
            folder / style,
            video=video.path,
            shapes=("9:16",),
            theme=theme,
            timings={"q1": timing},
            caption_style=style,
        )
        assert result.error is None, result.error
        made[style] = (result, decode_rgb_frames(result.video))
    return made


def red(frame: np.ndarray) -> np.ndarray:
    return (frame[..., 0] > 170) & (frame[..., 1] < 90) & (frame[..., 2] < 90)


def white(frame: np.ndarray) -> np.ndarray:
    return np.all(frame > 200, axis=2)


def at(styled, style: str, t: float) -> np.ndarray:
    result, frames = styled[style]
    return frames[round((t - result.start) * FPS)]


def word_boxes(styled) -> list[tuple[slice, slice]]:
    """Where each word is drawn: the red word of the box style while it is said."""
    boxes = []
    for start, _ in SPOKEN:
        rows, columns = np.nonzero(red(at(styled, "box", start + 0.1)))
        assert rows.size > 50, f"no word marked at {start} s"
        boxes.append((slice(rows.min(), rows.max() + 1), slice(columns.min(), columns.max() + 1)))
    return boxes


def share(mask: np.ndarray, box: tuple[slice, slice]) -> float:
    return float(mask[box].mean())


def test_each_style_marks_the_spoken_word(styled):
    boxes = word_boxes(styled)
    assert len({(b[0].start, b[1].start) for b in boxes}) == len(TEXTS)  # a place per word
    for index, (start, _) in enumerate(SPOKEN):
        now = start + 0.1
        for style in STYLES:
            assert share(red(at(styled, style, now)), boxes[index]) > 0.15, (style, index)
        later = boxes[index + 1 :]
        earlier = boxes[:index]
        pop, karaoke = at(styled, "pop", now), at(styled, "karaoke", now)
        # pop: the words said so far are up (earlier ones white), the rest not yet
        assert all(share(white(pop), box) > 0.1 for box in earlier), index
        assert all(share(white(pop) | red(pop), box) < 0.01 for box in later), index
        # karaoke: every word is up; the ones said so far are filled red
        assert all(share(red(karaoke), box) > 0.15 for box in earlier), index
        assert all(share(white(karaoke), box) > 0.1 for box in later), index
        assert all(share(red(karaoke), box) < 0.01 for box in later), index


def test_styles_give_different_frames_and_record_their_name(styled):
    moment = SPOKEN[3][0] + 0.1
    frames = {style: at(styled, style, moment).astype(int) for style in STYLES}
    for first, second in [("box", "pop"), ("box", "karaoke"), ("pop", "karaoke")]:
        assert np.abs(frames[first] - frames[second]).mean() > 0.5, (first, second)
    for style, (result, _) in styled.items():
        assert result.caption_style == style
        assert result.record()["caption_style"] == style


def test_the_review_page_says_which_caption_style_a_clip_has():
    clip = {"shape": "9:16", "duration": 7.1, "video": "demo/clips/q1-9x16.mp4"}
    quote = {"id": "q1", "text": "Ship it.", "speaker": "Ines", "start": 1.0, "end": 8.0}
    entry = {"slug": "demo", "error": None, "review": {"title": "Demo", "quotes": [quote]}}
    quote["clips"] = [{**clip, "caption_style": "karaoke"}]
    assert "9:16 · 7 s</b> · karaoke captions" in render_index([entry])
    quote["clips"] = [clip]
    assert "captions</b>" not in render_index([entry]) and " captions<" not in render_index([entry])


def test_a_strip_of_many_words_shows_each_slot_in_its_time(tmp_path: Path):
    """ffmpeg refuses a flat expression of ~100 terms; a 150-word quote must still work."""
    from PIL import Image

    from clipper.media.ffmpeg import run_ffmpeg
    from clipper.render.wordcaptions import WordStrip

    count, slot, fps = 150, (8, 8), 25
    strip = Image.new("RGBA", (slot[0], slot[1] * count))
    for index in range(count):
        grey = 40 + index
        strip.paste((grey, grey, grey, 255), (0, index * slot[1], slot[0], (index + 1) * slot[1]))
    strip.save(tmp_path / "strip.png")
    places = tuple((0, 0, index / fps, (index + 1) / fps) for index in range(count))
    words = WordStrip(tmp_path / "strip.png", slot, places, count)
    chains = words.chains("1:v", "base", "out", str(fps))
    graph = ";".join(["[0:v]format=yuv420p[base]", *chains])
    out = tmp_path / "frames.gray"
    base = ("-f", "lavfi", "-i", f"color=c=black:s=8x8:r={fps}:d={count / fps}")
    overlay = ("-i", str(tmp_path / "strip.png"), "-filter_complex", graph, "-map", "[out]")
    raw = ("-frames:v", str(count), "-f", "rawvideo", "-pix_fmt", "gray", str(out))
    run_ffmpeg([*base, *overlay, *raw])
    frames = np.frombuffer(out.read_bytes(), dtype=np.uint8).reshape(count, -1)
    levels = frames.mean(axis=1)
    expected = np.array([40 + index for index in range(count)])
    assert np.abs(levels - expected).max() <= 3  # every frame shows its own slot


def test_clipper_yaml_picks_the_caption_style_and_a_batch_checks_it_up_front(tmp_path: Path):
    from clipper.batch.config import parse_settings
    from clipper.batch.run import check_render_settings

    settings = parse_settings({"clips": {"caption_style": "karaoke"}}, tmp_path)
    assert settings.clips.caption_style == "karaoke"
    assert parse_settings({}, tmp_path).clips.caption_style is None
    check_render_settings(settings)
    with pytest.raises(ClipperError, match=r"settings clips\.caption_style: .*'neon'"):
        check_render_settings(parse_settings({"clips": {"caption_style": "neon"}}, tmp_path))
    with pytest.raises(ClipperError, match=r"clips\.caption_style"):
        parse_settings({"clips": {"caption_style": 3}}, tmp_path)


def test_an_unknown_caption_style_stops_clips_before_any_work(invoke, example_episode, tmp_path):
    result = invoke("clips", example_episode, "--caption-style", "neon", "--out", tmp_path)
    assert result.exit_code != 0
    assert "unknown caption style 'neon'" in result.output and "Traceback" not in result.output
    assert not any(tmp_path.iterdir())
