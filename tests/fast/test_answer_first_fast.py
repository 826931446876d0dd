"""The answer-first question path, end to end, over a fake encoder (fast tier).

These check what the path does with a question (route, typed item, decline, follow-up,
answer shape), which does not depend on the model. Ranking quality is measured with the real
model by `programme-bot eval` and the slow tests.
"""

from __future__ import annotations

from bot.ops.evaluate import Outcome, chinese_share, fully_right_table, lead, score
from bot.pipeline import Pipeline


def test_a_unit_name_is_not_read_as_a_body_filter(fake_pipeline: Pipeline) -> None:
    answer = fake_pipeline.ask(
        "Which resolutions mandate the work of the Security Council Affairs Division?"
    )
    assert [m.symbol for m in answer.mandates][-2:] == ["1373 (2001)", "1535 (2004)"]
    assert len(answer.mandates) == 6 and "686 (VII)" in answer.answer


def test_short_names_route_like_the_full_names(fake_pipeline: Pipeline) -> None:
    c24 = fake_pipeline.ask("C-24 resolutions pls")
    assert len(c24.mandates) == 18 and all(4 in m.subprogrammes for m in c24.mandates)
    zh = fake_pipeline.ask("安理会事务司的授权文书有哪些？")
    assert len(zh.mandates) == 6


def test_a_follow_up_naming_another_unit_keeps_the_question(fake_pipeline: Pipeline) -> None:
    first = fake_pipeline.ask("安全理事会事务次级方案的绩效指标有哪些？")
    assert first.answer.startswith("次级方案3：")
    then = fake_pipeline.ask("那次级方案5呢？", previous=first)
    assert then.answer.startswith("次级方案5：巴勒斯坦问题有1项预期成果和3项绩效指标：")
    en = fake_pipeline.ask("What are the indicators for Security Council affairs?")
    switched = fake_pipeline.ask("what about subprogramme 5?", previous=en)
    assert switched.answer.startswith(
        "Subprogramme 5: Question of Palestine has 1 expected accomplishment and 3 indicators"
    )


def test_english_lists_are_english_with_the_chinese_in_brackets(fake_pipeline: Pipeline) -> None:
    answer = fake_pipeline.ask("What are the indicators for subprogramme 3?")
    first_item = answer.answer.splitlines()[1]
    assert first_item.startswith("• Expected accomplishment: (a) Meetings held in a timely manner")
    assert first_item.endswith("[(a) 及时且按正确程序举行会议]")
    assert chinese_share(lead(answer.answer)) <= 0.15


def test_every_answer_marks_its_english_as_unofficial(fake_pipeline: Pipeline) -> None:
    for question in ("When was resolution 48/213 adopted?", "What are the indicators for SCAD?"):
        assert "unofficial translation" in fake_pipeline.ask(question).answer


def test_the_first_kind_scores_the_lead_only() -> None:
    from bot.answer import Answer

    item = {"kind": "first", "lang": "en", "q": "?", "first": [["16"]]}
    hit = Answer("?", "en", "16 — Territories (para. 2.11).\nmore", False)
    buried = Answer("?", "en", "Territories remain (para. 2.11).\n16 of them", False)
    assert score(item, hit)["lead_fact"] == 1.0
    assert score(item, buried)["lead_fact"] == 0.0
    assert lead("Header:\n• first\n• second") == "Header:\n• first"


def test_fully_right_needs_the_fact_the_language_and_no_false_decline() -> None:
    from bot.answer import Answer

    def outcome(q: str, text: str, lang: str = "en", declined: bool = False) -> Outcome:
        item = {"kind": "first", "lang": lang, "q": q, "first": [["16", "十六"]]}
        answer = Answer(q, "en", text, declined)
        return Outcome(item, answer, {}, score(item, answer))

    right = outcome("how many?", "16 — Territories (para. 2.11).")
    chinese = outcome("combien ?", "16 — Territories (para. 2.11).", lang="fr")  # not French
    declined = outcome("how many?", "16 — not covered.", declined=True)
    table = fully_right_table([right, chinese, declined])
    assert table["all"] == (1, 3) and table["lang/en"] == (1, 2) and table["lang/fr"] == (0, 1)


def test_chat_shows_the_full_passage_on_request(fake_pipeline: Pipeline) -> None:
    import io

    from bot.surfaces.terminal.chat import chat

    out = io.StringIO()
    chat(
        fake_pipeline,
        stdin=io.StringIO(":full\nWhen was resolution 48/213 adopted?\n:full\n:full 9\n:full x\n"),
        stdout=out,
    )
    text = out.getvalue()
    assert "ask a question first" in text
    assert "2.13  联合国中东和平进程特别协调员办事处" in text  # the record, whole
    assert "Unofficial translation: 2.13 The Office of the United Nations" in text
    assert "pick 1–" in text and "Usage: :full [N]" in text
