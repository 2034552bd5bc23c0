"""The opinion map as a self-contained SVG: a marker shape and a colour per group, a legend."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np

from alteram.engine.result import AnalysisResult
from alteram.engine.types import FloatArray, IntArray

COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000")
SHAPES = ("circle", "square", "triangle", "diamond", "cross", "plus", "star", "triangle-down")
MAX_POINTS = 20000


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
    drawn: str = "%(shown)d of %(total)d drawn"


def group_letter(g: int) -> str:
    """Group 0 -> "A", 25 -> "Z", 26 -> "A1"."""
    suffix = str(g // 26) if g >= 26 else ""
    return f"{chr(65 + g % 26)}{suffix}"


def _marker(shape: str, x: float, y: float, r: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}"/>'
    if shape == "square":
        return (
            f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}"'
            f' fill="{colour}"/>'
        )
    if shape in ("cross", "plus"):
        d = r if shape == "plus" else r * 0.8
        if shape == "plus":
            path = f"M{x - d:.1f},{y:.1f}H{x + d:.1f}M{x:.1f},{y - d:.1f}V{y + d:.1f}"
        else:
            path = (
                f"M{x - d:.1f},{y - d:.1f}L{x + d:.1f},{y + d:.1f}"
                f"M{x - d:.1f},{y + d:.1f}L{x + d:.1f},{y - d:.1f}"
            )
        return f'<path d="{path}" stroke="{colour}" stroke-width="1.6" fill="none"/>'
    angles = {
        "triangle": (90, 210, 330),
        "triangle-down": (270, 30, 150),
        "diamond": (90, 180, 270, 0),
        "star": tuple(range(90, 450, 36)),
    }[shape]
    pts = []
    for n, a in enumerate(angles):
        rr = r * (0.45 if shape == "star" and n % 2 else 1.25 if shape != "diamond" else 1.3)
        rad = np.deg2rad(a)
        pts.append(f"{x + rr * np.cos(rad):.1f},{y - rr * np.sin(rad):.1f}")
    return f'<polygon points="{" ".join(pts)}" fill="{colour}"/>'


def opinion_map_svg(
    result: AnalysisResult,
    *,
    width: int = 640,
    height: int = 480,
    title: str = "Opinion map",
    text: MapText | None = None,
) -> str:
    """Draw the participants at their opinion-map positions, one marker shape per group.

    Unclustered participants are small hollow grey circles. Above ``MAX_POINTS`` points an
    evenly spaced subset is drawn (the legend says so). All text is escaped.
    """
    return draw_opinion_map(
        result.embedding,
        result.labels,
        result.n_groups,
        width=width,
        height=height,
        text=text or MapText(title=title),
    )


def draw_opinion_map(
    positions: FloatArray,
    labels: IntArray,
    n_groups: int,
    *,
    width: int = 640,
    height: int = 480,
    text: MapText | None = None,
) -> str:
    """:func:`opinion_map_svg` from positions (n, 2+) and groups (-1: not clustered)."""
    text = text or MapText()
    emb = np.asarray(positions, dtype=np.float64)
    if emb.size == 0:
        emb = np.zeros((0, 2))
    labels = np.asarray(labels, dtype=np.int64)
    title = text.title
    n = len(labels)
    idx = np.arange(n)
    if n > MAX_POINTS:
        idx = np.linspace(0, n - 1, MAX_POINTS).round().astype(np.int64)
    legend_w, pad = 170, 24
    plot_w, plot_h = width - legend_w - 2 * pad, height - 2 * pad - 20
    xy = emb[idx, :2] if emb.shape[0] else np.zeros((0, 2))
    lo = xy.min(axis=0) if len(xy) else np.zeros(2)
    hi = xy.max(axis=0) if len(xy) else np.ones(2)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{pad}" y="{pad}" font-family="sans-serif" font-size="14">{escape(title)}</text>',
        f'<rect x="{pad}" y="{pad + 10}" width="{plot_w}" height="{plot_h}" fill="none" '
        'stroke="#999999"/>',
    ]
    idx = idx[np.argsort(labels[idx] >= 0, kind="stable")]  # unclustered drawn underneath
    for i in idx:
        px = pad + (emb[i, 0] - lo[0]) / span[0] * (plot_w - 20) + 10
        py = pad + 10 + plot_h - ((emb[i, 1] - lo[1]) / span[1] * (plot_h - 20) + 10)
        g = int(labels[i])
        if g < 0:
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="2" fill="none" stroke="#999999"/>'
            )
        else:
            parts.append(_marker(SHAPES[g % len(SHAPES)], px, py, 3.2, COLOURS[g % len(COLOURS)]))
    lx = width - legend_w
    parts.append(
        f'<text x="{lx}" y="{pad + 16}" font-family="sans-serif" font-size="13">'
        f"{escape(text.groups)}</text>"
    )
    for g in range(n_groups):
        y = pad + 38 + 22 * g
        size = int((labels == g).sum())
        parts.append(_marker(SHAPES[g % len(SHAPES)], lx + 8, y - 4, 5, COLOURS[g % len(COLOURS)]))
        parts.append(
            f'<text x="{lx + 20}" y="{y}" font-family="sans-serif" font-size="12">'
            f"{escape(text.group % {'letter': group_letter(g)})}: {size}</text>"
        )
    y = pad + 38 + 22 * n_groups
    parts.append(f'<circle cx="{lx + 8}" cy="{y - 4}" r="3" fill="none" stroke="#999999"/>')
    parts.append(
        f'<text x="{lx + 20}" y="{y}" font-family="sans-serif" font-size="12">'
        f"{escape(text.not_clustered)}: {int((labels < 0).sum())}</text>"
    )
    if n > MAX_POINTS:
        parts.append(
            f'<text x="{lx}" y="{y + 22}" font-family="sans-serif" font-size="11">'
            f"{escape(text.drawn % {'shown': len(idx), 'total': n})}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)
