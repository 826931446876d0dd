"""What a store raises when it cannot do its job now; callers of every backend handle it."""


class StoreUnavailable(Exception):
    """The store could not record the work (disk full, locked, Redis unreachable): do not ack,
    Slack will retry; /healthz says 503."""
