"""What gets indexed for each record: the texts that are embedded and the lexical documents.

A passage is embedded as Chinese with its structural label, and in English (its unofficial
translation, or the glossary's English names of its terms) so that English questions meet
English words; a paragraph also sentence by sentence in English. A mandate is embedded by its
Chinese and its English title. A record scores as its best row.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.records.glossary import Glossary
from bot.records.labels import kind_label, subprogramme_name
from bot.records.model import MANDATE_LIST, PARAGRAPH, Mandate, Passage, Programme

PASSAGE = "passage"
MANDATE = "mandate"
SENTENCE = "sentence"  # one sentence or clause of a record, for choosing the answer's lead


@dataclass(frozen=True)
class Row:
    """One vector of the dense index."""

    kind: str  # PASSAGE | MANDATE | SENTENCE
    key: str  # passage id, mandate symbol or sentence id
    variant: str  # "zh" | "en"
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


def _english_terms(text: str, glossary: Glossary) -> list[str]:
    """The English names of the glossary terms in a Chinese text. (A French question names a
    term in French and is expanded with its Chinese, which the text holds.)"""
    return [t.en for t in glossary.terms_in_chinese(text)]


def _passage_body(p: Passage, programme: Programme) -> str:
    if p.kind != MANDATE_LIST:
        return p.text
    # A list's own text is mostly symbols; its titles say what it is about.
    return "；".join(m.title for m in programme.mandates if p.id in m.cited_in)


def _passage_english(p: Passage, programme: Programme, glossary: Glossary) -> str:
    terms = _english_terms(p.text, glossary)
    if p.kind == MANDATE_LIST:
        terms += [m.title_en for m in programme.mandates if p.id in m.cited_in and m.title_en]
    return "; ".join(dict.fromkeys(terms))


def _mandate_lexical(m: Mandate, glossary: Glossary) -> str:
    return " ".join([m.title, m.title_en or "", m.body, *_english_terms(m.title, glossary)])


def _sentences(text: str) -> list[str]:
    """English sentences of a paragraph, long enough to stand alone (none if it has one)."""
    # The stop needs a space after it, so "2.4" and "1373 (2001)." stay whole.
    parts = [x.strip() for x in re.split(r"(?<=[.;])\s+", text) if len(x.strip()) >= 20]
    return parts if len(parts) > 1 else []


def index_documents(programme: Programme, glossary: Glossary) -> IndexDocs:
    docs = IndexDocs()
    for p in programme.retrievable():
        zh = f"{_passage_header(p, programme, glossary, 'zh')}：{_passage_body(p, programme)}"
        english = _passage_english(p, programme, glossary)
        header_en = _passage_header(p, programme, glossary, "en")
        # The translation when there is one; else the English names of the terms it contains.
        en = f"{header_en}: {p.text_en or english + '. ' + p.text}"
        docs.rows.append(Row(PASSAGE, p.id, "zh", zh))
        docs.rows.append(Row(PASSAGE, p.id, "en", en))
        if p.kind == PARAGRAPH:
            # Long paragraphs cover several things; a question about one of them should meet it.
            # (Chinese sentences as well measured worse: dev hit@1 1.00 -> 0.95.)
            for n, sentence in enumerate(_sentences(p.text_en or ""), start=1):
                docs.rows.append(Row(PASSAGE, p.id, f"en.s{n}", f"{header_en}: {sentence}"))
        if p.text_fr:
            # French questions meet French text (the model is multilingual; the words help BM25).
            header_fr = _passage_header(p, programme, glossary, "fr")
            docs.rows.append(Row(PASSAGE, p.id, "fr", f"{header_fr} : {p.text_fr}"))
            if p.kind == PARAGRAPH:
                for n, sentence in enumerate(_sentences(p.text_fr), start=1):
                    docs.rows.append(Row(PASSAGE, p.id, f"fr.s{n}", f"{header_fr} : {sentence}"))
        docs.passage_ids.append(p.id)
        # French running text stays out of BM25: its articles ("un", "des") would match English
        # words ("UN"); French questions meet it through the dense rows and the glossary.
        docs.passage_lexical.append(" ".join([header_en, zh, english, p.text_en or ""]))
    for m in programme.mandates:
        docs.rows.append(Row(MANDATE, m.symbol, "zh", m.title))
        if m.title_en:
            docs.rows.append(Row(MANDATE, m.symbol, "en", m.title_en))
        if m.title_fr:
            docs.rows.append(Row(MANDATE, m.symbol, "fr", m.title_fr))
        docs.mandate_symbols.append(m.symbol)
        docs.mandate_lexical.append(_mandate_lexical(m, glossary))
    for s in programme.sentences:
        # Bare, without the record's header: the record already decided the topic; the
        # sentence must match what is asked.
        docs.rows.append(Row(SENTENCE, s.id, "zh", s.text))
        if s.text_en:
            docs.rows.append(Row(SENTENCE, s.id, "en", s.text_en))
        if s.text_fr:
            docs.rows.append(Row(SENTENCE, s.id, "fr", s.text_fr))
        docs.sentence_ids.append(s.id)
        english = " ".join(_english_terms(s.text, glossary))
        docs.sentence_lexical.append(" ".join([s.text, s.text_en or "", english]))
    return docs
