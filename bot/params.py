"""Every tuning constant of the question path, in one object recorded in the index manifest.

The values were calibrated on the dev set and checked on the held-out sets (`programme-bot
eval` reports the effect of the abstention thresholds); change them only with before/after
figures.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Params:
    # The facet classifier (bot.question.facets): below either figure a question has no facet
    # and is answered by sentence retrieval.
    facet_min_p: float = 0.35
    facet_min_margin: float = 0.05
    facet_min_decline_p: float = 0.6  # a facet the text never holds: the question is declined
    # A facet that alone answers with a part of the structure (who is responsible for SP5) when
    # no word pattern does: only when read this surely.
    facet_structure_p: float = 0.7
    # "Which resolution mandates EAD?": a list of one is the answer to "which one".
    unit_list_short: int = 1
    # A follow-up this short that only names something asks the turn before's question of it.
    follow_up_chars: int = 60

    # Fusion: dense cosine is the backbone; lexical evidence (normalised to [0, 1]) refines it.
    # Cosines of e5 bunch within ~0.1 of each other, so a small weight moves ranks.
    lexical_weight: float = 0.06
    mandate_lexical_weight: float = 0.06  # raising it measured worse on recall (0.94 -> 0.81)
    focus_boost: float = 0.02  # the question names the record's subprogramme
    kind_boost: float = 0.08  # the question names the kind of record it wants ("indicators")
    # Mandate lists are bags of titles that resemble every question a little; they lead only
    # when the question asks for resolutions.
    list_penalty: float = 0.05

    # Abstention: e5 gives off-topic questions cosines as high as 0.85, so a cosine alone cannot
    # decide. Abstain when the question shares no content word with the programme (after
    # glossary expansion) unless the dense match is exceptionally strong, or when the dense
    # match is weak whatever the words.
    min_dense: float = 0.78
    strong_dense: float = 0.86
    min_coverage: float = 0.34

    # Mandates for a topic: those scoring within the margin of the best one. A list question
    # gets every one within it (no cap); a prose answer names only those its record cites.
    mandate_margin: float = 0.04
    # …and every one whose title holds a word of the question that only this many titles hold
    # ("Malvinas and Gibraltar"; 2 took in "rights" and "situation" and cost precision).
    rare_title_word: int = 1
    # "In 2.3, which principle…": the paragraph the question names.
    paragraph_boost: float = 0.2
    # "Which resolution…?" is answered from a sentence naming one in the best records, if any.
    resolution_records: int = 2
    # …when the topic's list agrees: the resolutions it names are among the list's first few (a
    # weak topic lists everything, and every sentence naming a resolution would agree with it).
    resolution_list_top: int = 2

    # The lead sentence: looked for in the best few records (more when a typed item is asked).
    lead_records: int = 3
    lead_record_margin: float = 0.015  # …of those within this score of the best record
    lead_records_typed: int = 5
    lead_lexical_weight: float = 0.2  # over the question's topic words (not its unit names)
    lead_record_weight: float = 0.5  # how much the record's own score gap counts
    lead_rank_penalty: float = 0.01
    lead_intro_penalty: float = 0.02  # a clause that only opens an enumeration ("…by:")
    lead_kind_word_boost: float = 0.03  # the item is of the kind named ("which unit…")
    lead_label_boost: float = 0.2  # the sentence opens with the label asked for ("indicator (a)?")
    # The item stands next to one of the question's own words ("谁协助…" → "…股将提供协助").
    lead_near_boost: float = 0.08
    lead_near_chars_zh: int = 8
    lead_near_chars_en: int = 30
    lead_subject_boost: float = 0.05  # the sentence names the unit the question is about
    # A yes/no question is answered "yes" only when the lead sentence covers this share of
    # what it asks about (its words, not the units it names); otherwise without a verdict…
    yes_coverage: float = 0.6
    # …and "not stated" when it holds less than this share: the sentence is then only the
    # nearest passage, shown after the verdict.
    not_stated_coverage: float = 0.34

    # Lengths of what an answer shows (characters); the full record stays in `sources`.
    # (How long a lead runs is each language's: its registry entry's lead_chars.)
    quote_chars: int = 60
    see_also: int = 2
    # A unit's duties: each clause shortened (at a phrase boundary) past this many characters
    # (a third of it in Chinese); shorter in a newcomer's card, which fits one Slack message.
    duty_clause_chars: int = 160
    card_clause_chars: int = 160
    # At most this many clauses are printed, the rest counted ("…and 2 more (para. 2.6)"). Fewer
    # measured worse: a newcomer's question about the regional divisions is answered by their
    # later clauses (good offices, special political missions); 7 lost 5 of 16 such questions.
    duty_clauses: int = 10
    # A list of resolutions longer than this names each symbol, grouped by body, without titles:
    # every one it rests on stays named (its links), and the answer stays one screen.
    titled_mandates: int = 8
    card_clauses: int = 10
    # …when the newcomer asked more than that (mandates, measures): the card fits a screen.
    card_compact_clauses: int = 3
    card_compact_clause_chars: int = 120

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


DEFAULT = Params()
