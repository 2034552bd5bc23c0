"""Loaders for move-analysis data, with each data set's labels mapped to the nine moves.

Used by ``train.py`` (what ships) and ``benchmarks/moves_eval.py`` (what is measured).
The mappings are documented in ``training/moves/README.md``; keep the two in step.

Licences: the shipped weights may be trained only on the project's own examples
(``examples_*.tsv``), CaSiNo (CC BY 4.0) and PersuasionForGood (Apache-2.0).
WikiTactics and PTC carry no licence: evaluation only (:func:`wikitactics`).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent

MOVE_NAMES = (
    "explain", "inquire", "acknowledge", "bridge",
    "demand", "pressure", "lecture", "accuse", "other",
)  # fmt: skip


@dataclass(frozen=True)
class Example:
    """One labelled text."""

    text: str
    move: str
    source: str  # "own-en", "own-zh", "casino", "wikitactics"
    register: str = ""  # "formal" / "everyday" for the project's own examples
    language: str = "en"
    group: str = ""  # the speech (UNGD ``speech_id``): folds never split a group


def shared_data_dir() -> Path | None:
    """``$ALTERAM_SHARED_DATA`` or ``../shared/data`` next to the repository."""
    env = os.environ.get("ALTERAM_SHARED_DATA")
    path = Path(env) if env else REPO.parent / "shared" / "data"
    return path if path.is_dir() else None


def int_hash(text: str) -> int:
    """A stable integer from the text's SHA-256 (for hold-out and folds)."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:8], 16)


def is_held_out(text: str) -> bool:
    """Deterministic 20 % hold-out of the project's own examples, by SHA-256 of the text."""
    return int_hash(text) % 5 == 0


def own_examples(language: str) -> list[Example]:
    """All examples the project wrote itself in ``language`` ("en" or "zh")."""
    path = HERE / f"examples_{language}.tsv"
    out: list[Example] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            move = row["move"].strip()
            if move not in MOVE_NAMES:
                raise ValueError(f"{path}: unknown move {move!r} for {row['text']!r}")
            out.append(
                Example(
                    row["text"].strip(), move, f"own-{language}", row["register"].strip(), language
                )
            )
    return out


UNGD = HERE / "ungd"


def is_held_out_speech(speech_id: str) -> bool:
    """Deterministic 20 % hold-out of the UNGD speeches, by SHA-256 of the speech id.

    A speech is held out whole, in English and in Chinese (its translations follow it).
    """
    return int_hash(f"ungd-holdout/{speech_id}") % 5 == 0


def ungd(language: str = "en") -> list[Example]:
    """The labelled UN General Debate sentences (1970-1994, CC0), ``training/moves/ungd/``.

    ``language`` "en" gives the 3,300 English sentences (``labels.tsv``); "zh" the
    project's Chinese translations of 660 of them (``labels_zh.tsv``), with the English
    sentence's speech as group. ``register`` is the sample's part (random / enriched).
    """
    path = UNGD / ("labels.tsv" if language == "en" else "labels_zh.tsv")
    column = "sentence" if language == "en" else "sentence_zh"
    out: list[Example] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if int(row["speech_id"].rsplit("-", 1)[1]) > 1994:  # never: kept for evaluation
                raise ValueError(f"{path}: speech {row['speech_id']} is after 1994")
            move = row["label"].strip()
            if move not in MOVE_NAMES:
                raise ValueError(f"{path}: unknown move {move!r} for {row['id']}")
            out.append(
                Example(
                    row[column].strip(), move, f"ungd-{language}", row["part"], language,
                    row["speech_id"],
                )
            )  # fmt: skip
    return out


# CaSiNo strategy -> move. Only utterances with exactly one label are used.
# vouch-fair (appeals to fairness, for or against a deal), uv-part (undermining the
# partner's need) and non-strategic (bare offers and confirmations) do not map cleanly
# and are left out.
CASINO_MAP = {
    "self-need": "explain",
    "other-need": "explain",
    "no-need": "explain",
    "elicit-pref": "inquire",
    "showing-empathy": "acknowledge",
    "promote-coordination": "bridge",
    "small-talk": "other",
}


def casino(data: Path, *, per_move: int) -> list[Example]:
    """CaSiNo train split, single-label utterances, at most ``per_move`` per move.

    The cap is filled in SHA-256 order of the text, so the choice is deterministic.
    """
    dialogues = json.loads((data / "moves" / "casino" / "casino_train.json").read_text("utf-8"))
    by_move: dict[str, list[str]] = {}
    for dialogue in dialogues:
        for text, label in dialogue.get("annotations") or []:
            move = CASINO_MAP.get(label)
            text = " ".join(str(text).split())
            if move and 3 <= len(text) <= 300:
                by_move.setdefault(move, []).append(text)
    out: list[Example] = []
    for move in sorted(by_move):
        texts = sorted(set(by_move[move]), key=lambda t: hashlib.sha256(t.encode()).hexdigest())
        out.extend(Example(t, move, "casino") for t in texts[:per_move])
    return out


# WikiTactics label -> move (evaluation only). An utterance with several labels takes the
# first move in WIKITACTICS_PRIORITY among them; utterances without a mapped label are
# skipped.
WIKITACTICS_MAP = {
    "DH0: Name calling/hostility": "accuse",
    "DH1: Ad hominem/ad argument": "accuse",
    "DH1: Attacks to the person or argument": "accuse",
    "DH3: Policing the discussion": "lecture",
    "DH4: Repeated argument": "explain",
    "DH4: Stating your stance": "explain",
    "DH4: Stating your stance without evidence or reasoning": "explain",
    "DH5: Counterargument": "explain",
    "DH5: Counterargument with new evidence / reasoning": "explain",
    "DH6: Refutation": "explain",
    "DH6: Refutation of opponent's argument (with evidence or reasoning)": "explain",
    "DH7: Refuting the central point": "explain",
    "Providing clarification": "explain",
    "Asking questions": "inquire",
    "Conceding / recanting": "acknowledge",
    "Suggesting a compromise": "bridge",
    "Coordinating edits": "other",
    "Contextualisation": "other",
    "DH-1: Bailing out": "other",
}
# Left out: "DH2: Attempted derailing/off-topic" (neither a dialogue nor a pressure move
# of ours), "Other", "Other: Quote", "I don't know".
WIKITACTICS_PRIORITY = (
    "accuse", "lecture", "acknowledge", "bridge", "inquire", "explain", "other",
)  # fmt: skip


def wikitactics(data: Path, *, max_chars: int = 1000) -> list[Example]:
    """WikiTactics train+val utterances mapped to moves (evaluation only, no licence)."""
    disputes = json.loads(
        (data / "moves" / "wikitactics" / "wikitactics-train-val.json").read_text("utf-8")
    )
    out: list[Example] = []
    for dispute in disputes:
        for utterance in dispute["utterances"]:
            labels = utterance["rebuttal_labels"] + utterance["coordination_labels"]
            moves = {WIKITACTICS_MAP[label] for label in labels if label in WIKITACTICS_MAP}
            if not moves:
                continue
            move = next(m for m in WIKITACTICS_PRIORITY if m in moves)
            text = " ".join(str(utterance["text"]).split())[:max_chars]
            if text:
                out.append(Example(text, move, "wikitactics"))
    return out
