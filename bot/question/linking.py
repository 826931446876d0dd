"""Subjects linked through typos: "Securty Councel Afairs Divison" is the Security Council
Affairs Division. Exact names and aliases are matched by the glossary; this finds the names a
question misspells, with rapidfuzz, only around words the programme does not know (a
question spelled right costs a set lookup per word)."""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz import fuzz, process

from bot.records.glossary import Glossary, Term

# A window of the question is a misspelt name when it is this close to it (rapidfuzz ratio,
# 0-100): "securty councel afairs divison" scores 89 against the Division's name, "africa i
# division" 97 against Africa II's, which is why a window the text knows as it is never links.
MIN_SCORE = 88
MIN_NAME_CHARS = 10  # shorter names ("SCAD", "Gaza") are matched exactly or not at all
MAX_WORDS = 80  # only the head of a long message is searched
_WORD = re.compile(r"[a-zà-ÿ0-9][a-zà-ÿ0-9'’-]*")


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

    def misspelt(self, question: str) -> list[Term]:
        """Terms whose name the question writes with typos, in the order written."""
        words = _WORD.findall(question.lower())[:MAX_WORDS]
        unknown = [len(w) >= 4 and not self.known(w) for w in words]
        if not any(unknown):
            return []
        spans: list[tuple[int, int, Term]] = []
        for n, (names, terms) in self._by_length.items():
            for i in range(len(words) - n + 1):
                if not any(unknown[i : i + n]):
                    continue
                window = " ".join(words[i : i + n])
                if window in self._names:
                    continue
                best = process.extractOne(window, names, scorer=fuzz.ratio, score_cutoff=MIN_SCORE)
                if best:
                    spans.append((i, i + n, terms[best[2]]))
        # A name inside a longer one found is not named on its own ("Security Council" in the
        # Security Council Affairs Division), as with names spelt right.
        found: dict[str, Term] = {}
        for start, end, term in sorted(spans, key=lambda s: s[0]):
            if not any(s <= start and end <= e and e - s > end - start for s, e, _ in spans):
                found.setdefault(term.original, term)
        return list(found.values())
