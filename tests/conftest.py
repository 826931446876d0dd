"""Shared fixtures: one real pipeline (model + index) per test session."""

from __future__ import annotations

import pytest

from bot.pipeline import Pipeline
from bot.settings import get_settings


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    # The real model and the repo's index/ (built here on first use, then reused).
    return Pipeline.load(get_settings(), progress=print)
