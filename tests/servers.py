"""Real HTTP servers on 127.0.0.1 that speak the IMDS and container protocols.

Each server runs in a daemon thread, records every request it receives, and has a
``behaviour`` that tests change to produce each failure botocore can meet. Nothing
here ever listens on or contacts an address outside 127.0.0.0/8.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs

ACCESS_KEY = "ASIAIMDSEXAMPLE12345"
SECRET_KEY = "imdsSecretKeyEXAMPLE0123456789abcdefGHIJ"
SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLEimdsSessionToken0123456789abcdefGHIJKLMNOP"
IMDS_TOKEN = "AQAEAIMDSv2TokenEXAMPLE0123456789abcdefGHIJKLMNOPqrstuv=="


def credentials_document(*, expires_in: timedelta = timedelta(hours=6), **overrides: Any) -> dict[str, Any]:
    """An IMDS/container credentials document with realistic fake secrets."""
    doc: dict[str, Any] = {
        "Code": "Success",
        "LastUpdated": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Type": "AWS-HMAC",
        "AccessKeyId": ACCESS_KEY,
        "SecretAccessKey": SECRET_KEY,
        "Token": SESSION_TOKEN,
        "Expiration": (datetime.now(timezone.utc) + expires_in).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    doc.update(overrides)
    return {k: v for k, v in doc.items() if v is not None}


@attrs.define
class Reply:
    """What the server answers to one route: a status and a body, or silence."""

    status: int = 200
    body: bytes | str | dict[str, Any] = b""
    content_type: str = "text/plain"
    hang: bool = False  # accept the request and never answer (until the test ends)

    def payload(self) -> bytes:
        if isinstance(self.body, dict):
            return json.dumps(self.body).encode()
        if isinstance(self.body, str):
            return self.body.encode()
        return self.body


@attrs.define
class Request:
    method: str
    path: str
    headers: dict[str, str]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return

    def _serve(self) -> None:
        owner = self.server.owner
        owner.requests.append(
            Request(method=self.command, path=self.path, headers={k.lower(): v for k, v in self.headers.items()})
        )
        reply = owner.route(self.command, self.path, self.headers)
        if reply.hang:
            owner.stop_event.wait(30)
            return
        payload = reply.payload()
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default listen backlog is 5: 32 threads connecting at once
    # would see dropped SYNs and a one-second retransmit (a fake timeout).
    request_queue_size = 128
    owner: LoopbackServer


class LoopbackServer:
    """Base of the protocol servers: start, stop, URL, recorded requests."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.stop_event = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def route(self, method: str, path: str, headers: Any) -> Reply:  # pragma: no cover
        raise NotImplementedError


class IMDSServer(LoopbackServer):
    """Speaks IMDSv2/v1: token PUT, role listing, credentials document.

    Change the attributes to produce each case: ``token`` (the PUT reply),
    ``role_list`` and ``credentials`` (the GET replies), ``require_token`` (answer
    401 to GETs without a valid token, as an instance with HttpTokens=required).
    """

    def __init__(self, role: str = "app-role") -> None:
        super().__init__()
        self.role = role
        self.token = Reply(200, IMDS_TOKEN)
        self.role_list: Reply | None = None
        self.credentials: Reply | None = None
        self.require_token = False

    def route(self, method: str, path: str, headers: Any) -> Reply:
        if method == "PUT" and path == "/latest/api/token":
            return self.token
        if self.require_token and headers.get("x-aws-ec2-metadata-token") != IMDS_TOKEN:
            return Reply(401, "")
        if method == "GET" and path == "/latest/meta-data/iam/security-credentials/":
            return self.role_list or Reply(200, self.role)
        if method == "GET" and path == f"/latest/meta-data/iam/security-credentials/{self.role}":
            return self.credentials or Reply(200, credentials_document(), "application/json")
        return Reply(404, "Not Found")


class ContainerServer(LoopbackServer):
    """Speaks the ECS/EKS container-credentials protocol on any path.

    ``expected_token``: when set, requests without that Authorization header get 401.
    """

    def __init__(self) -> None:
        super().__init__()
        self.reply = Reply(200, credentials_document(), "application/json")
        self.expected_token: str | None = None

    def route(self, method: str, path: str, headers: Any) -> Reply:
        if self.expected_token is not None and headers.get("Authorization") != self.expected_token:
            return Reply(401, {"code": "AccessDenied", "message": "bad token"}, "application/json")
        return self.reply


class SilentServer:
    """Accepts TCP connections on 127.0.0.1 and never answers."""

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._conns: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}/"

    def _accept(self) -> None:
        self._sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            self._conns.append(conn)

    def start(self) -> SilentServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(2)
        for conn in self._conns:
            conn.close()
        self._sock.close()


def closed_port_url() -> str:
    """A loopback URL where nothing listens: connections are refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    time.sleep(0)
    return f"http://127.0.0.1:{port}/"


class ProxyServer(LoopbackServer):
    """An HTTP proxy that answers every request itself with an HTML page.

    This is what a corporate proxy does to IMDS traffic when NO_PROXY does not
    cover the metadata address: requests arrive with absolute URLs and get a login
    or error page back.
    """

    PAGE = "<html><head><title>Proxy login</title></head><body>Sign in</body></html>"

    def __init__(self, status: int = 200) -> None:
        super().__init__()
        self.status = status

    def route(self, method: str, path: str, headers: Any) -> Reply:
        return Reply(self.status, self.PAGE, "text/html")


def guard_loopback(monkeypatch: Any) -> list[tuple[str, int]]:
    """Make any connection outside loopback fail loudly; return the addresses used.

    Installed by the IMDS/container tests so that a bug can never send a probe to
    169.254.169.254, 169.254.170.2 or fd00:ec2::: the connection raises before any
    packet leaves, and the test fails on the recorded address.
    """
    import ipaddress

    seen: list[tuple[str, int]] = []
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            host = str(address[0])
            seen.append((host, int(address[1])))
            if not ipaddress.ip_address(host.split("%", 1)[0]).is_loopback:
                raise AssertionError(f"test tried to connect outside loopback: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return seen
