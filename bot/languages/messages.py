"""The bot's words, one message catalogue per language (prompts/messages/<code>.toml).

Every word the bot writes around the programme's own text (headings, references, labels, the
Home tab, the tour, the map) is a message looked up by key; the answer templates are written
once per kind and ask the catalogue of the answer's language (bot/compose/composer.py). A
message is a str.format() pattern with named fields, "Subprogramme {sp}, objective", or, for a
word that follows a count, a table of forms by the language's plural rule ({one, other}).

Why not gettext: the same words are read by Python surfaces (Slack blocks, the tour, the map) as
well as templates, so a message is named by a key rather than by its English text (no language
is written in code), a catalogue is read by tomllib in about a millisecond with no compile step,
and a test checks that every catalogue has every key of the default language's, with the same
fields (what `msgfmt --check` would).
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from bot.languages import registry
from bot.settings import get_settings

CATALOGUES = "messages"  # the folder of catalogues in prompts/
ONE, OTHER = "one", "other"


class MissingMessage(KeyError):
    """A key that no catalogue (not even the default language's) holds."""


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"a": {"b": "x"}} → {"a.b": "x"}; a {one, other} table is one message."""
    out: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and not set(value) <= {ONE, OTHER}:
            out.update(_flatten(value, f"{name}."))
        else:
            out[name] = value
    return out


def read_catalogue(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        return _flatten(tomllib.load(f))


class Messages:
    """One language's messages, falling back to the default language's for a missing key."""

    def __init__(self, lang: str, table: dict[str, Any], fallback: Messages | None) -> None:
        self.lang = lang
        self.language = registry.get(lang)
        self._table = table
        self._fallback = fallback

    def raw(self, key: str) -> Any:
        if key in self._table:
            return self._table[key]
        if self._fallback is not None:
            return self._fallback.raw(key)
        raise MissingMessage(key)

    def __contains__(self, key: str) -> bool:
        return key in self._table or (self._fallback is not None and key in self._fallback)

    def __call__(self, key: str, /, **values: Any) -> str:
        """The message `key`, its fields filled in."""
        message = self.raw(key)
        if isinstance(message, Mapping):  # a counted word asked for without a count
            message = message[OTHER]
        return message.format(**values) if values else message

    def count(self, key: str, n: int, /, **values: Any) -> str:
        """The form of `key` for a count of `n` ({n} is filled in too)."""
        message = self.raw(key)
        if isinstance(message, Mapping):
            message = message[ONE if self.language.is_one(n) else OTHER]
        return message.format(n=n, **values)

    def join(self, items: list[str], key: str = "list") -> str:
        """Items as a list in words: "a, b and c" (the catalogue's `list.*` patterns)."""
        items = [i for i in items if i]
        if len(items) < 2:
            return "".join(items)
        head = self(f"{key}.separator").join(items[:-1])
        return self(f"{key}.last", head=head, last=items[-1])

    def keys(self) -> set[str]:
        return set(self._table)

    def section(self, prefix: str) -> Section:
        """The messages under `prefix` as a mapping: words["share"] for slack.labels.share."""
        return Section(self, prefix)


class Section(Mapping[str, Any]):
    """A catalogue's messages under one prefix, by their last key (the default language's
    where this one lacks one)."""

    def __init__(self, owner: Messages, prefix: str) -> None:
        self._owner = owner
        self._prefix = f"{prefix}."
        names = set(owner.keys())
        fallback = owner._fallback
        while fallback is not None:
            names |= fallback.keys()
            fallback = fallback._fallback
        self._names = sorted(k[len(self._prefix) :] for k in names if k.startswith(self._prefix))

    def __getitem__(self, key: str) -> Any:
        try:
            return self._owner.raw(self._prefix + key)
        except MissingMessage:
            raise KeyError(key) from None

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


@cache
def messages(lang: str, folder: Path | None = None) -> Messages:
    """The catalogue of a language (the default language's for one the bot does not write)."""
    folder = folder or get_settings().prompts_dir / CATALOGUES
    default = registry.default()
    lang = registry.answer_language(lang)
    fallback = None if lang == default else messages(default, folder)
    path = folder / f"{lang}.toml"
    table = read_catalogue(path) if path.exists() else {}
    return Messages(lang, table, fallback)


def forms(message: Any) -> list[str]:
    """Every text of a message: itself, each plural form, each string of a list of tables
    (example questions)."""
    if isinstance(message, str):
        return [message]
    if isinstance(message, Mapping):
        return [f for value in message.values() for f in forms(value)]
    return [f for item in message for f in forms(item)]


def fields(message: Any) -> set[str]:
    """The named fields a message (or each form of it) fills in."""
    return {f for form in forms(message) for _, f, _, _ in string.Formatter().parse(form) if f}
