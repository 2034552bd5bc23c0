from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd

from alteram.engine import analyze, opinion_map_svg
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
