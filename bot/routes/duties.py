"""What a unit or a body does ("What does SCAD do?", "EAD的职责是什么？", "what is the Special
Committee's role?"): its own clauses (bot.records.duties), each once, with their paragraph,
not the one clause that matches best."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot import languages
from bot.languages.messages import messages
from bot.records.duties import Duties, DutyReader
from bot.records.labels import reference, subprogramme_name
from bot.search.found import Hit, Retrieval

if TYPE_CHECKING:
    from bot.compose.composer import Composer
    from bot.question.analysis import Analysis
    from bot.search.retriever import Retriever

KIND = "duties"


@dataclass(frozen=True)
class DutiesView:
    duties: Duties
    reader: DutyReader


def retrieve(a: Analysis, r: Retriever, top_k: int) -> Retrieval | None:
    if not a.asks_duties or a.symbols:
        return None
    if a.topics:
        return None  # "what does SCAD do about sanctions?": a topic, answered by a passage
    duties = of_whom(a, r)
    if duties is None or not duties.clauses:
        return None
    return answer(a, duties, r, KIND, top_k)


def of_whom(a: Analysis, r: Retriever) -> Duties | None:
    """The duties the question is about: its subprogramme's unit, the Department (or the
    programme as a whole), or a body it names."""
    focus = {sp for sp in r.scope(a) if sp is not None}
    if len(focus) == 1:
        return r.duties.of_unit(next(iter(focus)))
    if any(t.kind == "department" for t in a.subjects) or (a.whole_programme and not focus):
        return r.duties.of_unit(None)
    for term in a.subjects:
        if term.kind == "body":
            found = r.duties.of_body(term)
            if found:
                return found
    return None


def answer(a: Analysis, duties: Duties, r: Retriever, kind: str, top_k: int) -> Retrieval:
    hits = [Hit(r.passages[pid], 1.0) for pid in duties.record_ids]
    sp = duties.subprogramme
    return Retrieval(
        a.question,
        a.language,
        kind,
        hits=hits[:top_k],
        focus_subprogrammes=[sp] if sp else [],
        detail=DutiesView(duties, r.duties),
    )


def values(result: Retrieval, c: Composer) -> dict[str, Any]:
    view: DutiesView = result.detail
    p = c.params
    return clause_values(view, result.language, c, p.duty_clause_chars, most=p.duty_clauses)


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


def actor_name(duties: Duties, lang: str, c: Composer) -> str:
    """Who does the duties, named in a language: the default language's name as the duties
    have it; another's from the glossary (capitalised, it stands on its own), else the default's."""
    if lang == languages.default():
        return duties.actor_en
    name = next(
        (
            t.names[lang]
            for t in c.glossary.terms
            if t.original == duties.actor_zh and t.names.get(lang)
        ),
        None,
    )
    return _capitalised(name or duties.actor_en)


def clause_values(
    view: DutiesView,
    lang: str,
    c: Composer,
    limit: int,
    hard: bool = False,
    most: int | None = None,
) -> dict[str, Any]:
    """The clauses in the answer's language; `hard` shortens a clause with no phrase boundary
    at a word boundary (a card must stay short), else leaves it whole. The first clause names
    whom the unit serves: it gets twice the room, cut only at a phrase boundary."""
    duties = view.duties
    limit = limit // languages.get(lang).chars_scale
    refs = [reference(c.programme.passage(pid), lang) for pid in duties.record_ids]
    sp = duties.subprogramme
    say = messages(lang)
    actor = say("duties.actor", name=actor_name(duties, lang, c), original=duties.actor_zh)
    if sp:
        subprogramme = subprogramme_name(sp, c.programme, c.glossary, lang)
        # "UNSCO, Subprogramme 6", not its long name twice when the title is the unit's name.
        if actor_name(duties, lang, c).lower() in subprogramme.lower():
            subprogramme = say("programme.subprogramme_number", sp=sp)
        actor = say("duties.in_subprogramme", actor=actor, subprogramme=subprogramme)
    return {
        "actor": actor,
        "sp": sp,
        "refs": languages.get(lang).separator.join(refs),
        "clauses": [
            view.reader.text(x, lang, limit * 2 if i == 0 else limit, duties, hard and i > 0)
            for i, x in enumerate(duties.clauses[:most])
        ],
        # The rest are counted, not printed: the answer stays short (its paragraphs hold them).
        "more": max(0, len(duties.clauses) - most) if most else 0,
    }
