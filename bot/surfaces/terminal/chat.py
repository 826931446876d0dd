"""The terminal surface: a readable rendering of an Answer, and the chat loop."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from bot import languages
from bot.answer import Answer
from bot.languages.messages import messages
from bot.onboarding.map.draw import MapError, draw, png_size
from bot.onboarding.map.request import detect as detect_map_request
from bot.onboarding.map.words import describe
from bot.pipeline import QuestionError
from bot.records.labels import programme_name


def help_text(pipeline=None) -> str:
    """How to chat, naming the programme (the library's first document) and the languages."""
    say = messages(languages.default())
    programme = pipeline.library.first.programme if pipeline is not None else None
    name = programme_name(programme, languages.default()) if programme else ""
    spoken = say.join([languages.get(code).name for code in languages.answered()])
    return say("terminal.help", programme=name or "the programme", languages=spoken)


def render(answer: Answer) -> str:
    """The answer, then its sources and links under headings in the answer's language."""
    say = messages(answer.language)
    lines = [answer.answer]
    if answer.sources and not answer.abstained:
        lines += ["", say("terminal.sources")]
        lines += [
            say("terminal.source", i=i, ref=s.ref, section=s.section, score=f"{s.score:.2f}")
            for i, s in enumerate(answer.sources, start=1)
        ]
    linked = [m for m in answer.mandates if m.url]
    if linked and not answer.abstained:
        lines += ["", say("terminal.links")]
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
    language = "" if request.lang == languages.default() else f"-{request.lang}"
    path = folder / f"{name}{language}.png"
    try:
        png = draw(outline, request, "png")
        folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
    except (MapError, OSError) as exc:
        return f"bot> Cannot draw the map: {exc}"
    width, height = png_size(png)
    words = describe(outline, request.lang, request.subprogramme)
    saved = messages(request.lang)("terminal.map", path=path, width=width, height=height)
    return f"bot> {saved}\n{words}"


def chat(
    pipeline, as_json: bool = False, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> int:
    interactive = stdin.isatty()
    previous = None  # the last answer: follow-ups are read against it
    if interactive:
        print(help_text(pipeline), file=stdout)
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
            print(help_text(pipeline), file=stdout)
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
