"""Credentials masked wherever text leaves a request: in log records, and in what people write
before it is stored (questions in the state store's answers and pending work, feedback reasons).

People paste things: a question may carry a Slack token, a signing secret, an API key. The logs
always masked Slack tokens and this app's own secrets; the stores now get the same masking, and
more, because what a person wrote is never an id the operator needs: any long run of letters
and digits that looks random (32+ characters with both) is masked there too. Log records are
spared that last rule (job and answer ids are 32 hex characters and are what an operator greps).
"""

from __future__ import annotations

import re
import threading

REDACTED = "[redacted]"
MIN_SECRET_CHARS = 8

# Credentials by their published shapes.
_KNOWN = re.compile(
    "|".join(
        (
            r"\bx(?:ox[abposre]|app)-[A-Za-z0-9-]+",  # Slack tokens
            r"https://hooks\.slack\.com/(?:services|workflows|triggers)/\S+",  # Slack webhooks
            r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b",  # AWS access key ids
            r"\bgh[pousr]_[A-Za-z0-9]{30,}\b|\bgithub_pat_[A-Za-z0-9_]{22,}",  # GitHub
            r"\bsk-[A-Za-z0-9_-]{20,}",  # OpenAI-style API keys
            r"\bAIza[0-9A-Za-z_-]{35}\b",  # Google API keys
            r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",  # JWTs
            r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)",
        )
    ),
    re.DOTALL,
)
# "password: hunter2", "api_key=…": the value goes, the name stays (it says what was there).
_ASSIGNED = re.compile(
    r"(?i)\b(password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key)(\s*[:=]\s*)\S+"
)
# Random-looking: 32+ ASCII letters, digits, _ - + = with at least one letter and one digit
# (ASCII only: a run of Chinese with a digit and an abbreviation in it is a sentence).
_RANDOM = re.compile(
    r"(?<![\w+=-])(?=[\w+=-]*\d)(?=[\w+=-]*[A-Za-z])[\w+=-]{32,}(?![\w+=-])", re.ASCII
)


class Redactor:
    def __init__(self, secrets: list[str] | None = None) -> None:
        self._secrets: list[str] = []
        self._lock = threading.Lock()
        self.add_secrets(secrets or [])

    def add_secrets(self, secrets: list[str]) -> None:
        """This app's own secrets (tokens, signing secret), masked wherever they appear."""
        with self._lock:
            known = set(self._secrets)
            self._secrets += [s for s in secrets if len(s) >= MIN_SECRET_CHARS and s not in known]

    def for_log(self, text: str) -> str:
        text = _KNOWN.sub(REDACTED, text)
        text = _ASSIGNED.sub(rf"\1\2{REDACTED}", text)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def for_storage(self, text: str) -> str:
        """What a person wrote, before it is kept anywhere."""
        return _RANDOM.sub(REDACTED, self.for_log(text))


# The process's redactor: serve() adds the configured secrets once (logs.install_redaction).
REDACTOR = Redactor()


def redact(text: str) -> str:
    """REDACTOR.for_storage: for text people wrote, before it is stored."""
    return REDACTOR.for_storage(text)
