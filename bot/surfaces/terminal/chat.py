"""The terminal surface: a readable rendering of an Answer, and the chat loop."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from bot.answer import Answer
from bot.onboarding.map.draw import MapError, draw, png_size
from bot.onboarding.map.request import detect as detect_map_request
from bot.onboarding.map.words import describe
from bot.pipeline import QuestionError

HELP = """Ask about Programme 2 (Political affairs) in English or Chinese, e.g.
  Which resolutions cover Western Sahara?
  What is 1373 (2001)?
  安理会事务次级方案的预期成果有哪些？
Follow-ups ("and its indicators?") build on the previous answer; :new starts afresh.
"Show me the programme" or "map of subprogramme 3" (方案结构图) draws the programme as a PNG.
Answers lead with the sentence that answers; :full shows the whole passage behind it
(:full 2 the second source).
Commands: :full [N], :json (toggle JSON output), :new, :help, :quit (or Ctrl-D)."""


def render(answer: Answer) -> str:
    lines = [answer.answer]
    if answer.sources and not answer.abstained:
        heading = "Sources" if answer.language == "en" else "来源"
        lines += ["", f"{heading}:"]
        lines += [
            f"  [{i}] {s.ref} — {s.section} (score {s.score:.2f})"
            for i, s in enumerate(answer.sources, start=1)
        ]
    linked = [m for m in answer.mandates if m.url]
    if linked and not answer.abstained:
        lines += ["", "Links:" if answer.language == "en" else "原文链接："]
        lines += [f"  {m.symbol}  {m.url}" for m in linked]
    return "\n".join(lines)


def full_passage(pipeline, previous: Answer | None, command: str) -> str:
    """`:full [N]`: the whole text of the previous answer's Nth source (default the first),
    with its unofficial English translation in English conversations."""
    arg = command.split()[1:]
    if not arg:
        n = 1
    elif arg[0].isdigit() and int(arg[0]) >= 1:
        n = int(arg[0])
    else:
        return "bot> Usage: :full [N], N the number of a source of the last answer (1, 2, …)."
    if previous is None or not previous.sources:
        return "bot> There is no passage to show yet: ask a question first."
    if n > len(previous.sources):
        count = len(previous.sources)
        return f"bot> The last answer has {count} sources; pick 1–{count}."
    source = previous.sources[n - 1]
    lines = [f"bot> {source.ref} — {source.section}", source.text]
    document = pipeline.library.document(source.document or previous.document)
    english = document.programme.passage(source.id).text_in("en")
    if previous.language == "en" and english:
        lines += ["", f"Unofficial translation: {english}"]
    return "\n".join(lines)


def draw_map(pipeline, request, folder: Path | None = None) -> str:
    """A map request in the chat: the PNG written to a file, its path and the map in words."""
    outline = pipeline.library.document(getattr(request, "document", None)).outline
    folder = folder or Path(tempfile.gettempdir()) / "programme-bot-maps"
    name = "programme-map" + (f"-sp{request.subprogramme}" if request.subprogramme else "")
    path = folder / f"{name}{'-zh' if request.lang == 'zh' else ''}.png"
    try:
        png = draw(outline, request, "png")
        folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
    except (MapError, OSError) as exc:
        return f"bot> Cannot draw the map: {exc}"
    width, height = png_size(png)
    words = describe(outline, request.lang, request.subprogramme)
    if request.lang == "zh":
        return f"bot> 结构图已保存：{path}（{width}×{height}像素）\n{words}"
    return f"bot> The map is in {path} ({width}×{height} px).\n{words}"


def chat(
    pipeline, as_json: bool = False, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> int:
    interactive = stdin.isatty()
    previous = None  # the last answer: follow-ups are read against it
    if interactive:
        print(HELP, file=stdout)
    while True:
        if interactive:
            stdout.write("\nyou> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        question = line.strip()
        if question in (":quit", ":q", ":exit"):
            break
        if question == ":help":
            print(HELP, file=stdout)
            continue
        if question == ":json":
            as_json = not as_json
            continue
        if question == ":new":
            previous = None
            continue
        if question.split()[:1] == [":full"]:
            print(full_passage(pipeline, previous, question), file=stdout)
            continue
        if not question:
            continue
        request = detect_map_request(question)
        if request:
            print(draw_map(pipeline, request), file=stdout)
            continue
        try:
            answer = pipeline.ask(question, previous=previous)
        except QuestionError as exc:
            print(f"bot> {exc}", file=stdout)
            continue
        previous = answer
        if as_json:
            print(json.dumps(answer.to_json(), ensure_ascii=False), file=stdout)
        else:
            print("bot> " + render(answer), file=stdout)
        stdout.flush()
    return 0
