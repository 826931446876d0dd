"""A running server picks up a rebuilt index without a restart.

`programme-bot index` (from another process, or a new image's corpus) builds into a fresh
folder and swaps index/current in one step. The watcher notices the link now names another
build, loads and verifies that build off the request path, and only then swaps the pipeline the
server answers with. A build that does not verify (corrupt, stale for this server's model or
corpus) is refused with one warning, and the index already in memory keeps serving. Nothing is
read from disk while answering, so an old build being deleted under a running server is harmless.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bot.ops import metrics
from bot.pipeline import Pipeline
from bot.search.index import CURRENT, load_index

logger = logging.getLogger(__name__)

LOADED, REFUSED = "loaded", "refused"


def _build_name(index_dir: Path) -> str | None:
    try:
        return os.readlink(index_dir / CURRENT)
    except OSError:  # not a link (yet): nothing to follow
        return None


def _built_at(manifest: dict) -> float | None:
    try:
        return datetime.fromisoformat(manifest["built_at"].replace("Z", "+00:00")).timestamp()
    except (KeyError, TypeError, ValueError):
        return None


class IndexWatcher:
    """Polls index/current every `interval_s` seconds; `swap(pipeline)` installs a new one."""

    def __init__(
        self, pipeline: Pipeline, swap: Callable[[Pipeline], None], interval_s: float
    ) -> None:
        self._pipeline = pipeline
        self._swap = swap
        self._interval_s = interval_s
        self._index_dir = pipeline.settings.index_dir
        # The build in memory: what current names now, if that is what the pipeline loaded
        # (else current moved since, and the first check loads it).
        build = _build_name(self._index_dir)
        self._serving = build if build and self._is_in_memory(build) else None
        self._refused: str | None = None  # the last build refused: not retried until replaced
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="index-watcher", daemon=True)
        metrics.index_loaded(_built_at(pipeline.index.manifest), reloaded=False)

    def start(self) -> IndexWatcher:
        if self._interval_s > 0:
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.wait(self._interval_s):
            try:
                self.check()
            except Exception:  # the watcher must outlive any surprise; serving goes on
                logger.exception("index reload check failed")

    def check(self) -> str | None:
        """Look once: LOADED, REFUSED, or None when there is nothing new."""
        build = _build_name(self._index_dir)
        if build is None or build in (self._serving, self._refused):
            return None
        try:
            index = load_index(
                self._index_dir,
                self._pipeline.settings.corpus_dir,
                self._pipeline.embedder.fingerprint,
            )
        except Exception as exc:
            if _build_name(self._index_dir) != build:
                return None  # replaced again while reading: judge the newer one next time
            self._refused = build
            metrics.index_refused()
            logger.warning(
                "index %s refused, still serving %s: %s", build, self._serving or "the old one", exc
            )
            return REFUSED
        if _build_name(self._index_dir) != build:
            return None  # swapped while loading: what was read may mix builds; look again
        pipeline = self._pipeline.with_index(index)
        self._swap(pipeline)
        self._pipeline, previous, self._serving = pipeline, self._serving, build
        metrics.index_loaded(_built_at(index.manifest))
        logger.info("now serving index %s (was %s)", build, previous or "the one started with")
        return LOADED

    def _is_in_memory(self, build: str) -> bool:
        """Whether `build` is what the pipeline loaded: the same manifest (hashes, time)."""
        try:
            manifest = json.loads((self._index_dir / build / "manifest.json").read_text("utf-8"))
        except (OSError, ValueError):
            return False
        return manifest == self._pipeline.index.manifest
