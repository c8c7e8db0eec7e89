"""The ``container-role`` explainer against a real container-credentials server (issue 4).

The server listens on 127.0.0.1 and ``AWS_CONTAINER_CREDENTIALS_FULL_URI`` points at
it. botocore's container fetcher tries 3 times with 1-second sleeps, so failing
endpoints are mostly diagnosed through ``credsafe.diagnose()`` (a one-attempt
probe made with botocore's own ``ContainerProvider``); a few tests go through
``credsafe.Session`` to show the recorded exchanges are read and never repeated.
``AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`` always means 169.254.170.2, so tests
that set it never let anything probe (``network=False``); a guard fails any test
that connects outside loopback.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import botocore.exceptions
import pytest

import credsafe
import credsafe._context
from credsafe import Outcome, Status
from credsafe._intercept import state_of
from credsafe._replay import replay
from servers import (
    ACCESS_KEY,
    SECRET_KEY,
    SESSION_TOKEN,
    ContainerServer,
    Reply,
    SilentServer,
    closed_port_url,
    guard_loopback,
)

TOKEN = "container-auth-TOKEN-0123456789abcdefXYZ"
FULL = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
RELATIVE = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"


def _https_any_host() -> bool:
    """Whether this botocore accepts any https:// host (botocore#3584, 1.42-ish)."""
    import botocore.utils

    try:
        botocore.utils.ContainerMetadataFetcher()._validate_allowed_url(
            "https://creds.example.com/x"
        )
    except ValueError:
        return False
    return True


HTTPS_ANY_HOST = _https_any_host()


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    return guard_loopback(monkeypatch)


def container(diagnosis: credsafe.Diagnosis) -> credsafe.SourceReport:
    report = diagnosis.source("container-role")
    assert report is not None
    return report


def assert_no_secret(diagnosis: credsafe.Diagnosis, *extra: str) -> None:
    text = json.dumps(diagnosis.to_dict())
    for secret in (SECRET_KEY, SESSION_TOKEN, ACCESS_KEY, TOKEN, *extra):
        assert secret not in text


def _session() -> credsafe.Session:
    return credsafe.Session(region_name="us-east-1")


class TestRecorded:
    def test_found_and_not_asked_again(self, container_server: ContainerServer) -> None:
        session = _session()
        session.client("s3")
        assert len(container_server.requests) == 1
        state = state_of(session._session)
        assert state is not None and state.recorder.last is not None
        diagnosis = replay(session._session, resolution=state.recorder.last).diagnosis
        assert len(container_server.requests) == 1
        report = container(diagnosis)
        assert (report.code, report.status) == ("container-role.found", Status.FOUND)
        assert "probed" not in report.details
        assert report.details["exchanges"][0]["status"] == 200
        assert "****************2345" in report.summary
        assert_no_secret(diagnosis)

    def test_non_200_with_code_and_message(
        self, container_server: ContainerServer
    ) -> None:
        """botocore's 3 tries are recorded; the diagnosis sends nothing more."""
        container_server.reply = Reply(
            400,
            {"code": "InvalidIdentifier", "message": "task credentials not found"},
            "application/json",
        )
        with pytest.raises(botocore.exceptions.CredentialRetrievalError) as info:
            _session().client("s3")
        assert len(container_server.requests) == 3
        diagnosis = info.value.diagnosis  # type: ignore[attr-defined]
        report = container(diagnosis)
        assert (report.code, report.status) == (
            "container-role.http_error",
            Status.FAILED,
        )
        assert "HTTP 400" in report.summary
        assert "code 'InvalidIdentifier'" in report.summary
        assert "message 'task credentials not found'" in report.summary
        assert [e["status"] for e in report.details["exchanges"]] == [400, 400, 400]
        assert diagnosis.root_cause.source == "container-role"
        assert diagnosis.outcome is Outcome.ERROR

    def test_missing_keys(self, container_server: ContainerServer) -> None:
        container_server.reply = Reply(
            200,
            {
                "AccessKeyId": ACCESS_KEY,
                "SecretAccessKey": SECRET_KEY,
                "Expiration": "2099-01-01T00:00:00Z",
            },
            "application/json",
        )
        with pytest.raises(KeyError) as info:
            _session().client("s3")
        diagnosis = info.value.diagnosis  # type: ignore[attr-defined]
        report = container(diagnosis)
        assert report.code == "container-role.missing_keys"
        assert "lacks Token" in report.summary
        assert_no_secret(diagnosis)

    def test_host_refused_by_botocore(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(FULL, "http://10.1.2.3/creds")
        with pytest.raises(ValueError, match="Unsupported host") as info:
            _session().client("s3")
        report = container(info.value.diagnosis)  # type: ignore[attr-defined]
        assert (report.code, report.status) == (
            "container-role.host_not_allowed",
            Status.MISCONFIGURED,
        )
        assert "'10.1.2.3'" in report.summary and "https://" in report.hints[0]

    def test_empty_full_uri(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(FULL, "")
        with pytest.raises(ValueError, match="Unsupported host 'None'") as info:
            _session().client("s3")
        report = container(info.value.diagnosis)  # type: ignore[attr-defined]
        assert report.code == "container-role.empty_full_uri"

    def test_token_file_missing(
        self,
        container_server: ContainerServer,
        monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path,
    ) -> None:
        monkeypatch.setenv(
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", str(tmp_path / "nope")
        )
        with pytest.raises(FileNotFoundError) as info:
            _session().client("s3")
        report = container(info.value.diagnosis)  # type: ignore[attr-defined]
        assert report.code == "container-role.token_file_missing"
        assert str(tmp_path / "nope") in report.summary
        assert container_server.requests == []

    def test_token_file_trailing_newline(
        self,
        container_server: ContainerServer,
        monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path,
    ) -> None:
        token_file = tmp_path / "token"
        token_file.write_text(TOKEN + "\n")
        monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", str(token_file))
        with pytest.raises(ValueError, match="not a legal header value") as info:
            _session().client("s3")
        diagnosis = info.value.diagnosis  # type: ignore[attr-defined]
        report = container(diagnosis)
        assert report.code == "container-role.token_newline"
        assert str(token_file) in report.summary
        assert "printf %s" in report.hints[0]
        assert TOKEN not in str(info.value)
        assert_no_secret(diagnosis)


class TestProbe:
    def test_found_with_token_from_env(
        self, container_server: ContainerServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        container_server.expected_token = TOKEN
        monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", TOKEN)
        diagnosis = credsafe.diagnose()
        report = container(diagnosis)
        assert (report.code, report.status) == ("container-role.found", Status.FOUND)
        assert report.details["token_from"] == "AWS_CONTAINER_AUTHORIZATION_TOKEN"
        assert report.details["probed"] is True
        assert container_server.requests[0].headers["authorization"] == TOKEN
        assert diagnosis.resolved_by == "container-role"
        assert_no_secret(diagnosis)

    def test_token_file_beats_env(
        self,
        container_server: ContainerServer,
        monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path,
    ) -> None:
        container_server.expected_token = TOKEN
        token_file = tmp_path / "token"
        token_file.write_text(TOKEN)
        monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", str(token_file))
        monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "wrong-token")
        report = container(credsafe.diagnose())
        assert report.code == "container-role.found"
        assert report.details["token_from"] == "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"

    def test_wrong_token_is_refused(
        self, container_server: ContainerServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        container_server.expected_token = TOKEN
        monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "stale-token-value")
        diagnosis = credsafe.diagnose()
        report = container(diagnosis)
        assert report.code == "container-role.http_error"
        assert "HTTP 401" in report.summary and "'AccessDenied'" in report.summary
        assert "AWS_CONTAINER_AUTHORIZATION_TOKEN" in report.hints[0]
        assert diagnosis.root_cause.code == "container-role.http_error"
        assert_no_secret(diagnosis, "stale-token-value")

    def test_env_token_with_newline(
        self, container_server: ContainerServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", TOKEN + "\n")
        diagnosis = credsafe.diagnose()
        report = container(diagnosis)
        assert report.code == "container-role.token_newline"
        assert "AWS_CONTAINER_AUTHORIZATION_TOKEN" in report.summary
        assert container_server.requests == []
        assert_no_secret(diagnosis)

    def test_refused(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(FULL, closed_port_url() + "creds")
        diagnosis = credsafe.diagnose()
        report = container(diagnosis)
        assert (report.code, report.status) == (
            "container-role.connection_refused",
            Status.UNREACHABLE,
        )
        assert diagnosis.root_cause.source == "container-role"
        # The container provider raises, so botocore never reaches IMDS: no probe.
        assert diagnosis.source("iam-role").status is Status.SKIPPED

    def test_silent_endpoint_within_budget(
        self, silent_server: SilentServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv(FULL, silent_server.url + "creds")
        start = time.monotonic()
        diagnosis = credsafe.diagnose(budget=0.6)
        elapsed = time.monotonic() - start
        report = container(diagnosis)
        assert (report.code, report.status) == (
            "container-role.timeout",
            Status.UNREACHABLE,
        )
        assert elapsed < 0.6, elapsed

    def test_non_json(self, container_server: ContainerServer) -> None:
        container_server.reply = Reply(200, "<html>not here</html>", "text/html")
        report = container(credsafe.diagnose())
        assert report.code == "container-role.not_json"
        assert "text/html" in report.summary

    def test_pod_identity_agent_not_answering(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        token_dir = tmp_path / "var/run/secrets/pods.eks.amazonaws.com/serviceaccount"
        token_dir.mkdir(parents=True)
        (token_dir / "eks-pod-identity-token").write_text(TOKEN)
        monkeypatch.setenv(FULL, closed_port_url() + "v1/credentials")
        monkeypatch.setenv(
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            str(token_dir / "eks-pod-identity-token"),
        )
        report = container(credsafe.diagnose())
        assert report.code == "container-role.pod_identity_agent_unreachable"
        assert any("eks-pod-identity-agent" in h for h in report.hints)
        assert report.details["pod_identity"] is True


class TestStatic:
    """What botocore decides before any request: no network needed."""

    def test_relative_wins_over_full(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(RELATIVE, "/v2/credentials/abc")
        monkeypatch.setenv(FULL, "http://127.0.0.1:9/creds")
        report = container(credsafe.diagnose(network=False))
        assert report.code == "container-role.not_probed"
        assert "http://169.254.170.2/v2/credentials/abc" in report.summary
        assert report.details["url_from"] == RELATIVE
        assert report.details["ignored"] == FULL
        assert any("ignored" in h for h in report.hints)

    def test_relative_without_slash(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(RELATIVE, "v2/credentials/abc")
        diagnosis = credsafe.diagnose(network=False)
        report = container(diagnosis)
        assert report.code == "container-role.bad_relative_uri"
        assert report.details["stops_chain"] is True
        assert diagnosis.root_cause.code == "container-role.bad_relative_uri"

    def test_host_refused_without_network(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv(FULL, "http://metadata.internal/creds")
        report = container(credsafe.diagnose(network=False))
        assert report.code == "container-role.host_not_allowed"

    def test_pod_identity_address_is_recognised(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv(FULL, "http://169.254.170.23/v1/credentials")
        report = container(credsafe.diagnose(network=False))
        assert report.code == "container-role.not_probed"
        assert report.details["pod_identity"] is True
        assert "http://169.254.170.23/v1/credentials" in report.summary

    @pytest.mark.skipif(
        not HTTPS_ANY_HOST,
        reason="this botocore refuses https:// hosts it does not know",
    )
    def test_https_any_host_is_allowed(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(FULL, "https://creds.example.com/x")
        report = container(credsafe.diagnose(network=False))
        assert report.code == "container-role.not_probed"

    def test_not_configured(self) -> None:
        report = container(credsafe.diagnose(network=False))
        assert (report.code, report.status) == (
            "container-role.not_configured",
            Status.NOT_CONFIGURED,
        )


class TestLostVariable:
    def _pid1(self, *entries: str) -> None:
        proc = Path(credsafe._context.ROOT) / "proc/1"
        proc.mkdir(parents=True)
        (Path(credsafe._context.ROOT) / ".dockerenv").touch()
        (proc / "environ").write_bytes("\0".join(entries).encode() + b"\0")

    def test_lost_in_docker_exec(self) -> None:
        self._pid1(
            "PATH=/usr/bin", f"{RELATIVE}=/v2/credentials/secret-uuid", "HOSTNAME=x"
        )
        diagnosis = credsafe.diagnose(network=False)
        report = container(diagnosis)
        assert (report.code, report.status) == (
            "container-role.lost_uri",
            Status.MISCONFIGURED,
        )
        assert "PID 1" in report.summary
        assert any(
            "cat /proc/1/environ | tr '\\0' '\\n' | grep AWS_CONTAINER" in h
            for h in report.hints
        )
        assert diagnosis.root_cause.code == "container-role.lost_uri"
        assert "secret-uuid" not in json.dumps(diagnosis.to_dict())

    def test_lost_under_sudo(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._pid1(f"{RELATIVE}=/v2/credentials/x")
        monkeypatch.setenv("SUDO_USER", "app")
        report = container(credsafe.diagnose(network=False))
        assert report.code == "container-role.lost_uri"
        assert "sudo" in report.summary
        assert any(
            "--preserve-env=AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" in h
            for h in report.hints
        )

    def test_ecs_without_task_role(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(
            "ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/abc"
        )
        diagnosis = credsafe.diagnose(network=False)
        report = container(diagnosis)
        assert report.code == "container-role.no_task_role"
        root = diagnosis.root_cause
        assert root is not None and root.source == "container-role"
        assert any("taskRoleArn" in h for h in root.hints)
