"""Every setting read from the environment is checked as its flag is: a bad one stops any command
with one line naming it (exit 2), before anything loads."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot import cli
from bot.settings import SettingError, get_settings

BAD = [
    ("PROGRAMME_BOT_TOP_K", "0"),  # --top-k refuses it; the env used to give empty answers
    ("PROGRAMME_BOT_TOP_K", "-1"),
    ("PROGRAMME_BOT_TOP_K", "21"),
    ("PROGRAMME_BOT_TOP_K", "²"),
    ("PROGRAMME_BOT_TOP_K", "5.0"),
    ("PROGRAMME_BOT_MAX_QUESTION_CHARS", "0"),
    ("PROGRAMME_BOT_SLACK_WORKERS", "0"),
    ("PROGRAMME_BOT_SLACK_WORKERS", "9" * 50),
    ("PROGRAMME_BOT_SLACK_TIMEOUT", "0"),
    ("PROGRAMME_BOT_SLACK_TIMEOUT", "nan"),
    ("PROGRAMME_BOT_ANSWER_DEADLINE_S", "-3"),
    ("PROGRAMME_BOT_ANSWER_DEADLINE_S", "inf"),
    ("PROGRAMME_BOT_INDEX_RELOAD_S", "-1"),
    ("PROGRAMME_BOT_REDIS_RECLAIM_S", "soon"),
    ("PROGRAMME_BOT_LOG_CONTENT", "maybe"),
    ("PROGRAMME_BOT_LOG_FORMAT", "xml"),
    ("PROGRAMME_BOT_METRICS_ADDR", "9464"),
    ("PROGRAMME_BOT_QUERY_ENGINE", "gpu"),
    ("SLACK_TEAM_ID", "t123"),
    ("SLACK_TEAM_ID", "T1 OR 1=1"),
    ("SLACK_APP_ID", "T0000TEAM1"),
    ("SLACK_API_URL", "slack.com/api"),
    ("SLACK_HOOKS_URL", "http://hooks.example.org/"),  # plain http only on this machine
    ("SLACK_HOOKS_URL", "file:///etc/passwd"),
    ("LLM_BASE_URL", "ftp://model"),
    ("LLM_TIMEOUT", "0"),
    ("REDIS_URL", "http://redis:6379"),
    ("DATABASE_URL", "mysql://db"),
]


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize(("name", "value"), BAD)
def test_a_bad_setting_is_refused_with_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingError) as refused:
        get_settings()
    message = str(refused.value)
    assert name in message and "\n" not in message and len(message) < 200


@pytest.mark.parametrize(
    ("name", "value", "field", "expected"),
    [
        ("PROGRAMME_BOT_TOP_K", "1", "top_k", 1),
        ("PROGRAMME_BOT_TOP_K", "20", "top_k", 20),
        ("PROGRAMME_BOT_INDEX_RELOAD_S", "0", "index_reload_s", 0.0),
        ("PROGRAMME_BOT_LOG_CONTENT", "true", "log_content", True),
        ("PROGRAMME_BOT_LOG_CONTENT", "0", "log_content", False),
        ("SLACK_TEAM_ID", "T0000TEAM1", "slack_team_id", "T0000TEAM1"),
        ("SLACK_HOOKS_URL", "http://127.0.0.1:9999/response/", "slack_hooks_url", None),
        ("PROGRAMME_BOT_ANSWER_DEADLINE_S", "2.5", "answer_deadline_s", 2.5),
    ],
)
def test_good_settings_are_taken(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, field: str, expected: object
) -> None:
    monkeypatch.setenv(name, value)
    assert getattr(get_settings(), field) == (value if expected is None else expected)


def test_hooks_default_to_slacks_own_host_over_https() -> None:
    assert get_settings().slack_hooks_url == "https://hooks.slack.com/"


@pytest.mark.parametrize("value", ["0", "-1"])
def test_the_cli_refuses_a_bad_top_k_in_the_environment_as_it_refuses_the_flag(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    monkeypatch.setenv("PROGRAMME_BOT_TOP_K", value)
    assert cli.main(["ask", "What does subprogramme 3 do?"]) == cli.USAGE_ERROR
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [
        f"programme-bot: PROGRAMME_BOT_TOP_K must be a whole number from 1 to 20, got '{value}'"
    ]
    with pytest.raises(SystemExit) as flag:
        cli.main(["ask", "--top-k", value, "What does subprogramme 3 do?"])
    assert flag.value.code == cli.USAGE_ERROR
    assert "must be a whole number from 1 to 20" in capsys.readouterr().err
