"""Question analysis: what a question is in, names, asks for, and what it leans on.

One pass over the question, done once, read by the router and the handlers: its language,
the resolution symbols it names, the glossary terms (units, bodies, topics) it names, the
subprogrammes and record kinds it focuses on, whether it asks for resolutions, the type of
answer it expects, and the conversation turn it follows up.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.answer import Answer
from bot.answer_type import ARTICLE, DATE, UNIT, expected_type
from bot.conversation import Context, follow_up_context, ordinal_reference, switched_unit
from bot.corpus import ACCOMPLISHMENT, MANDATE_LIST, OBJECTIVE, PARAGRAPH
from bot.glossary import Glossary, Term
from bot.symbols import Symbol, find_symbols
from bot.text import clean_question, detect_language, sanitize, tokenize

MANDATE_INTENT = re.compile(
    # "conflict-resolution efforts" is about resolving conflicts, not about resolutions.
    r"(?<!conflict-)(?<!conflict )(?<!dispute )"
    r"\b(resolutions?|mandat\w*|decisions?|legislative|legal basis)\b|决议|授权|任务规定|决定",
    re.IGNORECASE,
)
# "according to the resolutions of…" names the basis of the work, not what is asked for.
_MANDATE_CONTEXT = re.compile(
    r"(根据|依照|按照|依据)[^，,。？?]{0,12}决议"
    r"|\b(under|pursuant to|according to|in accordance with|as per|per)\b[^,?.]{0,40}"
    r"\bresolutions?\b",
    re.IGNORECASE,
)
# "In 2.3, …", "para 2.8", "第2.11段": the question names the paragraph it is about.
_PARAGRAPH_REF = re.compile(
    r"(?:\bpara(?:graph)?s?\.?\s*|\bin\s+|§\s*|第\s*)(2\.(?:1[0-4]|[1-9]))(?![\d/%])",
    re.IGNORECASE,
)
_BARE_NUMBER = re.compile(r"(?<![\d/.])(\d{3,4})(?![\d/.%])")
UNIT_KINDS = ("subprogramme", "division", "department")
# Section terms of the glossary → the record kind a question about them wants.
_SECTION_KINDS = {
    "本组织的目标": OBJECTIVE,
    "秘书处的预期成果": ACCOMPLISHMENT,
    "绩效指标": ACCOMPLISHMENT,
    "战略": PARAGRAPH,
    "授权文书": MANDATE_LIST,
}
# Words that ask for a kind of record without naming the section (stems for English).
_KIND_WORDS = {
    OBJECTIVE: ("目标", "目的", "宗旨", "purpos", "aim", "goal", "object"),
    ACCOMPLISHMENT: (
        "预期成果",
        "指标",
        "衡量",
        "绩效",
        "indic",
        "measur",
        "accomplish",
        "perform",
        "kpi",
        "metric",
        "success",
    ),
    PARAGRAPH: ("战略",),
    MANDATE_LIST: ("授权", "决议"),
}
_SP_NUMBER = re.compile(
    r"(?:sub-?\s?programm?e?s?|次级方案|\bsp)\s*(?:no\.?\s*)?([1-6])(?!\d)", re.IGNORECASE
)


def explicit_subprogramme(question: str) -> int | None:
    m = _SP_NUMBER.search(question)
    return int(m.group(1)) if m else None


def focus_kinds(question: str, tokens: list[str], terms: list[Term]) -> set[str]:
    """Kinds of record the question asks for ("objective", "indicators", 目标 …)."""
    kinds = {_SECTION_KINDS[t.zh] for t in terms if t.zh in _SECTION_KINDS}
    words = set(tokens)
    for kind, cues in _KIND_WORDS.items():
        if any(cue in question or cue in words for cue in cues):
            kinds.add(kind)
    return kinds


@dataclass
class Analysis:
    asked: str  # as asked, sanitized: reported back
    question: str  # cleaned for matching (and, for a switched follow-up, the question re-asked)
    language: str
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

    @property
    def glossary_tokens(self) -> set[str]:
        """Words of the question that are part of a glossary name it uses."""
        return {tok for phrase, _ in self.term_phrases for tok in phrase}

    @property
    def unit_terms(self) -> list[Term]:
        return [t for t in self.terms if t.kind in UNIT_KINDS]


class Analyser:
    def __init__(
        self,
        glossary: Glossary,
        standalone_numbers: set[str],
        focus_of: Callable[[Analysis], set[int]],
    ) -> None:
        self.glossary = glossary
        self.numbers = standalone_numbers  # resolution numbers that stand alone ("1373")
        self.focus_of = focus_of  # the subprogrammes a question is about (the retriever knows)

    def analyse(
        self, question: str, previous: Answer | None = None, want_mandates: bool = False
    ) -> Analysis:
        asked = sanitize(question)
        cleaned = clean_question(question)
        context = follow_up_context(cleaned, previous)
        forced = None
        if previous is not None:
            ordinal = ordinal_reference(cleaned, previous)
            if ordinal:
                cleaned, context = ordinal, None  # "the fourth one" → what it names
            elif switched_unit(cleaned, previous):
                named = self.focus_of(self._analyse(cleaned, cleaned, False))
                if len(named) == 1:
                    # "what about subprogramme 5?": the previous question, about that unit.
                    cleaned, forced, context = previous.question, next(iter(named)), None
        a = self._analyse(asked, cleaned, want_mandates)
        a.context = context
        a.forced_sp = forced
        return a

    def _analyse(self, asked: str, question: str, want_mandates: bool) -> Analysis:
        language = detect_language(question)
        tokens = tokenize(question)
        terms = self.glossary.terms_in_english(tokens) if language == "en" else []
        terms += [t for t in self.glossary.terms_in_chinese(question) if t not in terms]
        symbols = [m.symbol for m in find_symbols(question)] or self.bare_numbers(question)
        phrases = self.glossary.english_matches(tokens)
        units = [(p, t) for p, t in phrases if t.kind != "term"]
        answer_type = expected_type(question)
        asks_mandates = bool(MANDATE_INTENT.search(_MANDATE_CONTEXT.sub(" ", question)))
        # "Which Charter article is cited in the mandates…", "which office… under resolution X":
        # the typed item is asked for, not the list.
        asks_mandates = asks_mandates and answer_type not in (ARTICLE, UNIT, DATE)
        paragraph = _PARAGRAPH_REF.search(question)
        return Analysis(
            asked=asked,
            question=question,
            language=language,
            tokens=tokens,
            terms=terms,
            symbols=symbols,
            answer_type=answer_type,
            wants_mandates=want_mandates or asks_mandates,
            explicit_sp=explicit_subprogramme(question),
            kinds=focus_kinds(question, tokens, terms),
            unit_phrases=units,
            term_phrases=phrases,
            paragraph=paragraph.group(1) if paragraph else None,
        )

    def bare_numbers(self, question: str) -> list[Symbol]:
        """'What is 1373?': a bare number counts only when it is a listed mandate's number.

        Without a keyword a number could be a year or a count, so only the programme's own
        resolution numbers (1373, 1514, 3376, …) are taken; none of them is a plausible year.
        """
        return [Symbol(None, n) for n in _BARE_NUMBER.findall(question) if n in self.numbers]
