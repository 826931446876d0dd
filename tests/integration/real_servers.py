"""Real Redis and PostgreSQL servers for tests: each on a free loopback port, in a temporary
directory, stopped (and its directory removed) when the test is done. Never a fake in their place.

The binaries come from Debian's packages, installed by `make test` (tools/install-test-servers).
Nothing here depends on pytest, so a load script can start the same servers.

PostgreSQL's initdb refuses to run as root (CI runs as root): as root, the cluster is created and
run by an unprivileged account (`postgres`, which Debian's package creates, else `nobody`), in a
directory of its own under the system temporary folder, which that account can reach.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

START_TIMEOUT_S = 30
INSTALL_HINT = "run `make servers` (tools/install-test-servers) to install it"


class ServerUnavailable(RuntimeError):
    """A binary is missing or a server did not start; the message says which and how to fix it."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_port(port: int, alive: Callable[[], bool], what: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if not alive():
            raise ServerUnavailable(f"{what} exited while starting:\n{_tail(log)}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    raise ServerUnavailable(
        f"{what} not listening on {port} after {START_TIMEOUT_S}s:\n{_tail(log)}"
    )


def _tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# ---------------------------------------------------------------------------- Redis


class RedisServer:
    """`redis-server` on 127.0.0.1:<port>. With `persist`, data survives stop()/start() (AOF),
    as a production Redis restarted mid-run would keep its streams."""

    def __init__(self, directory: Path, port: int | None = None, persist: bool = True) -> None:
        self.binary = shutil.which("redis-server")
        if not self.binary:
            raise ServerUnavailable(f"redis-server is not installed: {INSTALL_HINT}")
        self.directory = directory
        self.port = port or free_port()
        self.persist = persist
        self.log = directory / "redis.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> RedisServer:
        self.directory.mkdir(parents=True, exist_ok=True)
        options = {
            "bind": "127.0.0.1",
            "port": str(self.port),
            "protected-mode": "yes",
            "dir": str(self.directory),
            "logfile": str(self.log),
            "daemonize": "no",
            "save": "",  # no snapshots; with persist, the append-only file keeps every write
            "appendonly": "yes" if self.persist else "no",
            "appendfsync": "always",
        }
        args = [self.binary, *(part for k, v in options.items() for part in (f"--{k}", v))]
        self._process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for_port(self.port, lambda: self.running, "redis-server", self.log)
        return self

    def stop(self) -> None:
        """Graceful: SIGTERM, as a supervisor stops it."""
        if self._process is None:
            return
        self.resume()  # a paused server would not hear SIGTERM
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
        self._process = None

    def kill(self) -> None:
        """SIGKILL: a crash."""
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=5)
            self._process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def pause(self) -> None:
        """SIGSTOP: hung, not down (the kernel still accepts connections; nothing answers)."""
        if self._process is not None:
            self._process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self._process is not None:
            self._process.send_signal(signal.SIGCONT)


@contextlib.contextmanager
def running_redis(directory: Path, persist: bool = True) -> Iterator[RedisServer]:
    server = RedisServer(directory, persist=persist).start()
    try:
        yield server
    finally:
        server.stop()


# ---------------------------------------------------------------------------- PostgreSQL


def postgres_bin_dir() -> Path:
    """Where initdb/pg_ctl live: on PATH, or Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if not candidates:
        raise ServerUnavailable(f"PostgreSQL (initdb) is not installed: {INSTALL_HINT}")
    return Path(candidates[-1]).parent


def _unprivileged_account() -> pwd.struct_passwd | None:
    """None when we are not root (run as ourselves); else an account initdb accepts."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise ServerUnavailable("running as root and no 'postgres' or 'nobody' account exists")


class PostgresServer:
    """A throw-away PostgreSQL cluster (initdb, then pg_ctl) on 127.0.0.1:<port>, TCP only,
    trust authentication for the `bot` role; `url` names the `programme_bot` database."""

    USER = "bot"
    DATABASE = "programme_bot"

    def __init__(self, port: int | None = None) -> None:
        self.bin = postgres_bin_dir()
        self.port = port or free_port()
        self.account = _unprivileged_account()
        # Not under pytest's tmp_path: that is private to root, and the server runs as another user.
        self.root = Path(tempfile.mkdtemp(prefix="programme-bot-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        if self.account:
            os.chown(self.root, self.account.pw_uid, self.account.pw_gid)
        self._initialised = False
        self._created = False

    @property
    def url(self) -> str:
        return f"postgresql://{self.USER}@127.0.0.1:{self.port}/{self.DATABASE}"

    def _run(self, *args: str, timeout: float = 60) -> None:
        kwargs: dict = {}
        if self.account:
            kwargs = {"user": self.account.pw_uid, "group": self.account.pw_gid, "extra_groups": []}
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LC_ALL": "C",
            "LANG": "C",
            "HOME": str(self.root),
        }
        result = subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            env=env,
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
            **kwargs,
        )
        if result.returncode != 0:
            raise ServerUnavailable(
                f"{args[0]} failed ({result.returncode}): "
                f"{(result.stderr or result.stdout).strip()}\n{_tail(self.log)}"
            )

    def start(self) -> PostgresServer:
        if not self._initialised:
            self._run(
                "initdb",
                "-D",
                str(self.data),
                "-U",
                self.USER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            )
            self._initialised = True
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories='' "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl",
            "start",
            "-w",
            "-t",
            str(START_TIMEOUT_S),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
        )
        if not self._created:
            self._create_database()
            self._created = True
        return self

    def _create_database(self) -> None:
        self.new_database(self.DATABASE)

    def new_database(self, name: str) -> str:
        """An empty database (name: letters, digits, _) on this server; returns its URL."""
        import psycopg

        if not name.replace("_", "").isalnum():
            raise ValueError(f"not a plain database name: {name!r}")
        admin = f"postgresql://{self.USER}@127.0.0.1:{self.port}/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"postgresql://{self.USER}@127.0.0.1:{self.port}/{name}"

    def stop(self, mode: str = "fast") -> None:
        self.resume()  # a paused cluster would not hear pg_ctl
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-w", "-m", mode, "-D", str(self.data))

    def restart(self) -> None:
        self.stop()
        self.start()

    def _processes(self) -> list[int]:
        """The postmaster and its children (backends, checkpointer, …)."""
        try:
            postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return []
        pids = [postmaster]
        for stat in glob.glob("/proc/[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == postmaster:
                    pids.append(int(Path(stat).parent.name))
        return pids

    def pause(self) -> None:
        """SIGSTOP to every process of the cluster: hung, not down."""
        for pid in self._processes():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        for pid in self._processes():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        yield server.start()
    finally:
        server.remove()
