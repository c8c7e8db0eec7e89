"""Bounded probes of the IMDS and container endpoints, when nothing was recorded.

A :class:`credsafe.Session` records the exchanges of the original resolution and
the diagnosis reads them; nothing is probed again. Without a recording
(``credsafe.wrap`` of a foreign client, ``credsafe doctor``, ``credsafe.diagnose()``)
the diagnosis asks the endpoints itself, with botocore's own classes so that the
probe sends exactly what botocore sends, to exactly the address botocore would use:

- IMDS: a fresh ``InstanceMetadataFetcher`` built from the fresh provider's
  settings (base URL, disabled flags, IMDSv1 setting, User-Agent, proxies from the
  environment) with a short timeout and one attempt per request, wrapped in a
  :class:`~credsafe._recording.RecordingHTTPSession`, driven by
  ``InstanceMetadataProvider.load()``.
- Container: ``ContainerProvider.load()`` over a ``ContainerMetadataFetcher``
  configured for one attempt, no sleep and a short timeout. botocore's own host
  check, token-file reading and header validation run unchanged, before any I/O.

Every request's timeout is cut to what is left of the diagnosis' single budget
(``ReplayContext.remaining()``), so a silent endpoint can never make the diagnosis
outlast it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import attrs

from ._recording import Attempt, Exchange, Recorder, RecordingHTTPSession

if TYPE_CHECKING:
    from ._explain._base import ReplayContext


#: The longest any single probe request may wait, whatever botocore's setting.
PER_REQUEST_CAP = 1.0
#: Below this many seconds of budget a probe is not started at all.
MIN_REQUEST_TIMEOUT = 0.05
#: Requests one IMDS probe can make in the worst case: token PUT, two GETs.
IMDS_REQUESTS = 3
#: Seconds of the budget kept back for the rest of the diagnosis.
MARGIN = 0.1


@attrs.frozen
class ProbeResult:
    """What a probe did.

    Attributes:
        attempt: The provider's outcome and exchanges, shaped like a recorded
            attempt so that explainers classify both the same way.
        timeout: The per-request timeout used, in seconds.
        attempts_per_request: How many times each request was tried (always 1).
    """

    attempt: Attempt
    timeout: float
    attempts_per_request: int = 1

    def details(self) -> dict[str, Any]:
        """Facts about the probe for a report's ``details``."""
        return {
            "probed": True,
            "probe_timeout_s": round(self.timeout, 1),
            "probe_attempts_per_request": self.attempts_per_request,
        }


class _ProbeRecorder(Recorder):
    """Collects the exchanges of one probe, whatever thread it runs in."""

    def __init__(self) -> None:
        super().__init__()
        self.exchanges: list[Exchange] = []

    def add_exchange(self, exchange: Exchange) -> None:
        self.exchanges.append(exchange)


def skip_reason(ctx: ReplayContext, provider: Any) -> str | None:
    """Why the source of *provider* must not be probed now, or ``None`` to probe."""
    if ctx.resolution is not None:
        return "the recorded resolution never reached it"
    if not ctx.network:
        return "network probes are switched off"
    if provider is None:
        return "botocore could not build its credential chain"
    stopped_by = getattr(ctx, "stopped_by", None)
    if stopped_by is not None:
        return f"botocore stops at {stopped_by} before reaching it"
    if ctx.remaining() - MARGIN < MIN_REQUEST_TIMEOUT:
        return "the diagnosis' probe budget is used up"
    return None


def _timeout(ctx: ReplayContext, configured: float, requests: int) -> float:
    return max(
        MIN_REQUEST_TIMEOUT,
        min(
            float(configured),
            PER_REQUEST_CAP,
            (ctx.remaining() - MARGIN) / max(1, requests),
        ),
    )


def _remember(ctx: ReplayContext, creds: Any) -> None:
    fields = getattr(creds, "__dict__", {})
    for name in ("secret_key", "_secret_key", "token", "_token"):
        value = fields.get(name)
        if isinstance(value, str) and value:
            ctx.secrets.add(value)


def _run(
    ctx: ReplayContext, method: str, provider: Any, rec: _ProbeRecorder
) -> Attempt:
    start = time.perf_counter()
    try:
        creds = provider.load()
    except Exception as exc:
        return Attempt(
            method=method,
            result="raised",
            duration_ms=(time.perf_counter() - start) * 1000,
            error=exc,
            exchanges=tuple(rec.exchanges),
        )
    elapsed = (time.perf_counter() - start) * 1000
    if creds is None:
        return Attempt(
            method=method,
            result="none",
            duration_ms=elapsed,
            exchanges=tuple(rec.exchanges),
        )
    _remember(ctx, creds)
    return Attempt(
        method=method,
        result="found",
        duration_ms=elapsed,
        credential_method=getattr(creds, "method", None),
        exchanges=tuple(rec.exchanges),
    )


def probe_imds(ctx: ReplayContext, provider: Any) -> ProbeResult:
    """Ask the instance metadata service for credentials, exactly like botocore.

    *provider* is the fresh ``InstanceMetadataProvider``; its fetcher's settings
    are copied (never its HTTP session, never its state).
    """
    from botocore.credentials import InstanceMetadataProvider  # noqa: PLC0415
    from botocore.utils import InstanceMetadataFetcher  # noqa: PLC0415

    live = provider._role_fetcher
    timeout = _timeout(ctx, getattr(live, "_timeout", 1), IMDS_REQUESTS)
    fetcher = InstanceMetadataFetcher(
        timeout=timeout,
        num_attempts=1,
        base_url=live.get_base_url(),
        env=dict(ctx.environ),
        user_agent=getattr(live, "_user_agent", None),
        config=dict(getattr(live, "_config", {}) or {}),
    )
    rec = _ProbeRecorder()
    fetcher._session = RecordingHTTPSession(fetcher._session, rec)
    attempt = _run(
        ctx, "iam-role", InstanceMetadataProvider(iam_role_fetcher=fetcher), rec
    )
    return ProbeResult(attempt=attempt, timeout=timeout)


def probe_container(ctx: ReplayContext, provider: Any) -> ProbeResult:
    """Ask the container credentials endpoint once, exactly like botocore.

    botocore's ``ContainerProvider`` is used with the diagnosed environment and a
    fetcher configured for a single attempt without sleeping; its URL selection,
    host check and authorization header are botocore's own.
    """
    from botocore.credentials import ContainerProvider  # noqa: PLC0415
    from botocore.httpsession import URLLib3Session  # noqa: PLC0415
    from botocore.utils import ContainerMetadataFetcher  # noqa: PLC0415

    del provider  # the fresh provider reads the live os.environ; use the snapshot
    configured = float(ContainerMetadataFetcher.TIMEOUT_SECONDS)
    timeout = _timeout(ctx, configured, 1)

    class _OneShotFetcher(ContainerMetadataFetcher):  # type: ignore[misc]
        RETRY_ATTEMPTS = 1
        SLEEP_TIME = 0
        TIMEOUT_SECONDS = timeout

    rec = _ProbeRecorder()
    fetcher = _OneShotFetcher(
        session=RecordingHTTPSession(URLLib3Session(timeout=timeout), rec),
        sleep=lambda _seconds: None,
    )
    probe_provider = ContainerProvider(environ=dict(ctx.environ), fetcher=fetcher)
    attempt = _run(ctx, "container-role", probe_provider, rec)
    return ProbeResult(attempt=attempt, timeout=timeout)
