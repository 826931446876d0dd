"""The programme map's figures for `make bench`: how long drawing takes, cold and warm, and what
it draws. Printed against the target (1 s warm), never asserted (a benchmark, not a test).

- cold, fresh process: `programme-bot map --out …png`, from spawn to exit (Python, imports, the
  corpus parsed, the outline read, dot run twice: SVG for the size, then the PNG);
- cold, in this process: the outline read, then the first drawing (the first dot run loads its
  plugins and fontconfig's cache);
- warm: each view drawn again (nothing is cached between drawings; Slack keeps PNGs per process,
  so a repeated request there costs nothing).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bot.onboarding.map.draw import MapError, MapRequest, draw, png_size
from bot.records.library import Library
from bot.settings import REPO_ROOT, get_settings

MAP_WARM_S = 1.0
COLD_RUNS = 3


def _draw_seconds(outline, request, fmt: str = "png") -> tuple[float, bytes]:
    started = time.perf_counter()
    data = draw(outline, request, fmt)
    return time.perf_counter() - started, data


def _fresh_process() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bot", "map", "--out", str(Path(tmp) / "map.png")],
            cwd=REPO_ROOT,
            check=True,
            capture_output=True,
        )
        return time.perf_counter() - started


def map_figures(repeats: int = 5) -> list[str]:
    lines = []
    started = time.perf_counter()
    outline = Library.load(get_settings().corpus_dir).first.outline
    loaded = time.perf_counter() - started
    try:
        first, _ = _draw_seconds(outline, MapRequest("en"))
    except MapError as exc:
        return [f"map draw        unavailable: {exc}"]
    fresh = statistics.median(_fresh_process() for _ in range(COLD_RUNS))
    lines.append(
        f"map cold        {fresh:.2f} s fresh `programme-bot map` process (median of "
        f"{COLD_RUNS}); in this process: outline {loaded * 1000:.0f} ms, first PNG "
        f"{first * 1000:.0f} ms"
    )
    views = [MapRequest("en"), MapRequest("zh"), MapRequest("en", None, 3)]
    views += [MapRequest("en", n) for n in range(1, 7)] + [MapRequest("zh", 3)]
    png, svg = [], []
    for _ in range(repeats):
        for view in views:
            png.append(_draw_seconds(outline, view)[0])
            svg.append(_draw_seconds(outline, view, "svg")[0])
    p50, worst = statistics.median(png), max(png)
    verdict = "met" if worst <= MAP_WARM_S else "MISSED"
    lines.append(
        f"map warm PNG    p50 {p50 * 1000:.0f} ms  max {worst * 1000:.0f} ms over {len(views)} "
        f"views x {repeats} (target <= {MAP_WARM_S:.0f} s: {verdict}); SVG p50 "
        f"{statistics.median(svg) * 1000:.0f} ms"
    )
    for name, view in (("whole", MapRequest("en")), ("sp1 detail", MapRequest("en", 1))):
        _, data = _draw_seconds(outline, view)
        width, height = png_size(data)
        lines.append(f"map PNG {name:<11} {width}x{height} px, {len(data) / 1024:.0f} KB")
    return lines


def print_map_figures() -> None:
    for line in map_figures():
        print(line, flush=True)
