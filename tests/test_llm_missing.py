"""--ranker llm without the llm package: a one-line warning, the offline ranking."""

from __future__ import annotations

import sys

import pytest

from clipper.select.llm_rank import Candidate, LlmRankWarning, llm_ranking


def test_missing_package_falls_back_with_the_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "llm", None)  # import llm now raises ImportError
    with pytest.warns(LlmRankWarning, match=r"pip install 'clipper\[llm\]'"):
        assert llm_ranking([Candidate("a", "Jane", "Text.")]) == []
