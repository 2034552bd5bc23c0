"""``alteram serve``: run the web application and its job workers."""

from __future__ import annotations

import os

import typer

from alteram.config import get_settings


def serve(
    host: str | None = typer.Option(None, help="Address to listen on [ALTERAM_HOST]."),
    port: int | None = typer.Option(None, help="Port to listen on [ALTERAM_PORT]."),
    workers: int = typer.Option(
        1,
        min=1,
        help="Web worker processes (PostgreSQL only: SQLite serves from one). They share "
        "nothing in memory, so any of them answers any request.",
    ),
    job_workers: int = typer.Option(
        1,
        "--job-workers",
        min=0,
        help="Job worker processes to start beside the web server (0: none; then run "
        "'alteram worker' yourself).",
    ),
    dev: bool = typer.Option(
        False, "--dev", help="Development: allow the development secret key [ALTERAM_DEV=1]."
    ),
) -> None:
    """Start the web server and its job workers (migrating a new database first)."""
    import uvicorn

    from alteram.cli.children import job_workers as started
    from alteram.cli.common import open_store
    from alteram.cli.web_workers import plan
    from alteram.store.migrate import ensure_schema

    # The application is built by each worker from the environment: pass the options on.
    if dev:
        os.environ["ALTERAM_DEV"] = "1"
    if host:
        os.environ["ALTERAM_HOST"] = host
    if port:
        os.environ["ALTERAM_PORT"] = str(port)
    get_settings.cache_clear()
    settings = get_settings()
    settings.check_secret()
    store = open_store(must_exist=False)
    try:
        ensure_schema(store)
        chosen = plan(
            store, workers=workers, job_workers=job_workers, wanted=settings.db_connections
        )
    finally:
        store.dispose()
    if chosen.note:
        typer.secho(chosen.note, fg="yellow", err=True)
    # Each worker builds its store from the environment.
    os.environ["ALTERAM_DB_CONNECTIONS"] = str(chosen.connections)
    get_settings.cache_clear()
    proxies = settings.proxies
    with started(job_workers):
        uvicorn.run(
            "alteram.web.app:create_app",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=chosen.workers,
            log_level="info",
            access_log=settings.access_log == "on",  # ALTERAM_ACCESS_LOG
            # Forwarded client addresses and schemes are believed from these proxies only.
            proxy_headers=bool(proxies),
            forwarded_allow_ips=proxies or None,
            server_header=False,
        )
