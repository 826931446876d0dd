"""Hot index reload in a real server under load: `programme-bot index --force` from another
process is picked up without a restart, a corrupt build swapped in after it is refused, and every
question sent meanwhile is acked and answered exactly once, never with an apology."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from slack_payloads import event_body, mention, send_event, uid
from slack_server import REPO_ROOT, Server, running_server
from slack_stand_in import StandIn

from bot.search.index import CURRENT

pytestmark = pytest.mark.slow

QUESTION = "What is resolution 1373 (2001) about?"
SEND_EVERY_S = 0.25
MAX_EVENTS = 600  # bounds the load whatever happens: 150 s at SEND_EVERY_S


class SteadyQuestions(threading.Thread):
    """Signed mentions at a steady pace, each in a channel of its own, until stopped."""

    def __init__(self, server: Server) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.sent: list[tuple[str, str]] = []  # (channel, ts)
        self.statuses: list[int] = []
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set() and len(self.sent) < MAX_EVENTS:
            event = mention(uid("C"), QUESTION)
            self.statuses.append(send_event(self.server.events, event_body(event)).status)
            self.sent.append((event["channel"], event["ts"]))
            self._halt.wait(SEND_EVERY_S)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=30)


def reloads(server: Server, outcome: str) -> float:
    with urllib.request.urlopen(server.metrics_url, timeout=10) as response:
        text = response.read().decode("utf-8")
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "programme_bot_index_reloads_total" and sample.labels == {
                "outcome": outcome
            }:
                return sample.value
    return 0.0


def wait_for_reloads(server: Server, outcome: str, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while reloads(server, outcome) < count:
        assert time.monotonic() < deadline, f"no {outcome} reload:\n{server.log.read_text()}"
        time.sleep(0.2)


def swap_in_corrupt_copy(index_dir: Path) -> str:
    corrupt = index_dir / "build-corrupt"
    shutil.copytree((index_dir / CURRENT).resolve(), corrupt)
    faiss_file = corrupt / "programme-2" / "dense.faiss"
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])
    link = index_dir / ".current-test"
    link.symlink_to(corrupt.name)
    os.replace(link, index_dir / CURRENT)
    return corrupt.name


def test_rebuilt_index_is_served_without_restart_and_corrupt_one_refused(
    stand_in: StandIn, tmp_path: Path, index_copy: Path
) -> None:
    index_dir = index_copy
    env = {"PROGRAMME_BOT_INDEX_DIR": str(index_dir), "PROGRAMME_BOT_INDEX_RELOAD_S": "1"}
    with running_server(stand_in, tmp_path, **env) as server:
        load = SteadyQuestions(server)
        load.start()
        try:
            rebuilt = subprocess.run(
                [sys.executable, "-m", "bot", "index", "--force"],
                cwd=REPO_ROOT,
                env=os.environ | env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            assert rebuilt.returncode == 0, rebuilt.stderr
            new_build = os.readlink(index_dir / CURRENT)
            wait_for_reloads(server, "loaded", 1)

            corrupt = swap_in_corrupt_copy(index_dir)
            wait_for_reloads(server, "refused", 1)
            time.sleep(3)  # questions keep coming to the server holding the refused build
        finally:
            load.stop()

        assert len(load.sent) >= 20 and set(load.statuses) == {200}
        for channel, ts in load.sent:
            posts = stand_in.wait_for(
                "chat.postMessage",
                lambda c, ch=channel, t=ts: c.get("channel") == ch and c.get("thread_ts") == t,
                timeout=60,
            )
            text = posts[0].get("text") or ""
            assert "1373" in text and "Sorry" not in text, text
        time.sleep(1)  # anything posted twice would have landed by now
        channels = {channel for channel, _ in load.sent}
        posted = stand_in.find("chat.postMessage", lambda c: c.get("channel") in channels)
        assert len(posted) == len(load.sent)
        assert reloads(server, "loaded") == 1 and reloads(server, "refused") == 1

    log = server.log.read_text("utf-8")
    assert f"now serving index {new_build}" in log
    assert f"index {corrupt} refused" in log and "dense.faiss" in log
    assert "Traceback" not in log
