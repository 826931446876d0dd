"""A corpus change reaches every surface of a running server together: after `programme-bot
index` rebuilds the index from a changed document (a subprogramme's English name, a mandate's
English title), the next answer, the tour's cards, the Slack mandate titles and the uploaded
map all show the change, with no restart: they are read from the one library the index was
loaded with, which the hot reload swaps (bot/ops/reload.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from slack_payloads import event_body, mention, send_event, uid
from slack_server import REPO_ROOT, Server, running_server
from slack_stand_in import StandIn
from test_index_reload_server import wait_for_reloads
from test_map_server import COMPLETE, completed_in
from test_tour_server import Clicker, text_of

from bot.surfaces.slack.views import tour as T

pytestmark = pytest.mark.slow

TITLE_BEFORE = "Measures to eliminate international terrorism"
TITLE_AFTER = "Measures to counter international terrorism (revised)"
NAME_BEFORE = "Security Council affairs"
NAME_AFTER = "Security Council business (revised)"


def answer(server: Server, question: str) -> str:
    """The text of the answer posted in the question's thread (the Mandates block included)."""
    channel = uid("C")
    event = mention(channel, question)
    assert send_event(server.events, event_body(event)).status == 200
    posts = server.stand_in.wait_for(
        "chat.postMessage",
        lambda c: c.get("channel") == channel and c.get("thread_ts") == event["ts"],
        timeout=60,
    )
    return str(posts[0].params)


def tour_card(server: Server) -> str:
    """Card 1 of the Security Council Affairs Division's tour, in English."""
    me = Clicker(server, uid("U"), uid("D"))
    return text_of(me.click(f"{T.TOUR_PICK}:en", "3:en"))


def map_title(server: Server) -> tuple[str, str]:
    """The title and alt text of the map of subprogramme 3 uploaded into a channel."""
    channel = uid("C")
    event = mention(channel, "map of subprogramme 3")
    assert send_event(server.events, event_body(event)).status == 200
    server.stand_in.wait_for(COMPLETE, completed_in(channel), timeout=60)
    [upload] = server.stand_in.uploads(channel, event["ts"])
    [shared] = server.stand_in.replies(channel, event["ts"])
    return shared["files"][0]["title"], upload["alt_txt"]


def revise(corpus: Path) -> None:
    """The English name of subprogramme 3 and the English title of 1373 (2001), changed."""
    glossary = corpus / "programme-2" / "glossary.tsv"
    text = glossary.read_text(encoding="utf-8")
    row = f"subprogramme\t安全理事会事务\t{NAME_BEFORE}\t"
    assert row in text
    glossary.write_text(text.replace(row, f"subprogramme\t安全理事会事务\t{NAME_AFTER}\t"), "utf-8")
    titles = corpus / "programme-2" / "mandates.en.tsv"
    text = titles.read_text(encoding="utf-8")
    assert f"1373(2001)\t{TITLE_BEFORE}" in text
    titles.write_text(text.replace(TITLE_BEFORE, TITLE_AFTER), "utf-8")


def test_a_corpus_change_reloads_answers_tour_titles_and_map_together(
    stand_in: StandIn, tmp_path: Path, index_copy: Path
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    env = {
        "PROGRAMME_BOT_INDEX_DIR": str(index_copy),
        "PROGRAMME_BOT_CORPUS_DIR": str(corpus),
        "PROGRAMME_BOT_INDEX_RELOAD_S": "1",
    }
    with running_server(stand_in, tmp_path, **env) as server:
        before = answer(server, "What is resolution 1373 (2001) about?")
        assert TITLE_BEFORE in before and TITLE_AFTER not in before
        assert f"Subprogramme 3: {NAME_BEFORE}" in tour_card(server)
        title, words = map_title(server)
        assert title == f"Subprogramme 3: {NAME_BEFORE}" and NAME_BEFORE in words

        revise(corpus)
        rebuilt = subprocess.run(
            [sys.executable, "-m", "bot", "index"],
            cwd=REPO_ROOT,
            env=os.environ | env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert rebuilt.returncode == 0, rebuilt.stderr
        wait_for_reloads(server, "loaded", 1)

        # Everything at once, from the library the new index was loaded with.
        after = answer(server, "What is resolution 1373 (2001) about?")
        assert TITLE_AFTER in after and TITLE_BEFORE not in after
        card = tour_card(server)
        assert f"Subprogramme 3: {NAME_AFTER}" in card and NAME_BEFORE not in card
        title, words = map_title(server)
        assert title == f"Subprogramme 3: {NAME_AFTER}" and NAME_AFTER in words
        sources = answer(server, "What is the objective of subprogramme 3?")
        assert f"Subprogramme 3: {NAME_AFTER}" in sources  # the sources' section names

    log = server.log.read_text("utf-8")
    assert "now serving index" in log and "Traceback" not in log
