"""``/api`` exports: a round's data as JSON, as CSV files (the Polis set among them) and as
one ZIP of them all, for its facilitation team; the JSON Schema of the JSON, for anyone."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from fastapi import APIRouter, Response

from alteram.errors import N_, NotFound
from alteram.service.export_schema import NAME, shipped_schema
from alteram.service.exports import as_csv, as_json, round_data
from alteram.web.access import TeamRound
from alteram.web.api.common import errors
from alteram.web.auth import FacilitatorDep
from alteram.web.deps import StoreDep
from alteram.web.params import IdPath

router = APIRouter(prefix="/api", tags=["exports"])


@router.get(
    "/export-schema.json",
    responses=errors(validated=False),
    summary="The JSON Schema of a round export (round.json)",
)
def export_schema() -> dict[str, Any]:
    return shipped_schema()


@router.get(
    "/rounds/{round_id}/export.json",
    responses=errors(401, 403, 404),
    summary="A round's data as one JSON document (the team's; see /api/export-schema.json)",
)
def export_json(
    round_id: IdPath, store: StoreDep, who: FacilitatorDep, access: TeamRound
) -> dict[str, Any]:
    return as_json(round_data(store, round_id=round_id))


@router.get(
    "/rounds/{round_id}/export.zip",
    responses={
        **errors(401, 403, 404),
        200: {
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            "description": "Every CSV file, round.json and the schema.",
        },
    },
    response_class=Response,
    summary="A round's whole export as one ZIP file (the team's)",
)
def export_zip(
    round_id: IdPath, store: StoreDep, who: FacilitatorDep, access: TeamRound
) -> Response:
    data = round_data(store, round_id=round_id)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in as_csv(data).items():
            z.writestr(name, text)
        z.writestr("round.json", json.dumps(as_json(data), ensure_ascii=False, indent=1))
        z.writestr(NAME, json.dumps(shipped_schema(), indent=1))
    return Response(
        out.getvalue(),
        media_type="application/zip",
        headers={"content-disposition": f'attachment; filename="round-{round_id}-export.zip"'},
    )


@router.get(
    "/rounds/{round_id}/export/{name}",
    responses={
        **errors(401, 403, 404),
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "A CSV file.",
        },
    },
    response_class=Response,
    summary="One CSV file of a round's export: summary.csv, comments.csv, votes.csv, "
    "participants-votes.csv (Polis's layout) and the rest (the team's)",
)
def export_csv(
    round_id: IdPath,
    name: str,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamRound,
) -> Response:
    files = as_csv(round_data(store, round_id=round_id))
    if name not in files:
        raise NotFound(
            N_("there is no export named %(name)s."),
            params={"name": name[:60]},
            hint=N_("Choose one of the files the round's page links to."),
        )
    return Response(
        files[name],
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )
