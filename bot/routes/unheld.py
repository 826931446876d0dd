"""The question names a body, office, place or instrument the programme never mentions
("What does the programme say about the Peacebuilding Commission?"): the first line says so;
the nearest passage may follow, as related, never as the answer."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from bot import languages
from bot.languages.messages import messages
from bot.question.answer_type import YES_NO
from bot.records.labels import reference
from bot.search.found import Retrieval

if TYPE_CHECKING:
    from bot.compose.composer import Composer
    from bot.question.analysis import Analysis
    from bot.search.retriever import Retriever

KIND = "unheld"
OWN_ABSTENTION = True


@cache
def _institution(lang: str) -> re.Pattern[str] | None:
    """A name ending with a word for an institution ("… Commission"): in languages whose
    catalogue puts an article before it ("the Peacebuilding Commission")."""
    words = languages.get(lang).cue("institutions")
    if not words:
        return None
    return re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})s?$", re.IGNORECASE)


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
    """ "the Peacebuilding Commission", "UNRWA", "Afghanistan"; in French « … » (no article
    to guess a gender for: the name as asked)."""
    say = messages(lang)
    institution = _institution(lang)
    article = say("unheld.institution", name="").strip().lower()
    if institution and institution.search(name) and not name.lower().startswith(f"{article} "):
        name = say("unheld.institution", name=name)
    return say("unheld.name", name=name)


def values(result: Retrieval, c: Composer) -> dict[str, Any]:
    lang = result.language
    joined = messages(lang).join([display(n, lang) for n in result.detail], "or_list")
    related = None
    if result.lead:
        ev = result.lead[0]
        related = {
            "text": c.lead_text(ev, result.analysis, lang),
            "ref": reference(c.programme.passage(ev.sentence.record_id), lang),
            "translated": lang != c.programme.language and bool(ev.sentence.text_in(lang)),
        }
    a = result.analysis
    return {"names": joined, "related": related, "yes_no": bool(a and a.answer_type == YES_NO)}
