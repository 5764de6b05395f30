"""Safe YAML parsing with one-line errors that name the file and the line."""

from __future__ import annotations

from pathlib import Path

import yaml

from clipper.errors import ClipperError

# libyaml's safe loader when PyYAML has it: the same safe subset, 10x faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, source: Path | str, first_line: int = 1) -> object:
    """Parse ``text``; ``first_line`` is the file line it starts on (front matter
    starts on line 2), so errors point at the right line of ``source``."""
    try:
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + first_line}: " if mark else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise ClipperError(f"{source}: {where}not valid YAML ({problem})") from None


def read_yaml(path: Path | str, what: str) -> object:
    """Read and parse a YAML file; ``what`` names it in errors ("settings")."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ClipperError(f"{path}: cannot read {what} ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ClipperError(f"{path}: {what} file is not UTF-8 text") from None
    return parse_yaml(text, path)
