"""Names a question uses that the programme never mentions.

"What does the programme say about the Peacebuilding Commission?": the text speaks of
peacebuilding, never of the Commission, so the honest first line is "The programme text does
not mention the Peacebuilding Commission." A topic search would find the nearest paragraph and
answer with it; this finds the names first.

A name is a body, office, place or instrument the question names: an acronym (UNRWA, ECOWAS,
C-34), a run of capitalised words (International Court of Justice), a lower-case phrase ending
in an institution word (peacebuilding commission), a country (pycountry's names, in English,
Chinese, French and Spanish; in Russian and Arabic the only names looked for), or, in Chinese,
a place or organisation jieba tags as one (人权理事会, 阿富汗) or a noun run ending in an
institution word (建设和平委员会). It is held when the programme text, its unofficial
translations or the glossary name it; a misspelt word is compared with its nearest word of
the text first ("Secuirty Council").
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from bot import languages
from bot.languages import registry
from bot.languages.cues import located_before, programme_numbered, subprogramme_word
from bot.languages.registry import HAN, LATIN
from bot.languages.symbols import find_symbols
from bot.languages.text import EN_STOPWORDS, _jieba
from bot.records.glossary import Glossary
from bot.records.model import MANDATE_LIST, Programme

_INSTITUTION_ZH = (
    "委员会|理事会|办事处|办公室|特派团|公约|条约|协定|协议|法院|法庭|组织|联盟|基金|"
    "署|论坛|机制|小组|联合会|议会|部队|银行|协会|机构|股|司|部|处"
)
_CAPS_WORD = r"[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ0-9’'\-./]*"
# Words that join the capitalised words of one name: "Court of Justice", "Committee on the …".
_CONNECT = r"(?:(?:of|for|on|de|du|des|al)\s+(?:the\s+|la\s+|l')?|(?:la|le)\s+)"
_CAPS_RUN = re.compile(rf"{_CAPS_WORD}(?:\s+(?:{_CONNECT})?{_CAPS_WORD})*")
_PREFIX = 6  # "Central American" is held by "Central America": words compare on their head
_ACRONYM = re.compile(r"\b(?:[A-Z][A-Z0-9&]{2,9}|[A-Z]-\d{1,4})(?:s|’s|'s)?\b")
_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ0-9'’-]*")
# A sentence may open with a capitalised word that names nothing ("Besides the OPT, …").
_OPENERS = frozenset(
    """besides apart except other regarding concerning given following since after before
    during while although though still now then well sorry question btw hey team folks guys
    colleagues quick short simple""".split()
)
# Words that open a sentence or qualify a noun without naming anything.
# Words that open a question or qualify a noun: trimmed off the ends of a capitalised run.
_FUNCTION = frozenset(
    """what which who whom whose how when where why does do did is are was were can could will
    would should shall may might has have had please pls hi hello hey dear thanks thank the a an
    i my our we us you your me they their its it this that these those tell list give show
    explain describe name any some each every all both and or but so also just only new current
    main relevant other same whole own respective related first last next quick quickly ok okay
    under according in on for from of about at by with to as into per via starting joining
    just-joined newly recently re regarding concerning yes no not none i've i'm i'll i'd
    le la les l' un une des du de d' au aux à et ou où pour par dans sur avec sans sous entre
    quel quelle quels quelles qui que quoi comment combien quand pourquoi est sont c'est il elle
    ils elles y a ce cette ces son sa ses leur leurs notre nos votre vos mon ma mes je tu nous
    vous on en liste toutes tous tout merci svp stp bonjour salut oui non pas""".split()
)
# Words that name nothing new on their own ("the Department", "SC", "Thursday"), though they
# may be part of a name ("Department of Peacekeeping Operations").
_GENERIC_NOUNS = frozenset(
    """programme subprogramme sub-programme political affairs un united nations secretariat
    department division unit office team section desk org organisation organization mandate
    mandates resolution resolutions decision decisions sc ga unsc unga sg usg asg dsg srsg faq
    kpi kpis asap fyi pdf url hq nyc ny tor id sp sps ea eas res reso dept div govt intl mtg
    cttee cttees cmte english chinese french spanish russian arabic slack bot onu nu objectif
    objectifs mandat mandats programme sous-programme sous-programmes coopération question
    questions département service groupe bureau ag cs csnu agnu""".split()
)
# Days and months name no body: they split a capitalised run ("Thursday for the C-24").
_CALENDAR = re.compile(
    r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|\b(?:January|February|March|April|June|July|"
    r"August|September|October|November|December)\b|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|"
    r"Nov|Dec)\.?(?=\s+\d|\s*$)|(?<=\d\s)(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b"
)
_GENERIC = _FUNCTION | _GENERIC_NOUNS
_CONNECTORS = frozenset("of for on de du des la le al".split())
_PROGRAMME_PARTS = frozenset(
    "sp sps subprogramme subprogrammes sub-programme sous-programme sous-programmes".split()
)
_ASKED_ABOUT = frozenset(
    "resolution resolutions mandate mandates decision decisions question questions".split()
)
_FROM = re.compile(
    r"(?:\bfrom|\bpreviously (?:at|in|with)|\bformerly (?:at|in)|从|之前在|以前在)\s*$"
)
# Places, organisations, other proper nouns and people; abbreviations ("j") are left out:
# jieba tags adverbs such as 一共 "j" too.
_ZH_TAGS = frozenset(("ns", "nt", "nz"))  # places, organisations, other proper nouns
# Words that end the run of a name read backwards from its institution word ("政治部的|调解支助股",
# "与|欧安组织"): particles, function words and the verbs questions put before a name.
_ZH_BREAKS = frozenset(
    """的 与 和 在 是 关于 对 为 把 被 向 以及 及 或 了 吗 呢 什么 哪 哪些 哪个 有 没有 里 中 提到
    设在 负责 支持 合作 说 讲 如何 怎么 这个 那个 我们 我 你 他们 本方案 方案 同 跟 给 由 从
    到 调到 去 加入 刚 新 该 其 各 请问 请 一下 了解 想 依照 依据 根据 按照 另外 还
    段 要求""".split()
)
# "哪类组织", "该司", "本司": a question word or a pointer, not a name.
_ZH_NUMERAL = re.compile(r"[一二三四五六七八九十\d]+")
_ZH_POINTER = re.compile(r"哪|什么|^[该本这那我其各每几两数]")  # "这几个司" names no unit
# A unit's name may be made of verbs: 调解/支助/股 (a mediation support unit).

_TYPO_CUTOFF = 0.84
# A word of a question is respelt as the text's word this alike (rapidfuzz ratio): "indicatrs"
# is 0.95 like "indicators"; an inflection ("measured", "measures": 0.875) is left as written.
_RESPELL_CUTOFF = 88
# An initial before a capitalised word ("W. Sahara", "N. Caledonia"): spelt out when the text
# holds one such name (NameIndex._spelt_out).
_INITIAL = re.compile(r"\b([A-Z])\.\s*([A-Z][a-z]{2,})")
_SENTENCE_END = re.compile(r"([.!?;:])(\s+)(?=[A-Z])")
_CAPITALISED_TAIL = re.compile(r"(?:\b[A-Z][\w'-]*\s+)+$")
# How alike a whole name must be to a glossary name to be it, misspelt (fuzz.ratio, 0-100).
_NAME_CUTOFF = 95
# A UN grade ("P-4", "D1", "G-6"): the asker's, never a subject.
# The asker numbering their questions ("Q1: … Q2: …"): never what is asked about.
_QUESTION_LABEL = re.compile(r"Q\d{1,2}", re.IGNORECASE)
_GRADE = re.compile(r"(?:[PDG]|FS|NO[A-D]?)-?\d", re.IGNORECASE)
_AFTER_GRADE = re.compile(r"\b(?:[PDG]|FS|NO[A-D]?)-?\d\s*[,，、/]?\s*$", re.IGNORECASE)
_BEFORE_GRADE = re.compile(r"\s*[,，、/]\s*(?:[PDG]|FS|NO[A-D]?)-?\d\s*[)）]", re.IGNORECASE)
_OPENS = re.compile(r"[(（]\s*$")
_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")
# A capitalised Cyrillic name ("Косово", "Западной Сахаре"); Arabic has no capitals.
_CYRILLIC_RUN = re.compile(r"(?P<acronym>\b[А-ЯЁ]{2,8}\b)|[А-ЯЁ][а-яё]{2,}(?:[\s-]+[А-ЯЁ][а-яё]+)*")
_CYRILLIC_WORD = re.compile(r"[а-яё]+")
_CYRILLIC_HEAD = 5  # Russian names decline: "Косово", "Косова" compare on their head
# A word of any script, with its elision ("d'appui") or hyphen; and what may stand between two
# words of one name (spaces only: a comma or a question mark ends it).
_ANY_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]")
# Arabic writes "and", "by", "for", "the" on the word: "بممارسة", "للجنة", "والمجلس".
_ARABIC_ARTICLE = re.compile(r"^(?:[وف]?(?:[بلك]?ال|لل|[بلك])|[وف])(?=\w{3})")
_ARABIC_DEFINITE = re.compile(r"^[وفبلك]?ال|^لل")
_CLOSES = re.compile(r"\s*[)）]")
# The longest name of the text, in words, is the Special Committee's (24): pieces of a phrase
# are looked up at most this long.
MAX_PIECE = 30
_SPANS_KEPT = 4
HELD_CACHE = 4096  # names remembered as held or not (cleared oldest first)
_JOINERS = frozenset("of the for on and in to a an with by at".split())


def _numbers(phrase: str) -> list[str]:
    """The numbers of a name, Arabic or Roman ("africa ii division" → ["ii"])."""
    return [w for w in phrase.split() if w.isdigit() or set(w) <= set("ivxl")]


@lru_cache(maxsize=1)
def _roles() -> frozenset[str]:
    codes = languages.understood()
    return frozenset(r.casefold() for c in codes for r in languages.get(c).cue("roles"))


def _norm(text: str) -> str:
    """Lower case, accents folded (Genève → geneve), words only."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("’", "'").replace("–", "-").replace("—", "-")
    text = re.sub(r"'s\b", "", text)
    return " ".join(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text))


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


# Arabic short vowels and shadda: pycountry writes "الصّومال", a question "الصومال".
_HARAKAT = re.compile(r"[\u064b-\u0652\u0670]")


def _unvowelled(text: str) -> str:
    return _HARAKAT.sub("", text).lower()


def _written_at(name: str, text: str) -> tuple[int, int] | None:
    """Where a country's name stands in a text, any case ending of its last word allowed
    ("Афганистан" in "в Афганистане"), or in Arabic a particle joined in front ("بالصومال")."""
    stem = name[:-1] if len(name) > 5 and name[-1] in "аяоеийь" else name
    m = re.search(rf"(?<!\w){re.escape(stem)}\w{{0,3}}(?!\w)", text)
    if m is None and re.match(r"[\u0600-\u06ff]", name):
        m = re.search(rf"(?<!\w)[وبلف]{{0,2}}{re.escape(name)}(?!\w)", text)
    return m.span() if m else None


@lru_cache(maxsize=8)
def _countries_in(language: str) -> dict[str, str]:
    """A language's country names (bare of vowel marks, lower case) → their English names."""
    import pycountry

    locale = languages.get(language).countries if language in languages.understood() else None
    if not locale:
        return {}
    t = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])
    names = {_unvowelled(t.gettext(c.name)): c.name for c in pycountry.countries}
    return {name: english for name, english in names.items() if len(name) > 3}


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """Country names → their English name: lower-cased English and French, and Chinese."""
    import pycountry  # heavy (its JSON tables): only when a question names a place

    latin: dict[str, str] = {}
    chinese: dict[str, str] = {}
    # Each language's country names (its registry entry names pycountry's locale for them).
    translations = {
        script: [
            gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang.countries])
            for lang in languages.of_script(script)
            if lang.answered and lang.countries
        ]
        for script in (LATIN, HAN)
    }
    for c in pycountry.countries:
        names = {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}
        names |= {t.gettext(c.name) for t in translations[LATIN]}
        for name in names:
            latin[_norm(name)] = c.name
            # "Malouines" for "Malouines, îles (Falkland)", "Falkland" for "Falkland Islands
            # (Malvinas)": the name before its comma or bracket, without "islands".
            head = _norm(re.split(r"[,(]", name)[0])
            for short in (head, re.sub(r"^(?:iles?|islands?) |(?: islands?)$", "", head)):
                if len(short) > 3:
                    latin.setdefault(short, c.name)
        for t in translations[HAN]:
            zh = t.gettext(c.name)
            if zh != c.name:
                chinese[zh] = c.name
    return latin, chinese


class NameIndex:
    """What the programme mentions, in both languages, to spot what it does not."""

    def __init__(self, programme: Programme, glossary: Glossary) -> None:
        self._held: dict[str, bool] = {}
        self._number = programme.manifest.number if programme.manifest else None
        english = [t_name for t in glossary.terms for t_name in t.translated_names()]
        default = languages.default()
        english += [s.text_in(default) or "" for s in programme.sentences]
        english += [p.text_in(default) or "" for p in programme.passages]
        english += [m.translation(default) or "" for m in programme.mandates]
        own: dict[str, list[str]] = {default: list(english)}
        # The other translations too: "Commission de consolidation de la paix" is looked for
        # in the French words.
        for lang in languages.answered():
            if lang not in (default, programme.language):
                theirs = [s.text_in(lang) or "" for s in programme.sentences]
                theirs += [m.translation(lang) or "" for m in programme.mandates]
                theirs += [n for t in glossary.terms for n in t.every_name() if n]
                own[lang] = theirs
                english += theirs
        self._english = f" {' '.join(_norm(t) for t in english)} "
        self._heads = f" {' '.join(w[:_PREFIX] for w in self._english.split())} "
        self._vocab = sorted(set(self._english.split()))
        self._vocab_set = set(self._vocab)
        # Misspellings keep their first letter and their language ("responsible" is no misspelt
        # French "responsable"): the words to compare a word with, by language and initial.
        self._by_initial: dict[str, dict[str, list[str]]] = {}
        for lang, texts in own.items():
            initial = self._by_initial.setdefault(lang, {})
            for w in sorted({w for t in texts for w in _norm(t).split()}):
                initial.setdefault(w[:1], []).append(w)
        names = [_norm(n).split() for t in glossary.terms for n in t.translated_names()]
        self._glossary_words = [{_singular(w) for w in n} for n in names if n]
        self._glossary_names = {tuple(_singular(w) for w in n) for n in names if n}
        self._glossary_phrases = sorted({" ".join(n) for n in names if len(n) > 1})
        # Every glossary name's words in every language, as stems: "Отдела …", "Division Asie
        # et Pacifique" meet the names they decline or shorten.
        self._name_stems = [
            {_stem(w) for w in _ANY_WORD.findall(n)}
            for t in glossary.terms
            for n in t.every_name()
            if n
        ]
        # Where the Chinese text names something: its paragraphs, or only a resolution's title.
        self._passages_zh = re.sub(
            r"\s+", "", "".join(p.text for p in programme.passages if p.kind != MANDATE_LIST)
        )
        self._titles_zh = re.sub(r"\s+", "", "".join(m.title for m in programme.mandates))
        chinese = [p.text for p in programme.passages] + [m.title for m in programme.mandates]
        self._names_zh = [n for t in glossary.terms for n in t.names_in(t.language)]
        chinese += self._names_zh
        self._chinese = re.sub(r"\s+", "", "".join(chinese))
        latin, zh = _countries()
        self._country_latin = latin
        self._country_zh = zh
        # Each country's Chinese names, by its English name (looked up, not searched for).
        self._zh_names: dict[str, list[str]] = {}
        for name, english in zh.items():
            self._zh_names.setdefault(english, []).append(name)
        # Every country name, looked up by the run of words at each word of a question.
        self._country_names = frozenset(latin)
        self._country_heads: dict[str, set[str]] = {}
        self._spans: dict[str, list[tuple[int, int]]] = {}
        self._cyrillic_heads = {
            w[:_CYRILLIC_HEAD]
            for t in glossary.terms
            for n in t.every_name()
            for w in _CYRILLIC_WORD.findall(n.lower())
        }
        self._country_chars = max(map(len, latin), default=0)

    # ------------------------------------------------------------------ public

    def other_programmes(self, question: str) -> list[str]:
        """Another programme of the plan, named by number ("方案3裁军事务", "programme 4"): the
        text is this one programme only. A subprogramme's number ("次级方案3") is not one."""
        if self._number is None:
            return []
        text = subprogramme_word().sub(lambda m: " " * len(m.group()), question)
        return [
            m.group().strip()
            for m in programme_numbered().finditer(text)
            if int(m.group(1)) != self._number
        ]

    def unheld(self, question: str, language: str) -> list[str]:
        """Names in the question that the programme never mentions, as the question writes
        them, in order, each once."""
        text = question
        for m in reversed(find_symbols(text)):  # "A/RES/58/109" names no body
            text = text[: m.start] + " " * (m.end - m.start) + text[m.end :]
        text = _INITIAL.sub(lambda m: self._spelt_out(m) or m.group(), text)
        found: list[tuple[int, str]] = []
        if re.search(r"[\u4e00-\u9fff]", text):
            found += self._chinese_names(text)
        found += self._latin_names(text, _own_function_words(language))
        found += self.head_first(text, language)
        out: list[str] = []
        for start, name in sorted(found):
            if _FROM.search(text[:start]) or any(name.lower() in o.lower() for o in out):
                continue
            out = [o for o in out if o.lower() not in name.lower()] + [name]
        return out

    def _spelt_out(self, m: re.Match[str]) -> str | None:
        """ "W. Sahara" → "Western Sahara": the one name of the text whose first word starts
        with the initial and whose next word is the one written."""
        initial, word = m.group(1).lower(), _norm(m.group(2))
        found = set(re.findall(rf" ({initial}[a-z]+) {re.escape(word)} ", self._english))
        if len(found) != 1:
            return None
        return f"{next(iter(found)).capitalize()} {m.group(2)}"

    def head_first(self, question: str, language: str) -> list[tuple[int, str]]:
        """Institutions named head first that the text never holds: "Bureau d'appui à la
        consolidation de la paix", "Отдела Ближнего Востока и Западной Азии", "برنامج الأمم
        المتحدة الإنمائي". A name is held when its head and the word after it stand in one
        glossary name, in any language ("Division Asie et Pacifique"), or the text holds it."""
        if language not in languages.understood():
            return []
        lang = languages.get(language)
        heads = _head_stems(language)
        if not heads:
            return []
        joiners = {w.lower() for w in lang.cue("name_joiners")}
        articles = {w.lower() for w in lang.cue("name_articles")}
        breaks = set(lang.stopwords) | set(lang.cue("name_breaks"))
        words = list(_ANY_WORD.finditer(question))
        out: list[tuple[int, str]] = []
        for i, m in enumerate(words):
            if not _stem(m.group()).startswith(heads):
                continue
            if m.group()[:1].lower() == m.group()[:1].upper():  # Arabic: no capitals
                if _ARABIC_DEFINITE.match(m.group()):
                    continue  # "الشعبة المسؤولة": the division, described; a name's head is bare
            elif not m.group()[len(_elided(m.group().lower())) :][:1].isupper():
                continue  # "la division", described; a name's head has its capital ("l'Unité")
            name, linked = [m], False
            for w in words[i + 1 : i + 9]:
                if question[name[-1].end() : w.start()].strip():
                    break  # a comma, a bracket, a question mark
                low = w.group().lower()
                if low in articles and not linked:
                    break  # "…décolonisation la semaine prochaine": an article links nothing
                if low in joiners or low in articles:
                    name.append(w)
                    linked = True
                    continue
                # A name goes on with a capitalised word ("Division Asie", "Ближнего Востока"),
                # or a word after a link ("Bureau d'appui", "Fonds pour la consolidation"):
                # not a verb after it ("le Comité veut-il", "Consejo a familiarizarse").
                elided = _elided(low) in joiners
                cased = w.group()[:1].isupper()
                caseless = w.group()[:1].lower() == w.group()[:1].upper()  # Arabic
                if low in breaks or not (cased or linked or elided or caseless):
                    break
                if _CYRILLIC_WORD.fullmatch(low) and not cased:  # "Отдел по вопросам …": no name
                    break
                name.append(w)
                linked = False
            while name and name[-1].group().lower() in joiners | articles:
                name.pop()
            # "Office of the United Nations for West Africa": its own words tell it apart.
            generic = joiners | articles | {w.lower() for w in lang.cue("generic_name_words")}
            content = [w for w in name if w.group().lower() not in generic]
            if len(content) < 2:
                continue
            stems = {_stem(w.group()) for w in content[:2]}
            # Without the article written onto the head ("l'Unité d'appui" → "Unité d'appui").
            start = name[0].start() + len(_elided(m.group().lower()))
            text = question[start : name[-1].end()]
            two = question[start : content[1].end()]
            latin = bool(_LATIN_WORD.match(m.group()))
            held = any(stems <= n for n in self._name_stems) or (
                latin and (self.held_english(text) or self.held_english(two))
            )
            if not held:
                out.append((start, text))
        return out

    def known(self, word: str) -> bool:
        """The programme's text (or a translation of it) holds this word."""
        if word.isascii() and word.isalnum():  # what _norm gives such a word: lower case
            return word.lower() in self._vocab_set
        return _norm(word) in self._vocab_set

    @staticmethod
    def numbers_a_question(name: str) -> bool:
        """ "Q1", "Q2": the asker's numbering of their questions."""
        return bool(_QUESTION_LABEL.fullmatch(name))

    @staticmethod
    def is_grade(name: str) -> bool:
        """A UN grade ("P-4", "D1") or post ("JPO", the registry's `roles`): the asker's, never
        what a question is about."""
        return bool(_GRADE.fullmatch(name)) or name.casefold() in _roles()

    def where_the_asker_is(self, name: str, question: str, language: str) -> bool:
        """A place after "in"/"from" that is no country, territory or institution: where the
        asker is ("a P3 in Nairobi"), not what is asked about."""
        at = question.find(name)
        # The rest of the place's name before it ("New" of New York) is part of it.
        before = _CAPITALISED_TAIL.sub("", question[:at]) if at >= 0 else ""
        # "… in Geneva", right after the asker's grade ("(P-3, New York)"), or in brackets, alone
        # or before it, after what they joined ("…办事处（耶路撒冷）", "UNSCO (Jerusalem)").
        after = question[at + len(name) :] if at >= 0 else ""
        bracketed = bool(_OPENS.search(before)) and bool(
            _CLOSES.match(after) or _BEFORE_GRADE.match(after)  # "（纽约，P2）"
        )
        where = located_before().search(before) or _AFTER_GRADE.search(before) or bracketed
        return not self.stands_alone(name, language) and bool(where)

    def stands_alone(self, name: str, language: str) -> bool:
        """The name can be what a question is about on its own: an acronym, a country or
        territory, or an institution ("… Commission"). A city or a person's name in a question
        that asks about something the text holds is incidental ("Who in New York handles the
        sanctions committees?")."""
        if _ACRONYM.fullmatch(name):
            return True
        if re.search(r"[\u4e00-\u9fff]", name):  # a country or an institution, not a city (纽约)
            return name in self._country_zh or bool(re.search(rf"(?:{_INSTITUTION_ZH})$", name))
        bare = re.sub(r"^(?:the|les?|la|l')\s+", "", name, flags=re.I)
        if _norm(name) in self._country_latin or _norm(bare) in self._country_latin:
            return True
        # An institution's word in any language: "(Mediation Support Unit)" in a French question.
        words = _institution_words()
        return any(w in words or w.rstrip("s") in words for w in _norm(name).split())

    def held_english(self, name: str) -> bool:
        """The text holds this name (remembered: a message may repeat a name many times)."""
        held = self._held.get(name)
        if held is None:
            held = self._held[name] = self._held_english(name)
            if len(self._held) > HELD_CACHE:
                self._held.pop(next(iter(self._held)))
        return held

    def _held_english(self, name: str) -> bool:
        country = self._country_latin.get(_norm(name)) or self._country_latin.get(
            _norm(re.sub(r"^(?:the|les?|la|l')\s+", "", name, flags=re.I))
        )
        if country and self._country_held(country):
            return True  # "Les Malouines": the text names the Falkland Islands (Malvinas)
        if _un_named(name.split()):
            # "UN Women" is no "women": held only as the text or a glossary name writes it.
            pair = _norm(name).split()
            return self._in_text(pair) or tuple(pair) in self._glossary_names
        words = [w for w in _norm(name).split() if w not in ("the", "a", "an")]
        if not words:
            return True
        if len(words) == 1 and "-" in words[0]:
            # "ONU-UA": each part names something known (the UN, the African Union).
            parts = [p for p in words[0].split("-") if p]
            if parts and all(p in _GENERIC or self._phrase_held([p]) for p in parts):
                return True
        if self._phrase_held(words):
            return True
        corrected = [w if w in self._vocab_set else self.nearest(w) for w in words]
        if corrected != words and None not in corrected and self._phrase_held(corrected):
            return True
        return self._misspelt_name(words)

    def _misspelt_name(self, words: list[str]) -> bool:
        """A glossary name with a typo too short for the word-by-word check ("Decolonization
        Unt"): the whole name is close to one, with the same numbers ("Africa III Division" is
        no misspelt "Africa II Division": the changed word keeps its first letter)."""
        if len(words) < 2:
            return False
        phrase = " ".join(words)
        close = process.extractOne(
            phrase, self._glossary_phrases, scorer=fuzz.ratio, score_cutoff=_NAME_CUTOFF
        )
        if not close or len(close[0].split()) != len(words):
            return False
        # One word misspelt, keeping its first letter ("Comision" is no misspelt "Mision").
        changed = [(a, b) for a, b in zip(words, close[0].split(), strict=True) if a != b]
        return (
            len(changed) == 1
            and changed[0][0][:1] == changed[0][1][:1]
            and _numbers(close[0]) == _numbers(phrase)
        )

    def unheld_countries(self, question: str, language: str) -> list[str]:
        """Countries a question written in another script (Russian, Arabic) names that the text
        never does ("ماذا يقول البرنامج عن الصومال؟"), as written: its names in that language are
        pycountry's (the registry entry names the locale). In Russian, also a capitalised name
        no glossary name holds ("Что программа говорит о Косово?")."""
        text = _unvowelled(question)
        same = len(text) == len(question)  # no vowel marks: the name as the question writes it
        found, countries = [], []
        for written, english in _countries_in(language).items():
            span = _written_at(written, text)
            if span:
                countries.append(span)
                if not self._country_held(english):
                    found.append((span[0], question[span[0] : span[1]] if same else written))
        for m in _CYRILLIC_RUN.finditer(question):
            # A capital opening a sentence, or an item of the asker's list ("1) Какова…"),
            # names nothing; a country was looked up above.
            before = question[: m.start()].rstrip()
            # An acronym ("УВКБ") names something wherever it stands.
            opens = not m.group("acronym") and (not before or before[-1] in ".!?:;)）-•")
            country = any(a <= m.start() < b for a, b in countries)
            words = _CYRILLIC_WORD.findall(m.group().lower())
            heads = self._cyrillic_heads | self._held_country_heads(language)
            held = all(w[:_CYRILLIC_HEAD] in heads for w in words)
            if not (opens or country or held):
                found.append((m.start(), m.group()))
        return [name for _, name in sorted(found)]

    def _held_country_heads(self, language: str) -> set[str]:
        """The heads of the words of the countries the text holds, as this language names
        them: "Западной Сахары" is the held "Западная Сахара", declined."""
        heads = self._country_heads.get(language)
        if heads is None:
            heads = self._country_heads[language] = {
                w[:_CYRILLIC_HEAD]
                for written, english in _countries_in(language).items()
                if self._country_held(english)
                for w in _CYRILLIC_WORD.findall(written)
            }
        return heads

    def _country_held(self, english: str) -> bool:
        """A country is held when the text names it in any of its names."""
        names = [n for n, c in self._country_latin.items() if c == english]
        names += self._zh_names.get(english, [])
        return any((self._in_text(n.split()) if n.isascii() else n in self._chinese) for n in names)

    def held_chinese(self, name: str) -> bool:
        name = re.sub(r"\s+", "", name)
        if name in self._chinese:
            return True
        # A short form of a name the text spells out: 维和 → 维持和平.
        short = ".{0,3}".join(map(re.escape, name))
        return len(name) <= 3 and re.search(short, self._chinese) is not None

    def held_chinese_end(self, name: str) -> bool:
        """The end of a run of words before an institution's word is held: whole in the text,
        or short for one of its names (政治部 for 政治事务部), not letters spread over a
        sentence (行动…部)."""
        if name in self._chinese:
            return True
        short = re.compile(".{0,3}".join(map(re.escape, name)))
        return len(name) <= 3 and any(short.search(n) for n in self._names_zh)

    # ------------------------------------------------------------------ English

    def _latin_names(
        self, text: str, function: frozenset[str] = frozenset()
    ) -> list[tuple[int, str]]:
        out: list[tuple[int, str]] = []
        text = _CALENDAR.sub(lambda m: " " * len(m.group()), text)
        # A name never runs on past the end of a sentence ("…w/ DPA on CT. Which Council…").
        text = _SENTENCE_END.sub(lambda m: m.group(1) + "\0" * len(m.group(2)), text)
        for m in _ACRONYM.finditer(text):
            word = re.sub(r"(?:s|’s|'s)$", "", m.group()) if m.group()[-1] == "s" else m.group()
            if word.lower() in _GENERIC or re.fullmatch(r"SP\d", word) or word.isdigit():
                continue
            if not (self.held_english(m.group()) or self.held_english(word)):
                out.append((m.start(), word))
        for m in _CAPS_RUN.finditer(text):
            name, start = self._trim(re.sub(r"['’]s\b", "", m.group()), m.start(), function)
            # One capitalised word opening a sentence is its capital, not a name ("Salut !
            # Deux questions…", "Thanks. Quick one…"); countries are read below.
            wordy = (
                name
                and (len(name.split()) > 1 or not _opens_sentence(text, start))
                and not _ACRONYM.fullmatch(name)
            )
            if wordy and not self.held_english(name) and not self._opens_held(text, start, name):
                # "DPA on CT": held acronyms joined by a preposition name no one thing.
                joined = re.split(rf"\s+{_CONNECT}", name)
                acronyms = all(x.isupper() and self.held_english(x) for x in joined)
                # "American Samoa/Bermuda/Guam": names written as alternatives, each held.
                slashed = "/" in name and all(self.held_english(x) for x in name.split("/") if x)
                if (len(joined) == 1 or not acronyms) and not slashed:
                    out.append((start, name))
        for m in _lower_institution().finditer(text):
            # "the peacebuilding commission": the lower-case words right before it, up to a
            # function word ("supports that committee" names nothing).
            before = list(_WORD.finditer(text[: m.start()]))[-3:]
            modifiers: list[re.Match[str]] = []
            after = m.start()
            for w in reversed(before):
                word = w.group()
                if not word.islower() or word in EN_STOPWORDS or word in _GENERIC:
                    break
                if text[w.end() : after].strip():  # "decolonization — seminars, missions"
                    break
                modifiers.insert(0, w)
                after = w.start()
            # "the UNSCO front office", "EAD needs assessment missions": a part of what the
            # held name before it names, not an institution of its own.
            owner = list(_WORD.finditer(text[: modifiers[0].start() if modifiers else after]))
            if (
                owner
                and _ACRONYM.fullmatch(owner[-1].group())
                and self.held_english(owner[-1].group())
            ):
                continue
            # "sending sanctions committee": held when a shorter end of it is.
            if modifiers and not any(
                self.held_english(text[w.start() : m.end()]) for w in modifiers
            ):
                out.append((modifiers[0].start(), text[modifiers[0].start() : m.end()]))
        for start, end in self._country_spans(_norm_keep_positions(text)):
            name = text[start:end]
            if not self.held_english(name):
                out.append((start, name))
        return out

    def held_places(self, question: str) -> list[str]:
        """Countries and territories the question names that the text names too ("Et la
        Nouvelle-Calédonie ?"), as written."""
        text = _norm_keep_positions(question)
        spans = self._country_spans(text)
        return [
            question[a:b] for a, b in spans if self._country_held(self._country_latin[text[a:b]])
        ]

    def only_in_mandate_titles(
        self, question: str, chinese_names: list[str], language: str = ""
    ) -> list[str]:
        """What the question names (a country, or these glossary names) the text names only in
        resolutions' titles: "what does the programme say about Myanmar?" is answered by
        58/247, "Situation of human rights in Myanmar", not by the nearest paragraph."""
        names = list(chinese_names)
        text = _norm_keep_positions(question)
        for a, b in self._country_spans(text):
            english = self._country_latin[text[a:b]]
            names += self._zh_names.get(english, [])
        if _HAN_CHAR.search(question):
            names += [zh for zh in self._country_zh if zh in question]
        if language and language not in languages.answered():  # "…على كوبا؟"
            written = _unvowelled(question)
            for name, english in _countries_in(language).items():
                if _written_at(name, written):
                    names += self._zh_names.get(english, [])
        # "福克兰群岛(马尔维纳斯)", in a title "…（马尔维纳斯）": the name before its bracket.
        names += [re.split(r"[（(]", n)[0].strip() for n in names]
        named = [n for n in dict.fromkeys(names) if n and n in self._titles_zh]
        return [] if any(n in self._passages_zh for n in named) else named

    def _country_spans(self, text: str) -> list[tuple[int, int]]:
        """Where country names stand in a normalised text (remembered: a question's text is
        looked through for unheld names, held places and names only titles hold)."""
        spans = self._spans.get(text)
        if spans is None:
            if len(self._spans) > _SPANS_KEPT:  # this question's, not every question's
                self._spans.clear()
            spans = self._spans[text] = self._find_country_spans(text)
        return spans

    def _find_country_spans(self, text: str) -> list[tuple[int, int]]:
        """Where country names stand in a normalised text, left to right, the longest at each
        place, none inside another: what one regex of every name, longest first, between word
        boundaries, finds (names are words of [a-z0-9-] joined by spaces, so a match starts at
        a word's start and ends at a word's end), at a dictionary lookup per run of words
        rather than a try of 800 names at every character."""
        word = [c.isalnum() or c == "_" for c in text]  # the regex's \w
        n = len(text)
        starts = [i for i in range(n) if word[i] and (i == 0 or not word[i - 1])]
        ends = [e for e in range(1, n + 1) if word[e - 1] and (e == n or not word[e])]
        spans: list[tuple[int, int]] = []
        after = 0  # where the last name found ends: the next one starts after it
        for start in starts:
            if start < after:
                continue
            # The word ends within the longest name's reach, the farthest first.
            first = bisect_right(ends, start)
            last = bisect_right(ends, start + self._country_chars)
            for k in range(last - 1, first - 1, -1):
                if text[start : ends[k]] in self._country_names:
                    spans.append((start, ends[k]))
                    after = ends[k]
                    break
        return spans

    def _opens_held(self, text: str, start: int, name: str) -> bool:
        """The capital of a sentence's first word, then a held name: "Joined Africa II
        Division last month" names the division."""
        words = name.split()
        return (
            _opens_sentence(text, start)
            and len(words) > 1
            and self.held_english(" ".join(words[1:]))
        )

    @staticmethod
    def _trim(name: str, start: int, function: frozenset[str] = frozenset()) -> tuple[str, int]:
        """Without the function words at its ends ("What does the …"; `function`: those of
        the question's own language, when it is read in its own questions only); a name made
        only of words that name nothing new on their own ("United Nations Secretariat") is no
        name."""
        words = name.split()
        while words and (
            _bare(words[0]) in _FUNCTION | _OPENERS | function | EN_STOPWORDS  # "Among…"
            # "Resolutions on the Cuba embargo": what is asked about, not a name.
            or (_bare(words[0]) in _ASKED_ABOUT and len(words) > 1)
            # "Coopération ONU-UA": a generic word before a name, not one of its words (the
            # Department of Peacekeeping Operations keeps its "of").
            or (
                _bare(words[0]) in _GENERIC_NOUNS
                and len(words) > 1
                and _bare(words[1]) not in _CONNECTORS
            )
        ):
            if _un_named(words):
                break  # "UN Women", "ONU Mujeres": the UN's short name and a word, one name
            start += len(words[0]) + 1
            words = words[1:]
        # "Palestine SP", "Gibraltar resolutions": what is asked of the name, not its words.
        while words and (
            _bare(words[-1]) in _FUNCTION | function
            or (len(words) > 1 and _bare(words[-1]) in _ASKED_ABOUT | _PROGRAMME_PARTS)
        ):
            words = words[:-1]
        if all(_bare(w) in _GENERIC | function for w in words):
            return "", start
        return " ".join(words).strip(".,;:!?"), start

    def _phrase_held(self, words: list[str]) -> bool:
        """The phrase is in the text (or a glossary name holds all its words), or it is made of
        pieces that are: "Security Council Counter-Terrorism Committee". A piece is a whole
        glossary name or two words or more of the text; one word alone ("commission") does not
        make "Peacebuilding Commission" a name the text knows."""
        if len(words) == 1:
            word = _singular(words[0])
            return (
                f" {word[:_PREFIX]} " in self._heads
                or word in self._vocab_set
                or words[0] in self._vocab_set
                or (word,) in self._glossary_names
            )
        single = [_singular(w) for w in words]
        if self._in_text(words) or self._in_text(single):
            return True
        if any(set(single) <= names for names in self._glossary_words):
            return True
        n = len(words)
        covered = [True] + [False] * n  # covered[i]: words[:i] split into held pieces
        for end in range(1, n + 1):
            # No name of the text is longer than MAX_PIECE words: a run of 400 capitalised
            # words costs 400 × MAX_PIECE lookups, not 400².
            for start in range(max(0, end - MAX_PIECE), end):
                if not covered[start]:
                    continue
                piece = single[start:end]
                # A piece of text starts and ends with a content word: "department of" (of the
                # Department of Political Affairs) does not make "Department of Peacekeeping
                # Operations" a name the text knows.
                loose = piece[0] in _JOINERS or piece[-1] in _JOINERS
                if tuple(piece) in self._glossary_names or (
                    len(piece) > 1
                    and not loose
                    and (self._in_text(words[start:end]) or self._in_text(piece))
                ):
                    covered[end] = True
                    break
        return covered[n]

    def _in_text(self, words: list[str]) -> bool:
        if f" {' '.join(words)} " in self._english:
            return True
        return f" {' '.join(w[:_PREFIX] for w in words)} " in self._heads

    @lru_cache(maxsize=4096)  # noqa: B019 - one index per process, words repeat
    def respell(self, word: str, lang: str | Callable[[], str] | None = None) -> str:
        """A question's word as the text writes it in the asker's language, when misspelt
        ("indicatrs" → "indicators"); else as written. `lang` may be given as a function, called
        only when the word is not the text's (detecting a language costs more than the rest)."""
        key = _norm(word)
        if key in self._vocab_set or len(key) < 5:
            return word
        code = (lang() if callable(lang) else lang) or languages.default()
        words = self._by_initial.get(code, {}).get(key[:1], ())
        close = process.extractOne(key, words, scorer=fuzz.ratio, score_cutoff=_RESPELL_CUTOFF)
        if not close or close[0].startswith(key) or key.startswith(close[0]):
            return word  # an inflection the text does not use ("serve", "chargée"), not a typo
        if len(close[0]) < len(key):
            return word  # a typo drops letters: "front" is no misspelt "font"
        return close[0]

    def nearest(self, word: str) -> str | None:
        """The word of the text (or a translation) closest to a misspelt one ("Secuirty" →
        "security"), when at least _TYPO_CUTOFF alike; None for short words."""
        if len(word) < 5:
            return None
        close = process.extractOne(
            word, self._vocab, scorer=fuzz.ratio, score_cutoff=_TYPO_CUTOFF * 100
        )
        return close[0] if close else None

    # ------------------------------------------------------------------ Chinese

    def _chinese_names(self, text: str) -> list[tuple[int, str]]:
        tags = _name_tags()
        out: list[tuple[int, str]] = []
        position = 0
        spans: list[tuple[int, str, str]] = []
        for word in _words_zh(text):
            spans.append((position, word, tags.get(word, "")))
            position += len(word)
        stop = languages.get("zh").stopwords if "zh" in languages.understood() else frozenset()
        for i, (start, word, flag) in enumerate(spans):
            # "全部" (all) ends in 部 but names no department; "麻烦" (please) names nothing.
            if _ZH_POINTER.search(word) or word in stop:
                continue
            if re.fullmatch(rf"(?:{_INSTITUTION_ZH})", word) or re.search(
                rf"(?:{_INSTITUTION_ZH})$", word
            ):
                # The run of words that ends in the institution word: 建设/和平/委员会.
                j = i
                while (
                    j > 0
                    and re.fullmatch(r"[\u4e00-\u9fff]+", spans[j - 1][1])
                    and spans[j - 1][1] not in _ZH_BREAKS
                    and not _ZH_NUMERAL.fullmatch(spans[j - 1][1])  # 三司: SP3's division
                    and not _ZH_POINTER.search(spans[j - 1][1])
                    and i - j < 4
                ):
                    j -= 1
                if j > 0 and _ZH_POINTER.search(spans[j - 1][1]):
                    continue  # "哪个军事机构": the kind of body asked for, not a name
                name = "".join(w for _, w, _ in spans[j : i + 1])
                # "调到非殖民化股": held when a shorter end of the run is (非殖民化股).
                ends = ("".join(w for _, w, _ in spans[k : i + 1]) for k in range(j, i))
                if len(name) > len(word) and not any(self.held_chinese_end(e) for e in ends):
                    out.append((spans[j][0], name))
            elif flag in _ZH_TAGS and len(word) >= 2 and not self.held_chinese(word):
                out.append((start, word))
        for zh in self._country_zh:
            at = text.find(zh)
            if at >= 0 and not self.held_chinese(zh):
                out.append((at, zh))
        return out


def _own_function_words(language: str) -> frozenset[str]:
    """The question's language's function words (the registry's stopwords), trimmed off names
    besides the lists above: "¿Cuál…", "Selon le SP4" name nothing."""
    if language not in languages.understood():
        return frozenset()
    return languages.get(language).stopwords


@lru_cache(maxsize=1)
def _lower_institution() -> re.Pattern[str]:
    """An institution's last word, in lower case ("the peacebuilding commission"): the English
    registry's `lower_institutions`. "council members" are members of a council named elsewhere, not
    a council of their own."""
    words = languages.get(languages.default()).cue("lower_institutions")
    words = "|".join(re.escape(w) for w in words)
    return re.compile(
        rf"\b(?:{words})s?\b(?!\s+(?:of|for|on|members?|meetings?|chairs?|president)\b)"
    )


@lru_cache(maxsize=1)
def _un_short() -> frozenset[str]:
    """The United Nations' short name in each language ("UN", "ONU"): registry cue un_short."""
    codes = registry.understood()
    return frozenset(w for code in codes for w in languages.get(code).cue("un_short"))


def _un_named(words: list[str]) -> bool:
    """ "UN Women", "ONU Mujeres": the UN's short name, written in capitals, and one
    capitalised word that is no acronym (an acronym after it is a name of its own: "UN DPA")."""
    return (
        len(words) == 2
        and words[0].isupper()
        and words[0].lower() in _un_short()
        and words[1][:1].isupper()
        and not words[1].isupper()
    )


@lru_cache(maxsize=1)
def _institution_words() -> frozenset[str]:
    """Every language's words for an institution, at either end of its name, as `_norm` writes
    a name's words (Latin letters: the names a question writes in capitals)."""
    words = (
        _norm(w)
        for code in languages.understood()
        for cue in ("institutions", "institution_heads")
        for w in languages.get(code).cue(cue)
    )
    return frozenset(w for w in words if w)


@lru_cache(maxsize=8)
def _head_stems(language: str) -> tuple[str, ...]:
    """A language's words that open an institution's name, as `_stem` writes them."""
    return tuple(_stem(h) for h in languages.get(language).cue("institution_heads"))


def _elided(word: str) -> str:
    """A French word's elided article alone ("d'appui" → "d'")."""
    m = re.match(r"^(?:l|d|qu)['’]", word)
    return m.group().replace("’", "'") if m else ""


def _stem(word: str) -> str:
    """A word as names compare: lower case, accents folded, no elided article (Latin), no
    article (Arabic), on its head (declined Russian, plural French)."""
    word = word.lower().replace("’", "'")
    word = _ARABIC_ARTICLE.sub("", word)  # Arabic letters only: a Latin word is unchanged
    word = word[len(_elided(word)) :]
    folded = _norm(word) or word
    return folded[: _CYRILLIC_HEAD if _CYRILLIC_WORD.match(folded) else _PREFIX]


def _bare(word: str) -> str:
    """A word as the generic lists hold it: lower case, no possessive, no French elision;
    "SP3" and "SP 3" are generic."""
    word = re.sub(r"['’]s$", "", word.lower().strip(".,;:!?¿¡'’\"()"))
    word = re.sub(r"^(?:l|d|qu|c|s|n)['’]", "", word)
    return "sp" if re.fullmatch(r"sp\d", word) else word


# Accented Latin letters as their base letter, one for one ("Calédonie" → "caledonie").
_FOLD = {
    code: base
    for code in range(0xC0, 0x250)
    if (base := unicodedata.normalize("NFKD", chr(code))[:1]).isascii() and base.isalpha()
}


def _norm_keep_positions(text: str) -> str:
    """Lower-cased, accents folded, punctuation as spaces, same length: country names match
    by position."""
    return re.sub(r"[^a-z0-9\s-]", " ", text.lower().translate(_FOLD))


@lru_cache(maxsize=512)
def _words_zh(text: str) -> tuple[str, ...]:
    # Dictionary words only: jieba's guesses for unknown runs join an institution's last
    # character to the next word ("维持和平行动部在" → 部在), hiding the name.
    return tuple(_jieba().cut(text, HMM=False))


@lru_cache(maxsize=1)
def _name_tags() -> dict[str, str]:
    """jieba's dictionary tags of its place and organisation names (ns, nt, nz): its
    part-of-speech tagger is not needed for them, and not shipped in the image."""
    import jieba  # heavy: its dictionary, read once

    tags: dict[str, str] = {}
    dictionary = Path(jieba.__file__).with_name("dict.txt")
    with dictionary.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3 and parts[2] in _ZH_TAGS:
                tags[parts[0]] = parts[2]
    return tags


def _opens_sentence(text: str, start: int) -> bool:
    """`start` opens the text or a sentence (the spaces after a sentence's end are NULs in the
    text a name is read from: see _SENTENCE_END)."""
    before = text[:start].rstrip(" \t\n\0")
    return not before or before[-1] in ".!?:;"
