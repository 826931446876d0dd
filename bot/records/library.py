"""The library: every programme document of the corpus folder, each read once.

A document is a folder, corpus/<document>/, holding its manifest (programme.toml), its text and
its translation tables. The library is loaded once with the index (bot/search/index.py) and
handed to every surface (answers, tour, quiz, map, Slack titles); a hot reload swaps it whole
(bot/ops/reload.py). Documents are in the order of their programme numbers; the first is the
one a question that names none is asked of first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from bot import languages
from bot.records.glossary import Glossary
from bot.records.manifest import MANIFEST_FILE, Manifest, read_manifest
from bot.records.model import CorpusError, Programme
from bot.records.outline import Outline, read_outline
from bot.records.parser import load_programme
from bot.records.reader import Reader


@dataclass(eq=False)  # one object per document read: surfaces may remember what they made of it
class Document:
    manifest: Manifest
    folder: Path
    programme: Programme
    glossary: Glossary

    @property
    def id(self) -> str:
        return self.manifest.id

    @cached_property
    def reader(self) -> Reader:
        return Reader(self.programme, self.glossary)

    @cached_property
    def outline(self) -> Outline:
        """Who does what, serving whom (bot.records.outline): what the map draws."""
        return read_outline(self.programme, self.glossary)


def load_document(folder: Path) -> Document:
    """A document folder read: its manifest, text and tables (CorpusError if it cannot be)."""
    manifest = read_manifest(folder)
    programme = load_programme(folder, manifest)
    return Document(manifest, folder, programme, Glossary.load(folder, manifest.language))


def document_folders(corpus_dir: Path) -> list[Path]:
    """The document folders of a corpus folder (those with a manifest), by name."""
    if (corpus_dir / MANIFEST_FILE).exists():
        return [corpus_dir]  # a document folder given on its own
    return sorted(p.parent for p in corpus_dir.glob(f"*/{MANIFEST_FILE}"))


@dataclass
class Library:
    documents: tuple[Document, ...]
    _by_id: dict[str, Document] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not self.documents:
            raise CorpusError("the library holds no programme document")
        self._by_id = {d.id: d for d in self.documents}

    @classmethod
    def load(cls, corpus_dir: Path) -> Library:
        folders = document_folders(corpus_dir)
        if not folders:
            raise CorpusError(f"no programme document ({MANIFEST_FILE}) in {corpus_dir}")
        documents = sorted((load_document(f) for f in folders), key=lambda d: d.manifest.number)
        return cls(tuple(documents))

    @property
    def first(self) -> Document:
        """The document asked first (the lowest programme number)."""
        return self.documents[0]

    def __len__(self) -> int:
        return len(self.documents)

    def __iter__(self):
        return iter(self.documents)

    def __contains__(self, document_id: object) -> bool:
        return document_id in self._by_id

    def document(self, document_id: str | None) -> Document:
        """A document by id; the first for None or an id the library does not hold."""
        return self._by_id.get(document_id or "", self.first)

    def named_in(self, question: str) -> Document | None:
        """The one document a question names, by number ("programme 7", "方案7") or title in
        any language; None when it names none (or several)."""
        if len(self.documents) == 1:
            return None
        named = [d for d in self.documents if _names(d, question)]
        return named[0] if len(named) == 1 else None


def _cue(name: str) -> str:
    words = {w for code in languages.understood() for w in languages.get(code).cue(name)}
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"


def _names(document: Document, question: str) -> bool:
    # "subprogramme 7" is not "programme 7": subprogrammes are taken out first.
    text = re.sub(rf"(?:{_cue('subprogramme')})\s*\d+", " ", question, flags=re.IGNORECASE)
    number = rf"(?<![^\W\d_])(?:{_cue('programme')})\s*{document.manifest.number}(?!\d)"
    if re.search(number, text, re.IGNORECASE):
        return True
    lowered = question.lower()
    return any(t.lower() in lowered for t in document.manifest.titles.values() if len(t) > 3)
