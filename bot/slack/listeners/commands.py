"""/programme <question> (a private answer with "Share in channel") and /mandate <topic|symbol>.

Both ack at once with nothing visible, then answer through the command's response_url from a
worker thread: that works in any channel or DM, whether or not the bot is a member.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.slack.answering import answer_privately
from bot.slack.deps import Deps
from bot.slack.mrkdwn import from_slack

PROGRAMME_USAGE = (
    "Ask a question about Programme 2 (Political affairs), e.g. "
    "`/programme What does subprogramme 3 do?` or `/programme 安理会事务的预期成果有哪些？`"
)
MANDATE_USAGE = (
    "Give a topic or a resolution symbol, e.g. `/mandate Western Sahara` or `/mandate 1373 (2001)`"
)


def register(app: App, deps: Deps) -> None:
    def handle(ack: Ack, command: dict[str, Any], respond: Respond, mandates: bool) -> None:
        text = from_slack(command.get("text") or "").strip()
        if not text:
            ack(response_type="ephemeral", text=MANDATE_USAGE if mandates else PROGRAMME_USAGE)
            return
        ack()
        user, channel = command.get("user_id", ""), command.get("channel_id")
        deps.workers.submit(
            lambda: answer_privately(deps, respond, text, user, channel, mandates=mandates)
        )

    @app.command("/programme")
    def on_programme(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        handle(ack, command, respond, mandates=False)

    @app.command("/mandate")
    def on_mandate(ack: Ack, command: dict[str, Any], respond: Respond) -> None:
        handle(ack, command, respond, mandates=True)
