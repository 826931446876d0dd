"""A question asked in several parts → its parts, in the order asked.

"How many territories remain, and what share of documents is on time?", "第五次级方案的目标是什么？
由哪个司负责？", "Who is responsible for SP1 and who helps them?", "目标是什么，以及有哪些指标？".

Only clear joints split: a question mark followed by more question, a ";", or a conjunction
followed by a question word ("…, and what…", "… and who…", "，以及哪些…"), or by "its/their" and a
kind of record ("…and its indicators?"). "Jordan and Lebanon", "objective and indicators" stay
whole. A piece with no words of its own ("thanks!", "hi all,") joins its neighbour.
"""

from __future__ import annotations

import re

from bot.languages.text import Words, tokenize

_WH_EN = (
    r"what|which|who|whom|whose|how|when|where|why|does|do|did|is|are|was|were|can|could|has|"
    r"have|will|would|should|list|name|give|tell|show"
    # French
    r"|quel|quelle|quels|quelles|qui|que|qu'|quoi|combien|comment|où|quand|pourquoi|est-ce|"
    r"lequel|laquelle|lesquels|lesquelles"
)
_KIND_EN = (
    r"indicators?|mandates?|objectives?|goals?|strategy|resolutions?|budget|staff|head|"
    r"responsibilities|functions|role|expected accomplishments?|legislative mandates"
    r"|indicateurs?|mandats?|objectifs?|stratégie|résolutions?|rôle|fonctions"
)
# Split before the conjunction (kept out of both parts).
_JOINT_EN = re.compile(
    rf"\s*(?:;\s*(?:and|also|plus|then|et|puis)?|,\s*(?:and|also|plus|then|et|puis|ainsi que)"
    rf"|\s(?:and|also|plus|et|puis|ainsi que)(?:\s+also)?)\s+"
    rf"(?=(?:(?:under|in|by|with|for|on|from|to|through|par|sous|selon|dans|pour)\s+)?"
    rf"(?:{_WH_EN})\b|(?:its|their|the|ses|leurs|son|sa|les|le|la)\s+(?:{_KIND_EN})\b)",
    re.IGNORECASE,
)
_PREP = r"(?:(?:under|in|by|with|for|on|from|to|according to|through)\s+)?"
_COMMA_EN = re.compile(rf",\s+(?={_PREP}(?:{_WH_EN})\b)", re.IGNORECASE)
_WH_START = re.compile(
    r"\b(?:what|which|who|how|when|where|why|quel|quelle|quels|quelles|qui|que|combien|comment|"
    r"où|quand)\b",
    re.IGNORECASE,
)
_QUESTION_ZH = re.compile(r"什么|哪|谁|多少|几|吗|如何|怎样|怎么|是否|呢|有没有|是不是")
_KIND_ZH = re.compile(r"目标|指标|授权|决议|职责|预算|战略|预期成果|负责")
_JOINT_ZH = re.compile(r"[，,；;]\s*(?:以及|还有|另外|并且|同时|那么|此外)|[；;]")
_COMMA_ZH = re.compile(r"[，,]")
_STOP = re.compile(r"(?<=[?？])\s*")
# A piece made only of these asks nothing of its own: "请全部列出", "Give me every one."
_NO_CONTENT = Words(
    "list all every each one ones full complete detail details them it please thanks "
    "give show tell me more 全部 列出 逐一 所有 详细 一下 说明 请 谢谢 全部列出 一一 具体 "
    "merci svp stp toutes tous liste détails"
)


def split_parts(question: str) -> list[str]:
    """The parts of a question; one part when it asks one thing."""
    pieces: list[str] = []
    for sentence in _STOP.split(question.strip()):
        if sentence.strip():
            pieces.extend(_split_sentence(sentence.strip()))
    return _merge_empty(pieces) or [question.strip()]


def _split_sentence(sentence: str) -> list[str]:
    if re.search(r"[\u4e00-\u9fff]", sentence):
        return _split_chinese(sentence)
    out: list[str] = []
    start = 0
    for m in _JOINT_EN.finditer(sentence):
        out.append(sentence[start : m.start()])
        start = m.end()
    out.append(sentence[start:])
    # "What does my division do, which mandates does it work under…": a comma between two
    # questions, each with its own question word.
    final: list[str] = []
    for piece in out:
        start = 0
        for m in _COMMA_EN.finditer(piece):
            if _WH_START.search(piece[start : m.start()]):
                final.append(piece[start : m.start()])
                start = m.end()
        final.append(piece[start:])
    return [p.strip(" ,;") for p in final if p.strip(" ,;")]


def _split_chinese(sentence: str) -> list[str]:
    out: list[str] = []
    start = 0
    for m in _JOINT_ZH.finditer(sentence):
        rest = sentence[m.end() :]
        if _QUESTION_ZH.search(rest) or _KIND_ZH.search(rest):
            out.append(sentence[start : m.start()])
            start = m.end()
    out.append(sentence[start:])
    # "目标是什么，由哪个司负责": a comma between two questions, each with its own question word.
    final: list[str] = []
    for piece in out:
        final.extend(_split_comma_questions(piece))
    return [p.strip("，,；; ") for p in final if p.strip("，,；; ")]


def _split_comma_questions(piece: str) -> list[str]:
    out: list[str] = []
    start = 0
    for m in _COMMA_ZH.finditer(piece):
        left, right = piece[start : m.start()], piece[m.end() :]
        if _QUESTION_ZH.search(left) and _QUESTION_ZH.search(right):
            out.append(left)
            start = m.end()
    out.append(piece[start:])
    return out


def _merge_empty(pieces: list[str]) -> list[str]:
    """A piece without words of its own ("thanks", "hi all", "list them all") is not a part:
    it joins the next one (or the previous, at the end)."""
    out: list[str] = []
    carry = ""
    for piece in pieces:
        text = f"{carry} {piece}".strip() if carry else piece
        if all(t in _NO_CONTENT for t in tokenize(piece)):
            carry = text
            continue
        out.append(text)
        carry = ""
    if carry:
        if out:
            out[-1] = f"{out[-1]} {carry}".strip()
        else:
            out.append(carry)
    return out
