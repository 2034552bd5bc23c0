"""The team's pages of a dialogue's members and moderation: people, flags, the log.

Every form that changes something answers with a redirect; removing a participant asks
first, on a page of its own, saying what it does and what it does not undo.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from alteram.engine.implausible import BURST_SECONDS, BURST_VOTES, SAME_VOTE_MIN
from alteram.errors import N_, AlteramError
from alteram.service import flags, moderation, people
from alteram.service.access import Access
from alteram.service.dialogues import dialogue_summary
from alteram.service.participation import moderate_statement
from alteram.web.access import TeamDialogue, actor_of, team
from alteram.web.api.people import csv_response
from alteram.web.auth import FacilitatorDep, ParticipantDep
from alteram.web.deps import StoreDep
from alteram.web.forms import read_form, text
from alteram.web.i18n import choose_language, translations
from alteram.web.pages.facilitate import confirm_page
from alteram.web.pages.invites import KINDS
from alteram.web.render import localized, page

router = APIRouter(include_in_schema=False)
TeamParticipant = Annotated[Access, team("participant")]
TeamStatement = Annotated[Access, team("statement")]
# What each kind of moderation event is called in the log.
LABELS = {
    "statement_accepted": N_("statement accepted"),
    "statement_rejected": N_("statement rejected"),
    "text_hidden": N_("text hidden"),
    "text_shown": N_("text shown again"),
    "participant_removed": N_("participant removed"),
    "participant_restored": N_("participant restored"),
    "delegate_given": N_("made a delegate"),
    "delegate_taken": N_("delegate role taken back"),
    "translator_given": N_("given the translator duty"),
    "translator_taken": N_("translator duty taken back"),
    "flag_raised": N_("statement flagged"),
    "text_edited": N_("text edited"),
}
RULES = {"same_vote_min": SAME_VOTE_MIN, "burst_votes": BURST_VOTES, "burst_seconds": BURST_SECONDS}


def _people_path(dialogue_id: int) -> str:
    return f"/facilitate/dialogues/{dialogue_id}/people"


def _moderation_path(dialogue_id: int) -> str:
    return f"/facilitate/dialogues/{dialogue_id}/moderation"


def _people(
    request: Request, store: StoreDep, dialogue_id: int, error: str | None = None, status: int = 200
) -> HTMLResponse:
    actor = actor_of(request)
    found = people.members(store, actor=actor, dialogue_id=dialogue_id)
    groups: dict[str, list[people.Member]] = {}
    for m in found:
        groups.setdefault(m.side_name or "", []).append(m)
    context: dict[str, Any] = {
        "d": dialogue_summary(store, dialogue_id, lang=choose_language(request), actor=actor),
        "groups": groups,
        "marked": [m for m in found if m.marks],
        "rules": RULES,
        "kinds": KINDS,
        "error": error,
    }
    return page(request, "people.html", context, status_code=status)


@router.get("/facilitate/dialogues/{dialogue_id}/people", response_class=HTMLResponse)
def people_page(
    dialogue_id: int, request: Request, store: StoreDep, who: FacilitatorDep, access: TeamDialogue
) -> HTMLResponse:
    return _people(request, store, dialogue_id)


@router.get("/facilitate/participants/{participant_id}/remove", response_class=HTMLResponse)
def confirm_removal(
    participant_id: int,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamParticipant,
) -> HTMLResponse:
    found = people.members(store, actor=actor_of(request), dialogue_id=access.dialogue_id)
    member = next(m for m in found if m.id == participant_id)
    _ = translations(choose_language(request)).gettext
    name = f"#{member.id} {member.display_name or ''}".strip()
    return confirm_page(
        request,
        title=_("Remove %(who)s?") % {"who": name},
        what=_(
            "Nothing is deleted: what they wrote and voted stays in the store, and the next "
            "analyses leave their votes and predictions out until you restore them."
        ),
        final=_(
            "their session stops working at once and they are told they were removed; an "
            "analysis made while they are removed stays as it was."
        ),
        button=_("Yes, remove them"),
        action=f"/facilitate/participants/{participant_id}/remove",
        back=f"{_people_path(access.dialogue_id)}#p-{participant_id}",
        reason=_("Why (kept in the moderation log)"),
    )


@router.post("/facilitate/participants/{participant_id}/{action}")
async def change_member(
    participant_id: int,
    action: str,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamParticipant,
) -> Response:
    form = await read_form(request)
    actor = actor_of(request)
    reason = text(form, "reason")
    try:
        if action == "remove" and text(form, "confirm") != "yes":
            return RedirectResponse(
                f"/facilitate/participants/{participant_id}/remove", status_code=303
            )
        if action == "remove":
            people.remove_participant(
                store, actor=actor, participant_id=participant_id, reason=reason
            )
        elif action == "restore":
            people.restore_participant(
                store, actor=actor, participant_id=participant_id, reason=reason
            )
        elif action == "delegate":
            people.set_delegate(
                store,
                actor=actor,
                participant_id=participant_id,
                delegate=text(form, "delegate") == "yes",
                reason=reason,
            )
        else:
            return _people(request, store, access.dialogue_id, status=404)
    except AlteramError as exc:
        return _people(
            request, store, access.dialogue_id, error=localized(request, exc), status=exc.status
        )
    return RedirectResponse(
        f"{_people_path(access.dialogue_id)}#p-{participant_id}", status_code=303
    )


def _moderation(
    request: Request, store: StoreDep, dialogue_id: int, error: str | None = None, status: int = 200
) -> HTMLResponse:
    actor = actor_of(request)
    lang = choose_language(request)
    context: dict[str, Any] = {
        "d": dialogue_summary(store, dialogue_id, lang=lang, actor=actor),
        "flagged": flags.flag_queue(store, actor=actor, dialogue_id=dialogue_id, lang=lang),
        "log": moderation.moderation_log(store, actor=actor, dialogue_id=dialogue_id),
        "labels": LABELS,
        "error": error,
    }
    return page(request, "moderation.html", context, status_code=status)


@router.get("/facilitate/dialogues/{dialogue_id}/moderation", response_class=HTMLResponse)
def moderation_page(
    dialogue_id: int, request: Request, store: StoreDep, who: FacilitatorDep, access: TeamDialogue
) -> HTMLResponse:
    return _moderation(request, store, dialogue_id)


@router.get("/facilitate/dialogues/{dialogue_id}/moderation-log.csv")
def moderation_log_csv(
    dialogue_id: int, request: Request, store: StoreDep, who: FacilitatorDep, access: TeamDialogue
) -> Response:
    found = moderation.moderation_log(store, actor=actor_of(request), dialogue_id=dialogue_id)
    return csv_response(moderation.log_csv(found), f"moderation-log-{dialogue_id}.csv")


@router.post("/facilitate/flagged/{statement_id}")
async def decide_flagged(
    statement_id: int,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamStatement,
) -> Response:
    form = await read_form(request)
    try:
        moderate_statement(
            store,
            statement_id=statement_id,
            accept=text(form, "decision") == "accept",
            reason=text(form, "reason"),
            actor=actor_of(request),
        )
    except AlteramError as exc:
        return _moderation(
            request, store, access.dialogue_id, error=localized(request, exc), status=exc.status
        )
    return RedirectResponse(f"{_moderation_path(access.dialogue_id)}#flags", status_code=303)


@router.post("/statements/{statement_id}/flag")
async def flag(
    statement_id: int, request: Request, store: StoreDep, who: ParticipantDep
) -> Response:
    """A participant flags a statement from the vote page; back there with a notice."""
    form = await read_form(request)
    assert who.participant_id is not None
    flags.flag_statement(
        store,
        participant_id=who.participant_id,
        statement_id=statement_id,
        reason=text(form, "reason"),
    )
    return RedirectResponse("/vote?flagged=1", status_code=303)
