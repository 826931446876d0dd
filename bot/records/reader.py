"""The records of one programme read in any answered language: a subprogramme's unit, its
strategy clauses, objective, expected accomplishments with their indicators, mandate titles.
Shared by the tour, the quiz, the unit duties, the outline and retrieval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from bot import languages
from bot.languages.messages import messages
from bot.languages.registry import HAN
from bot.records.glossary import Glossary, Term
from bot.records.labels import subprogramme_name
from bot.records.model import CARRIED_BY, PARAGRAPH, Mandate, Passage, Programme
from bot.records.sentences import without_number

_LABEL = re.compile(r"^\s*(?:\([a-z]\)|\([ivx]+\)|[\u3220-\u3229])\s*")
_INDICATORS = re.compile(r"\s*;\s*(?=\([ivx]+\)\s)")


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in words) or "(?!)"


@cache
def _accomplishment(lang: str) -> re.Pattern[str] | None:
    """A translated accomplishment record: "Expected accomplishment: X Indicators of
    achievement: a; b" ("Réalisation escomptée : X Indicateurs de succès : a ; b"), by the
    language's labels."""
    language = languages.get(lang)
    head, indicators = language.cue("accomplishment_label"), language.cue("indicators_label")
    if not head or not indicators:
        return None
    return re.compile(
        rf"^(?:{_alternation(head)})\s*:\s*(.*?)\s*(?:{_alternation(indicators)})\s*:\s*(.*)$"
    )


@cache
def _intro_tail(lang: str) -> re.Pattern[str]:
    """A clause that only introduces a list ("…, by:", "方式如下：") reads as a sentence without
    it: its opener (the language's `list_opener` words) and colon, at its end."""
    language = languages.get(lang)
    words = _alternation(language.cue("list_opener"))
    if language.script == HAN:
        return re.compile(rf"[，,]?\s*(?:{words})?\s*[：:]$")
    return re.compile(rf",?\s*(?:{words})?\s*:$")


@dataclass(frozen=True)
class Unit:
    zh: str  # the name the text gives it
    source: Passage  # the record that names it
    term: Term | None = None  # its glossary entry (its names in other languages)

    def name(self, lang: str) -> str:
        """Its name in a language, shown on its own ("Regional divisions")."""
        return _capitalised(self.term.name_in(lang)) if self.term else self.zh


def _capitalised(name: str) -> str:
    """A name shown on its own ("Regional divisions"; the glossary has "regional divisions")."""
    return name[:1].upper() + name[1:]


def _sentence(text: str, lang: str) -> str:
    text = text.strip()
    if text.endswith((".", "!", "?", "。", "！", "？")):
        return text
    return text + messages(lang)("stop")


def cite(text: str, ref: str, lang: str) -> str:
    """A sentence with its reference: 'X (para. 2.8).' / 'X（第2.8段）。'"""
    body = text.strip().rstrip("。.;；:：,，")
    return messages(lang)("cite.plain", text=body, ref=ref)


class Reader:
    """The records of one programme in either language: units, objectives, accomplishments
    with their indicators, mandate titles, strategy clauses. Shared by the tour and the quiz."""

    def __init__(self, programme: Programme, glossary: Glossary) -> None:
        self.programme = programme
        self.glossary = glossary
        self.mandates = {m.symbol: m for m in programme.mandates}

    # ------------------------------------------------------------------ records

    def records(self, sp: int, kind: str) -> list[Passage]:
        return [p for p in self.programme.retrievable() if p.subprogramme == sp and p.kind == kind]

    def strategy(self, sp: int) -> list[Passage]:
        return self.records(sp, PARAGRAPH)

    def sp_mandates(self, sp: int) -> list[Mandate]:
        listing = self.programme.passage(f"sp{sp}.mandates")
        return [self.mandates[s] for s in listing.symbols]

    def text(self, p: Passage, lang: str) -> str:
        """The record in the language asked for (English and French are unofficial
        translations; the Chinese where a record has none)."""
        text = p.text_in(lang) or p.text
        return without_number(text) if p.kind == PARAGRAPH else text

    def name(self, sp: int, lang: str) -> str:
        return subprogramme_name(sp, self.programme, self.glossary, lang)

    def unit(self, sp: int) -> Unit:
        for p in self.strategy(sp):
            m = CARRIED_BY.search(p.text)
            if m:
                zh = m.group(1).split("，即")[0]  # "各区域司，即非洲一司、…" → 各区域司
                return self._unit(zh, p)
        return self._unit(self.programme.subprogrammes[sp].title, self.strategy(sp)[0])

    def _unit(self, zh: str, source: Passage) -> Unit:
        return Unit(zh, source, self.glossary.term(zh))

    def objective(self, sp: int, lang: str) -> str:
        return self.text(self.programme.passage(f"sp{sp}.objective"), lang)

    def accomplishment(self, p: Passage, lang: str) -> tuple[str, list[str]]:
        """An expected accomplishment and its indicators, labels like (a) or ㈠ removed."""
        zh = (_LABEL.sub("", p.accomplishment or ""), [_LABEL.sub("", i) for i in p.indicators])
        translated = p.text_in(lang) if lang != p.language else None
        pattern = _accomplishment(lang) if translated else None
        m = pattern.match(translated) if pattern and translated else None
        if not m:
            return zh
        indicators = [_LABEL.sub("", i).rstrip(";. ") for i in _INDICATORS.split(m.group(2))]
        if len(indicators) != len(p.indicators):
            return zh  # the translation does not line up: show the original rather than guess
        return _LABEL.sub("", m.group(1)).rstrip(". "), indicators

    def title(self, m: Mandate, lang: str) -> str:
        return m.title_in(lang)

    def opening(self, p: Passage, lang: str) -> str:
        """The record's first clause as a sentence ("…Military Staff Committee, by:" reads
        "…Military Staff Committee.")."""
        return _sentence(_intro_tail(lang).sub("", self.clauses(p, lang)[0]), lang)

    def clauses(self, p: Passage, lang: str) -> list[str]:
        """The record's sentences and clauses (bot.records.sentences), in the tour's language."""
        sentences = self.programme.sentences_of(p.id)
        if not sentences:
            return [self.text(p, lang)]
        texts = [s.text_in(lang) or s.text for s in sentences]
        return [without_number(t) for t in texts]
