"""Running the real server process (`python -m bot serve --http`) on loopback, talking to a
local Slack Web API stand-in; always stopped when the block ends."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from slack_payloads import BOT_TOKEN, SIGNING_SECRET
from slack_stand_in import StandIn

from bot.settings import REPO_ROOT

START_TIMEOUT_S = 600  # a fresh machine builds the model and the index first


@dataclass
class Server:
    url: str
    stand_in: StandIn
    log: Path
    state_db: Path
    feedback_db: Path
    process: subprocess.Popen[bytes]
    metrics_url: str  # PROGRAMME_BOT_METRICS_ADDR: a loopback port of its own

    @property
    def events(self) -> str:
        return self.url + "/slack/events"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def slack_env(stand_in: StandIn, tmp: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=stand_in.api_url,
        SLACK_HOOKS_URL=stand_in.hooks_url,  # its response_urls stand for hooks.slack.com
        PROGRAMME_BOT_SLACK_STATE_DB=str(tmp / "slack-state.sqlite3"),
        PROGRAMME_BOT_FEEDBACK_DB=str(tmp / "feedback.sqlite3"),
        PROGRAMME_BOT_SLACK_TIMEOUT="2",  # the stand-in answers in ms; hangs are faults
        PROGRAMME_BOT_METRICS_ADDR=f"127.0.0.1:{free_port()}",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


@contextlib.contextmanager
def running_server(stand_in: StandIn, tmp: Path, **env: str) -> Iterator[Server]:
    """`python -m bot -v serve --http` on a free loopback port until the block ends."""
    environment = slack_env(stand_in, tmp, **env)
    # Two free_port() calls can return the same port; the metrics listener would then take the
    # Slack port, answer /healthz, and refuse every POST with 405 (seen once in `make test`).
    metrics_port = environment["PROGRAMME_BOT_METRICS_ADDR"].rpartition(":")[2]
    port = free_port()
    while str(port) == metrics_port:
        port = free_port()
    log = tmp / f"server-{port}.log"
    with log.open("wb") as log_file:
        # -v: debug logging, so the "no secret in the logs" test looks at the most verbose output.
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot",
                "-v",
                "serve",
                "--http",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=REPO_ROOT,
            env=environment,
            stdout=log_file,
            stderr=log_file,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process, log)
        yield Server(
            url,
            stand_in,
            log,
            Path(environment["PROGRAMME_BOT_SLACK_STATE_DB"]),
            Path(environment["PROGRAMME_BOT_FEEDBACK_DB"]),
            process,
            f"http://{environment['PROGRAMME_BOT_METRICS_ADDR']}/metrics",
        )
    finally:
        process.send_signal(signal.SIGTERM)  # graceful: uvicorn drains, workers finish
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"server not healthy after {START_TIMEOUT_S}s:\n{log.read_text()}")
