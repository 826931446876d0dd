"""The facet classifier's pieces that need no model: the bank as data, the reading's
thresholds and families, and the weights round trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.question import facets as f
from bot.records.model import CorpusError

REPO = Path(__file__).resolve().parents[2]


def _model(probs: dict[str, float]) -> f.FacetModel:
    """A model whose softmax gives `probs` for any vector: logits are the log-probabilities."""
    classes = tuple(probs)
    bias = np.log(np.array([probs[c] for c in classes], dtype=np.float32))
    return f.FacetModel(classes, np.zeros((len(classes), 4), np.float32), bias, 0)


def test_the_shipped_bank_is_read_whole_in_several_languages() -> None:
    examples = f.read_bank(REPO / "corpus")
    assert {e.facet for e in examples} == set(f.FACETS)  # every facet has examples
    assert {"en", "zh", "fr", "es", "ru", "ar"} <= {e.lang for e in examples}


def test_a_malformed_line_names_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "questions").mkdir()
    (tmp_path / "questions" / "en.tsv").write_text(
        "# comment\nobjective\tWhat is the aim?\nobjectiv\tTypo in the facet\n", encoding="utf-8"
    )
    with pytest.raises(CorpusError, match=r"en\.tsv:3"):
        f.read_bank(tmp_path)


def test_an_empty_bank_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "questions").mkdir()
    with pytest.raises(CorpusError, match="holds no examples"):
        f.read_bank(tmp_path)


def test_the_fingerprint_changes_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "questions").mkdir()
    bank = tmp_path / "questions" / "en.tsv"
    bank.write_text("count\tHow many?\n", encoding="utf-8")
    before = f.bank_fingerprint(tmp_path)
    bank.write_text("count\tHow many?\ncount\tWhat number?\n", encoding="utf-8")
    assert f.bank_fingerprint(tmp_path) != before


def test_doubt_within_a_family_is_no_doubt() -> None:
    """'who assists' or 'who is responsible': either way a unit is named."""
    model = _model({f.RESPONSIBLE: 0.3, f.ASSISTS: 0.35, f.COUNT: 0.2, f.DATE: 0.15})
    reading = model.read(np.ones(4), min_p=0.5, min_margin=0.1, min_decline_p=0.9)
    assert reading.facet == f.ASSISTS and reading.p == pytest.approx(0.65)


def test_an_unsure_reading_has_no_facet() -> None:
    model = _model({f.OBJECTIVE: 0.4, f.COUNT: 0.38, f.DATE: 0.22})
    reading = model.read(np.ones(4), min_p=0.35, min_margin=0.05, min_decline_p=0.9)
    assert reading.facet is None and reading.best == f.OBJECTIVE


def test_a_decline_needs_more_certainty_than_an_answer() -> None:
    model = _model({f.MONEY: 0.6, f.COUNT: 0.25, f.DATE: 0.15})
    assert model.read(np.ones(4), 0.35, 0.05, min_decline_p=0.65).facet is None
    assert model.read(np.ones(4), 0.35, 0.05, min_decline_p=0.55).facet == f.MONEY


def test_the_weights_round_trip(tmp_path: Path) -> None:
    model = _model({f.OBJECTIVE: 0.7, f.COUNT: 0.3})
    model.save(tmp_path / f.FACETS_FILE)
    again = f.FacetModel.load(tmp_path / f.FACETS_FILE)
    assert again.classes == model.classes
    assert np.allclose(again.probabilities(np.ones(4)), [0.7, 0.3])


def test_declining_is_decided_by_the_declining_facets_together() -> None:
    """Person 0.45 and later 0.3: the question is declined (0.75), for the likelier reason."""
    model = _model({f.PERSON: 0.45, f.LATER: 0.3, f.RESPONSIBLE: 0.25})
    reading = model.read(np.ones(4), min_p=0.35, min_margin=0.05, min_decline_p=0.65)
    assert reading.facet == f.PERSON and reading.p == pytest.approx(0.75)


def test_a_facets_kin_are_found_the_same_way() -> None:
    assert set(f.kin_of(f.MANDATES)) == {f.MANDATES, f.WHICH_RESOLUTION}
    assert f.kin_of(f.DETAIL) == (f.DETAIL,)
