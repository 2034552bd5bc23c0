"""The team's pages of one round: its life, moderation, seeds, and what people defined and
raised, as participants see it, with the team's moderation beside it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from alteram.errors import N_, AlteramError, InvalidInput
from alteram.moves.labels import MOVES
from alteram.service import concerns, definitions, facilitation, rounds
from alteram.service.analyses import analyze_round, latest_analysis
from alteram.service.editing import edit_text
from alteram.service.exports import CSV_FILES, POLIS_FILES
from alteram.service.feedback import set_feedback_moment
from alteram.service.hiding import set_hidden
from alteram.service.participation import moderate_statement
from alteram.service.seeds import read_seeds_csv, seed_statements
from alteram.web.access import TeamRound, TeamStatement, actor_of, check
from alteram.web.auth import FacilitatorDep
from alteram.web.deps import StoreDep
from alteram.web.forms import optional_int, read_form, text
from alteram.web.i18n import choose_language, translations
from alteram.web.pages.facilitate import confirm_page, raise_unknown
from alteram.web.pages.report import freeze_report
from alteram.web.params import IdPath
from alteram.web.render import localized, page

router = APIRouter(include_in_schema=False)
MAX_SEED_FILE = 512 * 1024


def _round(request: Request, store: StoreDep, round_id: int, **extra: Any) -> dict[str, Any]:
    lang = choose_language(request)
    live = facilitation.round_live(store, round_id=round_id, lang=lang)
    from alteram.service.dialogues import dialogue_summary

    context: dict[str, Any] = {
        "live": live,
        "queue": facilitation.moderation_queue(store, round_id=round_id, lang=lang),
        "move_names": MOVES,
        "analysis": latest_analysis(store, round_id=round_id),
        "sides": dialogue_summary(
            store, live.dialogue_id, lang=lang, actor=actor_of(request)
        ).sides,
        "error": None,
        "polis_files": POLIS_FILES,
        "other_files": [f for f in CSV_FILES if f not in POLIS_FILES],
    }
    context.update(extra)
    return context


@router.get("/facilitate/rounds/{round_id}", response_class=HTMLResponse)
def round_page(
    round_id: IdPath, request: Request, store: StoreDep, who: FacilitatorDep, access: TeamRound
) -> HTMLResponse:
    return page(request, "round.html", _round(request, store, round_id))


def _seeds(form: Any, store: StoreDep, request: Request, round_id: int) -> None:
    """One seed from the form's fields, or a CSV file of them (side by its name as written)."""
    upload = form.get("file")
    side_id = optional_int(form, "side_id", low=1, high=2**62, label="side")
    if upload is not None and not isinstance(upload, str) and upload.filename:
        raw = upload.file.read(MAX_SEED_FILE + 1)
        if len(raw) > MAX_SEED_FILE:
            raise InvalidInput(
                N_("a seed file has at most %(limit)s bytes."), params={"limit": MAX_SEED_FILE}
            )
        try:
            data = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput(N_("the seed file is not UTF-8 text.")) from exc
        live = facilitation.round_live(store, round_id=round_id)
        seeds = read_seeds_csv(data, {s.name: s.side_id for s in live.sides})
    else:
        seeds = [(text(form, "text"), side_id)]
    seed_statements(store, actor=actor_of(request), round_id=round_id, seeds=seeds)


@router.post("/facilitate/rounds/{round_id}/{action}")
async def round_action(
    round_id: IdPath,
    action: str,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamRound,
) -> Response:
    form = await read_form(request)
    _ = translations(choose_language(request)).gettext
    here = f"/facilitate/rounds/{round_id}"
    anchor = ""
    try:
        if action == "open":
            rounds.open_round(store, round_id=round_id)
        elif action == "close":
            if text(form, "confirm") != "yes":
                return confirm_page(
                    request,
                    title=_("Close the round"),
                    what=_("No one can vote or write in this round any more; its results stay."),
                    final=_("a closed round is not opened again."),
                    button=_("Close it"),
                    action=f"{here}/close",
                    back=here,
                )
            rounds.close_round(store, round_id=round_id)
        elif action == "suspend":
            rounds.suspend_round(store, round_id=round_id, reason=text(form, "reason"))
        elif action == "resume":
            rounds.resume_round(store, round_id=round_id, reason=text(form, "reason"))
        elif action == "publish":
            facilitation.publish_round(store, round_id=round_id)
            freeze_report(store, round_id, account_id=who.account_id)  # the report's version 1
        elif action == "report-version":
            freeze_report(store, round_id, account_id=who.account_id)
        elif action == "analyze":
            analyze_round(store, round_id=round_id)
        elif action == "concept":
            definitions.add_concept(store, round_id=round_id, name=text(form, "name"))
        elif action == "feedback":
            set_feedback_moment(
                store, actor=actor_of(request), round_id=round_id, moment=text(form, "moment")
            )
        elif action == "interval":
            every = optional_int(form, "every", low=1, high=1_000_000, label="interval")
            facilitation.set_analysis_interval(store, round_id=round_id, every=every or 100)
        elif action == "edit":
            edit_text(
                store,
                actor=actor_of(request),
                item="round.title",
                item_id=round_id,
                text=text(form, "title"),
            )
        elif action == "topic":
            topic = optional_int(form, "topic_id", low=1, high=2**62, label="topic") or 0
            check(request, "topic", topic, "team")
            edit_text(
                store,
                actor=actor_of(request),
                item="topic.prompt",
                item_id=topic,
                text=text(form, "prompt"),
            )
        elif action == "seed":
            _seeds(form, store, request, round_id)
            anchor = "#seeds"
        else:
            raise_unknown(action)
    except AlteramError as exc:
        context = _round(request, store, round_id, error=localized(request, exc))
        return page(request, "round.html", context, status_code=exc.status)
    return RedirectResponse(here + anchor, status_code=303)


@router.post("/facilitate/statements/{statement_id}/moderate")
async def moderate(
    statement_id: IdPath,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamStatement,
) -> Response:
    form = await read_form(request)
    from alteram.store.schema import Statement

    with store.read() as session:
        row = session.get(Statement, statement_id)
        round_id = row.round_id if row is not None else 0
    try:
        moderate_statement(
            store,
            statement_id=statement_id,
            accept=text(form, "decision") == "accept",
            reason=text(form, "reason"),
        )
    except AlteramError as exc:
        context = _round(request, store, round_id, error=localized(request, exc))
        return page(request, "round.html", context, status_code=exc.status)
    return RedirectResponse(f"/facilitate/rounds/{round_id}#queue", status_code=303)


@router.post("/facilitate/statements/{statement_id}/move")
async def correct_move(
    statement_id: IdPath,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamStatement,
) -> Response:
    from alteram.service.move_corrections import correct_move as correct
    from alteram.store.schema import Statement

    form = await read_form(request)
    with store.read() as session:
        row = session.get(Statement, statement_id)
        round_id = row.round_id if row is not None else 0
    try:
        correct(
            store, statement_id=statement_id, move=text(form, "move") or "", actor=actor_of(request)
        )
    except AlteramError as exc:
        context = _round(request, store, round_id, error=localized(request, exc))
        return page(request, "round.html", context, status_code=exc.status)
    return RedirectResponse(f"/facilitate/rounds/{round_id}#queue", status_code=303)


def _understanding(
    request: Request, store: StoreDep, round_id: int, error: str | None = None
) -> dict[str, Any]:
    lang = choose_language(request)
    live = facilitation.round_live(store, round_id=round_id, lang=lang)
    return {
        "live": live,
        "concepts": definitions.concepts_of_round(
            store, round_id=round_id, lang=lang, include_hidden=True
        ),
        "concerns": concerns.concerns_of_dialogue(
            store, dialogue_id=live.dialogue_id, lang=lang, include_hidden=True
        ),
        "error": error,
    }


@router.get("/facilitate/rounds/{round_id}/understand", response_class=HTMLResponse)
def understanding(
    round_id: IdPath, request: Request, store: StoreDep, who: FacilitatorDep, access: TeamRound
) -> HTMLResponse:
    return page(request, "team_understand.html", _understanding(request, store, round_id))


@router.post("/facilitate/rounds/{round_id}/hide/{kind}/{ident}")
async def hide(
    round_id: IdPath,
    kind: str,
    ident: int,
    request: Request,
    store: StoreDep,
    who: FacilitatorDep,
    access: TeamRound,
) -> Response:
    form = await read_form(request)
    try:
        set_hidden(
            store,
            actor=actor_of(request),
            kind=kind,
            ident=ident,
            hidden=text(form, "hidden", "yes") == "yes",
            reason=text(form, "reason"),
        )
    except AlteramError as exc:
        context = _understanding(request, store, round_id, localized(request, exc))
        return page(request, "team_understand.html", context, status_code=exc.status)
    return RedirectResponse(f"/facilitate/rounds/{round_id}/understand", status_code=303)
