"""The question names resolution symbols: they are looked up exactly (an unknown one abstains,
never a near miss). "When was 48/213 adopted?" leads with the date, read off the sentence that
mentions it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.languages.symbols import Symbol, SymbolMatch, find_symbols
from bot.question.answer_type import HELD
from bot.records.labels import reference
from bot.records.model import Mandate
from bot.search.evidence import Evidence
from bot.search.facts import Item, find_items
from bot.search.found import Hit, Retrieval

if TYPE_CHECKING:
    from bot.compose.composer import Composer
    from bot.question.analysis import Analysis
    from bot.search.retriever import Retriever

KIND = "lookup"
OWN_ABSTENTION = True  # "1325 (2000) is not among this programme's mandates."


def retrieve(a: Analysis, r: Retriever, top_k: int) -> Retrieval | None:
    symbols = a.symbols
    context = a.context
    # Only the kinds a question names in words; "mandates" names the list the symbol is in.
    if not symbols and context and context.symbol and not a.kinds:
        symbols = [context.symbol]  # "which subprogrammes cite it?", not "its indicators?"
    if not symbols:
        return None
    found: list[Mandate] = []
    missing: list[Symbol] = []
    for symbol in symbols:
        matches = [m for m in r.programme.mandates if m.parsed and m.parsed.matches(symbol)]
        # "47/120 B" asks for B first, though A shares its base.
        matches.sort(key=lambda m: bool(symbol.parts) and m.parsed.parts != symbol.parts)
        if not matches:
            missing.append(symbol)
        found.extend(m for m in matches if m not in found)
    result = Retrieval(a.question, a.language, KIND, missing_symbols=missing)
    if not found:
        result.abstained = True
        return result
    result.mandates = found
    seen: list[str] = []
    for m in found:
        # Paragraphs that discuss it first, then the lists that cite it.
        for pid in sorted(m.cited_in, key=lambda x: x.endswith(".mandates")):
            if pid not in seen:
                seen.append(pid)
    result.hits = [Hit(r.passages[pid], 1.0) for pid in seen[:top_k]]
    if a.answer_type in HELD:
        # "When was 48/213 adopted?": the sentence that mentions it and holds the item.
        result.lead = _sentences_citing(found[0], a, r)
    return result


def _sentences_citing(m: Mandate, a: Analysis, r: Retriever) -> list[Evidence]:
    """Sentences of the paragraphs citing a resolution that mention it and hold the item."""
    out = []
    for pid in m.cited_in:
        for s in r.programme.sentences_of(pid):
            if not any(m.parsed and m.parsed.matches(f.symbol) for f in find_symbols(s.text)):
                continue
            text = s.text_in(a.language) or ""
            items = find_items(s, a.answer_type, a.language, r.glossary, a)
            spot = next((f for f in find_symbols(text) if m.parsed.matches(f.symbol)), None)
            if items and spot:
                out.append(Evidence(s, 1.0, _nearest(items, spot, a.language)))
    return out


def _nearest(items: list[Item], spot: SymbolMatch, language: str) -> Item:
    """The item nearest the symbol: "48/213 of 21 December 1993" in English (and French), the
    date before it in Chinese ("1975 年 11 月 10 日第 3376(XXX)号决议"); ties go to that side."""

    def gap(i: Item) -> tuple[int, bool]:
        end = i.start + len(i.text)
        before = end <= spot.start
        distance = spot.start - end if before else i.start - spot.end
        return distance, before == (language != "zh")

    return min(items, key=gap)


def values(result: Retrieval, c: Composer) -> dict[str, Any]:
    lang = result.language
    a = result.analysis
    values: dict[str, Any] = {"missing": [s.display for s in result.missing_symbols]}
    # In the order asked: "is 181 (II) in it? and 3376?" says first that 181 (II) is not.
    asked = a.symbols if a else []
    values["missing_first"] = bool(asked) and asked[0] in result.missing_symbols
    values["lead"] = None
    if result.lead:
        ev = result.lead[0]
        values["lead"] = {
            "item": ev.item.text if ev.item else None,
            "text": c.lead_text(ev, a, lang),
            "ref": reference(c.programme.passage(ev.sentence.record_id), lang),
        }
    # The sentence of a paragraph that discusses the resolution, not the whole paragraph.
    values["quote"] = None
    first = result.mandates[0] if result.mandates else None
    if first and not result.lead:
        values["quote"] = _discussing(first, a, lang, c)
    return values


def _discussing(m: Mandate, a: Analysis | None, lang: str, c: Composer) -> dict | None:
    for pid in m.cited_in:
        if pid.endswith(".mandates"):
            continue
        for s in c.programme.sentences_of(pid):
            if m.parsed and any(m.parsed.matches(f.symbol) for f in find_symbols(s.text)):
                return {
                    "text": c.lead_text(Evidence(s, 1.0), a, lang),
                    "ref": reference(c.programme.passage(pid), lang),
                }
    return None
