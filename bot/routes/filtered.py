"""A follow-up that filters the previous list ("which of them are Security Council
resolutions?", "其中有安理会决议吗？", "only the ones from 2003"): the same list, filtered, and
counted; an empty result says what the list holds instead ("None: all 18 are General Assembly
resolutions or decisions.")."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.question.filters import ListFilter, base_list, is_decision, matches
from bot.records.labels import body_name
from bot.records.model import CHARTER, GENERAL_ASSEMBLY, SECURITY_COUNCIL, Mandate
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
    among = [m for m in base if matches(m, before)] or base
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


def _what(f: ListFilter, lang: str) -> str:
    """The criterion in words: "Security Council resolutions from 1998"."""
    if lang == "fr":
        body = {
            SECURITY_COUNCIL: "des résolutions du Conseil de sécurité",
            GENERAL_ASSEMBLY: "des résolutions ou décisions de l'Assemblée générale",
            CHARTER: "des dispositions de la Charte",
        }.get(f.body or "", "des résolutions")
        return f"{body}{_years(f, lang)}{_words(f, lang)}"
    if lang == "zh":
        body = {
            SECURITY_COUNCIL: "安全理事会决议",
            GENERAL_ASSEMBLY: "大会决议或决定",
            CHARTER: "《联合国宪章》条款",
        }.get(f.body or "", "决议")
    else:
        body = {
            SECURITY_COUNCIL: "Security Council resolutions",
            GENERAL_ASSEMBLY: "General Assembly resolutions or decisions",
            CHARTER: "Charter entries",
        }.get(f.body or "", "resolutions")
    return (
        f"{_years(f, lang)}{body}" if lang == "zh" else f"{body}{_years(f, lang)}{_words(f, lang)}"
    )


def _years(f: ListFilter, lang: str) -> str:
    if not f.years:
        return ""
    lo, hi = f.years
    if lang == "fr":
        if lo == hi:
            return f" de {lo}"
        if lo == 0:
            return f" antérieures à {hi + 1}"
        return f" de {lo} ou après" if hi == 9999 else f" de {lo} à {hi}"
    if lang == "zh":
        if lo == hi:
            return f"{lo}年的"
        if lo == 0:
            return f"{hi + 1}年以前的"
        return f"{lo}年以后的" if hi == 9999 else f"{lo}至{hi}年的"
    if lo == hi:
        return f" from {lo}"
    if lo == 0:
        return f" from before {hi + 1}"
    return f" from {lo} on" if hi == 9999 else f" from {lo} to {hi}"


def _words(f: ListFilter, lang: str) -> str:
    on = " sur " if lang == "fr" else " on "
    return f"{on}{' '.join(f.words)}" if f.words else ""


def _holds(among: list[Mandate], lang: str) -> str:
    """What a list holds, by body: "all 18 are General Assembly resolutions or decisions"."""
    counts = Counter(m.body for m in among)
    decisions = any(is_decision(m) for m in among)
    if lang == "fr":
        names = {
            GENERAL_ASSEMBLY: "des résolutions"
            + (" ou décisions" if decisions else "")
            + " de l'Assemblée générale",
            SECURITY_COUNCIL: "des résolutions du Conseil de sécurité",
            CHARTER: "des dispositions de la Charte",
        }
        if len(counts) == 1:
            return f"les {len(among)} sont toutes {names[next(iter(counts))]}"
        return ", ".join(f"{n} {names[b].removeprefix('des ')}" for b, n in counts.most_common())
    if lang == "zh":
        names = {b: body_name(b, lang) for b in (CHARTER, SECURITY_COUNCIL)}
        names[GENERAL_ASSEMBLY] = "大会决议或决定" if decisions else "大会决议"
        if len(counts) == 1:
            body = next(iter(counts))
            return f"全部{len(among)}项都是{names[body].replace('安全理事会', '安全理事会决议')}"
        return "、".join(f"{n}项{names[b]}" for b, n in counts.most_common())
    names = {
        GENERAL_ASSEMBLY: "General Assembly resolutions" + (" or decisions" if decisions else ""),
        SECURITY_COUNCIL: "Security Council resolutions",
        CHARTER: "Charter entries",
    }
    if len(counts) == 1:
        return f"all {len(among)} are {names[next(iter(counts))]}"
    return ", ".join(f"{n} {names[b]}" for b, n in counts.most_common())


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
