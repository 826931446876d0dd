"""The guided tour of one subprogramme: five short cards, each answer-first and cited.

1. what the division does (its strategy paragraphs, clause by clause),
2. its objective,
3. how its work is measured (each expected accomplishment with its indicators),
4. its mandates (each linked to its text, bot/records/links.py),
5. where it meets the rest of the programme (shared mandates, mandates cited elsewhere, the
   bodies it serves named elsewhere).

Everything comes straight from the parsed records (bot/records/parser.py) and the translation data
(corpus/*.tsv), not from the question pipeline, so the tour's wording does not move when
retrieval or answer composition changes. English and French text is the unofficial translation;
every English and French card says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from bot import languages
from bot.languages.messages import messages
from bot.records.glossary import Glossary, Term
from bot.records.labels import reference
from bot.records.library import Document
from bot.records.links import mandate_link
from bot.records.model import (
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
from bot.records.reader import Reader, cite

DOES, OBJECTIVE_CARD, MEASURED, MANDATES, MEETS = (
    "does",
    "objective",
    "measured",
    "mandates",
    "meets",
)

_ORIENTATION = "orientation"


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
    unofficial: str = ""  # the translation notice, for English and French cards


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


class TourGuide:
    def __init__(self, programme: Programme, glossary: Glossary) -> None:
        self.read = Reader(programme, glossary)

    @classmethod
    def of(cls, document: Document) -> TourGuide:
        """The tour of a library's document, made once per document read (a hot reload reads
        the documents again: their tours are made again)."""
        return _guide(document)

    @property
    def order(self) -> tuple[int, ...]:
        """The subprogrammes in the tour's order (the manifest's: SCAD first in Programme 2)."""
        programme = self.read.programme
        if programme.manifest is not None:
            return programme.manifest.tour
        return tuple(sorted(programme.subprogrammes))

    def choices(self, lang: str) -> list[tuple[int, str, str]]:
        """(subprogramme, unit, subprogramme name) in tour order, SCAD first."""
        read = self.read
        return [(sp, read.unit(sp).name(lang), read.name(sp, lang)) for sp in self.order]

    def tour(self, sp: int, lang: str) -> Tour:
        numbers = sorted(self.read.programme.subprogrammes)
        if sp not in numbers:
            have = ", ".join(map(str, numbers))
            raise ValueError(f"there is no subprogramme {sp}; the programme has {have}")
        if lang not in languages.answered():
            offered = ", ".join(f"{languages.get(c).name} ({c})" for c in languages.answered())
            raise ValueError(f"the tour is in {offered}, not {lang!r}")
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
        say = messages(lang)
        return Card(key, say(f"tour.card.{key}"), lead, lines, sources, say("tour.unofficial"))

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
        lead = messages(lang)(
            "tour.lead.measured",
            sp=sp,
            accomplishments=_counted(len(records), "accomplishment", lang),
            indicators=_counted(indicators, "indicator", lang),
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
        parts = [
            _counted(n, body, lang)
            for body in (CHARTER, GENERAL_ASSEMBLY, SECURITY_COUNCIL)
            if (n := sum(1 for m in mandates if m.body == body))
        ]
        lead = messages(lang)(
            "tour.lead.mandates",
            sp=sp,
            mandates=_counted(len(mandates), "mandate", lang),
            listed=messages(lang).join(parts),
            ref=ref,
        )
        return self._card(MANDATES, lang, lead, lines, [listing.id])

    def _meets(self, sp: int, lang: str) -> Card:
        lines, sources = meeting_points(self.read, sp, lang)
        names = list(dict.fromkeys(line.label or "" for line in lines))
        refs = list(dict.fromkeys(line.ref or "" for line in lines))
        if not lines:
            ref = reference(self.read.strategy(sp)[0], lang)
            lead = messages(lang)("tour.lead.none", sp=sp, ref=ref)
            return self._card(MEETS, lang, lead, [], [])
        lead = messages(lang)(
            "tour.lead.meets",
            sp=sp,
            places=_counted(len(lines), "place", lang),
            listed=messages(lang).join(names),
            refs=languages.get(lang).separator.join(refs),
        )
        return self._card(MEETS, lang, lead, lines, sources)


def _counted(n: int, noun: str, lang: str) -> str:
    """'3 expected accomplishments', '1 réalisation escomptée', '3项预期成果'; the Charter is
    named, not counted."""
    key = noun.lower().replace(" ", "_")
    return messages(lang).count(f"tour.count.{key}", n)


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
            text = messages(lang)(
                "tour.also",
                title=read.title(m, lang),
                others=messages(lang)("list.separator").join(map(str, others)),
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
        if term.kind not in ("subprogramme", "division", "body") or term.original not in texts[sp]:
            continue
        if sum(term.original in text for text in texts.values()) > 2:
            continue  # Member States, the Secretary-General: everyone's, so nobody's in particular
        naming = [p for p in orientation if term.original in p.text]
        if len(naming) != 1 or naming[0].id in sources:
            continue  # not named there, or named so widely that it is generic
        p = naming[0]
        sentence = _sentence_naming(read, p, term, lang)
        name = term.name_in(lang)
        lines.append(Line(sentence, reference(p, lang), name))
        sources.append(p.id)
    return lines, sources


def _sentence_citing(read: Reader, p: Passage, m: Mandate, lang: str) -> str:
    """The sentence of `p` that cites mandate `m` (the whole paragraph when it is one)."""
    number = m.parsed.number if m.parsed else m.symbol
    clauses = read.clauses(p, lang)
    return next((c for c in clauses if number in c), clauses[0])


def _sentence_naming(read: Reader, p: Passage, term: Term, lang: str) -> str:
    """The clause of `p` that names a term, in the tour's language where the translation
    names it too, else the Chinese clause (the original is never wrong)."""
    needles = (term.original,) if lang == term.language else term.names_in(lang)
    for clause in read.clauses(p, lang):
        if any(n.lower() in clause.lower() for n in needles):
            return clause
    return next(c for c in read.clauses(p, term.language) if term.original in c)


@lru_cache(maxsize=8)  # documents compare by identity: a reloaded library is read anew
def _guide(document: Document) -> TourGuide:
    return TourGuide(document.programme, document.glossary)
