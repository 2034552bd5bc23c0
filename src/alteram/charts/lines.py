"""Line charts of values over rounds, drawn with matplotlib.

Series are told apart by marker shape and dash pattern as well as colour (legible in black
and white and for people who do not see colours) and named in a legend below the plot,
never by labels at the points, so close values cannot make labels collide. The value axis
starts at 0 and ends on a tick: counts have whole-number ticks, percentages run from 0 to
100 in steps of 20, other values take matplotlib's nice steps (1, 2, 2.5, 5 times a power
of ten). Round labels that would touch are thinned, keeping the latest round's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Literal

from alteram.charts._render import FONT_SIZE, drawing, load, memoized, to_svg
from alteram.charts._text import em_width, label_stride, labelled, wrap

Kind = Literal["count", "percent", "value"]

COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
DASHES = ("-", "--", ":", "-.")
WIDTH_IN = 5.0  # 360 points: about one CSS pixel per point on a 390 px phone
PLOT_IN = 2.1
LEGEND_WRAP_EM = 27.0
TITLE_WRAP_EM = 22.0  # the title is bold and starts at the plot: 22 ems of 12 pt fit after it


def value_ticks(kind: Kind, top: float) -> list[float]:
    """Tick values from 0 up to the first tick at or above ``top``.

    >>> value_ticks("count", 3)
    [0.0, 1.0, 2.0, 3.0]
    >>> value_ticks("count", 0)
    [0.0, 1.0]
    >>> value_ticks("value", 17.3)
    [0.0, 5.0, 10.0, 15.0, 20.0]
    >>> value_ticks("percent", 12)
    [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
    """
    if kind == "percent":
        return [float(v) for v in range(0, 101, 20)]
    load()
    from matplotlib.ticker import MaxNLocator

    top = top if math.isfinite(top) and top > 0 else 1.0
    if kind == "count":
        top = float(math.ceil(top))
        locator = MaxNLocator(nbins=5, integer=True, steps=[1, 2, 5, 10], min_n_ticks=2)
    else:
        locator = MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10], min_n_ticks=3)
    ticks = [float(t) for t in locator.tick_values(0.0, top) if t >= 0]
    while ticks[-1] < top:  # the locator may stop one step short of the largest value
        ticks.append(ticks[-1] + (ticks[1] - ticks[0]))
    last = next(i for i, t in enumerate(ticks) if t >= top)
    return ticks[: last + 1]


def tick_label(kind: Kind, value: float) -> str:
    text = f"{value:g}"
    return f"{text}%" if kind == "percent" else text


def describe(labels: Sequence[str], series: Mapping[str, Sequence[float | None]]) -> str:
    """The chart's numbers in words, for screen readers: "name: label value, ...; ..."."""

    def fmt(v: float | None) -> str:
        return "-" if v is None else f"{v:.4g}"

    return "; ".join(
        f"{name}: "
        + ", ".join(
            f"{label.replace(chr(10), ' ')} {fmt(v)}" for label, v in zip(labels, vs, strict=True)
        )
        for name, vs in series.items()
    )


@memoized
def line_chart(
    title: str,
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    kind: Kind = "value",
    x_label: str = "",
    key: str = "chart",
    desc: str | None = None,
) -> str:
    """A line chart of ``series`` (name -> one value or None per label) as inline SVG.

    Parameters
    ----------
    title : str
        Shown above the plot and as the SVG's accessible name.
    labels : sequence of str, length n_rounds
        One per position on the horizontal axis ("\\n" starts a second line).
    series : mapping of str to sequence of float or None, each of length n_rounds
        None leaves a gap.
    kind : {"count", "percent", "value"}, default="value"
        How the value axis is ticked (see the module docstring).
    x_label : str, default=""
        Name of the horizontal axis.
    key : str, default="chart"
        Unique on the page: prefixes the SVG's ids.
    desc : str or None, default=None
        The SVG's description; by default every value in words.

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    n = len(labels)
    for name, given in series.items():
        if len(given) != n:
            raise ValueError(f"series {name!r} has {len(given)} values for {n} labels.")
    values: list[float] = []
    for vs in series.values():
        values.extend(float(v) for v in vs if v is not None and math.isfinite(v))
    legend = [wrap(name, LEGEND_WRAP_EM) for name in series]
    legend_lines = sum(name.count("\n") + 1 for name in legend)
    title_text = wrap(title, TITLE_WRAP_EM)
    title_lines = title_text.count("\n") + 1
    label_lines = max((label.count("\n") + 1 for label in labels), default=1)
    ticks = value_ticks(kind, max(values, default=0.0))
    tick_text = [tick_label(kind, t) for t in ticks]
    # The layout, in points from the top: worked out here rather than by matplotlib's
    # constrained layout, which draws every chart twice to measure it.
    line_pt = 1.25 * FONT_SIZE
    title_pt = 4 + title_lines * 1.25 * (FONT_SIZE + 1) + 6
    plot_pt = PLOT_IN * 72
    under_pt = 7 + label_lines * line_pt + (4 + line_pt if x_label else 0) + 8
    legend_pt = legend_lines * line_pt + len(legend) * 0.5 * FONT_SIZE + 4
    height_pt = title_pt + plot_pt + under_pt + legend_pt
    width_pt = WIDTH_IN * 72
    left_pt = 8 + 7 + max(em_width(t) for t in tick_text) * FONT_SIZE
    with drawing(key) as new_figure:
        fig = new_figure(figsize=(WIDTH_IN, height_pt / 72))
        ax = fig.add_axes(
            (
                left_pt / width_pt,
                (under_pt + legend_pt) / height_pt,
                1 - (left_pt + 10) / width_pt,
                plot_pt / height_pt,
            )
        )
        ax.set_title(title_text, loc="left", fontsize=FONT_SIZE + 1, fontweight="bold")
        xs = list(range(n))
        handles = []
        for k, (name, vs) in enumerate(series.items()):
            ys = [math.nan if v is None else float(v) for v in vs]
            (line,) = ax.plot(
                xs,
                ys,
                color=COLOURS[k % len(COLOURS)],
                linestyle=DASHES[k % len(DASHES)],
                marker=MARKERS[k % len(MARKERS)],
                markersize=5.5,
                linewidth=1.8,
                clip_on=False,
                label=name,
                gid=f"series-{k}",
            )
            handles.append(line)
        ax.set_xlim(-0.5, max(n - 0.5, 0.5))
        ax.set_ylim(ticks[0], ticks[-1])
        ax.set_yticks(ticks, tick_text)
        ax.yaxis.grid(True)
        ax.set_axisbelow(True)
        slot_em = (WIDTH_IN * 72 * 0.8 / max(n, 1)) / FONT_SIZE
        shown = labelled(n, label_stride(labels, slot_em))
        ax.set_xticks(
            xs, [label if show else "" for label, show in zip(labels, shown, strict=True)]
        )
        if x_label:
            ax.set_xlabel(x_label)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        if handles:
            fig.legend(
                handles,
                legend,
                loc="upper left",
                bbox_to_anchor=(4 / width_pt, legend_pt / height_pt),
                frameon=False,
                ncols=1,
                handlelength=2.6,
                borderaxespad=0.0,
                borderpad=0.0,
            )
        return to_svg(fig, key=key, title=title, desc=desc or describe(labels, series))


__all__ = ["line_chart", "tick_label", "value_ticks"]
