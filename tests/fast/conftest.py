"""The fast tier: the whole question path over an index built with a fake encoder.

The fake's cosines are not the model's (0.07–0.52 here against 0.75–0.93), so the dense
thresholds are its own: only the programme's coverage of the question's words decides whether
it covers the topic. Everything else (routes, handlers, typed items, composition) is the real
path, so passage, list and follow-up questions are answered here too.

What a question asks (its facet) is learned from the question bank over the real model's
vectors: over the fake's trigram hashes the same classifier reads half the bank right (5-fold
cross-validation), so here no question has a facet and every one takes the sentence path.
Answers that rest on the facet (types, declines, parts, newcomers' cards) are tested in the
eval tier, with the real model.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.embedding import FakeEmbedder
from bot.params import DEFAULT
from bot.pipeline import Pipeline
from bot.search.index import ensure_index
from bot.settings import get_settings

# Measured over the dev, held-out and answer-first sets with the fake: in-scope questions from
# 0.107 (median 0.376), off-topic ones up to 0.519; no dense threshold separates them.
FAKE_PARAMS = dataclasses.replace(DEFAULT, min_dense=0.05, strong_dense=0.95)


@pytest.fixture(scope="session")
def fake_pipeline(tmp_path_factory: pytest.TempPathFactory) -> Pipeline:
    settings = get_settings()
    embedder = FakeEmbedder()
    index = ensure_index(tmp_path_factory.mktemp("fake-index"), settings.corpus_dir, embedder)
    index = dataclasses.replace(index, facets=None)  # no facets: see the module docstring
    return Pipeline(settings=settings, embedder=embedder, index=index, params=FAKE_PARAMS)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return get_settings().corpus_dir
