"""Benchmarks that print figures: warm latency against the bare encoder, cold start, index build
time, peak memory. A benchmark, not a test: nothing here passes or fails on timing."""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.settings import get_settings


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.2f} ms"


def _questions(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["q"] for line in lines if line.strip()]


def run_bench(eval_set: Path, repeats: int = 3) -> int:
    from bot.pipeline import Pipeline

    questions = _questions(eval_set)
    print(f"benchmark: {len(questions)} questions from {eval_set}, {repeats} passes", flush=True)

    started = time.perf_counter()
    pipeline = Pipeline.load(progress=lambda m: print(f"  · {m}", file=sys.stderr))
    print(
        f"load (model {pipeline.timings['model_load']:.2f} s, index "
        f"{pipeline.timings['index_load']:.2f} s): {time.perf_counter() - started:.2f} s"
    )
    embedder = pipeline.embedder
    for q in questions:  # warm-up: first-call allocations, jieba, templates
        pipeline.ask(q)

    ask, encode, cached = [], [], []
    for _ in range(repeats):
        for q in questions:
            embedder._cache = type(embedder._cache)(1024)  # a new question: nothing cached
            t0 = time.perf_counter()
            pipeline.ask(q)
            ask.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            embedder._encode([q], embedder.query_prompt)  # the bare model call, no cache
            encode.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            pipeline.ask(q)  # the same question again: must not re-encode
            cached.append(time.perf_counter() - t0)
    p50_ask, p50_enc = statistics.median(ask), statistics.median(encode)
    print(f"warm ask        p50 {_ms(p50_ask)}  p95 {_ms(_percentile(ask, 0.95))}  (n={len(ask)})")
    print(f"encode_query    p50 {_ms(p50_enc)}  p95 {_ms(_percentile(encode, 0.95))}")
    print(f"ask / encode    p50 ratio {p50_ask / p50_enc:.2f}x  (target <= 1.3x)")
    print(f"repeated ask    p50 {_ms(statistics.median(cached))}  (cached query embedding)")

    settings = get_settings()
    with tempfile.TemporaryDirectory() as tmp:
        from bot.index import build_index

        t0 = time.perf_counter()
        build_index(Path(tmp), settings.corpus_dir, embedder)
        print(f"index build     {time.perf_counter() - t0:.2f} s (model already loaded)")

    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS        {peak_self:.0f} MiB (this process: model, index, {len(ask) * 2} asks)")

    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", questions[0]],
        capture_output=True,
        text=True,
        check=False,
    )
    cold = time.perf_counter() - t0
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    status = "ok" if done.returncode == 0 and json.loads(done.stdout)["answer"] else "FAILED"
    print(
        f"cold start      {cold:.2f} s process start to first answer ({status}); "
        f"peak RSS {peak_child:.0f} MiB"
    )
    return 0 if status == "ok" else 1
