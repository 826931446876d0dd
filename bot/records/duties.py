"""What a unit (or a body) does, clause by clause, read off the programme's own sentences.

"What does SCAD do?" is answered by para. 2.8's list of services, not by its best-matching
clause. A unit's duties are the clauses of its subprogramme's strategy paragraphs whose actor is
the unit: it is named ("该司将…", "选举援助司将…", "特别协调员担任…"), or the clause is passive
("将为委员会…提供…", "还将协助委员会…"), or it continues an enumeration the unit opened
("方式如下：…；…；以及…"). Clauses whose actor is another body ("特别委员会和大会将继续审查…",
"委员会将研究…") are that body's work; background ("大会于1947年首次审议了…") has no actor. The
Department's duties come from the overall orientation the same way; a body's duties are the
clauses whose actor it is.

English is the unofficial translation of each clause, without the subject the header already
names ("…, the Division will provide X" → "Provide X"), shortened only at a phrase boundary.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from bot import languages
from bot.languages.cues import leading_and
from bot.languages.quote import shorten
from bot.records.glossary import Term
from bot.records.model import CARRIED_BY, PARAGRAPH, Passage
from bot.records.reader import Reader
from bot.records.sentences import Sentence, without_number

_ACTION = re.compile(r"将|担任|牵头|承担|涉及")
_OWN_WORDS = re.compile(r"该司|该股|该部|该办事处|本次级方案|本方案")
_OTHER_ACTOR = re.compile(r"委员会|理事会|大会|安理会|会员国|管理国|和平进程")
_ONLY_WHO = re.compile(r"责任由[^。；]+承担[。；]?$")
_ZH_TAIL = re.compile(r"[，,]?\s*(?:方式如下|具体包括|包括)?\s*[：:]$|[；。]\s*$")
# "本次级方案的责任由X承担，…": X is the header; a list of units ("各区域司，即…") stays.
_ZH_RESPONSIBLE = re.compile(r"^本次级方案的(?:实质性)?责任由[^，。]+承担，")


@cache
def _translated_tail(lang: str) -> re.Pattern[str]:
    """A translated clause's list opener ("…, by:", the language's `duty_opener` words) or
    final stop, which a bullet does without."""
    words = "|".join(re.escape(w) for w in languages.get(lang).cue("duty_opener")) or "(?!)"
    return re.compile(rf",?\s*(?:{words})?\s*:$|[;.]\s*$")


@cache
def _subject(lang: str) -> tuple[re.Pattern[str], ...]:
    """What a translated clause says before the duty itself, in languages that say how to find
    it (English: "…, the Division will provide X" → "Provide X")."""
    language = languages.get(lang)
    return tuple(
        re.compile(p) for p in (*language.pattern("duty_which"), *language.pattern("duty_subject"))
    )


@dataclass(frozen=True)
class Clause:
    sentence: Sentence
    ref_id: str  # the record it comes from


@dataclass(frozen=True)
class Duties:
    subprogramme: int | None  # None: the Department, or a body of the overall orientation
    actor_zh: str  # who does them, as the text names it
    actor_en: str
    clauses: list[Clause]
    own: tuple[str, ...] = ()  # the names the text gives the actor ("该司" aside)

    @property
    def record_ids(self) -> list[str]:
        return list(dict.fromkeys(c.ref_id for c in self.clauses))


class DutyReader:
    def __init__(self, reader: Reader) -> None:
        self.read = reader
        self.programme = reader.programme
        self.glossary = reader.glossary

    def of_unit(self, sp: int | None) -> Duties:
        """The duties of the unit carrying a subprogramme (None: the Department)."""
        if sp is None:
            records = [
                p
                for p in self.programme.retrievable()
                if p.subprogramme is None and p.kind == PARAGRAPH
            ]
            zh = self.programme.manifest.department if self.programme.manifest else ""
            own = {zh}
            en = self.glossary.name_in(zh, "en") or zh
        else:
            records = self.read.strategy(sp)
            unit = self.read.unit(sp)
            zh, en = unit.zh, unit.name("en")
            own = {zh, self.programme.subprogrammes[sp].title}
            for p in records:
                m = CARRIED_BY.search(p.text)
                if m:
                    own.add(m.group(1))  # "各区域司，即非洲一司、…亚洲和太平洋司"
        clauses = self._select(records, lambda actor, p: self._is_own(actor, own), passive=True)
        return Duties(sp, zh, en, clauses, tuple(own))

    def of_body(self, term: Term) -> Duties | None:
        """The clauses whose actor is a body ("What does the Special Committee do?")."""
        names = set(term.names_in(term.language))
        records = [p for p in self.programme.retrievable() if p.kind == PARAGRAPH]
        home = {p.subprogramme for p in records if any(n in p.text for n in names)}

        def is_body(actor: str, p: Passage) -> bool:
            if any(n in actor for n in names):
                return True
            # "委员会将研究…": the committee the paragraph is about.
            return actor.endswith("委员会") and len(actor) <= 4 and p.subprogramme in home

        clauses = self._select(records, is_body, passive=False)
        if len(clauses) < 2:
            return None
        sp = {self.programme.passage(c.ref_id).subprogramme for c in clauses}
        owner = sp.pop() if len(sp) == 1 else None
        return Duties(owner, term.original, term.name_in("en"), clauses, tuple(names))

    # ------------------------------------------------------------------ selection

    def _select(
        self, records: list[Passage], is_actor: Callable[[str, Passage], bool], passive: bool
    ) -> list[Clause]:
        out: list[Clause] = []
        for p in records:
            taken = False  # the sentence before was taken: an enumeration may continue it
            listing = False  # inside an enumeration a taken sentence opened ("方式如下：…；")
            previous = ""
            for s in self.programme.sentences_of(p.id):
                text = without_number(s.text)
                actor = _actor(text)
                if taken and previous.endswith("："):
                    listing = True
                elif not previous.endswith("；"):
                    listing = False
                if listing:
                    keep = True  # an item of the unit's own list, whoever it names
                elif actor is None:
                    keep = taken and previous.endswith(("：", "；"))
                else:
                    own = is_actor(actor, p)
                    other = bool(_OTHER_ACTOR.search(actor)) and not own
                    keep = own or (passive and not other and not _named_actor(actor, self))
                if keep and _ONLY_WHO.search(text):
                    keep = False  # "…的实质性责任由X承担。": who, which the header says
                    taken = True
                elif keep:
                    out.append(Clause(s, p.id))
                    taken = True
                else:
                    taken = False
                previous = text
        return out

    def _is_own(self, actor: str, own: set[str]) -> bool:
        if _OWN_WORDS.search(actor) or any(name in actor for name in own):
            return True
        named = [t for t in self.glossary.terms_in_chinese(actor) if t.kind != "term"]
        # The unit's head ("特别协调员" of the Special Coordinator's Office), or the Department
        # the unit belongs to.
        return bool(named) and all(
            t.kind == "department" or any(t.original in name for name in own) for t in named
        )

    # ------------------------------------------------------------------ wording

    def text(self, c: Clause, lang: str, limit: int, duties: Duties, hard: bool = False) -> str:
        """The clause as a bullet under its actor's name: no subject, no list opener, shortened
        at a phrase boundary when longer than `limit`."""
        s = c.sentence
        translated = s.text_in(lang) if lang != s.language else None
        if translated:
            text = without_number(translated).strip()
            for pattern in _subject(lang):
                text = pattern.sub("", text)
            text = leading_and().sub("", _translated_tail(lang).sub("", text).strip())
            text = _shortened(text, limit, lang, hard)
            return text[:1].upper() + text[1:]
        text = without_number(s.text).strip()
        text = _ZH_RESPONSIBLE.sub("", text)
        names = [re.escape(n) for n in sorted(duties.own, key=len, reverse=True)]
        actors = "|".join(["该司", "该股", "该部", "该办事处", *names])
        text = re.sub(rf"^(?:[^，。]{{0,30}}，)?(?:{actors})还?将?", "", text)
        text = leading_and().sub("", _ZH_TAIL.sub("", text))
        return _shortened(text, limit, lang, hard)


def _shortened(text: str, limit: int, lang: str, hard: bool) -> str:
    """At a phrase boundary past `limit`, else whole, up to twice `limit`: a clause with no
    phrase boundary is cut at a word there (a 500-character clause is no bullet), or at
    `limit` when `hard`."""
    short = shorten(text, limit, lang, whole_if_no_phrase=not hard)
    return short if len(short) <= 2 * limit else shorten(text, 2 * limit, lang, False)


def _actor(text: str) -> str | None:
    """Who acts in a Chinese clause: the words before its first action word, after the last
    comma before it ("为实现本次级方案的目标，选举援助司将…" → "选举援助司"); None when nothing
    acts."""
    m = _ACTION.search(text)
    if not m:
        return None
    return re.split(r"[，,]", text[: m.start()])[-1].strip()


def _named_actor(actor: str, duties: DutyReader) -> bool:
    """The actor is a named body or unit (not the passive "还将…", "支助行动将…")."""
    return any(t.kind != "term" for t in duties.glossary.terms_in_chinese(actor))
