"""`programme-bot map` as a person runs it: the files it writes, and one line for bad input."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bot.onboarding.map.draw import png_size
from tests.unit.cli_run import run_cli, run_process


def _map(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("map", *args)


def test_it_writes_a_png_and_an_svg(tmp_path: Path) -> None:
    png, svg = tmp_path / "map.png", tmp_path / "sp3.SVG"
    done = _map("--out", str(png), "--describe")
    assert done.returncode == 0, done.stderr
    assert png_size(png.read_bytes())[0] >= 1200
    assert f"Wrote {png} (" in done.stderr
    assert "Security Council Affairs" in done.stdout or "SCAD" in done.stdout  # the words
    done = _map("--subprogramme", "3", "--lang", "zh", "--out", str(svg))
    assert done.returncode == 0, done.stderr
    assert "1373 (2001)" in svg.read_text(encoding="utf-8")
    assert done.stdout == ""


def test_bad_input_gets_one_clear_line_and_no_file(tmp_path: Path) -> None:
    cases = [
        (["--subprogramme", "9", "--out", str(tmp_path / "a.png")], 2, "no subprogramme 9"),
        (["--out", str(tmp_path / "a.jpg")], 2, "must end in .svg or .png, not 'a.jpg'"),
        (["--out", str(tmp_path / "missing" / "a.png")], 1, "cannot write"),
        (["--lang", "de", "--out", str(tmp_path / "a.png")], 2, "invalid choice: 'de'"),
        ([], 2, "the following arguments are required: --out"),
    ]
    for args, code, message in cases:
        done = _map(*args)
        assert done.returncode == code, (args, done.stderr)
        assert message in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_help_names_the_options_and_an_example() -> None:
    done = run_process("map", "--help")
    assert done.returncode == 0
    for word in ("--subprogramme N", "--lang", "--out FILE", "FILE.svg or FILE.png", "examples:"):
        assert word in done.stdout
