"""A question asked in several parts → its parts, in the order asked, read from the frame.

"How many territories remain, and what share of documents is on time?", "第五次级方案的目标是什么？
由哪个司负责？", "Who is responsible for SP1 and who helps them?".

Where a message could be cut is lexical: a sentence's end, or a comma or a word that may join
two questions (the registry's `joints` cue: "and", "以及", "et", …) with a question word on each
side (the `asks` cue: "which", "哪", "quel", …). Whether it is cut is not: the facet classifier
reads every piece between those places (all of them in one batch: a message costs about one
encoding of its text), and a cut is kept only when the pieces on each side ask something. A
sentence that asks nothing ("thanks!", "list them all", a `filler`) or the same as the one
before joins it; "Jordan and Lebanon" and "prevention and conflict-resolution efforts" have no
question word after the joint, so they are never cut.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from bot.languages.cues import (
    alternation,
    any_word_of,
    new_to_their_unit,
    points_back,
    speaking_of_themselves,
)
from bot.languages.registry import HAN, LATIN
from bot.languages.symbols import find_symbols
from bot.languages.text import clip, tokenize
from bot.question.facets import (
    ACCOMPLISHMENTS,
    COUNT,
    DATE,
    DOES,
    FILLER,
    INDICATORS,
    NO_READING,
    ONBOARDING,
    YES_NO,
    Reading,
)

# Reads several texts at once (one batch of the model).
Reader = Callable[[list[str]], list[Reading]]
# At most this many pieces are read in one message; the rest rides with the last one.
MAX_PIECES = 8
# What of the pieces is encoded, in all (see bot.languages.text.clip), and at least per piece.
# An item asked for by the words before its list has more words than this (its marker too).
ITEM_WORDS = 3
PIECES_WEIGHT = 400
MIN_PIECE_WEIGHT = 60
# Not after a lone "1." or "2.", which number the questions of a list ("my D-1. Q1:" is cut).
# Nor before a number that numbers nothing ("res. 1541 (XV)", "para. 2.4"): an abbreviation's
# stop.
_STOP = re.compile(
    r"(?<=[?？؟;；!！\n])\s*|(?<=[.。])(?<!\s\d\.)(?<!^\d\.)\s+(?=\D|\d{1,2}[.)](?:\s|$))"
)
_ASKED = ("?", "？", "؟")
# Facets that are one ask when they follow each other, answered from the same records
# ("expected accomplishments? and the indicators?"; "I'm new at EAD. What do we do?").
_SAME = {INDICATORS: ACCOMPLISHMENTS, ONBOARDING: DOES}
# Facts asked in two sentences, each with its question mark, are two questions ("does it
# help new members? does it serve the Military Staff Committee?" checks two things).
_FACTS = (COUNT, DATE, YES_NO)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_UNREAD_WORD = re.compile(r"[\u0400-\u04ff\u0600-\u06ff]{2,}")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
# Where what the asker says of themselves may end and the question begin.
_PREAMBLE_END = re.compile(r"\s+[-—–]\s+|\s*[—–:：]\s*")
# Where a sentence's clauses part: a question may follow a dash or a colon.
# An emoji ends a clause as a full stop does ("new JPO at the PPU 🙂 whats our role").
_EMOJI = "\u2600-\u27bf\U0001f300-\U0001faff"
_CLAUSE = re.compile(rf"(?<=[?？؟])|[,，、;；:：.。!！—–{_EMOJI}]\s*|\s-\s")
# How an asker numbers the questions of a list: "1)", "2.", "b)", "(c)", "2）", "（2）", "Q2:",
# "②", or a bullet (Slack's lines arrive joined: "quick ones: - what… - which…"). Lexical:
# numbers and marks, in every language.
_MARKER = re.compile(
    r"(?:^|(?<=[\s:：?？؟,，;；]))(?P<n>[(（]?(?:\d{1,2}|[a-hA-H])[)）]|\d{1,2}[.．、](?=\s|[^\W\d_])"
    r"|[Qq]\d{1,2}[:.)：]?|[①-⑩])\s*"
    r"|(?:^|(?<=\s))(?P<bullet>[-•*·▪◦])\s+"
)


def _question_word(cue: str = "asks") -> re.Pattern[str]:
    return any_word_of(cue)


def _asks_something(text: str) -> bool:
    """A question word anywhere, or a question's opening word ("Does…") at its start."""
    opening = _question_word("asks_opening").match(text.strip())
    return bool(_question_word().search(text) or opening)


@cache
def _soft() -> re.Pattern[str]:
    latin, han = alternation("joints", LATIN), alternation("joints", HAN)
    others = "|".join(alternation("joints", s) for s in ("cyrillic", "arabic"))
    return re.compile(
        rf"\s*[,，、،]\s*(?:(?:{latin}|{others})\s+|(?:{han}))?"
        rf"|\s+(?:{latin}|{others})\s+|(?:{han})"
    )


@dataclass(frozen=True)
class Part:
    text: str
    reading: Reading | None = None  # how it was read while cutting (None: read it afresh)


@dataclass
class _Piece:
    start: int  # where it is in the question: joined pieces keep the words between them
    end: int
    text: str
    starts_sentence: bool
    reading: Reading | None = None
    numbered: bool = False  # the asker opened it with the next number of their list


def split_parts(question: str, read: Reader | None = None) -> list[Part]:
    """The parts of a question; one part when it asks one thing (or nothing reads facets)."""
    question = question.strip()
    if read is None:
        return [Part(question)]
    pieces = _pieces(question)
    if len(pieces) == 1:
        return [Part(question)]
    # Each piece is read by its head (its question word opens it), all within one budget.
    budget = max(MIN_PIECE_WEIGHT, PIECES_WEIGHT // len(pieces))
    # An item's number ("2) Какой отдел…") is not what it asks: read without it.
    texts = [clip(unannounced(_unnumbered(p)), budget, tail=False) for p in pieces]
    for piece, reading in zip(pieces, read(texts), strict=True):
        if not _long_enough(piece.text):
            reading = None
        elif reading.facet == FILLER and find_symbols(piece.text):
            # "2. 34/65 D 是关于什么的？": a resolution's number is something asked about.
            reading = Reading(None, reading.p, reading.margin, reading.best)
        elif not (piece.numbered or _may_ask(piece, reading)):
            # It asks nothing; when the asker says they are new ("I recently joined the Unit."),
            # the question it joins is read whole, as a newcomer's.
            reading = NO_READING if _says_they_are_new(piece.text) else None
        piece.reading = reading
    parts = _join(question, pieces)
    if len(parts) == 1:
        return [Part(question, parts[0].reading)]
    return parts


def unannounced(text: str) -> str:
    """Without a head that only announces what follows ("Два вопроса: кто отвечает…", "2 qs:
    …"): the words before a colon that ask nothing, read for what the rest asks."""
    head, colon, rest = text.partition(":") if ":" in text else text.partition("：")
    # A word alone names what is asked about ("SCAD: which bodies…"), not how many are asked.
    announces = len(head.split()) >= 2 and not _asks_something(head)
    if colon and rest.strip() and announces and _asks_something(rest):
        return rest.strip()
    return text


def _unnumbered(piece: _Piece) -> str:
    if not piece.numbered:
        return piece.text
    m = _MARKER.match(piece.text)
    return piece.text[m.end() :] if m and m.end() < len(piece.text) else piece.text


def _pieces(question: str) -> list[_Piece]:
    """Sentences, each cut where a joint has a question word on both sides."""
    out: list[_Piece] = []
    items = set(_list_items(question))
    for s_start, s_end in _sentence_spans(question):
        sentence = question[s_start:s_end]
        start, first = 0, True
        for m in _soft().finditer(sentence):
            left, right = sentence[start : m.start()], sentence[m.end() :]
            if _asks_something(left) and _opens_question(right.strip()):
                out.append(_Piece(s_start + start, s_start + m.start(), left.strip(), first))
                start, first = m.end(), False
        out.append(_Piece(s_start + start, s_end, sentence[start:].strip(), first))
    for piece in out:
        piece.numbered = piece.start in items
    out = [p for p in out if p.text]
    if len(out) > MAX_PIECES:  # the rest rides with the last one, unread apart
        last = out[MAX_PIECES - 1]
        rest = _Piece(last.start, out[-1].end, "", last.starts_sentence)
        rest.text = question[rest.start : rest.end].strip()
        out = [*out[: MAX_PIECES - 1], rest]
    return out


def _join(question: str, pieces: list[_Piece]) -> list[Part]:
    """A piece stands as a part when it and the part before both ask something: within a
    sentence, anything (one of them surely); across sentences, different things. Otherwise it
    joins the part before, with the words that joined them."""
    out: list[tuple[int, int, Reading | None]] = []
    filler = False  # the part so far is only words that ask nothing ("Hi!", "1.")
    for i, piece in enumerate(pieces):
        reading = piece.reading
        last = pieces[i - 1].reading if i else None  # the piece just before, sure or not
        before = out[-1][2] if out else None
        if out and not filler and _names_nothing(piece.text):
            # "…any resolutions on terrorism? which ones": the part before, asked again.
            out[-1] = (out[-1][0], piece.end, before)
            continue
        head = question[: out[0][1]] if len(out) == 1 else ""
        if piece.numbered and head and not _sentence_asks(head):
            # "Salut, je suis nouveau à l'UNSCO. 1) Quelles résolutions… 2) …": what comes
            # before the list asks nothing (who asks): it opens the first item, as a filler;
            # not a request the items complete ("I need (1) … and (2) …").
            filler = filler or not _question_word("requests").search(head)
        asked = question[out[-1][0] : out[-1][1]].rstrip().endswith(_ASKED) if out else False
        stands = _stands(before, reading, piece.starts_sentence, asked, last)
        # The asker numbered their questions: each item that asks something is one.
        stands = stands or (piece.numbered and not _asks_nothing(reading))
        if not out or (not filler and stands):
            out.append((piece.start, piece.end, _sure(reading)))
            filler = _asks_nothing(reading)
            continue
        if filler:  # "1. Who…": what follows the words that ask nothing says what is asked
            kept, filler = _sure(reading), _asks_nothing(reading)
        elif _asks_nothing(reading):  # "…? Thanks!", "…? 2.": nothing more is asked
            kept = before
        else:  # "I'm new at EAD. What do we do?": the newcomer's sentence says what is asked
            kept = next((r for r in (before, reading) if r and r.facet == ONBOARDING), None)
        out[-1] = (out[-1][0], piece.end, kept)
    return [Part(question[a:b].strip(" ,，、;；"), r) for a, b, r in out]


@lru_cache(maxsize=4)  # one question is read three times: its sentences, pieces, asking ones
def _list_items(question: str) -> tuple[int, ...]:
    """Where each question of a numbered list starts ("1) … 2) …", "a) … b) …", "• …"): the
    asker's own cuts. Only a list counts: two items or more that each ask, numbered 1, 2, 3…
    or a, b, c…, or bulleted; a lone "(a)" is an item's label ("indicator (a)"), not a list."""
    numbered: list[tuple[int, int]] = []  # (position, rank in its list)
    bullets = []
    for m in _MARKER.finditer(question):
        if m.group("bullet"):
            bullets.append(m.start("bullet"))
            continue
        rank = _rank(m.group("n"))
        if rank == 1 or (numbered and rank == numbered[-1][1] + 1):
            numbered = numbered if rank != 1 or not numbered or len(numbered) > 1 else []
            numbered.append((m.start("n"), rank))
    lists = [[pos for pos, _ in numbered], bullets]
    return tuple(sorted(pos for items in lists if _each_asks(question, items) for pos in items))


def _each_asks(question: str, starts: list[int]) -> bool:
    """Two items or more, and each asks: "indicators (a) and (b) for SP3?" names two labels of
    one question; "P-3 - new here - what does EAD do?" has one question after its dashes. Items
    of a few words each ask what the words before them ask or request: "I need (1) DPA's
    budget figure and (2) the expected accomplishment under SP2"."""
    if len(starts) < 2:
        return False
    ends = [*starts[1:], len(question)]
    items = [question[a:b] for a, b in zip(starts, ends, strict=True)]
    if all(_sentence_asks(item) for item in items):
        return True
    head = question[: starts[0]]
    requested = _sentence_asks(head) or bool(_question_word("requests").search(head))
    return requested and all(len(item.split()) > ITEM_WORDS for item in items)


def _rank(marker: str) -> int:
    """1 for "1)", "a)", "Q1", "①"; 2 for the next one; and so on."""
    core = re.sub(r"[()（）.．、:：Qq]", "", marker)
    if core.isdigit():
        return int(core)
    if len(core) == 1 and "①" <= core <= "⑩":
        return ord(core) - ord("①") + 1
    return ord(core.lower()) - ord("a") + 1 if core.isalpha() else 0


def _says_they_are_new(text: str) -> bool:
    """The asker says they are new ("Just joined EAD.", "new here, P2", "刚调到…"), not that
    someone is ("putting together the induction for new members"): the word opens the
    statement, or the asker speaks of themselves in it."""
    m = new_to_their_unit().search(text)
    if not m:
        return False
    opens = len(text[: m.start()].split()) < 3 or not _LATIN_LETTER.search(text)
    return opens or bool(speaking_of_themselves().search(text))


def _names_nothing(text: str) -> bool:
    """Only question words and words that point back ("which ones?", "lesquelles ?", "哪些？",
    "какие именно?"): nothing asked besides what the part before asks."""
    if not _question_word().search(text):
        return False
    rest = points_back().sub(" ", _question_word().sub(" ", text))
    # Words the lexical tokenizer does not read (Cyrillic, Arabic) name something too.
    return not tokenize(rest) and not _UNREAD_WORD.search(rest)


def _may_ask(piece: _Piece, reading: Reading) -> bool:
    """A sentence that neither ends with a question mark nor holds a question word is a
    statement about the asker ("Hello from the Pacific desk in Suva.", "consultant in Vienna
    here, working with UNODC."): it asks nothing, however its words read; a newcomer's "I'm
    new at EAD." says what the next sentence asks about."""
    if not piece.starts_sentence or _sentence_asks(piece.text):
        return True
    # Read as a newcomer's only when the asker speaks of themselves ("prepping an induction
    # for new members" is someone else's news).
    said = _says_they_are_new(piece.text) or speaking_of_themselves().search(piece.text)
    return reading.facet == ONBOARDING and bool(said)


def asking_sentences(question: str) -> str:
    """The sentences of a message that ask (a question mark or a question word): "exact date
    CEIRPP was established pls? my draft says 1976 and I'm pretty sure thats wrong" asks only
    its first. The whole message when every sentence asks, or none does."""
    sentences = [question[a:b] for a, b in _sentence_spans(question)]
    asking = [x for x in sentences if _sentence_asks(x)]
    return " ".join(x.strip() for x in asking) if 0 < len(asking) < len(sentences) else question


def _sentence_spans(question: str) -> list[tuple[int, int]]:
    """Where each sentence of a message starts and ends; a numbered question starts one."""
    stops = {m.end() for m in _STOP.finditer(question)} | set(_list_items(question))
    bounds = [0, *sorted(b for b in stops if 0 < b < len(question))]
    return list(zip(bounds, [*bounds[1:], len(question)], strict=True))


def asks(text: str) -> bool:
    """Some clause of it ends with a question mark or opens with a question word: "I'm a P-4
    who just joined EAD." asks nothing, "just joined EAD — what do we do" asks."""
    clauses = (c.strip() for c in _CLAUSE.split(text))
    return any(c.endswith(_ASKED) or _opens_question(c) for c in clauses if c)


def what_is_asked(text: str, newcomers_ask: bool = True) -> str:
    """The text from its first clause that asks, when the clauses before it (cut at a dash or a
    colon) ask nothing: "im a G6 supporting the C-24 secretariat - whats the target % for docs
    submitted on time??" asks its second clause. The whole text otherwise. `newcomers_ask`:
    a newcomer's statement before it is part of what is asked (the facet reads a card)."""
    for m in _PREAMBLE_END.finditer(text):
        head, rest = text[: m.start()], text[m.end() :]
        # A newcomer's "Nouvelle recrue à la DACS :" says what is asked (the card); "SCAD:"
        # names what is asked about: neither is only who asks.
        new = newcomers_ask and bool(new_to_their_unit().search(head))
        said = len(head.split()) >= 3 and not asks(head) and not new
        if said and rest.strip() and asks(rest):
            return rest.strip()
    return text


def _sentence_asks(text: str) -> bool:
    """It ends with a question mark or holds a question word."""
    return text.rstrip().endswith(_ASKED) or _asks_something(text)


def _asks_nothing(reading: Reading | None) -> bool:
    """A filler ("Hi!"), or a piece too short to be read ("1.")."""
    return reading is None or reading.facet == FILLER


def _sure(reading: Reading | None) -> Reading | None:
    return reading if reading and reading.facet and reading.facet != FILLER else None


def _stands(
    before: Reading | None,
    reading: Reading | None,
    new_sentence: bool,
    asked: bool = False,
    last: Reading | None = None,
) -> bool:
    """Whether a piece stands as a part of its own after the part before it; `asked`: that
    part ends with a question mark; `last`: how the piece just before it read, sure or not."""
    if FILLER in (getattr(before, "facet", None), getattr(reading, "facet", None)):
        return False
    ours, theirs = _sure(before), _sure(reading)
    if new_sentence and ours and theirs:
        if asked and ours.facet == theirs.facet in _FACTS:
            # "¿qué porcentaje…? y ¿cuántos territorios quedan?": two numbers asked.
            return True
        return _SAME.get(ours.facet, ours.facet) != _SAME.get(theirs.facet, theirs.facet)
    if new_sentence:
        # Two sentences that each end with a question mark are two questions, however unsure
        # the reading of one of them ("今年办了几次会议？另外它的第一个指标是什么？"); but a
        # yes/no after an unsure one checks it ("how is it measured? is there one indicator?").
        sure = ours or theirs
        return asked and reading is not None and bool(sure) and sure.facet != YES_NO
    if reading is not None and last is not None and not (ours or theirs):
        # Both unsure, but each of something else ("which bodies does it service, and how
        # many meetings were held?"): two questions.
        return last.best != reading.best and None not in (last.best, reading.best)
    return bool(reading is not None and (ours or theirs))


def _opens_question(text: str) -> bool:
    """A question word opens it (in the first few words), or, in Chinese, it holds one."""
    if _HAN.search(text[:2]):
        return bool(_question_word().search(text))
    head = " ".join(text.split()[:3])
    return bool(_question_word().search(head) or _question_word("asks_opening").match(head))


def _long_enough(text: str) -> bool:
    """Enough words to ask something: two words, or three Chinese characters."""
    return len(text.split()) >= 2 or len(_HAN.findall(text)) >= 3
