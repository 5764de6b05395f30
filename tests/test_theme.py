"""Themes: bundled ones load, custom ones override the default, bad ones fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from clipper.errors import ClipperError
from clipper.render.theme import FONT_ROLES, available_themes, load_theme


@pytest.mark.parametrize("name", ["default", "light", "photo"])
def test_bundled_themes_load_with_existing_fonts(name: str) -> None:
    theme = load_theme(name)
    assert theme.name == name
    for role in FONT_ROLES:
        assert all(path.is_file() for path in theme.font_stack(role))
    assert theme.clip_background in ("blur", "crop")
    assert theme.font("quote", 40).size == 40


def test_default_theme_uses_brand_colours() -> None:
    theme = load_theme("default")
    assert theme.background.upper() == "#032911"
    assert theme.text.upper() == "#F4F0ED"


def test_available_themes_lists_the_three_shipped() -> None:
    assert {"default", "light", "photo"} <= set(available_themes())


def test_fonts_are_cached_per_size() -> None:
    theme = load_theme("default")
    assert theme.font("name", 30) is theme.font("name", 30)
    assert theme.font("name", 30) is not theme.font("name", 31)


def test_custom_theme_overrides_only_what_it_sets(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text('colors:\n  accent: "#FF0000"\nclip_background: crop\n')
    theme = load_theme(path)
    assert theme.name == "mine"
    assert theme.accent == "#FF0000"
    assert theme.clip_background == "crop"
    assert theme.background == load_theme("default").background


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ('colours:\n  background: "#000000"\n', "colours"),
        ("margin: big\n", "margin"),
        ("colors:\n  text: green\n", "colors.text"),
        ("photo: 3\n", "photo"),
        ("layout: sideways\n", "layout"),
        ("caption:\n  sise: 0.1\n", "caption.sise"),
        ("fonts:\n  quote: NoSuchFont.ttf\n", "fonts.quote"),
        ("fonts: Inter-Bold.otf\n", "fonts"),
        ("quote_min: 0.5\nquote_max: 0.1\n", "quote_min"),
    ],
)
def test_bad_theme_names_file_and_key(tmp_path: Path, content: str, key: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    with pytest.raises(ClipperError) as info:
        load_theme(path)
    message = str(info.value)
    assert str(path) in message
    assert repr(key) in message
    assert "\n" not in message


def test_unknown_theme_name_lists_the_bundled_ones() -> None:
    with pytest.raises(ClipperError, match="default"):
        load_theme("no-such-theme")


def test_invalid_yaml_is_a_clipper_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("colors: [unclosed\n")
    with pytest.raises(ClipperError, match="not valid YAML"):
        load_theme(path)
