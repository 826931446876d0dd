"""The one language registry: the languages the bot answers in and those it only understands,
each read from its data file (bot/languages/data/<code>.toml, listed in languages.toml).

A language is a key into data, never a branch in code: its names, its script (which decides
how its words are read: jieba for Han characters, a stemmer for Latin letters), its stopwords,
its cue lexicons (word lists the modules build their patterns from), its plural rule, and, for
a language answered in English, the line that says so.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType

DATA = Path(__file__).resolve().parent / "data"
HAN, LATIN = "han", "latin"  # the scripts whose words the lexical tokenizer reads


class UnknownLanguage(KeyError):
    """A code the registry does not list."""


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1: "en", "zh", "fr", …
    name: str  # in English: "French"
    native: str  # in itself: "Français" (the Home tab's switch, the tour's buttons)
    answered: bool  # the bot writes its answers in it; else in the default language
    script: str  # HAN | LATIN | …: how its words are cut
    stemmer: str | None = None  # PyStemmer's algorithm for its words in the lexical index
    stopwords: frozenset[str] = frozenset()
    # Its words are read in every question, whatever its language: its stopwords dropped from
    # every text's tokens (the lexical index mixes languages), its glossary names matched, its
    # translation rows shown to questions in languages the bot does not write. Otherwise only
    # in questions in this language.
    everywhere: bool = False
    in_english: str | None = None  # said in this language under an answer written in English
    # Counts that take the singular ("one") form of a counted word: [1] in English, [0, 1] in
    # French, [] where nouns do not inflect (Chinese).
    plural_one: tuple[int, ...] = (1,)
    colon: str = ": "  # between a heading and what it heads ("Objectif : …", "目标：…")
    separator: str = "; "  # between the items of a list ("para. 2.8; para. 2.9")
    lead_chars: int = 240  # how long an answer's lead sentence runs before it is cut
    # What a character says, in Latin characters' worth (Chinese: about three): a length limit
    # in characters is divided by it.
    chars_scale: int = 1
    undocs: str = ""  # undocs.org's language prefix ("fr" → https://undocs.org/fr/A/RES/…)
    library: str = "en"  # the UN Digital Library's interface language (ln=)
    countries: str | None = None  # pycountry's locale for country names in this language
    cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Regular expressions for refinements only some languages have (English duty bullets drop
    # their subject); a language without them works the same, less polished.
    patterns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Shorthand people type in Slack, spelt out for matching ("cttee" → "committee").
    shorthand: Mapping[str, str] = field(default_factory=dict)

    def cue(self, name: str) -> tuple[str, ...]:
        """A cue lexicon by name (empty when the language has none)."""
        return self.cues.get(name, ())

    def pattern(self, name: str) -> tuple[str, ...]:
        return self.patterns.get(name, ())

    def is_one(self, n: int) -> bool:
        """Whether a count of `n` takes the singular form of a counted word."""
        return n in self.plural_one


def _words(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(value.split())
    return tuple(str(v) for v in value)  # type: ignore[union-attr]


def _read(code: str) -> Language:
    with (DATA / f"{code}.toml").open("rb") as f:
        data = tomllib.load(f)
    cues = {name: _words(words) for name, words in data.pop("cues", {}).items()}
    patterns = {name: tuple(p) for name, p in data.pop("patterns", {}).items()}
    shorthand = {short.lower(): str(full) for short, full in data.pop("shorthand", {}).items()}
    return Language(
        code=code,
        stopwords=frozenset(_words(data.pop("stopwords", ""))),
        plural_one=tuple(data.pop("plural_one", (1,))),
        cues=MappingProxyType(cues),
        patterns=MappingProxyType(patterns),
        shorthand=MappingProxyType(shorthand),
        **data,
    )


@dataclass(frozen=True)
class Registry:
    languages: tuple[Language, ...]
    default: str
    # How much likelier a question is in each language than the others, when the detector is
    # unsure (languages.toml's `unsure_odds`; 1 where not given).
    unsure_odds: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {lang.code: lang for lang in self.languages})

    def get(self, code: str) -> Language:
        try:
            return self._by_code[code]  # type: ignore[attr-defined]
        except KeyError:
            raise UnknownLanguage(code) from None

    def __contains__(self, code: object) -> bool:
        return code in self._by_code  # type: ignore[attr-defined]


@cache
def registry() -> Registry:
    with (DATA / "languages.toml").open("rb") as f:
        index = tomllib.load(f)
    return Registry(
        tuple(_read(code) for code in index["languages"]),
        index["default"],
        {code: float(odds) for code, odds in index.get("unsure_odds", {}).items()},
    )


def get(code: str) -> Language:
    """The registry's entry for a code (UnknownLanguage when it has none)."""
    return registry().get(code)


# The registry is read once (registry() is cached): what follows from it is worked out once too.
@cache
def understood() -> tuple[str, ...]:
    """Every language the detector tells apart, answered or not, in the registry's order."""
    return tuple(lang.code for lang in registry().languages)


@cache
def answered() -> tuple[str, ...]:
    """The languages the bot writes its answers in, in the registry's order."""
    return tuple(lang.code for lang in registry().languages if lang.answered)


def default() -> str:
    return registry().default


def unsure_odds(code: str) -> float:
    """How much likelier a short, unsure text is to be in `code` than in another language."""
    return registry().unsure_odds.get(code, 1.0)


def answer_language(code: str) -> str:
    """The language an answer to a question in `code` is written in: the asker's, or the
    default (English)."""
    return code if code in registry() and get(code).answered else default()


def in_english(code: str) -> str | None:
    """The note under an answer written in the default language for a question in `code`."""
    return get(code).in_english if code in registry() and not get(code).answered else None


@cache
def read_in(code: str | None) -> frozenset[str]:
    """The languages whose words a question in `code` is read with: every language read
    everywhere, and its own."""
    langs = {lang.code for lang in registry().languages if lang.everywhere}
    return frozenset(langs | ({code} if code else set()))


def read_as_written(code: str) -> bool:
    """Its names are matched as written, not by word stems (neither Latin letters nor Chinese:
    Cyrillic, Arabic)."""
    return code in registry() and get(code).script not in (HAN, LATIN)


def of_script(script: str) -> tuple[Language, ...]:
    return tuple(lang for lang in registry().languages if lang.script == script)
