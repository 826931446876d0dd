"""Shortening quoted text without cutting a word or a number.

A quote is shortened at a clause boundary first (, ; : and their Chinese forms), keeping the
clause that answers; a clause still too long is cut at a phrase boundary (before "in accordance
with", "including", "以便"…); only then at the last word boundary (a space in English, a word
boundary of jieba's in Chinese). "…" marks every cut.
"""

from __future__ import annotations

import re
from functools import cache

from bot.languages import registry
from bot.languages.registry import HAN, LATIN
from bot.languages.text import _jieba

# Before a purpose or a manner (each language's `phrase_cuts` cue lexicon): never inside an
# enumeration ("the sanctions committees, the CTC, … and the MSC"), nor before "including…",
# which holds the specifics people ask about. The clause marks around them are the script's.
_AROUND = {
    HAN: (r"[，,](?=", r")|；"),
    LATIN: (r",?\s+(?=", r")|;\s+"),
}


@cache
def _phrase(lang: str) -> re.Pattern[str]:
    language = registry.get(lang)
    before, after = _AROUND.get(language.script, _AROUND[LATIN])
    words = "|".join(re.escape(w) for w in language.cue("phrase_cuts"))
    return re.compile(f"{before}{words}{after}" if words else after.lstrip(")|"))


def at_phrase(text: str, limit: int, lang: str) -> str | None:
    """The longest head of the text ending at a phrase boundary within `limit`, or None."""
    cuts = [m.start() for m in _phrase(lang).finditer(text) if 0 < m.start() <= limit]
    return text[: max(cuts)].rstrip(" ,;，；、") if cuts else None


def at_word(text: str, limit: int, lang: str) -> str:
    """The longest head of the text ending at a word boundary within `limit`."""
    if registry.get(lang).script != HAN:
        head = text[: limit + 1]
        space = head.rfind(" ")
        return head[:space].rstrip(" ,;:") if space > 0 else head[:limit]
    end = 0
    for word in _jieba().cut(text):
        if end + len(word) > limit:
            break
        end += len(word)
    return text[: max(end, 1)].rstrip("，；、：")


def shorten(text: str, limit: int, lang: str, whole_if_no_phrase: bool = False) -> str:
    """At most `limit` characters (with "…" when cut), at a phrase boundary if there is one;
    otherwise at a word boundary, or, with `whole_if_no_phrase`, not at all."""
    if len(text) <= limit:
        return text
    head = at_phrase(text, limit, lang)
    if head is None:
        if whole_if_no_phrase:
            return text
        head = at_word(text, limit - 1, lang)
    return head + "…"
