"""A newcomer's unit card (route "card") fitted to a character budget for Slack.

The card's answer text is content-complete (prompts/card.*.j2): a header line, one bullet per
duty clause, then the Objective / Measured by / Mandates lines. In English and French that is
1,700 to 2,900 characters, too long to read in a channel. Slack shows it compactly and the
whole text is one click away (the "Whole card" modal). To fit the budget, in this order:

1. the whole card, when it fits (Chinese cards mostly do);
2. a note line keeps only its first sentence ("Mandates: 6 (…)." without the pointer that
   follows: the whole card has it);
3. every bullet, and every item of a note line (each indicator, the objective), is shortened
   to one common length, the longest that fits, at a word boundary (jieba's words in Chinese),
   never inside a word or a number, ending with "…"; a note's label ("Objective:") and its
   reference ("(Subprogramme 3, objective).") are kept;
4. only if that is not enough at the shortest length: bullets are left off from the end, with
   "• …" in their place, and at last the header is shortened.

What is counted is what Slack shows: the escaped text of the sections and context elements the
card renders to (blocks.py builds them from `Fitted` exactly as `visible_chars` counts them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot import languages
from bot.languages.quote import at_word
from bot.languages.registry import HAN
from bot.languages.text import _jieba
from bot.surfaces.slack.views.mrkdwn import escape, truncate

CARD_CHARS = 900  # issue 14: the card stays under about 900 characters in Slack
MIN_ITEM_CHARS = 16  # a shortened item keeps at least a few words
HEADER_CHARS = 300
BULLET = "• "
MORE = "• …"

_BULLET = re.compile(r"^\s*[•◦\-–]\s+")
# A note's label: a few words and a colon at the start ("Measured by: ", "Objectif : ", "目标：").
_LABEL = re.compile(r"^[^\s:：()（）][^:：()（）]{0,38}?\s?[:：]\s*")
# A reference closing a line: "(Subprogramme 3, objective)." / "（次级方案3，目标）。"
_TAIL = re.compile(r"\s*[(（][^()（）]+[)）][.。]?$")
_TRAILING = " ,;:，；、：—–-"  # never left before the "…"


def _dangling(lang: str) -> frozenset[str]:
    """Words a shortened item never ends with (the language's `dangling` cue lexicon)."""
    return frozenset(languages.get(lang).cue("dangling"))


def _han(lang: str) -> bool:
    return languages.get(lang).script == HAN


_OPENING = "(（"
_CLOSING = ")）"


@dataclass(frozen=True)
class Line:
    """One line of the card: `head` and `tail` are kept, `items` are shortened alike."""

    head: str
    items: tuple[str, ...]
    sep: str = ""
    tail: str = ""
    more: str = ""  # a note's later sentences, shown only while the whole card fits

    def text(self, cap: int | None, lang: str, with_more: bool = True) -> str:
        items = [it if cap is None else shorten_item(it, cap, lang) for it in self.items]
        more = self.more if with_more and self.more else ""
        return self.head + self.sep.join(items) + self.tail + more


@dataclass(frozen=True)
class Fitted:
    header: str  # plain text, shown bold
    runs: tuple[tuple[str, tuple[str, ...]], ...]  # ("bullets" | "notes", plain lines), in order


@dataclass(frozen=True)
class _Card:
    header: str
    lines: tuple[tuple[str, Line], ...]  # ("bullets" | "notes", line)


def header_mrkdwn(header: str) -> str:
    return f"*{escape(header)}*"


def visible_chars(card: Fitted) -> int:
    """What Slack shows of the fitted card: its section and context texts, escaped."""
    total = len(header_mrkdwn(card.header))
    for kind, lines in card.runs:
        if kind == "bullets":
            total += len(escape("\n".join(lines)))
        else:
            total += sum(len(escape(line)) for line in lines)
    return total


def fit(text: str, lang: str, budget: int = CARD_CHARS) -> Fitted:
    """The card in `text`, shortened as the module says until it shows ≤ `budget` chars."""
    card = _parse(text)
    for cap, with_more in ((None, True), (None, False)):
        fitted = _render(card, cap, lang, with_more)
        if visible_chars(fitted) <= budget:
            return fitted
    fitted = _largest_fitting(card, lang, budget)
    if fitted is not None:
        return fitted
    # Bullets from the end first; the notes only when no bullet is left (never, in cards).
    ends = list(reversed(range(len(card.lines))))
    order = [i for i in ends if card.lines[i][0] == "bullets"]
    order += [i for i in ends if card.lines[i][0] != "bullets"]
    # The fewest lines left off that let it fit, found by halving: a card of thousands of lines
    # (no real card, but any text can reach the renderer) must not be refitted line by line.
    lo, hi, best = 1, len(order), None
    while lo <= hi:
        dropped = (lo + hi) // 2
        fitted = _largest_fitting(_without(card, order[:dropped]), lang, budget)
        if fitted is not None:
            best, hi = fitted, dropped - 1
        else:
            lo = dropped + 1
    if best is not None:
        return best
    card = _without(card, order)
    fitted = _render(card, MIN_ITEM_CHARS, lang, False)
    spare = budget - (visible_chars(fitted) - len(header_mrkdwn(fitted.header)))
    return replace(fitted, header=_short_header(fitted.header, spare))


def shorten_item(text: str, cap: int, lang: str) -> str:
    """At most about `cap` characters, cut at a word boundary with "…"; never inside a word or
    a number (a first word longer than `cap` is kept whole)."""
    text = text.strip()
    if len(text) <= cap:
        return text
    first = _first_word(text, lang)
    if len(first) >= cap - 1:
        head = first
    elif _han(lang):
        head = at_word(text, cap - 1, lang)
    else:
        window = text[:cap]  # the "…" takes the last place
        head = _without_dangling(window[: window.rfind(" ")], lang)
    head = _balanced(head.rstrip(_TRAILING)).rstrip(_TRAILING) or first
    return head + "…"


def _without_dangling(head: str, lang: str) -> str:
    """ "…meeting documents and" → "…meeting documents": a cut reads better after a word that
    carries meaning."""
    words = head.split(" ")
    dangling = _dangling(lang)
    while len(words) > 1 and words[-1].lower().strip(_TRAILING) in dangling:
        words.pop()
    return " ".join(words)


# ---------------------------------------------------------------------- parts


def _parse(text: str) -> _Card:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()] or [" "]
    parsed: list[tuple[str, Line]] = []
    for line in lines[1:]:
        bullet = _BULLET.match(line)
        if bullet:
            parsed.append(("bullets", Line(BULLET, (line[bullet.end() :],))))
        else:
            parsed.append(("notes", _note(line)))
    return _Card(lines[0], tuple(parsed))


def _note(line: str) -> Line:
    """'Label: first sentence. Later sentences (ref).' → head, items, tail, more."""
    label = _LABEL.match(line)
    head = label.group(0) if label else ""
    body = line[len(head) :]
    first, more = _first_sentence(body)
    tail = _TAIL.search(first)
    if tail and tail.start() > 0:
        first, tail_text = first[: tail.start()], first[tail.start() :]
    else:
        tail_text = ""
    if more and tail_text:  # "6 (…; ref). Full list: …": the first sentence is the fact itself
        return Line(head + first + tail_text, (), more=more)
    sep = next((s for s in ("；", " ; ", "; ") if s in first), "")
    items = tuple(_split_top_level(first, sep)) if sep else (first,)
    return Line(head, items, sep, tail_text, more)


def _first_sentence(text: str) -> tuple[str, str]:
    """The text up to its first sentence end outside brackets, and the rest (with its space)."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            depth = max(0, depth - 1)
        elif (
            depth == 0
            and (ch == "。" or (ch == "." and text[i + 1 : i + 2] == " "))
            and i + 1 < len(text.rstrip())
        ):
            return text[: i + 1], text[i + 1 :]
    return text, ""


def _split_top_level(text: str, sep: str) -> list[str]:
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            depth = max(0, depth - 1)
        elif depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            i += len(sep)
            start = i
            continue
        i += 1
    parts.append(text[start:])
    return [p for p in parts if p.strip()]


def _render(card: _Card, cap: int | None, lang: str, with_more: bool) -> Fitted:
    runs: list[tuple[str, list[str]]] = []
    for kind, line in card.lines:
        shown = line.text(cap, lang, with_more)
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(shown)
        else:
            runs.append((kind, [shown]))
    return Fitted(card.header, tuple((kind, tuple(lines)) for kind, lines in runs))


def _largest_fitting(card: _Card, lang: str, budget: int) -> Fitted | None:
    """The card with every item cut to the largest common length that fits, if any does."""
    longest = max((len(it) for _, line in card.lines for it in line.items), default=0)
    lo, hi = MIN_ITEM_CHARS, max(MIN_ITEM_CHARS, longest)
    best = None
    while lo <= hi:
        cap = (lo + hi) // 2
        fitted = _render(card, cap, lang, False)
        if visible_chars(fitted) <= budget:
            best, lo = fitted, cap + 1
        else:
            hi = cap - 1
    return best


def _without(card: _Card, dropped: list[int]) -> _Card:
    """Leave off the lines at `dropped`; they read "• …" once, where the first of them was."""
    if not dropped:
        return card
    left_off = set(dropped)
    lines: list[tuple[str, Line]] = []
    for i, entry in enumerate(card.lines):
        if i == dropped[0]:
            lines.append(("bullets", Line(MORE, ())))
        if i not in left_off:
            lines.append(entry)
    return replace(card, lines=tuple(lines))


def _short_header(header: str, budget: int) -> str:
    limit = max(1, min(HEADER_CHARS, budget - 2))  # the two asterisks that make it bold
    while len(header_mrkdwn(header)) > budget and limit > 1:
        header = truncate(header, limit)
        limit -= 1
    return header if len(header_mrkdwn(header)) <= budget else "…"


def _balanced(text: str) -> str:
    """Cut before an opening bracket the cut left open: "…services (in particular" → "…services"."""
    depth = 0
    last_open = -1
    for i, ch in enumerate(text):
        if ch in _OPENING:
            if depth == 0:
                last_open = i
            depth += 1
        elif ch in _CLOSING:
            depth = max(0, depth - 1)
    return text[:last_open].rstrip() if depth and last_open > 0 else text


def _first_word(text: str, lang: str) -> str:
    """The first word (jieba's in Chinese), never cut."""
    if not _han(lang):
        return text.split(" ", 1)[0]
    return next(iter(_jieba().cut(text)), text[:1])
