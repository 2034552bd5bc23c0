"""Use cases of a dialogue as a whole: create it with its sides and invite links, list it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alteram.errors import N_, InvalidInput
from alteram.service.access import ADMIN, Actor, dialogue_access, listed_dialogues

# Invite links live in service.invites and service.joining; the old names stay importable.
from alteram.service.invites import add_invite as add_invite
from alteram.service.invites import replace_invite as replace_invite
from alteram.service.joining import InviteInfo as InviteInfo
from alteram.service.joining import find_invite as find_invite
from alteram.service.joining import invite_info as invite_info
from alteram.service.languages import DEFAULT_LANGUAGES, check_languages, set_languages
from alteram.service.lookup import get
from alteram.service.shown import Shown, TextReader
from alteram.service.textcheck import LIMITS, clean, name_key
from alteram.service.texts import language_of
from alteram.store.database import Store
from alteram.store.schema import (
    VISIBILITIES,
    Dialogue,
    Participant,
    Round,
    RoundEvent,
    Side,
    Statement,
    TeamMember,
    Vote,
)

MAX_TITLE = LIMITS["dialogue_title"].high
MAX_SIDE_NAME = LIMITS["side_name"].high
MAX_SIDES = 20


@dataclass(frozen=True)
class CreatedDialogue:
    """A new dialogue; ``invite_tokens`` maps side id to its link's secret (shown once)."""

    dialogue_id: int
    side_ids: list[int]
    invite_tokens: dict[int, str]


@dataclass(frozen=True)
class SideSummary:
    id: int
    name: Shown
    participants: int


@dataclass(frozen=True)
class RoundEventView:
    kind: str
    reason: Shown | None
    at: datetime


@dataclass(frozen=True)
class RoundSummary:
    id: int
    number: int
    title: Shown
    state: str
    starts_on: datetime | None
    ends_on: datetime | None
    statements: int
    votes: int
    events: list[RoundEventView] = field(default_factory=list)
    published: bool = False
    results_visible: bool = False  # the reader may open this round's results


@dataclass(frozen=True)
class DialogueSummary:
    id: int
    title: Shown
    charter: Shown
    simulated: bool
    sides: list[SideSummary]
    rounds: list[RoundSummary]
    languages: list[str] = field(default_factory=list)
    machine_translation: bool = False
    visibility: str = "private"
    archived: bool = False
    is_team: bool = False  # the reader is in the facilitation team
    is_owner: bool = False
    max_groups: int = 5  # the most opinion groups an analysis may find


def create_dialogue(
    store: Store,
    *,
    title: str,
    charter: str = "",
    sides: Sequence[str],
    simulated: bool = False,
    languages: Sequence[str] = DEFAULT_LANGUAGES,
    owner_account_id: int | None = None,
    visibility: str = "private",
) -> CreatedDialogue:
    """Create a dialogue with its sides, languages and one participant invite link per side.

    ``languages`` are the languages the dialogue is held in (at least two): every text can
    be shown in each. ``owner_account_id``, the facilitator who creates it, owns it; a
    dialogue is private unless ``visibility`` says ``unlisted`` or ``public``. Side names
    must differ once case and invisible characters are set aside.
    """
    codes = check_languages(languages)
    if visibility not in VISIBILITIES:
        raise InvalidInput(
            N_("visibility is private, unlisted or public, not %(value)r."),
            params={"value": visibility},
        )
    title = clean(title, "dialogue_title")
    charter = clean(charter, "charter")
    if len(sides) < 2:
        raise InvalidInput(
            N_("a dialogue needs at least two sides (got %(count)s)."),
            params={"count": len(sides)},
            hint=N_("Name each side, e.g. --side China --side 'United States'."),
        )
    if len(sides) > MAX_SIDES:
        raise InvalidInput(
            N_("a dialogue has at most %(most)s sides (got %(count)s)."),
            params={"count": len(sides), "most": MAX_SIDES},
        )
    names = [clean(s, "side_name") for s in sides]
    if len({name_key(n) for n in names}) != len(names):
        raise InvalidInput(N_("side names must differ; got %(names)s."), params={"names": names})
    with store.write() as session:
        dialogue = Dialogue(
            title=title,
            charter=charter,
            simulated=simulated,
            visibility=visibility,
            created_by_account_id=owner_account_id,
        )
        session.add(dialogue)
        session.flush()
        set_languages(session, dialogue.id, codes)
        if owner_account_id is not None:
            session.add(
                TeamMember(dialogue_id=dialogue.id, account_id=owner_account_id, role="owner")
            )
        rows = [Side(dialogue_id=dialogue.id, name=n, position=i) for i, n in enumerate(names)]
        session.add_all(rows)
        session.flush()
        tokens: dict[int, str] = {}
        for side in rows:
            tokens[side.id] = add_invite(session, dialogue.id, side.id)
        return CreatedDialogue(dialogue.id, [s.id for s in rows], tokens)


def list_dialogues(
    store: Store,
    *,
    lang: str | None = None,
    actor: Actor = ADMIN,
    archived: bool = False,
    team_only: bool = False,
) -> list[DialogueSummary]:
    """The dialogues ``actor`` may see listed, newest first (texts in ``lang``).

    The administrator (the CLI, the default) sees every dialogue; a visitor the public ones;
    a facilitator also those of their team; a participant also their own. ``archived``
    lists the archived ones instead.
    """
    with store.read() as session:
        ids = listed_dialogues(session, actor, archived=archived, team_only=team_only)
        return [_summary(session, i, lang=lang, actor=actor) for i in ids]


def dialogue_summary(
    store: Store, dialogue_id: int, *, lang: str | None = None, actor: Actor = ADMIN
) -> DialogueSummary:
    """One dialogue with its sides, rounds and their events (texts in ``lang``).

    :class:`NotFound` when ``actor`` may not read it; the counts of unpublished rounds are
    the team's only.
    """
    with store.read() as session:
        return _summary(session, dialogue_id, with_events=True, lang=lang, actor=actor)


def _summary(
    session: Session,
    dialogue_id: int,
    with_events: bool = False,
    lang: str | None = None,
    actor: Actor = ADMIN,
) -> DialogueSummary:
    access = dialogue_access(session, actor, dialogue_id)
    dialogue = get(session, Dialogue, dialogue_id)
    reader = TextReader(session, dialogue.id, lang)

    def shown(item: str, i: int, text: str) -> Shown:
        return reader.show(item, i, text, language_of(text))

    members: dict[int | None, int] = dict(
        session.execute(
            select(Participant.side_id, func.count())
            .where(Participant.dialogue_id == dialogue.id, Participant.side_id.is_not(None))
            .group_by(Participant.side_id)
        ).all()
    )
    sides = [
        SideSummary(s.id, shown("side.name", s.id, s.name), int(members.get(s.id, 0)))
        for s in session.scalars(
            select(Side).where(Side.dialogue_id == dialogue.id).order_by(Side.position)
        )
    ]
    statements: dict[int, int] = dict(
        session.execute(
            select(Statement.round_id, func.count())
            .where(Statement.dialogue_id == dialogue.id)
            .group_by(Statement.round_id)
        ).all()
    )
    votes: dict[int, int] = dict(
        session.execute(
            select(Statement.round_id, func.count(Vote.id))
            .join(Vote, Vote.statement_id == Statement.id)
            .where(Statement.dialogue_id == dialogue.id)
            .group_by(Statement.round_id)
        ).all()
    )
    rounds = []
    for r in session.scalars(
        select(Round).where(Round.dialogue_id == dialogue.id).order_by(Round.number)
    ):
        events: list[RoundEventView] = []
        if with_events:
            events = [
                RoundEventView(
                    e.kind, shown("event.reason", e.id, e.reason) if e.reason else None, e.at
                )
                for e in session.scalars(
                    select(RoundEvent).where(RoundEvent.round_id == r.id).order_by(RoundEvent.id)
                )
            ]
        rounds.append(
            RoundSummary(
                r.id,
                r.number,
                shown("round.title", r.id, r.title),
                r.state,
                r.starts_on,
                r.ends_on,
                int(statements.get(r.id, 0)) if access.sees_results(r) else 0,
                int(votes.get(r.id, 0)) if access.sees_results(r) else 0,
                events,
                r.published_at is not None,
                access.sees_results(r) and r.state != "planned",
            )
        )
    return DialogueSummary(
        dialogue.id,
        shown("dialogue.title", dialogue.id, dialogue.title),
        shown("dialogue.charter", dialogue.id, dialogue.charter),
        dialogue.simulated,
        sides,
        rounds,
        reader.languages,
        reader.machine,
        access.visibility,
        access.archived,
        access.is_team,
        access.is_owner,
        dialogue.max_groups or 5,
    )


def count_dialogues(store: Store) -> int:
    """How many dialogues the database holds."""
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(Dialogue)) or 0)
