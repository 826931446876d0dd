"""The bilingual glossary (corpus/glossary.tsv): English names of the programme's units,
bodies, section labels and key terms beside the Chinese ones.

Indexing uses it to put English names next to the Chinese text (so English questions have
words to match), retrieval to expand English questions with the Chinese terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.text import tokenize

GLOSSARY_FILE = "glossary.tsv"


@dataclass(frozen=True)
class Term:
    kind: str  # department | subprogramme | division | body | section | term
    zh: str
    en: str
    aliases: tuple[str, ...]
    aliases_zh: tuple[str, ...] = ()  # short forms people write: 安理会事务司, 欧安组织

    @property
    def chinese_names(self) -> tuple[str, ...]:
        return (self.zh, *self.aliases_zh)

    @property
    def english_names(self) -> tuple[str, ...]:
        return (self.en, *self.aliases)


class Glossary:
    def __init__(self, terms: list[Term]) -> None:
        self.terms = terms
        # Stemmed token sequences of every English name, for phrase matching in questions.
        self._phrases = [
            (tuple(tokenize(name)), term) for term in terms for name in term.english_names
        ]
        self._phrases = [(p, t) for p, t in self._phrases if p]

    @classmethod
    def load(cls, corpus_dir: Path) -> Glossary:
        path = corpus_dir / GLOSSARY_FILE
        if not path.exists():
            return cls([])
        terms = []
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            if not line.strip():
                continue
            kind, zh, en, aliases_en, aliases_zh = (line.split("\t") + ["", ""])[:5]
            terms.append(
                Term(kind.strip(), zh.strip(), en.strip(), _names(aliases_en), _names(aliases_zh))
            )
        return cls(terms)

    def terms_in_chinese(self, text: str) -> list[Term]:
        """Terms whose Chinese name or short form occurs in the text."""
        return [t for t in self.terms if any(n and n in text for n in t.chinese_names)]

    def terms_in_english(self, question_tokens: list[str]) -> list[Term]:
        """Terms named (by English name or alias) in a tokenised question."""
        found: dict[str, Term] = {}
        for _, term in self.english_matches(question_tokens):
            found.setdefault(term.zh, term)
        return list(found.values())

    def english_matches(self, question_tokens: list[str]) -> list[tuple[tuple[str, ...], Term]]:
        """(matched phrase tokens, term) for every English name or alias in the question."""
        n = len(question_tokens)
        return [
            (phrase, term)
            for phrase, term in self._phrases
            if any(
                tuple(question_tokens[i : i + len(phrase)]) == phrase
                for i in range(n - len(phrase) + 1)
            )
        ]

    def english(self, zh: str) -> str | None:
        return next((t.en for t in self.terms if t.zh == zh), None)


def _names(column: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in column.split("|") if a.strip())
