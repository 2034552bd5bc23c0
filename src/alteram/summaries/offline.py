"""The offline summary: a round told from its stored analysis alone, deterministically.

:func:`write_summary` takes :class:`~alteram.summaries.facts.RoundFacts` (plain data) and a
language and returns a :class:`~alteram.summaries.model.Summary` whose every sentence names
the statements it quotes or rests on and the figures it states. The statements quoted are
the analysis's: its common ground and differences in rank order, each pair's largest
misperception; beyond the first of each list, the side quoted least so far goes first.
"""

from __future__ import annotations

from alteram.summaries import words as w
from alteram.summaries.balance import check_balance, unbalanced
from alteram.summaries.facts import RoundFacts, StatementFacts
from alteram.summaries.model import Figure, Sentence, Summary

QUOTES_PER_SECTION = 2
MAX_QUOTES_PER_SECTION = 3
POOL = 8  # statements of each list the summary may quote from


def quoted(text: str) -> str:
    """A statement as quoted inside a sentence: its closing full stop dropped."""
    text = text.strip()
    return text[:-1].rstrip() if text.endswith((".", "。")) and len(text) > 1 else text


class _Writer:
    def __init__(self, facts: RoundFacts, lang: str) -> None:
        self.f = facts
        self.lang = w.language_for(lang)
        self.t = w.T[self.lang]
        self.out: list[Sentence] = []
        self.quoted: dict[int | None, int] = {s.id: 0 for s in facts.sides}

    def side(self, side_id: int | None) -> str:
        return w.side(self.lang, self.f.side_name(side_id))

    def say(
        self,
        section: str,
        key: str,
        *,
        statements: tuple[int, ...] = (),
        quoted: tuple[int, ...] = (),
        figures: tuple[Figure, ...] = (),
        **kw: object,
    ) -> None:
        text = w.first_upper(self.t[key].format(**kw))
        self.out.append(Sentence(section, text, statements, quoted, figures))

    def pct(self, v: float) -> str:
        return w.pct(self.lang, v)

    # -- statements with shares ---------------------------------------------------------
    def shares(self, s: StatementFacts) -> tuple[str, tuple[Figure, ...]]:
        parts, figures = [], []
        for side in self.f.sides:
            v = s.agree.get(side.id)
            if v is None:
                continue
            shown = self.pct(v)
            part = self.t["share"].format(pct=shown, side=self.side(side.id))
            if side.id in s.counts:  # the share with its counts, as every page shows it
                agree, votes = s.counts[side.id]
                part += self.t["share_counts"].format(agree=agree, votes=votes)
            parts.append(part)
            figures.append(Figure("agree_percent", float(v), side.name, s.id, shown))
        return w.join(self.lang, parts), tuple(figures)

    def pick(self, pool: list[StatementFacts], want: int) -> list[StatementFacts]:
        """The top statement, then the best-ranked of the side quoted least so far."""
        chosen: list[StatementFacts] = []
        rest = list(pool)
        while rest and len(chosen) < want:
            if not chosen:
                best = rest[0]
            else:
                least = min(self.quoted.get(s.side_id, 0) for s in rest)
                best = next(s for s in rest if self.quoted.get(s.side_id, 0) == least)
            rest.remove(best)
            chosen.append(best)
            self.quoted[best.side_id] = self.quoted.get(best.side_id, 0) + 1
        return chosen

    def quote_list(self, section: str, chosen: list[StatementFacts], first: str, nxt: str) -> None:
        for n, s in enumerate(chosen):
            shares, figures = self.shares(s)
            self.say(
                section,
                first if n == 0 else nxt,
                statements=(s.id,),
                quoted=(s.id,),
                figures=figures,
                q=quoted(s.text),
                author=self.side(s.side_id),
                shares=shares,
            )

    # -- sections ---------------------------------------------------------------------
    def perception(self) -> None:
        f = self.f
        if not f.gaps:
            self.say("perception", "gap_none")
        for g in f.gaps:
            a, b = self.side(g.predicting), self.side(g.predicted)
            an, bn = f.side_name(g.predicting), f.side_name(g.predicted)
            if not g.enough_data or g.gap is None:
                self.say("perception", "gap_nodata", a=a, b=b)
                continue
            shown = w.points(self.lang, g.gap)
            self.say(
                "perception",
                "gap",
                a=a,
                b=b,
                gap=shown,
                figures=(Figure("gap_points", g.gap, an, None, shown, bn),),
            )
            if g.before is not None and f.previous_number is not None:
                d = w.whole(g.gap) - w.whole(g.before)
                fig = (
                    Figure(
                        "gap_points_before", g.before, an, None, w.points(self.lang, g.before), bn
                    ),
                    Figure(
                        "gap_change_points", float(d), an, None, w.points(self.lang, abs(d)), bn
                    ),
                )
                key = "gap_same" if d == 0 else ("gap_less" if d < 0 else "gap_more")
                self.say(
                    "perception",
                    key,
                    figures=fig,
                    d=w.points(self.lang, abs(d)),
                    r=f.previous_number,
                )
            m = g.largest
            if m is not None:
                s = m.statement
                figs = (
                    Figure("predicted_percent", m.predicted, an, s.id, self.pct(m.predicted), bn),
                    Figure("agree_percent", m.actual, bn, s.id, self.pct(m.actual)),
                )
                self.say(
                    "perception",
                    "gap_largest",
                    statements=(s.id,),
                    quoted=(s.id,),
                    figures=figs,
                    q=quoted(s.text),
                    a=a,
                    b=b,
                    pred=self.pct(m.predicted),
                    act=self.pct(m.actual),
                )

    def understanding(self) -> None:
        f, lang = self.f, self.lang
        c = f.concepts
        if c is not None:
            if c.concepts == 0:
                self.say("understanding", "concepts_none")
            else:
                items, figs = [], [Figure("concepts", c.concepts, None, None, str(c.concepts))]
                for s in f.sides:
                    k = c.defined.get(s.id, 0)
                    figs.append(Figure("defined", k, s.name, None, str(k)))
                    if c.concepts == 1:
                        key = "defined_it" if k else "defined_not_it"
                    else:
                        key = "defined_k" if k else "defined_none"
                    items.append(self.t[key].format(side=self.side(s.id), k=k))
                self.say(
                    "understanding",
                    "concepts_one" if c.concepts == 1 else "concepts",
                    figures=tuple(figs),
                    n=c.concepts,
                    items=w.join(lang, items),
                )
                wrote = False
                for s in f.sides:
                    n, r, fair = (
                        c.restatements.get(s.id, 0),
                        c.ratings.get(s.id, 0),
                        c.fair.get(s.id, 0),
                    )
                    if not n:
                        continue
                    wrote = True
                    if r:
                        shown = self.pct(100 * fair / r)
                        self.say(
                            "understanding",
                            "fair",
                            side=self.side(s.id),
                            pct=shown,
                            ratings=w.count(lang, r, "rating", "ratings", "次评价"),
                            figures=(
                                Figure("fair_percent", 100 * fair / r, s.name, None, shown),
                                Figure("ratings", r, s.name, None, str(r)),
                            ),
                        )
                    else:
                        self.say(
                            "understanding",
                            "unrated",
                            side=self.side(s.id),
                            restatements=w.count(lang, n, "restatement", "restatements", "条转述"),
                            figures=(Figure("restatements", n, s.name, None, str(n)),),
                        )
                if not wrote:
                    self.say("understanding", "no_restatements")
        cf = f.concerns
        if cf is not None:
            raised = {s.id: cf.raised.get(s.id, 0) for s in f.sides}
            total = sum(raised.values())
            said = (
                Figure("concerns_total", total, None, None, str(total)),
                *(Figure("concerns", v, f.side_name(i), None, str(v)) for i, v in raised.items()),
            )
            by = [i for i, v in raised.items() if v]
            if total == 0:
                self.say("understanding", "concerns_none")
            else:
                if total == 1:
                    self.say("understanding", "concerns_one", side=self.side(by[0]), figures=said)
                elif len(by) == 1:
                    self.say(
                        "understanding",
                        "concerns_all",
                        n=total,
                        side=self.side(by[0]),
                        figures=said,
                    )
                else:
                    items = [
                        self.t["concerns_by"].format(k=raised[i], side=self.side(i)) for i in by
                    ]
                    self.say(
                        "understanding",
                        "concerns",
                        n=total,
                        items=w.join(lang, items),
                        figures=said,
                    )
                self.say(
                    "understanding",
                    "concerns_state",
                    understood=w.understood(lang, cf.understood),
                    open=w.still_open(lang, cf.open),
                    figures=(
                        Figure("understood", cf.understood, None, None, str(cf.understood)),
                        Figure("open", cf.open, None, None, str(cf.open)),
                    ),
                )

    def history(self) -> None:
        f = self.f
        if f.ritual_first_round:
            self.say("history", "first_round")
        elif f.ritual is None:
            self.say("history", "ritual_unmeasured")
        else:
            figs = [Figure("ritual_percent", f.ritual, None, None, self.pct(f.ritual))]
            if f.previous_ritual is not None and f.previous_number is not None:
                figs.append(
                    Figure(
                        "ritual_percent_before",
                        f.previous_ritual,
                        None,
                        None,
                        self.pct(f.previous_ritual),
                    )
                )
                self.say(
                    "history",
                    "ritual_before",
                    figures=tuple(figs),
                    pct=self.pct(f.ritual),
                    before=self.pct(f.previous_ritual),
                    r=f.previous_number,
                )
            else:
                self.say("history", "ritual", figures=tuple(figs), pct=self.pct(f.ritual))
        for s in f.sides:
            v = f.dialogue_share.get(s.id)
            if v is None:
                continue
            figs = [Figure("dialogue_share_percent", v, s.name, None, self.pct(v))]
            b = f.previous_dialogue_share.get(s.id)
            if b is not None and f.previous_number is not None:
                figs.append(Figure("dialogue_share_percent_before", b, s.name, None, self.pct(b)))
                self.say(
                    "history",
                    "dialogue_before",
                    figures=tuple(figs),
                    side=self.side(s.id),
                    pct=self.pct(v),
                    before=self.pct(b),
                    r=f.previous_number,
                )
            else:
                self.say(
                    "history",
                    "dialogue",
                    figures=tuple(figs),
                    side=self.side(s.id),
                    pct=self.pct(v),
                )

    def write(self) -> Summary:
        f = self.f
        # The largest misperceptions are the data's: counted first, so the other quotes
        # can balance them.
        for g in f.gaps:
            if g.enough_data and g.gap is not None and g.largest is not None:
                sid = g.largest.statement.side_id
                self.quoted[sid] = self.quoted.get(sid, 0) + 1
        common, divisive = f.common_ground[:POOL], f.divisive[:POOL]
        agree = self.pick(common, QUOTES_PER_SECTION)
        differ = self.pick(divisive, QUOTES_PER_SECTION)
        # Still unbalanced? Quote one more of the side quoted least, where there is one.
        for chosen, pool in ((agree, common), (differ, divisive)):
            counts = {f.side_name(k): v for k, v in self.quoted.items() if k is not None}
            found = unbalanced(counts)
            if found and len(chosen) < MAX_QUOTES_PER_SECTION:
                least = next(s.id for s in f.sides if s.name == found[1])
                extra = [s for s in pool if s not in chosen and s.side_id == least]
                if extra:
                    chosen.append(extra[0])
                    self.quoted[least] = self.quoted.get(least, 0) + 1
        if common:
            n = f.common_ground_count or len(f.common_ground)
            self.say(
                "agree",
                "agree_count_one" if n == 1 else "agree_count",
                n=n,
                figures=(Figure("common_ground", n, None, None, str(n)),),
            )
            self.quote_list("agree", agree, "agree_first", "agree_next")
        else:
            self.say("agree", "agree_none")
        if divisive:
            self.quote_list("differ", differ, "differ_first", "differ_next")
        else:
            self.say("differ", "differ_none")
        self.perception()
        self.understanding()
        self.history()
        return self.finish()

    def finish(self) -> Summary:
        f = self.f
        side_of = {
            i: (f.side_name(s.side_id) if s.side_id is not None else None)
            for i, s in f.statements().items()
        }
        pool = [s.id for s in [*f.common_ground[:POOL], *f.divisive[:POOL]]]
        pool += [
            g.largest.statement.id
            for g in f.gaps
            if g.largest is not None and g.enough_data and g.gap is not None
        ]
        names = [s.name for s in f.sides]
        balance = check_balance(self.out, side_of, names, pool)
        if balance.explained:
            found = unbalanced(balance.quoted)
            assert found is not None
            a, b = found
            self.say(
                "balance",
                "balance",
                a=w.side(self.lang, a),
                b=w.side(self.lang, b),
                n_a=w.times(self.lang, balance.quoted[a]),
                n_b=w.times(self.lang, balance.quoted[b]),
                figures=(
                    Figure("quoted", balance.quoted[a], a, None, str(balance.quoted[a])),
                    Figure("quoted", balance.quoted[b], b, None, str(balance.quoted[b])),
                ),
            )
        return Summary(self.lang, self.out, balance, "offline", dict(w.TITLES[self.lang]))


def write_summary(facts: RoundFacts, lang: str) -> Summary:
    """The offline summary of a round in ``lang`` ("en" or "zh"; other languages: English)."""
    return _Writer(facts, lang).write()
