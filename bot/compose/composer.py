"""Compose the Answer from a Retrieval: the route that answered gives the values, its template
in prompts/ ({kind}.j2, one per kind) renders them with the words of the answer language's
message catalogue (prompts/messages/<lang>.toml: `_("key", field=…)`, `n_("key", count)`).

Answer first: the first line answers, in the question's language, with its reference. A fact
answer leads with the asked item taken verbatim from the sentence (or its unofficial
translation); then a short quote of the original sentence, then "See also". Lists lead with a
header and their first item. A question in several parts is answered part by part, each part's
lines in the order asked (without quotes and "See also"). The full records stay in `sources`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from bot import languages
from bot.answer import Answer, MandateRef, Part, Scope, Source
from bot.languages import in_english
from bot.languages.cues import any_word_of, intro_tail, leading_and
from bot.languages.messages import messages
from bot.languages.quote import shorten
from bot.languages.registry import HAN, LATIN
from bot.languages.symbols import find_symbols, symbol_base
from bot.languages.text import fixed_tokens
from bot.params import DEFAULT, Params
from bot.question.facets import DETAIL
from bot.records.glossary import Glossary
from bot.records.labels import body_name, programme_name, reference, section
from bot.records.model import Mandate, Programme
from bot.records.sentences import without_label
from bot.records.structure import StructuredAnswer
from bot.routes import BY_KIND
from bot.search.documents import sentence_word_weights
from bot.search.evidence import Evidence
from bot.search.found import Retrieval

if TYPE_CHECKING:
    from bot.question.analysis import Analysis

# A sentence this little over a lead's length, matched at its start by a question asking which
# countries or territories, is quoted whole: the places it lists end it ("…the focal point for
# the peace process, [including … assistance to Jordan, Lebanon, …]").
_WHOLE_WITHIN = 1.75
_FEW_WORDS = 3  # a question naming a paragraph with no more words asks what it says

# Where a long sentence may be cut into clauses, by script.
_CUTS = {LATIN: re.compile(r"(?<=[,;:])\s+"), HAN: re.compile(r"(?<=[，、；：])")}


def _say(context: Any, value: Any, key: str) -> str:
    """A message with `n` filled in, for a template's map(): `map("say", "mandates.sp")`."""
    return context["_"](key, n=value)


class Composer:
    def __init__(
        self,
        prompts_dir: Path,
        programme: Programme,
        glossary: Glossary,
        params: Params = DEFAULT,
        word_weights: dict[str, float] | None = None,
    ) -> None:
        """`word_weights`: sentence_word_weights(programme) as the index stored it; computed
        here when not given."""
        self.programme = programme
        self.glossary = glossary
        self.params = params
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(prompts_dir)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # plain text; surfaces escape for their own markup
            keep_trailing_newline=False,
        )
        self.env.filters["say"] = jinja2.pass_context(_say)
        # Rare words say more about which clause a question is after than common ones.
        self._idf = sentence_word_weights(programme) if word_weights is None else word_weights
        # Compiled once, when first used: composing is on the hot path of every answer, and
        # start-up need not compile every kind's template.
        self.templates: dict[str, jinja2.Template] = {}
        # A record's reference and section in a language: the same in every answer citing it.
        self._labels: dict[tuple[str, str], tuple[str, str]] = {}

    def _template(self, kind: str) -> jinja2.Template:
        if kind not in self.templates:
            self.templates[kind] = self.env.get_template(f"{kind}.j2")
        return self.templates[kind]

    def words(self, lang: str) -> dict[str, Any]:
        """What every template is given to write in `lang`: its catalogue (`_`, `n_`), its
        separator, whether it reads a translation of the text, and the programme's names."""
        say = messages(lang)
        manifest = self.programme.manifest
        count = len(self.programme.subprogrammes)
        return {
            "_": say,
            "n_": say.count,
            "lang": lang,
            "separator": languages.get(lang).separator,
            "titled_mandates": self.params.titled_mandates,
            "translating": lang != self.programme.language,
            "programme": {
                "number": manifest.number if manifest else "",
                "title": manifest.title_in(lang) if manifest else "",
                "count": say(f"number.{count}") if f"number.{count}" in say else count,
            },
        }

    def source(self, hit, lang: str) -> Source:
        p = hit.passage
        labels = self._labels.get((p.id, lang))
        if labels is None:
            labels = self._labels[p.id, lang] = (
                reference(p, lang),
                section(p, self.programme, self.glossary, lang),
            )
        return Source(
            id=p.id,
            ref=labels[0],
            section=labels[1],
            subprogramme=p.subprogramme,
            text=p.text,
            score=round(hit.score, 4),
        )

    @staticmethod
    def mandate_ref(m: Mandate) -> MandateRef:
        return MandateRef(
            symbol=m.symbol,
            body=m.body,
            title=m.title,
            title_en=m.translation("en"),
            subprogrammes=list(m.subprogrammes),
            translations=dict(m.translations),
        )

    def compose(self, r: Retrieval, top_k: int | None = None) -> Answer:
        answer = self._compose_parts(r, top_k) if r.parts else self._compose_one(r, brief=False)
        a = r.analysis or (r.parts[0].analysis if r.parts else None)
        note = in_english(a.asked_language) if a is not None else None
        if note:
            # A language the bot does not write: answered in English, and the asker is told so,
            # last: the first line still answers.
            answer = replace(answer, answer=f"{answer.answer}\n{note}")
        return answer

    def from_document(self, answer: Answer) -> Answer:
        """The answer, its sources and a last line naming the document they come from (when
        the library holds several)."""
        document = self.programme.document
        name = programme_name(self.programme, answer.language)
        note = messages(answer.language)("answer.document", programme=name)
        return replace(
            answer,
            answer=f"{answer.answer}\n{note}",
            document=document,
            sources=[replace(s, document=document) for s in answer.sources],
        )

    def _compose_one(self, r: Retrieval, brief: bool) -> Answer:
        lang = r.language
        sources = [self.source(h, lang) for h in r.hits]
        mandates = [self.mandate_ref(m) for m in r.mandates]
        route = BY_KIND[r.intent]
        bare = not sources and not mandates and not getattr(route, "ANSWERS_WITHOUT_SOURCES", False)
        abstained = r.abstained or bare
        if abstained and not getattr(route, "OWN_ABSTENTION", False):
            route = BY_KIND["decline"]
        translating = lang != self.programme.language
        values: dict[str, Any] = {
            **self.words(lang),
            "abstained": abstained,
            "brief": brief,
            "mandates": [
                {
                    "symbol": m.symbol,
                    "body": body_name(m.body, lang),
                    "title": m.title,  # as the text has it
                    "translation": m.translations.get(lang) if translating else None,
                    "subprogrammes": m.subprogrammes,
                }
                for m in mandates
            ],
            "lists": [reference(self.programme.passage(pid), lang) for pid in self._lists(r)],
            "others": self._see_also(r, sources),
        }
        values.update(route.values(r, self))
        text = self._template(route.KIND).render(**values).strip()
        return Answer(
            kind=route.KIND,
            question=r.question,
            language=lang,
            answer=text,
            abstained=abstained,
            sources=sources,
            # The links under an answer are the resolutions it names, not every one its
            # records cite.
            mandates=named_in(text, mandates),
            scope=self._scope(r),
        )

    def _compose_parts(self, r: Retrieval, top_k: int | None) -> Answer:
        """One answer per part, in the order asked; sources and mandates of every part, the
        best of each first."""
        answers = [self._compose_one(part, brief=True) for part in r.parts]
        # The record each part's lead cites, in the order asked; then the others, rank by rank.
        ranked = [
            [s for s in a.sources if part.lead and s.id == part.lead[0].sentence.record_id]
            + [s for s in a.sources if not part.lead or s.id != part.lead[0].sentence.record_id]
            for part, a in zip(r.parts, answers, strict=True)
        ]
        sources: list[Source] = []
        for rank in range(max(len(x) for x in ranked)):
            for ordered in ranked:
                if rank < len(ordered) and ordered[rank].id not in {s.id for s in sources}:
                    sources.append(ordered[rank])
        mandates: list[MandateRef] = []
        for a in answers:
            mandates += [m for m in a.mandates if m.symbol not in {x.symbol for x in mandates}]
        last_scope = next((a.scope for a in reversed(answers) if not a.abstained), None)
        return Answer(
            question=r.question,
            language=r.language,
            answer=_notes_last(_once(a.answer for a in answers), _notes(r.language)),
            abstained=all(a.abstained for a in answers),
            sources=sources[: top_k or len(sources)],
            mandates=mandates,
            parts=[Part(a.question, a.answer, a.abstained) for a in answers],
            scope=last_scope,
        )

    def _scope(self, r: Retrieval) -> Scope | None:
        """What the next turn builds on: the question as understood, its unit, its list."""
        a = r.analysis
        if a is None or r.abstained:
            return None
        focus = [sp for sp in r.focus_subprogrammes if sp is not None]
        if not focus and r.hits:
            focus = [r.hits[0].passage.subprogramme] if r.hits[0].passage.subprogramme else []
        return Scope(
            question=a.interpreted,
            subprogramme=focus[0] if len(focus) == 1 else None,
            symbols=list(r.scope_symbols),
            filters=dict(r.scope_filters),
        )

    def _see_also(self, r: Retrieval, sources: list[Source]) -> list[str]:
        """The other sources, not the one the answer already cites."""
        cited = r.lead[0].sentence.record_id if r.lead else (sources[0].id if sources else None)
        return [s.ref for s in sources if s.id != cited][: self.params.see_also]

    # ------------------------------------------------------------------ per intent

    def _lists(self, r: Retrieval) -> list[str]:
        structured = r.detail if isinstance(r.detail, StructuredAnswer) else None
        if structured and structured.subprogramme:
            return [f"sp{structured.subprogramme}.mandates"]  # its own list, not every citing one
        return sorted(
            {pid for m in r.mandates for pid in m.cited_in if pid.endswith(".mandates")},
            key=lambda pid: int(pid[2:].split(".")[0]),
        )

    def lead_text(self, ev: Evidence, a: Analysis | None, lang: str, whole: bool = False) -> str:
        """The sentence in the answer's language, cut to size around what the question asks;
        `whole`: uncut (every item of a list was asked for)."""
        s = ev.sentence
        text_lang = lang if s.text_in(lang) else s.language  # the original when untranslated
        text = without_label(s.text_in(text_lang) or "")
        limit = len(text) if whole else languages.get(text_lang).lead_chars
        anchor = ev.item.text if ev.item else None
        asks_what_it_says = (
            a is not None
            and a.paragraph == s.record_id
            and not anchor
            and a.reading.facet in (None, DETAIL)
            and sum(not t.isdigit() for t in a.token_set) <= _FEW_WORDS
        )
        if asks_what_it_says:
            # "c'est quoi le para 2.4 ?" (few words but its number): what the paragraph says,
            # up to twice a lead's length; "para 2.3 mentions a principle… which one?" is cut
            # around the words it asks about.
            limit = max(limit, min(len(text), 2 * languages.get(text_lang).lead_chars))
        text = self.clip(text, limit, text_lang, anchor, a).rstrip("；;。.，,:： ")
        # A clause that opens a list ("…, by:", "…，方式如下：") reads as a sentence without it.
        text = intro_tail().sub("", text)
        # An enumerated clause starts mid-sentence: "and helping…", "以及帮助…", "et d'aider…".
        text = leading_and().sub("", text)
        return text[:1].upper() + text[1:]

    def clip(
        self, text: str, limit: int, lang: str, anchor: str | None = None, a: Analysis | None = None
    ) -> str:
        """At most `limit` characters: the run of clauses around the anchor (or the question's
        words), with … where cut."""
        text = text.strip()
        if len(text) <= limit:
            return text
        script = languages.get(lang).script
        parts = [p for p in _CUTS.get(script, _CUTS[LATIN]).split(text) if p]
        words = a.token_set if a else frozenset()

        def weight(part: str) -> float:
            if anchor and anchor in part:
                return 100.0
            return sum(self._idf.get(w, 0.0) for w in words & set(fixed_tokens(part)))

        # The last of the best-matching clauses: what was asked usually follows the words
        # the question shares with the sentence ("…to Jordan, Lebanon, [and which other?]").
        weights = [weight(part) for part in parts]
        top = max(weights)
        # No clause shares a word with the question: the sentence's start, not its end.
        best = max(i for i, w in enumerate(weights) if w >= top * 0.5) if top > 0 else 0
        near = best == 0 and len(text) <= limit * _WHOLE_WITHIN
        if near and a is not None and any_word_of("place_words").search(a.question):
            return text
        lo = hi = best
        length = len(parts[best])
        # Forward first: what follows the matched words is usually what was asked
        # ("…to Jordan, Lebanon, [the OPT and the Syrian Arab Republic]").
        for step in (1, -1):
            j = (hi if step > 0 else lo) + step
            while 0 <= j < len(parts) and length + len(parts[j]) + 1 <= limit:
                lo, hi = min(lo, j), max(hi, j)
                length += len(parts[j]) + 1
                j += step
        joiner = "" if script == HAN else " "
        body = joiner.join(parts[lo : hi + 1])
        if len(body) > limit:  # one clause alone is too long: at a phrase, else a word
            return ("…" if lo > 0 else "") + shorten(body, limit - 1, lang)
        return ("…" if lo > 0 else "") + body + ("…" if hi < len(parts) - 1 else "")

    def english_names(self, zh: str, lang: str = "en") -> str:
        """English (or French) names of the glossary terms in a Chinese phrase, in order,
        longest first."""
        kept: list[tuple[int, str]] = []
        covered: list[tuple[int, int]] = []
        for t in sorted(self.glossary.terms_in_chinese(zh), key=lambda t: -len(t.original)):
            start = zh.find(t.original)
            end = start + len(t.original)
            if any(a <= start and end <= b for a, b in covered):
                continue  # part of a longer term already named
            covered.append((start, end))
            kept.append((start, t.name_in(lang)))
        return ", ".join(en for _, en in sorted(kept)) or zh


def named_in(text: str, mandates: list[MandateRef]) -> list[MandateRef]:
    """The mandates a text names, by symbol (in any spelling) or, for the Charter, verbatim."""
    bases = {m.symbol.base for m in find_symbols(text)}
    return [m for m in mandates if m.symbol in text or (symbol_base(m.symbol) or m.symbol) in bases]


def _notes(lang: str) -> frozenset[str]:
    """The lines that say a translation is unofficial: a note on the whole answer."""
    say = messages(lang)
    return frozenset(
        n for n in (say("answer.titles_unofficial"), say("answer.text_unofficial")) if n
    )


def _notes_last(texts: list[str], notes: frozenset[str]) -> str:
    """The parts joined, with a translation note printed once, after the last part rather
    than between two of them."""
    lines = "\n".join(texts).splitlines()
    kept = [line for line in lines if line.strip() not in notes]
    said = [n for n in dict.fromkeys(line.strip() for line in lines) if n in notes]
    return "\n".join(kept + said)


def _once(texts: Iterable[str]) -> list[str]:
    """The parts' lines, each printed once: two parts answered from the same record ("…1373
    (2001), and what is that resolution about?") do not repeat its lines."""
    seen: set[str] = set()
    out: list[str] = []
    for text in texts:
        lines = [line for line in text.splitlines() if line not in seen or not line.strip()]
        seen.update(lines)
        if lines:
            out.append("\n".join(lines))
    return out
