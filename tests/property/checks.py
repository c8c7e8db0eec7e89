"""Checks shared by the guarantee tests: every output channel, the schema, the audit hook."""

from __future__ import annotations

import contextlib
import contextvars
import ipaddress
import json
import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any, TypeVar

import jsonschema
import structlog
from structlog.testing import capture_logs

from credsafe import _log

_T = TypeVar("_T")

SCHEMA = json.loads(
    resources.files("credsafe").joinpath("schema/diagnosis-1.json").read_text()
)
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def schema_errors(document: dict[str, Any]) -> list[str]:
    """Every violation of ``credsafe.diagnosis/1`` in *document*."""
    return [
        f"{list(e.path)}: {e.message}"
        for e in sorted(VALIDATOR.iter_errors(document), key=lambda e: list(e.path))
    ]


def assert_valid(document: dict[str, Any]) -> None:
    assert schema_errors(document) == []


def exception_texts(exc: BaseException) -> list[str]:
    """What a caller can read from an exception: str, repr, notes, the diagnosis as JSON."""
    texts = [str(exc), repr(exc), *map(str, getattr(exc, "__notes__", []))]
    diagnosis = getattr(exc, "diagnosis", None)
    if diagnosis is not None:
        texts.append(json.dumps(diagnosis.to_dict()))
    cause = exc.__cause__
    if cause is not None and getattr(cause, "__notes__", None):
        texts.extend(map(str, cause.__notes__))
    return texts


FRAGMENT = 12
_PUBLIC_PREFIXES = ("IQoJb3JpZ2luX2Vj", "aoa")


def fragments(secret: str) -> set[str]:
    """Every FRAGMENT-character window of the random part of *secret*.

    A cut-off secret (the first 12 characters of a 40-character key at the
    end of a truncated excerpt) is a leak too. The public parts are left out: the
    constant prefix of session and SSO tokens, and a JWT's header and claims
    (only its signature is random).
    """
    core = secret.strip()
    if core.count(".") == 2 and core.startswith("eyJ"):
        core = core.rsplit(".", 1)[1]
    for prefix in _PUBLIC_PREFIXES:
        core = core.removeprefix(prefix)
    windows = {core[i : i + FRAGMENT] for i in range(max(1, len(core) - FRAGMENT + 1))}
    # Windows of a shrunk example ("000000000000") could match by chance.
    return {w for w in windows if len(set(w)) >= 6}


def assert_no_secret(texts: list[str], secrets: list[str]) -> None:
    """No secret, nor any 12-character fragment of its random part, in any text."""
    for secret in secrets:
        needles = {secret, secret.strip()}
        for text in texts:
            for needle in needles:
                assert needle not in text, (
                    f"secret {needle[:6]}... leaked in: {text[:2000]}"
                )
            for piece in fragments(secret):
                assert piece not in text, (
                    f"part of secret {secret[:6]}... ({piece}) leaked in: {text[:2000]}"
                )


def assert_key_ids_masked(texts: list[str], key_ids: list[str]) -> None:
    """A key id appears only as 16 ``*`` and its last 4 characters."""
    for key in key_ids:
        for text in texts:
            assert key not in text, f"key id {key} unmasked in: {text[:2000]}"
            assert key[:12] not in text


class _ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        fields = {
            k: v
            for k, v in vars(record).items()
            if k not in {"args", "msg", "exc_info", "exc_text", "stack_info"}
        }
        self.lines.append(record.getMessage())
        self.lines.append(json.dumps(fields, default=repr))


@contextlib.contextmanager
def stdlib_logs() -> Iterator[list[str]]:
    """Every record of logger ``credsafe`` at DEBUG, as text (structlog unconfigured)."""
    structlog.reset_defaults()
    logger = logging.getLogger(_log.LOGGER_NAME)
    handler = _ListHandler()
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler.lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


@contextlib.contextmanager
def structlog_logs() -> Iterator[list[str]]:
    """Every structlog event credsafe emits, as JSON text."""
    lines: list[str] = []
    with capture_logs() as events:
        yield lines
    lines.extend(json.dumps(e, default=repr) for e in events)


def with_both_loggers(action: Callable[[], _T]) -> tuple[list[_T], list[str]]:
    """Run *action* once logging through structlog, once through stdlib.

    Returns both results and every log line. The failure log is folded per
    session and cause (credsafe._log), so it is cleared between the two runs.
    """
    results: list[_T] = []
    lines: list[str] = []
    for capture in (structlog_logs, stdlib_logs):
        _log._DEDUPER.clear()
        with capture() as captured:
            results.append(action())
        lines.extend(captured)
    structlog.reset_defaults()
    return results, lines


def run_bounded(func: Callable[[], _T], timeout: float) -> _T:
    """Run *func* in a daemon thread; fail (instead of hanging) after *timeout*."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = func()
        except BaseException as exc:  # re-raised in the caller
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        frame = sys._current_frames().get(thread.ident or 0)
        where = "".join(traceback.format_stack(frame)[-6:]) if frame else "?"
        raise AssertionError(f"blocked for more than {timeout} s, in:\n{where}")
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


# -- the audit hook ----------------------------------------------------------------
# Audit hooks cannot be removed: one is installed per test session and records
# only while a test watches, and only in the watching thread (a ContextVar is
# per thread; credsafe starts no threads of its own, tests/test_guarantees_*
# check that too), so the loopback servers' own threads are not recorded.
_WATCH: contextvars.ContextVar[list[tuple[str, tuple[Any, ...]]] | None] = (
    contextvars.ContextVar("credsafe_audit_watch", default=None)
)
_INSTALLED = False
_PROCESS_EVENTS = (
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "pty.spawn",
)
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


class Forbidden(RuntimeError):
    """Raised by the audit hook to stop a forbidden operation before it happens."""


def _hook(event: str, args: tuple[Any, ...]) -> None:
    seen = _WATCH.get()
    if seen is None:
        return
    if event in _PROCESS_EVENTS or event in {
        "socket.connect",
        "socket.getaddrinfo",
        "open",
    }:
        seen.append((event, args))
        if forbidden([(event, args)]):
            # Recorded first (the test fails on it), then stopped: no process
            # starts, no packet leaves, no file is written, even if credsafe
            # swallows this error.
            raise Forbidden(event)


def install_audit_hook() -> None:
    global _INSTALLED  # noqa: PLW0603
    if not _INSTALLED:
        sys.addaudithook(_hook)
        _INSTALLED = True


@contextlib.contextmanager
def audited() -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """Record process starts, connections and file opens of this thread."""
    install_audit_hook()
    seen: list[tuple[str, tuple[Any, ...]]] = []
    token = _WATCH.set(seen)
    try:
        yield seen
    finally:
        _WATCH.reset(token)


def is_write_open(args: tuple[Any, ...]) -> bool:
    """Whether an ``open`` audit event (path, mode, flags) may write or create."""
    _path, mode, flags = (*args, None, None, None)[:3]
    if isinstance(mode, str) and any(c in mode for c in "wax+"):
        return True
    return isinstance(flags, int) and bool(flags & _WRITE_FLAGS)


def forbidden(events: list[tuple[str, tuple[Any, ...]]]) -> list[str]:
    """The recorded events the no-side-effects guarantee forbids."""
    bad: list[str] = []
    for event, args in events:
        if event in _PROCESS_EVENTS:
            bad.append(f"{event}{args!r}")
        elif event == "socket.connect":
            address = args[1]
            if (
                isinstance(address, tuple)
                and address
                and not _is_loopback(str(address[0]))
            ):
                bad.append(f"connect to {address!r}")
        elif event == "socket.getaddrinfo":
            host = str(args[0] or "")
            if host not in {"localhost", ""} and not _is_loopback(host):
                bad.append(f"name lookup of {host!r}")
        elif event == "open" and is_write_open(args) and not _bytecode(args[0]):
            bad.append(f"open for writing {args!r}")
    return bad


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _bytecode(path: Any) -> bool:
    """Python's own import machinery caching bytecode (not credsafe writing)."""
    return isinstance(path, str | bytes) and "__pycache__" in os.fsdecode(path)
