"""Fixtures for the listeners' unit tests (fakes: listener_fakes.py). `deps` holds real SQLite
stores in the test's own directory, so a test reads what a listener recorded from the work queue
and the state store themselves; the Web API client is a mock with the real client's signatures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from unittest.mock import Mock, create_autospec

import pytest
from listener_fakes import FakeAck, NoAnswers, Recorder
from slack_bolt import Respond, Say
from slack_sdk import WebClient

from bot.settings import Settings
from bot.surfaces.slack.listeners.tour.book import Tours
from bot.surfaces.slack.runtime.deps import Deps, Stores
from bot.surfaces.slack.transport.calls import SlackCalls


@pytest.fixture()
def deps(tmp_path: Path) -> Iterator[Deps]:
    settings = Settings(
        feedback_db=tmp_path / "feedback.sqlite3", slack_state_db=tmp_path / "state.sqlite3"
    )
    stores = Stores.open(settings)
    yield Deps(
        settings=settings,
        answerer=NoAnswers(),
        state=stores.state,
        feedback=stores.feedback,
        work=stores.work,
        calls=SlackCalls(Mock(WebClient)),
        wake_workers=Mock(),
        wake_courier=Mock(),
    )
    stores.close()


@pytest.fixture(scope="session")
def tours() -> Tours:
    return Tours.load(Settings().corpus_dir)


@pytest.fixture()
def ack() -> FakeAck:
    return FakeAck()


@pytest.fixture()
def respond() -> Recorder:
    return Recorder(Respond)


@pytest.fixture()
def say() -> Recorder:
    return Recorder(Say)


@pytest.fixture()
def client() -> Mock:
    fake = create_autospec(WebClient, instance=True)
    fake.conversations_open.return_value = {"ok": True, "channel": {"id": "D0OPENEDDM"}}
    return fake
