"""The language of a question, among the six official languages of the United Nations.

A trained detector decides (py3langid: langid.py's model, restricted to Arabic, Chinese,
English, French, Russian and Spanish), not a ratio of characters. Resolution symbols are taken
out first ("A/RES/58/109 ?" says nothing of a language); a question with no words left is
English. The answer is in the asker's language when the bot writes it (English, Chinese,
French); Arabic, Russian and Spanish questions are answered in English, with a line in their
own language saying so.

The detector's model ships xz-compressed (0.8 s to open); the six languages' part of it is kept
in the cache folder after the first use (0.06 s).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from bot.symbols import find_symbols

UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
ANSWERED = ("en", "zh", "fr")  # languages the bot writes its answers in
DEFAULT = "en"
# Said in the asker's language when the answer is in English.
IN_ENGLISH = {
    "ar": "الإجابة باللغة الإنكليزية.",
    "ru": "Ответ на английском языке.",
    "es": "Respuesta en inglés.",
}
_LETTER = re.compile(r"[^\W\d_]")
_lock = threading.Lock()
log = logging.getLogger(__name__)


def detect(text: str) -> str:
    """One of UN_LANGUAGES; English when the text has no words to tell by."""
    for m in reversed(find_symbols(text)):
        text = text[: m.start] + " " + text[m.end :]
    if not _LETTER.search(text):
        return DEFAULT
    language, _ = _identifier().classify(text)
    return language


def answer_language(language: str) -> str:
    """The language the answer is written in: the asker's, or English."""
    return language if language in ANSWERED else DEFAULT


def warm() -> None:
    """Load the detector now (a server at start-up; the first question need not wait)."""
    _identifier()


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    source = Path(MODEL_DIR) / MODEL_FILE
    with _lock:
        ptc, pc, nextmove, row, output = _six_languages(source)
    import numpy as np

    return LanguageIdentifier(
        np.asarray(ptc),
        np.asarray(pc),
        list(UN_LANGUAGES),
        nextmove,
        output,
        tk_row=row,
        norm_probs=True,
    )


def _six_languages(source: Path) -> tuple:
    """The model restricted to the six languages: from the cache, or made and cached."""
    key = hashlib.sha256(f"{source}:{source.stat().st_size}:{UN_LANGUAGES}".encode()).hexdigest()
    cache = _cache_dir() / f"langid-{key[:12]}.pickle"
    if cache.exists():
        try:
            with cache.open("rb") as f:
                return pickle.load(f)  # noqa: S301 - our own file, named by the model's hash
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            log.warning("language model cache %s is unreadable; making it again", cache)
    from py3langid.modelio import load_model

    ptc, pc, classes, nextmove, row, output = load_model(source)
    columns = [classes.index(language) for language in UN_LANGUAGES]
    model = (ptc[:, columns].copy(), pc[columns].copy(), nextmove, row, output)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=cache.parent, delete=False) as f:
            pickle.dump(model, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(f.name, cache)
    except OSError as exc:  # a read-only or full cache folder: detect without the cache
        log.info("language model not cached (%s)", exc)
    return model


def _cache_dir() -> Path:
    from bot.settings import get_settings

    return get_settings().cache_dir
