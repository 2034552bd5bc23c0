"""The two Polis files that are summaries of the others: ``summary.csv`` and the wide
``participants-votes.csv`` (one row per participant, one column per comment).

Their layout is that of Polis's open-data exports: ``summary.csv`` holds ``key,value`` lines
(topic, url, views, voters, voters-in-conv, commenters, comments, groups,
conversation-description), ``participants-votes.csv`` the columns participant, group-id,
n-comments, n-votes, n-agree, n-disagree, then each comment id with the participant's latest
vote on it (1 agree, -1 disagree, 0 pass, blank when not voted). Ids are alteram's own.
"""

from __future__ import annotations

from typing import Any

from alteram.interop.exports import _csv

WIDE_COLUMNS = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")


def _latest(data: dict[str, Any]) -> dict[tuple[int, int], int]:
    latest: dict[tuple[int, int], int] = {}
    for v in data["votes"]:  # in id order: a later row replaces an earlier one
        latest[(v["participant"], v["statement"])] = v["value"]
    return latest


def _people(data: dict[str, Any]) -> list[int]:
    """Who took part in the round: voted on or wrote one of its statements."""
    voters = {v["participant"] for v in data["votes"]}
    writers = {s["author"] for s in data["statements"]}
    roles = {p["id"]: p["role"] for p in data["participants"]}
    return sorted(p for p in voters | writers if roles.get(p, "participant") == "participant")


def participants_votes_csv(data: dict[str, Any]) -> str:
    """The wide file, with each participant's opinion group from the latest analysis."""
    latest = _latest(data)
    comments = [s["id"] for s in data["statements"]]
    group = {p["id"]: p.get("group") for p in data["participants"]}
    written: dict[int, int] = {}
    for s in data["statements"]:
        written[s["author"]] = written.get(s["author"], 0) + 1
    by_person: dict[int, dict[int, int]] = {}
    for (pid, sid), value in latest.items():
        by_person.setdefault(pid, {})[sid] = value
    rows = []
    for pid in _people(data):
        mine = by_person.get(pid, {})
        values = list(mine.values())
        g = group.get(pid)
        rows.append(
            [
                pid,
                "" if g is None else g,
                written.get(pid, 0),
                len(values),
                values.count(1),
                values.count(-1),
                *(mine.get(c, "") for c in comments),
            ]
        )
    return _csv([*WIDE_COLUMNS, *map(str, comments)], rows)


def summary_csv(data: dict[str, Any]) -> str:
    """Polis's ``key,value`` summary, then alteram's own keys (round, dialogue, state)."""
    people = _people(data)
    voters = {v["participant"] for v in data["votes"]}
    writers = {s["author"] for s in data["statements"]} & set(people)
    groups = {p.get("group") for p in data["participants"] if p.get("group") is not None}
    dialogue = data["dialogue"]
    lines: list[tuple[str, Any]] = [
        ("topic", data["title"] or dialogue["title"]),
        ("url", ""),
        ("views", sum(p["role"] == "participant" for p in data["participants"])),
        ("voters", len(voters)),
        ("voters-in-conv", len(voters)),
        ("commenters", len(writers)),
        ("comments", len(data["statements"])),
        ("groups", len(groups)),
        ("conversation-description", dialogue["charter"]),
        ("alteram-dialogue-id", data["dialogue_id"]),
        ("alteram-round-id", data["round_id"]),
        ("alteram-round-number", data["number"]),
        ("alteram-round-state", data["state"]),
        ("alteram-format-version", data["format_version"]),
    ]
    return _csv(lines[0], lines[1:])
