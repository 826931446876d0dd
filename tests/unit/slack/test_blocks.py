"""Block Kit and mrkdwn: for any Answer, every block is valid, within Slack's limits, and no
text from the user or the corpus becomes a live mention. No model, no server."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from slack_payloads import assert_valid_blocks, assert_valid_view, live_mentions

from bot.answer import Answer, MandateRef, Source
from bot.surfaces.slack.views import blocks as B
from bot.surfaces.slack.views import card_fit, limits
from bot.surfaces.slack.views import home as H
from bot.surfaces.slack.views.mrkdwn import (
    WORD_JOINER,
    escape,
    from_slack,
    mentions,
    split_text,
    strip_mention,
    truncate,
    user_mention,
)
from bot.surfaces.slack.views.prompts import (
    GENERAL_EXAMPLES,
    GENERAL_PROMPTS,
    SECURITY_COUNCIL_EXAMPLES,
    SECURITY_COUNCIL_PROMPTS,
)

INJECTIONS = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U024BE7LH>",
    "<@W1|bob>",
    "@channel",
    "@here",
    "@Everyone",
    "<!subteam^S012|@team>",
    "<#C123|general>",
    "<https://evil.test|click>",
    "&lt;!channel&gt;",
    "&amp;",
    "*bold* _it_ `code`",
    "> quote",
    "\u2028",
    "🙂",
    "安理会第1373（2001）号决议",
]

pieces = st.one_of(
    st.sampled_from(INJECTIONS),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80),
    st.sampled_from(["\n", "\n\n", " ", ". ", "。", "&", "<", ">", "@"]),
)
texts = st.lists(pieces, max_size=60).map("".join)
long_texts = st.tuples(texts, st.integers(1, 400)).map(lambda t: t[0] * t[1])

sources = st.builds(
    Source,
    id=st.text(min_size=1, max_size=20),
    ref=texts,
    section=texts,
    subprogramme=st.one_of(st.none(), st.integers(1, 6)),
    text=st.one_of(texts, long_texts),
    score=st.floats(0, 1),
)
mandates = st.builds(
    MandateRef,
    symbol=texts,
    body=st.sampled_from(["General Assembly", "Security Council", "Charter"]),
    title=texts,
    title_en=st.one_of(st.none(), texts),
    subprogrammes=st.lists(st.integers(1, 6), max_size=3),
)
answers = st.builds(
    Answer,
    question=texts,
    language=st.sampled_from(["en", "zh", "fr"]),
    answer=st.one_of(texts, long_texts),
    abstained=st.booleans(),
    sources=st.lists(sources, max_size=8),
    mandates=st.lists(mandates, max_size=90),
    kind=st.sampled_from(["", "passages", "card"]),
)

ANSWER_ID = "0123456789abcdef0123456789abcdef"


def _answer(**overrides: object) -> Answer:
    base = dict(
        question="What is 1373 (2001)?",
        language="en",
        answer="It is about terrorism.",
        abstained=False,
        sources=[],
        mandates=[],
    )
    base.update(overrides)
    return Answer(**base)  # type: ignore[arg-type]


# ------------------------------------------------------------------------- mrkdwn


@pytest.mark.parametrize("dangerous", INJECTIONS)
def test_escape_leaves_no_live_mention(dangerous: str) -> None:
    assert live_mentions(escape(dangerous)) == []
    assert live_mentions(escape(from_slack(dangerous))) == []


def test_escape_only_touches_ampersand_and_angle_brackets() -> None:
    assert escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert escape("*bold* 安理会") == "*bold* 安理会"
    assert escape("@here now") == f"@{WORD_JOINER}here now"


def test_from_slack_resolves_markup() -> None:
    text = "<@U1|ada> asks <!here> in <#C1|general> about <https://un.org|the UN> &amp; 1373"
    assert from_slack(text) == "@ada asks @here in #general about the UN & 1373"
    assert from_slack("<!subteam^S1|@council> a &lt;b&gt;") == "@council a <b>"
    assert from_slack("<@U123>") == "@U123"


def test_bot_mention_is_stripped_and_detected() -> None:
    assert strip_mention("<@UBOT> what is 1373?", "UBOT") == "what is 1373?"
    assert strip_mention("<@UBOT|bot> hi <@UOTHER>", "UBOT") == "hi <@UOTHER>"
    assert mentions("x <@UBOT> y", "UBOT") and not mentions("x <@UOTHER>", "UBOT")
    assert not mentions("x <@UBOT>", None)


def test_user_mention_only_for_user_ids() -> None:
    assert user_mention("U024BE7LH") == "<@U024BE7LH>"
    with pytest.raises(ValueError):
        user_mention("!channel")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(texts, long_texts), limit=st.integers(8, 3000))
def test_split_text_is_clean_and_complete(text: str, limit: int) -> None:
    escaped = escape(text)
    chunks = split_text(escaped, limit)
    assert all(len(c) <= limit for c in chunks)
    # Nothing lost but whitespace at the cuts, and no entity or surrogate pair cut in two.
    assert re.sub(r"\s", "", "".join(chunks)) == re.sub(r"\s", "", escaped)
    for chunk in chunks:
        assert not re.search(r"&(?!amp;|lt;|gt;)", chunk), chunk  # every entity whole
        assert not chunk or not "\udc00" <= chunk[0] <= "\udfff"


@settings(deadline=None)
@given(text=long_texts, limit=st.integers(10, 500))
def test_truncate_stays_within_limit(text: str, limit: int) -> None:
    out = truncate(escape(text), limit)
    assert len(out) <= limit
    assert not re.search(r"&[a-z]{0,3}…$", out)


def test_split_prefers_paragraphs_then_sentences() -> None:
    para = "A" * 1500
    assert split_text(f"{para}\n\n{para}\n\n{para}", 3100) == [f"{para}\n\n{para}", para]
    sentence = "This is one sentence. " * 200
    chunks = split_text(sentence, 1000)
    assert all(c.endswith(".") for c in chunks[:-1])


# ------------------------------------------------------------------------- answer blocks


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=answers, shareable=st.booleans(), show_question=st.booleans())
def test_any_answer_renders_valid_blocks_without_live_mentions(
    answer: Answer, shareable: bool, show_question: bool
) -> None:
    blocks = B.answer_blocks(answer, ANSWER_ID, shareable=shareable, show_question=show_question)
    assert_valid_blocks(blocks)
    assert live_mentions(blocks) == []
    assert live_mentions(B.answer_fallback_text(answer)) == []
    assert len(B.answer_fallback_text(answer)) <= limits.FALLBACK_TEXT
    assert blocks[-1]["type"] == "actions"  # feedback is never squeezed out
    if answer.kind == "card" and not answer.parts:  # a unit card: compact, whatever its text
        assert B.visible_chars(blocks) <= card_fit.CARD_CHARS
        assert blocks[-1]["elements"][0]["action_id"] == B.WHOLE_CARD
        assert_valid_view(B.whole_card_modal(answer))


def test_long_answer_is_split_then_shortened_with_a_note() -> None:
    text = "\n\n".join(f"Paragraph {i}. " + "word " * 500 for i in range(200))
    blocks = B.answer_blocks(_answer(answer=text), ANSWER_ID)
    assert len(blocks) == limits.MESSAGE_BLOCKS
    assert_valid_blocks(blocks)
    assert any("shortened" in str(b) for b in blocks)


def test_answer_shows_sources_mandates_and_buttons() -> None:
    answer = _answer(
        sources=[
            Source(
                "2.4",
                "para. 2.4",
                "Overall orientation",
                None,
                "作为反恐怖主义事项的牵头部门 " * 50,
                0.8,
            )
        ],
        mandates=[
            MandateRef(
                "1373 (2001)",
                "Security Council",
                "消除国际恐怖主义的措施",
                "Threats to international peace",
                [3],
            )
        ],
    )
    blocks = B.answer_blocks(answer, ANSWER_ID, shareable=True)
    assert_valid_blocks(blocks)
    flat = str(blocks)
    assert "*para. 2.4* · Overall orientation" in flat
    assert "*<https://undocs.org/S/RES/1373(2001)|1373 (2001)>* · Security Council" in flat
    source = next(b for b in blocks if b.get("accessory"))
    assert source["accessory"]["value"] == f"{ANSWER_ID}:0"
    assert len(source["text"]["text"]) < 700  # an excerpt, not the passage
    actions = [e["action_id"] for e in blocks[-1]["elements"]]
    assert actions == [B.FEEDBACK_UP, B.FEEDBACK_DOWN, B.SHARE_ANSWER]


def test_abstention_shows_the_plain_answer_and_no_sources() -> None:
    answer = _answer(
        abstained=True,
        answer="The programme does not cover this question.",
        sources=[Source("2.1", "para. 2.1", "x", None, "text", 0.3)],
    )
    blocks = B.answer_blocks(answer, ANSWER_ID)
    assert "does not cover" in blocks[0]["text"]["text"]
    assert not any(b.get("accessory") for b in blocks)


def test_shared_answer_names_the_sharer_and_neutralises_the_question() -> None:
    answer = _answer(question="<!channel> what is 1373?")
    blocks = B.answer_blocks(answer, ANSWER_ID, shared_by="U024BE7LH")
    assert_valid_blocks(blocks)
    assert live_mentions(blocks, allowed=("<@U024BE7LH>",)) == []
    assert "<@U024BE7LH>" in str(blocks)


def test_chinese_labels_for_chinese_answers() -> None:
    blocks = B.answer_blocks(_answer(language="zh", answer="安理会"), ANSWER_ID)
    assert "有用" in str(blocks[-1])


def test_every_language_has_every_label() -> None:
    from bot.languages import answered

    labels = {lang: B._labels(lang) for lang in answered()}
    for words in labels.values():
        assert set(words) == set(labels["en"])
        assert "{n}" in words["more_mandates"]
    assert len({words["share"] for words in labels.values()}) == len(labels)  # each translated


def test_french_labels_and_french_titles_for_french_answers() -> None:
    answer = _answer(
        language="fr",
        answer="1373 (2001) : « Mesures visant à éliminer le terrorisme international ».",
        sources=[Source("2.4", "par. 2.4", "Orientation générale", None, "作为反恐", 0.8)],
        mandates=[
            MandateRef(
                "1373 (2001)",
                "Security Council",
                "消除国际恐怖主义的措施",
                "Measures to eliminate international terrorism",
                [3],
                # The answer carries its titles' translations (the composer's MandateRef).
                translations={"fr": "Mesures visant à éliminer le terrorisme international"},
            )
        ]
        + [MandateRef(f"{n}/1", "General Assembly", "决议", None, [1]) for n in range(60, 101)],
    )
    blocks = B.answer_blocks(answer, ANSWER_ID, shareable=True)
    assert_valid_blocks(blocks)
    flat = str(blocks)
    assert "*Sources*" in flat and "Voir le passage complet" in flat
    # Body and title in French; the link goes to the French text.
    assert "*<https://undocs.org/fr/S/RES/1373(2001)|1373 (2001)>* · Conseil de sécurité" in flat
    assert "_(Mesures visant à éliminer le terrorisme international)_" in flat
    assert "Les titres français sont des traductions non officielles." in flat
    assert "…et 2 autres. Essayez `/mandate` avec un sujet ou une cote." in flat
    assert "Measures to eliminate" not in flat  # no English title under a French answer
    buttons = [e["text"]["text"] for e in blocks[-1]["elements"]]
    assert buttons == ["👍 Utile", "👎 Pas utile", "Partager dans le canal"]
    shared = B.answer_blocks(answer, ANSWER_ID, shared_by="U024BE7LH", show_question=True)
    assert "*Question:*" in str(shared[0]) and "Partagé par <@U024BE7LH>" in str(shared[0])
    long = _answer(language="fr", answer="\n\n".join("mot " * 700 for _ in range(200)))
    assert "raccourcie pour tenir dans un message Slack" in str(B.answer_blocks(long, ANSWER_ID))


def test_french_modals() -> None:
    source = Source("2.4", "par. 2.4", "Orientation générale", None, "作为反恐", 0.8)
    assert B.passage_modal(source, "fr")["title"]["text"] == "Passage complet"
    assert B.passage_modal(source)["title"]["text"] == "Full passage"
    feedback = B.feedback_modal("down", ANSWER_ID, "fr")
    assert_valid_view(feedback)
    assert feedback["title"]["text"] == "Votre avis" and feedback["submit"]["text"] == "Envoyer"


# ------------------------------------------------------------------------- views, prompts


@settings(max_examples=50, deadline=None)
@given(source=sources)
def test_passage_modal_is_valid_for_any_passage(source: Source) -> None:
    view = B.passage_modal(source)
    assert_valid_view(view)
    assert live_mentions(view) == []


def test_home_feedback_and_missing_views_are_valid() -> None:
    for lang in H.HOME_LANGUAGES:
        assert_valid_blocks(H.home_view(lang)["blocks"], max_blocks=limits.MODAL_BLOCKS)
    assert_valid_view(B.feedback_modal("down", "0123456789abcdef0123456789abcdef"))
    assert_valid_view(B.feedback_modal("up", "0123456789abcdef0123456789abcdef", "zh"))
    assert_valid_view(B.missing_answer_modal())


def test_welcome_and_greeting_are_valid_and_prompts_fit_slack() -> None:
    assert_valid_blocks(H.welcome_blocks())
    assert_valid_blocks(H.assistant_greeting_blocks("1700000000.000100"))
    for prompts in (GENERAL_PROMPTS, SECURITY_COUNCIL_PROMPTS):
        assert len(prompts) <= limits.SUGGESTED_PROMPTS
        assert all(len(p.title) <= limits.BUTTON_TEXT for p in prompts)
    ids = [
        e["action_id"] for b in H.welcome_blocks() if b["type"] == "actions" for e in b["elements"]
    ]
    assert len(ids) == len(set(ids)) == len(H.all_prompts())
    assert H.ALSO_FRENCH_AND_CHINESE in str(H.welcome_blocks())


def test_the_home_tab_in_each_language_keeps_its_language() -> None:
    for lang in H.HOME_LANGUAGES:
        view = H.home_view(lang)
        assert view["private_metadata"] == lang
        assert H.home_language(view["private_metadata"]) == lang
        switch = view["blocks"][1]["elements"]
        assert [e["action_id"] for e in switch] == [
            f"{H.HOME_LANGUAGE}:{x}" for x in H.HOME_LANGUAGES
        ]
        assert [e.get("style") for e in switch].count("primary") == 1
        assert next(e for e in switch if e.get("style"))["value"] == lang
        text = str(view["blocks"])
        for prompt in GENERAL_EXAMPLES[lang] + SECURITY_COUNCIL_EXAMPLES[lang]:
            assert prompt.message in text
    french = str(H.home_view("fr")["blocks"])
    assert "Visite guidée" in french and "traduction non officielle" in french
    assert H.home_language("de") == H.home_language(None) == H.home_language("") == "en"


def test_the_lead_is_the_first_section_and_notes_are_context() -> None:
    text = (
        "16 — the decolonization process in the 16 remaining Territories (para. 2.11).\n"
        "Original: «在委员会在年度会议上审议 16 个剩余的非自治领土情况的过程中；»\n"
        "See also: para. 2.10."
    )
    blocks = B.answer_blocks(_answer(answer=text), ANSWER_ID)
    assert blocks[0]["type"] == "section" and blocks[0]["text"]["text"].startswith("16 — ")
    notes = blocks[1]
    assert notes["type"] == "context"
    assert [e["text"] for e in notes["elements"]][1] == "See also: para. 2.10."


def test_a_list_under_the_lead_stays_in_sections() -> None:
    text = "Subprogramme 2 has 1 legislative mandate:\n• 58/180 (General Assembly): elections"
    blocks = B.answer_blocks(_answer(answer=text), ANSWER_ID)
    assert [b["type"] for b in blocks[:2]] == ["section", "section"]
    assert "58/180" in blocks[1]["text"]["text"]
