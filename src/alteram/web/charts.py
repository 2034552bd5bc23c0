"""Small charts drawn as SVG on the server: no scripts, no external assets.

Series are told apart by marker shape and dash pattern as well as colour, so a chart stays
legible in black and white and for people who do not see colours.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from alteram.engine.svg import MapText
from alteram.service.results import RoundResults

COLOURS = ("#1d4e89", "#b35c00", "#0a6b2d", "#7a1f5c", "#555555")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2")


def _marker(k: int, x: float, y: float, colour: str) -> str:
    shape = k % 4
    if shape == 0:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
    if shape == 1:
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == 2:
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x - 5:.1f},{y + 4:.1f} '
            f'{x + 5:.1f},{y + 4:.1f}" fill="{colour}"/>'
        )
    return (
        f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} '
        f'{x - 5:.1f},{y:.1f}" fill="none" stroke="{colour}" stroke-width="2"/>'
    )


def line_chart(
    title: str,
    labels: list[str],
    series: dict[str, list[float | None]],
    *,
    unit: str = "",
    y_max: float | None = None,
    width: int = 560,
    height: int = 260,
) -> str:
    """A line chart of ``series`` (name -> one value or None per label) as an SVG string."""
    left, right, top, bottom = 48, 16, 28, 52
    legend_h = 18 * len(series)
    h = height + legend_h
    values = [v for vs in series.values() for v in vs if v is not None]
    top_value = y_max if y_max is not None else max([*values, 1.0]) * 1.15
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(labels), 1)

    def px(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def py(v: float) -> float:
        return top + plot_h * (1 - v / top_value)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{h}" '
        f'viewBox="0 0 {width} {h}" role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<text x="{left}" y="16" font-size="13" font-weight="600">{escape(title)}</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#333"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333"/>',
    ]
    for tick in range(5):
        v = top_value * tick / 4
        y = py(v)
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="10" text-anchor="end">'
            f"{v:.0f}{escape(unit)}</text>"
        )
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>'
        )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{px(i):.1f}" y="{top + plot_h + 16}" font-size="10" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    for k, (name, vs) in enumerate(series.items()):
        colour, dash = COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)]
        points = [(px(i), py(v)) for i, v in enumerate(vs) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="2"{dash_attr}/>'
            )
        for i, value in enumerate(vs):
            if value is not None:
                v = value
                parts.append(_marker(k, px(i), py(v), colour))
                parts.append(
                    f'<text x="{px(i) + 6:.1f}" y="{py(v) - 6:.1f}" font-size="9">{v:.0f}</text>'
                )
        ly = height + 18 * k
        parts.append(_marker(k, left + 6, ly, colour))
        parts.append(f'<text x="{left + 16}" y="{ly + 4}" font-size="11">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def opinion_map(results: RoundResults, gettext: Callable[[str], str]) -> str:
    """The round's opinion map with its words in the reader's language."""
    text = MapText(
        title=gettext("Opinion map"),
        groups=gettext("Groups"),
        group=gettext("Group %(letter)s"),
        not_clustered=gettext("Not clustered"),
        drawn=gettext("%(shown)d of %(total)d drawn"),
    )
    return results.map_svg(text)
