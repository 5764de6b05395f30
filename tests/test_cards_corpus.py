"""Cards for the real corpus: every top-5 quote of every episode, every theme."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from clipper.episode import load_episode
from clipper.render.cards import card_text, layout_or_trim, render_cards
from clipper.render.pictures import CardAssets
from clipper.render.sizes import PRESETS
from clipper.render.theme import available_themes, load_theme
from clipper.select.selector import SelectOptions, select_quotes


def test_top_quotes_of_every_corpus_episode_make_cards(corpus_dir: Path, tmp_path: Path) -> None:
    """Every quote is laid out at every size in every theme (where a quote can
    fail); each is also drawn and saved once, sizes and themes taking turns."""
    themes = [load_theme(name) for name in available_themes()]
    sizes = list(PRESETS)
    episodes = sorted((corpus_dir / "_podcast").glob("*.md"))
    assert episodes
    turn = 0
    for path in episodes:
        episode = load_episode(path)
        quotes = select_quotes(episode, SelectOptions(top=5))
        assert quotes, f"{path.name}: no quotes selected"
        for theme in themes:
            assets = CardAssets(episode, theme)
            for quote in quotes:
                text, _ = card_text(episode, quote, theme)
                has_photo = assets.photo(episode.person(quote.speaker))[0] is not None
                for spec in PRESETS.values():
                    layout_or_trim(quote, text, spec, theme, has_photo)
        for quote in quotes:
            theme, size = themes[turn % len(themes)], sizes[turn % len(sizes)]
            turn += 1
            (result,) = render_cards(episode, [quote], tmp_path, sizes=(size,), theme=theme)
            assert result.error is None, f"{path.name} / {theme.name}: {result.error}"
            with Image.open(result.path) as card:
                assert card.size == (PRESETS[size].width, PRESETS[size].height)


def test_corpus_artwork_is_used_without_warnings(corpus_dir: Path, tmp_path: Path) -> None:
    path = corpus_dir / "_podcast" / "cloud-data-governance.md"
    episode = load_episode(path)
    assets = CardAssets(episode, load_theme("default"))
    assert assets.artwork is not None and not assets.warnings
    quotes = select_quotes(episode, SelectOptions(top=1))
    (result,) = render_cards(episode, quotes, tmp_path, sizes=("square",))
    assert result.error is None and not result.warnings
    (quote,) = quotes
    assert quote.role == "guest" and quote.speaker_name in ("Jessi Ashdown", "Uri Gilad")
    assert "S03E10" in result.alt_text and quote.speaker_name in result.alt_text
