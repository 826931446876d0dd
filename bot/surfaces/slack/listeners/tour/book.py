"""What the tour listeners read: the parsed programme, its tours and their self-checks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.onboarding.quiz import QuizMaker
from bot.onboarding.tour import TourGuide
from bot.records.glossary import Glossary
from bot.records.model import Programme
from bot.records.parser import load_programme


@dataclass(frozen=True)
class Tours:
    programme: Programme
    guide: TourGuide
    maker: QuizMaker

    @classmethod
    def load(cls, corpus_dir: Path) -> Tours:
        """Milliseconds: done once, when the app is made (app.py)."""
        programme = load_programme(corpus_dir)
        guide = TourGuide(programme, Glossary.load(corpus_dir))
        return cls(programme, guide, QuizMaker(guide.read))
