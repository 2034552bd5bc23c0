"""The blind second labelling of the UNGD set and its agreement report (issue #14).

What a reader of AGREEMENT.md relies on: the 330 drawn ids are distinct, exist in the set
and are drawn as documented (10 % of each part, reproducible from sample.tsv), the
``--show`` output gives the sentence without any label, the second labels cover every
drawn id with one of the nine moves, and the kappa figures are computed right (hand-worked
cases, scikit-learn on the real labels, the script's own output within bounds).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import math
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from sklearn.metrics import cohen_kappa_score

from alteram.moves.labels import MOVES
from tests.conftest import REPO

UNGD = REPO / "training" / "moves" / "ungd"


def load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"ungd_{name}", UNGD / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="module")
def ids() -> list[str]:
    return (UNGD / "second_ids.txt").read_text(encoding="utf-8").split()


@pytest.fixture(scope="module")
def first() -> dict[str, dict[str, str]]:
    return {r["id"]: r for r in read(UNGD / "labels.tsv")}


def test_330_distinct_ids_of_the_set_ten_percent_of_each_part(ids: list, first: dict) -> None:
    assert len(ids) == 330
    assert len(set(ids)) == 330
    unknown = [i for i in ids if i not in first]
    assert not unknown, f"ids not in labels.tsv: {unknown}"
    assert Counter(first[i]["part"] for i in ids) == {"random": 240, "enriched": 90}


def test_the_draw_is_reproduced_from_sample_tsv(ids: list) -> None:
    second_sample = load_script("second_sample")
    assert second_sample.draw(second_sample.read_sample()) == ids


def test_show_prints_number_id_and_sentence_but_no_label(ids: list) -> None:
    sentences = {r["id"]: r["sentence"] for r in read(UNGD / "sample.tsv")}
    out = subprocess.run(
        [sys.executable, str(UNGD / "second_sample.py"), "--show", "325", "10"],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert len(out) == 5  # rows 325-329: the draw has 330
    for n, line in zip(range(325, 330), out, strict=True):
        assert line.split("\t") == [str(n), ids[n], sentences[ids[n]]]


def test_second_labels_cover_every_drawn_id_with_one_of_the_nine_moves(ids: list) -> None:
    rows = read(UNGD / "labels_second.tsv")
    assert list(rows[0]) == ["id", "label", "note"]
    assert [r["id"] for r in rows] == ids
    unknown = Counter(r["label"] for r in rows if r["label"] not in MOVES)
    assert not unknown, f"labels outside the nine moves: {unknown}"


def test_kappa_on_cases_worked_out_by_hand() -> None:
    kappa = load_script("agreement").cohen_kappa
    # p_o = 3/4, p_e = 1/2 * 1/4 + 1/2 * 3/4 = 1/2, kappa = (3/4 - 1/2) / (1 - 1/2)
    assert kappa("xxyy", "xyyy") == pytest.approx(0.5)
    assert kappa("abcab", "abcab") == pytest.approx(1.0)
    assert kappa("xyxy", "yxyx") == pytest.approx(-1.0)
    # p_o = 1/2, p_e = 1/2: no better than chance
    assert kappa("xxyy", "xyxy") == pytest.approx(0.0)
    assert math.isnan(kappa("xxx", "xxx"))
    with pytest.raises(ValueError, match="same n"):
        kappa("xy", "x")


def test_kappa_matches_scikit_learn_on_the_real_labels(ids: list, first: dict) -> None:
    agreement = load_script("agreement")
    second = {r["id"]: r["label"] for r in read(UNGD / "labels_second.tsv")}
    a, b = [first[i]["label"] for i in ids], [second[i] for i in ids]
    assert agreement.cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)
    for move in MOVES:
        x, y = [v == move for v in a], [v == move for v in b]
        assert agreement.cohen_kappa(x, y) == pytest.approx(cohen_kappa_score(x, y), abs=1e-12)


def test_agreement_script_runs_and_its_figures_hold_together() -> None:
    out = subprocess.run(
        [sys.executable, str(UNGD / "agreement.py"), "--json"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    figures = json.loads(out)
    assert figures["n"] == 330
    assert -1.0 <= figures["kappa"] <= 1.0
    low, high = figures["ci"]
    assert low <= figures["kappa"] <= high
    confusion = figures["confusion"]
    assert sum(sum(row.values()) for row in confusion.values()) == 330
    assert sum(confusion[m][m] for m in MOVES) == figures["agree"]
    for move, row in figures["per_move"].items():
        assert -1.0 <= row["kappa"] <= 1.0, move
        assert row["first"] == sum(confusion[move].values())
        assert row["second"] == sum(confusion[m][move] for m in MOVES)
        assert row["both"] == confusion[move][move]
    for key in ("groups3", "groups2", "random", "enriched", "not_in_guide"):
        assert -1.0 <= figures[key]["kappa"] <= 1.0, key
    assert figures["random"]["n"] + figures["enriched"]["n"] == 330
