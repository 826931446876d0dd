"""Writes adversarial.jsonl: questions built to cost the question path as much as anyone in the
workspace can make them cost (issue 23), up to the maximum length (2,000 characters). `make
bench` times each against the median question of the evaluation set.

Kinds (each at several lengths up to the maximum):
- units: the same few unit abbreviations or names repeated (names, glossary terms, fuzzy
  near-misses of unit names, Chinese and French names);
- parts: many parts ("…? And …? And …?", "；以及", numbered items);
- symbols: resolution symbols in every spelling, paragraph references, numbers;
- runs: long runs with no spaces (Latin, digits, CJK with no punctuation, one repeated letter);
- scripts: mixed scripts (Latin, CJK, Cyrillic, Arabic, Greek, emoji) word by word;
- names: capitalised names and institutions the programme never mentions;
- padded: a real question behind a long preamble about the asker.

Deterministic (a fixed seed): run it again to regenerate the file after changing a rule.
    python tests/bench/make_adversarial.py
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

MAX_CHARS = 2000
LENGTHS = (500, 1000, MAX_CHARS)
HERE = Path(__file__).resolve().parent


def fill(unit: str, length: int) -> str:
    """`unit` repeated up to `length` characters, cut at a space where there is one."""
    text = (unit * (length // max(1, len(unit)) + 1))[:length]
    return text.rsplit(" ", 1)[0] if " " in text[-40:] else text


def questions(rng: random.Random) -> Iterator[tuple[str, str]]:
    units = {
        "units en": "SCAD EAD CTC ",
        "units lower": "scad ead ctc ",
        "units list": "SCAD, EAD, UNSCO, CEIRPP, C-24, DPA, OSCE, UNODC; ",
        "units zh": "安理会事务司 选举援助司 24国委员会 ",
        "units fr": "DAP DAE Division des affaires du Conseil de sécurité ",
        "units fuzzy": "Securty Councel Afairs Divison, Electorl Asistance Divsion ",
        "units full": "the Security Council Affairs Division and the Electoral Assistance "
        "Division ",
    }
    for kind, unit in units.items():
        for length in LENGTHS:
            yield kind, fill(unit, length)
    parts = {
        "parts en": "What is the objective of subprogramme 3, and which unit assists it? ",
        "parts and": "And what about subprogramme 5? ",
        "parts zh": "第五次级方案的目标是什么？由哪个司负责？以及",
        "parts numbered": "1) objective 2) mandates 3) indicators 4) who is responsible; ",
    }
    for kind, unit in parts.items():
        for length in LENGTHS:
            yield kind, fill(unit, length)
    symbols = {
        "symbols": "1373 (2001), 58/109, A/RES/48/213, S/RES/1540, 1514(XV), 47/120 A, ",
        "symbols zh": "第58/109号决议、1373（2001）、第2.8段、",
        "symbols paragraphs": "para. 2.4, 2.8, 2.11, 2.13; ",
        "numbers": "16 95 2001 1994 48 213 ",
    }
    for kind, unit in symbols.items():
        for length in LENGTHS:
            yield kind, fill(unit, length)
    letters = "abcdefghijklmnopqrstuvwxyz"
    cjk = "本次级方案的实质性责任由各区域司承担政策规划股将提供协助安全理事会事务司"
    for length in LENGTHS:
        yield "run letter", "a" * length
        yield "run latin", "".join(rng.choice(letters) for _ in range(length))
        yield "run caps", fill("SCADEADCTC", length)
        yield "run digits", "".join(rng.choice("0123456789") for _ in range(length))
        yield "run cjk", fill(cjk, length)
        yield "run symbols", fill("1373(2001)58/109A/RES/48/213", length)
    alphabets = [
        "Security Council",
        "安全理事会",
        "Совет Безопасности",
        "مجلس الأمن",
        "Conseil de sécurité",
        "Συμβούλιο",
        "🕊️📜",
        "SCAD",
    ]
    for length in LENGTHS:
        words: list[str] = []
        while len(" ".join(words)) < length:
            words.append(rng.choice(alphabets))
        yield "scripts", " ".join(words)[:length]
        yield "scripts interleaved", fill("S安C理A事D务 ", length)
    names = "World Bank IMF NATO ASEAN Peacebuilding Commission Geneva Nairobi Alpha Beta Gamma "
    capitals = " ".join(
        "".join(rng.choice(letters) for _ in range(rng.randint(3, 9))).capitalize()
        for _ in range(400)
    )
    for length in LENGTHS:
        yield "names", fill(names, length)
        yield "names random", capitals[:length].rsplit(" ", 1)[0]
    preamble = "I just joined the Security Council Affairs Division as a P3 officer in New York. "
    for length in LENGTHS:
        question = "What does my division do, under which mandates, and how is it measured?"
        yield "padded", fill(preamble, length - len(question) - 1) + " " + question


def main() -> None:
    rng = random.Random(23)
    rows = [{"kind": kind, "q": q} for kind, q in questions(rng)]
    assert all(0 < len(r["q"]) <= MAX_CHARS for r in rows)
    with (HERE / "adversarial.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} questions, {sum(len(r['q']) for r in rows):,} characters")


if __name__ == "__main__":
    main()
