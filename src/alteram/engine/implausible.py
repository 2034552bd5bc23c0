"""Voters whose pattern is implausible for a person reading each statement.

Two patterns are marked, for the facilitation team to review (nothing is removed here):

* **same answer**: the voter's latest votes are all agree, or all disagree, over at least
  :data:`SAME_VOTE_MIN` statements. Among hundreds of statements written by two sides that
  hold different values, agreeing (or disagreeing) with every one is what a script or a
  person not reading does. Passes break the pattern: a pass is a decision about a statement.
* **burst**: at least :data:`BURST_VOTES` votes cast within :data:`BURST_SECONDS` seconds,
  counting every vote cast (re-votes included). 24 votes in 10 seconds is under half a second
  per statement, less than it takes to read one; people voting quickly take 2-5 seconds.

The thresholds are deliberately conservative: a mark asks a person to look, and a false
mark costs a facilitator a minute while a missing one costs nothing worse than today.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from alteram.errors import InvalidInput

SAME_VOTE_MIN = 20
"""Fewest latest votes, all agree or all disagree, for the *same answer* mark."""
BURST_VOTES = 24
"""Votes that, cast within :data:`BURST_SECONDS`, make a *burst*."""
BURST_SECONDS = 10.0
"""The window of a burst, in seconds."""

SAME_ANSWER = "same_answer"
BURST = "burst"


@dataclass(frozen=True)
class ImplausibleVoter:
    """One voter's marks: which patterns, and the figures behind them."""

    participant: object
    reasons: tuple[str, ...]
    n_votes: int  # latest votes, one per statement
    same_value: int | None  # 1 or -1 for the same-answer mark
    burst_votes: int | None  # votes in the fastest burst
    burst_seconds: float | None  # how long the fastest window of burst_votes votes took

    def to_dict(self) -> dict[str, object]:
        out = asdict(self)
        out["reasons"] = list(self.reasons)
        return out


def _plain(value: object) -> object:
    """A NumPy scalar as the Python value it holds (ids come back as people wrote them)."""
    return value.item() if isinstance(value, np.generic) else value


def _seconds(at: pd.Series) -> npt.NDArray[np.float64]:
    if pd.api.types.is_datetime64_any_dtype(at):
        moments = pd.to_datetime(at, utc=True)
        since = (moments - pd.Timestamp(0, tz="UTC")).dt.total_seconds()
        return np.asarray(since, dtype=np.float64)
    seconds = np.asarray(pd.to_numeric(at, errors="coerce"), dtype=np.float64)
    if np.isnan(seconds).any():
        raise InvalidInput("votes has an 'at' that is neither a number of seconds nor a datetime.")
    return seconds


def implausible_voters(
    votes: pd.DataFrame,
    *,
    same_vote_min: int = SAME_VOTE_MIN,
    burst_votes: int = BURST_VOTES,
    burst_seconds: float = BURST_SECONDS,
) -> list[ImplausibleVoter]:
    """The voters whose pattern is implausible, in the order of their ids.

    Parameters
    ----------
    votes : DataFrame with columns participant, statement, vote (-1/0/1), optionally at
        Every vote cast, in the order cast (the last row of a participant and statement is
        the latest vote). ``at`` is when each was cast, in seconds or as datetimes; without
        it the burst pattern is not looked for.
    same_vote_min : int, default=SAME_VOTE_MIN
    burst_votes : int, default=BURST_VOTES
    burst_seconds : float, default=BURST_SECONDS

    Returns
    -------
    list of ImplausibleVoter

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"participant": [7] * 3, "statement": [1, 2, 3], "vote": [1, 1, 1]})
    >>> [m.reasons for m in implausible_voters(v, same_vote_min=3)]
    [('same_answer',)]
    >>> implausible_voters(v, same_vote_min=4)
    []
    """
    missing = [c for c in ("participant", "statement", "vote") if c not in votes.columns]
    if missing:
        raise InvalidInput(f"votes is missing the column(s) {missing}.")
    if same_vote_min < 1 or burst_votes < 2 or burst_seconds <= 0:
        raise InvalidInput(
            "same_vote_min must be at least 1, burst_votes at least 2 and burst_seconds "
            f"positive; got {same_vote_min}, {burst_votes}, {burst_seconds}."
        )
    if votes.empty:
        return []
    latest = votes.drop_duplicates(["participant", "statement"], keep="last")
    per = latest.groupby("participant", sort=True)["vote"].agg(["size", "min", "max"])
    same = per[(per["size"] >= same_vote_min) & (per["min"] == per["max"]) & (per["min"] != 0)]
    bursts: dict[object, tuple[int, float]] = {}
    if "at" in votes.columns and len(votes) >= burst_votes:
        bursts = _bursts(votes, burst_votes, burst_seconds)
    same_ids = {_plain(p) for p in same.index}
    marked = sorted(same_ids | set(bursts), key=lambda p: (type(p).__name__, p))
    out = []
    for p in marked:
        reasons = []
        if p in same_ids:
            reasons.append(SAME_ANSWER)
        if p in bursts:
            reasons.append(BURST)
        burst = bursts.get(p)
        out.append(
            ImplausibleVoter(
                participant=p,
                reasons=tuple(reasons),
                n_votes=int(per.loc[p, "size"]),
                same_value=int(same.loc[p, "min"]) if p in same_ids else None,
                burst_votes=burst[0] if burst else None,
                burst_seconds=burst[1] if burst else None,
            )
        )
    return out


def _bursts(votes: pd.DataFrame, k: int, seconds: float) -> dict[object, tuple[int, float]]:
    """Participant -> (k, the shortest time k consecutive votes of theirs took) for bursts."""
    frame = pd.DataFrame(
        {"p": votes["participant"].to_numpy(), "t": _seconds(votes["at"])}
    ).sort_values(["p", "t"], kind="stable")
    p = frame["p"].to_numpy()
    t = frame["t"].to_numpy()
    span = t[k - 1 :] - t[: len(t) - k + 1]
    same = p[k - 1 :] == p[: len(p) - k + 1]
    hit = same & (span <= seconds)
    found: dict[object, tuple[int, float]] = {}
    for who, s in zip(p[: len(p) - k + 1][hit], span[hit], strict=True):
        key = _plain(who)
        if key not in found or s < found[key][1]:
            found[key] = (k, float(s))
    return found
