"""Stage 2: choose quotable spans of an episode and describe them as Quote records."""

from clipper.select.quote import KINDS, Quote, load_quotes, save_quotes
from clipper.select.selector import SelectOptions, select_quotes

__all__ = ["KINDS", "Quote", "SelectOptions", "load_quotes", "save_quotes", "select_quotes"]
