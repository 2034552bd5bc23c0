"""How ``alteram serve --workers N`` shares PostgreSQL's connections among its workers."""

from __future__ import annotations

import pytest

from alteram.cli.web_workers import MARGIN, per_worker, plan
from alteram.errors import ConfigurationError
from alteram.store.database import Store


def test_workers_share_what_the_server_leaves() -> None:
    # 100 - 3 reserved - the margin - one job worker's 3 = 87, shared by 4 workers
    each = per_worker(max_connections=100, reserved=3, workers=4, job_workers=1, wanted=50)
    assert each == (100 - 3 - MARGIN - 3) // 4
    assert 4 * each + 3 + MARGIN + 3 <= 100


def test_a_worker_never_opens_more_than_asked() -> None:
    assert per_worker(max_connections=500, reserved=3, workers=2, job_workers=1, wanted=50) == 50


def test_too_many_workers_for_the_server_is_refused_with_what_to_do() -> None:
    with pytest.raises(ConfigurationError) as caught:
        per_worker(max_connections=20, reserved=3, workers=8, job_workers=1, wanted=50)
    assert "max_connections" in str(caught.value.hint)


def test_sqlite_keeps_one_worker_and_says_why(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = Store(f"sqlite+pysqlite:///{tmp_path / 'a.db'}")
    try:
        chosen = plan(store, workers=4, job_workers=1, wanted=50)
    finally:
        store.dispose()
    assert chosen.workers == 1
    assert chosen.note is not None and "PostgreSQL" in chosen.note


@pytest.mark.postgres
def test_on_postgresql_the_plan_reads_the_server_s_limit(postgres_server: str) -> None:
    store = Store(postgres_server + "postgres")
    try:
        chosen = plan(store, workers=4, job_workers=1, wanted=50)
        with store.engine.connect() as c:
            limit = int(c.exec_driver_sql("SHOW max_connections").scalar_one())
    finally:
        store.dispose()
    assert chosen.workers == 4
    assert chosen.connections * 4 <= limit - MARGIN
