"""Participant management over real HTTP (SQLite and PostgreSQL): removal left out of fresh
analyses and restored, delegates, flags in the queue, the moderation log and its CSV,
implausible voters marked for review, and the pages that do it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from bs4 import BeautifulSoup

from alteram.service.analyses import latest_analysis
from alteram.service.participation import add_statement, admit, record_vote
from tests.web.people_world import World, make_world


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    yield from make_world(request, tmp_path_factory.mktemp(f"people-{request.param}"))


@pytest.fixture(scope="module")
def statements(world: World) -> list[int]:
    """24 pending statements by six authors of both sides (4 each: under the rate limit)."""
    made = []
    for a in range(6):
        side = world.sides[a % 2]
        author = admit(world.store, token=world.tokens[side], display_name=f"author {a}")
        for i in range(4):
            made.append(
                add_statement(
                    world.store,
                    participant_id=author.participant_id,
                    round_id=world.round_id,
                    text=f"Statement {i} of author {a}: the river matters to us in way {i}.",
                    move="explain",
                )
            )
    return made


def _vote(w: World, who: dict[str, str], sid: int, value: int) -> None:
    r = httpx.post(f"{w.url}/api/statements/{sid}/votes", json={"value": value}, headers=who)
    assert r.status_code == 201, r.text


def _analyse(w: World) -> dict[str, object]:
    r = httpx.post(f"{w.url}/api/rounds/{w.round_id}/analyses", headers=w.owner, timeout=300)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _members(w: World) -> dict[int, dict[str, object]]:
    r = httpx.get(f"{w.url}/api/dialogues/{w.dialogue_id}/participants", headers=w.owner)
    assert r.status_code == 200, r.text
    return {int(m["id"]): m for m in r.json()}


def _log(w: World) -> list[dict[str, object]]:
    r = httpx.get(f"{w.url}/api/dialogues/{w.dialogue_id}/moderation-log", headers=w.owner)
    assert r.status_code == 200
    return list(r.json())


def _post(w: World, path: str, body: dict[str, object]) -> httpx.Response:
    return httpx.post(w.url + path, json=body, headers=w.owner)


def test_a_removed_participant_leaves_fresh_analyses_and_comes_back_when_restored(
    world: World, statements: list[int]
) -> None:
    voters = [world.member(world.tokens[world.sides[i % 2]]) for i in range(3)]
    for n, (who, _) in enumerate(voters):
        for i, sid in enumerate(statements[:10]):
            _vote(world, who, sid, 1 if (i + n) % 3 else -1)
    first = _analyse(world)
    (gone, gone_id) = voters[0]

    no_reason = _post(world, f"/api/participants/{gone_id}/remove", {"reason": " "})
    assert no_reason.status_code == 422 and "say why" in no_reason.json()["error"]["message"]
    removed = _post(world, f"/api/participants/{gone_id}/remove", {"reason": "joined twice"})
    assert removed.status_code == 204
    assert _post(world, f"/api/participants/{gone_id}/remove", {"reason": "x"}).status_code == 409

    # their session stops working, with a message that says so
    refused = httpx.post(
        f"{world.url}/api/statements/{statements[11]}/votes", json={"value": 1}, headers=gone
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "removed"
    assert (
        "the facilitators removed you from this dialogue on " in refused.json()["error"]["message"]
    )
    page = httpx.get(f"{world.url}/vote", headers=gone)
    assert page.status_code == 403 and "removed you" in page.text

    # nothing deleted: the member list still counts their votes; analyses leave them out
    member = _members(world)[gone_id]
    assert member["votes"] == 10 and member["removed_at"] is not None
    without = _analyse(world)
    assert without["version"] == int(first["version"]) + 1  # type: ignore[call-overload]
    assert without["fingerprint"] != first["fingerprint"]
    assert without["n_votes"] == int(first["n_votes"]) - 10  # type: ignore[call-overload]
    stored = latest_analysis(world.store, round_id=world.round_id)
    assert stored is not None and stored.fingerprint == without["fingerprint"]
    assert gone_id not in {p["id"] for p in stored.result["participants"]}
    assert voters[1][1] in {p["id"] for p in stored.result["participants"]}

    restored = _post(world, f"/api/participants/{gone_id}/restore", {"reason": "was a mistake"})
    assert restored.status_code == 204
    back = _analyse(world)
    assert back["fingerprint"] == first["fingerprint"] and back["n_votes"] == first["n_votes"]
    assert httpx.get(f"{world.url}/api/me", headers=gone).status_code == 200

    kinds = [(e["kind"], e["reason"], e["by"], e["participant_id"]) for e in _log(world)[:2]]
    assert kinds == [
        ("participant_restored", "was a mistake", world.owner_email, gone_id),
        ("participant_removed", "joined twice", world.owner_email, gone_id),
    ]


def test_delegates_are_given_and_taken_and_logged(world: World) -> None:
    _, pid = world.member(world.tokens[world.sides[1]])
    assert _post(world, f"/api/participants/{pid}/delegate", {"delegate": True}).status_code == 204
    assert _members(world)[pid]["role"] == "delegate"
    twice = _post(world, f"/api/participants/{pid}/delegate", {"delegate": True})
    assert twice.status_code == 409
    taken = _post(world, f"/api/participants/{pid}/delegate", {"delegate": False, "reason": "rota"})
    assert taken.status_code == 204 and _members(world)[pid]["role"] == "participant"
    assert [(e["kind"], e["reason"]) for e in _log(world)[:2]] == [
        ("delegate_taken", "rota"),
        ("delegate_given", None),
    ]
    observer = httpx.post(
        f"{world.url}/api/dialogues/{world.dialogue_id}/invites",
        json={"kind": "observer"},
        headers=world.owner,
    ).json()
    watcher = world.join(observer["invite_url"].rsplit("/join/", 1)[1]).json()["participant_id"]
    refused = _post(world, f"/api/participants/{watcher}/delegate", {"delegate": True})
    assert refused.status_code == 422 and "observer" in refused.json()["error"]["message"]


def test_flags_reach_the_queue_with_count_and_reasons_and_the_log_exports(
    world: World, statements: list[int]
) -> None:
    sid = statements[5]
    flagger_a, a_id = world.member(world.tokens[world.sides[0]])
    flagger_b, _ = world.member(world.tokens[world.sides[1]])
    for who, why in ((flagger_a, "a personal attack"), (flagger_b, "=not about the river")):
        r = httpx.post(f"{world.url}/api/statements/{sid}/flags", json={"reason": why}, headers=who)
        assert r.status_code == 201, r.text
    again = httpx.post(
        f"{world.url}/api/statements/{sid}/flags", json={"reason": "still"}, headers=flagger_a
    )
    assert again.status_code == 409 and "already" in again.json()["error"]["message"]
    empty = httpx.post(
        f"{world.url}/api/statements/{sid}/flags", json={"reason": "  "}, headers=flagger_b
    )
    assert empty.status_code == 422 and "needs a reason" in empty.json()["error"]["message"]

    queue = httpx.get(f"{world.url}/api/dialogues/{world.dialogue_id}/flags", headers=world.owner)
    assert queue.status_code == 200
    top = queue.json()[0]
    assert (top["id"], top["flags"]) == (sid, 2)
    assert [r["reason"] for r in top["reasons"]] == ["a personal attack", "=not about the river"]

    # the page shows the same queue; keeping the statement answers with a redirect
    page = BeautifulSoup(
        httpx.get(
            f"{world.url}/facilitate/dialogues/{world.dialogue_id}/moderation", headers=world.owner
        ).text,
        "html.parser",
    )
    item = page.select_one(f'ul.flagged li[data-id="{sid}"]')
    assert item is not None and item["data-flags"] == "2"
    assert "a personal attack" in item.get_text()
    kept = httpx.post(
        f"{world.url}/facilitate/flagged/{sid}", data={"decision": "accept"}, headers=world.owner
    )
    assert kept.status_code == 303
    after = httpx.get(f"{world.url}/api/dialogues/{world.dialogue_id}/flags", headers=world.owner)
    assert sid not in {q["id"] for q in after.json()}

    # every step is in the log, and in its CSV (a leading "=" is not a formula there)
    log = _log(world)
    assert [e["kind"] for e in log[:3]] == ["statement_accepted", "flag_raised", "flag_raised"]
    assert log[0]["by"] == world.owner_email and log[0]["item_id"] == sid
    assert log[2]["by"].startswith(f"#{a_id}")  # type: ignore[union-attr]
    exported = httpx.get(
        f"{world.url}/api/dialogues/{world.dialogue_id}/moderation-log.csv", headers=world.owner
    )
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert list(rows[0]) == [
        "id",
        "at",
        "kind",
        "by",
        "participant",
        "participant_name",
        "item",
        "item_id",
        "reason",
    ]
    assert [r["kind"] for r in rows] == [e["kind"] for e in log]
    assert rows[1]["reason"] == "'=not about the river"
    page_csv = httpx.get(
        f"{world.url}/facilitate/dialogues/{world.dialogue_id}/moderation-log.csv",
        headers=world.owner,
    )
    assert page_csv.text == exported.text


def test_a_rejection_of_a_flagged_statement_needs_a_reason_and_flags_from_the_vote_page(
    world: World, statements: list[int]
) -> None:
    with httpx.Client(base_url=world.url, timeout=60) as client:
        join = client.get(f"/join/{world.tokens[world.sides[0]]}")
        csrf = BeautifulSoup(join.text, "html.parser").select_one("input[name=csrf_token]")
        assert csrf is not None
        client.post(f"/join/{world.tokens[world.sides[0]]}", data={"csrf_token": csrf["value"]})
        vote = BeautifulSoup(client.get("/vote").text, "html.parser")
        form = vote.select_one("#flag-form")
        assert form is not None
        action = str(form["action"])
        token = form.select_one("input[name=csrf_token]")
        assert token is not None
        flagged = client.post(
            action,
            data={"csrf_token": token["value"], "reason": "names a person"},
            follow_redirects=False,
        )
        assert flagged.status_code == 303 and flagged.headers["location"] == "/vote?flagged=1"
        assert "will look at the statement you flagged" in client.get("/vote?flagged=1").text
    sid = int(action.split("/")[2])
    queue = httpx.get(f"{world.url}/api/dialogues/{world.dialogue_id}/flags", headers=world.owner)
    assert sid in {q["id"] for q in queue.json()}
    no_reason = httpx.post(
        f"{world.url}/facilitate/flagged/{sid}", data={"decision": "reject"}, headers=world.owner
    )
    assert no_reason.status_code == 422 and "needs a reason" in no_reason.text
    rejected = httpx.post(
        f"{world.url}/facilitate/flagged/{sid}",
        data={"decision": "reject", "reason": "names a private person"},
        headers=world.owner,
    )
    assert rejected.status_code == 303
    assert _log(world)[0]["kind"] == "statement_rejected"
    assert _log(world)[0]["reason"] == "names a private person"
    assert _log(world)[0]["by"] == world.owner_email
    # the moderation API of the round's queue is logged too, with who decided
    accepted = httpx.post(
        f"{world.url}/api/statements/{sid}/moderation", json={"accept": True}, headers=world.owner
    )
    assert accepted.status_code == 204
    assert (_log(world)[0]["kind"], _log(world)[0]["by"]) == (
        "statement_accepted",
        world.owner_email,
    )


def test_implausible_voters_are_marked_for_review_and_stay_members(
    world: World, statements: list[int]
) -> None:
    yes_man, yes_id = world.member(world.tokens[world.sides[0]], display_name="always yes")
    offered = httpx.get(
        f"{world.url}/api/rounds/{world.round_id}/next", params={"limit": 50}, headers=yes_man
    ).json()
    votable = [int(s["id"]) for s in offered]  # a statement rejected above is not offered
    assert len(votable) >= 22
    for sid in votable[:20]:
        _vote(world, yes_man, sid, 1)
    # a burst: 24 votes 0.2 s apart (recorded with their times through the service)
    fast = admit(world.store, token=world.tokens[world.sides[1]], display_name="quick")
    fast_id = fast.participant_id
    start = datetime.now(UTC) - timedelta(minutes=5)
    for i, sid in enumerate(votable[:22] + votable[:2]):  # two re-votes: every vote counts
        record_vote(
            world.store,
            participant_id=fast_id,
            statement_id=sid,
            value=(-1) ** i,
            at=start + timedelta(seconds=0.2 * i),
        )
    analysis = _analyse(world)
    members = _members(world)
    marks = {pid: m["implausible"] for pid, m in members.items() if m["implausible"]}
    assert set(marks) == {yes_id, fast_id}
    assert marks[yes_id][0]["reasons"] == ["same_answer"]  # type: ignore[index]
    assert marks[yes_id][0]["n_votes"] == 20  # type: ignore[index]
    assert marks[fast_id][0]["reasons"] == ["burst"]  # type: ignore[index]
    assert marks[fast_id][0]["burst_seconds"] == pytest.approx(23 * 0.2, abs=0.01)  # type: ignore[index]
    assert members[yes_id]["removed_at"] is None and members[fast_id]["removed_at"] is None
    assert analysis["n_votes"] >= 20 + 24  # type: ignore[operator]

    page = BeautifulSoup(
        httpx.get(
            f"{world.url}/facilitate/dialogues/{world.dialogue_id}/people", headers=world.owner
        ).text,
        "html.parser",
    )
    review = page.select_one("section.review")
    assert review is not None and "always yes" in review.get_text()
    row = page.select_one(f"#p-{fast_id}")
    assert row is not None and row["data-implausible"] == "burst"
    assert row["data-removed"] == "no"


def test_removing_from_the_people_page_asks_first_and_redirects(world: World) -> None:
    _, pid = world.member(world.tokens[world.sides[1]], display_name="to remove")
    people = f"/facilitate/dialogues/{world.dialogue_id}/people"
    page = BeautifulSoup(httpx.get(world.url + people, headers=world.owner).text, "html.parser")
    row = page.select_one(f"#p-{pid}")
    assert row is not None
    link = row.select_one("a.button")
    assert link is not None and link["href"] == f"/facilitate/participants/{pid}/remove"
    asked = httpx.post(
        f"{world.url}/facilitate/participants/{pid}/remove",
        data={"reason": "x"},
        headers=world.owner,
    )
    assert asked.status_code == 303 and asked.headers["location"].endswith("/remove")
    assert _members(world)[pid]["removed_at"] is None  # the first click removes nobody
    confirm = BeautifulSoup(
        httpx.get(world.url + str(link["href"]), headers=world.owner).text, "html.parser"
    )
    assert "Nothing is deleted" in confirm.get_text()
    reason = confirm.select_one("section.confirm form input[name=reason]")
    assert reason is not None and reason.has_attr("required")
    done = httpx.post(
        f"{world.url}/facilitate/participants/{pid}/remove",
        data={"confirm": "yes", "reason": "asked to leave"},
        headers=world.owner,
    )
    assert done.status_code == 303 and done.headers["location"] == f"{people}#p-{pid}"
    after = BeautifulSoup(httpx.get(world.url + people, headers=world.owner).text, "html.parser")
    row = after.select_one(f"#p-{pid}")
    assert row is not None and row["data-removed"] == "yes"
    restored = httpx.post(
        f"{world.url}/facilitate/participants/{pid}/restore",
        data={"reason": "came back"},
        headers=world.owner,
    )
    assert restored.status_code == 303 and _members(world)[pid]["removed_at"] is None


def test_a_facilitator_of_another_dialogue_gets_404_on_every_route(
    world: World, statements: list[int]
) -> None:
    d, sid = world.dialogue_id, statements[0]
    invite = httpx.post(
        f"{world.url}/api/dialogues/{d}/invites",
        json={"side_id": world.sides[0]},
        headers=world.owner,
    ).json()["invite_id"]
    _, pid = world.member(world.tokens[world.sides[0]])
    csv_body = b"external_id\nstranger-1\n"
    routes: list[tuple[str, str, dict[str, object]]] = [
        ("GET", f"/api/dialogues/{d}/invites", {}),
        ("POST", f"/api/dialogues/{d}/invites", {"json": {"side_id": world.sides[0]}}),
        ("POST", f"/api/dialogues/{d}/invites/personal", {"content": csv_body}),
        ("POST", f"/api/invites/{invite}/limits", {"json": {"cap": 1}}),
        ("POST", f"/api/invites/{invite}/pause", {}),
        ("POST", f"/api/invites/{invite}/resume", {}),
        ("POST", f"/api/invites/{invite}/revoke", {}),
        ("GET", f"/api/dialogues/{d}/participants", {}),
        ("POST", f"/api/participants/{pid}/remove", {"json": {"reason": "x"}}),
        ("POST", f"/api/participants/{pid}/restore", {"json": {"reason": "x"}}),
        ("POST", f"/api/participants/{pid}/delegate", {"json": {"delegate": True}}),
        ("GET", f"/api/dialogues/{d}/flags", {}),
        ("GET", f"/api/dialogues/{d}/moderation-log", {}),
        ("GET", f"/api/dialogues/{d}/moderation-log.csv", {}),
        ("GET", f"/facilitate/dialogues/{d}/invites", {}),
        ("POST", f"/facilitate/dialogues/{d}/invites", {"data": {"side_id": world.sides[0]}}),
        (
            "POST",
            f"/facilitate/dialogues/{d}/invites/personal",
            {"files": {"list": ("l.csv", csv_body)}},
        ),
        ("GET", f"/facilitate/dialogues/{d}/invites/links.csv", {}),
        ("POST", f"/facilitate/dialogues/{d}/invites/forget", {}),
        ("POST", f"/facilitate/invites/{invite}/pause", {}),
        ("POST", f"/facilitate/invites/{invite}/resume", {}),
        ("POST", f"/facilitate/invites/{invite}/limits", {"data": {"cap": "1"}}),
        ("GET", f"/facilitate/invites/{invite}/revoke", {}),
        ("POST", f"/facilitate/invites/{invite}/revoke", {"data": {"confirm": "yes"}}),
        ("GET", f"/facilitate/dialogues/{d}/people", {}),
        ("GET", f"/facilitate/participants/{pid}/remove", {}),
        ("POST", f"/facilitate/participants/{pid}/remove", {"data": {"confirm": "yes"}}),
        ("POST", f"/facilitate/participants/{pid}/restore", {"data": {"reason": "x"}}),
        ("POST", f"/facilitate/participants/{pid}/delegate", {"data": {"delegate": "yes"}}),
        ("GET", f"/facilitate/dialogues/{d}/moderation", {}),
        ("GET", f"/facilitate/dialogues/{d}/moderation-log.csv", {}),
        ("POST", f"/facilitate/flagged/{sid}", {"data": {"decision": "accept"}}),
    ]
    before = (
        _members(world),
        _log(world),
        httpx.get(f"{world.url}/api/dialogues/{d}/invites", headers=world.owner).json(),
    )
    wrong = []
    for method, path, kwargs in routes:
        for who, expected in ((world.stranger, 404), ({}, 401)):
            r = httpx.request(method, world.url + path, headers=who, timeout=60, **kwargs)  # type: ignore[arg-type]
            if r.status_code != expected:
                wrong.append(
                    f"{method} {path} as {'stranger' if who else 'anonymous'}: {r.status_code}"
                )
    assert wrong == []
    after = (
        _members(world),
        _log(world),
        httpx.get(f"{world.url}/api/dialogues/{d}/invites", headers=world.owner).json(),
    )
    assert after == before  # nothing changed
    # the same routes work for the stranger in their own dialogue
    own = httpx.get(
        f"{world.url}/api/dialogues/{world.other_dialogue_id}/invites", headers=world.stranger
    )
    assert own.status_code == 200 and len(own.json()) == 2
    # and a member of another dialogue cannot flag this one's statements
    other_token = httpx.post(
        f"{world.url}/api/dialogues/{world.other_dialogue_id}/invites",
        json={"side_id": own.json()[0]["side_id"]},
        headers=world.stranger,
    ).json()["invite_url"]
    outsider, _ = world.member(other_token.rsplit("/join/", 1)[1])
    refused = httpx.post(
        f"{world.url}/api/statements/{sid}/flags", json={"reason": "x"}, headers=outsider
    )
    assert refused.status_code == 403
