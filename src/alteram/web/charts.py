"""The pages' charts in the reader's language: titles, legends and round names translated
here, drawing done by :mod:`alteram.charts` (matplotlib, on the server, no scripts)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from alteram.charts import MapText, line_chart, opinion_map_svg
from alteram.charts.lines import Kind, describe
from alteram.service.results import RoundResults

Gettext = Callable[[str], str]


@dataclass(frozen=True)
class Chart:
    """A chart and its numbers, so that a page can show them as a table as well."""

    svg: str
    title: str
    rounds: list[str]
    series: dict[str, list[float | None]]
    percent: bool = False

    def cell(self, value: float | None) -> str:
        if value is None:
            return "—"
        text = f"{value:.0f}" if self.percent or float(value).is_integer() else f"{value:.1f}"
        return f"{text} %" if self.percent else text


def chart(
    title: str,
    rounds: Sequence[tuple[int, int | None]],
    series: Mapping[str, Sequence[float | None]],
    *,
    kind: Kind,
    gettext: Gettext,
    key: str,
) -> Chart:
    """A line chart over ``rounds`` (number, year or None), its words from ``gettext``."""
    labels = [f"{n}" if year is None else f"{n}\n{year}" for n, year in rounds]
    names = [gettext("Round %(n)s") % {"n": n} for n, _ in rounds]
    svg = line_chart(
        title,
        labels,
        series,
        kind=kind,
        x_label=gettext("Round"),
        key=key,
        desc=describe(names, series),
    )
    return Chart(
        svg, title, names, {k: list(v) for k, v in series.items()}, percent=kind == "percent"
    )


def pair_name(pair: str, pair_sides: Mapping[str, tuple[str, str]], gettext: Gettext) -> str:
    """ "A about B" in the reader's language."""
    if pair not in pair_sides:
        return pair
    a, b = pair_sides[pair]
    return gettext("%(a)s about %(b)s") % {"a": a, "b": b}


def map_text(gettext: Gettext) -> MapText:
    return MapText(
        title=gettext("Opinion map"),
        groups=gettext("Groups"),
        group=gettext("Group %(letter)s"),
        not_clustered=gettext("Not clustered"),
        sides=gettext("Sides"),
        drawn=gettext("%(shown)d of %(total)d drawn"),
    )


def opinion_map(results: RoundResults, gettext: Gettext, *, show_title: bool = False) -> str:
    """The round's opinion map, drawn from the stored positions, in the reader's language."""
    points = results.map_points
    return opinion_map_svg(
        np.array([(p.x, p.y) for p in points], dtype=np.float64).reshape(-1, 2),
        np.array([p.group for p in points], dtype=np.int64),
        n_groups=len(results.groups),
        sides=[p.side for p in points],
        side_names=results.sides,
        text=map_text(gettext),
        show_title=show_title,
        key=f"map-{results.round_id}",
    )
