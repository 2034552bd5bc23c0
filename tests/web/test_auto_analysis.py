"""Votes over HTTP queue an automatic analysis, which a job worker of the server runs."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from bs4 import BeautifulSoup

from alteram.service.accounts import create_facilitator
from alteram.service.analyses import latest_analysis
from alteram.service.dialogues import replace_invite
from alteram.service.facilitation import set_analysis_interval
from alteram.store.database import Store
from tests.factories import own
from tests.web.conftest import LiveServer

PASSWORD = "a long enough passphrase"


def _vote_all(server: LiveServer, token: str) -> list[int]:
    """Join by the link, then vote on every statement offered; the HTTP statuses."""
    with httpx.Client(base_url=server.url, timeout=60) as client:
        joined = client.post("/api/join", json={"token": token})
        assert joined.status_code == 201, joined.text
        auth = {"authorization": "Bearer " + joined.json()["session_token"]}
        todo = client.get("/api/rounds/3/next?limit=20", headers=auth).json()
        return [
            client.post(
                f"/api/statements/{st['id']}/votes",
                headers=auth,
                json={"value": 1, "predictions": {"2": 60}},
            ).status_code
            for st in todo
        ]


def test_votes_lead_to_a_new_analysis_version_done_by_a_job_worker(
    demo_server: LiveServer,
) -> None:
    store = Store(demo_server.database_url)
    try:
        set_analysis_interval(store, round_id=3, every=3)
        before = latest_analysis(store, round_id=3)
        token = replace_invite(store, side_id=1)
        account = create_facilitator(store, email="jobs@example.org", password=PASSWORD)
        own(store, 1, account)
    finally:
        store.dispose()
    with ThreadPoolExecutor(4) as pool:  # four voters at once, while the worker writes too
        statuses = [
            s
            for batch in pool.map(lambda _: _vote_all(demo_server, token), range(4))
            for s in batch
        ]
    assert len(statuses) >= 20 and set(statuses) == {201}
    deadline = time.monotonic() + 90
    store = Store(demo_server.database_url)
    try:
        while True:
            now = latest_analysis(store, round_id=3)
            if now is not None and (before is None or now.version > before.version):
                assert now.result["n_votes"] > (before.result["n_votes"] if before else 0)
                break
            assert time.monotonic() < deadline, "no new analysis version appeared after the votes"
            time.sleep(0.5)
    finally:
        store.dispose()
    # The facilitator sees the job that did it: done, by the server's job worker.
    login = httpx.post(
        demo_server.url + "/api/auth/login",
        json={"email": "jobs@example.org", "password": PASSWORD},
    )
    auth = {"authorization": "Bearer " + login.json()["session_token"]}
    deadline = time.monotonic() + 30
    while True:
        listed = httpx.get(demo_server.url + "/api/dialogues/1/jobs", headers=auth)
        assert listed.status_code == 200, listed.text
        jobs = listed.json()
        done = [j for j in jobs if j["kind"] == "analysis" and j["state"] == "done"]
        if done:
            break
        assert time.monotonic() < deadline, jobs
        time.sleep(0.3)
    assert done[0]["payload"] == {"round_id": 3} and done[0]["key"] == "3"
    assert done[0]["locked_by"].endswith("/job-worker-1") and done[0]["last_error"] is None
    assert httpx.get(demo_server.url + "/api/dialogues/1/jobs").status_code == 401
    joined = httpx.post(demo_server.url + "/api/join", json={"token": token})
    participant = {"authorization": "Bearer " + joined.json()["session_token"]}
    refused = httpx.get(demo_server.url + "/api/dialogues/1/jobs", headers=participant)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "not_signed_in"
    assert httpx.get(demo_server.url + "/api/dialogues/999/jobs", headers=auth).status_code == 404
    page = httpx.get(demo_server.url + "/facilitate/dialogues/1?lang=zh", headers=auth)
    rows = BeautifulSoup(page.text, "html.parser").select("table.jobs tr.job-done")
    assert rows and "分析" in rows[0].get_text() and "已完成" in rows[0].get_text()
