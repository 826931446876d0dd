"""The Answer every surface renders (see docs: the answer contract). Plain data, no formatting."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from bot.records.links import mandate_url


@dataclass(frozen=True)
class Source:
    id: str  # stable record id, e.g. "2.4", "sp3.ea.b", "sp1.mandates"
    ref: str  # human reference in the answer's language, e.g. "para. 2.4"
    section: str  # e.g. "Overall orientation", "Subprogramme 3: Security Council affairs"
    subprogramme: int | None
    text: str  # the record's full text, line breaks of the source removed
    score: float
    # The document it belongs to ("programme-2"): set when the library holds several, so that
    # the JSON of a one-document library is as it always was.
    document: str | None = None


@dataclass(frozen=True)
class MandateRef:
    symbol: str  # display form, e.g. "1373 (2001)", "47/120 A"
    body: str  # "General Assembly" | "Security Council" | "Charter"
    title: str  # Chinese title as in the corpus
    title_en: str | None  # unofficial English translation
    subprogrammes: list[int]
    url: str | None = None  # where to read it (bot/records/links.py); filled in by Answer
    # Its title's unofficial translations by language, for surfaces that show another than
    # English (Slack's Mandates block under a French answer). Not part of the contract's JSON.
    translations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Part:
    """One part of a question asked in several ("X, and Y?"): answered on its own line."""

    question: str
    answer: str
    abstained: bool


@dataclass(frozen=True)
class Scope:
    """What an answer was about, as the bot understood the question: a follow-up builds on it
    ("what about subprogramme 5?" re-asks `question` for that unit; "which of them are SC
    resolutions?" filters `symbols`), so follow-ups chain over several turns."""

    question: str  # the question as interpreted (a switched follow-up: the one it re-asked)
    subprogramme: int | None = None
    symbols: list[str] = field(default_factory=list)  # the list it was about, before filters
    filters: dict[str, Any] = field(default_factory=dict)  # body, years, words applied to it


@dataclass(frozen=True)
class Answer:
    question: str
    language: str  # "en" | "zh"
    answer: str
    abstained: bool
    sources: list[Source] = field(default_factory=list)
    mandates: list[MandateRef] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)  # empty unless asked in several parts
    scope: Scope | None = None  # what a follow-up builds on
    # The route that answered ("card", "duties", …), for surfaces that render a kind their own
    # way (Slack's compact unit card); "" for a multi-part answer. Not part of the contract.
    kind: str = ""
    # The document it comes from, when the library holds several (else None, as before).
    document: str | None = None

    def __post_init__(self) -> None:
        # Every mandate carries its link in the answer's language, whichever code built the
        # answer (composer, structured lists, LLM rewrite, an answer stored before links).
        linked = [
            m if m.url else replace(m, url=mandate_url(m.symbol, m.body, self.language))
            for m in self.mandates
        ]
        object.__setattr__(self, "mandates", linked)

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON: its keys, and the parts when the question had several."""
        data = asdict(self)
        data.pop("scope")
        data.pop("kind")
        if not self.parts:
            data.pop("parts")
        for mandate in data["mandates"]:
            mandate.pop("translations")
        if self.document is None:  # one document: the contract as it always was
            data.pop("document")
            for source in data["sources"]:
                source.pop("document")
        return data

    def to_record(self) -> dict[str, Any]:
        """Everything, for a store that a follow-up reads back (from_json takes both)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Answer:
        """Rebuild from to_json(), ignoring keys a newer version may have added."""

        def known(kind: type, values: dict) -> dict:
            names = {f.name for f in fields(kind)}
            return {k: v for k, v in values.items() if k in names}

        out = known(cls, data)
        out["sources"] = [Source(**known(Source, s)) for s in data.get("sources", [])]
        out["mandates"] = [MandateRef(**known(MandateRef, m)) for m in data.get("mandates", [])]
        out["parts"] = [Part(**known(Part, p)) for p in data.get("parts", [])]
        scope = data.get("scope")
        out["scope"] = Scope(**known(Scope, scope)) if isinstance(scope, dict) else None
        return cls(**out)
