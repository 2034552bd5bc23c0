"""Definitions and restatements: an ideological Turing test between the sides.

A facilitator names a concept for a round. Each side's participants write what it means to
them and their own side votes; the top-voted text is the side's definition for that round.
Participants of the other side restate it in their own words, and the defining side rates
each restatement fair, partly fair or unfair. Every vote and rating is a new row; the latest
per person counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alteram.errors import N_, Conflict, Forbidden, InvalidInput, NotFound
from alteram.moves import detect_language
from alteram.service import ratelimit
from alteram.service.delegates import delegates_of
from alteram.service.lookup import get
from alteram.service.machine_translation import after_writing, request_translations
from alteram.service.participation import VOTERS
from alteram.service.shown import Shown, TextReader
from alteram.service.textcheck import clean, name_key
from alteram.service.texts import Original, language_of
from alteram.store.database import Store
from alteram.store.schema import (
    FAIRNESS,
    Concept,
    Definition,
    DefinitionVote,
    FairnessRating,
    Participant,
    Restatement,
    Round,
    Side,
)


def _member(session: Session, participant_id: int, round_id: int, action: str) -> Participant:
    person = get(session, Participant, participant_id)
    rnd = get(session, Round, round_id)
    if rnd.dialogue_id != person.dialogue_id:
        raise Forbidden(N_("this round belongs to another dialogue than yours."))
    if person.role not in VOTERS:
        raise Forbidden(
            N_("a %(role)s does not %(action)s."),
            terms={"role": person.role, "action": action},
        )
    if rnd.state != "open":
        raise Conflict(
            N_("round %(number)s is %(state)s: you cannot %(action)s now."),
            params={"number": rnd.number},
            terms={"state": rnd.state, "action": action},
            hint=N_("Definitions and restatements are written while a round is open."),
        )
    return person


def add_concept(store: Store, *, round_id: int, name: str) -> int:
    """Name a concept both sides will define in this round; returns its id."""
    name = clean(name, "concept_name")
    with store.write() as session:
        get(session, Round, round_id)
        taken = session.scalars(select(Concept.name).where(Concept.round_id == round_id))
        if name_key(name) in {name_key(n) for n in taken}:
            raise Conflict(
                N_("this round already asks for a definition of %(name)r."), params={"name": name}
            )
        concept = Concept(round_id=round_id, name=name)
        session.add(concept)
        session.flush()
        dialogue_id = get(session, Round, round_id).dialogue_id
        source = Original(
            "concept.name", concept.id, dialogue_id, name, language_of(name), round_id
        )
        request_translations(session, source)
        return concept.id


def propose_definition(
    store: Store,
    *,
    participant_id: int,
    concept_id: int,
    text: str,
    translations: Mapping[str, str] | None = None,
) -> int:
    """A participant writes what the concept means to their side; returns its id.

    ``translations`` are the author's own, by language, stored in the same transaction.
    """
    body = clean(text, "definition")
    with store.write() as session:
        concept = get(session, Concept, concept_id)
        person = _member(session, participant_id, concept.round_id, N_("define concepts"))
        assert person.side_id is not None
        row = Definition(
            concept_id=concept.id,
            side_id=person.side_id,
            author_id=person.id,
            text=body,
            language=detect_language(body),
        )
        session.add(row)
        session.flush()
        source = Original(
            "definition.text",
            row.id,
            person.dialogue_id,
            body,
            row.language,
            concept.round_id,
            person.id,
            person.side_id,
        )
        after_writing(session, source, translations, participant_id=person.id)
        ratelimit.charge(session, "text", participant=person.id)
        return row.id


def vote_definition(store: Store, *, participant_id: int, definition_id: int, value: int) -> None:
    """A participant of the defining side votes on a candidate definition (latest counts)."""
    if value not in (-1, 0, 1):
        raise InvalidInput(N_("a vote is 1, -1 or 0, not %(value)r."), params={"value": value})
    with store.write() as session:
        definition = get(session, Definition, definition_id)
        concept = get(session, Concept, definition.concept_id)
        person = _member(session, participant_id, concept.round_id, N_("vote on definitions"))
        if person.side_id != definition.side_id:
            raise Forbidden(
                N_("only the defining side chooses its definition; restate it instead.")
            )
        session.add(
            DefinitionVote(definition_id=definition.id, participant_id=person.id, value=value)
        )
        ratelimit.charge(session, "mark", participant=person.id)


def _scores(session: Session, concept_id: int) -> dict[int, int]:
    latest = (
        select(
            DefinitionVote.definition_id,
            DefinitionVote.participant_id,
            func.max(DefinitionVote.id).label("last"),
        )
        .join(Definition, Definition.id == DefinitionVote.definition_id)
        .where(Definition.concept_id == concept_id)
        .group_by(DefinitionVote.definition_id, DefinitionVote.participant_id)
        .subquery()
    )
    rows = session.execute(
        select(DefinitionVote.definition_id, func.sum(DefinitionVote.value))
        .join(latest, latest.c.last == DefinitionVote.id)
        .group_by(DefinitionVote.definition_id)
    ).all()
    return {int(d): int(v or 0) for d, v in rows}


def side_definition(session: Session, concept_id: int, side_id: int) -> Definition | None:
    """The side's definition: its top-voted candidate (see :func:`side_definition_why`)."""
    return side_definition_why(session, concept_id, side_id)[0]


def side_definition_why(
    session: Session, concept_id: int, side_id: int
) -> tuple[Definition | None, str]:
    """The side's definition and how it was chosen: ``votes``, ``delegate`` or ``earliest``.

    The top-voted candidate (not hidden by the team) is the side's definition. When votes
    tie, the side's delegate decides (the tied candidate a delegate of the side agreed with);
    with no delegate's say, the earliest of the tied candidates stands.
    """
    candidates = session.scalars(
        select(Definition)
        .where(
            Definition.concept_id == concept_id,
            Definition.side_id == side_id,
            Definition.hidden_at.is_(None),
        )
        .order_by(Definition.id)
    ).all()
    if not candidates:
        return None, "votes"
    scores = _scores(session, concept_id)
    top = max(scores.get(d.id, 0) for d in candidates)
    tied = [d for d in candidates if scores.get(d.id, 0) == top]
    if len(tied) == 1:
        return tied[0], "votes"
    delegates = set(delegates_of(session, side_id))
    if delegates:
        latest: dict[tuple[int, int], int] = {}
        for did, pid, value in session.execute(
            select(
                DefinitionVote.definition_id, DefinitionVote.participant_id, DefinitionVote.value
            )
            .where(DefinitionVote.definition_id.in_([d.id for d in tied]))
            .order_by(DefinitionVote.id)
        ):
            latest[(did, pid)] = value
        chosen = [d for d in tied if any(latest.get((d.id, p)) == 1 for p in delegates)]
        if len(chosen) == 1:
            return chosen[0], "delegate"
    return tied[0], "earliest"


def restate(
    store: Store,
    *,
    participant_id: int,
    concept_id: int,
    side_id: int,
    text: str,
    translations: Mapping[str, str] | None = None,
) -> int:
    """Restate another side's definition in one's own words; returns the restatement's id."""
    body = clean(text, "restatement")
    with store.write() as session:
        concept = get(session, Concept, concept_id)
        person = _member(session, participant_id, concept.round_id, N_("restate definitions"))
        if person.side_id == side_id:
            raise Forbidden(
                N_("restatements are of the other side's definition, not your own."),
                hint=N_("Vote on your side's candidate definitions instead."),
            )
        definition = side_definition(session, concept.id, side_id)
        if definition is None:
            raise NotFound(
                N_("that side has not defined this concept yet."),
                hint=N_("Come back once it has written its definition."),
            )
        assert person.side_id is not None
        row = Restatement(
            definition_id=definition.id,
            author_id=person.id,
            side_id=person.side_id,
            text=body,
            language=detect_language(body),
        )
        session.add(row)
        session.flush()
        source = Original(
            "restatement.text",
            row.id,
            person.dialogue_id,
            body,
            row.language,
            concept.round_id,
            person.id,
            person.side_id,
        )
        after_writing(session, source, translations, participant_id=person.id)
        ratelimit.charge(session, "text", participant=person.id)
        return row.id


def rate_restatement(
    store: Store, *, participant_id: int, restatement_id: int, rating: str
) -> None:
    """The defining side rates a restatement fair, partly fair or unfair (latest counts)."""
    if rating not in FAIRNESS:
        raise InvalidInput(
            N_("a rating is one of %(ratings)s, not %(rating)r."),
            params={"ratings": ", ".join(FAIRNESS), "rating": rating},
        )
    with store.write() as session:
        restatement = get(session, Restatement, restatement_id)
        definition = get(session, Definition, restatement.definition_id)
        concept = get(session, Concept, definition.concept_id)
        person = _member(session, participant_id, concept.round_id, N_("rate restatements"))
        if person.side_id != definition.side_id:
            raise Forbidden(
                N_("only the side whose definition was restated rates the restatement."),
                hint=N_("Your own side's restatements are rated by the other side."),
            )
        session.add(
            FairnessRating(restatement_id=restatement.id, rater_id=person.id, rating=rating)
        )
        ratelimit.charge(session, "mark", participant=person.id)


@dataclass(frozen=True)
class RestatementView:
    id: int
    text: Shown
    language: str
    side: str
    fair: int
    partly: int
    unfair: int
    hidden: bool = False

    @property
    def ratings(self) -> int:
        return self.fair + self.partly + self.unfair


@dataclass(frozen=True)
class ConceptSide:
    side_id: int
    side: str
    definition_id: int | None
    definition: Shown | None
    language: str | None
    candidates: int
    restatements: list[RestatementView] = field(default_factory=list)
    fair_share: float | None = None  # share of ratings of restatements *by the other side*
    fair_ratings: int = 0  # the counts behind fair_share: ratings "fair" of all ratings
    ratings: int = 0
    candidate_list: list[tuple[int, Shown, int]] = field(default_factory=list)  # id, text, score
    chosen_by: str = "votes"  # votes, delegate (a tie the delegate broke) or earliest
    hidden_candidates: list[int] = field(default_factory=list)  # ids the team hid


@dataclass(frozen=True)
class ConceptView:
    id: int
    round_id: int
    name: Shown
    sides: list[ConceptSide]


def concepts_of_round(
    store: Store, *, round_id: int, lang: str | None = None, include_hidden: bool = False
) -> list[ConceptView]:
    """Each concept of a round: every side's definition and the restatements of it.

    Texts are in the reader's language ``lang`` where a translation exists; what the team
    hid is left out unless ``include_hidden`` (the team's own view).
    """
    with store.read() as session:
        rnd = get(session, Round, round_id)
        reader = TextReader(session, rnd.dialogue_id, lang)
        sides = session.scalars(
            select(Side).where(Side.dialogue_id == rnd.dialogue_id).order_by(Side.position)
        ).all()
        names = {
            s.id: str(reader.show("side.name", s.id, s.name, language_of(s.name))) for s in sides
        }

        def defined(d: Definition) -> Shown:
            return reader.show("definition.text", d.id, d.text, language_of(d.text, d.language))

        out = []
        for concept in session.scalars(
            select(Concept).where(Concept.round_id == round_id).order_by(Concept.id)
        ):
            per_side = []
            for side in sides:
                definition, chosen_by = side_definition_why(session, concept.id, side.id)
                scores = _scores(session, concept.id)
                cands = [
                    (d.id, defined(d), scores.get(d.id, 0))
                    for d in session.scalars(
                        select(Definition)
                        .where(Definition.concept_id == concept.id, Definition.side_id == side.id)
                        .order_by(Definition.id)
                    )
                    if include_hidden or d.hidden_at is None
                ]
                hidden = [
                    d.id
                    for d in session.scalars(
                        select(Definition).where(
                            Definition.concept_id == concept.id,
                            Definition.side_id == side.id,
                            Definition.hidden_at.is_not(None),
                        )
                    )
                ]
                views = (
                    _restatements(session, definition.id, names, reader, include_hidden)
                    if definition
                    else []
                )
                per_side.append(
                    ConceptSide(
                        side.id,
                        names[side.id],
                        definition.id if definition else None,
                        defined(definition) if definition else None,
                        definition.language if definition else None,
                        len(cands),
                        views,
                        candidate_list=cands,
                        chosen_by=chosen_by,
                        hidden_candidates=hidden,
                    )
                )
            # A side's fair share: how fairly *its* restatements (of the others) were rated.
            final = []
            for cs in per_side:
                mine = [
                    r
                    for other in per_side
                    if other.side_id != cs.side_id
                    for r in other.restatements
                    if r.side == cs.side
                ]
                total = sum(r.ratings for r in mine)
                share = sum(r.fair for r in mine) / total if total else None
                final.append(
                    replace(
                        cs,
                        fair_share=share,
                        fair_ratings=sum(r.fair for r in mine),
                        ratings=total,
                    )
                )
            name = reader.show("concept.name", concept.id, concept.name, language_of(concept.name))
            out.append(ConceptView(concept.id, round_id, name, final))
        return out


def _restatements(
    session: Session,
    definition_id: int,
    names: dict[int, str],
    reader: TextReader,
    include_hidden: bool = False,
) -> list[RestatementView]:
    latest = (
        select(func.max(FairnessRating.id))
        .join(Restatement, Restatement.id == FairnessRating.restatement_id)
        .where(Restatement.definition_id == definition_id)
        .group_by(FairnessRating.restatement_id, FairnessRating.rater_id)
    )
    counts: dict[int, dict[str, int]] = {}
    for rid, rating in session.execute(
        select(FairnessRating.restatement_id, FairnessRating.rating).where(
            FairnessRating.id.in_(latest)
        )
    ).all():
        counts.setdefault(rid, {}).setdefault(rating, 0)
        counts[rid][rating] += 1
    views = [
        RestatementView(
            r.id,
            reader.show("restatement.text", r.id, r.text, language_of(r.text, r.language)),
            r.language,
            names.get(r.side_id, "?"),
            counts.get(r.id, {}).get("fair", 0),
            counts.get(r.id, {}).get("partly_fair", 0),
            counts.get(r.id, {}).get("unfair", 0),
            r.hidden_at is not None,
        )
        for r in session.scalars(
            select(Restatement)
            .where(Restatement.definition_id == definition_id)
            .order_by(Restatement.id)
        )
        if include_hidden or r.hidden_at is None
    ]
    views.sort(key=lambda v: (-(v.fair / v.ratings if v.ratings else -1), v.id))
    return views
