"""A fact or a passage: the records ranked for the question, the programme's coverage checked,
and the sentence that answers picked inside the best records (bot.search.evidence). A typed question
("how many…", "when…", "which unit…") leads with the item the sentence holds, or is declined
when no sentence holds one. Every other route falls through to this one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.languages.cues import asks_every
from bot.languages.text import Words, fixed_tokens
from bot.question.answer_type import ARTICLE, BODY, DATE, NUMBER, UNIT, YES_NO
from bot.question.facets import ACCOMPLISHMENTS, COUNT, INDICATORS
from bot.records.labels import reference
from bot.records.model import ACCOMPLISHMENT, MANDATE_LIST, Mandate
from bot.records.sentences import without_label
from bot.routes.decline import NOT_IN_TEXT
from bot.search.evidence import Evidence
from bot.search.facts import Item, near_names, near_question
from bot.search.found import Retrieval

if TYPE_CHECKING:
    from bot.compose.composer import Composer
    from bot.question.analysis import Analysis
    from bot.search.retriever import Ranking, Retriever

KIND = "passages"


@dataclass(frozen=True)
class Fact:
    charter: tuple[Mandate, Item] | None = None  # an article read off a Charter entry
    # A yes/no question: "yes" when the sentence shown holds what it asks about, "not_stated"
    # when it holds almost none of it, None in between (the sentence, without a verdict).
    verdict: str | None = None


YES, NOT_STATED = "yes", "not_stated"
_MEASURES = (ACCOMPLISHMENTS, INDICATORS)
# Words of a yes/no question that say nothing of what is asked about.
_LIGHT = Words(
    "do does did have has give gives provide provides play plays take takes make makes "
    "get gets say says mention mentions include includes involve involves programme text "
    "plan actually really also anyone anybody someone any 有 是否 吗 会 能 提到 说明"
)


def retrieve(a: Analysis, r: Retriever, top_k: int) -> Retrieval:
    result, ranking = r.ranked(a, KIND, top_k, mandates=False)
    if result.abstained:
        return result
    # The records already matched the unit; the sentence must match what is asked of it.
    asked = [t for t in a.tokens if t not in a.unit_tokens]
    asked += [t for term in a.terms if term.kind == "term" for t in fixed_tokens(term.original)]
    _answer_from_sentences(result, a, r, ranking, asked or a.tokens)
    return result


def _nth_accomplishment_first(
    records: list[tuple[str, float]], a: Analysis, r: Retriever, focus: set
) -> list[tuple[str, float]]:
    """ "SCAD's third expected accomplishment: its indicator?": the third of the unit's
    expected accomplishments is the record that answers (the text letters them (a), (b)…)."""
    if not a.ordinal or len(focus) != 1 or a.reading.facet not in _MEASURES:
        return records
    sp = next(iter(focus))
    listed = [
        p.id for p in r.programme.retrievable() if p.subprogramme == sp and p.kind == ACCOMPLISHMENT
    ]
    if len(listed) < max(a.ordinal, 2):
        return records
    nth = listed[a.ordinal - 1]
    best = max((score for _, score in records), default=0.0)  # clear of the others' margin
    return [(nth, best + 1.0)] + [x for x in records if x[0] != nth]


def _answer_from_sentences(
    result: Retrieval, a: Analysis, r: Retriever, ranking: Ranking, tokens: list[str]
) -> None:
    """Pick the lead sentence; decline when a typed item is asked and none is there."""
    scored = ranking.hits
    records = [(h.passage.id, h.score) for h in scored if h.passage.kind != MANDATE_LIST]
    focus = ranking.focus
    if focus:
        # The unit the question is about: its own records hold the answer, or the overall
        # orientation; another subprogramme's paragraph does not answer a question about this one.
        kept = [x for x in records if r.passages[x[0]].subprogramme in focus | {None}]
        records = kept or records
    if a.paragraph in r.passages:
        # "Para 2.3 mentions a principle…": the answer is in that paragraph.
        records = [x for x in records if x[0] == a.paragraph]
    if a.kinds:
        # "What is the objective of…": the answer is in a record of that kind, its own first.
        named = [x for x in records if r.passages[x[0]].kind in a.kinds]
        mine = [x for x in named if not focus or r.passages[x[0]].subprogramme in focus]
        records = (
            mine + [x for x in named if x not in mine] + [x for x in records if x not in named]
        )
    records = _nth_accomplishment_first(records, a, r, focus)
    # The sentences' match with the question, once for both picks below.
    scores = r.picker.scores(ranking.by_row, tokens)
    lead = r.picker.pick(records, ranking.by_row, tokens, a, a.answer_type, scores)
    if a.answer_type == ARTICLE:
        charter = _charter_article(a, r, focus, ranking)
        if charter and (not lead or charter[0].subprogrammes[0] in focus):
            result.detail = Fact(charter=charter)
            result.mandates = [charter[0]]
            return
    if a.reading.facet == COUNT and lead:
        # "How many sanctions committees are there?": a number counts what stands next to it
        # ("six subprogrammes"); one that counts nothing the question names does not answer.
        lead = [e for e in lead if e.item is None or _counts_what_is_asked(e, a, r)]
        if not lead and ACCOMPLISHMENT in a.kinds:
            # A sentence holding what it counts without a number ("increased number of civil
            # society organizations accredited") does not say how many ("how many are
            # accredited right now?" is declined below); it answers a question naming the
            # indicator ("派驻…的哪类组织数量是绩效指标？": which kind is counted).
            plain = r.picker.pick(records, ranking.by_row, tokens, a, None, scores)
            lead = plain[:1] if plain and _verdict(a, r, plain[0]) == YES else []
    if not lead and a.answer_type in (NUMBER, ARTICLE):
        # "How many members does the Council have?": the text holds no such number.
        result.abstained = True
        result.intent = "decline"
        result.decline_reason = NOT_IN_TEXT
        result.hits = []
        return
    if a.answer_type in (UNIT, BODY, DATE) or not lead:
        # "Who guides the information system?" may be answered by a sentence naming no unit
        # of the glossary ("the Committee will guide…"): it wins when it matches better.
        plain = r.picker.pick(records, ranking.by_row, tokens, a, None, scores)
        if not lead or (plain and plain[0].score > lead[0].score):
            lead = plain
    result.lead = lead[:3]
    # Sources keep the records' ranking; the lead names its own record, and the mandates
    # are those it cites.
    best = lead[0].sentence.record_id if lead else scored[0].passage.id
    result.mandates = [m for m in r.programme.mandates if best in m.cited_in]
    if a.answer_type == YES_NO and lead:
        result.detail = Fact(verdict=_verdict(a, r, lead[0]))


def _counts_what_is_asked(ev: Evidence, a: Analysis, r: Retriever) -> bool:
    assert ev.item is not None
    if a.foreign and not a.terms:
        # Russian, Arabic: no words to compare with the text's, and no name to look for near
        # the number: the dense match decides.
        return True
    lang = a.language
    text = ev.sentence.text_in(lang) or ""
    reach = r.params.lead_near_chars_zh if lang == "zh" else r.params.lead_near_chars_en
    if near_question(ev.item, text, a, reach):
        return True
    # Or a name the question uses ("有几个非自治领土？": its words are a glossary name's).
    names = {n.lower() for t in a.terms for n in t.every_name() if n}
    return near_names(ev.item, text, names, reach)


def _verdict(a: Analysis, r: Retriever, ev: Evidence) -> str | None:
    """Whether the sentence shown supports what a yes/no question asks about: the share of its
    words (not the units it names, not "does … have/give") the sentence holds."""
    words = {t for t in a.tokens if len(t) > 1 and t not in _LIGHT and t not in a.unit_tokens}
    if not words:
        return None
    text = list(fixed_tokens(" ".join([ev.sentence.text, ev.sentence.text_in("en") or ""])))
    text += [
        t
        for term in r.glossary.terms_in_chinese(ev.sentence.text)
        for t in fixed_tokens(" ".join(term.translated_names()))
    ]
    have = set(text)
    share = sum(w in have for w in words) / len(words)
    if share >= r.params.yes_coverage:
        return YES
    return NOT_STATED if share < r.params.not_stated_coverage else None


def _charter_article(
    a: Analysis, r: Retriever, focus: set, ranking: Ranking
) -> tuple[Mandate, Item] | None:
    """'Which Charter article…?': the Charter entry of the subprogramme asked about."""
    charter = [m for m in r.programme.mandates if m.body == "Charter"]
    rank = {h.passage.subprogramme: i for i, h in reversed(list(enumerate(ranking.hits)))}
    charter.sort(key=lambda m: (m.subprogrammes[0] not in focus, rank.get(m.subprogrammes[0], 99)))
    if not charter:
        return None
    m = charter[0]
    text = m.title_in(a.language)
    found = (
        re.search(r"第.+条", text)
        if a.language == "zh" or text == m.title
        else re.search(r"\b[Aa]rticles? .+$", text)
    )
    return (m, Item(found.group() if found else text, 0))


def values(result: Retrieval, c: Composer) -> dict[str, Any]:
    lang = result.language
    original = c.programme.language  # quotes are of the text as written
    fact: Fact = result.detail if isinstance(result.detail, Fact) else Fact()
    if fact.charter:
        m, item = fact.charter
        listing = c.programme.passage(f"sp{m.subprogrammes[0]}.mandates")
        text = m.title_in(lang)
        return {
            "item": item.text,
            "verdict": None,
            "lead": text,
            "ref": reference(listing, lang),
            "translated": lang != original and text != m.title,
            "quote": c.clip(m.title, c.params.quote_chars, original),
            "cited": [m.symbol],
        }
    ev = result.lead[0]
    record = c.programme.passage(ev.sentence.record_id)
    cited = [m.symbol for m in c.programme.mandates if record.id in m.cited_in]
    # "List every body SCAD serves": the sentence that holds the list, uncut, with its original.
    a = result.analysis
    every = a is not None and bool(asks_every().search(a.question))
    quote = without_label(ev.sentence.text)
    return {
        "cited": cited,
        "item": ev.item.text if ev.item else None,
        "verdict": fact.verdict,
        "lead": c.lead_text(ev, a, lang, whole=every),
        "ref": reference(record, lang),
        "translated": lang != original and bool(ev.sentence.text_in(lang)),
        "quote": quote if every else c.clip(quote, c.params.quote_chars, original),
    }
