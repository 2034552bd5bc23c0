"""The move classifier: multinomial logistic regression on embedding, rules and TF-IDF.

The features of a text are its USE embedding (512 numbers, see :mod:`alteram.moves.embed`
and :mod:`alteram.moves.sentences`), the 0/1 indicators of :mod:`alteram.moves.rules`
and, when the weights carry one, its character TF-IDF row (:mod:`alteram.moves.tfidf`,
sparse, times the block's scale).
The shipped weights (``data/moves_model.json``) are produced by
``training/moves/train.py`` and read once per process. Inference is NumPy only.

How rules and embeddings combine: the rule indicators are ordinary input features, so the
log-odds of move ``m`` is ``w_m . embedding + v_m . rules + b_m`` and the weights ``v_m``
are learned from the training examples together with ``w_m``. A rule thus shifts the
log-odds by an amount the data supports, and the embedding can still outvote it (a
"must" in "we must understand each other" is not a demand).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from alteram.moves.embed import EMBEDDING_DIM
from alteram.moves.labels import MOVES
from alteram.moves.rules import RULE_NAMES, rule_features
from alteram.moves.sentences import embed_statements
from alteram.moves.tfidf import CharTfidf, statement_rows

WEIGHTS_FILE = "moves_model.json"


def features(
    texts: list[str], tfidf: CharTfidf | None = None
) -> tuple[NDArray[np.float64], sp.csr_matrix | None]:
    """The classifier's input: statement embeddings and rule indicators side by side, and
    the statements' TF-IDF rows when ``tfidf`` is given.

    The embedding of a statement of several sentences is the normalised mean of its
    sentences' (:func:`alteram.moves.sentences.embed_statements`), its TF-IDF row the
    normalised sum of theirs (:func:`alteram.moves.tfidf.statement_rows`), as in
    ``classify``.

    Parameters
    ----------
    texts : list of str of length n_texts
    tfidf : CharTfidf, optional

    Returns
    -------
    X : ndarray of shape (n_texts, 512 + len(RULE_NAMES))
    T : sparse matrix of shape (n_texts, len(tfidf.vocabulary)), unscaled, or None
    """
    embedded = embed_statements(texts)
    X = np.hstack([embedded.statements, rule_features(texts)])
    if tfidf is None:
        return X, None
    return X, statement_rows(tfidf.transform(embedded.sentences), embedded.owner, len(texts))


@dataclass(frozen=True)
class MoveModel:
    """Trained weights of the linear classifier.

    Attributes
    ----------
    classes : tuple of str
        The moves, in the order of the rows of ``coef``.
    coef : ndarray of shape (n_classes, n_features)
        Embedding, rule and (if any) TF-IDF columns, in that order.
    intercept : ndarray of shape (n_classes,)
    rule_names : tuple of str
        The rules columns ``512 ... 512 + len(rule_names)`` stand for, at training time.
    meta : dict
        Provenance: training data counts, hyperparameters, data hashes.
    tfidf : CharTfidf or None
        The character TF-IDF whose rows the last ``len(tfidf.vocabulary)`` columns read.
    """

    classes: tuple[str, ...]
    coef: NDArray[np.float64]
    intercept: NDArray[np.float64]
    rule_names: tuple[str, ...]
    meta: dict[str, Any]
    tfidf: CharTfidf | None = None
    _dense_coef_t: NDArray[np.float64] = field(init=False, repr=False, compare=False)
    _tfidf_coef_t: NDArray[np.float64] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n_dense = EMBEDDING_DIM + len(self.rule_names)
        n_tfidf = 0 if self.tfidf is None else len(self.tfidf.vocabulary)
        if self.coef.shape != (len(self.classes), n_dense + n_tfidf):
            raise ValueError(
                f"coef has shape {self.coef.shape}; expected "
                f"({len(self.classes)}, {n_dense + n_tfidf}): {n_dense} dense and "
                f"{n_tfidf} TF-IDF columns"
            )
        scale = 1.0 if self.tfidf is None else self.tfidf.scale
        dense, lexical = self.coef[:, :n_dense], self.coef[:, n_dense:]
        object.__setattr__(self, "_dense_coef_t", np.ascontiguousarray(dense.T))
        object.__setattr__(self, "_tfidf_coef_t", np.ascontiguousarray(lexical.T) * scale)

    def decision_function(
        self, X: NDArray[np.float64], T: sp.csr_matrix | None = None
    ) -> NDArray[np.float64]:
        """Log-odds per class, shape (n_samples, n_classes).

        ``X`` holds the dense columns, ``T`` the unscaled TF-IDF rows (a sparse product).
        """
        z: NDArray[np.float64] = X @ self._dense_coef_t + self.intercept
        if self.tfidf is not None:
            if T is None:
                raise ValueError("this model reads TF-IDF rows: pass T")
            z += np.asarray(T @ self._tfidf_coef_t)
        return z

    def predict_proba_features(
        self, X: NDArray[np.float64], T: sp.csr_matrix | None = None
    ) -> NDArray[np.float64]:
        """Softmax probabilities per class, shape (n_samples, n_classes)."""
        z = self.decision_function(X, T)
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        return p

    def predict_proba(self, texts: list[str]) -> NDArray[np.float64]:
        """Probabilities of the nine moves for each text, shape (n_texts, n_classes)."""
        if not texts:
            return np.zeros((0, len(self.classes)), dtype=np.float64)
        return self.predict_proba_features(*features(texts, self.tfidf))

    def to_json(self) -> str:
        """Deterministic serialisation (weights rounded to 7 significant digits; the
        TF-IDF's idf exact)."""
        payload = {
            "format": 1 if self.tfidf is None else 2,
            "classes": list(self.classes),
            "rule_names": list(self.rule_names),
            "intercept": [float(f"{v:.7g}") for v in self.intercept],
            "coef": [[float(f"{v:.7g}") for v in row] for row in self.coef],
            "meta": self.meta,
        }
        if self.tfidf is not None:
            payload["tfidf"] = self.tfidf.to_payload()
        return json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=0) + "\n"

    @classmethod
    def from_json(cls, text: str) -> MoveModel:
        """Read weights written by :meth:`to_json`, checking they fit this code."""
        payload = json.loads(text)
        classes = tuple(payload["classes"])
        rule_names = tuple(payload["rule_names"])
        if set(classes) != set(MOVES):
            raise ValueError(f"weights have classes {classes}; expected {MOVES}")
        if rule_names != RULE_NAMES:
            raise ValueError(
                f"weights were trained with rules {rule_names}; this code has {RULE_NAMES}"
            )
        coef = np.asarray(payload["coef"], dtype=np.float64)
        intercept = np.asarray(payload["intercept"], dtype=np.float64)
        tfidf = CharTfidf.from_payload(payload["tfidf"]) if "tfidf" in payload else None
        return cls(classes, coef, intercept, rule_names, dict(payload.get("meta", {})), tfidf)


_lock = threading.Lock()
_model: MoveModel | None = None


def shipped_weights_text() -> str:
    """The text of the shipped weights file."""
    return (resources.files("alteram.moves") / "data" / WEIGHTS_FILE).read_text("utf-8")


def load_model() -> MoveModel:
    """The shipped model, read once per process (thread-safe)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = MoveModel.from_json(shipped_weights_text())
    return _model
