"""A round's votes as Parquet shards, and reading them back as chunks for the Dask engine.

Layout of a folder (format 1)::

    manifest.json          format, rows_per_shard, n_votes, shards, round and side names
    votes/part-00000.parquet, part-00001.parquet, ...
                           time int64 (the vote id: votes in time order), participant int64,
                           statement int64, vote int8 (-1 disagree, 0 pass, +1 agree);
                           every shard holds rows_per_shard rows except the last
    statements.parquet     statement int64, side int64 (null: none), moderation string
                           (accepted, pending, rejected), move string (null: none)
    sides.parquet          participant int64, side int64: the side of each voter
    predictions.parquet    participant, statement, target_side int64, predicted int64 (0-100)

Every vote cast is a row (votes are append-only; the latest per participant and statement
counts). Writing streams: a shard is written as soon as it is full.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np
import pandas as pd

from alteram.errors import InvalidInput

FORMAT = 1
ROWS_PER_SHARD = 1_000_000
VOTE_COLUMNS = ("time", "participant", "statement", "vote")


def _pa() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - the extra is installed in tests
        raise InvalidInput(
            "Parquet needs the 'dask' extra.", hint="Install it: pip install 'alteram[dask]'."
        ) from exc
    return pa, pq


def _vote_schema() -> Any:
    pa, _ = _pa()
    return pa.schema(
        [
            ("time", pa.int64()),
            ("participant", pa.int64()),
            ("statement", pa.int64()),
            ("vote", pa.int8()),
        ]
    )


class ShardWriter:
    """Write votes into shards of exactly ``rows_per_shard`` rows (the last may be shorter).

    Use as a context manager; :meth:`write` takes DataFrames with the vote columns in any
    size, :meth:`finish` writes the other tables and the manifest.
    """

    def __init__(self, folder: Path, *, rows_per_shard: int = ROWS_PER_SHARD) -> None:
        if rows_per_shard < 1:
            raise InvalidInput(f"rows_per_shard must be >= 1, got {rows_per_shard}.")
        self.folder = Path(folder)
        self.rows_per_shard = rows_per_shard
        self.shards: list[str] = []
        self.n_votes = 0
        self._pending: list[pd.DataFrame] = []
        self._pending_rows = 0
        try:
            (self.folder / "votes").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InvalidInput(f"cannot create {self.folder}: {exc.strerror}.") from None
        stale = sorted((self.folder / "votes").glob("part-*.parquet"))
        if stale:
            raise InvalidInput(
                f"{self.folder} already holds vote shards.", hint="Give an empty folder."
            )

    def __enter__(self) -> ShardWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    def write(self, votes: pd.DataFrame) -> None:
        """Append votes (columns time, participant, statement, vote), in time order."""
        missing = [c for c in VOTE_COLUMNS if c not in votes.columns]
        if missing:
            raise InvalidInput(f"votes to write lack the column(s) {missing}.")
        frame = pd.DataFrame(
            {
                "time": votes["time"].to_numpy(dtype=np.int64),
                "participant": votes["participant"].to_numpy(dtype=np.int64),
                "statement": votes["statement"].to_numpy(dtype=np.int64),
                "vote": votes["vote"].to_numpy(dtype=np.int8),
            }
        )
        self._pending.append(frame)
        self._pending_rows += len(frame)
        while self._pending_rows >= self.rows_per_shard:
            self._flush(self.rows_per_shard)

    def _flush(self, rows: int) -> None:
        data = (
            pd.concat(self._pending, ignore_index=True)
            if len(self._pending) > 1
            else (self._pending[0])
        )
        head, rest = data.iloc[:rows], data.iloc[rows:]
        name = shard_name(len(self.shards))
        write_shard(self.folder / "votes" / name, head)
        self.shards.append(name)
        self.n_votes += len(head)
        self._pending = [rest.reset_index(drop=True)] if len(rest) else []
        self._pending_rows = len(rest)

    def finish(
        self,
        *,
        statements: pd.DataFrame,
        sides: pd.DataFrame,
        predictions: pd.DataFrame | None = None,
        about: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Write the last shard, the statements, sides, predictions and the manifest."""
        pa, pq = _pa()
        if self._pending_rows:
            self._flush(self._pending_rows)
        tables = {
            "statements": (statements, ["statement", "side", "moderation", "move"]),
            "sides": (sides, ["participant", "side"]),
        }
        if predictions is not None:
            tables["predictions"] = (
                predictions,
                ["participant", "statement", "target_side", "predicted"],
            )
        for name, (frame, columns) in tables.items():
            missing = [c for c in columns if c not in frame.columns]
            if missing:
                raise InvalidInput(f"{name} to write lack the column(s) {missing}.")
            table = pa.Table.from_pandas(frame[columns], preserve_index=False)
            pq.write_table(table, self.folder / f"{name}.parquet")
        return write_manifest(
            self.folder,
            shards=[f"votes/{s}" for s in self.shards],
            rows_per_shard=self.rows_per_shard,
            n_votes=self.n_votes,
            about=about,
        )


def shard_name(index: int) -> str:
    """The file name of shard ``index``."""
    return f"part-{index:05d}.parquet"


def write_shard(path: Path, votes: pd.DataFrame) -> None:
    """One shard file of votes with the vote columns (see the module docstring)."""
    pa, pq = _pa()
    table = pa.Table.from_pandas(
        votes[list(VOTE_COLUMNS)], schema=_vote_schema(), preserve_index=False
    )
    pq.write_table(table, path, compression="lz4")


def write_manifest(
    folder: Path,
    *,
    shards: list[str],
    rows_per_shard: int,
    n_votes: int,
    about: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write ``manifest.json`` (shards relative to ``folder``); returns it."""
    manifest = {
        "format": FORMAT,
        "rows_per_shard": rows_per_shard,
        "n_votes": n_votes,
        "shards": shards,
        **(about or {}),
    }
    (Path(folder) / "manifest.json").write_text(json.dumps(manifest, indent=1), "utf-8")
    return manifest


def read_shards(paths: list[str]) -> pd.DataFrame:
    """The votes of several shards, one after the other (runs on a Dask worker)."""
    _, pq = _pa()
    # one thread: Dask already runs one read per worker thread
    frames = [
        pq.read_table(p, columns=list(VOTE_COLUMNS), use_threads=False).to_pandas() for p in paths
    ]
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


@dataclass(frozen=True)
class ParquetVotes:
    """A folder of shards, read lazily: ``chunks`` are dask.delayed reads of shards."""

    folder: Path
    manifest: dict[str, Any]
    chunks: list[Any]
    moderated_out: list[int]
    sides: pd.Series
    predictions: pd.DataFrame | None
    statements: pd.DataFrame


def open_shards(folder: Path, *, rows_per_chunk: int = 5_000_000) -> ParquetVotes:
    """Read a folder's manifest and small tables; the votes become delayed chunk reads of
    about ``rows_per_chunk`` rows (whole shards)."""
    from dask import delayed

    _, pq = _pa()
    folder = Path(folder)
    path = folder / "manifest.json"
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise InvalidInput(
            f"{folder} has no manifest.json: it is not a folder of alteram vote shards.",
            hint="Write one with 'alteram export ROUND_ID --parquet DIR'.",
        ) from None
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read {path}: {exc}.") from None
    if manifest.get("format") != FORMAT:
        raise InvalidInput(
            f"{path} is of format {manifest.get('format')!r}; this alteram reads format {FORMAT}."
        )
    shards = [str(folder / s) for s in manifest.get("shards", [])]
    absent = [s for s in shards if not Path(s).exists()]
    if absent:
        raise InvalidInput(
            f"{len(absent)} shard(s) listed in {path} are missing, e.g. {absent[0]}."
        )
    per = max(1, rows_per_chunk // max(int(manifest.get("rows_per_shard", 1)), 1))
    chunks = [
        delayed(read_shards, pure=True)(shards[i : i + per]) for i in range(0, len(shards), per)
    ]
    statements = pq.read_table(folder / "statements.parquet").to_pandas()
    sides_frame = pq.read_table(folder / "sides.parquet").to_pandas()
    sides = pd.Series(
        sides_frame["side"].to_numpy(), index=sides_frame["participant"].to_numpy(), dtype=object
    )
    predictions = None
    if (folder / "predictions.parquet").exists():
        predictions = pq.read_table(folder / "predictions.parquet").to_pandas()
    moderated = statements.loc[statements["moderation"] == "rejected", "statement"]
    return ParquetVotes(
        folder=folder,
        manifest=manifest,
        chunks=chunks,
        moderated_out=[int(s) for s in moderated],
        sides=sides,
        predictions=predictions,
        statements=statements,
    )


def statement_frame(rows: Iterable[tuple[int, int | None, str, str | None]]) -> pd.DataFrame:
    """The statements table from (id, side, moderation, move) rows."""
    frame = pd.DataFrame(list(rows), columns=["statement", "side", "moderation", "move"])
    frame["statement"] = frame["statement"].astype(np.int64)
    frame["side"] = frame["side"].astype("Int64")
    return frame
