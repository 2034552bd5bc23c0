"""Line charts: nice ticks, points on their gridlines, no colliding labels, text as text."""

from __future__ import annotations

import itertools
import math
import re
import warnings

import pytest

from alteram.charts import line_chart, value_ticks
from tests.charts.svg import (
    HREF,
    SVG,
    by_id_suffix,
    labels,
    markers,
    overlapping,
    parse,
    x_ticks,
    y_ticks,
)


def _is_nice_step(step: float) -> bool:
    """1, 2, 2.5 or 5 times a power of ten."""
    exponent = math.floor(math.log10(step))
    mantissa = step / 10**exponent
    return any(math.isclose(mantissa, m) for m in (1.0, 2.0, 2.5, 5.0, 10.0))


@pytest.mark.parametrize("top", [0.0, 0.4, 1.0, 3.0, 7.0, 13.0, 99.0, 160.0, 1234.0])
def test_count_ticks_are_whole_numbers_in_nice_steps_from_zero(top: float) -> None:
    svg = line_chart("Voters", ["1", "2"], {"a": [0.0, top]}, kind="count", key="c")
    ticks = y_ticks(parse(svg))
    values = [float(text) for text, _ in ticks]
    assert all(re.fullmatch(r"\d+", text) for text, _ in ticks), ticks
    assert values[0] == 0 and values[-1] >= top and len(values) >= 2
    steps = {b - a for a, b in itertools.pairwise(values)}
    assert len(steps) == 1 and _is_nice_step(steps.pop())
    assert values[-2] < max(top, 1)  # the axis ends on the first tick at or above the data


def test_the_axis_labels_of_the_issue_are_gone() -> None:
    # A count of 0 or 1 used to be labelled "0, 0, 1, 1, 1".
    svg = line_chart("Common ground", ["1", "2", "3"], {"x": [1.0, 0.0, 1.0]}, kind="count")
    assert [t for t, _ in y_ticks(parse(svg))] == ["0", "1"]


def test_percent_ticks_run_from_0_to_100() -> None:
    svg = line_chart("Share", ["1", "2"], {"a": [12.0, 31.0]}, kind="percent", key="p")
    assert [t for t, _ in y_ticks(parse(svg))] == ["0%", "20%", "40%", "60%", "80%", "100%"]


@pytest.mark.parametrize("top", [0.7, 4.2, 17.3, 31.2, 64.0])
def test_value_ticks_take_nice_steps(top: float) -> None:
    ticks = value_ticks("value", top)
    assert ticks[0] == 0 and ticks[-1] >= top > ticks[-2]
    assert _is_nice_step(ticks[1] - ticks[0])
    assert 3 <= len(ticks) <= 7


def test_points_lie_at_their_values_on_the_gridlines() -> None:
    series = {"A about B": [25.6, 17.8, 12.4], "B about A": [27.1, 19.5, 12.7]}
    root = parse(line_chart("Gap", ["1", "2", "3"], series, key="g"))
    ticks = [(float(t), y) for t, y in y_ticks(root)]
    (v0, y0), (v1, y1) = ticks[0], ticks[-1]
    for k, values in enumerate(series.values()):
        (group,) = by_id_suffix(root, f"-series-{k}")
        points = markers(group)
        assert len(points) == 3
        for (_, y), v in zip(points, values, strict=True):
            assert y == pytest.approx(y0 + (v - v0) / (v1 - v0) * (y1 - y0), abs=0.01)
        # x: each point above its round's tick
        assert [x for x, _ in points] == pytest.approx([x for _, x in x_ticks(root)], abs=0.01)
    # a value equal to a tick sits exactly on that tick's gridline
    root = parse(line_chart("Voters", ["1", "2"], {"a": [0.0, 20.0]}, kind="count", key="v"))
    tick_y = dict((float(t), y) for t, y in y_ticks(root))
    (group,) = by_id_suffix(root, "-series-0")
    assert [y for _, y in markers(group)] == pytest.approx([tick_y[0.0], tick_y[20.0]], abs=0.01)


def test_close_values_and_long_names_do_not_make_labels_collide() -> None:
    series = {
        "China about United States": [25.6, 17.8, 12.4],
        "United States about China": [25.7, 17.9, 12.5],
        "中华人民共和国 对 美利坚合众国 的认知，以及其他更长的说明文字": [25.8, 18.0, 12.6],
    }
    svg = line_chart(
        "Ritual index: statements repeating what earlier rounds already said (%)",
        ["1\n1990", "2\n1999", "3\n2011"],
        series,
        kind="percent",
        x_label="Round",
        key="close",
    )
    found = labels(parse(svg))
    assert overlapping(found) == []
    assert max(label.right for label in found) <= 360  # inside the viewBox
    assert min(label.left for label in found) >= 0


def test_many_rounds_thin_their_labels_and_keep_the_latest() -> None:
    rounds = [f"{n}\n{1989 + n}" for n in range(1, 22)]
    svg = line_chart("Voters", rounds, {"a": [float(n) for n in range(21)]}, kind="count")
    root = parse(svg)
    ticks = x_ticks(root)
    assert len(ticks) == 21
    assert ticks[-1][0] == "21\n2010"  # the latest round is always named
    assert 4 <= sum(bool(t) for t, _ in ticks) < 21
    assert overlapping(labels(root)) == []


def test_gaps_for_missing_values() -> None:
    root = parse(line_chart("Gap", ["1", "2", "3"], {"a": [3.0, None, 5.0]}, key="n"))
    (group,) = by_id_suffix(root, "-series-0")
    assert len(markers(group)) == 2


def test_chinese_text_stays_text_with_a_chinese_font_fallback() -> None:
    before = list(warnings.filters)
    svg = line_chart(
        "认知差距（百分点；越低越好）",
        ["1", "2"],
        {"中国 对 美国 的认知": [30.0, 20.0]},
        x_label="轮次",
        key="zh",
    )
    assert warnings.filters == before  # the glyph warning was silenced only while drawing
    root = parse(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "认知差距（百分点；越低越好）" in texts
    assert "中国 对 美国 的认知" in texts and "轮次" in texts
    assert root.find(f"{SVG}title").text == "认知差距（百分点；越低越好）"  # type: ignore[union-attr]
    family = root.get("font-family", "")
    assert "'Noto Sans CJK SC'" in family and "'Microsoft YaHei'" in family
    assert family.rstrip().endswith("sans-serif")
    assert "<path" in svg and "glyph" not in svg  # no text converted to outlines


def test_the_svg_scales_is_self_contained_and_has_its_own_ids() -> None:
    a = line_chart("A <&> 'b'", ["1", "2"], {"x & y": [1.0, 2.0]}, key="one")
    b = line_chart("A <&> 'b'", ["1", "2"], {"x & y": [1.0, 2.0]}, key="two")
    root = parse(a)
    assert root.get("viewBox", "").startswith("0 0 360 ")
    assert root.get("width") == "100%" and root.get("height") is None
    # no inline style anywhere (the pages' CSP forbids it): presentation attributes instead
    assert all(el.get("style") is None for el in root.iter())
    assert any(el.get("fill") for el in root.iter())
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "A <&> 'b'"  # type: ignore[union-attr]
    desc = root.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
    assert desc == "x & y: 1 1, 2 2"
    assert "<script" not in a and "<style" not in a and "<?xml" not in a
    assert all(el.get(HREF, "#").startswith("#") for el in root.iter())
    ids_a = {el.get("id") for el in root.iter() if el.get("id")}
    ids_b = {el.get("id") for el in parse(b).iter() if el.get("id")}
    assert ids_a and all(i.startswith("one-") for i in ids_a)  # type: ignore[union-attr]
    assert not ids_a & ids_b
    referenced = set(re.findall(r'(?:href="#|url\(#)([^")]+)', a))
    assert referenced <= ids_a
    assert a == line_chart("A <&> 'b'", ["1", "2"], {"x & y": [1.0, 2.0]}, key="one")


def test_a_dollar_sign_is_not_mathematics() -> None:
    svg = line_chart("Cost in $ and $", ["1"], {"US$ 5 $": [1.0]}, key="d")
    texts = [t.text for t in parse(svg).iter(f"{SVG}text")]
    assert "Cost in $ and $" in texts and "US$ 5 $" in texts


def test_series_and_labels_must_agree() -> None:
    with pytest.raises(ValueError, match="series 'a' has 1 values for 2 labels"):
        line_chart("x", ["1", "2"], {"a": [1.0]})


def test_a_chart_drawn_again_comes_from_the_cache_and_new_numbers_draw_anew() -> None:
    first = line_chart("Cache", ["1", "2"], {"a": [1.0, 2.0]}, key="cache")
    assert line_chart("Cache", ["1", "2"], {"a": [1.0, 2.0]}, key="cache") is first
    changed = line_chart("Cache", ["1", "2"], {"a": [1.0, 2.5]}, key="cache")
    assert changed != first
    assert "2.5" in (parse(changed).find(f"{SVG}desc").text or "")  # type: ignore[union-attr]
