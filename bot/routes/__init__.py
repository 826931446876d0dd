"""The route table, keyed on what a question asks (its facet): one handler per kind of
question, tried in order; the first that answers a question (returns a Retrieval) wins.

A handler is a module with
- KIND: its name, and the template that renders it (prompts/{KIND}.{lang}.j2);
- retrieve(a, retriever, top_k) -> Retrieval | None: what answers the analysed question, or
  None when the question is not of its kind;
- values(result, composer) -> dict: what its template needs beyond the common values;
- OWN_ABSTENTION (optional): its template words its own abstention (else the decline one does).

A new kind of question is one module, one template per language and one line here.
"""

from __future__ import annotations

from types import ModuleType

from bot.question import facets
from bot.routes import (
    card,
    decline,
    duties,
    filtered,
    lookup,
    mandates,
    passages,
    structured,
    unheld,
)

ROUTES = (filtered, lookup, unheld, decline, card, duties, structured, mandates, passages)
BY_KIND = {route.KIND: route for route in ROUTES}

# Any question first: a filter on the previous list, a symbol, a name the text does not hold;
# and last the sentence path, which answers everything.
FIRST = (filtered, lookup, unheld)
LAST = (passages,)
# Then by facet: a type the text never holds is declined; a unit's work is its card or its
# duties; any other facet (or none) is read off the structure or the mandate lists, and
# declined when it asks the resolutions of nothing ("and which resolutions mandate it?").
_OTHER = (decline, structured, mandates)
BY_FACET: dict[str | None, tuple[ModuleType, ...]] = {
    # …unless a resolution's title holds what it asks about (decline lets it through).
    **{unheld_facet: (decline, mandates) for unheld_facet in facets.UNHELD_FACETS},
    facets.DOES: (decline, card, duties, structured, mandates),
    facets.ONBOARDING: (decline, card, duties, structured, mandates),
}


def routes_for(facet: str | None) -> tuple[ModuleType, ...]:
    """The handlers a question with this facet may take, in order."""
    return (*FIRST, *BY_FACET.get(facet, _OTHER), *LAST)
