"""Hybrid search over the programme: exact symbol lookup, dense + lexical fusion, abstention.

Retrieval decides WHAT answers a question (records, mandates, or nothing); it never formats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from bot.answer import Answer
from bot.conversation import Context, follow_up_context
from bot.corpus import (
    ACCOMPLISHMENT,
    MANDATE_LIST,
    OBJECTIVE,
    PARAGRAPH,
    Mandate,
    Passage,
)
from bot.documents import MANDATE, PASSAGE
from bot.embedding import Embedder
from bot.glossary import Term
from bot.index import LoadedIndex
from bot.structured import (
    StructuredAnswer,
    StructureReader,
    asked_body,
    detect,
    explicit_subprogramme,
    is_structural,
)
from bot.symbols import Symbol, find_symbols
from bot.text import clean_question, detect_language, sanitize, tokenize

# Fusion: dense cosine is the backbone; lexical evidence (normalised to [0, 1]) refines it.
# Cosines of e5 bunch within ~0.1 of each other, so a small weight moves ranks.
LEXICAL_WEIGHT = 0.06
MANDATE_LEXICAL_WEIGHT = 0.06
FOCUS_BOOST = 0.02  # the question names the record's subprogramme
KIND_BOOST = 0.08  # the question names the kind of record it wants ("objective", "indicators")
# Mandate lists are bags of titles that resemble every question a little; they lead only
# when the question asks for resolutions.
LIST_PENALTY = 0.05

# Abstention: e5 gives off-topic questions cosines as high as 0.85, so a cosine alone cannot
# decide. We abstain when the question shares no content word with the programme (after
# glossary expansion) unless the dense match is exceptionally strong, or when the dense match
# is weak whatever the words. Calibrated on the dev set; `programme-bot eval` reports the effect.
MIN_DENSE = 0.78
STRONG_DENSE = 0.86
MIN_COVERAGE = 0.34

# Mandates for a topic: those scoring within MANDATE_MARGIN of the best one.
MANDATE_MARGIN = 0.035
MAX_TOPIC_MANDATES = 12
MAX_SIDE_MANDATES = 3

_MANDATE_INTENT = re.compile(
    r"\b(resolutions?|mandat\w*|decisions?|legislative|legal basis)\b|决议|授权|任务规定|决定",
    re.IGNORECASE,
)
# Section terms of the glossary → the record kind a question about them wants.
_SECTION_KINDS = {
    "本组织的目标": OBJECTIVE,
    "秘书处的预期成果": ACCOMPLISHMENT,
    "绩效指标": ACCOMPLISHMENT,
    "战略": PARAGRAPH,
    "授权文书": MANDATE_LIST,
}
_BARE_NUMBER = re.compile(r"(?<![\d/.])(\d{3,4})(?![\d/.%])")
_UNIT_KINDS = ("subprogramme", "division", "department")
# Words that ask for a kind of record without naming the section (stems for English).
_KIND_WORDS = {
    OBJECTIVE: ("目标", "目的", "宗旨", "purpos", "aim", "goal", "object"),
    ACCOMPLISHMENT: (
        "预期成果",
        "指标",
        "衡量",
        "绩效",
        "indic",
        "measur",
        "accomplish",
        "perform",
        "kpi",
        "metric",
        "success",
    ),
    PARAGRAPH: ("战略",),
    MANDATE_LIST: ("授权", "决议"),
}


def should_abstain(
    evidence: dict[str, float],
    min_dense: float = MIN_DENSE,
    strong_dense: float = STRONG_DENSE,
    min_coverage: float = MIN_COVERAGE,
) -> bool:
    """The programme does not cover a topic question with this evidence."""
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
    intent: str  # "lookup" | "mandates" | "passages" | "structured"
    hits: list[Hit] = field(default_factory=list)
    mandates: list[Mandate] = field(default_factory=list)
    abstained: bool = False
    missing_symbols: list[Symbol] = field(default_factory=list)
    focus_subprogrammes: list[int] = field(default_factory=list)
    evidence: dict[str, float] = field(default_factory=dict)
    structured: StructuredAnswer | None = None


class Retriever:
    def __init__(self, index: LoadedIndex, embedder: Embedder) -> None:
        self.index = index
        self.embedder = embedder
        self.programme = index.programme
        docs = index.docs
        self._rows = docs.rows
        self._passage_pos = {pid: i for i, pid in enumerate(docs.passage_ids)}
        self._mandate_pos = {s: i for i, s in enumerate(docs.mandate_symbols)}
        self._mandates = {m.symbol: m for m in self.programme.mandates}
        self.structure = StructureReader(self.programme, index.glossary)
        # Dense row ids of each record kind and the record position each belongs to.
        self._p_rows = self._row_positions(PASSAGE, self._passage_pos)
        self._m_rows = self._row_positions(MANDATE, self._mandate_pos)
        self._passages = {p.id: p for p in self.programme.retrievable()}
        # Resolution numbers that stand alone ("1373", "1514"); GA "58/109" forms never do.
        self._numbers = {
            m.parsed.number
            for m in self.programme.mandates
            if m.parsed and "/" not in m.parsed.number
        }
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
        return np.array([i for i, _ in pairs]), np.array([p for _, p in pairs])

    # ------------------------------------------------------------------ public

    def search(
        self,
        question: str,
        top_k: int = 5,
        want_mandates: bool = False,
        previous: Answer | None = None,
    ) -> Retrieval:
        """Records and mandates for a question; `want_mandates` treats it as a mandate query.

        `previous` is the conversation's last answer: a follow-up ("and its indicators?")
        is read in its context.
        """
        asked = sanitize(question)  # reported back as asked
        question = clean_question(question)
        language = detect_language(question)
        context = follow_up_context(question, previous)
        symbols = [m.symbol for m in find_symbols(question)] or self._bare_numbers(question)
        if (
            not symbols
            and context
            and context.symbol
            and not self._focus_kinds(question, tokenize(question), [])
        ):
            symbols = [context.symbol]  # "which subprogrammes cite it?", not "its indicators?"
        if symbols:
            result = self._lookup(question, language, symbols, top_k)
        else:
            result = self._topic(question, language, top_k, want_mandates, context)
        result.question = asked
        return result

    # ------------------------------------------------------------------ symbols

    def _lookup(self, question: str, language: str, symbols: list[Symbol], top_k: int) -> Retrieval:
        found: list[Mandate] = []
        missing: list[Symbol] = []
        for symbol in symbols:
            matches = [m for m in self.programme.mandates if m.parsed and m.parsed.matches(symbol)]
            # "47/120 B" asks for B first, though A shares its base.
            matches.sort(key=lambda m: bool(symbol.parts) and m.parsed.parts != symbol.parts)
            if not matches:
                missing.append(symbol)
            found.extend(m for m in matches if m not in found)
        result = Retrieval(question, language, "lookup", missing_symbols=missing)
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
        return result

    def _bare_numbers(self, question: str) -> list[Symbol]:
        """'What is 1373?': a bare number counts only when it is a listed mandate's number.

        Without a keyword a number could be a year or a count, so only the programme's own
        resolution numbers (1373, 1514, 3376, …) are taken; none of them is a plausible year.
        """
        return [Symbol(None, n) for n in _BARE_NUMBER.findall(question) if n in self._numbers]

    # ------------------------------------------------------------------ topics

    def _topic(
        self,
        question: str,
        language: str,
        top_k: int,
        want_mandates: bool,
        context: Context | None = None,
    ) -> Retrieval:
        tokens = tokenize(question)
        terms = self.index.glossary.terms_in_english(tokens) if language == "en" else []
        terms += self.index.glossary.terms_in_chinese(question)
        intent = "mandates" if want_mandates or _MANDATE_INTENT.search(question) else "passages"
        explicit = explicit_subprogramme(question)
        focus_sp = {explicit} if explicit else self._focus_subprogrammes(terms)
        if context and context.subprogramme and not explicit:
            # "and its indicators?" → the previous subprogramme, unless this question names a
            # unit of its own ("Security Council resolutions" names a body, not a unit).
            own = self._focus_subprogrammes([t for t in terms if t.kind in _UNIT_KINDS])
            focus_sp = own or {context.subprogramme}
        focus_kinds = self._focus_kinds(question, tokens, terms)

        # Words that named programme units (not topics), only in the phrases that matched.
        units = [
            (phrase, t)
            for phrase, t in self.index.glossary.english_matches(tokens)
            if t.kind != "term"
        ]
        term_tokens = {tok for phrase, _ in units for tok in phrase}
        term_tokens |= {
            tok for t in terms if t.kind != "term" and t.zh in question for tok in tokenize(t.zh)
        }
        structural = is_structural(question, tokens, term_tokens)
        kind = detect(question, focus_sp, focus_kinds, intent == "mandates", structural)
        if kind:
            return self._structured(question, language, kind, focus_sp, top_k)

        # A follow-up is read together with the turn it follows ("which resolutions mandate that?").
        query = f"{context.question} {question}" if context else question
        expanded = tokens + [t for term in terms for t in tokenize(term.zh)]
        if context:
            expanded += tokenize(context.question)
        qvec = self.embedder.encode_query(query)
        dense_p, dense_m = self._dense(qvec)
        lex_p = self._lexical(self.index.bm25_passages, expanded, len(self._passage_pos))
        # Titles are short: the topic words (not the unit the question is scoped to) decide.
        topic = expanded
        if focus_sp:
            topic = [t for t in tokens if t not in term_tokens]
            topic += [t for term in terms if term.kind == "term" for t in tokenize(term.zh)]
        lex_m = self._lexical(self.index.bm25_mandates, topic, len(self._mandate_pos))

        scored = []
        for pid, pos in self._passage_pos.items():
            p = self._passages[pid]
            score = dense_p[pos] + LEXICAL_WEIGHT * lex_p[pos]
            if p.subprogramme in focus_sp:
                score += FOCUS_BOOST
            if p.kind in focus_kinds:
                score += KIND_BOOST
            if p.kind == MANDATE_LIST and intent != "mandates":
                score -= LIST_PENALTY
            scored.append(Hit(p, float(score)))
        scored.sort(key=lambda h: -h.score)
        result = Retrieval(
            question, language, intent, hits=scored[:top_k], focus_subprogrammes=sorted(focus_sp)
        )
        result.mandates = self._topic_mandates(intent, scored, dense_m, lex_m, focus_sp)

        coverage = self._coverage(tokens, terms)
        best_dense = float(max(dense_p.max(), dense_m.max()))
        result.evidence = {"dense": best_dense, "coverage": coverage}
        # A follow-up inherits its scope from the turn before; its own words may be few.
        if not context and should_abstain(result.evidence):
            result.abstained = True
            result.hits, result.mandates = [], []
        return result

    def _structured(
        self, question: str, language: str, kind: str, focus_sp: set[int], top_k: int
    ) -> Retrieval:
        sp = next(iter(focus_sp)) if len(focus_sp) == 1 else None
        body = asked_body(question) if _MANDATE_INTENT.search(question) else None
        structured = self.structure.answer(kind, sp, language, body)
        return Retrieval(
            question,
            language,
            "structured",
            hits=[Hit(p, 1.0) for p in structured.passages[:top_k]],
            mandates=structured.mandates,
            focus_subprogrammes=sorted(focus_sp),
            structured=structured,
        )

    def _dense(self, qvec: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cosine per passage and per mandate over their embedded rows (zh, en, en sentences)."""
        n = self.index.dense.ntotal
        scores, ids = self.index.dense.search(qvec.reshape(1, -1).astype(np.float32), n)
        by_row = np.empty(n, dtype=np.float32)
        by_row[ids[0]] = scores[0]
        passages = self._best_per_record(by_row, self._p_rows, len(self._passage_pos))
        mandates = self._best_per_record(by_row, self._m_rows, len(self._mandate_pos))
        return passages, mandates

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

    def _coverage(self, tokens: list[str], terms: list[Term]) -> float:
        """Share of the question's content words the programme knows (glossary terms count)."""
        if not tokens:
            return 1.0 if terms else 0.0
        known = sum(1 for t in tokens if t in self._vocab)
        return max(known / len(tokens), 1.0 if len(terms) >= 2 else 0.0)

    def _focus_subprogrammes(self, terms: list[Term]) -> set[int]:
        focus: set[int] = set()
        for term in terms:
            sps = self._term_subprogrammes.get(term.zh, set())
            if len(sps) == 1:
                focus |= sps
        return focus

    @staticmethod
    def _focus_kinds(question: str, tokens: list[str], terms: list[Term]) -> set[str]:
        """Kinds of record the question asks for ("objective", "indicators", 目标 …)."""
        kinds = {_SECTION_KINDS[t.zh] for t in terms if t.zh in _SECTION_KINDS}
        words = set(tokens)
        for kind, cues in _KIND_WORDS.items():
            if any(cue in question or cue in words for cue in cues):
                kinds.add(kind)
        return kinds

    def _topic_mandates(
        self,
        intent: str,
        hits: list[Hit],
        dense_m: np.ndarray,
        lex_m: np.ndarray,
        focus_sp: set[int],
    ) -> list[Mandate]:
        symbols = list(self._mandate_pos)
        scores = dense_m + MANDATE_LEXICAL_WEIGHT * lex_m
        for i, symbol in enumerate(symbols):
            m = self._mandates[symbol]
            if focus_sp & set(m.subprogrammes):
                scores[i] += FOCUS_BOOST
            # A mandate the best passages cite inline is relevant to the same question.
            if any(h.passage.id in m.cited_in and h.passage.kind == PARAGRAPH for h in hits[:1]):
                scores[i] += FOCUS_BOOST
        order = np.argsort(-scores, kind="stable")
        best = float(scores[order[0]])
        if intent == "mandates":
            limit, margin = MAX_TOPIC_MANDATES, MANDATE_MARGIN
        else:
            limit, margin = MAX_SIDE_MANDATES, MANDATE_MARGIN / 2
        chosen = [self._mandates[symbols[i]] for i in order if scores[i] >= best - margin]
        return chosen[:limit]
