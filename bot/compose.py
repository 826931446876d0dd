"""Compose the Answer from a Retrieval with the jinja2 templates in prompts/."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import jinja2

from bot.answer import Answer, MandateRef, Source
from bot.corpus import Mandate, Programme
from bot.glossary import Glossary
from bot.labels import BODY_ZH, reference, section
from bot.retrieval import Retrieval

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
        lists = sorted(
            {pid for m in r.mandates for pid in m.cited_in if pid.endswith(".mandates")},
            key=lambda pid: int(pid[2:].split(".")[0]),
        )
        text = (
            self.templates[lang]
            .render(
                intent=r.intent,
                abstained=r.abstained or (not sources and not mandates),
                missing=[s.display for s in r.missing_symbols],
                quote=quote,
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
