"""Question analysis: what a question is in, names, asks for, and what it leans on.

One pass over each part of a question, done once and carried to the end of the path (router,
handlers, evidence, typed items, composer): its language, tokens and own words, the resolution
symbols it names, the glossary terms (units, bodies, topics) it names, the subprogrammes and
record kinds it focuses on, whether it asks for resolutions, the type of answer it expects,
whether it is about the whole programme, a newcomer's question or a unit's duties, the names it
uses that the programme never mentions, a filter on the previous list, and the conversation
turn (or the earlier part of the same question) it follows up.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from bot.answer import Answer
from bot.languages import answer_language, answered, detect
from bot.languages.cues import (
    alternation,
    any_word_of,
    cue_of,
    ordinal,
    speaking_of_themselves,
    subprogramme_numbered,
    without_restated_title,
)
from bot.languages.registry import HAN, LATIN, read_as_written
from bot.languages.symbols import Symbol, find_symbols
from bot.languages.text import clean_question, fixed_tokens, sanitize, tokenize
from bot.question import facets as f
from bot.question.answer_type import (
    ARTICLE,
    BODY,
    DATE,
    NUMBER,
    RESOLUTION,
    UNIT,
    YES_NO,
)
from bot.question.conversation import (
    Context,
    asked_before,
    follow_up_context,
    ordinal_reference,
    part_context,
    points_back,
    stands_for_something_before,
    switched_unit,
)
from bot.question.filters import ListFilter, read_filter
from bot.question.linking import Linker, respelt
from bot.question.names import NameIndex
from bot.question.parts import Part, asking_sentences, split_parts, what_is_asked
from bot.records.glossary import Glossary, Term
from bot.records.model import ACCOMPLISHMENT, MANDATE_LIST, OBJECTIVE, PARAGRAPH

# "In 2.3, …", "para 2.8", "第2.11段": the question names the paragraph it is about.
_PARAGRAPH_REF = re.compile(
    r"(?:\bpara(?:graph)?s?\.?\s*|\bpar\.\s*|\bparagraphe\s*|\bin\s+|\bau\s+|§\s*|第\s*)"
    r"(\d{1,3}\.\d{1,2})(?![\d/%])"  # a paragraph of the programme's, or of none
    r"|(?<![\d.])(\d{1,3}\.\d{1,2})\s*段",  # "2.5段"
    re.IGNORECASE,
)
# After a paragraph named, another of the same chapter named by its number alone ("le 2.5").
_ANOTHER_PARAGRAPH = re.compile(r"(?<![\d.])(\d{1,3})\.(\d{1,2})(?![\d/%]|\.\d)")


def paragraphs_named(question: str) -> list[str]:
    """The paragraphs a question names, in order, each once: "paras 2.4 and 2.5", "2.4段和2.5段",
    "le para 2.4 et le 2.5"."""
    first = _PARAGRAPH_REF.search(question)
    if not first:
        return []
    named = [first.group(1) or first.group(2)]
    chapter = named[0].split(".")[0]
    for m in _ANOTHER_PARAGRAPH.finditer(question, first.end()):
        if m.group(1) == chapter and m.group() not in named:
            named.append(m.group())
    return named


_BARE_NUMBER = re.compile(r"(?<![\d/.])(\d{3,4})(?![\d/.%])")
UNIT_KINDS = ("subprogramme", "division", "department")
# What each facet asks for, in the terms the routes read: the type of the answer's lead item…
FACET_TYPES = {
    f.COUNT: NUMBER,
    f.DATE: DATE,
    f.ARTICLE: ARTICLE,
    f.WHICH_RESOLUTION: RESOLUTION,
    f.MANDATES: RESOLUTION,  # the list, unless a sentence of the best records names one
    f.RESPONSIBLE: UNIT,
    f.ASSISTS: UNIT,
    f.WHICH_BODY: BODY,
    f.PARTNERS: BODY,
    f.SERVED: BODY,  # whom a unit serves: the Council, its committees, Member States
    f.YES_NO: YES_NO,
    **{unheld: unheld for unheld in f.UNHELD_FACETS},  # declined, each with its reason
}
# …the kind of record it wants…
FACET_KINDS = {
    f.OBJECTIVE: OBJECTIVE,
    f.ACCOMPLISHMENTS: ACCOMPLISHMENT,
    f.INDICATORS: ACCOMPLISHMENT,
    f.STRATEGY: PARAGRAPH,
}
# …resolutions, a unit's work, a newcomer's card.
MANDATE_FACETS = (f.MANDATES, f.WHICH_RESOLUTION)
# Facets that, asked about the mandate list ("how many mandates…", "any SC resolutions?"),
# are asked of its resolutions; a unit, a date or an objective asked "under resolution X" is not.
OF_MANDATES = (f.COUNT, f.YES_NO, f.DETAIL, f.FILLER, None)
DUTY_FACETS = (f.DOES, f.ONBOARDING)
# Facets asked of each subprogramme a part names ("who leads SP3 and SP4?"): one line each.
EACH_SUBJECT = (
    f.DOES, f.OBJECTIVE, f.ACCOMPLISHMENTS, f.INDICATORS, f.STRATEGY, f.RESPONSIBLE, f.ASSISTS,
    f.SERVED, f.PARTNERS, f.MANDATES, f.COUNT,
)  # fmt: skip
Reader = Callable[[list[str]], list[f.Reading]]
# Section terms of the glossary → the record kind a question about them wants.
_SECTION_KINDS = {
    "本组织的目标": OBJECTIVE,
    "秘书处的预期成果": ACCOMPLISHMENT,
    "绩效指标": ACCOMPLISHMENT,
    "战略": PARAGRAPH,
    "授权文书": MANDATE_LIST,
    "大会决议": MANDATE_LIST,
    "安全理事会关于安理会就维护国际和平与安全问题所定任务的决议": MANDATE_LIST,
}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "premier": 1, "deuxième": 2, "troisième": 3, "quatrième": 4, "cinquième": 5,
    "sixième": 6, "un": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6,
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
}  # fmt: skip
_SP = r"(?:sub-?\s?programm?e?s?|sous-programmes?|次级方案|(?<![a-z])sp)"
_SP_NUMBER = re.compile(
    rf"{_SP}\s*(?:no\.?\s*|n°\s*|#\s*|-\s*)?([1-6])(?!\d)"
    rf"|{_SP}\s*(one|two|three|four|five|six|un|deux|trois|quatre|cinq|vi|iv|v|iii|ii|i)\b"
    r"|次级方案\s*([一二三四五六])"
    r"|\b(first|second|third|fourth|fifth|sixth|premier|deuxième|troisième|quatrième|cinquième|"
    r"sixième)\s+(?:sub-?\s?programm?e|sous-programme)"
    r"|第\s*([1-6一二三四五六])\s*(?:个)?次级方案",
    re.IGNORECASE,
)
# "Programme 2", "the programme", "本方案": the whole programme, not one subprogramme.
_WHOLE = re.compile(
    r"(?<!sub)(?<!sub-)(?<!sub )\bprogramm?e\s*(?:2|two)\b(?![./]\d)"
    r"|\b(?:the|this|whole|entire|overall|our|political affairs) programm?e\b(?!\s*\d)"
    r"|\bprogramm?e as a whole\b|\bDPA'?s? programme\b"
    r"|本方案|(?<!次级)方案\s*2(?![.\d])|整个方案|政治事务方案|方案的总目标|总目标"
    r"|(?<!sous-)\bprogramme\s*2\b|\b(?:le|du|au|l'ensemble du) programme\b(?!\s*\d)"
    r"|\bobjectif général\b",
    re.IGNORECASE,
)


def explicit_subprogramme(question: str) -> int | None:
    """ "subprogramme 3", "SP3", "第五次级方案", "fifth subprogramme", "次级方案五"."""
    m = _SP_NUMBER.search(question)
    if not m:
        named = subprogramme_numbered().search(question)  # "подпрограммы 2", "البرنامج الفرعي 5"
        return int(named.group(1)) if named else None
    digit, word, zh_after, ordinal, zh = m.groups()
    if digit:
        return int(digit)
    key = (word or zh_after or ordinal or zh or "").lower()
    return int(key) if key.isdigit() else _ORDINALS.get(key)


@cache
def _further_number() -> re.Pattern[str]:
    """Another subprogramme's bare number after one named: "SP3 and 4", "sous-programmes 5 et
    6", "次级方案1和2" (the registry's `and_words` join them)."""
    latin = "|".join(alternation("and_words", s) for s in (LATIN, "cyrillic", "arabic"))
    return re.compile(
        rf"\s*(?:[,，、/&+]|(?:{latin})(?=\s)|{alternation('and_words', HAN)})\s*"
        r"([1-6]|[一二三四五六])(?![\d.])",
        re.IGNORECASE,
    )


def explicit_subprogrammes(question: str) -> list[int]:
    """Every subprogramme named by number, in the order named, once each: "SP3 and SP4", "SP3
    and 4", "du SP5 et du SP6", "次级方案1和2"."""
    found: dict[int, int] = {}  # number → where it is named
    for m in [*_SP_NUMBER.finditer(question), *subprogramme_numbered().finditer(question)]:
        number = explicit_subprogramme(m.group(0))
        if number is not None:
            found.setdefault(number, m.start())
        end = m.end()
        while more := _further_number().match(question, end):
            number = int(more.group(1)) if more.group(1).isdigit() else _ORDINALS[more.group(1)]
            found.setdefault(number, more.start(1))
            end = more.end()
    return sorted(found, key=found.__getitem__)


_ASKED_IN_CHARS = 40  # "en français svp", "could you say that in English please?"


def _language_asked_for(question: str, previous: Answer) -> str | None:
    """The language a short follow-up asks the answer in ("en français svp", "用中文"): one the
    bot writes, named by the registry's `asked_in` cue, and nothing else asked."""
    if previous.abstained or len(question) > _ASKED_IN_CHARS:
        return None
    named = [code for code in answered() if cue_of(code, "asked_in").search(question)]
    return named[0] if len(named) == 1 else None


def _asks_the_facts_resolution(a: Analysis) -> bool:
    """A follow-up asking which resolution, of nothing of its own, after a fact read off a
    sentence that cites resolutions (not a unit's list: "and its mandates?" after "who runs
    SP4?" asks for that list)."""
    previous = a.previous
    return (
        previous is not None
        and previous.kind == "passages"
        and bool(previous.mandates)
        and a.reading.facet in f.kin_of(f.WHICH_RESOLUTION)
        and not (a.symbols or a.explicit_sp or a.unit_terms or a.topics or a.title_names)
        and a.ordinal is None  # "那后一项决议…": one of them, which the ordinal picks
    )


def _asking_tokens(asking: str, question: str, tokens: list[str], lang: str) -> list[str]:
    """The words of the sentences that ask, when they say enough on their own; else all of the
    question's ("Para 2.3 mentions a principle… Which one?": the statement holds the subject)."""
    if asking == question:
        return tokens
    own = tokenize(asking, lang)
    return own if len(own) >= 2 else tokens


def focus_kinds(terms: list[Term], facet: str | None) -> set[str]:
    """Kinds of record the question asks for: from its facet, or a section it names. Not the
    mandate lists: a topic's resolutions are found by their titles, and lists lifted above the
    paragraphs that cite a topic's resolutions let unrelated titles into the margin."""
    kinds = {
        _SECTION_KINDS[t.original]
        for t in terms
        if t.original in _SECTION_KINDS and _SECTION_KINDS[t.original] != MANDATE_LIST
    }
    if facet in FACET_KINDS:
        kinds.add(FACET_KINDS[facet])
    return kinds


@dataclass
class Analysis:
    asked: str  # as asked, sanitized: reported back
    question: str  # cleaned for matching (and, for a switched follow-up, the question re-asked)
    language: str  # the answer's: the asker's when the bot writes it (en, zh, fr), else English
    tokens: list[str]
    terms: list[Term]  # glossary terms named (English names in English questions, Chinese)
    symbols: list[Symbol]
    answer_type: str | None
    wants_mandates: bool
    explicit_sp: int | None
    kinds: set[str]
    context: Context | None = None
    unit_phrases: list[tuple[tuple[str, ...], Term]] = field(default_factory=list)
    term_phrases: list[tuple[tuple[str, ...], Term]] = field(default_factory=list)
    forced_sp: int | None = None  # a follow-up that switches the unit ("那次级方案5呢？")
    paragraph: str | None = None  # the paragraph it names ("In 2.3, …")
    # The question's own words: no lone character (司, 股: parts of names), no word of a
    # unit or body it names (各区域司 → 区域): typed items are looked for near these.
    words: tuple[str, ...] = ()
    unit_tokens: set[str] = field(default_factory=set)  # words naming units, not topics
    subjects: list[Term] = field(default_factory=list)  # the units and bodies it names
    whole_programme: bool = False  # "Programme 2", "the programme", "本方案"
    programme_objective: bool = False  # the programme's own objective (para. 2.1), no SP's
    newcomer: bool = False  # "I just joined SCAD…"
    asks_duties: bool = False  # "what does X do", "职责"
    unheld: list[str] = field(default_factory=list)  # names the programme never mentions
    list_filter: ListFilter | None = None  # "which of them are SC resolutions?"
    previous: Answer | None = None  # the conversation's last answer
    interpreted: str = ""  # the question as understood, for the next turn to build on
    asked_language: str = ""  # the question's own (one of the six UN languages)
    reading: f.Reading = f.NO_READING  # its facet, as the classifier read it
    ordinal: int | None = None  # "the second accomplishment", "第三项"
    # Its words in the sentences that ask (not "my draft says 1976…"): what the text must know.
    asking_tokens: list[str] | None = None
    # What it names that only resolutions' titles name ("缅甸"): those resolutions answer it.
    title_names: list[str] = field(default_factory=list)

    @property
    def foreign(self) -> bool:
        """Asked in a language the bot does not write (Arabic, Russian, Spanish)."""
        return self.asked_language not in answered()

    @property
    def mandates_of_nothing(self) -> bool:
        """Resolutions asked for something only a pronoun names, with no earlier turn or part
        it could stand for ("and which resolutions mandate it?" as a first question)."""
        return (
            self.wants_mandates
            and self.previous is None
            and self.context is None
            and stands_for_something_before(self.question)
            and not (self.symbols or self.explicit_sp or self.unit_terms or self.paragraph)
            and not self.whole_programme
            and not [t for t in self.terms if t.kind != "section"]  # "resolutions" is a section
        )

    @property
    def glossary_tokens(self) -> set[str]:
        """Words of the question that are part of a glossary name it uses."""
        return {tok for phrase, _ in self.term_phrases for tok in phrase}

    @property
    def topics(self) -> list[Term]:
        """The topics of the programme's work it names (the glossary's terms: sanctions,
        mediation, …), not its units, bodies or sections."""
        return [t for t in self.terms if t.kind == "term" and t.original not in _SECTION_KINDS]

    @property
    def unit_terms(self) -> list[Term]:
        return [t for t in self.terms if t.kind in UNIT_KINDS]

    @property
    def token_set(self) -> frozenset[str]:
        return frozenset(self.tokens)


class Analyser:
    def __init__(
        self,
        glossary: Glossary,
        standalone_numbers: set[str],
        focus_of: Callable[[Analysis], set[int]],
        names: NameIndex | None = None,
        scope_of: Callable[[Analysis], set[int | None]] | None = None,
        read_facets: Reader | None = None,
    ) -> None:
        self.glossary = glossary
        self.numbers = standalone_numbers  # resolution numbers that stand alone ("1373")
        self.focus_of = focus_of  # the subprogrammes a question is about (the retriever knows)
        self.names = names  # what the programme mentions, to spot names it does not
        self.linker = Linker(glossary, names.known) if names else None
        # The subprogrammes a question is about in its conversation (a part inherits them).
        self.scope_of = scope_of or focus_of
        # What questions ask (bot.question.facets), several read in one batch.
        self.read_facets: Reader = read_facets or (lambda texts: [f.NO_READING for _ in texts])

    def read(
        self, question: str, previous: Answer | None = None, want_mandates: bool = False
    ) -> list[Analysis]:
        """Each part of the question, analysed; a later part inherits the unit (or the
        resolution) of the part before it when it names none of its own."""
        out: list[Analysis] = []
        # Pieces are read as a whole question is: shorthand spelt out ("res" → "resolution").
        read = lambda texts: self.read_facets([clean_question(t) for t in texts])  # noqa: E731
        parts = split_parts(question, read) if not want_mandates else [Part(question)]
        for part in parts:
            a = self.analyse(part.text, previous, want_mandates, part.reading)
            if out:
                # A later part leans on the earlier one: its unit, or its resolution, when it
                # names none of its own; its words when it points back ("one of THEM").
                before = out[-1]
                own = a.symbols or a.explicit_sp or self.focus_of(a)
                focus = {sp for sp in self.scope_of(before) if sp is not None}
                inherited = part_context(
                    a.question,
                    before.question,
                    next(iter(focus)) if len(focus) == 1 and not own else None,
                    before.symbols[0] if len(before.symbols) == 1 and not own else None,
                )
                a.context = inherited or a.context
                a.whole_programme = a.whole_programme or (before.whole_programme and not own)
                if before.unheld and not own and not a.unheld and points_back(a.question):
                    # "what about UNOWA? what's its role?": the name the text never mentions is
                    # what the later part asks about too.
                    a.unheld = list(before.unheld)
                if before.reading.facet in f.UNHELD_FACETS and not (own or a.terms or a.symbols):
                    # "下一次加勒比区域研讨会在哪个国家开？具体日期是什么时候？": a part naming
                    # nothing of its own asks about what the part before asked, which the text
                    # does not hold either.
                    a.reading = before.reading
                    a.answer_type = before.answer_type
                if before.paragraph and not (a.paragraph or own):
                    # "Le paragraphe 2.5 parle de quoi ? et le 2.4 ?": a number of the same
                    # chapter after a paragraph asked about is another paragraph.
                    chapter = before.paragraph.split(".")[0]
                    again = [
                        m.group()
                        for m in _ANOTHER_PARAGRAPH.finditer(a.question)
                        if m.group(1) == chapter
                    ]
                    a.paragraph = again[0] if len(again) == 1 else None
                if len(before.symbols) == 1 and not a.symbols and points_back(a.question):
                    # "what about 1267 (1999)? is that in SCAD's mandates?": the resolution is
                    # what the later part asks about, whatever unit it names.
                    a.symbols = list(before.symbols)
            out.extend(self._each_subject(a))
        return out

    def _each_subject(self, a: Analysis) -> list[Analysis]:
        """A part asking one thing of several subprogrammes ("who leads SP3 and SP4?", "SP1和SP2
        分别由哪个司负责？") → that thing asked of each, in the order named. Not a topic's or a
        filter's resolutions ("which resolutions of SP1 and SP4 cover Gibraltar?"). Several
        paragraphs named ("c'est quoi le para 2.4 et le 2.5 ?"): each is asked of."""
        named = paragraphs_named(a.question)
        if len(named) > 1:
            return [dataclasses.replace(a, paragraph=n) for n in named]
        if a.reading.facet not in EACH_SUBJECT or a.forced_sp or a.symbols:
            return [a]
        if a.reading.facet == f.MANDATES and (a.topics or a.title_names or a.list_filter):
            return [a]
        numbers = explicit_subprogrammes(a.question)
        if len(numbers) < 2:
            return [a]
        return [dataclasses.replace(a, explicit_sp=n) for n in numbers]

    def analyse(
        self,
        question: str,
        previous: Answer | None = None,
        want_mandates: bool = False,
        reading: f.Reading | None = None,
    ) -> Analysis:
        """One part of a question; `reading` is its facet when the part's cutting read it."""
        asked = sanitize(question)
        # "programme 2 (political affairs)": the number names it; its title's words match
        # other records' names.
        cleaned = without_restated_title(clean_question(question))
        if self.names:
            # The asker's language is detected only when a word needs respelling (rarely).
            said_in = lru_cache(maxsize=1)(lambda: detect(question))
            cleaned = respelt(cleaned, lambda w: self.names.respell(w, said_in))
        context = follow_up_context(cleaned, previous)
        forced = None
        in_language = None
        list_filter = read_filter(cleaned, previous) if previous is not None else None
        if previous is not None and list_filter is None:
            ordinal = ordinal_reference(cleaned, previous)
            if ordinal:
                cleaned, context, reading = ordinal, None, None  # "the fourth one" → what it names
            elif (wanted := _language_asked_for(cleaned, previous)) is not None:
                # "en français svp": the previous question, answered in that language.
                cleaned, context, reading = asked_before(previous), None, None
                forced = previous.scope.subprogramme if previous.scope else None
                in_language = wanted
            elif switched_unit(cleaned, previous) or self._asks_again(cleaned, previous, reading):
                named = self.focus_of(self._analyse(cleaned, cleaned, False))
                if len(named) == 1:
                    # "what about subprogramme 5?": the previous question, about that unit.
                    cleaned, forced, context = asked_before(previous), next(iter(named)), None
                    reading = None
        a = self._analyse(asked, cleaned, want_mandates, reading)
        if in_language:
            a.language = in_language
        a.context = context
        a.forced_sp = forced
        a.list_filter = list_filter
        a.previous = previous
        a.interpreted = cleaned
        if previous is not None and previous.kind == "lookup" and not a.symbols:
            # "is 1373 covered?" → "ok and 1624?": a bare number after a resolution looked up
            # is another resolution's, listed or not.
            a.symbols = [Symbol(None, n) for n in _BARE_NUMBER.findall(cleaned)]
        if context is not None and previous is not None and _asks_the_facts_resolution(a):
            # "When was CEIRPP established?" → "by which resolution?": the one the fact cites.
            cited = " ".join(m.symbol for m in previous.mandates)
            a.symbols = [m.symbol for m in find_symbols(cited)]
        return a

    def _asks_again(self, question: str, previous: Answer, reading: f.Reading | None) -> bool:
        """The previous question, asked of another subject ("et celui du SP5 ?", "а для
        подпрограммы 4?"): read from the bank's `again` examples."""
        if previous.abstained:
            return False
        reading = reading or self.read_facets([what_is_asked(question)])[0]
        return reading.facet == f.AGAIN

    def _analyse(
        self, asked: str, question: str, want_mandates: bool, reading: f.Reading | None = None
    ) -> Analysis:
        asked_language = detect(question)
        language = answer_language(asked_language)
        tokens = tokenize(question, asked_language)  # its language's function words out too
        asking = asking_sentences(question)
        # The phrases matched once: the terms named in English are theirs.
        phrases = self.glossary.english_matches(tokens, asked_language)
        terms = self.glossary.terms_of(phrases) if language != "zh" else []
        chinese = self.glossary.terms_in_chinese(question)
        terms += [t for t in chinese if t not in terms]
        if read_as_written(asked_language):
            written = self.glossary.terms_written_in(question, asked_language)
            terms += [t for t in written if t not in terms]
        if self.linker and language != "zh":  # "Securty Councel Afairs Divison"
            terms += [t for t in self.linker.misspelt(question) if t not in terms]
        symbols = [m.symbol for m in find_symbols(question)] or self.bare_numbers(question)
        units = [(p, t) for p, t in phrases if t.kind != "term"]
        reading = reading or self.read_facets([what_is_asked(question)])[0]
        if reading.facet == f.AGAIN:  # of nothing before: what it names is what it asks about
            reading = dataclasses.replace(reading, facet=None)
        facet = reading.facet
        answer_type = FACET_TYPES.get(facet) if facet else None
        paragraph = _PARAGRAPH_REF.search(question)
        unit_tokens = {tok for phrase, _ in units for tok in phrase}
        unit_tokens |= {
            tok
            for t in terms
            if t.kind != "term"
            for name in t.names_in(t.language)
            if name in question
            for tok in fixed_tokens(name)
        }
        named = set(fixed_tokens(" ".join(n for t in chinese for n in t.names_in(t.language))))
        english = self.glossary.terms_in_english(tokens) if language == "zh" else []
        explicit = explicit_subprogramme(question)
        whole = explicit is None and bool(
            _WHOLE.search(question) or any_word_of("whole_programme").search(question)
        )
        kinds = focus_kinds(terms, facet)
        names_mandates = any(_SECTION_KINDS.get(t.original) == MANDATE_LIST for t in terms)
        programme_objective = whole and OBJECTIVE in kinds
        titled = []
        # "… about Myanmar?", "C'est quoi le GUUAM ?"; "Quelle résolution sur l'embargo contre
        # Cuba ?" read as a vote still asks for a resolution ("Has Tokelau held a referendum
        # since…?" asks for none).
        if facet not in f.UNHELD_FACETS or (facet == f.VOTE and names_mandates):
            titled = self._named_in_titles_only(question, terms, explicit, asked_language)
        return Analysis(
            asked=asked,
            question=question,
            language=language,
            tokens=tokens,
            terms=terms,
            symbols=symbols,
            answer_type=answer_type,
            wants_mandates=want_mandates
            or facet in MANDATE_FACETS
            or (names_mandates and facet in OF_MANDATES)
            or bool(titled),
            explicit_sp=explicit,
            kinds=kinds - {OBJECTIVE} if programme_objective else kinds,
            unit_phrases=units,
            term_phrases=phrases,
            paragraph=(paragraph.group(1) or paragraph.group(2)) if paragraph else None,
            words=tuple(t for t in tokens if len(t) > 1 and t not in named),
            unit_tokens=unit_tokens,
            subjects=[t for t in terms + english if t.kind != "term"],
            whole_programme=whole,
            programme_objective=programme_objective,
            # A newcomer's card: asked as one, or a unit's work asked of "our division".
            newcomer=facet == f.ONBOARDING
            or (facet in DUTY_FACETS and bool(speaking_of_themselves().search(question))),
            asks_duties=facet in DUTY_FACETS,
            # Names are checked in the languages the text is held in (Chinese, English, French).
            unheld=self._unheld_names(question, language, asked_language, terms, explicit, symbols),
            asked_language=asked_language,
            reading=reading,
            ordinal=ordinal(question),
            asking_tokens=_asking_tokens(asking, question, tokens, asked_language),
            title_names=titled,
        )

    def _unheld_names(
        self,
        question: str,
        language: str,
        asked_language: str,
        terms: list[Term],
        explicit: int | None,
        symbols: list[Symbol],
    ) -> list[str]:
        """Names checked in the languages the text is held in (Chinese, English, French);
        countries in the others; another programme of the plan in any."""
        if not self.names:
            return []
        if asked_language in answered():
            held_in = self._unheld(question, language, terms, explicit, symbols)
        else:
            held_in = self.names.unheld_countries(question, asked_language)
            held_in += [n for _, n in self.names.head_first(question, asked_language)]
            # "(Нью-Йорк, P3)": where the asker is, beside their grade, never what is asked.
            where = self.names.where_the_asker_is
            held_in = [n for n in held_in if not where(n, question, asked_language)]
        return self.names.other_programmes(question) + held_in

    def _unheld(
        self,
        question: str,
        language: str,
        terms: list[Term],
        explicit: int | None,
        symbols: list[Symbol],
    ) -> list[str]:
        """Names the programme never mentions that the question is about: not the asker's
        grade, nor the place they are in when the question asks about something held."""
        assert self.names is not None
        unheld = self.names.unheld(question, language)
        # What the question is about besides the unheld name: a unit, a body, a topic of the
        # work (not a section, nor the programme itself), a subprogramme or a resolution. The
        # asker's grade never declines; their city does not when something held is asked about.
        held = [t for t in terms if t.kind not in ("section", "document")]
        about_something = bool(held or explicit or symbols or self.names.held_places(question))
        names = self.names
        return [
            n
            for n in unheld
            if not names.is_grade(n)
            and not names.numbers_a_question(n)
            and not (about_something and names.where_the_asker_is(n, question, language))
        ]

    def _named_in_titles_only(
        self, question: str, terms: list[Term], explicit: int | None, language: str
    ) -> list[str]:
        """The countries or bodies it asks about that the text names only in resolutions'
        titles (in Chinese), when it names no unit or subprogramme of its own."""
        if self.names is None or explicit or any(t.kind in UNIT_KINDS for t in terms):
            return []
        bodies = [t.original for t in terms if t.kind == "body"]
        return self.names.only_in_mandate_titles(question, bodies, language)

    def bare_numbers(self, question: str) -> list[Symbol]:
        """'What is 1373?': a bare number counts only when it is a listed mandate's number.

        Without a keyword a number could be a year or a count, so only the programme's own
        resolution numbers (1373, 1514, 3376, …) are taken; none of them is a plausible year.
        """
        return [Symbol(None, n) for n in _BARE_NUMBER.findall(question) if n in self.numbers]
