"""`programme-bot ARGS` run in the test's own process: its exit code and what it printed, as a
CompletedProcess. A subprocess costs a second of start-up each; the CLI tests keep one real
`python -m bot` run apiece for the entry point itself."""

from __future__ import annotations

import io
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout

import pytest

from bot.cli import main
from bot.settings import REPO_ROOT


def run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch, redirect_stdout(out), redirect_stderr(err):
        patch.setattr(sys, "stdin", io.StringIO(stdin))
        patch.chdir(REPO_ROOT)
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's usage errors and --help
            code = exc.code if isinstance(exc.code, int) else 1
    done = ["programme-bot", *args]
    return subprocess.CompletedProcess(done, code, out.getvalue(), err.getvalue())


def run_process(
    *args: str, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The real entry point, as a person runs it (the eval tier's CLI tests too)."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=REPO_ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
