"""The opinion map: each participant at their position, side by marker shape, group by colour.

People who are not clustered (too few votes yet) are hollow grey markers drawn underneath.
Above ``MAX_POINTS`` participants an evenly spaced subset is drawn and the legend says so.
The legend sits below the plot, so it reads the same on a phone as on paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from alteram.charts._render import FONT_SIZE, drawing, memoized, to_svg
from alteram.charts._text import wrap
from alteram.engine.result import group_letter
from alteram.engine.types import FloatArray, IntArray

GROUP_COLOURS = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#F0E442",
    "#000000",
)
SIDE_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
UNCLUSTERED = "#8a8a8a"
MAX_POINTS = 5000
WIDTH_IN = 5.0
PLOT_IN = 3.6


@dataclass(frozen=True)
class MapText:
    """The words on the map, so that a caller can give them in the reader's language.

    ``group`` is formatted with ``letter`` (A, B, ...) and ``drawn`` with ``shown`` and
    ``total``, as %-style placeholders.
    """

    title: str = "Opinion map"
    groups: str = "Groups"
    group: str = "Group %(letter)s"
    not_clustered: str = "Not clustered"
    sides: str = "Sides"
    drawn: str = "%(shown)d of %(total)d drawn"


def _thin(n: int) -> IntArray:
    if n <= MAX_POINTS:
        return np.arange(n)
    return np.asarray(np.linspace(0, n - 1, MAX_POINTS).round().astype(np.int64))


@memoized
def opinion_map_svg(
    positions: FloatArray,
    groups: IntArray,
    *,
    n_groups: int | None = None,
    sides: Sequence[str | None] | None = None,
    side_names: Sequence[str] | None = None,
    text: MapText | None = None,
    show_title: bool = False,
    key: str = "map",
) -> str:
    """Draw participants at their opinion-map positions as inline SVG.

    Parameters
    ----------
    positions : array of shape (n_participants, 2+)
        Map coordinates; only the first two columns are drawn.
    groups : int array of shape (n_participants,)
        Opinion group of each participant, -1 when not clustered.
    n_groups : int or None, default=None
        Number of groups in the legend (by default one more than the largest group).
    sides : sequence of str or None, length n_participants, optional
        Each participant's side; without it every marker is a circle and the legend has
        no sides.
    side_names : sequence of str, optional
        The sides in legend order (their marker shapes follow this order); by default the
        order in which ``sides`` first names them.
    text : MapText, optional
        The words (English by default).
    show_title : bool, default=False
        Also draw the title (a standalone file); the title is always the accessible name.
    key : str, default="map"
        Unique on the page: prefixes the SVG's ids.

    Returns
    -------
    str
        An ``<svg>`` element.
    """
    text = text or MapText()
    xy = np.asarray(positions, dtype=np.float64)
    xy = xy.reshape(len(groups), -1)[:, :2] if xy.size else np.zeros((len(groups), 2))
    labels = np.asarray(groups, dtype=np.int64)
    n = len(labels)
    k = int(labels.max()) + 1 if n_groups is None and n else (n_groups or 0)
    order = list(side_names or dict.fromkeys(s for s in (sides or []) if s is not None))
    side_of = np.full(n, -1, dtype=np.int64)
    if sides is not None:
        index = {s: i for i, s in enumerate(order)}
        side_of = np.array([index.get(s, -1) if s is not None else -1 for s in sides])
    idx = _thin(n)
    group_entries = [
        text.group % {"letter": group_letter(g)} + f": {int((labels == g).sum())}" for g in range(k)
    ]
    outside = f"{text.not_clustered}: {int((labels < 0).sum())}"
    note = text.drawn % {"shown": len(idx), "total": n} if n > MAX_POINTS else ""
    rows = max(len(group_entries) + 1, len(order)) + (1 if note else 0)
    line_in = 1.5 * FONT_SIZE / 72
    legend_in = line_in * (rows + 1.6)
    title_in = line_in * 1.6 if show_title else 0.0
    with drawing(key) as new_figure:
        from matplotlib.lines import Line2D
        from matplotlib.patches import Patch

        fig = new_figure(figsize=(WIDTH_IN, PLOT_IN + legend_in + title_in + 0.1))
        top = 1 - title_in / (PLOT_IN + legend_in + title_in + 0.1)
        plot_h = PLOT_IN / (PLOT_IN + legend_in + title_in + 0.1)
        ax = fig.add_axes((0.02, top - plot_h + 0.01, 0.96, plot_h - 0.02))
        if show_title:
            fig.text(
                0.02,
                1 - 0.4 * title_in / fig.get_figheight(),
                text.title,
                fontsize=FONT_SIZE + 2,
                fontweight="bold",
                va="center",
            )
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_color("#b0b0b0")
        size = 5.0 if len(idx) <= 1000 else 3.5
        shown_labels, shown_sides = labels[idx], side_of[idx]
        for s in sorted(set(shown_sides.tolist())):
            marker = SIDE_MARKERS[s % len(SIDE_MARKERS)] if s >= 0 else "o"
            pick = idx[(shown_labels < 0) & (shown_sides == s)]
            if len(pick):
                ax.plot(
                    *xy[pick].T,
                    linestyle="none",
                    marker=marker,
                    markersize=size * 0.8,
                    markerfacecolor="none",
                    markeredgecolor=UNCLUSTERED,
                    markeredgewidth=0.9,
                    zorder=1,
                    gid=f"unclustered-side-{s}",
                )
            for g in range(k):
                pick = idx[(shown_labels == g) & (shown_sides == s)]
                if len(pick):
                    ax.plot(
                        *xy[pick].T,
                        linestyle="none",
                        marker=marker,
                        markersize=size,
                        color=GROUP_COLOURS[g % len(GROUP_COLOURS)],
                        alpha=0.85,
                        markeredgewidth=0.4,
                        markeredgecolor="#ffffff",
                        zorder=2,
                        gid=f"group-{g}-side-{s}",
                    )
        if n:
            lo, hi = xy[idx].min(axis=0), xy[idx].max(axis=0)
            pad = np.where(hi - lo > 0, (hi - lo) * 0.06, 1.0)
            ax.set_xlim(lo[0] - pad[0], hi[0] + pad[0])
            ax.set_ylim(lo[1] - pad[1], hi[1] + pad[1])
        box = fig.add_axes((0.02, 0.0, 0.96, legend_in / fig.get_figheight()))
        box.set_axis_off()
        group_handles = [
            Patch(facecolor=GROUP_COLOURS[g % len(GROUP_COLOURS)], edgecolor="none")
            for g in range(k)
        ]
        group_handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="o",
                markerfacecolor="none",
                markeredgecolor=UNCLUSTERED,
            )  # type: ignore[arg-type]
        )
        group_legend = box.legend(
            group_handles,
            [*group_entries, outside],
            title=text.groups,
            loc="upper left",
            bbox_to_anchor=(0.0, 1.0),
            frameon=False,
            alignment="left",
            handlelength=1.4,
        )
        if order:
            box.add_artist(group_legend)
            side_handles = [
                Line2D(
                    [],
                    [],
                    linestyle="none",
                    marker=SIDE_MARKERS[i % len(SIDE_MARKERS)],
                    color="#444444",
                )
                for i in range(len(order))
            ]
            box.legend(
                side_handles,
                [wrap(s, 14) for s in order],
                title=text.sides,
                loc="upper left",
                bbox_to_anchor=(0.5, 1.0),
                frameon=False,
                alignment="left",
                handlelength=1.4,
            )
        if note:
            box.text(0.0, 0.02, note, fontsize=FONT_SIZE - 1, color="#444444")
        parts = [*group_entries, outside]
        if order:
            parts.append(f"{text.sides}: {', '.join(order)}")
        if note:
            parts.append(note)
        return to_svg(fig, key=key, title=text.title, desc="; ".join(parts), css_class="map")
