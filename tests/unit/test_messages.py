"""The message catalogues (prompts/messages/<lang>.toml): one per answered language, each with
every key of the default language's and the same fields; the templates ask only for keys that
exist; no language's words are written in the templates."""

from __future__ import annotations

import re

import pytest

from bot import languages
from bot.languages.messages import CATALOGUES, fields, forms, messages, read_catalogue
from bot.settings import get_settings

FOLDER = get_settings().prompts_dir / CATALOGUES
DEFAULT = read_catalogue(FOLDER / f"{languages.default()}.toml")


CATALOGUES_ = {lang: read_catalogue(FOLDER / f"{lang}.toml") for lang in languages.answered()}
# The fields the code fills in, per message: those any language's message names (a language
# may leave one out: Chinese names a unit as the text does, English the Department plainly).
GIVEN = {key: set().union(*(fields(c[key]) for c in CATALOGUES_.values())) for key in DEFAULT}


@pytest.mark.parametrize("lang", languages.answered())
def test_every_answered_language_has_every_message(lang: str) -> None:
    catalogue = CATALOGUES_[lang]
    assert set(catalogue) == set(DEFAULT), set(catalogue) ^ set(DEFAULT)
    for key, message in catalogue.items():
        # Every message formats with what the code gives (no stray braces, no unknown field).
        values = dict.fromkeys(GIVEN[key] | {"n"}, "x")
        if isinstance(message, list):
            continue  # example questions: shown as written
        for form in forms(message):
            form.format(**values)


def test_the_templates_ask_only_for_messages_that_exist() -> None:
    prompts = get_settings().prompts_dir
    asked = set()
    for template in prompts.glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        asked |= set(re.findall(r"""\bn?_\(\s*"([a-z_.0-9]+)"\s*[,)]""", text))
        asked |= set(re.findall(r"""map\("say",\s*"([a-z_.0-9]+)"\)""", text))
    assert asked, "the templates read their words from the catalogue"
    assert asked - set(DEFAULT) == set()


def test_templates_hold_no_words_of_any_language() -> None:
    """Each kind's template is written once; its words are messages. What is left outside the
    tags is punctuation and layout (bullets, line breaks)."""
    prompts = get_settings().prompts_dir
    for kind in (
        "card",
        "decline",
        "duties",
        "filtered",
        "lookup",
        "mandates",
        "passages",
        "structured",
        "unheld",
    ):
        text = (prompts / f"{kind}.j2").read_text(encoding="utf-8")
        outside = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", "", text, flags=re.S)
        assert not re.search(r"[^\W\d_]{2,}", outside), (kind, outside)


def test_counted_words_follow_the_languages_plural_rule() -> None:
    en, fr = messages("en"), messages("fr")
    assert en.count("lookup.missing", 1, symbols="1325 (2000)").startswith("1325 (2000) is not")
    assert en.count("lookup.missing", 2, symbols="a, b").startswith("a, b are not")
    assert "citée par le sous-programme 3" in fr.count("lookup.cited_by", 1, sps="3")
    assert "citée par les sous-programmes 1 et 4" in fr.count("lookup.cited_by", 2, sps="1 et 4")


def test_a_language_the_bot_does_not_write_reads_the_default_catalogue() -> None:
    assert messages("ru")("passages.yes") == messages(languages.default())("passages.yes")
