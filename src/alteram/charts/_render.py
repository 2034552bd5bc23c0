"""matplotlib, loaded on first use and set up for inline SVG whose text stays text.

- Nothing GUI: figures are ``matplotlib.figure.Figure`` objects saved by the SVG backend;
  pyplot is never imported.
- ``svg.fonttype = "none"``: every label is a ``<text>`` element, so the browser draws it
  (Chinese with the reader's own fonts), screen readers and copy-paste get the words, and
  print stays vector. matplotlib measures text with its bundled DejaVu Sans, which has no
  Chinese: it warns once per missing glyph while measuring, and only that warning is
  silenced, here, around drawing. The SVG's font-family lists Chinese fonts after DejaVu
  Sans so that browsers fall back to one of them for Chinese characters.
- matplotlib's cache (its font list) goes to ``MPLCONFIGDIR``; when that is unset it is the
  ``matplotlib`` folder in alteram's data folder (a folder of this user's in the temporary
  folder if that cannot be written), never the user's home unless the data folder is there.
- One chart is drawn at a time (matplotlib's global settings are not thread-safe), and the
  last charts drawn are kept: the same inputs give the same SVG.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import re
import tempfile
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Fonts the browser tries in order; DejaVu Sans first because matplotlib measures with it.
FONTS = (
    "DejaVu Sans",
    "Noto Sans",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "PingFang SC",
    "Hiragino Sans GB",
    "Microsoft YaHei",
    "WenQuanYi Micro Hei",
    "sans-serif",
)
FONT_FAMILY = ", ".join(f if f == "sans-serif" else f"'{f}'" for f in FONTS)
MISSING_GLYPH = r"Glyph \d+ .*missing from font"
FONT_SIZE = 11.0

_LOCK = threading.RLock()
_ready = False


def _config_dir() -> str:
    """A writable folder for matplotlib's cache, chosen as the module docstring says."""
    from alteram.config import get_settings

    folder = Path(get_settings().data_dir) / "matplotlib"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
        return str(folder)
    except OSError:
        pass
    # One folder per user in the temporary folder, kept across processes when it is ours.
    uid = os.getuid() if hasattr(os, "getuid") else 0
    shared = Path(tempfile.gettempdir()) / f"alteram-matplotlib-{uid}"
    try:
        shared.mkdir(mode=0o700, exist_ok=True)
        if not shared.is_symlink() and shared.stat().st_uid == uid:
            return str(shared)
    except OSError:
        pass
    return tempfile.mkdtemp(prefix="alteram-matplotlib-")


def load() -> None:
    """Point matplotlib at its cache folder; call before importing anything of matplotlib."""
    global _ready
    if _ready:
        return
    if not os.environ.get("MPLCONFIGDIR"):
        os.environ["MPLCONFIGDIR"] = _config_dir()
    _ready = True


def _rc(key: str) -> Any:
    """matplotlib settings; ``key`` seeds the ids matplotlib generates."""
    return {
        "svg.hashsalt": key,
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.sans-serif": list(FONTS[:-1]),
        "font.size": FONT_SIZE,
        "axes.titlesize": FONT_SIZE + 1,
        "axes.edgecolor": "#555555",
        "axes.linewidth": 0.8,
        "axes.grid": False,
        "grid.color": "#d0d0d0",
        "grid.linewidth": 0.8,
        "xtick.color": "#333333",
        "ytick.color": "#333333",
        "legend.fontsize": FONT_SIZE,
        "legend.title_fontsize": FONT_SIZE,
        "figure.dpi": 72,
        "savefig.dpi": 72,
        "path.simplify": False,
        "text.parse_math": False,  # a "$" in a name is a dollar sign, not mathematics
    }


@contextmanager
def drawing(key: str) -> Iterator[Callable[..., Figure]]:
    """Draw one chart: yields a function making a figure on the SVG canvas, with
    alteram's settings in force (keyword arguments go to ``Figure``).

    ``key`` seeds the SVG's generated ids, so the same chart gives the same SVG.
    """
    with _LOCK:
        load()
        import matplotlib
        from matplotlib.backends.backend_svg import FigureCanvasSVG
        from matplotlib.figure import Figure

        def new_figure(**kwargs: object) -> Figure:
            fig = Figure(**kwargs)  # type: ignore[arg-type]
            FigureCanvasSVG(fig)
            return fig

        with (
            matplotlib.rc_context(_rc(key)),
            warnings.catch_warnings(),
        ):
            warnings.filterwarnings("ignore", message=MISSING_GLYPH, category=UserWarning)
            yield new_figure


_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(xlink:href="#|href="#|url\(#)([^")]+)')
_FONT = re.compile(r"font-family: [^;\"]*(; )?")
_STYLE = re.compile(r' style="([^"]*)"')


def _as_attributes(match: re.Match[str]) -> str:
    """A ``style`` attribute as SVG presentation attributes (``fill="#333"``): the page's
    Content-Security-Policy allows no inline style, and these are not style."""
    out = []
    for declaration in match.group(1).split(";"):
        name, _, value = declaration.partition(":")
        if name.strip() and value.strip():
            out.append(f' {name.strip()}="{value.strip()}"')
    return "".join(out)


def to_svg(fig: Figure, *, key: str, title: str, desc: str, css_class: str = "chart") -> str:
    """The figure as an SVG element for inline HTML (and for a standalone file).

    It scales with its container (a ``viewBox``, ``width="100%"``, no fixed height), has an
    accessible name (``<title>``) and description (``<desc>``), and its ids are prefixed
    with ``key`` so that several charts can share a page.
    """
    buffer = io.StringIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=MISSING_GLYPH, category=UserWarning)
        fig.savefig(
            buffer,
            format="svg",
            metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
        )
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\s*<style type="text/css">[^<]*</style>', "", svg)
    svg = re.sub(r"<defs>\s*</defs>\s*", "", svg)
    svg = _ID.sub(lambda m: f'id="{key}-{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}{key}-{m.group(2)}", svg)
    svg = _FONT.sub("", svg)
    svg = _STYLE.sub(_as_attributes, svg)
    head_end = svg.index(">") + 1
    view_box = re.search(r'viewBox="([^"]+)"', svg[:head_end])
    assert view_box is not None  # matplotlib always writes one
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'version="1.1" viewBox="{view_box.group(1)}" width="100%" class="{css_class}" '
        f'role="img" aria-labelledby="{key}-title {key}-desc" stroke-linejoin="round" '
        f'font-family="{FONT_FAMILY}">'
        f'<title id="{key}-title">{escape(title)}</title>'
        f'<desc id="{key}-desc">{escape(desc)}</desc>'
    )
    return head + svg[head_end:].strip() + "\n"


def warm_up() -> None:
    """Load matplotlib and build its font list now (a server calls this in the background
    after start-up, so that the first page with a chart does not wait for it)."""
    with drawing("warm-up") as new_figure:
        fig = new_figure(figsize=(1, 1))
        fig.subplots().set_title("观点 map")
        fig.savefig(io.StringIO(), format="svg")


P = ParamSpec("P")
_CACHE: OrderedDict[str, str] = OrderedDict()
CACHE_SIZE = 256  # charts
CACHE_CHARS = 32_000_000  # about 32 MB of SVG at most (an opinion map is up to ~1 MB)
_cached_chars = 0


def _digest(value: Any, h: Any) -> None:
    if isinstance(value, np.ndarray):
        h.update(f"array{value.dtype}{value.shape}".encode())
        h.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, Mapping):
        h.update(b"{")
        for k, v in value.items():
            _digest(k, h)
            _digest(v, h)
        h.update(b"}")
    elif isinstance(value, list | tuple):
        h.update(b"[")
        for v in value:
            _digest(v, h)
        h.update(b"]")
    else:
        h.update(f"{type(value).__name__}:{value!r};".encode())


def memoized(draw: Callable[P, str]) -> Callable[P, str]:
    """Keep the last ``CACHE_SIZE`` charts drawn (``CACHE_CHARS`` characters at most): the
    same inputs give the same SVG, so a page shown again (the usual case) does not draw
    again."""

    @functools.wraps(draw)
    def cached(*args: P.args, **kwargs: P.kwargs) -> str:
        global _cached_chars
        h = hashlib.sha256(draw.__qualname__.encode())
        _digest([args, sorted(kwargs.items())], h)
        key = h.hexdigest()
        with _LOCK:
            if key in _CACHE:
                _CACHE.move_to_end(key)
                return _CACHE[key]
        svg = draw(*args, **kwargs)
        with _LOCK:
            if key in _CACHE:  # drawn meanwhile by another thread
                _cached_chars -= len(_CACHE[key])
            _CACHE[key] = svg
            _cached_chars += len(svg)
            while _CACHE and (len(_CACHE) > CACHE_SIZE or _cached_chars > CACHE_CHARS):
                _cached_chars -= len(_CACHE.popitem(last=False)[1])
        return svg

    return cached
