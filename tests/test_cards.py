"""Quote cards: sizes, safe areas, fitting, bad input, unicode and output files."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from clipper.episode import Episode, Person
from clipper.errors import ClipperError
from clipper.fsutil import PART_MARKER
from clipper.render.cards import alt_text, card_text, content_box, layout_or_trim, render_cards
from clipper.render.pictures import CardAssets
from clipper.render.sizes import PRESETS, parse_size, resolve_sizes
from clipper.render.theme import SYSTEM_EMOJI_FONTS, Theme, load_theme
from clipper.select.quote import Quote
from tests import factories

THEMES = ("default", "light", "photo")
SHORT = "Your domain knowledge is not a detour, it is your advantage."
LONG = (
    "We had more than two hundred dashboards, and fewer than twenty were opened in a month. "
    "So we deleted the rest and asked every team which decision each remaining one supports. "
    "Nobody missed the deleted ones, and the teams finally trusted the numbers they saw. "
)


def make_episode(tmp_path: Path, artwork: Path | None = None, photo: bool = True) -> Episode:
    photo_path = None
    if photo:
        photo_path = tmp_path / "guest.jpg"
        Image.new("RGB", (128, 128), "#C08060").save(photo_path)
    guest = Person("anaguest", "Ana María Guest", "guest", photo_path)
    return factories.make_episode(
        tmp_path,
        title="Building Data Products: From Spreadsheets to Decisions",
        season=4,
        artwork=artwork,
        guests=[guest],
        show="Small Batch Data",
    )


def make_quote(text: str, quote_id: str = "q001") -> Quote:
    return factories.make_quote(text, id=quote_id, speaker="anaguest", speaker_name="Ana")


@pytest.fixture
def artwork(tmp_path: Path) -> Path:
    path = tmp_path / "art.jpg"
    image = Image.linear_gradient("L").resize((940, 550)).convert("RGB")
    image.save(path)
    return path


def test_every_preset_has_its_exact_dimensions(tmp_path: Path, artwork: Path) -> None:
    episode = make_episode(tmp_path, artwork)
    results = render_cards(episode, [make_quote(SHORT)], tmp_path / "out", sizes=("all", "640x800"))
    expected = {
        "instagram": (1080, 1350),
        "square": (1080, 1080),
        "story": (1080, 1920),
        "x": (1200, 675),
        "linkedin": (1200, 627),
        "youtube": (1280, 720),
        "640x800": (640, 800),
    }
    assert {r.size for r in results} == set(expected)
    for result in results:
        assert result.error is None, result.error
        assert result.path is not None
        assert result.path.name == f"q001-{result.size}.png"
        with Image.open(result.path) as card:
            assert card.size == expected[result.size]


def test_size_names_are_validated() -> None:
    assert [s.name for s in resolve_sizes(["square", "all"])][:2] == ["square", "instagram"]
    for bad in ("huge", "10x10", "1080x", "99999x100"):
        with pytest.raises(ClipperError, match="size"):
            parse_size(bad)


def test_story_keeps_its_platform_safe_area() -> None:
    story = PRESETS["story"]
    left, top, right, bottom = content_box(story, load_theme("default"))
    assert top >= 250 and bottom <= 1920 - 340
    assert left > 0 and right < 1080


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("size", list(PRESETS))
def test_layout_boxes_lie_inside_the_safe_area(tmp_path: Path, theme_name: str, size: str) -> None:
    theme = load_theme(theme_name)
    spec = PRESETS[size]
    text, _ = card_text(make_episode(tmp_path), make_quote(LONG[:200]), theme)
    layout, _, _ = layout_or_trim(make_quote(LONG[:200]), text, spec, theme, has_photo=True)
    left, top, right, bottom = layout.safe
    assert (left, top, right, bottom) == content_box(spec, theme)
    assert {"quote", "name", "title", "brand", "photo"} <= set(layout.boxes)
    for name, box in layout.boxes.items():
        assert left <= box[0] and box[2] <= right, (name, box, layout.safe)
        assert top <= box[1] and box[3] <= bottom, (name, box, layout.safe)
    # elements do not overlap vertically in the quote column
    quote = layout.boxes["quote"]
    assert quote[3] <= layout.boxes["title"][1]
    assert layout.boxes["brand"][3] <= quote[1]


@pytest.mark.parametrize("theme_name", THEMES)
@pytest.mark.parametrize("size", ["story", "linkedin"])
def test_margins_stay_background(tmp_path: Path, artwork: Path, theme_name: str, size: str) -> None:
    episode = make_episode(tmp_path, artwork)
    theme = load_theme(theme_name)
    (result,) = render_cards(
        episode, [make_quote(LONG)], tmp_path / "out", sizes=(size,), theme=theme
    )
    assert result.error is None
    spec = PRESETS[size]
    background = CardAssets(episode, theme).background(spec)
    with Image.open(result.path) as card:
        changed = ImageChops.difference(card.convert("RGB"), background)
    left, top, right, bottom = content_box(spec, theme)
    ink = changed.point(lambda value: 255 if value > 8 else 0).getbbox()
    assert ink is not None, "nothing was drawn"
    assert left <= ink[0] and top <= ink[1] and ink[2] <= right and ink[3] <= bottom


def test_font_size_shrinks_as_the_quote_grows(tmp_path: Path) -> None:
    episode = make_episode(tmp_path)
    theme = load_theme("default")
    spec = PRESETS["square"]
    sizes = []
    for text in (SHORT, LONG[:150], LONG[:300]):
        results = render_cards(episode, [make_quote(text)], tmp_path / "o", sizes=("square",))
        sizes.append(results[0].font_size)
    assert sizes[0] > sizes[1] > sizes[2] >= round(theme.quote_min * spec.unit)


def test_too_long_quote_is_trimmed_to_whole_sentences(tmp_path: Path) -> None:
    episode = make_episode(tmp_path)
    text = LONG * 4
    (result,) = render_cards(episode, [make_quote(text)], tmp_path / "o", sizes=("linkedin",))
    assert result.error is None
    assert any(
        "trimmed to its first" in w and "of 12 sentences" in w for w in map(str, result.warnings)
    )
    shown = result.alt_text.split("“")[1].split("”")[0]
    assert shown.endswith(".") and text.startswith(shown) and len(shown) < len(text.strip())


def test_unfittable_quote_is_rejected_and_the_others_still_render(tmp_path: Path) -> None:
    episode = make_episode(tmp_path)
    endless = " ".join(["data"] * 400)
    quotes = [make_quote(endless, "q001"), make_quote("", "q002"), make_quote(SHORT, "q003")]
    results = render_cards(episode, quotes, tmp_path / "o", sizes=("x",))
    by_id = {r.quote_id: r for r in results}
    assert "q001" in by_id["q001"].error and "too long" in by_id["q001"].error
    assert "theme minimum" in by_id["q001"].error
    assert "q002" in by_id["q002"].error and "empty" in by_id["q002"].error
    assert by_id["q001"].path is None and by_id["q002"].path is None
    assert by_id["q003"].error is None and by_id["q003"].path.is_file()


def _bad_artworks(tmp_path: Path) -> dict[str, tuple[Path | None, str]]:
    corrupt = tmp_path / "corrupt.jpg"
    corrupt.write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg")
    tiny = tmp_path / "tiny.png"
    Image.new("RGB", (1, 1), "red").save(tiny)
    return {
        "none": (None, "no artwork ('image')"),
        "missing": (tmp_path / "nope.jpg", "not found"),
        "corrupt": (corrupt, "unreadable"),
        "tiny": (tiny, "1x1"),
    }


@pytest.mark.parametrize("case", ["none", "missing", "corrupt", "tiny"])
def test_unusable_artwork_warns_and_uses_the_plain_background(tmp_path: Path, case: str) -> None:
    path, message = _bad_artworks(tmp_path)[case]
    episode = make_episode(tmp_path, path)
    (result,) = render_cards(episode, [make_quote(SHORT)], tmp_path / "o", sizes=("square",))
    assert result.error is None
    assert any(message in w for w in map(str, result.warnings)), result.warnings
    if path is not None:
        assert any(str(path) in w for w in map(str, result.warnings))
    with Image.open(result.path) as card:
        assert card.size == (1080, 1080)
        assert card.getpixel((5, 5)) == (3, 41, 17)  # the theme's plain #032911


@pytest.mark.parametrize("mode", ["CMYK", "P"])
def test_cmyk_and_palette_artwork_are_converted(tmp_path: Path, mode: str) -> None:
    path = tmp_path / f"art-{mode}.{'jpg' if mode == 'CMYK' else 'png'}"
    Image.new("RGB", (400, 300), "#FF0000").convert(mode).save(path)
    episode = make_episode(tmp_path, path)
    theme = tmp_path / "cover.yaml"
    # a white background multiplies to the artwork itself
    theme.write_text('artwork: cover\nartwork_tint: 0.0\ncolors:\n  background: "#FFFFFF"\n')
    (result,) = render_cards(
        episode, [make_quote(SHORT)], tmp_path / "o", sizes=("square",), theme=theme
    )
    assert result.error is None
    assert any(mode in w and str(path) in w for w in map(str, result.warnings))
    with Image.open(result.path) as card:
        red, green, blue = card.convert("RGB").getpixel((3, 3))
    assert red > 200 and green < 60 and blue < 60  # artwork used, colours right


def test_the_brand_line_is_the_show_the_source_names_unless_the_theme_fixes_one(
    tmp_path: Path,
) -> None:
    spec = PRESETS["square"]
    quote = make_quote(SHORT)

    def brand(episode: Episode, theme: Theme) -> tuple[str, bool]:
        text, _ = card_text(episode, quote, theme)
        layout, _, _ = layout_or_trim(quote, text, spec, theme, has_photo=True)
        return alt_text(text), "brand" in layout.boxes

    default = load_theme("default")
    episode = make_episode(tmp_path)
    said, drawn = brand(episode, default)
    assert said.endswith("(S04E02). Small Batch Data.") and drawn
    said, drawn = brand(replace(episode, show=""), default)
    assert said.endswith("(S04E02).") and not drawn  # no show named: no brand line
    fixed = replace(default, brand="Acme FM")
    assert brand(episode, fixed)[0].endswith(". Acme FM.")


def test_alt_text_sidecar_and_atomic_output(tmp_path: Path, artwork: Path) -> None:
    episode = make_episode(tmp_path, artwork)
    out = tmp_path / "out"
    results = render_cards(episode, [make_quote(SHORT)], out, sizes=("square", "x"), fmt="jpg")
    folder = out / "test-episode" / "cards"
    assert sorted(p.name for p in folder.iterdir()) == [
        "q001-square.jpg",
        "q001-square.txt",
        "q001-x.jpg",
        "q001-x.txt",
    ]
    assert not [p for p in folder.iterdir() if PART_MARKER in p.name]
    for result in results:
        sidecar = result.path.with_suffix(".txt").read_text(encoding="utf-8").strip()
        assert sidecar == result.alt_text
        assert "Your domain knowledge" in sidecar
        assert "Ana María Guest" in sidecar  # the full name from _people
        assert "S04E02" in sidecar


def test_skip_existing_leaves_cards_untouched(tmp_path: Path) -> None:
    episode = make_episode(tmp_path)
    (first,) = render_cards(episode, [make_quote(SHORT)], tmp_path, sizes=("x",))
    stamp = first.path.stat().st_mtime_ns
    (again,) = render_cards(
        episode, [make_quote(SHORT)], tmp_path, sizes=("x",), skip_existing=True
    )
    assert again.skipped and again.path == first.path and again.alt_text == first.alt_text
    assert first.path.stat().st_mtime_ns == stamp


def test_a_missing_theme_font_stops_with_a_clear_error(tmp_path: Path) -> None:
    theme = tmp_path / "broken.yaml"
    theme.write_text("fonts:\n  name: Missing-Bold.otf\n")
    with pytest.raises(ClipperError, match=r"broken.yaml.*fonts.name"):
        render_cards(make_episode(tmp_path), [make_quote(SHORT)], tmp_path, theme=theme)


def test_unknown_format_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ClipperError, match="format"):
        render_cards(make_episode(tmp_path), [make_quote(SHORT)], tmp_path, fmt="gif")


def test_photo_layout_without_a_photo_shows_initials(tmp_path: Path) -> None:
    episode = make_episode(tmp_path, photo=False)
    (result,) = render_cards(
        episode, [make_quote(SHORT)], tmp_path, sizes=("square",), theme="photo"
    )
    assert result.error is None
    assert result.path.is_file()


UNICODE_QUOTES = {
    "accented": "Crème brûlée, naïve café, Ærøskøbing and Łódź: data is everywhere.",
    "cyrillic": "Данные без вопроса — это просто шум, а не знание.",
    "greek": "Τα δεδομένα χωρίς ερώτηση είναι απλώς θόρυβος.",
    "hebrew": "נתונים בלי שאלה הם רק רעש, לא ידע.",
    "arabic": "البيانات بدون سؤال مجرد ضوضاء وليست معرفة.",
    "emoji": "Ship it today 🚀 and learn from real users 👍🏽!",
}


def _notdef(font) -> tuple:
    mask = font.getmask("\U0010fffd")
    return mask.size, bytes(mask)


@pytest.mark.parametrize("script", list(UNICODE_QUOTES))
def test_unicode_quotes_render_without_tofu(tmp_path: Path, script: str) -> None:
    quote = make_quote(UNICODE_QUOTES[script])
    theme = load_theme("default")
    text, warnings = card_text(make_episode(tmp_path), quote, theme)
    layout, _, _ = layout_or_trim(quote, text, PRESETS["square"], theme, has_photo=True)
    drawn = 0
    for line in layout.quote.lines:
        for word in line:
            for run in word.runs:
                font = layout.quote.stack.fonts[run.font]
                for char in run.text:
                    mask = font.getmask(char)
                    assert (mask.size, bytes(mask)) != _notdef(font), f"tofu for {char!r}"
                    drawn += 1
    assert drawn >= len(UNICODE_QUOTES[script].replace(" ", "")) - 6
    if script == "emoji":
        assert any("dropped" in w and "🚀" in w for w in warnings)
        assert "🚀" not in text.quote
    else:
        assert not warnings
    (result,) = render_cards(make_episode(tmp_path), [quote], tmp_path, sizes=("square",))
    assert result.error is None and result.path.is_file()


def test_theme_logo_is_drawn_in_the_header(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGBA", (300, 100), (255, 0, 0, 255)).save(logo)
    theme_file = tmp_path / "branded.yaml"
    theme_file.write_text(f"logo: {logo}\nartwork: none\n")
    theme = load_theme(theme_file)
    episode = make_episode(tmp_path)
    quote = make_quote(SHORT)
    text, _ = card_text(episode, quote, theme)
    layout, _, _ = layout_or_trim(quote, text, PRESETS["story"], theme, has_photo=True)
    left, top, right, bottom = layout.boxes["logo"]
    assert (right - left) == pytest.approx(3 * (bottom - top), abs=2)
    assert layout.boxes["brand"][0] >= right  # the brand line follows the logo
    assert top >= 250
    (result,) = render_cards(episode, [quote], tmp_path, sizes=("story",), theme=theme)
    with Image.open(result.path) as card:
        assert card.convert("RGB").getpixel(((left + right) // 2, (top + bottom) // 2)) == (
            255,
            0,
            0,
        )


@pytest.mark.parametrize(("script", "at_right"), [("hebrew", True), ("cyrillic", False)])
def test_quote_mark_opens_on_the_reading_side(tmp_path: Path, script: str, at_right: bool) -> None:
    quote = make_quote(UNICODE_QUOTES[script])
    theme = load_theme("default")
    text, _ = card_text(make_episode(tmp_path), quote, theme)
    layout, _, _ = layout_or_trim(quote, text, PRESETS["instagram"], theme, has_photo=True)
    mark, quote_box = layout.boxes["mark"], layout.boxes["quote"]
    if at_right:
        assert mark[2] == quote_box[2]
    else:
        assert mark[0] == quote_box[0]


def _emoji_font() -> Path | None:
    """A colour emoji font to test with: CLIPPER_TEST_EMOJI_FONT or the system's."""
    override = os.environ.get("CLIPPER_TEST_EMOJI_FONT")
    candidates = [Path(override)] if override else list(SYSTEM_EMOJI_FONTS)
    return next((path for path in candidates if path.is_file()), None)


def test_emoji_render_in_colour_with_a_colour_emoji_font(tmp_path: Path) -> None:
    font = _emoji_font()
    if font is None:
        pytest.skip("no colour emoji font on this system (set CLIPPER_TEST_EMOJI_FONT)")
    theme_file = tmp_path / "emoji.yaml"
    theme_file.write_text(f"emoji_font: {font}\nartwork: none\n")
    quote = make_quote("Ship it 🚀")
    (result,) = render_cards(
        make_episode(tmp_path), [quote], tmp_path, sizes=("square",), theme=theme_file
    )
    assert result.error is None and not result.warnings
    assert "🚀" in result.alt_text
    with Image.open(result.path) as card:
        quote_area = card.convert("HSV").crop((0, 200, 1080, 800))
    saturation = quote_area.getchannel("S").point(lambda v: 255 if v > 150 else 0)
    hue = quote_area.getchannel("H")
    # the rocket brings saturated non-green colours that the theme does not have
    reds = ImageChops.multiply(saturation, hue.point(lambda v: 255 if v < 30 else 0))
    assert reds.getbbox() is not None


def test_unreadable_guest_photo_warns_on_every_card(tmp_path: Path) -> None:
    episode = make_episode(tmp_path)
    episode.guests[0].photo.write_bytes(b"not an image")
    results = render_cards(
        episode, [make_quote(SHORT)], tmp_path, sizes=("square", "x"), theme="photo"
    )
    for result in results:
        assert result.error is None
        assert any(
            "photo of Ana María Guest" in w and "no photo" in w for w in map(str, result.warnings)
        )


def test_unreadable_theme_logo_stops_the_run(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"garbage")
    theme_file = tmp_path / "logo.yaml"
    theme_file.write_text(f"logo: {logo}\n")
    with pytest.raises(ClipperError, match="logo"):
        render_cards(make_episode(tmp_path), [make_quote(SHORT)], tmp_path, theme=theme_file)


def test_many_cards_decode_the_artwork_once_and_reuse_fonts(
    tmp_path: Path, artwork: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clipper.render import cards
    from clipper.render.theme import load_font

    opened: list[str] = []
    real_open = cards.Image.open

    def counting_open(path, *args, **kwargs):
        opened.append(Path(path).name)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(cards.Image, "open", counting_open)
    episode = make_episode(tmp_path, artwork)
    quotes = [make_quote(f"{SHORT} Number {i}.", f"q{i:03d}") for i in range(12)]
    render_cards(episode, quotes[:2], tmp_path / "warm", sizes=("square", "x"))
    opened.clear()
    fonts_before = load_font.cache_info().misses
    results = render_cards(episode, quotes, tmp_path / "out", sizes=("square", "x"))
    assert len(results) == 24 and all(r.error is None for r in results)
    assert opened.count("art.jpg") == 1
    assert opened.count("guest.jpg") == 1
    assert load_font.cache_info().misses - fonts_before <= 4  # a new quote size or two


def test_a_quote_from_captions_that_name_nobody_is_signed_with_nothing(tmp_path: Path) -> None:
    episode = make_episode(tmp_path, photo=False)
    quote = factories.make_quote(SHORT, speaker="speaker", speaker_name="Speaker")
    text, _ = card_text(episode, quote, load_theme("default"))
    assert text.name == "" and "Speaker" not in alt_text(text)
    photo_theme = load_theme("photo")
    text, _ = card_text(episode, quote, photo_theme)
    layout, _, _ = layout_or_trim(quote, text, PRESETS["square"], photo_theme, has_photo=False)
    assert layout.photo is None  # no blank monogram where there is neither photo nor name
