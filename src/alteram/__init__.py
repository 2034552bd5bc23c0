"""alteram: structured dialogue between groups that hold different values.

*Audi alteram partem* -- hear the other side. The package is layered (see DESIGN.md §4):
``engine`` and ``moves`` are pure computation; ``store`` owns the database; ``service``
holds the use cases; ``interop`` reads and writes files of other tools; ``web`` and
``cli`` are thin layers on top.
"""

__version__ = "0.1.0"
