"""A question whose expected answer type the text never holds (a budget, a staff number, who
holds an office now, tomorrow's agenda): declined in one line, whatever its topic words match."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.answer_type import UNHELD, reason
from bot.found import Retrieval

if TYPE_CHECKING:
    from bot.analysis import Analysis
    from bot.compose import Composer
    from bot.retrieval import Retriever

KIND = "decline"
# Not an answer type: a typed item was asked and no sentence holds one.
NOT_IN_TEXT = "not_in_text"


def declined(a: Analysis, why: str | None) -> Retrieval:
    return Retrieval(a.question, a.language, KIND, abstained=True, decline_reason=why)


def retrieve(a: Analysis, r: Retriever, top_k: int) -> Retrieval | None:
    return declined(a, a.answer_type) if a.answer_type in UNHELD else None


def values(result: Retrieval, c: Composer) -> dict[str, Any]:
    return {"reason": reason(result.decline_reason, result.language)}
