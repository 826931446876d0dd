"""/metrics on a listener of its own (PROGRAMME_BOT_METRICS_ADDR, loopback by default).

The Slack port faces the internet (Slack must reach it); metrics say how busy the service is,
which channels fail and which Slack errors it meets, so they are not served there. Prometheus
scrapes this address over a private network (compose: the internal one), in both HTTP and
Socket Mode. prometheus_client's small threaded server does the serving.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import start_http_server


class MetricsUnavailable(Exception):
    """The address cannot be listened on; the message is one line for the operator."""


def serve_metrics(address: tuple[str, int]) -> Callable[[], None]:
    """Start serving at `address`; returns the function that stops it."""
    host, port = address
    try:
        server, thread = start_http_server(port, addr=host)
    except OSError as exc:
        raise MetricsUnavailable(
            f"cannot serve metrics on {host}:{port} ({exc.strerror or exc}): "
            "set PROGRAMME_BOT_METRICS_ADDR to a free host:port, or off"
        ) from exc

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return stop
