"""Human labels for records in any answered language: references, sections, kinds, bodies,
the programme's and its subprogrammes' names. The words are the message catalogue's
(prompts/messages/<lang>.toml); the names are the manifest's and the glossary's.
"""

from __future__ import annotations

from bot.languages.messages import messages
from bot.records.glossary import Glossary
from bot.records.model import ACCOMPLISHMENT, MANDATE_LIST, OBJECTIVE, PARAGRAPH, Passage, Programme

_KINDS = {
    PARAGRAPH: "paragraph",
    OBJECTIVE: "objective",
    ACCOMPLISHMENT: "accomplishment",
    MANDATE_LIST: "mandate_list",
}


def kind_label(p: Passage, lang: str) -> str:
    if p.kind == PARAGRAPH and p.subprogramme is None:
        return messages(lang)("programme.orientation")
    return messages(lang)(f"kind.{_KINDS[p.kind]}")


def programme_name(programme: Programme, lang: str) -> str:
    """'Programme 2: Political affairs', '方案2：政治事务'."""
    manifest = programme.manifest
    if manifest is None:
        return ""
    return messages(lang)("programme.name", number=manifest.number, title=manifest.title_in(lang))


def subprogramme_title(sp: int, programme: Programme, glossary: Glossary, lang: str) -> str:
    """A subprogramme's title in a language: its glossary name, else as the text has it."""
    title = programme.subprogrammes[sp].title
    if lang == programme.language:
        return title
    term = glossary.term(title)
    return (term.names.get(lang) if term else None) or title


def subprogramme_name(sp: int | None, programme: Programme, glossary: Glossary, lang: str) -> str:
    """'Subprogramme 3: Security Council affairs', '次级方案3：安全理事会事务'; the programme's
    name for None (the overall orientation)."""
    if sp is None:
        return programme_name(programme, lang)
    title = subprogramme_title(sp, programme, glossary, lang)
    return messages(lang)("programme.subprogramme", sp=sp, title=title)


def reference(p: Passage, lang: str) -> str:
    """'para. 2.4', 'Subprogramme 3, expected accomplishment (b)', '第2.4段', 'par. 2.4', …"""
    say = messages(lang)
    if p.kind == PARAGRAPH:
        return say("ref.paragraph", id=p.id)
    label = f" {p.label}" if p.kind == ACCOMPLISHMENT and p.label else ""
    return say(f"ref.{_KINDS[p.kind]}", sp=p.subprogramme, label=label)


def section(p: Passage, programme: Programme, glossary: Glossary, lang: str) -> str:
    if p.subprogramme is None:
        orientation = messages(lang)("programme.orientation")
        return orientation[:1].upper() + orientation[1:]
    return subprogramme_name(p.subprogramme, programme, glossary, lang)


def body_name(body: str, lang: str) -> str:
    """A mandating body in a language: "Security Council", "Conseil de sécurité", "安全理事会"
    (as given, for one the catalogue does not know)."""
    key = f"body.{body.lower().replace(' ', '_')}"
    say = messages(lang)
    return say(key) if key in say else body
