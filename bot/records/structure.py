"""Questions whose answer is a part of the programme's structure, not one passage.

"What are the six subprogrammes?", "which mandates does subprogramme 4 have?", "what are the
indicators for Security Council affairs?", "which division is responsible for X?", and the
onboarding question "what does my division do, under which mandates, measured how?". These are
answered from the parsed records, complete and in order, each item with its reference.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from bot.languages.cues import asks_every
from bot.languages.registry import HAN, registry
from bot.languages.text import stems, tokenize
from bot.records.glossary import Glossary
from bot.records.labels import reference
from bot.records.model import (
    ACCOMPLISHMENT,
    CARRIED_BY,
    OBJECTIVE,
    PARAGRAPH,
    Mandate,
    Passage,
    Programme,
)
from bot.records.outline import assisting

SUBPROGRAMMES = "subprogrammes"
MANDATES = "mandates"
INDICATORS = "indicators"
RESPONSIBLE = "responsible"
ASSISTS = "assists"  # who carries it, and the unit the text says assists it
OVERVIEW = "overview"

_LIST_WORDS = re.compile(
    r"\b(all|every|each|list|which|what are|name|six|how many|make up|consists?( of)?|"
    r"divided)\b|\bwhat sub-?programmes\b|组成|分为"
    r"|哪些|哪几个|几个|所有|列出|六个|全部|各|\bany\b|有没有|有无"
    r"|\b(quels|quelles|quel|quelle|liste[rz]?|toutes|tous|combien|lesquel(le)?s|y a-t-il)\b",
    re.I,
)
_SUBPROGRAMME_PLURAL = re.compile(r"\bsub-?\s?programm?es\b|次级方案|\bsous-programmes\b", re.I)
_RESPONSIBLE = re.compile(
    r"\bresponsib\w*|\bin charge\b|\bleads?\b|\bruns?\b|\bwhich (division|unit|office)\b"
    r"|负责|承担|哪个司|哪个部门|哪个股"
    r"|\b(responsable|chargée?|relève|s'occupe|pilote|quel(le)? (division|unité|groupe|bureau))\b",
    re.I,
)
_OVERVIEW = re.compile(
    r"\bwhat does (my|our|the|this) (division|unit|office|team) do\b"
    r"|我的司|我们司|我所在的",
    re.I,
)


@dataclass(frozen=True)
class Item:
    label: str  # "Subprogramme 3", "(a)", "58/109"
    text: str  # Chinese, as in the programme
    ref: str  # where it stands: "Subprogramme 3, objective", "para. 2.8", …
    level: int = 0  # 1 for an indicator under its expected accomplishment
    # Unofficial translations by language code.
    translations: Mapping[str, str] = field(default_factory=dict, hash=False)

    def text_in(self, lang: str) -> str | None:
        """The item's text in a language (None when it has no translation into it)."""
        return self.translations.get(lang)


@dataclass
class StructuredAnswer:
    kind: str
    subprogramme: int | None
    items: list[Item] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)  # the records the items come from
    mandates: list[Mandate] = field(default_factory=list)
    unit: str | None = None  # who carries the subprogramme (RESPONSIBLE, OVERVIEW)
    unit_source: str | None = None  # the paragraph that says so
    assistant: str | None = None  # the unit that assists it, where that paragraph names one


@cache
def _structural_tokens() -> frozenset[str]:
    """Words that ask about the structure itself (the registry's `structural` cue); anything
    else in a question is a topic, and a topic question ("which resolutions cover conflict in
    Africa?") wants ranking, not the whole set. Tokenised once: the words do not change."""
    words = [w for lang in registry().languages for w in lang.cue("structural")]
    written = {
        w for lang in registry().languages if lang.script == HAN for w in lang.cue("structural")
    }
    latin = [w for w in words if w not in written]
    return frozenset(tokenize(" ".join(latin))) | stems(latin) | written


def is_structural(question: str, tokens: list[str], unit_tokens: set[str]) -> bool:
    """True when the question names only parts of the programme and what to list.

    A word or two more ("Chinese wording is fine") is allowed when it plainly asks for a full
    list; a topic ("…cover conflict in Africa?") makes it a ranking question.
    """
    structural = _structural_tokens()
    leftover = [
        t for t in tokens if t not in structural and t not in unit_tokens and not t.isdigit()
    ]
    return not leftover or (len(leftover) <= 2 and bool(asks_every().search(question)))


_BODIES = (
    (
        "Security Council",
        re.compile(
            r"\b(security council|sc|scrs?|unsc|council resolutions?|conseil de sécurité|cs|csnu)\b"
            r"|安理会决议|安全理事会.{0,4}决议",
            re.I,
        ),
    ),
    (
        "General Assembly",
        re.compile(
            r"\b(general assembly|ga|unga|assemblée générale|ag|agnu)\b|大会.{0,4}决议", re.I
        ),
    ),
)


def asked_body(question: str) -> str | None:
    """The one body whose resolutions the question asks for ("Security Council resolutions")."""
    found = [body for body, pattern in _BODIES if pattern.search(question)]
    return found[0] if len(found) == 1 else None


def detect(
    question: str, subprogrammes: set[int], kinds: set[str], wants_mandates: bool, structural: bool
) -> str | None:
    """The structured kind a question asks for, or None for an ordinary passage question.

    `subprogrammes` are those the question is about (named, or from the conversation),
    `kinds` the kinds of record it names (objective, indicators, …), `structural` whether it
    names nothing else (see is_structural).
    """
    one = len(subprogrammes) == 1
    listing = bool(_LIST_WORDS.search(question))
    if one and _OVERVIEW.search(question):
        return OVERVIEW
    if not structural:
        return None
    if one and wants_mandates and ACCOMPLISHMENT in kinds:
        return OVERVIEW  # "under which mandates, measured how?"
    if (
        not subprogrammes
        and listing
        and _SUBPROGRAMME_PLURAL.search(question)
        and not kinds
        and not wants_mandates
    ):
        return SUBPROGRAMMES
    if one and wants_mandates and (listing or len(question) < 60):
        return MANDATES
    if one and _RESPONSIBLE.search(question) and ACCOMPLISHMENT in kinds:
        return OVERVIEW  # "who is responsible for it, and how is it measured?"
    if one and ACCOMPLISHMENT in kinds:
        return INDICATORS
    if one and _RESPONSIBLE.search(question) and OBJECTIVE not in kinds:
        return RESPONSIBLE
    return None


class StructureReader:
    """Reads structured answers off the parsed programme."""

    def __init__(self, programme: Programme, glossary: Glossary) -> None:
        self.programme = programme
        self.glossary = glossary

    def _records(self, sp: int | None, kind: str) -> list[Passage]:
        return [p for p in self.programme.retrievable() if p.subprogramme == sp and p.kind == kind]

    def unit(self, sp: int | None) -> tuple[str, Passage | None]:
        """Who carries a subprogramme, read from its first strategy paragraph; None: who carries
        the programme, from the overall orientation ("", None when it says no one)."""
        for p in self._records(sp, PARAGRAPH):
            m = CARRIED_BY.search(p.text)
            if m:
                return m.group(1), p
        return (self.programme.subprogrammes[sp].title if sp is not None else ""), None

    def assisted(self, sp: int) -> bool:
        """Whether the text names a unit that assists the one carrying the subprogramme."""
        _, where = self.unit(sp)
        return bool(where and assisting(where.text))

    def answer(
        self, kind: str, sp: int | None, lang: str, body: str | None = None
    ) -> StructuredAnswer:
        """The structured answer; `body` keeps only that body's mandates ("SC resolutions")."""
        out = StructuredAnswer(kind, sp)
        if kind == SUBPROGRAMMES:
            for n in sorted(self.programme.subprogrammes):
                objective = self.programme.passage(f"sp{n}.objective")
                out.items.append(Item(f"{n}", self._title(n, lang), reference(objective, lang)))
                out.passages.append(objective)
            return out
        assert sp is not None or kind == RESPONSIBLE
        if kind in (MANDATES, OVERVIEW):
            listing = self.programme.passage(f"sp{sp}.mandates")
            by_symbol = {m.symbol: m for m in self.programme.mandates}
            out.mandates = [
                by_symbol[symbol]
                for symbol in listing.symbols
                if body is None or by_symbol[symbol].body == body
            ]
            out.passages.append(listing)
        if kind in (INDICATORS, OVERVIEW):
            for p in self._records(sp, ACCOMPLISHMENT):
                # The record's sentences are its accomplishment, then each indicator.
                sentences = self.programme.sentences_of(p.id)
                translated = [dict(s.translations) for s in sentences]
                translated += [{}] * (1 + len(p.indicators) - len(translated))
                ref = reference(p, lang)
                out.items.append(Item(p.label or "", p.accomplishment or "", ref, 0, translated[0]))
                out.items += [
                    Item("", ind, ref, 1, tr)
                    for ind, tr in zip(p.indicators, translated[1:], strict=True)
                ]
                out.passages.append(p)
        if kind in (RESPONSIBLE, ASSISTS, OVERVIEW):
            unit, where = self.unit(sp)
            out.unit = unit
            out.unit_source = where.id if where else None
            out.assistant = assisting(where.text) if where and kind == ASSISTS else None
            strategy = [where] if where else self._records(sp, PARAGRAPH)[:1]
            out.passages = strategy + [p for p in out.passages if p not in strategy]
        if kind == OVERVIEW:
            out.passages = [self.programme.passage(f"sp{sp}.objective"), *out.passages]
        if kind == MANDATES:
            out.items = [
                Item(m.symbol, m.title, reference(out.passages[0], lang)) for m in out.mandates
            ]
        return out

    def _title(self, sp: int, lang: str) -> str:
        """'Decolonization (非殖民化)' in English answers; the Chinese title alone in Chinese."""
        zh = self.programme.subprogrammes[sp].title
        if lang == "zh":
            return zh
        name = self.glossary.name_in(zh, lang) or zh
        return f"{name} ({zh})"
