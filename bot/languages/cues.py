"""Patterns built from the registry's cue lexicons (word lists), shared by the modules that cut
and tidy text in any language. A cue's words are data (bot/languages/data/<code>.toml); how
they are joined depends only on the script they are written in.
"""

from __future__ import annotations

import re
from functools import cache

from bot.languages import registry
from bot.languages.registry import HAN, LATIN


def alternation(cue: str, script: str) -> str:
    """Every language's words of a cue written in a script, as one regex alternation (one that
    never matches when there are none)."""
    words = [w for lang in registry.of_script(script) for w in lang.cue(cue)]
    return "|".join(re.escape(w) for w in words) or "(?!)"


@cache
def leading_and() -> re.Pattern[str]:
    """An enumerated clause starts mid-sentence: "and helping…", "以及帮助…", "et d'aider…"."""
    return re.compile(
        rf"^((?:{alternation('leading_and', LATIN)}) |(?:{alternation('leading_and', HAN)}))"
    )


@cache
def intro_tail() -> re.Pattern[str]:
    """A clause that only opens a list ("…, by", "…，方式如下"): its opener, at its end."""
    latin, han = alternation("intro_tail", LATIN), alternation("intro_tail", HAN)
    return re.compile(rf",?\s*(?:{latin})$|，?(?:{han})$")


@cache
def any_word_of(cue: str) -> re.Pattern[str]:
    """A word of a cue, in any language: whole words in alphabetic scripts, as written in
    Chinese."""
    words = "|".join(alternation(cue, s) for s in (LATIN, "cyrillic", "arabic"))
    # An elided word ("j'", "qu'") is written onto the next: no word boundary after it.
    elided = [
        re.escape(w)
        for s in (LATIN,)
        for lang in registry.of_script(s)
        for w in lang.cue(cue)
        if w.endswith(("'", "’"))
    ]
    elision = rf"|(?<![\w'])(?:{'|'.join(elided)})" if elided else ""
    return re.compile(
        rf"(?<![\w'])(?:{words})(?![\w']){elision}|{alternation(cue, HAN)}", re.IGNORECASE
    )


@cache
def cue_of(code: str, cue: str) -> re.Pattern[str]:
    """One language's words of a cue: whole words in alphabetic scripts, as written in
    Chinese (`any_word_of` is every language's)."""
    words = registry.get(code).cue(cue)
    latin = "|".join(re.escape(w) for w in words if not re.search(r"[\u3400-\u9fff]", w))
    han = "|".join(re.escape(w) for w in words if re.search(r"[\u3400-\u9fff]", w))
    return re.compile(rf"(?<![\w'])(?:{latin or '(?!)'})(?![\w'])|{han or '(?!)'}", re.IGNORECASE)


@cache
def asks_every() -> re.Pattern[str]:
    """The question asks for every item ("list all", "the full list", "全部列出", "toutes")."""
    return any_word_of("every")


def new_to_their_unit() -> re.Pattern[str]:
    """The asker says they are new ("just joined", "刚调到", "je rejoins", "انضممت")."""
    return any_word_of("newcomer")


@cache
def points_back() -> re.Pattern[str]:
    """A follow-up: it opens with "and"/"what about" ("et…", "а…", "那…"), or a word in it points
    at the turn before ("its", "它")."""
    opens = any_word_of("opens_follow_up").pattern
    return re.compile(
        rf"^[\s¿¡«\"'(]*(?:{opens})|{any_word_of('refers_back').pattern}", re.IGNORECASE
    )


def speaking_of_themselves() -> re.Pattern[str]:
    """The asker speaks of themselves ("our division", "I'm new", "我们司", "notre service")."""
    return any_word_of("asker")


@cache
def located_before() -> re.Pattern[str]:
    """A word saying where someone is, at the end of a text ("… in", "… from", "…在")."""
    return re.compile(rf"(?:{any_word_of('located').pattern})\s*$", re.IGNORECASE)


@cache
def _ordinals() -> tuple[tuple[int, re.Pattern[str]], ...]:
    """Each language's ordinals as (position, pattern): whole words in alphabetic scripts, as
    written in Chinese."""
    out = []
    for lang in registry.registry().languages:
        for i, entry in enumerate(lang.cue("ordinals"), start=1):
            forms = "|".join(re.escape(f) for f in entry.split("|"))
            edge = "" if lang.script == HAN else r"(?<![\w'])"
            tail = "" if lang.script == HAN else r"(?![\w'])"
            out.append((i, re.compile(rf"{edge}(?:{forms}){tail}", re.IGNORECASE)))
    return tuple(out)


def ordinal_said(text: str) -> tuple[int, int, int] | None:
    """The first ordinal the text says and where: (position, start, end); the `last` cue's
    words ("the latter", "后一项") are position -1."""
    found = [(m.start(), m.end(), n) for n, pattern in _ordinals() if (m := pattern.search(text))]
    if m := any_word_of("last").search(text):
        found.append((m.start(), m.end(), -1))
    if not found:
        return None
    start, end, n = min(found)
    return n, start, end


def ordinal(text: str) -> int | None:
    """The first ordinal the text says ("the third accomplishment" → 3, "第二项" → 2)."""
    found = [(m.start(), n) for n, pattern in _ordinals() if (m := pattern.search(text))]
    return min(found)[1] if found else None


@cache
def subprogramme_word() -> re.Pattern[str]:
    """A language's word for a subprogramme (the `subprogramme` cue), longest first."""
    words = [w for lang in registry.registry().languages for w in lang.cue("subprogramme")]
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)


@cache
def programme_numbered() -> re.Pattern[str]:
    """A language's word for a programme (the `programme` cue), then its number ("programme 3",
    "方案3")."""
    words = [w for lang in registry.registry().languages for w in lang.cue("programme")]
    stems = "|".join(re.escape(w) for w in words) or "(?!)"
    return re.compile(rf"(?<![\w-])(?:{stems})\s*(?:n[o°]\.?\s*)?(\d{{1,2}})(?![\d.])", re.I)


@cache
def subprogramme_numbered() -> re.Pattern[str]:
    """A language's word for a subprogramme, in any of its forms, then its number (the
    `subprogramme` cue; "подпрограмм" is the stem of all its cases)."""
    words = [w for lang in registry.registry().languages for w in lang.cue("subprogramme")]
    stems = "|".join(re.escape(w) for w in words) or "(?!)"
    # Its inflected ending: a few letters, not Chinese ("次级方案的指标有3个" names no SP3).
    ending = r"[^\W\d_\u3400-\u9fff]{0,4}"
    return re.compile(rf"(?:{stems}){ending}\W{{0,3}}([1-6])(?!\d)", re.IGNORECASE)


@cache
def _restated_title() -> re.Pattern[str]:
    """A numbered programme or subprogramme, then its title in brackets ("programme 2 (political
    affairs)", "подпрограммы 3 (вопросы Совета Безопасности)")."""
    numbered = "|".join(
        p.pattern.replace("(\\d", "(?:\\d").replace("([1-6])", "(?:[1-6])")
        for p in (programme_numbered(), subprogramme_numbered())
    )
    return re.compile(rf"((?:{numbered}|\bSP\s?[1-6]\b))\s*[(（][^()（）]{{2,80}}[)）]", re.I)


def without_restated_title(text: str) -> str:
    """The text without a numbered unit's title restated in brackets: the number names the
    unit; the title's words ("political affairs") would match other records' names."""
    return _restated_title().sub(r"\1", text)
