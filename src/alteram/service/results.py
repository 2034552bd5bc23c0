"""A round's results in words people read: common ground, differences, perception gaps.

Built from the latest stored analysis (see :mod:`alteram.service.analyses`) and the texts
of the statements; numbers stay available beside the words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import select

from alteram.engine.result import group_letter
from alteram.engine.shares import SMALL_SAMPLE, raw_share, wilson_interval
from alteram.errors import N_, Forbidden
from alteram.service.analyses import StoredAnalysis, analyze_round, latest_analysis
from alteram.service.lookup import get
from alteram.service.shown import Shown, TextReader, as_original
from alteram.service.texts import language_of
from alteram.service.translation_standing import SideStanding, side_standing
from alteram.store.database import Store
from alteram.store.schema import Participant, Round, Side, Statement

TOP_MISPERCEPTIONS = 5
TOP_STATEMENTS = 8
MIN_DIFFERENCE = 0.15  # sides' agreement differs by at least 15 points


@dataclass(frozen=True)
class Share:
    """One side's agreement with a statement: the raw share with its counts.

    ``percent`` is ``100 * agree / votes`` (votes: agree, disagree and pass); ``low`` and
    ``high`` bound its Wilson 95 % interval, and ``small`` says the sample is small enough
    for the interval to be shown beside it. No prior enters these numbers.
    """

    side: str
    percent: float | None
    votes: int
    agree: int = 0
    low: float | None = None
    high: float | None = None
    small: bool = False


def share_of(side: str, agree: int, seen: int) -> Share:
    """The raw share ``agree`` of ``seen`` for ``side``, in percent, with its interval."""
    raw = raw_share(agree, seen)
    interval = wilson_interval(agree, seen)
    return Share(
        side,
        None if raw is None else 100 * raw,
        seen,
        agree,
        None if interval is None else 100 * interval[0],
        None if interval is None else 100 * interval[1],
        0 < seen < SMALL_SAMPLE,
    )


@dataclass(frozen=True)
class StatementView:
    id: int
    text: Shown
    language: str
    side: str | None
    shares: list[Share]
    # the ranking score (common ground: geometric mean of the sides' Jeffreys-smoothed
    # shares, (A + 1/2) / (S + 1); differences: their spread); it orders, it is not a share
    ranking_score: float | None = None


@dataclass(frozen=True)
class ScoredStatement:
    """A statement ranked by a model's score, with each opinion group's raw share.

    ``score`` is the model's number (bridging: the statement's intercept in the
    factorisation; group-informed consensus: the product over groups of each group's
    (A+1)/(S+2)); it ranks, it is not a share. ``groups`` are the raw shares, with counts.
    """

    statement: StatementView
    score: float
    groups: list[Share]


@dataclass(frozen=True)
class Misperception:
    statement: StatementView
    predicted: float
    actual: float
    error: float
    low: float | None
    high: float | None
    # the predicted side's raw share of the statement, with its counts (``actual`` is its
    # percent: the perception gap compares predictions with the raw share)
    share: Share | None = None


@dataclass(frozen=True)
class SidePerception:
    predicting: str
    predicted: str
    enough_data: bool
    n_predictors: int
    gap: float | None
    gap_low: float | None
    gap_high: float | None
    signed: float | None
    signed_low: float | None
    signed_high: float | None
    largest: list[Misperception]


@dataclass(frozen=True)
class GroupView:
    id: int
    name: str
    size: int
    by_side: dict[str, int]
    representative: list[tuple[StatementView, str]]
    letter: str = ""


class MapPoint(NamedTuple):
    """A participant on the opinion map: position, group (-1: not clustered), side."""

    x: float
    y: float
    group: int
    side: str | None


@dataclass(frozen=True)
class TranslationStanding:
    """How a side stands on the translations of its statements."""

    side: str
    statements: int
    translated: int
    confirmed: int
    disputed: list[StatementView]

    @property
    def confirmed_percent(self) -> float | None:
        return 100 * self.confirmed / self.statements if self.statements else None


@dataclass(frozen=True)
class VersionView:
    """Agreement of one side's original readers against its translation readers."""

    statement: StatementView
    side: str
    n_original: int
    n_translated: int
    agree_original: float | None  # percent
    agree_translated: float | None
    difference: float | None  # points, translated minus original
    p_value: float | None
    enough_data: bool
    differs: bool


@dataclass(frozen=True)
class RoundResults:
    round_id: int
    dialogue_id: int
    number: int
    title: Shown
    state: str
    published_at: datetime | None
    sides: list[str]
    analysis_version: int | None
    analysed_at: datetime | None
    fingerprint: str | None
    n_votes: int
    n_participants: int
    common_ground: list[StatementView] = field(default_factory=list)
    divisive: list[StatementView] = field(default_factory=list)
    perception: list[SidePerception] = field(default_factory=list)
    groups: list[GroupView] = field(default_factory=list)
    move_profile: dict[str, Any] | None = None
    ritual: dict[str, Any] | None = None
    # Every participant's map position, group and side (drawn by alteram.charts).
    map_points: list[MapPoint] = field(default_factory=list)
    translation_standing: list[TranslationStanding] = field(default_factory=list)
    versions: list[VersionView] = field(default_factory=list)
    versions_without_enough_data: int = 0
    # statements that bridge the main divide, and the group-informed consensus (#12)
    bridging: list[ScoredStatement] = field(default_factory=list)
    group_consensus: list[ScoredStatement] = field(default_factory=list)
    n_groups: int = 0


def can_see_results(rnd: Round, *, facilitator: bool) -> bool:
    return facilitator or rnd.published_at is not None


def round_results(
    store: Store, *, round_id: int, facilitator: bool = False, lang: str | None = None
) -> RoundResults:
    """The results of a round: for facilitators always, for everyone once published.

    Statements and names are in the reader's language ``lang`` where translated.
    """
    with store.read() as session:
        rnd = get(session, Round, round_id)
        if not can_see_results(rnd, facilitator=facilitator):
            raise Forbidden(
                N_("the results of round %(number)s are not published yet."),
                params={"number": rnd.number},
                hint=N_("They appear here once the facilitator publishes them."),
            )
        reader = TextReader(session, rnd.dialogue_id, lang)
        side_names = {
            s.id: str(reader.show("side.name", s.id, s.name, language_of(s.name)))
            for s in session.scalars(
                select(Side).where(Side.dialogue_id == rnd.dialogue_id).order_by(Side.position)
            )
        }
        statements = {
            st.id: (
                reader.show("statement.text", st.id, st.text, language_of(st.text, st.language)),
                st.language,
                st.side_id,
            )
            for st in session.scalars(select(Statement).where(Statement.round_id == rnd.id))
        }
        sides_of_people = dict(
            session.execute(
                select(Participant.id, Participant.side_id).where(
                    Participant.dialogue_id == rnd.dialogue_id
                )
            ).all()
        )
        title = reader.show("round.title", rnd.id, rnd.title, language_of(rnd.title))
        standing = side_standing(session, rnd)
        head = (rnd.id, rnd.dialogue_id, rnd.number, title, rnd.state, rnd.published_at)
    analysis = latest_analysis(store, round_id=round_id)
    if analysis is None:
        analysis = analyze_round(store, round_id=round_id)
    return _build(head, side_names, statements, sides_of_people, analysis, standing)


def _build(
    head: tuple[int, int, int, Shown, str, datetime | None],
    side_names: dict[int, str],
    statements: dict[int, tuple[Shown, str, int | None]],
    sides_of_people: dict[int, int | None],
    analysis: StoredAnalysis,
    standing: dict[int, SideStanding] | None = None,
) -> RoundResults:
    r = analysis.result
    shares: dict[int, list[Share]] = {}
    share_by_side: dict[tuple[int, str], Share] = {}
    for rec in r.get("sides", []):
        # the raw share from the stored counts (analyses stored before #12 kept a smoothed
        # share under "agree_share"; the counts are the same in both)
        sh = share_of(
            side_names.get(rec["side"], str(rec["side"])),
            int(rec.get("agree") or 0),
            int(rec.get("seen") or 0),
        )
        shares.setdefault(rec["statement"], []).append(sh)
        share_by_side[(rec["statement"], str(rec["side"]))] = sh

    def view(sid: int, score: float | None = None) -> StatementView:
        text, lang, side = statements.get(
            sid, (as_original("(statement removed)", "en"), "en", None)
        )
        return StatementView(
            sid, text, lang, side_names.get(side) if side else None, shares.get(sid, []), score
        )

    perception = []
    per_statement = r.get("perception", {}).get("statements", [])
    for pair in r.get("perception", {}).get("pairs", []):
        a, b = pair["predicting_side"], pair["predicted_side"]
        items = [
            s
            for s in per_statement
            if s["predicting_side"] == a
            and s["predicted_side"] == b
            and s.get("enough_data")
            and s["signed"]["value"] is not None
        ]
        items.sort(key=lambda s: -abs(s["signed"]["value"]))
        largest = [
            Misperception(
                view(s["statement"]),
                s["predicted"]["value"],
                s["actual"]["value"],
                s["signed"]["value"],
                s["signed"]["low"],
                s["signed"]["high"],
                share_by_side.get((s["statement"], str(b))),
            )
            for s in items[:TOP_MISPERCEPTIONS]
        ]
        perception.append(
            SidePerception(
                side_names.get(a, str(a)),
                side_names.get(b, str(b)),
                bool(pair["enough_data"]),
                int(pair.get("n_predictors", 0)),
                pair["mae"]["value"],
                pair["mae"]["low"],
                pair["mae"]["high"],
                pair["signed"]["value"],
                pair["signed"]["low"],
                pair["signed"]["high"],
                largest,
            )
        )
    groups = []
    for g in r.get("groups", []):
        members = [p["id"] for p in r.get("participants", []) if p.get("group") == g["id"]]
        by_side: dict[str, int] = {}
        for pid in members:
            name = side_names.get(sides_of_people.get(pid) or -1, "no side")
            by_side[name] = by_side.get(name, 0) + 1
        rep = [(view(x["statement"]), x["direction"]) for x in g.get("repness", [])[:3]]
        letter = group_letter(g["id"])
        groups.append(GroupView(g["id"], f"Group {letter}", g["size"], by_side, rep, letter))
    common = {c["statement"] for c in r.get("common_ground", [])}
    compared = (r.get("versions") or {}).get("comparisons", [])

    def percent(v: float | None) -> float | None:
        return None if v is None else 100 * v

    versions = [
        VersionView(
            view(c["statement"]),
            side_names.get(c["side"], "?") if c["side"] is not None else "?",
            c["n_original"],
            c["n_translated"],
            percent(c["agree_original"]),
            percent(c["agree_translated"]),
            percent(c["difference"]),
            c["p_value"],
            c["enough_data"],
            c["differs"],
        )
        for c in compared
        if c["enough_data"]
    ]
    versions.sort(key=lambda v: (not v.differs, v.p_value if v.p_value is not None else 1.0))

    def scored(key: str, *, positive: bool) -> list[ScoredStatement]:
        rows = [
            st
            for st in r.get("statements", [])
            if st.get(key) is not None
            and not st.get("moderated_out")
            and (not positive or st[key] > 0)
        ]
        rows.sort(key=lambda st: (-st[key], st["id"]))
        return [
            ScoredStatement(
                view(st["id"]),
                float(st[key]),
                [
                    share_of(group_letter(g["group"]), int(g["agree"]), int(g["seen"]))
                    for g in st.get("group_votes", [])
                ],
            )
            for st in rows[:TOP_STATEMENTS]
        ]

    n_groups = int(r.get("n_groups") or 0)
    return RoundResults(
        round_id=head[0],
        dialogue_id=head[1],
        number=head[2],
        title=head[3],
        state=head[4],
        published_at=head[5],
        sides=list(side_names.values()),
        analysis_version=analysis.version,
        analysed_at=analysis.created_at,
        fingerprint=analysis.fingerprint,
        n_votes=int(r.get("n_votes", 0)),
        n_participants=len(r.get("participants", [])),
        map_points=[
            MapPoint(
                float(p["x"]),
                float(p["y"]),
                -1 if p.get("group") is None else int(p["group"]),
                side_names.get(sides_of_people.get(p["id"]) or -1),
            )
            for p in r.get("participants", [])
        ],
        common_ground=[
            view(c["statement"], c["score"]) for c in r.get("common_ground", [])[:TOP_STATEMENTS]
        ],
        divisive=[
            view(d["statement"], d["score"])
            for d in r.get("divisive", [])
            if d["score"] >= MIN_DIFFERENCE and d["statement"] not in common
        ][:TOP_STATEMENTS],
        perception=perception,
        groups=groups,
        move_profile={
            side_names.get(int(k), str(k)): v for k, v in (r.get("move_profile") or {}).items()
        }
        or None,
        ritual=r.get("ritual"),
        translation_standing=[
            TranslationStanding(
                side_names.get(s.side_id, "?"),
                s.statements,
                s.translated,
                s.confirmed,
                [view(i) for i in s.disputed],
            )
            for s in (standing or {}).values()
        ],
        versions=versions,
        versions_without_enough_data=sum(1 for c in compared if not c["enough_data"]),
        bridging=scored("bridging", positive=True),
        # with one group the group-informed consensus is only the overall consensus
        group_consensus=scored("group_informed_consensus", positive=False) if n_groups >= 2 else [],
        n_groups=n_groups,
    )


def round_is_published(store: Store, *, round_id: int) -> bool:
    """Whether the round's results are published."""
    with store.read() as session:
        return get(session, Round, round_id).published_at is not None
