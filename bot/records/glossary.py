"""The glossary: the names of the programme's units, bodies, section labels and key terms in
every language, beside the name the programme text gives them.

`glossary.tsv` lists the terms (kind, name as written, its short forms) with the default
language's names (English: its columns are named by their language code, `en` and
`aliases_en`); `glossary.<lang>.tsv` adds another language's names by the name as written
(`<lang>`, `aliases_<lang>`, and whether the name is an established UN one).

Indexing uses it to put translated names next to the Chinese text (so questions in other
languages have words to match), retrieval to expand questions with the Chinese terms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot import languages
from bot.languages.text import tokenize

GLOSSARY_FILE = "glossary.tsv"
OFFICIAL = "official"


def glossary_file(lang: str) -> str:
    """A language's names: glossary.<lang>.tsv (the default language's are in glossary.tsv)."""
    return f"glossary.{lang}.tsv"


@dataclass(frozen=True)
class Term:
    kind: str  # department | subprogramme | division | body | section | term
    original: str  # the name as the programme text writes it (Chinese)
    # The name by language code (the text's own language: `original`).
    names: Mapping[str, str] = field(default_factory=dict, hash=False)
    # Short forms people write, by language: SCAD, C-24 · 安理会事务司, 欧安组织 · CS, AG, DAP.
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    official: frozenset[str] = frozenset()  # languages whose name is an established UN name
    language: str = ""  # the language of `original`

    def name_in(self, lang: str) -> str:
        """The name in a language; the default language's where it has none."""
        if lang == self.language:
            return self.original
        return self.names.get(lang) or self.names.get(languages.default()) or self.original

    def names_in(self, lang: str) -> tuple[str, ...]:
        """The name and its short forms in a language (none when it has neither)."""
        name = self.original if lang == self.language else self.names.get(lang)
        return (*((name,) if name else ()), *self.aliases.get(lang, ()))

    def every_name(self, exclude: Iterable[str] = ()) -> tuple[str, ...]:
        """Every name and short form in every language but `exclude`: the text's own first,
        then language by language in the registry's order."""
        order = [self.language, *(c for c in languages.understood() if c != self.language)]
        order += [c for c in (*self.names, *self.aliases) if c not in order]
        skip = set(exclude)
        return tuple(
            n for code in dict.fromkeys(order) if code not in skip for n in self.names_in(code)
        )

    def translated_names(self) -> tuple[str, ...]:
        """Every name but the text's own: what questions written in another script meet."""
        return self.every_name(exclude=(self.language,))

    def translated_languages(self) -> list[str]:
        """The languages it has names in besides the text's own, in the registry's order."""
        order = [c for c in languages.understood() if c != self.language]
        order += [c for c in (*self.names, *self.aliases) if c not in order and c != self.language]
        return order


class Glossary:
    def __init__(self, terms: list[Term]) -> None:
        self.terms = terms
        # Token sequences of every translated name, with its language, for phrase matching in
        # questions (a question is matched with the names of the languages it is read in).
        self._phrases: list[tuple[tuple[str, ...], Term]] = []
        self._phrase_language: list[str] = []
        for term in terms:
            for code in term.translated_languages():
                for name in term.names_in(code):
                    # Cyrillic and Arabic names are matched as written (terms_written_in):
                    # their tokens keep only the digits ("подпрограмма 2" → "2").
                    if _written_only(name):
                        continue
                    if phrase := tuple(tokenize(name)):
                        self._phrases.append((phrase, term))
                        self._phrase_language.append(code)
        # Phrase positions by first token: a question is matched in one pass over its words.
        self._by_first: dict[str, list[int]] = {}
        for k, (phrase, _) in enumerate(self._phrases):
            self._by_first.setdefault(phrase[0], []).append(k)
        self._in_original: dict[str, list[Term]] = {}
        self._by_original = {t.original: t for t in reversed(terms)}  # the first one wins
        self._kin: dict[str, tuple[str, ...]] = {}

    @classmethod
    def load(cls, corpus_dir: Path, language: str = "zh") -> Glossary:
        """The glossary of a document folder, its names as written in `language`."""
        path = corpus_dir / GLOSSARY_FILE
        if not path.exists():
            return cls([])
        rows = _rows(path)
        default = languages.default()
        terms = [
            Term(
                kind=row["kind"],
                original=row[language],
                names={default: row[default]},
                aliases={
                    code: _names(row.get(f"aliases_{code}", "")) for code in (default, language)
                },
                language=language,
            )
            for row in rows
        ]
        for lang in languages.understood():  # names in Russian and Arabic are read, too
            other = corpus_dir / glossary_file(lang)
            if lang in (default, language) or not other.exists():
                continue
            names: dict[str, dict[str, str]] = {}
            for row in _rows(other):
                names.setdefault(row[language], row)
            terms = [_with_names(t, names.get(t.original), lang) for t in terms]
        return cls(terms)

    def term(self, original: str) -> Term | None:
        """The term the text names so."""
        return self._by_original.get(original)

    def terms_in_chinese(self, text: str) -> list[Term]:
        """Terms whose name as written, or a short form of it, occurs in the text."""
        found = self._in_original.get(text)
        if found is None:  # the programme's sentences come back on every question: remember
            found = [t for t in self.terms if any(n and n in text for n in t.names_in(t.language))]
            if len(self._in_original) < 10_000:
                self._in_original[text] = found
        return list(found)

    def names_of_same(self, name: str) -> tuple[str, ...]:
        """The Chinese, English and French names of every term one of whose names (in those
        languages) is `name`, term by term: a typed item's names in the other languages. The
        glossary never changes: worked out once per name."""
        kin = self._kin.get(name)
        if kin is None:
            kin = tuple(
                n
                for t in self.terms
                if name in (t.original, t.names.get("en"), t.names.get("fr"))
                for n in (t.original, t.names.get("en"), t.names.get("fr"))
                if n
            )
            if len(self._kin) < 10_000:
                self._kin[name] = kin
        return kin

    def terms_written_in(self, text: str, lang: str) -> list[Term]:
        """Terms named in `text` by a name or short form in `lang`, as written (any case): for
        scripts without word stems here (Cyrillic, Arabic), whose inflected forms the names
        list ("Отдел…", "Отделе…")."""
        folded = text.casefold()
        return [
            t
            for t in self.terms
            if any(len(n) > 2 and n.casefold() in folded for n in t.names_in(lang))
        ]

    def terms_in_english(
        self, question_tokens: list[str], language: str | None = None
    ) -> list[Term]:
        """Terms named (by a translated name or short form) in a tokenised question, in the
        languages a question in `language` is read in (languages.read_in)."""
        return self.terms_of(self.english_matches(question_tokens, language))

    @staticmethod
    def terms_of(matches: list[tuple[tuple[str, ...], Term]]) -> list[Term]:
        """The terms of english_matches, each once, in order: terms_in_english of the same
        question, for a caller that has the matches already."""
        found: dict[str, Term] = {}
        for _, term in matches:
            found.setdefault(term.original, term)
        return list(found.values())

    def english_matches(
        self, question_tokens: list[str], language: str | None = None
    ) -> list[tuple[tuple[str, ...], Term]]:
        """(matched phrase tokens, term) for every translated name or alias in the question,
        in the languages a question in `language` is read in."""
        tokens = tuple(question_tokens)
        read = languages.read_in(language)
        spans: list[tuple[int, int, int]] = []  # (start, end, phrase index)
        for i, token in enumerate(tokens):
            for k in self._by_first.get(token, ()):
                if self._phrase_language[k] not in read:
                    continue
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

    def name_in(self, original: str, lang: str) -> str | None:
        """The name in a language of the term the text names so (None when not a term)."""
        term = self.term(original)
        return term.name_in(lang) if term else None


def _written_only(name: str) -> bool:
    """A name in Cyrillic or Arabic letters (U+0400 to U+06FF)."""
    return any("\u0400" <= ch <= "\u06ff" for ch in name)


def _with_names(term: Term, row: dict[str, str] | None, lang: str) -> Term:
    if not row:
        return term
    return replace(
        term,
        names={**term.names, lang: row[lang]} if row.get(lang) else term.names,
        aliases={**term.aliases, lang: _names(row.get(f"aliases_{lang}", ""))},
        official=term.official | {lang} if row.get("status") == OFFICIAL else term.official,
    )


def _rows(path: Path) -> list[dict[str, str]]:
    """A TSV with a header line, as dicts by column name (missing cells are empty)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = [c.strip() for c in lines[0].split("\t")]
    out = []
    for line in lines[1:]:
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split("\t")]
        out.append(dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True)))
    return out


def _names(column: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in column.split("|") if a.strip())
