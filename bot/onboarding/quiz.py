"""A self-check at the end of the tour: multiple-choice questions drawn from the parsed records.

Nothing is invented. Every question asks for one item of the programme (a unit, a resolution's
title, an indicator, a Charter citation, a figure, an objective, a mandate), its distractors
are items of the same kind from elsewhere in the programme that cannot also be right (another
resolution with the same title is never offered), and its explanation cites the record.

`questions(sp, lang)` lists every distinct question the generator can ask about one
subprogramme; `quiz(sp, lang, seed)` picks five of different kinds, each with four choices
in a seeded order, so a stored seed reproduces the same quiz.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache

from bot import languages
from bot.languages.messages import messages
from bot.records.labels import reference
from bot.records.library import Document
from bot.records.links import link_for, mandate_link
from bot.records.model import ACCOMPLISHMENT, CHARTER, MANDATE_LIST, Mandate, Passage
from bot.records.parser import LANGUAGE, chinese_number
from bot.records.reader import Reader, cite
from bot.records.sentences import without_label

UNIT, TITLE, INDICATOR, CHARTER_CITE, FIGURE, OBJECTIVE_OF, MANDATE_OF = (
    "unit",
    "title",
    "indicator",
    "charter",
    "figure",
    "objective",
    "mandate",
)
# A quiz asks one question of each of the first five kinds a subprogramme offers.
KIND_ORDER = (UNIT, TITLE, INDICATOR, CHARTER_CITE, FIGURE, OBJECTIVE_OF, MANDATE_OF)
QUIZ_LENGTH = 5
CHOICES = 4
BLANK = "____"

# 《联合国宪章》，特别是第九十九条 · 《宪章》第十一至第十三章 · 宪章第七十三条(辰)款
_CHARTER = re.compile(
    r"(?:《联合国宪章》|《宪章》|宪章)(?:，特别是)?"
    r"(第[一二三四五六七八九十（）甲乙丙丁、和至第]+?[条章](?:\(辰\)款)?)"
)
_ZH_NUMBER = re.compile(r"第([一二三四五六七八九十]+)(（[甲乙丙丁]）)?")
_SUB_ARTICLE = {"（甲）": "(a)", "（乙）": "(b)", "（丙）": "(c)", "（丁）": "(d)"}
_ROMAN = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII")
# Figures stated in the text: "16 个剩余非自治领土", "至少 95%的会议文件", "六个次级方案".
_FIGURE = re.compile(r"(?<![\d.])(\d{1,3})\s*(?=个|%)")
# A count in Chinese numerals; not 第二个 (an ordinal) nor 一个 (mostly "a", as in 一个更加有效的).
_ZH_COUNT = re.compile(r"(?<!第)([二三四五六七八九十][一二三四五六七八九十]*)个")


@dataclass(frozen=True)
class Choice:
    text: str  # shown, in the quiz's language
    key: str  # what it stands for: "sp3", "58/109", "sp3.ea.b#0", "sp1.mandates|第九十九条", "16"


@dataclass(frozen=True)
class Question:
    kind: str
    key: str  # stable id of what is asked: "title:58/109"
    subprogramme: int
    language: str
    text: str
    correct: Choice
    distractors: tuple[Choice, ...]  # every wrong choice of the same kind the programme has
    source: str  # the record that answers it
    explanation: str  # the answer, first, with its reference
    url: str | None = None  # where to read it, when the answer is a mandate or the Charter

    def shown(self, rng: random.Random) -> Shown:
        wrong = rng.sample(list(self.distractors), min(CHOICES - 1, len(self.distractors)))
        choices = [self.correct, *wrong]
        rng.shuffle(choices)
        return Shown(self, tuple(choices), choices.index(self.correct))


@dataclass(frozen=True)
class Shown:
    """A question as put to someone: its choices in order, and which one is right."""

    question: Question
    choices: tuple[Choice, ...]
    answer: int


def charter_citation(span: str, lang: str = "en") -> str:
    """第九十九条 → Article 99; 第一、第七和第十二（乙）条 → Articles 1, 7 and 12(b);
    第十一至第十三章 → Chapters XI to XIII; 第七十三条(辰)款 → Article 73 (e). In French:
    Articles 1, 7 et 12 b); Chapitres XI à XIII; Article 73 e) (as the French mandate titles
    write sub-articles): the catalogue's quiz.citation.* say how."""
    say = messages(lang)
    numbers = [
        (chinese_number(m.group(1)), _SUB_ARTICLE.get(m.group(2) or "", ""))
        for m in _ZH_NUMBER.finditer(span)
    ]
    if span.endswith("章"):
        names = [_ROMAN[n] if n < len(_ROMAN) else str(n) for n, _ in numbers]
        joiner = say("quiz.citation.to" if "至" in span else "quiz.citation.and")
        key = "quiz.citation.chapters" if len(names) > 1 else "quiz.citation.chapter"
        return say(key, list=joiner.join(names))
    items = [say("quiz.citation.sub", n=n, letter=sub[1]) if sub else str(n) for n, sub in numbers]
    paragraph = say("quiz.citation.paragraph_e") if "(辰)款" in span else ""
    if len(items) == 1:
        return say("quiz.citation.article", list=items[0]) + paragraph
    listed = ", ".join(items[:-1]) + say("quiz.citation.and") + items[-1]
    return say("quiz.citation.articles", list=listed) + paragraph


def _same_title(a: Mandate, b: Mandate) -> bool:
    """Two resolutions a title question cannot tell apart, in any of the quiz's languages."""
    pairs = [(a.title, b.title)] + [
        (a.translations.get(lang), b.translations.get(lang)) for lang in a.translations
    ]
    return any(x is not None and x == y for x, y in pairs)


def _in_sentence(name: str, lang: str) -> str:
    """A subprogramme's name inside a sentence: as it is in English, lower-cased in French
    ('l'objectif du sous-programme 3 : …'), as the catalogue says."""
    lowered = name[:1].lower() + name[1:]
    return messages(lang)("quiz.name_in_sentence", name=name, lowered=lowered)


class QuizMaker:
    @classmethod
    def of(cls, document: Document) -> QuizMaker:
        """The quiz of a library's document, made once per document read."""
        return _maker(document)

    def __init__(self, reader: Reader) -> None:
        self.read = reader
        programme = reader.programme
        # Charter citations anywhere in the programme, each with the record that makes it.
        self.citations: list[tuple[Passage, str]] = [
            (p, m.group(1)) for p in programme.retrievable() for m in _CHARTER.finditer(p.text)
        ]
        self.figures = sorted(
            {int(m.group(1)) for p in programme.retrievable() for m in _FIGURE.finditer(p.text)}
            | {
                chinese_number(m.group(1))
                for p in programme.retrievable()
                for m in _ZH_COUNT.finditer(p.text)
            }
        )

    # ------------------------------------------------------------------ public

    def questions(self, sp: int, lang: str) -> list[Question]:
        """Every distinct question about subprogramme `sp`, kinds in KIND_ORDER."""
        return [q for kind in KIND_ORDER for q in self._of_kind(kind, sp, lang)]

    def quiz(self, sp: int, lang: str, seed: str) -> list[Shown]:
        """Five questions of different kinds, reproducible from `seed`."""
        rng = random.Random(f"{seed}:{sp}:{lang}")
        shown: list[Shown] = []
        for kind in KIND_ORDER:
            variants = self._of_kind(kind, sp, lang)
            if variants and len(shown) < QUIZ_LENGTH:
                shown.append(rng.choice(variants).shown(rng))
        return shown

    def counts(self, sp: int) -> dict[str, int]:
        """Distinct questions per kind for one subprogramme (the same in every language)."""
        return {kind: len(self._of_kind(kind, sp, languages.default())) for kind in KIND_ORDER}

    # ------------------------------------------------------------------ kinds

    def _of_kind(self, kind: str, sp: int, lang: str) -> list[Question]:
        make = {
            UNIT: self._unit,
            TITLE: self._title,
            INDICATOR: self._indicator,
            CHARTER_CITE: self._charter,
            FIGURE: self._figure,
            OBJECTIVE_OF: self._objective,
            MANDATE_OF: self._mandate,
        }[kind]
        return make(sp, lang)

    def _unit(self, sp: int, lang: str) -> list[Question]:
        read = self.read
        unit = read.unit(sp)
        choices = {
            n: Choice(read.unit(n).name(lang), f"sp{n}") for n in read.programme.subprogrammes
        }
        explanation = cite(read.opening(unit.source, lang), reference(unit.source, lang), lang)
        return [
            Question(
                UNIT,
                f"{UNIT}:sp{sp}",
                sp,
                lang,
                messages(lang)("quiz." + UNIT, sp=sp),
                choices[sp],
                tuple(c for n, c in choices.items() if n != sp),
                unit.source.id,
                explanation,
            )
        ]

    def _resolutions(self) -> list:
        return [m for m in self.read.programme.mandates if m.body != CHARTER]

    def _title(self, sp: int, lang: str) -> list[Question]:
        read = self.read
        resolutions = self._resolutions()
        out = []
        for m in read.sp_mandates(sp):
            if m.body == CHARTER:
                continue
            same = [o for o in resolutions if _same_title(o, m)]
            if len(same) > 1:
                continue  # "Question of Palestine" names five resolutions: no single answer
            title = read.title(m, lang)
            wrong = tuple(Choice(o.symbol, o.symbol) for o in resolutions if not _same_title(o, m))
            listing = read.programme.passage(f"sp{sp}.mandates")
            ref = reference(listing, lang)
            out.append(
                Question(
                    TITLE,
                    f"{TITLE}:{m.symbol}",
                    sp,
                    lang,
                    messages(lang)("quiz." + TITLE, title=title),
                    Choice(m.symbol, m.symbol),
                    wrong,
                    listing.id,
                    messages(lang)("quiz.titled", symbol=m.symbol, title=title, ref=ref),
                    mandate_link(m, lang).url,
                )
            )
        return out

    def _indicator(self, sp: int, lang: str) -> list[Question]:
        read = self.read
        records = [p for p in read.programme.retrievable() if p.kind == ACCOMPLISHMENT]
        measures = {
            p.id: read.accomplishment(p, lang)[1] for p in records
        }  # every indicator, by its accomplishment
        out = []
        for p in read.records(sp, ACCOMPLISHMENT):
            accomplishment, own = read.accomplishment(p, lang)
            wrong = tuple(
                Choice(text, f"{pid}#{i}")
                for pid, texts in measures.items()
                if pid != p.id
                for i, text in enumerate(texts)
                if text not in own
            )
            ref = reference(p, lang)
            for i, indicator in enumerate(own):
                out.append(
                    Question(
                        INDICATOR,
                        f"{INDICATOR}:{p.id}#{i}",
                        sp,
                        lang,
                        messages(lang)("quiz." + INDICATOR, accomplishment=accomplishment),
                        Choice(indicator, f"{p.id}#{i}"),
                        wrong,
                        p.id,
                        messages(lang)(
                            "quiz.measured",
                            accomplishment=accomplishment,
                            indicator=indicator,
                            ref=ref,
                        ),
                    )
                )
        return out

    def _charter(self, sp: int, lang: str) -> list[Question]:
        """Asked where a Charter citation stands on its own: a mandate-list Charter entry or a
        strategy paragraph. Distractors: citations no record of this subprogramme makes."""
        own_text = " ".join(
            p.text for p in self.read.programme.retrievable() if p.subprogramme == sp
        )
        seen: set[str] = set()
        wrong: list[Choice] = []
        for p, span in self.citations:
            if span not in own_text and span not in seen:
                seen.add(span)
                wrong.append(Choice(self._citation(span, lang), f"{p.id}|{span}"))
        out = []
        for p, span in self.citations:
            if p.subprogramme != sp:
                continue
            is_entry = p.kind == MANDATE_LIST and f"《联合国宪章》，特别是{span}" in p.text
            if p.kind == MANDATE_LIST and not is_entry:
                continue  # cited inside a title or a heading: no question stands on its own
            ref = reference(p, lang)
            text = (
                messages(lang)("quiz.charter_list", sp=sp)
                if is_entry
                else messages(lang)("quiz.charter_para", ref=ref)
            )
            citation = self._citation(span, lang)
            out.append(
                Question(
                    CHARTER_CITE,
                    f"{CHARTER_CITE}:{p.id}|{span}",
                    sp,
                    lang,
                    text,
                    Choice(citation, f"{p.id}|{span}"),
                    tuple(wrong),
                    p.id,
                    messages(lang)("quiz.cites", ref=ref, citation=citation),
                    link_for("Charter", CHARTER, lang).url,
                )
            )
        return out

    @staticmethod
    def _citation(span: str, lang: str) -> str:
        return span if lang == LANGUAGE else charter_citation(span, lang)

    def _figure(self, sp: int, lang: str) -> list[Question]:
        """A figure the text states, blanked out of its clause; the other figures of the
        programme are the distractors."""
        read = self.read
        out = []
        for p in read.programme.retrievable():
            if p.subprogramme != sp or p.kind == MANDATE_LIST:
                continue
            for m in _FIGURE.finditer(p.text):
                value = m.group(1)
                clause = self._clause_with(read.clauses(p, lang), value)
                if clause is None:
                    continue
                cloze = re.sub(rf"(?<![\d.]){value}(?!\d)", BLANK, clause, count=1)
                ref = reference(p, lang)
                out.append(
                    Question(
                        FIGURE,
                        f"{FIGURE}:{p.id}:{value}",
                        sp,
                        lang,
                        messages(lang)("quiz." + FIGURE, ref=ref, cloze=cloze),
                        Choice(value, value),
                        tuple(Choice(str(f), str(f)) for f in self.figures if str(f) != value),
                        p.id,
                        cite(clause, ref, lang),
                    )
                )
        return out

    @staticmethod
    def _clause_with(clauses: list[str], value: str) -> str | None:
        pattern = re.compile(rf"(?<![\d.]){value}(?!\d)")
        return next((c for c in clauses if pattern.search(c)), None)

    def _objective(self, sp: int, lang: str) -> list[Question]:
        read = self.read
        names = {n: Choice(read.name(n, lang), f"sp{n}") for n in read.programme.subprogrammes}
        p = read.programme.passage(f"sp{sp}.objective")
        objective = without_label(read.text(p, lang))
        ref = reference(p, lang)
        return [
            Question(
                OBJECTIVE_OF,
                f"{OBJECTIVE_OF}:sp{sp}",
                sp,
                lang,
                messages(lang)("quiz." + OBJECTIVE_OF, objective=objective),
                names[sp],
                tuple(c for n, c in names.items() if n != sp),
                p.id,
                messages(lang)(
                    "quiz.is_objective", name=_in_sentence(read.name(sp, lang), lang), ref=ref
                ),
            )
        ]

    def _mandate(self, sp: int, lang: str) -> list[Question]:
        read = self.read
        listing = read.programme.passage(f"sp{sp}.mandates")
        ref = reference(listing, lang)

        def choice(m) -> Choice:
            return Choice(f"{m.symbol} — {read.title(m, lang)}", m.symbol)

        wrong = tuple(choice(m) for m in self._resolutions() if m.symbol not in listing.symbols)
        out = []
        for m in read.sp_mandates(sp):
            if m.body == CHARTER:
                continue
            out.append(
                Question(
                    MANDATE_OF,
                    f"{MANDATE_OF}:{m.symbol}",
                    sp,
                    lang,
                    messages(lang)("quiz." + MANDATE_OF, sp=sp),
                    choice(m),
                    wrong,
                    listing.id,
                    messages(lang)(
                        "quiz.is_mandate",
                        symbol=m.symbol,
                        title=read.title(m, lang),
                        sp=sp,
                        ref=ref,
                    ),
                    mandate_link(m, lang).url,
                )
            )
        return out


@lru_cache(maxsize=8)  # documents compare by identity: a reloaded library is read anew
def _maker(document: Document) -> QuizMaker:
    return QuizMaker(document.reader)
