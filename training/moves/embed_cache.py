"""A file cache of sentence embeddings for training and evaluation runs.

The encoder is the slow part of training and evaluation (several thousand sentences);
the weights of the linear head take seconds. ``use_cache(path)`` makes every embedding
computed through :mod:`alteram.moves.sentences` (hence ``features`` and ``classify``)
come from ``path`` when known and be added to it otherwise. The cache stores the encoder's
float32 output, so results are the same with and without it.

    .venv/bin/python training/moves/train.py --embedding-cache $TMPDIR/moves-embeddings.npz
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from numpy.typing import NDArray

import alteram.moves.sentences as sentences_module
from alteram.moves.embed import EMBEDDING_DIM, embed


class EmbeddingCache:
    """Embeddings by sentence text, kept in memory and saved to an ``.npz`` file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.vectors: dict[str, NDArray[np.float32]] = {}
        if path.exists():
            with np.load(path, allow_pickle=False) as data:
                for text, vector in zip(data["texts"].tolist(), data["vectors"], strict=True):
                    self.vectors[str(text)] = vector

    def embed(self, texts: list[str]) -> NDArray[np.float64]:
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing:
            for text, vector in zip(missing, embed(missing), strict=True):
                self.vectors[text] = vector.astype(np.float32)
            self.save()
        if not texts:
            return np.zeros((0, EMBEDDING_DIM))
        return np.vstack([self.vectors[t] for t in texts]).astype(np.float64)

    def save(self) -> None:
        texts = list(self.vectors)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(
            tmp,
            texts=np.array(texts, dtype=str),
            vectors=np.vstack([self.vectors[t] for t in texts]),
        )
        tmp.replace(self.path)


def use_cache(path: Path | str | None) -> EmbeddingCache | None:
    """Route the embeddings of ``alteram.moves.sentences`` through a file cache."""
    if not path:
        return None
    cache = EmbeddingCache(Path(path))
    sentences_module.embed = cache.embed  # type: ignore[assignment]
    return cache
