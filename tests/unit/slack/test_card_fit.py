"""card_fit: a unit card fitted to a character budget for Slack, for any text: never over the
budget, cuts only at word boundaries (never inside a word or a number), labels and references
of the note lines kept, the whole card untouched when it fits. No model, no server."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.surfaces.slack.views.card_fit import CARD_CHARS, MORE, fit, shorten_item, visible_chars

CARD = (
    "Security Council Affairs Division (安全理事会事务司), Subprogramme 3: Security Council "
    "affairs: what it does (para. 2.8, unofficial translation):\n"
    + "\n".join(
        f"• Providing support number {i} to the expert monitoring groups and panels of the "
        f"Council, at least 95 per cent on time, and 1373 (2001) in particular"
        for i in range(9)
    )
    + "\nObjective: To facilitate the deliberations and effective decision-making of the "
    "Security Council and its subsidiary bodies (Subprogramme 3, objective).\n"
    "Measured by: (a) Level of satisfaction of the members of the Security Council and the "
    "wider membership; (b) Increased number of pages viewed of the Repertoire; (c) Monitoring "
    "mechanisms established on time (Subprogramme 3, indicators of achievement).\n"
    "Mandates: 6 (the Charter, 3 General Assembly, 2 Security Council; Subprogramme 3, "
    'legislative mandates). Full list: ask "subprogramme 3 mandates"; guided tour: "Take the '
    'tour" on the Home tab, or programme-bot tour --subprogramme 3.'
)

words = st.sampled_from(
    ["Council", "95", "per", "cent", "1373", "(2001)", "安全理事会", "会议", "&", "<!here>", "—"]
)
lines = st.lists(words, min_size=1, max_size=40).map(" ".join)
cards = st.tuples(
    lines,
    st.lists(st.tuples(st.booleans(), lines), max_size=60),
    st.sampled_from(["en", "zh", "fr"]),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(card=cards, budget=st.integers(60, 2000))
def test_any_card_fits_its_budget(card: tuple, budget: int) -> None:
    header, body, lang = card
    text = "\n".join([header, *(("• " if bullet else "Note: ") + line for bullet, line in body)])
    fitted = fit(text, lang, budget)
    assert visible_chars(fitted) <= budget


@pytest.mark.parametrize("cap", range(4, 72, 3))  # the text has 72 characters
def test_a_cut_is_at_a_word_boundary_never_inside_a_word_or_number(cap: int) -> None:
    text = "at least 95 per cent of meeting documents 1373 (2001) submitted on time"
    cut = shorten_item(text, cap, "en")
    assert cut.endswith("…")
    kept = cut[:-1]
    assert text.startswith(kept) and text[len(kept)] == " "
    assert len(cut) <= max(cap, len("at…"))
    assert not kept.endswith((" the", " of", " and", " on"))  # no dangling small word


def test_a_chinese_cut_keeps_jieba_words_whole() -> None:
    text = "在委员会在年度会议上审议 16 个剩余的非自治领土情况的过程中"
    for cap in range(3, len(text)):
        kept = shorten_item(text, cap, "zh")[:-1]
        assert text.startswith(kept)
        assert not kept.endswith("1")  # never "1…" out of "16"


def test_a_long_card_keeps_every_bullet_labels_and_references() -> None:
    fitted = fit(CARD, "en")
    assert visible_chars(fitted) <= CARD_CHARS
    (bullets_kind, bullets), (notes_kind, notes) = fitted.runs
    assert (bullets_kind, notes_kind) == ("bullets", "notes")
    assert len(bullets) == 9 and all(b.endswith("…") for b in bullets)
    assert notes[0].startswith("Objective: ") and notes[0].endswith("(Subprogramme 3, objective).")
    assert (
        notes[1].startswith("Measured by: (a) ") and "; (b) " in notes[1] and "; (c) " in notes[1]
    )
    assert notes[1].endswith("(Subprogramme 3, indicators of achievement).")
    # The count is the fact; the pointer after it waits in the whole card.
    assert notes[2] == (
        "Mandates: 6 (the Charter, 3 General Assembly, 2 Security Council; Subprogramme 3, "
        "legislative mandates)."
    )


def test_a_card_that_fits_is_shown_whole() -> None:
    short = "Unit (单位): what it does (para. 2.8):\n• One thing\n• Another\nObjective: X (ref)."
    fitted = fit(short, "en")
    assert fitted.header == short.splitlines()[0]
    assert fitted.runs == (
        ("bullets", ("• One thing", "• Another")),
        ("notes", ("Objective: X (ref).",)),
    )


@pytest.mark.parametrize("clauses", [80, 3000])
def test_a_card_too_long_even_cut_short_leaves_bullets_off_and_says_so(clauses: int) -> None:
    many = "Unit: what it does:\n" + "\n".join(
        f"• clause {i} " + "word " * 30 for i in range(clauses)
    )
    fitted = fit(many, "en")
    assert visible_chars(fitted) <= CARD_CHARS
    bullets = fitted.runs[0][1]
    assert bullets[-1] == MORE and 10 < len(bullets) < 80 and bullets.count(MORE) == 1
    # The first clauses, in order; the ones left off are the last.
    assert [b.split()[2] for b in bullets[:-1]] == [str(i) for i in range(len(bullets) - 1)]
