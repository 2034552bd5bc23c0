"""``classify``: read each text's move, kind and confidence.

A statement of several sentences is read whole *and* sentence by sentence (each sentence
is embedded and its TF-IDF row computed once, see :mod:`alteram.moves.sentences` and
:mod:`alteram.moves.tfidf`). The whole text's most probable
move wins, unless one of its sentences is a pressure move with probability at least
:data:`SENTENCE_PRESSURE_THRESHOLD`: then the statement makes that pressure move (one
accusation makes a paragraph an accusation, however polite the rest is), with that
sentence's probability as confidence. Everything runs as one batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from alteram.moves.labels import PRESSURE_MOVES, Kind, kind_of
from alteram.moves.language import detect_language
from alteram.moves.model import MoveModel, load_model
from alteram.moves.rules import rule_features
from alteram.moves.sentences import embed_statements
from alteram.moves.tfidf import statement_rows
from alteram.moves.thresholds import HINT_CONFIDENCE, UNSURE_BELOW

SENTENCE_PRESSURE_THRESHOLD = 0.8
"""Probability at which one pressure sentence decides a multi-sentence statement.

Chosen by 5-fold cross-validation on the project's own examples (0.5, 0.6, 0.8, never);
see ``training/moves/README.md``.
"""


@dataclass(frozen=True)
class MoveResult:
    """The move a text makes.

    Attributes
    ----------
    move : str
        One of :data:`alteram.moves.MOVES`.
    kind : {"dialogue", "pressure", "other"}
    confidence : float
        The classifier's probability of ``move``, in [0, 1].
    language : str
        ``"zh"`` or ``"en"`` (see :func:`alteram.moves.detect_language`).
    pressure_probability : float
        The classifier's probability that the text makes a pressure move (any of the
        four), from the same reading that gave ``move``.
    """

    move: str
    kind: Kind
    confidence: float
    language: str
    pressure_probability: float = 0.0

    @property
    def unsure(self) -> bool:
        """Whether the confidence is below :data:`UNSURE_BELOW`."""
        return self.confidence < UNSURE_BELOW

    @property
    def confident_pressure(self) -> bool:
        """A pressure move read confidently enough to show the hint before posting
        (:data:`~alteram.moves.thresholds.HINT_CONFIDENCE`)."""
        return self.kind == "pressure" and self.pressure_probability >= HINT_CONFIDENCE


def classify(texts: Iterable[str], *, model: MoveModel | None = None) -> list[MoveResult]:
    """Classify each text into one of the nine moves.

    Parameters
    ----------
    texts : iterable of str
        Statements in English or Chinese (other languages the encoder knows work too).
    model : MoveModel, optional
        Weights to use instead of the shipped ones (for evaluation).

    Returns
    -------
    results : list of MoveResult, one per text, in order.

    Examples
    --------
    >>> [r.kind for r in classify(["We demand their immediate release.", "我们想了解贵方的看法。"])]
    ['pressure', 'dialogue']
    """
    items = [str(text) for text in texts]
    if not items:
        return []
    model = model or load_model()
    embedded = embed_statements(items)
    statement_rules = rule_features(items)
    sentence_tfidf = statement_tfidf = None
    if model.tfidf is not None:
        sentence_tfidf = model.tfidf.transform(embedded.sentences)
        statement_tfidf = statement_rows(sentence_tfidf, embedded.owner, len(items))
    proba = model.predict_proba_features(
        np.hstack([embedded.statements, statement_rules]), statement_tfidf
    )
    counts = np.bincount(embedded.owner, minlength=len(items))
    multi = counts[embedded.owner] > 1
    classes = model.classes
    best = proba.argmax(axis=1)
    confidence = proba[np.arange(len(items)), best]
    moves = [classes[j] for j in best]
    pressure_idx = [classes.index(m) for m in PRESSURE_MOVES]
    pressure_p = proba[:, pressure_idx].sum(axis=1)
    if multi.any():
        sentence_proba = model.predict_proba_features(
            np.hstack(
                [
                    embedded.sentence_vectors[multi],
                    rule_features(
                        [p for p, m in zip(embedded.sentences, multi, strict=True) if m],
                        within=statement_rules[embedded.owner[multi]],
                    ),
                ]
            ),
            None if sentence_tfidf is None else sentence_tfidf[multi],
        )
        for row, owner in zip(sentence_proba, embedded.owner[multi], strict=True):
            j = pressure_idx[int(np.argmax(row[pressure_idx]))]
            if row[j] >= SENTENCE_PRESSURE_THRESHOLD and (
                kind_of(moves[owner]) != "pressure" or row[j] > confidence[owner]
            ):
                moves[owner] = classes[j]
                confidence[owner] = row[j]
                pressure_p[owner] = max(pressure_p[owner], row[pressure_idx].sum())
    return [
        MoveResult(
            move=move,
            kind=kind_of(move),
            confidence=round(float(conf), 4),
            language=detect_language(text),
            pressure_probability=round(float(min(pp, 1.0)), 4),
        )
        for move, conf, pp, text in zip(moves, confidence, pressure_p, items, strict=True)
    ]
