"""The balance check: is each side's material quoted in equal measure where the data allows?

A summary is *unbalanced* when it quotes one side at least twice as often as another and
by at least two quotes (one quote of difference is the least an odd number of quotes can
have). An unbalanced summary is *explained* when the side quoted less has nothing more
among the statements the analysis ranks highest (so the data, not the writer, made it
so), and *flagged* otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from alteram.summaries.model import Balance, Sentence


def unbalanced(counts: Mapping[str, int]) -> tuple[str, str] | None:
    """(most quoted, least quoted) when the quotes are unbalanced, else None."""
    if len(counts) < 2:
        return None
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    (most, hi), (least, lo) = ordered[0], ordered[-1]
    if hi >= 2 * lo and hi - lo >= 2:
        return most, least
    return None


def check_balance(
    sentences: Iterable[Sentence],
    side_of: Mapping[int, str | None],
    sides: Iterable[str],
    available: Iterable[int],
) -> Balance:
    """Count each side's quoted statements (distinct) and judge the balance.

    ``side_of`` maps statement ids to their side's name; ``available`` lists the statements
    the summary could have quoted (the analysis's common ground, differences and largest
    misperceptions).
    """
    names = list(sides)
    quoted_ids = list(dict.fromkeys(i for s in sentences for i in s.quoted))
    quoted = {n: 0 for n in names}
    for i in quoted_ids:
        name = side_of.get(i)
        if name in quoted:
            quoted[name] += 1
    pool = {n: 0 for n in names}
    for i in dict.fromkeys(available):
        name = side_of.get(i)
        if name in pool:
            pool[name] += 1
    found = unbalanced(quoted)
    if found is None:
        return Balance(quoted, pool, True, False, False)
    _, least = found
    explained = quoted[least] >= pool[least]
    return Balance(quoted, pool, False, explained, not explained)
