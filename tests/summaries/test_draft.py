"""A model's draft checked sentence by sentence: citations, numbers and quotations."""

from __future__ import annotations

from alteram.summaries import (
    GapFacts,
    Misjudged,
    RoundFacts,
    SideFacts,
    StatementFacts,
    write_summary,
)
from alteram.summaries.draft import (
    INVENTED_NUMBER,
    INVENTED_QUOTE,
    NO_CITATION,
    check_draft,
    draft_messages,
    evidence,
    prompt,
    split_sentences,
)

A, B = SideFacts(1, "Atlantis"), SideFacts(2, "Lemuria")
FACTS = RoundFacts(
    number=2,
    sides=[A, B],
    n_votes=300,
    n_participants=40,
    common_ground=[
        StatementFacts(12, "Schools should teach both histories.", 1, {1: 81.0, 2: 74.2}),
        StatementFacts(14, "Trade helps ordinary families.", 2, {1: 70.0, 2: 77.0}),
    ],
    divisive=[StatementFacts(15, "Borders should stay closed.", 2, {1: 20.0, 2: 85.0})],
    gaps=[
        GapFacts(
            1,
            2,
            True,
            18.4,
            None,
            Misjudged(
                StatementFacts(14, "Trade helps ordinary families.", 2, {1: 70.0, 2: 77.0}),
                40.0,
                77.0,
            ),
        ),
    ],
)


def _check(text: str):  # type: ignore[no-untyped-def]
    offline = write_summary(FACTS, "en")
    return check_draft(text, evidence(FACTS, offline, {12: ["学校应当讲授双方的历史。"]}), "en")


def test_good_citations_pass() -> None:
    d = _check(
        "Most on both sides agree that “schools should teach both histories” [S12]. "
        "81 % of participants from Atlantis agree and 74 % of participants from Lemuria do "
        "[S12].\n\nThe sides differ most on closing borders [S15]."
    )
    assert [s.flags for s in d.sentences] == [(), (), ()]
    assert [s.statements for s in d.sentences] == [(12,), (12,), (15,)]
    assert d.sentences[0].quoted == (12,)
    assert [s.section for s in d.sentences] == ["agree", "agree", "differ"]
    assert "[S" not in d.sentences[0].text


def test_a_sentence_without_a_valid_citation_is_flagged() -> None:
    d = _check("Both sides agree on schools. They differ on borders [S99]. Trade matters [S14].")
    assert d.sentences[0].flags == (NO_CITATION,)
    assert d.sentences[1].flags == ("unknown_citation:S99",)
    assert d.sentences[1].statements == ()
    assert d.sentences[2].flags == ()


def test_an_invented_number_is_flagged() -> None:
    d = _check(
        "63 % of participants from Atlantis agree on schools [S12]. In round 2, 18 points "
        "separate them [S14]."
    )
    assert d.sentences[0].flags == (f"{INVENTED_NUMBER}:63",)
    assert d.sentences[1].flags == ()  # the round and the gap are the analysis's


def test_an_invented_quote_is_flagged_a_true_one_in_any_language_is_not() -> None:
    d = _check(
        "They agree that “schools should ban history” [S12]. "
        "他们同意“学校应当讲授双方的历史”[S12]。"
    )
    assert d.sentences[0].flags == (INVENTED_QUOTE,)
    assert d.sentences[1].flags == () and d.sentences[1].quoted == (12,)


def test_garbage_is_all_flagged() -> None:
    d = _check("<html><body>Error 502</body></html>")
    assert d.sentences and all(NO_CITATION in s.flags for s in d.sentences)
    assert any(f.startswith(INVENTED_NUMBER) for s in d.sentences for f in s.flags)


def test_citations_after_the_full_stop_stay_with_their_sentence() -> None:
    assert split_sentences("One. [S1] Two [S2]. 三[S3]。四。[S4]") == [
        "One[S1].",
        "Two [S2].",
        "三[S3]。",
        "四[S4]。",
    ]


def test_the_prompt_asks_for_citations_and_neutral_language() -> None:
    text = prompt()
    assert "[S12]" in text and "neutral" in text and "does not take a side" in text
    messages = draft_messages(FACTS, write_summary(FACTS, "zh"), "zh")
    assert messages[0]["content"] == text
    assert '"id": "S12"' in messages[1]["content"] and '"language": "zh"' in messages[1]["content"]


def test_a_share_stated_with_its_counts_is_not_an_invented_number() -> None:
    counted = StatementFacts(
        12,
        "Schools should teach both histories.",
        1,
        {1: 81.0, 2: 74.2},
        counts={1: (17, 21), 2: (23, 31)},
    )
    facts = RoundFacts(
        number=2, sides=[A, B], n_votes=300, n_participants=40, common_ground=[counted]
    )
    ev = evidence(facts, write_summary(facts, "en"))
    d = check_draft(
        "81 % of participants from Atlantis agree (17 of 21) [S12]. "
        "74 % of participants from Lemuria agree (23 of 31) [S12]. "
        "58 % of them agree (19 of 33) [S12].",
        ev,
        "en",
    )
    assert not d.sentences[0].flags and not d.sentences[1].flags
    assert {f.split(":")[1] for f in d.sentences[2].flags} == {"58", "19", "33"}
