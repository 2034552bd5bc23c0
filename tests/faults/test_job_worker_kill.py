"""A job worker killed (SIGKILL) in the middle of a real analysis job: another worker takes
the job over once its lease runs out, runs it again, and the analysis is stored once.

The round is generated large enough (two planted opinion groups) that its analysis takes a
few seconds, so the kill lands while the engine runs; the test checks that it did.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, insert, select

from alteram.service.analyses import JOB_KIND, latest_analysis
from alteram.service.dialogues import create_dialogue
from alteram.service.jobs import enqueue, get_job
from alteram.service.participation import add_statement, admit, moderate_statement
from alteram.service.rounds import create_round, open_round
from alteram.store.database import Store
from alteram.store.schema import Analysis, Participant, Vote
from tests.faults.harness import wait_until
from tests.service.test_job_workers import Workers

pytestmark = pytest.mark.slow

PEOPLE, STATEMENTS, DENSITY = 4000, 60, 0.6


def planted_round(store: Store) -> tuple[int, int]:
    """A round of two planted groups; returns (round id, number of votes)."""
    created = create_dialogue(store, title="A large round", sides=["North", "South"])
    round_id = create_round(store, dialogue_id=created.dialogue_id, topics=["Load"])
    open_round(store, round_id=round_id)
    statements = []
    for j in range(STATEMENTS):
        token = created.invite_tokens[created.side_ids[j % 2]]
        author = admit(store, token=token, display_name=f"author {j}")
        sid = add_statement(
            store,
            participant_id=author.participant_id,
            round_id=round_id,
            text=f"Statement {j} about the river.",
            read_move=False,
        )
        moderate_statement(store, statement_id=sid, accept=True)
        statements.append(sid)
    rng = np.random.default_rng(3)
    stance = rng.choice(np.array([-1, 1]), size=(2, STATEMENTS))
    with store.write() as session:
        people = list(
            session.scalars(
                insert(Participant).returning(Participant.id, sort_by_parameter_order=True),
                [
                    {
                        "dialogue_id": created.dialogue_id,
                        "side_id": created.side_ids[p % 2],
                        "role": "participant",
                        "display_name": f"p{p}",
                    }
                    for p in range(PEOPLE)
                ],
            )
        )
        rows = []
        for p, pid in enumerate(people):
            group = (p // 2) % 2  # groups cut across the sides
            for j in np.flatnonzero(rng.random(STATEMENTS) < DENSITY):
                vote = int(stance[group, j]) * (-1 if rng.random() < 0.1 else 1)
                rows.append({"participant_id": pid, "statement_id": statements[j], "value": vote})
        session.execute(insert(Vote), rows)
    return round_id, len(rows)


def test_a_worker_killed_mid_analysis_leaves_it_to_another_which_completes_it(
    database_url: str, tmp_path: Path
) -> None:
    store = Store(database_url)
    workers = Workers(database_url, tmp_path)
    try:
        round_id, n_votes = planted_round(store)
        with store.write() as session:
            job_id = enqueue(session, kind=JOB_KIND, payload={"round_id": round_id})
        assert job_id is not None
        victim = workers.start("victim", "--lease", "3")
        wait_until(
            lambda: get_job(store, job_id=job_id).state == "running", 90, "the analysis to start"
        )
        time.sleep(0.5)  # into the analysis: reading the votes, the engine
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
        held = get_job(store, job_id=job_id)
        assert held.state == "running" and held.locked_by == "victim", held  # died mid-job
        assert latest_analysis(store, round_id=round_id) is None  # it stored nothing
        heir = workers.start("heir", "--lease", "3")
        wait_until(
            lambda: get_job(store, job_id=job_id).state in ("done", "failed"),
            90,
            "the analysis to be done",
            interval=0.2,
        )
        job = get_job(store, job_id=job_id)
        heir_alive = heir.poll() is None
        stored = latest_analysis(store, round_id=round_id)
        with store.read() as session:
            versions = session.scalar(
                select(func.count(Analysis.id)).where(Analysis.round_id == round_id)
            )
    finally:
        workers.stop_all()
        store.dispose()
    print(f"{n_votes} votes; job {job.state} after {job.attempts} attempts: {job.last_error}")
    assert job.state == "done", (job, workers.log("heir").read_text()[-2000:])
    assert job.attempts == 2 and job.locked_by == "heir"
    assert job.last_error is not None and job.last_error.startswith("WorkerLost: worker victim")
    assert heir_alive
    assert stored is not None and versions == 1
    assert stored.result["n_votes"] == n_votes
    assert stored.result["n_groups"] == 2, stored.result["n_groups"]  # the planted groups
