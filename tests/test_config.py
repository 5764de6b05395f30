"""clipper.yaml: defaults, strict validation, `clipper init`, overrides."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from clipper.batch.config import INIT_TEMPLATE, Settings, load_settings, parse_settings
from clipper.errors import ClipperError


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "clipper.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_init_template_holds_exactly_the_defaults(tmp_path):
    parsed = parse_settings(yaml.safe_load(INIT_TEMPLATE), tmp_path)
    assert parsed == Settings(output=tmp_path / "output")


def test_init_command_writes_a_commented_file_and_refuses_to_overwrite(invoke, tmp_path):
    target = tmp_path / "clipper.yaml"
    first = invoke("init", str(target))
    assert first.exit_code == 0, first.output
    assert target.read_text(encoding="utf-8").count("#") > 10
    assert load_settings(target) == Settings(output=tmp_path / "output")
    target.write_text("cards: {theme: light}\n", encoding="utf-8")
    second = invoke("init", str(target))
    assert second.exit_code != 0
    assert "already exists" in second.output
    assert target.read_text(encoding="utf-8") == "cards: {theme: light}\n"
    forced = invoke("init", str(target), "--force")
    assert forced.exit_code == 0
    assert load_settings(target).cards.theme == "default"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("outptu: out\n", "outptu"),
        ("cards:\n  size: [x]\n", "cards.size"),
        ("selection:\n  kinds: {advise: 2}\n", "selection.kinds.advise"),
        ("selection:\n  kinds: {advice: two}\n", "selection.kinds.advice"),
        ("selection:\n  min_words: 8.5\n", "selection.min_words"),
        ("selection:\n  between: 10-5\n", "selection.between"),
        ("cards:\n  sizes: 5\n", "cards.sizes"),
        ("cards:\n  format: gif\n", "cards.format"),
        ("cards:\n  enabled: 'yes'\n", "cards.enabled"),
        ("clips:\n  pad: fast\n", "clips.pad"),
        ("clips:\n  shapes: ['4:3']\n", "clips.shapes[0]"),
        ("post:\n  platforms: [myspace]\n", "post.platforms[0]"),
        ("post:\n  template: '{quote} {guest}'\n", "post.template"),
        ("clips: [16:9]\n", "clips"),
        ("- a list\n", "expected a mapping"),
    ],
)
def test_a_bad_setting_is_a_one_line_error_naming_the_file_and_key(tmp_path, text, key):
    path = write_config(tmp_path, text)
    with pytest.raises(ClipperError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message
    assert key in message


def test_invalid_yaml_names_the_line(tmp_path):
    path = write_config(tmp_path, "cards:\n  sizes: [x\n")
    with pytest.raises(ClipperError, match=r"clipper\.yaml: line \d+: not valid YAML"):
        load_settings(path)


def test_values_are_read_and_relative_paths_follow_the_file(tmp_path):
    path = write_config(
        tmp_path,
        "output: kits\ncache: videos\n"
        "selection:\n  kinds: {testimonial: 2, advice: 3}\n  section: 2\n"
        "  between: '10:00-25:30'\n  speaker: null\n"
        "cards: {sizes: [x, 600x600], format: jpg, theme: themes/brand.yaml}\n"
        "clips: {shapes: ['9:16'], captions: false, pad: 0}\n"
        "post: {platforms: [x], hashtags: 0}\n",
    )
    settings = load_settings(path, cwd=Path("/elsewhere"))
    assert settings.output == tmp_path / "kits"
    assert settings.cache == tmp_path / "videos"
    assert settings.cards.sizes == ("x", "600x600")
    assert settings.cards.theme == str(tmp_path / "themes" / "brand.yaml")
    assert settings.clips.theme == "default", "a bundled theme stays a name"
    assert settings.clips.shapes == ("9:16",)
    assert settings.clips.captions is False
    assert settings.post.platforms == ("x",)
    options = settings.selection.options()
    assert options.wanted() == (("testimonial", 2), ("advice", 3))
    assert options.section == "2" and options.between == (600.0, 1530.0)
    assert options.speaker is None


def test_without_a_file_the_defaults_apply_with_output_in_the_working_directory(tmp_path):
    settings = load_settings(None, cwd=tmp_path)
    assert settings == Settings(output=tmp_path / "output")
    write_config(tmp_path, "cards: {theme: light}\n")
    assert load_settings(None, cwd=tmp_path).cards.theme == "light"


def test_command_line_overrides_win_and_none_means_not_given(tmp_path):
    settings = load_settings(write_config(tmp_path, "output: a\nclips: {pad: 1.0}\n"))
    changed = settings.override(output=Path("b"), clips__enabled=False, cards__enabled=None)
    assert changed.output == Path("b")
    assert changed.clips.enabled is False
    assert changed.clips.pad == 1.0
    assert changed.cards.enabled is True


def test_fingerprint_follows_only_the_named_sections():
    base = Settings()
    assert base.fingerprint("cards") == Settings().fingerprint("cards")
    other_theme = base.override(cards__theme="light")
    assert other_theme.fingerprint("cards") != base.fingerprint("cards")
    assert other_theme.fingerprint("selection", "post") == base.fingerprint("selection", "post")
    assert base.override(output=Path("x")).fingerprint("cards", "clips", "selection", "post") == (
        base.fingerprint("cards", "clips", "selection", "post")
    )


def test_batch_reports_a_bad_config_in_one_line(invoke, tmp_path, example_site):
    path = write_config(tmp_path, "cards:\n  sizes: [x]\n  colour: red\n")
    result = invoke("batch", str(example_site), "--config", str(path))
    assert result.exit_code != 0
    assert "cards.colour: unknown key" in result.output
    assert "Traceback" not in result.output


def test_a_retired_key_still_loads_with_one_warning_line(tmp_path):
    path = write_config(tmp_path, "clips:\n  snap: true\n  pad: 0.5\n")
    warned: list[str] = []
    settings = load_settings(path, warn=warned.append)
    assert settings.clips.pad == 0.5
    assert not hasattr(settings.clips, "snap")
    assert len(warned) == 1 and "\n" not in warned[0]
    assert warned[0].startswith(f"{path}: clips.snap: has no effect")


def test_batch_shows_a_retired_key_as_a_warning_and_runs(invoke, tmp_path, example_site):
    path = write_config(tmp_path, "clips:\n  snap: false\n")
    result = invoke("batch", str(example_site), "--config", str(path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "clips.snap: has no effect" in result.output


@pytest.mark.parametrize("text", ["25:00-10:00", "10:00", "10:00-", "ab-10:00", "1:00-2:00-3:00"])
def test_between_is_rejected_alike_by_the_cli_and_the_settings(
    invoke, tmp_path, example_episode, text
):
    cli = invoke("select", str(example_episode), "--between", text)
    assert cli.exit_code != 0 and "a time range like" in cli.output
    (tmp_path / "clipper.yaml").write_text(f"selection:\n  between: '{text}'\n")
    with pytest.raises(ClipperError, match=r"selection\.between: expected a time range like"):
        load_settings(tmp_path / "clipper.yaml")


def test_between_is_accepted_alike_by_the_cli_and_the_settings(invoke, tmp_path, example_episode):
    cli = invoke("select", str(example_episode), "--between", "0:30-3:00")
    assert cli.exit_code == 0, cli.output
    (tmp_path / "clipper.yaml").write_text("selection:\n  between: '0:30-3:00'\n")
    assert load_settings(tmp_path / "clipper.yaml").selection.between == (30.0, 180.0)


def test_selection_filters_that_contradict_name_the_settings_key(tmp_path):
    (tmp_path / "clipper.yaml").write_text("selection:\n  min_words: 50\n  max_words: 20\n")
    with pytest.raises(ClipperError, match=r"clipper.yaml: selection\.min_words: is larger"):
        load_settings(tmp_path / "clipper.yaml")
