"""The tour's "See the map" button, as a plain function: a map job, or nothing for a stale one."""

from __future__ import annotations

import pytest
from listener_fakes import CHANNEL, USER, FakeAck, click, pending

from bot.surfaces.slack.listeners.maps.see_the_map import on_see_the_map
from bot.surfaces.slack.runtime.deps import Deps
from bot.surfaces.slack.views.tour import MAP_SHOW


def test_see_the_map_is_a_map_job_recorded_before_the_ack(deps: Deps, ack: FakeAck) -> None:
    body = click(MAP_SHOW, "3:zh", label="查看结构图", thread_ts="1700000000.000100")
    on_see_the_map(ack=ack, body=body, deps=deps)
    assert ack.calls == [{}]
    (job,) = pending(deps)
    assert (job.id, job.kind, job.lane) == (f"map:{CHANNEL}:1.000001:{USER}", "map", CHANNEL)
    assert job.payload["map"] == {"kind": "map", "lang": "zh", "subprogramme": None, "highlight": 3}
    asked = job.payload["question"]
    assert asked["text"] == "查看结构图"
    assert asked["conversation"] == {
        "channel": CHANNEL,
        "thread_ts": "1700000000.000100",
        "kind": "assistant",
    }


def test_see_the_map_clicked_twice_is_one_map(deps: Deps) -> None:
    for _ in range(2):
        on_see_the_map(ack=FakeAck(), body=click(MAP_SHOW, "3:en"), deps=deps)
    assert deps.work.pending() == 1


@pytest.mark.parametrize("value", ["9:en", "3:xx", "²:en", "3", ""])
def test_a_stale_map_button_is_acked_and_nothing_is_drawn(
    deps: Deps, ack: FakeAck, value: str
) -> None:
    on_see_the_map(ack=ack, body=click(MAP_SHOW, value), deps=deps)
    assert ack.calls == [{}]
    assert deps.work.pending() == 0


def test_a_map_button_without_a_channel_is_acked_and_dropped(deps: Deps, ack: FakeAck) -> None:
    on_see_the_map(ack=ack, body=click(MAP_SHOW, "3:en", channel=None), deps=deps)
    assert ack.calls == [{}]
    assert deps.work.pending() == 0
