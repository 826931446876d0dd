"""The whole question path over the fake encoder: passages, lists, parts, follow-ups, newcomers'
unit cards, names the text does not hold, the whole programme, quotes and links. These check
what the path does with a question (routes, handlers, composition); ranking quality is measured
with the real model by `programme-bot eval`."""

from __future__ import annotations

import importlib
import pkgutil
import re

import bot.routes
from bot.ops.evaluate import lead
from bot.pipeline import Pipeline
from bot.routes import BY_KIND, ROUTES


def test_a_passage_question_is_answered_from_its_record(fake_pipeline: Pipeline) -> None:
    answer = fake_pipeline.ask("What does the Special Committee keep under review?")
    assert not answer.abstained
    assert answer.sources[0].id == "2.10"
    assert "(para. 2.10, unofficial translation)" in answer.answer.splitlines()[0]


def test_a_follow_up_filters_the_previous_list(fake_pipeline: Pipeline) -> None:
    listing = fake_pipeline.ask("What are the decolonization mandates?")
    assert len(listing.mandates) == 18
    none = fake_pipeline.ask("其中有安理会决议吗？", previous=listing)
    assert none.answer.startswith("没有：全部18项都是大会决议或决定")
    assert not none.abstained and not none.mandates
    # The list survives an empty filter: the next filter still has all 18 to work on.
    old = fake_pipeline.ask("only the ones from before 1970", previous=none)
    assert [m.symbol for m in old.mandates] == ["1514 (XV)", "1541 (XV)", "1654 (XVI)"]
    assert old.answer.startswith("3 of the 18 are resolutions from before 1970")


def test_a_long_list_names_every_resolution_by_body_and_a_short_one_gives_titles(
    fake_pipeline: Pipeline,
) -> None:
    long = fake_pipeline.ask("Which mandates does subprogramme 1 have?")
    symbols = list(fake_pipeline.composer.programme.passage("sp1.mandates").symbols)
    assert len(symbols) > fake_pipeline.composer.params.titled_mandates
    assert [m.symbol for m in long.mandates] == symbols  # every one named, so every one linked
    lines = long.answer.splitlines()
    assert lines[1:] == [
        line for line in lines[1:] if line.startswith(("• Charter", "• General", "• Security"))
    ]
    assert "Agenda for Peace" not in long.answer and len(long.answer) < 1000
    short = fake_pipeline.ask("Which mandates does subprogramme 5 have?")
    assert len(short.mandates) == 7 and "Committee on the Exercise" in short.answer


def test_filters_chain_over_turns(fake_pipeline: Pipeline) -> None:
    listing = fake_pipeline.ask("Which mandates does subprogramme 1 have?")
    council = fake_pipeline.ask("which of them are Security Council resolutions?", previous=listing)
    assert {m.body for m in council.mandates} == {"Security Council"}
    assert len(council.mandates) == 6
    nineties = fake_pipeline.ask("just the 1998 ones pls", previous=council)
    assert [m.symbol for m in nineties.mandates] == [
        "1196 (1998)",
        "1197 (1998)",
        "1208 (1998)",
        "1209 (1998)",
    ]


def test_a_name_the_text_never_mentions_is_said_first(fake_pipeline: Pipeline) -> None:
    answer = fake_pipeline.ask("What does the programme say about the Peacebuilding Commission?")
    assert answer.abstained
    assert (
        lead(answer.answer) == "The programme text does not mention the Peacebuilding Commission."
    )
    held = fake_pipeline.ask("What does the programme say about the Security Council?")
    assert not held.abstained
    # A word opening the sentence is no part of a name ("Among SP1's Security Council…").
    among = fake_pipeline.ask("Among SP1's Security Council resolutions, which is on refugees?")
    assert not among.abstained and "does not mention" not in among.answer
    joined = fake_pipeline.ask("Joined Africa II Division last month. Which mandates are ours?")
    assert not joined.abstained and "does not mention" not in joined.answer
    # The asker's place right after their grade is theirs, not what they ask about.
    there = fake_pipeline.ask("New in the Decolonization Unit (P-3, New York). What do we do?")
    assert not there.abstained and "York" not in there.answer
    # "这几个司" (these few divisions) points back; it names no division.
    these = fake_pipeline.ask("还有哪个单位协助这几个司？")
    assert "没有提到" not in these.answer
    members = fake_pipeline.ask("Does SCAD help newly elected council members with procedures?")
    assert not members.abstained and "does not mention" not in members.answer
    listed = fake_pipeline.ask("How is the Special Committee supported — seminars, missions?")
    assert "does not mention" not in listed.answer  # a list after a dash names no mission
    # A Chinese city the asker is in is theirs; a country or an institution is asked about.
    city = fake_pipeline.ask("我是刚到纽约的P-2：联大第一次审议巴勒斯坦问题是在哪一年？")
    assert "没有提到" not in city.answer
    # "It" stands for the territory named before it, which one resolution's title holds.
    gibraltar = fake_pipeline.ask("Gibraltar — is there any mandate for it?")
    assert [m.symbol for m in gibraltar.mandates] == ["58/526"]


def test_programme_2_is_the_whole_programme(fake_pipeline: Pipeline) -> None:
    whole = fake_pipeline.ask("What is the overall objective of Programme 2?")
    # From the overall orientation (paras 2.1–2.5), not subprogramme 2's objective.
    assert whole.sources[0].subprogramme is None
    assert "Subprogramme" not in whole.answer.splitlines()[0]
    one = fake_pipeline.ask("What is the objective of subprogramme 2?")
    assert one.answer.splitlines()[0].endswith(
        "(Subprogramme 2, objective, unofficial translation)."
    )


def test_quotes_never_cut_a_word(fake_pipeline: Pipeline) -> None:
    # Long sentences (well over a lead's length), shortened in the lead: each is cut (with "…"),
    # every piece shown is the translation's own text, and the words on either side of each
    # "…" are whole. Without the first two checks a lead cut without "…", or not cut at all,
    # passed unchecked.
    sentences = fake_pipeline.index.first.programme.sentences
    english = re.sub(r"\s+", " ", " ".join(s.text_in("en") or "" for s in sentences))
    for question in (
        "Which information materials on decolonization will be produced, with whom?",
        "What ways will the Special Coordinator explore with the relevant actors?",
        "In 2.3, which principle is key to the success of prevention efforts?",
    ):
        answer = fake_pipeline.ask(question)
        first = answer.answer.splitlines()[0]
        quote = re.sub(r"\s*\(para\. [^()]*\)\.$", "", first)  # without its reference
        assert quote != first and "…" in quote, first
        pieces = [p.strip(" ,;:") for p in quote.split("…") if p.strip(" ,;:")]
        for piece in pieces:
            assert piece[:1].lower() + piece[1:] in english or piece in english, (piece, first)
        beside = re.findall(r"([A-Za-z][\w’'-]*)\W{0,2}…|…\s?([A-Za-z][\w’'-]*)", first)
        assert beside, first
        for word in (w for pair in beside for w in pair if w):
            assert re.search(rf"\b{re.escape(word)}\b", english), (word, first)


def test_links_under_an_answer_are_the_resolutions_it_names(fake_pipeline: Pipeline) -> None:
    answer = fake_pipeline.ask("Which resolution is DPA implementing with UNODC?")
    assert answer.mandates, answer.answer
    assert all(m.symbol in answer.answer for m in answer.mandates)


def test_every_route_has_one_template_for_every_language(fake_pipeline: Pipeline) -> None:
    # Checked against the package and prompts/, not against the table itself: a handler left
    # out of ROUTES would pass a loop over BY_KIND. One template per kind, whatever the
    # language: its words are the catalogues' (tests/test_messages.py).
    handlers = {
        info.name
        for info in pkgutil.iter_modules(bot.routes.__path__)
        if hasattr(importlib.import_module(f"bot.routes.{info.name}"), "retrieve")
    }
    assert sorted(route.__name__.rpartition(".")[2] for route in ROUTES) == sorted(handlers)
    assert len(BY_KIND) == len(ROUTES)  # one KIND each
    # Names starting with "_" are pieces the templates import (a list of resolutions).
    templates = {
        p.name for p in fake_pipeline.settings.prompts_dir.glob("*.j2") if p.name[0] != "_"
    }
    assert templates - {"llm_system.j2", "llm_user.j2"} == {f"{kind}.j2" for kind in BY_KIND}
    composer = fake_pipeline.composer
    for kind in BY_KIND:
        assert composer._template(kind).name == f"{kind}.j2"


def test_a_sentence_a_little_over_a_lead_matched_at_its_start_is_quoted_whole(
    fake_pipeline: Pipeline,
) -> None:
    # The question's words are the sentence's first clause; what it asks (the countries) is in
    # the clause after it, which no longer fits a lead's 240 characters.
    answer = fake_pipeline.ask(
        "Which countries is the Special Coordinator the focal point for, per para 2.13?"
    )
    first = answer.answer.splitlines()[0]
    assert "Syrian Arab Republic" in first and "…" not in first, first


def test_a_later_part_naming_a_bare_number_of_the_same_chapter_asks_of_that_paragraph(
    fake_pipeline: Pipeline,
) -> None:
    analyser = fake_pipeline.desk.retriever.analyser
    parts = analyser.read("what does para 2.3 say? and 2.5?")
    assert [a.paragraph for a in parts] == ["2.3", "2.5"]
    # Nor does a part after another question take a number of its own for a paragraph.
    assert [a.paragraph for a in analyser.read("what does para 2.3 say?")] == ["2.3"]
