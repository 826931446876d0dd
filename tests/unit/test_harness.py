"""The test harness itself: the index the tests use is not the source tree's."""

from __future__ import annotations

import os

from bot.settings import REPO_ROOT, get_settings


def test_the_tests_index_is_a_temporary_one_outside_the_source_tree() -> None:
    # Set by tests/conftest.py for every test and every process a test starts.
    index_dir = get_settings().index_dir
    assert str(index_dir) == os.environ["PROGRAMME_BOT_INDEX_DIR"]
    assert not index_dir.resolve().is_relative_to(REPO_ROOT)
