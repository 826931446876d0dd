"""Starter questions: the suggested prompts of the Messages tab and the examples of the Home tab.

Slack shows at most four suggested prompts in an assistant thread (limits.SUGGESTED_PROMPTS), so
each set has four. The Security Council set is for colleagues new to Security Council affairs
(subprogramme 3): what the division does, how its work is measured, and its key mandates.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prompt:
    title: str  # short label on the button (≤ 75 characters)
    message: str  # the question sent when it is picked

    def to_slack(self) -> dict[str, str]:
        return {"title": self.title, "message": self.message}


GENERAL_PROMPTS: list[Prompt] = [
    Prompt("The programme's overall objective", "What is the overall objective of the programme?"),
    Prompt("Resolutions on Western Sahara", "Which resolutions cover Western Sahara?"),
    Prompt("Resolution 1373 (2001)", "What is resolution 1373 (2001) about?"),
    Prompt(
        "Electoral assistance", "How does the programme measure success in electoral assistance?"
    ),
]

SECURITY_COUNCIL_PROMPTS: list[Prompt] = [
    Prompt(
        "What Security Council affairs covers",
        "What is the objective of the subprogramme on Security Council affairs?",
    ),
    Prompt(
        "Who does the work",
        "Which division is responsible for servicing the Security "
        "Council and what does it provide?",
    ),
    Prompt(
        "How success is measured",
        "What are the expected accomplishments and indicators for Security Council affairs?",
    ),
    Prompt(
        "Counter-terrorism mandate", "What does the Department do with UNODC on counter-terrorism?"
    ),
]

PROMPTS_TITLE = "Try asking"
SECURITY_COUNCIL_TITLE = "New to Security Council affairs? Start here"
