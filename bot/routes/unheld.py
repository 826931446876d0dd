"""The question names a body, office, place or instrument the programme never mentions
("What does the programme say about the Peacebuilding Commission?"): the first line says so;
the nearest passage may follow, as related, never as the answer."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from bot.question.answer_type import YES_NO
from bot.records.labels import reference
from bot.search.found import Retrieval

if TYPE_CHECKING:
    from bot.compose.composer import Composer
    from bot.question.analysis import Analysis
    from bot.search.retriever import Retriever

KIND = "unheld"
OWN_ABSTENTION = True
_INSTITUTION = re.compile(
    r"\b(?:commission|council|committee|court|tribunal|mission|office|agency|fund|treaty|"
    r"convention|accords?|agreement|protocol|union|league|bank|panel|forum|initiative|"
    r"operation|force|organi[sz]ation|authority|programme|institute|assembly|department|unit|"
    r"division|team|group)s?$",
    re.IGNORECASE,
)


def retrieve(a: Analysis, r: Retriever, top_k: int) -> Retrieval | None:
    if not a.unheld:
        return None
    result = Retrieval(a.question, a.language, KIND, abstained=True, detail=list(a.unheld))
    ranking = r.rank(a, r.scope(a), mandates=False)
    if not ranking.abstain:
        records = [
            (h.passage.id, h.score) for h in ranking.hits if h.passage.kind != "mandate_list"
        ]
        result.lead = r.picker.pick(records, ranking.by_row, a.tokens, a, None)[:1]
        result.hits = ranking.hits[:top_k]
    return result


def display(name: str, lang: str) -> str:
    """ "the Peacebuilding Commission", "UNRWA", "Afghanistan"."""
    if lang == "en" and _INSTITUTION.search(name) and not name.lower().startswith("the "):
        return f"the {name}"
    return name


def values(result: Retrieval, c: Composer) -> dict[str, Any]:
    lang = result.language
    names = [display(n, lang) for n in result.detail]
    if lang == "zh":
        joined = "、".join(names)
    elif lang == "fr":  # no article to guess a gender for: the name as asked, in quotes
        joined = " ni ".join(f"« {n} »" for n in names)
    else:
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    related = None
    if result.lead:
        ev = result.lead[0]
        related = {
            "text": c.lead_text(ev, result.analysis, lang),
            "ref": reference(c.programme.passage(ev.sentence.record_id), lang),
            "translated": lang != "zh" and bool(ev.sentence.text_in(lang)),
        }
    a = result.analysis
    return {"names": joined, "related": related, "yes_no": bool(a and a.answer_type == YES_NO)}
