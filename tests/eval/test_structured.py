"""Structural questions are answered from the parsed records, complete and in order; follow-ups
read against the previous turn."""

from __future__ import annotations

import re

import pytest

from bot.ops.evaluate import base
from bot.pipeline import Pipeline

pytestmark = pytest.mark.slow


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    "question", ["What are the six subprogrammes?", "次级方案有哪些？", "list all subprogrammes"]
)
def test_six_subprogrammes_in_order(pipeline: Pipeline, question: str) -> None:
    answer = pipeline.ask(question)
    titles = [sp.title for _, sp in sorted(pipeline.index.first.programme.subprogrammes.items())]
    positions = [answer.answer.find(t) for t in titles]
    assert -1 not in positions and positions == sorted(positions)


@pytest.mark.parametrize(
    "question",
    [
        "Which mandates does subprogramme 4 have?",
        "list the legislative mandates of the decolonization subprogramme",
        "次级方案4的授权文书有哪些？",
    ],
)
def test_all_mandates_of_a_subprogramme_in_list_order(pipeline: Pipeline, question: str) -> None:
    answer = pipeline.ask(question)
    listing = pipeline.index.first.programme.passage("sp4.mandates")
    assert [m.symbol for m in answer.mandates] == list(listing.symbols)
    assert len(answer.mandates) == 18 and answer.mandates[0].symbol == "1514 (XV)"
    for m in answer.mandates:
        assert m.symbol in answer.answer
    assert answer.sources[0].id == "sp4.mandates"


@pytest.mark.parametrize(
    "question",
    [
        "What are the indicators for Security Council affairs?",
        "安理会事务次级方案的绩效指标有哪些？",
    ],
)
def test_every_indicator_of_a_subprogramme(pipeline: Pipeline, question: str) -> None:
    answer = pipeline.ask(question)
    text = squeeze(answer.answer)
    for pid in ("sp3.ea.a", "sp3.ea.b", "sp3.ea.c"):
        record = pipeline.index.first.programme.passage(pid)
        assert squeeze(record.accomplishment) in text
        assert all(squeeze(i) in text for i in record.indicators)
    assert [s.id for s in answer.sources] == ["sp3.ea.a", "sp3.ea.b", "sp3.ea.c"]


def test_responsible_unit_is_read_from_the_strategy(pipeline: Pipeline) -> None:
    answer = pipeline.ask("Which division is responsible for electoral assistance?")
    assert "Electoral Assistance Division" in answer.answer and "选举援助司" in answer.answer
    assert answer.sources[0].id == "2.7"
    regional = pipeline.ask("Who is responsible for subprogramme 1?")
    for name in ("非洲一司", "非洲二司", "美洲和欧洲司", "亚洲和太平洋司"):
        assert name in regional.answer


def test_onboarding_overview_for_security_council_affairs(pipeline: Pipeline) -> None:
    answer = pipeline.ask(
        "I just joined the Security Council Affairs Division: what does my division "
        "do, under which mandates, and how is it measured?"
    )
    text = squeeze(answer.answer)
    assert "安全理事会事务司" in text
    assert "1373 (2001)" in answer.answer and "1535 (2004)" in answer.answer
    assert "在线版《安全理事会惯例汇辑》阅读页数" in text
    assert {s.id for s in answer.sources} >= {"sp3.objective", "2.8"}


@pytest.mark.parametrize(
    ("question", "must"),
    [
        ("which resolutions cover conflict in Africa?", "57/296"),
        ("which resolution in subprogramme 1 is about Myanmar?", "58/247"),
    ],
)
def test_a_topic_within_a_subprogramme_is_ranked_not_dumped(pipeline, question, must) -> None:
    answer = pipeline.ask(question)
    symbols = [base(m.symbol) for m in answer.mandates]
    assert must in symbols and len(symbols) <= 12


def test_follow_up_inherits_the_subprogramme(pipeline: Pipeline) -> None:
    first = pipeline.ask("What is the objective of the electoral assistance subprogramme?")
    assert first.sources[0].id == "sp2.objective"
    follow = pipeline.ask("and which resolutions mandate it?", previous=first)
    assert [base(m.symbol) for m in follow.mandates] == ["58/180"]
    # Asked first, "it" stands for nothing: declined, saying what is missing, not every
    # resolution of the programme "on this" (47 of them).
    alone = pipeline.ask("and which resolutions mandate it?")
    assert alone.abstained and alone.mandates == [] and alone.sources == []
    assert alone.answer.startswith("There is no earlier question here for “it” to stand for")


def test_follow_up_indicators_in_chinese(pipeline: Pipeline) -> None:
    first = pipeline.ask("巴勒斯坦问题次级方案的目标是什么？")
    follow = pipeline.ask("那它的绩效指标呢？", previous=first)
    assert follow.language == "zh"
    assert "联合国网站上关于巴勒斯坦问题的浏览页数增加了" in squeeze(follow.answer)


def test_follow_up_on_a_resolution(pipeline: Pipeline) -> None:
    first = pipeline.ask("What is 58/109?")
    follow = pipeline.ask("which subprogrammes cite it?", previous=first)
    assert base(follow.mandates[0].symbol) == "58/109"
    assert "cited by subprogrammes 1 and 4" in follow.answer


def test_a_new_topic_is_not_a_follow_up(pipeline: Pipeline) -> None:
    first = pipeline.ask("What is 58/109?")
    other = pipeline.ask(
        "What is the objective of the Security Council affairs subprogramme?", previous=first
    )
    assert other.sources[0].id == "sp3.objective"


def test_who_is_responsible_and_how_measured_is_answered_part_by_part(pipeline: Pipeline) -> None:
    answer = pipeline.ask("Who is responsible for subprogramme 2, and how is it measured?")
    who, measured = answer.parts
    assert who.answer.splitlines()[0].startswith("Subprogramme 2: Electoral assistance is the")
    assert "选举援助司" in who.answer and "(para. 2.7)" in who.answer
    # The second part inherits the subprogramme of the first: its indicator, not another's.
    assert "完全有能力安排和举办选举的国家选举管理机构的数目增加了" in squeeze(measured.answer)
    assert answer.answer == f"{who.answer}\n{measured.answer}" and not answer.abstained
