"""The one exception type that the CLI turns into a one-line error."""

from __future__ import annotations


class ClipperError(Exception):
    """A problem with the user's input or environment, worded for the user.

    The message is a single line that names the file (or episode) and what is
    wrong; the CLI prints it as ``error: <message>`` and exits non-zero.
    """
