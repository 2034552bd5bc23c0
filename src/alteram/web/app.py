"""The web application: server-rendered pages and the JSON API under /api."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from alteram import __version__, charts
from alteram.config import Settings, get_settings
from alteram.service import ratelimit
from alteram.store.database import Store
from alteram.store.migrate import ensure_schema
from alteram.web import docs, errors, logs
from alteram.web.api import dialogues as dialogues_api
from alteram.web.api import exports as exports_api
from alteram.web.api import facilitation as facilitation_api
from alteram.web.api import feedback as feedback_api
from alteram.web.api import invites as invites_api
from alteram.web.api import jobs as jobs_api
from alteram.web.api import participation as participation_api
from alteram.web.api import people as people_api
from alteram.web.api import results as results_api
from alteram.web.api import stewardship as stewardship_api
from alteram.web.api import translations as translations_api
from alteram.web.api import understanding as understanding_api
from alteram.web.fast_vote import FastVote
from alteram.web.middleware import BodyLimit, ClientAddress, SecurityHeaders, csp_hash, policy
from alteram.web.pages import dialogues as dialogues_pages
from alteram.web.pages import facilitate as facilitate_pages
from alteram.web.pages import facilitate_round as facilitate_round_pages
from alteram.web.pages import feedback as feedback_pages
from alteram.web.pages import invites as invites_pages
from alteram.web.pages import live as live_pages
from alteram.web.pages import participate as participate_pages
from alteram.web.pages import people as people_pages
from alteram.web.pages import report as report_pages
from alteram.web.pages import results as results_pages
from alteram.web.pages import summary as summary_pages
from alteram.web.pages import timeline as timeline_pages
from alteram.web.pages import translate as translate_pages
from alteram.web.pages import understand as understand_pages
from alteram.web.render import configure as configure_templates

PAGES = (
    dialogues_pages,
    participate_pages,
    feedback_pages,
    live_pages,
    invites_pages,
    people_pages,
    facilitate_pages,
    facilitate_round_pages,
    results_pages,
    understand_pages,
    timeline_pages,
    report_pages,
    translate_pages,
    summary_pages,
)
APIS = (
    dialogues_api,
    participation_api,
    feedback_api,
    facilitation_api,
    exports_api,
    results_api,
    understanding_api,
    translations_api,
    jobs_api,
    stewardship_api,
    invites_api,
    people_api,
)

HERE = Path(__file__).resolve().parent
WARM_UP_AFTER_S = 1.0


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """Build the application; it migrates a new or outdated database at start-up.

    Refuses to start with the development secret key unless ``settings.dev`` is set.
    """
    settings = settings or get_settings()
    settings.check_secret()
    ratelimit.configure(enabled=settings.rate_limits == "on")
    logs.install()
    own_store = store is None
    the_store = store or Store(
        settings.resolved_database_url(), connections=settings.db_connections
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ensure_schema(the_store)
        # matplotlib loads in the background once the server is up, so neither start-up
        # nor the first page with a chart waits for it.
        warm = threading.Timer(WARM_UP_AFTER_S, charts.warm_up)
        warm.daemon = True
        warm.start()
        yield
        warm.cancel()
        if own_store:
            the_store.dispose()

    app = FastAPI(
        title="alteram",
        version=__version__,
        description="Structured dialogue between groups that hold different values.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = the_store
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    configure_templates(templates.env)
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    errors.install(app)
    for module in (*PAGES, *APIS, docs):
        app.include_router(module.router)
    # The report page may inline the stylesheet (for printing); its hash allows exactly that.
    css = (HERE / "static" / "style.css").read_text(encoding="utf-8")
    app.add_middleware(FastVote)  # innermost: the common vote, answered without the router
    app.add_middleware(ClientAddress)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(
        SecurityHeaders,
        page_policy=policy(style=[csp_hash(css)]),
        docs_policy=docs.DOCS_POLICY,
        https=settings.https,
    )

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    return app
