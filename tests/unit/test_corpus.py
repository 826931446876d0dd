"""The parse loses nothing and gets the hard spots of the PDF-extracted text right."""

from __future__ import annotations

import re

import pytest

from bot.records.manifest import read_manifest
from bot.records.model import (
    ACCOMPLISHMENT,
    CHARTER,
    GENERAL_ASSEMBLY,
    MANDATE_LIST,
    OBJECTIVE,
    PARAGRAPH,
    SECURITY_COUNCIL,
    CorpusError,
    Programme,
)
from bot.records.parser import load_programme, parse_programme
from bot.settings import REPO_ROOT

FOLDER = REPO_ROOT / "corpus" / "programme-2"
MANIFEST = read_manifest(FOLDER)
SOURCE = (FOLDER / MANIFEST.text).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def programme() -> Programme:
    return load_programme(FOLDER)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_character_lands_in_exactly_one_record_in_order(programme: Programme) -> None:
    body = "".join(line for line in SOURCE.splitlines() if not re.fullmatch(r"\s*\d{1,3}\s*", line))
    records = "".join(squeeze(p.text) for p in programme.passages)
    # Mandate lists add one newline between entries; nothing else is added or dropped.
    assert records == squeeze(body)


def test_only_page_numbers_are_dropped() -> None:
    dropped = [line.strip() for line in SOURCE.splitlines() if re.fullmatch(r"\s*\d{1,3}\s*", line)]
    assert dropped == ["2"]


def test_record_ids_are_unique_and_readable(programme: Programme) -> None:
    ids = [p.id for p in programme.passages]
    assert len(ids) == len(set(ids))
    paragraphs = [p.id for p in programme.passages if p.kind == PARAGRAPH]
    assert paragraphs == [f"2.{n}" for n in range(1, 15)]
    assert [p.id for p in programme.passages if p.kind == OBJECTIVE] == [
        f"sp{n}.objective" for n in range(1, 7)
    ]
    assert [p.id for p in programme.passages if p.kind == MANDATE_LIST] == [
        f"sp{n}.mandates" for n in range(1, 7)
    ]


def test_paragraph_subprogrammes(programme: Programme) -> None:
    owner = {p.id: p.subprogramme for p in programme.passages if p.kind == PARAGRAPH}
    assert [owner[f"2.{n}"] for n in range(1, 15)] == [None] * 5 + [1, 2, 3, 4, 4, 4, 5, 6, 6]


def test_lines_are_joined_without_breaks(programme: Programme) -> None:
    para = programme.passage("2.1")
    assert "\n" not in para.text
    assert (
        "协助争端或冲突介入国依照《联合国宪章》原则" in para.text
    )  # wrapped mid-word in the source


def test_paragraph_2_6_keeps_its_a_to_g_list(programme: Programme) -> None:
    text = programme.passage("2.6").text
    labels = re.findall(r"\(([a-g])\)", text)
    assert labels == list("abcdefg")
    assert "(a)及时对新的冲突局势作出反应" in text
    assert "(g) 加强政治事务部的能力和专长" in text
    assert text.endswith("挑战。")


def indicators(programme: Programme, sp: int) -> list[tuple[str, tuple[str, ...]]]:
    return [
        (p.accomplishment or "", p.indicators)
        for p in programme.passages
        if p.kind == ACCOMPLISHMENT and p.subprogramme == sp
    ]


def test_subprogramme_1_unlabelled_accomplishment_with_ideograph_indicators(programme) -> None:
    [(ea, inds)] = indicators(programme, 1)
    assert ea == "国际社会认识和处理冲突局势及参与解决冲突的能力得到加强"
    assert [squeeze(i) for i in inds] == [
        "㈠以和平手段处理冲突局势的比例提高了",
        "㈡100%回应会员国和区域组织关于预防性行动的要求",
        "㈢开展冲突后建设和平活动的会员国数目",
    ]


def test_subprogramme_2_and_4_split_unlabelled_cells(programme) -> None:
    assert indicators(programme, 2) == [
        (
            "加强会员国以透明和可问责的方式安排选举的能力",
            ("完全有能力安排和举办选举的国家选举管理机构的数目增加了",),
        )
    ]
    [(ea, inds)] = indicators(programme, 4)
    assert ea.endswith("推动 16 个剩余非自治领土的非殖民化进程")
    assert inds == ("至少 95%的会议文件按时提交",)


@pytest.mark.parametrize(
    ("sp", "expected"),
    [
        (
            3,
            [
                (
                    "(a) 及时且按正确程序举行会议",
                    "(a) 安全理事会成员及联合国广大会员对安全理事会事务司所提供服务的满意程度",
                ),
                (
                    "(b) 提高对安全理事会及其附属机构有关信息的利用",
                    "(b) 在线版《安全理事会惯例汇辑》阅读页数及安全理事会网站的浏览次数增加了",
                ),
                (
                    "(c) 妥善落实安全理事会及其附属机构的决定",
                    "(c) 按照安全理事会各项决议确定的时间表，在安全理事会制裁委员会下建立监测机制",
                ),
            ],
        ),
        (
            6,
            [
                ("(a) 参与者再次作出同步迈向持久和平的保证", "(a)  冲突介入方增加谈判次数"),
                (
                    "(b) 为改善巴勒斯坦人民的社会经济状况调动资源",
                    "(b) 增加可供改善巴勒斯坦人民社会经济状况的资源",
                ),
                (
                    "(c) 对巴勒斯坦人民的人道主义需求作出协调一致的回应",
                    "(c) 联合国系统各组织联合实施的项目和活动数量",
                ),
            ],
        ),
    ],
)
def test_abc_tables_pair_rows(programme, sp, expected) -> None:
    assert indicators(programme, sp) == [(ea, (ind,)) for ea, ind in expected]
    assert [
        p.id for p in programme.passages if p.kind == ACCOMPLISHMENT and p.subprogramme == sp
    ] == [f"sp{sp}.ea.{x}" for x in "abc"]


def test_subprogramme_5_ideograph_indicators_belong_to_a(programme) -> None:
    [(ea, inds)] = indicators(programme, 5)
    assert ea.startswith("(a) 通过巴勒斯坦人民权利司的工作") and ea.endswith("的支持。")
    assert [i[0] for i in inds] == ["㈠", "㈡", "㈢"]
    assert squeeze(inds[1]) == "㈡派驻巴勒斯坦人民不可剥夺权利委员会的民间社会组织数量增加了"


def mandate(programme: Programme, symbol: str):
    matches = [m for m in programme.mandates if m.symbol == symbol]
    assert len(matches) == 1, symbol
    return matches[0]


def test_mandate_count_and_uniqueness(programme) -> None:
    symbols = [m.symbol for m in programme.mandates]
    assert len(symbols) == len(set(symbols))
    assert len([m for m in programme.mandates if m.body != CHARTER]) == 69


def test_mandate_52_12_a_and_b(programme) -> None:
    m = mandate(programme, "52/12 A and B")
    assert m.parsed is not None and m.parsed.parts == ("A", "B") and m.base == "52/12"
    assert m.title == "革新联合国：改革方案"


def test_mandate_roman_session(programme) -> None:
    m = mandate(programme, "686 (VII)")
    assert (m.body, m.title, m.subprogrammes) == (
        GENERAL_ASSEMBLY,
        "使国际习惯法的证明材料更易于查考的方法和手段",
        [3],
    )


def test_mandate_58_85_bracketed_list_wraps(programme) -> None:
    m = mandate(programme, "58/85")
    members = "格鲁吉亚、乌克兰、乌兹别克斯坦、阿塞拜疆、摩尔多瓦共和国"
    assert m.title == f"格乌乌阿摩集团[{members}]在大会的观察员地位"


def test_wrapped_titles_are_joined(programme) -> None:
    assert mandate(programme, "58/108").title.endswith("特克斯和凯科斯群岛及美属维尔京群岛问题")
    assert mandate(programme, "1197 (1998)").title.endswith("在预防冲突和维持和平方面的协调）")
    assert (
        mandate(programme, "58/104").title
        == "各专门机构和与联合国有联系的国际机构执行给予殖民地国家和人民独立宣言的情况"
    )
    # A wrapped group heading is not glued to the entry before it.
    assert mandate(programme, "58/248").title == "联合国宪章和加强联合国作用特别委员会的报告"


def test_bodies_follow_the_list_headings(programme) -> None:
    assert mandate(programme, "1373 (2001)").body == SECURITY_COUNCIL
    assert mandate(programme, "1366 (2001)").body == SECURITY_COUNCIL
    assert mandate(programme, "58/81").body == GENERAL_ASSEMBLY
    charter = [m for m in programme.mandates if m.body == CHARTER]
    assert [m.symbol for m in charter] == [
        "Charter (Art. 99)",
        "Charter (Arts. 1, 7, 12(b), 15, 24, 28, 29, 30, 45, 46, 47, 50)",
    ]


def test_citing_subprogrammes_and_paragraphs(programme) -> None:
    assert mandate(programme, "58/109").subprogrammes == [1, 4]
    assert mandate(programme, "1373 (2001)").cited_in == ["sp3.mandates", "2.4"]
    assert mandate(programme, "48/213").cited_in == ["sp6.mandates", "2.13"]
    assert set(mandate(programme, "1514 (XV)").cited_in) == {"sp4.mandates", "2.9"}


def test_every_mandate_title_is_in_its_list(programme) -> None:
    for m in programme.mandates:
        for pid in m.cited_in:
            if pid.endswith(".mandates"):
                assert squeeze(m.title) in squeeze(programme.passage(pid).text), m.symbol


def test_every_resolution_has_its_english_title(programme) -> None:
    # The titles ship with the corpus: a lost file is a failure here, never a skip.
    assert (FOLDER / "mandates.en.tsv").is_file()
    missing = [m.symbol for m in programme.mandates if not m.translation("en")]
    assert missing == []
    assert mandate(programme, "58/109").translation("en") == "Question of Western Sahara"


def test_unknown_structure_is_a_clear_error() -> None:
    with pytest.raises(CorpusError):
        parse_programme("这不是方案文本", MANIFEST)
    with pytest.raises(CorpusError):
        parse_programme(SOURCE.replace("次级方案 6", "次级方案 9"), MANIFEST)
