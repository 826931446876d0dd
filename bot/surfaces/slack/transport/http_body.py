"""Reading a request body with a size limit and a deadline, chunk by chunk.

Starlette's `request.body()` reads everything before anyone can look at its size, so a chunked
body without Content-Length (or one that lies about it) was buffered whole before the 413. Here
the body is counted as it arrives and refused the moment it passes the limit; uvicorn pauses
reading at 64 KB buffered, so at most about limit + 64 KB is ever held. A body that does not
arrive within the deadline is refused too (Slack sends its few KB at once), and a client that
goes away mid-body is a normal event, not an error.
"""

from __future__ import annotations

import anyio
from starlette.requests import ClientDisconnect, Request

BODY_TIMEOUT_S = 5.0


class BodyRefused(Exception):
    """The body was not read: `status` says why (413 too large, 408 too slow, 400 gone)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


async def read_body(request: Request, limit: int, timeout_s: float = BODY_TIMEOUT_S) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and len(declared) < 20 and int(declared) > limit:
        raise BodyRefused(413, "declared too large")
    body = bytearray()
    try:
        with anyio.fail_after(timeout_s):
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise BodyRefused(413, "too large")
    except TimeoutError as exc:
        raise BodyRefused(408, "body too slow") from exc
    except ClientDisconnect as exc:
        raise BodyRefused(400, "client went away") from exc
    return bytes(body)
