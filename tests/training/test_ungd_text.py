"""Cleaning and sentence splitting of General Debate records (training/moves/ungd)."""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def st() -> ModuleType:
    sys.path.insert(0, str(REPO / "training" / "moves" / "ungd"))
    try:
        return importlib.import_module("speech_text")
    finally:
        sys.path.pop(0)


@pytest.fixture(scope="module")
def vocab(st: ModuleType) -> object:
    corpus = "international international inter-national twenty-fifth Guinea-Bissau continuing"
    return st.Vocabulary([corpus])


def test_titles_initials_and_numbers_do_not_end_sentences(st: ModuleType) -> None:
    text = (
        "Mr. President, I thank Dr. Waldheim. The U.S. Government and the U.S.S.R. agree. "
        "See resolution No. 242 and para. 3 of St. Lucia's text. J. Smith spoke. Why?"
    )
    assert st.split_sentences(text) == [
        "Mr. President, I thank Dr. Waldheim.",
        "The U.S. Government and the U.S.S.R. agree.",
        "See resolution No. 242 and para. 3 of St. Lucia's text.",
        "J. Smith spoke.",
        "Why?",
    ]


def test_a_dotted_acronym_ends_a_sentence_before_a_common_opener(st: ModuleType) -> None:
    assert st.split_sentences("We met the U.S.S.R. We agreed.") == [
        "We met the U.S.S.R.",
        "We agreed.",
    ]


def test_line_end_hyphens_are_undone_with_the_corpus_vocabulary(
    st: ModuleType, vocab: object
) -> None:
    record = "the inter-\nnational order of the twenty-\nfifth session and Guinea- Bissau."
    assert st.clean_speech(record, vocab) == (
        "the international order of the twenty-fifth session and Guinea-Bissau."
    )


def test_an_unknown_spaced_hyphen_is_a_dash_and_stays(st: ModuleType, vocab: object) -> None:
    assert st.clean_speech("military purposes- yet it drags.", vocab) == (
        "military purposes- yet it drags."
    )


def test_page_furniture_and_paragraph_numbers_are_removed(st: ModuleType, vocab: object) -> None:
    record = (
        "33.\tI congratulate the President.\n"
        "Forty-eighth session - 28 September l993 37\n"
        "12 General Assembly - Forty-eighth session\n"
        "A/PV.2345\n"
        "324\n"
        "100. The Assembly [resolution 3379 (XXX)] met (spoke in French) in New York.\n"
        "It met on\n16 November."
    )
    assert st.clean_speech(record, vocab) == (
        "I congratulate the President. The Assembly met in New York. It met on 16 November."
    )


def test_run_together_sentences_and_not_signs_are_repaired(st: ModuleType, vocab: object) -> None:
    assert st.clean_speech("We thank Saudi Arabia.I also con¬tinuing.", vocab) == (
        "We thank Saudi Arabia. I also continuing."
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "Too short here.",
        "lower-case start is a fragment of a split.",
        "No final stop means a cut-off piece of text",
        'He said "we will go and then we stopped.',
        "1990 1991 1992 1993 1994 1995 1996 1997 1998.",
        " ".join(["word"] * 61) + ".",
    ],
)
def test_fragments_are_recognised(st: ModuleType, sentence: str) -> None:
    assert st.is_fragment(sentence)


def test_a_whole_sentence_is_not_a_fragment(st: ModuleType) -> None:
    assert not st.is_fragment("We call upon all States to accede to the Convention.")
    assert not st.is_fragment('"Peace is indivisible," he said.')
