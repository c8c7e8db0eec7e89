"""Record what really happened while botocore resolved credentials.

A :class:`Recorder` is attached to a botocore session's credential resolver. Each
call of ``load_credentials()`` becomes a :class:`Resolution`: every provider that
was consulted, what it returned or raised, how long it took, and the HTTP exchanges
it had with the instance-metadata or container endpoint. The diagnosis reuses these
instead of probing again, so a failure never waits twice for a timeout.

On the success path the cost is one ``perf_counter()`` pair per provider consulted
and one small object per resolution; nothing else runs.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import attrs

from ._redact import mask_key_id, redact_text

_LOG = logging.getLogger("botocore.credentials")


@attrs.frozen
class Exchange:
    """One HTTP request to a credential endpoint, and what came back.

    Attributes:
        method: ``PUT`` or ``GET``.
        url: The full URL requested (no secrets: tokens travel in headers).
        status: The HTTP status, or ``None`` when no response arrived.
        error: The exception class name and message when no response arrived.
        elapsed_ms: Wall time of the request.
        sent_token: Whether an IMDSv2 token or an authorization header was sent.
        body: A redacted summary of the response body: never the token, the secret
            or the session token.
    """

    method: str
    url: str
    status: int | None
    error: str | None
    elapsed_ms: float
    sent_token: bool = False
    body: Mapping[str, Any] = attrs.field(factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-serialisable form used in ``details``."""
        return {
            "method": self.method,
            "url": self.url,
            "status": self.status,
            "error": self.error,
            "elapsed_ms": round(self.elapsed_ms, 3),
            "sent_token": self.sent_token,
            "body": dict(self.body),
        }


@attrs.frozen
class Attempt:
    """What one provider did during a real resolution.

    Attributes:
        method: The provider's ``METHOD``.
        result: ``"found"``, ``"none"`` or ``"raised"``.
        duration_ms: Wall time of the provider's ``load()``.
        error: The exception the provider raised, if it raised.
        credential_method: ``Credentials.method`` of what it returned, if anything.
        exchanges: HTTP exchanges made while the provider ran.
    """

    method: str
    result: str
    duration_ms: float
    error: BaseException | None = attrs.field(default=None, eq=False)
    credential_method: str | None = None
    exchanges: tuple[Exchange, ...] = ()


@attrs.frozen
class Resolution:
    """One run of ``load_credentials()``: the attempts in the order they were made.

    Attributes:
        attempts: One per provider consulted; the chain stops at the first that
            returns credentials or raises.
        credentials: The credentials object the chain returned (kept in memory only,
            never rendered), or ``None``.
    """

    attempts: tuple[Attempt, ...]
    credentials: Any = attrs.field(default=None, eq=False, repr=False)

    def attempt(self, method: str) -> Attempt | None:
        """Return the attempt of the provider named *method*, if it was consulted."""
        for attempt in self.attempts:
            if attempt.method == method:
                return attempt
        return None


class Recorder:
    """Collects the resolutions of one botocore session, thread-safely."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._local = threading.local()
        self.last: Resolution | None = None

    # -- capture scopes ---------------------------------------------------------
    @contextmanager
    def capture(self) -> Iterator[list[Resolution]]:
        """Collect, in this thread, the resolutions made inside the ``with`` block."""
        stack: list[list[Resolution]] = self._stack()
        captured: list[Resolution] = []
        stack.append(captured)
        try:
            yield captured
        finally:
            stack.pop()

    def _stack(self) -> list[list[Resolution]]:
        stack: list[list[Resolution]] | None = getattr(self._local, "stack", None)
        if stack is None:
            stack = self._local.stack = []
        return stack

    def _publish(self, resolution: Resolution) -> None:
        with self._lock:
            self.last = resolution
        for captured in self._stack():
            captured.append(resolution)

    # -- exchanges --------------------------------------------------------------
    def _exchanges(self) -> list[Exchange] | None:
        current: list[Exchange] | None = getattr(self._local, "exchanges", None)
        return current

    def add_exchange(self, exchange: Exchange) -> None:
        """Attach *exchange* to the provider running in this thread, if any."""
        current = self._exchanges()
        if current is not None:
            current.append(exchange)

    # -- the instrumented chain ---------------------------------------------------
    def load_credentials(self, resolver: Any) -> Any:
        """Walk *resolver*'s providers exactly like botocore, recording each one.

        Mirrors ``botocore.credentials.CredentialResolver.load_credentials``: the
        first provider that returns something other than ``None`` wins and an
        exception stops the chain.
        """
        attempts: list[Attempt] = []
        creds = None
        try:
            for provider in resolver.providers:
                method = getattr(provider, "METHOD", type(provider).__name__)
                _LOG.debug("Looking for credentials via: %s", method)
                exchanges: list[Exchange] = []
                previous = getattr(self._local, "exchanges", None)
                self._local.exchanges = exchanges
                start = time.perf_counter()
                try:
                    creds = provider.load()
                except BaseException as exc:
                    attempts.append(
                        Attempt(
                            method=method,
                            result="raised",
                            duration_ms=_ms_since(start),
                            error=exc,
                            exchanges=tuple(exchanges),
                        )
                    )
                    raise
                finally:
                    self._local.exchanges = previous
                if creds is not None:
                    attempts.append(
                        Attempt(
                            method=method,
                            result="found",
                            duration_ms=_ms_since(start),
                            credential_method=getattr(creds, "method", None),
                            exchanges=tuple(exchanges),
                        )
                    )
                    return creds
                attempts.append(
                    Attempt(
                        method=method,
                        result="none",
                        duration_ms=_ms_since(start),
                        exchanges=tuple(exchanges),
                    )
                )
            return None
        finally:
            self._publish(Resolution(attempts=tuple(attempts), credentials=creds))


def _ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0


class RecordingHTTPSession:
    """Wraps botocore's ``URLLib3Session`` of an IMDS or container fetcher.

    Every ``send()`` is passed through unchanged and recorded as an
    :class:`Exchange` on the provider that is running in the current thread.
    """

    def __init__(self, inner: Any, recorder: Recorder) -> None:
        self._credsafe_inner = inner
        self._credsafe_recorder = recorder

    def __getattr__(self, name: str) -> Any:
        return getattr(self._credsafe_inner, name)

    def send(self, request: Any) -> Any:
        """Send *request* with the wrapped session and record the exchange."""
        start = time.perf_counter()
        method = str(getattr(request, "method", "?"))
        url = str(getattr(request, "url", "?"))
        headers = getattr(request, "headers", {}) or {}
        sent_token = any(
            str(h).lower() in {"x-aws-ec2-metadata-token", "authorization"}
            for h in headers
        )
        try:
            response = self._credsafe_inner.send(request)
        except BaseException as exc:
            self._record(
                Exchange(
                    method=method,
                    url=url,
                    status=None,
                    error=f"{type(exc).__name__}: {redact_text(_error_text(exc))}",
                    elapsed_ms=_ms_since(start),
                    sent_token=sent_token,
                )
            )
            raise
        self._record(
            Exchange(
                method=method,
                url=url,
                status=getattr(response, "status_code", None),
                error=None,
                elapsed_ms=_ms_since(start),
                sent_token=sent_token,
                body=summarize_body(method, url, response),
            )
        )
        return response

    def _record(self, exchange: Exchange) -> None:
        try:
            self._credsafe_recorder.add_exchange(exchange)
        except Exception:  # recording must never change what botocore sees
            return


_CREDENTIAL_KEYS = ("AccessKeyId", "SecretAccessKey", "Token", "Expiration")
_EXCERPT = 120
_EXCERPT_SCAN = 4096
# A run of secret-like characters at the end of a cut text: possibly half a secret.
_TRAILING_RUN = re.compile(r"[A-Za-z0-9/+=._-]+$")
_OBJECT_REPR = re.compile(r"<[^<>]* object at 0x[0-9a-fA-F]+>:?\s*")


def _error_text(exc: BaseException) -> str:
    """The message of *exc* plus its underlying reason (refused, unreachable...).

    botocore's connection errors name only the URL; the socket error that tells a
    refused connection from a missing route is in ``kwargs['error']``.
    """
    text = str(exc)
    reason = (getattr(exc, "kwargs", None) or {}).get("error")
    if reason is not None:
        text += f" ({_OBJECT_REPR.sub('', str(reason))})"
    return text


def summarize_body(method: str, url: str, response: Any) -> dict[str, Any]:
    """Summarise a response body without keeping any secret in it.

    The IMDSv2 token (the body of ``PUT /latest/api/token``) is never kept. For a
    JSON document, only its keys, ``Code``, ``Message``, ``Expiration``, ``Type``
    and the masked ``AccessKeyId`` are kept. For anything else, the length, the
    content type and a short redacted excerpt.
    """
    try:
        raw = getattr(response, "content", b"") or b""
        headers = getattr(response, "headers", {}) or {}
        content_type = headers.get("Content-Type") or headers.get("content-type")
        summary: dict[str, Any] = {"length": len(raw)}
        if content_type:
            summary["content_type"] = str(content_type)[:80]
        if method.upper() == "PUT" and url.rstrip("/").endswith("/api/token"):
            return summary
        text = raw.decode("utf-8", "replace")
        try:
            doc = json.loads(text)
        except ValueError:
            doc = None
        if isinstance(doc, dict):
            summary["json_keys"] = sorted(str(k) for k in doc)
            # IMDS says Code/Message; container endpoints may say code/message.
            lowered = {str(k).lower(): v for k, v in doc.items()}
            for key in ("code", "message", "expiration", "lastupdated", "type"):
                value = lowered.get(key)
                if isinstance(value, str | int | float) and not isinstance(value, bool):
                    summary[key] = redact_text(str(value))[:200]
            if isinstance(doc.get("AccessKeyId"), str):
                summary["access_key_id"] = mask_key_id(doc["AccessKeyId"])
            summary["missing_keys"] = [k for k in _CREDENTIAL_KEYS if k not in doc]
            return summary
        if url.rstrip("/").endswith("/security-credentials"):
            # The role listing: role names are not secret.
            summary["lines"] = [line.strip() for line in text.splitlines()][:5]
            return summary
        summary["json"] = False
        summary["excerpt"] = _excerpt(text)
    except Exception:
        return {}
    return summary


def _excerpt(text: str) -> str:
    """The start of *text*, redacted before it is cut.

    A secret cut in two by the excerpt's end would be too short to be
    recognised, and half a secret is still a leak.
    """
    head = text[:_EXCERPT_SCAN]
    if len(text) > _EXCERPT_SCAN:
        head = _TRAILING_RUN.sub("", head)
    return redact_text(head)[:_EXCERPT]
