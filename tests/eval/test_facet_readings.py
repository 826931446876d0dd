"""What questions ask, read by the real model from the question bank: phrasings written for
this test (not in the bank, not in any evaluation set), across languages. The bar is a share,
not each item: a classifier is judged on many questions, and the misses are printed."""

from __future__ import annotations

import pytest

from bot.pipeline import Pipeline
from bot.question import facets as f

# (question, the facets that answer it the same way)
FRESH = [
    ("Which office runs the UN's work on elections?", {f.RESPONSIBLE, f.ASSISTS}),
    ("who gives the regional desks a hand?", {f.ASSISTS, f.RESPONSIBLE}),
    ("what's the point of subprogramme 6 - its goal?", {f.OBJECTIVE}),
    ("How do we know if SCAD is doing a good job?", {f.INDICATORS, f.ACCOMPLISHMENTS}),
    ("Which GA resolutions deal with New Caledonia?", {f.MANDATES, f.WHICH_RESOLUTION}),
    ("In what year was resolution 1514 adopted?", {f.DATE}),
    ("how many subprogrammes are there in total", {f.COUNT}),
    ("What's the DPA travel budget for 2025?", {f.MONEY}),
    ("Could you reserve room S-2727 for me?", {f.ACTION}),
    ("who's the current chair of the C-24?", {f.PERSON}),
    ("Does the Unit prepare working papers on the territories?", {f.YES_NO}),
    ("Quel est le but du sous-programme sur l'assistance électorale ?", {f.OBJECTIVE}),
    ("Qui aide les divisions régionales dans leur travail ?", {f.ASSISTS, f.RESPONSIBLE}),
    ("Combien de personnes travaillent à la DACS ?", {f.STAFF}),
    ("Quelles résolutions concernent le Timor-Leste ?", {f.MANDATES, f.WHICH_RESOLUTION}),
    ("非殖民化次级方案的目标是什么？", {f.OBJECTIVE}),
    ("选举援助司的绩效怎么衡量？", {f.INDICATORS, f.ACCOMPLISHMENTS}),
    ("安理会事务司今年的预算是多少？", {f.MONEY}),
    ("哪些决议涉及西撒哈拉问题？", {f.MANDATES, f.WHICH_RESOLUTION}),
    ("¿Qué hace la División de Asuntos del Consejo de Seguridad?", {f.DOES, f.ONBOARDING}),
    ("¿Cuántos territorios no autónomos quedan según el programa?", {f.COUNT}),
    ("Какова цель подпрограммы 5?", {f.OBJECTIVE}),
    ("ما هي ميزانية شعبة المساعدة الانتخابية؟", {f.MONEY}),
]


@pytest.mark.slow
def test_fresh_phrasings_are_read_as_what_they_ask(pipeline: Pipeline) -> None:
    misses = []
    for question, expected in FRESH:
        reading = pipeline.retriever.read_facet(question)
        if reading.facet not in expected:
            misses.append((question, reading))
    print("\n".join(f"MISS {q!r}: {r}" for q, r in misses))
    # Cross-validated on the bank the classifier reads 0.90 right; fresh phrasings, 20 of 23.
    assert len(misses) <= len(FRESH) // 5, misses
