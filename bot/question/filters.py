"""Follow-ups that filter the previous list: "which of them are Security Council resolutions?",
"其中有安理会决议吗？", "only the ones from 2003", "just the GA ones adopted before 1990".

A filter names a body, a span of years, or topic words; it applies to the list the previous
answer was about (its Scope), so filters chain over several turns. A resolution's year is read
off its symbol: a Security Council symbol carries it ("1373 (2001)"); a General Assembly
symbol carries its session ("58/109", "1514 (XV)"), and session N opened in 1945 + N.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from bot.answer import Answer
from bot.languages.symbols import find_symbols
from bot.languages.text import fixed_tokens, tokenize
from bot.records.model import CHARTER, GENERAL_ASSEMBLY, SECURITY_COUNCIL, Mandate

_POINTS_BACK = re.compile(
    r"\b(?:of them|them|those|these|the ones|ones|which ones|any of|among (?:them|these|those)|"
    r"only|just|out of|from (?:that|this|the) list|in (?:that|this|the) list|in there|in it|"
    r"among (?:its|their)|of (?:its|their) mandates)\b"
    r"|其中|这些|那些|里面|当中|中有|中哪些|以上|上述|其中哪些|哪些是|只要|只看|只列|仅|只有"
    r"|\b(?:parmi (?:elles|eux|celles-ci|ceux-ci|ces résolutions)|lesquelles|lesquels|seulement|"
    r"uniquement|celles|ceux|dans (?:cette|la) liste|là-dedans|y en a-t-il)\b",
    re.IGNORECASE,
)
# "and the GA ones?", "what about Security Council resolutions?", "那安理会的呢？"
_ABOUT = re.compile(
    r"^\s*(?:and|what about|how about|ok,? and|那|还有)\b|^\s*那|呢[？?]?\s*$", re.I
)
_WHETHER = re.compile(
    r"^\s*(?:are|is|were|was|do|does|did|any)\b|\b(?:are there|is there|any)\b|吗[？?]?\s*$|"
    r"有没有|是否有|\by a-t-il\b|\by en a-t-il\b|^\s*est-ce qu",
    re.IGNORECASE,
)
_BODIES = (
    (
        SECURITY_COUNCIL,
        re.compile(
            r"\b(?:security council|sc|unsc|council|conseil de sécurité|cs|csnu|conseil)\b"
            r"|安理会|安全理事会",
            re.I,
        ),
    ),
    (
        GENERAL_ASSEMBLY,
        re.compile(
            r"\b(?:general assembly|ga|unga|assembly|assemblée générale|ag|assemblée)\b|大会", re.I
        ),
    ),
    (CHARTER, re.compile(r"\bcharter\b|\bcharte\b|宪章", re.I)),
)
_YEAR = r"((?:19|20)\d{2})"
_RANGES = (
    ("between", rf"\bbetween {_YEAR} and {_YEAR}\b|{_YEAR}\s*(?:-|–|to|至|到)\s*{_YEAR}"),
    (
        "before",
        rf"\b(?:before|prior to|earlier than|pre-?)\s*{_YEAR}|{_YEAR}\s*年?(?:以前|之前|前)",
    ),
    ("after", rf"\b(?:after|later than|post-?)\s*{_YEAR}|{_YEAR}\s*年?(?:以后|之后|后)"),
    (
        "since",
        rf"\b(?:since|from)\s*{_YEAR}\s*(?:on(?:wards?)?|and (?:later|after))"
        rf"|\b{_YEAR}\s*(?:and|or) (?:later|after|since)|\b{_YEAR}\s*(?:onwards?|\+)"
        rf"|\b(?:since|depuis)\s*{_YEAR}|{_YEAR}\s*年?(?:起|以来)|\b{_YEAR} et (?:après|suivantes)",
    ),
    ("decade", r"\b((?:19|20)\d)0'?s\b|((?:19|20)\d)0\s*年代|\bannées ((?:19|20)\d)0\b"),
    ("since", rf"{_YEAR}\s*年?\s*(?:及|和|或)\s*(?:以后|之后|以来)"),
    ("in", rf"\b(?:from|in|of|adopted in|dated|dating from|en|de)\s+{_YEAR}\b|{_YEAR}\s*年"),
    ("in", rf"\b{_YEAR}\b"),
)
_RANGE_PATTERNS = tuple((kind, re.compile(pattern, re.I)) for kind, pattern in _RANGES)
_TOPIC = re.compile(
    r"\b(?:on|about|concerning|regarding|related to|dealing with|that deal with|that cover|"
    r"covering|sur|concernant|relatives? à|portant sur|qui portent sur)\s+(.+?)[?.!]*$|关于(.+?)的",
    re.IGNORECASE,
)
# Words of a topic filter that say nothing about the topic.
_NOT_TOPIC = frozenset(
    tokenize("resolution resolutions mandate mandates decision ones one un résolutions celles les")
)


@dataclass(frozen=True)
class ListFilter:
    body: str | None = None
    years: tuple[int, int] | None = None  # inclusive
    words: tuple[str, ...] = ()  # topic words as asked, matched (stemmed) against the titles
    whether: bool = False  # "are there any…?": a yes/no question about the list

    def to_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v and k != "whether"}

    @classmethod
    def from_json(cls, data: dict) -> ListFilter:
        years = data.get("years")
        return cls(
            body=data.get("body"),
            years=(int(years[0]), int(years[1])) if years else None,
            words=tuple(data.get("words", ())),
        )

    def replaced_by(self, later: ListFilter) -> ListFilter:
        """What of this filter a later one leaves standing: "and the GA ones?" after the SC
        ones asks among the whole list again, not among the SC ones."""
        return ListFilter(
            body=None if later.body else self.body,
            years=None if later.years else self.years,
            words=() if later.words else self.words,
        )

    def and_then(self, later: ListFilter) -> ListFilter:
        """This filter narrowed by a later one; the later wins where both say something."""
        return ListFilter(
            body=later.body or self.body,
            years=later.years or self.years,
            words=later.words or self.words,
            whether=later.whether,
        )


def base_list(previous: Answer) -> list[str]:
    """The list a follow-up filters: the previous answer's own list, before its filters."""
    if previous.scope and previous.scope.symbols:
        return list(previous.scope.symbols)
    return [m.symbol for m in previous.mandates]


def read_filter(question: str, previous: Answer | None) -> ListFilter | None:
    """The filter a follow-up applies to the previous list, or None when it is not one."""
    if previous is None or previous.abstained or len(base_list(previous)) < 2:
        return None
    if find_symbols(question) or re.search(r"sub-?\s?programm|次级方案|\bsp\s*\d", question, re.I):
        return None  # a new lookup, or another unit ("what about subprogramme 5?")
    if not (_POINTS_BACK.search(question) or _ABOUT.search(question)):
        return None
    body = body_named(question)
    years = _years(question)
    words: tuple[str, ...] = ()
    topic = _TOPIC.search(question)
    if topic and _POINTS_BACK.search(question):
        asked = topic.group(1) or topic.group(2)
        words = tuple(
            w
            for w in re.findall(r"[\w'-]+", asked)
            if tokenize(w) and not set(tokenize(w)) <= _NOT_TOPIC and not body_named(w)
        )  # "what about the GA ones?": "GA" names the body, not a topic of the titles
    if not (body or years or words):
        return None
    return ListFilter(body, years, words, bool(_WHETHER.search(question)))


def body_named(question: str) -> str | None:
    """The one body whose resolutions a question asks for ("SC res on terrorism"), if any."""
    bodies = [body for body, pattern in _BODIES if pattern.search(question)]
    return bodies[0] if len(bodies) == 1 else None


def _years(question: str) -> tuple[int, int] | None:
    for kind, pattern in _RANGE_PATTERNS:
        m = pattern.search(question)
        if not m:
            continue
        found = [int(g) for g in m.groups() if g]
        if kind == "between" and len(found) >= 2:
            return (min(found[:2]), max(found[:2]))
        year = found[0]
        if kind == "decade":
            return (year * 10, year * 10 + 9)
        return {
            "before": (0, year - 1),
            "after": (year + 1, 9999),
            "since": (year, 9999),
            "in": (year, year),
        }[kind]
    return None


def year_of(m: Mandate) -> int | None:
    """The year a resolution's symbol carries: an SC year, or the GA session's opening year."""
    if m.body == CHARTER:
        return 1945
    if m.parsed is None:
        return None
    session = m.parsed.session
    if session and session.isdigit():
        return int(session)
    if session:
        return 1945 + _roman(session)
    head = m.parsed.number.split("/")[0]
    return 1945 + int(head) if "/" in m.parsed.number and head.isdigit() else None


def _roman(text: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for i, ch in enumerate(text):
        v = values[ch]
        total += -v if i + 1 < len(text) and values[text[i + 1]] > v else v
    return total


def is_decision(m: Mandate) -> bool:
    """A General Assembly decision ("58/511"): numbered from 500 in its session."""
    number = m.parsed.number if m.parsed else ""
    tail = number.split("/")[-1]
    return m.body == GENERAL_ASSEMBLY and "/" in number and tail.isdigit() and int(tail) >= 500


def matches(m: Mandate, f: ListFilter) -> bool:
    if f.body and m.body != f.body:
        return False
    if f.years:
        year = year_of(m)
        if year is None or not f.years[0] <= year <= f.years[1]:
            return False
    if f.words:
        title = set(fixed_tokens(f"{m.title} {m.translation('en') or ''}"))
        stems = [t for w in f.words for t in tokenize(w)]
        known = [t for t in stems if t in title]
        if len(known) * 2 < len(stems) or not known:
            return False
    return True
