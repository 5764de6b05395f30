"""Build tiny sites in a temporary folder for tests that need a specific quirk."""

from __future__ import annotations

from pathlib import Path

import yaml


def write_site(
    root: Path,
    transcript: object,
    *,
    slug: str = "test-episode",
    guests: tuple[str, ...] = ("janedoe",),
    people: dict[str, str] | None = None,
    extra: dict | None = None,
) -> Path:
    """Write ``_podcast/<slug>.md`` (and ``_people`` files) under ``root``; return the episode path."""
    people = people if people is not None else {"janedoe": "Jane Doe", "hosty": "Hosty McHost"}
    for person_id, name in people.items():
        person = root / "_people" / f"{person_id}.md"
        person.parent.mkdir(parents=True, exist_ok=True)
        picture = f"images/authors/{person_id}.jpg"
        person.write_text(f'---\ntitle: "{name}"\npicture: "{picture}"\n---\n\nBio.\n')
    front = {
        "title": "A Test Episode",
        "short": "Test",
        "season": 2,
        "episode": 5,
        "guests": list(guests),
        "image": f"images/podcast/{slug}.jpg",
        "ids": {"youtube": "dQw4w9WgXcQ"},
        "topics": ["data engineering", "careers"],
        **(extra or {}),
        "transcript": transcript,
    }
    path = root / "_podcast" / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n\nBody.\n")
    return path


def line(text: str, sec: int | None, who: str | None) -> dict:
    item: dict = {"line": text}
    if sec is not None:
        item["sec"] = sec
        item["time"] = f"{sec // 60}:{sec % 60:02d}"
    if who is not None:
        item["who"] = who
    return item


def interview(root: Path, *exchanges: tuple[str, str]) -> Path:
    """A site whose episode is Hosty's questions and Jane's answers, 30 s apart."""
    items = []
    for number, (question, answer) in enumerate(exchanges):
        items += [line(question, 30 * number, "Hosty"), line(answer, 30 * number + 10, "Jane")]
    return write_site(root, items)
