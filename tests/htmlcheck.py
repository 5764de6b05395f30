"""Checks that a review page is self-contained: every reference is a file
that exists next to it, and the only web URLs are outbound links that also
appear in the post text."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

URL_ATTRIBUTES = ("src", "href", "poster", "data", "srcset", "action")


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.references: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()
        self.pre_text: list[str] = []
        self.inline_code: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack.append(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in URL_ATTRIBUTES and value is not None:
                self.references.append((tag, name, value))
            if name == "style" and value:
                self.inline_code.append(value)

    def handle_endtag(self, tag: str) -> None:
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._stack:
            return
        if self._stack[-1] == "pre":
            self.pre_text.append(data)
        elif self._stack[-1] in ("style", "script"):
            self.inline_code.append(data)


def problems(index: Path) -> list[str]:
    """Everything that would make ``index`` fetch or miss something."""
    parser = _References()
    parser.feed(index.read_text(encoding="utf-8"))
    post_text = "\n".join(parser.pre_text)
    found = []
    for tag, attribute, value in parser.references:
        where = f"<{tag} {attribute}={value!r}>"
        if value.startswith(("http://", "https://", "//")):
            if not (tag == "a" and attribute == "href" and value in post_text):
                found.append(f"{where}: web reference that is not an outbound post link")
        elif value.startswith("#"):
            if value[1:] not in parser.ids:
                found.append(f"{where}: no element with that id")
        elif ":" in value.split("/")[0]:
            found.append(f"{where}: not a relative path")
        elif not (index.parent / unquote(value)).is_file():
            found.append(f"{where}: file does not exist")
    for code in parser.inline_code:
        for marker in ("http:", "https:", "url(", "@import", "//fonts", "fetch("):
            if marker in code:
                found.append(f"inline style or script uses {marker!r}")
    return found


def references(index: Path) -> list[str]:
    parser = _References()
    parser.feed(index.read_text(encoding="utf-8"))
    return [value for _, _, value in parser.references]
