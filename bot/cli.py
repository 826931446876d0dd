"""Command line: index · ask · mandates · chat · tour · map · eval · bench (and serve · feedback
for Slack).

stdout carries answers only (JSON lines with --json); progress and logs go to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO, TextIO

from bot import __version__, languages
from bot.embedding import ModelUnavailable, load_query_embedder
from bot.onboarding.map.draw import FORMATS, MapError, MapRequest, png_size, write_map
from bot.onboarding.map.words import describe
from bot.onboarding.quiz import QuizMaker
from bot.onboarding.tour import TourGuide
from bot.ops.bench import run_adversarial, run_bench
from bot.ops.bench_map import print_map_figures
from bot.ops.evaluate import evaluate, print_report
from bot.pipeline import Pipeline, QuestionError, validate_question
from bot.records.library import Document, Library
from bot.records.model import CorpusError
from bot.search.index import IndexUnusable, build_index, check_index
from bot.settings import MAX_TOP_K, REPO_ROOT, SettingError, get_settings
from bot.stores.feedback import FeedbackUnavailable, format_summary
from bot.stores.feedback.sqlite import FeedbackStore
from bot.surfaces.slack.server import serve
from bot.surfaces.slack.walkthrough import walkthrough
from bot.surfaces.terminal.chat import chat, render
from bot.surfaces.terminal.tour import format_stats, pick_subprogramme, run_tour, stats

EXAMPLES = """examples:
  programme-bot ask "Which resolutions cover Western Sahara?"
  programme-bot ask --json "What is resolution 1373 (2001) about?"
  programme-bot ask --json --batch questions.txt      # one question a line; "-" reads stdin
  programme-bot mandates "Western Sahara"
  programme-bot mandates 1373
  programme-bot chat
  programme-bot tour --subprogramme 3 --lang fr       # guided tour and self-check (en, zh, fr)
  programme-bot map --out programme-map.png           # the programme as a picture
  programme-bot map --subprogramme 3 --lang zh --out sp3.svg
  programme-bot run                                   # Slack if tokens are set, else chat
  programme-bot eval --set tests/eval/dev.jsonl

settings (environment): PROGRAMME_BOT_MODEL (default: the bundled multilingual-e5-small),
PROGRAMME_BOT_INDEX_DIR, PROGRAMME_BOT_CACHE_DIR, PROGRAMME_BOT_TOP_K"""

USAGE_ERROR = 2
# The development set lives in the repository, so `eval` and `bench` work in a clone alone.
DEV_SET = REPO_ROOT / "tests" / "eval" / "dev.jsonl"


def _top_k(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_TOP_K:
        raise argparse.ArgumentTypeError(
            f"must be a whole number from 1 to {MAX_TOP_K}, got {value!r}"
        )
    return number


def _progress(message: str) -> None:
    print(f"· {message}", file=sys.stderr, flush=True)


def _pipeline():

    return Pipeline.load(progress=_progress)


def _text(value: str) -> str:
    """A command-line argument as UTF-8 text: bytes that were not UTF-8 (kept by Python as
    surrogates) become U+FFFD, as they do in --batch input."""
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _lines(source: str) -> Iterable[str]:
    """--batch input, from a file or stdin ("-") read the same way: bytes, decoded as UTF-8
    with U+FFFD for what is not (stdin's own decoding depends on the locale, and under a C
    locale kept invalid bytes as surrogates that the question check then let through)."""
    if source == "-":
        yield from _decoded(sys.stdin.buffer)
        return
    try:
        with open(source, "rb") as handle:
            yield from _decoded(handle)
    except OSError as exc:
        raise SystemExit(f"programme-bot: cannot read {source}: {exc.strerror}") from exc


def _decoded(stream: BinaryIO) -> Iterable[str]:
    for number, raw in enumerate(stream):
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        yield line.removeprefix("\ufeff") if number == 0 else line  # a BOM is not a question


def _write_json(value: object, out: TextIO | None = None) -> None:
    """One JSON line, always valid UTF-8 whatever the locale says stdout is (a lone surrogate
    becomes "?")."""
    out = out or sys.stdout
    data = (json.dumps(value, ensure_ascii=False) + "\n").encode("utf-8", "replace")
    buffer = getattr(out, "buffer", None)
    if buffer is None:  # a text-only stream
        out.write(data.decode("utf-8"))
    else:
        out.flush()
        buffer.write(data)
    out.flush()


def _print_answer(answer, as_json: bool, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    if as_json:
        _write_json(answer.to_json(), out)
        return

    out.write(render(answer) + "\n")
    out.flush()


def cmd_ask(args: argparse.Namespace) -> int:

    if args.batch is None and not args.question:
        print(
            'programme-bot ask: give a question, e.g. programme-bot ask "What does '
            'subprogramme 3 do?", or --batch FILE',
            file=sys.stderr,
        )
        return USAGE_ERROR
    if args.batch is not None and args.question:
        print("programme-bot ask: give either a question or --batch, not both", file=sys.stderr)
        return USAGE_ERROR
    if args.batch is None:
        question = _text(" ".join(args.question))
        settings = get_settings()

        try:  # reject bad input before paying for the model
            validate_question(question, settings.max_question_chars)
        except QuestionError as exc:
            print(f"programme-bot ask: {exc}", file=sys.stderr)
            return USAGE_ERROR
        _print_answer(_pipeline().ask(question, top_k=args.top_k), args.json)
        return 0
    pipeline = _pipeline()
    failures = 0
    for line in _lines(args.batch):
        try:
            answer = pipeline.ask(line, top_k=args.top_k)
        except QuestionError as exc:
            failures += 1
            _write_json({"question": line, "error": str(exc)})
            continue
        _print_answer(answer, as_json=True)  # batch mode always writes JSON lines
    return 1 if failures else 0


def cmd_mandates(args: argparse.Namespace) -> int:
    topic = " ".join(args.topic)
    pipeline = _pipeline()

    try:
        answer = pipeline.ask_mandates(topic)
    except QuestionError as exc:
        print(f"programme-bot mandates: {exc}", file=sys.stderr)
        return USAGE_ERROR
    _print_answer(answer, args.json)
    return 0


def cmd_index(args: argparse.Namespace) -> int:

    settings = get_settings()
    # The serving engine decides whether the index is up to date; a build loads
    # sentence-transformers through it.
    embedder = load_query_embedder(
        settings.model, settings.cache_dir, settings.query_engine, _progress
    )
    problem = check_index(
        settings.index_dir, settings.corpus_dir, embedder.fingerprint, embedder.query_engine
    )
    if problem is None and not args.force:
        _progress(f"Index at {settings.index_dir} is up to date (use --force to rebuild)")
        return 0
    build_index(settings.index_dir, settings.corpus_dir, embedder, _progress)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:

    return chat(_pipeline(), as_json=args.json)


def cmd_eval(args: argparse.Namespace) -> int:

    report = evaluate(_pipeline(), Path(args.set))
    print_report(report, sys.stdout, verbose=args.misses)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    if args.maps_only:
        print_map_figures()
        return 0
    if args.adversarial:
        return run_adversarial(Path(args.set))
    return run_bench(Path(args.set), repeats=args.repeats, build=not args.skip_build)


def cmd_run(args: argparse.Namespace) -> int:
    """The main job: the Slack app when its tokens are set, else the terminal chat."""
    settings = get_settings()
    if settings.slack_bot_token and settings.slack_app_token:
        mode = argparse.Namespace(socket=True, host="127.0.0.1", port=0, verbose=args.verbose)
        return cmd_serve(mode)
    if settings.slack_bot_token and settings.slack_signing_secret:
        mode = argparse.Namespace(
            socket=False, host=args.host, port=args.port, verbose=args.verbose
        )
        return cmd_serve(mode)
    _progress(
        "No Slack tokens set (SLACK_BOT_TOKEN with SLACK_APP_TOKEN or "
        "SLACK_SIGNING_SECRET): starting the terminal chat. See docs/slack.md for Slack."
    )
    return cmd_chat(argparse.Namespace(json=False))


def cmd_serve(args: argparse.Namespace) -> int:

    return serve(
        socket_mode=args.socket,
        host=args.host,
        port=args.port,
        progress=_progress,
        verbose=args.verbose,
    )


def cmd_tour(args: argparse.Namespace) -> int:
    """The guided tour (no model needed: it reads the parsed programme)."""

    document = _document(args.document, "tour")
    if document is None:
        return USAGE_ERROR
    programme = document.programme
    guide, maker = TourGuide.of(document), QuizMaker.of(document)
    if args.subprogramme is not None and args.subprogramme not in programme.subprogrammes:
        numbers = sorted(programme.subprogrammes)
        print(
            f"programme-bot tour: there is no subprogramme {args.subprogramme}; "
            f"choose {numbers[0]} to {numbers[-1]}",
            file=sys.stderr,
        )
        return USAGE_ERROR
    if args.stats:
        figures = stats(programme, maker)
        print(json.dumps(figures, ensure_ascii=False) if args.json else format_stats(figures))
        return 0
    if args.walkthrough:
        print(walkthrough(guide, maker, args.subprogramme or guide.order[0], args.lang))
        return 0
    interactive = sys.stdin.isatty()
    sp = args.subprogramme
    if sp is None:
        first = guide.order[0]
        sp = pick_subprogramme(guide, args.lang, sys.stdin, sys.stdout) if interactive else first
        if sp is None:
            return 0
    seed = args.seed or uuid.uuid4().hex[:12]
    return run_tour(guide, maker, sp, args.lang, sys.stdin, sys.stdout, interactive, seed)


def cmd_map(args: argparse.Namespace) -> int:
    """The programme (or one subprogramme) as a picture: no model needed."""

    out = Path(args.out)
    if out.suffix.lower().lstrip(".") not in FORMATS:
        print(
            f"programme-bot map: --out must end in .svg or .png, not {out.name!r}", file=sys.stderr
        )
        return USAGE_ERROR
    document = _document(args.document, "map")
    if document is None:
        return USAGE_ERROR
    outline = document.outline
    numbers = [sp.number for sp in outline.subprogrammes]
    if args.subprogramme is not None and args.subprogramme not in numbers:
        print(
            f"programme-bot map: there is no subprogramme {args.subprogramme}; "
            f"choose {numbers[0]} to {numbers[-1]}",
            file=sys.stderr,
        )
        return USAGE_ERROR
    request = MapRequest(args.lang, args.subprogramme)
    try:
        data = write_map(outline, request, out)
    except MapError as exc:
        print(f"programme-bot map: {exc}", file=sys.stderr)
        return 1
    size = "{}×{} px, ".format(*png_size(data)) if out.suffix.lower() == ".png" else ""
    _progress(f"Wrote {out} ({size}{len(data) / 1024:.0f} KB)")
    if args.describe:
        print(describe(outline, args.lang, args.subprogramme))
    return 0


def _document(name: str | None, command: str) -> Document | None:
    """The library's document a command is about (the first when not named); None, with the
    reason on stderr, when there is no such document."""
    library = Library.load(get_settings().corpus_dir)
    if name is None or name in library:
        return library.document(name)
    held = ", ".join(d.id for d in library)
    print(
        f"programme-bot {command}: no document {name!r} (the library holds {held})", file=sys.stderr
    )
    return None


def cmd_feedback(args: argparse.Namespace) -> int:
    settings = get_settings()
    url = args.db if args.db and args.db.startswith(("postgresql://", "postgres://")) else None
    if url or (not args.db and settings.database_url):
        # Optional heavy dependency: psycopg, only for a PostgreSQL store.
        from bot.stores.feedback.postgres import PostgresFeedbackStore

        try:
            summary = PostgresFeedbackStore(url or settings.database_url).summary(args.recent)
        except FeedbackUnavailable as exc:
            print(f"programme-bot feedback: {exc}", file=sys.stderr)
            return 1
    else:
        db = Path(args.db) if args.db else settings.feedback_db
        if not db.exists():
            print(f"No feedback yet ({db} does not exist).", file=sys.stderr)
            return 0
        try:
            summary = FeedbackStore(db).summary(recent=args.recent)
        except FeedbackUnavailable as exc:  # a damaged file: one line
            print(f"programme-bot feedback: {exc}", file=sys.stderr)
            return 1
    if args.json:
        print(json.dumps(summary.to_json(), ensure_ascii=False))
    else:
        print(format_summary(summary))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="programme-bot",
        description="Answers questions about UN Programme 2 (Political affairs) from the programme "
        "text, with the paragraphs and resolutions it rests on.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("run", help="the main job: Slack app if tokens are set, else terminal chat")
    p.add_argument("--host", default="0.0.0.0", help="HTTP bind address in HTTP mode")
    p.add_argument("--port", type=int, default=3000, help="HTTP port in HTTP mode (default 3000)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("index", help="build index/ (model, FAISS, BM25, mandate table)")
    p.add_argument("--force", action="store_true", help="rebuild even when up to date")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser(
        "ask",
        help="answer a question (or a batch of them)",
        epilog='example: programme-bot ask --json "What is 1373 (2001)?"',
    )
    p.add_argument("question", nargs="*", help="the question (quote it)")
    p.add_argument("--json", action="store_true", help="print the answer as one JSON object")
    p.add_argument(
        "--batch",
        metavar="FILE",
        help='one question a line; "-" reads stdin; writes one JSON object a line, in order',
    )
    p.add_argument(
        "--top-k",
        type=_top_k,
        default=None,
        metavar="N",
        help=f"sources to return, 1-{MAX_TOP_K} (default 5)",
    )
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser(
        "mandates",
        help="list the resolutions for a topic or a symbol",
        epilog='examples: programme-bot mandates "Western Sahara" · programme-bot mandates 1373',
    )
    p.add_argument("topic", nargs="+", help="a topic or a resolution symbol")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_mandates)

    p = sub.add_parser("chat", help="talk to the bot in the terminal (no Slack needed)")
    p.add_argument("--json", action="store_true", help="show answers as JSON")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("eval", help="score answers on an evaluation set (answer contract)")
    p.add_argument(
        "--set",
        default=str(DEV_SET),
        metavar="FILE",
        help="JSON lines in the contract's format",
    )
    p.add_argument("--misses", action="store_true", help="list every miss with its evidence")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("bench", help="latency, cold start, index build time and peak memory")
    p.add_argument("--set", default=str(DEV_SET), metavar="FILE")
    p.add_argument("--repeats", type=int, default=3, help="passes over the set (default 3)")
    p.add_argument("--skip-build", action="store_true", help="do not time an index build")
    p.add_argument(
        "--maps-only", action="store_true", help="only the programme map's drawing figures"
    )
    p.add_argument(
        "--adversarial",
        action="store_true",
        help="only the worst question of tests/bench/adversarial.jsonl against the median one",
    )
    p.set_defaults(func=cmd_bench)
    p = sub.add_parser(
        "serve",
        help="run the Slack app (Socket Mode or HTTP)",
        epilog="examples: programme-bot serve --socket · "
        "programme-bot serve --http --port 3000 (see docs/slack.md)",
    )
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument(
        "--socket", action="store_true", help="Socket Mode (SLACK_BOT_TOKEN, SLACK_APP_TOKEN)"
    )
    mode.add_argument(
        "--http",
        action="store_true",
        help="HTTP at /slack/events (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET)",
    )
    p.add_argument("--host", default="127.0.0.1", help="HTTP bind address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=3000, help="HTTP port (default 3000)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "tour",
        help="a guided tour of one subprogramme, then a five-question self-check",
        epilog="examples: programme-bot tour · programme-bot tour --subprogramme 3 --lang zh · "
        "programme-bot tour --lang fr · programme-bot tour --stats",
    )
    p.add_argument(
        "--subprogramme", type=int, metavar="N", help="default: ask (the tour's first when piped)"
    )
    p.add_argument(
        "--lang",
        choices=languages.answered(),
        default=languages.default(),
        help=f"{', '.join(languages.answered())} (translations of the text are unofficial)",
    )
    p.add_argument(
        "--document", metavar="ID", help="a document of the library (default: the first)"
    )
    p.add_argument("--seed", help="reproduce a quiz (questions and choice order)")
    p.add_argument(
        "--stats", action="store_true", help="questions the generator can ask; link coverage"
    )
    p.add_argument("--json", action="store_true", help="with --stats: print JSON")
    p.add_argument(
        "--walkthrough", action="store_true", help="the Slack messages as text (docs/tour.md)"
    )
    p.set_defaults(func=cmd_tour)

    p = sub.add_parser(
        "map",
        help="draw the programme as a picture (SVG or PNG), or one subprogramme in detail",
        description="The Department, its subprogrammes, the units that carry them, the bodies "
        "they serve, their indicators and their mandates counted by body; with --subprogramme, "
        "one subprogramme with every indicator and every mandate symbol. Read off the "
        "programme text; needs Graphviz (dot) and a CJK font for Chinese.",
        epilog="examples: programme-bot map --out docs/programme-map.png · "
        "programme-bot map --subprogramme 3 --lang zh --out sp3.svg",
    )
    p.add_argument("--subprogramme", type=int, metavar="N", help="one subprogramme in detail")
    p.add_argument(
        "--document", metavar="ID", help="a document of the library (default: the first)"
    )
    p.add_argument(
        "--lang",
        choices=languages.answered(),
        default=languages.default(),
        help=f"{' or '.join(languages.answered())} (translated names and titles are unofficial)",
    )
    p.add_argument(
        "--out", required=True, metavar="FILE", help="where to write it: FILE.svg or FILE.png"
    )
    p.add_argument(
        "--describe", action="store_true", help="also print the map in words (its alt text)"
    )
    p.set_defaults(func=cmd_map)

    p = sub.add_parser("feedback", help="summarise the 👍/👎 feedback given in Slack")
    p.add_argument(
        "--db",
        metavar="FILE|URL",
        help="an SQLite file or a postgresql:// URL (default: DATABASE_URL, else the SQLite file)",
    )
    p.add_argument("--recent", type=int, default=10, metavar="N", help="recent 👎 to list")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=cmd_feedback)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return USAGE_ERROR

    try:
        # Every setting is checked before any command starts, as a bad flag would be: one line.
        get_settings()
    except SettingError as exc:
        print(f"programme-bot: {exc}", file=sys.stderr)
        return USAGE_ERROR
    try:
        return args.func(args)
    except (CorpusError, IndexUnusable, ModelUnavailable) as exc:
        print(f"programme-bot: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
