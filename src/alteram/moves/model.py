"""The move classifier: multinomial logistic regression on embedding + rule features.

The features of a text are its USE embedding (512 numbers, see :mod:`alteram.moves.embed`
and :mod:`alteram.moves.sentences`) followed by the 0/1 indicators of
:mod:`alteram.moves.rules`.
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
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

from alteram.moves.labels import MOVES
from alteram.moves.rules import RULE_NAMES, rule_features
from alteram.moves.sentences import embed_statements

WEIGHTS_FILE = "moves_model.json"


def features(texts: list[str]) -> NDArray[np.float64]:
    """The classifier's input: statement embeddings and rule indicators side by side.

    The embedding of a statement of several sentences is the normalised mean of its
    sentences' (:func:`alteram.moves.sentences.embed_statements`), as in ``classify``.

    Parameters
    ----------
    texts : list of str of length n_texts

    Returns
    -------
    X : ndarray of shape (n_texts, 512 + len(RULE_NAMES))
    """
    return np.hstack([embed_statements(texts).statements, rule_features(texts)])


@dataclass(frozen=True)
class MoveModel:
    """Trained weights of the linear classifier.

    Attributes
    ----------
    classes : tuple of str
        The moves, in the order of the rows of ``coef``.
    coef : ndarray of shape (n_classes, n_features)
    intercept : ndarray of shape (n_classes,)
    rule_names : tuple of str
        The rules the last ``len(rule_names)`` features stand for, at training time.
    meta : dict
        Provenance: training data counts, hyperparameters, data hashes.
    """

    classes: tuple[str, ...]
    coef: NDArray[np.float64]
    intercept: NDArray[np.float64]
    rule_names: tuple[str, ...]
    meta: dict[str, Any]

    def decision_function(self, X: NDArray[np.float64]) -> NDArray[np.float64]:
        """Log-odds per class, shape (n_samples, n_classes)."""
        return X @ self.coef.T + self.intercept

    def predict_proba_features(self, X: NDArray[np.float64]) -> NDArray[np.float64]:
        """Softmax probabilities per class, shape (n_samples, n_classes)."""
        z = self.decision_function(X)
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        return p

    def predict_proba(self, texts: list[str]) -> NDArray[np.float64]:
        """Probabilities of the nine moves for each text, shape (n_texts, n_classes)."""
        if not texts:
            return np.zeros((0, len(self.classes)), dtype=np.float64)
        return self.predict_proba_features(features(texts))

    def to_json(self) -> str:
        """Deterministic serialisation (floats rounded to 7 significant digits)."""
        payload = {
            "format": 1,
            "classes": list(self.classes),
            "rule_names": list(self.rule_names),
            "intercept": [float(f"{v:.7g}") for v in self.intercept],
            "coef": [[float(f"{v:.7g}") for v in row] for row in self.coef],
            "meta": self.meta,
        }
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
        if coef.shape != (len(classes), 512 + len(rule_names)):
            raise ValueError(f"coef has shape {coef.shape}; expected ({len(classes)}, 525)")
        return cls(classes, coef, intercept, rule_names, dict(payload.get("meta", {})))


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
