"""What the tour listeners read: the programme the answers come from, its tours and their
self-checks. A hot reload swaps the pipeline's library (bot/ops/reload.py): every click reads
the library served at that moment, so the tour never lags behind the answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.onboarding.quiz import QuizMaker
from bot.onboarding.tour import TourGuide
from bot.records.library import Document, Library
from bot.records.model import Programme


@dataclass(frozen=True)
class Tours:
    library: Callable[[], Library]  # the library served now

    @property
    def document(self) -> Document:
        return self.library().first

    @property
    def programme(self) -> Programme:
        return self.document.programme

    @property
    def guide(self) -> TourGuide:
        return TourGuide.of(self.document)  # made once per document read

    @property
    def maker(self) -> QuizMaker:
        return QuizMaker.of(self.document)

    @classmethod
    def serving(cls, answerer) -> Tours:
        """The tours of what `answerer` (the server's pipeline) answers from (app.py)."""
        return cls(lambda: answerer.library)

    @classmethod
    def load(cls, corpus_dir: Path) -> Tours:
        """The tours of a corpus folder's library, read now (tests)."""
        library = Library.load(corpus_dir)
        return cls(lambda: library)
