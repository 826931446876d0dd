"""WorkQueue on Redis (REDIS_URL): any number of replicas share dedupe and pending work. Only
storage; jobs are read and written by base.WorkQueue.

Keys (all under redis_client.PREFIX):
- `seen:<event_id>`  SET NX with a TTL: the first sighting of an event id, atomically;
- `job:<id>`         a hash: lane, kind, payload, progress, created_at, attempts, not_before,
                     and `entry`, the job's entry in the stream;
- `lane:<lane>`      a list of job ids in the order they were admitted (a channel's order);
- `work`             a Stream with the consumer group `workers`: one entry per pending job.

admit() is one Lua script: the SET NX, the hash, the lane list and the XADD happen together or
not at all, and before the ack. A replica reads entries with XREADGROUP, which puts them in its
pending-entries list (PEL); it runs a job only when the job is the head of its lane, so a
channel is answered in order whichever replica holds which of its jobs. A job that must wait
(Retry-After, back-off) stays in the replica's PEL with its `not_before`.

A replica that dies leaves its entries in its PEL. Each replica says it is alive with a key
that lives ALIVE_S (`alive:<consumer>`, renewed every second by a thread of its own, whatever
its workers are doing); a consumer with pending entries and no such key has stopped, and its
entries are claimed at once by whoever looks next (every second or so): a replica killed on one
host is taken over by the others within a few seconds. A replica restarting on the same host
claims the entries of its earlier self (same host, a process that no longer exists, or its own
process id reused in a container) as it starts, before it serves. XCLAIM with a minimum idle
time lets one replica win each entry. As a backstop, living replicas touch their entries every
reclaim_s / 4 (XCLAIM to themselves, which resets the idle time) and entries idle longer than
reclaim_s are taken over by XAUTOCLAIM whoever held them. On a graceful stop, entries a replica
holds but is not running are put back at once.
Progress is saved in the job's hash before each step with an effect outside Redis, so the
replica that takes a job over resumes it where it was (answering.py looks in the thread before
posting again).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
import uuid
from typing import Any

import redis

from bot.ops.logs import Throttled
from bot.stores.redis_client import PREFIX, store_errors
from bot.stores.work.base import EVENT_TTL_S, Job, StoredJob, WorkQueue

logger = logging.getLogger(__name__)
_trouble = Throttled(logger, every_s=10.0)

STREAM = PREFIX + "work"
GROUP = "workers"
JOB = PREFIX + "job:"
LANE = PREFIX + "lane:"
SEEN = PREFIX + "seen:"
DEFAULT_RECLAIM_S = 15.0
PARK_MAX = 64  # entries one replica holds before it stops reading new ones (leaves some to others)
WAIT_POLL_S = 0.2  # how soon a job queued behind another replica's lane head is looked at again
FORGET_CONSUMERS_S = 60 * 60  # consumers (stopped replicas) with nothing pending are removed
ALIVE = PREFIX + "alive:"
ALIVE_S = 3.0  # a replica that has not said it is alive for this long has stopped
ALIVE_EVERY_S = 1.0
CLAIM_MIN_IDLE_MS = 1000  # two replicas claiming the same stopped replica's entry: one wins
_HERE: set[str] = set()  # this process's live consumers (tests run several in one process)

_ADMIT = """
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
local entry = redis.call('XADD', KEYS[4], '*', 'job', ARGV[2])
redis.call('HSET', KEYS[2], 'lane', ARGV[3], 'kind', ARGV[4], 'payload', ARGV[5],
  'progress', '{}', 'created_at', ARGV[6], 'attempts', 0, 'not_before', 0, 'entry', entry)
redis.call('RPUSH', KEYS[3], ARGV[2])
return 1
"""

# KEYS: job hash. ARGV: job id, now, lane prefix. Runs the job only at the head of its lane.
_TAKE = """
local f = redis.call('HMGET', KEYS[1], 'lane', 'not_before')
if not f[1] then return {'gone'} end
if tonumber(f[2]) > tonumber(ARGV[2]) then return {'later', f[2]} end
if redis.call('LINDEX', ARGV[3] .. f[1], 0) ~= ARGV[1] then return {'wait'} end
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
return {'run', unpack(redis.call('HGETALL', KEYS[1]))}
"""

# KEYS: job hash, stream. ARGV: job id, entry, lane prefix, group.
_DONE = """
local lane = redis.call('HGET', KEYS[1], 'lane')
redis.call('XACK', KEYS[2], ARGV[4], ARGV[2])
redis.call('XDEL', KEYS[2], ARGV[2])
if lane then redis.call('LREM', ARGV[3] .. lane, 1, ARGV[1]) end
redis.call('DEL', KEYS[1])
return 1
"""

# KEYS: job hash. ARGV: progress JSON, not_before ('' = unchanged). Never recreates a done job.
_UPDATE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'progress', ARGV[1])
if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'not_before', ARGV[2]) end
return 1
"""

# KEYS: stream. ARGV: group, consumer, entries... Touches the entries this consumer still owns
# (resets their idle time); returns the ones another replica has taken over.
_HEARTBEAT = """
local lost = {}
for i = 3, #ARGV do
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if p[1] and p[1][2] == ARGV[2] then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
  else
    table.insert(lost, ARGV[i])
  end
end
return lost
"""

# KEYS: stream. ARGV: group, consumer, job prefix, then pairs of (job id, entry). Puts back
# entries this consumer owns as new, undelivered entries (a graceful stop).
_GIVE_BACK = """
local n = 0
for i = 4, #ARGV, 2 do
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i + 1], ARGV[i + 1], 1)
  if p[1] and p[1][2] == ARGV[2] then
    redis.call('XACK', KEYS[1], ARGV[1], ARGV[i + 1])
    redis.call('XDEL', KEYS[1], ARGV[i + 1])
    if redis.call('EXISTS', ARGV[3] .. ARGV[i]) == 1 then
      local entry = redis.call('XADD', KEYS[1], '*', 'job', ARGV[i])
      redis.call('HSET', ARGV[3] .. ARGV[i], 'entry', entry)
      n = n + 1
    end
  end
end
return n
"""


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _entry_order(entry: str) -> tuple[int, int]:
    ms, _, seq = entry.partition("-")
    return int(ms), int(seq or 0)


class RedisWorkQueue(WorkQueue):
    def __init__(
        self,
        client: redis.Redis,
        reclaim_s: float = DEFAULT_RECLAIM_S,
        acks: redis.Redis | None = None,
    ) -> None:
        """client: the workers'; acks: what runs before an ack (admit, seen, writable), with
        tighter timeouts (redis_client.for_acks)."""
        self._r = client
        self._acks = acks or client
        self._reclaim_ms = max(1, int(reclaim_s * 1000))
        self._touch_every_s = max(0.1, min(ALIVE_EVERY_S, reclaim_s / 4))
        self.consumer = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._admit_script = client.register_script(_ADMIT)
        self._take_script = client.register_script(_TAKE)
        self._done_script = client.register_script(_DONE)
        self._update_script = client.register_script(_UPDATE)
        self._heartbeat_script = client.register_script(_HEARTBEAT)
        self._give_back_script = client.register_script(_GIVE_BACK)
        self._lock = threading.Lock()
        self._mine: dict[str, str] = {}  # job id → its entry, for every entry in my PEL
        self._running: set[str] = set()
        self._due: dict[str, float] = {}  # a held job's earliest next look (local hint)
        self._last_reclaim = 0.0
        self._last_forget = time.monotonic()
        self._depth = 0
        self._stop = threading.Event()
        _HERE.add(self.consumer)
        with store_errors():
            self._ensure_group()
            self._say_alive()
        self._toucher = threading.Thread(target=self._touch_loop, name="redis-touch", daemon=True)
        self._toucher.start()

    def _ensure_group(self) -> None:
        try:
            self._r.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    # ------------------------------------------------------------------ recording

    def _admit(self, job: Job, payload: str) -> bool:
        with store_errors():
            admitted = self._admit_script(
                client=self._acks,
                keys=[SEEN + job.id, JOB + job.id, LANE + job.lane, STREAM],
                args=[EVENT_TTL_S, job.id, job.lane, job.kind, payload, job.created_at],
            )
        return bool(admitted)

    def _first_sighting(self, event_id: str) -> bool:
        with store_errors():
            return bool(self._acks.set(SEEN + event_id, "1", nx=True, ex=EVENT_TTL_S))

    # ------------------------------------------------------------------ taking

    def _take(self, limit: int) -> list[StoredJob]:
        with store_errors():
            if time.monotonic() - self._last_reclaim > self._touch_every_s:
                self._reclaim()
            with self._lock:
                room = min(limit, PARK_MAX - len(self._mine))
            if room > 0:
                self._read_new(room)
            return self._runnable(limit)

    def _read_new(self, count: int) -> None:
        try:
            answer = self._r.xreadgroup(GROUP, self.consumer, {STREAM: ">"}, count=count)
        except redis.ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            logger.warning("the work stream was gone (Redis lost its data?): created it again")
            self._ensure_group()
            with self._lock:
                self._mine = {j: e for j, e in self._mine.items() if j in self._running}
            return
        with self._lock:
            for _stream, entries in answer or []:
                for entry, fields in entries:
                    self._mine[fields.get("job", "")] = entry

    def _runnable(self, limit: int) -> list[StoredJob]:
        now = time.time()
        with self._lock:
            candidates = sorted(  # oldest first
                (
                    (entry, job_id)
                    for job_id, entry in self._mine.items()
                    if job_id not in self._running and self._due.get(job_id, 0.0) <= now
                ),
                key=lambda c: _entry_order(c[0]),
            )
        jobs: list[StoredJob] = []
        for entry, job_id in candidates:
            if len(jobs) >= limit:
                break
            result = self._take_script(keys=[JOB + job_id], args=[job_id, now, LANE])
            verdict = result[0]
            if verdict == "gone":  # finished elsewhere (or never recorded): drop the entry
                self._r.xack(STREAM, GROUP, entry)
                self._r.xdel(STREAM, entry)
                self._forget(job_id)
            elif verdict == "later":
                with self._lock:
                    self._due[job_id] = float(result[1])
            elif verdict == "wait":  # an earlier job of its lane runs elsewhere
                with self._lock:
                    self._due[job_id] = now + WAIT_POLL_S
            else:
                jobs.append(self._job(job_id, result[1:]))
        with self._lock:
            self._running.update(j.id for j in jobs)
            for job in jobs:
                self._due.pop(job.id, None)
        return jobs

    @staticmethod
    def _job(job_id: str, flat: list[Any]) -> StoredJob:
        fields = dict(zip(flat[::2], flat[1::2], strict=True))  # the hash, as HGETALL's pairs
        return StoredJob(
            id=job_id,
            lane=fields["lane"],
            kind=fields["kind"],
            payload=fields["payload"],
            progress=fields["progress"],
            attempts=fields["attempts"],
            created_at=fields["created_at"],
        )

    def _save_progress(self, job_id: str, progress: str) -> None:
        with store_errors():
            self._update_script(keys=[JOB + job_id], args=[progress, ""])

    def done(self, job: Job) -> None:
        with self._lock:
            entry = self._mine.get(job.id, "")
        try:
            with store_errors():
                self._done_script(keys=[JOB + job.id, STREAM], args=[job.id, entry, LANE, GROUP])
            self._forget(job.id)
        finally:  # not recorded: it stays mine and is run again (its progress says it is done)
            with self._lock:
                self._running.discard(job.id)

    def _later(self, job_id: str, progress: str, at: float) -> None:
        try:
            with store_errors():
                self._update_script(keys=[JOB + job_id], args=[progress, at])
        finally:
            with self._lock:
                self._running.discard(job_id)
                if job_id in self._mine:
                    self._due[job_id] = at

    def _forget(self, job_id: str) -> None:
        with self._lock:
            self._mine.pop(job_id, None)
            self._due.pop(job_id, None)

    # ------------------------------------------------------------------ replicas that stopped

    def release_abandoned(self) -> int:
        with store_errors():
            return self._reclaim()

    def _say_alive(self) -> None:
        self._r.set(ALIVE + self.consumer, "1", px=int(ALIVE_S * 1000))

    def _stopped(self, consumer: str) -> bool:
        """Whether a consumer with pending entries has stopped: this host's earlier self (its
        process is gone, or its id is ours again: a container restarted), or any replica that
        has not said it is alive within ALIVE_S."""
        if consumer in _HERE:
            return False
        host, _, rest = consumer.partition(":")
        pid = rest.partition(":")[0]
        here = host == socket.gethostname() and pid.isdigit()
        if here and (int(pid) == os.getpid() or not _process_exists(int(pid))):
            return True
        return not self._r.exists(ALIVE + consumer)

    def _claim_from_stopped(self) -> int:
        """Claim at once every entry of consumers that stopped (see _stopped)."""
        taken = 0
        try:
            consumers = self._r.xinfo_consumers(STREAM, GROUP)
        except redis.ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            return 0  # the stream is gone: _read_new creates it again
        for consumer in consumers:
            name = consumer.get("name", "")
            if not consumer.get("pending") or not self._stopped(name):
                continue
            for _ in range(10):  # bounded: 10 × 100 entries per look
                held = self._r.xpending_range(
                    STREAM, GROUP, min="-", max="+", count=100, consumername=name
                )
                if not held:
                    break
                entries = [h["message_id"] for h in held]
                claimed = self._r.xclaim(STREAM, GROUP, self.consumer, CLAIM_MIN_IDLE_MS, entries)
                with self._lock:
                    for entry, fields in claimed:
                        if fields:  # None: the entry was deleted meanwhile
                            self._mine[fields.get("job", "")] = entry
                            taken += 1
                if len(claimed) < len(entries):
                    break  # another replica won the rest
        if taken:
            logger.info("took over %d pending job(s) from a replica that stopped", taken)
        return taken

    def _reclaim(self) -> int:
        """Take over the entries of replicas that stopped: at once when they stopped saying
        they are alive, else once idle longer than reclaim_s (the backstop)."""
        self._last_reclaim = time.monotonic()
        stopped, taken, start = self._claim_from_stopped(), 0, "0-0"
        for _ in range(10):  # bounded: 10 × 100 entries per look
            try:
                start, claimed, *_ = self._r.xautoclaim(
                    STREAM, GROUP, self.consumer, self._reclaim_ms, start, count=100
                )
            except redis.ResponseError as exc:
                if "NOGROUP" not in str(exc):
                    raise
                self._ensure_group()
                return stopped + taken
            with self._lock:
                for entry, fields in claimed:
                    if fields:  # None: the entry was deleted meanwhile
                        self._mine[fields.get("job", "")] = entry
                        taken += 1
            if start == "0-0":
                break
        if taken:
            logger.info("took over %d pending job(s) left idle by a replica", taken)
        if time.monotonic() - self._last_forget > FORGET_CONSUMERS_S / 10:
            self._forget_stopped_consumers()
        return stopped + taken

    def _forget_stopped_consumers(self) -> None:
        self._last_forget = time.monotonic()
        for consumer in self._r.xinfo_consumers(STREAM, GROUP):
            idle_ms = int(consumer.get("idle", 0))
            if consumer.get("pending") == 0 and idle_ms > FORGET_CONSUMERS_S * 1000:
                self._r.xgroup_delconsumer(STREAM, GROUP, consumer["name"])

    def _touch_loop(self) -> None:
        while not self._stop.wait(self._touch_every_s):
            try:
                self._say_alive()
            except redis.RedisError as exc:
                _trouble.warning("cannot say this replica is alive (%s)", exc)
            with self._lock:
                entries = {entry: job_id for job_id, entry in self._mine.items()}
            if not entries:
                continue
            try:
                lost = self._heartbeat_script(keys=[STREAM], args=[GROUP, self.consumer, *entries])
            except redis.RedisError as exc:
                _trouble.warning("cannot renew the hold on pending work (%s)", exc)
                continue
            for entry in lost:
                job_id = entries[entry]
                with self._lock:
                    running = job_id in self._running
                if running:
                    logger.warning("job %s was taken over by another replica while running", job_id)
                self._forget(job_id)

    def close(self) -> None:
        """Stop touching; give back what is held but not running, so others take it at once."""
        self._stop.set()
        _HERE.discard(self.consumer)
        with contextlib.suppress(redis.RedisError):
            self._r.delete(ALIVE + self.consumer)
        with self._lock:
            idle = [(j, e) for j, e in self._mine.items() if j not in self._running]
        if not idle:
            return
        try:
            given = self._give_back_script(
                keys=[STREAM],
                args=[GROUP, self.consumer, JOB, *(part for pair in idle for part in pair)],
            )
            logger.info("gave back %d pending job(s) to the other replicas", given)
        except redis.RedisError as exc:
            logger.warning("could not give back pending work (%s): taken over later", exc)

    # ------------------------------------------------------------------ looking

    def pending(self) -> int:
        """Jobs recorded and not done, in all replicas (the last known count while Redis is
        unreachable: /metrics keeps answering)."""
        with contextlib.suppress(redis.RedisError):
            self._depth = int(self._r.xlen(STREAM))
        return self._depth

    def next_due(self) -> float | None:
        with self._lock:
            dues = [
                self._due.get(job_id, 0.0) for job_id in self._mine if job_id not in self._running
            ]
        return min(dues) if dues else None

    def writable(self) -> bool:
        try:
            self._acks.set(PREFIX + "health", time.time(), ex=60)
            return True
        except redis.RedisError:
            return False
