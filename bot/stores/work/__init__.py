"""Durable work (pending jobs and event dedupe): the interface and its records in base.py, one
module per backend (sqlite.py, redis.py). deps.Stores.open picks one."""

from bot.stores.work.base import EVENT_TTL_S, Job, Later, StoreUnavailable, WorkQueue

__all__ = ["EVENT_TTL_S", "Job", "Later", "StoreUnavailable", "WorkQueue"]
