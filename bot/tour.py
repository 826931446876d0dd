"""The guided tour of one subprogramme: five short cards, each answer-first and cited.

1. what the division does (its strategy paragraphs, clause by clause),
2. its objective,
3. how its work is measured (each expected accomplishment with its indicators),
4. its mandates (each linked to its text, bot/links.py),
5. where it meets the rest of the programme (shared mandates, mandates cited elsewhere, the
   bodies it serves named elsewhere).

Everything comes straight from the parsed records (bot/corpus.py) and the translation data
(corpus/*.tsv), not from the question pipeline, so the tour's wording does not move when
retrieval or answer composition changes. English text is the unofficial translation; every
English card says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.corpus import (
    ACCOMPLISHMENT,
    CHARTER,
    GENERAL_ASSEMBLY,
    MANDATE_LIST,
    PARAGRAPH,
    SECURITY_COUNCIL,
    Mandate,
    Passage,
    Programme,
)
from bot.glossary import Glossary
from bot.labels import reference, subprogramme_name
from bot.links import mandate_link
from bot.sentences import without_number

LANGUAGES = ("en", "zh")
# The Security Council Affairs Division first: new colleagues there are who the tour is for.
TOUR_ORDER = (3, 1, 2, 4, 5, 6)
DOES, OBJECTIVE_CARD, MEASURED, MANDATES, MEETS = (
    "does",
    "objective",
    "measured",
    "mandates",
    "meets",
)

# "本次级方案的实质性责任由选举援助司承担": who carries a subprogramme (its first strategy
# paragraph says so; subprogramme 6 is carried by the Office that gives it its title).
_CARRIED_BY = re.compile(r"责任由(.+?)承担")
_LABEL = re.compile(r"^\s*(?:\([a-z]\)|\([ivx]+\)|[\u3220-\u3229])\s*")
_PARA_NUMBER = re.compile(r"^\s*2\.\d{1,2}\s+")
_EN_ACCOMPLISHMENT = re.compile(
    r"^Expected accomplishment:\s*(.*?)\s*Indicators of achievement:\s*(.*)$"
)
_EN_INDICATORS = re.compile(r";\s*(?=\([ivx]+\)\s)")
# Clauses: Chinese ends them with 。；：, English with . ; : before the next word or "(b)".
# A clause that only introduces a list ("…, by:", "方式如下：") reads as a sentence without it.
_EN_INTRO_TAIL = re.compile(r",?\s*(?:by|including by|namely|including)?\s*:$")
_ZH_INTRO_TAIL = re.compile(r"[，,]?\s*(?:方式如下|具体包括|包括)?\s*[：:]$")
_ORIENTATION = "orientation"

_WORDS = {
    "en": {
        DOES: "What the division does",
        OBJECTIVE_CARD: "Its objective",
        MEASURED: "How its work is measured",
        MANDATES: "Its mandates",
        MEETS: "Where it meets the other subprogrammes",
        "unofficial": "English text: unofficial translation of the Chinese original.",
        "indicator": "Indicator",
    },
    "zh": {
        DOES: "本司做什么",
        OBJECTIVE_CARD: "目标",
        MEASURED: "如何衡量工作",
        MANDATES: "授权文书",
        MEETS: "与其他次级方案的交汇",
        "unofficial": "",
        "indicator": "指标",
    },
}


@dataclass(frozen=True)
class Line:
    text: str  # plain text in the tour's language
    ref: str | None = None  # where it stands: "para. 2.8", "Subprogramme 3, objective"
    label: str | None = None  # a mandate's symbol, shown before the text (linked when url)
    url: str | None = None
    level: int = 0  # 1: an indicator under its expected accomplishment


@dataclass(frozen=True)
class Card:
    key: str  # DOES | OBJECTIVE_CARD | MEASURED | MANDATES | MEETS
    title: str
    lead: str  # the first line: it answers, with its reference
    lines: list[Line] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # record ids the card rests on
    unofficial: str = ""  # the translation notice, for English cards


@dataclass(frozen=True)
class Unit:
    zh: str
    en: str
    source: Passage  # the record that names it

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Tour:
    subprogramme: int
    language: str
    name: str  # "Subprogramme 3: Security Council affairs"
    unit: str  # "Security Council Affairs Division"
    cards: list[Card]


def visible_refs(card: Card) -> list[str | None]:
    """Each line's reference where it differs from the line before (the lead's reference
    counts as the first), else None: what a reader needs without repeating it on every line.
    Indicators sit under their accomplishment, whose reference covers them."""
    first = card.lines[0].ref if card.lines else None
    cited = bool(first) and card.lead.endswith((f"({first}).", f"（{first}）。"))
    previous = first if cited else None
    shown: list[str | None] = []
    for line in card.lines:
        show = line.ref if line.level == 0 and line.ref != previous else None
        shown.append(show)
        if line.level == 0:
            previous = line.ref or previous
    return shown


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
        """The record in the language asked for (the English is an unofficial translation)."""
        text = p.text_en if lang == "en" and p.text_en else p.text
        return _PARA_NUMBER.sub("", text) if p.kind == PARAGRAPH else text

    def name(self, sp: int, lang: str) -> str:
        return subprogramme_name(sp, self.programme, self.glossary, lang)

    def unit(self, sp: int) -> Unit:
        for p in self.strategy(sp):
            m = _CARRIED_BY.search(p.text)
            if m:
                zh = m.group(1).split("，即")[0]  # "各区域司，即非洲一司、…" → 各区域司
                return Unit(zh, _capitalised(self.glossary.english(zh) or zh), p)
        title = self.programme.subprogrammes[sp].title
        return Unit(
            title, _capitalised(self.glossary.english(title) or title), self.strategy(sp)[0]
        )

    def objective(self, sp: int, lang: str) -> str:
        return self.text(self.programme.passage(f"sp{sp}.objective"), lang)

    def accomplishment(self, p: Passage, lang: str) -> tuple[str, list[str]]:
        """An expected accomplishment and its indicators, labels like (a) or ㈠ removed."""
        zh = (_LABEL.sub("", p.accomplishment or ""), [_LABEL.sub("", i) for i in p.indicators])
        if lang == "zh" or not p.text_en:
            return zh
        m = _EN_ACCOMPLISHMENT.match(p.text_en)
        if not m:
            return zh
        indicators = [_LABEL.sub("", i).rstrip(";. ") for i in _EN_INDICATORS.split(m.group(2))]
        if len(indicators) != len(p.indicators):
            return zh  # the translation does not line up: show the original rather than guess
        return _LABEL.sub("", m.group(1)).rstrip(". "), indicators

    def title(self, m: Mandate, lang: str) -> str:
        if m.body == CHARTER:
            return m.title if lang == "zh" else m.title_en or m.title
        return m.title_en if lang == "en" and m.title_en else m.title

    def opening(self, p: Passage, lang: str) -> str:
        """The record's first clause as a sentence ("…Military Staff Committee, by:" reads
        "…Military Staff Committee.")."""
        tail = _ZH_INTRO_TAIL if lang == "zh" else _EN_INTRO_TAIL
        return _sentence(tail.sub("", self.clauses(p, lang)[0]), lang)

    def clauses(self, p: Passage, lang: str) -> list[str]:
        """The record's sentences and clauses (bot.sentences), in the tour's language."""
        sentences = self.programme.sentences_of(p.id)
        if not sentences:
            return [self.text(p, lang)]
        texts = [(s.text_en or s.text) if lang == "en" else s.text for s in sentences]
        return [without_number(t) for t in texts]


def _count_phrase(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class TourGuide:
    def __init__(self, programme: Programme, glossary: Glossary) -> None:
        self.read = Reader(programme, glossary)

    def choices(self, lang: str) -> list[tuple[int, str, str]]:
        """(subprogramme, unit, subprogramme name) in tour order, SCAD first."""
        read = self.read
        return [(sp, read.unit(sp).name(lang), read.name(sp, lang)) for sp in TOUR_ORDER]

    def tour(self, sp: int, lang: str) -> Tour:
        if sp not in self.read.programme.subprogrammes:
            raise ValueError(f"there is no subprogramme {sp}; the programme has 1 to 6")
        if lang not in LANGUAGES:
            raise ValueError(f"the tour is in English (en) or Chinese (zh), not {lang!r}")
        cards = [
            self._does(sp, lang),
            self._objective(sp, lang),
            self._measured(sp, lang),
            self._mandates(sp, lang),
            self._meets(sp, lang),
        ]
        unit = self.read.unit(sp).name(lang)
        return Tour(sp, lang, self.read.name(sp, lang), unit, cards)

    # ------------------------------------------------------------------ cards

    def _card(self, key: str, lang: str, lead: str, lines: list[Line], sources: list[str]) -> Card:
        words = _WORDS[lang]
        return Card(key, words[key], lead, lines, sources, words["unofficial"])

    def _does(self, sp: int, lang: str) -> Card:
        read = self.read
        lines: list[Line] = []
        for p in read.strategy(sp):
            ref = reference(p, lang)
            lines += [Line(c, ref) for c in read.clauses(p, lang)]
        first = lines.pop(0)
        lead = cite(read.opening(read.strategy(sp)[0], lang), first.ref or "", lang)
        return self._card(DOES, lang, lead, lines, [p.id for p in read.strategy(sp)])

    def _objective(self, sp: int, lang: str) -> Card:
        p = self.read.programme.passage(f"sp{sp}.objective")
        lead = cite(self.read.text(p, lang), reference(p, lang), lang)
        return self._card(OBJECTIVE_CARD, lang, lead, [], [p.id])

    def _measured(self, sp: int, lang: str) -> Card:
        read = self.read
        records = read.records(sp, ACCOMPLISHMENT)
        lines: list[Line] = []
        indicators = 0
        for p in records:
            accomplishment, measures = read.accomplishment(p, lang)
            ref = reference(p, lang)
            lines.append(Line(accomplishment, ref))
            lines += [Line(m, ref, level=1) for m in measures]
            indicators += len(measures)
        if lang == "zh":
            lead = (
                f"次级方案{sp}的工作以{len(records)}项预期成果和{indicators}项绩效指标衡量"
                f"（次级方案{sp}，预期成果和绩效指标）。"
            )
        else:
            lead = (
                f"Subprogramme {sp}'s work is measured by "
                + _count_phrase(len(records), "expected accomplishment", "expected accomplishments")
                + " and "
                + _count_phrase(indicators, "indicator", "indicators")
                + f" of achievement (Subprogramme {sp}, expected accomplishments and "
                "indicators of achievement)."
            )
        return self._card(MEASURED, lang, lead, lines, [p.id for p in records])

    def _mandates(self, sp: int, lang: str) -> Card:
        read = self.read
        mandates = read.sp_mandates(sp)
        listing = read.programme.passage(f"sp{sp}.mandates")
        ref = reference(listing, lang)
        lines = [
            Line(read.title(m, lang), ref, m.symbol, mandate_link(m, lang).url) for m in mandates
        ]
        counts = {
            body: sum(1 for m in mandates if m.body == body)
            for body in (CHARTER, GENERAL_ASSEMBLY, SECURITY_COUNCIL)
        }
        if lang == "zh":
            parts = [
                text
                for n, text in (
                    (counts[CHARTER], "《联合国宪章》"),
                    (counts[GENERAL_ASSEMBLY], f"{counts[GENERAL_ASSEMBLY]}项大会决议"),
                    (counts[SECURITY_COUNCIL], f"{counts[SECURITY_COUNCIL]}项安全理事会决议"),
                )
                if n
            ]
            lead = f"次级方案{sp}有{len(mandates)}项授权文书：{'、'.join(parts)}（{ref}）。"
        else:
            parts = [
                text
                for n, text in (
                    (counts[CHARTER], "the Charter"),
                    (
                        counts[GENERAL_ASSEMBLY],
                        _count_phrase(
                            counts[GENERAL_ASSEMBLY],
                            "General Assembly resolution",
                            "General Assembly resolutions",
                        ),
                    ),
                    (
                        counts[SECURITY_COUNCIL],
                        _count_phrase(
                            counts[SECURITY_COUNCIL],
                            "Security Council resolution",
                            "Security Council resolutions",
                        ),
                    ),
                )
                if n
            ]
            listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
            lead = (
                f"Subprogramme {sp} rests on "
                f"{_count_phrase(len(mandates), 'legislative mandate', 'legislative mandates')}: "
                f"{listed} ({ref})."
            )
        return self._card(MANDATES, lang, lead, lines, [listing.id])

    def _meets(self, sp: int, lang: str) -> Card:
        lines, sources = meeting_points(self.read, sp, lang)
        names = list(dict.fromkeys(line.label or "" for line in lines))
        refs = "；".join(dict.fromkeys(line.ref or "" for line in lines))
        strategy = reference(self.read.strategy(sp)[0], lang)
        if lang == "zh":
            lead = (
                f"次级方案{sp}在{len(lines)}处与方案其他部分相连：{'、'.join(names)}（{refs}）。"
                if lines
                else f"次级方案{sp}的案文未提及方案的其他部分（{strategy}）。"
            )
        else:
            listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
            lead = (
                f"Subprogramme {sp} meets the rest of the programme in "
                f"{_count_phrase(len(lines), 'place', 'places')}: {listed} "
                f"({refs.replace('；', '; ')})."
                if lines
                else f"Subprogramme {sp}'s text names no other part of the programme ({strategy})."
            )
        return self._card(MEETS, lang, lead, lines, sources)


# ---------------------------------------------------------------------- meeting points


def _home(p: Passage) -> str:
    return _ORIENTATION if p.subprogramme is None else f"sp{p.subprogramme}"


def meeting_points(read: Reader, sp: int, lang: str) -> tuple[list[Line], list[str]]:
    """Where a subprogramme meets the rest of the programme, from the records:

    - its mandates cited in a paragraph outside it (1373 (2001) in para. 2.4),
    - its mandates listed by another subprogramme too (58/109: subprogrammes 1 and 4),
    - the overall orientation naming what its own text names (the Security Council's
      subsidiary bodies in para. 2.2); a name found in several orientation paragraphs (the
      Security Council, Member States) is generic and says nothing about this subprogramme.
    """
    programme = read.programme
    home = f"sp{sp}"
    lines: list[Line] = []
    sources: list[str] = []
    for m in read.sp_mandates(sp):
        for pid in m.cited_in:
            p = programme.passage(pid)
            if p.kind == PARAGRAPH and _home(p) != home:
                ref = reference(p, lang)
                sentence = _sentence_citing(read, p, m, lang)
                lines.append(Line(sentence, ref, m.symbol, mandate_link(m, lang).url))
                sources.append(pid)
        others = [n for n in m.subprogrammes if n != sp]
        if others:
            ref = reference(programme.passage(f"sp{others[0]}.mandates"), lang)
            text = (
                f"{read.title(m, lang)}：亦列于次级方案{'、'.join(map(str, others))}的授权文书"
                if lang == "zh"
                else f"{read.title(m, lang)}: also a mandate of subprogramme "
                + ", ".join(map(str, others))
            )
            lines.append(Line(text, ref, m.symbol, mandate_link(m, lang).url))
            sources.append(f"sp{others[0]}.mandates")
    # Its own words: strategy, objective, accomplishments (mandate titles name other bodies).
    texts = {
        n: " ".join(
            p.text
            for p in programme.retrievable()
            if p.subprogramme == n and p.kind != MANDATE_LIST
        )
        for n in programme.subprogrammes
    }
    orientation = [
        p for p in programme.retrievable() if p.kind == PARAGRAPH and _home(p) == _ORIENTATION
    ]
    for term in read.glossary.terms:
        if term.kind not in ("subprogramme", "division", "body") or term.zh not in texts[sp]:
            continue
        if sum(term.zh in text for text in texts.values()) > 2:
            continue  # Member States, the Secretary-General: everyone's, so nobody's in particular
        naming = [p for p in orientation if term.zh in p.text]
        if len(naming) != 1 or naming[0].id in sources:
            continue  # not named there, or named so widely that it is generic
        p = naming[0]
        name = term.zh if lang == "zh" else term.en
        sentence = _sentence_naming(read, p, term.zh, term.english_names, lang)
        lines.append(Line(sentence, reference(p, lang), name))
        sources.append(p.id)
    return lines, sources


def _sentence_citing(read: Reader, p: Passage, m: Mandate, lang: str) -> str:
    """The sentence of `p` that cites mandate `m` (the whole paragraph when it is one)."""
    number = m.parsed.number if m.parsed else m.symbol
    clauses = read.clauses(p, lang)
    return next((c for c in clauses if number in c), clauses[0])


def _sentence_naming(
    read: Reader, p: Passage, zh: str, english_names: tuple[str, ...], lang: str
) -> str:
    """The clause of `p` that names a term, in the tour's language where the translation
    names it too, else the Chinese clause (the original is never wrong)."""
    needles = (zh,) if lang == "zh" else english_names
    for clause in read.clauses(p, lang):
        if any(n.lower() in clause.lower() for n in needles):
            return clause
    return next(c for c in read.clauses(p, "zh") if zh in c)
