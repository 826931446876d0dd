"""Text in any language: the one language registry and the one detector, cleaning, lexical
tokens (stemmers, stopwords, jieba), resolution symbols, and quotes cut without breaking a word.
The lowest layer: it imports nothing else of the bot.

The registry's API, for every other layer:

- `answered()`, `understood()`: the languages the bot writes its answers in, and every one it
  tells apart (codes, in the registry's order);
- `detect(text) -> code`, `answer_language(code) -> code`, `in_english(code)`;
- `get(code)`: a language's entry (its names, script, stemmer, stopwords, cue lexicons, plural
  rule and its "answered in English" note).
"""

from bot.languages.detector import detect, warm
from bot.languages.registry import (
    Language,
    UnknownLanguage,
    answer_language,
    answered,
    default,
    get,
    in_english,
    of_script,
    read_in,
    understood,
)

__all__ = [
    "Language",
    "UnknownLanguage",
    "answer_language",
    "answered",
    "default",
    "detect",
    "get",
    "in_english",
    "of_script",
    "read_in",
    "understood",
    "warm",
]
