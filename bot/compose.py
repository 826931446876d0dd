"""Compose the Answer from a Retrieval: one jinja2 template per intent and language in prompts/.

Answer first: the first line answers, in the question's language, with its reference. A fact
answer leads with the asked item taken verbatim from the sentence (or its unofficial
translation); then a short quote of the original sentence, then "See also". Lists lead with a
header and their first item. The full records stay in `sources`.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import jinja2

from bot.answer import Answer, MandateRef, Source
from bot.answer_type import reason
from bot.corpus import Mandate, Programme
from bot.evidence import Evidence
from bot.glossary import Glossary
from bot.labels import BODY_ZH, reference, section, subprogramme_name
from bot.params import DEFAULT, Params
from bot.retrieval import DECLINE, LOOKUP, MANDATES, PASSAGES, STRUCTURED, Retrieval
from bot.sentences import without_number
from bot.structured import StructuredAnswer
from bot.symbols import find_symbols
from bot.text import tokenize

INTENTS = (DECLINE, LOOKUP, MANDATES, PASSAGES, STRUCTURED)
_LABEL = re.compile(r"^Objective of the Organization:\s*|^本组织的目标：")
_LEADING_AND = re.compile(r"^(and |as well as |以及|并且?)")
_CUTS = {"en": re.compile(r"(?<=[,;:])\s+"), "zh": re.compile(r"(?<=[，、；：])")}


class Composer:
    def __init__(
        self,
        prompts_dir: Path,
        programme: Programme,
        glossary: Glossary,
        params: Params = DEFAULT,
    ) -> None:
        self.programme = programme
        self.glossary = glossary
        self.params = params
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(prompts_dir)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # plain text; surfaces escape for their own markup
            keep_trailing_newline=False,
        )
        self.env.filters["sp_en"] = lambda n: f"subprogramme {n}"
        self.env.filters["sp_zh"] = lambda n: f"次级方案{n}"
        # Rare words say more about which clause a question is after than common ones.
        docs = [set(tokenize(f"{s.text} {s.text_en or ''}")) for s in programme.sentences]
        self._idf = {
            w: math.log((1 + len(docs)) / (1 + sum(w in d for d in docs)))
            for w in set().union(*docs)
        }
        # Compile once: composing is on the hot path of every answer.
        self.templates = {
            (intent, lang): self.env.get_template(f"{intent}.{lang}.j2")
            for intent in INTENTS
            for lang in ("en", "zh")
        }

    def source(self, hit, lang: str) -> Source:
        p = hit.passage
        return Source(
            id=p.id,
            ref=reference(p, lang),
            section=section(p, self.programme, self.glossary, lang),
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
            title_en=m.title_en,
            subprogrammes=list(m.subprogrammes),
        )

    def compose(self, r: Retrieval) -> Answer:
        lang = r.language
        sources = [self.source(h, lang) for h in r.hits]
        mandates = [self.mandate_ref(m) for m in r.mandates]
        abstained = r.abstained or (not sources and not mandates)
        intent = DECLINE if abstained and r.intent != LOOKUP else r.intent
        values: dict[str, Any] = {
            "abstained": abstained,
            "mandates": [{**m.__dict__, "body_zh": BODY_ZH.get(m.body, m.body)} for m in mandates],
            "lists": [reference(self.programme.passage(pid), lang) for pid in self._lists(r)],
            "others": self._see_also(r, sources),
        }
        if intent == DECLINE:
            values["reason"] = reason(r.decline_reason, lang)
        elif intent == LOOKUP:
            values.update(self._lookup(r, lang))
        elif intent == STRUCTURED:
            values.update(self._structured(r.structured, lang))
            values["quote"] = self._unit_sentence(r.structured, lang)
        elif intent == PASSAGES:
            values.update(self._passage(r, lang))
        text = self.templates[intent, lang].render(**values).strip()
        return Answer(
            question=r.question,
            language=lang,
            answer=text,
            abstained=abstained,
            sources=sources,
            mandates=mandates,
        )

    def _see_also(self, r: Retrieval, sources: list[Source]) -> list[str]:
        """The other sources, not the one the answer already cites."""
        cited = r.lead[0].sentence.record_id if r.lead else (sources[0].id if sources else None)
        return [s.ref for s in sources if s.id != cited][: self.params.see_also]

    # ------------------------------------------------------------------ per intent

    def _lists(self, r: Retrieval) -> list[str]:
        structured = r.structured
        if structured and structured.subprogramme:
            return [f"sp{structured.subprogramme}.mandates"]  # its own list, not every citing one
        return sorted(
            {pid for m in r.mandates for pid in m.cited_in if pid.endswith(".mandates")},
            key=lambda pid: int(pid[2:].split(".")[0]),
        )

    def _passage(self, r: Retrieval, lang: str) -> dict[str, Any]:
        if r.lead_mandate:
            m, item = r.lead_mandate
            listing = self.programme.passage(f"sp{m.subprogrammes[0]}.mandates")
            text = m.title_en if lang == "en" and m.title_en else m.title
            return {
                "item": item.text,
                "yes": False,
                "lead": text,
                "ref": reference(listing, lang),
                "translated": lang == "en",
                "quote": self._clip(m.title, self.params.quote_chars, "zh"),
                "cited": [m.symbol],
            }
        ev = r.lead[0]
        record = self.programme.passage(ev.sentence.record_id)
        cited = [m.symbol for m in self.programme.mandates if record.id in m.cited_in]
        return {
            "cited": cited,
            "item": ev.item.text if ev.item else None,
            "yes": r.yes,
            "lead": self._lead_text(ev, r.question, lang),
            "ref": reference(record, lang),
            "translated": lang == "en" and bool(ev.sentence.text_en),
            "quote": self._clip(_strip_number(ev.sentence.text), self.params.quote_chars, "zh"),
        }

    def _lead_text(self, ev: Evidence, question: str, lang: str) -> str:
        """The sentence in the answer's language, cut to size around what the question asks."""
        s = ev.sentence
        text_lang = lang if lang == "zh" or s.text_en else "zh"
        text = _strip_number(s.text if text_lang == "zh" else s.text_en or "")
        limit = self.params.lead_chars_zh if text_lang == "zh" else self.params.lead_chars_en
        anchor = ev.item.text if ev.item else None
        text = self._clip(text, limit, text_lang, anchor, question).rstrip("；;。.，,:： ")
        # An enumerated clause starts mid-sentence: "and helping…", "以及帮助…".
        text = _LEADING_AND.sub("", text)
        return text[:1].upper() + text[1:] if text_lang == "en" else text

    def _clip(
        self, text: str, limit: int, lang: str, anchor: str | None = None, question: str = ""
    ) -> str:
        """At most `limit` characters: the run of clauses around the anchor (or the question's
        words), with … where cut."""
        text = text.strip()
        if len(text) <= limit:
            return text
        parts = [p for p in _CUTS[lang].split(text) if p]
        words = set(tokenize(question))

        def weight(part: str) -> float:
            if anchor and anchor in part:
                return 100.0
            return sum(self._idf.get(w, 0.0) for w in words & set(tokenize(part)))

        # The last of the best-matching clauses: what was asked usually follows the words
        # the question shares with the sentence ("…to Jordan, Lebanon, [and which other?]").
        weights = [weight(part) for part in parts]
        top = max(weights)
        best = max(i for i, w in enumerate(weights) if w >= top * 0.5)
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
        joiner = " " if lang == "en" else ""
        body = joiner.join(parts[lo : hi + 1])
        cut = len(body) > limit  # one clause alone is too long
        body = body[: limit - 1] if cut else body
        return ("…" if lo > 0 else "") + body + ("…" if cut or hi < len(parts) - 1 else "")

    def _lookup(self, r: Retrieval, lang: str) -> dict[str, Any]:
        values: dict[str, Any] = {"missing": [s.display for s in r.missing_symbols]}
        values["lead"] = None
        if r.lead:
            ev = r.lead[0]
            values["lead"] = {
                "item": ev.item.text if ev.item else None,
                "text": self._lead_text(ev, r.question, lang),
                "ref": reference(self.programme.passage(ev.sentence.record_id), lang),
            }
        # The sentence of a paragraph that discusses the resolution, not the whole paragraph.
        values["quote"] = None
        first = r.mandates[0] if r.mandates else None
        if first and not r.lead:
            for pid in first.cited_in:
                if pid.endswith(".mandates"):
                    continue
                for s in self.programme.sentences_of(pid):
                    if first.parsed and any(
                        first.parsed.matches(f.symbol) for f in find_symbols(s.text)
                    ):
                        ev = Evidence(s, 1.0)
                        values["quote"] = {
                            "text": self._lead_text(ev, r.question, lang),
                            "ref": reference(self.programme.passage(pid), lang),
                        }
                        break
                if values["quote"]:
                    break
        return values

    def _structured(self, structured: StructuredAnswer | None, lang: str) -> dict[str, Any]:
        """Names a structured answer needs: the subprogramme, who carries it, its objective."""
        assert structured is not None
        values: dict[str, Any] = {"structured": structured}
        sp = structured.subprogramme
        if sp is None:
            return values
        where = self.programme.passage(structured.unit_source) if structured.unit_source else None
        objective = self.programme.passage(f"sp{sp}.objective")
        objective_en = next(iter(self.programme.sentences_of(objective.id)), None)
        values.update(
            {
                "sp_name": subprogramme_name(sp, self.programme, self.glossary, lang),
                "unit": structured.unit,
                "unit_en": self._english_names(structured.unit or ""),
                "unit_ref": reference(where, lang) if where else "",
                "objective": {
                    "ref": reference(objective, lang),
                    "text": objective.text,
                    "text_en": objective_en.text_en if objective_en else None,
                },
            }
        )
        return values

    def _unit_sentence(self, structured: StructuredAnswer | None, lang: str) -> dict | None:
        """The sentence that says who carries a subprogramme (responsible/overview answers)."""
        if not structured or not structured.unit_source:
            return None
        for s in self.programme.sentences_of(structured.unit_source):
            if structured.unit and structured.unit in s.text:
                return {
                    "text": self._lead_text(Evidence(s, 1.0), "", lang),
                    "zh": self._clip(_strip_number(s.text), self.params.quote_chars, "zh"),
                }
        return None

    def _english_names(self, zh: str) -> str:
        """English names of the glossary terms in a Chinese phrase, in order, longest first."""
        kept: list[tuple[int, str]] = []
        covered: list[tuple[int, int]] = []
        for t in sorted(self.glossary.terms_in_chinese(zh), key=lambda t: -len(t.zh)):
            start = zh.find(t.zh)
            end = start + len(t.zh)
            if any(a <= start and end <= b for a, b in covered):
                continue  # part of a longer term already named
            covered.append((start, end))
            kept.append((start, t.en))
        return ", ".join(en for _, en in sorted(kept)) or zh


def _strip_number(text: str) -> str:
    """Without the paragraph number or the objective's label: the reference names them."""
    return _LABEL.sub("", without_number(text))
