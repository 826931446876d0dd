"""What retrieval found for one question (or one part of it): the records, sentences and
mandates that answer it, or the reason it is declined. Handlers (bot.routes) fill it; the
composer renders it; nothing here formats."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.languages.symbols import Symbol
from bot.records.model import Mandate, Passage

if TYPE_CHECKING:
    from bot.question.analysis import Analysis
    from bot.search.evidence import Evidence


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float


@dataclass
class Retrieval:
    question: str
    language: str
    intent: str  # the route that answered: its KIND names the template
    hits: list[Hit] = field(default_factory=list)
    mandates: list[Mandate] = field(default_factory=list)
    abstained: bool = False
    missing_symbols: list[Symbol] = field(default_factory=list)
    focus_subprogrammes: list[int] = field(default_factory=list)
    evidence: dict[str, float] = field(default_factory=dict)
    answer_type: str | None = None
    lead: list[Evidence] = field(default_factory=list)  # sentences that answer, best first
    decline_reason: str | None = None  # an answer type the text never holds, or NOT_IN_TEXT
    detail: Any = None  # what only its route's template needs (a structured list, a card…)
    analysis: Analysis | None = None  # the question as analysed, carried to the composer
    parts: list[Retrieval] = field(default_factory=list)  # one per part, when several
    # The list the answer is about, before any filter, and the filters applied to it.
    scope_symbols: list[str] = field(default_factory=list)
    scope_filters: dict[str, Any] = field(default_factory=dict)
