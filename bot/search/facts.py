"""Typed items in a sentence: the number, date, article, resolution, unit or body it states.

An answer that leads with "16" or "10 November 1975" takes that item verbatim from the sentence
(Chinese) or its translation (English); nothing here invents one. When a sentence holds several
items of the asked type, the one nearest to the question's own words in that sentence is taken
("which UNIT assists…" → the Policy Planning Unit, next to "assistance").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from bot import languages
from bot.languages.messages import messages
from bot.languages.symbols import find_symbols
from bot.languages.text import tokenize
from bot.question.answer_type import ARTICLE, BODY, DATE, NUMBER, RESOLUTION, UNIT
from bot.question.facets import ASSISTS, RESPONSIBLE
from bot.records.glossary import Glossary
from bot.records.outline import assisting
from bot.records.sentences import Sentence

if TYPE_CHECKING:
    from bot.question.analysis import Analysis

# The items of each type a sentence may hold, as its language writes them: its registry
# entry's item_date, item_number, item_article patterns.
_ITEM_PATTERNS = {DATE: "item_date", NUMBER: "item_number", ARTICLE: "item_article"}


@lru_cache(maxsize=64)
def _pattern(lang: str, kind: str) -> re.Pattern[str] | None:
    name = _ITEM_PATTERNS.get(kind)
    found = languages.get(lang).pattern(name) if name else ()
    return (
        re.compile("|".join(f"(?:{p})" for p in found))
        if len(found) > 1
        else (re.compile(found[0]) if found else None)
    )


# A subprogramme's name is not a unit; an office outside the department (UNODC) can answer
# "which office…", ranked after the department's own units.
_UNIT_KINDS = ("division", "department", "body")
_BODY_KINDS = ("body",)
# The kind of unit a question asks for ("WHICH UNIT assists…"), and the name ending it wants.
_ASKED_KIND = re.compile(
    r"\b(?:which|what) (?:\w+ )?(unit|division|department|office)s?\b"
    r"|哪(?:个|些|一个)(股|司|部门|办事处)"
    r"|\b(?:quel|quelle|quels|quelles) (groupe|division|département|bureau)s?\b",
    re.IGNORECASE,
)
_KIND_ENDINGS = {
    "groupe": "Groupe",
    "département": "Département",
    "bureau": "Bureau",
    "unit": "Unit",
    "division": "Division",
    "department": "Department",
    "office": "Office",
    "股": "股",
    "司": "司",
    "部门": "部",
    "办事处": "办事处",
}


_PLURAL = re.compile(
    r"\b(which|what) (\w+ )?(units|divisions|offices|departments|bodies|committees|organs|"
    r"organizations|entities)\b|\ball of them\b|哪些|哪几个|分别"
    r"|\b(quels|quelles) (\w+ )?(divisions|groupes|bureaux|organes|comités|organisations|"
    r"entités)\b",
    re.IGNORECASE,
)


_SEVERAL = re.compile(
    r"\bwhich (two|three|resolutions)\b|\bwhat resolutions\b|哪(两|几|些)(项|个)?|分别"
    r"|\b(?:which|what) (?:\w+ ){0,2}resolutions\b|\bquelles (?:deux|trois|résolutions)\b",
    re.IGNORECASE,
)


def _join(lang: str, names: list[str]) -> str:
    """ "a, b and c" (the catalogue's list.*)."""
    return messages(lang).join(names)


@dataclass(frozen=True)
class Item:
    text: str  # verbatim from the sentence or its translation
    start: int  # where it stands in that text


def _text(sentence: Sentence, lang: str) -> str:
    return sentence.text_in(lang) or ""


def find_items(
    sentence: Sentence, kind: str, lang: str, glossary: Glossary, a: Analysis
) -> list[Item]:
    """Items of `kind` in the sentence's text in `lang`, best first for the question."""
    question = a.question
    text = _text(sentence, lang)
    if not text:
        return []
    if _pattern(lang, kind) is not None:
        found = list(_held(text, lang, kind))
    elif kind == RESOLUTION:
        found = list(_held(text, lang, kind))
        if len(found) > 1 and _SEVERAL.search(question):
            # "依照哪两项决议设立的？": all of them, in the sentence's order.
            return [Item(_join(lang, [i.text for i in found]), found[0].start)]
    elif kind in (UNIT, BODY):
        found = _named(sentence, kind, lang, glossary, a)
        if _ASKED_KIND.search(question):
            # "Which UNIT…": only units answer it, not the divisions or the department.
            found = [i for i in found if kind_word_match(i, question, glossary)]
        if found and _PLURAL.search(question):
            # "which bodies…? all of them": every one, in the sentence's order (in English
            # with the Chinese name, as lists are).
            found.sort(key=lambda i: i.start)
            names = [i.text for i in found]
            if lang != "zh":
                zh = {t.name_in(lang): t.original for t in glossary.terms}
                names = [f"{n} ({zh[n]})" if n in zh else n for n in names]
            return [Item(_join(lang, names), found[0].start)]
    else:
        return []
    helper = assisting(sentence.text) if kind == UNIT else None
    return _rank(found, text, a, kind, _assists(helper, glossary))


@lru_cache(maxsize=4096)
def _held(text: str, lang: str, kind: str) -> tuple[Item, ...]:
    """The items of a pattern's kind (a number, a date, an article) or the resolutions a text of
    the programme holds, in its order: the same on every question that reads that sentence, so
    found once (about 100 sentences, in each language, for a few kinds)."""
    if kind == RESOLUTION:
        return tuple(Item(m.symbol.display, m.start) for m in find_symbols(text))
    pattern = _pattern(lang, kind)
    assert pattern is not None
    found = [Item(m.group().strip(), m.start()) for m in pattern.finditer(text)]
    date = _pattern(lang, DATE)
    if kind == NUMBER:
        dates = [m.span() for m in date.finditer(text)] if date else []
        found = [
            i
            for i in found
            if not _is_label(text, i) and not any(a <= i.start < b for a, b in dates)
        ]
    return tuple(found)


def _is_label(text: str, item: Item) -> bool:
    """'2.4', '(a)', a symbol's number or a year: numbers that count nothing."""
    after = text[item.start + len(item.text) : item.start + len(item.text) + 2]
    before = text[max(0, item.start - 1) : item.start]
    return (
        after[:1] in (".", "/", "(", "（")
        and not after[1:2].isspace()
        or before in ("/", ".", "第")
        or bool(re.fullmatch(r"(19|20)\d{2}", item.text))
        or (item.start == 0 and bool(re.fullmatch(r"\d{1,3}\.\d{1,2}", item.text)))
    )


@lru_cache(maxsize=4096)
def _name_words(names: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(tokenize(n)) for n in names)


def _named(sentence: Sentence, kind: str, lang: str, glossary: Glossary, a: Analysis) -> list[Item]:
    kinds = _UNIT_KINDS if kind == UNIT else _BODY_KINDS
    q_tokens = a.token_set
    out: list[Item] = []
    for term in glossary.terms_in_chinese(sentence.text):
        if term.kind not in kinds or term.original in a.question:
            continue
        if any(words and words <= q_tokens for words in _name_words(term.translated_names())):
            continue  # the question names it: it is not the answer
        name = term.name_in(lang)
        where = _text(sentence, lang).find(name)
        out.append(Item(name, where if where >= 0 else len(_text(sentence, lang))))
    # A longer name covers the shorter ones inside it (各区域司 ⊃ 区域司).
    return [i for i in out if not any(i.text != o.text and i.text in o.text for o in out)]


def kind_word_match(item: Item, question: str, glossary: Glossary | None = None) -> bool:
    """The item is of the kind the question names ("which UNIT…" → "Policy Planning Unit")."""
    m = _ASKED_KIND.search(question)
    if not m:
        return False
    word = _KIND_ENDINGS[(m.group(1) or m.group(2) or m.group(3)).lower()]
    names = [item.text]
    if glossary:  # a Chinese item's English name says its kind too, and the other way round
        names += glossary.names_of_same(item.text)
    return any(re.search(rf"\b{word}\b" if word.isascii() else word, n) for n in names)


def _gap(item: Item, start: int, length: int) -> int:
    """Characters between the item and a word (0 when they touch or overlap)."""
    end = item.start + len(item.text)
    return max(0, start - end, item.start - (start + length))


def near_question(item: Item, text: str, a: Analysis, reach: int) -> bool:
    """One of the question's own words stands within `reach` characters of the item
    ("谁协助…" → "政策规划股将提供协助")."""
    lowered = text.lower()
    end = item.start + len(item.text)
    for token in a.words:
        for m in re.finditer(_word_pattern(token), lowered):
            inside = item.start <= m.start() < end
            if not inside and _gap(item, m.start(), len(token)) <= reach:
                return True
    return False


def nearest_to_names(items: list[Item], text: str, names: set[str]) -> Item:
    """The item nearest the longest of these names (lower case) the text holds, the most
    particular: "when was CEIRPP set up?" is answered by "10 November 1975, established the
    Committee on the Exercise…", not by the "1947" after "the General Assembly". The first
    item when no name is in the text, or on a tie."""
    lowered = text.lower()
    held = [n for n in names if n and n in lowered]
    if not held or len(items) < 2:
        return items[0]
    longest = max(held, key=len)
    spots = [m.start() for m in re.finditer(re.escape(longest), lowered)]
    return min(items, key=lambda it: min(_gap(it, start, len(longest)) for start in spots))


def near_names(item: Item, text: str, names: set[str], reach: int) -> bool:
    """One of these names (lower case) stands within `reach` characters of the item."""
    lowered = text.lower()
    for name in names:
        for m in re.finditer(re.escape(name), lowered):
            if _gap(item, m.start(), len(name)) <= reach:
                return True
    return False


@lru_cache(maxsize=4096)
def _word_pattern(token: str) -> re.Pattern[str]:
    """Where a question's word stands in a text: a Latin word at a word's start, and a short
    one only as a whole word ("prog" of "per the prog 2 text" is no "programme", "24" no
    "1244"); a Chinese word anywhere."""
    if not token.isascii():
        return re.compile(re.escape(token))
    whole = r"(?:s|es)?\b" if len(token) < _SHORT_WORD else ""
    return re.compile(rf"\b{re.escape(token)}{whole}")


_SHORT_WORD = 5


def _inside(item: Item, start: int, length: int) -> bool:
    return item.start <= start and start + length <= item.start + len(item.text)


def _kind_word(text: str, start: int, length: int) -> bool:
    """The word at `start` is one of the kinds of unit ("Department", "Division", "司")."""
    word = text[start : start + length].lower()
    return any(k.lower().startswith(word) or word.startswith(k.lower()) for k in _KIND_ENDINGS)


def _assists(helper: str | None, glossary: Glossary) -> Callable[[Item], bool]:
    """Whether an item is the unit the sentence says assists (in any of its names)."""
    if not helper:
        return lambda item: False
    return lambda item: any(n in helper for n in (item.text, *glossary.names_of_same(item.text)))


def _rank(
    items: list[Item],
    text: str,
    a: Analysis,
    kind: str,
    assists: Callable[[Item], bool] = lambda item: False,
) -> list[Item]:
    """The unit in the role asked first ("who assists…" → the one that assists); then the kind
    word; then nearest to the question's words in the sentence."""
    if len(items) < 2:
        return items
    facet = a.reading.facet
    roles = {ASSISTS: True, RESPONSIBLE: False}
    lowered = text.lower()
    spots = [(m.start(), len(t)) for t in a.words for m in _word_pattern(t).finditer(lowered)]

    def key(item: Item) -> tuple[int, int, int]:
        role = 0 if facet not in roles or assists(item) == roles[facet] else 1
        kind_match = 0 if kind not in (UNIT, BODY) or kind_word_match(item, a.question) else 1
        # A question's word inside the item's own name counts only when it names the kind
        # asked for ("the lead department" → "Department of Political Affairs"); another
        # ("sanctions" of a committee's name) does not place the item near the question.
        near = [(at, n) for at, n in spots if not _inside(item, at, n) or _kind_word(text, at, n)]
        distance = min((_gap(item, at, n) for at, n in near), default=len(text))
        return role, kind_match, distance

    return sorted(items, key=key)
