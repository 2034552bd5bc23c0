"""Personal invites from a list the facilitator uploads: one single-use link per person.

The list is a CSV file with a header row: ``external_id`` (required: the person's id in the
facilitator's own records), ``display_name`` and ``side`` (by name; optional: rows without
one go to the side chosen with the upload). A file with any bad row is refused whole,
naming the line and the column, and nothing is imported; so is an external id that appears
twice in the file or is already used in the dialogue.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import NoReturn

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alteram.errors import N_, Conflict, InvalidInput
from alteram.service.access import Actor, dialogue_access
from alteram.service.invites import (
    Issued,
    IssuedLink,
    derived_token,
    external_id_problem,
    label,
    new_seed,
    refuse_archived,
)
from alteram.service.joining import MAX_DISPLAY_NAME
from alteram.service.tokens import hash_token
from alteram.store.database import Store
from alteram.store.schema import Invite, Participant, Side

COLUMNS = ("external_id", "display_name", "side")
MAX_ROWS = 10_000
MAX_BYTES = 2_000_000
NOTHING = N_("Nothing was imported: correct the file and upload it again.")


@dataclass(frozen=True)
class Row:
    line: int
    external_id: str
    display_name: str | None
    side: str | None


@dataclass(frozen=True)
class PeopleList:
    rows: list[Row]
    columns: dict[str, int]  # column name -> its number, from 1


def _refuse(
    template: str,
    line: int,
    column: int | None,
    name: str,
    terms: dict[str, str] | None = None,
    **params: object,
) -> NoReturn:
    where = {"line": line, "column": column, "name": name}
    raise InvalidInput(template, params={**where, **params}, terms=terms, hint=NOTHING)


def parse_list(data: bytes) -> PeopleList:
    """The rows of an uploaded list, checked for shape (sides are checked on import)."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            N_("the list has %(size)s bytes; at most %(most)s are accepted."),
            params={"size": len(data), "most": MAX_BYTES},
            hint=N_("Split it into several files."),
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            N_("line %(line)s is not UTF-8 text."),
            params={"line": line},
            hint=N_("Save the file as CSV UTF-8 and upload it again."),
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[Row] = []
    header: list[str] | None = None
    try:
        for fields in reader:
            line = reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if header is None:
                header = [f.strip().lower() for f in fields]
                _check_header(header, line)
                continue
            if len(fields) != len(header):
                raise InvalidInput(
                    N_("line %(line)s has %(found)s fields; the header has %(expected)s."),
                    params={"line": line, "found": len(fields), "expected": len(header)},
                    hint=NOTHING,
                )
            rows.append(_row(dict(zip(header, fields, strict=True)), header, line))
            if len(rows) > MAX_ROWS:
                raise InvalidInput(
                    N_("the list has more than %(most)s people."),
                    params={"most": MAX_ROWS},
                    hint=N_("Split it into several files."),
                )
    except csv.Error as exc:
        raise InvalidInput(
            N_("line %(line)s is not valid CSV: %(problem)s."),
            params={"line": reader.line_num, "problem": str(exc)},
            hint=NOTHING,
        ) from None
    if header is None or not rows:
        raise InvalidInput(
            N_("the list has no people in it."),
            hint=N_("The first line names the columns (external_id, display_name, side)."),
        )
    seen: dict[str, int] = {}
    column = header.index("external_id") + 1
    for row in rows:
        if row.external_id in seen:
            _refuse(
                N_(
                    "line %(line)s, column %(column)s (%(name)s): %(value)r is on line "
                    "%(first)s too."
                ),
                row.line,
                column,
                "external_id",
                value=row.external_id,
                first=seen[row.external_id],
            )
        seen[row.external_id] = row.line
    return PeopleList(rows, {name: i for i, name in enumerate(header, start=1)})


def _check_header(header: list[str], line: int) -> None:
    for i, name in enumerate(header, start=1):
        if name not in COLUMNS:
            _refuse(
                N_("line %(line)s, column %(column)s: %(value)r is not a column alteram reads."),
                line,
                i,
                name,
                value=name,
            )
        if header.index(name) != i - 1:
            _refuse(
                N_("line %(line)s, column %(column)s: the column %(value)r comes twice."),
                line,
                i,
                name,
                value=name,
            )
    if "external_id" not in header:
        _refuse(
            N_("line %(line)s: the header has no external_id column; it is required."),
            line,
            None,
            "external_id",
        )


def _row(values: dict[str, str], header: list[str], line: int) -> Row:
    xid = values["external_id"].strip()
    problem = external_id_problem(xid)
    if problem is not None:
        raise InvalidInput(
            N_("line %(line)s, column %(column)s (%(name)s): %(problem)s."),
            params={"line": line, "column": header.index("external_id") + 1, "name": "external_id"},
            terms={"problem": problem},
            hint=NOTHING,
        )
    name = values.get("display_name", "").strip() or None
    if name is not None and (
        len(name) > MAX_DISPLAY_NAME or any(ord(c) < 32 or ord(c) == 127 for c in name)
    ):
        _refuse(
            N_(
                "line %(line)s, column %(column)s (%(name)s): a display name has at most "
                "%(most)s characters and no control characters."
            ),
            line,
            header.index("display_name") + 1,
            "display_name",
            most=MAX_DISPLAY_NAME,
        )
    side = values.get("side", "").strip() or None
    return Row(line, xid, name, side)


def import_personal_invites(
    store: Store,
    *,
    actor: Actor,
    dialogue_id: int,
    data: bytes,
    default_side_id: int | None = None,
) -> Issued:
    """Make one personal link per row of the list ``data``; all of them or none.

    Returns the new links (their secrets, shown once) with the seed they derive from.
    """
    found = parse_list(data)
    rows, header = found.rows, found.columns
    with store.write() as session:
        refuse_archived(dialogue_access(session, actor, dialogue_id, need="team"))
        sides = {
            s.name.casefold(): s
            for s in session.scalars(select(Side).where(Side.dialogue_id == dialogue_id))
        }
        if default_side_id is not None and default_side_id not in {s.id for s in sides.values()}:
            raise InvalidInput(
                N_("side %(side)s is not a side of this dialogue."),
                params={"side": default_side_id},
            )
        used = _used_ids(session, dialogue_id, [r.external_id for r in rows])
        side_of: list[int] = []
        for row in rows:
            if row.external_id in used:
                _refuse(
                    N_(
                        "line %(line)s, column %(column)s (%(name)s): %(value)r is already used "
                        "in this dialogue (%(by)s)."
                    ),
                    row.line,
                    header["external_id"],
                    "external_id",
                    terms={"by": used[row.external_id]},
                    value=row.external_id,
                )
            if row.side is not None:
                side = sides.get(row.side.casefold())
                if side is None:
                    _refuse(
                        N_(
                            "line %(line)s, column %(column)s (%(name)s): there is no side named "
                            "%(value)r; the sides are %(sides)s."
                        ),
                        row.line,
                        header["side"],
                        "side",
                        value=row.side,
                        sides=", ".join(sorted(s.name for s in sides.values())),
                    )
                side_of.append(side.id)
            elif default_side_id is not None:
                side_of.append(default_side_id)
            else:
                _refuse(
                    N_(
                        "line %(line)s: no side for %(value)r; give a side column or choose the "
                        "side of the people without one."
                    ),
                    row.line,
                    None,
                    "side",
                    value=row.external_id,
                )
        seed = new_seed()
        made = []
        for row, side_id in zip(rows, side_of, strict=True):
            token = derived_token(seed, label("personal", side_id, row.external_id))
            invite = Invite(
                dialogue_id=dialogue_id,
                side_id=side_id,
                role="participant",
                kind="personal",
                external_id=row.external_id,
                display_name=row.display_name,
                token_hash=hash_token(token),
            )
            session.add(invite)
            made.append((invite, token))
        try:
            session.flush()
        except IntegrityError:  # another upload took one of these ids at the same moment
            raise Conflict(
                N_("another list with some of these external ids was imported just now."),
                hint=NOTHING,
            ) from None
        return Issued(
            seed,
            [IssuedLink(i.id, "personal", i.side_id, i.external_id, t) for i, t in made],
        )


def _used_ids(session: Session, dialogue_id: int, ids: list[str]) -> dict[str, str]:
    """External ids of ``ids`` already used in the dialogue, with by what."""
    used: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for xid in session.scalars(
            select(Invite.external_id).where(
                Invite.dialogue_id == dialogue_id,
                Invite.revoked_at.is_(None),
                Invite.external_id.in_(chunk),
            )
        ):
            used[str(xid)] = N_("a personal invite")
        for xid in session.scalars(
            select(Participant.external_id).where(
                Participant.dialogue_id == dialogue_id, Participant.external_id.in_(chunk)
            )
        ):
            used[str(xid)] = N_("a participant")
    return used
