"""Optional LLM synthesis: rewrite an extractive Answer from its own sources, citations checked.

Off unless LLM_BASE_URL and LLM_MODEL are set. The model (any OpenAI-compatible chat endpoint)
sees only the Answer's sources, numbered [1]..[n] (passages first, in the order every surface
shows them, then mandates), and must cite them as [n]. Anything doubtful -- an error, a timeout, a
reply without a citation or citing a number it was not given -- returns the extractive Answer
unchanged, so synthesis can make an answer read better but never makes it less trustworthy.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import logging
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import jinja2

from bot import languages
from bot.answer import Answer, MandateRef
from bot.languages.messages import messages
from bot.records.labels import body_name
from bot.records.model import CHARTER, Programme
from bot.settings import Settings, get_settings

log = logging.getLogger(__name__)

SYSTEM_TEMPLATE = "llm_system.j2"
USER_TEMPLATE = "llm_user.j2"
MAX_RESPONSE_BYTES = 1 << 20  # a chat reply is a few KB; never buffer an unbounded body

# [1], [1][2], [1, 3], [1-3]; full-width brackets too, since Chinese replies use them. Every
# number inside is checked, so "[1, 9]" cannot smuggle an invented source past the check.
_CITATION = re.compile(r"[\[［【]\s*(\d+(?:\s*[,，、;；\-–~]\s*\d+)*)\s*[\]］】]")
_LIST_SEP = re.compile(r"\s*[,，、;；]\s*")
_RANGE_SEP = re.compile(r"\s*[\-–~]\s*")
_MAX_RANGE = 50  # "[1-3]" expands; an absurd "[1-9999]" is checked by its ends only


@dataclass(frozen=True)
class LLMSettings:
    base_url: str | None = None  # e.g. http://127.0.0.1:8080/v1 (".../chat/completions" is added)
    model: str | None = None
    api_key: str = field(default="", repr=False)  # never in repr, logs or warnings
    timeout: float = 10.0  # seconds

    @property
    def enabled(self) -> bool:
        return bool(self.base_url and self.model)

    @classmethod
    def from_settings(cls, settings: Settings) -> LLMSettings:
        return cls(
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=settings.llm_api_key,
            timeout=settings.llm_timeout,
        )

    @classmethod
    def from_env(cls) -> LLMSettings:
        # The uncached builder: read the environment as it is now, parsed exactly as Settings is.
        return cls.from_settings(get_settings.__wrapped__())


class SynthesisError(Exception):
    """Why a model reply was not used; the message is logged (it never contains the key)."""


def cited_numbers(text: str) -> list[int]:
    """Every source number the text cites, in order of appearance (duplicates kept)."""
    numbers: list[int] = []
    for group in _CITATION.finditer(text):
        for part in _LIST_SEP.split(group.group(1)):
            ends = [int(x) for x in _RANGE_SEP.split(part)]
            if len(ends) == 2 and 0 <= ends[1] - ends[0] <= _MAX_RANGE:
                numbers.extend(range(ends[0], ends[1] + 1))
            else:
                numbers.extend(ends)
    return numbers


def mandate_label(m: MandateRef, lang: str) -> str:
    """'Security Council resolution 1373 (2001)', '安全理事会第1373 (2001)号决议', 'Charter'."""
    if m.body == CHARTER:
        return m.symbol
    return messages(lang)("llm.resolution", body=body_name(m.body, lang), symbol=m.symbol)


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Synthesizer:
    """Thread-safe (templates are immutable, each call opens its own connection)."""

    def __init__(self, settings: LLMSettings, prompts_dir: Path) -> None:
        if not settings.enabled:
            raise ValueError("LLM synthesis needs both LLM_BASE_URL and LLM_MODEL")
        base = (settings.base_url or "").rstrip("/")
        parts = urllib.parse.urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            # A misconfiguration should stop startup, not silently fall back on every question.
            # The value is not echoed: it may carry credentials (https://user:pass@host).
            raise ValueError("LLM_BASE_URL must be an http(s) URL, e.g. http://127.0.0.1:8080/v1")
        self.settings = settings
        self.url = f"{base}/chat/completions"
        self.host = parts.hostname  # for log lines: never the full URL (it may carry userinfo)
        # A local server (llama.cpp, vLLM on 127.0.0.1) must not be sent through http_proxy;
        # a remote endpoint keeps the environment's proxy settings.
        handlers = [urllib.request.ProxyHandler({})] if _is_loopback(parts.hostname) else []
        self.opener = urllib.request.build_opener(*handlers)
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(prompts_dir)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # prompts are plain text
            keep_trailing_newline=False,
        )
        # Loaded once: synthesis runs on every answer.
        self.system_template = env.get_template(SYSTEM_TEMPLATE)
        self.user_template = env.get_template(USER_TEMPLATE)

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Synthesizer | None:
        """A Synthesizer when LLM_BASE_URL and LLM_MODEL are set, else None (synthesis off)."""
        settings = settings or get_settings()
        llm = LLMSettings.from_settings(settings)
        if not llm.enabled:
            return None
        synthesizer = cls(llm, settings.prompts_dir)
        log.info("LLM synthesis on: model %s at %s", llm.model, synthesizer.host)
        return synthesizer

    # -- prompt -------------------------------------------------------------------------------

    @staticmethod
    def numbered(answer: Answer) -> list[dict[str, Any]]:
        """The sources the model sees: passages [1..k] as surfaces number them, then mandates."""
        items: list[dict[str, Any]] = []
        for s in answer.sources:
            items.append({"kind": "passage", "ref": s.ref, "section": s.section, "text": s.text})
        for m in answer.mandates:
            items.append(
                {
                    "kind": "mandate",
                    "label": mandate_label(m, "en"),  # the prompt's own language is English
                    "symbol": m.symbol,
                    "body": m.body,
                    "title": m.title,
                    "title_en": m.title_en,
                    "subprogrammes": list(m.subprogrammes),
                }
            )
        for n, item in enumerate(items, start=1):
            item["n"] = n
        return items

    def messages(
        self, answer: Answer, numbered: list[dict[str, Any]], about: Programme | None = None
    ) -> list[dict[str, str]]:
        """The system and user messages; `about` names the programme in the system prompt."""
        manifest = about.manifest if about else None
        words = {
            "language": answer.language,
            "language_name": languages.get(answer.language).name,
            "text_language": languages.get(about.language).name if about else "Chinese",
            "answer_in": messages(answer.language)("llm.answer_in"),
            "programme": (
                f"Programme {manifest.number} ({manifest.title_in('en')})" if manifest else ""
            ),
        }
        system = self.system_template.render(**words).strip()
        user = self.user_template.render(
            question=answer.question, sources=numbered, **words
        ).strip()
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    # -- call ---------------------------------------------------------------------------------

    def complete(self, messages: list[dict[str, str]]) -> str:
        """POST /chat/completions; the reply's text, or SynthesisError saying why not."""
        body = json.dumps(
            {"model": self.settings.model, "messages": messages, "temperature": 0},
            ensure_ascii=False,
        ).encode("utf-8")
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.settings.api_key:
            headers["Authorization"] = f"Bearer {self.settings.api_key}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        # The timeout bounds connecting and each read, which is what stalls in practice.
        try:
            with self.opener.open(request, timeout=self.settings.timeout) as response:
                raw = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise SynthesisError(f"HTTP {exc.code} from the endpoint") from None
        except TimeoutError:
            raise SynthesisError(f"no reply within {self.settings.timeout:g}s") from None
        except urllib.error.URLError as exc:  # connecting failed; a connect timeout lands here
            if isinstance(exc.reason, TimeoutError):
                raise SynthesisError(f"no reply within {self.settings.timeout:g}s") from None
            raise SynthesisError(f"cannot reach the endpoint: {exc.reason}") from None
        except (OSError, ValueError, http.client.HTTPException) as exc:  # reset, bad HTTP, ...
            raise SynthesisError(f"request failed: {type(exc).__name__}: {exc}") from None
        if len(raw) > MAX_RESPONSE_BYTES:
            raise SynthesisError(f"reply larger than {MAX_RESPONSE_BYTES} bytes")
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise SynthesisError("reply is not JSON") from None
        try:
            choice = data["choices"][0]
            content = choice["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise SynthesisError("reply has no choices[0].message.content") from None
        if not isinstance(content, str):
            raise SynthesisError(f"message content is {type(content).__name__}, not text")
        if isinstance(choice, dict) and choice.get("finish_reason") == "length":
            raise SynthesisError("reply was cut off (finish_reason: length)")
        return content

    @staticmethod
    def check(text: str, count: int) -> list[int]:
        """The distinct source numbers the text cites, sorted; SynthesisError if any is wrong."""
        if not text.strip():
            raise SynthesisError("empty reply")
        cited = cited_numbers(text)
        if not cited:
            raise SynthesisError("reply cites no source [n]")
        invented = sorted({n for n in cited if not 1 <= n <= count})
        if invented:
            listed = ", ".join(f"[{n}]" for n in invented)
            raise SynthesisError(f"reply cites {listed}; only [1]..[{count}] were given")
        return sorted(set(cited))

    @staticmethod
    def sources_line(answer: Answer, used: list[int]) -> str:
        """'Sources: [1] para. 2.4; [3] Security Council resolution 1373 (2001)' (or 来源：…)."""
        labels = [s.ref for s in answer.sources]
        labels += [mandate_label(m, answer.language) for m in answer.mandates]
        separator = languages.get(answer.language).separator
        items = separator.join(f"[{n}] {labels[n - 1]}" for n in used)
        return messages(answer.language)("llm.sources", items=items)

    # -- the one entry point ------------------------------------------------------------------

    def synthesize(self, answer: Answer, about: Programme | None = None) -> Answer:
        """The model's answer + a sources line, or `answer` unchanged (abstained, no sources,
        or any failure -- logged as one warning line). `about`: the programme answered from."""
        if answer.abstained or not answer.sources:
            return answer
        numbered = self.numbered(answer)
        started = time.perf_counter()
        try:
            text = self.complete(self.messages(answer, numbered, about)).strip()
            used = self.check(text, len(numbered))
        except SynthesisError as exc:
            log.warning("LLM synthesis not used (%s); kept the extractive answer", self._safe(exc))
            return answer
        except Exception as exc:  # a bug here must never cost the user the extractive answer
            log.warning(
                "LLM synthesis failed (%s); kept the extractive answer",
                self._safe(f"{type(exc).__name__}: {exc}"),
            )
            return answer
        log.debug("LLM synthesis in %.2fs, cited %s", time.perf_counter() - started, used)
        return replace(answer, answer=f"{text}\n\n{self.sources_line(answer, used)}")

    def _safe(self, reason: object) -> str:
        """One line, with the key masked in case an error message ever echoes a header."""
        text = " ".join(str(reason).split())
        if self.settings.api_key:
            text = text.replace(self.settings.api_key, "***")
        return text
