"""Surface cues that sentence embeddings miss: modal demands, calls, threats, insults.

Each rule is a named regular expression over the text (English and Chinese patterns side by
side). :func:`rule_features` turns a text into a 0/1 vector, one entry per rule, which the
classifier reads *next to* the sentence embedding: the logistic regression learns how much
each cue moves each move's log-odds from the training examples, instead of the rule
overriding the model by hand. :func:`matched_rules` names the cues found, for explanations
and tests.

The patterns are written in lower case and matched against the lower-cased text, which is
twice as fast as ``re.IGNORECASE`` (the rules run on every statement and every sentence).
"""

from __future__ import annotations

import re
from typing import Final

import numpy as np
from numpy.typing import NDArray

# The second person or the other side as the one who has to act.
_ADDRESSEE = (
    r"(?:you|your (?:government|side|country|delegation|people)|the (?:government|authorities"
    r"|other side|other party|delegation|state|regime)|they|those responsible)"
)

RULES: Final[dict[str, re.Pattern[str]]] = {
    # demand: modal obligation put on the other side
    "must": re.compile(
        rf"\b{_ADDRESSEE}\s+(?:\w+\s+)?(?:must|have to|has to|need to|needs to|are required"
        rf"|is required|should immediately|owe)\b"
        r"|\bmust (?:immediately|at once|now|stop|end|release|repeal|allow|apologi[sz]e)"
        r"|(?:必须|务必|得把|得先|必需)",
    ),
    # demand: a formal call, urge or insistence
    "call_on": re.compile(
        r"\bwe\s+(?:strongly\s+|once again\s+|firmly\s+)?(?:demand|insist|urge|call (?:up)?on"
        r"|call for|require|expect \w+ to|request that|encourage (?:the|your|them|it)"
        r"|recommend that)\b"
        r"|(?:要求|敦促|呼吁|促请|强烈要求|坚决要求|责令|我们鼓励|鼓励(?:对方|该国|贵国|当局|政府))",
    ),
    # demand: a bare imperative at the start of a sentence
    "imperative": re.compile(
        r"(?:^|[.!;]\s+)(?:release|stop|give|hand over|hand|take (?:it|that|them) down|cancel"
        r"|open|fix|end|withdraw|repeal|close|let (?:them|those|him|her|the)|apologi[sz]e"
        r"|free|lift|remove|drop|leave)\b(?![^.!?]*\?)"
        r"|^(?:立即|立刻|马上|赶紧|赶快|把[^，。？]{1,12}(?:交出来|给我|删掉|取消|放了))",
    ),
    # pressure: a condition with a consequence, an ultimatum, a sanction
    "threat": re.compile(
        r"\b(?:unless|otherwise|or else|or we|or i|if (?:you|they|the \w+)\s+(?:do not|don't"
        r"|won't|will not|refuse|continue|keep)|either .{1,40} or)\b"
        r"|(?:除非|否则|不然|要么|要是不|如果不|若不|再这样)",
    ),
    "ultimatum": re.compile(
        r"\b(?:last chance|final offer|take it or leave it|last opportunity|no deal unless"
        r"|you(?:'ll| will) regret|you(?:'ll| will) be sorry|(?:our )?patience has limits"
        r"|bear (?:full )?responsibility for the consequences|you have until)\b"
        r"|(?:最后的机会|最后机会|最后的报价|爱要不要|会后悔|后果自负|一切后果|耐心是有限|玩火|自焚)",
    ),
    "sanction": re.compile(
        r"\b(?:sanction\w*|countermeasure\w*|retaliat\w*|boycott\w*|freeze\w* (?:the |their )?"
        r"assets|revoke\w*|suspend\w* (?:all )?(?:trade|talks|exchanges|cooperation)"
        r"|severe (?:costs|consequences)|forceful response|necessary measures)\b"
        r"|(?:制裁|反制|报复|抵制|冻结|吊销|中止|沉重代价|坚决回击|有力回击|必要措施)",
    ),
    # lecture: telling the other what it must think; superiority
    "lecture": re.compile(
        r"\b(?:should (?:finally )?learn|ought to|high time|time you|any (?:reasonable|decent"
        r"|civili[sz]ed|sensible) (?:person|people|country|nation)|every civili[sz]ed|common sense"
        r"|educate yourself|grow up|be ashamed|history will judge"
        r"|reflect (?:deeply )?on (?:its|your)"
        r"|learn (?:this|the) lesson|you clearly (?:never|don't)|you obviously|backwards)\b"
        r"|(?:好好学|应该学学|该学学|补补课|反省|常识|羞耻|历史将审判|奉劝|早就该|过时|落后|傲慢|知足吧"
        r"|正常人|理智的人|有良知)",
    ),
    # accuse: blame, attack on motives, name calling
    "accuse": re.compile(
        r"\b(?:lie|lies|lied|liar|liars|lying|hypocri\w+|smear\w*|propaganda|fabricat\w+|distort\w*"
        r"|bad faith|brainwash\w*|troll|idiot\w*|stupid|selfish|greedy|your fault|to blame"
        r"|responsible for the (?:deaths|breakdown|killing)|disinformation|tortur\w+|persecut\w+"
        r"|cold war mentality|double standards?|twisting)\b"
        r"|(?:撒谎|谎言|虚伪|伪君子|抹黑|造谣|捏造|歪曲|双重标准|冷战思维|洗脑|骗子|喷子|怪你|都怪|蠢|自私"
        r"|贪心|缺乏诚意|中饱私囊|折磨|挑起)",
    ),
    # inquire: a text that ends as a question, or a request to understand
    "question": re.compile(r"(?:[?？]|(?:吗|呢)[。！]?)[\s\"”')）]*$"),
    "understand_request": re.compile(
        r"\b(?:we would (?:like|welcome|appreciate|be grateful)|could (?:you|the delegation)"
        r"|can you tell|help us understand|we wish to understand|i'?m curious|tell me more"
        r"|how do (?:you|people)|what does .{1,40} mean)\b"
        r"|(?:想了解|希望了解|请问|能否|能不能|可否|想知道|很好奇|挺好奇|介绍一下|说说|讲讲)",
    ),
    # acknowledge: recognition of the other's view
    "recognise": re.compile(
        r"\b(?:we (?:recogni[sz]e|acknowledge|appreciate|understand|accept|take note|hear)"
        r"|i (?:understand|hear you|see why|admit|get it)|you(?:'re| are) right"
        r"|fair (?:point|enough)"
        r"|makes sense|if i understand|well taken|good point|sorry to hear)\b"
        r"|(?:我们承认|我方承认|我承认|我们理解|我能理解|我理解|有道理|说得对|说得很好|明白了|懂了"
        r"|如果我理解|听到了|赞赏|认可|很难过)",
    ),
    # bridge: joint action, common ground
    "together": re.compile(
        r"\b(?:together|jointly|joint|both (?:of us|sides|our|governments|peoples)|common ground"
        r"|in common|cooperat\w+|compromise|meet halfway|let'?s|let us|mutual\w*"
        r"|we (?:both|all) want"
        r"|how about|what if we|exchange\w*)\b"
        r"|(?:共同|一起|携手|合作|双方都|我们都|共识|共同点|互相|相互|折中|各退一步|交流|求同存异|互派)",
    ),
    # explain: reasons and experience from one's own side
    "own_reason": re.compile(
        r"\b(?:because|for (?:us|me)|in (?:my|our) (?:experience|view|tradition)|my (?:view|family"
        r"|concern)|our (?:view|position|approach|experience|history)|where i (?:grew up|live)"
        r"|the reason)\b"
        r"|(?:因为|对我们来说|对我来说|对我方而言|我们认为|我觉得|我的经历|我们的传统|我从小|原因)",
    ),
}

RULE_NAMES: Final[tuple[str, ...]] = tuple(RULES)


def matched_rules(text: str) -> list[str]:
    """The names of the rules that match ``text``, in :data:`RULE_NAMES` order.

    Examples
    --------
    >>> matched_rules("We call on the government to release them.")
    ['call_on']
    >>> matched_rules("如果不取消关税，我们将采取反制措施。")
    ['threat', 'sanction']
    """
    lowered = text.lower()
    return [name for name, pattern in RULES.items() if pattern.search(lowered)]


LOCAL_RULES: Final[tuple[bool, ...]] = tuple(
    name not in ("imperative", "question") for name in RULES
)
"""Rules without anchors or look-arounds: one that matches part of a text matches the text."""


def rule_features(
    texts: list[str], *, within: NDArray[np.float64] | None = None
) -> NDArray[np.float64]:
    """0/1 rule indicators.

    Parameters
    ----------
    texts : list of str of length n_texts
    within : ndarray of shape (n_texts, len(RULE_NAMES)), optional
        The features of a text that contains ``texts[i]`` (the statement a sentence comes
        from). A local rule (:data:`LOCAL_RULES`) that does not match there cannot match
        its part, and is not tried: the result is the same, in a fraction of the time.

    Returns
    -------
    features : ndarray of shape (n_texts, len(RULE_NAMES))
        ``features[i, j]`` is 1.0 when rule ``RULE_NAMES[j]`` matches ``texts[i]``.

    Examples
    --------
    >>> rule_features(["Stop it now."]).shape == (1, len(RULE_NAMES))
    True
    """
    out = np.zeros((len(texts), len(RULES)), dtype=np.float64)
    patterns = list(RULES.values())
    for i, text in enumerate(texts):
        lowered = text.lower()
        for j, pattern in enumerate(patterns):
            if within is not None and LOCAL_RULES[j] and not within[i, j]:
                continue
            if pattern.search(lowered):
                out[i, j] = 1.0
    return out
