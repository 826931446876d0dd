"""The terminal surface: a readable rendering of an Answer, and the chat loop."""

from __future__ import annotations

import json
import sys
from typing import TextIO

from bot.answer import Answer

HELP = """Ask about Programme 2 (Political affairs) in English or Chinese, e.g.
  Which resolutions cover Western Sahara?
  What is 1373 (2001)?
  安理会事务次级方案的预期成果有哪些？
Follow-ups ("and its indicators?") build on the previous answer; :new starts afresh.
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
    english = pipeline.index.programme.passage(source.id).text_en
    if previous.language == "en" and english:
        lines += ["", f"Unofficial translation: {english}"]
    return "\n".join(lines)


def chat(
    pipeline, as_json: bool = False, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> int:
    from bot.pipeline import QuestionError

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
