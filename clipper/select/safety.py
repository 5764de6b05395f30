"""Brand safety: which candidate quotes a brand must never post.

:func:`unsafe_reason` answers with a short reason code, checked in this order:

* ``slur``: a slur against a group (never allowed);
* ``insult``: an insult aimed at a person or a group ("they are idiots",
  "what a moron"); calling oneself or a thing stupid is not an insult;
* ``private``: private details about a third party: the illness, death,
  divorce or pregnancy of someone the speaker names or relates to ("my wife",
  "his mother", "she"), or a street address, phone number or e-mail address;
* ``avoid``: the brand's own list of words or regexes (``selection.avoid``);
* ``profanity``: a word of glin-profanity's curated English list, including
  leetspeak ("sh1t", "a$$"), masked ("f*ck"), stretched ("fuuuck") and spelled
  out ("f.u.c.k", "f u c k") forms. ``allow_profanity`` lifts only this check.

The word list is the data file of the glin-profanity package, read without
importing its code: its matcher costs about 1 ms per candidate (0.2-0.6 s per
episode), too slow for ``clipper select``. Matching here is by whole word after
normalisation, so "Scunthorpe", "assess", "class" and "analysis" are safe.
Words of the list that are ordinary in a data podcast ("BS" the degree, "MF"
matrix factorisation, anatomy in a health episode) are left out.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from clipper.errors import ClipperError

REASONS = ("slur", "insult", "private", "avoid", "profanity")
WORD_LIST = "data/dictionaries/english.json"  # inside the glin_profanity package

# ------------------------------------------------------------- word lists

_LEET = str.maketrans("013457@$!|+", "oieastasilt")
_EDGE = "\"'“”‘’.,;:?!()[]{}…-—–"
_SEPARATED = re.compile(r"(?:[a-z][._-]){2,}[a-z]")  # f.u.c.k, s-h-i-t
_STRETCHED = re.compile(r"([a-z])\1{2,}")  # fuuuck
_ROOTS = ("fuck", "motherf", "shit", "bitch", "cunt", "asshole", "bullshit", "damn")
_NOT_ROOTED = frozenset({"shitake", "shiitake", "damnation"})
_EXTRA = frozenset({"damn", "goddamn", "crap", "crappy", "wtf", "effing", "a-hole"})


def _listed(entries: str, separator: str | None = None) -> frozenset[str]:
    return frozenset(entries.split(separator))


_NOT_PROFANE = _listed(
    # ordinary words in a data or tech podcast (BS degree, MF = matrix
    # factorisation, escort, domination...), anatomy and medicine, names
    "bs mf xx xxx escort domination hardcore scat snatch swinger twink twinkie poof simp "
    "santorum negro eunuch bastinado voyeur sexo playboy hoe butt suck sucks cum dommes "
    "anus rectum penis vagina vulva genitals semen clitoris nipple nipples fecal "
    "ejaculation intercourse nude nudity topless pubes guro dvda pthc testbad01 "
    "dick cox hooker"
) | _listed(
    # phrases of the list made of everyday words ("money tied up", "a huge fat file")
    "big black|girl on|hard core|hot chick|huge fat|how to kill|how to murder|tied up|"
    "tainted love|pleasure chest|strip club|spread legs|tongue in a|taste my|jelly donut|"
    "dog style|tight white|violet wand|leather restraint|make me come|wrapping men|"
    "blonde action|brunette action|dp action|sultry women|nsfw images|mr hands",
    "|",
)
_SLURS = _listed(
    "beaner beaners coon coons darkie faggot faggots fag fags honkey jigaboo jiggaboo "
    "jiggerboo kike kikes nigga niggas nigger niggers paki pakis raghead ragheads slanteye "
    "spic spics towelhead towelheads tranny trannies wetback wetbacks retard retards "
    "dyke dykes bulldyke chink chinks gook gooks tard"
)


@functools.cache
def _profane_words() -> frozenset[str]:
    """glin-profanity's English list (words and phrases), lower case, without
    :data:`_NOT_PROFANE` and with a few mild swear words it lacks."""
    spec = importlib.util.find_spec("glin_profanity")
    if spec is None or not spec.submodule_search_locations:
        raise ClipperError("brand safety needs the glin-profanity package: pip install clipper")
    path = Path(next(iter(spec.submodule_search_locations))) / WORD_LIST
    try:
        words = json.loads(path.read_text(encoding="utf-8"))["words"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ClipperError(f"{path}: cannot read the profanity word list ({exc})") from None
    listed = {str(word).lower().strip() for word in words}
    return frozenset((listed | _EXTRA) - _NOT_PROFANE - {""})


def _forms(token: str) -> tuple[str, ...]:
    """A token's readings, the plain one first: leetspeak read as letters,
    separators and stretched letters removed ("Sh1t!" -> ("shit", "sh1t"))."""
    raw = token.lower().strip(_EDGE).removesuffix("'s").removesuffix("’s")
    if raw.isalpha() and not _STRETCHED.search(raw):
        return (raw,)  # the common case, kept fast
    if not any(c.isalpha() for c in raw):
        return (raw,)  # "455" is a number, not "ass"
    plain = raw.translate(_LEET)
    if _SEPARATED.fullmatch(plain):
        plain = re.sub(r"[._-]", "", plain)
    stretched = (_STRETCHED.sub(r"\1", plain), _STRETCHED.sub(r"\1\1", plain))
    return tuple(dict.fromkeys((plain, raw, *stretched)))


@functools.lru_cache(maxsize=65536)
def _token_class(token: str) -> str | None:
    """``"slur"``, ``"profanity"``, ``"phrase"`` (may start a listed phrase) or None."""
    words = _profane_words()
    forms = _forms(token)
    if any(f in _SLURS for f in forms):
        return "slur"
    if any(f in words or (f.startswith(_ROOTS) and f not in _NOT_ROOTED) for f in forms):
        return "profanity"
    if _masked(token, words):
        return "profanity"
    return "phrase" if forms[0] in _phrase_starts() else None


@functools.cache
def _phrase_starts() -> frozenset[str]:
    return frozenset(word.split()[0] for word in _profane_words() if " " in word)


def _masked(token: str, words: frozenset[str]) -> bool:
    """``f*ck``, ``sh**``, ``f***ing``: each star stands for one letter."""
    raw = token.lower().strip(_EDGE)
    if "*" not in raw or len(raw) < 3 or not raw[0].isalpha():
        return False
    pattern = re.compile(re.escape(raw).replace(r"\*", "[a-z]"))
    return any(len(word) == len(raw) and pattern.fullmatch(word) for word in words)


def _tokens(text: str) -> list[str]:
    """Whitespace tokens, with runs of three or more single letters joined ("f u c k")."""
    tokens: list[str] = []
    run: list[str] = []
    for token in [*text.split(), ""]:
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        tokens += ["".join(run)] if len(run) >= 3 else run
        run = []
        if token:
            tokens.append(token)
    return tokens


def _word_reason(tokens: list[str], allow_profanity: bool) -> str | None:
    """``"slur"`` or ``"profanity"`` from the words and phrases of the list."""
    classes = [_token_class(token) for token in tokens]
    if "slur" in classes:
        return "slur"
    if allow_profanity:
        return None
    if "profanity" in classes:
        return "profanity"
    words = _profane_words()
    for i, token_class in enumerate(classes):
        if token_class == "phrase":
            plain = [_forms(token)[0] for token in tokens[i : i + 3]]
            if " ".join(plain[:2]) in words or " ".join(plain) in words:
                return "profanity"
    return None


# ------------------------------------------------------------- insults


class _Lazy:
    """A regex compiled on first use: the word-set guards of
    :func:`_sentence_reason` rarely let a sentence reach these patterns, and
    compiling them all up front would cost ``clipper select`` about 25 ms."""

    def __init__(self, pattern: str, flags: int = re.IGNORECASE) -> None:
        self.pattern, self.flags = pattern, flags

    @functools.cached_property
    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern, self.flags)

    def search(self, text: str) -> re.Match[str] | None:
        return self.compiled.search(text)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text)


def _any(pattern: str) -> _Lazy:
    return _Lazy(pattern)


_INSULT_NOUNS = _listed(
    "idiot idiots moron morons imbecile imbeciles cretin cretins loser losers clown clowns "
    "jerk jerks douche douches douchebag douchebags dumbass dumbasses halfwit halfwits numpty "
    "numpties dimwit dimwits nitwit nitwits buffoon buffoons scumbag scumbags lowlife lowlifes"
)
_INSULT_ADJECTIVES = _listed(
    "stupid dumb idiotic moronic brainless clueless incompetent useless worthless pathetic "
    "lazy ugly fat disgusting braindead brain-dead"
)
_INSULT_WORDS = _INSULT_NOUNS | _INSULT_ADJECTIVES
_INSULT_NOUN = "(" + "|".join(sorted(_INSULT_NOUNS, key=len, reverse=True)) + ")"
_INSULT_ADJECTIVE = "(" + "|".join(sorted(_INSULT_ADJECTIVES, key=len, reverse=True)) + ")"
_GROUP = (
    r"(people|guys|folks|managers|engineers|developers|programmers|scientists|analysts|"
    r"recruiters|students|users|customers|clients|bosses|founders|interviewers|women|men)"
)
_PEOPLE = (
    rf"(he|she|they|you|everyone|everybody|(most|all|these|those|some|the)\s+(\w+\s+)?{_GROUP}|"
    rf"{_GROUP}|(my|our|his|her|their)\s+(\w+\s+)?(boss|manager|colleagues?|coworkers?|team|"
    r"clients?))"
)
_NAME = r"(?-i:(?!(This|That|It|There|Here|What|Which|Everything|Nothing)\b)[A-Z][a-z]+)"
_BE = r"(is|are|was|were|'s|'re|’s|’re|seems?|seemed|looks?|looked)"
_SO = r"((so|really|just|all|totally|completely|utterly|absolutely|basically|simply)\s+)*"
_A = r"((such\s+)?(an?|some|total|complete|real|bunch of)\s+)*"
_INSULTS = (
    # "they are idiots", "most recruiters are so clueless", "Mark is a clown"
    _any(rf"(?<!\bif )(?<!\bwhen )(?<!\bunless )\b{_PEOPLE}\s+{_BE}\s+{_SO}{_INSULT_ADJECTIVE}\b"),
    _any(rf"\b({_PEOPLE}|{_NAME})\s+{_BE}\s+{_SO}{_A}{_INSULT_NOUN}\b"),
)
_INSULT_PHRASES = (
    # "what an idiot", "a bunch of morons", "these clowns", "you idiot",
    # "only an idiot would"; not when the speaker says it of themselves
    _any(
        rf"\b(what an?|bunch of|these|those|you|such an?|like an?|complete|total|absolute|"
        rf"stupid|dumb|fucking|bloody|only an?|any)\s+{_INSULT_NOUN}\b"
    ),
)
_SELF = _any(r"\b(i|we)\s+(am|was|were|are|'m|felt|feel|looked|look|seemed|sounded)\b")


def _is_insult(text: str) -> bool:
    """An insult noun or adjective aimed at someone other than the speaker."""
    if any(pattern.search(text) for pattern in _INSULTS):
        return True
    for match in _INSULT_PHRASES[0].finditer(text):
        if not _SELF.search(text[max(0, match.start() - 30) : match.start()]):
            return True
    return False


# ------------------------------------------------------------- private details

_RELATIVE = (
    r"(wife|husband|partner|girlfriend|boyfriend|fianc[ée]e?|spouse|mother|mom|mum|"
    r"father|dad|parents?|son|daughter|kids?|children|child|baby|sister|brother|"
    r"siblings?|grand(mother|father|ma|pa|parents?)|aunt|uncle|cousin|niece|nephew|"
    r"in-laws?|boss|manager|colleague|coworker|co-worker|friend|neighbou?r|teammate|"
    r"employee|student|client)"
)
_SOMEONE = rf"((my|his|her|their|our|your|a)\s+(\w+\s+)?{_RELATIVE}s?|he|she)"
_CONDITION = (
    r"(cancer|a tumou?r|leukemia|diabetes|depression|bipolar|schizophrenia|autism|adhd|"
    r"dementia|alzheimer'?s|parkinson'?s|a stroke|a heart attack|covid|hiv|an? illness|"
    r"an? disease|an addiction|a breakdown|burnout|anxiety)"
)
_PRIVATE = (
    # "my mother was diagnosed with cancer", "his wife is fighting depression"
    _any(
        rf"\b{_SOMEONE}\b[^.;!?]{{0,40}}?\b(has|had|got|gets|have|is|was|were|been)?\s*"
        rf"(diagnosed with|suffer(s|ed|ing)? from|battl(es|ed|ing)|fight(s|ing)?|"
        rf"struggl(es|ed|ing) with|dealing with|died (of|from)|has|had|got|developed)\s+"
        rf"{_CONDITION}\b(?!\s+of\b)"
    ),
    # "my dad passed away", "her husband cheated on her", "he went to rehab"
    _any(
        rf"\b{_SOMEONE}\b[^.;!?]{{0,30}}?\b(died|passed away|(is|was|got) pregnant|"
        rf"had a miscarriage|(got|is getting|are getting) divorced|cheated on|"
        rf"(was|got) arrested|went to (jail|prison|rehab)|(was|is) (in hospital|"
        rf"hospitali[sz]ed|in the hospital|terminally ill|in rehab)|committed suicide|"
        rf"lost (his|her|their) (baby|battle))\b"
    ),
    _any(r"\b(his|her|their)\s+(divorce|miscarriage|affair|custody battle|funeral|diagnosis)\b"),
    # "221 Baker Street", "12 Elm Rd.", phone numbers, e-mail addresses
    _Lazy(
        r"\b\d{1,5}\s+([A-Z][a-z]+\s+){1,3}(Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Boulevard|"
        r"Blvd|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Strasse|Straße|Straat)\b",
        0,
    ),
    _Lazy(r"(?<![\d.])(\+\d{1,3}[\s-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b"),
    _Lazy(r"\b[\w.+-]+@[\w-]+\.[a-z]{2,}\b"),
)


_PRIVATE_WORDS = _listed(
    # a word each private-detail pattern needs (digits and "@" start the others)
    "cancer tumor tumour leukemia diabetes depression bipolar schizophrenia autism adhd "
    "dementia alzheimer's alzheimers parkinson's parkinsons stroke attack covid hiv illness "
    "disease addiction breakdown burnout anxiety died passed pregnant miscarriage divorce "
    "divorced cheated arrested jail prison rehab hospital hospitalized hospitalised "
    "terminally suicide lost funeral affair custody diagnosis diagnosed"
)
_DIGIT_OR_AT = re.compile(r"[\d@]")


def _is_private(text: str) -> bool:
    return any(pattern.search(text) for pattern in _PRIVATE)


# ------------------------------------------------------------- the brand's list


def avoid_pattern(entry: str) -> re.Pattern[str]:
    """A brand's ``avoid`` entry as a case-insensitive pattern: a plain word or
    phrase matches whole words; anything else is a regex.

    Raises :class:`ClipperError` for a regex that does not compile.
    """
    if re.fullmatch(r"[\w' -]+", entry):
        return re.compile(rf"\b{re.escape(entry.strip())}\b", re.IGNORECASE)
    try:
        return re.compile(entry, re.IGNORECASE)
    except re.error as exc:
        raise ClipperError(f"{entry!r} is not a valid regex: {exc}", field="avoid") from None


@functools.lru_cache(maxsize=64)
def _avoid_patterns(avoid: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(avoid_pattern(entry) for entry in avoid)


# ------------------------------------------------------------- the check


_SENTENCE_BREAK = re.compile(r"[.!?…]\s+")


def _sentences(text: str) -> list[str]:
    r"""``text`` cut after each ``.!?…`` that white space follows (the white
    space dropped): as ``re.split(r"(?<=[.!?…])\s+", text)``, though a
    look-behind at every character is much slower than finding the stops."""
    pieces, start = [], 0
    for stop in _SENTENCE_BREAK.finditer(text):
        pieces.append(text[start : stop.start() + 1])
        start = stop.end()
    pieces.append(text[start:])
    return pieces


def unsafe_reason(
    text: str, *, allow_profanity: bool = False, avoid: Sequence[str] = ()
) -> str | None:
    """Why ``text`` must not be posted (one of :data:`REASONS`), or ``None``."""
    found = {_sentence_reason(s, allow_profanity) for s in _sentences(text)}
    for reason in ("slur", "insult", "private"):
        if reason in found:
            return reason
    if avoid and any(p.search(text) for p in _avoid_patterns(tuple(avoid))):
        return "avoid"
    return "profanity" if "profanity" in found else None


@functools.lru_cache(maxsize=32768)
def _sentence_reason(sentence: str, allow_profanity: bool) -> str | None:
    """The reason for one sentence (candidates of 1-3 sentences share them,
    so each is checked once); cheap word-set tests guard the costly regexes."""
    tokens = _tokens(sentence)
    from_words = _word_reason(tokens, allow_profanity)
    if from_words == "slur":
        return "slur"
    bare = {token.lower().strip(_EDGE) for token in tokens}
    if bare & _INSULT_WORDS and _is_insult(sentence):
        return "insult"
    if (bare & _PRIVATE_WORDS or _DIGIT_OR_AT.search(sentence)) and _is_private(sentence):
        return "private"
    return from_words
