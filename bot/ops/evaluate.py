"""Score answers on an evaluation set exactly as the answer contract describes.

An item may carry "previous": the questions asked before it in the same conversation.

Beyond the contract's kinds: "parts" (a question in several parts; each part either "need"s
groups of strings, one of each group named in the answer, or is a "decline" that must be
declined on its own), "unit" (a newcomer's question about their unit: every "need" group
named) and "unheld" (the question names something the text never mentions: declined).

Text matching ignores whitespace and treats full-width （）：， as ASCII; symbols compare on
their base (47/120 A → 47/120, 1373 (2001) → 1373(2001), A/RES/58/109 → 58/109).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from bot import languages
from bot.answer import Answer
from bot.languages import detect
from bot.languages.symbols import parse_symbol
from bot.params import DEFAULT
from bot.search.retriever import should_abstain

_WIDTH = str.maketrans({"（": "(", "）": ")", "：": ":", "，": ","})
IN_SCOPE = ("passage", "mandate", "number", "listall", "first", "parts", "unit")
# Answers whose length is judged (the contract: passage and fact questions).
LENGTH_KINDS = ("passage", "first")
LEAD_CHARS = 300
MAX_CHINESE_IN_ENGLISH_LEAD = 0.15
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def lead(answer_text: str) -> str:
    """The first line; when it is a list header ending in ':', the header and first item.

    At most LEAD_CHARS characters count.
    """
    lines = answer_text.strip().splitlines() or [""]
    first = lines[0]
    if first.rstrip().endswith((":", "：")) and len(lines) > 1:
        first = f"{first}\n{lines[1]}"
    return first[:LEAD_CHARS]


def chinese_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return len([c for c in letters if _CJK.match(c)]) / len(letters) if letters else 0.0


def norm_text(text: str) -> str:
    return re.sub(r"\s+", "", text.translate(_WIDTH))


def named(group: list[str], text: str) -> bool:
    """One of the group's strings is in the (normalised, lower-cased) text."""
    return any(norm_text(x).lower() in text for x in group)


def _part_declined(answer: Answer, i: int, n_parts: int) -> bool:
    """Part i is declined on its own: by position when the answer split the question the same
    way, else some part of it is; a one-part answer only by abstaining as a whole."""
    if len(answer.parts) == n_parts:
        return answer.parts[i].abstained
    if answer.parts:
        return any(p.abstained for p in answer.parts)
    return answer.abstained


def base(symbol: str) -> str:
    parsed = parse_symbol(symbol)
    return parsed.base if parsed else norm_text(symbol)


@dataclass
class Outcome:
    item: dict[str, Any]
    answer: Answer
    evidence: dict[str, float]
    scores: dict[str, float] = field(default_factory=dict)


def score(item: dict[str, Any], answer: Answer) -> dict[str, float]:
    kind = item["kind"]
    got = [base(m.symbol) for m in answer.mandates]
    out: dict[str, float] = {}
    if kind == "passage":
        evidence = [norm_text(e) for e in item["evidence"]]
        rank = next(
            (
                i
                for i, s in enumerate(answer.sources, start=1)
                if any(e in norm_text(s.text) for e in evidence)
            ),
            None,
        )
        out.update(
            {
                "hit@1": float(rank == 1),
                "hit@3": float(rank is not None and rank <= 3),
                "hit@5": float(rank is not None and rank <= 5),
                "mrr": 1.0 / rank if rank else 0.0,
            }
        )
    elif kind == "mandate":
        must = {base(s) for s in item["must"]}
        allowed = must | {base(s) for s in item.get("ok", [])}
        out["recall"] = len(must & set(got)) / len(must) if must else 1.0
        out["precision"] = sum(g in allowed for g in got) / len(got) if got else 0.0
    elif kind == "number":
        out["top1"] = float(bool(got) and got[0] == base(item["must"][0]))
    elif kind == "absent":
        asked = base(item["symbol"])
        out["abstain"] = float(asked not in got and (answer.abstained or not got))
    elif kind == "oos":
        out["abstain"] = float(answer.abstained)
    elif kind == "listall":
        text = norm_text(answer.answer)
        out["named_all"] = float(all(norm_text(x) in text for x in item["all"]))
    elif kind == "parts":
        text = norm_text(answer.answer).lower()
        parts = item["parts"]
        done = [
            _part_declined(answer, i, len(parts))
            if part.get("decline")
            else all(named(g, text) for g in part["need"])
            for i, part in enumerate(parts)
        ]
        out["all_parts"] = float(all(done))
        out["part_share"] = sum(done) / len(done)
    elif kind == "unit":
        text = norm_text(answer.answer).lower()
        out["named_all"] = float(all(named(g, text) for g in item["need"]) and not answer.abstained)
    elif kind == "unheld":
        out["declined"] = float(answer.abstained)
        out["names_it"] = float(
            norm_text(item["name"]).lower() in norm_text(lead(answer.answer)).lower()
        )
    elif kind == "first":
        head = norm_text(lead(answer.answer)).lower()
        carried = all(any(norm_text(x).lower() in head for x in group) for group in item["first"])
        out["lead_fact"] = float(carried and not answer.abstained)
    asked = item.get("lang", answer.language)
    if asked == "en" and not answer.abstained:
        out["lead_english"] = float(
            chinese_share(lead(answer.answer)) <= MAX_CHINESE_IN_ENGLISH_LEAD
        )
    if asked in languages.answered() and asked not in ("en", "zh") and not answer.abstained:
        # "lead_french", "lead_spanish": the lead is in the asker's language.
        head = lead(answer.answer)
        out[_lead_metric(asked)] = float(
            chinese_share(head) <= MAX_CHINESE_IN_ENGLISH_LEAD and detect(head) == asked
        )
    if kind in IN_SCOPE:
        out["false_abstention"] = float(answer.abstained)
    return out


# The metric that says whether an item of a kind is answered (a mandate list: every one asked
# for, and nothing else).
_ANSWERED = {
    "passage": "hit@1",
    "number": "top1",
    "absent": "abstain",
    "oos": "abstain",
    "listall": "named_all",
    "parts": "all_parts",
    "unit": "named_all",
    "unheld": "declined",
    "first": "lead_fact",
}


def fully_right(o: Outcome) -> bool:
    """The item is answered (its kind's metric is 1), its lead is in the asker's language and
    it is not falsely declined: how issue 20's locked sets are scored."""
    s = o.scores
    if o.item["kind"] == "mandate":
        answered = s["recall"] == 1.0 and s["precision"] == 1.0
    else:
        answered = s[_ANSWERED[o.item["kind"]]] == 1.0
    in_language = all(v == 1.0 for m, v in s.items() if m.startswith("lead_") and m != "lead_fact")
    return answered and in_language and not s.get("false_abstention")


def fully_right_table(outcomes: list[Outcome]) -> dict[str, tuple[int, int]]:
    """(fully right, items) for all items, by language, by kind and for follow-ups."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for o in outcomes:
        groups = ["all", f"lang/{o.item.get('lang', '?')}", f"kind/{o.item['kind']}"]
        groups += ["follow-ups"] if o.item.get("previous") else []
        for g in groups:
            table[g][0] += fully_right(o)
            table[g][1] += 1
    return {g: (right, n) for g, (right, n) in table.items()}


def _lead_metric(code: str) -> str:
    return f"lead_{languages.get(code).name.lower()}"


def evaluate(pipeline, path: Path) -> list[Outcome]:
    outcomes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        previous = None
        for turn in item.get("previous", []):  # a follow-up: the conversation before it
            previous = pipeline.ask(turn, previous=previous)
        desk, retrieval = pipeline.retrieve(
            item["q"], top_k=pipeline.settings.top_k, previous=previous
        )
        answer = pipeline.compose(desk, retrieval, top_k=pipeline.settings.top_k)
        outcomes.append(Outcome(item, answer, retrieval.evidence, score(item, answer)))
    return outcomes


def summarise(outcomes: list[Outcome]) -> dict[str, dict[str, float]]:
    """Mean of each metric by kind, for all items and per language."""
    table: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for o in outcomes:
        for group in ("all", o.item.get("lang", "?")):
            for metric, value in o.scores.items():
                key = {
                    "false_abstention": "in-scope",
                    "lead_english": "en-lead",
                    **{_lead_metric(c): f"{c}-lead" for c in languages.answered()},
                }.get(metric, o.item["kind"])
                table[f"{group}/{key}"][metric].append(value)
    return {
        k: {m: sum(v) / len(v) for m, v in ms.items()} | {"n": len(next(iter(ms.values())))}
        for k, ms in sorted(table.items())
    }


def answer_lengths(
    outcomes: list[Outcome], kinds: tuple[str, ...] | None = LENGTH_KINDS
) -> dict[str, tuple[int, float, float]]:
    """(count, median, p90) of answer lengths per language and for all: of the answers of
    `kinds` that did not abstain, or of every answer when `kinds` is None."""
    groups: dict[str, list[int]] = defaultdict(list)
    for o in outcomes:
        if kinds is None or (o.item["kind"] in kinds and not o.answer.abstained):
            for group in ("all", o.item.get("lang", "?")):
                groups[group].append(len(o.answer.answer))
    out = {}
    for group, lengths in sorted(groups.items()):
        ordered = sorted(lengths)
        out[group] = (len(ordered), _quantile(ordered, 0.5), _quantile(ordered, 0.9))
    return out


def _quantile(ordered: list[int], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    pos = (len(ordered) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def abstention_sweep(outcomes: list[Outcome]) -> list[tuple[str, int, int, int, int]]:
    """How the abstention thresholds trade false abstentions against off-topic answers."""
    topic = [o for o in outcomes if o.evidence]
    oos = [o for o in topic if o.item["kind"] == "oos"]
    scoped = [o for o in topic if o.item["kind"] in IN_SCOPE]
    settings = [
        ("off", dict(min_dense=-1.0, strong_dense=-1.0, min_coverage=-1.0)),
        ("dense only", dict(strong_dense=-1.0, min_coverage=-1.0)),
        ("current", {}),
        ("coverage only", dict(min_dense=-1.0, strong_dense=2.0)),
    ]
    rows = []
    for name, kw in settings:
        rows.append(
            (
                name,
                sum(should_abstain(o.evidence, DEFAULT, **kw) for o in oos),
                len(oos),
                sum(should_abstain(o.evidence, DEFAULT, **kw) for o in scoped),
                len(scoped),
            )
        )
    return rows


def print_report(outcomes: list[Outcome], out: TextIO, verbose: bool = False) -> None:
    if verbose:
        for o in outcomes:
            bad = {
                k: v
                for k, v in o.scores.items()
                if (k == "false_abstention" and v) or (k != "false_abstention" and v < 1)
            }
            if bad:
                got = [s.id for s in o.answer.sources][:3], [m.symbol for m in o.answer.mandates]
                out.write(
                    f"MISS {o.item['kind']:8} {o.item['q'][:60]!r} {bad} got={got} "
                    f"ev={ {k: round(v, 3) for k, v in o.evidence.items()} }\n"
                )
        out.write("\n")
    out.write(f"{'group/kind':24} {'n':>3}  metrics\n")
    for key, metrics in summarise(outcomes).items():
        n = int(metrics.pop("n"))
        shown = "  ".join(f"{m}={v:.3f}" for m, v in metrics.items())
        out.write(f"{key:24} {n:>3}  {shown}\n")
    out.write("\nfully right (kind's metric 1, lead in the asker's language, no false decline):\n")
    for group, (right, n) in sorted(fully_right_table(outcomes).items()):
        out.write(f"  {group:24} {right:>3}/{n:<3} {100 * right / n:5.1f}%\n")
    out.write("\nanswer length (characters), passage and fact answers not abstained:\n")
    for lang, (n, median, p90) in answer_lengths(outcomes).items():
        out.write(f"  {lang:4} n={n:<3} median={median:.0f}  p90={p90:.0f}\n")
    out.write("answer length (characters), every answer:\n")
    for lang, (n, median, p90) in answer_lengths(outcomes, kinds=None).items():
        out.write(f"  {lang:4} n={n:<3} median={median:.0f}  p90={p90:.0f}\n")
    out.write(
        "\nabstention thresholds (topic questions): setting  oos abstained  false abstentions\n"
    )
    for name, oos_hit, oos_n, fa, n in abstention_sweep(outcomes):
        out.write(f"  {name:14} {oos_hit}/{oos_n}  {fa}/{n}\n")
