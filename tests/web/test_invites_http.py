"""Invite links over real HTTP (SQLite and PostgreSQL): caps, expiry, pause, personal links
from an uploaded list, external ids, observers, and the pages that manage them."""

from __future__ import annotations

import csv
import io
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from bs4 import BeautifulSoup

from tests.web.people_world import PASSWORD, World, make_world, token_of


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    yield from make_world(request, tmp_path_factory.mktemp(f"invites-{request.param}"))


def _link(w: World, **body: object) -> dict[str, object]:
    r = httpx.post(f"{w.url}/api/dialogues/{w.dialogue_id}/invites", json=body, headers=w.owner)
    assert r.status_code == 201, r.text
    return dict(r.json())


def _invites(w: World) -> dict[int, dict[str, object]]:
    r = httpx.get(f"{w.url}/api/dialogues/{w.dialogue_id}/invites", headers=w.owner)
    assert r.status_code == 200
    return {int(i["id"]): i for i in r.json()}


def _message(r: httpx.Response) -> str:
    return str(r.json()["error"]["message"])


def test_a_cap_admits_exactly_its_number_and_says_so_then_can_be_raised(world: World) -> None:
    made = _link(world, side_id=world.sides[0], cap=2)
    token = token_of(str(made["invite_url"]))
    assert [world.join(token).status_code for _ in range(2)] == [201, 201]
    third = world.join(token)
    assert third.status_code == 409
    assert _message(third).startswith(
        "this link has reached its limit of 2 people; ask the facilitator."
    )
    page = httpx.get(f"{world.url}/join/{token}")
    assert page.status_code == 409 and "limit of 2 people" in page.text
    assert _invites(world)[int(made["invite_id"])]["state"] == "full"
    raised = httpx.post(
        f"{world.url}/api/invites/{made['invite_id']}/limits", json={"cap": 3}, headers=world.owner
    )
    assert raised.status_code == 200 and raised.json()["state"] == "active"
    assert world.join(token).status_code == 201
    assert raised.json()["joined"] == 2 and _invites(world)[int(made["invite_id"])]["joined"] == 3


def test_a_paused_link_refuses_until_resumed(world: World) -> None:
    made = _link(world, side_id=world.sides[1])
    token = token_of(str(made["invite_url"]))
    paused = httpx.post(f"{world.url}/api/invites/{made['invite_id']}/pause", headers=world.owner)
    assert paused.status_code == 200 and paused.json()["state"] == "paused"
    refused = world.join(token)
    assert refused.status_code == 403
    assert _message(refused).startswith("this link is paused by the facilitator.")
    zh = httpx.post(
        world.url + "/api/join", json={"token": token}, headers={"accept-language": "zh"}
    )
    assert "暂停" in _message(zh)
    httpx.post(f"{world.url}/api/invites/{made['invite_id']}/resume", headers=world.owner)
    assert world.join(token).status_code == 201


def test_an_expired_link_names_the_day_it_expired(world: World) -> None:
    soon = datetime.now(UTC) + timedelta(seconds=2)
    made = _link(world, side_id=world.sides[0], expires_at=soon.isoformat())
    token = token_of(str(made["invite_url"]))
    assert world.join(token).status_code == 201
    time.sleep(max(0.0, (soon - datetime.now(UTC)).total_seconds()) + 0.3)
    refused = world.join(token)
    assert refused.status_code == 403
    assert _message(refused).startswith(f"this link expired on {soon:%Y-%m-%d %H:%M} UTC.")
    past = httpx.post(
        f"{world.url}/api/invites/{made['invite_id']}/limits",
        json={"expires_at": "2020-01-01T00:00:00Z"},
        headers=world.owner,
    )
    assert past.status_code == 422 and "already past" in _message(past)
    naive = httpx.post(
        f"{world.url}/api/invites/{made['invite_id']}/limits",
        json={"expires_at": "2099-01-01T00:00:00"},
        headers=world.owner,
    )
    assert naive.status_code == 422 and "time zone" in _message(naive)


def test_a_cap_holds_when_many_join_at_once(world: World) -> None:
    made = _link(world, side_id=world.sides[0], cap=5)
    token = token_of(str(made["invite_url"]))
    codes: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(16)

    def join() -> None:
        start.wait()
        code = world.join(token).status_code
        with lock:
            codes.append(code)

    threads = [threading.Thread(target=join) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(codes) == [201] * 5 + [409] * 11
    assert _invites(world)[int(made["invite_id"])]["joined"] == 5


PEOPLE = "external_id,display_name,side\nann-1,Ann,Upstream\nbo-2,,downstream\ncy-3,Cy,\n"


def test_personal_links_from_a_list_each_admit_one_person_once(world: World) -> None:
    before = len(_invites(world))
    r = httpx.post(
        f"{world.url}/api/dialogues/{world.dialogue_id}/invites/personal",
        params={"side_id": world.sides[1]},
        content=PEOPLE.encode(),
        headers={**world.owner, "content-type": "text/csv"},
    )
    assert r.status_code == 201, r.text
    links = {link["external_id"]: link for link in r.json()["links"]}
    assert set(links) == {"ann-1", "bo-2", "cy-3"}
    assert [links[x]["side_id"] for x in ("ann-1", "bo-2", "cy-3")] == [
        world.sides[0],
        world.sides[1],
        world.sides[1],  # no side in the file: the one chosen with the upload
    ]
    assert len(_invites(world)) == before + 3
    ann = token_of(links["ann-1"]["invite_url"])

    other_id = world.join(ann, external_id="someone-else")
    assert other_id.status_code == 403
    assert "made for another external id than 'someone-else'" in _message(other_id)
    joined = world.join(ann, display_name="")
    assert joined.status_code == 201 and joined.json()["side_id"] == world.sides[0]
    again = world.join(ann)
    assert again.status_code == 409
    assert _message(again).startswith("this personal link was already used on ")
    view = _invites(world)[int(links["ann-1"]["invite_id"])]
    assert view["state"] == "used" and view["used_at"] is not None
    assert view["joiners"][0]["participant_id"] == joined.json()["participant_id"]  # type: ignore[index]
    assert view["joiners"][0]["display_name"] == "Ann"  # type: ignore[index]

    # the external ids of the list are taken: on an open link too
    open_token = world.tokens[world.sides[0]]
    taken = world.join(open_token, external_id="ann-1")
    assert taken.status_code == 409
    assert _message(taken).startswith("the external id 'ann-1' is already used in this dialogue.")
    reserved = world.join(open_token, external_id="bo-2")
    assert reserved.status_code == 409 and "belongs to a personal invite" in _message(reserved)

    # a revoked personal link stops working; revoking cannot be repeated
    revoked = httpx.post(
        f"{world.url}/api/invites/{links['cy-3']['invite_id']}/revoke", headers=world.owner
    )
    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    refused = world.join(token_of(links["cy-3"]["invite_url"]))
    assert refused.status_code == 403 and "revoked" in _message(refused)
    twice = httpx.post(
        f"{world.url}/api/invites/{links['cy-3']['invite_id']}/revoke", headers=world.owner
    )
    assert twice.status_code == 409


def _upload(w: World, text: str) -> httpx.Response:
    return httpx.post(
        f"{w.url}/api/dialogues/{w.dialogue_id}/invites/personal",
        content=text.encode(),
        headers={**w.owner, "content-type": "text/csv"},
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "external_id,side\nz-1,Upstream\nz-2,Upstream\nz-3,Nowhere\n",
            "line 4, column 2 (side): there is no side named 'Nowhere'; the sides are "
            "Downstream, Upstream.",
        ),
        (
            "external_id,side\nz-1,Upstream\n\nz-2,Upstream\nz-1,Downstream\n",
            "line 5, column 1 (external_id): 'z-1' is on line 2 too.",
        ),
        (
            "side,external_id\nUpstream,z-1\nUpstream,ann-1\n",
            "line 3, column 2 (external_id): 'ann-1' is already used in this dialogue "
            "(a participant).",
        ),
        (
            "external_id,side\nz-1,Upstream\nbo-2,Upstream\n",
            "line 3, column 1 (external_id): 'bo-2' is already used in this dialogue "
            "(a personal invite).",
        ),
        (
            "external_id,side\nz-1,Upstream\n   ,Upstream\n",
            "line 3, column 1 (external_id): an external id cannot be empty.",
        ),
        (
            "external_id,side,email\nz-1,Upstream,z@example.org\n",
            "line 1, column 3: 'email' is not a column alteram reads.",
        ),
        ("display_name,side\nZed,Upstream\n", "line 1: the header has no external_id column"),
        ("external_id,side\nz-1,Upstream,extra\n", "line 2 has 3 fields; the header has 2."),
        ("external_id\nz-1\n", "line 2: no side for 'z-1'"),
        ('external_id,side\n"z-1,Upstream\n', "is not valid CSV"),
        ("external_id,side\n", "the list has no people in it."),
    ],
)
def test_a_list_with_a_bad_row_is_refused_whole_naming_line_and_column(
    world: World, text: str, expected: str
) -> None:
    if "ann-1" in text or "bo-2" in text:  # needs the list of the test above
        ids = {i["external_id"] for i in _invites(world).values()}
        if "ann-1" not in ids:
            pytest.skip("runs after test_personal_links_from_a_list_each_admit_one_person_once")
    before = _invites(world)
    r = _upload(world, text)
    assert r.status_code == 422, r.text
    assert expected in _message(r)
    assert "Nothing was imported" in _message(r) or "no people" in expected
    assert _invites(world) == before  # nothing half-imported


def test_not_utf8_names_the_line(world: World) -> None:
    r = httpx.post(
        f"{world.url}/api/dialogues/{world.dialogue_id}/invites/personal",
        content=b"external_id,side\nok,Upstream\nk\xe9,Upstream\n",
        headers={**world.owner, "content-type": "text/csv"},
    )
    assert r.status_code == 422 and "line 3 is not UTF-8" in _message(r)


def test_an_external_id_on_an_open_link_is_unique_and_not_shown_to_others(world: World) -> None:
    token = world.tokens[world.sides[1]]
    me, pid = world.member(token, external_id="  xid-77 ")
    twice = world.join(token, external_id="xid-77")
    assert twice.status_code == 409 and "'xid-77' is already used" in _message(twice)
    bad = world.join(token, external_id="a\x01b")
    assert bad.status_code == 422 and "control characters" in _message(bad)
    members = httpx.get(
        f"{world.url}/api/dialogues/{world.dialogue_id}/participants", headers=world.owner
    ).json()
    assert next(m for m in members if m["id"] == pid)["external_id"] == "xid-77"
    other, _ = world.member(token)
    for who in (me, other):
        assert "xid-77" not in httpx.get(f"{world.url}/api/me", headers=who).text
        listing = httpx.get(
            f"{world.url}/api/dialogues/{world.dialogue_id}/participants", headers=who
        )
        assert listing.status_code == 401


def test_observer_links_admit_read_only_members_of_a_side_or_of_none(world: World) -> None:
    nobody = _link(world, kind="observer")
    upstream = _link(world, kind="observer", side_id=world.sides[0])
    assert _link(world, kind="open", side_id=world.sides[0])["kind"] == "open"
    no_side = httpx.post(
        f"{world.url}/api/dialogues/{world.dialogue_id}/invites",
        json={"kind": "open"},
        headers=world.owner,
    )
    assert no_side.status_code == 422 and "choose the side" in _message(no_side)
    for side in (world.sides[0] + 1000, 99999999999999999999, -1):
        wrong = httpx.post(
            f"{world.url}/api/dialogues/{world.dialogue_id}/invites",
            json={"kind": "open", "side_id": side},
            headers=world.owner,
        )
        assert wrong.status_code == 422 and "not a side of this dialogue" in _message(wrong)
    for made, side in ((nobody, None), (upstream, world.sides[0])):
        token = token_of(str(made["invite_url"]))
        page = httpx.get(f"{world.url}/join/{token}")
        assert page.status_code == 200 and "observer" in page.text
        r = world.join(token)
        assert r.status_code == 201
        assert (r.json()["role"], r.json()["side_id"]) == ("observer", side)
        who = {"authorization": "Bearer " + r.json()["session_token"]}
        assert httpx.get(f"{world.url}/api/me", headers=who).status_code == 200
        write = httpx.post(
            f"{world.url}/api/rounds/{world.round_id}/statements",
            json={"text": "Observers should not write this."},
            headers=who,
            timeout=60,
        )
        assert write.status_code == 403


def _client(w: World) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=w.url, timeout=60, follow_redirects=False)
    r = client.post("/api/auth/login", json={"email": w.owner_email, "password": PASSWORD})
    assert r.status_code == 200
    return client, str(r.json()["csrf_token"])


def test_the_invites_page_shows_new_links_once_and_asks_before_revoking(world: World) -> None:
    client, csrf = _client(world)
    path = f"/facilitate/dialogues/{world.dialogue_id}/invites"
    try:
        before = len(_invites(world))
        made = client.post(
            path,
            data={"csrf_token": csrf, "kind": "open", "side_id": world.sides[1], "cap": "4"},
        )
        assert made.status_code == 303 and made.headers["location"].startswith(path)
        first = BeautifulSoup(client.get(path).text, "html.parser")
        shown = [i["value"] for i in first.select("#new-links input.invite")]
        assert len(shown) == 1 and "/join/" in shown[0]
        again = BeautifulSoup(client.get(path).text, "html.parser")  # a reload makes nothing
        assert [i["value"] for i in again.select("#new-links input.invite")] == shown
        assert len(_invites(world)) == before + 1
        assert world.join(token_of(str(shown[0]))).status_code == 201

        # the list upload: redirect, then the links and their CSV
        uploaded = client.post(
            path + "/personal",
            data={"csrf_token": csrf, "side_id": str(world.sides[0])},
            files={"list": ("people.csv", b"external_id,display_name\npage-1,Pia\npage-2,\n")},
        )
        assert uploaded.status_code == 303
        rows = list(csv.DictReader(io.StringIO(client.get(path + "/links.csv").text)))
        assert [r["external_id"] for r in rows] == ["page-1", "page-2"]
        pia = token_of(rows[0]["link"])
        assert httpx.get(f"{world.url}/join/{pia}").status_code == 200
        assert 'value="Pia"' in httpx.get(f"{world.url}/join/{pia}").text

        # a bad list: the page says which line and column, and nothing is imported
        count = len(_invites(world))
        bad = client.post(
            path + "/personal",
            data={"csrf_token": csrf},
            files={"list": ("bad.csv", b"external_id,side\nq-1,Upstream\nq-2,Atlantis\n")},
        )
        assert bad.status_code == 422
        error = BeautifulSoup(bad.text, "html.parser").select_one("p.error")
        assert error is not None and "line 3, column 2 (side)" in error.get_text()
        assert len(_invites(world)) == count

        # once saved, the links are gone for good
        client.post(path + "/forget", data={"csrf_token": csrf})
        assert not BeautifulSoup(client.get(path).text, "html.parser").select("#new-links")
        assert client.get(path + "/links.csv").status_code == 404

        # pausing is one click and a redirect; revoking asks first
        invite_id = next(i for i, v in _invites(world).items() if v["external_id"] == "page-2")
        paused = client.post(f"/facilitate/invites/{invite_id}/pause", data={"csrf_token": csrf})
        assert paused.status_code == 303 and _invites(world)[invite_id]["state"] == "paused"
        asked = client.post(f"/facilitate/invites/{invite_id}/revoke", data={"csrf_token": csrf})
        assert asked.status_code == 303 and asked.headers["location"].endswith("/revoke")
        assert _invites(world)[invite_id]["revoked_at"] is None
        confirm = BeautifulSoup(client.get(asked.headers["location"]).text, "html.parser")
        assert "cannot be undone" in confirm.get_text()
        form = confirm.select_one("section.confirm form")
        assert form is not None and form.select_one("input[name=confirm]")["value"] == "yes"  # type: ignore[index]
        done = client.post(
            f"/facilitate/invites/{invite_id}/revoke", data={"csrf_token": csrf, "confirm": "yes"}
        )
        assert done.status_code == 303 and _invites(world)[invite_id]["state"] == "revoked"
        listed = BeautifulSoup(client.get(path).text, "html.parser")
        row = listed.select_one(f"#invite-{invite_id}")
        assert row is not None and row["data-state"] == "revoked"
        # the manage page links here
        manage = client.get(f"/facilitate/dialogues/{world.dialogue_id}").text
        assert f'href="{path}"' in manage
    finally:
        client.close()
