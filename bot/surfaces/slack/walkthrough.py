"""The Slack messages of one tour and its self-check, as text: what docs/tour.md shows
(`programme-bot tour --walkthrough`)."""

from __future__ import annotations

from bot.onboarding.quiz import QuizMaker
from bot.onboarding.tour import TourGuide
from bot.surfaces.slack.views import tour as T
from bot.surfaces.terminal.tour import LETTERS, WALKTHROUGH_SEED


def walkthrough(guide: TourGuide, maker: QuizMaker, sp: int, lang: str) -> str:
    """The Slack messages of one tour, as text: what docs/tour.md shows."""
    tour = guide.tour(sp, lang)
    quiz = maker.quiz(sp, lang, WALKTHROUGH_SEED)
    quiz_id = "0123456789ab"
    steps: list[tuple[str, list]] = [
        (
            "Take the tour (Home tab or Messages tab) → the pick, posted in the DM",
            T.pick_message(guide).blocks,
        ),
    ]
    clicks = ["English on the first division", *["Next ▶"] * (len(tour.cards) - 1)]
    for index, click in enumerate(clicks):
        steps.append((f"{click} → card {index + 1}", T.card_message(tour, index).blocks))
    steps.append(
        ("Check yourself ▶ → question 1", T.question_message(tour, quiz_id, quiz[0], 0, 5).blocks)
    )
    first = quiz[0]
    steps.append(
        (
            f"{LETTERS[first.answer]} (right) → the answer, with its source",
            T.answer_message(tour, quiz_id, first, 0, 5, first.answer).blocks,
        )
    )
    second = quiz[1]
    wrong = (second.answer + 1) % len(second.choices)
    steps.append(
        (
            f"Next question ▶, then {LETTERS[wrong]} (wrong) → the right answer, its source "
            "and link",
            T.answer_message(tour, quiz_id, second, 1, 5, wrong).blocks,
        )
    )
    results = [(shown, i != 1) for i, shown in enumerate(quiz)]
    steps.append(("…questions 3 to 5, then See your score", T.score_message(tour, results).blocks))
    out = []
    for title, blocks in steps:
        out += [f"**{title}**", "", "```text", T.blocks_as_text(blocks), "```", ""]
    return "\n".join(out)
