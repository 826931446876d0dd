"""The route table: one handler per kind of question, tried in order; the first that answers
a question (returns a Retrieval) wins.

A handler is a module with
- KIND: its name, and the template that renders it (prompts/{KIND}.{lang}.j2);
- retrieve(a, retriever, top_k) -> Retrieval | None: what answers the analysed question, or
  None when the question is not of its kind;
- values(result, composer) -> dict: what its template needs beyond the common values;
- OWN_ABSTENTION (optional): its template words its own abstention (else the decline one does).

A new kind of question is one module, one template per language and one line here.
"""

from __future__ import annotations

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
