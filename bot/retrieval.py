"""From an analysed question to what answers it: a router and one handler per question kind.

    analysis (bot.analysis) → route → lookup · structured · decline · list · fact/passage

- lookup: the question names resolution symbols; they are looked up exactly (an unknown one
  abstains, never a near miss).
- structured: the question names only parts of the programme and what to list (bot.structured).
- decline: the question wants a type of answer the text never holds (bot.answer_type).
- list ("mandates"): the resolutions for a topic, every one within the margin, no cap.
- fact / passage: hybrid search ranks records (dense + lexical fusion, focus on the units and
  record kinds the question names), abstains when the programme does not cover the topic, and
  bot.evidence picks the sentence that answers inside the best records.

Retrieval decides WHAT answers a question (records, sentences, mandates, or nothing); it never
formats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from bot.analysis import UNIT_KINDS, Analyser, Analysis, focus_kinds
from bot.answer import Answer
from bot.answer_type import (
    ARTICLE,
    BODY,
    DATE,
    HELD,
    NUMBER,
    RESOLUTION,
    UNHELD,
    UNIT,
    YES_NO,
)
from bot.conversation import points_back
from bot.corpus import MANDATE_LIST, PARAGRAPH, Mandate, Passage
from bot.documents import MANDATE, PASSAGE, SENTENCE
from bot.embedding import Embedder
from bot.evidence import Evidence, SentencePicker
from bot.facts import Item, find_items
from bot.glossary import Term
from bot.index import LoadedIndex
from bot.params import DEFAULT, Params
from bot.structured import StructuredAnswer, StructureReader, asked_body, detect, is_structural
from bot.symbols import Symbol, SymbolMatch, find_symbols
from bot.text import tokenize

# Intents: what kind of answer the composer writes.
LOOKUP = "lookup"
MANDATES = "mandates"
PASSAGES = "passages"
STRUCTURED = "structured"
DECLINE = "decline"

# Decline reasons that are not an answer type: the typed item is not in the text.
NOT_IN_TEXT = "not_in_text"


def _nearest(items: list[Item], spot: SymbolMatch, language: str) -> Item:
    """The item nearest the symbol: "48/213 of 21 December 1993" in English, the date before
    it in Chinese ("1975 年 11 月 10 日第 3376(XXX)号决议"); ties go to that side."""

    def gap(i: Item) -> tuple[int, bool]:
        end = i.start + len(i.text)
        before = end <= spot.start
        distance = spot.start - end if before else i.start - spot.end
        return distance, before == (language == "en")

    return min(items, key=gap)


def should_abstain(evidence: dict[str, float], params: Params = DEFAULT, **override) -> bool:
    """The programme does not cover a topic question with this evidence."""
    min_dense = override.get("min_dense", params.min_dense)
    strong_dense = override.get("strong_dense", params.strong_dense)
    min_coverage = override.get("min_coverage", params.min_coverage)
    dense, coverage = evidence["dense"], evidence["coverage"]
    return dense < min_dense or (coverage < min_coverage and dense < strong_dense)


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float


@dataclass
class Retrieval:
    question: str
    language: str
    intent: str  # LOOKUP | MANDATES | PASSAGES | STRUCTURED | DECLINE
    hits: list[Hit] = field(default_factory=list)
    mandates: list[Mandate] = field(default_factory=list)
    abstained: bool = False
    missing_symbols: list[Symbol] = field(default_factory=list)
    focus_subprogrammes: list[int] = field(default_factory=list)
    evidence: dict[str, float] = field(default_factory=dict)
    structured: StructuredAnswer | None = None
    answer_type: str | None = None
    lead: list[Evidence] = field(default_factory=list)  # sentences that answer, best first
    lead_mandate: tuple[Mandate, Item] | None = None  # an article read off a Charter entry
    decline_reason: str | None = None  # an answer type the text never holds, or NOT_IN_TEXT
    yes: bool = False  # a yes/no question whose lead sentence covers what it asks


class Retriever:
    def __init__(self, index: LoadedIndex, embedder: Embedder, params: Params = DEFAULT) -> None:
        self.index = index
        self.embedder = embedder
        self.params = params
        self.programme = index.programme
        docs = index.docs
        self._rows = docs.rows
        self._passage_pos = {pid: i for i, pid in enumerate(docs.passage_ids)}
        self._mandate_pos = {s: i for i, s in enumerate(docs.mandate_symbols)}
        self._sentence_pos = {sid: i for i, sid in enumerate(docs.sentence_ids)}
        self._mandates = {m.symbol: m for m in self.programme.mandates}
        self.structure = StructureReader(self.programme, index.glossary)
        # Dense row ids of each record kind and the record position each belongs to.
        self._p_rows = self._row_positions(PASSAGE, self._passage_pos)
        self._m_rows = self._row_positions(MANDATE, self._mandate_pos)
        self._passages = {p.id: p for p in self.programme.retrievable()}
        self.picker = SentencePicker(
            self.programme,
            index.glossary,
            self._row_positions(SENTENCE, self._sentence_pos),
            index.bm25_sentences,
            params,
        )
        # Resolution numbers that stand alone ("1373", "1514"); GA "58/109" forms never do.
        numbers = {
            m.parsed.number
            for m in self.programme.mandates
            if m.parsed and "/" not in m.parsed.number
        }
        self.analyser = Analyser(index.glossary, numbers, self._focus)
        self._vocab = set(index.bm25_passages.vocab_dict) | set(index.bm25_mandates.vocab_dict)
        # Which subprogrammes' text each glossary term occurs in (to focus a question).
        # Mandate lists are left out: their group headings name bodies every list shares.
        self._term_subprogrammes = {
            t.zh: {
                p.subprogramme
                for p in self._passages.values()
                if t.zh in p.text and p.subprogramme is not None and p.kind != MANDATE_LIST
            }
            for t in index.glossary.terms
        }

    def _row_positions(self, kind: str, positions: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        pairs = [(i, positions[r.key]) for i, r in enumerate(self._rows) if r.kind == kind]
        return np.array([i for i, _ in pairs], dtype=np.int64), np.array(
            [p for _, p in pairs], dtype=np.int64
        )

    # ------------------------------------------------------------------ the router

    def search(
        self,
        question: str,
        top_k: int = 5,
        want_mandates: bool = False,
        previous: Answer | None = None,
    ) -> Retrieval:
        """What answers a question; `want_mandates` treats it as a mandate query.

        `previous` is the conversation's last answer: a follow-up ("and its indicators?",
        "what about subprogramme 5?", "the fourth one") is read in its context.
        """
        a = self.analyser.analyse(question, previous, want_mandates)
        symbols = a.symbols
        context = a.context
        # Only the kinds a question names in words; "mandates" names the list the symbol is in.
        if not symbols and context and context.symbol and not focus_kinds(a.question, a.tokens, []):
            symbols = [context.symbol]  # "which subprogrammes cite it?", not "its indicators?"
        if symbols:
            result = self._lookup(a, symbols, top_k)
        elif a.answer_type in UNHELD:
            result = self._decline(a, a.answer_type)
        else:
            result = self._topic(a, top_k)
        result.question = a.asked
        result.answer_type = a.answer_type
        return result

    # ------------------------------------------------------------------ handlers

    def _decline(self, a: Analysis, reason: str) -> Retrieval:
        return Retrieval(a.question, a.language, DECLINE, abstained=True, decline_reason=reason)

    def _lookup(self, a: Analysis, symbols: list[Symbol], top_k: int) -> Retrieval:
        found: list[Mandate] = []
        missing: list[Symbol] = []
        for symbol in symbols:
            matches = [m for m in self.programme.mandates if m.parsed and m.parsed.matches(symbol)]
            # "47/120 B" asks for B first, though A shares its base.
            matches.sort(key=lambda m: bool(symbol.parts) and m.parsed.parts != symbol.parts)
            if not matches:
                missing.append(symbol)
            found.extend(m for m in matches if m not in found)
        result = Retrieval(a.question, a.language, LOOKUP, missing_symbols=missing)
        if not found:
            result.abstained = True
            return result
        result.mandates = found
        seen: list[str] = []
        for m in found:
            # Paragraphs that discuss it first, then the lists that cite it.
            for pid in sorted(m.cited_in, key=lambda x: x.endswith(".mandates")):
                if pid not in seen:
                    seen.append(pid)
        result.hits = [Hit(self._passages[pid], 1.0) for pid in seen[:top_k]]
        if a.answer_type in HELD:
            # "When was 48/213 adopted?": the sentence that mentions it and holds the item.
            result.lead = self._sentences_citing(found[0], a)
        return result

    def _sentences_citing(self, m: Mandate, a: Analysis) -> list[Evidence]:
        """Sentences of the paragraphs citing a resolution that mention it and hold the item."""
        out = []
        for pid in m.cited_in:
            for s in self.programme.sentences_of(pid):
                if not any(m.parsed and m.parsed.matches(f.symbol) for f in find_symbols(s.text)):
                    continue
                text = (s.text_en or "") if a.language == "en" else s.text
                items = find_items(s, a.answer_type, a.language, self.index.glossary, a.question)
                spot = next((f for f in find_symbols(text) if m.parsed.matches(f.symbol)), None)
                if items and spot:
                    out.append(Evidence(s, 1.0, _nearest(items, spot, a.language)))
        return out

    def _topic(self, a: Analysis, top_k: int) -> Retrieval:
        p = self.params
        context = a.context
        intent = MANDATES if a.wants_mandates else PASSAGES
        focus_sp = {a.forced_sp} if a.forced_sp else self._focus(a)
        if context and context.subprogramme and not a.explicit_sp and not a.forced_sp:
            # "and its indicators?" → the previous subprogramme, unless this question names a
            # unit of its own, or, when it does not point back ("C-24 resolutions pls"), a body
            # that belongs to one. "Which SC resolutions are among ITS mandates?" keeps the scope.
            kinds = UNIT_KINDS if points_back(a.question) else UNIT_KINDS + ("body",)
            own = self._focus_from_terms([t for t in a.terms if t.kind in kinds])
            focus_sp = own or {context.subprogramme}

        # Words that named programme units (not topics), only in the phrases that matched.
        term_tokens = {tok for phrase, _ in a.unit_phrases for tok in phrase}
        term_tokens |= {
            tok
            for t in a.terms
            if t.kind != "term"
            for name in t.chinese_names
            if name in a.question
            for tok in tokenize(name)
        }
        structural = is_structural(a.question, a.tokens, term_tokens)
        kind = detect(a.question, focus_sp, a.kinds, intent == MANDATES, structural)
        if kind:
            return self._structured(a, kind, focus_sp, top_k)

        # A follow-up is read together with the turn it follows ("which resolutions mandate that?").
        query = f"{context.question} {a.question}" if context else a.question
        expanded = a.tokens + [t for term in a.terms for t in tokenize(term.zh)]
        if context:
            expanded += tokenize(context.question)
        qvec = self.embedder.encode_query(query)
        by_row, dense_p, dense_m = self._dense(qvec)
        lex_p = self._lexical(self.index.bm25_passages, expanded, len(self._passage_pos))
        # Titles are short: the topic words (not the unit the question is scoped to) decide.
        topic = expanded
        if focus_sp:
            topic = [t for t in a.tokens if t not in term_tokens]
            topic += [t for term in a.terms if term.kind == "term" for t in tokenize(term.zh)]
        lex_m = self._lexical(self.index.bm25_mandates, topic, len(self._mandate_pos))

        scored = []
        for pid, pos in self._passage_pos.items():
            passage = self._passages[pid]
            score = dense_p[pos] + p.lexical_weight * lex_p[pos]
            if passage.subprogramme in focus_sp:
                score += p.focus_boost
            if passage.kind in a.kinds:
                score += p.kind_boost
            if passage.kind == MANDATE_LIST and intent != MANDATES:
                score -= p.list_penalty
            if passage.id == a.paragraph:
                score += p.paragraph_boost
            scored.append(Hit(passage, float(score)))
        scored.sort(key=lambda h: -h.score)
        result = Retrieval(
            a.question,
            a.language,
            intent,
            hits=scored[:top_k],
            focus_subprogrammes=sorted(focus_sp),
        )
        coverage = self._coverage(a.tokens, a.terms, a.glossary_tokens)
        best_dense = float(max(dense_p.max(), dense_m.max()))
        result.evidence = {"dense": best_dense, "coverage": coverage}
        # A follow-up inherits its scope from the turn before; its own words may be few.
        if not context and should_abstain(result.evidence, p):
            result.abstained = True
            result.hits = []
            return result

        if intent == MANDATES:
            result.mandates = self._topic_mandates(scored, dense_m, lex_m, focus_sp)
            if a.answer_type == RESOLUTION:
                self._resolution_in_text(result, a, scored, by_row)
            return result
        # The records already matched the unit; the sentence must match what is asked of it.
        asked = [t for t in a.tokens if t not in term_tokens]
        asked += [t for term in a.terms if term.kind == "term" for t in tokenize(term.zh)]
        asked = asked or expanded
        self._answer_from_sentences(result, a, scored, by_row, asked)
        return result

    def _answer_from_sentences(
        self,
        result: Retrieval,
        a: Analysis,
        scored: list[Hit],
        by_row: np.ndarray,
        tokens: list[str],
    ) -> None:
        """Pick the lead sentence; decline when a typed item is asked and none is there."""
        records = [(h.passage.id, h.score) for h in scored if h.passage.kind != MANDATE_LIST]
        if result.focus_subprogrammes:
            # The unit the question is about: its own records hold the answer.
            own = [
                r
                for r in records
                if self._passages[r[0]].subprogramme in result.focus_subprogrammes
            ]
            # Its best few first, then the rest as ranked (the overall orientation may hold it).
            records = own[:3] + [r for r in records if r not in own[:3]]
        if a.paragraph in self._passages:
            # "Para 2.3 mentions a principle…": the answer is in that paragraph.
            records = [r for r in records if r[0] == a.paragraph]
        if a.kinds:
            # "What is the objective of…": the answer is in a record of that kind.
            named = [r for r in records if self._passages[r[0]].kind in a.kinds]
            records = named + [r for r in records if r not in named]
        lead = self.picker.pick(records, by_row, tokens, a.question, a.answer_type, a.language)
        if a.answer_type == ARTICLE:
            charter = self._charter_article(a, result.focus_subprogrammes, scored)
            if charter and (not lead or charter[0].subprogrammes[0] in result.focus_subprogrammes):
                result.lead_mandate = charter
                result.mandates = [charter[0]]
                return
        if not lead and a.answer_type in (NUMBER, ARTICLE):
            # "How many members does the Council have?": the text holds no such number.
            result.abstained = True
            result.intent = DECLINE
            result.decline_reason = NOT_IN_TEXT
            result.hits = []
            return
        if a.answer_type in (UNIT, BODY, DATE) or not lead:
            # "Who guides the information system?" may be answered by a sentence naming no unit
            # of the glossary ("the Committee will guide…"): it wins when it matches better.
            plain = self.picker.pick(records, by_row, tokens, a.question, None, a.language)
            if not lead or (plain and plain[0].score > lead[0].score):
                lead = plain
        result.lead = lead[:3]
        # Sources keep the records' ranking; the lead names its own record, and the mandates
        # are those it cites.
        best = lead[0].sentence.record_id if lead else scored[0].passage.id
        result.mandates = [m for m in self.programme.mandates if best in m.cited_in]
        if a.answer_type == YES_NO and lead:
            result.yes = self._covers(a, lead[0])

    def _resolution_in_text(
        self, result: Retrieval, a: Analysis, scored: list[Hit], by_row: np.ndarray
    ) -> None:
        """'Which resolution is DPA implementing with UNODC?': a sentence of the best record that
        names the resolution answers it, in prose; the topic's list stays in `mandates`."""
        p = self.params
        records = [(h.passage.id, h.score) for h in scored if h.passage.kind != MANDATE_LIST]
        records = records[: p.resolution_records]
        lead = self.picker.pick(records, by_row, a.tokens, a.question, RESOLUTION, a.language)
        if not lead:
            return
        named = [
            m
            for m in self.programme.mandates
            if m.parsed and any(m.parsed.matches(f.symbol) for f in find_symbols(lead[0].item.text))
        ]
        # Only when the topic's own ranking agrees: an unrelated paragraph that happens to name
        # a resolution must not beat the titles (a looser test measured worse on precision).
        if not named or not all(m in result.mandates for m in named):
            return
        result.intent = PASSAGES
        result.lead = lead[:3]
        result.mandates = named + [m for m in result.mandates if m not in named]

    def _covers(self, a: Analysis, ev: Evidence) -> bool:
        """The sentence holds most of the question's content words (yes/no questions)."""
        words = {t for t in a.tokens if len(t) > 1}
        if not words:
            return False
        text = tokenize(" ".join([ev.sentence.text, ev.sentence.text_en or ""]))
        text += [
            t
            for term in self.index.glossary.terms_in_chinese(ev.sentence.text)
            for t in tokenize(" ".join(term.english_names))
        ]
        have = set(text)
        return sum(w in have for w in words) / len(words) >= self.params.yes_coverage

    def _charter_article(
        self, a: Analysis, focus: list[int], scored: list[Hit]
    ) -> tuple[Mandate, Item] | None:
        """'Which Charter article…?': the Charter entry of the subprogramme asked about."""
        charter = [m for m in self.programme.mandates if m.body == "Charter"]
        rank = {h.passage.subprogramme: i for i, h in reversed(list(enumerate(scored)))}
        charter.sort(
            key=lambda m: (m.subprogrammes[0] not in focus, rank.get(m.subprogrammes[0], 99))
        )
        if not charter:
            return None
        m = charter[0]
        text = (m.title_en or "") if a.language == "en" else m.title
        found = (
            re.search(r"Articles? .+$", text) if a.language == "en" else re.search(r"第.+条", text)
        )
        return (m, Item(found.group() if found else text, 0))

    def _structured(self, a: Analysis, kind: str, focus_sp: set[int], top_k: int) -> Retrieval:
        sp = next(iter(focus_sp)) if len(focus_sp) == 1 else None
        body = asked_body(self._without_unit_names(a)) if a.wants_mandates else None
        structured = self.structure.answer(kind, sp, a.language, body)
        return Retrieval(
            a.question,
            a.language,
            STRUCTURED,
            hits=[Hit(p, 1.0) for p in structured.passages[:top_k]],
            mandates=structured.mandates,
            focus_subprogrammes=sorted(focus_sp),
            structured=structured,
        )

    def _without_unit_names(self, a: Analysis) -> str:
        """The question without the names of units: "Security Council Affairs Division" is a
        unit, not the body whose resolutions are asked for."""
        text = a.question
        for term in a.unit_terms:
            for name in sorted((term.zh, *term.english_names), key=len, reverse=True):
                text = re.sub(re.escape(name), " ", text, flags=re.IGNORECASE)
        return text

    # ------------------------------------------------------------------ search pieces

    def _dense(self, qvec: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cosine per dense row, and per passage and per mandate over their rows."""
        n = self.index.dense.ntotal
        scores, ids = self.index.dense.search(qvec.reshape(1, -1).astype(np.float32), n)
        by_row = np.empty(n, dtype=np.float32)
        by_row[ids[0]] = scores[0]
        passages = self._best_per_record(by_row, self._p_rows, len(self._passage_pos))
        mandates = self._best_per_record(by_row, self._m_rows, len(self._mandate_pos))
        return by_row, passages, mandates

    @staticmethod
    def _best_per_record(
        by_row: np.ndarray, rows: tuple[np.ndarray, np.ndarray], size: int
    ) -> np.ndarray:
        """A record's cosine is its best variant's (a mean of zh and en measured worse)."""
        row_ids, positions = rows
        best = np.full(size, -1.0, dtype=np.float32)
        np.maximum.at(best, positions, by_row[row_ids])
        return best

    def _lexical(self, bm25, tokens: list[str], n_docs: int) -> np.ndarray:
        """BM25 scores scaled to [0, 1] by the best document (0 everywhere when nothing matches)."""
        known = [t for t in tokens if t in bm25.vocab_dict]
        if not known:
            return np.zeros(n_docs, dtype=np.float32)
        scores = np.asarray(bm25.get_scores(known), dtype=np.float32)
        top = float(scores.max())
        return scores / top if top > 0 else scores

    def _coverage(self, tokens: list[str], terms: list[Term], named: set[str]) -> float:
        """Share of the question's content words the programme knows: words of its text, and
        words of the glossary names the question uses ("SCAD", "C-24")."""
        if not tokens:
            return 1.0 if terms else 0.0
        known = sum(1 for t in tokens if t in self._vocab or t in named)
        return max(known / len(tokens), 1.0 if len(terms) >= 2 else 0.0)

    def _focus(self, a: Analysis) -> set[int]:
        """The subprogrammes a question is about: named by number, or by its unit's terms."""
        return {a.explicit_sp} if a.explicit_sp else self._focus_from_terms(a.terms)

    def _focus_from_terms(self, terms: list[Term]) -> set[int]:
        focus: set[int] = set()
        for term in terms:
            sps = self._term_subprogrammes.get(term.zh, set())
            if len(sps) == 1:
                focus |= sps
        return focus

    def _topic_mandates(
        self,
        hits: list[Hit],
        dense_m: np.ndarray,
        lex_m: np.ndarray,
        focus_sp: set[int],
    ) -> list[Mandate]:
        """Every mandate within the margin of the best one for the topic: a list is not capped."""
        p = self.params
        symbols = list(self._mandate_pos)
        scores = dense_m + p.mandate_lexical_weight * lex_m
        for i, symbol in enumerate(symbols):
            m = self._mandates[symbol]
            if focus_sp & set(m.subprogrammes):
                scores[i] += p.focus_boost
            # A mandate the best passages cite inline is relevant to the same question.
            if any(h.passage.id in m.cited_in and h.passage.kind == PARAGRAPH for h in hits[:1]):
                scores[i] += p.focus_boost
        order = np.argsort(-scores, kind="stable")
        best = float(scores[order[0]])
        return [self._mandates[symbols[i]] for i in order if scores[i] >= best - p.mandate_margin]
