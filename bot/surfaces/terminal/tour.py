"""`programme-bot tour`: the guided tour and its self-check in the terminal, the figures
behind them (--stats), and the Slack messages as text (--walkthrough, for docs/tour.md).

Interactive on a terminal (Enter: next, b: back, q: quit; answers A-D); with stdin not a
terminal it prints every card, then every question with its answer, so it can be piped.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TextIO

from bot.languages.messages import messages
from bot.onboarding.quiz import KIND_ORDER, QuizMaker, Shown
from bot.onboarding.tour import Card, Tour, TourGuide, visible_refs
from bot.records.links import CHARTER_LINK, DIRECT, SEARCH, mandate_link
from bot.records.model import Programme

LETTERS = "ABCD"
WALKTHROUGH_SEED = "walkthrough"  # the quiz shown in docs/tour.md


def _prompts(lang: str):
    """The tour's prompts in a language: words["card"] → the catalogue's terminal.tour.card."""
    return messages(lang).section("terminal.tour")


def render_card(tour: Tour, index: int) -> str:
    card: Card = tour.cards[index]
    n = len(tour.cards)
    lines = [
        f"━━ {tour.unit} · {tour.name} · {index + 1}/{n}: {card.title} ━━",
        card.lead,
    ]
    for line, ref in zip(card.lines, visible_refs(card), strict=True):
        indent = "      ◦ " if line.level else "  • "
        label = f"{line.label} — " if line.label else ""
        cited = messages(tour.language)("cite.bare", text="", ref=ref) if ref else ""
        lines.append(f"{indent}{label}{line.text}{cited}")
        if line.url:
            lines.append(f"      {line.url}")
    if card.unofficial:
        lines.append(f"({card.unofficial})")
    return "\n".join(lines)


def render_question(shown: Shown, position: int, total: int) -> str:
    lines = [f"Q{position + 1}/{total}. {shown.question.text}"]
    lines += [f"   {LETTERS[i]}. {c.text}" for i, c in enumerate(shown.choices)]
    return "\n".join(lines)


def render_reveal(shown: Shown, chosen: int | None, lang: str) -> str:
    """The right choice with its explanation (source) and link; `chosen` None: no one answered."""
    words = _prompts(lang)
    right = f"{LETTERS[shown.answer]}. {shown.choices[shown.answer].text}"
    if chosen is None:
        verdict = f"→ {words['answer_is']}: {right}"
    elif chosen == shown.answer:
        verdict = f"✅ {words['right']}: {right}"
    else:
        verdict = f"❌ {words['wrong']} {right}"
    lines = [verdict, f"   {shown.question.explanation}"]
    if shown.question.url:
        lines.append(f"   {shown.question.url}")
    return "\n".join(lines)


def pick_subprogramme(guide: TourGuide, lang: str, stdin: TextIO, stdout: TextIO) -> int | None:
    choices = guide.choices(lang)
    default = choices[0][0]
    for sp, unit, name in choices:
        print(f"  {sp}. {unit} · {name}", file=stdout)
    words = _prompts(lang)
    while True:
        stdout.write(words["pick"].format(default=default))
        stdout.flush()
        line = stdin.readline()
        if not line:
            return None
        text = line.strip()
        if not text:
            return default
        if text.isdigit() and int(text) in {sp for sp, _, _ in choices}:
            return int(text)
        print(
            words["bad_pick"].format(choices=", ".join(str(sp) for sp, _, _ in choices)),
            file=stdout,
        )


def run_tour(
    guide: TourGuide,
    maker: QuizMaker,
    sp: int,
    lang: str,
    stdin: TextIO,
    stdout: TextIO,
    interactive: bool,
    seed: str,
) -> int:
    tour = guide.tour(sp, lang)
    quiz = maker.quiz(sp, lang, seed)
    words = _prompts(lang)
    if not interactive:
        for index in range(len(tour.cards)):
            print(render_card(tour, index), end="\n\n", file=stdout)
        for position, shown in enumerate(quiz):
            print(render_question(shown, position, len(quiz)), file=stdout)
            print(render_reveal(shown, None, lang), end="\n\n", file=stdout)
        return 0
    index = 0
    while index < len(tour.cards):
        print("\n" + render_card(tour, index), file=stdout)
        last = index == len(tour.cards) - 1
        stdout.write(f"{words['last'] if last else words['card']} > ")
        stdout.flush()
        command = stdin.readline()
        if not command or command.strip().lower() == "q":
            return 0
        if command.strip().lower() == "b":
            index = max(0, index - 1)
        else:
            index += 1
    right = 0
    for position, shown in enumerate(quiz):
        print("\n" + render_question(shown, position, len(quiz)), file=stdout)
        while True:
            stdout.write(words["answer"])
            stdout.flush()
            answer = stdin.readline()
            if not answer or answer.strip().lower() == "q":
                return 0
            letter = answer.strip().upper()
            if len(letter) == 1 and letter in LETTERS[: len(shown.choices)]:
                break
        chosen = LETTERS.index(letter)
        right += chosen == shown.answer
        print(render_reveal(shown, chosen, lang), file=stdout)
    print("\n" + words["score"].format(right=right, n=len(quiz)), file=stdout)
    return 0


# ---------------------------------------------------------------------- figures


def stats(programme: Programme, maker: QuizMaker) -> dict:
    """What the generator can ask, per subprogramme, and how the mandates are linked."""
    questions = {sp: maker.counts(sp) for sp in sorted(programme.subprogrammes)}
    links = {m.symbol: mandate_link(m) for m in programme.mandates}
    kinds = Counter(link.kind for link in links.values())
    return {
        "questions": {
            str(sp): {**counts, "total": sum(counts.values())} for sp, counts in questions.items()
        },
        "links": {
            "mandates": len(links),
            DIRECT: kinds[DIRECT],
            SEARCH: kinds[SEARCH],
            CHARTER_LINK: kinds[CHARTER_LINK],
            "searched": [s for s, link in links.items() if link.kind == SEARCH],
        },
    }


def format_stats(figures: dict) -> str:
    kinds = list(KIND_ORDER)
    head = f"{'subprogramme':<13}" + "".join(f"{k:>10}" for k in kinds) + f"{'total':>8}"
    lines = [
        "Distinct self-check questions the generator can ask (each shown with 4 choices; the",
        "same questions in English, Chinese and French):",
        head,
    ]
    for sp, counts in figures["questions"].items():
        row = f"{sp:<13}" + "".join(f"{counts[k]:>10}" for k in kinds)
        lines.append(row + f"{counts['total']:>8}")
    total = sum(c["total"] for c in figures["questions"].values())
    lines.append(f"{'all':<13}" + " " * 10 * len(kinds) + f"{total:>8}")
    links = figures["links"]
    lines += [
        "",
        f"Mandate links ({links['mandates']} mandates): {links[DIRECT]} direct (undocs.org), "
        f"{links[SEARCH]} Digital Library searches, {links[CHARTER_LINK]} to the Charter.",
        f"Searched (symbol not certain): {', '.join(links['searched'])}.",
    ]
    return "\n".join(lines)


def print_json(figures: dict, out: TextIO) -> None:
    out.write(json.dumps(figures, ensure_ascii=False) + "\n")
