"""A language model's draft of a summary, and the checks it passes before anyone sees it.

:func:`draft_messages` builds the chat request: the prompt in ``prompts/draft.md`` and the round's
statements and figures as JSON. :func:`check_draft` splits the model's answer into
sentences and flags each one that has no citation of a statement given ("[S12]"), cites an
id it was not given, states a number that is not one of the analysis's figures, or quotes
words that are not in any statement. A draft with flags cannot be published until a person
fixes or removes the flagged sentences.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from alteram.backends.chat import ChatMessage, system, user
from alteram.summaries import words as w
from alteram.summaries.balance import check_balance
from alteram.summaries.facts import RoundFacts
from alteram.summaries.model import SECTIONS, Sentence, Summary

NO_CITATION = "no_citation"
UNKNOWN_CITATION = "unknown_citation"
INVENTED_NUMBER = "invented_number"
INVENTED_QUOTE = "invented_quote"
FLAGS = (NO_CITATION, UNKNOWN_CITATION, INVENTED_NUMBER, INVENTED_QUOTE)

_CITE = re.compile(r"\[\s*(S\d+(?:\s*[,;，、]\s*S?\d+)*)\s*\]", re.IGNORECASE)
_ID = re.compile(r"\d+")
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])\d+(?:[.,]\d+)?")
_QUOTE = re.compile(r"“([^”]+)”|\"([^\"]+)\"|「([^」]+)」|『([^』]+)』")
_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")
_MOVE_CITES = re.compile(r"([.!?。！？])\s*((?:\[[^\]]*\]\s*)+)")
_SPACE = re.compile(r"\s+")
_TRIM = " .,;:!?。，；：！？…'\""


def prompt() -> str:
    """The instructions the model gets (``src/alteram/summaries/prompts/draft.md``)."""
    return files("alteram.summaries").joinpath("prompts", "draft.md").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Evidence:
    """What a draft may rest on: statement texts by id, and the numbers of the analysis."""

    statements: Mapping[int, tuple[str, ...]]  # id -> its texts (original, translations)
    side_of: Mapping[int, str | None]
    sides: tuple[str, ...]
    numbers: frozenset[float]
    available: tuple[int, ...]  # the statements the analysis ranks highest

    def allows_number(self, x: float) -> bool:
        return any(abs(x - v) <= 0.5 for v in self.numbers)


def evidence(
    facts: RoundFacts, offline: Summary, texts: Mapping[int, Iterable[str]] | None = None
) -> Evidence:
    """The evidence of a round: its statements (with ``texts`` in other languages) and
    every figure of its offline summary, the round numbers, the vote counts and each
    share's counts ("31 of 36")."""
    statements = facts.statements()
    numbers: set[float] = {float(facts.number), float(facts.n_votes), float(facts.n_participants)}
    if facts.previous_number is not None:
        numbers.add(float(facts.previous_number))
    for s in offline.sentences:
        for f in s.figures:
            numbers.add(float(w.whole(f.value)))
            numbers.add(float(abs(w.whole(f.value))))
    for st in statements.values():
        numbers.update(float(w.whole(v)) for v in st.agree.values() if v is not None)
        for agree, votes in st.counts.values():  # shares are stated with their counts
            numbers.update((float(agree), float(votes)))
    known = {i: (st.text, *(texts or {}).get(i, ())) for i, st in statements.items()}
    side_of = {
        i: (facts.side_name(st.side_id) if st.side_id is not None else None)
        for i, st in statements.items()
    }
    pool = [s.id for s in [*facts.common_ground[:8], *facts.divisive[:8]]]
    pool += [g.largest.statement.id for g in facts.gaps if g.largest is not None]
    return Evidence(
        known, side_of, tuple(s.name for s in facts.sides), frozenset(numbers), tuple(pool)
    )


def draft_messages(facts: RoundFacts, offline: Summary, lang: str) -> list[ChatMessage]:
    """The chat request for a draft: the prompt, then the round's statements and figures."""
    data: dict[str, Any] = {
        "language": w.language_for(lang),
        "round": facts.number,
        "previous_round": facts.previous_number,
        "sides": [s.name for s in facts.sides],
        "statements": [
            {"id": f"S{i}", "side": facts.side_name(s.side_id), "text": s.text}
            for i, s in sorted(facts.statements().items())
        ],
        "figures": [
            {
                "what": f.key,
                "side": f.side,
                "statement": None if f.statement is None else f"S{f.statement}",
                "value": w.whole(f.value),
            }
            for s in offline.sentences
            for f in s.figures
        ],
    }
    return [system(prompt()), user(json.dumps(data, ensure_ascii=False, indent=1))]


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip(_TRIM).casefold()


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; citations after the full stop stay with their sentence."""
    text = _MOVE_CITES.sub(lambda m: f"{m.group(2).strip()}{m.group(1)} ", text)
    return [p.strip() for p in _END.split(text) if p and p.strip()]


def check_sentence(section: str, text: str, ev: Evidence) -> Sentence:
    """One sentence with its citations taken out and its flags."""
    cited: list[int] = []
    for m in _CITE.finditer(text):
        cited += [int(x) for x in _ID.findall(m.group(1))]
    bare = _SPACE.sub(" ", _CITE.sub("", text)).strip()
    bare = re.sub(r"\s+([.,;:!?。，；：！？])", r"\1", bare)
    flags: list[str] = []
    valid = [i for i in dict.fromkeys(cited) if i in ev.statements]
    if not cited:
        flags.append(NO_CITATION)
    for i in dict.fromkeys(cited):
        if i not in ev.statements:
            flags.append(f"{UNKNOWN_CITATION}:S{i}")
    quoted: list[int] = []
    unquoted = bare
    for m in _QUOTE.finditer(bare):
        words = _normal(next(g for g in m.groups() if g is not None))
        unquoted = unquoted.replace(m.group(0), " ")
        found = [i for i, texts in ev.statements.items() if any(words in _normal(t) for t in texts)]
        if not words or not found:
            flags.append(INVENTED_QUOTE)
            continue
        quoted.append(next((i for i in found if i in valid), found[0]))
    for m in _NUMBER.finditer(unquoted):
        x = float(m.group(0).replace(",", "."))
        if not ev.allows_number(x):
            flags.append(f"{INVENTED_NUMBER}:{m.group(0)}")
    return Sentence(section, bare, tuple(valid), tuple(dict.fromkeys(quoted)), (), tuple(flags))


def check_draft(text: str, ev: Evidence, lang: str, *, source: str = "model") -> Summary:
    """The draft as a summary: paragraphs in the order of the sections, every sentence checked.

    Paragraphs beyond the fifth count as the fifth section's.
    """
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    sentences = []
    for n, para in enumerate(paragraphs):
        section = SECTIONS[min(n, len(SECTIONS) - 1)]
        para = "\n".join(line for line in para.splitlines() if not line.lstrip().startswith("#"))
        sentences += [check_sentence(section, s, ev) for s in split_sentences(para)]
    lang = w.language_for(lang)
    balance = check_balance(sentences, ev.side_of, ev.sides, ev.available)
    return Summary(lang, sentences, balance, source, dict(w.TITLES[lang]))


def recheck(summary: Summary, ev: Evidence, *, source: str, cite: bool) -> Summary:
    """A summary (e.g. as a person edited it) checked again, sentence by sentence.

    Each sentence's text is checked with its statements written as citations, so an edit
    may keep, change or drop what a sentence cites. With ``cite`` (a model's draft) every
    sentence must cite a statement; otherwise (the offline summary) a sentence may rest on
    the analysis's figures alone.
    """
    out = []
    for s in summary.sentences:
        cites = f" [{', '.join(f'S{i}' for i in s.statements)}]" if s.statements else ""
        checked = check_sentence(s.section, s.text + cites, ev)
        flags = checked.flags
        if not cite:
            flags = tuple(f for f in flags if f != NO_CITATION)
        out.append(
            Sentence(s.section, checked.text, checked.statements, checked.quoted, s.figures, flags)
        )
    balance = check_balance(out, ev.side_of, ev.sides, ev.available)
    return Summary(summary.language, out, balance, source, summary.titles)
