"""The ``clipper cards`` command on the bundled example episode."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PIL import Image


def test_cards_json_lists_files_and_alt_text(invoke, example_episode: Path, tmp_path: Path) -> None:
    result = invoke(
        "cards", example_episode, "--top", "2", "--size", "square", "--size", "800x1000",
        "--format", "webp", "--out", tmp_path, "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    cards = json.loads(result.stdout)
    assert len(cards) == 4
    slug = example_episode.stem
    for card in cards:
        path = Path(card["path"])
        assert path.parent == tmp_path / slug / "cards"
        assert path.name == f"{card['quote_id']}-{card['size']}.webp"
        assert card["error"] is None
        assert path.with_suffix(".txt").read_text(encoding="utf-8").strip() == card["alt_text"]
        with Image.open(path) as image:
            expected = (1080, 1080) if card["size"] == "square" else (800, 1000)
            assert image.size == expected


def test_cards_from_an_edited_quotes_file(invoke, example_episode: Path, tmp_path: Path) -> None:
    quotes = tmp_path / "quotes.yaml"
    quotes.write_text(
        "- id: mine\n  text: Start from the decision, not from the data.\n"
        "  start: 10\n  end: 14\n  speaker: ineskowalczyk\n"
    )
    result = invoke("cards", example_episode, "--quotes", quotes, "--size", "x", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    card = tmp_path / example_episode.stem / "cards" / "mine-x.png"
    assert result.stdout.strip() == str(card)
    assert "Start from the decision" in card.with_suffix(".txt").read_text(encoding="utf-8")


def test_a_quote_that_cannot_fit_is_reported_and_the_others_made(
    invoke, example_episode: Path, tmp_path: Path
) -> None:
    quotes = tmp_path / "quotes.yaml"
    endless = " ".join(["word"] * 500)
    quotes.write_text(
        f"- id: long\n  text: {endless}\n  start: 1\n  end: 2\n"
        "- id: fine\n  text: Short and sweet wins.\n  start: 3\n  end: 4\n"
    )
    result = invoke("cards", example_episode, "--quotes", quotes, "--size", "x", "--out", tmp_path)
    assert result.exit_code == 1
    assert "error: quote long: too long for the x card" in result.stderr
    assert "Traceback" not in result.output
    assert (tmp_path / example_episode.stem / "cards" / "fine-x.png").is_file()


def test_bad_size_or_theme_is_a_one_line_error(
    invoke, example_episode: Path, tmp_path: Path
) -> None:
    for args, message in (
        (["--size", "huge"], "unknown card size 'huge'"),
        (["--theme", "nope"], "unknown theme 'nope'"),
        (["--theme", tmp_path / "missing.yaml"], "theme file not found"),
    ):
        result = invoke("cards", example_episode, "--top", "1", "--out", tmp_path, *args)
        assert result.exit_code != 0
        assert message in result.output
        assert "Traceback" not in result.output


def test_cli_start_up_does_not_import_pillow() -> None:
    code = "import sys, clipper.cli.main; print('PIL' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert output.stdout.strip() == "False"
