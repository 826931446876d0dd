"""The programme map in words: the counts on its cards, and its alt text (Slack reads at most
1000 characters), as detailed as fits. The words are the catalogue's (map.*)."""

from __future__ import annotations

from bot import languages
from bot.languages.messages import messages
from bot.records.model import CHARTER
from bot.records.outline import BODIES, Name, Outline, SubprogrammeOutline


def _key(body: str) -> str:
    return body.lower().replace(" ", "_")


def _counts(sp: SubprogrammeOutline, lang: str) -> tuple[str, list[str]]:
    """('3 indicators', ['1 Charter', '3 GA', '2 SC']); in Chinese ('3项绩效指标', ['宪章1', …])."""
    say = messages(lang)
    bodies = [
        say("map.body_count", n=c, body=say(f"map.short.{_key(b)}"))
        for b, c in sp.mandate_counts().items()
    ]
    return say.count("map.indicators", sp.indicator_count), bodies


def count_words(sp: SubprogrammeOutline, lang: str) -> tuple[str, str]:
    """('3 indicators', 'Mandates: 1 Charter · 3 GA · 2 SC'); in Chinese
    ('3项绩效指标', '授权文书：宪章1、大会3、安理会2')."""
    say = messages(lang)
    indicators, bodies = _counts(sp, lang)
    return indicators, say("map.mandates", bodies=say("map.body_separator").join(bodies))


# ---------------------------------------------------------------------------- alt text

ALT_TEXT_LIMIT = 1000  # characters: Slack's limit for an image's alt text


def _name(name: Name, lang: str, detail: int) -> str:
    """Full name (with its acronym) in detail; the acronym alone, where there is one, if not."""
    acronym = name.acronym(lang)
    return name.label(lang) if detail >= 2 or not acronym else acronym


def _with(name: str, inner: tuple[Name, ...], lang: str, lead: str = "") -> str:
    """'Regional divisions (Africa I Division, …)' / '各区域司（非洲一司、…）'."""
    if not inner:
        return name
    listed = messages(lang).join([n.label(lang) for n in inner])
    return messages(lang)("map.words.with", name=name, inner=lead + listed)


def _who_words(sp: SubprogrammeOutline, lang: str, detail: int) -> str:
    """'carried by X (a, b), assisted by Y; serves Z (in particular …)'."""
    say = messages(lang)
    parts = []
    for unit in sp.units:
        name = _with(_name(unit.name, lang, detail), unit.members if detail >= 2 else (), lang)
        parts.append(say("map.words.assisted" if unit.assists else "map.words.carried", name=name))
    served = []
    for s in sp.serves:
        named = s.in_particular if detail >= 2 else ()
        lead = say("map.words.in_particular")
        served.append(_with(_name(s.name, lang, detail), named, lang, lead))
    if served:
        parts.append(say("map.words.serving", bodies=say.join(served)))
    return say("map.words.parts_separator").join(parts)


def _whole_words(outline: Outline, lang: str, detail: int) -> str:
    say = messages(lang)
    department = _name(outline.department, lang, 2)
    n = len(outline.subprogrammes)
    items = [
        say("map.words.whole", programme=outline.programme.get(lang), department=department, n=n)
    ]
    for sp in outline.subprogrammes:
        indicators, bodies = _counts(sp, lang)
        who = say("map.words.who", who=_who_words(sp, lang, detail)) if detail else ""
        mandates = say("map.words.mandates", bodies=say("list.separator").join(bodies))
        items.append(
            say("map.words.subprogramme", name=sp.name(lang), who=who, indicators=indicators,
                mandates=mandates)
        )  # fmt: skip
    return say("map.words.sentence_separator").join(items)


def _detail_words(outline: Outline, sp: SubprogrammeOutline, lang: str, detail: int) -> str:
    say = messages(lang)
    language = languages.get(lang)
    who = _who_words(sp, lang, 2)
    department = _name(outline.department, lang, 2)
    out = [say("map.words.detail", name=sp.name(lang), department=department, who=who)]
    if detail >= 1:
        objective = sp.objective.get(lang).rstrip("。.")
        out.append(say("map.words.objective", text=objective))
    indicators, _ = _counts(sp, lang)
    if detail >= 2:
        listed = [i.get(lang) for a in sp.accomplishments for i in a.indicators]
        indicators += language.colon + language.separator.join(listed)
    out.append(indicators + say("stop"))
    groups = []
    for body in BODIES:
        symbols = [
            # The Charter's entries by their title in the text's own language (its symbol is
            # an English abbreviation), else by symbol.
            m.title.original if lang == outline.language and body == CHARTER else m.symbol
            for m in sp.mandates
            if m.body == body
        ]
        if symbols:
            head = "" if body == CHARTER else say(f"map.short.{_key(body)}") + " "
            groups.append(head + ", ".join(symbols))
    out.append(say("map.words.mandates_line", groups=language.separator.join(groups)))
    return say("map.words.sentence_separator").join(out)


def describe(outline: Outline, lang: str, subprogramme: int | None = None) -> str:
    """The map in words, for its alt text: as much detail as fits ALT_TEXT_LIMIT characters."""
    for detail in (2, 1, 0):
        if subprogramme is None:
            text = _whole_words(outline, lang, detail)
        else:
            text = _detail_words(outline, outline.subprogramme(subprogramme), lang, detail)
        if len(text) <= ALT_TEXT_LIMIT:
            return text
    return text[: ALT_TEXT_LIMIT - 1] + "…"
