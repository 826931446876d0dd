"""Subjects linked through typos: "Securty Councel Afairs Divison" is the Security Council
Affairs Division. Exact names and aliases are matched by the glossary; this finds the names a
question misspells, with rapidfuzz, only around words the programme does not know (a
question spelled right costs a set lookup per word)."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import accumulate

import numpy as np
from rapidfuzz import fuzz, process

from bot import languages
from bot.records.glossary import Glossary, Term

# A window of the question is a misspelt name when it is this close to it (rapidfuzz ratio,
# 0-100): "securty councel afairs divison" scores 89 against the Division's name, "africa i
# division" 97 against Africa II's, which is why a window the text knows as it is never links.
MIN_SCORE = 88
MIN_NAME_CHARS = 10  # shorter names ("SCAD", "Gaza") are matched exactly or not at all
MAX_WORDS = 80  # only the head of a long message is searched
# The function words of the languages whose Latin words are read in every question.
_FUNCTION = frozenset(
    w
    for code in languages.understood()
    if languages.get(code).everywhere
    for w in languages.get(code).stopwords
)
_WORD = re.compile(r"[a-zà-ÿ0-9][a-zà-ÿ0-9'’-]*")
# fuzz.ratio is 100 * (1 - d / (a + b)) for an edit distance d of at least |a - b|: a name of
# length a can reach MIN_SCORE against a window of length b only when a * (200 - S) >= b * S
# and a * S <= b * (200 - S), S = MIN_SCORE (half a point to spare for rounding).
_S = MIN_SCORE - 0.5
_SUBSETS = 4096  # (words, shortest window, longest window) subsets of names remembered


# A word written in lower case (a name is capitalised: "Kosovo" is never respelt).
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-zà-ÿ][a-zà-ÿ'’-]{4,}(?![\w'’-])")


def respelt(question: str, respell: Callable[[str], str]) -> str:
    """The question with its misspelt lower-case words written as the programme's text writes
    them ("sp1 indicatrs?" → "sp1 indicators?"), so every reader after it (glossary, structure,
    ranking) sees a word it knows."""
    return _LOWER_WORD.sub(lambda m: respell(m.group()), question)


class Linker:
    def __init__(self, glossary: Glossary, known: Callable[[str], bool]) -> None:
        self.known = known  # a word the programme's text or names hold
        self._by_length: dict[int, tuple[list[str], list[Term]]] = {}
        seen: set[str] = set()
        for term in glossary.terms:
            for name in term.translated_names():
                words = _WORD.findall(name.lower())
                key = " ".join(words)
                if len(key) < MIN_NAME_CHARS or len(words) < 2 or key in seen:
                    continue
                seen.add(key)
                names, terms = self._by_length.setdefault(len(words), ([], []))
                names.append(key)
                terms.append(term)
        self._names = seen
        self._lengths = {
            n: np.array([len(name) for name in names]) for n, (names, _) in self._by_length.items()
        }
        self._subsets: dict[tuple[int, int, int], tuple[np.ndarray, list[str]]] = {}

    def misspelt(self, question: str) -> list[Term]:
        """Terms whose name the question writes with typos, in the order written."""
        words = _WORD.findall(question.lower())[:MAX_WORDS]
        # A function word ("what", "does") is no misspelt part of a name: it starts no search.
        unknown = [len(w) >= 4 and w not in _FUNCTION and not self.known(w) for w in words]
        if not any(unknown):
            return []
        # unknowns[i]: how many of the first i words are unknown (a window's count in one step).
        unknowns = [0, *accumulate(unknown)]
        spans: list[tuple[int, int, Term]] = []
        for n, (_, terms) in self._by_length.items():
            starts: list[int] = []
            windows: list[str] = []
            for i in range(len(words) - n + 1):
                if unknowns[i + n] == unknowns[i]:
                    continue
                window = " ".join(words[i : i + n])
                if window not in self._names:
                    starts.append(i)
                    windows.append(window)
            if not windows:
                continue
            # Every window against the names of its length that can reach MIN_SCORE, in one
            # call; each row's first best is what extractOne gives over all the names.
            positions, names = self._reachable(n, windows)
            if not names:
                continue
            scores = process.cdist(
                windows, names, scorer=fuzz.ratio, score_cutoff=MIN_SCORE, dtype=np.float64
            )
            for i, row in zip(starts, scores, strict=True):
                best = int(row.argmax())
                if row[best] >= MIN_SCORE:
                    spans.append((i, i + n, terms[positions[best]]))
        # A name inside a longer one found is not named on its own ("Security Council" in the
        # Security Council Affairs Division), as with names spelt right.
        found: dict[str, Term] = {}
        for start, end, term in sorted(spans, key=lambda s: s[0]):
            if not any(s <= start and end <= e and e - s > end - start for s, e, _ in spans):
                found.setdefault(term.original, term)
        return list(found.values())

    def _reachable(self, n: int, windows: list[str]) -> tuple[np.ndarray, list[str]]:
        """The names of n words, in their order, long or short enough to be close to one of
        these windows, and their positions among all the names of n words."""
        lo, hi = min(map(len, windows)), max(map(len, windows))
        key = (n, lo, hi)
        found = self._subsets.get(key)
        if found is None:
            lengths = self._lengths[n]
            positions = np.flatnonzero(
                (lengths * (200 - _S) >= lo * _S) & (lengths * _S <= hi * (200 - _S))
            )
            found = (positions, [self._by_length[n][0][i] for i in positions])
            if len(self._subsets) < _SUBSETS:
                self._subsets[key] = found
        return found
