"""Text fitting, wrapping, typography, font fallback and bidi order."""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops

from clipper.render.text import (
    FontStack,
    draw_block,
    drop_chars,
    fit_text,
    layout_at,
    missing_chars,
    typographic,
    visual_order,
    wrap,
)
from clipper.render.theme import load_theme

QUOTE_FONTS = load_theme("default").font_stack("quote")
SENTENCE = "Ship something small, then learn from the people who use it every day."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('He said "ship it" and left', "He said “ship it” and left"),
        ("don't stop", "don’t stop"),
        ("'quoted' words", "‘quoted’ words"),
        ("wait -- really", "wait\u00a0— really"),
        ("pages 10-20", "pages 10–20"),
        ("so - anyway", "so – anyway"),
        ("and then...", "and then…"),
        ("  spaced \n out  ", "spaced out"),
    ],
)
def test_typographic_quotes_dashes_and_spaces(raw: str, expected: str) -> None:
    assert typographic(raw) == expected


def test_fitted_size_shrinks_as_the_text_grows_and_respects_the_minimum() -> None:
    box, sizes = (800.0, 600.0), (30, 120)
    fitted_sizes = []
    for repeat in (1, 2, 4, 6):
        fitted = fit_text(" ".join([SENTENCE] * repeat), QUOTE_FONTS, box, sizes, 1.2)
        assert fitted is not None
        assert fitted.width <= box[0]
        assert fitted.height <= box[1]
        fitted_sizes.append(fitted.size)
    assert fitted_sizes == sorted(fitted_sizes, reverse=True)
    assert fitted_sizes[0] > fitted_sizes[-1] >= sizes[0]
    assert fit_text(" ".join([SENTENCE] * 40), QUOTE_FONTS, box, sizes, 1.2) is None


def test_fit_is_the_largest_size_that_fits() -> None:
    box, sizes = (700.0, 400.0), (20, 200)
    fitted = fit_text(SENTENCE, QUOTE_FONTS, box, sizes, 1.2)
    assert fitted is not None
    assert layout_at(SENTENCE, QUOTE_FONTS, fitted.size + 1, box, 1.2) is None


def test_a_word_wider_than_the_box_does_not_fit() -> None:
    assert fit_text("Supercalifragilistic", QUOTE_FONTS, (100, 500), (40, 60), 1.2) is None


def _words(text: str, size: int = 40):
    stack = FontStack(QUOTE_FONTS, size)
    return stack, [stack.word(w) for w in text.split()]


def test_lines_are_balanced_without_a_lone_last_word() -> None:
    text = "The best data teams I know talk to the people who use their dashboards every week"
    stack, words = _words(text)
    total = sum(w.width for w in words) + stack.space * (len(words) - 1)
    width = total / 2.6  # three lines, greedy would leave a short last line
    lines = wrap(words, stack.space, width)
    assert lines is not None and len(lines) == 3
    widths = [sum(w.width for w in line) + stack.space * (len(line) - 1) for line in lines]
    assert max(widths) <= width
    assert len(lines[-1]) > 1
    assert min(widths) > 0.6 * max(widths)


def test_greedy_widow_is_avoided() -> None:
    # Greedy wrapping at this width leaves "it." alone on the last line.
    stack, words = _words("Build the smallest thing that works and then improve it.")
    widths = [w.width for w in words]
    width = sum(widths[:-1]) + stack.space * (len(widths) - 2) + 1
    lines = wrap(words, stack.space, width)
    assert lines is not None
    assert len(lines[-1]) >= 2


def test_emoji_without_a_colour_font_are_reported_and_dropped() -> None:
    text = "Ship it 🚀 today 👍🏽!"
    missing = missing_chars(text, QUOTE_FONTS)
    assert "🚀" in missing and "👍" in missing
    assert drop_chars(text, missing) == "Ship it today!"
    assert missing_chars("Café, Привет, Ελληνικά, שלום, مرحبا", QUOTE_FONTS) == ""


def _ink(text: str, align: str = "start") -> Image.Image:
    fitted = fit_text(text, QUOTE_FONTS, (900, 200), (40, 40), 1.2)
    assert fitted is not None
    image = Image.new("L", (1000, 120), 0)
    draw_block(image, fitted, (50, 10), 900, "white", align)
    return image


def test_hebrew_reads_right_to_left() -> None:
    first, second = "שלום", "עולם"
    full, first_alone = _ink(f"{first} {second}"), _ink(first)
    # In a right-to-left paragraph the first word sits at the right edge: the
    # pixels it covers alone are identical in the full line.
    box = first_alone.getbbox()
    assert box is not None and box[0] > 500
    assert ImageChops.difference(full.crop(box), first_alone.crop(box)).getbbox() is None
    assert full.getbbox()[0] < box[0]


def test_latin_inside_an_rtl_line_keeps_its_own_order() -> None:
    stack, _ = _words("x")
    line = [stack.word(w) for w in ["שלום", "Python", "3", "עולם"]]
    ordered = ["".join(r.text for r in w.runs) for w in visual_order(line, rtl=True)]
    assert ordered == ["עולם", "Python", "3", "שלום"]


def test_arabic_letters_are_joined() -> None:
    # Shaped (joined) Arabic is narrower than its letters drawn one by one.
    stack = FontStack(QUOTE_FONTS, 40)
    word = stack.word("مرحبا")
    separate = sum(stack.word(letter).width for letter in "مرحبا")
    assert word.width < separate
