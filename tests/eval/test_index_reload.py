"""Hot index reload, in process: a rebuilt index is swapped in, a corrupt or stale one is refused
and the old one keeps answering. (The same through a real server under load:
tests/integration/slack/test_index_reload_server.py.)"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path

import pytest

from bot.ops.reload import LOADED, REFUSED, IndexWatcher
from bot.pipeline import Pipeline
from bot.search.index import CURRENT, build_index

pytestmark = pytest.mark.slow

QUESTION = "What is resolution 1373 (2001) about?"


def point_current_at(index_dir: Path, build: Path) -> None:
    """What a builder does: one atomic rename of the link."""
    link = index_dir / ".current-test"
    link.symlink_to(build.name)
    os.replace(link, index_dir / CURRENT)


def damaged_copy(index_dir: Path, name: str, damage, source: Path | None = None) -> Path:
    copy = index_dir / name
    shutil.copytree(source or (index_dir / CURRENT).resolve(), copy)
    damage(copy)
    return copy


class Serving:
    """Stands for the server's Lanes: what answers the next question."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.swaps = 0

    def swap(self, pipeline: Pipeline) -> None:
        self.pipeline, self.swaps = pipeline, self.swaps + 1


@pytest.fixture()
def watched(index_copy: Path, pipeline: Pipeline) -> tuple[Path, Serving, IndexWatcher]:
    index_dir = index_copy
    settings = dataclasses.replace(pipeline.settings, index_dir=index_dir)
    started = dataclasses.replace(pipeline, settings=settings)
    serving = Serving(started)
    return index_dir, serving, IndexWatcher(started, serving.swap, interval_s=0)


def test_the_index_started_with_is_not_reloaded(watched) -> None:
    _, serving, watcher = watched
    assert watcher.check() is None
    assert watcher.check() is None
    assert serving.swaps == 0


def test_a_rebuilt_index_is_swapped_in_and_answers(watched, pipeline: Pipeline) -> None:
    index_dir, serving, watcher = watched
    before = serving.pipeline
    new_build = build_index(index_dir, pipeline.settings.corpus_dir, pipeline.embedder)
    assert watcher.check() == LOADED
    assert serving.swaps == 1 and serving.pipeline is not before
    manifest = json.loads((new_build / "manifest.json").read_text("utf-8"))
    assert serving.pipeline.index.manifest == manifest != before.index.manifest
    assert [p.name for p in index_dir.glob("build-*")] == [new_build.name]  # old build deleted
    answer = serving.pipeline.ask(QUESTION)
    assert not answer.abstained and "1373" in answer.answer
    assert before.ask(QUESTION) == answer  # in memory: a question in flight finishes on it
    assert watcher.check() is None  # once


@pytest.mark.parametrize(
    "damage, reason",
    [
        (lambda b: (b / "programme-2" / "dense.faiss").write_bytes(b"\0" * 64), "dense.faiss"),
        (lambda b: (b / "programme-2" / "records.json").unlink(), "records.json is missing"),
        (lambda b: (b / "manifest.json").write_text("{", "utf-8"), "manifest.json is unreadable"),
        (
            lambda b: (b / "manifest.json").write_text(
                json.dumps(
                    json.loads((b / "manifest.json").read_text("utf-8")) | {"model": "other/m"}
                ),
                "utf-8",
            ),
            "stale: built with model",
        ),
    ],
)
def test_a_bad_build_is_refused_and_the_old_index_keeps_serving(
    watched, caplog: pytest.LogCaptureFixture, damage, reason: str
) -> None:
    index_dir, serving, watcher = watched
    before = serving.pipeline
    point_current_at(index_dir, damaged_copy(index_dir, "build-damaged", damage))
    with caplog.at_level("WARNING", logger="bot.ops.reload"):
        assert watcher.check() == REFUSED
    assert serving.swaps == 0 and serving.pipeline is before
    assert [r.getMessage() for r in caplog.records if reason in r.getMessage()]
    assert watcher.check() is None  # refused once, not re-read every few seconds
    assert not serving.pipeline.ask(QUESTION).abstained


def test_a_good_build_after_a_refused_one_is_loaded(watched) -> None:
    index_dir, serving, watcher = watched
    original = (index_dir / CURRENT).resolve()
    point_current_at(
        index_dir,
        damaged_copy(
            index_dir, "build-bad", lambda b: (b / "programme-2" / "dense.faiss").unlink()
        ),
    )
    assert watcher.check() == REFUSED

    def republish(build: Path) -> None:  # the same files, published again later: a valid build
        manifest = json.loads((build / "manifest.json").read_text("utf-8"))
        manifest["built_at"] = "2030-01-01T00:00:00Z"
        (build / "manifest.json").write_text(json.dumps(manifest), "utf-8")

    point_current_at(index_dir, damaged_copy(index_dir, "build-good", republish, original))
    assert watcher.check() == LOADED and serving.swaps == 1
    assert serving.pipeline.index.manifest["built_at"] == "2030-01-01T00:00:00Z"
