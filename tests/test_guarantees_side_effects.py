"""Guarantee: the diagnosis changes nothing it observes (docs/guarantees.md).

An audit hook (``sys.addaudithook``, installed once per test session and active
only while a test watches, in the watching thread: tests/property/checks.py)
records every process start (``subprocess.Popen``, ``os.system``, ``os.exec*``,
``os.posix_spawn``, ``os.fork``...), every connection and name lookup, and every
file opened for writing, creating or appending, while credsafe diagnoses. The
tests forbid all three, except connections to the loopback endpoints botocore's
own chain would use (in tests every endpoint is on 127.0.0.1). A forbidden
operation is also stopped by the hook before it happens.

The entry points are watched where credsafe's own code runs: ``diagnose()``,
``credsafe doctor`` and, for failures through credsafe.Session and wrap(), the
whole of ``enrich`` (replay, rendering, logging), but not botocore's own
resolution, which runs credential_process and contacts IMDS by design.
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import botocore.utils
import pytest

import credsafe
from credsafe import _intercept
from credsafe._cli import main as cli_main
from fakes import ACCESS_KEY, SECRET_KEY
from property.checks import audited, forbidden
from servers import ContainerServer, IMDSServer, Reply, closed_port_url

JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EiLCJleHAiOjQxMDI0NDQ4MDB9.c2lnbmF0dXJlMDEyMzQ1Njc4OWFiY2RlZkdISUpL"


@pytest.fixture
def imds_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[IMDSServer]:
    server = IMDSServer().start()
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url)
    yield server
    server.stop()


@pytest.fixture
def container(monkeypatch: pytest.MonkeyPatch) -> Iterator[ContainerServer]:
    # botocore sleeps a second between container retries; tests need no sleep.
    monkeypatch.setattr(botocore.utils.ContainerMetadataFetcher, "SLEEP_TIME", 0)
    server = ContainerServer().start()
    yield server
    server.stop()


def _process(aws_files: Any, monkeypatch: pytest.MonkeyPatch, **_: Any) -> None:
    marker = aws_files.home / "process-ran"
    aws_files.write_config(
        "[default]\nregion = us-east-1\n"
        f"credential_process = {sys.executable} -c \"open({str(marker)!r}, 'w'); raise SystemExit(1)\"\n"
    )


def _assume_role(aws_files: Any, monkeypatch: pytest.MonkeyPatch, **_: Any) -> None:
    aws_files.write_config(
        "[default]\nregion = us-east-1\nrole_arn = arn:aws:iam::123456789012:role/r\n"
        "source_profile = base\n"
    )
    aws_files.write_credentials(
        f"[base]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
    )


def _sso(aws_files: Any, monkeypatch: pytest.MonkeyPatch, **_: Any) -> None:
    aws_files.write_config(
        "[default]\nregion = us-east-1\nsso_session = s\nsso_account_id = 123456789012\n"
        "sso_role_name = r\n[sso-session s]\nsso_start_url = https://x.awsapps.com/start\n"
        "sso_region = us-east-1\nsso_registration_scopes = sso:account:access\n"
    )
    cache = aws_files.home / ".aws" / "sso" / "cache"
    cache.mkdir(parents=True)
    later = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    (cache / (hashlib.sha1(b"s").hexdigest() + ".json")).write_text(
        json.dumps(
            {
                "startUrl": "https://x.awsapps.com/start",
                "region": "us-east-1",
                "accessToken": JWT,
                "expiresAt": later,
            }
        )
    )


def _web_identity(aws_files: Any, monkeypatch: pytest.MonkeyPatch, **_: Any) -> None:
    token = aws_files.home / "token"
    token.write_text(JWT)
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(token))
    monkeypatch.setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/r")


def _imds(
    aws_files: Any, monkeypatch: pytest.MonkeyPatch, imds: IMDSServer, **_: Any
) -> None:
    imds.credentials = Reply(500, "broken")


def _imds_found(aws_files: Any, monkeypatch: pytest.MonkeyPatch, **_: Any) -> None:
    return  # the IMDS server serves valid credentials


def _container(
    aws_files: Any,
    monkeypatch: pytest.MonkeyPatch,
    container: ContainerServer,
    **_: Any,
) -> None:
    token = aws_files.home / "container-token"
    token.write_text("Bearer-token-0123456789")
    container.reply = Reply(403, {"code": "AccessDenied"}, "application/json")
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url + "creds")
    monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", str(token))


def _nothing(aws_files: Any, monkeypatch: pytest.MonkeyPatch, **_: Any) -> None:
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", closed_port_url())


def _partial(aws_files: Any, monkeypatch: pytest.MonkeyPatch, **_: Any) -> None:
    aws_files.write_credentials(f"[default]\naws_access_key_id = {ACCESS_KEY}\n")
    aws_files.credentials.chmod(0o644)  # advice reads the mode: never changes it


SCENARIOS: dict[str, Callable[..., None]] = {
    "nothing": _nothing,
    "partial": _partial,
    "credential_process": _process,
    "assume_role": _assume_role,
    "sso": _sso,
    "web_identity": _web_identity,
    "imds_broken": _imds,
    "imds_found": _imds_found,
    "container": _container,
}
# Scenarios whose real resolution fails without leaving the machine.
FAILING = ["nothing", "partial", "credential_process", "imds_broken", "container"]


def _setup(
    name: str,
    aws_files: Any,
    monkeypatch: pytest.MonkeyPatch,
    imds: IMDSServer,
    container: ContainerServer,
) -> None:
    aws_files.write_config("[default]\nregion = us-east-1\n")
    SCENARIOS[name](aws_files, monkeypatch, imds=imds, container=container)


def _snapshot(aws_files: Any) -> dict[str, tuple[int, int, bytes]]:
    """Every file under HOME, with its mode, mtime and contents."""
    found = {}
    for path in sorted(aws_files.home.rglob("*")):
        if path.is_file():
            info = path.stat()
            found[str(path)] = (info.st_mode, info.st_mtime_ns, path.read_bytes())
    return found


def _watched(func: Callable[[], Any]) -> tuple[Any, list[str]]:
    with audited() as events:
        threads = _threads()
        try:
            result = func()
        except Exception as exc:
            result = exc
        assert _threads() <= threads, "credsafe left a thread running"
    return result, forbidden(events)


def _threads() -> set[threading.Thread]:
    """Running threads, but for the loopback servers' request handlers."""
    return {t for t in threading.enumerate() if "process_request_thread" not in t.name}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_diagnose_and_doctor(
    aws_files: Any,
    monkeypatch: pytest.MonkeyPatch,
    imds_server: IMDSServer,
    container: ContainerServer,
    capsys: pytest.CaptureFixture[str],
    scenario: str,
) -> None:
    """diagnose() and `credsafe doctor` start nothing, write nothing, contact only loopback."""
    _setup(scenario, aws_files, monkeypatch, imds_server, container)
    credsafe.diagnose()  # warm up: first-use imports are Python's business
    before = _snapshot(aws_files)
    diagnosis, bad = _watched(credsafe.diagnose)
    assert bad == []
    assert isinstance(diagnosis, credsafe.Diagnosis), diagnosis
    status, bad = _watched(lambda: cli_main(["doctor", "--json"]))
    assert bad == []
    assert status in {0, 1}, capsys.readouterr().err
    assert _snapshot(aws_files) == before
    assert not (aws_files.home / "process-ran").exists()


@pytest.fixture
def watch_enrich(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Watch every run of credsafe's failure path (replay, render, log)."""
    bad: list[str] = []
    real = _intercept.enrich

    def enrich(*args: Any, **kwargs: Any) -> Any:
        with audited() as events:
            result = real(*args, **kwargs)
        bad.extend(forbidden(events))
        return result

    # Every failure path (the hooks, Session() and raise_diagnosed) calls it here.
    monkeypatch.setattr(_intercept, "enrich", enrich)
    return bad


@pytest.mark.parametrize("scenario", FAILING)
def test_failure_through_session(
    aws_files: Any,
    monkeypatch: pytest.MonkeyPatch,
    imds_server: IMDSServer,
    container: ContainerServer,
    watch_enrich: list[str],
    scenario: str,
) -> None:
    """After botocore's own resolution failed, credsafe's diagnosis has no side effect."""
    _setup(scenario, aws_files, monkeypatch, imds_server, container)
    monkeypatch.setenv("AWS_ENDPOINT_URL", closed_port_url())
    with pytest.raises(credsafe.CredsafeError):
        credsafe.Session().client("sts").get_caller_identity()
    ran = aws_files.home / "process-ran"
    if ran.exists():  # botocore ran it once, in its own resolution
        ran.unlink()
    with pytest.raises(credsafe.CredsafeError):
        credsafe.Session().client("sts").get_caller_identity()
    assert watch_enrich == []


def test_failure_through_wrap(
    aws_files: Any,
    monkeypatch: pytest.MonkeyPatch,
    imds_server: IMDSServer,
    watch_enrich: list[str],
) -> None:
    """A wrapped foreign client: the diagnosis probes loopback IMDS only, writes nothing."""
    imds_server.credentials = Reply(404, "")
    monkeypatch.setenv("AWS_ENDPOINT_URL", closed_port_url())
    client = credsafe.wrap(boto3.Session().client("sts", region_name="us-east-1"))
    before = len(imds_server.requests)
    with pytest.raises(credsafe.CredsafeError):
        client.get_caller_identity()
    assert watch_enrich == []
    assert len(imds_server.requests) > before  # the probe really ran, on loopback


def test_hook_catches_each_forbidden_operation(tmp_path: Any) -> None:
    """The hook itself: each forbidden operation is recorded (the tests can fail)."""
    import os
    import socket
    import subprocess

    attempts: list[Callable[[], Any]] = [
        lambda: subprocess.run([sys.executable, "-c", "pass"], check=False),
        lambda: os.system("true"),
        lambda: open(tmp_path / "w", "w"),  # noqa: SIM115
        lambda: open(tmp_path / "a", "a"),  # noqa: SIM115
        lambda: os.open(tmp_path / "c", os.O_CREAT | os.O_WRONLY),
        lambda: socket.create_connection(("192.0.2.1", 80), timeout=0.01),
        lambda: socket.getaddrinfo("sts.amazonaws.com", 443),
    ]
    for attempt in attempts:
        _, bad = _watched(attempt)
        assert len(bad) == 1, (attempt, bad)
    assert not (tmp_path / "w").exists()
    _, bad = _watched(lambda: open(tmp_path / "r-missing", encoding="utf-8"))  # noqa: SIM115
    assert bad == []


def test_mfa_prompt_check_opens_the_terminal_read_only() -> None:
    """Whether an MFA prompt could be answered is asked of /dev/tty without write access."""
    from credsafe._explain._roles import can_prompt

    _, bad = _watched(can_prompt)
    assert bad == []


@pytest.mark.parametrize(
    "scenario", ["nothing", "partial", "credential_process", "sso", "imds_found"]
)
def test_diagnosed_session_is_unchanged(
    aws_files: Any,
    monkeypatch: pytest.MonkeyPatch,
    imds_server: IMDSServer,
    container: ContainerServer,
    scenario: str,
) -> None:
    """diagnose(session) leaves the session's credentials and resolver as they were."""
    import botocore.session

    _setup(scenario, aws_files, monkeypatch, imds_server, container)
    session = botocore.session.Session()
    credentials = session._credentials
    resolver = session._components._components.get("credential_provider")
    deferred = dict(session._components._deferred)
    credsafe.diagnose(session)
    assert session._credentials is credentials
    assert session._components._components.get("credential_provider") is resolver
    assert dict(session._components._deferred) == deferred
    assert not (aws_files.home / "process-ran").exists()
