"""A newcomer's question about their unit ("I just joined SCAD. What does my division do?",
"我刚到选举援助司工作…", "starting in the decolonization team next week…"): a unit card with
what the unit does (its clauses), its objective, how it is measured (its indicators) and how
many mandates it rests on, with a pointer to the full list and to the guided tour. Short enough
for one Slack message (about 900 characters)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.found import Hit, Retrieval
from bot.labels import reference, subprogramme_name
from bot.quote import shorten
from bot.routes.duties import DutiesView, answer, clause_values, of_whom
from bot.sentences import without_label
from bot.tour import Tour

if TYPE_CHECKING:
    from bot.analysis import Analysis
    from bot.compose import Composer
    from bot.retrieval import Retriever

KIND = "card"


@dataclass(frozen=True)
class CardView:
    does: DutiesView
    tour: Tour | None  # the subprogramme's guided tour: objective, measures, mandates


def retrieve(a: Analysis, r: Retriever, top_k: int) -> Retrieval | None:
    if not a.newcomer:
        return None
    # "I just joined SCAD. Which resolutions mandate our work?" asks one thing: answer it.
    specific = a.symbols or a.wants_mandates or a.answer_type or a.kinds or a.list_filter
    if specific and not a.asks_duties:
        return None
    duties = of_whom(a, r)
    if duties is None or not duties.clauses:
        return None
    result = answer(a, duties, r, KIND, top_k)
    sp = duties.subprogramme
    tour = r.tours.tour(sp, a.language) if sp else None
    result.detail = CardView(result.detail, tour)
    if sp:
        result.scope_symbols = list(r.programme.passage(f"sp{sp}.mandates").symbols)
        # The card rests on its objective, its measures and its mandate list too.
        shown = {h.passage.id for h in result.hits}
        measured = next(card.sources for card in tour.cards if card.key == "measured")
        more = [f"sp{sp}.objective", *measured, f"sp{sp}.mandates"]
        result.hits += [Hit(r.passages[pid], 1.0) for pid in more if pid not in shown]
        result.hits = result.hits[:top_k]
    return result


def _objective(sp: int, lang: str, limit: int, c: Composer) -> str:
    """The subprogramme's objective, shortened before its reference (never the reference)."""
    record = c.programme.passage(f"sp{sp}.objective")
    first = c.programme.sentences_of(record.id)[0]
    text = first.text_en if lang == "en" and first.text_en else first.text
    text = shorten(without_label(text).rstrip("。."), limit, lang)
    return (
        f"{text} ({reference(record, lang)})"
        if lang == "en"
        else f"{text}（{reference(record, lang)}）"
    )


def values(result: Retrieval, c: Composer) -> dict[str, Any]:
    view: CardView = result.detail
    lang = result.language
    limit = c.params.card_clause_chars
    out = clause_values(view.does, lang, c, limit)
    out.update({"objective": None, "indicators": [], "measured_ref": "", "mandates_lead": ""})
    if view.tour is None:  # the Department: the programme's objective and its subprogrammes
        orientation = c.programme.passage("2.1")
        first = c.programme.sentences_of(orientation.id)[0]
        text = first.text_en if lang == "en" and first.text_en else first.text
        text = shorten(without_label(text).rstrip("。."), limit * 2, lang)
        out["objective"] = f"{text} ({reference(orientation, lang)})"
        out["subprogrammes"] = [
            subprogramme_name(n, c.programme, c.glossary, lang) for n in c.programme.subprogrammes
        ]
        return out
    cards = {card.key: card for card in view.tour.cards}
    measured = cards["measured"]
    out.update(
        {
            "objective": _objective(view.tour.subprogramme, lang, limit * 2, c),
            "indicators": [shorten(x.text, limit, lang) for x in measured.lines if x.level == 1],
            "measured_ref": (
                f"次级方案{view.tour.subprogramme}，绩效指标"
                if lang == "zh"
                else f"Subprogramme {view.tour.subprogramme}, indicators of achievement"
            ),
            "mandates_lead": cards["mandates"].lead,
            "subprogrammes": [],
        }
    )
    return out
