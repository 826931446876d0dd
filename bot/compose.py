"""Compose the Answer from a Retrieval with the jinja2 templates in prompts/."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

import jinja2

from bot.answer import Answer, MandateRef, Source
from bot.corpus import Mandate, Programme
from bot.glossary import Glossary
from bot.labels import BODY_ZH, reference, section, subprogramme_name
from bot.retrieval import Retrieval
from bot.structured import StructuredAnswer

TEMPLATE = "answer.{lang}.j2"


class Composer:
    def __init__(self, prompts_dir: Path, programme: Programme, glossary: Glossary) -> None:
        self.programme = programme
        self.glossary = glossary
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(prompts_dir)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,  # plain text; surfaces escape for their own markup
            keep_trailing_newline=False,
        )
        self.env.filters["sp_en"] = lambda n: f"subprogramme {n}"
        self.env.filters["sp_zh"] = lambda n: f"次级方案{n}"
        # Compile once: composing is on the hot path of every answer.
        self.templates = {
            lang: self.env.get_template(TEMPLATE.format(lang=lang)) for lang in ("en", "zh")
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
        quote = sources[0] if sources else None
        if r.intent == "lookup" and quote and quote.id.endswith(".mandates"):
            quote = None  # the list is cited, not quoted: the mandate line above says it all
        lists = sorted(
            {pid for m in r.mandates for pid in m.cited_in if pid.endswith(".mandates")},
            key=lambda pid: int(pid[2:].split(".")[0]),
        )
        structured = r.structured
        if structured and structured.subprogramme:
            lists = [f"sp{structured.subprogramme}.mandates"]  # its own list, not every citing one
        extra = self._structured_context(structured, lang) if structured else {}
        text = (
            self.templates[lang]
            .render(
                structured=structured,
                **extra,
                intent=r.intent,
                abstained=r.abstained or (not sources and not mandates),
                missing=[s.display for s in r.missing_symbols],
                quote=quote,
                quote_en=self.programme.passage(quote.id).text_en if quote else None,
                others=[s.ref for s in sources[1:]],
                mandates=[{**asdict(m), "body_zh": BODY_ZH.get(m.body, m.body)} for m in mandates],
                lists=[reference(self.programme.passage(pid), lang) for pid in lists],
            )
            .strip()
        )
        return Answer(
            question=r.question,
            language=lang,
            answer=text,
            abstained=r.abstained or (not sources and not mandates),
            sources=sources,
            mandates=mandates,
        )

    def _structured_context(self, structured: StructuredAnswer, lang: str) -> dict[str, Any]:
        """Names a structured answer needs: the subprogramme, who carries it, its objective."""
        sp = structured.subprogramme
        if sp is None:
            return {}
        where = self.programme.passage(structured.unit_source) if structured.unit_source else None
        objective = self.programme.passage(f"sp{sp}.objective")
        return {
            "sp_name": subprogramme_name(sp, self.programme, self.glossary, lang),
            "unit": structured.unit,
            "unit_en": self._english_names(structured.unit or ""),
            "unit_ref": reference(where, lang) if where else "",
            "objective": {"ref": reference(objective, lang), "text": objective.text},
        }

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
