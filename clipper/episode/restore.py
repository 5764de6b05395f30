"""Sentence restoration: punctuation and capitals for a lower-case stream of words.

Speech-recognition transcripts (YouTube's automatic captions, pocketsphinx) are
words without sentences. :func:`restore` gives them back their sentence ends
(``.`` and ``?``), commas and capitals, so that selection can pick whole
sentences and cards print readable text.

The punctuation model is a small 1-D convolutional network over word
embeddings (nine dilated layers, 46 words of context on each side), trained by
``tools/train_restorer.py`` on spoken English punctuated by editors and
shipped as ``restorer.npz`` beside this module; it runs with numpy (loaded
lazily, only when a transcript needs restoring). A second output reads, from
the same features, the chance that another speaker takes over after each word
(:func:`split_turns` uses it where the source marks no speakers). Pauses and
speaker changes, where the source has them, move the decision towards a
sentence end; text alone is enough. Capitals come from rules (sentence starts,
"I") and a list of words written with capitals in the training text (names,
acronyms such as SQL), plus the names the episode knows.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

MODEL_FILE = Path(__file__).with_name("restorer.npz")

NONE, COMMA, PERIOD, QUESTION = range(4)
MARKS = ("", ",", ".", "?")
SENTENCE_ENDS = (PERIOD, QUESTION)
# Pauses in the source: a pause this long (seconds) or longer counts as strong
# evidence of a sentence end; the logit added grows with the pause.
PAUSE_FROM = 0.6
PAUSE_WEIGHT = 1.5
PADDING = 0  # vocabulary index of the padding word
UNKNOWN = 1  # vocabulary index of a word the model never saw
NUMBER = 2  # vocabulary index of a number

_INNER = re.compile(r"[^\w'%/&+.\-]+")
_EDGE = re.compile(r"^[^\w]+|[^\w%]+$")
_NUMBER = re.compile(r"^\d[\d.,%/]*$")
_SOFT_MARKS = set(",;:–—-")
_QUESTION_WORDS = {"what", "how", "why", "where", "when", "who", "which", "whose"}
_QUESTION_PAIRS = {
    f"{verb} {subject}"
    for verb in ("do", "did", "does", "can", "could", "would", "will", "is", "are", "was", "have")
    for subject in ("you", "we", "they", "it", "there", "that", "this", "he", "she")
}
FILLERS = frozenset({"um", "uh", "erm", "er", "uhm", "hmm", "mm"})
# Words English says twice on purpose ("I know that that works", "had had"):
# never taken for a stutter.
_GRAMMATICAL_DOUBLES = {"that", "had"}
# Words that open a phrase and never close a clause: said twice, they are a
# stutter even where the restorer put a comma between ("I, I think"), unlike
# "very, very" or "if you do it, it works".
_NEVER_CLOSING = {"i", "the", "a", "an", "my", "our", "their", "we", "they", "he", "she"}
_LEAD_INS = {"so", "and", "okay", "ok", "now", "but", "well", "then", *FILLERS}
_ABBREVIATIONS = {"e.g.", "i.e.", "vs.", "dr.", "mr.", "mrs.", "ms.", "prof.", "cf."}
_CLOSERS = "\"'”’)]»"


def caption_word(token: str) -> str:
    """``token`` as automatic captions write it: lower case, no punctuation
    around it ("Well," -> "well", "SQL." -> "sql"); inner marks of words such
    as "a/b", "node.js" or "don't" stay. Empty when nothing is left."""
    return _EDGE.sub("", _INNER.sub("", token.lower().replace("’", "'")))


def punctuated_words(text: str) -> list[tuple[str, int, str]]:
    """Each word of edited ``text`` as ``(caption word, mark after it, word as
    written)``: the training targets. The mark is one of :data:`MARKS`' indices
    (! counts as a period; ; : and dashes as a comma); marks standing alone
    belong to the word before them."""
    out: list[tuple[str, int, str]] = []
    for token in text.split():
        word = caption_word(token)
        mark = _mark_of(token)
        if not word:
            if out and mark > out[-1][1]:
                out[-1] = (out[-1][0], mark, out[-1][2])
            continue
        out.append((word, mark, _EDGE.sub("", token.replace("’", "'"))))
    return out


def _mark_of(token: str) -> int:
    tail = token.rstrip(_CLOSERS)
    if tail.endswith("?"):
        return QUESTION
    if tail.lower() in _ABBREVIATIONS:
        return NONE
    if tail.endswith((".", "!", "…")):
        return PERIOD
    return COMMA if tail[-1:] in _SOFT_MARKS else NONE


@dataclass(frozen=True)
class Restored:
    """A restored stream: ``words[i]`` is input word ``i`` with its capitals and
    the mark after it; ``marks[i]`` that mark's index in :data:`MARKS`;
    ``end_confidence[i]`` the model's probability that a sentence ends after
    word ``i`` (1.0 where the source says so: a speaker change, the last word);
    ``shown[i]`` whether an edited transcript prints word ``i`` (not a filler
    or a stutter's repeat, see :func:`edited_out`); ``turn_chance[i]`` the
    model's probability that another speaker takes over after word ``i``."""

    words: tuple[str, ...]
    marks: tuple[int, ...]
    end_confidence: tuple[float, ...]
    shown: tuple[bool, ...]
    turn_chance: tuple[float, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def sentences(self) -> list[range]:
        """The word ranges of the sentences, in order."""
        out, start = [], 0
        for i, mark in enumerate(self.marks):
            if mark in SENTENCE_ENDS:
                out.append(range(start, i + 1))
                start = i + 1
        if start < len(self.marks):
            out.append(range(start, len(self.marks)))
        return out


TURN_PAUSE = 2.0  # seconds of silence after which a new turn starts
# The restorer's speaker-change chance from which a sentence end starts a new
# turn, where the source marks no speaker changes itself.
TURN_CHANCE = 0.5


def split_turns(
    restored: Restored,
    *,
    pauses: Sequence[float | None] | None = None,
    turn_ends: Iterable[int] = (),
) -> list[range]:
    """The word ranges of the speaker turns of a stream without speakers: a turn
    ends at a speaker change, as the source marks them (``turn_ends``: ``>>``)
    or, where it marks none, as the restorer reads them (a sentence end where
    its speaker-change output says more likely than not, :data:`TURN_CHANCE`);
    after a question the next sentence answers; and at a silence of
    :data:`TURN_PAUSE` seconds or more."""
    changes = set(turn_ends) or likely_turn_ends(restored)
    cuts = changes | _questions_answered(restored) | _long_pauses(pauses, len(restored.words))
    out, start = [], 0
    for cut in sorted(c for c in cuts if 0 <= c < len(restored.words) - 1):
        out.append(range(start, cut + 1))
        start = cut + 1
    if start < len(restored.words):
        out.append(range(start, len(restored.words)))
    return out


def _questions_answered(restored: Restored) -> set[int]:
    """The last words of questions the next sentence answers."""
    return {
        sentence[-1]
        for sentence, following in itertools.pairwise(restored.sentences())
        if restored.marks[sentence[-1]] == QUESTION and restored.marks[following[-1]] != QUESTION
    }


def likely_turn_ends(restored: Restored) -> set[int]:
    """The sentence ends after which the restorer reads another speaker as
    more likely than not (none when its model has no speaker-change head)."""
    return {
        i
        for i, chance in enumerate(restored.turn_chance)
        if chance >= TURN_CHANCE and restored.marks[i] in SENTENCE_ENDS
    }


def _long_pauses(pauses: Sequence[float | None] | None, size: int) -> set[int]:
    return {
        i
        for i, pause in enumerate((pauses or [])[:size])
        if pause is not None and pause >= TURN_PAUSE
    }


@dataclass(frozen=True)
class _Model:
    vocabulary: dict[str, int]
    embedding: object  # numpy arrays, typed loosely to keep numpy out of start-up
    projection: tuple[object, object]  # embedding -> hidden width
    layers: tuple[tuple[object, object, int], ...]  # (weight[k, in, out], bias, dilation)
    recurrent: tuple[tuple, tuple] | None  # BiGRU: (weight_ih, weight_hh, bias_ih, bias_hh) x 2
    output: tuple[object, object]  # the marks' logits, then the speaker change's (if learned)
    bias: object  # added to the logits to choose a mark (thresholds tuned on the tuning split)
    capitals: dict[str, str]


def restore(
    words: Sequence[str],
    *,
    pauses: Sequence[float | None] | None = None,
    turn_ends: Iterable[int] = (),
    names: Iterable[str] = (),
) -> Restored:
    """Punctuate and capitalise ``words`` (caption words, any case).

    :param pauses: the silence after each word in seconds where the source has
        word times (``None`` or missing: unknown); long pauses favour a sentence end.
    :param turn_ends: indices of words after which the speaker changes (a
        ``>>`` mark): a sentence always ends there, as at a silence of
        :data:`TURN_PAUSE` seconds.
    :param names: names and title words the episode knows ("Alexey Grigorev",
        "MLOps"): written as given wherever they occur.
    """
    cleaned = [caption_word(w) or w.lower() for w in words]
    if not cleaned:
        return Restored((), (), (), ())
    model = _load_model()
    outputs = _logits_around_fillers(model, cleaned)
    logits = outputs[:, : len(MARKS)]
    _add_pauses(logits, pauses)
    forced = set(turn_ends) | _long_pauses(pauses, len(cleaned))
    marks, confidence = _decide(cleaned, logits, model.bias, forced)
    shown = [not out for out in edited_out(cleaned, marks)]
    capitals = {**model.capitals, **_name_forms(names)}
    written = _capitalise(cleaned, marks, capitals, shown)
    turn_chance = [1.0 / (1.0 + math.exp(-v)) for v in outputs[:, len(MARKS) :].ravel()]
    return Restored(
        tuple(written), tuple(marks), tuple(confidence), tuple(shown), tuple(turn_chance)
    )


def edited_out(words: Sequence[str], marks: Sequence[int]) -> list[bool]:
    """Per caption word, whether an edited transcript leaves it out: a filler
    ("um", "uh") or a stutter's first go at the word that follows it with no
    mark between them ("the the", "i i think", "the um the"; not "very,
    very" nor "do it. It works"), or only a comma when the word never closes
    a clause ("I, I think"); the last go stays."""
    out = [False] * len(words)
    following = None
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        between = marks[i]
        repeated = word == following and (
            between == NONE or (between == COMMA and word in _NEVER_CLOSING)
        )
        out[i] = word in FILLERS or (repeated and word not in _GRAMMATICAL_DOUBLES)
        if word not in FILLERS:
            following = word
    return out


def edited_words(
    words: Sequence[str], shown: Sequence[bool], confidence: Sequence[float]
) -> tuple[list[str], list[float]]:
    """Restored ``words`` as an edited transcript prints them, with their end
    ``confidence``: the words not ``shown`` left out, a sentence end after one
    of them (a speaker change after "um") moved onto the word before it."""
    out: list[str] = []
    sure: list[float] = []
    for word, keep, certainty in zip(words, shown, confidence, strict=True):
        if keep:
            out.append(word)
            sure.append(certainty)
        elif out and word[-1] in ".?" and out[-1][-1] not in ".?":
            out[-1] = out[-1].rstrip(",") + word[-1]
            sure[-1] = max(sure[-1], certainty)
    return out, sure


def _logits_around_fillers(model: _Model, words: list[str]):
    """The logits of each word, the model reading the words without "um" and
    "uh" (edited text, which it learned from, has none); a filler itself
    gets no mark and no speaker change."""
    import numpy as np

    spoken = [i for i, word in enumerate(words) if word not in FILLERS]
    logits = np.full((len(words), model.output[1].shape[0]), -20.0, dtype=np.float32)
    logits[:, NONE] = 0.0
    if spoken:
        logits[spoken] = _logits(model, [words[i] for i in spoken])
    return logits


def _logits(model: _Model, words: list[str]):
    import numpy as np

    ids = np.array([_word_id(model.vocabulary, w) for w in words], dtype=np.int64)
    weight, bias = model.projection
    x = model.embedding[ids] @ weight + bias
    for weight, bias, dilation in model.layers:
        x = x + np.maximum(_convolve(x, weight, dilation) + bias, 0.0)
    if model.recurrent:
        forward, backward = model.recurrent
        x = np.concatenate([_gru(x, *forward), _gru(x[::-1], *backward)[::-1]], axis=1)
    weight, bias = model.output
    return x @ weight + bias


def _convolve(x, weight, dilation: int):
    """A 'same' 1-D convolution over the word axis: ``weight`` is [taps, in, out]."""
    import numpy as np

    taps = weight.shape[0]
    reach = dilation * (taps // 2)
    padded = np.pad(x, ((reach, reach), (0, 0)))
    n = x.shape[0]
    out = np.zeros((n, weight.shape[2]), dtype=np.float32)
    for tap in range(taps):
        offset = tap * dilation
        out += padded[offset : offset + n] @ weight[tap]
    return out


def _gru(x, weight_ih, weight_hh, bias_ih, bias_hh):
    """One direction of a GRU over the rows of ``x`` (torch's equations)."""
    import numpy as np

    width = weight_hh.shape[1]
    inputs = x @ weight_ih.T + bias_ih
    recurrent = weight_hh.T
    state = np.zeros(width, dtype=np.float32)
    out = np.empty((x.shape[0], width), dtype=np.float32)
    for t in range(x.shape[0]):
        hidden = state @ recurrent + bias_hh
        gates = 1.0 / (1.0 + np.exp(-(inputs[t, : 2 * width] + hidden[: 2 * width])))
        reset, update = gates[:width], gates[width:]
        candidate = np.tanh(inputs[t, 2 * width :] + reset * hidden[2 * width :])
        state = candidate + update * (state - candidate)
        out[t] = state
    return out


def _word_id(vocabulary: dict[str, int], word: str) -> int:
    found = vocabulary.get(word)
    if found is not None:
        return found
    return NUMBER if _NUMBER.match(word) else UNKNOWN


def _add_pauses(logits, pauses: Sequence[float | None] | None) -> None:
    """A long silence after a word raises the odds of a sentence end there."""
    if not pauses:
        return
    for i, pause in enumerate(pauses[: len(logits)]):
        if pause is not None and pause >= PAUSE_FROM:
            boost = PAUSE_WEIGHT * math.log2(1.0 + pause / PAUSE_FROM)
            logits[i, PERIOD] += boost
            logits[i, QUESTION] += boost


def _decide(words: list[str], logits, bias, turn_ends: set[int]) -> tuple[list[int], list[float]]:
    """The mark after each word (argmax of the logits plus the decision
    ``bias``) and the probability of a sentence end there (the logits' own:
    the model is calibrated, and the thresholds that make the best marks
    would make the selection's confidences lie). Speaker changes and the
    last word always end one: a question when the model says so or the
    sentence opens like one (a speaker who stops after "what got you..." has
    asked)."""
    import numpy as np

    shifted = logits - logits.max(axis=1, keepdims=True)
    probability = np.exp(shifted)
    probability /= probability.sum(axis=1, keepdims=True)
    decided = logits + bias
    marks = [int(m) for m in decided.argmax(axis=1)]
    confidence = [float(p) for p in probability[:, PERIOD] + probability[:, QUESTION]]
    last = len(marks) - 1
    for i in sorted(turn_ends | {last}):
        if 0 <= i <= last:
            asked = probability[i, QUESTION] > probability[i, PERIOD]
            marks[i] = QUESTION if asked or _opens_question(words, marks, i) else PERIOD
            confidence[i] = 1.0
    return marks, confidence


def _opens_question(words: list[str], marks: list[int], end: int) -> bool:
    """Whether the sentence ending at word ``end`` opens as a question does
    ("what got you...", "so how do you...", "do you think...")."""
    start = end
    while start > 0 and marks[start - 1] not in SENTENCE_ENDS:
        start -= 1
    opening = words[start : start + 3]
    while opening and opening[0] in _LEAD_INS:
        opening = opening[1:]
    return bool(opening) and (
        opening[0] in _QUESTION_WORDS or " ".join(opening[:2]) in _QUESTION_PAIRS
    )


def _capitalise(
    words: list[str], marks: list[int], capitals: dict[str, str], shown: list[bool]
) -> list[str]:
    """The words written with capitals and marks; a sentence's capital goes on
    its first shown word (not on an "um" an edited transcript leaves out)."""
    out = []
    starts_sentence = True
    for word, mark, keep in zip(words, marks, shown, strict=True):
        written = capitals.get(word, word)
        if word == "i" or word.startswith("i'"):
            written = "I" + word[1:]
        if starts_sentence and keep:
            written = written[:1].upper() + written[1:]
        out.append(written + MARKS[mark])
        starts_sentence = mark in SENTENCE_ENDS or (starts_sentence and not keep)
    return out


def _name_forms(names: Iterable[str]) -> dict[str, str]:
    """Caption word -> written form for every word of the names that has a capital."""
    forms = {}
    for name in names:
        for token in name.split():
            written = _EDGE.sub("", token)
            word = caption_word(written)
            if word and written != word and any(c.isupper() for c in written):
                forms[word] = written
    return forms


def _output_layer(data) -> tuple[object, object]:
    """The marks' output weights and biases, with the speaker-change head's
    as one more column when the model has learned one."""
    import numpy as np

    weight, bias = data["output_weight"], data["output_bias"]
    if "turn_weight" in data:
        weight = np.concatenate([weight, data["turn_weight"][:, None]], axis=1)
        bias = np.concatenate([bias, data["turn_bias"]])
    return weight.astype(np.float32), bias.astype(np.float32)


@functools.cache
def _load_model(path: Path = MODEL_FILE) -> _Model:
    import numpy as np

    data = np.load(path, allow_pickle=False)
    vocabulary = {word: i for i, word in enumerate(str(data["vocabulary"]).split("\n"))}
    layers = []
    i = 0
    while f"conv{i}_weight" in data:
        layers.append(
            (
                data[f"conv{i}_weight"].astype(np.float32),
                data[f"conv{i}_bias"].astype(np.float32),
                int(data[f"conv{i}_dilation"]),
            )
        )
        i += 1
    recurrent = None
    if "gru_forward_weight_ih" in data:
        parts = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        recurrent = tuple(
            tuple(data[f"gru_{direction}_{part}"].astype(np.float32) for part in parts)
            for direction in ("forward", "backward")
        )
    capitals = dict(
        zip(
            str(data["capital_words"]).split("\n"),
            str(data["capital_forms"]).split("\n"),
            strict=True,
        )
    )
    return _Model(
        vocabulary=vocabulary,
        embedding=data["embedding"].astype(np.float32),
        projection=(data["input_weight"].astype(np.float32), data["input_bias"].astype(np.float32)),
        layers=tuple(layers),
        recurrent=recurrent,
        output=_output_layer(data),
        bias=data["decision_bias"].astype(np.float32),
        capitals=capitals,
    )
