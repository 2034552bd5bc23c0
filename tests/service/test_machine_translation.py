"""Machine translation through real local HTTP servers that speak LibreTranslate's and the
chat-completions API: off by default, per dialogue, as jobs, never storing garbage."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select, update

from alteram.backends.doubles import ZH_MARK, ChatDouble, LibreTranslateDouble, Mode
from alteram.config import get_settings
from alteram.errors import Conflict
from alteram.service import machine_translation
from alteram.service.jobs import claim, list_jobs
from alteram.service.jobs.worker import run_job
from alteram.service.participation import statements_to_vote
from alteram.service.translations import translate
from alteram.store.database import Store
from alteram.store.schema import Job, Translation, utcnow
from tests.factories import World, make_world, statement

EN = "We would like to know how you see this."
ZH = "我们想了解贵方的看法。"


def _use(monkeypatch: pytest.MonkeyPatch, **env: str) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    machine_translation._cached = None


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    machine_translation._cached = None
    yield
    get_settings.cache_clear()
    machine_translation._cached = None


@pytest.fixture
def lt(monkeypatch: pytest.MonkeyPatch) -> Iterator[LibreTranslateDouble]:
    with LibreTranslateDouble() as double:
        _use(
            monkeypatch,
            ALTERAM_TRANSLATION_BACKEND="libretranslate",
            ALTERAM_LIBRETRANSLATE_URL=double.url,
            ALTERAM_BACKEND_TIMEOUT="0.5",
            ALTERAM_BACKEND_RETRIES="1",
        )
        yield double


def _work(store: Store, retry_base: float = 0.01) -> list[str | None]:
    """Run every due job, as a worker would; the states they end in."""
    states = []
    while (job := claim(store, worker_id="test")) is not None:
        states.append(run_job(store, job, worker_id="test", retry_base=retry_base))
    return states


def _time_passes(store: Store) -> None:
    """Every queued job is due now (as if its back-off had run out)."""
    with store.write() as s:
        s.execute(update(Job).where(Job.state == "queued").values(run_after=utcnow()))


def _machine_rows(store: Store) -> list[tuple[str, int, str, str]]:
    with store.read() as s:
        return [
            (t.item, t.item_id, t.language, t.text)
            for t in s.scalars(select(Translation).where(Translation.kind == "machine"))
        ]


def test_off_by_default_and_nothing_leaves_the_server(
    store: Store, lt: LibreTranslateDouble
) -> None:
    w = make_world(store)
    statement(store, w, "a1", EN)
    assert _work(store) == []
    assert lt.main_requests() == []
    with store.read() as s:
        assert s.scalars(select(Job).where(Job.kind == "translation")).all() == []


def test_turning_it_on_needs_a_configured_service(store: Store) -> None:
    w = make_world(store)
    with pytest.raises(Conflict, match="no machine-translation service"):
        machine_translation.set_machine_translation(store, dialogue_id=w.dialogue_id, enabled=True)


def _on(store: Store) -> tuple[World, int]:
    w = make_world(store)
    queued = machine_translation.set_machine_translation(
        store, dialogue_id=w.dialogue_id, enabled=True
    )
    # the title, charter, two side names, the round's title and its topic, into Chinese
    assert queued == 6
    return w, queued


def test_every_text_is_translated_by_a_worker_and_marked_machine(
    store: Store, lt: LibreTranslateDouble
) -> None:
    w, queued = _on(store)
    statement(store, w, "a1", EN)  # queued in the statement's own transaction
    reader = statements_to_vote(store, participant_id=w.people["b1"], lang="zh")
    assert reader[0].text.state == "pending"
    assert _work(store) == ["done"] * (queued + 1)
    shown = statements_to_vote(store, participant_id=w.people["b1"], lang="zh")[0].text
    assert (shown.text, shown.kind, shown.state) == (ZH, "machine", "translated")
    assert {r[0] for r in _machine_rows(store)} >= {"dialogue.title", "side.name", "topic.prompt"}
    assert all(r.json["source"] == "en" for r in lt.main_requests())


def test_a_person_s_translation_is_never_replaced_or_sent(
    store: Store, lt: LibreTranslateDouble
) -> None:
    w, _ = _on(store)
    sid = statement(store, w, "a1", EN)
    translate(
        store,
        item="statement.text",
        item_id=sid,
        language="zh",
        text=ZH,
        participant_id=w.people["a1"],
    )
    _work(store)
    assert not [r for r in lt.main_requests() if r.json.get("q") == EN]
    assert ("statement.text", sid) not in {(r[0], r[1]) for r in _machine_rows(store)}


@pytest.mark.parametrize(
    ("mode", "garbage"),
    [
        ("hang", None),
        ("fail", None),
        ("die", None),
        ("garbage", "empty"),
        ("garbage", "wrong_language"),
        ("garbage", "html"),
    ],
)
def test_a_backend_that_hangs_fails_dies_or_answers_garbage_is_retried_later(
    store: Store, lt: LibreTranslateDouble, mode: Mode, garbage: str | None
) -> None:
    w = make_world(store)
    lt.set_mode(mode, garbage=garbage)
    machine_translation.set_machine_translation(store, dialogue_id=w.dialogue_id, enabled=True)
    states = _work(store, retry_base=600)
    assert states and set(states) == {"queued"}  # back in the queue, with back-off
    assert _machine_rows(store) == []  # never an empty or garbage translation
    jobs = list_jobs(store, dialogue_id=w.dialogue_id)
    assert all(j.last_error for j in jobs if j.kind == "translation")
    lt.set_mode("ok")
    assert _work(store) == []  # not before the back-off runs out
    _time_passes(store)
    assert set(_work(store)) == {"done"}
    assert len(_machine_rows(store)) == 6


def test_a_translation_that_drops_a_number_is_not_stored(
    store: Store, lt: LibreTranslateDouble
) -> None:
    w = make_world(store)
    lt.set_mode("garbage", garbage="numbers")
    machine_translation.set_machine_translation(store, dialogue_id=w.dialogue_id, enabled=True)
    states = _work(store, retry_base=600)
    assert states.count("queued") == 1  # "Round 1": its number would be lost
    assert not [r for r in _machine_rows(store) if r[0] == "round.title"]


def test_the_language_model_backend_translates_with_the_documented_prompt(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ChatDouble() as llm:
        _use(
            monkeypatch,
            ALTERAM_TRANSLATION_BACKEND="llm",
            ALTERAM_LLM_URL=llm.url,
            ALTERAM_LLM_MODEL="qwen2.5:7b",
            ALTERAM_BACKEND_TIMEOUT="0.5",
            ALTERAM_BACKEND_RETRIES="0",
        )
        w, _ = _on(store)
        sid = statement(store, w, "a1", EN)
        assert set(_work(store)) == {"done"}
        rows = {(item, i): text for item, i, _, text in _machine_rows(store)}
        assert rows[("statement.text", sid)] == ZH
        sent = llm.main_requests()[-1].json
        assert sent["model"] == "qwen2.5:7b"
        assert "keep every number" in sent["messages"][0]["content"].lower()


def test_turned_off_again_nothing_more_is_sent(store: Store, lt: LibreTranslateDouble) -> None:
    w, _ = _on(store)
    machine_translation.set_machine_translation(store, dialogue_id=w.dialogue_id, enabled=False)
    statement(store, w, "a1", "Another thought about the river and the sea.")
    assert set(_work(store)) <= {"done"}
    assert lt.main_requests() == []
    assert ZH_MARK not in "".join(r[3] for r in _machine_rows(store))
