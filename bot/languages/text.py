"""Text utilities shared by indexing and retrieval: language, cleaning, lexical tokens."""

from __future__ import annotations

import re
import unicodedata
from functools import cached_property, lru_cache

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ELISION = re.compile(r"^(?:l|d|qu|c|s|n|j|m)'(?=[a-z])")
_LATIN_WORD = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]|\d+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

# Function words carry no topic; they must not count as evidence that a question is in scope.
EN_STOPWORDS = frozenset(
    """a about above after again all also am an and any are as at be been before being below
    between both but by can could did do does doing done each few for from further had has have
    having he her here hers him his how i if in into is it its itself just let me more most my
    no nor not now of off on once only or other our ours out over own same she should so some
    such than that the their theirs them then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you your
    yours tell give show explain describe list name please thanks thank hi hello any kind sort
    many much get got make made say said like within per via etc e.g i.e ok okay among
    pls plz please thx ta quick quickly just kindly""".split()
)
# French function words ("un" stays: in English questions it is the UN).
FR_STOPWORDS = frozenset(
    """le la les une des du de et est en au aux pour par sur dans avec que qui quoi quel quelle
    quels quelles ce cette ces son sa ses leur leurs il elle ils elles on ont été être sont ne
    pas plus ou où dont se sa lui nous vous je tu mon ma mes notre nos votre vos cela ceci ça
    comment combien quand pourquoi lequel laquelle lesquels lesquelles donc alors aussi très
    bien merci svp stp bonjour salut liste donne dis peux pouvez fait faire font y a""".split()
)
ZH_STOPWORDS = frozenset(
    """的 了 和 与 及 或 在 是 有 为 对 以 将 由 于 其 这 那 个 些 哪 哪些 什么 怎么 怎样
    如何 吗 呢 吧 啊 把 被 就 也 都 并 而 等 中 上 下 之 该 本 各 请 问 我 你 他 她 它 们
    我们 你们 关于 一个 一些 是否 可以 能 会 要 想 给 让 从 到 向 做 用 还 又 很 更 最 所
    者 此 每 多少 几 来""".split()
)


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


# Shorthand people type in Slack, spelled out for matching ("sanctions cttees").
_SHORTHAND = {
    "cttee": "committee",
    "cttees": "committees",
    "cmte": "committee",
    "dept": "department",
    "depts": "departments",
    "div": "division",
    "govt": "government",
    "govts": "governments",
    "intl": "international",
    "mtg": "meeting",
    "res": "resolution",
    "reso": "resolution",
    "resos": "resolutions",
}
# Not inside a symbol: "A/RES/58/109", "S/RES/1373" stay as they are.
_SHORTHAND_WORD = re.compile(
    r"(?<![/\w])(" + "|".join(_SHORTHAND) + r")(?![/\w])\.?", re.IGNORECASE
)


def clean_question(text: str) -> str:
    """sanitize, normalise width (ＡＢ１ → AB1, （ → (), spell out shorthand, for matching."""
    text = unicodedata.normalize("NFKC", sanitize(text))
    return _SHORTHAND_WORD.sub(lambda m: _SHORTHAND[m.group(1).lower()], text)


def detect_language(text: str) -> str:
    """'zh' when Chinese characters dominate the letters, else 'en'."""
    cjk = len(_CJK.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "zh" if cjk and cjk * 3 >= latin else "en"


def _fold_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class Words:
    """A word list as written, read into tokens (as questions are) the first time it is asked:
    Chinese words start jieba, about 0.4 s that importing a module must not cost."""

    def __init__(self, text: str) -> None:
        self._text = text

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


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(text: str) -> list[str]:
    """Lexical tokens: jieba search-mode words for Chinese, stemmed words for English.

    Stopwords and punctuation are dropped; numbers stay (they are how people name things here).
    """
    text = unicodedata.normalize("NFKC", text).lower()
    tokens: list[str] = []
    for chunk in re.split(r"([\u3400-\u9fff\uf900-\ufaff]+)", text):
        if not chunk:
            continue
        if _CJK.match(chunk):
            tokens.extend(
                w for w in _jieba().cut_for_search(chunk) if w not in ZH_STOPWORDS and w.strip()
            )
        else:
            # Accents folded ("électorale" is "electorale": French meets English cognates),
            # French elision dropped ("l'assistance" is "assistance").
            chunk = _fold_accents(chunk.replace("’", "'"))
            words = [_ELISION.sub("", w).strip("'-") for w in _LATIN_WORD.findall(chunk)]
            words = [w for w in words if w and w not in EN_STOPWORDS and w not in FR_STOPWORDS]
            tokens.extend(_stemmer().stemWords(words))
    return tokens
