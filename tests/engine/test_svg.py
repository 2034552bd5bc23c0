from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd

from alteram.engine import MapText, analyze, draw_opinion_map, opinion_map_svg, svg
from tests.engine.conftest import make_planted

NS = "{http://www.w3.org/2000/svg}"


def test_svg_is_self_contained_with_a_shape_per_group() -> None:
    votes, _ = make_planted(n_participants=60, n_groups=3)
    extra = pd.DataFrame({"participant": [999], "statement": [0], "vote": [1], "time": [10**6]})
    result = analyze(pd.concat([votes, extra]))
    svg = opinion_map_svg(result, title="Map <of> & 'us'")
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    assert "href" not in svg and "<script" not in svg
    texts = [t.text or "" for t in root.iter(f"{NS}text")]
    assert "Map <of> & 'us'" in texts  # escaped in the source, intact once parsed
    assert any(t.startswith("Group A: ") for t in texts)
    assert any(t.startswith("Group C: ") for t in texts)
    assert "Not clustered: 1" in texts
    # one marker element per participant: groups 0, 1, 2 use circle, rect, polygon
    assert len(root.findall(f"{NS}polygon")) >= 20
    assert len(root.findall(f"{NS}rect")) >= 20 + 2
    assert len(root.findall(f"{NS}circle")) >= 20 + 1


def test_words_come_from_map_text_and_many_points_are_thinned() -> None:
    rng = np.random.default_rng(0)
    n = svg.MAX_POINTS + 500
    labels = np.where(rng.random(n) < 0.1, -1, rng.integers(0, 2, n))
    text = MapText(
        title="观点分布图",
        groups="群组",
        group="群组 %(letter)s",
        not_clustered="未归入群组",
        drawn="显示 %(shown)d / %(total)d",
    )
    root = ET.fromstring(draw_opinion_map(rng.normal(size=(n, 2)), labels, 2, text=text))
    texts = [t.text or "" for t in root.iter(f"{NS}text")]
    assert texts[0] == "观点分布图" and "群组" in texts
    assert f"群组 A: {(labels == 0).sum()}" in texts
    assert f"群组 B: {(labels == 1).sum()}" in texts
    assert f"未归入群组: {(labels < 0).sum()}" in texts
    assert f"显示 {svg.MAX_POINTS} / {n}" in texts


def test_an_empty_map_is_still_a_picture() -> None:
    root = ET.fromstring(draw_opinion_map(np.zeros((0, 2)), np.zeros(0, dtype=np.int64), 0))
    assert "Not clustered: 0" in [t.text for t in root.iter(f"{NS}text")]
