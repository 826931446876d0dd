"""The bilingual glossary (corpus/glossary.tsv): English names of the programme's units,
bodies, section labels and key terms beside the Chinese ones.

Indexing uses it to put English names next to the Chinese text (so English questions have
words to match), retrieval to expand English questions with the Chinese terms.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from bot.languages.text import tokenize

GLOSSARY_FILE = "glossary.tsv"
GLOSSARY_FILE_FR = "glossary.fr.tsv"  # zh, fr, aliases_fr, official|unofficial


@dataclass(frozen=True)
class Term:
    kind: str  # department | subprogramme | division | body | section | term
    zh: str
    en: str
    aliases: tuple[str, ...]
    aliases_zh: tuple[str, ...] = ()  # short forms people write: 安理会事务司, 欧安组织
    fr: str | None = None  # French name (glossary.fr.tsv)
    aliases_fr: tuple[str, ...] = ()  # French short forms: CS, AG, DAP, C-24
    fr_official: bool = False  # an established UN name, not our translation

    @property
    def chinese_names(self) -> tuple[str, ...]:
        return (self.zh, *self.aliases_zh)

    @property
    def english_names(self) -> tuple[str, ...]:
        return (self.en, *self.aliases)

    @property
    def latin_names(self) -> tuple[str, ...]:
        """Every name written in Latin letters, English and French: what questions are matched
        against."""
        return (*self.english_names, *((self.fr,) if self.fr else ()), *self.aliases_fr)

    def name_in(self, lang: str) -> str:
        return {"zh": self.zh, "fr": self.fr}.get(lang) or self.en


class Glossary:
    def __init__(self, terms: list[Term]) -> None:
        self.terms = terms
        # Stemmed token sequences of every English name, for phrase matching in questions.
        self._phrases = [
            (tuple(tokenize(name)), term) for term in terms for name in term.latin_names
        ]
        self._phrases = [(p, t) for p, t in self._phrases if p]
        # Phrase positions by first token: a question is matched in one pass over its words.
        self._by_first: dict[str, list[int]] = {}
        for k, (phrase, _) in enumerate(self._phrases):
            self._by_first.setdefault(phrase[0], []).append(k)
        self._in_chinese: dict[str, list[Term]] = {}

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
        french = corpus_dir / GLOSSARY_FILE_FR
        if french.exists():
            names = {}
            for line in french.read_text(encoding="utf-8").splitlines()[1:]:
                zh, fr, aliases_fr, status = (line.split("\t") + ["", "", ""])[:4]
                names.setdefault(zh.strip(), (fr.strip(), _names(aliases_fr), status.strip()))
            terms = [
                replace(t, fr=n[0] or None, aliases_fr=n[1], fr_official=n[2] == "official")
                if (n := names.get(t.zh))
                else t
                for t in terms
            ]
        return cls(terms)

    def terms_in_chinese(self, text: str) -> list[Term]:
        """Terms whose Chinese name or short form occurs in the text."""
        found = self._in_chinese.get(text)
        if found is None:  # the programme's sentences come back on every question: remember
            found = [t for t in self.terms if any(n and n in text for n in t.chinese_names)]
            if len(self._in_chinese) < 10_000:
                self._in_chinese[text] = found
        return list(found)

    def terms_in_english(self, question_tokens: list[str]) -> list[Term]:
        """Terms named (by English name or alias) in a tokenised question."""
        found: dict[str, Term] = {}
        for _, term in self.english_matches(question_tokens):
            found.setdefault(term.zh, term)
        return list(found.values())

    def english_matches(self, question_tokens: list[str]) -> list[tuple[tuple[str, ...], Term]]:
        """(matched phrase tokens, term) for every English name or alias in the question."""
        tokens = tuple(question_tokens)
        spans: list[tuple[int, int, int]] = []  # (start, end, phrase index)
        for i, token in enumerate(tokens):
            for k in self._by_first.get(token, ()):
                phrase = self._phrases[k][0]
                if tokens[i : i + len(phrase)] == phrase:
                    spans.append((i, i + len(phrase), k))
        # A name inside a longer one the question uses is not named on its own: "Pacific" in
        # "Asia and the Pacific Division".
        found = {
            k
            for start, end, k in spans
            if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans)
        }
        return [self._phrases[k] for k in sorted(found)]  # glossary order

    def english(self, zh: str) -> str | None:
        return next((t.en for t in self.terms if t.zh == zh), None)


def _names(column: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in column.split("|") if a.strip())
