"""The opinion map: a marker per participant, shape by side, colour by group, a legend."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd

from alteram.charts import MAX_POINTS, MapText, opinion_map_svg
from alteram.charts.opinion_map import GROUP_COLOURS
from alteram.engine import analyze
from tests.charts.svg import HREF, SVG, by_id_suffix, labels, markers, overlapping, parse
from tests.engine.conftest import make_planted

ZH = MapText(
    title="观点分布图",
    groups="群组",
    group="群组 %(letter)s",
    not_clustered="未归入群组",
    sides="参与方",
    drawn="显示 %(shown)d / %(total)d",
)


def _texts(svg: str) -> list[str]:
    return [t.text or "" for t in parse(svg).iter(f"{SVG}text")]


def _fill(use: ET.Element) -> str:
    found = re.fullmatch(r"#[0-9a-f]{6}", use.get("fill", ""))
    assert found, use.attrib
    return found.group(0)


def test_each_participant_is_drawn_with_its_sides_shape_and_its_groups_colour() -> None:
    rng = np.random.default_rng(1)
    n = 90
    groups = np.where(rng.random(n) < 0.1, -1, rng.integers(0, 3, n))
    sides = ["China" if rng.random() < 0.5 else "United States" for _ in range(n)]
    svg = opinion_map_svg(
        rng.normal(size=(n, 2)),
        groups,
        sides=sides,
        side_names=["China", "United States"],
        key="m",
    )
    root = parse(svg)
    outline = {el.get("id"): el.get("d") for el in root.iter(f"{SVG}path") if el.get("id")}
    shape_of_side: dict[int, set[str | None]] = {0: set(), 1: set()}
    for s, side in enumerate(["China", "United States"]):
        for g in range(3):
            (group,) = by_id_suffix(root, f"-group-{g}-side-{s}")
            want = sum(1 for gg, ss in zip(groups, sides, strict=True) if gg == g and ss == side)
            assert len(markers(group)) == want
            uses = list(group.iter(f"{SVG}use"))
            assert {_fill(u) for u in uses} == {GROUP_COLOURS[g].lower()}
            shape_of_side[s] |= {outline[u.get(HREF, "")[1:]] for u in uses}
        (outside,) = by_id_suffix(root, f"-unclustered-side-{s}")
        want = sum(1 for gg, ss in zip(groups, sides, strict=True) if gg < 0 and ss == side)
        assert len(markers(outside)) == want
    # one marker shape per side, whatever the group; different sides, different shapes
    assert len(shape_of_side[0]) == 1 and len(shape_of_side[1]) == 1
    assert shape_of_side[0] != shape_of_side[1]
    texts = _texts(svg)
    for g in range(3):
        assert f"Group {chr(65 + g)}: {(groups == g).sum()}" in texts
    assert f"Not clustered: {(groups < 0).sum()}" in texts
    assert {"Groups", "Sides", "China", "United States"} <= set(texts)
    assert overlapping(labels(root)) == []


def test_the_words_come_from_map_text_in_chinese() -> None:
    positions = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5]])
    svg = opinion_map_svg(
        positions, np.array([0, 1, -1]), sides=["中国", "美国", "中国"], text=ZH, key="zh"
    )
    texts = _texts(svg)
    assert {"群组", "参与方", "中国", "美国", "群组 A: 1", "群组 B: 1", "未归入群组: 1"} <= set(
        texts
    )
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "观点分布图"  # type: ignore[union-attr]
    assert "群组 A: 1" in (root.find(f"{SVG}desc").text or "")  # type: ignore[union-attr]
    assert "观点分布图" not in texts  # the page's heading names it; show_title draws it
    assert "观点分布图" in _texts(
        opinion_map_svg(positions, np.array([0, 1, -1]), text=ZH, show_title=True)
    )


def test_many_participants_are_thinned_and_the_legend_says_so() -> None:
    rng = np.random.default_rng(0)
    n = MAX_POINTS + 500
    groups = np.where(rng.random(n) < 0.1, -1, rng.integers(0, 2, n))
    svg = opinion_map_svg(rng.normal(size=(n, 2)), groups, n_groups=2, text=ZH)
    texts = _texts(svg)
    assert f"显示 {MAX_POINTS} / {n}" in texts
    assert f"群组 A: {(groups == 0).sum()}" in texts  # counts are of everyone, not the drawn
    assert len(list(parse(svg).iter(f"{SVG}use"))) >= MAX_POINTS
    assert overlapping(labels(parse(svg))) == []


def test_names_are_escaped_and_never_mathematics() -> None:
    svg = opinion_map_svg(
        np.array([[0.0, 0.0], [1.0, 1.0]]),
        np.array([0, 0]),
        sides=["<b>Side & co</b>", "US$ 1 $"],
        key="esc",
    )
    assert "<b>" not in svg
    assert {"<b>Side & co</b>", "US$ 1 $"} <= set(_texts(svg))


def test_an_empty_map_is_still_a_picture() -> None:
    svg = opinion_map_svg(np.zeros((0, 2)), np.zeros(0, dtype=np.int64), n_groups=0)
    assert "Not clustered: 0" in _texts(svg)


def test_an_analysis_draws_without_sides() -> None:
    votes, _ = make_planted(n_participants=60, n_groups=3)
    extra = pd.DataFrame({"participant": [999], "statement": [0], "vote": [1], "time": [10**6]})
    result = analyze(pd.concat([votes, extra]))
    svg = opinion_map_svg(result.embedding, result.labels, n_groups=result.n_groups)
    texts = _texts(svg)
    assert "Not clustered: 1" in texts and "Sides" not in texts
    assert sum(f"Group {chr(65 + g)}: 20" in texts for g in range(3)) == 3


def test_moved_positions_are_drawn_anew() -> None:
    positions = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]])
    groups = np.array([0, 0, -1])
    first = opinion_map_svg(positions, groups, key="moved")
    assert opinion_map_svg(positions.copy(), groups, key="moved") is first
    positions[0] = [5.0, 5.0]
    assert opinion_map_svg(positions, groups, key="moved") != first
