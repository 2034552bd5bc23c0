"""Dependencies shared by pages and API routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from alteram.store.database import Store


def get_store(request: Request) -> Store:
    """The application's store (set up by :func:`alteram.web.app.create_app`)."""
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]
