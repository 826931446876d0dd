"""From a question to what answers it: each part of the question analysed (bot.question), then
the first route of the table (bot.routes) whose handler answers it.

    analysis (once per part) → first route whose handler answers → Retrieval

Routes, in order: a filter on the previous list · lookup by symbol · a name the programme never
mentions · an answer type it never holds · a newcomer's unit card · a unit's duties · a part of
the structure · the resolutions for a topic · a fact or passage.
"""

from __future__ import annotations

from dataclasses import replace
from types import ModuleType

from bot.answer import Answer
from bot.languages.text import sanitize
from bot.question import facets
from bot.question.analysis import Analysis
from bot.question.parts import asks
from bot.routes import ROUTES, routes_for
from bot.routes import card as card_route
from bot.search.found import Retrieval
from bot.search.retriever import Retriever


class Router:
    def __init__(self, retriever: Retriever, routes: tuple[ModuleType, ...] = ROUTES) -> None:
        self.retriever = retriever
        self.routes = routes

    def search(
        self,
        question: str,
        top_k: int = 5,
        want_mandates: bool = False,
        previous: Answer | None = None,
    ) -> Retrieval:
        """What answers a question; `want_mandates` treats it as a mandate query.

        `previous` is the conversation's last answer: a follow-up ("and its indicators?",
        "what about subprogramme 5?", "the fourth one", "which of them are SC resolutions?")
        is read in its context. A question in several parts gets one Retrieval per part.
        """
        analyses = self.retriever.analyser.read(question, previous, want_mandates)
        results = _not_on_the_card(
            _asked_after_saying_who([self.route(a, top_k) for a in analyses])
        )
        if len(results) == 1:
            if len(analyses) > 1:  # one answer for every part: the question is echoed whole
                results[0].question = sanitize(question)
            return results[0]
        first = analyses[0]
        return Retrieval(
            sanitize(question),
            first.language,
            "parts",
            abstained=all(r.abstained for r in results),
            parts=results,
            evidence=results[0].evidence,
        )

    def route(self, a: Analysis, top_k: int) -> Retrieval:
        """The first handler of the route table that answers the analysed question: those of
        its facet (`routes_for`), unless the router was given its own table."""
        table = routes_for(a.reading.facet) if self.routes is ROUTES else self.routes
        for handler in table:
            result = handler.retrieve(a, self.retriever, top_k)
            if result is not None:
                result.question = a.asked
                result.answer_type = a.answer_type
                result.analysis = a
                return result
        raise AssertionError("the last route answers every question")


# What a newcomer's card already says of its unit in full: what it does, its objective and
# every mandate it rests on (its indicators it only sums up: asked for, they are listed).
_ON_THE_CARD = (
    facets.DOES,
    facets.ONBOARDING,
    facets.OBJECTIVE,
    facets.INDICATORS,
    facets.MANDATES,
    facets.WHICH_RESOLUTION,
    facets.FILLER,
    None,
)


# What a newcomer's card answers of their unit, besides what the unit does.
_CARD_FACETS = (
    facets.DOES,
    facets.ONBOARDING,
    facets.OBJECTIVE,
    facets.ACCOMPLISHMENTS,
    facets.INDICATORS,
    facets.STRATEGY,
)


# What asks one fact, not a unit's work: the fact is answered even of the asker's own unit.
_FACTS = (facets.COUNT, facets.DATE, facets.ARTICLE, facets.DETAIL, facets.YES_NO)


def _asked_after_saying_who(results: list[Retrieval]) -> list[Retrieval]:
    """ "P-2 in DPA NY here, first week. Which dept has substantive responsibility for the
    programme?": a card for the statement, which asks nothing, would come before the one thing
    asked; when what follows asks something of its own (not about the asker's unit, which
    it does not name, or about it: how many territories remain), the statement is only who
    asks."""
    if len(results) < 2:
        return results
    said, rest = results[0].analysis, results[1:]
    if (
        results[0].intent != card_route.KIND
        and said is not None
        and said.newcomer
        and not (said.unit_terms or said.explicit_sp or asks(said.asked))
    ):
        return rest  # "Здравствуйте, я новый сотрудник. Каков…?": no unit to give a card of
    if results[0].intent != card_route.KIND:
        return results
    if said is None or asks(said.asked):
        return results
    for result in rest:
        a = result.analysis
        if a is None or a.reading.facet in _CARD_FACETS:
            return results
        if (a.unit_terms or a.explicit_sp) and a.reading.facet not in _FACTS:
            return results
    return rest


def _not_on_the_card(results: list[Retrieval]) -> list[Retrieval]:
    """ "I just joined SCAD: what do we do, under which mandates, how are we measured?": the
    card answers all three; a later part asking again what the card says of the same unit (it
    names no other, no resolution, no filter) is not answered twice."""
    out: list[Retrieval] = []
    card = None
    absorbed: set[str | None] = set()
    for result in results:
        a = result.analysis
        if card is not None and a is not None and not result.abstained:
            own = a.explicit_sp or a.unit_terms or a.symbols or a.topics or a.list_filter
            if not own and a.reading.facet in _ON_THE_CARD:
                absorbed.add(a.reading.facet)
                continue
        if result.intent == card_route.KIND and not result.abstained:
            card = result
        out.append(result)
    if card is None or not absorbed - {facets.FILLER, None}:
        return out
    told = card.analysis is not None and not asks(card.analysis.asked)
    # The card's own part only says who asks and what they asked came after, not what the unit
    # does: brief; it asked what the unit does and more: compact.
    brief = told and not absorbed & {facets.DOES, facets.ONBOARDING}
    card.detail = replace(card.detail, brief=brief, compact=True)
    return out
