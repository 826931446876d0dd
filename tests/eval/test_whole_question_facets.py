"""Whole questions whose answers rest on what they ask (their facet, read by the real model
from the question bank, corpus/questions/): the eval tier."""

from __future__ import annotations

from bot.pipeline import Pipeline
from bot.question.parts import split_parts


def test_a_list_is_complete(pipeline: Pipeline) -> None:
    answer = pipeline.ask("Which mandates does subprogramme 4 have?")
    assert len(answer.mandates) == 18
    assert answer.answer.splitlines()[0].startswith("Subprogramme 4: Decolonization has 18")
    assert all(m.symbol in answer.answer for m in answer.mandates)


def test_a_newcomer_gets_a_unit_card(pipeline: Pipeline) -> None:
    card = pipeline.ask("I just joined SCAD. What does my division do?")
    text = card.answer
    assert text.startswith("Security Council Affairs Division (安全理事会事务司)")
    for item in ("sanctions committees", "Counter-Terrorism Committee", "Military Staff Committee"):
        assert item in text  # the bodies it serves
    assert "“smart” sanctions" in text and "new members" in text  # each clause once
    assert text.count("Issuing meeting documents") == 1
    assert "Objective: To facilitate" in text and "Measured by:" in text
    # Six mandates: few enough to be named on the card.
    assert "Mandates: Charter" in text and "1373 (2001)" in text
    assert "tour" in text


def test_a_newcomers_card_names_every_mandate_of_a_long_list(pipeline: Pipeline) -> None:
    """Asked "under which mandates?", a card names all 38 of subprogramme 1, by body, and
    links each of them."""
    card = pipeline.ask("我刚加入亚洲和太平洋司，我们的工作内容、授权和衡量标准是什么？")
    listed = pipeline.retriever.programme.passage("sp1.mandates").symbols
    assert card.kind == "card" and len(listed) == 38
    assert all(symbol in card.answer for symbol in listed)
    assert "大会决议31项" in card.answer
    assert [m.symbol for m in card.mandates] == list(listed)


def test_asked_for_the_full_list_the_sentence_holding_it_is_quoted_whole(
    pipeline: Pipeline,
) -> None:
    answer = pipeline.ask("full list of the places the Special Coordinator is focal point for?")
    for place in ("Syrian Arab Republic", "阿拉伯叙利亚共和国", "被占巴勒斯坦领土"):
        assert place in answer.answer
    cut = pipeline.ask("Is the Special Coordinator the focal point for Jordan?")
    assert "阿拉伯叙利亚共和国" not in cut.answer  # a single fact keeps the short quote


def test_a_question_about_the_subprogrammes_themselves_lists_them(pipeline: Pipeline) -> None:
    """Counted or named, with no other subject: the six of them, not a paragraph's words."""
    for question in ("这个方案总共分成几个次级方案啊？", "六个次级方案分别叫什么？全列一下"):
        answer = pipeline.ask(question)
        assert answer.kind == "structured" and answer.answer.startswith("本方案共有6个次级方案")
    # A subject of its own (elections) is a passage question.
    assert pipeline.ask("哪个次级方案负责选举？").kind != "structured"


def test_an_opinion_is_declined_but_what_the_text_stresses_is_answered(pipeline: Pipeline) -> None:
    for question in ("Honestly, do you think UNSCO has been effective?", "你觉得预防冲突有用吗？"):
        answer = pipeline.ask(question)
        assert answer.abstained and answer.kind == "decline", question
    assert not pipeline.ask("What does the programme say should be strengthened in SP1?").abstained


def test_who_carries_a_numbered_subprogramme_is_read_from_the_facet_in_russian(
    pipeline: Pipeline,
) -> None:
    answer = pipeline.ask("Какое подразделение отвечает за подпрограмму 5 и какова её цель?")
    first, second = answer.answer.splitlines()[:2]
    assert "Division for Palestinian Rights" in first and "(para. 2.12)" in first
    assert "inalienable rights" in second


def test_which_resolution_of_a_unit_with_one_is_that_one(pipeline: Pipeline) -> None:
    answer = pipeline.ask("选举援助的授权依据是哪项决议？")
    assert [m.symbol for m in answer.mandates] == ["58/180"]
    # Two resolutions: the sentence saying which set the office up, not the list.
    assert "1993" in pipeline.ask("UNSCO was established under which GA resolutions?").answer


def test_a_follow_up_naming_another_topic_asks_for_its_resolutions(pipeline: Pipeline) -> None:
    before = pipeline.ask("Quelle résolution porte sur le Sahara occidental ?")
    answer = pipeline.ask("Et pour Gibraltar ?", previous=before)
    assert [m.symbol for m in answer.mandates] == ["58/526"]  # not Western Sahara's again
    before = pipeline.ask("Gibraltar — is there any mandate for it?")
    answer = pipeline.ask("what about the Falklands/Malvinas and Bermuda?", previous=before)
    assert {m.symbol for m in answer.mandates} == {"58/511", "58/108"}
    before = pipeline.ask("Quelles résolutions concernent le Sahara occidental ?")
    answer = pipeline.ask("Et la Nouvelle-Calédonie ?", previous=before)  # a place, by name
    assert [m.symbol for m in answer.mandates] == ["58/106"]
    # A follow-up asking something of its own is not a topic switch.
    assert pipeline.ask("and who is responsible?", previous=before).kind != "mandates"


def test_a_newcomers_card_answers_the_later_parts_it_already_says(pipeline: Pipeline) -> None:
    """The card names every mandate and every indicator: "under which mandates" and "how is
    our work measured" are not answered twice. Asked more than what the unit does, the card is
    compact: fewer clauses, each indicator with its original."""
    answer = pipeline.ask(
        "I just joined SCAD: what do we do, under which mandates, and how is our work measured?"
    )
    assert answer.kind == "card" and not answer.parts
    assert answer.answer.count("1535 (2004)") == 1
    assert answer.answer.count("Level of satisfaction") == 1
    original = "(a) 安全理事会成员及联合国广大会员对安全理事会事务司所提供服务的满意程度"
    assert f"[{original}]" in answer.answer
    assert "…and 6 more (para. 2.8)." in answer.answer
    whole = pipeline.ask("I just joined SCAD. What does my division do?").answer
    assert len(answer.answer) < len(whole) - 500


def test_a_newcomer_asking_one_thing_gets_it_not_a_card(pipeline: Pipeline) -> None:
    """What the newcomer says of themselves comes with the one thing they ask: answered first."""
    question = (
        "hey all, P-2 in DPA NY here, first week lol. which dept actually has substantive "
        "responsibility for the programme?"
    )
    answer = pipeline.ask(question)
    assert answer.kind != "card" and not answer.parts and answer.question == question
    assert "Department of Political Affairs" in answer.answer.splitlines()[0]
    brief = pipeline.ask(
        "I'm a P-4 PAO who just joined Africa II Division in NY. What's our subprogramme's "
        "objective, what mandates do we work under, and what are the KPIs?"
    )
    assert brief.kind == "card" and "…and 8 more (para. 2.6)." in brief.answer
    # One fact asked of their own unit: the fact, not the card.
    count = pipeline.ask(
        "Bonjour, je suis nouveau au Groupe de la décolonisation. Selon le SP4, combien de "
        "territoires non autonomes restent-ils ?"
    )
    assert count.kind != "card" and "16" in count.answer.splitlines()[0]


def test_a_statement_that_others_are_new_is_no_newcomer(pipeline: Pipeline) -> None:
    """ "new members" are the Council's, not the asker: the question stands alone, declined."""
    answer = pipeline.ask(
        "which countries sit on the Security Council this year? prepping an induction for "
        "new members"
    )
    assert answer.abstained and not answer.parts


def test_a_later_part_asking_for_the_legal_basis_gets_its_units_list(pipeline: Pipeline) -> None:
    # "the legal basis" names no topic: the unit of the part before it is what it asks about,
    # not every resolution of the programme.
    answer = pipeline.ask("new in EAD - what's our remit, what's the legal basis?")
    assert [m.symbol for m in answer.mandates] == ["58/180"]
    assert len(answer.answer) < 2500


def test_mandates_of_a_named_unit_are_its_list_unless_a_title_holds_the_topic(
    pipeline: Pipeline,
) -> None:
    council = pipeline.ask("what are the SC resolutions behind SCAD's work?")
    assert [m.symbol for m in council.mandates] == ["1373 (2001)", "1535 (2004)"]
    camps = pipeline.ask(
        "Among SP1's Security Council resolutions, which one is about refugee camps?"
    )
    assert camps.mandates[0].symbol == "1208 (1998)"


def test_a_list_for_two_territories_names_both(pipeline: Pipeline) -> None:
    answer = pipeline.ask("¿Qué resoluciones tratan de las Malvinas (Falkland) y de Gibraltar?")
    assert {m.symbol for m in answer.mandates} == {"58/511", "58/526"}


def test_a_later_part_asking_for_indicators_gets_its_units_list(pipeline: Pipeline) -> None:
    q = "Quel est l'objectif du sous-programme 6 et quels indicateurs de succès sont utilisés ?"
    answer = pipeline.ask(q)
    assert answer.answer.count("Indicateur :") == 3  # (a), (b) and (c), not the best one


def test_the_nth_expected_accomplishment_is_the_record_that_answers(pipeline: Pipeline) -> None:
    answer = pipeline.ask("安理会事务司第三项预期成果的指标是什么？")
    assert "次级方案3，预期成果 (c)" in answer.answer.splitlines()[0]  # the lead cites it


def test_a_yes_no_question_about_the_text_gets_no_when_it_holds_no_such_thing(
    pipeline: Pipeline,
) -> None:
    answer = pipeline.ask("Does the programme give the number of staff in EAD?")
    assert answer.answer.startswith("No: ")
    assert not answer.answer.startswith("Yes")


def test_time_words_about_the_asker_are_no_later_events(pipeline: Pipeline) -> None:
    card = pipeline.ask("Starting in the decolonization team next week, what will I work on?")
    assert not card.abstained
    assert card.answer.startswith("Decolonization Unit (非殖民化股)")


def test_a_question_in_two_parts_is_answered_part_by_part(pipeline: Pipeline) -> None:
    answer = pipeline.ask(
        "How many Non-Self-Governing Territories remain, and what share of documents has to "
        "be submitted on time?"
    )
    assert [p.abstained for p in answer.parts] == [False, False]
    first, second = answer.answer.splitlines()[:2]
    assert first.startswith("16 — ") and "95 per cent" in second
    assert answer.answer.count("(") >= 2  # each part with its own reference


def test_a_later_part_inherits_the_unit_of_the_earlier(pipeline: Pipeline) -> None:
    answer = pipeline.ask("第五次级方案的目标是什么？由哪个司负责？")
    objective, unit = answer.parts
    assert "使巴勒斯坦人民能够行使他们不可剥夺的权利" in objective.answer
    assert "巴勒斯坦人民权利司" in unit.answer.splitlines()[0]


def test_one_part_is_declined_on_its_own_line(pipeline: Pipeline) -> None:
    answer = pipeline.ask("What is the objective of subprogramme 2, and what is its budget?")
    objective, budget = answer.parts
    assert not objective.abstained and budget.abstained
    assert "budget" in budget.answer.splitlines()[0] and not answer.abstained


def test_clear_joints_split_and_lists_of_names_do_not(pipeline: Pipeline) -> None:
    read = pipeline.retriever.read_facets

    def texts(question: str) -> list[str]:
        return [part.text for part in split_parts(question, read)]

    assert texts("Who is responsible for SP1 and who helps them?") == [
        "Who is responsible for SP1",
        "who helps them?",
    ]
    assert len(texts("Which resolutions cover Jordan and Lebanon?")) == 1
    assert len(texts("本方案分为哪几个次级方案？请全部列出。")) == 1
    assert len(texts("目标是什么，以及有哪些指标？")) == 2
    # Without a facet reader nothing is cut: parts come from what each side asks.
    assert len(split_parts("Who is responsible for SP1 and who helps them?")) == 1


def test_what_a_unit_does_is_its_clauses_not_one(pipeline: Pipeline) -> None:
    answer = pipeline.ask("What does the Electoral Assistance Division do?")
    lines = answer.answer.splitlines()
    assert lines[0].startswith("Electoral Assistance Division (选举援助司)")
    assert "(para. 2.7" in lines[0]
    bullets = [x for x in lines if x.startswith("• ")]
    assert len(bullets) == 8 and len(set(bullets)) == 8


def test_a_paragraph_named_with_its_chinese_suffix_is_what_is_asked(pipeline: Pipeline) -> None:
    previous = pipeline.ask("2.4段讲的是什么？")
    answer = pipeline.ask("那2.5段呢？讲的啥", previous=previous)
    assert not answer.abstained and "（第2.5段）" in answer.answer.splitlines()[0]


def test_scrs_are_security_council_resolutions(pipeline: Pipeline) -> None:
    answer = pipeline.ask("all the SCRs in SP3's mandates? just the Council ones")
    assert [m.symbol for m in answer.mandates] == ["1373 (2001)", "1535 (2004)"]


def test_a_later_part_pointing_back_at_an_unheld_name_is_declined_too(pipeline: Pipeline) -> None:
    previous = pipeline.ask("what does SP1 say about the Africa divisions?")
    answer = pipeline.ask("ok and what about UNOWA? what's its role?", previous=previous)
    assert answer.abstained and answer.answer.startswith("The programme text does not mention")


def test_a_labelled_indicator_is_that_one_not_the_list(pipeline: Pipeline) -> None:
    answer = pipeline.ask("SP6 : quel est l'indicateur pour la réalisation escomptée (a) ?")
    assert answer.answer.startswith("(a) Augmentation du nombre de négociations")
    previous = pipeline.ask("SCAD indicators — which publication's page counts are under (b)?")
    answer = pipeline.ask("and indicator (a)?", previous=previous)
    assert "satisfaction" in answer.answer.splitlines()[0]


def test_a_later_part_pointing_back_at_a_resolution_asks_about_it(pipeline: Pipeline) -> None:
    """ "is that in SCAD's mandates?": "that" is the resolution of the part before; one the
    programme does not list is declined, not answered with SCAD's list."""
    answer = pipeline.ask("what about 1267 (1999)? is that among SCAD's mandates?")
    assert answer.abstained and not answer.mandates
    assert "1267 (1999)" in answer.answer.splitlines()[0]


def test_who_assists_is_the_unit_the_text_says_assists(pipeline: Pipeline) -> None:
    """ "…vested in the regional divisions, namely …, with the assistance of the Policy Planning
    Unit": in English and French the divisions stand nearer the question's words."""
    for question, unit in (
        ("Who assists the regional divisions?", "Policy Planning Unit"),
        ("Qui aide les divisions régionales ?", "Groupe de la planification des politiques"),
    ):
        assert pipeline.ask(question).answer.startswith(unit)


def test_a_count_the_text_does_not_give_is_declined(pipeline: Pipeline) -> None:
    """A number counts what stands next to it: "six subprogrammes" does not count sanctions
    committees; "16 个剩余非自治领土" counts the territories asked about by their name."""
    assert pipeline.ask("how many SC sanctions committees are there currently?").abstained
    answer = pipeline.ask("有几个非自治领土？")
    assert not answer.abstained and answer.answer.startswith("16")


def test_a_name_only_a_resolutions_title_holds_is_answered_by_that_resolution(
    pipeline: Pipeline,
) -> None:
    """The text names Myanmar and the African Union only in 58/247's and 57/48's titles: what it
    says of them is those resolutions, not the nearest paragraph."""
    for question, symbol in (
        ("what does the programme say about Myanmar?", "58/247"),
        ("方案对缅甸有什么内容？", "58/247"),
        ("does the programme mention the African Union?", "57/48"),
    ):
        answer = pipeline.ask(question)
        assert [m.symbol for m in answer.mandates] == [symbol], question


def test_a_follow_up_asking_which_resolution_gets_the_one_the_fact_cites(
    pipeline: Pipeline,
) -> None:
    """ "by which resolution?" after "when was CEIRPP established?": 3376 (XXX), which the
    sentence cites, not subprogramme 5's seven mandates; "and its mandates?" after who runs a
    subprogramme is still its list."""
    before = pipeline.ask("when was CEIRPP established?")
    answer = pipeline.ask("by which resolution?", previous=before)
    assert answer.answer.startswith("3376 (XXX)")
    assert [m.symbol for m in answer.mandates] == ["3376 (XXX)"]
    before = pipeline.ask("who is responsible for SP4?")
    assert len(pipeline.ask("and its mandates?", previous=before).mandates) > 10


def test_a_topics_resolutions_asked_of_one_body_are_that_bodys(pipeline: Pipeline) -> None:
    """ "SC res on terrorism": 1373 (2001) and 1535 (2004), not the GA's 58/81 on the same
    topic; a follow-up asking the other body's filters the topic's whole list again."""
    answer = pipeline.ask("which SC res on terrorism are listed?")
    assert sorted(m.symbol for m in answer.mandates) == ["1373 (2001)", "1535 (2004)"]
    again = pipeline.ask("and the GA ones?", previous=answer)
    assert "58/81" in [m.symbol for m in again.mandates]


def test_a_country_only_titles_name_is_found_in_any_language(pipeline: Pipeline) -> None:
    """Cuba, named in Arabic, is 古巴 of 58/7's title: that resolution, not every one within a
    flat margin of an Arabic question's cosines."""
    answer = pipeline.ask("ما هي القرارات المتعلقة بالحصار المفروض على كوبا؟")
    assert [m.symbol for m in answer.mandates] == ["58/7"]


def test_who_carries_the_subprogramme_before_is_read_off_the_structure(
    pipeline: Pipeline,
) -> None:
    before = pipeline.ask("what is SP2's objective?")
    answer = pipeline.ask("which division carries it?", previous=before)
    assert answer.kind == "structured"
    assert answer.answer.startswith("Subprogramme 2: Electoral assistance is the responsibility")


def test_words_of_the_asker_name_nothing(pipeline: Pipeline) -> None:
    """ "Q on SP3:" (a question on), "麻烦全部列出" (please list all): no name to decline."""
    answer = pipeline.ask("Q on SP3: what's indicator (c)?")
    assert not answer.abstained and "(c)" in answer.answer.splitlines()[0]
    assert not pipeline.ask("次级方案5有哪些绩效指标？麻烦全部列出").abstained


def test_a_bare_number_after_a_resolution_looked_up_is_a_resolution(pipeline: Pipeline) -> None:
    before = pipeline.ask("is 1373 covered in prog 2?")
    answer = pipeline.ask("ok and 1624?", previous=before)
    assert answer.abstained and "1624" in answer.answer
    assert not pipeline.ask("and 1535?", previous=before).abstained


def test_a_resolution_asked_for_a_title_only_name_is_no_vote(pipeline: Pipeline) -> None:
    answer = pipeline.ask("Quelle résolution sur l'embargo contre Cuba ?")
    assert [m.symbol for m in answer.mandates] == ["58/7"]


def test_which_kind_is_counted_is_answered_by_its_sentence(pipeline: Pipeline) -> None:
    """No number counts it, but the sentence names what is counted: that sentence answers."""
    answer = pipeline.ask("派驻巴勒斯坦人民权利委员会的哪类组织数量是绩效指标？")
    assert not answer.abstained and "民间社会组织" in answer.answer.splitlines()[0]


def test_the_same_question_of_another_subject_is_read_from_the_bank(pipeline: Pipeline) -> None:
    """ "et celui du SP5 ?" matches no pattern: the bank's `again` examples read it as the
    previous question, asked of what it names."""
    first = pipeline.ask("Quel est l'objectif du sous-programme 2 ?")
    then = pipeline.ask("et celui du SP5 ?", previous=first)
    assert then.answer.startswith("Permettre au peuple palestinien")
    who = pipeline.ask("Qui est chargé du sous-programme 3 ?")
    then = pipeline.ask("et pour la décolonisation ?", previous=who)
    assert then.answer.splitlines()[0].startswith("Sous-programme 4 : Décolonisation relève de")


def test_one_thing_asked_of_two_subprogrammes_is_answered_for_each(pipeline: Pipeline) -> None:
    answer = pipeline.ask("quick q, who leads SP3 and SP4?")
    first, second = answer.answer.splitlines()[:2]
    assert "Security Council Affairs Division" in first and "(para. 2.8)" in first
    assert "Decolonization Unit" in second and "(para. 2.9)" in second
    zh = pipeline.ask("SP1和SP2分别由哪个司负责？")
    assert [line[:6] for line in zh.answer.splitlines()] == ["次级方案1：", "次级方案2："]


def test_who_assists_a_subprogramme_is_read_off_its_structure(pipeline: Pipeline) -> None:
    answer = pipeline.ask("who supports the regional divisions on subprogramme 1?")
    assert answer.answer.splitlines()[0].startswith(
        "Subprogramme 1: Prevention, control and resolution of conflicts: the Policy Planning Unit"
    )
    assert "(para. 2.6)" in answer.answer.splitlines()[0]


def test_a_new_body_filter_asks_among_the_whole_list_again(pipeline: Pipeline) -> None:
    sc = pipeline.ask("which SC resolutions are listed under SP3?")
    ga = pipeline.ask("what about the GA ones", previous=sc)
    assert ga.answer.startswith("3 of the 6 are General Assembly resolutions")
    assert [m.symbol for m in ga.mandates] == ["686 (VII)", "55/222", "58/248"]


def test_the_latter_of_two_resolutions_is_the_last_one_listed(pipeline: Pipeline) -> None:
    listed = pipeline.ask("中东和平进程协调员办事处是依据哪些决议设立的？")
    latter = pipeline.ask("后一项决议是哪天通过的？", previous=listed)
    assert latter.answer.startswith("1994 年 12 月 16 日")


def test_a_follow_up_asking_for_another_language_answers_the_question_again_in_it(
    pipeline: Pipeline,
) -> None:
    first = pipeline.ask("what is the objective of SP2?")
    again = pipeline.ask("en français svp", previous=first)
    assert again.language == "fr" and not again.abstained
    assert again.answer.startswith("Accroître l'efficacité")


def test_a_russian_follow_up_asks_for_the_first_indicator(pipeline: Pipeline) -> None:
    first = pipeline.ask("Какова цель подпрограммы 6?")
    then = pipeline.ask("а какой у неё первый показатель?", previous=first)
    assert then.answer.startswith("(a) Increase in the number of negotiations")


def test_another_programme_of_the_plan_is_declined(pipeline: Pipeline) -> None:
    answer = pipeline.ask("方案3裁军事务的目标是什么？")
    assert answer.abstained and answer.answer.startswith("方案文本没有提到方案3")


def test_two_places_only_titles_name_are_answered_by_those_titles(pipeline: Pipeline) -> None:
    answer = pipeline.ask("quelles résolutions concernent les Malouines et Gibraltar ?")
    assert [m.symbol for m in answer.mandates] == ["58/511", "58/526"]
    assert answer.kind == "mandates"


def test_an_institution_named_head_first_that_the_text_never_holds_is_declined(
    pipeline: Pipeline,
) -> None:
    """French, Russian, Arabic write a name's head first, in lower case after it; the text holds
    none of these, while it does hold the units written the same way."""
    for question, name in (
        (
            "Que prévoit le programme pour la Commission de consolidation de la paix ?",
            "Commission de consolidation de la paix",
        ),
        (
            "Какова роль Отдела Ближнего Востока и Западной Азии согласно программе?",
            "Отдела Ближнего Востока",
        ),
        (
            "ما دور برنامج الأمم المتحدة الإنمائي في البرنامج الفرعي 2؟",
            "برنامج الأمم المتحدة الإنمائي",
        ),
        ("维持和平行动部在本方案中负责什么？", "维持和平行动部"),
    ):
        answer = pipeline.ask(question)
        assert answer.abstained and name in answer.answer.splitlines()[0], question
    for held in (
        "Bonjour à tous, je rejoins la Division Asie et Pacifique à NY. Quel sous-programme ?",
        "Salut, je rejoins l'Unité de la décolonisation la semaine prochaine. Notre rôle ?",
        "ما هي المبادئ التي يجب أن تحترمها إدارة الشؤون السياسية؟",
        "2.3段要求政治部尊重的原则，全部列出来",
    ):
        assert not pipeline.ask(held).abstained, held


def test_a_french_follow_up_about_our_unit_keeps_the_unit(pipeline: Pipeline) -> None:
    first = pipeline.ask("Quel est l'objectif du sous-programme 5 ?")
    then = pipeline.ask("Merci ! Et comment mesure-t-on les résultats chez nous ?", previous=first)
    assert then.kind == "structured" and then.answer.startswith("Sous-programme 5")


def test_an_announced_pair_of_questions_is_answered_in_two_parts(pipeline: Pipeline) -> None:
    answer = pipeline.ask(
        "Два вопроса: кто отвечает за подпрограмму 4 и какими главами Устава она руководствуется?"
    )
    assert len(answer.parts) == 2 and not answer.abstained
    assert "Decolonization Unit" in answer.answer and "XI" in answer.answer


def test_which_ones_after_a_list_question_is_that_list_not_a_decline(pipeline: Pipeline) -> None:
    answer = pipeline.ask("Are there resolutions on terrorism in the mandates? which ones")
    assert not answer.parts and "does not cover" not in answer.answer
    assert {"1373 (2001)", "58/81", "1535 (2004)"} <= {m.symbol for m in answer.mandates}


def test_a_list_of_resolutions_asked_in_french_is_the_titles_list(pipeline: Pipeline) -> None:
    answer = pipeline.ask("Quelles résolutions portent sur le terrorisme ?")
    assert answer.kind == "mandates"
    assert {"1373 (2001)", "58/81"} <= {m.symbol for m in answer.mandates}


def test_a_newcomers_question_after_their_statement_lists_their_units_accomplishments(
    pipeline: Pipeline,
) -> None:
    for question, lead in (
        (
            "大家好，我刚调到安全理事会事务司（P3，纽约）。我们次级方案的三项预期成果是什么？",
            "次级方案3",
        ),
        (
            "Salut, j'arrive à l'UNSCO (P2). Quels sont nos trois résultats attendus, en bref ?",
            "Sous-programme 6",
        ),
    ):
        answer = pipeline.ask(question)
        assert answer.kind == "structured" and answer.answer.startswith(lead), question


def test_one_expected_accomplishment_asked_for_leads_with_it(pipeline: Pipeline) -> None:
    answer = pipeline.ask("What is SP2's expected accomplishment?")
    first = answer.answer.splitlines()[0]
    assert "has one expected accomplishment: Strengthened capacity of Member States" in first


def test_an_emoji_ends_a_newcomers_statement_that_asks(pipeline: Pipeline) -> None:
    answer = pipeline.ask(
        "hey team, new JPO at the Policy Planning Unit 🙂 whats our role in the programme and "
        "in which SP? also where's the JPO onboarding doc?"
    )
    assert not answer.abstained and "Subprogramme 1" in answer.answer


def test_symbols_written_in_other_languages_not_in_the_text_decline(pipeline: Pipeline) -> None:
    absent = ("هل القرار 194 (د-3) من ضمن الولايات؟", "is GA 2625 one of prog 2's mandates?")
    for question in absent:
        answer = pipeline.ask(question)
        assert answer.abstained and not answer.mandates, (question, answer.answer)
    listed = pipeline.ask("Что за резолюция СБ 1373?")
    assert [m.symbol for m in listed.mandates][:1] == ["1373 (2001)"], listed.answer


def test_the_askers_city_beside_their_grade_never_declines_in_russian(pipeline: Pipeline) -> None:
    question = "Я новый сотрудник Отдела по правам палестинцев (Нью-Йорк, P3). Что делает отдел?"
    answer = pipeline.ask(question)
    assert not answer.abstained and "Нью-Йорк" not in answer.answer, answer.answer


def test_a_list_of_things_requested_answers_each_on_its_own_line(pipeline: Pipeline) -> None:
    answer = pipeline.ask(
        "for a note I need (1) DPA's regular budget figure and (2) the expected accomplishment "
        "under SP2, thanks"
    )
    assert len(answer.parts) == 2 and answer.parts[0].abstained, answer.answer
    assert not answer.parts[1].abstained and "elections" in answer.parts[1].answer


def test_an_initial_before_a_name_is_spelt_out_when_the_text_holds_one(pipeline: Pipeline) -> None:
    answer = pipeline.ask("wich GA res deals w/ W. Sahara")
    assert not answer.abstained and "58/109" in [m.symbol for m in answer.mandates], answer.answer


def test_the_uns_short_name_and_a_word_is_one_name_the_text_lacks(pipeline: Pipeline) -> None:
    for question in ("What does the programme say about UN Women?", "¿Y ONU Mujeres?"):
        answer = pipeline.ask(question)
        assert answer.abstained, (question, answer.answer)
    held = pipeline.ask("Which articles of the UN Charter are cited for SP3?")
    assert not held.abstained, held.answer


def test_a_count_the_text_does_not_state_is_declined_not_quoted(pipeline: Pipeline) -> None:
    # The indicator "increased number of civil society organizations accredited" names what is
    # counted, not how many there are: quoting it would answer a number that is not there.
    answer = pipeline.ask("how many NGOs are accredited right now?")
    assert answer.abstained, answer.answer
    held = pipeline.ask("How many Non-Self-Governing Territories remain?")
    assert "16" in held.answer.splitlines()[0]


def test_who_carries_the_programme_is_read_from_the_facet_in_any_language(
    pipeline: Pipeline,
) -> None:
    # Read off the overall orientation's "responsibility … is vested in" sentence, as a
    # subprogramme's unit is off its strategy: not the sentence whose words match best (2.4
    # says DPA leads on counter-terrorism).
    for question in (
        "Какой департамент отвечает за программу 2?",
        "1）秘书处里谁负责方案2？2）单独列为一个次级方案的是哪个办事处？",
    ):
        first = pipeline.ask(question).answer.splitlines()[0]
        assert ("Department of Political Affairs" in first or "政治事务部" in first) and (
            "2.1" in first
        ), first
    # A part asking of "a subprogramme" is not about the programme's unit.
    second = pipeline.ask("1）秘书处里谁负责方案2？2）单独列为一个次级方案的是哪个办事处？")
    assert "中东和平进程" in second.answer.splitlines()[1]
