"""The expected answer types of questions, and the types the programme text never holds.

Classic question answering checks what KIND of answer a question wants before answering; the
type is read from the question's facet (bot/question/facets.py, learned from examples). The
programme text holds numbers (16 territories, 95 per cent), years and dates of resolutions,
Charter articles, resolution symbols, units and bodies. It never holds amounts of money, staff
numbers, names of people, opinions, or anything dated after the plan ("current", "this year",
"tomorrow"), nor can it do things (book a room). A question of a type the text never holds is
declined however well its topic words match a paragraph: cosine similarity says "same topic",
not "answers the question".
"""

from __future__ import annotations

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
OPINION = "opinion"  # what someone thinks of it: a plan states, it does not opine
UNHELD = (MONEY, STAFF, PERSON, LATER, ACTION, VOTE, OPINION)
# Not an answer type: the question's subject is a pronoun with nothing before it to stand for.
NO_SUBJECT = "no_subject"
