"""Clear examples of each move in both languages, written for the tests.

None of them is in the training files (``training/moves/examples_*.tsv``);
``test_classify.py`` checks that.
"""

from __future__ import annotations

CASES: list[tuple[str, str]] = [
    # explain
    ("explain", "Our delegation puts the right to education first, because our country had "
     "millions of illiterate adults only forty years ago."),
    ("explain", "I grew up in a mining town, so for me the right to a safe job matters most."),
    ("explain", "我国重视集体利益，是因为我们经历过长期的动荡和贫困。"),
    ("explain", "我是做小生意的，对我来说最重要的是规则稳定、可以预期。"),
    # inquire
    ("inquire", "Could the delegation tell us how ordinary citizens in your country view the "
     "death penalty?"),
    ("inquire", "What does a fair trial look like to you?"),
    ("inquire", "请问贵方如何看待网络言论自由与社会秩序之间的关系？"),
    ("inquire", "你们那边的人怎么看待政府的作用？"),
    # acknowledge
    ("acknowledge", "We recognise that your government has expanded access to health care "
     "for hundreds of millions of people."),
    ("acknowledge", "I see your point now; for your family it was about security, not money."),
    ("acknowledge", "我们理解贵方对外部干涉的担忧，这与你们的历史有关。"),
    ("acknowledge", "你说得有道理，我之前确实没考虑到这一点。"),
    # bridge
    ("bridge", "We propose that our two countries hold a joint seminar on the rights of "
     "the elderly, so that each side can learn from the other."),
    ("bridge", "We both want our kids to grow up safe, so let's start there."),
    ("bridge", "我们建议双方在扶贫领域开展联合研究，相互借鉴经验。"),
    ("bridge", "要不我们一起找找彼此都能接受的办法？"),
    # demand
    ("demand", "We demand that the authorities release the journalists immediately."),
    ("demand", "You have to delete that post right now."),
    ("demand", "我们强烈要求对方立即撤回这份报告。"),
    ("demand", "你必须马上把东西还给我。"),
    # pressure
    ("pressure", "If the detainees are not freed by Friday, we will impose sanctions on the "
     "officials responsible."),
    ("pressure", "Agree to my terms or the deal is off."),
    ("pressure", "如果对方一意孤行，我们将采取坚决的反制措施。"),
    ("pressure", "你不答应的话，我们就不再合作了。"),
    # lecture
    ("lecture", "Any civilised country would have abolished these practices long ago; it is "
     "time your government learned that."),
    ("lecture", "You really need to educate yourself before you talk about this."),
    ("lecture", "某些国家应当好好反省自己，而不是对别人指手画脚。"),
    ("lecture", "有点常识的人都知道你这种想法是错的。"),
    # accuse
    ("accuse", "The other side is spreading lies to cover up its own crimes."),
    ("accuse", "You're a hypocrite and everyone knows it."),
    ("accuse", "对方散布谎言，恶意抹黑我国。"),
    ("accuse", "你就是个骗子，一直在撒谎。"),
    # other
    ("other", "The meeting will resume at three o'clock."),
    ("other", "Hello everyone, good afternoon."),
    ("other", "会议将于下午三点继续。"),
    ("other", "大家下午好。"),
]  # fmt: skip
