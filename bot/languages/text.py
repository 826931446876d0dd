"""Text utilities shared by indexing and retrieval: cleaning, lexical tokens."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache, cached_property, lru_cache

from bot.languages import registry
from bot.languages.registry import HAN, LATIN

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ELISION = re.compile(r"^(?:l|d|qu|c|s|n|j|m)'(?=[a-z])")
_LATIN_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]|\d+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

# Function words carry no topic; they must not count as evidence that a question is in scope.
# Each language's list is in its registry entry; the default language's is used on its own by
# the question side (words a name never starts with).
EN_STOPWORDS = registry.get(registry.default()).stopwords


@cache
def _stopwords(script: str, language: str | None = None) -> frozenset[str]:
    """The stopwords dropped from words of a script: every language's that says so (the index
    mixes languages), and the asker's own."""
    words = [lang.stopwords for lang in registry.of_script(script) if lang.everywhere]
    if language in registry.registry() and registry.get(language).script == script:
        words.append(registry.get(language).stopwords)
    return frozenset().union(*words)


def sanitize(text: str) -> str:
    """Drop control characters and unpaired surrogates, collapse whitespace: safe to echo."""
    return re.sub(r"\s+", " ", _CONTROL.sub(" ", text)).strip()


def readable(text: str) -> bool:
    """Whether sanitized text can be a question: mostly letters (any script) or digits, not
    binary junk (decoded as U+FFFD) or a run of symbols. "58/109" and "1373 (2001)" are."""
    chars = [ch for ch in text if not ch.isspace()]
    if not chars:
        return False
    replaced = sum(1 for ch in chars if ch == "\ufffd")
    if replaced >= 3 or replaced * 10 > len(chars):
        return False
    wordlike = sum(1 for ch in chars if ch.isalnum())
    return wordlike * 2 >= len(chars)


@cache
def _shorthand() -> tuple[dict[str, str], re.Pattern[str]]:
    """Every language's shorthand (the registry's `[shorthand]` tables) and a pattern of it: not
    inside a symbol ("A/RES/58/109", "S/RES/1373" stay as they are)."""
    languages = registry.registry().languages
    table = {short: full for lang in languages for short, full in lang.shorthand.items()}
    words = "|".join(re.escape(s) for s in sorted(table, key=len, reverse=True)) or "(?!)"
    return table, re.compile(rf"(?<![/\w])({words})(?![/\w])\.?", re.IGNORECASE)


def clean_question(text: str) -> str:
    """sanitize, normalise width (ＡＢ１ → AB1, （ → (), spell out shorthand, for matching."""
    text = unicodedata.normalize("NFKC", sanitize(text))
    table, pattern = _shorthand()
    return pattern.sub(lambda m: table[m.group(1).lower()], text)


def _fold_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_WORD_LISTS: list[str] = []  # every Words' text, as written


class Words:
    """A word list as written, read into tokens (as questions are) the first time it is asked:
    Chinese words start jieba, about 0.4 s that importing a module must not cost."""

    def __init__(self, text: str) -> None:
        self._text = text
        _WORD_LISTS.append(text)  # for an index build to cut its Chinese words (han_cuts)

    @cached_property
    def tokens(self) -> frozenset[str]:
        return frozenset(tokenize(self._text))

    def __contains__(self, token: object) -> bool:
        return token in self.tokens


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    return jieba


# jieba's cuts of the Chinese runs of the corpus, made when the index was built and given back
# by its loader (remember_cuts): a question whose path meets only the corpus's Chinese does
# not start jieba, about 0.6 s of a cold start. A run not here is cut by jieba, the same way.
_KNOWN_CUTS: dict[str, Sequence[str]] = {}
_HAN_RUN = re.compile(r"([\u3400-\u9fff\uf900-\ufaff]+)")


def _chunks(text: str) -> Iterator[str]:
    """`text` normalised as tokens are read, in runs of Han characters and runs of the rest."""
    text = unicodedata.normalize("NFKC", text).lower()
    return (chunk for chunk in _HAN_RUN.split(text) if chunk)


def _is_han(chunk: str) -> bool:
    return bool(_CJK.match(chunk))


def han_cuts(texts: Iterable[str]) -> dict[str, list[str]]:
    """jieba's search-mode cut of every Chinese run of `texts` and of the word lists of the
    modules imported so far (tokenize's cut, before stopwords are dropped), by run: what an
    index stores for remember_cuts."""
    texts = [*texts, *_WORD_LISTS]
    runs = dict.fromkeys(c for text in texts for c in _chunks(text) if _is_han(c))
    return {run: list(_jieba().cut_for_search(run)) for run in runs}


def remember_cuts(cuts: Mapping[str, Sequence[str]]) -> None:
    """Cut these runs so from now on, without jieba (han_cuts of the same jieba made them)."""
    _KNOWN_CUTS.update(cuts)


def _cut_han(run: str) -> Iterable[str]:
    known = _KNOWN_CUTS.get(run)
    return known if known is not None else _jieba().cut_for_search(run)


@cache
def _stemmer():
    import Stemmer

    # Latin words of any language are stemmed as the default language's: the lexical index is
    # one, and a question's words must meet the index's (French meets English cognates).
    return Stemmer.Stemmer(registry.get(registry.default()).stemmer)


@cache
def _american(word: str) -> str:
    """British spelling read as American ("organisation", "decolonisation", "programme"), as
    breame's lists give it, and -isation as -ization: the same word is the same token."""
    from breame.spelling import get_american_spelling  # its lists load once, when first read

    american = get_american_spelling(word)
    if american == word and word.endswith(("isation", "isations")):
        return word.replace("isation", "ization")
    return american


def tokenize(text: str, language: str | None = None) -> list[str]:
    """Lexical tokens: jieba search-mode words for Chinese, stemmed words for Latin letters.

    Stopwords and punctuation are dropped (those of every language that drops them everywhere,
    and `language`'s own); numbers stay (they are how people name things here).
    """
    han, latin = _stopwords(HAN, language), _stopwords(LATIN, language)
    tokens: list[str] = []
    for chunk in _chunks(text):
        if _is_han(chunk):
            tokens.extend(w for w in _cut_han(chunk) if w not in han and w.strip())
        else:
            # Accents folded ("électorale" is "electorale": French meets English cognates),
            # French elision dropped ("l'assistance" is "assistance").
            chunk = _fold_accents(chunk.replace("’", "'"))
            words = [_ELISION.sub("", w).strip("'-") for w in _LATIN_WORD.findall(chunk)]
            words = [_american(w) for w in words if w and w not in latin]
            tokens.extend(_stemmer().stemWords(words))
    return tokens


def stems(words: Iterable[str]) -> set[str]:
    """The tokens `words` make when they are part of a longer word's stem too: tokenize drops
    a stopword ("list", "many") before stemming, but keeps "listed", whose stem is "list"."""
    latin = [_fold_accents(w.lower()) for w in words if not _is_han(w)]
    return set(_stemmer().stemWords([_american(w) for w in latin if _LATIN_WORD.fullmatch(w)]))


# The texts fixed_tokens remembers: the programme's sentences and clauses, its titles and the
# glossary's names (about 3,000 in all), with room to spare.
FIXED_TEXTS = 8192


@lru_cache(maxsize=FIXED_TEXTS)
def fixed_tokens(text: str) -> tuple[str, ...]:
    """tokenize(text) of a text that never changes (a sentence or clause of the programme, a
    title, a glossary name), worked out once rather than on every question that meets it.
    A question's own words are read once per question anyway: they go through tokenize."""
    return tuple(tokenize(text))


# What of a question is encoded: about 80 tokens of it (a CJK character is about a token, a
# Latin-script word about 1.3 for 6 characters), its head and its tail, where a long message
# usually asks its question. A 2,000-character message then costs what a long question costs
# (measured: 28 ms for a short question, 310 ms for 600 Latin characters, on 2 cores).
MAX_ENCODED_WEIGHT = 300
_WIDE = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _cut(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` (3 per CJK character, 1 per other)."""
    weight = 0
    for i, ch in enumerate(text):
        weight += 3 if _WIDE.match(ch) else 1
        if weight > limit:
            return i
    return len(text)


def clip(text: str, limit: int = MAX_ENCODED_WEIGHT, tail: bool = True) -> str:
    """The text within `limit`: its head, and (with `tail`) its last third, joined by " … "."""
    if len(text) <= limit // 3 or _cut(text, limit) == len(text):
        return text
    if not tail:
        return text[: _cut(text, limit)]
    head = text[: _cut(text, limit * 2 // 3)]
    end = text[::-1]
    back = end[: _cut(end, limit // 3)][::-1]
    return f"{head} … {back}"
