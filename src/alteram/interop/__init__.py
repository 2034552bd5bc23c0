"""alteram.interop: read and write other tools' formats (Polis exports)."""

from alteram.interop.polis import PolisExport, read_polis_export

__all__ = ["PolisExport", "read_polis_export"]
