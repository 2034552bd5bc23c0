"""``alteram report ROUND_ID --out report.html``: the round report as one HTML file."""

from __future__ import annotations

from pathlib import Path

import typer

from alteram.cli.common import console, open_store


def report(
    round_id: int = typer.Argument(..., help="The round's id."),
    out: Path = typer.Option(Path("report.html"), "--out", help="Where to write the HTML."),
    lang: str = typer.Option("en", help="Language of the page: en or zh."),
) -> None:
    """Write the round report (prints well to PDF from a browser)."""
    from alteram.errors import InvalidInput
    from alteram.web.pages.report import render_report

    if lang not in ("en", "zh"):
        raise InvalidInput(f"--lang must be en or zh, not {lang!r}.")
    html = render_report(open_store(), round_id, lang=lang)
    out.write_text(html, encoding="utf-8")
    console.print(f"Report of round {round_id} written to {out}.", markup=False)
