"""Round summaries in words: every sentence with the statements and figures behind it.

Pure code (no database): :mod:`~alteram.summaries.offline` writes a summary from plain
facts, :mod:`~alteram.summaries.draft` checks a language model's draft, and
:mod:`~alteram.summaries.balance` checks that both sides are quoted alike. The service
:mod:`alteram.service.summaries` reads the facts from the store.
"""

from alteram.summaries.balance import check_balance
from alteram.summaries.facts import (
    ConceptFacts,
    ConcernFacts,
    GapFacts,
    Misjudged,
    RoundFacts,
    SideFacts,
    StatementFacts,
)
from alteram.summaries.model import Balance, Figure, Sentence, Summary
from alteram.summaries.offline import write_summary

__all__ = [
    "Balance",
    "ConceptFacts",
    "ConcernFacts",
    "Figure",
    "GapFacts",
    "Misjudged",
    "RoundFacts",
    "Sentence",
    "SideFacts",
    "StatementFacts",
    "Summary",
    "check_balance",
    "write_summary",
]
