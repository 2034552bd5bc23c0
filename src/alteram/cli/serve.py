"""``alteram serve``: run the web application and its job workers."""

from __future__ import annotations

import typer

from alteram.config import get_settings


def serve(
    host: str | None = typer.Option(None, help="Address to listen on [ALTERAM_HOST]."),
    port: int | None = typer.Option(None, help="Port to listen on [ALTERAM_PORT]."),
    workers: int = typer.Option(1, min=1, help="Worker processes."),
    job_workers: int = typer.Option(
        1,
        "--job-workers",
        min=0,
        help="Job worker processes to start beside the web server (0: none; then run "
        "'alteram worker' yourself).",
    ),
) -> None:
    """Start the web server and its job workers (migrating a new database first)."""
    import uvicorn

    from alteram.cli.children import job_workers as started
    from alteram.cli.common import open_store
    from alteram.store.migrate import ensure_schema

    settings = get_settings()
    store = open_store(must_exist=False)
    ensure_schema(store)
    store.dispose()
    with started(job_workers):
        uvicorn.run(
            "alteram.web.app:create_app",
            factory=True,
            host=host or settings.host,
            port=port or settings.port,
            workers=workers,
            log_level="info",
        )
