"""The pages' charts take every word from the reader's catalog."""

from __future__ import annotations

from alteram.web.charts import chart, map_text, pair_name
from alteram.web.i18n import translations
from tests.charts.svg import SVG, parse


def test_a_chart_in_chinese_names_its_axis_rounds_and_pairs_in_chinese() -> None:
    zh = translations("zh").gettext
    pairs = {"China about United States": ("中国", "美国")}
    name = pair_name("China about United States", pairs, zh)
    assert name == "中国 对 美国 的认知"
    c = chart(
        zh("Perception gap (points; lower is better)"),
        [(1, 2019), (2, None)],
        {name: [25.61, None]},
        kind="value",
        gettext=zh,
        key="t",
    )
    root = parse(c.svg)
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert {"认知差距（百分点；越低越好）", "轮次", name, "2019"} <= texts
    assert root.find(f"{SVG}desc").text == f"{name}: 第 1 轮 25.61, 第 2 轮 -"  # type: ignore[union-attr]
    assert c.rounds == ["第 1 轮", "第 2 轮"]
    assert [c.cell(v) for v in c.series[name]] == ["25.6", "—"]
    assert pair_name("unknown pair", pairs, zh) == "unknown pair"


def test_percent_cells_and_the_maps_words() -> None:
    en = translations("en").gettext
    c = chart("Share", [(1, None)], {"a": [42.4]}, kind="percent", gettext=en, key="p")
    assert c.cell(42.4) == "42 %"
    words = map_text(translations("zh").gettext)
    assert (words.title, words.groups, words.sides) == ("观点分布图", "群组", "参与方")
    assert words.group % {"letter": "A"} == "群组 A"
