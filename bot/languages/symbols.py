"""UN resolution symbols: find them in free text, parse, normalise and compare.

Spellings understood (English and Chinese text, full-width forms included):

- General Assembly, modern (31st session on, 1976-): ``58/109``, ``A/RES/58/109``,
  ``47/120 A``, ``A/RES/47/120A``, ``52/12 A 和 B``, ``52/12 A and B``; decisions such as
  ``58/511`` have the same shape.
- General Assembly, sessions I-XXX (1946-1975): ``1514(XV)``, ``1514 (xv)``, ``217 A (III)``.
- Security Council: ``1373 (2001)``, ``1373（2001）``, ``S/RES/1373``, ``S/RES/1373(2001)``.
- A bare number only when a word introduces it: ``resolution 1373``, ``Res. 1373``,
  ``SCR 1373``, ``résolution 1373``, ``резолюции СБ 1318``, ``القرار 1373``, ``决议 1373``,
  ``第 1373 号``, ``1373号决议``, ``3376号``; or a body's short name and three digits or more:
  ``GA 2625``, ``SC 1325``, ``СБ 1325``.
- Sessions written the Arabic way: ``194 (د-3)``; Arabic-Indic digits: ``١٨١``.

The words that introduce a number (`resolution_words`) and name a body (`ga_words`,
`sc_words`, `ga_short`, `sc_short`) are each language's registry data; Chinese wrappers
(``第…号决议``) are written here, being how a symbol is spelt rather than words around it.

Chinese wrappers (``第…号决议``) and keywords are not part of a match's span; ``A/RES/`` and
``S/RES/`` prefixes and suffix letters are.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from bot.languages import registry

GA = "GA"  # General Assembly
SC = "SC"  # Security Council

__all__ = ["GA", "SC", "Symbol", "SymbolMatch", "find_symbols", "parse_symbol", "symbol_base"]


@dataclass(frozen=True)
class Symbol:
    body: str | None  # GA, SC, or None when unknown
    number: str  # "58/109" (GA modern), "1514" (GA roman-session form), "1373" (SC)
    session: str | None = None  # "XV" (GA roman form), "2001" (SC year); None if not given
    parts: tuple[str, ...] = ()  # suffix letters: ("A",), ("A", "B")

    @property
    def base(self) -> str:
        """Comparison key without parts or spaces: "58/109", "1514(XV)", "1373(2001)", "1373"."""
        return self.number if self.session is None else f"{self.number}({self.session})"

    @property
    def display(self) -> str:
        """Official-looking form: "47/120 A", "52/12 A and B", "1514 (XV)", "1373 (2001)"."""
        *head, last = self.parts or ("",)
        parts = f"{', '.join(head)} and {last}" if head else last
        session = f"({self.session})" if self.session else ""
        return " ".join(piece for piece in (self.number, parts, session) if piece)

    def matches(self, other: Symbol) -> bool:
        """Same resolution: equal numbers; a missing session/year or body matches any; parts
        are ignored."""
        if self.body and other.body and self.body != other.body:
            return False
        if self.number != other.number:
            return False
        return self.session is None or other.session is None or self.session == other.session

    def __str__(self) -> str:
        return self.display


@dataclass(frozen=True)
class SymbolMatch:
    symbol: Symbol
    start: int  # span of the symbol itself in the searched text (keywords excluded)
    end: int


# Full-width ASCII forms (（）／０-９Ａ-Ｚ…) to ASCII, one character for one so that match
# offsets stay valid in the original text. The full-width comma is kept: it separates list
# items in Chinese, while an ASCII comma between digits is a thousands separator (1,373).
_FULLWIDTH = str.maketrans(
    {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if cp != 0xFF0C}
    # Arabic-Indic and Persian digits, one for one as well.
    | {cp: ord("0") + cp - base for base in (0x0660, 0x06F0) for cp in range(base, base + 10)}
)

_H = r"[^\S\r\n]"  # horizontal whitespace, incl. NBSP and U+3000: a symbol never spans lines

# Words that let a bare number count as a symbol: a language's resolution word, optionally
# with the body before it ("General Assembly resolution 12") or after it ("резолюции СБ 1318");
# a body's short name before three digits or more ("GA 2625"; not a year, as in "the GA 2005
# session", unless its session or year follows in brackets); Chinese 决议 or 第 (第 only
# counts when 号 follows the number, see _introduced: "第 58 届会议" is a session, "第 2 段" a
# paragraph). A letter of any alphabetic script before a word makes it part of another word.
_NOT_AFTER_LETTER = r"(?<![A-Za-z\u00c0-\u024f\u0400-\u04ff\u0600-\u06ff])"
_NOT_BEFORE_LETTER = r"(?![A-Za-z\u00c0-\u024f\u0400-\u04ff\u0600-\u06ff])"


def _registry_words(cue: str) -> str:
    """Every language's words of a cue, longest first; a space stands for any horizontal run."""
    words = sorted({w for code in registry.understood() for w in registry.get(code).cue(cue)})
    words.sort(key=len, reverse=True)
    spaced = (re.escape(w).replace(r"\ ", rf"{_H}{{1,3}}") for w in words)
    return "|".join(spaced) or "(?!)"


@cache
def _years() -> re.Pattern[str]:
    """After a bare number, more numbers and a word for years: "резолюции СБ 2000 и 2001
    годов", "resolutions of 2000 and 2001 years" are the years' resolutions, not a symbol."""
    joint = rf"{_H}*(?:[,，、&-]|{_registry_words('and_words')}){_H}*[0-9]{{4}}"
    years = _registry_words("year_words")
    return re.compile(rf"(?i:(?:{joint})*{_H}+(?:{years}){_NOT_BEFORE_LETTER})")


def _intro() -> str:
    ga, sc = _registry_words("ga_words"), _registry_words("sc_words")
    resolution = _registry_words("resolution_words")
    return rf"""
    (?P<intro>
        {_NOT_AFTER_LETTER}
        (?i:(?:(?P<ga_word>{ga})|(?P<sc_word>{sc})){_H}{{1,3}})?
        (?i:(?:{resolution}){_NOT_BEFORE_LETTER}|(?P<scr>(?:un)?scr))
        (?i:{_H}{{1,3}}(?:(?P<ga_after>{ga})|(?P<sc_after>{sc})){_NOT_BEFORE_LETTER})?
        (?i:{_H}{{0,2}}(?:no\.?|number|n°|№|\#))?
      | {_NOT_AFTER_LETTER}
        (?i:(?P<ga_short>{_registry_words("ga_short")})|(?P<sc_short>{_registry_words("sc_short")}))
        {_H}{{1,2}}(?=[1-9][0-9]{{2}})(?!(?:19[4-9]|20[0-3])[0-9](?![0-9]{_H}{{0,3}}\())
      | (?:(?P<ga_zh>大会)|(?P<sc_zh>安理会|安全理事会))?(?:(?P<di>第)|决议)
    )
    \s{{0,3}}
"""


# A suffix letter A-H, but not the first letter of a word ("58/109 About") or of "A/RES/".
_PART = r"[A-H](?![A-Za-z0-9/])"
_PARTS = rf"""
    {_H}{{0,2}}{_PART}
    (?:(?:{_H}{{0,2}}[,，、&和及与]{_H}{{0,2}}|{_H}{{1,2}}(?i:and){_H}{{1,2}}){_PART})*
"""

_YEAR = r"194[6-9]|19[5-9][0-9]|20[0-9]{2}"  # the Security Council first met in 1946
# Loose on purpose (any case, Unicode Ⅰ-ⅿ); _roman_session validates what was caught.
# 181 (II), 181（二）, 181 (د-2): the Arabic symbol's session, "د" for دورة.
_ARABIC_SESSION = rf"د{_H}{{0,2}}-{_H}{{0,2}}[1-9][0-9]?"
_ROMAN = rf"[IVXivx\u2160-\u217f]{{1,6}}|[一二三四五六七八九十]{{1,3}}|{_ARABIC_SESSION}"


# Every quantifier is bounded or followed by a distinct character, so a failed attempt costs
# a few steps per position: no catastrophic backtracking on long or hostile input.
@cache
def _symbol_re() -> re.Pattern[str]:
    return re.compile(_SYMBOL.replace("{intro}", _intro()), re.VERBOSE)


_SYMBOL = rf"""
    (?:{{intro}}
      | (?<![A-Za-z0-9/-])              # not the tail of a word, path, date or range (1998-1999)
    )
    (?P<symbol>
        (?:(?P<prefix>(?i:[AS])){_H}?/{_H}?(?i:RES){_H}?/{_H}?)?        # A/RES/, S/RES/
        (?:
            # GA numbered N/M from its 31st session: 31/1 … 99/9999. Earlier sessions used
            # the roman form, so 12/2001 or 24/7 are never symbols. "res 58-109" is one too,
            # after a word that says so (a bare 58-109 may be a range).
            (?P<session>3[1-9]|[4-9][0-9])(?:/|(?(intro)-|/))(?P<serial>[1-9][0-9]{{0,3}})
            (?P<parts>{_PARTS})?
          |
            (?<![0-9][.,])                  # the 373 of 1,373 or the 14 of 2.14
            (?P<number>[1-9][0-9]{{0,3}})
            (?:(?:{_H}?(?P<rpart>[A-H]))?   # 217 A (III)
               {_H}{{0,3}}\({_H}{{0,3}}(?:(?P<year>{_YEAR})|(?P<roman>{_ROMAN})){_H}{{0,3}}\)
            )?
        )
    )
    (?![A-Za-z0-9]|/[0-9])              # not followed by more of a word, number or date
    """

_HAO = re.compile(rf"{_H}{{0,3}}号")  # 第 1373 号
_HAO_JUEYI = re.compile(rf"{_H}{{0,3}}号{_H}{{0,3}}决[议定]")  # 1373号决议
# After a bare number: a decimal, thousands group, range, date or count, or a session with
# its serial left out ("résolutions 58/…"), not a symbol.
_NOT_BARE = re.compile(rf"[.,-][0-9]|/|{_H}{{0,3}}[年月日个次条段届%]")
_ROMAN_SESSION = re.compile(r"XXX|X{0,2}(?:IX|IV|V?I{0,3})")  # sessions I-XXX, 1946-1975


# What may surround the one symbol of a string given to parse_symbol.
@cache
def _wrapper() -> re.Pattern[str]:
    words = "|".join(_registry_words(cue) for cue in ("resolution_words", "ga_words", "sc_words"))
    return re.compile(
        rf"""(?:[\W_]
          | (?i:{words}|decisions?|dec|(?:un)?scr|no|number|un)(?![A-Za-z])
          | 第|号|决议|决定|大会|安理会|安全理事会|联合国
        )*""",
        re.VERBOSE,
    )


_HAN_DIGITS = {c: n for n, c in enumerate("一二三四五六七八九", start=1)}


def _han_number(raw: str) -> int | None:
    """一 … 三十 (a session written in Chinese numerals: "181（二）", "1514（十五）")."""
    tens, _, units = raw.rpartition("十") if "十" in raw else ("", "", raw)
    if "十" in raw:
        high = _HAN_DIGITS.get(tens, 0) if tens else 1
        low = _HAN_DIGITS.get(units, 0) if units else 0
        ok = (not tens or tens in _HAN_DIGITS) and (not units or units in _HAN_DIGITS)
        return high * 10 + low if ok else None
    return _HAN_DIGITS.get(units)


def _as_roman(n: int) -> str:
    return "X" * (n // 10) + ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"][n % 10]


def _roman_session(raw: str) -> str | None:
    if raw[:1] in _HAN_DIGITS or raw[:1] == "十":
        n = _han_number(raw)
        raw = _as_roman(n) if n and n <= 30 else ""
    elif raw[:1] == "د":
        n = int(raw.rpartition("-")[2])
        raw = _as_roman(n) if n <= 30 else ""
    session = unicodedata.normalize("NFKC", raw).upper()
    return session if session and _ROMAN_SESSION.fullmatch(session) else None


def _parts(raw: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(re.findall(r"[A-H]", raw or "")))


def _introduced(m: re.Match[str], text: str) -> bool:
    """Whether a number too plain to stand alone is introduced by a keyword."""
    if m["intro"] and (not m["di"] or _HAO.match(text, m.end())):
        return True
    if len(m["number"] or "") >= 3 and _HAO.match(text, m.end()):  # "3376号呢？"
        return True
    return _HAO_JUEYI.match(text, m.end()) is not None


def _build(m: re.Match[str], text: str) -> Symbol | None:
    """The Symbol a regex match stands for, or None when the context rules it out."""
    prefix = (m["prefix"] or "").upper()
    if m["session"]:
        if prefix == "S":
            return None
        return Symbol(GA, f"{m['session']}/{m['serial']}", None, _parts(m["parts"]))
    number = m["number"]
    if m["year"] or m["roman"]:
        # 12 (iv) is a paragraph; 1-2 digit numbers need a keyword or prefix here
        if len(number) < 3 and not prefix and not _introduced(m, text):
            return None
        if m["year"]:
            return None if prefix == "A" or m["rpart"] else Symbol(SC, number, m["year"])
        session = _roman_session(m["roman"])
        if session is None or prefix == "S":
            return None
        return Symbol(GA, number, session, _parts(m["rpart"]))
    if prefix:
        return Symbol(GA if prefix == "A" else SC, number)
    if not _introduced(m, text) or _NOT_BARE.match(text, m.end()) or _years().match(text, m.end()):
        return None
    if m["ga_word"] or m["ga_after"] or m["ga_short"] or m["ga_zh"]:
        body: str | None = GA
    elif m["sc_word"] or m["sc_after"] or m["sc_short"] or m["sc_zh"] or m["scr"]:
        body = SC
    else:
        # "resolution 1514" may be the Assembly's 1514 (XV) as well as a Council resolution.
        body = None
    return Symbol(body, number)


def find_symbols(text: str) -> list[SymbolMatch]:
    """All resolution symbols in free text, in order of appearance."""
    return list(_find_symbols(text))


# The same texts come back: a question is read for symbols four times on its way, the
# programme's sentences on every question that looks for a resolution in them.
@lru_cache(maxsize=4096)
def _find_symbols(text: str) -> tuple[SymbolMatch, ...]:
    norm = text.translate(_FULLWIDTH)
    found: list[SymbolMatch] = []
    pos = 0
    while (m := _symbol_re().search(norm, pos)) is not None:
        symbol = _build(m, norm)
        if symbol is None:
            pos = m.start() + 1  # rejected: a symbol may still start later inside the match
        else:
            found.append(SymbolMatch(symbol, m.start("symbol"), m.end("symbol")))
            pos = m.end()
    return tuple(found)


def parse_symbol(text: str) -> Symbol | None:
    """The one symbol `text` consists of, allowing keywords and punctuation around it."""
    matches = find_symbols(text)
    if len(matches) != 1:
        return None
    match = matches[0]
    rest = f"{text[: match.start]} {text[match.end :]}".translate(_FULLWIDTH)
    return match.symbol if _wrapper().fullmatch(rest) else None


def symbol_base(text: str) -> str | None:
    """Comparison key of the symbol `text` consists of: "A/RES/47/120 A" -> "47/120"."""
    symbol = parse_symbol(text)
    return symbol.base if symbol else None
