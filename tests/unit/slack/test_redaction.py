"""What redaction.py masks, in log records and in what people write before it is stored."""

from __future__ import annotations

import pytest

from bot.ops.redaction import REDACTED, Redactor

SECRET = "0123456789abcdef0123456789abcdef"  # the shape of a signing secret


@pytest.mark.parametrize(
    "text",
    [
        "xoxb-1111-2222-abcdefghijkl",
        "xapp-1-A0000APP01-1111-x",
        "https://hooks.slack.com/services/T000/B000/XXXXXXXX",
        "AKIAIOSFODNN7EXAMPLE",
        "ghp_" + "a1" * 18,
        "sk-" + "x9" * 12,
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlLWhlcmU",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----",
        SECRET,
    ],
)
def test_credentials_are_masked_in_logs_and_before_storage(text: str) -> None:
    redactor = Redactor([SECRET])
    for clean in (redactor.for_log, redactor.for_storage):
        masked = clean(f"before {text} after")
        assert text not in masked and REDACTED in masked and masked.startswith("before ")


def test_assignments_keep_their_name() -> None:
    assert Redactor().for_storage("password: hunter2, api_key=abc") == (
        f"password: {REDACTED} api_key={REDACTED}"
    )


def test_random_looking_runs_are_masked_in_storage_only() -> None:
    run = "8f14e45fceea167a5a36dedd4bea2543aa6d8d5e"
    assert Redactor().for_storage(f"key {run}") == f"key {REDACTED}"
    assert Redactor().for_log(f"answer {run} vanished") == f"answer {run} vanished"  # an id


@pytest.mark.parametrize(
    "question",
    [
        "What is resolution 1373 (2001) about?",
        "Which resolutions cover A/RES/58/109 and S/RES/2334(2016)?",
        "DPPA第3次级方案的目标是什么以及它如何衡量其成果和影响力呢请详细说明一下吧谢谢",
        "https://undocs.org/en/S/RES/1373(2001)",
        "electoralassistancedivisionexpectedaccomplishments",  # long, but no digit
    ],
)
def test_questions_are_left_as_they_are(question: str) -> None:
    assert Redactor([SECRET]).for_storage(question) == question
