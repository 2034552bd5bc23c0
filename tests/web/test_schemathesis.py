"""Schemathesis over the OpenAPI description of a live server, on SQLite and PostgreSQL.

``st run`` (the schemathesis command) tests every operation of ``/openapi.json`` against a
real ``alteram serve`` three times: anonymously, with a participant's bearer token and with
a facilitator's. Each run goes through schemathesis's phases: schema examples, coverage
(boundary and invalid values), fuzzing (positive and negative data) and stateful sequences
(links between operations, inferred from the schema and the responses). Every check is on:
no 5xx, every status documented, every response body valid for its schema, invalid data
refused, and so on. The only allowance, in the configuration below, is that schema-valid
text may still be refused with 422 for what a schema cannot say (only invisible characters,
a control character, an email address that is not one).

Generated ids are real ones with probability one half (a dictionary of the ids the set-up
made), so that requests reach more than "not found". The JSON reports go to
``test-artifacts/schemathesis/`` (or ``$ALTERAM_ARTIFACTS``); ``benchmarks/RESULTS.md``
records their figures. ``ALTERAM_SCHEMATHESIS_EXAMPLES`` sets the examples per operation.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from alteram.service.accounts import create_facilitator
from alteram.service.concerns import raise_concern
from alteram.service.definitions import add_concept, propose_definition, restate
from alteram.service.dialogues import create_dialogue
from alteram.service.participation import add_statement, admit
from alteram.service.rounds import create_round, open_round
from alteram.store.database import Store
from tests.conftest import REPO, make_database
from tests.web.conftest import LiveServer, start_server, stop_server

PASSWORD = "a long enough passphrase"
EXAMPLES = int(os.environ.get("ALTERAM_SCHEMATHESIS_EXAMPLES", "8"))
SEED = 15
ST = Path(shutil.which("st") or Path(os.sys.executable).with_name("st"))  # type: ignore[attr-defined]
ARTIFACTS = Path(os.environ.get("ALTERAM_ARTIFACTS", REPO / "test-artifacts")) / "schemathesis"


@dataclass
class Api:
    server: LiveServer
    kind: str
    ids: dict[str, list[int]]
    tokens: list[str]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """A server with a dialogue in every state schemathesis can reach: rounds, statements..."""
    workdir = tmp_path_factory.mktemp(f"schemathesis-{request.param}")
    url = make_database(request.param, request, workdir)
    store = Store(url)
    d = create_dialogue(store, title="Schemathesis", charter="Fuzz us.", sides=["A", "B"])
    planned = create_round(store, dialogue_id=d.dialogue_id, topics=["Later"])
    rnd = create_round(store, dialogue_id=d.dialogue_id, topics=["Now"])
    open_round(store, round_id=rnd)
    a, b = (admit(store, token=d.invite_tokens[s]).participant_id for s in d.side_ids)
    statements = [
        add_statement(store, participant_id=p, round_id=rnd, text=f"Statement {i}", read_move=False)
        for i, p in enumerate((a, b, a, b))
    ]
    concept = add_concept(store, round_id=rnd, name="rights")
    definition = propose_definition(store, participant_id=b, concept_id=concept, text="B's view")
    restatement = restate(
        store, participant_id=a, concept_id=concept, side_id=d.side_ids[1], text="To B it means"
    )
    concern = raise_concern(store, participant_id=b, title="Dams", why_it_matters="Floods.")
    create_facilitator(store, email="f@example.org", password=PASSWORD)
    store.dispose()
    ids = {
        "dialogue_id": [d.dialogue_id],
        "side_id": list(d.side_ids),
        "round_id": [rnd, planned],
        "statement_id": statements,
        "concept_id": [concept],
        "definition_id": [definition],
        "restatement_id": [restatement],
        "concern_id": [concern],
    }
    server = start_server(url, workdir)
    try:
        yield Api(server, request.param, ids, [d.invite_tokens[s] for s in d.side_ids])
    finally:
        stop_server(server)


def _config(api: Api, path: Path) -> Path:
    """A schemathesis.toml: real ids half of the time, and the one allowance (see above)."""
    lines = [
        f"seed = {SEED}",
        "[generation]",
        f"max-examples = {EXAMPLES}",
        'database = "none"',
        "[checks.positive_data_acceptance]",
        'expected-statuses = ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]',
    ]
    for name, values in api.ids.items():
        lines += [f"[dictionaries.{name}]", f"values = {values}"]
    lines += ["[dictionaries.token]", f"values = {json.dumps(api.tokens)}"]
    lines.append("[parameters]")
    for name in api.ids:
        lines.append(f'"path.{name}" = {{ dictionary = "{name}", probability = 0.5 }}')
    lines.append('"body.token" = { dictionary = "token", probability = 0.3 }')
    path.write_text("\n".join(lines) + "\n")
    return path


def _session(api: Api, who: str) -> dict[str, str]:
    if who == "participant":
        r = httpx.post(api.server.url + "/api/join", json={"token": api.tokens[0]})
        assert r.status_code == 201, r.text
        return {"authorization": "Bearer " + r.json()["session_token"]}
    if who == "facilitator":
        r = httpx.post(
            api.server.url + "/api/auth/login",
            json={"email": "f@example.org", "password": PASSWORD},
        )
        assert r.status_code == 200, r.text
        return {"authorization": "Bearer " + r.json()["session_token"]}
    return {}


@pytest.mark.slow
@pytest.mark.parametrize("who", ["anonymous", "participant", "facilitator"])
def test_schemathesis_finds_nothing(api: Api, who: str, tmp_path: Path) -> None:
    headers = _session(api, who)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    report = ARTIFACTS / f"{api.kind}-{who}.json"
    command = [
        str(ST),
        "--config-file",
        str(_config(api, tmp_path / "schemathesis.toml")),
        "run",
        api.server.url + "/openapi.json",
        "--checks",
        "all",
        "--report",
        "json",
        "--report-json-path",
        str(report),
        "--no-color",
        "--workers",
        "2",
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    if headers:  # signing out would end the session the rest of the run needs
        command += ["--exclude-path", "/api/auth/logout"]
    if who == "facilitator":  # a fuzzed delete (two workers) races the stateful phase's
        # reads of the dialogue it just created; deleting is tested in test_security.py
        command += ["--exclude-path", "/api/dialogues/{dialogue_id}/delete"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=tmp_path)
    summary = json.loads(report.read_text())
    cases = summary["test_cases"]
    figures = (
        f"{api.kind} {who}: {summary['operations']['tested']} operations, "
        f"{cases['generated']} cases, {cases['unique_failures']} failures, "
        f"{len(summary['errors'])} errors, {summary['running_time']:.0f} s"
    )
    print(figures)
    assert summary["phases"]["stateful"]["status"] != "skip", summary["phases"]
    assert summary["operations"]["tested"] >= 30, figures
    assert cases["unique_failures"] == 0 and not summary["errors"], (
        figures + "\n" + done.stdout[-6000:]
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
