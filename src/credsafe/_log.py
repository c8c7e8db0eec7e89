"""Structured log events of credential failures; credsafe never configures logging.

Where events go depends on what the application configured, never on credsafe:

- structlog configured (``structlog.is_configured()``): through
  ``structlog.get_logger("credsafe")``, fetched at every use like stamina does, so
  configuring structlog after importing credsafe works. The event name is the
  ``event`` and the keys are flat snake_case keys; the application's processors
  decide levels, rendering and destination.
- structlog not configured: through the stdlib logger ``credsafe``, with the same
  keys as ``extra=`` attributes of the record (and ``event`` for the event name),
  and a readable message. stdlib's own levels apply: debug events cost nothing
  unless ``credsafe`` is enabled for DEBUG. An application that configured nothing
  gets exactly one line on stderr per failure (stdlib's last-resort handler
  prints WARNING and above), and nothing on stdout. structlog's unconfigured
  default would print every debug event to stdout: that is why it is not used.

Events (see docs/logging.md for every key and its type):

- ``credsafe.source_consulted`` (debug): one per credential source of a failure.
- ``credsafe.credentials_failed`` (error): one per failure, with the root cause.
- ``credsafe.credentials_resolved`` (info): the opt-in success trace.

Exactly one failure event per failure: a failure seen again (the same exception
object re-raised through another hook, or the same cause for the same session and
resolution within :data:`DEDUPE_WINDOW` seconds, as when every s3transfer worker
thread of a multipart upload fails at once) is folded into the first event.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Not imported at run time: _model imports attrs, which `import credsafe`
    # must not pay for (docs/performance.md).
    from ._model import Diagnosis

from ._redact import mask_key_id, redact_text

LOGGER_NAME = "credsafe"

SOURCE_CONSULTED = "credsafe.source_consulted"
CREDENTIALS_FAILED = "credsafe.credentials_failed"
CREDENTIALS_RESOLVED = "credsafe.credentials_resolved"

#: Seconds during which the same cause, for the same session and resolution, is
#: one failure: long enough for every worker thread of one transfer to fail and be
#: diagnosed (diagnosis probes are bounded by a 2-second budget).
DEDUPE_WINDOW = 5.0
_DEDUPE_KEYS_KEPT = 256

TRACE_ENV_VAR = "CREDSAFE_TRACE"
_TRUE = frozenset({"1", "true", "yes", "on"})


def _trace_from_env(environ: Mapping[str, str]) -> bool:
    return environ.get(TRACE_ENV_VAR, "").strip().lower() in _TRUE


_trace_enabled = _trace_from_env(os.environ)


def enable_success_trace(enabled: bool = True) -> None:
    """Log which credential source supplied credentials, once per resolution.

    Off by default: on the success path credsafe logs nothing and does no work.
    When on, every resolution of the credential chain that finds credentials logs
    one ``credsafe.credentials_resolved`` event at info level, built from what
    was recorded while botocore resolved (no extra I/O). Setting the environment
    variable ``CREDSAFE_TRACE=1`` before credsafe is imported has the same effect.

    Args:
        enabled: ``False`` turns the trace off again.
    """
    global _trace_enabled  # noqa: PLW0603
    _trace_enabled = bool(enabled)


def success_trace_enabled() -> bool:
    """Tell whether the success trace is on (see :func:`enable_success_trace`)."""
    return _trace_enabled


# -- emission ------------------------------------------------------------------
_METHODS = {logging.DEBUG: "debug", logging.INFO: "info", logging.ERROR: "error"}


def _stdlib_logger() -> logging.Logger:
    return logging.getLogger(LOGGER_NAME)


def _configured_structlog() -> Any:
    """Return structlog if the application configured it, else ``None``.

    credsafe never imports structlog itself (that costs more than 20 ms, a fifth
    of ``import boto3``): an application that configured structlog has imported
    it, so a structlog missing from ``sys.modules`` is an unconfigured one.
    """
    module = sys.modules.get("structlog")
    if module is not None and module.is_configured():
        return module
    return None


def _structlog_logger(structlog: Any) -> Any:
    # Fetched at every use, like stamina: the application may configure structlog
    # after importing credsafe.
    return structlog.get_logger(LOGGER_NAME)


def _enabled(level: int) -> bool:
    """Tell whether an event at *level* can go anywhere (to skip building it)."""
    if _configured_structlog() is not None:
        return True  # the application's processors decide
    return _stdlib_logger().isEnabledFor(level)


def _emit(level: int, event: str, fields: dict[str, Any], message: str) -> None:
    structlog = _configured_structlog()
    if structlog is not None:
        getattr(_structlog_logger(structlog), _METHODS[level])(event, **fields)
        return
    logger = _stdlib_logger()
    if logger.isEnabledFor(level):
        logger.log(level, "%s: %s", event, message, extra={"event": event, **fields})


# -- failures --------------------------------------------------------------------
class _Recent:
    """The last event of one failure key, and the duplicates folded into it."""

    __slots__ = ("folded", "last", "refs")

    def __init__(self, last: float, scope: tuple[Any, ...]) -> None:
        self.last = last
        self.folded = 0
        # Weak references: a session must not be kept alive by its log history.
        self.refs = tuple(_weak(obj) for obj in scope)

    def same_scope(self, scope: tuple[Any, ...]) -> bool:
        return len(scope) == len(self.refs) and all(
            ref() is obj for ref, obj in zip(self.refs, scope, strict=True)
        )


def _weak(obj: Any) -> Callable[[], Any]:
    if obj is None:
        return lambda: None
    try:
        return weakref.ref(obj)
    except TypeError:
        return lambda: obj


class _Deduper:
    """Decides whether a failure is new, thread-safely."""

    def __init__(self, window: float) -> None:
        self.window = window
        self._lock = threading.Lock()
        self._seen: weakref.WeakSet[BaseException] = weakref.WeakSet()
        self._recent: OrderedDict[tuple[Any, ...], _Recent] = OrderedDict()

    def admit(
        self,
        exceptions: tuple[BaseException, ...],
        scope: tuple[Any, ...],
        cause: tuple[Any, ...],
    ) -> int | None:
        """Return the number of duplicates folded since the last event, or ``None``.

        ``None`` means the failure was already logged: one of *exceptions* was, or
        the same *cause* in the same *scope* was, less than ``window`` seconds ago.
        """
        now = time.monotonic()
        key = (tuple(id(obj) for obj in scope), *cause)
        with self._lock:
            if any(self._is_seen(exc) for exc in exceptions):
                return None
            for exc in exceptions:
                self._mark(exc)
            entry = self._recent.get(key)
            if entry is not None and not entry.same_scope(scope):
                entry = None  # an id() reused by a new object: another scope
            if entry is not None and now - entry.last < self.window:
                entry.folded += 1
                return None
            folded = 0 if entry is None else entry.folded
            self._recent[key] = _Recent(now, scope)
            self._recent.move_to_end(key)
            while len(self._recent) > _DEDUPE_KEYS_KEPT:
                self._recent.popitem(last=False)
            return folded

    def _is_seen(self, exc: BaseException) -> bool:
        try:
            return exc in self._seen
        except TypeError:  # an exception class that cannot be weakly referenced
            return False

    def _mark(self, exc: BaseException) -> None:
        try:
            self._seen.add(exc)
        except TypeError:
            return

    def clear(self) -> None:
        """Forget every failure (tests)."""
        with self._lock:
            self._seen = weakref.WeakSet()
            self._recent.clear()


_DEDUPER = _Deduper(DEDUPE_WINDOW)


def _clean(text: str | None) -> str | None:
    # Summaries are sanitised by the replay already; this is a second net.
    return None if text is None else redact_text(text)


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def credential_failure(
    diagnosis: Diagnosis,
    *,
    exception: BaseException,
    exception_class: str | None = None,
    service: str | None = None,
    operation: str | None = None,
    scope: tuple[Any, ...] = (),
    also: tuple[BaseException, ...] = (),
) -> bool:
    """Log one failure: a debug event per source consulted, then one error event.

    Sources botocore never reached (status ``skipped``) get no debug event; their
    position in the chain stays visible through ``position``.

    Args:
        diagnosis: The diagnosis of the failure.
        exception: The exception botocore raised.
        exception_class: The class name the caller receives, when it differs
            from ``type(exception)``.
        service: The service of the failed call, if known.
        operation: The operation of the failed call, if known.
        scope: Objects identifying where the failure happened (the session state
            and the recorded resolution); a failure with the same cause in the
            same scope within :data:`DEDUPE_WINDOW` seconds is not logged again.
        also: Other exception objects of the same failure (the enriched one).

    Returns:
        Whether events were emitted (``False`` for a duplicate).
    """
    root = diagnosis.root_cause
    cls = exception_class or type(exception).__name__
    cause = (
        cls,
        service,
        diagnosis.profile.name,
        None if root is None else root.source,
        None if root is None else root.code,
    )
    folded = _DEDUPER.admit((exception, *also), scope, cause)
    if folded is None:
        return False

    from ._model import Status  # noqa: PLC0415

    failure_id = uuid.uuid4().hex[:16]
    if _enabled(logging.DEBUG):
        for position, report in enumerate(diagnosis.sources):
            if report.status is Status.SKIPPED:
                continue  # botocore never reached it: nothing was consulted
            fields: dict[str, Any] = {
                "failure_id": failure_id,
                "position": position,
                "source": report.source,
                "status": report.status.value,
                "code": report.code,
                "duration_ms": _ms(report.duration_ms),
            }
            took = (
                "" if report.duration_ms is None else f" in {fields['duration_ms']} ms"
            )
            _emit(
                logging.DEBUG,
                SOURCE_CONSULTED,
                fields,
                f"{report.source}: {report.status.value} ({report.code}){took}",
            )

    summary = None if root is None else _clean(root.summary)
    hint = None if root is None or not root.hints else _clean(root.hints[0])
    fields = {
        "failure_id": failure_id,
        "exception_class": cls,
        "service": service,
        "operation": operation,
        "profile": diagnosis.profile.name,
        "profile_origin": diagnosis.profile.origin,
        "outcome": diagnosis.outcome.value,
        "resolved_by": diagnosis.resolved_by,
        "source": None if root is None else root.source,
        "status": None if root is None else root.status.value,
        "code": None if root is None else root.code,
        "summary": summary,
        "hint": hint,
        "duplicates_suppressed": folded,
    }
    where = ".".join(part for part in (service, operation) if part)
    because = (
        "no root cause identified"
        if root is None
        else f"root cause {root.source} [{root.status.value}, {root.code}]: {summary}"
    )
    _emit(
        logging.ERROR,
        CREDENTIALS_FAILED,
        fields,
        f"{cls}{' in ' + where if where else ''} for profile "
        f"{diagnosis.profile.name!r} ({diagnosis.profile.origin}); {because}",
    )
    return True


# -- the success trace -------------------------------------------------------------
def _access_key_id(credentials: Any) -> str | None:
    # Read the instance dict only: the ``access_key`` property of refreshable
    # credentials may refresh them (network), and deferred ones fetch on access.
    try:
        state = vars(credentials)
    except TypeError:
        return None
    value = state.get("_access_key", state.get("access_key"))
    return mask_key_id(value) if isinstance(value, str) else None


def credentials_resolved(
    resolution: Any,
    *,
    profile: str,
    profile_origin: str,
) -> None:
    """Log the opt-in ``credsafe.credentials_resolved`` event for *resolution*.

    Call only when :func:`success_trace_enabled` is true and the resolution found
    credentials; everything comes from the recorded resolution.
    """
    winner = next((a for a in resolution.attempts if a.result == "found"), None)
    if winner is None or not _enabled(logging.INFO):
        return
    fields: dict[str, Any] = {
        "source": winner.method,
        "credential_method": winner.credential_method,
        "profile": profile,
        "profile_origin": profile_origin,
        "sources_consulted": len(resolution.attempts),
        "duration_ms": _ms(sum(a.duration_ms for a in resolution.attempts)),
        "access_key_id": _access_key_id(resolution.credentials),
    }
    _emit(
        logging.INFO,
        CREDENTIALS_RESOLVED,
        fields,
        f"credentials from {winner.method} for profile {profile!r} ({profile_origin})",
    )
