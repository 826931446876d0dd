"""Questions answered by a part of the programme's structure, complete and in order: "What are
the six subprogrammes?", "which mandates does subprogramme 4 have?", "what are the indicators
for SCAD?", "which division is responsible for X?", "under which mandates, measured how?"."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from bot.languages.cues import asks_every, speaking_of_themselves
from bot.languages.messages import messages
from bot.languages.registry import get, read_as_written
from bot.languages.text import tokenize
from bot.question import facets
from bot.question.answer_type import YES_NO
from bot.question.filters import ListFilter
from bot.question.parts import asking_sentences, asks, unannounced, what_is_asked
from bot.records.labels import reference, subprogramme_name
from bot.records.sentences import ITEM_LABEL, without_label
from bot.records.structure import (
    ASSISTS,
    INDICATORS,
    MANDATES,
    RESPONSIBLE,
    SUBPROGRAMMES,
    StructuredAnswer,
    asked_body,
    detect,
    is_structural,
)
from bot.routes.filtered import filtered
from bot.search.evidence import Evidence
from bot.search.found import Hit, Retrieval

if TYPE_CHECKING:
    from bot.compose.composer import Composer
    from bot.question.analysis import Analysis
    from bot.search.retriever import Retriever

KIND = "structured"
_BODIES = ("Security Council", "General Assembly")


_ANY = re.compile(r"\bany\b|有没有|有无|吗[？?]?$", re.IGNORECASE)


def retrieve(a: Analysis, r: Retriever, top_k: int) -> Retrieval | None:
    focus = {sp for sp in r.scope(a) if sp is not None}
    # What the asker says of themselves first ("quick q's for my onboarding (SCAD, P2 in NY):")
    # is no topic of the question; what else comes first ("and the Cayman Islands and Guam -
    # same res?") names its subject.
    asked = what_is_asked(a.question, newcomers_ask=False)
    if asked == a.question:  # or sentences before the ones that ask ("Salut, j'arrive à…. Quels…")
        asked = asking_sentences(a.question)
    head, stop, tail = asked.rpartition("。")  # "我刚调到…。我们次级方案的三项预期成果是什么？"
    if stop and tail.strip() and asks(tail) and not asks(head):
        asked = tail.strip()
    if not speaking_of_themselves().search(a.question[: len(a.question) - len(asked)]):
        asked = a.question
    # "SP1 q's: how many indicators…": the head announces the questions; its unit is in focus.
    asked = unannounced(asked)
    tokens = a.tokens if asked == a.question else tokenize(asked, a.asked_language)
    structural = is_structural(asked, tokens, a.unit_tokens)
    kind = detect(a.question, focus, a.kinds, a.wants_mandates, structural)
    if not kind and len(focus) == 1 and _of_one_unit(a, facets.MANDATES, kin=True):
        listed = r.programme.passage(f"sp{next(iter(focus))}.mandates").symbols
        # "Which resolution…?" of a unit asks for its list when that list is one resolution;
        # else for the one a sentence names ("UNSCO was set up under which GA resolutions?").
        one = a.reading.facet == facets.WHICH_RESOLUTION
        if not one or len(listed) <= r.params.unit_list_short:
            kind = None if r.titles_name_a_topic(a, list(listed)) else MANDATES
    if not kind and len(focus) == 1 and _all_indicators_of_one(a):
        # "Quel est l'objectif du SP6 et quels indicateurs de succès sont utilisés ?"; a
        # question of its own about an indicator asks which one ("how is SCAD's quality
        # measured?"): the sentence path finds it.
        kind = INDICATORS
    if not kind and len(focus) == 1 and _responsible_for_one(a, r):
        kind = RESPONSIBLE
    if not kind and not focus and _responsible_for_the_programme(a, r):
        kind = RESPONSIBLE  # "Какой департамент отвечает за программу 2?"
    if not kind and len(focus) == 1 and _assisting_one(a, r, next(iter(focus))):
        kind = ASSISTS
    if not kind and not focus and _of_the_subprogrammes(a, r):
        kind = SUBPROGRAMMES
    if not kind or (kind == INDICATORS and (ITEM_LABEL.search(a.question) or a.ordinal)):
        return None  # "…la réalisation escomptée (a) ?": one item, which a sentence holds
    sp = next(iter(focus)) if len(focus) == 1 else None
    body = (asked_body(without_unit_names(a)) or _body_named(a)) if a.wants_mandates else None
    if kind == MANDATES and body and sp:
        # "Does subprogramme 4 have any Security Council resolutions?": its list, filtered,
        # counted, and "None: all 18 are…" when none is.
        everything = r.structure.answer(kind, sp, a.language).mandates
        asked = ListFilter(
            body=body, whether=a.answer_type == YES_NO or bool(_ANY.search(a.question))
        )
        return filtered(a, r, everything, ListFilter(), asked, sp, top_k)
    answer = r.structure.answer(kind, sp, a.language, body)
    result = Retrieval(
        a.question,
        a.language,
        KIND,
        hits=[Hit(p, 1.0) for p in answer.passages[:top_k]],
        mandates=answer.mandates,
        focus_subprogrammes=sorted(focus),
        detail=answer,
    )
    if kind == MANDATES:
        result.scope_symbols = [m.symbol for m in answer.mandates]
        result.scope_filters = {"body": body} if body else {}
    return result


def _of_one_unit(a: Analysis, facet: str, leaning: bool = False, kin: bool = False) -> bool:
    """ "What are the SC resolutions behind SCAD's work?", "New in EAD: what's our remit, what's
    the legal basis?": a question (or a part, or a follow-up) that asks for mandates (or
    indicators), names no topic and is about one unit or subprogramme (named, or the one before
    it) asks for that unit's list, not for records whose words resemble its own. `leaning`:
    only when it leans on the unit of the part or turn before it; `kin`: a facet of its family
    (facets.KIN) too."""
    inherited = a.context is not None and a.context.subprogramme is not None
    own = bool(a.explicit_sp or a.unit_terms)
    named = (inherited and not own) if leaning else (own or inherited)
    asked = a.reading.facet == facet or (kin and a.reading.facet in facets.kin_of(facet))
    return named and asked and not a.topics and not a.symbols


def _all_indicators_of_one(a: Analysis) -> bool:
    """A unit's indicators asked of the unit the conversation is about, or of the asker's own
    ("我们的绩效指标都有哪些", "all of SCAD's indicators"); a question of its own about one
    unit's indicator asks which one ("how is SCAD's quality measured?")."""
    if _of_one_unit(a, facets.INDICATORS, leaning=True):
        return True
    whole = asks_every().search(a.question) or speaking_of_themselves().search(a.question)
    return bool(whole) and _of_one_unit(a, facets.INDICATORS)


def _responsible_for_one(a: Analysis, r: Retriever) -> bool:
    """ "Какое подразделение отвечает за подпрограмму 5?", "ما هي الوحدة المسؤولة عن البرنامج
    الفرعي 4 المتعلق بإنهاء الاستعمار؟": who carries a numbered subprogramme, read from the facet
    in any language (the word patterns know English, Chinese and French); its own title is no
    topic of the question."""
    # "…and who is responsible for it?": the subprogramme of the part or turn before.
    leans = a.context is not None and a.context.subprogramme is not None and not a.unit_terms
    sp = a.explicit_sp or (a.context.subprogramme if leans and a.context else None)
    if not sp or a.symbols or a.reading.p < r.params.facet_structure_p:
        return False
    own = r.programme.subprogrammes.get(sp)
    topics = [t for t in a.topics if not own or t.original not in own.title]
    return a.reading.facet == facets.RESPONSIBLE and not topics


def _responsible_for_the_programme(a: Analysis, r: Retriever) -> bool:
    """ "秘书处里谁负责方案2？", "ما هي الإدارة المسؤولة عن هذا البرنامج؟": who carries the
    programme, read from the facet in any language when the question names no unit, body,
    topic or resolution of its own (the Department and the programme name nothing else) and
    leans on no subprogramme before it."""
    if a.reading.facet != facets.RESPONSIBLE or a.reading.p < r.params.facet_structure_p:
        return False
    if a.symbols or a.topics or a.explicit_sp or a.forced_sp:
        return False
    if a.context is not None and a.context.subprogramme is not None:
        return False
    _, where = r.structure.unit(None)
    if not where:
        return False
    # A body the sentence saying who carries it names is where, not what ("秘书处里谁负责…");
    # a subprogramme, even unnamed ("…列为一个次级方案的是哪个办事处？"), is another question.
    named = [
        t
        for t in a.terms
        if t.kind not in ("department", "section", "term") and t.original not in where.text
    ]
    word = messages(r.programme.language)("programme.subprogramme_number", sp="").strip()
    return not named and not any(t.kind == "section" and t.original == word for t in a.terms)


def _assisting_one(a: Analysis, r: Retriever, sp: int) -> bool:
    """ "who supports the regional divisions on subprogramme 1?": who assists the unit carrying
    a subprogramme (named, or the one before), where the text names one."""
    leans = a.context is not None and a.context.subprogramme is not None
    named = a.explicit_sp or leans
    return (
        a.reading.facet == facets.ASSISTS
        and bool(named)
        and not a.symbols
        and not a.topics
        and r.structure.assisted(sp)
    )


def _of_the_subprogrammes(a: Analysis, r: Retriever) -> bool:
    """ "这个方案总共分成几个次级方案？", "六个次级方案分别叫什么？": a question (a count, or
    what they are) whose only subject is the subprogrammes themselves asks for their list."""
    words = set(get(r.programme.language).cue("subprogramme"))
    named = {t.original for t in a.terms}
    own = a.explicit_sp or a.symbols or a.kinds or a.wants_mandates or a.unit_terms or a.topics
    return (
        bool(named & words)
        and not own
        and all(t.kind == "section" for t in a.terms)
        and a.reading.facet in (None, facets.DETAIL, facets.COUNT)
    )


def _body_named(a: Analysis) -> str | None:
    """The one body a question in Russian or Arabic names, by the glossary's names in its
    language ("резолюции Совета Безопасности", "قرارات مجلس الأمن")."""
    if not read_as_written(a.asked_language):
        return None
    named = {t.names.get("en") for t in a.terms if t.kind == "body"} & set(_BODIES)
    return next(iter(named)) if len(named) == 1 else None


def without_unit_names(a: Analysis) -> str:
    """The question without the names of units: "Security Council Affairs Division" is a
    unit, not the body whose resolutions are asked for."""
    text = a.question
    for term in a.unit_terms:
        for name in sorted((term.original, *term.translated_names()), key=len, reverse=True):
            text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
    return text


def values(result: Retrieval, c: Composer) -> dict[str, Any]:
    """Names a structured answer needs: the subprogramme, who carries it, its objective."""
    structured: StructuredAnswer = result.detail
    lang = result.language
    values: dict[str, Any] = {"structured": structured, "quote": unit_sentence(structured, lang, c)}
    # "Каков ожидаемый результат…?": a unit with one accomplishment leads with it, not with
    # its indicator.
    asked = result.analysis.reading.facet if result.analysis else None
    values["accomplishment_asked"] = asked == facets.ACCOMPLISHMENTS
    sp = structured.subprogramme
    if sp is None and structured.kind != RESPONSIBLE:
        return values  # the subprogrammes' list: no unit, no objective
    # Who carries it: a subprogramme's unit, or the programme's (None: the Department).
    where = c.programme.passage(structured.unit_source) if structured.unit_source else None
    values.update(
        {
            "sp_name": subprogramme_name(sp, c.programme, c.glossary, lang),
            "unit": structured.unit,
            "unit_name": c.english_names(structured.unit or "", lang),
            "unit_ref": reference(where, lang) if where else "",
        }
    )
    if sp is None:
        return values
    objective = c.programme.passage(f"sp{sp}.objective")
    first = next(iter(c.programme.sentences_of(objective.id)), None)
    translating = lang != c.programme.language
    values.update(
        {
            "assistant": structured.assistant,
            "assistant_name": c.english_names(structured.assistant or "", lang),
            "objective": {
                "ref": reference(objective, lang),
                "text": objective.text,
                "translated": first.text_in(lang) if first and translating else None,
            },
        }
    )
    return values


def unit_sentence(structured: StructuredAnswer, lang: str, c: Composer) -> dict | None:
    """The sentence that says who carries a subprogramme (responsible/overview answers)."""
    if not structured.unit_source:
        return None
    for s in c.programme.sentences_of(structured.unit_source):
        if structured.unit and structured.unit in s.text:
            return {
                "text": c.lead_text(Evidence(s, 1.0), None, lang),
                "original": c.clip(without_label(s.text), c.params.quote_chars, s.language),
            }
    return None
