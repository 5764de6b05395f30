"""Fit the ranker's weights on editors' labels (development only: needs scikit-learn).

Each candidate the selector could rank (it stands alone and has the default
8-60 words) becomes one row: its feature values, and as target whether it
hits an editor's label under the project's hit rule
(:func:`clipper.select.labels.hit_labels`), strength-3 labels weighing more.
A class-balanced, L2-regularised logistic regression over standardised
features gives weights that stay small and comparable, so each feature's
contribution to a score reads directly.

The join model (:mod:`clipper.select.joins`) learns from the same labels
where editors start and end a quote: every pair of neighbouring sentences of
a turn where at least one lies in a label is one row, a join when both lie in
the same label and a cut otherwise. Only ``tools/train_ranker.py`` and
``benchmarks/eval_select.py`` import this module.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from clipper.episode.load import load_episode
from clipper.select.candidates import Turn
from clipper.select.features import FEATURE_GROUPS, FEATURES
from clipper.select.joins import JOIN_FEATURES, JoinModel, boundary_values
from clipper.select.labels import LabeledEpisode, hit_labels, vocabulary
from clipper.select.ranker import Ranker
from clipper.select.selector import SelectOptions, episode_facts, featurize

C = 0.05  # inverse regularisation strength, chosen by leave-one-episode-out P@5
STRONG_WEIGHT = 1.5  # a hit on a strength-3 label counts this much more than on a 2
WORD_EPISODES = 0.2  # a word gets a weight only if used in this share of episodes
WORD_SCALE = 0.5  # a word's column next to standardised features (regularises words more)
WORDING = "wording"  # the feature group of the word weights
JOINS = "joins"  # the join model, as a group the ablation can leave out
JOIN_C = 1.0  # the join model's inverse regularisation (31 features, ~4000 pairs)
IN_LABEL = 0.7  # a sentence lies in a label when this share of its words does


@dataclass
class EpisodeRows:
    slug: str
    values: list[list[float]]
    vocabularies: list[frozenset[str]]
    targets: list[int]
    weights: list[float]
    pairs: list[list[float]] = field(default_factory=list)  # join features
    joined: list[int] = field(default_factory=list)  # 1: the pair is in one label


def labeled_rows(labeled: LabeledEpisode) -> EpisodeRows:
    """The training rows of one labeled episode."""
    episode = load_episode(labeled.path)
    defaults = SelectOptions()
    facts = episode_facts(episode)
    rows = EpisodeRows(labeled.slug, [], [], [], [])
    rankable = (defaults.min_words, defaults.max_words)
    for span, values, _ in featurize(episode, rankable=rankable, facts=facts):
        if values is None:
            continue
        hits = hit_labels(labeled, span.line_indices, span.text)
        rows.values.append(values)
        rows.vocabularies.append(span.vocabulary)
        rows.targets.append(int(bool(hits)))
        rows.weights.append(STRONG_WEIGHT if any(h.strength == 3 for h in hits) else 1.0)
    for turn in facts.speaker_turns:
        inside = sentence_labels(labeled, turn)
        for number, (first, second) in enumerate(itertools.pairwise(inside)):
            if first or second:
                rows.pairs.append(boundary_values(turn, number, facts))
                rows.joined.append(int(bool(first & second)))
    return rows


def sentence_labels(labeled: LabeledEpisode, turn: Turn) -> list[set[int]]:
    """For each sentence of ``turn``, the labels it lies in (by position in
    ``labeled.labels``): a label of one of its lines holding at least
    :data:`IN_LABEL` of its distinct words."""
    out = []
    for number, words in enumerate(turn.sentences):
        mine = vocabulary(turn.sentence_texts[number])
        lines = dict.fromkeys(turn.word_lines[w].index for w in words)
        out.append({
            position
            for position, label in enumerate(labeled.labels)
            if label.index in lines and mine
            and len(mine & label.vocabulary) >= IN_LABEL * len(mine)
        })  # fmt: skip
    return out


def fit_joins(episodes: Sequence[EpisodeRows], c: float = JOIN_C) -> JoinModel:
    """The join model fitted on the sentence pairs of ``episodes``."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = np.array([v for e in episodes for v in e.pairs])
    y = np.array([t for e in episodes for t in e.joined])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    model = LogisticRegression(C=c, max_iter=2000).fit((x - mean) / scale, y)
    return JoinModel(
        features=JOIN_FEATURES,
        mean=tuple(round(float(m), 6) for m in mean),
        scale=tuple(round(float(s), 6) for s in scale),
        weights=tuple(round(float(w), 6) for w in model.coef_[0]),
        bias=round(float(model.intercept_[0]), 6),
    )


def fit_ranker(
    episodes: Iterable[EpisodeRows], *, without: Sequence[str] = (), c: float = C, note: str = ""
) -> Ranker:
    """A ranker fitted on ``episodes``, leaving out the feature groups ``without``
    (:data:`JOINS` leaves out the join model)."""
    import numpy as np
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    unknown = set(without) - {*FEATURE_GROUPS, WORDING, JOINS}
    if unknown:
        raise ValueError(f"unknown feature group {sorted(unknown)[0]!r}")
    groups = [FEATURE_GROUPS[group] for group in without if group in FEATURE_GROUPS]
    dropped = {name for names in groups for name in names}
    keep = [i for i, name in enumerate(FEATURES) if name not in dropped]
    episodes = list(episodes)
    vocabulary = [] if WORDING in without else shared_words(episodes)
    x = np.array([v for e in episodes for v in e.values])[:, keep]
    y = np.array([t for e in episodes for t in e.targets])
    weights = np.array([w for e in episodes for w in e.weights])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    columns = {word: j for j, word in enumerate(vocabulary)}
    cells = [
        (row, columns[word])
        for row, words in enumerate(v for e in episodes for v in e.vocabularies)
        for word in words
        if word in columns
    ]
    rows, cols = zip(*cells, strict=True) if cells else ((), ())
    bag = sparse.csr_matrix(
        (np.full(len(rows), WORD_SCALE), (rows, cols)), shape=(len(y), len(vocabulary))
    )
    matrix = sparse.hstack([sparse.csr_matrix((x - mean) / scale), bag]).tocsr()
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    model.fit(matrix, y, sample_weight=weights)
    coef = model.coef_[0]
    return Ranker(
        features=tuple(FEATURES[i] for i in keep),
        mean=tuple(round(float(m), 6) for m in mean),
        scale=tuple(round(float(s), 6) for s in scale),
        weights=tuple(round(float(w), 6) for w in coef[: len(keep)]),
        bias=round(float(model.intercept_[0]), 6),
        words={
            word: round(float(w) * WORD_SCALE, 4)
            for word, w in zip(vocabulary, coef[len(keep) :], strict=True)
            if abs(w * WORD_SCALE) >= 5e-4
        },
        note=note,
        joins=None if JOINS in without else fit_joins(episodes),
    )


def shared_words(episodes: list[EpisodeRows]) -> list[str]:
    """Words used in at least :data:`WORD_EPISODES` of the episodes, sorted."""
    counts: dict[str, int] = {}
    for episode in episodes:
        for word in frozenset().union(*episode.vocabularies):
            counts[word] = counts.get(word, 0) + 1
    least = max(2, WORD_EPISODES * len(episodes))
    return sorted(word for word, count in counts.items() if count >= least)
