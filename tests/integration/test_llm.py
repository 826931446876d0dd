"""Optional LLM synthesis against a chat-completions stand-in on loopback (no model, fast).

Every bad reply must leave the extractive Answer exactly as it was, with one warning line.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from bot.answer import Answer, MandateRef, Source
from bot.compose.llm import LLMSettings, Synthesizer, cited_numbers
from bot.settings import REPO_ROOT, Settings

KEY = "sk-test-0123456789abcdef"
MODEL = "stand-in-model"
PROMPTS = REPO_ROOT / "prompts"

TEXT_1 = "作为反恐怖主义事项的牵头部门，政治事务部将继续支持反恐怖主义执行工作队。"
TEXT_2 = "安全理事会决议的执行情况得到更好的监测。"
NOT_GIVEN = "这段文字不在答案的来源之中。"  # a corpus-like text the model must never see


def extractive(language: str = "en") -> Answer:
    en = language == "en"
    return Answer(
        question="What does the department do on terrorism?"
        if en
        else "政治事务部在反恐方面做什么？",
        language=language,
        answer="According to para. 2.4 (Overall orientation): «…»",
        abstained=False,
        sources=[
            Source(
                "2.4",
                "para. 2.4" if en else "第2.4段",
                "Overall orientation" if en else "总方向",
                None,
                TEXT_1,
                0.81,
            ),
            Source(
                "sp3.ea.b",
                "Subprogramme 3, expected accomplishment (b)" if en else "次级方案3，预期成果 (b)",
                "Subprogramme 3: Security Council affairs" if en else "次级方案3：安全理事会事务",
                3,
                TEXT_2,
                0.52,
            ),
        ],
        mandates=[
            MandateRef(
                "1373 (2001)",
                "Security Council",
                "消除国际恐怖主义的措施",
                "Measures to eliminate international terrorism",
                [3],
            )
        ],
    )


# -- the stand-in server -----------------------------------------------------------------------


def chat_reply(content: Any, finish_reason: str = "stop") -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish_reason,
            }
        ],
    }


@dataclass
class StandIn:
    """What the server replies (`behaviour`) and what it received (`requests`)."""

    base_url: str
    behaviour: str = "good"
    content: str = "The department leads on counter-terrorism [1]."
    requests: list[dict[str, Any]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def last(self) -> dict[str, Any]:
        assert len(self.requests) == 1, self.requests
        return self.requests[0]


def make_handler(stand_in: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
            pass

        def send(self, status: int, body: bytes, ctype: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            stand_in.requests.append(
                {"path": self.path, "headers": dict(self.headers), "json": json.loads(raw)}
            )
            b = stand_in.behaviour
            try:
                if b == "slow":
                    # Held until the client has given up; the fixture releases it at teardown.
                    stand_in.release.wait(5)
                    self.send(200, json.dumps(chat_reply(stand_in.content)).encode())
                elif b == "http500":
                    self.send(500, b'{"error": {"message": "internal error"}}')
                elif b == "not_json":
                    self.send(200, b"<html>Bad gateway</html>", "text/html")
                elif b == "wrong_shape":
                    self.send(200, json.dumps({"result": stand_in.content}).encode())
                elif b == "no_choices":
                    self.send(200, json.dumps({"choices": []}).encode())
                elif b == "content_not_text":
                    self.send(200, json.dumps(chat_reply({"text": stand_in.content})).encode())
                elif b == "truncated":
                    self.send(200, json.dumps(chat_reply(stand_in.content, "length")).encode())
                else:  # "good": reply with stand_in.content, whatever it cites
                    self.send(200, json.dumps(chat_reply(stand_in.content)).encode())
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client timed out and hung up: expected in the "slow" case

    return Handler


@pytest.fixture
def server() -> Iterator[StandIn]:
    stand_in = StandIn(base_url="")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(stand_in))
    httpd.daemon_threads = True
    host, port = httpd.server_address[:2]
    stand_in.base_url = f"http://{host}:{port}/v1"
    # A short poll so shutdown() at teardown returns at once.
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield stand_in
    finally:
        stand_in.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def synthesizer(server: StandIn, key: str = KEY, timeout: float = 5.0) -> Synthesizer:
    return Synthesizer(LLMSettings(server.base_url, MODEL, key, timeout), PROMPTS)


@pytest.fixture(autouse=True)
def capture_all_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # so a key leaked at any level would be seen


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


# -- the good model ----------------------------------------------------------------------------


def test_good_reply_is_used_with_a_sources_line(server, caplog) -> None:
    server.content = "  The department leads the UN's counter-terrorism work [1].\n"
    answer = extractive()
    result = synthesizer(server).synthesize(answer)
    assert result.answer == (
        "The department leads the UN's counter-terrorism work [1].\n\nSources: [1] para. 2.4"
    )
    # Only the text changes: sources, mandates and the rest are the extractive answer's.
    assert result == replace(answer, answer=result.answer)
    assert warnings_of(caplog) == []
    assert KEY not in caplog.text


def test_sources_line_lists_every_cited_source_once_in_order_zh(server) -> None:
    server.content = (
        "政治事务部是反恐怖主义事项的牵头部门【1】，其依据是第1373 (2001)号决议[3][1]。"
    )
    result = synthesizer(server).synthesize(extractive("zh"))
    assert result.answer == (
        server.content + "\n\n来源：[1] 第2.4段；[3] 安全理事会第1373 (2001)号决议"
    )


def test_request_carries_the_numbered_sources_and_only_them(server) -> None:
    synthesizer(server).synthesize(extractive())
    req = server.last
    assert req["path"] == "/v1/chat/completions"
    body = req["json"]
    assert body["model"] == MODEL
    assert body["temperature"] == 0
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    user = body["messages"][1]["content"]
    assert "What does the department do on terrorism?" in user
    # Exactly [1]..[3]: two passages (as surfaces number them), then the mandate.
    assert re.findall(r"^\[(\d+)\]", user, re.M) == ["1", "2", "3"]
    assert re.search(r"^\[1\] para\. 2\.4 — Overall orientation\n" + TEXT_1 + "$", user, re.M)
    assert re.search(r"^\[2\] Subprogramme 3, expected accomplishment \(b\)", user, re.M)
    assert TEXT_2 in user
    assert re.search(r"^\[3\] Security Council resolution 1373 \(2001\)", user, re.M)
    assert "消除国际恐怖主义的措施" in user
    assert "Measures to eliminate international terrorism" in user
    assert NOT_GIVEN not in json.dumps(body, ensure_ascii=False)
    # The extractive answer's own text is not a source: the model sees sources only.
    assert "According to para. 2.4" not in json.dumps(body, ensure_ascii=False)
    assert "Answer in English" in user


def test_chinese_question_asks_for_a_chinese_answer(server) -> None:
    synthesizer(server).synthesize(extractive("zh"))
    messages = server.last["json"]["messages"]
    assert "用中文回答" in messages[0]["content"]
    assert "Answer in Chinese" in messages[1]["content"]
    assert re.search(r"^\[1\] 第2\.4段 — 总方向$", messages[1]["content"], re.M)


def test_authorization_header_only_when_a_key_is_set(server, caplog) -> None:
    synthesizer(server).synthesize(extractive())
    synthesizer(server, key="").synthesize(extractive())
    with_key, without_key = (r["headers"] for r in server.requests)
    assert with_key["Authorization"] == f"Bearer {KEY}"
    assert "Authorization" not in without_key
    assert KEY not in caplog.text


def test_loopback_endpoint_bypasses_http_proxy(server, monkeypatch) -> None:
    # A proxy that does not exist: the local server is reached directly all the same.
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    result = synthesizer(server).synthesize(extractive())
    assert result.answer.endswith("Sources: [1] para. 2.4")


# -- every bad reply falls back, with one warning line and no key --------------------------------


@pytest.mark.parametrize(
    ("behaviour", "content", "reason"),
    [
        ("good", "It leads counter-terrorism work [9].", "cites [9]; only [1]..[3]"),
        ("good", "It leads counter-terrorism work [1, 4].", "cites [4]; only [1]..[3]"),
        ("good", "It leads counter-terrorism work [0].", "cites [0]"),
        ("good", "It leads counter-terrorism work.", "cites no source"),
        ("good", "   \n ", "empty reply"),
        ("http500", "", "HTTP 500"),
        ("not_json", "", "not JSON"),
        ("wrong_shape", "It leads [1].", "no choices[0].message.content"),
        ("no_choices", "", "no choices[0].message.content"),
        ("content_not_text", "It leads [1].", "not text"),
        ("truncated", "It leads [1] and", "cut off"),
    ],
)
def test_bad_reply_falls_back_to_the_extractive_answer(
    server, caplog, behaviour: str, content: str, reason: str
) -> None:
    server.behaviour, server.content = behaviour, content
    answer = extractive()
    result = synthesizer(server).synthesize(answer)
    assert result is answer
    (warning,) = warnings_of(caplog)
    assert reason in warning
    assert "extractive answer" in warning
    assert "\n" not in warning
    assert KEY not in caplog.text


def test_timeout_falls_back_quickly(server, caplog) -> None:
    server.behaviour = "slow"
    answer = extractive()
    started = time.perf_counter()
    result = synthesizer(server, timeout=0.5).synthesize(answer)
    assert time.perf_counter() - started < 3
    assert result is answer
    (warning,) = warnings_of(caplog)
    assert "no reply within 0.5s" in warning
    assert KEY not in caplog.text


def test_unreachable_endpoint_falls_back(caplog) -> None:
    # Bind then close a port so nothing is listening on it.
    probe = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = probe.server_address[1]
    probe.server_close()
    llm = LLMSettings(f"http://127.0.0.1:{port}/v1", MODEL, KEY, 2.0)
    answer = extractive()
    assert Synthesizer(llm, PROMPTS).synthesize(answer) is answer
    (warning,) = warnings_of(caplog)
    assert "cannot reach the endpoint" in warning
    assert KEY not in caplog.text


def test_key_is_masked_even_if_an_error_echoes_it(server, caplog, monkeypatch) -> None:
    def leaky(self, messages):
        raise RuntimeError(f"boom with Bearer {KEY}")

    monkeypatch.setattr(Synthesizer, "complete", leaky)
    answer = extractive()
    assert synthesizer(server).synthesize(answer) is answer
    (warning,) = warnings_of(caplog)
    assert "boom with Bearer ***" in warning
    assert KEY not in caplog.text


# -- when the model is not asked at all --------------------------------------------------------


def test_abstained_or_sourceless_answers_are_returned_unchanged(server) -> None:
    abstained = replace(extractive(), abstained=True, sources=[], mandates=[])
    mandates_only = replace(extractive(), sources=[])
    s = synthesizer(server)
    assert s.synthesize(abstained) is abstained
    assert s.synthesize(mandates_only) is mandates_only
    assert server.requests == []


# -- settings ----------------------------------------------------------------------------------


def test_off_unless_both_url_and_model_are_set(monkeypatch) -> None:
    for name in ("LLM_BASE_URL", "LLM_MODEL", "LLM_API_KEY", "LLM_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    assert not LLMSettings.from_env().enabled
    monkeypatch.setenv("LLM_BASE_URL", "http://127.0.0.1:8080/v1")
    assert not LLMSettings.from_env().enabled
    monkeypatch.delenv("LLM_BASE_URL")
    monkeypatch.setenv("LLM_MODEL", MODEL)
    assert not LLMSettings.from_env().enabled
    assert Synthesizer.from_settings(Settings(llm_model=MODEL)) is None
    with pytest.raises(ValueError):
        Synthesizer(LLMSettings(None, MODEL), PROMPTS)


def test_settings_from_env_and_key_not_in_repr(monkeypatch) -> None:
    monkeypatch.setenv("LLM_BASE_URL", " http://127.0.0.1:8080/v1/ ")
    monkeypatch.setenv("LLM_MODEL", MODEL)
    monkeypatch.setenv("LLM_API_KEY", KEY)
    monkeypatch.delenv("LLM_TIMEOUT", raising=False)
    llm = LLMSettings.from_env()
    assert (llm.enabled, llm.model, llm.api_key, llm.timeout) == (True, MODEL, KEY, 10.0)
    assert KEY not in repr(llm)
    s = Synthesizer.from_settings(Settings(llm_base_url=llm.base_url, llm_model=MODEL))
    assert s is not None and s.url == "http://127.0.0.1:8080/v1/chat/completions"
    monkeypatch.setenv("LLM_TIMEOUT", "0.5")
    assert LLMSettings.from_env().timeout == 0.5
    for bad in ("soon", "0", "-1"):
        monkeypatch.setenv("LLM_TIMEOUT", bad)
        with pytest.raises(SystemExit, match="LLM_TIMEOUT"):
            LLMSettings.from_env()


def test_base_url_must_be_http() -> None:
    with pytest.raises(ValueError, match="http"):
        Synthesizer(LLMSettings("127.0.0.1:8080/v1", MODEL), PROMPTS)


def test_citation_parsing() -> None:
    assert cited_numbers("a [1] b [2, 3]【4】 ［5］ [6-8] [2][1]") == [1, 2, 3, 4, 5, 6, 7, 8, 2, 1]
    assert cited_numbers("resolution 1373 (2001), para. 2.4, [a], [ ]") == []
