"""A newcomer's question about their unit ("I just joined SCAD. What does my division do?",
"我刚到选举援助司工作…", "je viens d'arriver à la DAE…"): a unit card with what the unit does
(its clauses), its objective, how it is measured (its indicators) and the mandates it rests
on (every symbol, by body), with a pointer to the guided tour."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot import languages
from bot.languages.messages import messages
from bot.languages.quote import shorten
from bot.records.labels import reference, subprogramme_name
from bot.records.model import (
    ACCOMPLISHMENT,
    CHARTER,
    GENERAL_ASSEMBLY,
    SECURITY_COUNCIL,
)
from bot.records.sentences import without_label
from bot.routes.duties import DutiesView, answer, clause_values, of_whom
from bot.search.found import Hit, Retrieval

if TYPE_CHECKING:
    from bot.compose.composer import Composer
    from bot.question.analysis import Analysis
    from bot.search.retriever import Retriever

KIND = "card"
LISTED_MANDATES = 6  # a unit with at most this many mandates has them named on its card
_BODIES = (CHARTER, GENERAL_ASSEMBLY, SECURITY_COUNCIL)


@dataclass(frozen=True)
class CardView:
    does: DutiesView
    # The asker did not ask what the unit does ("I'm new at EAD. Our objective, mandates and
    # KPIs?"): who holds the work is named, the rest of its clauses counted.
    brief: bool = False
    # The asker asked more than what the unit does (its mandates, how it is measured): fewer
    # clauses, each shorter, so that the whole card stays one screen.
    compact: bool = False


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
    # "…notre mission, nos mandats et nos indicateurs ?" asks more than what the unit does.
    result.detail = CardView(result.detail, compact=bool(a.kinds or a.wants_mandates))
    sp = duties.subprogramme
    if sp:
        result.scope_symbols = list(r.programme.passage(f"sp{sp}.mandates").symbols)
        # The card names every one of them: each gets its link.
        result.mandates = [r.mandates[s] for s in result.scope_symbols if s in r.mandates]
        # The card rests on its objective, its measures and its mandate list too.
        shown = {h.passage.id for h in result.hits}
        more = [f"sp{sp}.objective", *_accomplishments(sp, r), f"sp{sp}.mandates"]
        result.hits += [Hit(r.passages[pid], 1.0) for pid in more if pid not in shown]
        result.hits = result.hits[:top_k]
    return result


def _accomplishments(sp: int, r: Retriever) -> list[str]:
    return [
        p.id for p in r.programme.retrievable() if p.subprogramme == sp and p.kind == ACCOMPLISHMENT
    ]


def _in(sentence, lang: str) -> str:
    return without_label(sentence.text_in(lang) or sentence.text).rstrip("。.; ；")


def values(result: Retrieval, c: Composer) -> dict[str, Any]:
    view: CardView = result.detail
    lang = result.language
    p = c.params
    limit = p.card_compact_clause_chars if view.compact else p.card_clause_chars
    most = 1 if view.brief else p.card_compact_clauses if view.compact else p.card_clauses
    # A compact card cuts a clause with no phrase boundary at a word; asked only what the unit
    # does, the card keeps such clauses whole.
    out = clause_values(view.does, lang, c, limit, hard=view.compact, most=most)
    short = limit // languages.get(lang).chars_scale
    sp = view.does.duties.subprogramme
    programme = c.programme
    if sp is None:  # the Department: the programme's objective and its subprogrammes
        record = programme.orientation()[0]
        out["objective"] = _objective(record, lang, short * 2, c)
        out["subprogrammes"] = [
            subprogramme_name(n, programme, c.glossary, lang) for n in programme.subprogrammes
        ]
        out.update(
            {"indicators": [], "measured_ref": "", "mandate_count": 0, "bodies": [], "listed": []}
        )
        return out
    say = messages(lang)
    indicators = [
        shorten(_in(s, lang), short, lang) + _original(s, lang, view, c)
        for pid in (p.id for p in programme.retrievable())
        if pid.startswith(f"sp{sp}.ea.")
        for s in programme.sentences_of(pid)
        if s.is_indicator
    ]
    listing = programme.passage(f"sp{sp}.mandates")
    by_symbol = {m.symbol: m for m in programme.mandates}
    of_body: dict[str, list[str]] = {}
    for symbol in listing.symbols:
        of_body.setdefault(by_symbol[symbol].body, []).append(symbol)
    out.update(
        {
            "objective": _objective(programme.passage(f"sp{sp}.objective"), lang, short * 2, c),
            "indicators": indicators,
            "measured_ref": messages(lang)("ref.indicators", sp=sp),
            "mandate_count": len(listing.symbols),
            # Every symbol, grouped by body: "under which mandates?" is answered on the card.
            "bodies": [
                say(
                    f"card.body.{body.lower().replace(' ', '_')}",
                    n=len(of_body[body]),
                    symbols=say("list.separator").join(of_body[body]),
                )
                for body in _BODIES
                if body in of_body
            ],
            "mandates_ref": reference(listing, lang),
            # A short list is named in full: a newcomer asked under which mandates they work.
            "listed": list(listing.symbols) if len(listing.symbols) <= LISTED_MANDATES else [],
            "subprogrammes": [],
        }
    )
    return out


def _original(sentence, lang: str, view: CardView, c: Composer) -> str:
    """An indicator's original beside its translation, when the asker asked how the unit is
    measured (a compact card): the words the programme itself uses."""
    if not view.compact or lang == sentence.language:
        return ""
    original = c.clip(without_label(sentence.text), c.params.quote_chars, sentence.language)
    return messages(lang)("structured.original", original=original)


def _objective(record, lang: str, limit: int, c: Composer) -> str:
    """The objective, shortened before its reference (never the reference)."""
    first = c.programme.sentences_of(record.id)[0]
    text = shorten(_in(first, lang), limit, lang)
    return messages(lang)("cite.bare", text=text, ref=reference(record, lang))
