"""A summary as data: sections of sentences, each with the statements and figures behind it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

SECTIONS = ("agree", "differ", "perception", "understanding", "history")


@dataclass(frozen=True)
class Figure:
    """One number a sentence states, as the analysis has it (before rounding).

    ``key`` names the measure (e.g. ``agree_percent``, ``gap_points``); ``side`` and
    ``statement`` say whose and which, when it belongs to one.
    """

    key: str
    value: float
    side: str | None = None
    statement: int | None = None
    shown: str = ""  # the value as the sentence writes it, e.g. "72 %"
    about: str | None = None  # the side ``side`` judged (perception gaps)


@dataclass(frozen=True)
class Sentence:
    """One sentence and its sources: the statements it quotes or rests on, the figures."""

    section: str
    text: str
    statements: tuple[int, ...] = ()
    quoted: tuple[int, ...] = ()
    figures: tuple[Figure, ...] = ()
    flags: tuple[str, ...] = ()  # what a check found wrong (empty: nothing)

    @property
    def source_ids(self) -> str:
        return " ".join(f"S{i}" for i in self.statements)


@dataclass(frozen=True)
class Balance:
    """How often each side's statements are quoted, and whether that is fair to both.

    ``explained``: the imbalance follows from the data (the other side had nothing more
    to quote); ``flagged``: it does not, and a person should look.
    """

    quoted: dict[str, int]
    available: dict[str, int]
    balanced: bool
    explained: bool
    flagged: bool


@dataclass(frozen=True)
class Summary:
    """A round told in sentences, in one language."""

    language: str
    sentences: list[Sentence]
    balance: Balance
    source: str = "offline"  # offline, model or edited
    titles: dict[str, str] = field(default_factory=dict)

    def section(self, key: str) -> list[Sentence]:
        return [s for s in self.sentences if s.section == key]

    def sections(self) -> list[tuple[str, str, list[Sentence]]]:
        """(key, title, sentences) of each section that has sentences, in order."""
        return [(k, self.titles.get(k, k), self.section(k)) for k in SECTIONS if self.section(k)]

    @property
    def flags(self) -> list[str]:
        return [f for s in self.sentences for f in s.flags]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Summary:
        """A summary back from :meth:`to_dict` (e.g. a stored, published one)."""
        sentences = [
            Sentence(
                sec["key"],
                s["text"],
                tuple(s.get("statements", ())),
                tuple(s.get("quoted", ())),
                tuple(Figure(**f) for f in s.get("figures", ())),
                tuple(s.get("flags", ())),
            )
            for sec in data.get("sections", [])
            for s in sec.get("sentences", [])
        ]
        titles = {sec["key"]: sec.get("title", sec["key"]) for sec in data.get("sections", [])}
        return cls(
            data.get("language", "en"),
            sentences,
            Balance(**data["balance"]),
            data.get("source", "offline"),
            titles,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "source": self.source,
            "sections": [
                {
                    "key": k,
                    "title": t,
                    "sentences": [
                        {
                            "text": s.text,
                            "statements": list(s.statements),
                            "quoted": list(s.quoted),
                            "figures": [asdict(f) for f in s.figures],
                            "flags": list(s.flags),
                        }
                        for s in ss
                    ],
                }
                for k, t, ss in self.sections()
            ],
            "balance": asdict(self.balance),
        }
