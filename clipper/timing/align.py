"""Align a quote's edited text to the words actually spoken.

The transcript is edited: fillers and repeats are gone, "didn't" may be
written "did not", numbers are digits ("85%"), and whatever produced the
spoken words (captions, a recogniser) mishears some. Both sides are therefore
normalised to lower-case tokens (contractions expanded, numbers spelled out)
and aligned with a semi-global Needleman-Wunsch: every token of the quote is
placed, the spoken words before and after it are free, a spoken token left
over inside the quote (a filler, a repeat) costs little, a near-miss spelling
("slab" for "slack") scores as a weaker match.

Every written word of the quote gets a time: its matched (or substituted)
spoken words', else a share of the gap between its timed neighbours.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from clipper.timing.model import Word

FILLERS = frozenset({"um", "umm", "uh", "uhh", "er", "erm", "ah", "hmm", "mm"})
MATCH, NEAR, MISMATCH = 2.0, 1.0, -0.9  # a substitution beats a skip
SKIP_WRITTEN = -1.0  # a written token nobody said (or the recogniser missed)
SKIP_FILLER, SKIP_SPOKEN = -0.1, -0.6  # a spoken token the text leaves out
NEAR_RATIO = 0.6
SECONDS_PER_MISSING_WORD = 0.3
SEARCH_ALL = 8  # spoken tokens per written one aligned in full; longer lists are narrowed first

_CONTRACTIONS = {
    "can't": "can not",
    "cannot": "can not",
    "won't": "will not",
    "shan't": "shall not",
    "let's": "let us",
    "gonna": "going to",
    "wanna": "want to",
}
_S_IS = frozenset(["it", "that", "what", "there", "here", "he", "she", "who", "where", "how"])
_SUFFIXES = (
    *(("n't", " not"), ("'re", " are"), ("'ve", " have"), ("'ll", " will"), ("'m", " am")),
    ("'d", " would"),  # or "had": the near match and the neighbours carry it
)
_ONES = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"),
    *("seventeen", "eighteen", "nineteen"),
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = ((10**9, "billion"), (10**6, "million"), (1000, "thousand"), (100, "hundred"))
_SYMBOLS = {"%": "percent", "&": "and", "+": "plus", "@": "at"}
_NUMBER = re.compile(r"^\$?(\d[\d,]*)(?:\.(\d+))?(%|k|st|nd|rd|th|s)?$")
_ORDINALS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}


def number_words(n: int) -> list[str]:
    """``85`` -> ``["eighty", "five"]`` (English, up to the billions)."""
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        return [_TENS[n // 10]] + ([_ONES[n % 10]] if n % 10 else [])
    size, name = next((size, name) for size, name in _SCALES if n >= size)
    rest = number_words(n % size) if n % size else []
    return [*number_words(n // size), name, *rest]


def _year_words(n: int) -> list[str]:
    """``2019`` -> twenty nineteen, ``1990`` -> nineteen ninety, ``2005`` -> two thousand five."""
    high, low = divmod(n, 100)
    if low == 0 or (2000 <= n < 2010):
        return number_words(n)
    return [*number_words(high), *(["oh"] if low < 10 else []), *number_words(low)]


def _spell_number(token: str) -> list[str] | None:
    match = _NUMBER.match(token)
    if not match:
        return None
    whole, decimals, suffix = match.groups()
    value = int(whole.replace(",", ""))
    year = "," not in whole and not decimals and suffix in (None, "s") and token[0] != "$"
    words = _year_words(value) if year and 1100 <= value <= 2099 else number_words(value)
    if decimals:
        words += ["point", *(_ONES[int(d)] for d in decimals)]
    if suffix in ("st", "nd", "rd", "th"):
        last = words[-1]
        words[-1] = _ORDINALS.get(last, last[:-1] + "ieth" if last.endswith("y") else last + "th")
    elif suffix == "k":
        words.append("thousand")
    elif suffix == "%":
        words.append("percent")
    elif suffix == "s":
        words[-1] = words[-1][:-1] + "ies" if words[-1].endswith("y") else words[-1] + "s"
    if token.startswith("$"):
        words.append("dollars")
    return words


def normalise(word: str) -> list[str]:
    """The comparable tokens of one written or spoken word."""
    text = word.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"\(\d+\)$", "", text)  # pocketsphinx alternates: "didn't(4)"
    tokens: list[str] = []
    for piece in re.split(r"[\s\-\u2013\u2014/]+", text):
        piece = piece.strip(".,;:!?\"'()[]{}…*_")
        if not piece:
            continue
        spelled = _spell_number(piece)
        if spelled:
            tokens += spelled
            continue
        for symbol, name in _SYMBOLS.items():
            piece = piece.replace(symbol, f" {name} ")
        for part in piece.split():
            tokens += _expand(part).split()
    return [t for t in tokens if re.search(r"\w", t)]


def is_filler(word: str) -> bool:
    """True for a spoken word the edited text drops: "um", "uh", ..."""
    tokens = normalise(word)
    return bool(tokens) and all(token in FILLERS for token in tokens)


def _expand(word: str) -> str:
    if word in _CONTRACTIONS:
        return _CONTRACTIONS[word]
    for suffix, full in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)] + full
    if word.endswith("'s"):
        return word[:-2] + (" is" if word[:-2] in _S_IS else "")
    return word.replace("'", "")


@dataclass(frozen=True)
class Alignment:
    """Times for each written word of a quote (``words``), how well it matched
    (``confidence``, 0-1) and the first and last spoken words it covers
    (indices into the spoken word list), and the spoken words in between that
    the text has nothing for (``inserted``: fillers, repeats, words the editor
    cut; a word the text replaced by another is not among them)."""

    words: tuple[Word, ...]
    confidence: float
    first: int
    last: int
    inserted: tuple[int, ...] = ()  # spoken words between first and last the text leaves out


def _similarity(a: str, b: str) -> float:
    if a == b:
        return MATCH
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < NEAR_RATIO:
        return MISMATCH
    ratio = matcher.ratio()
    return NEAR * ratio if ratio >= NEAR_RATIO else MISMATCH


def _tokens(words: Sequence[str]) -> tuple[list[str], list[int]]:
    tokens, owners = [], []
    for index, word in enumerate(words):
        for token in normalise(word):
            tokens.append(token)
            owners.append(index)
    return tokens, owners


def align(text: str, spoken: Sequence[Word]) -> Alignment | None:
    """Align the written ``text`` to ``spoken`` (in time order); None when the
    text has no word to align or nothing is spoken."""
    written_words = text.split()
    written, owners = _tokens(written_words)
    heard, heard_owners = _tokens([w.text for w in spoken])
    if not written or not heard:
        return None
    first, stop = _likely_region(written, heard)
    heard, heard_owners = heard[first:stop], heard_owners[first:stop]
    pairs = _best_path(written, heard)
    return _place(written_words, owners, written, heard, heard_owners, spoken, pairs)


def _likely_region(written: list[str], heard: list[str]) -> tuple[int, int]:
    """The stretch of ``heard`` worth aligning: all of it when short, else the
    one around the densest run of the quote's own words, rare words counting
    more (a quote searched in a whole transcript would otherwise cost seconds)."""
    n, m = len(written), len(heard)
    if m <= SEARCH_ALL * n + 200:
        return 0, m
    wanted, seen = set(written), Counter(heard)
    hits = [1 / seen[token] if token in wanted else 0.0 for token in heard]
    width = 2 * n
    count = best = sum(hits[:width])
    at = 0
    for i in range(1, m - width + 1):
        count += hits[i + width - 1] - hits[i - 1]
        if count > best:
            best, at = count, i
    return max(0, at - n), min(m, at + width + n)


def _best_path(written: list[str], heard: list[str]) -> list[tuple[int | None, int | None]]:
    """Semi-global alignment: (written index, heard index) pairs, None for a gap;
    heard tokens before the first and after the last written one are free."""
    n, m = len(written), len(heard)
    skip_heard = [SKIP_FILLER if h in FILLERS else SKIP_SPOKEN for h in heard]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]  # 1 diagonal, 2 up (skip written), 3 left
    distinct = set(heard)
    for i in range(1, n + 1):
        score[i][0] = i * SKIP_WRITTEN
        move[i][0] = 2
        row, above = score[i], score[i - 1]
        similar = {h: _similarity(written[i - 1], h) for h in distinct}
        for j in range(1, m + 1):
            best, step = above[j - 1] + similar[heard[j - 1]], 1
            if above[j] + SKIP_WRITTEN > best:
                best, step = above[j] + SKIP_WRITTEN, 2
            if row[j - 1] + skip_heard[j - 1] > best:
                best, step = row[j - 1] + skip_heard[j - 1], 3
            row[j], move[i][j] = best, step
    j = max(range(m + 1), key=lambda k: (score[n][k], k))
    i, path = n, []
    while i > 0:
        step = move[i][j] if j > 0 else 2
        if step == 1:
            path.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif step == 2:
            path.append((i - 1, None))
            i -= 1
        else:
            path.append((None, j - 1))
            j -= 1
    return path[::-1]


def _place(
    written_words: list[str],
    owners: list[int],
    written: list[str],
    heard: list[str],
    heard_owners: list[int],
    spoken: Sequence[Word],
    pairs: list[tuple[int | None, int | None]],
) -> Alignment:
    spans: dict[int, tuple[float, float]] = {}
    quality, matched = 0.0, []
    for w, h in pairs:
        if w is None or h is None:
            continue
        word = spoken[heard_owners[h]]
        a, b = spans.get(owners[w], (word.start, word.end))
        spans[owners[w]] = (min(a, word.start), max(b, word.end))
        similarity = _similarity(written[w], heard[h])
        quality += 1.0 if similarity == MATCH else max(0.0, similarity / 2)
        matched.append(h)
    if not matched:
        return Alignment((), 0.0, 0, 0)
    inside = range(min(matched), max(matched) + 1)
    extra = sum(1 for w, h in pairs if w is None and h in inside and heard[h] not in FILLERS)
    confidence = max(0.0, (quality - 0.5 * extra) / len(written))
    first, last = heard_owners[inside.start], heard_owners[inside.stop - 1]
    words = _fill_gaps(written_words, spans, spoken, first, last)
    inserted = _inserted_words(pairs, written, heard, heard_owners)
    return Alignment(tuple(words), round(min(1.0, confidence), 3), first, last, inserted)


def _inserted_words(
    pairs: list[tuple[int | None, int | None]],
    written: list[str],
    heard: list[str],
    heard_owners: list[int],
) -> tuple[int, ...]:
    """Spoken words (indices) the text has nothing for. Between two tokens
    matched exactly, a run of gaps holding only spoken tokens is an insertion
    (a filler, a repeat); a run that also skips written tokens is a
    substitution (a misheard or reworded word), and one beside a near match
    is part of a word said in two ("data set" for "dataset"): those stay.
    Gaps before the first and after the last match are outside the quote."""
    matched = [k for k, (w, h) in enumerate(pairs) if w is not None and h is not None]
    if not matched:
        return ()
    inserted: set[int] = set()
    run: list[int] = []
    clean = True
    for w, h in pairs[matched[0] : matched[-1] + 1]:
        if w is not None and h is not None:
            exact = written[w] == heard[h]
            if clean and exact:
                inserted.update(run)
            run, clean = [], exact
        elif h is None:
            clean = False
        else:
            run.append(h)
    kept = {heard_owners[h] for _, h in pairs if h is not None and h not in inserted}
    return tuple(sorted({heard_owners[h] for h in inserted} - kept))


def _fill_gaps(
    written_words: list[str],
    spans: dict[int, tuple[float, float]],
    spoken: Sequence[Word],
    first: int,
    last: int,
) -> list[Word]:
    """A time for every written word: unmatched ones share the gap between
    their timed neighbours (or a short stretch before the first / after the
    last, never past the neighbouring spoken words)."""
    n = len(written_words)
    timed = sorted(spans)
    lower = spoken[first - 1].end if first > 0 else spoken[first].start - 1.0
    upper = spoken[last + 1].start if last + 1 < len(spoken) else spoken[last].end + 1.0
    out: list[Word] = []
    i = 0
    while i < n:
        if i in spans:
            out.append(Word(written_words[i], *spans[i]))
            i += 1
            continue
        j = i
        while j < n and j not in spans:
            j += 1
        before = [k for k in timed if k < i]
        after = [k for k in timed if k >= j]
        count = j - i
        a = spans[before[-1]][1] if before else None
        b = spans[after[0]][0] if after else None
        if a is None:
            a = max(lower, b - SECONDS_PER_MISSING_WORD * count)
        if b is None:
            b = min(upper, a + SECONDS_PER_MISSING_WORD * count)
        step = (b - a) / count
        out += [
            Word(written_words[k], a + step * (k - i), a + step * (k - i + 1)) for k in range(i, j)
        ]
        i = j
    return out
