"""What a question asks (its facet), learned from labelled examples, not written as rules.

The bank (`corpus/questions/<lang>.tsv`: `facet<TAB>question`) is encoded by the multilingual
model when the index is built, and a logistic regression over those embeddings is fitted then
(scikit-learn); the index stores its weights (`facets.npz`). Serving needs only numpy: the
question's vector (the one retrieval encodes anyway) times the weights. A reading whose
probability or margin over the runner-up is too small has no facet: the question falls back to
sentence retrieval.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from bot.records.model import CorpusError

BANK_FOLDER = "questions"
FACETS_FILE = "facets.npz"

# The facets the text holds, and those it never holds (declined with a reason).
DOES = "does"
ONBOARDING = "onboarding"
OBJECTIVE = "objective"
ACCOMPLISHMENTS = "accomplishments"
INDICATORS = "indicators"
STRATEGY = "strategy"
RESPONSIBLE = "responsible"
ASSISTS = "assists"
SERVED = "served"
PARTNERS = "partners"
WHICH_BODY = "which_body"
PRINCIPLES = "principles"
MANDATES = "mandates"
WHICH_RESOLUTION = "which_resolution"
COUNT = "count"
DATE = "date"
ARTICLE = "article"
YES_NO = "yes_no"
DETAIL = "detail"
MONEY = "money"
STAFF = "staff"
PERSON = "person"
LATER = "later"
ACTION = "action"
VOTE = "vote"
OPINION = "opinion"  # what the bot (or anyone) thinks: the text holds no opinions
FILLER = "filler"  # asks nothing by itself: "thanks!", "list them all", "hi team"
AGAIN = "again"  # the previous question, of another subject: "and for SP5?", "那次级方案5呢？"
FACETS = (
    DOES, ONBOARDING, OBJECTIVE, ACCOMPLISHMENTS, INDICATORS, STRATEGY, RESPONSIBLE, ASSISTS,
    SERVED, PARTNERS, WHICH_BODY, PRINCIPLES, MANDATES, WHICH_RESOLUTION, COUNT, DATE, ARTICLE,
    YES_NO, DETAIL, MONEY, STAFF, PERSON, LATER, ACTION, VOTE, OPINION, FILLER, AGAIN,
)  # fmt: skip
UNHELD_FACETS = (MONEY, STAFF, PERSON, LATER, ACTION, VOTE, OPINION)
# Facets whose answers are found the same way: the classifier's doubt between two of them is no
# doubt about what to do ("who assists" or "who is responsible": either way a unit is named).
KIN = (
    (RESPONSIBLE, ASSISTS),
    (WHICH_BODY, PARTNERS),
    (MANDATES, WHICH_RESOLUTION),
    (ACCOMPLISHMENTS, INDICATORS),
    (DOES, ONBOARDING),
    # Whether to decline is one question; which reason is said is the likeliest one's.
    UNHELD_FACETS,
)


def kin_of(facet: str) -> tuple[str, ...]:
    """The facets found the same way as `facet` (its family in KIN), itself included."""
    return next((fam for fam in KIN if facet in fam), (facet,))


@dataclass(frozen=True)
class Example:
    facet: str
    text: str
    lang: str


def bank_folder(corpus_dir: Path) -> Path:
    """The bank beside the documents (`corpus/questions/`); a single document folder given on
    its own reads the bank of the corpus folder above it."""
    for folder in (Path(corpus_dir), Path(corpus_dir).parent):
        if (folder / BANK_FOLDER).is_dir():
            return folder / BANK_FOLDER
    return Path(corpus_dir) / BANK_FOLDER


def bank_files(corpus_dir: Path) -> list[Path]:
    return sorted(bank_folder(corpus_dir).glob("*.tsv"))


def read_bank(corpus_dir: Path) -> list[Example]:
    """Every example of the bank; a line that is not `facet<TAB>question` with a known facet
    is an error naming its file and line (a typo must not silently drop a phrasing)."""
    examples: list[Example] = []
    for path in bank_files(corpus_dir):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 2 or fields[0].strip() not in FACETS or not fields[1].strip():
                raise CorpusError(
                    f"{path}:{n}: expected 'facet<TAB>question' with a facet among "
                    f"{', '.join(FACETS)}; got {line[:80]!r}"
                )
            examples.append(Example(fields[0].strip(), fields[1].strip(), path.stem))
    if not examples:
        raise CorpusError(
            f"the question bank {bank_folder(corpus_dir)} holds no examples: facets are learned "
            "from it (see corpus/questions/README.md)"
        )
    return examples


def bank_fingerprint(corpus_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in bank_files(corpus_dir):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Reading:
    """A question's facet (None when unsure), with the classifier's probability and margin."""

    facet: str | None
    p: float
    margin: float
    best: str  # the most likely facet even when unsure (for logs and debugging)


NO_READING = Reading(None, 0.0, 0.0, "")


@dataclass(frozen=True)
class FacetModel:
    """A linear classifier over question embeddings: softmax(W·v + b)."""

    classes: tuple[str, ...]
    weights: np.ndarray  # (n_classes, dim)
    bias: np.ndarray  # (n_classes,)
    examples: int

    def probabilities(self, vector: np.ndarray) -> np.ndarray:
        logits = self.weights @ np.asarray(vector, dtype=np.float32).ravel() + self.bias
        logits -= logits.max()
        e = np.exp(logits)
        return e / e.sum()

    def read(
        self, vector: np.ndarray, min_p: float, min_margin: float, min_decline_p: float
    ) -> Reading:
        """The likeliest facet, when its family (KIN) is likely enough and clear of the next
        family; a facet the text never holds needs `min_decline_p`, since it declines."""
        probs = dict(zip(self.classes, map(float, self.probabilities(vector)), strict=True))
        mass = sorted(
            ((sum(probs.get(f, 0.0) for f in fam), fam) for fam in self._families), reverse=True
        )
        (p, family), (runner_up, _) = mass[0], mass[1]
        best = max(family, key=lambda f: probs.get(f, 0.0))
        needed = min_decline_p if best in UNHELD_FACETS else min_p
        sure = p >= needed and p - runner_up >= min_margin
        return Reading(best if sure else None, p, p - runner_up, best)

    @cached_property
    def _families(self) -> list[tuple[str, ...]]:
        """The families (KIN) of the classes it knows, then each other class on its own: the
        same for every question, so worked out once."""
        families = [tuple(f for f in fam if f in self.classes) for fam in KIN]
        families = [fam for fam in families if fam]
        kin = {f for fam in families for f in fam}
        return families + [(f,) for f in self.classes if f not in kin]

    def save(self, path: Path) -> None:
        with path.open("wb") as f:
            np.savez(
                f,
                classes=np.array(self.classes),
                weights=self.weights,
                bias=self.bias,
                examples=np.array(self.examples),
            )

    @classmethod
    def load(cls, path: Path) -> FacetModel:
        with np.load(path, allow_pickle=False) as data:
            return cls(
                tuple(str(c) for c in data["classes"]),
                data["weights"].astype(np.float32),
                data["bias"].astype(np.float32),
                int(data["examples"]),
            )


def train(examples: list[Example], encode: Callable[[list[str]], np.ndarray]) -> FacetModel:
    """Fit the classifier on the bank's embeddings (at index build time, never at start-up)."""
    from sklearn.linear_model import LogisticRegression  # heavy: only when an index is built
    from sklearn.preprocessing import StandardScaler

    vectors = np.asarray(encode([e.text for e in examples]), dtype=np.float64)
    labels = [e.facet for e in examples]
    # Standardised: e5's vectors bunch in a narrow cone, and the dimensions that tell facets
    # apart are small next to those that tell topics apart. Balanced: a facet with fewer
    # examples is not drowned by a larger one. C chosen by 5-fold cross-validation on the bank
    # (accuracy 0.90; kNN 0.45, unscaled C=8 0.87).
    scaler = StandardScaler().fit(vectors)
    model = LogisticRegression(C=0.1, max_iter=3000, class_weight="balanced")
    model.fit(scaler.transform(vectors), labels)
    # The scaler folded into the weights: serving is one matrix product.
    weights = model.coef_ / scaler.scale_
    bias = model.intercept_ - (model.coef_ * scaler.mean_ / scaler.scale_).sum(axis=1)
    return FacetModel(
        tuple(str(c) for c in model.classes_),
        weights.astype(np.float32),
        bias.astype(np.float32),
        len(examples),
    )
