"""The French titles of the mandates, for the Mandates block under a French answer.

The answer contract's MandateRef carries the Chinese title and the English translation only
(bot/answer.py, kept as it is), so the French translation is read from the corpus data
(corpus/mandates.fr.tsv, through bot/records/parser.py) once per process.
"""

from __future__ import annotations

from functools import cache

from bot.records.parser import load_programme
from bot.settings import get_settings


@cache
def _french_titles() -> dict[str, str]:
    programme = load_programme(get_settings().corpus_dir)
    return {m.symbol: m.translations["fr"] for m in programme.mandates if m.translation("fr")}


def french_title(symbol: str) -> str | None:
    """The unofficial French title of a mandate by its display symbol ("1373 (2001)")."""
    return _french_titles().get(symbol)
