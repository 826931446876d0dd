"""Every mandate in the corpus links to its text: the table says, for each one, whether the
UN document-symbol resolver opens it (and under which symbol), or whether the symbol is too
uncertain and the Digital Library is searched instead, or whether it is the Charter."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from bot.answer import Answer, MandateRef
from bot.records.links import CHARTER_LINK, DIRECT, SEARCH, link_for, mandate_link
from bot.records.parser import load_programme
from bot.settings import REPO_ROOT
from bot.stores.state import answer_from_json
from bot.surfaces.slack.views.mrkdwn import link
from bot.surfaces.terminal.chat import render

PROGRAMME = load_programme(REPO_ROOT / "corpus" / "programme-2")
BY_SYMBOL = {m.symbol: m for m in PROGRAMME.mandates}

# (mandate as displayed, kind of link, document symbol opened or text searched for)
LINKS = [
    ("Charter (Art. 99)", CHARTER_LINK, "Charter"),
    ("47/120 A", SEARCH, "A/RES/47/120 A"),
    ("47/120 B", SEARCH, "A/RES/47/120 B"),
    ("52/12 A and B", SEARCH, "A/RES/52/12 A and B"),
    ("55/161", DIRECT, "A/RES/55/161"),
    ("57/5", DIRECT, "A/RES/57/5"),
    ("57/26", DIRECT, "A/RES/57/26"),
    ("57/32", DIRECT, "A/RES/57/32"),
    ("57/35", DIRECT, "A/RES/57/35"),
    ("57/37", DIRECT, "A/RES/57/37"),
    ("57/40", DIRECT, "A/RES/57/40"),
    ("57/41", DIRECT, "A/RES/57/41"),
    ("57/42", DIRECT, "A/RES/57/42"),
    ("57/43", DIRECT, "A/RES/57/43"),
    ("57/44", DIRECT, "A/RES/57/44"),
    ("57/46", DIRECT, "A/RES/57/46"),
    ("57/47", DIRECT, "A/RES/57/47"),
    ("57/48", DIRECT, "A/RES/57/48"),
    ("57/156", DIRECT, "A/RES/57/156"),
    ("57/157", DIRECT, "A/RES/57/157"),
    ("57/296", DIRECT, "A/RES/57/296"),
    ("57/298", DIRECT, "A/RES/57/298"),
    ("57/337", DIRECT, "A/RES/57/337"),
    ("58/7", DIRECT, "A/RES/58/7"),
    ("58/10", DIRECT, "A/RES/58/10"),
    ("58/21", DIRECT, "A/RES/58/21"),
    ("58/81", DIRECT, "A/RES/58/81"),
    ("58/85", DIRECT, "A/RES/58/85"),
    ("58/86", DIRECT, "A/RES/58/86"),
    ("58/109", DIRECT, "A/RES/58/109"),
    ("58/239", DIRECT, "A/RES/58/239"),
    ("58/247", DIRECT, "A/RES/58/247"),
    ("1196 (1998)", DIRECT, "S/RES/1196(1998)"),
    ("1197 (1998)", DIRECT, "S/RES/1197(1998)"),
    ("1208 (1998)", DIRECT, "S/RES/1208(1998)"),
    ("1209 (1998)", DIRECT, "S/RES/1209(1998)"),
    ("1318 (2000)", DIRECT, "S/RES/1318(2000)"),
    ("1366 (2001)", DIRECT, "S/RES/1366(2001)"),
    ("58/180", DIRECT, "A/RES/58/180"),
    ("Charter (Arts. 1, 7, 12(b), 15, 24, 28, 29, 30, 45, 46, 47, 50)", CHARTER_LINK, "Charter"),
    ("686 (VII)", DIRECT, "A/RES/686(VII)"),
    ("55/222", DIRECT, "A/RES/55/222"),
    ("58/248", DIRECT, "A/RES/58/248"),
    ("1373 (2001)", DIRECT, "S/RES/1373(2001)"),
    ("1535 (2004)", DIRECT, "S/RES/1535(2004)"),
    ("1514 (XV)", DIRECT, "A/RES/1514(XV)"),
    ("1541 (XV)", DIRECT, "A/RES/1541(XV)"),
    ("1654 (XVI)", DIRECT, "A/RES/1654(XVI)"),
    ("2621 (XXV)", DIRECT, "A/RES/2621(XXV)"),
    ("52/220", DIRECT, "A/RES/52/220"),
    ("55/146", DIRECT, "A/RES/55/146"),
    ("58/102", DIRECT, "A/RES/58/102"),
    ("58/103", DIRECT, "A/RES/58/103"),
    ("58/104", DIRECT, "A/RES/58/104"),
    ("58/105", DIRECT, "A/RES/58/105"),
    ("58/106", DIRECT, "A/RES/58/106"),
    ("58/107", DIRECT, "A/RES/58/107"),
    ("58/108", DIRECT, "A/RES/58/108"),
    ("58/110", DIRECT, "A/RES/58/110"),
    ("58/111", DIRECT, "A/RES/58/111"),
    ("58/511", SEARCH, "58/511"),
    ("58/526", SEARCH, "58/526"),
    ("3376 (XXX)", DIRECT, "A/RES/3376(XXX)"),
    ("32/40 B", SEARCH, "A/RES/32/40 B"),
    ("34/65 D", SEARCH, "A/RES/34/65 D"),
    ("38/58 B", SEARCH, "A/RES/38/58 B"),
    ("46/74 B", SEARCH, "A/RES/46/74 B"),
    ("58/18", DIRECT, "A/RES/58/18"),
    ("58/19", DIRECT, "A/RES/58/19"),
    ("48/213", DIRECT, "A/RES/48/213"),
    ("49/88", DIRECT, "A/RES/49/88"),
]


def test_the_table_covers_every_mandate_in_the_corpus() -> None:
    assert sorted(symbol for symbol, _, _ in LINKS) == sorted(BY_SYMBOL)


@pytest.mark.parametrize("symbol, kind, target", LINKS, ids=[row[0] for row in LINKS])
def test_link_in_english_and_chinese(symbol: str, kind: str, target: str) -> None:
    mandate = BY_SYMBOL[symbol]
    en, zh = mandate_link(mandate, "en"), mandate_link(mandate, "zh")
    assert (en.kind, en.target) == (zh.kind, zh.target) == (kind, target)
    if kind == DIRECT:
        assert en.url == f"https://undocs.org/{target}"
        assert zh.url == f"https://undocs.org/zh/{target}"
    elif kind == SEARCH:
        for found, ln in ((en, "en"), (zh, "zh_CN")):
            url = urlparse(found.url)
            assert (url.scheme, url.netloc, url.path) == (
                "https",
                "digitallibrary.un.org",
                "/search",
            )
            assert parse_qs(url.query) == {"ln": [ln], "p": [target]}
    else:
        assert en.url == "https://www.un.org/en/about-us/un-charter/full-text"
        assert zh.url == "https://www.un.org/zh/about-us/un-charter/full-text"


def test_the_issue_examples() -> None:
    assert link_for("58/109", "General Assembly").url == "https://undocs.org/A/RES/58/109"
    assert link_for("1514 (XV)", "General Assembly").url == "https://undocs.org/A/RES/1514(XV)"
    assert link_for("686 (VII)", "General Assembly").url == "https://undocs.org/A/RES/686(VII)"
    assert link_for("1373 (2001)", "Security Council", "zh").url == (
        "https://undocs.org/zh/S/RES/1373(2001)"
    )
    for uncertain in ("32/40 B", "52/12 A and B", "58/511"):
        assert link_for(uncertain, "General Assembly").kind == SEARCH
    # Not a symbol at all: searched as written, never turned into a guessed document.
    assert link_for("resolution 1373", "Security Council").kind == SEARCH


def test_coverage_counts() -> None:
    kinds = [kind for _, kind, _ in LINKS]
    assert kinds.count(DIRECT) + kinds.count(SEARCH) + kinds.count(CHARTER_LINK) == len(LINKS)
    assert kinds.count(CHARTER_LINK) == 2


def _answer(language: str) -> Answer:
    m = BY_SYMBOL["1373 (2001)"]
    ref = MandateRef(m.symbol, m.body, m.title, m.translation("en"), list(m.subprogrammes))
    return Answer("q", language, "a", False, [], [ref])


def test_every_answer_mandate_carries_its_url_in_the_answer_language() -> None:
    assert _answer("en").mandates[0].url == "https://undocs.org/S/RES/1373(2001)"
    assert _answer("zh").mandates[0].url == "https://undocs.org/zh/S/RES/1373(2001)"
    assert _answer("en").to_json()["mandates"][0]["url"] == "https://undocs.org/S/RES/1373(2001)"


def test_the_url_round_trips_through_the_slack_state_json() -> None:
    data = _answer("zh").to_json()
    data["mandates"][0]["url"] = "https://undocs.org/zh/S/RES/1373(2001)?kept"
    assert answer_from_json(data).mandates[0].url.endswith("?kept")  # stored, not recomputed
    del data["mandates"][0]["url"]  # an answer stored before links existed gets one
    assert answer_from_json(data).mandates[0].url == "https://undocs.org/zh/S/RES/1373(2001)"


def test_slack_link_escapes_the_ampersand_and_the_label() -> None:
    search = link_for("32/40 B", "General Assembly").url
    text = link(search, "32/40 B <b> & co")
    assert text.startswith("<https://digitallibrary.un.org/search?ln=en&amp;p=")
    assert text.endswith("|32/40 B &lt;b&gt; &amp; co>")
    assert text.count("<") == 1 and text.count(">") == 1
    with pytest.raises(ValueError):
        link("javascript:alert(1)", "x")


def test_the_terminal_lists_the_links_under_the_answer() -> None:
    assert render(_answer("en")).endswith(
        "Links:\n  1373 (2001)  https://undocs.org/S/RES/1373(2001)"
    )
    assert "原文链接：" in render(_answer("zh"))
    abstained = Answer("q", "en", "no", True, [], _answer("en").mandates)
    assert "Links:" not in render(abstained)
