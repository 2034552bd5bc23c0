"""Votes over HTTP trigger the automatic analysis, which runs in a separate process."""

from __future__ import annotations

import time

import httpx

from alteram.service.analyses import latest_analysis
from alteram.service.dialogues import replace_invite
from alteram.service.facilitation import set_analysis_interval
from alteram.store.database import Store
from tests.web.conftest import LiveServer


def test_votes_lead_to_a_new_analysis_version(demo_server: LiveServer) -> None:
    store = Store(demo_server.database_url)
    try:
        set_analysis_interval(store, round_id=3, every=3)
        before = latest_analysis(store, round_id=3)
        token = replace_invite(store, side_id=1)
    finally:
        store.dispose()
    joined = httpx.post(demo_server.url + "/api/join", json={"token": token})
    auth = {"authorization": "Bearer " + joined.json()["session_token"]}
    todo = httpx.get(demo_server.url + "/api/rounds/3/next?limit=20", headers=auth).json()
    ids = []
    for st in todo:
        r = httpx.post(
            f"{demo_server.url}/api/statements/{st['id']}/votes",
            headers=auth,
            json={"value": 1, "predictions": {"2": 60}},
        )
        assert r.status_code == 201
        ids.append(r.json()["vote_id"])
    assert any(i % 10 == 0 for i in ids)  # a vote that looks whether an analysis is due
    deadline = time.monotonic() + 90
    store = Store(demo_server.database_url)
    try:
        while time.monotonic() < deadline:
            now = latest_analysis(store, round_id=3)
            if now is not None and (before is None or now.version > before.version):
                assert now.result["n_votes"] > (before.result["n_votes"] if before else 0)
                return
            time.sleep(0.5)
    finally:
        store.dispose()
    raise AssertionError("no new analysis version appeared after the votes")
