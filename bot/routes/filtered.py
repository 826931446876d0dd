"""A follow-up that filters the previous list ("which of them are Security Council
resolutions?", "其中有安理会决议吗？", "only the ones from 2003"): the same list, filtered, and
counted; an empty result says what the list holds instead ("None: all 18 are General Assembly
resolutions or decisions.")."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.languages.messages import messages
from bot.question.filters import ListFilter, base_list, is_decision, matches
from bot.records.model import GENERAL_ASSEMBLY, Mandate
from bot.search.found import Hit, Retrieval

if TYPE_CHECKING:
    from bot.compose.composer import Composer
    from bot.question.analysis import Analysis
    from bot.search.retriever import Retriever

KIND = "filtered"


@dataclass(frozen=True)
class FilterView:
    asked: ListFilter  # what this follow-up asks
    among: list[Mandate]  # the list it filters (the previous answer's, as filtered before)
    kept: list[Mandate]


def retrieve(a: Analysis, r: Retriever, top_k: int) -> Retrieval | None:
    asked, previous = a.list_filter, a.previous
    if asked is None or previous is None:
        return None
    base = [r.mandates[s] for s in base_list(previous) if s in r.mandates]
    filters = previous.scope.filters if previous.scope else {}
    sp = previous.scope.subprogramme if previous.scope else None
    return filtered(a, r, base, ListFilter.from_json(filters), asked, sp, top_k)


def filtered(
    a: Analysis,
    r: Retriever,
    base: list[Mandate],
    before: ListFilter,
    asked: ListFilter,
    sp: int | None,
    top_k: int,
) -> Retrieval:
    """The list `base` (as filtered `before`) filtered by what is `asked` now; also used for
    "Does subprogramme 4 have any Security Council resolutions?" asked in one question."""
    among = [m for m in base if matches(m, before.replaced_by(asked))] or base
    combined = before.and_then(asked)
    kept = [m for m in base if matches(m, combined)]
    lists = list(dict.fromkeys(pid for m in (kept or among) for pid in m.cited_in))
    lists = [pid for pid in lists if pid.endswith(".mandates")] or lists
    if sp:
        lists = [f"sp{sp}.mandates"]
    result = Retrieval(
        a.question,
        a.language,
        KIND,
        hits=[Hit(r.passages[pid], 1.0) for pid in lists[:top_k]],
        mandates=kept,
        detail=FilterView(asked, among, kept),
        focus_subprogrammes=[sp] if sp else [],
    )
    # The next turn filters the same list; an empty result leaves the filters as they were.
    result.scope_symbols = [m.symbol for m in base]
    result.scope_filters = (combined if kept else before).to_json()
    return result


def _key(body: str) -> str:
    return body.lower().replace(" ", "_")


def _what(f: ListFilter, lang: str) -> str:
    """The criterion in words: "Security Council resolutions from 1998"."""
    say = messages(lang)
    body = say(f"filtered.body.{_key(f.body)}" if f.body else "filtered.body.any")
    words = say("filtered.words", words=" ".join(f.words)) if f.words else ""
    return say("filtered.what", body=body, years=_years(f, lang), words=words)


def _years(f: ListFilter, lang: str) -> str:
    if not f.years:
        return ""
    lo, hi = f.years
    say = messages(lang)
    if lo == hi:
        return say("filtered.years.one", lo=lo)
    if lo == 0:
        return say("filtered.years.before", before=hi + 1)
    if hi == 9999:
        return say("filtered.years.since", lo=lo)
    return say("filtered.years.between", lo=lo, hi=hi)


def _holds(among: list[Mandate], lang: str) -> str:
    """What a list holds, by body: "all 18 are General Assembly resolutions or decisions"."""
    counts = Counter(m.body for m in among)
    decisions = any(is_decision(m) for m in among)
    say = messages(lang)

    def name(body: str, form: str) -> str:
        key = _key(body) + ("_decisions" if body == GENERAL_ASSEMBLY and decisions else "")
        return say(f"filtered.{form}.{key}")

    if len(counts) == 1:
        return say("filtered.holds_all", n=len(among), bodies=name(next(iter(counts)), "all"))
    return say("list.separator").join(
        say("filtered.holds_some", n=n, bodies=name(b, "some")) for b, n in counts.most_common()
    )


def values(result: Retrieval, c: Composer) -> dict[str, Any]:
    view: FilterView = result.detail
    lang = result.language
    return {
        "kept_count": len(view.kept),
        "among_count": len(view.among),
        "what": _what(view.asked, lang),
        "holds": _holds(view.among, lang),
        "whether": view.asked.whether,
        # "None: all 18 are General Assembly resolutions" says more than "none of the 18 are…".
        "one_body": bool(view.asked.body) and len({m.body for m in view.among}) == 1,
    }
