"""The expected answer type of a question, and the types the programme text never holds.

Classic question answering checks what KIND of answer a question wants before answering. The
programme text holds numbers (16 territories, 95 per cent), years and dates of resolutions,
Charter articles, resolution symbols, units and bodies. It never holds amounts of money, staff
numbers, names of people, or anything dated after the plan ("current", "this year",
"tomorrow"), nor can it do things (book a room). A question of a type the text never holds is
declined however well its topic words match a paragraph: cosine similarity says "same topic",
not "answers the question".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Types the text holds: a question of one of these must find a sentence holding such an item.
NUMBER = "number"
DATE = "date"  # a year or a full date
ARTICLE = "article"  # of the Charter
RESOLUTION = "resolution"
UNIT = "unit"  # a division, unit, office or department
BODY = "body"  # a committee, council or other organ
YES_NO = "yes_no"
HELD = (NUMBER, DATE, ARTICLE, RESOLUTION, UNIT, BODY)

# Types it never holds, with the one-line reason given to the user.
MONEY = "money"
STAFF = "staff"
PERSON = "person"
LATER = "later"  # dated after the plan: now, this year, tomorrow, the latest news
ACTION = "action"  # asks the bot to do something (book, send, reset)
VOTE = "vote"  # how a future vote will go
UNHELD = (MONEY, STAFF, PERSON, LATER, ACTION, VOTE)
# Not an answer type: the question's subject is a pronoun with nothing before it to stand for.
NO_SUBJECT = "no_subject"

_I = re.IGNORECASE


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern[str]


# Order matters: the first rule that matches names the type. Unheld types come first so that
# "how many staff" is STAFF, not NUMBER, and "who chairs … now" PERSON, not UNIT.
_UNHELD_RULES = (
    Rule(
        ACTION,
        re.compile(
            r"\b(can|could|would|will) you (please )?(book|reserve|send|email|e-mail|call|"
            r"schedule|arrange|remind|order|print|forward|reset|set up|register|sign)\b"
            r"|^(please |pls |kindly )?(email|e-mail|send|forward|book|reserve|schedule|remind|"
            r"print|share|call|set up|arrange) (me|us|a|the|this|that|my|our|it)\b"
            r"|\b(book|reserve) (a|the|me|us)\b|\b(meeting room|conference room|password|wi-?fi|"
            r"parking|cafeteria|visa|badge|login|log in|office hours|phone number|email address)\b"
            r"|帮我|替我|预订|预定|订一?个|会议室|密码|停车|签证|食堂|电话号码",
            _I,
        ),
    ),
    Rule(
        MONEY,
        re.compile(
            r"\b(budget(ed|s)?|costs?|costing|spend(s|ing)?|spent|expenditures?|funding|funded|"
            r"money|dollars?|salar(y|ies)|allocation|financial resources|how much (money|does|do|"
            r"did|is|was|will))\b|US\$|\$\s?\d"
            r"|预算|经费|开支|花费|费用|多少钱|拨款|薪金|工资",
            _I,
        ),
    ),
    Rule(
        STAFF,
        re.compile(
            r"\bhow many (staff|people|employees|personnel|posts|officers|officials|"
            r"professionals|persons|workers|staffers)\b|\b(headcount|staffing( level)?s?|"
            r"staff (size|numbers?|strength|count))\b"
            r"|\b(number|size) of (staff|employees|personnel|posts|officers|people working)\b"
            r"|\bhow many (\w+ ){0,2}(work|are employed|are working|serve|are based)\b"
            r"|员额|多少(名|位|个)?(工作人员|员工|职员|人)|(工作人员|员工|职员)(有)?多少",
            _I,
        ),
    ),
    Rule(
        PERSON,
        re.compile(
            r"\bwho (is|'s|are|was) (the )?(current |present |new |acting )?(\w+ ){0,2}"
            r"(head|chief|director|chair|chairman|chairperson|chairwoman|president|"
            r"under-secretary|usg|secretary-general|assistant secretary|envoy|ambassador|"
            r"special coordinator|coordinator|spokes)"
            r"|\bwho (\w+ly )?(heads|chairs|directs|presides)\b"
            r"|\bname of the (head|chief|director|chair)"
            r"|\b(head|chief|director|chair) of .{0,60}\bnow\b"
            r"|(主席|司长|主任|副秘书长|负责人|首长|协调员|特使|大使)是谁|谁(是|担任)(现任)?"
            r".{0,12}(主席|司长|主任|副秘书长|首长|协调员)|现任",
            _I,
        ),
    ),
    Rule(
        VOTE,
        re.compile(
            r"\bhow will .{0,60}\bvote\b|\bvote (on|for|against)\b.{0,60}\b(next|tomorrow|will)"
            r"|\b(will|would) .{0,40}\b(pass|be adopted|be renewed|renew|extend|veto)\b|\bpredict"
            r"|会不会通过|能否通过|将如何投票|表决结果",
            _I,
        ),
    ),
    Rule(
        LATER,
        re.compile(
            r"\b(today|tonight|tomorrow|tomorrow's|yesterday|nowadays|right now|"
            r"this (year|week|month|morning|afternoon)|this year's|"
            r"(next|last) (week|month|year|meeting|session|vote)|headlines?|in 20[2-9]\d)\b"
            r"|\b(latest|recent) news\b|\bin the news\b|\bsince the (plan|programme|text)\b"
            r"|\bnext\b.{0,40}\b(session|meeting|vote|week|month|year)\b|\bwhen (is|are) the next\b"
            r"|\bcurrently\b|\b(current|present) (members?|agenda|"
            r"situation|status|composition)\b"
            r"|今年|明天|昨天|今天|下周|下个月|明年|去年|最新|新闻(?!部|材料)|本周|这周",
            _I,
        ),
    ),
)

# The held types, from the question's wording.
_HELD_RULES = (
    Rule(
        DATE,
        re.compile(
            r"\b(when|what year|which year|what date|which date|in what year|on what date|"
            r"what day|how long ago|since when)\b"
            r"|哪一?年|哪天|哪一天|何时|什么时候|日期|几月几日|什么时间",
            _I,
        ),
    ),
    Rule(
        ARTICLE,
        re.compile(
            r"\b(which|what) (charter )?(articles?|chapters?)\b|\barticles? of the charter\b"
            r"|(哪|第几)(一|几)?(条|章)",
            _I,
        ),
    ),
    Rule(
        NUMBER,
        re.compile(
            r"\bhow (many|much)\b|\bwhat (percentage|per ?cent|proportion|share|number)\b"
            r"|\bhow (high|large|big)\b|多少|几个|几项|百分之|比例|数目",
            _I,
        ),
    ),
    Rule(
        RESOLUTION,
        re.compile(
            r"\b(which|what) (security council |general assembly |ga |sc )?"
            r"(resolutions?|decisions?)\b|哪(一)?(项|个|些)?决议|第几号|什么决议",
            _I,
        ),
    ),
    Rule(
        UNIT,
        re.compile(
            r"\b(which|what) (\w+ )?(units?|divisions?|offices?|departments?|teams?|sections?|"
            r"part of the secretariat)\b"
            r"|\bwho (assists|helps|supports|is responsible|carries|leads|provides|runs|"
            r"handles|is in charge|coordinates|takes the lead)\b"
            r"|\bwho(?: is|'s| are) (the )?(lead|leading|main|responsible|in the lead|in charge)\b"
            r"|哪个(司|股|部门|单位|办事处|部)|谁(协助|负责|牵头|承担|提供|领导)|由谁",
            _I,
        ),
    ),
    Rule(
        BODY,
        re.compile(
            r"\b(which|what) (\w+ ){0,2}(committee|body|bodies|organ|organs|council|organization|"
            r"organisations?|organizations|entity|entities)\b"
            r"|哪个(委员会|机构|机关|组织)|哪些(委员会|机构|机关|组织)",
            _I,
        ),
    ),
    Rule(
        YES_NO,
        re.compile(
            r"^(does|do|did|is|are|was|were|can|could|will|would|has|have|should)\b"
            r"|是否|吗[？?]?$|有没有|会不会|能不能|是不是",
            _I,
        ),
    ),
)


# French wording of the same types (French questions are answered in French).
_FRENCH = {
    ACTION: r"\b(pouvez-vous|peux-tu|pourriez-vous|merci de) (me |nous )?(réserver|envoyer|"
    r"planifier|organiser|rappeler|imprimer|transférer|programmer)\b|\bréserve[rz]?[- ](moi|nous)\b"
    r"|\b(salle de (réunion|conférence)|mot de passe|wi-?fi|parking|cantine|badge)\b",
    MONEY: r"\b(budgets?|budgétaires?|co[uû]ts?|co[uû]te(nt)?|dépenses?|financements?|"
    r"ressources financières|salaires?|crédits alloués)\b|\bcombien (d'argent|co[uû]te)|€",
    STAFF: r"\bcombien (de |d')(fonctionnaires|personnes|employés|agents|membres du personnel|"
    r"postes|collaborateurs|femmes|hommes)\b|\b(effectifs?|nombre de (fonctionnaires|postes|"
    r"membres du personnel|agents|employés))\b",
    PERSON: r"\bqui (est|sont) (le |la |l'|les )?(actuel(le)? |nouveau |nouvelle )?(chef|"
    r"directeur|directrice|président|présidente|secrétaire général|coordonnateur|coordinateur|"
    r"envoyé|ambassadeur|porte-parole)|\bqui (préside|présidera)\b"
    r"|\bqui (dirige|dirigera)\b.{0,40}\b(actuellement|aujourd'hui|maintenant)\b"
    r"|\bnom du (chef|directeur|président)\b",
    VOTE: r"\bcomment .{0,60}\bvotera|\b(sera|seront) (adoptée?s?|renouvelée?s?|prorogée?s?)\b"
    r"|\bva-t-(il|elle) (adopter|renouveler|proroger)",
    LATER: r"\b(aujourd'hui|demain|hier|actuellement|en ce moment|cette (année|semaine)|"
    r"ce mois-ci|la semaine prochaine|le mois prochain|l'année prochaine|cette année)\b"
    r"|\b(prochaine|dernière) (session|réunion|séance)\b|\bdernières nouvelles\b"
    r"|\b(actuel|actuelle|actuels|actuelles) (membres?|composition|ordre du jour|situation)\b"
    r"|\b(membres?|composition|ordre du jour) actuel(le)?s?\b",
    DATE: r"\b(quand|en quelle année|quelle année|à quelle date|quelle date|depuis quand|"
    r"en quelle ann[ée]e|de quand)\b",
    ARTICLE: r"\b(quels?|quelles?) (articles?|chapitres?)\b|\barticles? de la charte\b",
    NUMBER: r"\bcombien\b"
    r"|\bquel(le)? (est le |est la )?(pourcentage|proportion|part|nombre|taux)\b",
    RESOLUTION: r"\b(quelles?|laquelle|lesquelles) (résolutions?|décisions?)\b"
    r"|\b(quelle|quelles) (résolution|résolutions) (du |de l')",
    UNIT: r"\b(quel|quelle|quels|quelles|laquelle|lequel) (division|unité|service|bureau|office|"
    r"département|groupe|section)s?\b|\bqui (aide|assiste|appuie|est responsable|est chargé|"
    r"s'occupe|fournit|coordonne|prête (son )?concours|pilote|mène|prend la tête)\b",
    BODY: r"\b(quel|quelle|quels|quelles) (comité|organe|conseil|organisation|entité)s?\b"
    r"|\b(comité|organe|conseil)\b.{0,60}\b(lequel|laquelle)\b",
    YES_NO: r"^(est-ce que|est-ce qu'|y a-t-il|existe-t-il)\b|-t-(il|elle|ils|elles)\b"
    r"|\b\w+-(il|elle|ils|elles)\b.*\?\s*$",
}


def _with_french(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    return tuple(
        Rule(r.kind, re.compile(f"{r.pattern.pattern}|{_FRENCH[r.kind]}", _I))
        if r.kind in _FRENCH
        else r
        for r in rules
    )


_UNHELD_RULES = _with_french(_UNHELD_RULES)
_HELD_RULES = _with_french(_HELD_RULES)


def _order() -> tuple[Rule, ...]:
    # A question that asks for a resolution is answerable even when a money word names its
    # topic ("which resolution concerns the programme budget?"), but not when it asks about
    # people, later events or future votes.
    unheld = {r.kind: r for r in _UNHELD_RULES}
    held = {r.kind: r for r in _HELD_RULES}
    first = [unheld[k] for k in (ACTION, PERSON, VOTE, LATER)] + [held[RESOLUTION]]
    return (*first, unheld[MONEY], unheld[STAFF], *(r for r in _HELD_RULES if r not in first))


_ORDER = _order()


# Time words about the asker, not about the programme: "starting in the team next week",
# "I'll be joining next month", "我下周开始去安理会事务司上班". They never make a question "later".
_ASKER_TIME = re.compile(
    r"\b(?:i|i'm|i am|i'll|i will|we|we're|we'll)\b[^.?!]{0,40}?\b(?:start|starting|join|joining|"
    r"begin|beginning|move|moving|arrive|arriving|transfer|transferring|report|reporting)\b"
    r"[^.?!]{0,40}?\b(?:next|this|coming) (?:week|month|monday|tuesday|wednesday|thursday|"
    r"friday|year)\b"
    r"|\b(?:starting|joining|beginning|moving|arriving|transferring)\b[^.?!]{0,50}?"
    r"\b(?:next|this|coming) (?:week|month|monday|tuesday|wednesday|thursday|friday)\b"
    r"|\b(?:next|this|coming) (?:week|month)\b[^.?!]{0,20}?\b(?:i|i'll|i'm|we)\b[^.?!]{0,20}?"
    r"\b(?:start|join|begin|move|arrive)\w*"
    r"|(?:我|我们)?(?:下周|下个月|下星期|明天|本周|这周)(?:就|将|要)?(?:开始|入职|上班|加入|报到|调到|去|到)"
    r"|\b(?:je|j'|nous)\s*(?:commence|rejoins|arrive|intègre|prends mes fonctions|débute)\b"
    r"[^.?!]{0,40}?\b(?:la semaine prochaine|le mois prochain|lundi|demain)\b"
    r"|\b(?:la semaine prochaine|le mois prochain)\b[^.?!]{0,20}?\bje (?:commence|rejoins|arrive)",
    re.IGNORECASE,
)


def expected_type(question: str) -> str | None:
    """The type of answer the question wants (see the constants above), or None for prose."""
    question = _ASKER_TIME.sub(" ", question)
    for rule in _ORDER:
        if rule.pattern.search(question):
            return rule.kind
    return None
