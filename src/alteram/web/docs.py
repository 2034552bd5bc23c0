"""``/docs``: Swagger UI over ``/openapi.json``, under a CSP that allows this origin only.

The page's one inline script (which starts Swagger UI) is allowed by its hash. Its assets
(``swagger-ui-bundle.js`` and ``swagger-ui.css``) are still FastAPI's defaults on a CDN,
which the CSP blocks: until they are served from ``/static`` (pass ``swagger_js_url`` and
``swagger_css_url`` below), ``/docs`` shows an empty page; ``/openapi.json`` is complete.
"""

from __future__ import annotations

import re

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from alteram.web.middleware import csp_hash, policy

router = APIRouter(include_in_schema=False)

_PAGE = get_swagger_ui_html(openapi_url="/openapi.json", title="alteram API")
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
