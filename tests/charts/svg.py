"""Reading the charts back: texts with their estimated boxes, ticks, markers.

Box widths are estimated independently of the code under test: a Chinese character is one
em wide, any other character 0.6 em (DejaVu Sans averages about 0.55-0.6; browsers' fonts
are rarely wider), and a line is one em tall: 0.8 em above the baseline, 0.2 em below.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass

NS = {"svg": "http://www.w3.org/2000/svg", "xlink": "http://www.w3.org/1999/xlink"}
SVG = "{http://www.w3.org/2000/svg}"
HREF = "{http://www.w3.org/1999/xlink}href"


@dataclass(frozen=True)
class Label:
    text: str
    left: float
    right: float
    top: float
    bottom: float

    def overlaps(self, other: Label) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def em(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)


def labels(root: ET.Element) -> list[Label]:
    """Every visible text element with its estimated box (x to the right, y down)."""
    found = []
    for t in root.iter(f"{SVG}text"):
        text = t.text or ""
        if not text.strip():
            continue
        size = float(t.get("font-size", "").removesuffix("px"))  # a presentation attribute
        anchor = t.get("text-anchor")
        x, y = float(t.get("x", 0)), float(t.get("y", 0))
        moved = re.search(r"translate\(([-\d.]+)[ ,]([-\d.]+)\)", t.get("transform", ""))
        if moved:  # matplotlib places the lines of a multi-line text this way
            x, y = x + float(moved.group(1)), y + float(moved.group(2))
        width = em(text) * size
        left = {"middle": x - width / 2, "end": x - width}.get(anchor or "start", x)
        found.append(Label(text, left, left + width, y - 0.8 * size, y + 0.2 * size))
    return found


def overlapping(found: list[Label]) -> list[tuple[str, str]]:
    return [(a.text, b.text) for i, a in enumerate(found) for b in found[i + 1 :] if a.overlaps(b)]


def by_id_suffix(root: ET.Element, suffix: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("id", "").endswith(suffix)]


def y_ticks(root: ET.Element) -> list[tuple[str, float]]:
    """(label, y) of each value-axis tick, bottom to top."""
    ticks = []
    for g in root.iter(f"{SVG}g"):
        if re.search(r"-ytick_\d+$", g.get("id", "")):
            mark = next(g.iter(f"{SVG}use"))
            text = next(g.iter(f"{SVG}text")).text or ""
            ticks.append((text, float(mark.get("y", "nan"))))
    return sorted(ticks, key=lambda t: -t[1])


def x_ticks(root: ET.Element) -> list[tuple[str, float]]:
    """(label, x) of each round, left to right; the label is "" where it was thinned."""
    ticks = []
    for g in root.iter(f"{SVG}g"):
        if re.search(r"-xtick_\d+$", g.get("id", "")):
            mark = next(g.iter(f"{SVG}use"))
            text = "\n".join(t.text or "" for t in g.iter(f"{SVG}text"))
            ticks.append((text, float(mark.get("x", "nan"))))
    return sorted(ticks, key=lambda t: t[1])


def markers(group: ET.Element) -> list[tuple[float, float]]:
    return [(float(u.get("x", "nan")), float(u.get("y", "nan"))) for u in group.iter(f"{SVG}use")]
