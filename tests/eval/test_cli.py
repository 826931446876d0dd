"""The command line as users run it: separate processes, stdout for answers only."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot.settings import REPO_ROOT
from tests.unit.cli_run import run_process

pytestmark = pytest.mark.slow


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run_process(*args, stdin=stdin, timeout=300)


def test_help_lists_commands_and_examples() -> None:
    done = run("--help")
    assert done.returncode == 0
    for word in ("index", "ask", "mandates", "chat", "eval", "bench", "examples:"):
        assert word in done.stdout


def test_ask_json_writes_one_object(pipeline) -> None:
    done = run("ask", "--json", "What is resolution 1373 (2001) about?")
    assert done.returncode == 0, done.stderr
    [line] = done.stdout.splitlines()
    data = json.loads(line)
    assert data["mandates"][0]["symbol"] == "1373 (2001)"


def test_batch_keeps_order_and_reports_bad_lines(pipeline) -> None:
    questions = ["What is 58/109?", "", "第58/526号决议是什么？", "x" * 2500]
    done = run("ask", "--json", "--batch", "-", stdin="\n".join(questions) + "\n")
    lines = [json.loads(x) for x in done.stdout.splitlines()]
    assert [x["question"] for x in lines] == questions
    assert lines[0]["mandates"][0]["symbol"] == "58/109"
    assert "empty" in lines[1]["error"] and "limit" in lines[3]["error"]
    assert lines[2]["language"] == "zh"
    assert done.returncode == 1  # some lines could not be answered


def test_empty_question_is_a_usage_error() -> None:
    done = run("ask", "   ")
    assert done.returncode == 2 and "empty" in done.stderr and done.stdout == ""
    assert run("ask").returncode == 2


def test_too_long_question_is_refused_before_loading_anything() -> None:
    done = run("ask", "y" * 2001)
    assert done.returncode == 2 and "limit is 2,000" in done.stderr


def test_human_output_and_mandates_command(pipeline) -> None:
    done = run("mandates", "Western Sahara")
    assert done.returncode == 0, done.stderr
    assert "58/109" in done.stdout and "Sources:" in done.stdout


def test_chat_reads_stdin_until_quit(pipeline) -> None:
    done = run("chat", stdin="What is 58/109?\n\n:json\nWhat is 49/88?\n:quit\nnever asked\n")
    assert done.returncode == 0, done.stderr
    assert "58/109" in done.stdout
    last = done.stdout.strip().splitlines()[-1]
    assert json.loads(last)["mandates"][0]["symbol"] == "49/88"


@pytest.mark.parametrize("value", ["0", "-5", "21", "many"])
def test_top_k_outside_1_to_20_is_a_usage_error(value: str) -> None:
    done = run("ask", "--top-k", value, "What is 58/109?")
    assert done.returncode == 2 and "from 1 to 20" in done.stderr and done.stdout == ""


def test_junk_is_not_read_as_a_question(pipeline) -> None:
    junk = "\ufffd\ufffd\u0007%$#@!~^&*\ufffd"
    done = run("ask", junk)
    assert done.returncode == 2 and "could not read a question" in done.stderr
    done = run("ask", "--json", "--batch", "-", stdin=f"What is 58/109?\n{junk}\n")
    first, second = (json.loads(x) for x in done.stdout.splitlines())
    assert first["mandates"][0]["symbol"] == "58/109"
    assert "could not read a question" in second["error"] and second["question"] == junk
    assert done.returncode == 1


def test_an_index_that_cannot_be_rebuilt_where_it_is_gets_one_clear_line(tmp_path) -> None:
    blocker = tmp_path / "read-only"
    blocker.write_text("a file where the index directory should be")
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "What is 58/109?"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=300,
        check=False,
        env={**os.environ, "PROGRAMME_BOT_INDEX_DIR": str(blocker / "index")},
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    [line] = [x for x in done.stderr.splitlines() if not x.startswith("·")]
    assert "cannot be written there" in line and "PROGRAMME_BOT_INDEX_DIR" in line


JUNK = b"\xff\xfe\x80\x81 \xc3\x28 \xed\xa0\x80 %$#@!\x07\n"


def run_bytes(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """As `run`, bytes in and out, under a C locale (where Python decodes stdin with
    surrogateescape: the path that let junk through)."""
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        cwd=REPO_ROOT,
        timeout=300,
        check=False,
        env=env,
    )


def test_batch_reads_stdin_and_a_file_the_same_way_and_writes_valid_utf8(
    pipeline, tmp_path
) -> None:
    data = b"\xef\xbb\xbfWhat is 58/109?\r\n" + JUNK + "第58/526号决议是什么？\n".encode()
    questions = tmp_path / "questions.txt"
    questions.write_bytes(data)
    from_stdin = run_bytes("ask", "--json", "--batch", "-", stdin=data)
    from_file = run_bytes("ask", "--json", "--batch", str(questions))
    assert from_stdin.stdout == from_file.stdout  # same bytes in, same lines out
    lines = [json.loads(x) for x in from_stdin.stdout.decode("utf-8").splitlines()]  # strict
    assert [("error" in x) for x in lines] == [False, True, False]
    assert lines[0]["question"] == "What is 58/109?"  # no BOM, no \r
    assert "could not read a question" in lines[1]["error"]
    assert "\ufffd" in lines[1]["question"]
    assert lines[2]["language"] == "zh"
    assert from_stdin.returncode == from_file.returncode == 1


def test_an_argument_that_is_not_utf8_is_read_like_batch_input(pipeline) -> None:
    done = run_bytes("ask", "--json", os.fsdecode(JUNK.strip()))
    assert done.returncode == 2 and b"could not read a question" in done.stderr
    done = run_bytes("ask", "--json", "What is 58/109? " + os.fsdecode(b"\xff"))
    assert done.returncode == 0
    answer = json.loads(done.stdout.decode("utf-8"))  # strict: a surrogate would fail here
    assert answer["mandates"][0]["symbol"] == "58/109"
