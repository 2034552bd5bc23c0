"""Statements as sentences: split them, and embed each sentence once.

A statement's embedding is the normalised mean of its sentences' embeddings (USE itself
averages over tokens), so a statement read whole and sentence by sentence costs one pass
of the encoder. Training (:func:`alteram.moves.model.features`) and :func:`classify` use
the same function, so the model sees at inference what it saw in training.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from alteram.moves.embed import embed

MAX_SENTENCES = 20
"""Sentences of one statement that are embedded; later ones reach the model only through
the rules, which read the whole text."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that have at least three non-space characters.

    Examples
    --------
    >>> split_sentences("We hear you. Release them now!")
    ['We hear you.', 'Release them now!']
    >>> split_sentences("我们理解。必须立即释放。")
    ['我们理解。', '必须立即释放。']
    """
    parts = (part.strip() for part in _SENTENCE_END.split(text))
    return [part for part in parts if len(part.replace(" ", "")) >= 3]


@dataclass(frozen=True)
class StatementEmbeddings:
    """Embeddings of statements and of their sentences.

    Attributes
    ----------
    statements : ndarray of shape (n_statements, 512)
        Normalised mean of each statement's sentence embeddings.
    sentences : list of str
        The sentences, statement after statement (a statement without a sentence of three
        characters counts as one sentence).
    sentence_vectors : ndarray of shape (n_sentences, 512)
    owner : ndarray of shape (n_sentences,)
        Index of the statement each sentence belongs to.
    """

    statements: NDArray[np.float64]
    sentences: list[str]
    sentence_vectors: NDArray[np.float64]
    owner: NDArray[np.int64]


def statement_sentences(texts: list[str]) -> tuple[list[str], list[int]]:
    """The sentences the model reads, statement after statement, and each one's statement.

    At most :data:`MAX_SENTENCES` per statement; a statement without a sentence of three
    characters counts as one sentence.
    """
    sentences: list[str] = []
    owners: list[int] = []
    for i, text in enumerate(texts):
        parts = split_sentences(text)[:MAX_SENTENCES] or [text]
        sentences.extend(parts)
        owners.extend([i] * len(parts))
    return sentences, owners


def embed_statements(texts: list[str]) -> StatementEmbeddings:
    """Embed each statement through its sentences, in one batch."""
    sentences, owners = statement_sentences(texts)
    vectors = embed(sentences)
    owner = np.asarray(owners, dtype=np.int64)
    whole = np.zeros((len(texts), vectors.shape[1]))
    np.add.at(whole, owner, vectors)
    whole /= np.maximum(np.linalg.norm(whole, axis=1, keepdims=True), 1e-12)
    return StatementEmbeddings(whole, sentences, vectors, owner)
