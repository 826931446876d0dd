"""The programme's structure, read off the parsed records and the glossary: who does what,
serving whom, measured how, under which mandates.

Nothing here is typed in by hand, so a change to the text changes the outline (and the map drawn
from it, bot/onboarding/map/draw.py):

- the Department: "本方案的实质性责任由政治事务部承担" in the overall orientation;
- each subprogramme's units: "责任由…承担" in its strategy ("各区域司，即非洲一司、…" gives the
  regional divisions and their members; "，政策规划股将提供协助" a unit that assists); a
  subprogramme whose strategy names nobody is carried by the Office it is named after, under
  the short name its first strategy paragraph gives in brackets;
- the bodies served: the decision-making organs of para. 2.2 ("向…等决策机关提供实质性支助"),
  each served by the unit whose strategy names it, with the bodies its clause names in
  particular ("…，特别是制裁委员会、反恐怖主义委员会…提供") or beside it ("…特别委员会及大会");
- indicators and mandates: the expected-accomplishment records and the mandate lists.

English names come from the glossary (an unofficial translation), text from the translation data.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.records.glossary import Glossary, Term
from bot.records.model import CHARTER, GENERAL_ASSEMBLY, PARAGRAPH, SECURITY_COUNCIL, Programme
from bot.records.parser import load_programme
from bot.records.reader import Reader

BODIES = (CHARTER, GENERAL_ASSEMBLY, SECURITY_COUNCIL)  # the order mandates are counted in

_CARRIED_BY = re.compile(r"责任由(?P<lead>[^。]+?)承担(?:，(?P<assist>[^，。]+?)将提供协助)?")
_MEMBERS = "，即"
_ORGANS = re.compile(r"向(?P<organs>[^。]+?)等决策机关")
_ORGAN_SPLIT = re.compile(r"、|及(?!其)")
_ITS_OWN = "及其"  # "安全理事会及其附属机构": the Council and its subsidiary bodies
_CLAUSE_END = re.compile(r"提供|。")
_IN_PARTICULAR = "特别是"
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9-]{1,6}$")
_OBJECTIVE_PREFIX = re.compile(r"^(本组织的目标[：:]\s*|Objective of the Organization:\s*)")
LONG_NAME = 100  # an English name longer than this is shown by its longest alias that fits
SHORT_NAME = 60


class OutlineError(ValueError):
    """The text does not say what the outline needs (who carries the programme)."""


@dataclass(frozen=True)
class Text:
    """One thing said in both languages (the English is an unofficial translation)."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Name(Text):
    acronym: str | None = None  # from the glossary's English aliases: SCAD, UNSCO, C-24

    def label(self, lang: str) -> str:
        """'Security Council Affairs Division (SCAD)', 'Regional divisions'; in Chinese the
        name alone."""
        if lang == "zh":
            return self.zh
        name = self.en[:1].upper() + self.en[1:]
        return f"{name} ({self.acronym})" if self.acronym and self.acronym != self.en else name


@dataclass(frozen=True)
class Unit:
    name: Name
    members: tuple[Name, ...] = ()  # the regional divisions: Africa I Division, …
    assists: bool = False  # "政策规划股将提供协助"


@dataclass(frozen=True)
class Served:
    name: Name
    in_particular: tuple[Name, ...] = ()  # "特别是制裁委员会、…": the sanctions committees, …


@dataclass(frozen=True)
class Accomplishment:
    label: str | None  # "(a)"; None where the table has no letters
    text: Text
    indicators: tuple[Text, ...]


@dataclass(frozen=True)
class MandateEntry:
    symbol: str
    body: str  # CHARTER | GENERAL_ASSEMBLY | SECURITY_COUNCIL
    title: Text


@dataclass(frozen=True)
class SubprogrammeOutline:
    number: int
    title: Name
    objective: Text
    units: tuple[Unit, ...]
    serves: tuple[Served, ...]
    accomplishments: tuple[Accomplishment, ...]
    mandates: tuple[MandateEntry, ...]

    @property
    def indicator_count(self) -> int:
        return sum(len(a.indicators) for a in self.accomplishments)

    def mandate_counts(self) -> dict[str, int]:
        counts = Counter(m.body for m in self.mandates)
        return {body: counts[body] for body in BODIES if counts[body]}

    def name(self, lang: str) -> str:
        """'Subprogramme 3: Security Council affairs' / '次级方案3：安全理事会事务'."""
        if lang == "zh":
            return f"次级方案{self.number}：{self.title.zh}"
        return f"Subprogramme {self.number}: {self.title.en}"


@dataclass(frozen=True)
class Outline:
    department: Name
    subprogrammes: tuple[SubprogrammeOutline, ...]

    def subprogramme(self, number: int) -> SubprogrammeOutline:
        for sp in self.subprogrammes:
            if sp.number == number:
                return sp
        numbers = ", ".join(str(sp.number) for sp in self.subprogrammes)
        raise OutlineError(f"there is no subprogramme {number}; the programme has {numbers}")


# ---------------------------------------------------------------------------- reading


class _Names:
    """Chinese names → Name, through the glossary."""

    def __init__(self, glossary: Glossary) -> None:
        self._terms: dict[str, Term] = {}
        for term in glossary.terms:
            self._terms.setdefault(term.original, term)

    def __call__(self, zh: str) -> Name:
        term = self._terms.get(zh)
        if term is None:
            if _ITS_OWN in zh:  # "X及其Y": "X and its Y"
                whole, _, part = zh.partition(_ITS_OWN)
                return Name(zh, f"{self(whole).en} and its {self(part).en}")
            return Name(zh, zh)  # not in the glossary: the Chinese name serves in English too
        en = term.name_in("en")
        aliases = term.aliases.get("en", ())
        if len(en) > LONG_NAME:  # the Special Committee's 150-character name
            fitting = [a for a in aliases if len(a) <= SHORT_NAME and " " in a]
            en = max(fitting, key=len, default=en)
        acronym = next((a for a in aliases if _ACRONYM.match(a)), None)
        return Name(zh, en, acronym)

    def known(self, zh: str) -> bool:
        return zh in self._terms

    def bodies_in(self, text: str) -> list[str]:
        """Glossary bodies named in `text`, in order, a name inside a longer one left out."""
        found = [
            (text.index(zh), zh) for zh, t in self._terms.items() if t.kind == "body" and zh in text
        ]
        kept = [(i, zh) for i, zh in found if not any(zh != o and zh in o for _, o in found)]
        return [zh for _, zh in sorted(kept)]


def _without_prefix(text: str) -> str:
    return _OBJECTIVE_PREFIX.sub("", text.strip())


def read_outline(programme: Programme, glossary: Glossary) -> Outline:
    """The outline of the parsed programme. Raises OutlineError when the orientation does not
    say which department carries the programme."""
    read = Reader(programme, glossary)
    names = _Names(glossary)
    orientation = [
        p for p in programme.retrievable() if p.kind == PARAGRAPH and p.subprogramme is None
    ]
    department = next(
        (m.group("lead") for p in orientation if (m := _CARRIED_BY.search(p.text))), None
    )
    if department is None:
        raise OutlineError("the overall orientation names no department that carries it")
    organs = [
        organ
        for p in orientation
        for m in _ORGANS.finditer(p.text)
        for organ in _ORGAN_SPLIT.split(m.group("organs"))
        if organ
    ]
    subprogrammes = tuple(
        _subprogramme(read, names, sp, organs) for sp in sorted(programme.subprogrammes)
    )
    return Outline(names(department), subprogrammes)


def _subprogramme(read: Reader, names: _Names, sp: int, organs: list[str]) -> SubprogrammeOutline:
    programme = read.programme
    title = programme.subprogrammes[sp].title
    objective = programme.passage(f"sp{sp}.objective")
    accomplishments = []
    for p in read.records(sp, "accomplishment"):
        zh_text, zh_indicators = read.accomplishment(p, "zh")
        en_text, en_indicators = read.accomplishment(p, "en")
        accomplishments.append(
            Accomplishment(
                p.label,
                Text(zh_text, en_text),
                tuple(Text(z, e) for z, e in zip(zh_indicators, en_indicators, strict=True)),
            )
        )
    mandates = tuple(
        MandateEntry(m.symbol, m.body, Text(read.title(m, "zh"), read.title(m, "en")))
        for m in read.sp_mandates(sp)
    )
    return SubprogrammeOutline(
        number=sp,
        title=names(title),
        objective=Text(
            _without_prefix(objective.text),
            _without_prefix(objective.text_in("en") or objective.text),
        ),
        units=_units(read, names, sp, title),
        serves=_served(read, names, sp, organs),
        accomplishments=tuple(accomplishments),
        mandates=mandates,
    )


def _units(read: Reader, names: _Names, sp: int, title: str) -> tuple[Unit, ...]:
    strategy = read.strategy(sp)
    for p in strategy:
        m = _CARRIED_BY.search(p.text)
        if m:
            lead, _, members = m.group("lead").partition(_MEMBERS)
            units = [Unit(names(lead), tuple(names(x) for x in members.split("、") if x))]
            if m.group("assist"):
                units.append(Unit(names(m.group("assist")), assists=True))
            return tuple(units)
    # Nobody named: the Office the subprogramme is named after, by the short name it is given
    # in brackets where the strategy first names it ("…办事处(中东和平进程协调员办事处)").
    short = re.search(
        re.escape(title) + r"\s*[（(]([^)）]+)[)）]", strategy[0].text if strategy else ""
    )
    name = short.group(1) if short and names.known(short.group(1)) else title
    return (Unit(names(name)),)


def _served(read: Reader, names: _Names, sp: int, organs: list[str]) -> tuple[Served, ...]:
    served: list[Served] = []
    for organ in organs:
        where = next((p.text for p in read.strategy(sp) if organ in p.text), None)
        if where is None:
            continue
        rest = where[where.index(organ) + len(organ) :]
        clause = rest[: m.start()] if (m := _CLAUSE_END.search(rest)) else rest
        also, _, particular = clause.partition(_IN_PARTICULAR)
        named = tuple(names(b) for b in names.bodies_in(particular))
        served.append(Served(names(organ), named))
        served += [Served(names(b)) for b in names.bodies_in(also)]  # "…特别委员会及大会"
    return tuple(served)


def load_outline(folder: Path) -> Outline:
    """The outline of a document folder's text and glossary (CorpusError, OutlineError when the
    text is not what the parser or the outline expects)."""
    programme = load_programme(folder)
    return read_outline(programme, Glossary.load(folder, programme.language))
