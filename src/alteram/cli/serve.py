"""``alteram serve``: run the web application."""

from __future__ import annotations

import typer

from alteram.config import get_settings


def serve(
    host: str | None = typer.Option(None, help="Address to listen on [ALTERAM_HOST]."),
    port: int | None = typer.Option(None, help="Port to listen on [ALTERAM_PORT]."),
    workers: int = typer.Option(1, min=1, help="Worker processes."),
) -> None:
    """Start the web server (migrating a new database first)."""
    import uvicorn

    from alteram.cli.common import open_store
    from alteram.store.migrate import ensure_schema

    settings = get_settings()
    store = open_store(must_exist=False)
    ensure_schema(store)
    store.dispose()
    uvicorn.run(
        "alteram.web.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level="info",
    )
