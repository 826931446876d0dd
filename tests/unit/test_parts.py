"""Where a message is cut into parts (bot/question/parts.py), with a reader whose facets are
given: the cutting's logic, whatever the model reads."""

from __future__ import annotations

from bot.question import facets as f
from bot.question import parts as parts_module
from bot.question.parts import asking_sentences, asks, split_parts, what_is_asked


def reader(table: dict[str, str | None]):
    """Reads a piece as the first key it contains (None: unsure)."""

    def read_one(text: str) -> f.Reading:
        for key, facet in table.items():
            if key in text:
                return f.Reading(facet, 0.9 if facet else 0.2, 0.5, facet or "")
        return f.NO_READING

    return lambda texts: [read_one(t) for t in texts]


def texts(question: str, table: dict[str, str | None]) -> list[str]:
    return [p.text for p in split_parts(question, reader(table))]


def test_two_questions_joined_by_and_are_two_parts_and_keep_their_words() -> None:
    table = {"budget": f.MONEY, "objective": f.OBJECTIVE}
    assert texts("What is the objective of SP2, and what is its budget?", table) == [
        "What is the objective of SP2",
        "what is its budget?",
    ]


def test_a_topic_after_and_is_not_a_question() -> None:
    """No question word opens the right side: "conflict-resolution efforts" is a topic."""
    table = {"efforts": f.MANDATES, "principle": f.PRINCIPLES}
    question = "Which principle is key to prevention and conflict-resolution efforts?"
    assert texts(question, table) == [question]


def test_two_names_stay_one_question() -> None:
    table = {"resolutions": f.MANDATES}
    assert len(texts("Which resolutions cover Jordan and Lebanon?", table)) == 1


def test_sentences_asking_the_same_thing_or_nothing_are_one_part() -> None:
    table = {"Thanks": f.FILLER, "responsible": f.RESPONSIBLE}
    assert len(texts("Who is responsible for SP1? Thanks!", table)) == 1
    table = {"new": f.ONBOARDING, "do": f.DOES}
    (part,) = split_parts("I'm new at EAD. What do we do?", reader(table))
    assert part.reading is not None and part.reading.facet == f.ONBOARDING  # the card


def test_chinese_parts_are_cut_at_a_joint_before_a_question_word() -> None:
    table = {"指标": f.INDICATORS, "目标": f.OBJECTIVE}
    assert texts("目标是什么，以及有哪些指标？", table) == ["目标是什么", "有哪些指标？"]


def test_a_numbered_list_of_questions_is_cut_at_its_numbers() -> None:
    """The asker's own numbers cut, whatever joins the items."""
    table = {"budget": f.MONEY, "indicator": f.INDICATORS, "established": f.DATE}
    assert texts("two qs: 1) what's the SP4 indicator and 2) what is its budget?", table) == [
        "two qs: 1) what's the SP4 indicator and",
        "2) what is its budget?",
    ]
    question = "a) when was CEIRPP established b) what indicator c) what budget?"
    assert texts(question, table) == [
        "a) when was CEIRPP established",
        "b) what indicator",
        "c) what budget?",
    ]
    table = {"目标": f.OBJECTIVE, "负责": f.RESPONSIBLE}
    assert texts("1）次级方案4的目标是什么？2）由哪个司负责？", table) == [
        "1）次级方案4的目标是什么？",
        "2）由哪个司负责？",
    ]


def test_the_asker_says_they_are_new_not_that_others_are() -> None:
    assert parts_module._says_they_are_new("Just joined EAD.")
    assert parts_module._says_they_are_new("刚调到选举援助司。")
    assert not parts_module._says_they_are_new("putting together the induction for new members")


def test_bullets_joined_on_one_line_are_a_list_when_each_asks() -> None:
    """Slack's lines arrive joined: "- what… - which…" is two questions; one dash after who
    asks, or items that ask nothing, are no list."""
    table = {"UNSCO": f.DOES, "res": f.WHICH_RESOLUTION}
    assert texts("quick ones: - what does UNSCO do - which GA res set it up", table) == [
        "quick ones: - what does UNSCO do",
        "- which GA res set it up",
    ]
    assert parts_module._list_items("im a G6 with the C-24 - whats the target %?") == ()
    assert parts_module._list_items("hi - new here - what does EAD do?") == ()


def test_two_counts_each_with_its_question_mark_are_two_parts() -> None:
    table = {"porcentaje": f.COUNT, "cuántos": f.COUNT}
    question = "¿qué porcentaje de documentos a tiempo? y ¿cuántos territorios quedan?"
    assert len(texts(question, table)) == 2


def test_item_labels_are_no_numbered_list() -> None:
    """ "(a) and (b)" label two indicators of one question; "2.4" is a paragraph."""
    table = {"indicators": f.INDICATORS}
    question = "what are indicators (a) and (b) for SP3?"
    assert texts(question, table) == [question]
    assert parts_module._list_items("see para 2.4 and res. 1541 (XV)") == ()


def test_without_a_reader_nothing_is_cut() -> None:
    assert len(split_parts("Who is responsible for SP1 and who helps them?")) == 1


def test_a_message_of_many_questions_is_read_once_in_a_bounded_batch() -> None:
    batches: list[list[str]] = []

    def read(texts: list[str]) -> list[f.Reading]:
        batches.append(texts)
        return [f.Reading(f.DETAIL, 0.9, 0.5, f.DETAIL) for _ in texts]

    message = ", and ".join(["what is SCAD"] * 300)
    parts = split_parts(message, read)
    assert len(batches) == 1 and len(batches[0]) <= 8 and len(parts) <= 8
    assert sum(len(t) for t in batches[0]) <= len(message)  # each word read once


def test_joined_pieces_keep_the_words_between_them() -> None:
    """'and' is never cut out of a question that stays whole."""
    question = "Which unit supports the committee, and which of its sessions?"
    (part,) = split_parts(question, reader({"sessions": f.FILLER}))
    assert part.text == question


def test_asks_answered_from_the_same_records_are_one_part() -> None:
    table = {
        "indicators": f.INDICATORS,
        "accomplishment": f.ACCOMPLISHMENTS,
        "objective": f.OBJECTIVE,
    }
    question = "SP2: objective? expected accomplishment? and the indicators?"
    assert texts(question, table) == [
        "SP2: objective?",
        "expected accomplishment? and the indicators?",
    ]


def test_who_is_responsible_and_who_assists_stay_two_questions() -> None:
    table = {"responsible": f.RESPONSIBLE, "assists": f.ASSISTS}
    assert len(texts("Who is responsible for SP1? Who assists them?", table)) == 2


def test_an_auxiliary_inside_a_statement_opens_no_question() -> None:
    """'is' asks only where a question starts: this is one question."""
    table = {"focal": f.DETAIL, "country": f.WHICH_BODY}
    question = "UNSCO is the focal point for Jordan, Lebanon and which other country?"
    assert texts(question, table) == [question]


def test_numbered_questions_are_parts_and_keep_their_numbers() -> None:
    table = {"partner": f.PARTNERS, "implementing": f.WHICH_RESOLUTION, "chairs": f.PERSON}
    question = "1. who does DPA partner with? 2. which res are they implementing? 3. who chairs?"
    assert texts(question, table) == [
        "1. who does DPA partner with?",
        "2. which res are they implementing?",
        "3. who chairs?",
    ]


def test_a_greeting_before_the_questions_asks_nothing_and_cuts_nothing_off() -> None:
    table = {"Hi": f.FILLER, "objective": f.OBJECTIVE, "budget": f.MONEY}
    parts = split_parts("Hi! What is the objective of SP5? What is its budget?", reader(table))
    assert [p.reading.facet for p in parts if p.reading] == [f.OBJECTIVE, f.MONEY]
    assert parts[0].text.startswith("Hi!")


def test_two_questions_marked_as_such_stand_however_unsure_the_reading_of_one() -> None:
    table = {"会议": None, "指标": f.INDICATORS}
    question = "今年办了几次国际会议？另外它的第一个绩效指标是什么？"
    assert texts(question, table) == ["今年办了几次国际会议？", "另外它的第一个绩效指标是什么？"]
    # Without question marks an unsure sentence still joins the one after it.
    assert len(texts("Busy year for meetings. What is the first indicator?", table)) == 1


def test_arabic_question_marks_and_a_plus_cut_too() -> None:
    table = {"هدف": f.OBJECTIVE, "ميزانيته": f.MONEY}
    assert len(texts("ما هو هدف البرنامج الفرعي 5؟ وكم تبلغ ميزانيته؟", table)) == 2
    table = {"objective": f.OBJECTIVE, "Caledonia": f.WHICH_RESOLUTION}
    question = "whats the unit's objective + which res is on New Caledonia?"
    assert texts(question, table) == [
        "whats the unit's objective",
        "which res is on New Caledonia?",
    ]


def test_an_arabic_comma_before_and_joined_to_a_question_word_cuts() -> None:
    table = {"المسؤولة": f.RESPONSIBLE, "الماضي": f.LATER}
    question = "ما هي الشعبة المسؤولة عن البرنامج الفرعي 2، وكم عدد الانتخابات في العام الماضي؟"
    assert texts(question, table) == [
        "ما هي الشعبة المسؤولة عن البرنامج الفرعي 2",
        "وكم عدد الانتخابات في العام الماضي؟",
    ]


def test_a_russian_question_word_in_the_neuter_opens_a_part() -> None:
    table = {"подразделение": f.RESPONSIBLE, "цель": f.OBJECTIVE}
    question = "Какое подразделение отвечает за подпрограмму 5 и какова её цель?"
    assert texts(question, table) == [
        "Какое подразделение отвечает за подпрограмму 5",
        "какова её цель?",
    ]


def test_a_statement_about_the_asker_asks_nothing_however_it_reads() -> None:
    table = {"Pacific desk": f.ACTION, "seminars": f.DETAIL}
    parts = split_parts(
        "Hello from the Pacific desk in Suva. where do the seminars take place?", reader(table)
    )
    assert len(parts) == 1 and parts[0].reading.facet == f.DETAIL
    # A newcomer's statement: the whole message is read again, as a newcomer's question.
    table = {"joined": f.ACTION, "our work": f.DOES}
    parts = split_parts("I just joined the Unit. What is our work?", reader(table))
    assert len(parts) == 1 and parts[0].reading is None


def test_a_yes_no_after_an_unsure_question_checks_it() -> None:
    table = {"measured": None, "one indicator": f.YES_NO}
    assert len(texts("and how is it measured? is there just one indicator?", table)) == 1


def test_a_grade_ending_a_sentence_still_ends_it() -> None:
    table = {"briefing": f.FILLER, "article": f.ARTICLE, "divisions": f.RESPONSIBLE}
    question = "Prepping a briefing for my D-1. Q1: which article? Q2: which divisions carry SP1?"
    parts = split_parts(question, reader(table))
    assert [p.reading.facet for p in parts if p.reading] == [f.ARTICLE, f.RESPONSIBLE]


def test_the_sentences_that_ask_are_what_the_text_must_know() -> None:
    question = "exact date CEIRPP was established pls? my draft says 1976 and I'm sure it's wrong"
    assert asking_sentences(question) == "exact date CEIRPP was established pls?"
    # Every sentence asks, or none does: the whole message.
    assert asking_sentences("Who leads EAD? Who assists it?") == "Who leads EAD? Who assists it?"
    assert asking_sentences("SCAD indicators") == "SCAD indicators"


def test_a_statement_about_the_asker_asks_nothing_a_clause_after_a_dash_does() -> None:
    assert not asks("I'm a P-4 PAO who just joined Africa II Division in NY.")
    assert asks("just joined the Decolonization Unit (yay) — what do we support")
    assert asks("Hi all, first week at EAD, what do we do")


def test_two_unsure_readings_of_different_things_are_two_parts() -> None:
    unsure = {
        "SCAD: which bodies does it service": f.Reading(None, 0.45, 0.03, f.WHICH_BODY),
        "how many formal SC meetings were held last year?": f.Reading(None, 0.5, 0.0, f.LATER),
    }
    question = ", and ".join(unsure)
    parts = split_parts(question, lambda texts: [unsure[t] for t in texts])
    assert [p.text for p in parts] == list(unsure)
    same = {t: f.Reading(None, 0.45, 0.03, f.WHICH_BODY) for t in unsure}
    assert len(split_parts(question, lambda texts: [same[t] for t in texts])) == 1


def test_what_the_asker_says_of_themselves_before_a_dash_is_not_what_they_ask() -> None:
    question = "im a G6 supporting the C-24 secretariat - whats the target % for docs on time??"
    assert what_is_asked(question) == "whats the target % for docs on time??"
    # A newcomer's preamble says what is asked (their unit), and a question is kept whole.
    newcomer = "Nouvelle recrue à la DACS : quel est notre rôle ?"
    assert what_is_asked(newcomer) == newcomer
    subject = "SCAD: which bodies does it service?"
    assert what_is_asked(subject) == subject


def test_an_abbreviations_stop_before_a_number_ends_no_sentence() -> None:
    question = "de que trata la res. 1541 (XV)? y el para. 2.4?"
    assert asking_sentences(question) == question  # two sentences, both asking
    spans = [question[a:b].strip() for a, b in parts_module._sentence_spans(question)]
    assert spans == ["de que trata la res. 1541 (XV)?", "y el para. 2.4?"]
    listed = "Two questions. 1. Who leads SP3? 2. Which res set up UNSCO?"
    assert len(parts_module._sentence_spans(listed)) == 3


def test_a_part_of_only_question_words_joins_the_part_before() -> None:
    """ "…any resolutions on terrorism? which ones": asked again, not a part of its own."""
    table = {"terrorism": f.MANDATES, "which ones": None}
    assert texts("any resolutions on terrorism? which ones", table) == [
        "any resolutions on terrorism? which ones"
    ]
    for text in ("which ones", "lesquelles ?", "哪些？", "¿cuáles?"):
        assert parts_module._names_nothing(text), text
    for text in ("which ones are SC?", "what about SP5?", "Thanks!", "وكم ميزانيتها؟"):
        assert not parts_module._names_nothing(text), text


def test_a_head_announcing_the_questions_is_not_read_with_the_first() -> None:
    assert parts_module.unannounced("Два вопроса: кто отвечает за подпрограмму 4") == (
        "кто отвечает за подпрограмму 4"
    )
    # A head that asks is a question of its own; a facet is read with it.
    assert parts_module.unannounced("what is it: SP3?") == "what is it: SP3?"


def test_an_emoji_ends_a_clause() -> None:
    assert asks("new JPO at the Policy Planning Unit 🙂 whats our role in the programme")
    assert not asks("new JPO at the Policy Planning Unit 🙂")


def test_a_list_of_things_requested_is_a_list_of_questions() -> None:
    needed = "for a note I need (1) DPA's regular budget figure and (2) the accomplishment of SP2"
    starts = parts_module._list_items(needed)
    assert [needed[s : s + 3] for s in starts] == ["(1)", "(2)"]
    assert parts_module._list_items("pls send (1) the budget and (2) the SP2 objective") != ()
    # Labels of one question stay one: too few words each, and nothing before them requests.
    assert parts_module._list_items("I need indicators (a) and (b) for SP3") == ()
    assert parts_module._list_items("DPA (1) budget figure for 2004 and (2) accomplishment") == ()


def test_several_paragraphs_named_are_each_asked_of() -> None:
    from bot.question.analysis import paragraphs_named

    assert paragraphs_named("c'est quoi le para 2.4 et le 2.5 ? en bref") == ["2.4", "2.5"]
    assert paragraphs_named("what do paras 2.4 and 2.5 say?") == ["2.4", "2.5"]
    assert paragraphs_named("2.4段和2.5段讲什么？") == ["2.4", "2.5"]
    # A number of another chapter, or a figure, is no paragraph of it.
    assert paragraphs_named("para 2.4: is it 95.5 per cent?") == ["2.4"]
    assert paragraphs_named("what is 2.4?") == []


def test_a_piece_asking_of_a_resolution_is_never_filler() -> None:
    """The reader may take "34/65 D 是关于什么的？" for a filler; its symbol says it asks."""
    table = {"目标": f.OBJECTIVE, "34/65": f.FILLER}
    assert texts("请教：1. 次级方案5的目标是什么？2. 34/65 D 是关于什么的？", table) == [
        "请教：1. 次级方案5的目标是什么？",
        "2. 34/65 D 是关于什么的？",
    ]


def test_two_yes_no_questions_each_with_its_mark_are_two_parts() -> None:
    table = {"新成员": f.YES_NO, "军事参谋团": f.YES_NO}
    question = "安理会事务司负不负责帮新成员熟悉工作方法？另外它给军事参谋团提供服务吗？"
    assert len(texts(question, table)) == 2


def test_who_asks_before_a_numbered_list_opens_its_first_item() -> None:
    table = {"nouveau": f.ONBOARDING, "résolutions": f.WHICH_RESOLUTION, "pays": f.DETAIL}
    question = (
        "Salut, je suis nouveau à l'UNSCO. 1) Quelles résolutions ont créé le Bureau ? "
        "2) Le Coordonnateur spécial est point focal pour quels pays ?"
    )
    first, second = split_parts(question, reader(table))
    assert first.text.startswith("Salut") and first.text.endswith("le Bureau ?")
    assert first.reading is not None and first.reading.facet == f.WHICH_RESOLUTION
    assert second.text.startswith("2)")
