"""A newcomer's unit card in Slack: every unit's card in English, Chinese and French, composed
by the whole question path (eval tier: the newcomer is recognised by the real model), shows at
most 900 characters in its message; each bullet is the card's own clause or a cut of it at a
word boundary ending with "…"; the Objective / Measured by / Mandates lines are context with
their references; "Whole card" opens the whole text. Other answers render as they always have
(no Whole card, sources with their buttons)."""

from __future__ import annotations

import re

import pytest

from bot.answer import Answer
from bot.pipeline import Pipeline
from bot.surfaces.slack.views import blocks as B
from bot.surfaces.slack.views import card_fit, limits

ANSWER_ID = "0123456789abcdef0123456789abcdef"
NEWCOMERS = {
    "en": [
        "I just joined SCAD. What does my division do?",
        "I'm new to the Electoral Assistance Division. What does my division do?",
        "Starting in the decolonization team next week, what will I work on?",
        "I just joined the Division for Palestinian Rights. What do we do?",
        "I just joined the regional divisions. What does my division do?",
        "I just joined UNSCO. What does my office do?",
        "I just joined DPA. What does my department do?",
    ],
    "zh": [
        "我刚到安全理事会事务司工作，我们司主要做什么？",
        "我刚到选举援助司工作，我们司主要做什么？",
        "我刚到非殖民化股工作，我们主要做什么？",
        "我刚到巴勒斯坦人民权利司工作，我们司主要做什么？",
        "我刚到中东和平进程特别协调员办事处工作，我们主要做什么？",
    ],
    "fr": [
        "Je viens d'arriver à la Division des affaires du Conseil de sécurité. Que fait ma "
        "division ?",
        "Je viens d'arriver à la Division de l'assistance électorale. Que fait ma division ?",
        "Je viens d'arriver au Groupe de la décolonisation. Que fait mon service ?",
        "Je viens d'arriver à la Division des droits des Palestiniens. Que fait ma division ?",
        "Je viens d'arriver aux divisions régionales. Que fait ma division ?",
        "Je viens d'arriver au Bureau du Coordonnateur spécial pour le processus de paix au "
        "Moyen-Orient. Que fait mon bureau ?",
    ],
}
CASES = [(lang, q) for lang, questions in NEWCOMERS.items() for q in questions]
_LABELS = {"en": "Objective: ", "zh": "目标：", "fr": "Objectif : "}


def _plain(mrkdwn: str) -> str:
    return mrkdwn.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _shown(blocks: list[dict]) -> int:
    """What Slack shows as text, counted here (not with the code under test)."""
    total = 0
    for block in blocks:
        if block["type"] == "section":
            total += len(block["text"]["text"])
        if block["type"] == "context":
            total += sum(len(e["text"]) for e in block["elements"])
    return total


def _is_cut_of(shown: str, whole: str, lang: str) -> bool:
    """`shown` is `whole`, or its start up to a word boundary followed by "…"."""
    if shown == whole:
        return True
    if not shown.endswith("…"):
        return False
    start = shown[:-1]
    if not whole.startswith(start) or len(start) < 2:
        return False
    return lang == "zh" or whole[len(start)] in " ,;:"


@pytest.mark.parametrize("lang, question", CASES)
def test_a_unit_card_shows_at_most_900_characters_in_slack(
    pipeline: Pipeline, lang: str, question: str
) -> None:
    answer = pipeline.ask(question)
    assert answer.kind == "card" and answer.language == lang
    blocks = B.answer_blocks(answer, ANSWER_ID)
    assert len(blocks) <= limits.MESSAGE_BLOCKS
    assert _shown(blocks) <= card_fit.CARD_CHARS
    if lang != "zh":
        assert len(answer.answer) > 1400  # so the test is about shortening
    # The header whole, as a section; then the bullets, each the card's own clause or its cut.
    lines = answer.answer.splitlines()
    assert blocks[0] == {"type": "section", "text": B.mrkdwn(f"*{lines[0]}*")}
    bullets = [line[2:] for line in lines if line.startswith("• ")]
    shown_bullets = _plain(blocks[1]["text"]["text"]).split("\n")
    assert len(shown_bullets) == len(bullets)  # every clause is there
    for shown, whole in zip(shown_bullets, bullets, strict=True):
        assert shown.startswith("• ") and _is_cut_of(shown[2:], whole, lang), (shown, whole)
    # Objective, Measured by, Mandates: context, with their labels and references kept.
    notes = [_plain(e["text"]) for b in blocks if b["type"] == "context" for e in b["elements"]]
    assert notes[0].startswith(_LABELS[lang])
    assert re.search(r"[)）][.。]$", notes[0])  # "(Subprogramme 3, objective)."
    # The Whole card button opens the stored answer by its id.
    actions = blocks[-1]["elements"]
    assert actions[0]["action_id"] == B.WHOLE_CARD and actions[0]["value"] == ANSWER_ID
    assert (
        actions[0]["text"]["text"]
        == {"en": "Whole card", "zh": "完整内容", "fr": "Fiche complète"}[lang]
    )
    assert not any(b.get("accessory") for b in blocks)  # no source excerpts under a card
    # Asked by a button, the question is shown above the card: the card gives it room.
    asked = B.answer_blocks(answer, ANSWER_ID, show_question=True, shareable=True)
    assert _shown(asked) <= card_fit.CARD_CHARS
    assert [e["action_id"] for e in asked[-1]["elements"]][-1] == B.SHARE_ANSWER


# Every card that is shortened, in English and French (a Chinese card fits whole: no modal).
@pytest.mark.parametrize("lang, question", [c for c in CASES if c[0] != "zh"])
def test_the_whole_card_modal_holds_the_whole_text(
    pipeline: Pipeline, lang: str, question: str
) -> None:
    answer = pipeline.ask(question)
    view = B.whole_card_modal(answer)
    assert view["type"] == "modal" and len(view["blocks"]) <= limits.MODAL_BLOCKS
    # In the card's language, like its button.
    assert view["title"]["text"] == {"en": "Whole card", "fr": "Fiche complète"}[lang]
    assert view["close"]["text"] == {"en": "Close", "fr": "Fermer"}[lang]
    assert len(view["title"]["text"]) <= limits.MODAL_TITLE
    text = _plain("\n".join(b["text"]["text"] for b in view["blocks"] if b["type"] == "section"))
    assert text.replace("*", "") == answer.answer.replace("*", "")
    refs = view["blocks"][-1]["elements"][0]["text"]
    assert all(s.ref in _plain(refs) for s in answer.sources)


def test_a_chinese_card_fits_whole_and_is_not_cut(pipeline: Pipeline) -> None:
    answer = pipeline.ask("我刚到安全理事会事务司工作，我们司主要做什么？")
    blocks = B.answer_blocks(answer, ANSWER_ID)
    shown = [b["text"]["text"] for b in blocks if b["type"] == "section"] + [
        e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]
    ]
    assert _plain("\n".join(shown)) == f"*{answer.answer.splitlines()[0]}*\n" + "\n".join(
        answer.answer.splitlines()[1:]
    )  # every line whole, the pointer to the list and the tour too


def test_a_normal_answer_is_rendered_as_before(pipeline: Pipeline) -> None:
    answer = pipeline.ask("What does the Special Committee keep under review?")
    assert answer.kind == "passages"
    blocks = B.answer_blocks(answer, ANSWER_ID)
    assert blocks[0]["text"]["text"] == B.escape(answer.answer.splitlines()[0])  # not shortened
    assert any(b.get("accessory", {}).get("action_id") == B.SHOW_PASSAGE for b in blocks)
    assert [e["action_id"] for e in blocks[-1]["elements"]] == [B.FEEDBACK_UP, B.FEEDBACK_DOWN]
    # A multi-part answer leaves kind empty: its parts render as parts, never as a card.
    parts = pipeline.ask("What is the objective of subprogramme 2, and what is its budget?")
    assert parts.parts and parts.kind == ""
    assert B.WHOLE_CARD not in str(B.answer_blocks(parts, ANSWER_ID))


def test_kind_is_kept_by_the_store_record_but_not_in_the_contract(
    pipeline: Pipeline,
) -> None:
    card = pipeline.ask("I just joined SCAD. What does my division do?")
    assert "kind" not in card.to_json()
    assert Answer.from_json(card.to_record()).kind == "card"
    assert Answer.from_json(card.to_json()).kind == ""  # an older record reads as before
