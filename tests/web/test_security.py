"""Who may do what, over real HTTP, on SQLite and PostgreSQL: every role by every writing
operation of the API and the pages, and by every reading of a private or unpublished item.

The roles: anonymous, a participant of side A, of side B, an observer, a delegate (side A), the
dialogue's owner, a co-facilitator, a facilitator of another dialogue, a participant of
another dialogue; the machine's administrator acts through the CLI (tests/cli). Each
operation names the roles that may do it; every other role must be refused (401 without a
session, 403 when the role may not, 404 when the dialogue is none of its business) and
nothing else: the table counts unauthorised successes, which must be 0.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from sqlalchemy import update

from alteram.service.accounts import create_facilitator
from alteram.service.concerns import raise_concern
from alteram.service.dialogues import create_dialogue, replace_invite
from alteram.service.facilitation import publish_round
from alteram.service.participation import add_statement, admit, record_vote
from alteram.service.rounds import close_round, create_round, open_round
from alteram.service.tokens import hash_token, new_token
from alteram.store.database import Store
from alteram.store.schema import Invite, Participant, TeamMember
from tests.conftest import make_database
from tests.web.conftest import LiveServer, start_server, stop_server

PASSWORD = "a long enough passphrase"
ROLES = (
    "anonymous",
    "side A",
    "side B",
    "observer",
    "delegate",
    "owner",
    "cofacilitator",
    "other facilitator",
    "other participant",
)
PARTICIPANTS = {"side A", "side B", "delegate"}
MEMBERS = PARTICIPANTS | {"observer"}
TEAM = {"owner", "cofacilitator"}
READERS = MEMBERS | TEAM
NOBODY: set[str] = set()


@dataclass
class World:
    server: LiveServer
    dialogue: int
    sides: list[int]
    published: int  # a closed, published round
    open_round: int  # open, unpublished
    statement_a: int
    statement_b: int
    concern: int
    other_dialogue: int
    other_statement: int
    empty_dialogue: int  # owned by the owner, nothing in it: may be deleted
    participant_b: int
    other_account: int
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    cookies: dict[str, httpx.Client] = field(default_factory=dict)


def _bearer(server: LiveServer, token: str) -> dict[str, str]:
    r = httpx.post(server.url + "/api/join", json={"token": token, "display_name": "t"})
    assert r.status_code == 201, r.text
    return {"authorization": "Bearer " + r.json()["session_token"]}


def _login(server: LiveServer, email: str) -> dict[str, str]:
    r = httpx.post(server.url + "/api/auth/login", json={"email": email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"authorization": "Bearer " + r.json()["session_token"]}


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    workdir: Path = tmp_path_factory.mktemp(f"security-{request.param}")
    url = make_database(request.param, request, workdir)
    store = Store(url)
    owner = create_facilitator(store, email="owner@example.org", password=PASSWORD)
    co = create_facilitator(store, email="co@example.org", password=PASSWORD)
    other_fac = create_facilitator(store, email="other@example.org", password=PASSWORD)
    d = create_dialogue(store, title="Rules", sides=["A", "B"], owner_account_id=owner)
    other = create_dialogue(store, title="Elsewhere", sides=["X", "Y"], owner_account_id=other_fac)
    empty = create_dialogue(store, title="Empty", sides=["P", "Q"], owner_account_id=owner)
    with store.write() as s:
        s.add(TeamMember(dialogue_id=d.dialogue_id, account_id=co, role="cofacilitator"))
    a, b = d.side_ids
    published = create_round(store, dialogue_id=d.dialogue_id, title="Earlier")
    open_round(store, round_id=published)
    pa = admit(store, token=d.invite_tokens[a]).participant_id
    pb = admit(store, token=d.invite_tokens[b]).participant_id
    early = add_statement(
        store, participant_id=pa, round_id=published, text="Early", read_move=False
    )
    record_vote(store, participant_id=pb, statement_id=early, value=1)
    close_round(store, round_id=published)
    publish_round(store, round_id=published)
    rnd = create_round(store, dialogue_id=d.dialogue_id, title="Now")
    open_round(store, round_id=rnd)
    sa = add_statement(store, participant_id=pa, round_id=rnd, text="From A", read_move=False)
    sb = add_statement(store, participant_id=pb, round_id=rnd, text="From B", read_move=False)
    concern = raise_concern(store, participant_id=pa, title="Wells", why_it_matters="Water.")
    r_other = create_round(store, dialogue_id=other.dialogue_id)
    open_round(store, round_id=r_other)
    px = admit(store, token=other.invite_tokens[other.side_ids[0]]).participant_id
    sx = add_statement(store, participant_id=px, round_id=r_other, text="From X", read_move=False)
    observer_token, delegate_token = new_token(), new_token()
    with store.write() as s:
        s.add(
            Invite(
                dialogue_id=d.dialogue_id,
                side_id=a,
                role="observer",
                kind="observer",
                token_hash=hash_token(observer_token),
            )
        )
        s.add(
            Invite(
                dialogue_id=d.dialogue_id,
                side_id=a,
                role="delegate",
                token_hash=hash_token(delegate_token),
            )
        )
    store.dispose()
    server = start_server(url, workdir)
    try:
        w = World(
            server,
            d.dialogue_id,
            [a, b],
            published,
            rnd,
            sa,
            sb,
            concern,
            other.dialogue_id,
            sx,
            empty.dialogue_id,
            pb,
            other_fac,
        )
        store = Store(url)
        fresh_a = replace_invite(store, side_id=a)
        fresh_b = replace_invite(store, side_id=b)
        store.dispose()
        w.headers = {
            "anonymous": {},
            "side A": _bearer(server, fresh_a),
            "side B": _bearer(server, fresh_b),
            "observer": _bearer(server, observer_token),
            "delegate": _bearer(server, delegate_token),
            "owner": _login(server, "owner@example.org"),
            "cofacilitator": _login(server, "co@example.org"),
            "other facilitator": _login(server, "other@example.org"),
            "other participant": _bearer(server, other.invite_tokens[other.side_ids[1]]),
        }
        yield w
    finally:
        stop_server(server)


Run = Callable[[World, dict[str, str]], httpx.Response]


def post(path: str, body: object | None = None) -> Run:
    def run(w: World, h: dict[str, str]) -> httpx.Response:
        return httpx.post(w.server.url + path.format(w=w), json=body, headers=h, timeout=60)

    return run


def get(path: str) -> Run:
    def run(w: World, h: dict[str, str]) -> httpx.Response:
        return httpx.get(w.server.url + path.format(w=w), headers=h, timeout=60)

    return run


# (name, operation, roles that may): participants' writes first, the team's after, the ones
# that end something last (each row runs every role before the next row).
WRITES: list[tuple[str, Run, set[str]]] = [
    (
        # every participant votes on every statement but their own (these are others')
        "vote on a statement of side B",
        post("/api/statements/{w.statement_b}/votes", {"value": 1}),
        PARTICIPANTS,
    ),
    (
        "vote on a statement of side A",
        post("/api/statements/{w.statement_a}/votes", {"value": -1}),
        PARTICIPANTS,
    ),
    (
        "vote in another dialogue",
        post("/api/statements/{w.other_statement}/votes", {"value": 1}),
        {"other participant"},
    ),
    (
        "write a statement",
        post("/api/rounds/{w.open_round}/statements", {"text": "Hello there"}),
        PARTICIPANTS,
    ),
    (
        "raise a concern",
        post("/api/concerns", {"title": "A concern", "why_it_matters": "Why."}),
        PARTICIPANTS | {"other participant"},
    ),
    (
        "answer the concern",
        post("/api/concerns/{w.concern}/answers", {"text": "We hear you."}),
        {"side B"},
    ),
    (
        "mark the concern understood",
        post("/api/concerns/{w.concern}/understood", {"understood": True}),
        PARTICIPANTS,
    ),
    (
        "translate a statement",
        post(
            "/api/translations",
            {"item": "statement.text", "item_id": 0, "language": "zh", "text": "来自 A 的话"},
        ),
        TEAM,
    ),
    ("see the round's live state", get("/api/rounds/{w.open_round}"), TEAM),
    (
        "moderate a statement",
        post("/api/statements/{w.statement_a}/moderation", {"accept": True}),
        TEAM,
    ),
    ("plan a round", post("/api/dialogues/{w.dialogue}/rounds", {"topics": ["Why?"]}), TEAM),
    ("name a concept", post("/api/rounds/{w.open_round}/concepts", {"name": "water"}), TEAM),
    (
        "seed a statement",
        post("/api/rounds/{w.open_round}/seeds", {"seeds": [{"text": "A seed from the team"}]}),
        TEAM,
    ),
    (
        "edit the charter",
        post(
            "/api/texts/edit", {"item": "dialogue.charter", "item_id": 0, "text": "Listen first."}
        ),
        TEAM,
    ),
    (
        "hide the concern",
        post("/api/hidden/concern/{w.concern}", {"hidden": True, "reason": "off topic"}),
        TEAM,
    ),
    (
        "give the translator duty",
        post("/api/participants/{w.participant_b}/translator", {"translator": True}),
        TEAM,
    ),
    ("analyse now", post("/api/rounds/{w.open_round}/analyses"), TEAM),
    ("replace an invite link", post("/api/sides/{w.sides[0]}/invite"), TEAM),
    (
        "keep it private",
        post("/api/dialogues/{w.dialogue}/visibility", {"visibility": "private"}),
        TEAM,
    ),
    ("see the team", get("/api/dialogues/{w.dialogue}/team"), TEAM),
    ("see the jobs", get("/api/dialogues/{w.dialogue}/jobs"), TEAM),
    ("export the round", get("/api/rounds/{w.open_round}/export.json"), TEAM),
    # the owner adds the other facilitator, then takes them off again at once
    (
        "add to the team",
        post(
            "/api/dialogues/{w.dialogue}/team",
            {"email": "other@example.org", "role": "cofacilitator"},
        ),
        {"owner"},
    ),
    (
        "take off the team",
        post("/api/dialogues/{w.dialogue}/team/{w.other_account}/remove"),
        {"owner"},
    ),
    ("suspend the round", post("/api/rounds/{w.open_round}/suspend", {"reason": "A pause"}), TEAM),
    ("resume the round", post("/api/rounds/{w.open_round}/resume", {}), TEAM),
    (
        "delete an empty dialogue",
        post("/api/dialogues/{w.empty_dialogue}/delete", {"confirm": True}),
        {"owner"},
    ),
    (
        "create a dialogue",
        post("/api/dialogues", {"title": "New", "sides": ["P", "Q"]}),
        TEAM | {"other facilitator"},
    ),
]

READS: list[tuple[str, Run, set[str]]] = [
    ("the private dialogue (API)", get("/api/dialogues/{w.dialogue}"), READERS),
    ("the private dialogue (page)", get("/dialogues/{w.dialogue}"), READERS),
    ("its timeline", get("/dialogues/{w.dialogue}/timeline"), READERS),
    ("published results (API)", get("/api/rounds/{w.published}/results"), READERS),
    ("published results (page)", get("/rounds/{w.published}/results"), READERS),
    ("published report", get("/rounds/{w.published}/report"), READERS),
    ("unpublished results (API)", get("/api/rounds/{w.open_round}/results"), TEAM),
    ("unpublished results (page)", get("/rounds/{w.open_round}/results"), TEAM),
    ("unpublished report", get("/rounds/{w.open_round}/report"), TEAM),
    ("concepts", get("/api/rounds/{w.open_round}/concepts"), READERS),
    ("concerns", get("/api/dialogues/{w.dialogue}/concerns"), READERS),
    ("the translation queue", get("/api/rounds/{w.open_round}/translation-queue"), TEAM),
    ("the team's page", get("/facilitate/dialogues/{w.dialogue}"), TEAM),
    ("the team's round page", get("/facilitate/rounds/{w.open_round}"), TEAM),
    ("the team's view of definitions", get("/facilitate/rounds/{w.open_round}/understand"), TEAM),
    ("the translation queue page", get("/rounds/{w.open_round}/translate"), TEAM),
]


def _fill(w: World, run: Run, name: str) -> Run:
    """Some bodies name ids known only once the world exists."""
    if name == "translate a statement":
        return post(
            "/api/translations",
            {
                "item": "statement.text",
                "item_id": w.statement_a,
                "language": "zh",
                "text": "来自 A 的话",
            },
        )
    if name == "edit the charter":
        return post(
            "/api/texts/edit",
            {"item": "dialogue.charter", "item_id": w.dialogue, "text": "Listen first."},
        )
    return run


def _table(w: World, rows: list[tuple[str, Run, set[str]]]) -> tuple[list[str], list[str]]:
    unauthorised, refused_wrongly = [], []
    for name, run, allowed in rows:
        run = _fill(w, run, name)
        succeeded = False
        for role in ROLES:
            response = run(w, w.headers[role])
            ok = response.status_code < 300
            if role in allowed:
                if ok:
                    succeeded = True
                elif not (succeeded and response.status_code == 409):
                    refused_wrongly.append(
                        f"{name}: {role} got {response.status_code} {response.text[:200]}"
                    )
            elif ok:
                unauthorised.append(f"{name}: {role} got {response.status_code}")
            else:
                assert response.status_code in (401, 403, 404), (name, role, response.text)
    return unauthorised, refused_wrongly


def test_every_write_by_every_role(world: World) -> None:
    unauthorised, refused = _table(world, WRITES)
    assert unauthorised == [], "\n".join(unauthorised)  # 0 unauthorised successes
    assert refused == [], "\n".join(refused)


def test_every_read_of_private_or_unpublished_items_by_every_role(world: World) -> None:
    unauthorised, refused = _table(world, READS)
    assert unauthorised == []
    assert refused == [], "\n".join(refused)


def test_lists_show_a_private_dialogue_to_its_people_only(world: World) -> None:
    for role in ROLES:
        listed = httpx.get(world.server.url + "/api/dialogues", headers=world.headers[role])
        ids = {d["id"] for d in listed.json()}
        assert (world.dialogue in ids) == (role in TEAM or role in MEMBERS), role
        home = httpx.get(world.server.url + "/", headers=world.headers[role]).text
        assert ("Rules" in home) == (role in TEAM or role in MEMBERS), role


def test_unpublished_rounds_leave_no_trace_for_participants(world: World) -> None:
    page = httpx.get(
        f"{world.server.url}/dialogues/{world.dialogue}", headers=world.headers["side A"]
    ).text
    assert f"/rounds/{world.open_round}/results" not in page  # nothing links to a 403
    assert f"/rounds/{world.published}/results" in page
    timeline = httpx.get(
        f"{world.server.url}/dialogues/{world.dialogue}/timeline", headers=world.headers["side A"]
    ).text
    trends = BeautifulSoup(timeline, "html.parser").select("table.trends tbody tr")
    assert len(trends) == 1  # the published round's, not the open one's
    team = httpx.get(
        f"{world.server.url}/dialogues/{world.dialogue}/timeline", headers=world.headers["owner"]
    ).text
    assert len(BeautifulSoup(team, "html.parser").select("table.trends tbody tr")) == 2


def test_a_facilitator_of_another_dialogue_meets_not_found(world: World) -> None:
    r = httpx.post(
        f"{world.server.url}/api/rounds/{world.open_round}/close",
        headers=world.headers["other facilitator"],
    )
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert "Rules" not in r.text


def test_a_cookie_session_needs_the_csrf_header(world: World) -> None:
    store = Store(world.server.database_url)
    try:
        token = replace_invite(store, side_id=world.sides[0])
    finally:
        store.dispose()
    client = httpx.Client(base_url=world.server.url)
    joined = client.post("/api/join", json={"token": token})
    assert joined.status_code == 201 and "alteram_session" in client.cookies
    no_header = client.post(f"/api/statements/{world.statement_b}/votes", json={"value": 1})
    assert no_header.status_code == 403
    ok = client.post(
        f"/api/statements/{world.statement_b}/votes",
        json={"value": 1},
        headers={"x-csrf-token": joined.json()["csrf_token"]},
    )
    assert ok.status_code == 201


def test_forged_or_missing_sessions_are_nobody(world: World) -> None:
    for headers in ({"authorization": "Bearer forged"}, {"cookie": "alteram_session=forged"}):
        r = httpx.get(world.server.url + "/api/me", headers=headers)
        assert r.status_code == 401 and r.json()["error"]["code"] == "not_signed_in"


def test_a_removed_member_reads_nothing_more(world: World) -> None:
    store = Store(world.server.database_url)
    try:
        token = replace_invite(store, side_id=world.sides[1])
    finally:
        store.dispose()
    who = _bearer(world.server, token)
    me = httpx.get(world.server.url + "/api/me", headers=who).json()
    store = Store(world.server.database_url)
    try:
        from alteram.store.schema import utcnow

        with store.write() as s:
            s.execute(
                update(Participant)
                .where(Participant.id == me["participant_id"])
                .values(removed_at=utcnow())
            )
    finally:
        store.dispose()
    r = httpx.get(f"{world.server.url}/api/dialogues/{world.dialogue}", headers=who)
    assert r.status_code == 404
