"""A programme document's manifest (corpus/<document>/programme.toml): its number, its titles by
language, the language and file of its text, its paragraph prefix, its subprogrammes, the
department that carries it, and the order the tour offers its subprogrammes in. What the text
itself says (paragraphs, units, mandates) is never typed here.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot import languages
from bot.records.model import CorpusError

MANIFEST_FILE = "programme.toml"


@dataclass(frozen=True)
class Manifest:
    id: str  # the document's folder name: "programme-2"
    number: int  # 2
    language: str  # the language of its text ("zh")
    text: str  # the file its text is in
    paragraph_prefix: str  # "2.": paragraphs 2.1, 2.2, …
    subprogrammes: tuple[int, ...]  # those the parse must find
    department: str  # who carries it, as the text names it ("政治事务部")
    titles: Mapping[str, str] = field(default_factory=dict, hash=False)  # by language
    tour_order: tuple[int, ...] = ()  # the tour's order of its subprogrammes
    # Made-up test data (tests/fixtures/): never shipped, never in the default library.
    fixture: bool = False

    def title_in(self, lang: str) -> str:
        """Its title in a language: "Political affairs"; the default language's, else the
        text's own, when it has none."""
        for code in (lang, languages.default(), self.language):
            if self.titles.get(code):
                return self.titles[code]
        return self.id

    @property
    def tour(self) -> tuple[int, ...]:
        """Its subprogrammes in the tour's order (those the order leaves out, last)."""
        order = [n for n in self.tour_order if n in self.subprogrammes]
        return (*order, *(n for n in self.subprogrammes if n not in order))


def read_manifest(folder: Path) -> Manifest:
    """The manifest of a document folder (CorpusError when it is missing or incomplete)."""
    path = folder / MANIFEST_FILE
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError as exc:
        raise CorpusError(f"no {MANIFEST_FILE} in {folder}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{path} is not valid TOML: {exc}") from exc
    try:
        return Manifest(
            id=folder.name,
            number=int(data["number"]),
            language=str(data["language"]),
            text=str(data["text"]),
            paragraph_prefix=str(data["paragraph_prefix"]),
            subprogrammes=tuple(int(n) for n in data["subprogrammes"]),
            department=str(data["department"]),
            titles={str(k): str(v) for k, v in data.get("title", {}).items()},
            tour_order=tuple(int(n) for n in data.get("tour_order", ())),
            fixture=bool(data.get("fixture", False)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CorpusError(f"{path}: missing or wrong {exc}") from exc
