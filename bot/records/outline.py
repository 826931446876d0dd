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
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.languages.messages import messages
from bot.records.glossary import Glossary, Term
from bot.records.labels import programme_name
from bot.records.model import CHARTER, GENERAL_ASSEMBLY, SECURITY_COUNCIL, Programme
from bot.records.parser import load_programme, translated_languages
from bot.records.reader import Reader
from bot.records.sentences import without_label

BODIES = (CHARTER, GENERAL_ASSEMBLY, SECURITY_COUNCIL)  # the order mandates are counted in

_CARRIED_BY = re.compile(r"责任由(?P<lead>[^。]+?)承担(?:，(?P<assist>[^，。]+?)将提供协助)?")
_MEMBERS = "，即"
_ORGANS = re.compile(r"向(?P<organs>[^。]+?)等决策机关")
_ORGAN_SPLIT = re.compile(r"、|及(?!其)")
_ITS_OWN = "及其"  # "安全理事会及其附属机构": the Council and its subsidiary bodies
_CLAUSE_END = re.compile(r"提供|。")
_IN_PARTICULAR = "特别是"
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9-]{1,6}$")
LONG_NAME = 100  # an English name longer than this is shown by its longest alias that fits
SHORT_NAME = 60


def assisting(text: str) -> str | None:
    """The words naming the unit that assists in a sentence saying who carries a subprogramme
    ("…承担，政策规划股将提供协助" → "政策规划股"), or None."""
    m = _CARRIED_BY.search(text)
    return m.group("assist") if m else None


class OutlineError(ValueError):
    """The text does not say what the outline needs (who carries the programme)."""


@dataclass(frozen=True)
class Text:
    """One thing said as the text says it and in every language it is translated into (an
    unofficial translation)."""

    original: str
    translations: Mapping[str, str] = field(default_factory=dict, hash=False)

    def get(self, lang: str) -> str:
        return self.translations.get(lang) or self.original


@dataclass(frozen=True)
class Name(Text):
    # By language, from the glossary's short forms: SCAD, UNSCO, C-24 · DACS.
    acronyms: Mapping[str, str] = field(default_factory=dict, hash=False)

    def label(self, lang: str) -> str:
        """'Security Council Affairs Division (SCAD)', 'Regional divisions'; in the text's
        own language the name alone."""
        if lang not in self.translations:
            return self.original
        text = self.translations[lang]
        name = text[:1].upper() + text[1:]
        acronym = self.acronyms.get(lang)
        return f"{name} ({acronym})" if acronym and acronym != text else name

    def acronym(self, lang: str) -> str | None:
        return self.acronyms.get(lang) if lang in self.translations else None


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
        return messages(lang)("programme.subprogramme", sp=self.number, title=self.title.get(lang))


@dataclass(frozen=True)
class Outline:
    department: Name
    subprogrammes: tuple[SubprogrammeOutline, ...]
    # The programme's name ("Programme 2: Political affairs") as written and by language.
    programme: Text = field(default_factory=lambda: Text(""))
    language: str = ""  # the language the text is written in

    def subprogramme(self, number: int) -> SubprogrammeOutline:
        for sp in self.subprogrammes:
            if sp.number == number:
                return sp
        numbers = ", ".join(str(sp.number) for sp in self.subprogrammes)
        raise OutlineError(f"there is no subprogramme {number}; the programme has {numbers}")


# ---------------------------------------------------------------------------- reading


class _Names:
    """Names as the text writes them → Name, through the glossary, in every language the
    records are translated into."""

    def __init__(self, glossary: Glossary, translated: tuple[str, ...]) -> None:
        self._terms: dict[str, Term] = {}
        for term in glossary.terms:
            self._terms.setdefault(term.original, term)
        self._translated = translated

    def __call__(self, zh: str) -> Name:
        term = self._terms.get(zh)
        if term is None:
            if _ITS_OWN in zh:  # "X及其Y": "X and its Y"
                whole, _, part = zh.partition(_ITS_OWN)
                return Name(
                    zh,
                    {
                        lang: messages(lang)(
                            "map.its_own", whole=self(whole).get(lang), part=self(part).get(lang)
                        )
                        for lang in self._translated
                    },
                )
            # Not in the glossary: the name as written serves in every language.
            return Name(zh, dict.fromkeys(self._translated, zh))
        names: dict[str, str] = {}
        acronyms: dict[str, str] = {}
        for lang in self._translated:
            name = term.name_in(lang)
            aliases = term.aliases.get(lang, ())
            if len(name) > LONG_NAME:  # the Special Committee's 150-character name
                fitting = [a for a in aliases if len(a) <= SHORT_NAME and " " in a]
                name = max(fitting, key=len, default=name)
            names[lang] = name
            acronym = next((a for a in aliases if _ACRONYM.match(a)), None)
            if acronym:
                acronyms[lang] = acronym
        return Name(zh, names, acronyms)

    def known(self, zh: str) -> bool:
        return zh in self._terms

    def bodies_in(self, text: str) -> list[str]:
        """Glossary bodies named in `text`, in order, a name inside a longer one left out."""
        found = [
            (text.index(zh), zh) for zh, t in self._terms.items() if t.kind == "body" and zh in text
        ]
        kept = [(i, zh) for i, zh in found if not any(zh != o and zh in o for _, o in found)]
        return [zh for _, zh in sorted(kept)]


def read_outline(programme: Programme, glossary: Glossary) -> Outline:
    """The outline of the parsed programme. Raises OutlineError when the orientation does not
    say which department carries the programme."""
    read = Reader(programme, glossary)
    names = _Names(glossary, translated_languages(programme.language))
    orientation = programme.orientation()
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
    translated = translated_languages(programme.language)
    name = Text(
        programme_name(programme, programme.language),
        {lang: programme_name(programme, lang) for lang in translated},
    )
    return Outline(names(department), subprogrammes, name, programme.language)


def _subprogramme(read: Reader, names: _Names, sp: int, organs: list[str]) -> SubprogrammeOutline:
    programme = read.programme
    title = programme.subprogrammes[sp].title
    objective = programme.passage(f"sp{sp}.objective")
    translated = translated_languages(programme.language)
    accomplishments = []
    for p in read.records(sp, "accomplishment"):
        text, indicators = read.accomplishment(p, programme.language)
        read_in = {lang: read.accomplishment(p, lang) for lang in translated}
        accomplishments.append(
            Accomplishment(
                p.label,
                Text(text, {lang: t for lang, (t, _) in read_in.items()}),
                tuple(
                    Text(indicator, {lang: i[k] for lang, (_, i) in read_in.items()})
                    for k, indicator in enumerate(indicators)
                ),
            )
        )
    mandates = tuple(
        MandateEntry(
            m.symbol, m.body, Text(m.title, {lang: read.title(m, lang) for lang in translated})
        )
        for m in read.sp_mandates(sp)
    )
    return SubprogrammeOutline(
        number=sp,
        title=names(title),
        objective=Text(
            without_label(objective.text),
            {lang: without_label(objective.text_in(lang) or objective.text) for lang in translated},
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
