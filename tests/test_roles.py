"""Speaker roles when the site's people files do not settle them."""

from __future__ import annotations

from click.testing import CliRunner

from clipper.cli.main import main
from clipper.episode.load import load_episode
from clipper.episode.roles import SpeakerEvidence, decide_roles
from clipper.select.selector import SelectOptions, select_quotes
from tests.sitebuilder import line, write_site

ANSWER = "You should build one small project that solves a real problem for someone you know."


def roles(episode):
    return {line.speaker_name: line.role for line in episode.lines}


def test_a_lone_speaker_labelled_guest_is_a_guest_and_gets_quotes(tmp_path):
    path = write_site(tmp_path, [line(ANSWER, 0, "Guest"), line(ANSWER + " Really.", 30, "Guest")])
    episode = load_episode(path)
    assert roles(episode) == {"Guest": "guest"}
    assert episode.host is None
    assert select_quotes(episode, SelectOptions(speaker="guest"))


def test_role_labels_mean_what_they_say(tmp_path):
    transcript = [line(ANSWER, 0, "Guest"), line("Why is that so? And how?", 10, "Host")]
    transcript.append(line("Because a real user gives you real feedback every week.", 20, "Guest"))
    episode = load_episode(write_site(tmp_path, transcript, people={}))
    assert roles(episode) == {"Guest": "guest", "Host": "host"}


def test_without_people_files_the_one_asking_questions_is_the_host(tmp_path):
    transcript = [
        line(ANSWER, 0, "Anna"),
        line("What do you mean by a real problem?", 10, "Boris"),
        line("Something a person you know struggles with every single week.", 20, "Anna"),
        line("And how do you find such a person?", 30, "Boris"),
    ]
    episode = load_episode(write_site(tmp_path, transcript, guests=(), people={}))
    assert roles(episode) == {"Anna": "guest", "Boris": "host"}
    assert episode.role_reasons == {"anna": "not the host", "boris": "asks the most questions (2)"}


def test_a_listed_guest_stays_a_guest_even_when_asking_most(tmp_path):
    transcript = [
        line("Can I ask you something? Why podcasts? Why now?", 0, "Jane"),
        line("Because people like you have stories worth hearing.", 10, "Sam"),
    ]
    episode = load_episode(write_site(tmp_path, transcript, people={}))  # no _people file
    assert roles(episode) == {"janedoe": "guest", "Sam": "host"}


def test_decide_roles_tie_and_lone_speaker():
    assert decide_roles([SpeakerEvidence("Kim", None, 0)]) == {"Kim": ("guest", "only speaker")}
    tie = decide_roles([SpeakerEvidence("Kim", None, 0), SpeakerEvidence("Lee", None, 0)])
    assert tie["Kim"][0] == "host" and tie["Lee"][0] == "guest"


def test_inspect_shows_how_each_role_was_decided(tmp_path):
    transcript = [line(ANSWER, 0, "Jane"), line("Why is that?", 10, "Hosty")]
    path = write_site(tmp_path, transcript)
    result = CliRunner().invoke(main, ["inspect", str(path)])
    assert "guest" in result.output and "(listed guest)" in result.output
    assert "(in _people, not a listed guest)" in result.output
