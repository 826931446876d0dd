"""The records of one programme read in any answered language: a subprogramme's unit, its
strategy clauses, objective, expected accomplishments with their indicators, mandate titles.
Shared by the tour, the quiz, the unit duties, the outline and retrieval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.records.glossary import Glossary, Term
from bot.records.labels import subprogramme_name
from bot.records.model import CARRIED_BY, PARAGRAPH, Mandate, Passage, Programme
from bot.records.sentences import without_number

_LABEL = re.compile(r"^\s*(?:\([a-z]\)|\([ivx]+\)|[\u3220-\u3229])\s*")
_EN_ACCOMPLISHMENT = re.compile(
    r"^Expected accomplishment:\s*(.*?)\s*Indicators of achievement:\s*(.*)$"
)
# "Réalisation escomptée : X Indicateurs de succès : a ; b ; c" (French typography: a space
# before the colon and the semicolon).
_FR_ACCOMPLISHMENT = re.compile(
    r"^Réalisation escomptée\s*:\s*(.*?)\s*Indicateurs de succès\s*:\s*(.*)$"
)
_ACCOMPLISHMENT = {"en": _EN_ACCOMPLISHMENT, "fr": _FR_ACCOMPLISHMENT}
_INDICATORS = re.compile(r"\s*;\s*(?=\([ivx]+\)\s)")
# Clauses: Chinese ends them with 。；：, English with . ; : before the next word or "(b)".
# A clause that only introduces a list ("…, by:", "方式如下：") reads as a sentence without it.
_EN_INTRO_TAIL = re.compile(r",?\s*(?:by|including by|namely|including)?\s*:$")
_ZH_INTRO_TAIL = re.compile(r"[，,]?\s*(?:方式如下|具体包括|包括)?\s*[：:]$")
_FR_INTRO_TAIL = re.compile(
    r",?\s*(?:selon les modalités suivantes|notamment|à savoir|comme suit)?\s*:$"
)
_INTRO_TAIL = {"en": _EN_INTRO_TAIL, "zh": _ZH_INTRO_TAIL, "fr": _FR_INTRO_TAIL}


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
    if lang == "zh":
        return text if text.endswith(("。", "！", "？")) else text + "。"
    return text if text.endswith((".", "!", "?")) else text + "."


def cite(text: str, ref: str, lang: str) -> str:
    """A sentence with its reference: 'X (para. 2.8).' / 'X（第2.8段）。'"""
    body = text.strip().rstrip("。.;；:：,，")
    return f"{body}（{ref}）。" if lang == "zh" else f"{body} ({ref})."


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
        m = _ACCOMPLISHMENT[lang].match(translated) if translated else None
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
        return _sentence(_INTRO_TAIL[lang].sub("", self.clauses(p, lang)[0]), lang)

    def clauses(self, p: Passage, lang: str) -> list[str]:
        """The record's sentences and clauses (bot.records.sentences), in the tour's language."""
        sentences = self.programme.sentences_of(p.id)
        if not sentences:
            return [self.text(p, lang)]
        texts = [s.text_in(lang) or s.text for s in sentences]
        return [without_number(t) for t in texts]
