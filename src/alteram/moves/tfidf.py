"""Character n-gram TF-IDF: the lexical cues that an averaged sentence embedding blurs.

The classifier reads each sentence's TF-IDF of character 1-3-grams next to its USE
embedding. Vocabulary and idf are fitted once at training time, on the training sentences
only (:func:`fit_char_tfidf`, with scikit-learn), and shipped inside the weights;
:meth:`CharTfidf.transform` applies them with NumPy and SciPy alone, without refitting. It
gives what scikit-learn's ``TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3),
sublinear_tf=True)`` gives with the same vocabulary and idf: the n-grams of each
lower-cased word padded with one space on each side, weight ``(1 + log count) * idf``, rows
of unit length (``tests/moves/test_tfidf.py`` checks the two agree). It is written out
because scikit-learn's loop over n-grams in Python would take as long as the encoder.

A statement's row is the normalised sum of its sentences' rows, as its embedding is the
normalised mean of theirs (:mod:`alteram.moves.sentences`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

NGRAM_MAX = 3
_BITS = 21  # every code point + 1 fits in 21 bits, so three fit in one int64
_SPACE = ord(" ") + 1


def _gram_keys(text: str) -> tuple[NDArray[np.int64], NDArray[np.intp]]:
    """An integer key per n-gram of the padded words of ``text`` (joined) and the position
    of the n-gram's first character."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64) + 1
    keys = [codes]
    starts = [np.arange(len(codes))]
    # padded words follow each other, so an n-gram across two of them holds two spaces
    space = codes == _SPACE
    for n in range(2, NGRAM_MAX + 1):
        m = len(codes) - n + 1
        if m <= 0:
            break
        key = codes[:m].copy()
        crosses = np.zeros(m, dtype=bool)
        for k in range(1, n):
            key = (key << _BITS) | codes[k : k + m]
            crosses |= space[k - 1 : k - 1 + m] & space[k : k + m]
        keys.append(key[~crosses])
        starts.append(np.flatnonzero(~crosses))
    return np.concatenate(keys), np.concatenate(starts)


def _key(gram: str) -> int:
    out = 0
    for char in gram:
        out = (out << _BITS) | (ord(char) + 1)
    return out


@dataclass(frozen=True)
class CharTfidf:
    """A fitted character TF-IDF: vocabulary, idf and the weight of its block.

    Attributes
    ----------
    vocabulary : tuple of str of length n_grams
        The n-grams, in column order.
    idf : ndarray of shape (n_grams,)
    scale : float
        Factor on the unit-length rows when they sit next to the embedding.
    """

    vocabulary: tuple[str, ...]
    idf: NDArray[np.float64]
    scale: float = 1.0
    _sorted_keys: NDArray[np.int64] = field(init=False, repr=False, compare=False)
    _columns: NDArray[np.intp] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.idf) != len(self.vocabulary):
            raise ValueError(f"idf has {len(self.idf)} entries; vocabulary {len(self.vocabulary)}")
        keys = np.array([_key(g) for g in self.vocabulary], dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        object.__setattr__(self, "_sorted_keys", keys[order])
        object.__setattr__(self, "_columns", order)

    def transform(self, sentences: list[str]) -> sp.csr_matrix:
        """Unit-length TF-IDF rows, shape (n_sentences, n_grams) (unscaled)."""
        padded: list[str] = []
        lengths: list[int] = []
        for sentence in sentences:
            words = sentence.lower().split()
            padded.append(f" {'  '.join(words)} " if words else "")
            lengths.append(len(padded[-1]))
        shape = (len(sentences), len(self.vocabulary))
        keys, starts = _gram_keys("".join(padded))
        if not len(keys) or not len(self.vocabulary):
            return sp.csr_matrix(shape, dtype=np.float64)
        row_of_char = np.repeat(np.arange(len(sentences)), lengths)
        at = np.minimum(np.searchsorted(self._sorted_keys, keys), len(self._sorted_keys) - 1)
        known = self._sorted_keys[at] == keys
        counts = sp.coo_matrix(
            (np.ones(int(known.sum())), (row_of_char[starts[known]], self._columns[at[known]])),
            shape=shape,
        ).tocsr()
        counts.sum_duplicates()
        counts.data = (np.log(counts.data) + 1.0) * self.idf[counts.indices]
        return _unit_rows(counts)

    def to_payload(self) -> dict[str, Any]:
        """JSON-ready: the vocabulary, the idf (exact) and the scale."""
        return {
            "vocabulary": list(self.vocabulary),
            "idf": [float(v) for v in self.idf],
            "scale": self.scale,
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> CharTfidf:
        """Read what :meth:`to_payload` wrote."""
        idf = np.asarray(payload["idf"], dtype=np.float64)
        return cls(tuple(payload["vocabulary"]), idf, float(payload["scale"]))


def _unit_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    scaled: sp.csr_matrix = sp.csr_matrix(sp.diags(1.0 / norms) @ matrix)
    return scaled


def statement_rows(
    sentence_rows: sp.csr_matrix, owner: NDArray[np.int64], n_statements: int
) -> sp.csr_matrix:
    """Each statement's row: the normalised sum of its sentences' rows.

    Parameters
    ----------
    sentence_rows : sparse matrix of shape (n_sentences, n_grams)
    owner : ndarray of shape (n_sentences,)
        Index of the statement each sentence belongs to.
    n_statements : int
    """
    ones = np.ones(len(owner))
    gather = sp.csr_matrix((ones, (owner, np.arange(len(owner)))), shape=(n_statements, len(owner)))
    return _unit_rows(sp.csr_matrix(gather @ sentence_rows))


def fit_char_tfidf(sentences: list[str], *, max_features: int, scale: float = 1.0) -> CharTfidf:
    """Fit vocabulary and idf on ``sentences`` with scikit-learn (training time only).

    The ``max_features`` most frequent character 1-3-grams seen in at least two sentences.
    """
    vectorizer = tfidf_vectorizer(max_features=max_features).fit(sentences)
    vocabulary = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
    return CharTfidf(tuple(vocabulary), np.asarray(vectorizer.idf_, dtype=np.float64), scale)


def tfidf_vectorizer(**params: Any) -> Any:
    """scikit-learn's vectorizer with the settings :class:`CharTfidf` reproduces."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    settings = {"analyzer": "char_wb", "ngram_range": (1, NGRAM_MAX), "sublinear_tf": True}
    return TfidfVectorizer(**({"min_df": 2} | settings | params))
