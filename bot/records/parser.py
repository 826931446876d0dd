"""Programme text → Passage and Mandate records with stable, readable ids.

The source is PDF-extracted: hard line breaks inside sentences, blank lines, a lone page
number, headings, numbered paragraphs, a two-column table (expected accomplishments |
indicators) flattened row by row, and mandate lists. We parse that structure; nothing is
windowed, and every character of the body lands in exactly one record (tests prove it).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from bot import languages
from bot.languages.symbols import find_symbols, parse_symbol
from bot.records.manifest import Manifest, read_manifest
from bot.records.model import (
    ACCOMPLISHMENT,
    CHARTER,
    GENERAL_ASSEMBLY,
    HEADING,
    MANDATE_LIST,
    OBJECTIVE,
    PARAGRAPH,
    SECURITY_COUNCIL,
    CorpusError,
    Mandate,
    Passage,
    Programme,
    Subprogramme,
)
from bot.records.sentences import build_sentences, read_sentence_translations

LANGUAGE = "zh"  # the language of the programme texts this parser reads (its headings)
# The translation tables of a document, one per table and language: <table>.<lang>.tsv.
PASSAGES, MANDATES, SENTENCES = "passages", "mandates", "sentences"
TABLES = (MANDATES, PASSAGES, SENTENCES)


def table_file(table: str, lang: str) -> str:
    return f"{table}.{lang}.tsv"


def translated_languages(language: str = LANGUAGE) -> tuple[str, ...]:
    """The languages a document's records are translated into: every answered one but its own."""
    return tuple(lang for lang in languages.answered() if lang != language)


# ---------------------------------------------------------------- line handling

_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")


def _paragraph_start(prefix: str) -> re.Pattern[str]:
    """The start of a numbered paragraph: "2.8 " for the prefix "2."."""
    return re.compile(rf"^\s*({re.escape(prefix)}\d{{1,2}})\s")


_SUBPROGRAMME = re.compile(r"^\s*次级方案\s*(\d)\s*$")
_OBJECTIVE = "本组织的目标"
_TABLE_HEADER = re.compile(r"^\s*秘书处的预期成果\s+绩效指标\s*$")
_STRATEGY = re.compile(r"^\s*战略\s*$")
_ORIENTATION = re.compile(r"^\s*总方向\s*$")
_MANDATES = re.compile(r"^\s*授权文书\s*$")
# A table cell starts with a letter label "(a)" or a parenthesised ideograph "㈠".
_LETTER_LABEL = re.compile(r"^\(([a-z])\)\s*")
_IDEOGRAPH_LABEL = re.compile(r"^([\u3220-\u3229])\s*")
# A mandate entry: a symbol at the start of the line, then its title.
_ENTRY = re.compile(
    r"^(\d{1,2}/\d{1,4}(?:\s*[A-H](?:\s*和\s*[A-H])?)?(?![\w/])"
    r"|\d{1,4}\s*\((?:\d{4}|[IVXLC]+)\))\s*(.*)$"
)
_GA_GROUP = re.compile(r"^大会决议")
_SC_GROUP = re.compile(r"^安全理事会关于")  # "安全理事会关于…的决议(和决定)", may wrap
_CHARTER_ENTRY = re.compile(r"^《联合国宪章》")


def _join(lines: Iterable[str]) -> str:
    """Join wrapped lines: Chinese needs no space; keep one between two Latin characters."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if (
            out
            and out[-1].isascii()
            and out[-1].isalnum()
            and line[0].isascii()
            and line[0].isalnum()
        ):
            out += " "
        out += line
    return out


def _width(line: str) -> int:
    """Display width: CJK and full-width characters take two columns."""
    return sum(1 if ch.isascii() else 2 for ch in line.strip())


# ---------------------------------------------------------------- the table


def _split_cells(lines: list[str]) -> list[tuple[str | None, list[str]]]:
    """Group the flattened table's lines into cells: (label, lines).

    A label starts a cell. An unlabelled cell (subprogrammes 1, 2 and 4 have some) ends at a
    line visibly shorter than the column: PDF extraction wraps full lines only.
    """
    full = max((_width(x) for x in lines), default=0)
    cells: list[tuple[str | None, list[str]]] = []
    open_unlabelled = False
    for line in lines:
        text = line.strip()
        m = _LETTER_LABEL.match(text) or _IDEOGRAPH_LABEL.match(text)
        if m:
            cells.append((m.group(1), [text]))
            open_unlabelled = False
        elif cells and (cells[-1][0] is not None or open_unlabelled):
            cells[-1][1].append(text)
        else:
            cells.append((None, [text]))
            open_unlabelled = True
        if cells[-1][0] is None and _width(text) < full - 4:
            open_unlabelled = False
    return cells


def _parse_table(sp: int, lines: list[str]) -> list[Passage]:
    """Pair each expected accomplishment with ITS indicators.

    Letter labels: the first "(b)" is the accomplishment, a repeated "(b)" its indicator.
    Ideograph labels (㈠㈡㈢) are always indicators. Unlabelled: first the accomplishment,
    then the indicator of the accomplishment before it.
    """
    groups: list[tuple[str | None, str, list[str]]] = []  # (label, accomplishment, indicators)
    seen_letters: set[str] = set()
    for label, cell_lines in _split_cells(lines):
        text = _join(cell_lines)
        is_letter = label is not None and label.isascii()
        if is_letter and label not in seen_letters:
            seen_letters.add(label)
            groups.append((label, text, []))
        elif is_letter:
            target = next((g for g in groups if g[0] == label), None)
            if target is None:
                raise CorpusError(f"subprogramme {sp}: indicator ({label}) without accomplishment")
            target[2].append(text)
        elif label is not None or groups:
            if not groups:
                raise CorpusError(f"subprogramme {sp}: indicator before any accomplishment")
            groups[-1][2].append(text)
        else:
            groups.append((None, text, []))
    passages = []
    for n, (label, accomplishment, indicators) in enumerate(groups, start=1):
        if not indicators:
            raise CorpusError(f"subprogramme {sp}: accomplishment without indicators")
        key = label or str(n)
        passages.append(
            Passage(
                id=f"sp{sp}.ea.{key}",
                kind=ACCOMPLISHMENT,
                subprogramme=sp,
                text=" ".join([accomplishment, *indicators]),
                label=f"({label})" if label else None,
                accomplishment=accomplishment,
                indicators=tuple(indicators),
            )
        )
    return passages


# ---------------------------------------------------------------- mandate lists


def _mandate_entries(lines: list[str]) -> list[tuple[str, str]]:
    """Logical entries of a mandate list: ("group"|"charter"|symbol, text), titles joined."""
    entries: list[list[str]] = []  # [kind, symbol, *lines]
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        m = _ENTRY.match(line)
        if m:
            entries.append(["entry", m.group(1), m.group(2)])
        elif _GA_GROUP.match(line) or _SC_GROUP.match(line):
            entries.append(["group", "", line])
        elif _CHARTER_ENTRY.match(line):
            entries.append(["charter", "", line])
        elif entries:
            entries[-1].append(line)  # a wrapped title, heading or Charter line
        else:
            raise CorpusError(f"mandate list starts with an unknown line: {line!r}")
    return [(e[0], e[1], _join(e[2:])) for e in entries]  # type: ignore[misc]


_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int:
    """九十九 → 99, 十二 → 12, 五十 → 50 (Charter article numbers)."""
    if "十" not in text:
        return _CHINESE_DIGITS[text]
    tens, _, units = text.partition("十")
    return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[units] if units else 0)


def _charter_symbol(text: str) -> str:
    """《联合国宪章》，特别是第九十九条 → 'Charter (Art. 99)'."""
    articles = []
    for m in re.finditer(r"第([一二三四五六七八九十]+)(（[甲乙丙丁]）)?", text):
        number = str(chinese_number(m.group(1)))
        sub = {"（甲）": "(a)", "（乙）": "(b)", "（丙）": "(c)", "（丁）": "(d)"}.get(
            m.group(2) or "", ""
        )
        articles.append(number + sub)
    if not articles:
        return "Charter"
    label = "Art." if len(articles) == 1 else "Arts."
    return f"Charter ({label} {', '.join(articles)})"


# ---------------------------------------------------------------- the document


def _sections(lines: list[str]) -> Iterator[tuple[str, int | None, list[str]]]:
    """Cut the document into (section, subprogramme, lines) by its headings."""
    section, sp, buf = "preamble", None, []
    in_mandates = False
    for line in lines:
        if _ORIENTATION.match(line):
            yield section, sp, buf
            section, sp, buf = "orientation", None, []
            continue
        if _MANDATES.match(line):
            yield section, sp, buf
            section, sp, buf, in_mandates = "mandates-heading", None, [], True
            continue
        m = _SUBPROGRAMME.match(line)
        if m:
            yield section, sp, buf
            section, sp, buf = ("mandates" if in_mandates else "subprogramme"), int(m.group(1)), []
            continue
        buf.append(line)
    yield section, sp, buf


def _paragraphs(sp: int | None, lines: list[str], start: re.Pattern[str]) -> list[Passage]:
    out: list[Passage] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            text = _join(current)
            number = start.match(current[0])
            if not number:
                raise CorpusError(f"text outside any paragraph: {text[:40]!r}")
            out.append(Passage(number.group(1), PARAGRAPH, sp, text, label=number.group(1)))

    for line in lines:
        if start.match(line):
            flush()
            current = [line]
        elif line.strip():
            current.append(line)
    flush()
    return out


def _subprogramme(sp: int, lines: list[str], start: re.Pattern[str]) -> tuple[str, list[Passage]]:
    body = [x for x in lines if x.strip()]
    title = body[0].strip()
    i_header = next(i for i, x in enumerate(body) if _TABLE_HEADER.match(x))
    i_strategy = next(i for i, x in enumerate(body) if _STRATEGY.match(x))
    objective = _join(body[1:i_header])
    if not objective.startswith(_OBJECTIVE):
        raise CorpusError(f"subprogramme {sp}: no objective after the title")
    out = [
        Passage(f"sp{sp}.title", HEADING, sp, f"次级方案 {sp} {title}"),
        Passage(f"sp{sp}.objective", OBJECTIVE, sp, objective),
        Passage(f"sp{sp}.ea.header", HEADING, sp, _join(body[i_header : i_header + 1])),
        *_parse_table(sp, body[i_header + 1 : i_strategy]),
        Passage(f"sp{sp}.strategy.heading", HEADING, sp, body[i_strategy].strip()),
        *_paragraphs(sp, body[i_strategy + 1 :], start),
    ]
    return title, out


def parse_programme(text: str, manifest: Manifest) -> Programme:
    """Parse a programme's text as its manifest describes it (its paragraph prefix, its
    subprogrammes). Raises CorpusError when its structure is not recognised."""
    if manifest.language != LANGUAGE:
        raise CorpusError(f"{manifest.id}: texts in {manifest.language!r} cannot be parsed yet")
    start = _paragraph_start(manifest.paragraph_prefix)
    lines = [x for x in text.splitlines() if not _PAGE_NUMBER.match(x)]
    passages: list[Passage] = []
    subprogrammes: dict[int, Subprogramme] = {}
    mandates: dict[str, Mandate] = {}
    for section, sp, body in _sections(lines):
        if section == "preamble":
            if any(x.strip() for x in body):
                raise CorpusError("text before the overall orientation heading")
        elif section == "orientation":
            passages.append(Passage("orientation.heading", HEADING, None, "总方向"))
            passages.extend(_paragraphs(None, body, start))
        elif section == "subprogramme":
            assert sp is not None
            title, records = _subprogramme(sp, body, start)
            subprogrammes[sp] = Subprogramme(sp, title)
            passages.extend(records)
        elif section == "mandates-heading":
            passages.append(Passage("mandates.heading", HEADING, None, "授权文书"))
        else:
            assert sp is not None
            passages.extend(_mandate_list(sp, body, mandates))
    _link_paragraph_citations(passages, mandates)
    if sorted(subprogrammes) != sorted(manifest.subprogrammes):
        expected = ", ".join(map(str, manifest.subprogrammes))
        raise CorpusError(f"expected subprogrammes {expected}, found {sorted(subprogrammes)}")
    return Programme(
        passages=passages,
        mandates=list(mandates.values()),
        subprogrammes=subprogrammes,
        source_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        language=LANGUAGE,
        manifest=manifest,
    )


def _mandate_list(sp: int, lines: list[str], mandates: dict[str, Mandate]) -> list[Passage]:
    body = [x for x in lines if x.strip()]
    # The title can wrap or carry a parenthesised short name; it runs until the first entry.
    i_first = next(
        i
        for i, x in enumerate(body)
        if _ENTRY.match(x.strip()) or _GA_GROUP.match(x.strip()) or _CHARTER_ENTRY.match(x.strip())
    )
    pid = f"sp{sp}.mandates"
    entries = _mandate_entries(body[i_first:])
    body_name = GENERAL_ASSEMBLY
    listed: list[str] = []
    for kind, symbol, text in entries:
        if kind == "group":
            body_name = SECURITY_COUNCIL if _SC_GROUP.match(text) else GENERAL_ASSEMBLY
            continue
        if kind == "charter":
            display, parsed, title, body_of = _charter_symbol(text), None, text, CHARTER
        else:
            parsed = parse_symbol(symbol)
            if parsed is None:
                raise CorpusError(f"unparsable mandate symbol {symbol!r}")
            display, title = parsed.display, text
            body_of = body_name
        mandate = mandates.setdefault(display, Mandate(display, body_of, title, parsed))
        if sp not in mandate.subprogrammes:
            mandate.subprogrammes.append(sp)
        if pid not in mandate.cited_in:
            mandate.cited_in.append(pid)
        listed.append(display)
    listing = "\n".join((f"{s} {t}" if s else t) for _, s, t in entries)
    return [
        Passage(f"sp{sp}.mandates.title", HEADING, sp, f"次级方案 {sp} " + _join(body[:i_first])),
        Passage(pid, MANDATE_LIST, sp, listing, symbols=tuple(listed)),
    ]


def _link_paragraph_citations(passages: list[Passage], mandates: dict[str, Mandate]) -> None:
    """Record paragraphs that cite a listed mandate inline (1373 (2001) in para 2.4)."""
    for passage in passages:
        if passage.kind != PARAGRAPH:
            continue
        for match in find_symbols(passage.text):
            for mandate in mandates.values():
                cites = mandate.parsed is not None and mandate.parsed.matches(match.symbol)
                if cites and passage.id not in mandate.cited_in:
                    mandate.cited_in.append(passage.id)


def load_programme(folder: Path, manifest: Manifest | None = None) -> Programme:
    """The programme of a document folder: its text parsed, its records translated by its
    tables (CorpusError when it cannot be)."""
    manifest = manifest or read_manifest(folder)
    path = folder / manifest.text
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise CorpusError(f"programme text not found: {path}") from exc
    programme = parse_programme(text, manifest)
    corpus_dir = folder
    translated = translated_languages(manifest.language)
    titles = {lang: _titles(corpus_dir / table_file(MANDATES, lang)) for lang in translated}
    for m in programme.mandates:
        m.language, m.document = LANGUAGE, manifest.id
        m.translations = {lang: t[m.symbol] for lang, t in titles.items() if m.symbol in t}
    texts = {
        lang: _read_translations(corpus_dir / table_file(PASSAGES, lang)) for lang in translated
    }
    passages = [
        replace(
            p,
            language=LANGUAGE,
            translations={lang: t[p.id] for lang, t in texts.items() if p.id in t},
            document=manifest.id,
        )
        for p in programme.passages
    ]
    sentences = build_sentences(
        passages,
        {
            lang: read_sentence_translations(corpus_dir / table_file(SENTENCES, lang))
            for lang in translated
        },
    )
    return replace(programme, passages=passages, sentences=sentences)


def _titles(path: Path) -> dict[str, str]:
    """Mandate titles by display symbol ("1373 (2001)"); Charter rows by their key as written."""
    out: dict[str, str] = {}
    for symbol, title in _read_translations(path).items():
        parsed = parse_symbol(symbol)
        out[parsed.display if parsed else symbol] = title
    return out


def _read_translations(path: Path) -> dict[str, str]:
    """A two-column TSV with a header line: key → unofficial translation."""
    if not path.exists():
        return {}
    rows = (line.split("\t", 1) for line in path.read_text(encoding="utf-8").splitlines()[1:])
    return {key.strip(): value.strip() for key, value in (r for r in rows if len(r) == 2)}
