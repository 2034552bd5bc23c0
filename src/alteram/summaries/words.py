"""The words of an offline summary, in English and Chinese.

Every phrase about a side comes from the same template whichever side it is (so both
sides are spoken of alike); a side is named by its members, "participants from China",
"中国参与者". Counts agree in number ("one concern", "2 concerns", never "1 people").
"""

from __future__ import annotations

import math
from collections.abc import Sequence

LANGUAGES = ("en", "zh")


def language_for(lang: str | None) -> str:
    """The summary language for a reader's language: Chinese for zh*, else English."""
    return "zh" if lang and lang.lower().startswith("zh") else "en"


def whole(x: float) -> int:
    """``x`` rounded half up, as every summary writes its numbers (72.5 -> 73)."""
    return math.floor(x + 0.5)


TITLES = {
    "en": {
        "agree": "What both sides agree on",
        "differ": "Where they differ most",
        "perception": "How well each side knows the other",
        "understanding": "Definitions, restatements and concerns",
        "history": "Compared with earlier rounds",
        "balance": "Balance",
    },
    "zh": {
        "agree": "双方的共识",
        "differ": "分歧最大之处",
        "perception": "双方对彼此的了解",
        "understanding": "定义、转述与关切",
        "history": "与之前轮次相比",
        "balance": "平衡",
    },
}

T: dict[str, dict[str, str]] = {
    "en": {
        "side": "participants from {side}",
        "share": "{pct} of {side} agree",
        "share_counts": " ({agree} of {votes})",
        "agree_none": "No statement is agreed by most participants on every side yet.",
        "agree_count_one": "One statement is agreed by most participants on every side.",
        "agree_count": "{n} statements are agreed by most participants on every side.",
        "agree_first": "The broadest agreement is on “{q}”, written by {author}: {shares}.",
        "agree_next": "There is also agreement on “{q}”, written by {author}: {shares}.",
        "differ_none": "No statement divides the sides clearly yet.",
        "differ_first": "The sides differ most on “{q}”, written by {author}: {shares}.",
        "differ_next": "They also differ on “{q}”, written by {author}: {shares}.",
        "gap": "On average, {a} misjudged the share of {b} who agree by {gap}.",
        "gap_less": "That is {d} less than in round {r}.",
        "gap_more": "That is {d} more than in round {r}.",
        "gap_same": "That is the same as in round {r}.",
        "gap_largest": "The largest misjudgement is on “{q}”: {a} thought {pred} of {b} "
        "agree; in fact {act} do.",
        "gap_nodata": "There is not enough data yet to say how well {a} know the views of {b}.",
        "gap_none": "Nobody has predicted the other side's votes yet.",
        "concepts_none": "This round has no concept to define.",
        "concepts_one": "This round has one concept to define: {items}.",
        "concepts": "This round has {n} concepts to define: {items}.",
        "defined_it": "{side} defined it",
        "defined_not_it": "{side} have not defined it yet",
        "defined_k": "{side} defined {k} of them",
        "defined_none": "{side} have defined none yet",
        "fair": "Restatements written by {side} were rated fair in {pct} of {ratings}.",
        "unrated": "{side} wrote {restatements}; none has been rated yet.",
        "no_restatements": "No side has restated another side's definition yet.",
        "concerns_none": "No concerns have been raised yet.",
        "concerns_one": "So far one concern has been raised, by {side}.",
        "concerns_all": "So far {n} concerns have been raised, all by {side}.",
        "concerns": "So far {n} concerns have been raised: {items}.",
        "concerns_by": "{k} by {side}",
        "concerns_state": "Of these, {understood} and {open}.",
        "first_round": "This is the first round, so nothing repeats earlier rounds.",
        "ritual": "{pct} of this round's statements repeat what earlier rounds already said.",
        "ritual_before": "{pct} of this round's statements repeat what earlier rounds already "
        "said, against {before} in round {r}.",
        "ritual_unmeasured": "The ritual index was not measured for this round.",
        "dialogue": "Of the statements by {side}, {pct} explain, ask, acknowledge or build "
        "bridges rather than press.",
        "dialogue_before": "Of the statements by {side}, {pct} explain, ask, acknowledge or "
        "build bridges rather than press, against {before} in round {r}.",
        "balance": "This summary quotes {a} {n_a} and {b} {n_b}: among the statements the "
        "analysis ranks highest, no more come from {b}.",
        "and": " and ",
        "comma": ", ",
    },
    "zh": {
        "side": "{side}参与者",
        "share": "{side}中有{pct}同意",
        "share_counts": "（{votes}人中{agree}人）",
        "agree_none": "目前还没有一条陈述得到各方多数参与者的认同。",
        "agree_count_one": "有一条陈述得到了各方多数参与者的认同。",
        "agree_count": "有{n}条陈述得到了各方多数参与者的认同。",
        "agree_first": "共识最广的是{author}提出的“{q}”：{shares}。",
        "agree_next": "{author}提出的“{q}”也得到了认同：{shares}。",
        "differ_none": "目前还没有明显区分各方的陈述。",
        "differ_first": "分歧最大的是{author}提出的“{q}”：{shares}。",
        "differ_next": "{author}提出的“{q}”也存在分歧：{shares}。",
        "gap": "平均而言，{a}对{b}中同意者比例的判断偏差为{gap}。",
        "gap_less": "比第{r}轮缩小了{d}。",
        "gap_more": "比第{r}轮扩大了{d}。",
        "gap_same": "与第{r}轮相同。",
        "gap_largest": "判断偏差最大的是“{q}”：{a}以为{b}中有{pred}同意，实际上是{act}。",
        "gap_nodata": "目前数据还不足以判断{a}对{b}的看法了解多少。",
        "gap_none": "还没有人预测过另一方的投票。",
        "concepts_none": "本轮没有需要定义的概念。",
        "concepts_one": "本轮有一个需要定义的概念：{items}。",
        "concepts": "本轮有{n}个需要定义的概念：{items}。",
        "defined_it": "{side}已作出定义",
        "defined_not_it": "{side}尚未定义",
        "defined_k": "{side}定义了其中{k}个",
        "defined_none": "{side}尚未定义任何一个",
        "fair": "{side}所写的转述在{ratings}中有{pct}被评为公正。",
        "unrated": "{side}写了{restatements}，尚无评价。",
        "no_restatements": "还没有一方转述过另一方的定义。",
        "concerns_none": "还没有人提出关切。",
        "concerns_one": "目前共提出了一项关切，由{side}提出。",
        "concerns_all": "目前共提出了{n}项关切，均由{side}提出。",
        "concerns": "目前共提出了{n}项关切：{items}。",
        "concerns_by": "{side}提出{k}项",
        "concerns_state": "其中{understood}，{open}。",
        "first_round": "这是第一轮，因此没有重复之前轮次的内容。",
        "ritual": "本轮有{pct}的陈述重复了之前轮次已说过的内容。",
        "ritual_before": "本轮有{pct}的陈述重复了之前轮次已说过的内容，第{r}轮为{before}。",
        "ritual_unmeasured": "本轮未测量仪式化指数。",
        "dialogue": "{side}的陈述中有{pct}是在解释、提问、承认或搭桥，而非施压。",
        "dialogue_before": "{side}的陈述中有{pct}是在解释、提问、承认或搭桥，而非施压，"
        "第{r}轮为{before}。",
        "balance": "本摘要引用{a}的陈述{n_a}，引用{b}的陈述{n_b}：在分析排名最高的陈述中，"
        "来自{b}的没有更多了。",
        "and": "，",
        "comma": "，",
    },
}


def pct(lang: str, value: float) -> str:
    """A percentage as written: "72 %" (the project's English style), "72%"."""
    return f"{whole(value)}%" if lang == "zh" else f"{whole(value)} %"


def points(lang: str, value: float) -> str:
    """Percentage points: "1 point", "18 points", "18个百分点"."""
    n = whole(value)
    if lang == "zh":
        return f"{n}个百分点"
    return "1 point" if n == 1 else f"{n} points"


def count(lang: str, n: int, one: str, many: str, zh_unit: str) -> str:
    """A count with its noun: "one rating", "3 ratings", "3次评价" (``zh_unit`` e.g. "次评价")."""
    if lang == "zh":
        return f"{n}{zh_unit}"
    return f"one {one}" if n == 1 else f"{n} {many}"


def times(lang: str, n: int) -> str:
    """How often: "once", "twice", "3 times", "3次"."""
    if lang == "zh":
        return f"{n}次"
    return {0: "no times", 1: "once", 2: "twice"}.get(n, f"{n} times")


def understood(lang: str, n: int) -> str:
    if lang == "zh":
        return f"{n}项已被各方理解"
    if n == 0:
        return "none is understood by every side yet"
    return "one is understood by every side" if n == 1 else f"{n} are understood by every side"


def still_open(lang: str, n: int) -> str:
    if lang == "zh":
        return f"{n}项仍未解决"
    if n == 0:
        return "none is still open"
    return "one is still open" if n == 1 else f"{n} are still open"


def join(lang: str, items: Sequence[str]) -> str:
    """Items as a list in prose: "a and b", "a, b and c", "a，b，c"."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    t = T[lang]
    return t["comma"].join(items[:-1]) + t["and"] + items[-1]


def side(lang: str, name: str) -> str:
    """A side named by its members: "participants from China", "中国参与者"."""
    return T[lang]["side"].format(side=name)


def first_upper(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
