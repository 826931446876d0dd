"""The programme map in words: the counts on its cards, and its alt text (Slack reads at most
1000 characters), as detailed as fits."""

from __future__ import annotations

from bot.records.model import CHARTER, GENERAL_ASSEMBLY, SECURITY_COUNCIL
from bot.records.outline import BODIES, Name, Outline, SubprogrammeOutline

_BODY_SHORT = {
    "en": {CHARTER: "Charter", GENERAL_ASSEMBLY: "GA", SECURITY_COUNCIL: "SC"},
    "zh": {CHARTER: "宪章", GENERAL_ASSEMBLY: "大会", SECURITY_COUNCIL: "安理会"},
}


def count_words(sp: SubprogrammeOutline, lang: str) -> tuple[str, str]:
    """('3 indicators', 'Mandates: 1 Charter · 3 GA · 2 SC'); in Chinese
    ('3项绩效指标', '授权文书：宪章1、大会3、安理会2')."""
    short = _BODY_SHORT[lang]
    counts = sp.mandate_counts()
    n = sp.indicator_count
    if lang == "zh":
        return f"{n}项绩效指标", "授权文书：" + "、".join(
            f"{short[b]}{c}" for b, c in counts.items()
        )
    bodies = " · ".join(f"{c} {short[b]}" for b, c in counts.items())
    return f"{n} indicator{'s' if n != 1 else ''}", f"Mandates: {bodies}"


# ---------------------------------------------------------------------------- alt text

ALT_TEXT_LIMIT = 1000  # characters: Slack's limit for an image's alt text


def _listed(names: list[str], lang: str) -> str:
    if lang == "zh":
        return "、".join(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _name(name: Name, lang: str, detail: int) -> str:
    """Full name (with its acronym) in detail; the acronym alone, where there is one, if not."""
    return name.label(lang) if detail >= 2 or lang == "zh" or not name.acronym else name.acronym


def _with(name: str, inner: tuple[Name, ...], lang: str, lead: tuple[str, str] = ("", "")) -> str:
    """'Regional divisions (Africa I Division, …)' / '各区域司（非洲一司、…）'."""
    if not inner:
        return name
    listed = _listed([n.label(lang) for n in inner], lang)
    return f"{name}（{lead[0]}{listed}）" if lang == "zh" else f"{name} ({lead[1]}{listed})"


def _who_words(sp: SubprogrammeOutline, lang: str, detail: int) -> str:
    """'carried by X (a, b), assisted by Y; serves Z (in particular …)'."""
    zh = lang == "zh"
    parts = []
    for unit in sp.units:
        name = _with(_name(unit.name, lang, detail), unit.members if detail >= 2 else (), lang)
        if zh:
            parts.append(f"{'协助' if unit.assists else '负责'}：{name}")
        else:
            parts.append(f"{'assisted' if unit.assists else 'carried'} by {name}")
    served = []
    for s in sp.serves:
        named = s.in_particular if detail >= 2 else ()
        served.append(_with(_name(s.name, lang, detail), named, lang, ("特别是", "in particular ")))
    if served:
        parts.append(("服务：" if zh else "serving ") + _listed(served, lang))
    return ("；" if zh else ", ").join(parts)


def _whole_words(outline: Outline, lang: str, detail: int) -> str:
    zh = lang == "zh"
    department = _name(outline.department, lang, 2)
    n = len(outline.subprogrammes)
    items = [
        f"方案2：政治事务结构图。{department}下设{n}个次级方案。"
        if zh
        else f"Map of Programme 2: Political affairs. The {department} runs {n} subprogrammes."
    ]
    for sp in outline.subprogrammes:
        indicators, mandates = count_words(sp, lang)
        if zh:
            who = f"{_who_words(sp, lang, detail)}；" if detail else ""
            items.append(f"{sp.name(lang)}：{who}{indicators}；{mandates}。")
        else:
            who = f", {_who_words(sp, lang, detail)}" if detail else ""
            mandates = mandates[0].lower() + mandates[1:].replace(" · ", ", ")
            items.append(f"{sp.name(lang)}{who}; {indicators}; {mandates}.")
    return ("" if zh else " ").join(items)


def _detail_words(outline: Outline, sp: SubprogrammeOutline, lang: str, detail: int) -> str:
    zh = lang == "zh"
    stop, colon, semi = ("。", "：", "；") if zh else (".", ": ", "; ")
    who = _who_words(sp, lang, 2)
    out = [
        f"{sp.name(lang)}结构图（{_name(outline.department, lang, 2)}）。{who}。"
        if zh
        else f"Map of {sp.name(lang)}, in the {_name(outline.department, lang, 2)}: {who}."
    ]
    if detail >= 1:
        out.append(("目标" if zh else "Objective") + colon + sp.objective.get(lang).rstrip("。."))
        out[-1] += stop
    indicators, mandates = count_words(sp, lang)
    if detail >= 2:
        listed = [i.get(lang) for a in sp.accomplishments for i in a.indicators]
        indicators += colon + semi.join(listed)
    out.append(indicators + stop)
    groups = []
    for body in BODIES:
        symbols = [
            m.title.zh if zh and body == CHARTER else m.symbol
            for m in sp.mandates
            if m.body == body
        ]
        if symbols:
            head = "" if body == CHARTER else _BODY_SHORT[lang][body] + " "
            groups.append(head + ", ".join(symbols))
    out.append(("授权文书" if zh else "Mandates") + colon + semi.join(groups) + stop)
    return ("" if zh else " ").join(out)


def describe(outline: Outline, lang: str, subprogramme: int | None = None) -> str:
    """The map in words, for its alt text: as much detail as fits ALT_TEXT_LIMIT characters."""
    for detail in (2, 1, 0):
        if subprogramme is None:
            text = _whole_words(outline, lang, detail)
        else:
            text = _detail_words(outline, outline.subprogramme(subprogramme), lang, detail)
        if len(text) <= ALT_TEXT_LIMIT:
            return text
    return text[: ALT_TEXT_LIMIT - 1] + "…"
