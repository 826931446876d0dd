"""A stand-in for Slack's Socket Mode endpoint: a minimal WebSocket server (RFC 6455, text
frames, ping/pong, close) on 127.0.0.1 that pushes envelopes to the app and records its acks.

slack_sdk's built-in client connects without TLS to any port but 443, which is what lets a test
run it against loopback.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import socket
import struct
import threading
import time
from typing import Any

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


class SocketModeStandIn:
    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(4)
        self.url = f"ws://127.0.0.1:{self._listener.getsockname()[1]}/link/?ticket=stand-in"
        self.received: list[dict[str, Any]] = []
        self.connected = threading.Event()
        self._changed = threading.Condition()
        self._client: socket.socket | None = None
        self._send_lock = threading.Lock()
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    # ------------------------------------------------------------------ server side

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = client.recv(4096)
            if not chunk:
                return
            request += chunk
        headers = dict(
            line.split(": ", 1) for line in request.decode().split("\r\n")[1:] if ": " in line
        )
        key = {k.lower(): v for k, v in headers.items()}["sec-websocket-key"].strip()
        accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
        client.sendall(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Accept: {accept}\r\n\r\n".encode()
        )
        self._client = client
        self.send(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0000APP01"}}
        )
        self.connected.set()
        with contextlib.suppress(OSError):
            self._read_frames(client)

    def _read_exact(self, client: socket.socket, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = client.recv(n - len(data))
            if not chunk:
                raise OSError("closed")
            data += chunk
        return data

    def _read_frames(self, client: socket.socket) -> None:
        while True:
            first, second = self._read_exact(client, 2)
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read_exact(client, 2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read_exact(client, 8))[0]
            mask = self._read_exact(client, 4) if second & 0x80 else b"\0\0\0\0"
            payload = bytes(b ^ mask[i % 4] for i, b in enumerate(self._read_exact(client, length)))
            if opcode == 0x1:
                with self._changed:
                    self.received.append(json.loads(payload))
                    self._changed.notify_all()
            elif opcode == 0x9:
                self._send_frame(0xA, payload)
            elif opcode == 0x8:
                self._send_frame(0x8, payload[:2])
                client.close()
                return

    def _send_frame(self, opcode: int, payload: bytes) -> None:
        header = bytes([0x80 | opcode])
        if len(payload) < 126:
            header += bytes([len(payload)])
        elif len(payload) < 65536:
            header += bytes([126]) + struct.pack(">H", len(payload))
        else:
            header += bytes([127]) + struct.pack(">Q", len(payload))
        assert self._client is not None
        with self._send_lock:
            self._client.sendall(header + payload)

    # ------------------------------------------------------------------ test side

    def send(self, envelope: dict[str, Any]) -> None:
        self._send_frame(0x1, json.dumps(envelope).encode())

    def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for message in self.received:
                    if message.get("envelope_id") == envelope_id:
                        return message
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no ack for envelope {envelope_id} in {timeout}s")
                self._changed.wait(left)

    def stop(self) -> None:
        self._stopped = True
        self._listener.close()
        if self._client:
            self._client.close()
