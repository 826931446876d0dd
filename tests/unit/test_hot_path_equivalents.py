"""Faster forms of work on every question give what the plain forms gave: country names found
by word runs as by one regex of every name, cosines computed by groups of rows as over all rows
then masked."""

from __future__ import annotations

import random
import re
from pathlib import Path

import numpy as np
import pytest

from bot.question.names import NameIndex, _norm_keep_positions
from bot.records.library import Library
from bot.search.dense import GroupedCosines, cosines

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture(scope="module")
def names() -> NameIndex:
    document = Library.load(CORPUS).first
    return NameIndex(document.programme, document.glossary)


def test_country_spans_are_the_regex_ones(names: NameIndex) -> None:
    longest_first = sorted(names._country_names, key=len, reverse=True)
    regex = re.compile(r"\b(" + "|".join(re.escape(n) for n in longest_first) + r")\b")
    rng = random.Random(11)
    pool = sorted(names._country_names)
    junk = ["the", "of", "islands", "-", "9", "é", "_", ",", "(", "İ", "congolese", "north"]
    texts = ["Which resolutions cover Western Sahara, Gibraltar and the Falkland Islands?"]
    for _ in range(3000):
        parts = []
        for _ in range(rng.randint(1, 6)):
            roll = rng.random()
            if roll < 0.4:
                parts.append(rng.choice(pool))
            elif roll < 0.6:
                name = rng.choice(pool)
                k = rng.randrange(len(name))
                parts.append(name[:k] + rng.choice(junk) + name[k:])
            else:
                parts.append(rng.choice(junk))
        texts.append(rng.choice([" ", "", "-", ", ", "  ", "_"]).join(parts))
    matched = 0
    for text in texts:
        normal = _norm_keep_positions(text)
        expected = [m.span() for m in regex.finditer(normal)]
        assert names._country_spans(normal) == expected, text
        matched += bool(expected)
    assert matched > 1000


def test_grouped_cosines_are_masked_cosines_to_the_bit() -> None:
    faiss = pytest.importorskip("faiss")
    rng = np.random.default_rng(5)
    n, d = 300, 384
    vectors = rng.standard_normal((n, d)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = faiss.IndexFlatIP(d)
    index.add(vectors)
    language = rng.choice(np.array(["", "fr", "es"]), size=n)
    groups = {lang: language == lang for lang in ("fr", "es")}
    grouped = GroupedCosines(index, groups)
    for _ in range(20):
        q = rng.standard_normal(d).astype(np.float32)
        q /= np.linalg.norm(q)
        for hidden in (set(), {"es"}, {"fr"}, {"fr", "es"}):
            expected = cosines(index, q)
            for lang in hidden:
                expected[groups[lang]] = -1.0
            assert np.array_equal(grouped(q, hidden).view(np.uint32), expected.view(np.uint32))
