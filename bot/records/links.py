"""Where a mandate's text can be read: one link per mandate, in the answer's language.

- A resolution whose document symbol is certain goes to the UN's document-symbol resolver,
  undocs.org: ``A/RES/58/109``, ``A/RES/1514(XV)``, ``S/RES/1373(2001)``; Chinese and French
  answers get the ``/zh/`` or ``/fr/`` prefix (``https://undocs.org/fr/A/RES/58/109``).
- Where the symbol is not certain we do not guess; we link to the UN Digital Library's search
  for it: resolutions adopted in lettered parts (``32/40 B``, ``52/12 A and B``: whether a
  part has its own document, and how its symbol is spelt, varies by session), General
  Assembly decisions (``58/511``: decisions have no ``A/RES`` document; the Assembly numbers
  them from 401 on, resolutions stay below), and anything without a session or year.
- The Charter entries link to the Charter's full text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from bot import languages
from bot.languages.symbols import GA, SC, Symbol, parse_symbol
from bot.records.model import CHARTER, Mandate

RESOLVER = "https://undocs.org/"
LIBRARY_SEARCH = "https://digitallibrary.un.org/search"
CHARTER_TEXT = "https://www.un.org/{lang}/about-us/un-charter/full-text"
FIRST_DECISION_SERIAL = 401  # GA decisions are numbered 401 and up within a session

DIRECT = "direct"  # the resolver opens the document itself
SEARCH = "search"  # a Digital Library search for the symbol
CHARTER_LINK = "charter"


def _language(language: str):
    """The registry's entry for links in `language` (the default's for one it does not know)."""
    return languages.get(language if language in languages.understood() else languages.default())


@dataclass(frozen=True)
class Link:
    url: str
    kind: str  # DIRECT | SEARCH | CHARTER_LINK
    target: str  # the document symbol opened, or what was searched for, or "Charter"


def document_symbol(symbol: Symbol) -> str | None:
    """The official document symbol when it is certain ("A/RES/58/109"), else None."""
    if symbol.parts:
        return None  # lettered parts: one document or several, spelt differently by session
    if symbol.body == GA and "/" in symbol.number:
        serial = int(symbol.number.split("/")[1])
        return None if serial >= FIRST_DECISION_SERIAL else f"A/RES/{symbol.number}"
    if symbol.body == GA and symbol.session:
        return f"A/RES/{symbol.number}({symbol.session})"  # 1514 (XV): sessions I-XXX
    if symbol.body == SC and symbol.session:
        return f"S/RES/{symbol.number}({symbol.session})"  # 1373 (2001)
    return None  # no body, or a Council resolution without its year


def _search_text(symbol: Symbol | None, display: str) -> str:
    """What to search the library for: the resolution's symbol as printed, prefix included."""
    if symbol is None:
        return display
    if symbol.body == GA and "/" in symbol.number:
        serial = int(symbol.number.split("/")[1])
        # A decision has no A/RES document: search for its number, which records cite.
        return symbol.display if serial >= FIRST_DECISION_SERIAL else f"A/RES/{symbol.display}"
    if symbol.body == SC:
        return f"S/RES/{symbol.display}"
    if symbol.body == GA:
        return f"A/RES/{symbol.display}"
    return symbol.display


@lru_cache(maxsize=1024)  # every Answer links its mandates; the corpus has 71
def link_for(symbol_text: str, body: str, language: str = "en") -> Link:
    """The link for a mandate given its display symbol and body (as in MandateRef)."""
    entry = _language(language)
    if body == CHARTER:
        # un.org's Charter page is under the same language codes as undocs.org.
        lang = entry.undocs or _language(languages.default()).library
        return Link(CHARTER_TEXT.format(lang=lang), CHARTER_LINK, "Charter")
    symbol = parse_symbol(symbol_text)
    official = document_symbol(symbol) if symbol else None
    if official:
        prefix = f"{entry.undocs}/" if entry.undocs else ""
        return Link(f"{RESOLVER}{prefix}{official}", DIRECT, official)
    text = _search_text(symbol, symbol_text)
    return Link(f"{LIBRARY_SEARCH}?ln={entry.library}&p={quote(text, safe='')}", SEARCH, text)


def mandate_link(mandate: Mandate, language: str = "en") -> Link:
    return link_for(mandate.symbol, mandate.body, language)


def mandate_url(symbol_text: str, body: str, language: str = "en") -> str:
    return link_for(symbol_text, body, language).url
