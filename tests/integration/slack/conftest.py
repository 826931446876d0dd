"""Session fixtures: one Web API stand-in and one real server process for all Slack tests
(the model loads once); both are always stopped."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_server import Server, running_server
from slack_stand_in import StandIn


@pytest.fixture(scope="session")
def stand_in() -> Iterator[StandIn]:
    server = StandIn().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def server(stand_in: StandIn, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(stand_in, tmp_path_factory.mktemp("slack-server")) as started:
        yield started
