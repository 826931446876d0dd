"""Records → sentences and clauses: the unit an answer is made of.

A record is the unit of a citation; the span that answers is often one clause of it. Chinese
sentences end in 。, but the programme's long paragraphs chain clauses with ；, and its
enumerations ("具体包括：(a)…；(b)…", "方式如下：…；…；以及…") open with ：. A table record splits
into its expected accomplishment and each of its indicators. Mandate lists are not split: each
mandate is its own record already.

Each sentence has a stable id "<record id>#<n>" (e.g. "2.8#9") and its unofficial translations
kept per sentence in the document's sentences.<lang>.tsv, next to the Chinese each translates so
that a change of the parse or of the data is caught (tests compare the two).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bot import languages
from bot.records.model import ACCOMPLISHMENT, OBJECTIVE, PARAGRAPH, Passage

SPLIT_KINDS = (PARAGRAPH, OBJECTIVE, ACCOMPLISHMENT)


@dataclass(frozen=True)
class Sentence:
    id: str  # "2.8#9"
    record_id: str  # "2.8"
    n: int  # 1-based position in the record
    text: str  # as in the record (the programme text's language)
    language: str = ""  # the language of `text`
    # Unofficial translations by language code (sentences.<lang>.tsv).
    translations: Mapping[str, str] = field(default_factory=dict, hash=False)

    def text_in(self, lang: str) -> str | None:
        """The sentence in a language: as written, or its translation (None when it has none)."""
        return self.text if lang == self.language else self.translations.get(lang)

    @property
    def is_indicator(self) -> bool:
        return "ea." in self.record_id and self.n > 1


# An item's own label, "(a)" or "(ii)": what a question names to ask for that one item.
ITEM_LABEL = re.compile(r"\((?:[a-h]|i{1,3}|iv|v|vi)\)")


def item_label(text: str) -> str | None:
    """The label a sentence opens with ("(a) 安全理事会成员…" → "(a)"), or None."""
    m = ITEM_LABEL.match(text.strip())
    return m.group() if m else None


# A paragraph's number, whatever its programme's prefix ("2.8 ", "7.1 ").
_PARA_NUMBER = re.compile(r"^\s*\d{1,3}\.\d{1,2}\s+")


def without_number(text: str) -> str:
    """'2.8 本次级方案…' → '本次级方案…': a reference already names the paragraph."""
    return _PARA_NUMBER.sub("", text)


@cache
def _label() -> re.Pattern[str]:
    """The objective's label in any language ("本组织的目标：", "Objective of the…: ")."""
    labels = [
        w for code in languages.understood() for w in languages.get(code).cue("objective_label")
    ]
    return re.compile(rf"^(?:{'|'.join(map(re.escape, labels)) or '(?!)'})\s*[:：]\s*")


def without_label(text: str) -> str:
    """Without the paragraph number or the objective's label: the reference names them."""
    return _label().sub("", without_number(text))


def split_clauses(text: str) -> list[str]:
    """Split Chinese text after 。 and ；, and after a ： that opens a ；-separated list."""
    out: list[str] = []
    start = 0
    for i, ch in enumerate(text):
        cut = ch in "。；"
        if ch == "：":
            rest = text[i + 1 :]
            end = rest.find("。")
            cut = "；" in (rest if end < 0 else rest[:end])
        if cut:
            if text[start : i + 1].strip():
                out.append(text[start : i + 1].strip())
            start = i + 1
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def record_clauses(p: Passage) -> list[str]:
    """The Chinese sentences of a record, in order; none for kinds that are not split."""
    if p.kind == ACCOMPLISHMENT:
        return [p.accomplishment or "", *p.indicators]
    if p.kind in (PARAGRAPH, OBJECTIVE):
        return split_clauses(p.text)
    return []


def read_sentence_translations(path: Path) -> dict[str, tuple[str, str]]:
    """id → (Chinese as translated, translation) from a document's sentences.<lang>.tsv."""
    if not path.exists():
        return {}
    out: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) == 3:
            out[cols[0].strip()] = (cols[1].strip(), cols[2].strip())
    return out


def build_sentences(
    passages: list[Passage], translations: Mapping[str, Mapping[str, tuple[str, str]]]
) -> list[Sentence]:
    """Every splittable record's sentences; each translated only where the data (by language:
    id → (Chinese as translated, translation)) translates that text.

    A translation whose Chinese no longer matches the parse is not used (it would put words
    in the record's mouth): the sentence then has none in that language, and tests flag it.
    """
    out: list[Sentence] = []
    for p in passages:
        if p.kind not in SPLIT_KINDS:
            continue
        for n, zh in enumerate(record_clauses(p), start=1):
            sid = f"{p.id}#{n}"
            known = {lang: table.get(sid) for lang, table in translations.items()}
            out.append(
                Sentence(
                    sid,
                    p.id,
                    n,
                    zh,
                    p.language,
                    {lang: k[1] for lang, k in known.items() if k and k[0] == zh},
                )
            )
    return out
