"""Human labels for records in English and Chinese: references, sections, kinds."""

from __future__ import annotations

from bot.records.glossary import Glossary
from bot.records.model import ACCOMPLISHMENT, MANDATE_LIST, OBJECTIVE, PARAGRAPH, Passage, Programme

_KIND = {
    "en": {
        PARAGRAPH: "strategy",
        OBJECTIVE: "objective of the Organization",
        ACCOMPLISHMENT: "expected accomplishment and indicators of achievement",
        MANDATE_LIST: "legislative mandates (resolutions)",
    },
    "fr": {
        PARAGRAPH: "stratégie",
        OBJECTIVE: "objectif de l'Organisation",
        ACCOMPLISHMENT: "réalisation escomptée et indicateurs de succès",
        MANDATE_LIST: "textes portant autorisation (résolutions)",
    },
    "zh": {
        PARAGRAPH: "战略",
        OBJECTIVE: "本组织的目标",
        ACCOMPLISHMENT: "秘书处的预期成果和绩效指标",
        MANDATE_LIST: "授权文书（决议）",
    },
}


_ORIENTATION = {"en": "overall orientation", "fr": "orientation générale", "zh": "总方向"}
_PROGRAMME = {
    "en": "Programme 2: Political affairs",
    "fr": "Programme 2 : Affaires politiques",
    "zh": "方案2：政治事务",
}


def kind_label(p: Passage, lang: str) -> str:
    if p.kind == PARAGRAPH and p.subprogramme is None:
        return _ORIENTATION[lang]
    return _KIND[lang][p.kind]


def subprogramme_name(sp: int | None, programme: Programme, glossary: Glossary, lang: str) -> str:
    if sp is None:
        return _PROGRAMME[lang]
    zh = programme.subprogrammes[sp].title
    if lang == "zh":
        return f"次级方案{sp}：{zh}"
    term = glossary.term(zh)
    if lang == "fr":
        return f"Sous-programme {sp} : {(term.names.get(lang) if term else None) or zh}"
    return f"Subprogramme {sp}: {(term.names.get(lang) if term else None) or zh}"


def reference(p: Passage, lang: str) -> str:
    """'para. 2.4', 'Subprogramme 3, expected accomplishment (b)', '第2.4段', 'par. 2.4', …"""
    if lang == "fr":
        return _reference_fr(p)
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


def _reference_fr(p: Passage) -> str:
    sp = p.subprogramme
    if p.kind == PARAGRAPH:
        return f"par. {p.id}"
    if p.kind == OBJECTIVE:
        return f"Sous-programme {sp}, objectif"
    if p.kind == ACCOMPLISHMENT:
        label = f" {p.label}" if p.label else ""
        return f"Sous-programme {sp}, réalisation escomptée{label}"
    return f"Sous-programme {sp}, textes portant autorisation"


def section(p: Passage, programme: Programme, glossary: Glossary, lang: str) -> str:
    if p.subprogramme is None:
        return _ORIENTATION[lang][:1].upper() + _ORIENTATION[lang][1:]
    return subprogramme_name(p.subprogramme, programme, glossary, lang)


BODY_ZH = {
    "General Assembly": "大会",
    "Security Council": "安全理事会",
    "Charter": "《联合国宪章》",
}
BODY_FR = {
    "General Assembly": "Assemblée générale",
    "Security Council": "Conseil de sécurité",
    "Charter": "Charte des Nations Unies",
}
