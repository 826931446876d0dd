"""Graphviz HTML-like labels for the programme map: text wrapped by display width (a CJK
character takes two columns), escaped, in left-aligned lines, inside rounded tables."""

from __future__ import annotations

import html
import re

# A word of Latin letters (accented ones too: "règlement" is never cut) with its punctuation.
_LATIN = r"A-Za-z0-9.,;:'’()/%\-\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_TOKEN = re.compile(rf"[{_LATIN}]+\s*|\s+|.")
_ONE_COLUMN = re.compile(rf"[{_LATIN}]")


_NO_LINE_START = set("）)」』》〉】、，。：；！？·")


def _width(token: str) -> int:
    """Display columns: a CJK character (or any other outside ASCII and Latin letters) two."""
    return sum(1 if ch.isascii() or _ONE_COLUMN.match(ch) else 2 for ch in token)


def wrap(text: str, columns: int) -> list[str]:
    """Lines of at most `columns` display columns (a CJK character takes two), breaking
    between words and between CJK characters, never inside a Latin word or a number."""
    lines: list[str] = []
    for paragraph in text.strip().split("\n"):
        line = ""
        for token in _TOKEN.findall(paragraph.strip()):
            too_long = _width(line.rstrip()) + _width(token.rstrip()) > columns
            if line and too_long and token[0] not in _NO_LINE_START:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        if line.strip():
            lines.append(line.rstrip())
    return lines


def lines(text: str, columns: int, size: int = 0, italic: bool = False) -> str:
    """HTML-like label text: escaped, wrapped, left-aligned lines."""
    if not text.strip():
        return ""
    body = '<BR ALIGN="LEFT"/>'.join(html.escape(x) for x in wrap(text, columns))
    if italic:
        body = f"<I>{body}</I>"
    if size:
        body = f'<FONT POINT-SIZE="{size}">{body}</FONT>'
    return body + '<BR ALIGN="LEFT"/>'


def bold(text: str, columns: int, size: int = 0, color: str = "") -> str:
    body = '<BR ALIGN="LEFT"/>'.join(f"<B>{html.escape(x)}</B>" for x in wrap(text, columns))
    attrs = (f' POINT-SIZE="{size}"' if size else "") + (f' COLOR="{color}"' if color else "")
    return (f"<FONT{attrs}>{body}</FONT>" if attrs else body) + '<BR ALIGN="LEFT"/>'


def table(rows: list[str], fill: str, border: str, pen: int = 1) -> str:
    cells = "".join(f'<TR><TD ALIGN="LEFT" BALIGN="LEFT">{row}</TD></TR>' for row in rows)
    return (
        f'<<TABLE BORDER="{pen}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="6" '
        f'STYLE="ROUNDED" BGCOLOR="{fill}" COLOR="{border}">{cells}</TABLE>>'
    )
