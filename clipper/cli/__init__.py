"""The command line: a thin click layer over the library (the only package that imports click)."""

from clipper.cli.main import main

__all__ = ["main"]
