"""The Answer every surface renders (see docs: the answer contract). Plain data, no formatting."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from bot.links import mandate_url


@dataclass(frozen=True)
class Source:
    id: str  # stable record id, e.g. "2.4", "sp3.ea.b", "sp1.mandates"
    ref: str  # human reference in the answer's language, e.g. "para. 2.4"
    section: str  # e.g. "Overall orientation", "Subprogramme 3: Security Council affairs"
    subprogramme: int | None
    text: str  # the record's full text, line breaks of the source removed
    score: float


@dataclass(frozen=True)
class MandateRef:
    symbol: str  # display form, e.g. "1373 (2001)", "47/120 A"
    body: str  # "General Assembly" | "Security Council" | "Charter"
    title: str  # Chinese title as in the corpus
    title_en: str | None  # unofficial English translation
    subprogrammes: list[int]
    url: str | None = None  # where to read it (bot/links.py); filled in by Answer


@dataclass(frozen=True)
class Answer:
    question: str
    language: str  # "en" | "zh"
    answer: str
    abstained: bool
    sources: list[Source] = field(default_factory=list)
    mandates: list[MandateRef] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Every mandate carries its link in the answer's language, whichever code built the
        # answer (composer, structured lists, LLM rewrite, an answer stored before links).
        linked = [
            m if m.url else replace(m, url=mandate_url(m.symbol, m.body, self.language))
            for m in self.mandates
        ]
        object.__setattr__(self, "mandates", linked)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
