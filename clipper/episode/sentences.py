"""Sentences of spoken text: where one ends, keeping "e.g.", "Dr." and "3.5"
inside. The episode stage builds lines of whole sentences with it; selection
cuts turns into sentences with it."""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "e.g.", "i.e.", "etc.", "vs.", "dr.", "mr.", "mrs.", "ms.", "prof.", "st.", "jr.",
    "sr.", "inc.", "ltd.", "co.", "no.", "approx.", "u.s.", "u.k.", "a.m.", "p.m.", "cf.",
}  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*$")


def _ends_sentence(word: str, previous: str | None, following: str | None) -> bool:
    if not _SENTENCE_END.search(word):
        return False
    bare = word.lower().strip("\"'“”‘’()[]")
    if bare in _ABBREVIATIONS:
        return False  # e.g. / Dr. / etc.
    if re.fullmatch(r"[a-z]\.", bare) and previous and previous[0].isupper():
        return False  # a middle initial: "John F. Kennedy" (but "point B." ends)
    if following is None:
        return True
    return bool(re.match(r"[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ]", following))


# The last character of any word that can end a sentence (see _SENTENCE_END).
_LAST_CHARS = frozenset(".!?…\"'”’)]")


def split_words(words: list[str]) -> list[range]:
    """The word positions of each sentence (see :func:`split_sentences`)."""
    sentences, first = [], 0
    for i, word in enumerate(words):
        if word[-1] not in _LAST_CHARS:
            continue  # the common case, decided without the regex
        previous = words[i - 1] if i else None
        if _ends_sentence(word, previous, words[i + 1] if i + 1 < len(words) else None):
            sentences.append(range(first, i + 1))
            first = i + 1
    if first < len(words):
        sentences.append(range(first, len(words)))
    return sentences


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, keeping "e.g.", "Dr." and "3.5" intact."""
    words = text.split()
    return [" ".join(words[group.start : group.stop]) for group in split_words(words)]
