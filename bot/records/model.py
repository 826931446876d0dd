"""The programme as records: passages (paragraphs, objectives, expected accomplishments with
their indicators, mandate lists) and mandates, with stable, readable ids. Plain data: the parser
(bot.records.parser) builds them from the programme text.

A record holds its text in the language of the programme text (`language`) and its unofficial
translations by language code (`translations`, read from the document's translation tables);
`text_in(lang)` / `title_in(lang)` is the one way to read it in a language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.languages.symbols import Symbol

if TYPE_CHECKING:
    from bot.records.manifest import Manifest

# Record kinds. Headings only account for characters; they are never retrieved.
PARAGRAPH = "paragraph"
OBJECTIVE = "objective"
ACCOMPLISHMENT = "accomplishment"
MANDATE_LIST = "mandate_list"
HEADING = "heading"
RETRIEVABLE_KINDS = (PARAGRAPH, OBJECTIVE, ACCOMPLISHMENT, MANDATE_LIST)

# "本次级方案的实质性责任由选举援助司承担": who carries a subprogramme (its strategy says so).
CARRIED_BY = re.compile(r"责任由(.+?)承担")

GENERAL_ASSEMBLY = "General Assembly"
SECURITY_COUNCIL = "Security Council"
CHARTER = "Charter"


@dataclass(frozen=True)
class Passage:
    # Unique within its document: "2.4", "sp3.objective", "sp3.ea.b", "sp3.mandates". The
    # document is `document` ("programme-2"): `key` names the record across the library.
    id: str
    kind: str
    subprogramme: int | None  # None for the overall orientation (2.1–2.5)
    text: str  # source text with line breaks removed
    label: str | None = None  # "2.4", "(b)"
    accomplishment: str | None = None  # for ACCOMPLISHMENT: the left column
    indicators: tuple[str, ...] = ()  # for ACCOMPLISHMENT: its indicators, in order
    symbols: tuple[str, ...] = ()  # for MANDATE_LIST: its mandates, in the list's order
    language: str = ""  # the language of `text`: the programme text's
    # Unofficial translations by language code (passages.<lang>.tsv).
    translations: Mapping[str, str] = field(default_factory=dict, hash=False)
    document: str = ""  # the document it belongs to ("programme-2")

    @property
    def key(self) -> str:
        """The record's id across the library: "programme-2/2.4"."""
        return f"{self.document}/{self.id}"

    def text_in(self, lang: str) -> str | None:
        """The record in a language: its text, or its translation (None when it has none)."""
        return self.text if lang == self.language else self.translations.get(lang)


@dataclass
class Mandate:
    symbol: str  # display form: "47/120 A", "1373 (2001)", "Charter (Art. 99)"
    body: str  # GENERAL_ASSEMBLY | SECURITY_COUNCIL | CHARTER
    title: str  # Chinese title, joined across line breaks
    parsed: Symbol | None  # None for Charter entries
    subprogrammes: list[int] = field(default_factory=list)
    cited_in: list[str] = field(default_factory=list)  # passage ids that list or mention it
    language: str = ""  # the language of `title`: the programme text's
    # Unofficial translations of the title by language code (mandates.<lang>.tsv).
    translations: dict[str, str] = field(default_factory=dict)
    document: str = ""  # the document whose lists name it ("programme-2")

    def translation(self, lang: str) -> str | None:
        """The title in a language: as written, or its translation (None when it has none)."""
        return self.title if lang == self.language else self.translations.get(lang)

    def title_in(self, lang: str) -> str:
        """The title in an answer's language: its translation, else as written."""
        return self.translation(lang) or self.title

    @property
    def base(self) -> str:
        return self.parsed.base if self.parsed else self.symbol


@dataclass(frozen=True)
class Subprogramme:
    number: int
    title: str  # Chinese title


@dataclass
class Programme:
    passages: list[Passage]
    mandates: list[Mandate]
    subprogrammes: dict[int, Subprogramme]
    source_sha256: str
    sentences: list = field(default_factory=list)  # bot.records.sentences.Sentence, in record order
    language: str = ""  # the language the programme text is written in
    manifest: Manifest | None = None  # its document's (bot.records.manifest)

    @property
    def document(self) -> str:
        """The document it is: "programme-2"."""
        return self.manifest.id if self.manifest else ""

    def passage(self, pid: str) -> Passage:
        return self._by_id[pid]

    def sentence(self, sid: str):
        return self._sentences[sid]

    def sentences_of(self, pid: str) -> list:
        return list(self._sentences_of.get(pid, ()))

    def __post_init__(self) -> None:
        self._by_id = {p.id: p for p in self.passages}
        self._sentences = {s.id: s for s in self.sentences}
        # A record's sentences, in order: looked up for each record an answer reads, where a
        # scan of every sentence cost ~0.1 ms a time.
        self._sentences_of: dict[str, list] = {}
        for s in self.sentences:
            self._sentences_of.setdefault(s.record_id, []).append(s)

    def retrievable(self) -> list[Passage]:
        return [p for p in self.passages if p.kind in RETRIEVABLE_KINDS]

    def orientation(self) -> list[Passage]:
        """The overall orientation's paragraphs, in order: the first states the objective."""
        return [p for p in self.retrievable() if p.kind == PARAGRAPH and p.subprogramme is None]


class CorpusError(ValueError):
    """The programme text does not have the structure this parser knows."""
