"""Agreement between the first labels and the blind second labelling (issue #14).

    python3 training/moves/ungd/agreement.py                  # the report (Markdown)
    python3 training/moves/ungd/agreement.py --disagreements  # every row labelled apart
    python3 training/moves/ungd/agreement.py --json           # the figures, for tests

Compares ``labels.tsv`` (first labeller) with ``labels_second.tsv`` (second, blind) on the
ids of ``second_ids.txt``: Cohen's kappa over the nine moves, one-vs-rest kappa for each
move (does each labeller call the sentence that move or not), the confusion matrix, and
pressure against dialogue with ``other`` kept as its own third class (and, beside it, the
two-class kappa on the rows neither labeller called ``other``). Intervals are 95 %
percentile bootstraps over sentences, seeded. Standard library only.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GUIDE = HERE.parent / "LABELLING.md"
MOVES = (
    "explain", "inquire", "acknowledge", "bridge",
    "demand", "pressure", "lecture", "accuse", "other",
)  # fmt: skip
PRESSURE = {"demand", "pressure", "lecture", "accuse"}
DIALOGUE = {"explain", "inquire", "acknowledge", "bridge"}
BOOTSTRAP = 2000
SEED = "alteram-14/agreement"


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa of two labellings of the same items.

    Parameters
    ----------
    a, b : sequences of hashable labels, of the same length n > 0

    Returns
    -------
    float
        ``(p_o - p_e) / (1 - p_e)``, where ``p_o`` is the share of items given the same
        label and ``p_e = sum_k (n_a(k) / n) * (n_b(k) / n)`` the share expected by chance
        from each labeller's own label frequencies. NaN when ``p_e == 1`` (both labellers
        used one and the same label for every item: kappa is undefined).

    Examples
    --------
    >>> cohen_kappa("xxyy", "xyyy")
    0.5
    """
    if len(a) != len(b) or not a:
        raise ValueError(f"kappa needs two labellings of the same n > 0 items: {len(a)}, {len(b)}")
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[k] * count_b[k] for k in count_a) / (n * n)
    if expected == 1.0:
        return math.nan
    return (observed - expected) / (1.0 - expected)


def bootstrap(
    a: Sequence[str], b: Sequence[str], stat: Callable[[Sequence[str], Sequence[str]], float]
) -> tuple[float, float]:
    """95 % percentile interval of ``stat(a, b)`` over seeded resamples of the items."""
    rng, n, values = random.Random(SEED), len(a), list[float]()
    for _ in range(BOOTSTRAP):
        idx = [rng.randrange(n) for _ in range(n)]
        value = stat([a[i] for i in idx], [b[i] for i in idx])
        if not math.isnan(value):
            values.append(value)
    values.sort()
    return values[int(0.025 * len(values))], values[int(0.975 * len(values)) - 1]


def group(label: str) -> str:
    """``pressure``, ``dialogue`` or ``other``."""
    return "pressure" if label in PRESSURE else "dialogue" if label in DIALOGUE else "other"


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def load() -> list[dict[str, str]]:
    """One row per drawn id: id, part, first, second, note, sentence, guide (example?)."""
    first = {r["id"]: r for r in read_tsv(HERE / "labels.tsv")}
    second = {r["id"]: r for r in read_tsv(HERE / "labels_second.tsv")}
    ids = (HERE / "second_ids.txt").read_text(encoding="utf-8").split()
    missing = [i for i in ids if i not in first or i not in second]
    if missing:
        raise SystemExit(f"ids of second_ids.txt without both labels: {missing[:10]}")
    in_guide = set(re.findall(r"`([A-Z]{3}-\d{4}-\d{3})`", GUIDE.read_text(encoding="utf-8")))
    return [
        {"id": i, "part": first[i]["part"], "first": first[i]["label"],
         "second": second[i]["label"], "note": second[i].get("note") or "",
         "sentence": first[i]["sentence"], "guide": str(i in in_guide)}
        for i in ids
    ]  # fmt: skip


def agreement(a: Sequence[str], b: Sequence[str]) -> dict[str, Any]:
    """n, rows labelled alike and kappa of two labellings."""
    alike = sum(x == y for x, y in zip(a, b, strict=True))
    return {"n": len(a), "agree": alike, "kappa": cohen_kappa(a, b)}


def one_vs_rest(move: str) -> Callable[[Sequence[str], Sequence[str]], float]:
    """Kappa of "is it ``move``?" between two labellings."""
    return lambda a, b: cohen_kappa([x == move for x in a], [y == move for y in b])


def by_group(a: Sequence[str], b: Sequence[str]) -> float:
    """Kappa over pressure / dialogue / other."""
    return cohen_kappa([group(x) for x in a], [group(y) for y in b])


def figures(rows: list[dict[str, str]]) -> dict[str, Any]:
    """Every figure of the report, as plain data."""
    a, b = [r["first"] for r in rows], [r["second"] for r in rows]
    pairs = list(zip(a, b, strict=True))
    two = [(group(x), group(y)) for x, y in pairs if "other" not in (group(x), group(y))]

    def subset(keep: Callable[[dict[str, str]], bool]) -> dict[str, Any]:
        kept = [r for r in rows if keep(r)]
        return agreement([r["first"] for r in kept], [r["second"] for r in kept])

    per_move = {
        m: {
            "first": a.count(m),
            "second": b.count(m),
            "both": sum(x == y == m for x, y in pairs),
            "kappa": one_vs_rest(m)(a, b),
            "ci": bootstrap(a, b, one_vs_rest(m)),
        }
        for m in MOVES
    }
    groups3 = agreement([group(x) for x in a], [group(y) for y in b])
    return {
        **agreement(a, b),
        "ci": bootstrap(a, b, cohen_kappa),
        "per_move": per_move,
        "confusion": {m: {k: pairs.count((m, k)) for k in MOVES} for m in MOVES},
        "groups3": {**groups3, "ci": bootstrap(a, b, by_group)},
        "groups2": agreement([x for x, _ in two], [y for _, y in two]),
        "random": subset(lambda r: r["part"] == "random"),
        "enriched": subset(lambda r: r["part"] == "enriched"),
        "not_in_guide": subset(lambda r: r["guide"] == "False"),
    }


def report(f: dict[str, Any]) -> str:
    """The figures as Markdown."""
    out = [
        f"{f['n']} sentences, {f['agree']} labelled alike ({f['agree'] / f['n']:.1%}); "
        f"Cohen's kappa, nine moves: **{f['kappa']:.3f}** "
        f"(95 % bootstrap {f['ci'][0]:.2f}-{f['ci'][1]:.2f})",
        "",
    ]
    names = {"random": "random part", "enriched": "enriched part",
             "not_in_guide": "without the guide's examples",
             "groups2": "pressure / dialogue, rows neither labeller called other"}  # fmt: skip
    g3 = f["groups3"]
    out.append(
        f"- pressure / dialogue / other (3 classes): n = {g3['n']}, alike {g3['agree']}, "
        f"kappa {g3['kappa']:.3f} (95 % {g3['ci'][0]:.2f}-{g3['ci'][1]:.2f})"
    )
    for key, name in names.items():
        s = f[key]
        out.append(f"- {name}: n = {s['n']}, alike {s['agree']}, kappa {s['kappa']:.3f}")
    out += ["", "| move | first | second | both | kappa (one vs rest) | 95 % bootstrap |",
            "|---|---|---|---|---|---|"]  # fmt: skip
    for m, r in f["per_move"].items():
        out.append(
            f"| {m} | {r['first']} | {r['second']} | {r['both']} | {r['kappa']:.3f} "
            f"| {r['ci'][0]:.2f}-{r['ci'][1]:.2f} |"
        )
    cm = f["confusion"]
    out += ["", "Confusion matrix: rows the first labels, columns the second.", "",
            "| first \\ second | " + " | ".join(m[:5] for m in MOVES) + " | all |",
            "|---" * (len(MOVES) + 2) + "|"]  # fmt: skip
    for m in MOVES:
        row = [cm[m][k] for k in MOVES]
        out.append(f"| {m} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    totals = [sum(cm[m][k] for m in MOVES) for k in MOVES]
    out.append("| all | " + " | ".join(map(str, totals)) + f" | {f['n']} |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--disagreements", action="store_true", help="list rows labelled apart")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    rows = load()
    if args.disagreements:
        for r in sorted(rows, key=lambda r: (r["first"], r["second"], r["id"])):
            if r["first"] != r["second"]:
                line = f"{r['first']} -> {r['second']}\t{r['id']}\t{r['sentence']}\t[{r['note']}]"
                print(line)  # noqa: T201
    elif args.json:
        print(json.dumps(figures(rows), indent=1))  # noqa: T201
    else:
        print(report(figures(rows)))  # noqa: T201


if __name__ == "__main__":
    main()
