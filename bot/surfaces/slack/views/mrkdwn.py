"""Slack mrkdwn in and out: user text to plain text, plain text to safe mrkdwn, clean splitting.

Slack's mrkdwn is not Markdown. Only `& < >` need escaping, and `<...>` is the syntax of every
live mention, so escaping user text is what keeps `<!channel>` from pinging a channel. Bare
`@channel`/`@here`/`@everyone` can still be parsed into mentions by Slack, so a word joiner
(U+2060, invisible) is put after the `@`.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# No \b at the end: "@everyone0" split after "everyone" would become a live @everyone.
_BROADCAST = re.compile(r"@(channel|here|everyone)", re.IGNORECASE)
# Slack markup in incoming text: <@U1|name>, <!here>, <!subteam^S1|@t>, <#C1|general>, <url|label>
_MARKUP = re.compile(r"<([^<>]*)>")
_ENTITY_AT_END = re.compile(r"&[a-z]{0,4}$")
_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")


def escape(text: str) -> str:
    """Plain text → mrkdwn that shows exactly that text and mentions no one."""
    escaped = "".join(_ESCAPES.get(ch, ch) for ch in text)
    return _BROADCAST.sub(lambda m: "@" + WORD_JOINER + m.group(1), escaped)


def link(url: str, label: str) -> str:
    """A mrkdwn link `<url|label>` to a URL we built (bot/records/links.py); the label is plain
    text.

    Inside `<…>` only `&`, `<`, `>` are special, and `|` ends the URL: percent-encode those.
    """
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"not a web link: {url!r}")
    safe = url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")
    return f"<{safe}|{escape(label)}>"


def user_mention(user_id: str) -> str:
    """A live mention for a user id that came from Slack's payload, never from message text."""
    if not _USER_ID.match(user_id):
        raise ValueError(f"not a Slack user id: {user_id!r}")
    return f"<@{user_id}>"


def _markup_to_plain(match: re.Match[str]) -> str:
    inner = match.group(1)
    target, _, label = inner.partition("|")
    if target.startswith("@"):  # user mention
        return "@" + (label or target[1:])
    if target.startswith("!"):  # broadcast, subteam, date
        if label:
            return label if label.startswith("@") else "@" + label
        return "@" + target[1:].split("^", 1)[0]
    if target.startswith("#"):  # channel link
        return "#" + (label or target[1:])
    return label or target  # URL


def from_slack(text: str) -> str:
    """A message's text as the person meant it: markup resolved, Slack's own escapes undone."""
    plain = _MARKUP.sub(_markup_to_plain, text)
    return plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def strip_mention(text: str, user_id: str | None) -> str:
    """Remove mentions of the bot (`<@U123>` or `<@U123|name>`) from an app_mention's text."""
    if not user_id:
        return text
    return re.sub(rf"<@{re.escape(user_id)}(\|[^>]*)?>", " ", text).strip()


def mentions(text: str, user_id: str | None) -> bool:
    if not user_id:
        return False
    return re.search(rf"<@{re.escape(user_id)}(\|[^>]*)?>", text) is not None


def _safe_cut(text: str, limit: int) -> int:
    """The largest cut ≤ limit that splits neither an `&amp;` entity nor a surrogate pair."""
    cut = min(limit, len(text))
    entity = _ENTITY_AT_END.search(text[:cut])
    if entity and ";" in text[entity.start() : entity.start() + 6]:
        cut = entity.start()
    if 0 < cut < len(text) and "\udc00" <= text[cut] <= "\udfff":
        cut -= 1
    return max(cut, 1)


def _best_break(text: str, limit: int) -> int:
    """Where to end the first chunk: paragraph, line, sentence, word, then a safe hard cut."""
    window = text[:limit]
    for separator in ("\n\n", "\n", "。", ". ", "；", "; ", "，", ", ", " "):
        at = window.rfind(separator)
        if at >= limit // 3:  # don't make a sliver of a chunk just to end on a boundary
            return at + len(separator)
    return _safe_cut(text, limit)


def split_text(text: str, limit: int) -> list[str]:
    """Split already-escaped mrkdwn into chunks of at most `limit` characters, cleanly."""
    if limit < 8:
        raise ValueError("limit too small to split cleanly")
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = _best_break(rest, limit)
        chunk = rest[:cut].rstrip()
        if chunk:
            chunks.append(chunk)
        rest = rest[cut:].lstrip("\n ")
    if rest.strip():
        chunks.append(rest.rstrip())
    return chunks or [""]


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """At most `limit` characters of escaped mrkdwn, ending on a word where one is near."""
    if len(text) <= limit:
        return text
    budget = limit - len(ellipsis)
    window = text[:budget]
    space = window.rfind(" ")
    cut = space if space >= budget * 2 // 3 else _safe_cut(text, budget)
    return text[:cut].rstrip() + ellipsis


def quote(text: str) -> str:
    """Escaped text as a mrkdwn block quote (the `>` we add is markup, not user text)."""
    return "\n".join(">" + line for line in text.split("\n"))
