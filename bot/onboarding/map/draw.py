"""A picture of the programme: the Department, its subprogrammes, the units that carry them,
the bodies they serve, their indicators and their mandates counted by body; or one subprogramme
in detail (every indicator, every mandate symbol). Drawn by Graphviz (dot) from the outline read
off the parsed records (bot/records/outline.py), in any answered language (its words: the
catalogue's map.draw.*), as SVG or PNG.

Chinese needs a CJK font that fontconfig knows: Debian's fonts-wqy-microhei (tools/install-map-
tools, the Dockerfile). Nothing is drawn from hand-typed names.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from pathlib import Path

import graphviz

from bot import languages
from bot.languages.messages import messages
from bot.languages.registry import LATIN
from bot.onboarding.map.labels import bold, lines, table
from bot.onboarding.map.words import count_words
from bot.records.model import CHARTER
from bot.records.outline import (
    BODIES,
    Name,
    Outline,
    Served,
    SubprogrammeOutline,
    Text,
    Unit,
)

FORMATS = ("png", "svg")
FONT = "WenQuanYi Micro Hei,Noto Sans CJK SC,sans-serif"
MIN_PNG_WIDTH = 1600  # pixels; never below 1200, Slack shows it scaled to fit
BASE_DPI = 96
MAX_DPI = 288
INK, PAPER = "#1f2933", "#ffffff"
BLUE, BLUE_LIGHT = "#1d4f91", "#e8f0fa"
AMBER, AMBER_LIGHT = "#b45309", "#fff4e0"
GREEN, GREEN_LIGHT = "#2e7d32", "#edf7ed"
GREY, GREY_LIGHT = "#52606d", "#f5f7fa"
MARK = "#c62828"
ROWS = 16  # mandates in one column of a table  # the subprogramme a tour is about


class _Words:
    """The map's words in a language: words["carried"] → the catalogue's map.draw.carried."""

    def __init__(self, lang: str) -> None:
        self._words = messages(lang).section("map.draw")

    def __getitem__(self, key: str) -> str:
        return self._words[key.lower().replace(" ", "_") if key in BODIES else key]


def languages_drawn() -> tuple[str, ...]:
    """Every language the bot answers in."""
    return languages.answered()


class MapError(Exception):
    """The map cannot be drawn or written (no Graphviz, a bad request, an unwritable file)."""


@dataclass(frozen=True)
class MapRequest:
    """Which picture: the whole programme (subprogramme None) or one subprogramme in detail;
    `highlight` marks one subprogramme on the whole map (the tour's)."""

    lang: str = "en"
    subprogramme: int | None = None
    highlight: int | None = None


# ---------------------------------------------------------------------------- the graph


def _graph(title: str, footer: str) -> graphviz.Digraph:
    g = graphviz.Digraph("programme", engine="dot")
    label = (
        f'<<B>{html.escape(title)}</B><BR/><FONT POINT-SIZE="11" COLOR="{GREY}">'
        f"{html.escape(footer)}</FONT>>"
    )
    g.attr(
        rankdir="TB",
        label=label,
        labelloc="t",
        fontname=FONT,
        fontsize="20",
        fontcolor=INK,
        bgcolor=PAPER,
        nodesep="0.25",
        ranksep="0.5",
        pad="0.3",
        newrank="true",
    )
    g.attr("node", shape="plain", fontname=FONT, fontsize="12", fontcolor=INK)
    g.attr("edge", fontname=FONT, fontsize="10", color=GREY, fontcolor=GREY, arrowsize="0.7")
    return g


def _department(g: graphviz.Digraph, department: Name, lang: str) -> None:
    name = f'<FONT COLOR="{PAPER}">{bold(department.label(lang), 60, 15)}</FONT>'
    g.node("department", table([name], BLUE, BLUE))


def _unit_node(g: graphviz.Digraph, node: str, unit: Unit, lang: str, pen: int) -> None:
    rows = [bold(unit.name.label(lang), 34, 13)]
    if unit.members:
        rows.append(lines("\n".join("· " + m.label(lang) for m in unit.members), 34))
    g.node(node, table(rows, AMBER_LIGHT, AMBER, pen))


def _served_node(g: graphviz.Digraph, node: str, served: Served, lang: str, pen: int) -> None:
    rows = [bold(served.name.label(lang), 34, 12)]
    if served.in_particular:
        listed = [
            messages(lang)("map.draw.particular"),
            *("· " + b.label(lang) for b in served.in_particular),
        ]
        rows.append(lines("\n".join(listed), 36, 11))
    g.node(node, table(rows, GREEN_LIGHT, GREEN, pen))


def _who(g: graphviz.Digraph, sp: SubprogrammeOutline, lang: str, pen: int = 1) -> None:
    """The units carrying (or assisting) a subprogramme and the bodies they serve."""
    words = _Words(lang)
    carrier = None
    for k, unit in enumerate(sp.units):
        node = f"sp{sp.number}.unit{k}"
        _unit_node(g, node, unit, lang, pen)
        if unit.assists:
            g.edge(f"sp{sp.number}", node, label=words["assisted"], style="dashed")
        else:
            g.edge(f"sp{sp.number}", node, label=words["carried"])
            carrier = carrier or node
    for k, served in enumerate(sp.serves):
        node = f"sp{sp.number}.serves{k}"
        _served_node(g, node, served, lang, pen)
        g.edge(carrier or f"sp{sp.number}", node, label=words["serves"])


def _card(sp: SubprogrammeOutline, lang: str, mark: bool) -> str:
    words = _Words(lang)
    latin = languages.get(lang).script == LATIN  # wider lines, an italic objective
    head = f'<FONT COLOR="{PAPER}">{bold(words["subprogramme"].format(n=sp.number), 30)}</FONT>'
    rows = [
        bold(sp.title.get(lang), 30 if latin else 26, 13),
        lines(words["objective"] + sp.objective.get(lang), 40, 10, italic=latin),
        bold("\n".join(count_words(sp, lang)), 40, 11, BLUE),
    ]
    cells = (
        f'<TR><TD ALIGN="LEFT" BALIGN="LEFT" BGCOLOR="{MARK if mark else BLUE}">{head}</TD></TR>'
    )
    cells += "".join(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{row}</TD></TR>' for row in rows)
    border = MARK if mark else BLUE
    return (
        f'<<TABLE BORDER="{3 if mark else 1}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="6" '
        f'STYLE="ROUNDED" BGCOLOR="{BLUE_LIGHT}" COLOR="{border}">{cells}</TABLE>>'
    )


def whole_map(outline: Outline, lang: str, highlight: int | None = None) -> graphviz.Digraph:
    words = _Words(lang)
    g = _graph(f"{outline.programme.get(lang)} — {words['title']}", words["footer"])
    _department(g, outline.department, lang)
    with g.subgraph(name="subprogrammes") as row:
        row.attr(rank="same")
        for sp in outline.subprogrammes:
            row.node(f"sp{sp.number}", _card(sp, lang, sp.number == highlight))
    for sp in outline.subprogrammes:
        g.edge("department", f"sp{sp.number}")
        _who(g, sp, lang, 3 if sp.number == highlight else 1)
    return g


def _accomplishments(sp: SubprogrammeOutline, lang: str) -> str:
    words = _Words(lang)
    rows = [bold(words["accomplishments"].format(n=sp.indicator_count), 48, 12, BLUE)]
    for a in sp.accomplishments:
        label = f"{a.label} " if a.label else ""
        rows.append(bold(label + a.text.get(lang), 52, 11))
        rows += [lines("– " + i.get(lang), 54, 10) for i in a.indicators]
    return table(rows, PAPER, BLUE)


def _mandatetable(body: str, entries: list[tuple[str, Text]], lang: str) -> str:
    """Symbol and title of each mandate, in as many side-by-side columns as keep it no taller
    than ROWS entries (the Charter's symbol says it all in a translation)."""
    words = _Words(lang)
    columns = math.ceil(len(entries) / ROWS)
    rows = math.ceil(len(entries) / columns)
    head = html.escape(words[body].format(n=len(entries)))
    cells = (
        f'<TR><TD COLSPAN="{2 * columns}" ALIGN="LEFT"><B><FONT COLOR="{BLUE}">{head}</FONT>'
        "</B></TD></TR>"
    )
    for r in range(rows):
        cells += "<TR>"
        for symbol, title in entries[r::rows]:
            text = "" if body == CHARTER and lang in title.translations else title.get(lang)
            cells += (
                f'<TD ALIGN="LEFT" VALIGN="TOP" BALIGN="LEFT">{bold(symbol, 24, 11)}</TD>'
                f'<TD ALIGN="LEFT" VALIGN="TOP" BALIGN="LEFT">{lines(text, 44, 10)}</TD>'
            )
        cells += "</TR>"
    return (
        f'<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" STYLE="ROUNDED" '
        f'BGCOLOR="{GREY_LIGHT}" COLOR="{GREY}">{cells}</TABLE>>'
    )


def subprogramme_map(outline: Outline, number: int, lang: str) -> graphviz.Digraph:
    words = _Words(lang)
    sp = outline.subprogramme(number)
    g = _graph(f"{outline.programme.get(lang)} — {sp.name(lang)}", words["footer"])
    _department(g, outline.department, lang)
    g.node(f"sp{number}", _card(sp, lang, False))
    g.edge("department", f"sp{number}")
    _who(g, sp, lang)
    g.node("accomplishments", _accomplishments(sp, lang))
    g.edge(f"sp{number}", "accomplishments", label=words["measured"])
    for body in BODIES:
        entries = [(m.symbol, m.title) for m in sp.mandates if m.body == body]
        if entries:
            node = f"mandates.{body}"
            g.node(node, _mandatetable(body, entries, lang))
            g.edge(f"sp{number}", node, label=words["rests"])
    return g


def graph(outline: Outline, request: MapRequest) -> graphviz.Digraph:
    """The graph a request asks for. Raises MapError for an unknown language or subprogramme."""
    if request.lang not in languages_drawn():
        drawn = ", ".join(f"{languages.get(c).name} ({c})" for c in languages_drawn())
        raise MapError(f"the map is drawn in {drawn}, not {request.lang!r}")
    numbers = [sp.number for sp in outline.subprogrammes]
    for n in (request.subprogramme, request.highlight):
        if n is not None and n not in numbers:
            raise MapError(
                f"there is no subprogramme {n}; the programme has {numbers[0]} to {numbers[-1]}"
            )
    if request.subprogramme is not None:
        return subprogramme_map(outline, request.subprogramme, request.lang)
    return whole_map(outline, request.lang, request.highlight)


# ---------------------------------------------------------------------------- drawing


def _pipe(g: graphviz.Digraph, fmt: str) -> bytes:
    try:
        return g.pipe(format=fmt, renderer="cairo" if fmt == "png" else None)
    except graphviz.ExecutableNotFound as exc:
        raise MapError(
            "Graphviz's dot is not installed (Debian: apt-get install graphviz; "
            "make servers installs it)"
        ) from exc
    except graphviz.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        raise MapError(f"Graphviz failed: {' '.join(detail) or exc}") from exc


_SVG_WIDTH = re.compile(rb'<svg width="([\d.]+)pt"')


def svg_width_pt(svg: bytes) -> float:
    m = _SVG_WIDTH.search(svg)
    if not m:
        raise MapError("Graphviz drew an SVG without a width")
    return float(m.group(1))


def png_dpi(width_pt: float) -> int:
    """The resolution that makes the PNG at least MIN_PNG_WIDTH pixels wide."""
    return max(BASE_DPI, min(MAX_DPI, math.ceil(MIN_PNG_WIDTH * 72 / width_pt)))


def draw(outline: Outline, request: MapRequest, fmt: str) -> bytes:
    """The map as SVG or PNG bytes."""
    if fmt not in FORMATS:
        raise MapError(f"the map is drawn as .svg or .png, not {fmt!r}")
    g = graph(outline, request)
    svg = _pipe(g, "svg")
    if fmt == "svg":
        return svg
    g.attr(dpi=str(png_dpi(svg_width_pt(svg))))
    return _pipe(g, "png")


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels, from the PNG header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise MapError("not a PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def write_map(outline: Outline, request: MapRequest, out: Path) -> bytes:
    """Draw the map in the format `out`'s extension names and write it there."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise MapError(f"--out must end in .svg or .png, not {out.suffix or 'no extension'!r}")
    data = draw(outline, request, fmt)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise MapError(f"cannot write {out}: {exc.strerror or exc}") from exc
    return data
