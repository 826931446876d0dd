"""The one language detector, for every surface: which of the registry's languages a text is
in (bot/languages/registry.py: the six official languages of the United Nations).

A trained detector decides (py3langid: langid.py's model, restricted to the registry's
languages), not a ratio of characters. Resolution symbols are taken out first ("A/RES/58/109 ?"
says nothing of a language); a text with no words left is in the default language (English).
The answer is in the asker's language when the bot writes it; other questions are answered in
English, with a line in their own language saying so (registry.in_english).

The detector's model ships xz-compressed for 97 languages (0.8 s to open); the registry's
languages' part of it is kept in the cache folder after the first use (0.8 MB, 0.1 s to open).
"""

from __future__ import annotations

import hashlib
import logging
import lzma
import os
import pickle
import re
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from bot.languages import registry
from bot.languages.symbols import find_symbols
from bot.settings import get_settings

_LETTER = re.compile(r"[^\W\d_]")
MODEL_ENV = "PROGRAMME_BOT_LANGID_MODEL"
SURE = 0.8  # below this, a language the bot does not write gives way to one it does
_lock = threading.Lock()
log = logging.getLogger(__name__)


@lru_cache(maxsize=4)  # one question is detected when read and again when respelt
def detect(text: str) -> str:
    """One of the registry's languages; the default (English) when the text has no words."""
    for m in reversed(find_symbols(text)):
        text = text[: m.start] + " " + text[m.end :]
    if not _LETTER.search(text):
        return registry.default()
    ranked = _identifier().rank(text)
    language, confidence = ranked[0]
    if confidence < SURE:
        # Unsure: weighed by who asks, so a terse English question is not taken for Spanish.
        ranked = sorted(ranked, key=lambda lc: -lc[1] * registry.unsure_odds(lc[0]))
        language = ranked[0][0]
    answered = registry.answered()
    if language not in answered and confidence < SURE:
        # "Sahara occidental": a short text the detector is unsure of is taken in the likeliest
        # language the bot writes, rather than answered in English "for" a Spanish speaker.
        return next(lang for lang, _ in ranked if lang in answered)
    return language


def _columns() -> tuple[str, ...]:
    """The languages in the detector's model, in the UN's order (alphabetical by their English
    names: Arabic, Chinese, English, …): a text that says nothing of its language ranks them
    all alike, and goes to the first of them the bot writes."""
    return tuple(sorted(registry.understood(), key=lambda code: registry.get(code).name))


def warm() -> None:
    """Load the detector now (a server at start-up; the first question need not wait)."""
    _identifier()


@lru_cache(maxsize=1)
def _identifier():
    # Heavy (the detector's model): loaded on first use or by warm(), never at import.
    from py3langid.langid import LanguageIdentifier

    with _lock:
        ptc, pc, nextmove, row, output = _six_languages()
    import numpy as np

    return LanguageIdentifier(
        np.asarray(ptc),
        np.asarray(pc),
        list(_columns()),
        nextmove,
        output,
        tk_row=row,
        norm_probs=True,
    )


def _source() -> Path:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return Path(MODEL_DIR) / MODEL_FILE


def _six_languages() -> tuple:
    """The model restricted to the registry's languages (0.8 MB xz): a packaged copy (the image sets
    PROGRAMME_BOT_LANGID_MODEL and drops py3langid's 97-language file), the cache, or made."""
    explicit = os.environ.get(MODEL_ENV)
    source = _source()
    cached = None
    if source.exists():
        key = hashlib.sha256(f"{source.stat().st_size}:{_columns()}".encode()).hexdigest()
        cached = _cache_dir() / f"langid-{key[:12]}.pickle.xz"
    places = [Path(explicit)] if explicit else []
    places += [cached] if cached else []
    for path in places:
        if path.exists():
            try:
                with lzma.open(path, "rb") as f:
                    return pickle.load(f)  # noqa: S301 - our own file, made from py3langid's
            except (OSError, lzma.LZMAError, pickle.UnpicklingError, EOFError, ValueError):
                log.warning("language model %s is unreadable; making it again", path)
    model = _reduce(source)
    if cached is not None:
        try:
            save(cached, model)
        except OSError as exc:  # a read-only or full cache folder: detect without the cache
            log.info("language model not cached (%s)", exc)
    return model


def _reduce(source: Path) -> tuple:
    from py3langid.modelio import load_model

    ptc, pc, classes, nextmove, row, output = load_model(source)
    columns = [classes.index(language) for language in _columns()]
    return (ptc[:, columns].copy(), pc[columns].copy(), nextmove, row, output)


def save(path: Path, model: tuple | None = None) -> None:
    """Write the registry's languages' model (`programme-bot` images ship it instead of
    py3langid's)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    model = model or _reduce(_source())
    with (
        tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as f,
        lzma.open(f, "wb", preset=6) as out,
    ):
        pickle.dump(model, out, protocol=pickle.HIGHEST_PROTOCOL)
    os.chmod(f.name, 0o644)  # an image writes it as root; the bot reads it as itself
    os.replace(f.name, path)


def _cache_dir() -> Path:
    return get_settings().cache_dir
