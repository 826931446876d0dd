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

# The Home tab's examples in each of its languages (the English ones are the sets above). Each
# was asked of the real pipeline and answers in its language from the right record.
GENERAL_EXAMPLES: dict[str, list[Prompt]] = {
    "en": GENERAL_PROMPTS,
    "zh": [
        Prompt("本方案的总目标", "本方案的总目标是什么？"),
        Prompt("关于西撒哈拉的决议", "哪些决议涉及西撒哈拉？"),
        Prompt("第1373（2001）号决议", "第1373（2001）号决议是关于什么的？"),
        Prompt("选举援助", "方案如何衡量选举援助的成效？"),
    ],
    "fr": [
        Prompt("L'objectif général du programme", "Quel est l'objectif général du programme ?"),
        Prompt(
            "Résolutions sur le Sahara occidental",
            "Quelles résolutions portent sur le Sahara occidental ?",
        ),
        Prompt("Résolution 1373 (2001)", "De quoi traite la résolution 1373 (2001) ?"),
        Prompt(
            "Assistance électorale",
            "Quels sont les indicateurs de succès de l'assistance électorale ?",
        ),
    ],
}
SECURITY_COUNCIL_EXAMPLES: dict[str, list[Prompt]] = {
    "en": SECURITY_COUNCIL_PROMPTS,
    "zh": [
        Prompt("安全理事会事务的目标", "安全理事会事务次级方案的目标是什么？"),
        Prompt("由谁负责", "安全理事会事务司做什么？"),
        Prompt("如何衡量", "安全理事会事务的预期成果和绩效指标是什么？"),
        Prompt("反恐授权", "本部在反恐方面与联合国毒品和犯罪问题办公室做什么？"),
    ],
    "fr": [
        Prompt(
            "L'objectif des affaires du Conseil",
            "Quel est l'objectif du sous-programme sur les affaires du Conseil de sécurité ?",
        ),
        Prompt("Qui fait le travail", "Que fait la Division des affaires du Conseil de sécurité ?"),
        Prompt(
            "Nouveau à la Division",
            "Je viens d'arriver à la Division des affaires du Conseil de sécurité. "
            "Que fait ma division ?",
        ),
        Prompt(
            "Mandat de lutte contre le terrorisme",
            "Que fait le Département avec l'ONUDC en matière de lutte contre le terrorisme ?",
        ),
    ],
}

PROMPTS_TITLE = "Try asking"
SECURITY_COUNCIL_TITLE = "New to Security Council affairs? Start here"
