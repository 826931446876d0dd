"""Human labels for records in English and Chinese: references, sections, kinds."""

from __future__ import annotations

from bot.corpus import ACCOMPLISHMENT, MANDATE_LIST, OBJECTIVE, PARAGRAPH, Passage, Programme
from bot.glossary import Glossary

_KIND = {
    "en": {
        PARAGRAPH: "strategy",
        OBJECTIVE: "objective of the Organization",
        ACCOMPLISHMENT: "expected accomplishment and indicators of achievement",
        MANDATE_LIST: "legislative mandates (resolutions)",
    },
    "zh": {
        PARAGRAPH: "战略",
        OBJECTIVE: "本组织的目标",
        ACCOMPLISHMENT: "秘书处的预期成果和绩效指标",
        MANDATE_LIST: "授权文书（决议）",
    },
}


def kind_label(p: Passage, lang: str) -> str:
    if p.kind == PARAGRAPH and p.subprogramme is None:
        return "overall orientation" if lang == "en" else "总方向"
    return _KIND[lang][p.kind]


def subprogramme_name(sp: int | None, programme: Programme, glossary: Glossary, lang: str) -> str:
    if sp is None:
        return "Programme 2: Political affairs" if lang == "en" else "方案2：政治事务"
    zh = programme.subprogrammes[sp].title
    if lang == "zh":
        return f"次级方案{sp}：{zh}"
    return f"Subprogramme {sp}: {glossary.english(zh) or zh}"


def reference(p: Passage, lang: str) -> str:
    """'para. 2.4', 'Subprogramme 3, expected accomplishment (b)', '第2.4段', …"""
    en = lang == "en"
    if p.kind == PARAGRAPH:
        return f"para. {p.id}" if en else f"第{p.id}段"
    sp = p.subprogramme
    if p.kind == OBJECTIVE:
        return f"Subprogramme {sp}, objective" if en else f"次级方案{sp}，目标"
    if p.kind == ACCOMPLISHMENT:
        label = f" {p.label}" if p.label else ""
        return (
            f"Subprogramme {sp}, expected accomplishment{label}"
            if en
            else f"次级方案{sp}，预期成果{label}"
        )
    return f"Subprogramme {sp}, legislative mandates" if en else f"次级方案{sp}，授权文书"


def section(p: Passage, programme: Programme, glossary: Glossary, lang: str) -> str:
    if p.subprogramme is None:
        return "Overall orientation" if lang == "en" else "总方向"
    return subprogramme_name(p.subprogramme, programme, glossary, lang)


BODY_ZH = {
    "General Assembly": "大会",
    "Security Council": "安全理事会",
    "Charter": "《联合国宪章》",
}
