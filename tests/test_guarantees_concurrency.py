"""Guarantee: concurrent failures are each diagnosed completely, once (docs/guarantees.md).

32 threads fail at once: on one shared credsafe.Session (a client per thread, and
one shared client), on separate sessions, and in ``credsafe.diagnose()`` against
a loopback IMDS. Every caller gets a complete diagnosis (every source of
botocore's chain, a valid ``credsafe.diagnosis/1`` object), no thread deadlocks
(each is joined with a timeout), and the failure log has one event per failure as
credsafe._log defines it: one per recorded resolution that failed (the 32 calls
of one shared client that found no credentials are one failure; 32 clients that
each resolved and failed are 32).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import botocore.credentials
import pytest
import structlog
from structlog.testing import capture_logs

import credsafe
from credsafe._explain import BOTOCORE_METHODS
from property.checks import assert_valid
from servers import IMDSServer, Reply

# The installed botocore's chain: no login source before botocore 1.41.
CHAIN = [
    m
    for m in BOTOCORE_METHODS
    if m != "login" or hasattr(botocore.credentials, "LoginProvider")
]

THREADS = 32
JOIN_TIMEOUT = 60.0
FAILED = "credsafe.credentials_failed"


@pytest.fixture(autouse=True)
def _structlog_reset() -> Iterator[None]:
    structlog.reset_defaults()
    yield
    structlog.reset_defaults()


def _all_at_once(work: Callable[[int], Any]) -> list[Any]:
    """Run *work(i)* in THREADS threads released together; every result, or fail."""
    barrier = threading.Barrier(THREADS)
    results: list[Any] = [None] * THREADS

    def run(i: int) -> None:
        barrier.wait(JOIN_TIMEOUT)
        try:
            results[i] = work(i)
        except BaseException as exc:
            results[i] = exc

    threads = [
        threading.Thread(target=run, args=(i,), daemon=True) for i in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    stuck = [t.name for t in threads if t.is_alive()]
    assert stuck == [], f"deadlocked: {stuck}"
    return results


def _complete(result: Any) -> dict[str, Any]:
    assert isinstance(result, credsafe.CredsafeError), repr(result)
    assert type(result).__name__ == "NoCredentialsError"
    document = result.diagnosis.to_dict()
    assert_valid(document)
    assert [s["source"] for s in document["sources"]] == CHAIN
    assert document["outcome"] == "not_found"
    assert document["root_cause"] is not None
    return document


def _failure_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e["event"] == FAILED]


def test_shared_session_client_per_thread(aws_files: Any) -> None:
    """One session, a client per thread: 32 resolutions fail, 32 complete diagnoses, 32 events."""
    session = credsafe.Session(region_name="us-east-1")

    def work(_: int) -> Any:
        session.client("sts").get_caller_identity()

    with capture_logs() as events:
        results = _all_at_once(work)
    documents = [_complete(r) for r in results]
    assert len({json.dumps(d, sort_keys=True) for d in documents}) >= 1
    failures = _failure_events(events)
    assert len(failures) == THREADS
    assert len({e["failure_id"] for e in failures}) == THREADS


def test_shared_client(aws_files: Any) -> None:
    """One client shared by 32 threads: 32 diagnosed exceptions, one failure, one event."""
    client = credsafe.Session(region_name="us-east-1").client("sts")

    def work(_: int) -> Any:
        client.get_caller_identity()

    with capture_logs() as events:
        results = _all_at_once(work)
    for result in results:
        _complete(result)
    assert len({id(r) for r in results}) == THREADS  # each caller its own exception
    assert len(_failure_events(events)) == 1


def test_separate_sessions(aws_files: Any) -> None:
    """32 sessions failing at once: 32 complete diagnoses and 32 events."""

    def work(_: int) -> Any:
        credsafe.Session(region_name="us-east-1").client("sts").get_caller_identity()

    with capture_logs() as events:
        results = _all_at_once(work)
    for result in results:
        _complete(result)
    assert len(_failure_events(events)) == THREADS


def test_reraised_exception_is_logged_once(aws_files: Any) -> None:
    """The same exception object seen again (re-raised, re-diagnosed) logs nothing more."""
    from credsafe import _intercept

    session = credsafe.Session(region_name="us-east-1")
    with capture_logs() as events:
        with pytest.raises(credsafe.CredsafeError) as info:
            session.client("sts").get_caller_identity()
        original = info.value.__cause__
        assert original is not None
        state = _intercept.state_of(session._session)
        results = _all_at_once(
            lambda _: _intercept.enrich(
                original, state=state, resolution=state.recorder.last
            )
        )
    assert all(isinstance(r, BaseException) for r in results)
    assert len(_failure_events(events)) == 1


@pytest.fixture
def imds_404(monkeypatch: pytest.MonkeyPatch) -> Iterator[IMDSServer]:
    server = IMDSServer().start()
    server.credentials = Reply(404, "Not Found")
    server.role_list = Reply(404, "Not Found")
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url)
    yield server
    server.stop()


def test_concurrent_diagnose_with_probes(aws_files: Any, imds_404: IMDSServer) -> None:
    """32 diagnose() calls probing the same IMDS at once: 32 identical, complete answers."""
    results = _all_at_once(lambda _: credsafe.diagnose(budget=5.0))
    codes = set()
    for diagnosis in results:
        assert isinstance(diagnosis, credsafe.Diagnosis), repr(diagnosis)
        document = diagnosis.to_dict()
        assert_valid(document)
        assert [s["source"] for s in document["sources"]] == CHAIN
        codes.add(
            next(s["code"] for s in document["sources"] if s["source"] == "iam-role")
        )
    assert len(codes) == 1, codes
    assert len(imds_404.requests) >= THREADS
