import json
import subprocess
import sys

import pytest

from tests.conftest import corpus_episodes

QUOTE_KEYS = {
    "id",
    "episode",
    "speaker",
    "speaker_name",
    "section",
    "kind",
    "text",
    "start",
    "end",
    "score",
    "lines",
}


def test_select_json_lists_quote_objects(invoke, example_episode):
    result = invoke("select", example_episode, "--json", "--top", "3")
    assert result.exit_code == 0, result.output
    quotes = json.loads(result.stdout)
    assert len(quotes) == 3
    assert all(QUOTE_KEYS <= set(q) for q in quotes)
    assert all(q["episode"] == example_episode.stem for q in quotes)


def test_select_table_and_filters(invoke, example_episode):
    result = invoke("select", example_episode, "--kind", "testimonial", "--speaker", "guest")
    assert result.exit_code == 0
    assert "testimonial" in result.stdout
    assert "advice " not in result.stdout
    assert "no quotes match" in invoke("select", example_episode, "--match", "zzzz-nothing").stdout


def test_quotes_file_written_by_select_is_what_later_commands_use(
    invoke, example_episode, tmp_path
):
    quotes_file = tmp_path / "quotes.yaml"
    assert invoke("select", example_episode, "-o", quotes_file, "--top", "2").exit_code == 0
    from clipper import SelectOptions, load_episode
    from clipper.select.resolve import episode_quotes

    edited = quotes_file.read_text().replace("text: ", "text: EDITED ", 1)
    quotes_file.write_text(edited)
    quotes = episode_quotes(load_episode(example_episode), quotes_file, SelectOptions())
    assert len(quotes) == 2 and quotes[0].text.startswith("EDITED ")


def test_inspect_summarises_the_episode(invoke, example_episode):
    result = invoke("inspect", example_episode)
    assert result.exit_code == 0
    for expected in ("speakers:", "sections:", "warnings:", "host", "guest", "duration"):
        assert expected in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["select", "missing.md"], "missing.md: cannot read file"),
        (["select", "{episode}", "--between", "10:00"], "a time range like"),
        (["select", "{episode}", "--at", "soon"], "not a time"),
        (["select", "{episode}", "--match", "(oops"], "not a valid regex"),
    ],
)
def test_bad_input_is_a_one_line_error_without_traceback(invoke, example_episode, args, message):
    args = [a.replace("{episode}", str(example_episode)) for a in args]
    result = invoke(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert len([x for x in result.output.splitlines() if x.startswith("Error")]) == 1


def test_not_an_episode_is_an_error(invoke, tmp_path):
    bad = tmp_path / "notes.md"
    bad.write_text("just some notes\n")
    result = invoke("inspect", str(bad))
    assert result.exit_code == 1
    assert f"{bad}: line 1: no front matter" in result.output


def test_cli_start_up_and_select_do_not_import_heavy_packages(example_episode):
    code = (
        "import sys\n"
        "from clipper.cli import main\n"
        "for args in (['--help'], ['select', sys.argv[1], '--top', '2']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = [m for m in ('PIL', 'moviepy', 'yt_dlp', 'numpy', 'sklearn', 'scipy', 'llm', 'cv2') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(example_episode)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "HEAVY []" in out.stdout


def test_inspect_and_select_run_on_every_corpus_episode(invoke, corpus_dir):
    for path in corpus_episodes():
        assert invoke("inspect", path).exit_code == 0, path
        result = invoke("select", path, "--json", "--top", "5")
        assert result.exit_code == 0, path
        assert json.loads(result.stdout), path


def test_init_example_copies_the_bundled_site_once(invoke, tmp_path, example_site):
    target = tmp_path / "demo"
    result = invoke("init", "--example", target)
    assert result.exit_code == 0, result.output
    copied = sorted(p.relative_to(target) for p in target.rglob("*") if p.is_file())
    assert copied == sorted(
        p.relative_to(example_site) for p in example_site.rglob("*") if p.is_file()
    )
    again = invoke("init", "--example", target)
    assert again.exit_code == 1 and "exists and is not empty" in again.output
