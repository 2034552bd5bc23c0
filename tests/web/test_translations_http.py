"""Translations over real HTTP: by the author, by a translator from the queue, faithfulness,
the version each vote records, and the exports that carry it all (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from alteram.service.accounts import create_facilitator
from alteram.service.dialogues import create_dialogue
from alteram.service.rounds import create_round, open_round
from alteram.store.database import Store
from tests.conftest import make_database
from tests.factories import own
from tests.web.conftest import LiveServer, start_server, stop_server

EN = "Clean water is a right of every family downstream."
ZH = "干净的水是下游每个家庭的权利。"
ZH_STATEMENT = "我们希望上游的工厂告诉我们排放了什么。"
EN_OF_ZH = "We want the factories upstream to tell us what they release."


@dataclass
class World:
    server: LiveServer
    store: Store
    round_id: int
    tokens: dict[int, str]
    sides: list[int]
    facilitator: dict[str, str]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    workdir: Path = tmp_path_factory.mktemp(f"translations-{request.param}")
    url = make_database(request.param, request, workdir)
    store = Store(url)
    d = create_dialogue(
        store, title="River", sides=["Upstream", "Downstream"], languages=["en", "zh"]
    )
    r = create_round(store, dialogue_id=d.dialogue_id, topics=["What does the river give you?"])
    open_round(store, round_id=r)
    account = create_facilitator(store, email="f@example.org", password="a long passphrase")
    own(store, d.dialogue_id, account)
    server = start_server(url, workdir)
    login = httpx.post(
        server.url + "/api/auth/login",
        json={"email": "f@example.org", "password": "a long passphrase"},
    )
    assert login.status_code == 200
    fac = {"authorization": "Bearer " + login.json()["session_token"]}
    try:
        yield World(server, store, r, d.invite_tokens, d.side_ids, fac)
    finally:
        stop_server(server)
        store.dispose()


def _join(w: World, side: int) -> tuple[dict[str, str], int]:
    r = httpx.post(w.server.url + "/api/join", json={"token": w.tokens[w.sides[side]]})
    assert r.status_code == 201
    return {"authorization": "Bearer " + r.json()["session_token"]}, r.json()["participant_id"]


def _next(w: World, who: dict[str, str], lang: str) -> list[dict[str, object]]:
    r = httpx.get(
        f"{w.server.url}/api/rounds/{w.round_id}/next",
        headers={**who, "accept-language": lang},
        timeout=30,
    )
    assert r.status_code == 200
    return list(r.json())


def test_every_path_of_a_translation_and_what_each_reader_sees(world: World) -> None:
    url = world.server.url
    author, author_id = _join(world, 0)
    writer_zh, _ = _join(world, 1)
    reader_zh, reader_zh_id = _join(world, 1)
    reader_en, _ = _join(world, 0)

    # 1. the author gives their own translation when writing
    written = httpx.post(
        f"{url}/api/rounds/{world.round_id}/statements",
        json={"text": EN, "translations": {"zh": ZH}},
        headers=author,
        timeout=60,
    )
    assert written.status_code == 201, written.text
    sid = written.json()["statement_id"]
    other = httpx.post(
        f"{url}/api/rounds/{world.round_id}/statements",
        json={"text": ZH_STATEMENT},
        headers=writer_zh,
        timeout=60,
    )
    other_id = other.json()["statement_id"]

    seen = {s["id"]: s["text"] for s in _next(world, reader_zh, "zh-CN,zh;q=0.9")}
    assert seen[sid]["text"] == ZH and seen[sid]["state"] == "translated"  # type: ignore[index]
    assert seen[sid]["kind"] == "author" and seen[sid]["original"] == EN  # type: ignore[index]
    english = {s["id"]: s["text"] for s in _next(world, reader_en, "en")}
    assert english[other_id]["state"] == "untranslated"  # type: ignore[index]
    assert english[other_id]["text"] == ZH_STATEMENT  # type: ignore[index]

    # 2. a bad translation is refused, saying what is wrong
    bad = httpx.post(
        f"{url}/api/translations",
        headers=author,
        json={"item": "statement.text", "item_id": sid, "language": "zh", "text": "still English"},
    )
    assert bad.status_code == 422 and "not in Chinese" in bad.json()["error"]["message"]
    bad_zh = httpx.post(
        f"{url}/api/translations",
        headers={**author, "accept-language": "zh"},
        json={"item": "statement.text", "item_id": sid, "language": "zh", "text": "still English"},
    )
    assert re.search(r"[\u4e00-\u9fff]", bad_zh.json()["error"]["message"])

    # 3. a member with the translator duty works through the queue
    queue_denied = httpx.get(
        f"{url}/api/rounds/{world.round_id}/translation-queue", headers=reader_en
    )
    assert queue_denied.status_code == 403
    duty = httpx.post(
        f"{url}/api/participants/{author_id}/translator",
        json={"translator": True},
        headers=world.facilitator,
    )
    assert duty.status_code == 204
    queue = httpx.get(f"{url}/api/rounds/{world.round_id}/translation-queue", headers=author)
    assert queue.status_code == 200
    entries = queue.json()
    assert entries[0]["status"] == "untranslated"
    assert {(e["item"], e["item_id"], e["language"]) for e in entries} >= {
        ("statement.text", other_id, "en"),
        ("dialogue.title", world_dialogue(world), "zh"),
    }
    made = httpx.post(
        f"{url}/api/translations",
        headers=author,
        json={"item": "statement.text", "item_id": other_id, "language": "en", "text": EN_OF_ZH},
    )
    assert made.status_code == 201 and made.json()["kind"] == "translator"
    english = {s["id"]: s["text"] for s in _next(world, reader_en, "en")}
    assert english[other_id]["text"] == EN_OF_ZH  # type: ignore[index]

    # 4. the author's side disputes it; it goes back to the queue marked disputed
    dispute = httpx.post(
        f"{url}/api/translations/{made.json()['id']}/reviews",
        headers=writer_zh,
        json={"faithful": False},
    )
    assert dispute.status_code == 201
    not_theirs = httpx.post(
        f"{url}/api/translations/{made.json()['id']}/reviews",
        headers=reader_en,
        json={"faithful": True},
    )
    assert not_theirs.status_code == 403
    queue = httpx.get(
        f"{url}/api/rounds/{world.round_id}/translation-queue", headers=world.facilitator
    ).json()
    assert any(e["item_id"] == other_id and e["status"] == "disputed" for e in queue)
    english = {s["id"]: s["text"] for s in _next(world, reader_en, "en")}
    assert english[other_id]["faithfulness"] == "disputed"  # type: ignore[index]

    # 5. the facilitator translates from the queue page (a form, then a redirect)
    page = httpx.get(f"{url}/rounds/{world.round_id}/translate", headers=world.facilitator)
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    entry = soup.select_one(f'li[data-item="statement.text"][data-item-id="{other_id}"]')
    assert entry is not None and entry["data-status"] == "disputed"
    assert ZH_STATEMENT in entry.get_text() and EN_OF_ZH in entry.get_text()

    # 6. a vote records the version its voter read
    shown = seen[sid]["translation_id"]  # type: ignore[index]
    vote = httpx.post(
        f"{url}/api/statements/{sid}/votes",
        headers=reader_zh,
        json={"value": 1, "shown_translation_id": shown},
    )
    assert vote.status_code == 201
    wrong = httpx.post(
        f"{url}/api/statements/{other_id}/votes",
        headers=reader_en,
        json={"value": 1, "shown_translation_id": shown},
    )
    assert wrong.status_code == 422

    # 7. the exports carry every translation, its kind and marks, and each vote's version
    data = httpx.get(
        f"{url}/api/rounds/{world.round_id}/export.json", headers=world.facilitator
    ).json()
    kinds = {(t["item_id"], t["kind"]) for t in data["translations"]}
    assert {(sid, "author"), (other_id, "translator")} <= kinds
    disputed = next(t for t in data["translations"] if t["item_id"] == other_id)
    assert disputed["faithfulness"] == "disputed" and disputed["reviews"][0]["faithful"] is False
    assert [v["shown_translation"] for v in data["votes"] if v["participant"] == reader_zh_id] == [
        shown
    ]
    comments = httpx.get(
        f"{url}/api/rounds/{world.round_id}/export/comments.csv", headers=world.facilitator
    ).text
    assert EN in comments and ZH not in comments  # Polis format: the original text
    rows = list(
        csv.DictReader(
            io.StringIO(
                httpx.get(
                    f"{url}/api/rounds/{world.round_id}/export/translations.csv",
                    headers=world.facilitator,
                ).text
            )
        )
    )
    assert {(r["item-id"], r["kind"]) for r in rows} >= {
        (str(sid), "author"),
        (str(other_id), "translator"),
    }


def world_dialogue(w: World) -> int:
    r = httpx.get(f"{w.server.url}/api/dialogues", headers=w.facilitator)
    return int(next(d["id"] for d in r.json() if d["title"]["original"] == "River"))


def test_vote_page_marks_the_translation_and_keeps_the_original_one_click_away(
    world: World,
) -> None:
    url = world.server.url
    author, _ = _join(world, 0)
    httpx.post(
        f"{url}/api/rounds/{world.round_id}/statements",
        json={
            "text": "The river teaches patience to all of us.",
            "translations": {"zh": "这条河教会我们所有人耐心。"},
        },
        headers=author,
        timeout=60,
    )
    with httpx.Client(base_url=url) as client:
        join = client.get(f"/join/{world.tokens[world.sides[1]]}?lang=zh")
        csrf = BeautifulSoup(join.text, "html.parser").select_one("input[name=csrf_token]")
        assert csrf is not None
        client.post(f"/join/{world.tokens[world.sides[1]]}", data={"csrf_token": csrf["value"]})
        # vote until the translated statement comes up
        for _ in range(10):
            page = BeautifulSoup(client.get("/vote?lang=zh").text, "html.parser")
            quote = page.select_one("blockquote.statement")
            assert quote is not None
            if "耐心" in quote.get_text():
                break
            form = page.select_one("#vote-form")
            assert form is not None
            fields = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
            client.post("/vote", data={**fields, "vote": "pass"})
        text = quote.select_one(".tr-text")
        assert text is not None and text["lang"] == "zh-Hans"
        mark = quote.select_one(".tr-mark")
        assert mark is not None and mark["data-kind"] == "author"
        original = quote.select_one("details.tr-original span")
        assert original is not None and original["lang"] == "en"
        assert original.get_text() == "The river teaches patience to all of us."
        hidden = page.select_one("input[name=shown_translation_id]")
        assert hidden is not None and hidden["value"] == mark["data-translation"]
