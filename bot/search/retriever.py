"""From an analysed question to what answers it: a router over the route table (bot.routes),
and the search pieces its handlers share.

    analysis (bot.question.analysis, once per part) → first route whose handler answers → Retrieval

Routes, in order: a filter on the previous list · lookup by symbol · a name the programme never
mentions · an answer type it never holds · a newcomer's unit card · a unit's duties · a part of
the structure · the resolutions for a topic · a fact or passage. The shared pieces: hybrid
ranking of records (dense + lexical fusion, focus on the units and record kinds a question
names), abstention when the programme does not cover the topic, the subprogrammes a question is
about, and the mandates for a topic.

Retrieval decides WHAT answers a question (records, sentences, mandates, or nothing); it never
formats.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot import languages
from bot.embedding import Embedder
from bot.languages.text import clip, fixed_tokens, tokenize
from bot.params import DEFAULT, Params
from bot.question.analysis import UNIT_KINDS, Analyser, Analysis
from bot.question.conversation import points_back
from bot.question.facets import ASSISTS, NO_READING, RESPONSIBLE, FacetModel, Reading
from bot.question.names import NameIndex
from bot.records.duties import DutyReader
from bot.records.glossary import Term
from bot.records.model import MANDATE_LIST, PARAGRAPH, Mandate
from bot.records.parser import translated_languages
from bot.records.reader import Reader
from bot.records.sentences import ITEM_LABEL, item_label
from bot.records.structure import StructureReader
from bot.search.dense import BestPerRecord, GroupedCosines
from bot.search.documents import MANDATE, PASSAGE, SENTENCE, row_language
from bot.search.evidence import SentencePicker
from bot.search.found import Hit, Retrieval
from bot.search.index import LoadedIndex

__all__ = ["Hit", "Ranking", "Retrieval", "Retriever", "should_abstain"]


def should_abstain(evidence: dict[str, float], params: Params = DEFAULT, **override) -> bool:
    """The programme does not cover a topic question with this evidence."""
    min_dense = override.get("min_dense", params.min_dense)
    strong_dense = override.get("strong_dense", params.strong_dense)
    min_coverage = override.get("min_coverage", params.min_coverage)
    dense, coverage = evidence["dense"], evidence["coverage"]
    return dense < min_dense or (coverage < min_coverage and dense < strong_dense)


@dataclass
class Ranking:
    """Records ranked for a topic question, with what the handlers read off it."""

    hits: list[Hit]  # every retrievable record, best first
    by_row: np.ndarray  # cosine per dense row (sentences included)
    dense_m: np.ndarray  # per mandate
    lex_m: np.ndarray | None  # per mandate; only in a ranking for mandates (topic_mandates)
    focus: set[int | None]
    evidence: dict[str, float]
    abstain: bool


def _asks_who_carries(a: Analysis) -> bool:
    """Who carries or assists the programme as a whole: its orientation names them."""
    return a.reading.facet in (RESPONSIBLE, ASSISTS)


class Retriever:
    def __init__(
        self,
        index: LoadedIndex,
        embedder: Embedder,
        params: Params = DEFAULT,
        facets: FacetModel | None = None,
    ) -> None:
        self.index = index
        self.facets = facets
        self.embedder = embedder
        self.params = params
        self.programme = index.programme
        self.glossary = index.glossary
        docs = index.docs
        self._rows = docs.rows
        self._passage_pos = {pid: i for i, pid in enumerate(docs.passage_ids)}
        self._mandate_pos = {s: i for i, s in enumerate(docs.mandate_symbols)}
        self._sentence_pos = {sid: i for i, sid in enumerate(docs.sentence_ids)}
        self.mandates = {m.symbol: m for m in self.programme.mandates}
        self.structure = StructureReader(self.programme, index.glossary)
        self.duties = DutyReader(Reader(self.programme, index.glossary))
        # Dense row ids of each record kind and the record position each belongs to.
        # A translation's rows (other than the default language's) answer questions in its
        # language (and in languages the bot does not write); an English or Chinese question is
        # matched against the original and the English, as before translations existed.
        row_languages = np.array([row_language(r) for r in self._rows])
        self._own_rows = {
            lang: row_languages == lang
            for lang in translated_languages(self.programme.language)
            if lang != languages.default()
        }
        # Every row's cosine but another translation's (not computed for such a question).
        self._cosines = GroupedCosines(index.dense, self._own_rows)
        self._p_rows = self._row_positions(PASSAGE, self._passage_pos)
        self._m_rows = self._row_positions(MANDATE, self._mandate_pos)
        self._best_passage = BestPerRecord(self._p_rows, len(self._passage_pos))
        self._best_mandate = BestPerRecord(self._m_rows, len(self._mandate_pos))
        self.passages = {p.id: p for p in self.programme.retrievable()}
        # The passages in the order a ranking scores them, with their lexical positions.
        self._passages_in_order = [self.passages[pid] for pid in self._passage_pos]
        self._passage_order = np.array(list(self._passage_pos.values()), dtype=np.int64)
        self._is_list = np.array(
            [x.kind == MANDATE_LIST for x in self._passages_in_order], dtype=bool
        )
        # The overall orientation's first paragraph states the programme's objective.
        first = next(iter(self.programme.orientation()), None)
        self._states_objective = np.array([x is first for x in self._passages_in_order], dtype=bool)
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
        self.analyser = Analyser(
            index.glossary,
            numbers,
            self.focus,
            NameIndex(self.programme, index.glossary),
            self.scope,
            self.read_facets,
        )
        self._vocab = set(index.bm25_passages.vocab_dict) | set(index.bm25_mandates.vocab_dict)
        # The words a translation holds (not in BM25: see bot.search.documents), by language.
        self._vocab_in = {lang: self._vocab | self._words_in(lang) for lang in self._own_rows}
        # Worked out on first use, then kept: the mandates whose titles hold a word
        # (named_by_rare_words), the tokens of a term's names (titles_name_a_topic).
        self._holders: dict[str, list[str]] = {}
        self._term_words: dict[Term, frozenset[str]] = {}
        # Which subprogrammes' text each glossary term occurs in (to focus a question).
        # Mandate lists are left out: their group headings name bodies every list shares.
        self._term_subprogrammes = {
            t.original: {
                p.subprogramme
                for p in self.passages.values()
                if t.original in p.text and p.subprogramme is not None and p.kind != MANDATE_LIST
            }
            for t in index.glossary.terms
        }

    def _row_positions(self, kind: str, positions: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        pairs = [(i, positions[r.key]) for i, r in enumerate(self._rows) if r.kind == kind]
        return np.array([i for i, _ in pairs], dtype=np.int64), np.array(
            [p for _, p in pairs], dtype=np.int64
        )

    # ------------------------------------------------------------------ shared pieces

    def read_facet(self, question: str) -> Reading:
        return self.read_facets([question])[0]

    def read_facets(self, questions: list[str]) -> list[Reading]:
        """What each text asks, from its vector (the one ranking encodes too: cached), all in
        one batch of the model."""
        if self.facets is None:
            return [NO_READING for _ in questions]
        p = self.params
        vectors = self.embedder.encode_queries([clip(q) for q in questions])
        return [
            self.facets.read(v, p.facet_min_p, p.facet_min_margin, p.facet_min_decline_p)
            if q.strip()
            else NO_READING
            for q, v in zip(questions, vectors, strict=True)
        ]

    def focus(self, a: Analysis) -> set[int]:
        """The subprogrammes a question is about: named by number, or by its unit's terms."""
        return {a.explicit_sp} if a.explicit_sp else self._focus_from_terms(a.terms)

    def scope(self, a: Analysis) -> set[int | None]:
        """The subprogrammes a question is about, in its conversation: a switched follow-up's
        unit, its own, or the one the turn (or part) before was about. {None}: the programme
        as a whole, when it asks for the programme's own objective."""
        context = a.context
        focus: set[int | None] = {a.forced_sp} if a.forced_sp else set(self.focus(a))
        if context and context.subprogramme and not a.explicit_sp and not a.forced_sp:
            # "and its indicators?" → the previous subprogramme, unless this question names a
            # unit of its own, or, when it does not point back ("C-24 resolutions pls"), a body
            # that belongs to one. "Which SC resolutions are among ITS mandates?" keeps the scope.
            kinds = UNIT_KINDS if points_back(a.question) else UNIT_KINDS + ("body",)
            own = self._focus_from_terms([t for t in a.terms if t.kind in kinds])
            focus = set(own) or {context.subprogramme}
        if not focus and (a.programme_objective or (a.whole_programme and _asks_who_carries(a))):
            # "Какой департамент отвечает за программу 2?": the overall orientation says.
            focus = {None}
        return focus

    def rank(self, a: Analysis, focus: set[int | None], mandates: bool) -> Ranking:
        """Every record ranked for the question (dense + lexical, focus and kind boosts), and
        whether the programme covers the topic at all."""
        p = self.params
        context = a.context
        # A follow-up is read together with the turn it follows ("which resolutions mandate that?").
        query = f"{context.question} {a.question}".strip() if context else a.question
        expanded = a.tokens + [t for term in a.terms for t in fixed_tokens(term.original)]
        if context and context.question:
            expanded += tokenize(context.question)
        qvec = self.embedder.encode_query(clip(query))
        by_row, dense_p, dense_m = self._dense(qvec, a.language, a.foreign)
        lex_p = self._lexical(self.index.bm25_passages, expanded, len(self._passage_pos))
        # The titles' lexical match: only a ranking for mandates reads it (topic_mandates).
        lex_m = self._title_match(a, focus, expanded) if mandates else None

        scored = self._score_passages(a, focus, mandates, dense_p, lex_p)
        scored.sort(key=lambda h: -h.score)
        # Arabic, Russian, Spanish: no words to compare with the text's; the dense match decides.
        vocab = self._vocab_in.get(a.language, self._vocab)
        asking = a.asking_tokens if a.asking_tokens is not None else a.tokens
        coverage = 1.0 if a.foreign else self._coverage(asking, a.terms, a.glossary_tokens, vocab)
        evidence = {"dense": float(max(dense_p.max(), dense_m.max())), "coverage": coverage}
        # A follow-up inherits its scope from the turn before; its own words may be few.
        turn = context is not None and context.turn
        abstain = not turn and should_abstain(evidence, p)
        return Ranking(scored, by_row, dense_m, lex_m, focus, evidence, abstain)

    def _title_match(self, a: Analysis, focus: set[int | None], expanded: list[str]) -> np.ndarray:
        """Each mandate's BM25 match with the question. Titles are short: the topic words (not
        the unit the question is scoped to, nor a section named, "resolutions", "授权文书")
        decide."""
        section = {
            t for term in a.terms if term.kind == "section" for t in fixed_tokens(term.original)
        }
        topic = [t for t in expanded if t not in section]
        if focus - {None}:
            topic = [t for t in a.tokens if t not in a.unit_tokens]
            topic += [
                t for term in a.terms if term.kind == "term" for t in fixed_tokens(term.original)
            ]
        return self._lexical(self.index.bm25_mandates, topic, len(self._mandate_pos))

    def _score_passages(
        self,
        a: Analysis,
        focus: set[int | None],
        mandates: bool,
        dense_p: np.ndarray,
        lex_p: np.ndarray,
    ) -> list[Hit]:
        """Each passage's score, in index order: dense + weighted lexical, then the boosts.

        As arrays rather than passage by passage (numpy scalars cost ~1 µs an operation): the
        same float32 operations in the same order, so the same scores to the bit.
        """
        p = self.params
        passages = self._passages_in_order
        score = dense_p[self._passage_order] + p.lexical_weight * lex_p[self._passage_order]
        score[np.array([x.subprogramme in focus for x in passages], dtype=bool)] += p.focus_boost
        score[np.array([x.kind in a.kinds for x in passages], dtype=bool)] += p.kind_boost
        named = ITEM_LABEL.search(a.question)
        if named:  # "and indicator (a)?": the record whose item is so labelled
            labelled = [item_label(x.text) == named.group() for x in passages]
            score[np.array(labelled, dtype=bool)] += p.kind_boost
        if a.programme_objective and not focus - {None}:
            score[self._states_objective] += p.kind_boost  # "the programme's overall objective?"
        if not mandates:
            score[self._is_list] -= p.list_penalty
        score[np.array([x.id == a.paragraph for x in passages], dtype=bool)] += p.paragraph_boost
        return [Hit(x, s) for x, s in zip(passages, score.tolist(), strict=True)]

    def ranked(
        self, a: Analysis, kind: str, top_k: int, mandates: bool
    ) -> tuple[Retrieval, Ranking]:
        """A topic question's records, best first, as a Retrieval of `kind` (abstained, with no
        records, when the programme does not cover the topic), and the ranking behind it."""
        ranking = self.rank(a, self.scope(a), mandates=mandates)
        result = Retrieval(
            a.question,
            a.language,
            kind,
            hits=[] if ranking.abstain else ranking.hits[:top_k],
            abstained=ranking.abstain,
            focus_subprogrammes=sorted(ranking.focus, key=str),
            evidence=ranking.evidence,
        )
        return result, ranking

    def topic_mandates(self, ranking: Ranking) -> list[Mandate]:
        """Every mandate within the margin of the best one for the topic: a list is not capped."""
        p = self.params
        symbols = list(self._mandate_pos)
        assert ranking.lex_m is not None, "the mandates of a ranking made for mandates"
        scores = ranking.dense_m + p.mandate_lexical_weight * ranking.lex_m
        for i, symbol in enumerate(symbols):
            m = self.mandates[symbol]
            if ranking.focus & set(m.subprogrammes):
                scores[i] += p.focus_boost
            # A mandate the best passages cite inline is relevant to the same question.
            if any(
                h.passage.id in m.cited_in and h.passage.kind == PARAGRAPH for h in ranking.hits[:1]
            ):
                scores[i] += p.focus_boost
        order = np.argsort(-scores, kind="stable")
        best = float(scores[order[0]])
        return [self.mandates[symbols[i]] for i in order if scores[i] >= best - p.mandate_margin]

    def named_by_rare_words(self, a: Analysis) -> list[Mandate]:
        """The mandates whose titles hold a word of the question that few titles hold (a
        territory, an organisation): "Malvinas and Gibraltar" names two resolutions, however
        far the second one's title is from the question as a whole."""
        vocab = self.index.bm25_mandates.vocab_dict
        found: list[str] = []
        for token in dict.fromkeys(a.tokens):
            if token in a.unit_tokens or token.isdigit() or token not in vocab:
                continue
            holders = self._title_holders(token)
            if len(holders) <= self.params.rare_title_word:
                found += holders
        return [self.mandates[s] for s in dict.fromkeys(found)]

    def _title_holders(self, token: str) -> list[str]:
        """The mandates whose title holds a word of the titles' vocabulary, worked out once
        per word (at most the vocabulary's few hundred), not on every question that has it."""
        holders = self._holders.get(token)
        if holders is None:
            bm25, n = self.index.bm25_mandates, len(self._mandate_pos)
            symbols = list(self._mandate_pos)
            found = np.flatnonzero(np.asarray(bm25.get_scores([token]))[:n] > 0)
            holders = self._holders[token] = [symbols[i] for i in found]
        return holders

    def titles_name_a_topic(self, a: Analysis, symbols: list[str]) -> bool:
        """A word of the question, besides the units, bodies and sections it names, is in the
        title of one of these mandates ("…which one is about Tokelau?")."""
        named = {
            tok
            for term in a.terms
            if term.kind in ("section", "body")
            for tok in self._words_of(term)
        }
        topic = [t for t in a.tokens if t not in a.unit_tokens and t not in named]
        scores = self._lexical(self.index.bm25_mandates, topic, len(self._mandate_pos))
        return any(scores[self._mandate_pos[s]] > 0 for s in symbols if s in self._mandate_pos)

    def _words_of(self, term: Term) -> frozenset[str]:
        """The tokens of a term's names in every language (the glossary never changes: worked
        out once per term)."""
        words = self._term_words.get(term)
        if words is None:
            names = (term.original, *term.translated_names())
            words = self._term_words[term] = frozenset(
                tok for name in names for tok in fixed_tokens(name)
            )
        return words

    def _words_in(self, lang: str) -> set[str]:
        texts = [s.text_in(lang) or "" for s in self.programme.sentences]
        texts += [m.translation(lang) or "" for m in self.programme.mandates]
        texts += [n for t in self.glossary.terms for n in t.names_in(lang) if n]
        return set(tokenize(" ".join(texts)))

    def _dense(
        self, qvec: np.ndarray, language: str | None = None, every: bool = True
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cosine per dense row, and per passage and per mandate over their rows: the rows of a
        translation only for a question in its language (`every`: a language the bot does not
        write: the rows of the translations read everywhere too)."""
        shown = languages.read_in(language) if every else {language}
        by_row = self._cosines(qvec, {lang for lang in self._own_rows if lang not in shown})
        # A record's cosine is its best variant's (a mean of zh and en measured worse).
        return by_row, self._best_passage(by_row), self._best_mandate(by_row)

    def _lexical(self, bm25, tokens: list[str], n_docs: int) -> np.ndarray:
        """BM25 scores scaled to [0, 1] by the best document (0 everywhere when nothing matches)."""
        known = [t for t in tokens if t in bm25.vocab_dict]
        if not known:
            return np.zeros(n_docs, dtype=np.float32)
        scores = np.asarray(bm25.get_scores(known), dtype=np.float32)
        top = float(scores.max())
        return scores / top if top > 0 else scores

    def _coverage(
        self, tokens: list[str], terms: list[Term], named: set[str], vocab: set[str]
    ) -> float:
        """Share of the question's content words the programme knows: words of its text, and
        words of the glossary names the question uses ("SCAD", "C-24")."""
        if not tokens:
            return 1.0 if terms else 0.0
        known = sum(1 for t in tokens if t in vocab or t in named)
        return max(known / len(tokens), 1.0 if len(terms) >= 2 else 0.0)

    def _focus_from_terms(self, terms: list[Term]) -> set[int]:
        focus: set[int] = set()
        for term in terms:
            if term.kind in ("department", "term"):
                # The Department carries the whole programme; a topic ("counter-terrorism",
                # "Pacific") may be anywhere: only units and bodies focus a question.
                continue
            sps = self._term_subprogrammes.get(term.original, set())
            if len(sps) == 1:
                focus |= sps
        return focus
