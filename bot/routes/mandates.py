"""The resolutions for a topic ("which resolutions cover Western Sahara?"): every one within
the margin of the best, no cap. "Which resolution is DPA implementing with UNODC?" is answered
in prose when a sentence of the best record names it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.languages.symbols import find_symbols
from bot.languages.text import fixed_tokens
from bot.question.answer_type import RESOLUTION
from bot.question.facets import DETAIL, FILLER, MANDATES, WHICH_RESOLUTION, YES_NO
from bot.question.filters import body_named
from bot.records.model import CHARTER, MANDATE_LIST, Mandate
from bot.search.found import Retrieval

if TYPE_CHECKING:
    from bot.compose.composer import Composer
    from bot.question.analysis import Analysis
    from bot.search.evidence import Evidence
    from bot.search.retriever import Ranking, Retriever

KIND = "mandates"


# What a follow-up of its own asks when it only names something: the turn before's question.
_ELLIPTIC = (None, DETAIL, YES_NO, FILLER)
_LISTS = ("mandates", "filtered")  # answers that listed resolutions for a topic


def retrieve(a: Analysis, r: Retriever, top_k: int) -> Retrieval | None:
    if not a.wants_mandates:
        if not _next_topic(a, r):
            return None
        a.context = None  # another topic: the one before is not searched for again
    result, ranking = r.ranked(a, KIND, top_k, mandates=True)
    if result.abstained:
        return result
    ranked = r.topic_mandates(ranking)
    if a.title_names:  # "what does the programme say about Myanmar?": the titles naming it
        titled = [m for m in r.programme.mandates if any(n in m.title for n in a.title_names)]
        # Only them when the topic's best is one of them, or the question follows one about
        # another topic ("Et la Nouvelle-Calédonie ?"); else it names more than the names
        # found ("Nouvelle-Calédonie et Tokélaou"): both lists.
        # Two names or more that titles hold ("les Malouines et Gibraltar") are what it asks.
        only = a.context is not None or (bool(ranked) and ranked[0] in titled)
        only = only or len(a.title_names) > 1
        ranked = titled if only else titled + [m for m in ranked if m not in titled]
    mandates = ranked + [m for m in r.named_by_rare_words(a) if m not in ranked]
    # "which SC res on terrorism are listed?": that body's, when the topic has others' too.
    body = body_named(a.question)
    own = [m for m in mandates if m.body == body]
    result.mandates = own if own and body != CHARTER else mandates
    # The topic's list before the body's filter: "那安理会…呢？" filters it again.
    result.scope_symbols = [m.symbol for m in mandates]
    if a.answer_type == RESOLUTION and not a.title_names:
        _resolution_in_text(result, a, r, ranking)  # titles that name it answer a list
    return result


def _next_topic(a: Analysis, r: Retriever) -> bool:
    """ "Et pour Gibraltar ?", "what about the Falklands/Malvinas and Bermuda?" after a list of
    resolutions: the same question of another topic, named by words only resolutions' titles
    hold, or a place the text names."""
    previous = a.previous
    if previous is None or previous.abstained or previous.kind not in _LISTS:
        return False
    if a.reading.facet not in _ELLIPTIC or a.explicit_sp or a.symbols or a.unit_terms:
        return False
    if len(a.asked) > r.params.follow_up_chars:
        return False
    names = r.analyser.names
    return bool(r.named_by_rare_words(a)) or bool(names and names.held_places(a.question))


def _resolution_in_text(result: Retrieval, a: Analysis, r: Retriever, ranking: Ranking) -> None:
    """'Which resolution is DPA implementing with UNODC?': a sentence of the best record that
    names the resolution answers it, in prose; the topic's list stays in `mandates`."""
    p = r.params
    records = [(h.passage.id, h.score) for h in ranking.hits if h.passage.kind != MANDATE_LIST]
    records = records[: p.resolution_records]
    lead = r.picker.pick(records, ranking.by_row, a.tokens, a, RESOLUTION)
    if not lead:
        return
    cited = find_symbols(lead[0].item.text)  # once, not once for each of the mandates
    named = [
        m
        for m in r.programme.mandates
        if m.parsed and any(m.parsed.matches(f.symbol) for f in cited)
    ]
    # Only when the ranking agrees (the topic's list holds it, or the sentence's paragraph
    # outranks every record, lists included), or when the sentence holds words of the question
    # that the best title lacks ("…established the Committee" against the Committee's title).
    # An unrelated paragraph that happens to name a resolution must not beat the titles.
    agrees = all(m in result.mandates[: p.resolution_list_top] for m in named)
    leads = ranking.hits[0].passage.id == lead[0].sentence.record_id
    best = result.mandates[0]
    # Only a question for one resolution ("which resolution established…") may take a
    # sentence that merely says more: "which resolutions cover X?" wants the titles.
    one = a.reading.facet == WHICH_RESOLUTION
    more = _says_more(_sentence_words(lead[0]), _title_words(best), a)
    says_more = one and more
    if not named or not (agrees or leads or says_more):
        return
    if a.reading.facet == MANDATES and not more and len(named) < min(2, len(result.mandates)):
        # The list asked for ("quelles résolutions portent sur le terrorisme ?") is the
        # titles', not the one resolution a paragraph names, unless the sentence holds what
        # they lack, or names several ("…established pursuant to 48/213 and 49/88").
        return
    if _says_more(_title_words(best), _sentence_words(lead[0]), a) and not says_more:
        return
    result.intent = "passages"
    result.lead = lead[:3]
    result.mandates = named + [m for m in result.mandates if m not in named]


def _title_words(m: Mandate) -> set[str]:
    return set(fixed_tokens(f"{m.title} {m.translation('en') or ''}"))


def _sentence_words(ev: Evidence) -> set[str]:
    return set(fixed_tokens(f"{ev.sentence.text} {ev.sentence.text_in('en') or ''}"))


def _says_more(these: set[str], those: set[str], a: Analysis) -> bool:
    """These words hold a word of the question (not a unit's name) that those lack: the
    question of Tokelau is 58/107's title, not the paragraph that names 1514 (XV)."""
    return any(w in these and w not in those for w in a.words if w not in a.unit_tokens)


def values(result: Retrieval, c: Composer) -> dict[str, Any]:
    return {}
