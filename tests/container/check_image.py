"""`make image-check`: run the built image as a service and check it really serves.

The container runs as its non-root user with a read-only root filesystem, on the host network
so that both it and the Slack Web API stand-in (tests/integration/slack) stay on loopback.
Checked: the user is not root, torch and sentence-transformers are absent, /healthz answers
200, the Chinese programme map is drawn, and a signed app_mention is answered in its thread.
Prints the figures; exits 1 on any failure.

    python tests/container/check_image.py [IMAGE]
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "tests" / "slack"))

import slack_payloads as payloads  # noqa: E402
from slack_stand_in import StandIn  # noqa: E402

from bot.ops.bench import wait_healthy  # noqa: E402

READY_TIMEOUT_S = 60
QUESTION = "Which resolutions cover Western Sahara?"
PNG_WIDTH = "print(int.from_bytes(open('/tmp/m.png', 'rb').read()[16:20], 'big'))"


def docker(*args: str, check: bool = True) -> str:
    done = subprocess.run(["docker", *args], capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise SystemExit(f"docker {' '.join(args[:2])} failed: {done.stderr.strip()}")
    return done.stdout.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def running(container: str) -> bool:
    return docker("inspect", "-f", "{{.State.Running}}", container, check=False) == "true"


def main(image: str) -> int:
    size_mb = int(docker("image", "inspect", "-f", "{{.Size}}", image)) / 1e6
    print(f"image {image}: {size_mb:.0f} MB")
    stand_in = StandIn().start()
    port = free_port()
    name = f"programme-bot-check-{uuid.uuid4().hex[:8]}"
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    docker(
        "run", "--detach", "--name", name, "--network", "host", "--read-only",
        "--tmpfs", "/tmp", "--env", f"SLACK_BOT_TOKEN={payloads.BOT_TOKEN}",
        "--env", f"SLACK_SIGNING_SECRET={payloads.SIGNING_SECRET}",
        "--env", f"SLACK_API_URL={stand_in.api_url}",
        image, "programme-bot", "serve", "--http", "--host", "127.0.0.1", "--port", str(port),
    )  # fmt: skip
    try:
        ready = wait_healthy(url, lambda: running(name), started, READY_TIMEOUT_S)
        if ready is None:
            logs = docker("logs", name, check=False)
            raise SystemExit(f"/healthz not 200 within {READY_TIMEOUT_S} s:\n{logs}")
        print(f"/healthz 200 {ready:.2f} s after docker run")
        uid = docker("exec", name, "id", "-u")
        assert uid != "0", "the container runs as root"
        print(f"runs as uid {uid} ({docker('exec', name, 'id', '-un')})")
        absent = docker(
            "exec", name, "python", "-c",
            "import importlib.util as u; print([m for m in ('torch', 'sentence_transformers', "
            "'transformers') if u.find_spec(m)])",
        )  # fmt: skip
        assert absent == "[]", f"the image ships {absent}"
        print("torch, sentence-transformers, transformers: not installed")

        t0 = time.perf_counter()
        answer = json.loads(docker("exec", name, "programme-bot", "ask", "--json", QUESTION))
        assert "58/109" in answer["answer"], answer
        print(f"a fresh `programme-bot ask` in the container: {time.perf_counter() - t0:.2f} s")

        t0 = time.perf_counter()
        docker("exec", name, "programme-bot", "map", "--lang", "zh", "--out", "/tmp/m.png")
        size = docker("exec", name, "python", "-c", PNG_WIDTH)
        assert int(size) >= 1200, size
        print(
            f"the Chinese map drawn in the container in {time.perf_counter() - t0:.2f} s, {size} px"
        )

        event = payloads.mention("CIMAGE0001", QUESTION)
        t0 = time.perf_counter()
        reply = payloads.send_event(url + "/slack/events", payloads.event_body(event))
        assert reply.status == 200, f"event not acked: {reply.status} {reply.body}"
        posted = stand_in.wait_for(
            "chat.postMessage", lambda c: c.get("thread_ts") == event["ts"], timeout=30
        )
        text = json.dumps(posted[0].params, ensure_ascii=False)
        assert "58/109" in text, f"unexpected answer: {text[:500]}"
        print(f"signed app_mention answered in its thread in {time.perf_counter() - t0:.2f} s")
        stats = docker("stats", "--no-stream", "--format", "{{.MemUsage}}", name)
        print(f"container memory after answering: {stats}")
        print("image-check: OK")
        return 0
    finally:
        docker("stop", "--time", "10", name, check=False)
        logs = docker("logs", name, check=False)
        docker("rm", "--force", name, check=False)
        stand_in.stop()
        if "Traceback" in logs:
            print(f"container log has a traceback:\n{logs}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "programme-bot:local"))
