"""``alteram moves``: classify texts into dialogue and pressure moves.

    alteram moves "We demand their release." "我们想了解贵方的看法。"
    alteram moves --jsonl statements.jsonl > moves.jsonl

With ``--jsonl`` every non-blank input line must be a JSON object with a string ``"text"``
(and any ``"id"``, copied through). Each good line gives one output line
``{"id", "move", "kind", "confidence"}`` on standard output, in input order. A bad line
gives ``line N: ...`` on standard error and no output line; the other lines are still
classified, and the command then exits with status 1. ``-`` reads standard input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from alteram.errors import InvalidInput


def _read_jsonl(path: Path) -> tuple[list[tuple[Any, str]], list[str]]:
    """Good ``(id, text)`` pairs and error messages, one per bad line."""
    try:
        if str(path) == "-":
            lines = sys.stdin.read().splitlines()
        else:
            lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InvalidInput(f"--jsonl file {str(path)!r} does not exist.") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"--jsonl file {str(path)!r} is not UTF-8: {exc.reason}.") from None
    except OSError as exc:
        raise InvalidInput(f"cannot read --jsonl file {str(path)!r}: {exc.strerror}.") from None
    good: list[tuple[Any, str]] = []
    errors: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {number}: not valid JSON ({exc.msg}).")
            continue
        if not isinstance(record, dict):
            errors.append(f'line {number}: must be a JSON object with "id" and "text".')
        elif not isinstance(record.get("text"), str):
            errors.append(f'line {number}: "text" must be a string; got {record.get("text")!r}.')
        else:
            good.append((record.get("id"), record["text"]))
    return good, errors


def moves(
    texts: Annotated[list[str] | None, typer.Argument(help="Texts to classify.")] = None,
    jsonl: Annotated[
        Path | None,
        typer.Option(
            "--jsonl",
            help='Read lines of {"id", "text"} from this file ("-" for stdin) and write '
            'lines of {"id", "move", "kind", "confidence"} to stdout.',
        ),
    ] = None,
) -> None:
    """Print each text's move, kind (dialogue / pressure / other) and confidence."""
    from alteram.moves import classify

    if jsonl is not None and texts:
        raise InvalidInput("give texts or --jsonl, not both.")
    if jsonl is None:
        if not texts:
            raise InvalidInput("nothing to classify.", hint="Give texts, or --jsonl FILE.")
        results = classify(texts)
        table = Table("text", "move", "kind", "confidence")
        for text, result in zip(texts, results, strict=True):
            table.add_row(text, result.move, result.kind, f"{result.confidence:.2f}")
        Console(soft_wrap=False).print(table)
        return

    records, errors = _read_jsonl(jsonl)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for message in errors:
        err.print(f"error: {message}", markup=False)
    results = classify([text for _, text in records])
    out = sys.stdout
    for (record_id, _), result in zip(records, results, strict=True):
        line = {
            "id": record_id,
            "move": result.move,
            "kind": result.kind,
            "confidence": result.confidence,
        }
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
    out.flush()
    if errors:
        raise typer.Exit(1)
