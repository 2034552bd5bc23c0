"""Charts drawn on the server with matplotlib, as SVG whose text stays text.

Presentation, not computation: the engine computes positions and groups, this package
draws them; the web pages and the CLI give it words in the reader's language. matplotlib
is imported on the first drawing, not with this package.
"""

from alteram.charts._render import warm_up
from alteram.charts.lines import line_chart, value_ticks
from alteram.charts.opinion_map import MAX_POINTS, MapText, opinion_map_svg

__all__ = ["MAX_POINTS", "MapText", "line_chart", "opinion_map_svg", "value_ticks", "warm_up"]
