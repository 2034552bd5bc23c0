"""The demonstration dialogue: real statements, simulated people, marked "simulated".

Sixty statements written for the demo (English and Chinese) on what human rights mean to
each side, over three rounds from 2019 to 2026 with one suspension. A few hundred simulated
participants vote and predict the other side's agreement, drawn from a latent-opinion model:

* each participant has a position ``theta`` in two dimensions (liberty-first vs
  development-first; universal standards vs sovereignty), drawn around the centre of one of
  three opinion groups whose membership cuts across the sides;
* each statement has loadings ``w`` and an intercept ``b`` from its profile (common ground,
  bridge, liberty, development, sovereignty, universal); a participant agrees with
  probability ``sigmoid(b + w . theta)`` and passes 8 % of the time;
* a prediction of the other side's agreement is the other side's true share, pushed by a
  stereotype (the other side is thought to reject one's own side's statements and to back
  its own side's) whose size narrows from round to round, plus personal noise.

The generator is seeded: the same database content every time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

import numpy as np
from sqlalchemy import insert
from sqlalchemy.orm import Session

from alteram.moves import detect_language
from alteram.service import side_counts
from alteram.service.dialogues import add_invite
from alteram.service.languages import set_languages
from alteram.service.moves import Assessment, assess_many
from alteram.service.texts import Original
from alteram.service.translation_queue import round_texts
from alteram.store.database import Store
from alteram.store.schema import (
    Concept,
    Concern,
    ConcernAnswer,
    ConcernMark,
    Definition,
    DefinitionVote,
    Dialogue,
    FairnessRating,
    Participant,
    Prediction,
    Restatement,
    Round,
    RoundEvent,
    Side,
    Statement,
    Topic,
    Translation,
    TranslationReview,
    Vote,
)

SEED = 20190514
PER_SIDE = 160
PASS_RATE = 0.08
GAP_BY_ROUND = {1: 28.0, 2: 18.0, 3: 9.0}  # stereotype push, percentage points
JOINED_BY_ROUND = {1: 110, 2: 140, 3: 160}  # participants per side who could take part
SEEN_BY_ROUND = {1: 0.8, 2: 0.8, 3: 0.6}  # share of a round's statements each voter sees
TURNOUT = 0.8
REVOTE_RATE = 0.03
PREDICT_RATE = 0.85
BILINGUAL = 0.12  # share of participants who read the dialogue in the other side's language
CONFIRMED, DISPUTED_EVERY = 0.7, 15  # authors' marks on translators' translations


@dataclass(frozen=True)
class DemoCreated:
    dialogue_id: int
    invite_tokens: dict[str, str]
    participants: int
    statements: int
    votes: int
    predictions: int


def load_translations() -> dict[str, dict[str, str]]:
    """Every text of the demo in the other language: original -> language, text, kind."""
    data = resources.files("alteram.service").joinpath("data/demo_translations.json")
    entries = json.loads(data.read_text(encoding="utf-8"))
    return {e["original"]: e for e in entries}


def load_content() -> dict[str, Any]:
    """The demo's texts and model parameters (``service/data/demo.json``)."""
    text = resources.files("alteram.service").joinpath("data/demo.json").read_text("utf-8")
    content: dict[str, Any] = json.loads(text)
    return content


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)))


def create_demo(store: Store) -> DemoCreated:
    """Write the demonstration dialogue into ``store`` in one transaction."""
    content = load_content()
    rng = np.random.default_rng(SEED)
    side_keys = [s["key"] for s in content["sides"]]
    groups = content["groups"]
    profiles = content["profiles"]

    # People: side, opinion group, latent position.
    people: list[dict[str, Any]] = []
    for key in side_keys:
        shares = np.array([g["share"][key] for g in groups])
        member_of = rng.choice(len(groups), size=PER_SIDE, p=shares / shares.sum())
        for i, g in enumerate(member_of):
            theta = np.array(groups[g]["centre"]) + rng.normal(0.0, 0.45, 2)
            people.append({"side": key, "index": i, "group": int(g), "theta": theta})
    thetas = np.array([p["theta"] for p in people])
    read = assess_many([s["text"] for s in content["statements"]])
    moves = {s["text"]: a for s, a in zip(content["statements"], read, strict=True)}
    side_of = np.array([p["side"] for p in people])

    side_language = {s["key"]: s["language"] for s in content["sides"]}
    other_language = {"zh": "en", "en": "zh"}
    reads = [
        other_language[side_language[p["side"]]]
        if rng.random() < BILINGUAL
        else side_language[p["side"]]
        for p in people
    ]

    with store.write() as session:
        dialogue = Dialogue(
            title=content["title"],
            charter=content["charter"],
            simulated=True,
            visibility="public",  # the demonstration is shown to every visitor
            created_at=datetime.fromisoformat(content["rounds"][0]["opened"]) - timedelta(days=30),
        )
        session.add(dialogue)
        session.flush()
        set_languages(session, dialogue.id, ["zh", "en"])
        sides = {}
        for pos, s in enumerate(content["sides"]):
            side = Side(dialogue_id=dialogue.id, name=s["name"], position=pos)
            session.add(side)
            session.flush()
            sides[s["key"]] = side.id
        tokens = {
            name: add_invite(session, dialogue.id, sides[key])
            for key, name in ((s["key"], s["name"]) for s in content["sides"])
        }
        facilitator = Participant(
            dialogue_id=dialogue.id,
            role="facilitator",
            display_name="Facilitator (simulated)",
            simulated=True,
        )
        session.add(facilitator)
        anonymous = rng.random(len(people)) < 0.3
        person_ids = list(
            session.scalars(
                insert(Participant).returning(Participant.id, sort_by_parameter_order=True),
                [
                    {
                        "dialogue_id": dialogue.id,
                        "side_id": sides[p["side"]],
                        "role": "participant",
                        "display_name": None
                        if anonymous[n]
                        else f"Simulated {p['side'].upper()}-{p['index'] + 1:03d}",
                        "anonymous": bool(anonymous[n]),
                        "simulated": True,
                    }
                    for n, p in enumerate(people)
                ],
            )
        )
        # One bilingual volunteer per side holds the translator duty.
        translators: dict[str, int] = {}
        for n, p in enumerate(people):
            language = side_language[p["side"]]
            if language not in translators:
                translators[language] = person_ids[n]
        for pid in translators.values():
            session.get(Participant, pid).translator = True  # type: ignore[union-attr]
        demo = _DemoTranslations(session, dialogue.id, load_translations(), translators, rng)
        n_statements = n_votes = n_predictions = 0
        round_ids: dict[int, tuple[int, datetime]] = {}
        actives: dict[int, np.ndarray] = {}
        for number, spec in enumerate(content["rounds"], start=1):
            opened = datetime.fromisoformat(spec["opened"])
            closed = datetime.fromisoformat(spec["closed"]) if "closed" in spec else None
            rnd = Round(
                dialogue_id=dialogue.id,
                number=number,
                title=spec["title"],
                state="closed" if closed else "open",
                moderation="post",
                starts_on=opened,
                ends_on=closed,
                created_at=opened - timedelta(days=14),
                published_at=closed,
            )
            session.add(rnd)
            session.flush()
            session.add_all(
                Topic(round_id=rnd.id, position=i, prompt=t) for i, t in enumerate(spec["topics"])
            )
            events = [("opened", None, opened)]
            windows = [(opened, closed or opened + timedelta(days=20))]
            if "suspended" in spec:
                suspended = datetime.fromisoformat(spec["suspended"])
                resumed = datetime.fromisoformat(spec["resumed"])
                events += [
                    ("suspended", spec["suspension_reason"], suspended),
                    ("resumed", spec.get("resume_reason"), resumed),
                ]
                windows = [(opened, suspended), (resumed, windows[0][1])]
            if closed:
                events.append(("closed", None, closed))
            session.add_all(
                RoundEvent(round_id=rnd.id, kind=k, reason=r, at=t) for k, r, t in events
            )

            # Who takes part in this round.
            eligible = np.array([p["index"] < JOINED_BY_ROUND[number] for p in people])
            active = eligible & (rng.random(len(people)) < TURNOUT)
            round_ids[number] = (rnd.id, opened)
            actives[number] = active
            specs = [s for s in content["statements"] if s["round"] == number]
            stmt_rows = []
            for s in specs:
                authors = np.flatnonzero(active & (side_of == s["side"]))
                author = int(authors[rng.integers(len(authors))])
                stmt_rows.append(
                    {
                        "dialogue_id": dialogue.id,
                        "round_id": rnd.id,
                        "author_id": person_ids[author],
                        "side_id": sides[s["side"]],
                        "text": s["text"],
                        "language": detect_language(s["text"]),
                        "moderation": "rejected" if "rejected" in s else "accepted",
                        "moderation_reason": s.get("rejected"),
                        **_move_columns(moves[s["text"]]),
                        "created_at": _time_in(rng, windows[:1]),
                    }
                )
            stmt_ids = list(
                session.scalars(
                    insert(Statement).returning(Statement.id, sort_by_parameter_order=True),
                    stmt_rows,
                )
            )
            n_statements += len(stmt_ids)
            shown: dict[tuple[int, str], int] = {}
            for i, row in zip(stmt_ids, stmt_rows, strict=True):
                made = demo.translate(
                    Original(
                        "statement.text",
                        i,
                        dialogue.id,
                        row["text"],
                        row["language"],
                        rnd.id,
                        row["author_id"],
                        row["side_id"],
                    )
                )
                if made is not None:
                    shown[(i, other_language[row["language"]])] = made
            votes = _simulate_votes(
                rng, number, specs, profiles, thetas, side_of, active, side_keys, windows
            )
            vote_ids = (
                list(
                    session.scalars(
                        insert(Vote).returning(Vote.id, sort_by_parameter_order=True),
                        [
                            {
                                "statement_id": stmt_ids[v.statement],
                                "participant_id": person_ids[v.person],
                                "value": v.value,
                                "created_at": v.at,
                                "shown_translation_id": shown.get(
                                    (stmt_ids[v.statement], reads[v.person])
                                ),
                            }
                            for v in votes
                        ],
                    )
                )
                if votes
                else []
            )
            side_counts.recount(session, round_ids=[rnd.id])
            n_votes += len(vote_ids)
            pred_rows = [
                {"vote_id": vid, "target_side_id": sides[target], "share": share}
                for vid, v in zip(vote_ids, votes, strict=True)
                for target, share in v.predictions
            ]
            if pred_rows:
                session.execute(insert(Prediction), pred_rows)
            n_predictions += len(pred_rows)
        _understanding(session, rng, content, sides, round_ids, actives, person_ids, side_of)
        session.flush()
        for rid, _ in round_ids.values():
            for text in round_texts(session, session.get(Round, rid)):  # type: ignore[arg-type]
                demo.translate(text)
        return DemoCreated(dialogue.id, tokens, len(people), n_statements, n_votes, n_predictions)


@dataclass(frozen=True)
class _SimVote:
    person: int
    statement: int
    value: int
    at: datetime
    predictions: tuple[tuple[str, int], ...]


def _understanding(
    session: Session,
    rng: np.random.Generator,
    content: dict[str, Any],
    sides: dict[str, int],
    rounds: dict[int, tuple[int, datetime]],
    actives: dict[int, np.ndarray],
    person_ids: list[int],
    side_of: np.ndarray,
) -> None:
    """Definitions, restatements with fairness ratings, and concerns across the rounds."""
    other = {a: b for a, b in zip(sides, reversed(list(sides)), strict=True)}

    def someone(number: int, side: str) -> int:
        pool = np.flatnonzero(actives[number] & (side_of == side))
        return person_ids[int(pool[rng.integers(len(pool))])]

    for number, (round_id, opened) in rounds.items():
        at = opened + timedelta(days=2)
        concept = Concept(round_id=round_id, name=content["concept"])
        session.add(concept)
        session.flush()
        top: dict[str, int] = {}
        for side, texts in content["definitions"][str(number)].items():
            ids = []
            for text in texts:
                row = Definition(
                    concept_id=concept.id,
                    side_id=sides[side],
                    author_id=someone(number, side),
                    text=text,
                    language=detect_language(text),
                    created_at=at,
                )
                session.add(row)
                session.flush()
                ids.append(row.id)
            top[side] = ids[0]  # the first candidate gets the most votes
            for rank, did in enumerate(ids):
                for _ in range(12 - 5 * rank):
                    session.add(
                        DefinitionVote(
                            definition_id=did,
                            participant_id=someone(number, side),
                            value=1,
                            created_at=at,
                        )
                    )
        for side, items in content["restatements"][str(number)].items():
            defined_by = other[side]
            for text, quality in items:
                restated = Restatement(
                    definition_id=top[defined_by],
                    author_id=someone(number, side),
                    side_id=sides[side],
                    text=text,
                    language=detect_language(text),
                    created_at=at,
                )
                session.add(restated)
                session.flush()
                for _ in range(8):
                    u = rng.random()
                    rating = (
                        "fair"
                        if u < quality
                        else "partly_fair"
                        if u < quality + (1 - quality) / 2
                        else "unfair"
                    )
                    session.add(
                        FairnessRating(
                            restatement_id=restated.id,
                            rater_id=someone(number, defined_by),
                            rating=rating,
                            created_at=at,
                        )
                    )
    last = max(rounds)
    for c in content["concerns"]:
        round_id, opened = rounds[c["raised"]]
        concern = Concern(
            dialogue_id=session.get(Round, round_id).dialogue_id,  # type: ignore[union-attr]
            raised_in_round_id=round_id,
            side_id=sides[c["side"]],
            author_id=someone(c["raised"], c["side"]),
            title=c["title"],
            why_it_matters=c["why"],
            what_to_understand=c["understand"],
            language=detect_language(c["why"]),
            created_at=opened + timedelta(days=1),
        )
        session.add(concern)
        session.flush()
        for number, text in c.get("answers", []):
            rid, when = rounds[number]
            session.add(
                ConcernAnswer(
                    concern_id=concern.id,
                    round_id=rid,
                    side_id=sides[other[c["side"]]],
                    author_id=someone(number, other[c["side"]]),
                    text=text,
                    language=detect_language(text),
                    created_at=when + timedelta(days=3),
                )
            )
        latest: dict[str, bool] = {}
        for number, side, understood in c.get("marks", []):
            rid, when = rounds[number]
            session.add(
                ConcernMark(
                    concern_id=concern.id,
                    round_id=rid,
                    side_id=sides[side],
                    understood=understood,
                    at=when + timedelta(days=4),
                )
            )
            latest[side] = understood
        if "withdrawn" in c and c["withdrawn"] <= last:
            concern.state = "withdrawn"
        elif len(latest) == len(sides) and all(latest.values()):
            concern.state = "understood"


class _DemoTranslations:
    """The demo's translations (by the author or a side's translator), each stored once."""

    def __init__(
        self,
        session: Session,
        dialogue_id: int,
        entries: dict[str, dict[str, str]],
        translators: dict[str, int],
        rng: np.random.Generator,
    ) -> None:
        self.session = session
        self.dialogue_id = dialogue_id
        self.entries = entries
        self.translators = translators
        self.rng = rng
        self.done: set[tuple[str, int]] = set()
        self.translated = 0

    def translate(self, source: Original) -> int | None:
        """Store the translation of ``source``; its id, or None when it has none."""
        entry = self.entries.get(source.text)
        if entry is None or (source.item, source.item_id) in self.done:
            return None
        self.done.add((source.item, source.item_id))
        author = entry["kind"] == "author" and source.author_id is not None
        row = Translation(
            dialogue_id=self.dialogue_id,
            item=source.item,
            item_id=source.item_id,
            language=entry["language"],
            text=entry["text"],
            kind="author" if author else "translator",
            source_hash=source.source_hash,
            participant_id=source.author_id if author else self.translators[entry["language"]],
        )
        self.session.add(row)
        self.session.flush()
        if source.item == "statement.text" and source.author_id is not None and not author:
            # Most authors confirm a translator's work; a few find it misses their meaning.
            self.translated += 1
            if self.translated % DISPUTED_EVERY == 0:
                self._review(row.id, source.author_id, False)
            elif self.rng.random() < CONFIRMED:
                self._review(row.id, source.author_id, True)
        return row.id

    def _review(self, translation_id: int, participant_id: int, faithful: bool) -> None:
        self.session.add(
            TranslationReview(
                translation_id=translation_id, participant_id=participant_id, faithful=faithful
            )
        )


def _move_columns(assessment: Assessment | None) -> dict[str, Any]:
    if assessment is None:
        return {"move": None, "move_confidence": None}
    return {"move": assessment.move, "move_confidence": assessment.confidence}


def _time_in(rng: np.random.Generator, windows: list[tuple[datetime, datetime]]) -> datetime:
    start, end = windows[int(rng.integers(len(windows)))]
    return start + (end - start) * float(rng.random())


def _simulate_votes(
    rng: np.random.Generator,
    number: int,
    specs: list[dict[str, Any]],
    profiles: dict[str, dict[str, Any]],
    thetas: np.ndarray,
    side_of: np.ndarray,
    active: np.ndarray,
    side_keys: list[str],
    windows: list[tuple[datetime, datetime]],
) -> list[_SimVote]:
    """The round's votes in time order, each with the voter's predictions of other sides."""
    votes: list[_SimVote] = []
    gap = GAP_BY_ROUND.get(number, 5.0)
    for j, s in enumerate(specs):
        if "rejected" in s:
            continue
        prof = profiles[s["profile"]]
        p_agree = _sigmoid(prof["b"] + thetas @ np.array(prof["w"]))
        share = {k: 100 * (1 - PASS_RATE) * float(p_agree[side_of == k].mean()) for k in side_keys}
        voters = np.flatnonzero(active & (rng.random(len(thetas)) < SEEN_BY_ROUND[number]))
        for i in voters:
            value = 0 if rng.random() < PASS_RATE else (1 if rng.random() < p_agree[i] else -1)
            guesses: list[tuple[str, int]] = []
            if value != 0 and rng.random() < PREDICT_RATE:
                for other in side_keys:
                    if other == side_of[i]:
                        continue
                    stereotype = -1.0 if s["side"] == side_of[i] else 1.0
                    guess = share[other] + gap * stereotype + rng.normal(0.0, 12.0)
                    guesses.append((other, round(float(np.clip(guess, 0, 100)))))
            at = _time_in(rng, windows)
            votes.append(_SimVote(int(i), j, value, at, tuple(guesses)))
            if rng.random() < REVOTE_RATE:  # changed their mind later: a second row
                later = at + (windows[-1][1] - at) * float(rng.random())
                votes.append(_SimVote(int(i), j, 1 if rng.random() < p_agree[i] else -1, later, ()))
    votes.sort(key=lambda v: v.at)
    return votes
