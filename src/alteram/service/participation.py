"""Use cases of taking part: join by invite, write statements, vote and predict.

Each function is one transaction; what is not allowed is refused with an error from
:mod:`alteram.errors` that says what to do instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from alteram.engine import routing
from alteram.errors import N_, Conflict, Forbidden, InvalidInput
from alteram.moves import detect_language
from alteram.service import events, live, ratelimit, side_counts, vote_sql
from alteram.service.access import ADMIN, Actor, access_to

# Admitting lives in service.joining; the old names stay importable.
from alteram.service.joining import MAX_DISPLAY_NAME as MAX_DISPLAY_NAME
from alteram.service.joining import Admitted as Admitted
from alteram.service.joining import admit as admit
from alteram.service.lookup import MAX_ID, get
from alteram.service.machine_translation import after_writing
from alteram.service.moves import assess
from alteram.service.people_state import refuse_removed
from alteram.service.shown import Shown, TextReader
from alteram.service.textcheck import LIMITS, clean, optional
from alteram.service.texts import Original, language_of
from alteram.store.database import Store
from alteram.store.schema import (
    Dialogue,
    Participant,
    Round,
    Side,
    Statement,
    StatementSideCount,
    Translation,
    Vote,
    utcnow,
)

MAX_STATEMENT_LENGTH = LIMITS["statement"].high
VOTERS = ("participant", "delegate")
WRITERS = ("participant", "delegate", "facilitator")


@dataclass(frozen=True)
class VoteRecorded:
    vote_id: int
    replaced_earlier_vote: bool
    round_id: int = 0


@dataclass(frozen=True)
class StatementToVote:
    id: int
    text: Shown
    language: str
    side_id: int | None
    side_name: str | None
    votes: int


def _open_round(session: Session, round_id: int, action: str) -> Round:
    rnd = get(session, Round, round_id)
    if get(session, Dialogue, rnd.dialogue_id).archived_at is not None:
        raise Conflict(
            N_("this dialogue is archived: it is read-only."),
            hint=N_("Its results and reports stay readable."),
        )
    if rnd.state != "open":
        advice = {
            "planned": N_("It has not started yet; wait until the facilitator opens it."),
            "suspended": N_("It is suspended; wait until the facilitator resumes it."),
            "closed": N_("It is closed; its results stay readable."),
        }[rnd.state]
        raise Conflict(
            N_("round %(number)s is %(state)s: you cannot %(action)s now."),
            params={"number": rnd.number},
            terms={"state": rnd.state, "action": action},
            hint=advice,
        )
    return rnd


def add_statement(
    store: Store,
    *,
    participant_id: int,
    round_id: int,
    text: str,
    topic_id: int | None = None,
    move: str | None = None,
    move_confidence: float | None = None,
    language: str | None = None,
    read_move: bool = True,
    translations: Mapping[str, str] | None = None,
) -> int:
    """Add a participant's statement to an open round; returns its id.

    The statement's move is read by :mod:`alteram.moves` (unless given, or ``read_move``
    is false) before the transaction starts. ``translations`` are the author's own, by
    language; they are stored with the statement, in the same transaction.
    """
    body = clean(text, "statement")
    if move is None and read_move:
        assessment = assess(body)
        if assessment is not None:
            move, move_confidence = assessment.move, assessment.confidence
    with store.write() as session:
        person = get(session, Participant, participant_id)
        refuse_removed(person)
        if person.role not in WRITERS:
            raise Forbidden(
                N_("a %(role)s reads the dialogue but does not write statements."),
                terms={"role": person.role},
            )
        if get(session, Round, round_id).dialogue_id != person.dialogue_id:
            raise Forbidden(N_("this round belongs to another dialogue than yours."))
        rnd = _open_round(session, round_id, N_("write statements"))
        statement = Statement(
            dialogue_id=rnd.dialogue_id,
            round_id=rnd.id,
            topic_id=topic_id,
            author_id=person.id,
            side_id=person.side_id,
            text=body,
            language=language or detect_language(body),
            moderation="pending",
            move=move,
            move_confidence=move_confidence,
        )
        session.add(statement)
        session.flush()
        source = Original(
            "statement.text",
            statement.id,
            statement.dialogue_id,
            statement.text,
            statement.language,
            statement.round_id,
            person.id,
            person.side_id,
        )
        after_writing(session, source, translations, participant_id=person.id)
        ratelimit.charge(session, "statement", participant=person.id)
        live.bump(session, rnd.id, person.id)
        return statement.id


def moderate_statement(
    store: Store,
    *,
    statement_id: int,
    accept: bool,
    reason: str | None = None,
    actor: Actor = ADMIN,
) -> None:
    """Accept or reject a statement; a rejection keeps its reason for the author.

    The decision goes to the moderation log with who took it (``actor``, of the team).
    """
    why = optional(reason, "moderation_reason")
    if not accept and why is None:
        raise InvalidInput(N_("a rejection needs a reason the author will see."))
    with store.write() as session:
        access_to(session, actor, "statement", statement_id, need="team")
        statement = get(session, Statement, statement_id, lock=True)
        statement.moderation = "accepted" if accept else "rejected"
        statement.moderation_reason = None if accept else why
        live.bump(session, statement.round_id, statement.author_id)
        events.record(
            session,
            dialogue_id=statement.dialogue_id,
            kind="statement_accepted" if accept else "statement_rejected",
            actor=actor,
            participant_id=statement.author_id,
            item="statement",
            item_id=statement.id,
            reason=why,
        )


def votable_states(rnd: Round) -> tuple[str, ...]:
    """Moderation states of the statements a round lets people vote on.

    Pre-moderated rounds show only accepted statements; post-moderated rounds also show
    those still waiting for a moderator. Rejected statements are never shown.
    """
    return ("accepted",) if rnd.moderation == "pre" else ("accepted", "pending")


@dataclass
class Deferred:
    """Counter work of a vote's transaction, done once at its end in a fixed order.

    Several votes committed together (:mod:`alteram.service.group_commit`) take the rows of
    the per-side counts and of the live counter in the same order in every transaction, so
    two transactions never wait on each other in a cycle.
    """

    counts: list[tuple[int, int | None, int | None, int]] = field(default_factory=list)
    bumps: set[tuple[int, int]] = field(default_factory=set)
    # Set by :func:`vote_in` once the vote has written to the database: after that, only the
    # database can fail it (a refusal before writes nothing).
    wrote: bool = False

    def apply(self, session: Session) -> None:
        side_counts.count_votes(session, self.counts)
        live.bump_many(session, self.bumps)
        self.counts.clear()
        self.bumps.clear()


def check_vote(value: int, predictions: Mapping[int, int] | None) -> None:
    """Refuse a vote value or prediction that is out of range (before any transaction)."""
    if value not in (-1, 0, 1):
        raise InvalidInput(
            N_("a vote is 1 (agree), -1 (disagree) or 0 (pass), not %(value)r."),
            params={"value": value},
        )
    for side, share in (predictions or {}).items():
        if not isinstance(share, int) or isinstance(share, bool) or not 0 <= share <= 100:
            raise InvalidInput(
                N_(
                    "a prediction is a whole percentage from 0 to 100; "
                    "got %(share)r for side %(side)s."
                ),
                params={"share": share, "side": side},
            )


def record_vote(
    store: Store,
    *,
    participant_id: int,
    statement_id: int,
    value: int,
    predictions: Mapping[int, int] | None = None,
    at: datetime | None = None,
    shown_translation_id: int | None = None,
) -> VoteRecorded:
    """Record a vote (and the voter's predictions of other sides) as new rows.

    A second vote on the same statement is stored as a new row; the earlier one stays as
    history and the latest counts. ``shown_translation_id`` is the translation the voter
    read (None: the original); it must be a translation of this statement.
    """
    check_vote(value, predictions)
    with store.write() as session:
        later = Deferred()
        recorded = vote_in(
            session,
            later,
            participant_id=participant_id,
            statement_id=statement_id,
            value=value,
            predictions=predictions,
            at=at,
            shown_translation_id=shown_translation_id,
        )
        later.apply(session)
        return recorded


def vote_in(
    session: Session,
    later: Deferred,
    *,
    participant_id: int,
    statement_id: int,
    value: int,
    predictions: Mapping[int, int] | None = None,
    at: datetime | None = None,
    shown_translation_id: int | None = None,
    web_session_id: int | None = None,
) -> VoteRecorded:
    """The work of :func:`record_vote` in the caller's transaction (values checked already);
    its counter updates go to ``later``, for the caller to apply before committing.

    ``web_session_id``: the voter's sign-in session as a cache remembered it; it is checked
    here, in the vote's transaction, so a session ended on any server process refuses the
    vote at once (:class:`SessionEnded`).
    """
    conn = session.connection()  # the vote's statements run below the ORM (vote_sql)
    facts = _vote_facts(conn, participant_id, statement_id, web_session_id)
    if facts is None:  # something refuses this vote: the checks below say what, one by one
        if web_session_id is not None:
            check_session(conn, web_session_id, participant_id)
        person = _checked_voter(session, participant_id)
        statement = get(session, Statement, statement_id)
        if statement.dialogue_id != person.dialogue_id:
            raise Forbidden(N_("this statement belongs to another dialogue than yours."))
        rnd = _open_round(session, statement.round_id, N_("vote"))
        if statement.moderation not in votable_states(rnd):
            raise Conflict(
                N_("statement %(id)s is %(state)s by moderation and cannot be voted on."),
                params={"id": statement.id},
                terms={"state": statement.moderation},
                hint=N_("Vote on the next statement instead."),
            )
        raise AssertionError("the quick check refused a vote that passes every check")
    side_id, round_id, sides = facts
    if predictions:
        for side in predictions:
            if side not in sides or side == side_id:
                raise InvalidInput(
                    N_(
                        "side %(side)s is not another side of your dialogue; "
                        "predict the share of another side that agrees."
                    ),
                    params={"side": side},
                )
    if shown_translation_id is not None:
        known = 1 <= shown_translation_id <= MAX_ID
        shown = session.get(Translation, shown_translation_id) if known else None
        if shown is None or (shown.item, shown.item_id) != ("statement.text", statement_id):
            raise InvalidInput(
                N_(
                    "translation %(translation)s is not a translation of statement "
                    "%(id)s; send the id of the version you read, or none for the original."
                ),
                params={"translation": shown_translation_id, "id": statement_id},
            )
    if at is None:  # imported or simulated votes (given a time) are not limited
        ratelimit.charge(session, "vote", participant=participant_id)  # a refusal writes nothing
    later.wrote = True  # nothing below refuses the vote: only the database can fail now
    created_at = at or utcnow()
    written = vote_sql.write_vote(
        conn,
        participant_id=participant_id,
        statement_id=statement_id,
        value=value,
        created_at=created_at,
        shown_translation_id=shown_translation_id,
        predictions=predictions,
    )
    earlier = written.earlier_value
    if earlier is None or written.earlier_at is None or created_at >= written.earlier_at:
        later.counts.append((statement_id, side_id, earlier, value))  # the latest counts
    later.bumps.add((round_id, participant_id % live.SHARDS))
    return VoteRecorded(written.vote_id, earlier is not None, round_id)


class SessionEnded(Forbidden):
    """The sign-in session of a request ended (signed out, expired, or revoked)."""

    code = "not_signed_in"
    status = 401


def check_session(conn: Connection, web_session_id: int, participant_id: int) -> None:
    """Refuse unless ``web_session_id`` is a live session of this participant."""
    row = vote_sql.run(
        conn,
        vote_sql.SESSION,
        {"web_session_id": web_session_id, "participant_id": participant_id},
    ).first()
    _refuse_ended(*(row or (None, None)))


def _refuse_ended(revoked_at: datetime | None, expires_at: datetime | None) -> None:
    """:class:`SessionEnded` unless a session (``expires_at`` is None: none) is still on."""
    if revoked_at is not None or expires_at is None or expires_at < utcnow():
        raise SessionEnded(
            N_("you are not signed in to a dialogue."),
            hint=N_("Open your side's invite link to join; it keeps you signed in on this device."),
        )


def _checked_voter(session: Session, participant_id: int) -> Participant:
    # The voter's row is locked: their own concurrent votes take turns, so each reads
    # the vote it replaces and the per-side counts move from that one (on PostgreSQL
    # two at once would both take back the same earlier vote).
    person = get(session, Participant, participant_id, lock=True)
    refuse_removed(person)
    if person.role not in VOTERS:
        raise Forbidden(
            N_("a %(role)s does not vote."),
            terms={"role": person.role},
            hint=N_("Votes come from participants."),
        )
    return person


def _vote_facts(
    conn: Connection, participant_id: int, statement_id: int, web_session_id: int | None
) -> tuple[int | None, int, frozenset[int]] | None:
    """(voter's side, round, the dialogue's sides) when this participant may vote on this
    statement now.

    One query for every check a vote needs of the voter, the statement, its round, its
    dialogue and the voter's sign-in session, with the voter's row locked (see
    :func:`_checked_voter`); None when any check but the session's fails, or a row is
    missing; :class:`SessionEnded` when the session has ended.
    """
    if not all(isinstance(i, int) and 1 <= i <= MAX_ID for i in (participant_id, statement_id)):
        return None
    params = {
        "participant_id": participant_id,
        "statement_id": statement_id,
        "web_session_id": web_session_id,
    }
    row = vote_sql.run(conn, vote_sql.facts(conn.dialect.name), params).first()
    if row is None:
        return None
    (
        dialogue,
        side,
        role,
        removed,
        st_dialogue,
        round_id,
        state,
        rnd_state,
        rnd_mod,
        archived,
        revoked_at,
        expires_at,
        side_ids,
    ) = tuple(row)
    if web_session_id is not None:
        _refuse_ended(revoked_at, expires_at)
    pre = ("accepted",) if rnd_mod == "pre" else ("accepted", "pending")
    if (
        removed is not None
        or role not in VOTERS
        or st_dialogue != dialogue
        or archived is not None
        or rnd_state != "open"
        or state not in pre
    ):
        return None
    sides = frozenset(int(i) for i in (side_ids or "").split(",") if i)
    return side, int(round_id), sides


def statements_to_vote(
    store: Store, *, participant_id: int, round_id: int | None = None, lang: str | None = None
) -> list[StatementToVote]:
    """The statements of a round the participant has not yet voted on, in the order to show.

    The order is :func:`alteram.engine.routing.order`'s: the team's seeds first, then the
    sides in turn by what this participant has already been shown, within a side the
    statements least certain for the reader's side and with few votes first, ties broken
    per participant. It reads the round's statements, their per-side counts and the
    participant's own votes, never the whole votes table. The participant's own statements
    are left out. Without ``round_id`` the dialogue's open round is used. Texts are in the
    reader's language ``lang`` where a translation exists.
    """
    with store.read() as session:
        person = get(session, Participant, participant_id)
        my_side = person.side_id
        if round_id is None:
            round_id = session.scalar(
                select(Round.id).where(
                    Round.dialogue_id == person.dialogue_id, Round.state == "open"
                )
            )
            if round_id is None:
                return []
        rnd = get(session, Round, round_id)
        if rnd.dialogue_id != person.dialogue_id:
            raise Forbidden(N_("this round belongs to another dialogue than yours."))
        seen = session.execute(
            select(Statement.id, Statement.side_id)
            .join(Vote, Vote.statement_id == Statement.id)
            .where(Vote.participant_id == person.id, Statement.round_id == rnd.id)
            .distinct()
        ).all()
        voted = {sid for sid, _ in seen}
        statements = {
            st.id: st
            for st in session.scalars(
                select(Statement).where(
                    Statement.round_id == rnd.id,
                    Statement.moderation.in_(votable_states(rnd)),
                    Statement.author_id != person.id,
                )
            )
            if st.id not in voted
        }
        mine: dict[int, tuple[int, int, int]] = {}
        total: dict[int, int] = {}
        for n in session.scalars(
            select(StatementSideCount)
            .join(Statement, Statement.id == StatementSideCount.statement_id)
            .where(Statement.round_id == rnd.id)
        ):
            total[n.statement_id] = total.get(n.statement_id, 0) + n.agree + n.disagree + n.passes
            if n.side_id == my_side:
                mine[n.statement_id] = (n.agree, n.disagree, n.passes)
        candidates = [
            routing.Candidate(
                st.id,
                st.side_id,
                st.seeded,
                *mine.get(st.id, (0, 0, 0)),
                votes=total.get(st.id, 0),
            )
            for st in statements.values()
        ]
        chosen = routing.order(
            candidates,
            shown=routing.shown_by_side([side for _, side in seen]),
            reader_side=my_side,
            seed=person.id,
        )
        reader = TextReader(session, person.dialogue_id, lang)
        side_names = {
            s.id: str(reader.show("side.name", s.id, s.name, language_of(s.name)))
            for s in session.scalars(select(Side).where(Side.dialogue_id == person.dialogue_id))
        }
        result = []
        for c in chosen:
            st = statements[c.id]
            result.append(
                StatementToVote(
                    st.id,
                    reader.show(
                        "statement.text", st.id, st.text, language_of(st.text, st.language)
                    ),
                    st.language,
                    st.side_id,
                    side_names.get(st.side_id) if st.side_id is not None else None,
                    c.votes,
                )
            )
        return result
