"""From a General Debate record to clean sentences.

The records keep the layout of the UN's official records: line breaks where the printed
column broke, words hyphenated at line ends, paragraph numbers ("34.<TAB>", "100. "),
page numbers and running heads ("General Assembly - Forty-eighth session",
"A/PV.2345"), and stage directions ("(spoke in French)"). ``clean_speech`` removes the
furniture and joins the lines into running text; ``split_sentences`` cuts it into
sentences without cutting after titles and abbreviations ("Mr.", "U.S.", "No. 2");
``is_fragment`` tells what is too broken or too short to label.

Hyphenation at a line end is undone with the corpus's own vocabulary (``Vocabulary``):
"inter-" + "national" becomes "international" when the corpus writes "international"
more often than "inter-national", "twenty-" + "fifth" stays "twenty-fifth", and a pair the
corpus never writes either way keeps its hyphen.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# -- page furniture -----------------------------------------------------------------------

_FURNITURE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\d{0,4}",  # page numbers, empty lines
        r"\d{0,4}\s*General Assembly\s*[-–]\s*[\w-]+ session(\s*[-–]\s*Plenary Meetings)?",
        r"General Assembly\s*[-–]\s*[\w-]+ Session\s*[-–]\s*Plenary Meetings",
        r"[\w-]+ session\s*[-–]\s*\d{1,2} \w+ [l1]9\d\d(\s+\d{1,4})?",
        r"General Assembly \d+\w\w meeting",
        r"(\d{1,4}\s+)?(NS/at\s+)?A/(\d+/)?PV\.\s*\d*(\s+and Corr\.[l1])?",
        r"\((spoke|interpretation from) [^)]*\)",
    )
]
_STAGE = re.compile(r"\((?:spoke in|interpretation from) [^)]*\)", re.IGNORECASE)
_PARA_TAB = re.compile(r"^[.!'\"]?\s*\d{1,4}\s*[.:]?\t+")
_PARA_DOT = re.compile(r"^[.!'\"]?\s*\d{1,3}\s*[.:]\s+(?=[\"“]?[A-Z])")
_PARA_BARE = re.compile(r"^\d{1,3} (?=[A-Z])")
_ENDS_SENTENCE = re.compile(r"[.?!:;][\"'”’)\]]*$")
_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


def is_furniture(line: str) -> bool:
    """True for a line of the printed record that is not speech (page number, header)."""
    s = line.strip()
    return any(p.fullmatch(s) for p in _FURNITURE)


class Vocabulary:
    """Word counts of the whole corpus, used to undo hyphenation at line ends."""

    def __init__(self, texts: Iterable[str]) -> None:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(w.lower() for w in _WORD.findall(text))
        self.counts = counts

    def known(self, left: str, right: str) -> bool:
        """Whether the corpus writes ``left`` and ``right`` as one word, with or without a
        hyphen."""
        joined, hyphened = (left + right).lower(), f"{left}-{right}".lower()
        return bool(self.counts[joined] or self.counts[hyphened])

    def join(self, left: str, right: str) -> str:
        """``left`` + ``right`` split by a hyphen at a line end, as the corpus writes it."""
        joined = (left + right).lower()
        hyphened = f"{left}-{right}".lower()
        if self.counts[joined] > self.counts[hyphened]:
            return left + right
        return f"{left}-{right}"


# Editorial insertions of the record: "[resolution 3379 (XXX)]", "[See A/33/1, sect. I.]".
_EDITORIAL = re.compile(r"\s*\[[^\[\]]{0,200}?(?:\d|/|annex|see )[^\[\]]{0,200}?\]", re.IGNORECASE)
# Sentences run together without a space: "Saudi Arabia.I also", "history.Communism".
_RUN_ON = re.compile(r"([.?!])(?<=[a-z][a-z][.?!])([\"”]?)(?=[A-Z])")
# A hyphen at a line end, or followed by spaces where the record turned a line break into a
# space ("twenty- fifth"). The patterns start at the hyphen: much faster than at each word.
_LINE_END_HYPHEN = re.compile(r"-(?<=[A-Za-z]-)\n(?=[A-Za-z])")
_SPACED_HYPHEN = re.compile(r"-(?<=[A-Za-z]-) +(?=[A-Za-z])")
_NOT_SIGN = re.compile(r"¬\s*")
_WORD_BEFORE = re.compile(r"[A-Za-z]+$")
_WORD_AFTER = re.compile(r"[A-Za-z]+")


def _strip_paragraph_number(line: str, after_sentence_end: bool) -> str:
    line = _PARA_TAB.sub("", line)
    if after_sentence_end:
        line = _PARA_DOT.sub("", line)
        line = _PARA_BARE.sub("", line)
    return line


def _rejoin(
    text: str, pattern: re.Pattern[str], vocabulary: Vocabulary, *, known_only: bool
) -> str:
    """Join the words around each match of ``pattern`` as the corpus writes them."""
    pieces: list[str] = []
    done = 0
    for m in pattern.finditer(text):
        before = _WORD_BEFORE.search(text, max(done, m.start() - 60), m.start())
        after = _WORD_AFTER.match(text, m.end())
        if before is None or after is None:  # pragma: no cover - the pattern ensures both
            continue
        left, right = before.group(0), after.group(0)
        if known_only and not vocabulary.known(left, right):
            continue
        pieces.append(text[done : before.start()])
        pieces.append(vocabulary.join(left, right))
        done = after.end()
    pieces.append(text[done:])
    return "".join(pieces)


def clean_speech(text: str, vocabulary: Vocabulary) -> str:
    """The speech as one line of running text, furniture removed, hyphenation undone."""
    kept: list[str] = []
    # Some records print the line-end hyphen as "¬" inside the line ("inde¬pendence").
    text = _NOT_SIGN.sub("-\n", text.replace("\ufeff", "").replace("\r", ""))
    for raw in text.split("\n"):
        if is_furniture(raw):
            continue
        after_end = not kept or bool(_ENDS_SENTENCE.search(kept[-1]))
        line = _strip_paragraph_number(raw.strip(), after_end).strip()
        if line:
            kept.append(line)
    joined = "\n".join(kept)

    joined = _rejoin(joined, _LINE_END_HYPHEN, vocabulary, known_only=False)
    # "twenty- fifth": only joined when the corpus knows the word either way; otherwise
    # the hyphen is a dash ("purposes- yet") and stays.
    joined = _rejoin(joined, _SPACED_HYPHEN, vocabulary, known_only=True)
    joined = _STAGE.sub(" ", joined)
    joined = _EDITORIAL.sub("", joined)
    joined = _RUN_ON.sub(r"\1\2 ", joined)
    return re.sub(r"\s+", " ", joined).strip()


# -- sentences ----------------------------------------------------------------------------

ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "messrs",
        "mme",
        "mlle",
        "dr",
        "prof",
        "st",
        "sr",
        "jr",
        "gen",
        "lt",
        "col",
        "capt",
        "maj",
        "adm",
        "cmdr",
        "sgt",
        "rev",
        "hon",
        "sen",
        "gov",
        "amb",
        "no",
        "nos",
        "art",
        "arts",
        "para",
        "paras",
        "p",
        "pp",
        "vol",
        "vols",
        "ch",
        "sect",
        "fig",
        "op",
        "cit",
        "ibid",
        "cf",
        "viz",
        "vs",
        "corr",
        "add",
        "inc",
        "ltd",
        "co",
        "corp",
        "bros",
        "jan",
        "feb",
        "aug",
        "sept",
        "sep",
        "oct",
        "nov",
        "dec",
    }
)
"""Words whose full stop does not end a sentence (compared in lower case)."""

_SENTENCE_STARTERS = frozenset(
    {
        "The",
        "We",
        "It",
        "This",
        "In",
        "I",
        "That",
        "Our",
        "My",
        "There",
        "These",
        "They",
        "But",
        "And",
        "He",
        "She",
        "At",
        "As",
        "For",
        "On",
        "If",
        "Today",
        "Now",
        "Such",
        "Its",
        "His",
        "Their",
        "Let",
        "May",
        "However",
        "Moreover",
        "Furthermore",
    }
)
_CANDIDATE = re.compile(r"[.?!][\"'”’)\]]*\s+(?=[\"“‘'(\[]?[A-Z])")
_TOKEN_BEFORE = re.compile(r"([A-Za-z.]+)\.$")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")


def _ends_here(text: str, cut: int, end: int) -> bool:
    """Whether the punctuation at ``cut`` (followed by space up to ``end``) ends a sentence."""
    if text[cut] != ".":
        return True
    if cut > 0 and text[cut - 1] == ".":  # an ellipsis inside a quotation
        return False
    m = _TOKEN_BEFORE.search(text[max(0, cut - 30) : cut + 1])
    if m is None:
        return True
    token = m.group(1)
    if token.lower() in ABBREVIATIONS:
        return False
    if _INITIALS.fullmatch(token):
        # "J. Smith", "U.S. Government", "U.S.S.R.": an initial or an acronym; only a
        # common sentence opener after a dotted acronym makes it a sentence end.
        next_word = re.match(r"[\"“‘'(\[]?([A-Za-z]+)", text[end:])
        dotted = "." in token
        return bool(dotted and next_word and next_word.group(1) in _SENTENCE_STARTERS)
    return True


def split_sentences(text: str) -> list[str]:
    """Cut running text into sentences.

    >>> split_sentences("Mr. President, I thank you. The U.S. Government agrees. Why?")
    ['Mr. President, I thank you.', 'The U.S. Government agrees.', 'Why?']
    """
    sentences: list[str] = []
    start = 0
    for m in _CANDIDATE.finditer(text):
        cut = m.start()
        if _ends_here(text, cut, m.end()):
            sentences.append(text[start : m.end()].strip())
            start = m.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


# -- what is too broken to label ----------------------------------------------------------

MIN_WORDS = 4
MAX_WORDS = 60
_STARTS_WELL = re.compile(r"[\"“‘'(\[]?[A-Z]")
_LETTER = re.compile(r"[^\W\d_]")
_ENDS_WELL = re.compile(r"[.?!][\"'”’)\]]*$")


def is_fragment(sentence: str) -> bool:
    """True when ``sentence`` is not a whole sentence worth labelling.

    Too short (fewer than 4 words) or too long (more than 60: a run-on or a list that
    no one label fits), not starting with a capital or not ending with ., ? or !, an odd
    number of double quotes (a piece of a longer quotation), or mostly not letters
    (tables, lists of document symbols).
    """
    words = sentence.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        return True
    if not _STARTS_WELL.match(sentence) or not _ENDS_WELL.search(sentence):
        return True
    if (sentence.count('"') + sentence.count("“") + sentence.count("”")) % 2:
        return True
    letters = len(_LETTER.findall(sentence))
    return letters < 0.7 * len(sentence.replace(" ", ""))
