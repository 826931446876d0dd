"""A question whose expected answer type the text never holds (a budget, a staff number, who
holds an office now, tomorrow's agenda): declined in one line, whatever its topic words match.
So is a request for the resolutions of an "it" that no earlier turn names."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from bot.languages.messages import messages
from bot.question.answer_type import NO_SUBJECT, UNHELD
from bot.search.found import Retrieval

if TYPE_CHECKING:
    from bot.compose.composer import Composer
    from bot.question.analysis import Analysis
    from bot.search.retriever import Retriever

KIND = "decline"
ANSWERS_WITHOUT_SOURCES = True  # "No: the programme text gives no staff numbers." is an answer
# Not an answer type: a typed item was asked and no sentence holds one.
NOT_IN_TEXT = "not_in_text"
# A yes/no question about the text itself ("Does the programme give the number of staff?"):
# "No" answers it; it is not declined.
_ABOUT_THE_TEXT = re.compile(
    r"^\s*(?:does|do|did|is|are|will|can)\s+(?:the\s+)?(?:programme|program|text|plan|document|"
    r"programme text|budget document|narrative)\b[^?]{0,60}?\b(?:say|says|give|gives|state|states|"
    r"mention|mentions|list|lists|include|includes|specify|specifies|show|shows|tell|contain|"
    r"contains|provide|provides|cover|covers|have|has|set out|name|names)\b"
    r"|^\s*(?:方案|文本|本方案|方案文本)(?:里|中)?(?:有没有|是否)(?:提到|说明|列出|给出|写明|规定)",
    re.IGNORECASE,
)


def declined(a: Analysis, why: str | None) -> Retrieval:
    return Retrieval(a.question, a.language, KIND, abstained=True, decline_reason=why)


def about_the_text(a: Analysis) -> bool:
    return bool(_ABOUT_THE_TEXT.search(a.question))


def retrieve(a: Analysis, r: Retriever, top_k: int) -> Retrieval | None:
    # Not every resolution "on this" when there is no "this"; but "Gibraltar — any mandate for
    # it?" names what "it" stands for, a word only a resolution's title holds.
    if a.mandates_of_nothing and not r.named_by_rare_words(a):
        return declined(a, NO_SUBJECT)
    if a.answer_type not in UNHELD or a.paragraph:
        # "那2.5段呢？讲的啥": a question naming a paragraph asks what the text says there.
        return None
    if a.wants_mandates and not a.symbols and (a.title_names or r.named_by_rare_words(a)):
        # "Y a-t-il une résolution sur l'embargo contre Cuba ?": a resolution's title holds
        # what it asks about, whatever else its words read as (a vote, a later event).
        return None
    result = declined(a, a.answer_type)
    if about_the_text(a):
        result.abstained = False  # answered: "No: the programme text gives no…"
    return result


def values(result: Retrieval, c: Composer) -> dict[str, Any]:
    say = messages(result.language)
    key = f"decline.reason.{result.decline_reason}"
    why = say(key) if key in say else say("decline.reason.other")
    if not result.abstained:
        why = say("decline.no", reason=why[:1].lower() + why[1:])
    return {"reason": why}
