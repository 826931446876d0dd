"""uvicorn's HTTP/1.1 protocol (h11) with a deadline for a request's headers.

uvicorn closes a keep-alive connection that stays silent, but a client that sends its headers a
byte at a time (or opens a connection and sends a few bytes) is held forever: its idle timer is
cancelled by the first byte and nothing else is armed. Slack sends a whole request in well under
a second, so a request whose headers are not complete HEADERS_TIMEOUT_S after the connection
opened (or after the previous response) is from something else, and its connection is closed.
The body has its own deadline, in the app (http_body.py).
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEADERS_TIMEOUT_S = 5.0


class HeaderDeadlineProtocol(H11Protocol):
    headers_timeout_s = HEADERS_TIMEOUT_S
    _headers_due: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_headers()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._await_headers()  # the next request on this connection gets the same deadline

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel()
        super().connection_lost(exc)

    def _await_headers(self) -> None:
        self._cancel()
        self._headers_due = self.loop.call_later(self.headers_timeout_s, self._headers_late)

    def _cancel(self) -> None:
        if self._headers_due is not None:
            self._headers_due.cancel()
            self._headers_due = None

    def _headers_late(self) -> None:
        self._headers_due = None
        # IDLE: the client has not completed a request line and its headers.
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()
