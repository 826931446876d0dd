"""Follow-ups: read a question in the context of the conversation's previous answer.

The terminal chat and Slack threads both pass the previous Answer; this decides whether the new
question leans on it ("and its indicators?", "which resolutions mandate that?", "那它的指标呢？")
and what it inherits: the subprogramme, or the resolution, the previous answer was about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answer import Answer
from bot.symbols import Symbol, find_symbols, parse_symbol

# Words that point back at the previous turn, or openings that continue it.
_ANAPHORA = re.compile(
    r"^(and|also|what about|how about|then|so|ok|okay)\b"
    r"|\b(its|it|that|this|those|these|they|them|their|there|same|above)\b"
    r"|它|其|该|这个|那个|这些|那些|上述|^那|^还有|^那么",
    re.IGNORECASE,
)
_SHORT = 40  # characters: a question this short rarely stands on its own


@dataclass(frozen=True)
class Context:
    question: str  # the previous question
    subprogramme: int | None  # what the previous answer was about
    symbol: Symbol | None  # the resolution, when the previous turn looked one up


def follow_up_context(question: str, previous: Answer | None) -> Context | None:
    """The context a follow-up inherits, or None when the question stands on its own."""
    if previous is None or previous.abstained:
        return None
    if not (_ANAPHORA.search(question) or len(question) <= _SHORT):
        return None
    subprogramme = next((s.subprogramme for s in previous.sources if s.subprogramme), None)
    if subprogramme is None and previous.mandates and len(previous.mandates[0].subprogrammes) == 1:
        subprogramme = previous.mandates[0].subprogrammes[0]
    symbol = None
    if previous.mandates and _ANAPHORA.search(question) and _is_lookup(previous):
        symbol = parse_symbol(previous.mandates[0].symbol)
    return Context(previous.question, subprogramme, symbol)


def _is_lookup(previous: Answer) -> bool:
    """The previous question named one resolution (its answer leads with that mandate)."""
    return len(find_symbols(previous.question)) == 1
