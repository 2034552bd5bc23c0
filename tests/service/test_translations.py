"""Translations: who writes them, what readers see, faithfulness, the queue, versions read."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from alteram.errors import Forbidden, InvalidInput, NotFound
from alteram.service.accounts import create_facilitator
from alteram.service.dialogues import dialogue_summary
from alteram.service.participation import record_vote, statements_to_vote
from alteram.service.shown import TextReader
from alteram.service.texts import original
from alteram.service.translation_checks import texts_to_check
from alteram.service.translation_queue import translation_queue
from alteram.service.translations import (
    review_translation,
    set_translator,
    store_translation,
    translate,
    translation_history,
)
from alteram.store.database import Store
from alteram.store.schema import Dialogue, Translation, Vote
from tests.factories import World, make_world, statement

EN = "We want clean water for our children."
ZH = "我们希望孩子们有干净的水。"


def _world(store: Store) -> tuple[World, int]:
    w = make_world(store)
    sid = statement(store, w, "a1", EN)
    return w, sid


def _shown(store: Store, w: World, sid: int, lang: str) -> object:
    (item,) = [
        s
        for s in statements_to_vote(store, participant_id=w.people["b1"], lang=lang)
        if s.id == sid
    ]
    return item.text


def test_author_translation_when_writing_is_shown_to_readers_of_that_language(
    store: Store,
) -> None:
    w = make_world(store)
    from alteram.service.participation import add_statement

    sid = add_statement(
        store,
        participant_id=w.people["a1"],
        round_id=w.round_id,
        text=EN,
        translations={"zh": ZH},
    )
    zh = _shown(store, w, sid, "zh")
    assert (zh.text, zh.state, zh.kind, zh.language) == (ZH, "translated", "author", "zh")  # type: ignore[attr-defined]
    assert (zh.original, zh.original_language) == (EN, "en")  # type: ignore[attr-defined]
    en = _shown(store, w, sid, "en")
    assert (en.text, en.state, en.kind) == (EN, "original", None)  # type: ignore[attr-defined]


def test_untranslated_text_is_shown_as_written_and_says_so(store: Store) -> None:
    w, sid = _world(store)
    zh = _shown(store, w, sid, "zh")
    assert (zh.text, zh.state, zh.language) == (EN, "untranslated", "en")  # type: ignore[attr-defined]


def test_only_the_author_or_a_translator_or_a_facilitator_translates(store: Store) -> None:
    w, sid = _world(store)
    with pytest.raises(Forbidden, match="translator duty"):
        translate(
            store,
            item="statement.text",
            item_id=sid,
            language="zh",
            text=ZH,
            participant_id=w.people["b1"],
        )
    assert (
        translate(
            store,
            item="statement.text",
            item_id=sid,
            language="zh",
            text=ZH,
            participant_id=w.people["a1"],
        ).kind
        == "author"
    )
    set_translator(store, participant_id=w.people["b1"], translator=True)
    made = translate(
        store,
        item="statement.text",
        item_id=sid,
        language="zh",
        text="我们希望孩子有清洁的水。",
        participant_id=w.people["b1"],
    )
    assert made.kind == "translator"
    account = create_facilitator(store, email="f@example.org", password="long enough pass")
    by_facilitator = translate(
        store,
        item="statement.text",
        item_id=sid,
        language="zh",
        text="我们要孩子们有干净的水。",
        account_id=account,
    )
    assert by_facilitator.kind == "translator"
    # every translation is kept, in order; the newest by a person is shown
    history = translation_history(store, item="statement.text", item_id=sid, language="zh")
    assert [h["kind"] for h in history] == ["author", "translator", "translator"]
    assert _shown(store, w, sid, "zh").text == "我们要孩子们有干净的水。"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("language", "text", "message"),
    [
        ("zh", "   ", "cannot be empty"),
        ("zh", "We want clean water.", "not in Chinese"),
        ("zh", "水" * 3001, "at most 3000 characters"),
        ("fr", "Nous voulons de l'eau propre.", "not a language of this dialogue"),
        ("en", "We want clean water for the children.", "written in en already"),
    ],
)
def test_a_bad_translation_is_refused_saying_why(
    store: Store, language: str, text: str, message: str
) -> None:
    w, sid = _world(store)
    with pytest.raises(InvalidInput, match=message):
        translate(
            store,
            item="statement.text",
            item_id=sid,
            language=language,
            text=text,
            participant_id=w.people["a1"],
        )
    with store.read() as s:
        assert s.scalars(select(Translation)).all() == []


def test_unknown_items_and_texts_of_other_dialogues_are_not_found(store: Store) -> None:
    w, sid = _world(store)
    with pytest.raises(InvalidInput, match="not a text that can be translated"):
        translate(
            store,
            item="vote.value",
            item_id=sid,
            language="zh",
            text=ZH,
            participant_id=w.people["a1"],
        )
    with pytest.raises(NotFound):
        translate(
            store,
            item="statement.text",
            item_id=sid + 99,
            language="zh",
            text=ZH,
            participant_id=w.people["a1"],
        )


def test_a_person_s_translation_outranks_a_machine_s_whatever_the_order(store: Store) -> None:
    w, sid = _world(store)
    with store.write() as s:
        store_translation(
            s,
            original(s, "statement.text", sid),
            language="zh",
            text="机器：我们想要干净的水。",
            kind="machine",
        )
    assert _shown(store, w, sid, "zh").kind == "machine"  # type: ignore[attr-defined]
    translate(
        store,
        item="statement.text",
        item_id=sid,
        language="zh",
        text=ZH,
        participant_id=w.people["a1"],
    )
    with store.write() as s:
        store_translation(
            s,
            original(s, "statement.text", sid),
            language="zh",
            text="机器二：我们想要干净的水。",
            kind="machine",
        )
    shown = _shown(store, w, sid, "zh")
    assert (shown.text, shown.kind) == (ZH, "author")  # type: ignore[attr-defined]


def test_a_translation_of_an_earlier_wording_no_longer_counts(store: Store) -> None:
    w = make_world(store)
    with store.write() as s:
        store_translation(
            s,
            original(s, "dialogue.charter", w.dialogue_id),
            language="zh",
            text="解释，提问，倾听。",
            kind="translator",
        )
    assert dialogue_summary(store, w.dialogue_id, lang="zh").charter.state == "translated"
    with store.write() as s:
        s.execute(update(Dialogue).values(charter="Explain, ask, listen, and learn."))
    assert dialogue_summary(store, w.dialogue_id, lang="zh").charter.state == "untranslated"


def test_the_author_s_side_confirms_or_disputes_and_the_queue_follows(store: Store) -> None:
    w, sid = _world(store)
    other = statement(store, w, "b1", "我们更关心上游的污染。")
    made = translate(
        store,
        item="statement.text",
        item_id=sid,
        language="zh",
        text=ZH,
        participant_id=w.people["a1"],
    )
    # the other side cannot say what the author's side meant; the author's side can
    with pytest.raises(Forbidden, match="side that wrote"):
        review_translation(
            store, translation_id=made.id, participant_id=w.people["b1"], faithful=False
        )
    review_translation(store, translation_id=made.id, participant_id=w.people["a1"], faithful=True)
    assert _shown(store, w, sid, "zh").faithfulness == "confirmed"  # type: ignore[attr-defined]
    with pytest.raises(InvalidInput, match="not in Chinese"):
        review_translation(
            store,
            translation_id=made.id,
            participant_id=w.people["a2"],
            faithful=False,
            better_wording="clean water please",
        )
    review_translation(
        store,
        translation_id=made.id,
        participant_id=w.people["a2"],
        faithful=False,
        better_wording="我们希望孩子们喝上干净的水。",
    )
    assert _shown(store, w, sid, "zh").faithfulness == "disputed"  # type: ignore[attr-defined]

    queue = translation_queue(store, round_id=w.round_id)
    statuses = [(e.item, e.item_id, e.language, e.status) for e in queue]
    assert ("statement.text", other, "en", "untranslated") in statuses
    assert ("statement.text", sid, "zh", "disputed") in statuses
    order = [e.status for e in queue]
    assert order == sorted(order, key=["untranslated", "disputed", "machine"].index)
    disputed = next(e for e in queue if e.status == "disputed")
    assert disputed.current == ZH and disputed.better_wordings == ["我们希望孩子们喝上干净的水。"]
    # a new translation replaces the disputed one and leaves the queue
    translate(
        store,
        item="statement.text",
        item_id=sid,
        language="zh",
        text="我们希望孩子们喝上干净的水。",
        participant_id=w.people["a1"],
    )
    assert ("statement.text", sid, "zh") not in {
        (e.item, e.item_id, e.language) for e in translation_queue(store, round_id=w.round_id)
    }

    checks = texts_to_check(store, participant_id=w.people["a1"], round_id=w.round_id)
    assert [(c.item_id, c.mine, c.standing) for c in checks] == [(sid, True, "unreviewed")]


def test_each_vote_records_the_version_its_voter_read(store: Store) -> None:
    w, sid = _world(store)
    made = translate(
        store,
        item="statement.text",
        item_id=sid,
        language="zh",
        text=ZH,
        participant_id=w.people["a1"],
    )
    record_vote(
        store,
        participant_id=w.people["b1"],
        statement_id=sid,
        value=1,
        shown_translation_id=made.id,
    )
    record_vote(store, participant_id=w.people["b2"], statement_id=sid, value=-1)
    other = statement(store, w, "b2", "上游和下游应该一起治理。")
    with pytest.raises(InvalidInput, match="not a translation of statement"):
        record_vote(
            store,
            participant_id=w.people["a2"],
            statement_id=other,
            value=1,
            shown_translation_id=made.id,
        )
    with store.read() as s:
        rows = s.execute(
            select(Vote.participant_id, Vote.shown_translation_id).order_by(Vote.id)
        ).all()
    assert rows == [(w.people["b1"], made.id), (w.people["b2"], None)]


def test_reader_looks_up_a_whole_kind_of_text_in_one_query(store: Store) -> None:
    w, sid = _world(store)
    translate(
        store,
        item="statement.text",
        item_id=sid,
        language="zh",
        text=ZH,
        participant_id=w.people["a1"],
    )
    with store.read() as s:
        reader = TextReader(s, w.dialogue_id, "zh")
        assert reader.language == "zh"
        assert reader.show("statement.text", sid, EN, "en").text == ZH
        # a reader whose language the dialogue does not have reads its first language
        assert TextReader(s, w.dialogue_id, "fr").language == "en"
