"""`programme-bot tour` in the terminal: the figures it prints are the generator's and the link
table's own, the piped tour shows every card and every answer, the interactive one keeps
score, bad input gets one line; docs/tour.md is the command's walk-through, not typed."""

from __future__ import annotations

import io
import json
import subprocess

from bot.onboarding.quiz import QuizMaker
from bot.onboarding.tour import TourGuide
from bot.records.glossary import Glossary
from bot.records.links import DIRECT, SEARCH, mandate_link
from bot.records.parser import load_programme
from bot.settings import REPO_ROOT
from bot.surfaces.slack.walkthrough import walkthrough
from bot.surfaces.terminal.tour import run_tour
from tests.unit.cli_run import run_cli, run_process

PROGRAMME = load_programme(REPO_ROOT / "corpus" / "programme-2")
GUIDE = TourGuide(PROGRAMME, Glossary.load(REPO_ROOT / "corpus" / "programme-2"))
MAKER = QuizMaker(GUIDE.read)


def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return run_cli("tour", *args, stdin=stdin)


def test_stats_are_measured_from_the_generator_and_the_link_table() -> None:
    done = _run("--stats", "--json")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    for sp in range(1, 7):
        assert figures["questions"][str(sp)]["total"] == len(MAKER.questions(sp, "en"))
        assert figures["questions"][str(sp)]["total"] == len(MAKER.questions(sp, "zh"))
        assert figures["questions"][str(sp)]["total"] == len(MAKER.questions(sp, "fr"))
    kinds = [mandate_link(m).kind for m in PROGRAMME.mandates]
    assert figures["links"]["mandates"] == len(PROGRAMME.mandates)
    assert (figures["links"][DIRECT], figures["links"][SEARCH]) == (
        kinds.count(DIRECT),
        kinds.count(SEARCH),
    )
    assert "58/511" in figures["links"]["searched"] and "58/109" not in figures["links"]["searched"]
    text = _run("--stats").stdout
    assert "Mandate links (71 mandates)" in text


def test_piped_tour_prints_every_card_then_every_question_with_its_answer() -> None:
    done = _run("--subprogramme", "4", "--seed", "s1")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.count("━━ Decolonization Unit") == 5
    assert out.count("→ Answer:") == 5
    assert "https://undocs.org/A/RES/58/109" in out
    zh = _run("--subprogramme", "4", "--lang", "zh", "--seed", "s1").stdout
    assert zh.count("→ 答案:") == 5 and "非殖民化股" in zh


def test_the_tour_in_french_from_the_command_line() -> None:
    done = _run("--subprogramme", "4", "--lang", "fr", "--seed", "s1")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.count("━━ Groupe de la décolonisation") == 5
    assert out.count("→ Réponse : ") == 5
    assert out.count("(Texte français : traduction non officielle de l'original chinois.)") == 5
    assert "https://undocs.org/fr/A/RES/58/109" in out
    assert "16 territoires non autonomes restants" in out
    assert "fr" in _run("--help").stdout.split("--lang")[1]


def test_interactive_tour_with_back_then_the_quiz_and_a_score() -> None:
    quiz = MAKER.quiz(3, "en", "seed")
    answers = ["ABCD"[s.answer] for s in quiz]
    answers[1] = "ABCD"[(quiz[1].answer + 1) % 4]  # one wrong on purpose
    keys = ["", "b", "", "", "", "", "", "x", *answers]  # Enter, back, …, a bad answer first
    out = io.StringIO()
    code = run_tour(GUIDE, MAKER, 3, "en", io.StringIO("\n".join(keys) + "\n"), out, True, "seed")
    assert code == 0
    text = out.getvalue()
    assert text.count("2/5: Its objective") == 2  # shown, then shown again after "b"
    assert text.count("✅") == 4 and text.count("❌") == 1
    assert text.rstrip().endswith("You scored 4 out of 5.")


def test_quitting_and_end_of_input_leave_cleanly() -> None:
    out = io.StringIO()
    assert run_tour(GUIDE, MAKER, 3, "en", io.StringIO("q\n"), out, True, "s") == 0
    assert "1/5" in out.getvalue() and "2/5" not in out.getvalue()
    assert run_tour(GUIDE, MAKER, 3, "zh", io.StringIO(""), io.StringIO(), True, "s") == 0


def test_a_bad_subprogramme_is_one_line_and_a_usage_error() -> None:
    done = _run("--subprogramme", "9")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "programme-bot tour: there is no subprogramme 9; choose 1 to 6"
    ]
    assert run_process("tour", "--lang", "de").returncode == 2


def test_docs_tour_md_shows_the_current_walkthrough() -> None:
    docs = (REPO_ROOT / "docs" / "tour.md").read_text(encoding="utf-8")
    assert walkthrough(GUIDE, MAKER, 3, "en") in docs  # regenerate: see docs/tour.md
    assert _run("--stats").stdout.strip() in docs
    assert "docs/tour.md" in (REPO_ROOT / "README.md").read_text(encoding="utf-8")
