"""Read a Polis export folder (the open-data layout of compdemocracy/openData).

Files read:

- ``votes.csv``: ``timestamp, datetime, comment-id, voter-id, vote``, one row per vote cast.
  In exports +1 is agree and -1 disagree (checked against the ``agrees``/``disagrees``
  counts of ``comments.csv``; Polis's database stores the opposite sign).
- ``participants-votes.csv``: wide, one row per participant with ``group-id`` and one column
  per comment; used for votes only when ``votes.csv`` is absent (it has no times).
- ``comments.csv``: ``comment-id``, ``moderated`` (-1 = moderated out) and the text.
- ``summary.csv``: ``key,value`` lines.

Malformed input raises :class:`alteram.errors.InvalidInput` naming the file, line and column.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from alteram.errors import InvalidInput

VOTE_COLUMNS = ("timestamp", "comment-id", "voter-id", "vote")
WIDE_FIXED = ("participant", "xid", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")
VOTE_VALUES = (-1, 0, 1)
FIX = "Re-export the conversation from Polis or correct the file."
MAX_ID = 2**63 - 1  # ids fit a signed 64-bit integer
MAX_TIME_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z, the last time Python can show


@dataclass
class PolisExport:
    """What a Polis export folder holds, as data frames.

    Attributes
    ----------
    votes : DataFrame with columns participant, statement, vote, time
        Every vote cast (time in ms since the epoch; 0 when read from the wide file).
    comments : DataFrame with columns statement, author, agrees, disagrees, moderated, text
        Empty when ``comments.csv`` is absent.
    groups : dict of participant id to Polis group id (None when not clustered by Polis)
        Empty when ``participants-votes.csv`` is absent.
    summary : dict of str to str
    votes_source : str
        ``"votes.csv"`` or ``"participants-votes.csv"``.
    """

    votes: pd.DataFrame
    comments: pd.DataFrame
    groups: dict[int, int | None] = field(default_factory=dict)
    summary: dict[str, str] = field(default_factory=dict)
    votes_source: str = "votes.csv"

    @property
    def moderated_out(self) -> list[int]:
        """Ids of comments with ``moderated == -1``."""
        if self.comments.empty:
            return []
        return [int(c) for c in self.comments.loc[self.comments["moderated"] < 0, "statement"]]


def _error(path: Path, line: int | None, column: str | None, what: str) -> InvalidInput:
    where = f"{path.name}"
    if line is not None:
        where += f" line {line}"
    if column is not None:
        where += f" column {column!r}"
    return InvalidInput(f"{where}: {what}", hint=FIX)


def _unclosed_field(path: Path, line: int) -> int | None:
    """The index of the field whose quote opens in the record at ``line`` and never closes."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        text = "".join(fh.readlines()[line - 1 :])
    field, quoted, i = 0, False, 0
    opened: int | None = None
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"' and text[i + 1 : i + 2] == '"':
                i += 1
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted, opened = True, field
        elif ch == ",":
            field += 1
        elif ch in "\r\n":
            return None  # the record ended: the trouble is elsewhere
        i += 1
    return opened if quoted else None


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (starting line number, fields) of each record; handles quoted newlines.

    Strict CSV: a quoted field that is never closed (a file cut short) is an error naming
    the line where its record starts and its column, never a record that swallows the rest.
    """
    header: list[str] = []
    start = 1
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh, strict=True)
            try:
                header = next(reader)
            except StopIteration:
                raise _error(path, 1, None, "the file is empty; a header line is needed.") from None
            rows: list[tuple[int, list[str]]] = []
            start = reader.line_num + 1
            for rec in reader:
                if rec:
                    rows.append((start, rec))
                start = reader.line_num + 1
    except UnicodeDecodeError as exc:
        raise _error(path, None, None, f"is not UTF-8 text ({exc.reason}).") from None
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            index = _unclosed_field(path, start)
            column = header[index] if index is not None and index < len(header) else None
            raise _error(
                path,
                start,
                column,
                "a quoted field opens here and is never closed: the file is cut short.",
            ) from None
        raise _error(path, start, None, f"is not valid CSV ({exc}).") from None
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        raise _error(path, 1, dupes[0], "this column appears more than once in the header.")
    return header, rows


def _need(path: Path, header: list[str], columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in header]
    if missing:
        raise _error(path, 1, missing[0], f"missing column; the header has {header}.")


def _int(
    path: Path,
    line: int,
    column: str,
    text: str,
    allowed: tuple[int, ...] = (),
    high: int = MAX_ID,
) -> int:
    """A whole number in ``allowed`` or, without it, from 0 to ``high`` (an id or a time)."""
    raw = text.strip()
    try:
        if not raw.lstrip("-").isdigit() or not raw.isascii():
            raise ValueError(raw)
        value = int(raw)
    except ValueError:
        raise _error(path, line, column, f"{text[:40]!r} is not an integer.") from None
    if allowed:
        if value not in allowed:
            raise _error(path, line, column, f"{value} is not one of {list(allowed)}.")
    elif not 0 <= value <= high:
        shown = raw if len(raw) <= 30 else raw[:27] + "..."
        raise _error(path, line, column, f"{shown} is out of range (0 to {high}).")
    return value


def _read_votes(path: Path) -> pd.DataFrame:
    header, rows = _read_rows(path)
    _need(path, header, VOTE_COLUMNS)
    pos = {c: header.index(c) for c in VOTE_COLUMNS}
    n = len(rows)
    data = {c: np.empty(n, dtype=np.int64) for c in VOTE_COLUMNS}
    width = len(header)
    for i, (line, rec) in enumerate(rows):
        if len(rec) != width:
            raise _error(path, line, None, f"has {len(rec)} fields, the header has {width}.")
        for c in VOTE_COLUMNS:
            allowed = VOTE_VALUES if c == "vote" else ()
            high = MAX_TIME_MS if c == "timestamp" else MAX_ID
            data[c][i] = _int(path, line, c, rec[pos[c]], allowed, high)
    return pd.DataFrame(
        {
            "participant": data["voter-id"],
            "statement": data["comment-id"],
            "vote": data["vote"].astype(np.int8),
            "time": data["timestamp"],
        }
    )


def _read_wide(path: Path) -> tuple[pd.DataFrame, dict[int, int | None]]:
    header, rows = _read_rows(path)
    _need(path, header, ("participant",))
    comment_cols = [(j, c) for j, c in enumerate(header) if c not in WIDE_FIXED]
    for _, c in comment_cols:
        if not c.strip().lstrip("-").isdigit():
            raise _error(path, 1, c, "is neither a known column nor a comment id.")
        _int(path, 1, c, c)
    gpos = header.index("group-id") if "group-id" in header else None
    ppos = header.index("participant")
    groups: dict[int, int | None] = {}
    parts: list[int] = []
    stmts: list[int] = []
    vals: list[int] = []
    for line, rec in rows:
        if len(rec) != len(header):
            raise _error(path, line, None, f"has {len(rec)} fields, the header has {len(header)}.")
        pid = _int(path, line, "participant", rec[ppos])
        if pid in groups:
            raise _error(path, line, "participant", f"participant {pid} appears twice.")
        g = rec[gpos].strip() if gpos is not None else ""
        groups[pid] = _int(path, line, "group-id", g) if g else None
        for j, c in comment_cols:
            cell = rec[j].strip()
            if cell:
                parts.append(pid)
                stmts.append(int(c))
                vals.append(_int(path, line, c, cell, VOTE_VALUES))
    votes = pd.DataFrame(
        {
            "participant": np.asarray(parts, dtype=np.int64),
            "statement": np.asarray(stmts, dtype=np.int64),
            "vote": np.asarray(vals, dtype=np.int8),
            "time": np.zeros(len(vals), dtype=np.int64),
        }
    )
    return votes, (groups if gpos is not None else {})


def _read_comments(path: Path) -> pd.DataFrame:
    header, rows = _read_rows(path)
    _need(path, header, ("comment-id", "moderated"))
    pos = {c: header.index(c) for c in header}
    ids: list[int] = []
    seen: set[int] = set()
    cols: dict[str, list[Any]] = {"author": [], "agrees": [], "disagrees": [], "moderated": []}
    texts: list[str] = []
    for line, rec in rows:
        if len(rec) != len(header):
            raise _error(path, line, None, f"has {len(rec)} fields, the header has {len(header)}.")
        cid = _int(path, line, "comment-id", rec[pos["comment-id"]])
        if cid in seen:
            raise _error(path, line, "comment-id", f"comment {cid} appears twice.")
        seen.add(cid)
        ids.append(cid)
        cols["moderated"].append(_int(path, line, "moderated", rec[pos["moderated"]], VOTE_VALUES))
        for c, src in (("author", "author-id"), ("agrees", "agrees"), ("disagrees", "disagrees")):
            cols[c].append(_int(path, line, src, rec[pos[src]]) if src in pos else None)
        body = rec[pos["comment-body"]] if "comment-body" in pos else ""
        if "\x00" in body:
            raise _error(path, line, "comment-body", "holds a NUL character, which is not text.")
        texts.append(body)
    frame = pd.DataFrame({"statement": pd.Series(ids, dtype=np.int64), **cols, "text": texts})
    if "group-informed-consensus" in pos:
        gac = [rec[pos["group-informed-consensus"]] for _, rec in rows]
        frame["group_informed_consensus"] = pd.to_numeric(pd.Series(gac), errors="coerce")
    return frame


def _read_summary(path: Path) -> dict[str, str]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            out: dict[str, str] = {}
            for rec in reader:
                if not rec:
                    continue
                if len(rec) > 2:
                    raise _error(path, reader.line_num, None, "expected key,value.")
                out[rec[0]] = rec[1] if len(rec) > 1 else ""
    except csv.Error as exc:
        raise _error(path, None, None, f"is not valid CSV ({exc}).") from None
    return out


def read_polis_export(folder: str | Path) -> PolisExport:
    """Read a Polis export folder; see the module docstring for the files."""
    root = Path(folder)
    if not root.is_dir():
        raise InvalidInput(f"{root} is not a folder.", hint="Give the folder of a Polis export.")
    votes_path, wide_path = root / "votes.csv", root / "participants-votes.csv"
    groups: dict[int, int | None] = {}
    wide_votes: pd.DataFrame | None = None
    if wide_path.is_file():
        wide_votes, groups = _read_wide(wide_path)
    if votes_path.is_file():
        votes, source = _read_votes(votes_path), "votes.csv"
        if votes.empty and wide_votes is not None and not wide_votes.empty:
            raise _error(
                votes_path,
                2,
                None,
                f"has a header and no votes, but participants-votes.csv holds "
                f"{len(wide_votes)}: the file is cut short.",
            )
    elif wide_path.is_file():
        assert wide_votes is not None
        votes, source = wide_votes, "participants-votes.csv"
    else:
        raise InvalidInput(
            f"{root} has neither votes.csv nor participants-votes.csv.",
            hint="Give the folder of a Polis export (the files Polis's export button writes).",
        )
    comments_path = root / "comments.csv"
    comments = (
        _read_comments(comments_path)
        if comments_path.is_file()
        else pd.DataFrame(
            {c: pd.Series(dtype=np.int64) for c in ("statement", "author", "moderated")}
        )
    )
    summary_path = root / "summary.csv"
    summary = _read_summary(summary_path) if summary_path.is_file() else {}
    return PolisExport(
        votes=votes, comments=comments, groups=groups, summary=summary, votes_source=source
    )
