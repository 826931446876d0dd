"""Which sentence answers: the sentence-level evidence inside the records retrieval ranked.

Records are ranked by bot.search.retriever; this looks inside the best few for the sentence or
clause that answers, by its own dense and lexical match, the rank of its record, and, when the
question wants a typed item (a number, a date, a unit…), whether the sentence holds one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from bot.params import Params
from bot.question.answer_type import DATE, HELD
from bot.question.facets import INDICATORS
from bot.records.glossary import Glossary
from bot.records.model import Programme
from bot.records.sentences import ITEM_LABEL, Sentence, item_label
from bot.search.dense import BestPerRecord
from bot.search.facts import (
    Item,
    find_items,
    kind_word_match,
    near_question,
    nearest_to_names,
)

if TYPE_CHECKING:
    from bot.question.analysis import Analysis

_INDICATOR = re.compile(r"\bindicators?\b|\bmeasured?\b|\bkpis?\b|\bmetrics?\b|指标|衡量", re.I)


@dataclass(frozen=True)
class Evidence:
    sentence: Sentence
    score: float
    item: Item | None = None  # the typed item the question asks for, in the answer's language


class SentencePicker:
    def __init__(
        self,
        programme: Programme,
        glossary: Glossary,
        sentence_rows: tuple[np.ndarray, np.ndarray],
        bm25,
        params: Params,
    ) -> None:
        self.programme = programme
        self.glossary = glossary
        self.rows = sentence_rows  # (dense row ids, sentence positions)
        self.bm25 = bm25
        self.params = params
        self.by_pos = list(programme.sentences)
        self.pos = {s.id: i for i, s in enumerate(self.by_pos)}
        self._best = BestPerRecord(sentence_rows, len(self.by_pos))

    def dense(self, by_row: np.ndarray) -> np.ndarray:
        """A sentence's cosine is its best variant's (Chinese or English)."""
        return self._best(by_row)

    def lexical(self, tokens: list[str]) -> np.ndarray:
        known = [t for t in tokens if t in self.bm25.vocab_dict]
        if not known:
            return np.zeros(len(self.by_pos), dtype=np.float32)
        scores = np.asarray(self.bm25.get_scores(known), dtype=np.float32)
        top = float(scores.max())
        return scores / top if top > 0 else scores

    def scores(self, by_row: np.ndarray, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Each sentence's dense and lexical match with the question: what `pick` weighs (a
        caller picking twice for one question works them out once and passes them)."""
        return self.dense(by_row), self.lexical(tokens)

    def pick(
        self,
        record_scores: list[tuple[str, float]],
        by_row: np.ndarray,
        tokens: list[str],
        a: Analysis,
        answer_type: str | None,
        scores: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> list[Evidence]:
        """Sentences of the best records that answer, best first.

        `record_scores` are (record id, score) best first. For a typed question only sentences
        holding an item of that type count; the list is empty when none of the records has one.
        `scores`: `self.scores(by_row, tokens)`, when the caller has them.
        """
        p = self.params
        typed = answer_type in HELD
        # Untyped: the sentence comes from the best record (it is what the answer cites);
        # typed: the best few records are searched for a sentence holding the item.
        records = record_scores[: p.lead_records_typed if typed else p.lead_records]
        if not records:
            return []
        if not typed:
            records = [r for r in records if r[1] >= records[0][1] - p.lead_record_margin]
        lang = a.language
        subjects = a.subjects  # a sentence naming them is about the question's subject
        dense, lexical = scores or self.scores(by_row, tokens)
        best_record = records[0][1]
        out: list[Evidence] = []
        named = ITEM_LABEL.search(a.question)
        label = named.group() if named else None
        for rank, (rid, rscore) in enumerate(records):
            for s in self.programme.sentences_of(rid):
                i = self.pos[s.id]
                item = None
                score = (
                    float(dense[i])
                    + p.lead_lexical_weight * float(lexical[i])
                    + p.lead_record_weight * (rscore - best_record)
                    - p.lead_rank_penalty * rank
                )
                if label and item_label(s.text) == label:
                    score += p.lead_label_boost  # "indicator (a)?": the item so labelled
                if s.text.endswith("："):
                    score -= p.lead_intro_penalty  # "…方式如下：" introduces, it does not answer
                if typed:
                    items = find_items(s, answer_type, lang, self.glossary, a)
                    if not items:
                        continue
                    item = items[0]
                    text = s.text_in(lang) or ""
                    reach = p.lead_near_chars_zh if lang == "zh" else p.lead_near_chars_en
                    if answer_type == DATE and len(items) > 1:
                        # Near the question's own words ("首次审议" → 1947), else near the most
                        # particular name it uses ("CEIRPP" → 1975).
                        near = [it for it in items if near_question(it, text, a, reach)]
                        names = {n.lower() for t in a.terms for n in t.every_name() if n}
                        item = near[0] if near else nearest_to_names(items, text, names)
                    if kind_word_match(item, a.question):
                        score += p.lead_kind_word_boost
                    if near_question(item, text, a, reach):
                        score += p.lead_near_boost
                    if any(n in s.text for t in subjects for n in t.names_in(t.language)):
                        score += p.lead_subject_boost
                out.append(Evidence(s, score, item))
        out.sort(key=lambda e: -e.score)
        asks_indicator = a.reading.facet == INDICATORS or _INDICATOR.search(a.question)
        if asks_indicator and any(e.sentence.is_indicator for e in out[:3]):
            # "What is the indicator for renewed commitment…?": the accomplishment's words
            # match best, but its indicator answers.
            out.sort(key=lambda e: not e.sentence.is_indicator)
        return out
