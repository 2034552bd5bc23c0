"""``/docs``: Swagger UI over ``/openapi.json``, served by the app itself, under a CSP that
allows this origin only (it works offline and sends no request to another host).

Swagger UI's files (``swagger-ui-bundle.js``, ``swagger-ui.css``) come from the
``fastapi-offline`` package, which ships Swagger UI 5 (``swagger-ui-bundle`` on PyPI ships
Swagger UI 4, which cannot render the OpenAPI 3.1 document FastAPI writes). Only the files
named in :data:`ASSETS` are served, under ``/docs/assets/``. The page's one inline script
(which starts Swagger UI) is allowed by its hash.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from alteram.errors import N_, NotFound
from alteram.web.middleware import csp_hash, policy

router = APIRouter(include_in_schema=False)

ASSET_DIR = Path(str(resources.files("fastapi_offline") / "static"))
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon.png": "image/png",
}
PREFIX = "/docs/assets/"

_PAGE = get_swagger_ui_html(
    openapi_url="/openapi.json",
    title="alteram API",
    swagger_js_url=PREFIX + "swagger-ui-bundle.js",
    swagger_css_url=PREFIX + "swagger-ui.css",
    swagger_favicon_url=PREFIX + "favicon.png",
)
_BODY = bytes(_PAGE.body).decode("utf-8")
_INLINE = re.findall(r"<script>(.*?)</script>", _BODY, flags=re.DOTALL)

DOCS_POLICY = policy(
    script=[csp_hash(s) for s in _INLINE],
    # Swagger UI sets style attributes as it renders; nothing a person wrote is shown there.
    style=["'unsafe-inline'"],
)


@router.get("/docs", response_class=HTMLResponse)
def docs() -> HTMLResponse:
    return HTMLResponse(_BODY)


@router.get("/docs/assets/{name}")
def asset(name: str) -> FileResponse:
    """One of Swagger UI's files, from the installed package (cached for a day)."""
    if name not in ASSETS:
        raise NotFound(N_("no such file of the API documentation."))
    return FileResponse(
        ASSET_DIR / name,
        media_type=ASSETS[name],
        headers={"Cache-Control": "public, max-age=86400"},
    )
