"""Guarantee: the diagnosis never hangs (docs/guarantees.md).

Endpoints that accept connections and never answer (the ``silent_server``
fixture) stand in for IMDS and the container endpoint. ``credsafe.diagnose(budget=)``,
``credsafe doctor`` and the diagnosis of a wrapped foreign client return within
their budget (2 seconds by default) plus a small margin; a credsafe.Session failure
does not wait a second time: its diagnosis reuses the recorded resolution.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

import boto3
import pytest

import credsafe
from credsafe._session import DEFAULT_BUDGET
from property.checks import assert_valid, run_bounded
from servers import SilentServer, closed_port_url

# Scheduling slack on a loaded 2-core CI machine; the budgets under test are 0.3-2 s.
MARGIN = 0.75


def _timed(func: Any) -> tuple[Any, float]:
    start = time.monotonic()
    try:
        result = func()
    except Exception as exc:
        result = exc
    return result, time.monotonic() - start


@pytest.fixture
def silent_imds(
    monkeypatch: pytest.MonkeyPatch, silent_server: SilentServer
) -> SilentServer:
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", silent_server.url)
    # botocore's own setting, as an instance would have it: longer than the budget.
    monkeypatch.setenv("AWS_METADATA_SERVICE_TIMEOUT", "5")
    monkeypatch.setenv("AWS_ENDPOINT_URL", closed_port_url())
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return silent_server


@pytest.mark.parametrize("budget", [0.3, 1.0, DEFAULT_BUDGET])
@pytest.mark.parametrize("where", ["imds", "container", "both"])
def test_diagnose_within_budget(
    silent_imds: SilentServer,
    monkeypatch: pytest.MonkeyPatch,
    budget: float,
    where: str,
) -> None:
    """Silent endpoints: diagnose(budget=) returns within the budget and says why."""
    second = SilentServer().start()
    try:
        if where == "imds":
            monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", second.url)
        else:
            monkeypatch.setenv(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", second.url + "creds"
            )
        diagnosis, took = _timed(
            lambda: run_bounded(lambda: credsafe.diagnose(budget=budget), budget + 10)
        )
    finally:
        second.stop()
    assert took <= budget + MARGIN, took
    assert isinstance(diagnosis, credsafe.Diagnosis), diagnosis
    assert_valid(diagnosis.to_dict())
    probed = {r.source: r for r in diagnosis.sources}
    target = "iam-role" if where == "imds" else "container-role"
    assert _timed_out(probed[target]), probed[target]


def _timed_out(report: Any) -> bool:
    """The report says the endpoint did not answer (off EC2, IMDS timing out is
    ``iam-role.timeout``, not_configured), or that the budget left no time."""
    return "timeout" in report.code or report.status.value in {"unreachable", "skipped"}


def _doctor(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "credsafe", "doctor", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done, time.monotonic() - start


def test_doctor_within_budget(
    silent_imds: SilentServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`credsafe doctor` against silent endpoints: its default budget, plus start-up."""
    second = SilentServer().start()
    try:
        monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", second.url + "c")
        offline, startup = _doctor("--no-network")
        done, took = _doctor("--json")
    finally:
        second.stop()
    assert offline.returncode == 1 and done.returncode == 1, done.stderr
    assert took - startup <= DEFAULT_BUDGET + MARGIN, (took, startup)


def test_wrapped_client_within_budget(
    silent_imds: SilentServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wrapped foreign client: nothing was recorded, so IMDS is probed within the budget."""
    monkeypatch.setenv("AWS_METADATA_SERVICE_TIMEOUT", "1")
    client = boto3.Session().client("sts")  # botocore waits here, on its own
    credsafe.wrap(client)
    error, took = _timed(client.get_caller_identity)
    assert isinstance(error, credsafe.CredsafeError), error
    assert took <= DEFAULT_BUDGET + MARGIN, took
    iam = next(r for r in error.diagnosis.sources if r.source == "iam-role")
    assert _timed_out(iam), iam


def test_session_failure_does_not_wait_twice(
    silent_imds: SilentServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """credsafe.Session: the diagnosis reuses the recorded wait instead of probing again."""
    monkeypatch.setenv("AWS_METADATA_SERVICE_TIMEOUT", "1")
    original, boto3_took = _timed(
        lambda: boto3.Session().client("sts").get_caller_identity()
    )
    assert type(original).__name__ == "NoCredentialsError", original
    error, took = _timed(lambda: credsafe.Session().client("sts").get_caller_identity())
    assert isinstance(error, credsafe.CredsafeError), error
    recorded = sum(r.duration_ms or 0 for r in error.diagnosis.sources) / 1000
    iam = next(r for r in error.diagnosis.sources if r.source == "iam-role")
    assert _timed_out(iam), iam
    assert recorded >= 1.0  # botocore's own timeout, really waited once
    assert took <= recorded + MARGIN, (took, recorded)
    assert took <= boto3_took + MARGIN, (took, boto3_took)
