"""PostgreSQL stopped and started again under a vote load: 503 while it is down, never 500,
the server recovers by itself, and every acknowledged vote is stored.

The cluster is one of this test's own (the session's shared server is never stopped), on a
free loopback port. ``pg_ctl stop -m fast`` terminates the sessions as a maintenance
restart does; ``-m immediate`` is a crash of the database server (it recovers from its WAL).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.harness import (
    UNLIMITED,
    Cluster,
    VoteLoad,
    count_stored,
    join,
    seed_round,
    wait_until,
)
from tests.web.conftest import start_server, stop_server

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

BEFORE = 30  # votes acknowledged before the stop ...
DOWN = 12  # ... answers (503s) while the database is down ...
AFTER = 30  # ... and votes acknowledged after it is back


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    try:
        c = Cluster()  # under $TMPDIR: pytest's own folders are closed to the postgres user
    except (FileNotFoundError, OSError) as exc:
        pytest.fail(f"cannot start a throw-away PostgreSQL cluster: {exc}")
    try:
        yield c
    finally:
        c.remove()


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_postgres_down_is_503_then_the_server_recovers_and_nothing_is_lost(
    cluster: Cluster, tmp_path: Path, mode: str
) -> None:
    url = cluster.create_database()
    seeded = seed_round(url)
    server = start_server(url, tmp_path, "--job-workers", "0", env=UNLIMITED)
    load = VoteLoad(server.url, join(server.url, seeded.tokens, 24), seeded.statements)
    try:
        load.start()
        wait_until(lambda: load.count("before") >= BEFORE, 60, "votes before the stop")
        load.set_phase("stopping")
        cluster.stop(mode)
        load.set_phase("down")
        wait_until(lambda: load.count("down", "503") >= DOWN, 60, "503 answers while down")
        load.set_phase("starting")
        cluster.start()
        load.set_phase("after")
        wait_until(lambda: load.count("after") >= AFTER, 60, "votes after the restart")
    finally:
        load.stop()
        stop_server(server)
    tally = count_stored(url, load.acked)
    print(mode, dict(load.answers), tally.line(), "retry-after", dict(load.retry_after))
    log = server.log.read_text()[-3000:]
    for phase, answers in load.answers.items():
        # No answer of any phase claims an unexpected failure: a dead database is a 503.
        assert set(answers) <= {"201", "503", "connection error"}, (
            phase,
            answers,
            load.samples,
            log,
        )
    assert load.count("down", "201") == 0  # nothing is acknowledged without a database
    sample = load.samples["down 503"]
    assert '"code":"store_unavailable"' in sample.replace(" ", ""), sample
    assert "database" in sample
    assert load.retry_after, "no 503 said when to try again (Retry-After)"
    assert not tally.lost, f"{tally.line()}: {tally.lost[:5]}"
    assert not tally.wrong, tally.wrong[:5]
    assert tally.stored == tally.acknowledged >= BEFORE + AFTER
