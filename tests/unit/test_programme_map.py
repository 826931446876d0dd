"""The programme map (bot/onboarding/map/draw.py) drawn by the real Graphviz from the parsed
records: what the SVG says, in both languages, how wide the PNG is, the words of its alt text, and
that a changed text changes the picture."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bot.onboarding.map.draw import MapError, MapRequest, draw, png_size
from bot.onboarding.map.labels import wrap
from bot.onboarding.map.words import ALT_TEXT_LIMIT, describe
from bot.records.glossary import Glossary
from bot.records.model import GENERAL_ASSEMBLY
from bot.records.outline import load_outline, read_outline
from bot.records.parser import load_programme
from bot.settings import REPO_ROOT

CORPUS = REPO_ROOT / "corpus" / "programme-2"
LABEL = re.compile(r"^\s*(?:\([a-z]\)|[\u3220-\u3229])\s*")
PROGRAMME = load_programme(CORPUS)
GLOSSARY = Glossary.load(CORPUS)
OUTLINE = read_outline(PROGRAMME, GLOSSARY)

# The units the text makes responsible, as the issue lists them: the outline must find them all.
UNITS = {
    "en": [
        "Regional divisions",
        "Africa I Division",
        "Africa II Division",
        "Americas and Europe Division",
        "Asia and the Pacific Division",
        "Policy Planning Unit",
        "Electoral Assistance Division",
        "Security Council Affairs Division",
        "Decolonization Unit",
        "Division for Palestinian Rights",
        "UNSCO",
    ],
    "zh": [
        "各区域司",
        "非洲一司",
        "非洲二司",
        "美洲和欧洲司",
        "亚洲和太平洋司",
        "政策规划股",
        "选举援助司",
        "安全理事会事务司",
        "非殖民化股",
        "巴勒斯坦人民权利司",
        "中东和平进程协调员办事处",
    ],
}
BODIES = {
    "en": [
        "Security Council and its subsidiary bodies",
        "Special Committee on Decolonization",
        "Committee on the Exercise of the Inalienable Rights of the Palestinian People",
    ],
    "zh": [
        "安全理事会及其附属机构",
        "给予殖民地国家和人民独立宣言执行情况特别委员会",
        "巴勒斯坦人民行使不可剥夺权利委员会",
    ],
}


def svg_text(svg: bytes) -> str:
    """Every text the SVG shows, in order, without whitespace (labels wrap across lines)."""
    root = ET.fromstring(svg)
    texts = ["".join(e.itertext()) for e in root.iter() if e.tag.endswith("}text")]
    return re.sub(r"\s+", "", "".join(texts))


def shows(svg: bytes, text: str) -> bool:
    return re.sub(r"\s+", "", text) in svg_text(svg)


def subprogramme_names(lang: str) -> list[str]:
    titles = [PROGRAMME.subprogrammes[n].title for n in sorted(PROGRAMME.subprogrammes)]
    return titles if lang == "zh" else [GLOSSARY.name_in(t, "en") or "" for t in titles]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_whole_map_names_every_subprogramme_unit_and_body_served(lang: str) -> None:
    svg = draw(OUTLINE, MapRequest(lang), "svg")
    missing = [
        name
        for name in subprogramme_names(lang) + UNITS[lang] + BODIES[lang]
        if not name or not shows(svg, name)
    ]
    assert not missing
    assert shows(svg, "政治事务部" if lang == "zh" else "Department of Political Affairs")


def test_the_whole_map_counts_indicators_and_mandates_by_body() -> None:
    svg = draw(OUTLINE, MapRequest("en"), "svg")
    for n in sorted(PROGRAMME.subprogrammes):
        symbols = PROGRAMME.passage(f"sp{n}.mandates").symbols
        by_symbol = {m.symbol: m for m in PROGRAMME.mandates}
        ga = sum(1 for s in symbols if by_symbol[s].body == GENERAL_ASSEMBLY)
        indicators = sum(
            len(p.indicators)
            for p in PROGRAMME.retrievable()
            if p.subprogramme == n and p.kind == "accomplishment"
        )
        assert shows(svg, f"{indicators} indicator")
        assert shows(svg, f"{ga} GA")
    assert shows(svg, "Mandates: 1 Charter · 31 GA · 6 SC")  # subprogramme 1, as listed


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("number", [1, 2, 3, 4, 5, 6])
def test_a_subprogramme_map_lists_every_mandate_symbol_and_indicator(
    number: int, lang: str
) -> None:
    svg = draw(OUTLINE, MapRequest(lang, number), "svg")
    symbols = PROGRAMME.passage(f"sp{number}.mandates").symbols
    assert symbols and [s for s in symbols if not shows(svg, s)] == []
    records = [
        p
        for p in PROGRAMME.retrievable()
        if p.subprogramme == number and p.kind == "accomplishment"
    ]
    if lang == "zh":  # the indicators as the table has them, less their labels
        indicators = [LABEL.sub("", i) for p in records for i in p.indicators]
    else:
        indicators = [
            i.get("en") for a in OUTLINE.subprogramme(number).accomplishments for i in a.indicators
        ]
    assert len(indicators) == sum(len(p.indicators) for p in records)
    assert [i for i in indicators if not shows(svg, i)] == []
    # Its own units are there; another subprogramme's are not.
    own = OUTLINE.subprogramme(number).units[0].name.label(lang)
    other = OUTLINE.subprogramme(number % 6 + 1).units[0].name.label(lang)
    assert shows(svg, own) and not shows(svg, other)


@pytest.mark.parametrize(
    "request_",
    [MapRequest("en"), MapRequest("zh"), MapRequest("en", 2), MapRequest("zh", 3)],
    ids=["whole-en", "whole-zh", "sp2-en", "sp3-zh"],
)
def test_the_png_is_at_least_1200_pixels_wide(request_: MapRequest) -> None:
    width, height = png_size(draw(OUTLINE, request_, "png"))
    assert width >= 1200 and height > 300


def test_the_checked_in_pictures_are_there_and_wide_enough() -> None:
    for name in ("programme-map.png", "programme-map-sp3.png", "programme-map-zh.png"):
        assert png_size((REPO_ROOT / "docs" / name).read_bytes())[0] >= 1200
        assert f"docs/{name}" in (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def test_chinese_has_a_font_to_render_with() -> None:
    families = subprocess.run(
        ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=True
    ).stdout
    assert families.strip(), "no CJK font: make servers (tools/install-map-tools) installs one"


def test_a_changed_text_changes_the_picture(tmp_path: Path) -> None:
    """Another unit, a mandate fewer: the picture follows the text and the glossary."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    text_file = corpus / "programme-2-political-affairs.zh.txt"
    text = text_file.read_text(encoding="utf-8")
    assert "本次级方案的责任由非殖民化股承担" in text and "58/526  直布罗陀问题" in text
    text = text.replace("本次级方案的责任由非殖民化股承担", "本次级方案的责任由非殖民化司承担")
    text = text.replace("58/526  直布罗陀问题 \n", "")
    text_file.write_text(text, encoding="utf-8")
    with (corpus / "glossary.tsv").open("a", encoding="utf-8") as glossary:
        glossary.write("division\t非殖民化司\tDecolonization Division\tDD\t\n")

    changed = load_outline(corpus)
    en = draw(changed, MapRequest("en"), "svg")
    zh = draw(changed, MapRequest("zh"), "svg")
    assert shows(en, "Decolonization Division (DD)") and not shows(en, "Decolonization Unit")
    assert shows(zh, "非殖民化司") and not shows(zh, "非殖民化股")
    assert shows(en, "Mandates: 17 GA") and not shows(en, "Mandates: 18 GA")
    detail = draw(changed, MapRequest("en", 4), "svg")
    assert not shows(detail, "58/526") and shows(detail, "58/511")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_alt_text_says_the_structure_within_slacks_limit(lang: str) -> None:
    whole = describe(OUTLINE, lang)
    assert len(whole) <= ALT_TEXT_LIMIT
    assert all(name in whole for name in subprogramme_names(lang))
    assert ("UNSCO" if lang == "en" else "中东和平进程协调员办事处") in whole
    for sp in OUTLINE.subprogrammes:
        detail = describe(OUTLINE, lang, sp.number)
        assert len(detail) <= ALT_TEXT_LIMIT
        assert all(m.symbol in detail for m in sp.mandates if m.body != "Charter")


def test_bad_requests_get_a_clear_error() -> None:
    with pytest.raises(MapError, match="there is no subprogramme 9; the programme has 1 to 6"):
        draw(OUTLINE, MapRequest("en", 9), "png")
    with pytest.raises(MapError, match="not 'de'"):
        draw(OUTLINE, MapRequest("de"), "svg")
    with pytest.raises(MapError, match="not 'jpg'"):
        draw(OUTLINE, MapRequest("en"), "jpg")


def test_wrapping_keeps_words_and_numbers_whole() -> None:
    lines = wrap("Cooperation between the United Nations and the 1373 (2001) Committee", 20)
    assert all(len(line) <= 20 for line in lines)
    assert (
        " ".join(lines).split()
        == "Cooperation between the United Nations and the 1373 (2001) Committee".split()
    )
    zh = wrap("按照安全理事会各项决议确定的时间表（2001）", 10)
    assert "".join(zh) == "按照安全理事会各项决议确定的时间表（2001）"
    assert all(not line.startswith("）") for line in zh)
