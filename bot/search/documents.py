"""What gets indexed for each record: the texts that are embedded and the lexical documents.

A passage is embedded as Chinese with its structural label, and in English (its unofficial
translation, or the glossary's English names of its terms) so that English questions meet
English words; a paragraph also sentence by sentence in English. A mandate is embedded by its
Chinese and its English title. A record scores as its best row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from bot import languages
from bot.languages.text import tokenize
from bot.records.glossary import Glossary
from bot.records.labels import kind_label, subprogramme_name
from bot.records.model import MANDATE_LIST, PARAGRAPH, Mandate, Passage, Programme
from bot.records.parser import translated_languages

# Beside records.json: each lexical token's rarity among the document's sentences, and jieba's
# cut of each Chinese run of the document (bot.languages.text.remember_cuts).
WORD_WEIGHTS_FILE = "word-weights.json"
HAN_CUTS_FILE = "han-cuts.json"

PASSAGE = "passage"
MANDATE = "mandate"
SENTENCE = "sentence"  # one sentence or clause of a record, for choosing the answer's lead


@dataclass(frozen=True)
class Row:
    """One vector of the dense index."""

    kind: str  # PASSAGE | MANDATE | SENTENCE
    key: str  # passage id, mandate symbol or sentence id
    variant: str  # its language ("zh", "en", "fr"), and ".sN" for a paragraph's Nth sentence
    text: str


@dataclass
class IndexDocs:
    rows: list[Row] = field(default_factory=list)
    passage_ids: list[str] = field(default_factory=list)  # lexical doc order
    passage_lexical: list[str] = field(default_factory=list)
    mandate_symbols: list[str] = field(default_factory=list)
    mandate_lexical: list[str] = field(default_factory=list)
    sentence_ids: list[str] = field(default_factory=list)
    sentence_lexical: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": [asdict(r) for r in self.rows],
            "passage_ids": self.passage_ids,
            "passage_lexical": self.passage_lexical,
            "mandate_symbols": self.mandate_symbols,
            "mandate_lexical": self.mandate_lexical,
            "sentence_ids": self.sentence_ids,
            "sentence_lexical": self.sentence_lexical,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> IndexDocs:
        return cls(
            rows=[Row(**r) for r in data["rows"]],
            passage_ids=list(data["passage_ids"]),
            passage_lexical=list(data["passage_lexical"]),
            mandate_symbols=list(data["mandate_symbols"]),
            mandate_lexical=list(data["mandate_lexical"]),
            sentence_ids=list(data.get("sentence_ids", [])),
            sentence_lexical=list(data.get("sentence_lexical", [])),
        )


def _passage_header(p: Passage, programme: Programme, glossary: Glossary, lang: str) -> str:
    sp = subprogramme_name(p.subprogramme, programme, glossary, lang)
    return f"{sp} · {kind_label(p, lang)}"


def _header(p: Passage, programme: Programme, glossary: Glossary, lang: str) -> str:
    """The record's header and the language's colon, before its text."""
    return _passage_header(p, programme, glossary, lang) + languages.get(lang).colon


def _english_terms(text: str, glossary: Glossary) -> list[str]:
    """The default language's names of the glossary terms in a text. (A question in another
    language names a term in its own and is expanded with the original, which the text holds.)"""
    return [t.name_in(languages.default()) for t in glossary.terms_in_chinese(text)]


def _body(p: Passage, programme: Programme) -> str:
    if p.kind != MANDATE_LIST:
        return p.text
    # A list's own text is mostly symbols; its titles say what it is about.
    separator = languages.get(programme.language).separator
    return separator.join(m.title for m in programme.mandates if p.id in m.cited_in)


def _passage_english(p: Passage, programme: Programme, glossary: Glossary) -> str:
    default = languages.default()
    terms = _english_terms(p.text, glossary)
    if p.kind == MANDATE_LIST:
        terms += [
            m.translation(default) or ""
            for m in programme.mandates
            if p.id in m.cited_in and m.translation(default)
        ]
    return languages.get(default).separator.join(dict.fromkeys(terms))


def _mandate_lexical(m: Mandate, glossary: Glossary) -> str:
    english = m.translation(languages.default()) or ""
    return " ".join([m.title, english, m.body, *_english_terms(m.title, glossary)])


def _sentences(text: str) -> list[str]:
    """English sentences of a paragraph, long enough to stand alone (none if it has one)."""
    # The stop needs a space after it, so "2.4" and "1373 (2001)." stay whole.
    parts = [x.strip() for x in re.split(r"(?<=[.;])\s+", text) if len(x.strip()) >= 20]
    return parts if len(parts) > 1 else []


def index_documents(programme: Programme, glossary: Glossary) -> IndexDocs:
    """The rows of every record: as written, in the default language (always: its
    translation, else the default-language names of its terms), and in every other language
    it is translated into. A row's variant is its language ("fr", or "fr.s2" for the second
    sentence of a paragraph)."""
    docs = IndexDocs()
    source = programme.language
    default = languages.default()
    for p in programme.retrievable():
        own = f"{_header(p, programme, glossary, source)}{_body(p, programme)}"
        english = _passage_english(p, programme, glossary)
        docs.rows.append(Row(PASSAGE, p.id, source, own))
        for lang in translated_languages(source):
            text = p.text_in(lang)
            if lang == default:
                # The translation when there is one; else the names of the terms it contains.
                text = text or english + ". " + p.text
            elif not text:
                continue
            header = _header(p, programme, glossary, lang)
            docs.rows.append(Row(PASSAGE, p.id, lang, f"{header}{text}"))
            if p.kind == PARAGRAPH:
                # Long paragraphs cover several things; a question about one of them should
                # meet it. (Chinese sentences as well measured worse: dev hit@1 1.00 -> 0.95.)
                for n, sentence in enumerate(_sentences(p.text_in(lang) or ""), start=1):
                    docs.rows.append(Row(PASSAGE, p.id, f"{lang}.s{n}", f"{header}{sentence}"))
        docs.passage_ids.append(p.id)
        # Only the default language's running text is in BM25: French articles ("un", "des")
        # would match English words ("UN"); other languages meet it through the dense rows and
        # the glossary.
        header = _passage_header(p, programme, glossary, default)
        lexical = [header, own, english, p.text_in(default) or ""]
        docs.passage_lexical.append(" ".join(lexical))
    for m in programme.mandates:
        docs.rows.append(Row(MANDATE, m.symbol, source, m.title))
        for lang in translated_languages(source):
            if m.translation(lang):
                docs.rows.append(Row(MANDATE, m.symbol, lang, m.translation(lang) or ""))
        docs.mandate_symbols.append(m.symbol)
        docs.mandate_lexical.append(_mandate_lexical(m, glossary))
    for s in programme.sentences:
        # Bare, without the record's header: the record already decided the topic; the
        # sentence must match what is asked.
        docs.rows.append(Row(SENTENCE, s.id, source, s.text))
        for lang in translated_languages(source):
            if s.text_in(lang):
                docs.rows.append(Row(SENTENCE, s.id, lang, s.text_in(lang) or ""))
        docs.sentence_ids.append(s.id)
        english = " ".join(_english_terms(s.text, glossary))
        docs.sentence_lexical.append(" ".join([s.text, s.text_in(default) or "", english]))
    return docs


def row_language(row: Row) -> str:
    """The language a row is written in ("fr.s2" → "fr")."""
    return row.variant.split(".", 1)[0]


def sentence_word_weights(programme: Programme) -> dict[str, float]:
    """Each lexical token's inverse document frequency over the programme's sentences (each with
    its translations): rare words say more about which clause a question is after.

    Computed when the index is built and stored with it (WORD_WEIGHTS_FILE): tokenizing every
    sentence starts jieba, most of a cold start that an English question need not pay.
    """
    docs = [
        set(tokenize(" ".join([s.text, *s.translations.values()]))) for s in programme.sentences
    ]
    return {
        w: math.log((1 + len(docs)) / (1 + sum(w in d for d in docs))) for w in set().union(*docs)
    }


def tokenized_texts(programme: Programme, glossary: Glossary, docs: IndexDocs) -> Iterator[str]:
    """What answering a question may tokenize of a document: its records, sentences, mandate
    titles and glossary names in every language, and what the lexical indexes were built of."""
    yield from docs.passage_lexical
    yield from docs.mandate_lexical
    yield from docs.sentence_lexical
    yield from (row.text for row in docs.rows)
    for record in (*programme.passages, *programme.sentences):
        yield record.text
        yield from record.translations.values()
    for m in programme.mandates:
        yield m.title
        yield from m.translations.values()
    for term in glossary.terms:
        yield from term.every_name()
