"""The ``iam-role`` explainer against a real IMDS server on 127.0.0.1 (issue 4).

Each test makes the server behave like one IMDS state and checks the code, status,
summary and fix. Recorded tests go through ``credsafe.Session`` (the diagnosis
reads the original exchange and never asks again); probe tests go through
``credsafe.diagnose()`` (a bounded probe with botocore's own fetcher). A guard makes
any connection outside loopback fail the test.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path

import boto3
import botocore.exceptions
import pytest

import credsafe
import credsafe._context
from credsafe import Outcome, Status
from credsafe._intercept import state_of
from credsafe._replay import replay
from servers import (
    ACCESS_KEY,
    IMDS_TOKEN,
    SECRET_KEY,
    SESSION_TOKEN,
    IMDSServer,
    ProxyServer,
    Reply,
    SilentServer,
    closed_port_url,
    credentials_document,
    guard_loopback,
)


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    return guard_loopback(monkeypatch)


def _session() -> credsafe.Session:
    return credsafe.Session(region_name="us-east-1")


def failing_call(session: credsafe.Session | None = None) -> credsafe.Diagnosis:
    """Create a client and make a call that fails for want of credentials."""
    s3 = (session or _session()).client("s3")
    with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
        s3.list_buckets()
    return info.value.diagnosis  # type: ignore[attr-defined,no-any-return]


def recorded(session: credsafe.Session) -> credsafe.Diagnosis:
    """The diagnosis of the session's last recorded resolution (no probe)."""
    state = state_of(session._session)
    assert state is not None and state.recorder.last is not None
    return replay(session._session, resolution=state.recorder.last).diagnosis


def iam(diagnosis: credsafe.Diagnosis) -> credsafe.SourceReport:
    report = diagnosis.source("iam-role")
    assert report is not None
    return report


def assert_no_secret(diagnosis: credsafe.Diagnosis) -> None:
    text = json.dumps(diagnosis.to_dict())
    for secret in (SECRET_KEY, SESSION_TOKEN, IMDS_TOKEN, ACCESS_KEY):
        assert secret not in text


def on_ec2(tmp_path: Path, instance_id: str = "i-0abc1234def567890") -> None:
    """Make context detection see an EC2 instance (DMI strings under its root)."""
    dmi = Path(credsafe._context.ROOT) / "sys/devices/virtual/dmi/id"
    dmi.mkdir(parents=True)
    (dmi / "sys_vendor").write_text("Amazon EC2\n")
    (dmi / "board_asset_tag").write_text(instance_id + "\n")


class TestRecorded:
    """credsafe.Session: the original exchange is diagnosed, never repeated."""

    def test_found_via_v2_and_no_extra_request(self, imds: IMDSServer) -> None:
        session = _session()
        session.client("s3")
        sent = len(imds.requests)
        assert [r.method for r in imds.requests] == ["PUT", "GET", "GET"]
        diagnosis = recorded(session)
        assert len(imds.requests) == sent
        report = iam(diagnosis)
        assert (report.status, report.code) == (Status.FOUND, "iam-role.found")
        assert "'app-role'" in report.summary and "IMDSv2" in report.summary
        assert "****************2345" in report.summary
        assert diagnosis.outcome is Outcome.FOUND
        assert_no_secret(diagnosis)

    def test_no_instance_profile(self, imds: IMDSServer, tmp_path: Path) -> None:
        on_ec2(tmp_path)
        imds.role_list = Reply(404, "Not Found")
        session = _session()
        s3 = session.client("s3")
        sent = len(imds.requests)
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            s3.list_buckets()
        assert len(imds.requests) == sent  # the diagnosis asked nothing again
        diagnosis = info.value.diagnosis  # type: ignore[attr-defined]
        report = iam(diagnosis)
        assert report.code == "iam-role.no_instance_profile"
        assert report.status is Status.MISCONFIGURED
        assert diagnosis.root_cause.code == "iam-role.no_instance_profile"
        assert any(
            "aws ec2 associate-iam-instance-profile --instance-id i-0abc1234def567890 "
            "--iam-instance-profile Name=" in h
            for h in report.hints
        )
        assert report.details["exchanges"][1]["status"] == 404

    def test_hop_limit_with_tokens_required(self, imds: IMDSServer) -> None:
        """The token PUT never returns while GETs answer 401: the hop-limit case."""
        imds.token = Reply(hang=True)
        imds.require_token = True
        report = iam(failing_call())
        assert (report.code, report.status) == ("iam-role.hop_limit", Status.FAILED)
        assert "HttpPutResponseHopLimit" in report.summary
        assert "401" in report.summary
        assert any(
            "aws ec2 modify-instance-metadata-options --instance-id <instance-id> "
            "--http-put-response-hop-limit 2" in h
            for h in report.hints
        )

    def test_hop_limit_with_v1_fallback_still_works(self, imds: IMDSServer) -> None:
        imds.token = Reply(hang=True)
        session = _session()
        session.client("s3")
        report = iam(recorded(session))
        assert (report.code, report.status) == ("iam-role.hop_limit", Status.FOUND)
        assert "IMDSv1" in report.summary and "timed out after 1.0 s" in report.summary

    def test_token_refused_then_v1_works(self, imds: IMDSServer) -> None:
        imds.token = Reply(403, "")
        session = _session()
        session.client("s3")
        report = iam(recorded(session))
        assert (report.code, report.status) == ("iam-role.found", Status.FOUND)
        assert "IMDSv1" in report.summary
        assert any("answered 403 to the token request" in h for h in report.hints)

    def test_token_405_and_v1_refused(self, imds: IMDSServer) -> None:
        imds.token = Reply(405, "")
        imds.require_token = True
        report = iam(failing_call())
        assert report.code == "iam-role.token_refused"
        assert "405" in report.summary and "401" in report.summary

    def test_token_500_and_v1_refused(self, imds: IMDSServer) -> None:
        imds.token = Reply(500, "")
        imds.require_token = True
        report = iam(failing_call())
        assert report.code == "iam-role.v1_rejected"
        assert "HTTP 500" in report.summary

    def test_endpoint_turned_off(self, imds: IMDSServer) -> None:
        imds.token = Reply(403, "")
        imds.role_list = Reply(403, "")
        report = iam(failing_call())
        assert report.code == "iam-role.endpoint_disabled"
        assert any("--http-endpoint enabled" in h for h in report.hints)

    def test_token_400_gives_up(self, imds: IMDSServer) -> None:
        imds.token = Reply(400, "")
        report = iam(failing_call())
        assert report.code == "iam-role.token_bad_request"
        assert [r.method for r in imds.requests] == ["PUT"]

    def test_v1_disabled_without_token_stops_the_chain(
        self, imds: IMDSServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        imds.token = Reply(405, "")
        monkeypatch.setenv("AWS_EC2_METADATA_V1_DISABLED", "true")
        with pytest.raises(botocore.exceptions.MetadataRetrievalError) as info:
            _session().client("s3")
        diagnosis = info.value.diagnosis  # type: ignore[attr-defined]
        report = iam(diagnosis)
        assert report.code == "iam-role.v1_disabled_no_token"
        assert "405" in report.summary
        assert diagnosis.root_cause.source == "iam-role"
        assert diagnosis.outcome is Outcome.ERROR

    def test_role_credentials_error_document(self, imds: IMDSServer) -> None:
        imds.credentials = Reply(
            200,
            {
                "Code": "AssumeRoleUnauthorizedAccess",
                "Message": "EC2 cannot assume the role app-role.",
                "LastUpdated": "2026-01-01T00:00:00Z",
            },
            "application/json",
        )
        report = iam(failing_call())
        assert report.code == "iam-role.role_credentials_error"
        assert "AssumeRoleUnauthorizedAccess" in report.summary
        assert any("ec2.amazonaws.com" in h for h in report.hints)

    @pytest.mark.parametrize("status", [404, 500])
    def test_role_credentials_http_error(self, imds: IMDSServer, status: int) -> None:
        imds.credentials = Reply(status, "error")
        report = iam(failing_call())
        assert report.code == "iam-role.role_credentials_http_error"
        assert f"HTTP {status}" in report.summary

    def test_role_list_500(self, imds: IMDSServer) -> None:
        imds.role_list = Reply(503, "busy")
        report = iam(failing_call())
        assert report.code == "iam-role.role_list_failed"

    def test_non_json_body_from_imds(self, imds: IMDSServer) -> None:
        imds.credentials = Reply(200, "<html>maintenance</html>", "text/html")
        report = iam(failing_call())
        assert report.code == "iam-role.not_json"
        assert "NO_PROXY" in report.hints[0]

    def test_proxy_answers_instead_of_imds(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """botocore sends IMDS traffic through HTTP_PROXY: the proxy's page comes back."""
        proxy = ProxyServer().start()
        try:
            monkeypatch.setenv("HTTP_PROXY", proxy.url)
            report = iam(failing_call())
        finally:
            proxy.stop()
        assert report.code == "iam-role.not_json"
        assert proxy.url in report.summary and "NO_PROXY" in report.summary
        assert proxy.requests and proxy.requests[0].path.startswith("http://127.0.0.1:")

    def test_proxy_unreachable_stops_the_chain(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("HTTP_PROXY", closed_port_url())
        with pytest.raises(Exception) as info:
            _session().client("s3")
        assert type(info.value).__name__ == "ProxyConnectionError"
        report = iam(info.value.diagnosis)  # type: ignore[attr-defined]
        assert report.code == "iam-role.proxy_unreachable"

    def test_expired_credentials(self, imds: IMDSServer) -> None:
        imds.credentials = Reply(
            200, credentials_document(expires_in=timedelta(hours=-3)), "application/json"
        )
        session = _session()
        session.client("s3")
        diagnosis = recorded(session)
        report = iam(diagnosis)
        assert (report.code, report.status) == ("iam-role.expired", Status.FAILED)
        assert diagnosis.outcome is Outcome.ERROR
        assert "3 h ago" in report.summary

    def test_refused_off_ec2_is_not_a_problem(self) -> None:
        report = iam(failing_call())
        assert report.code == "iam-role.connection_refused"
        assert report.status is Status.NOT_CONFIGURED
        assert "AWS_EC2_METADATA_SERVICE_ENDPOINT" in report.summary

    def test_refused_on_ec2_is_unreachable(self, tmp_path: Path) -> None:
        on_ec2(tmp_path)
        report = iam(failing_call())
        assert (report.code, report.status) == (
            "iam-role.connection_refused",
            Status.UNREACHABLE,
        )

    def test_silent_endpoint_times_out(
        self, silent_server: SilentServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", silent_server.url)
        report = iam(failing_call())
        assert report.code == "iam-role.timeout"
        assert "2 request(s) timed out" in report.summary

    def test_ipv6_address_where_only_ipv4_is_served(
        self, imds: IMDSServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The server listens on 127.0.0.1 only; its port over ::1 gets no answer."""
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", f"http://[::1]:{imds.port}/")
        report = iam(failing_call())
        assert (report.code, report.status) == (
            "iam-role.ipv6_unreachable",
            Status.UNREACHABLE,
        )
        assert imds.requests == []
        assert any("--http-protocol-ipv6 enabled" in h for h in report.hints)

    def test_disabled(self, imds: IMDSServer, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "TRUE")
        report = iam(failing_call())
        assert (report.code, report.status) == ("iam-role.disabled", Status.NOT_CONFIGURED)
        assert imds.requests == []

    def test_disabled_value_1_does_not_disable(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "1")
        report = iam(failing_call())
        assert report.code == "iam-role.disable_value_ignored"
        assert "AWS_EC2_METADATA_DISABLED='1'" in report.summary
        assert report.hints == ("export AWS_EC2_METADATA_DISABLED=true",)

    def test_disabled_value_1_with_imds_answering(
        self, imds: IMDSServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "1")
        session = _session()
        session.client("s3")
        report = iam(recorded(session))
        assert report.code == "iam-role.found"
        assert any("only 'true' disables IMDS" in h for h in report.hints)


class TestChainSettings:
    """Settings botocore rejects while building the chain."""

    def test_invalid_endpoint(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "not a url")
        with pytest.raises(botocore.exceptions.InvalidIMDSEndpointError) as info:
            _session().client("s3")
        diagnosis = info.value.diagnosis  # type: ignore[attr-defined]
        assert diagnosis.root_cause.code == "iam-role.invalid_endpoint"
        assert "'not a url'" in diagnosis.root_cause.summary

    def test_invalid_endpoint_mode(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv5")
        with pytest.raises(botocore.exceptions.InvalidIMDSEndpointModeError) as info:
            _session().client("s3")
        root = info.value.diagnosis.root_cause  # type: ignore[attr-defined]
        assert root.code == "iam-role.invalid_endpoint_mode"
        assert "'ipv5'" in root.summary

    def test_fractional_timeout(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_METADATA_SERVICE_TIMEOUT", "0.5")
        with pytest.raises(ValueError, match="int") as info:
            _session().client("s3")
        root = info.value.diagnosis.root_cause  # type: ignore[attr-defined]
        assert root.code == "iam-role.bad_setting"
        assert "AWS_METADATA_SERVICE_TIMEOUT='0.5'" in root.summary

    def test_mode_ignored_with_custom_endpoint(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")
        report = iam(failing_call())
        assert "ignored" in report.details["endpoint_mode_ignored"]
        assert report.details["endpoint"].startswith("http://127.0.0.1:")


class TestProbe:
    """No recording (diagnose(), doctor, wrap of a foreign client): a bounded probe."""

    def test_probe_finds_credentials(self, imds: IMDSServer) -> None:
        diagnosis = credsafe.diagnose()
        report = iam(diagnosis)
        assert report.code == "iam-role.found"
        assert report.details["probed"] is True
        assert report.details["probe_attempts_per_request"] == 1
        assert [r.method for r in imds.requests] == ["PUT", "GET", "GET"]
        assert imds.requests[0].headers["x-aws-ec2-metadata-token-ttl-seconds"] == "21600"
        assert imds.requests[1].headers["x-aws-ec2-metadata-token"] == IMDS_TOKEN
        assert diagnosis.outcome is Outcome.FOUND
        assert_no_secret(diagnosis)

    def test_probe_classifies_like_the_recording(self, imds: IMDSServer) -> None:
        imds.token = Reply(hang=True)
        imds.require_token = True
        report = iam(credsafe.diagnose())
        assert report.code == "iam-role.hop_limit"

    def test_network_off_means_not_probed(self, imds: IMDSServer) -> None:
        report = iam(credsafe.diagnose(network=False))
        assert (report.code, report.status) == ("iam-role.not_probed", Status.SKIPPED)
        assert "network probes are switched off" in report.summary
        assert imds.requests == []

    def test_not_probed_when_an_earlier_source_wins(
        self, imds: IMDSServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """botocore would never reach IMDS, so neither does the probe."""
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        diagnosis = credsafe.diagnose()
        assert diagnosis.resolved_by == "env"
        assert imds.requests == []
        assert iam(diagnosis).status is Status.SKIPPED

    def test_silent_endpoint_stays_within_budget(
        self, silent_server: SilentServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", silent_server.url)
        monkeypatch.setenv("AWS_METADATA_SERVICE_TIMEOUT", "5")
        start = time.monotonic()
        diagnosis = credsafe.diagnose(budget=1.0)
        elapsed = time.monotonic() - start
        report = iam(diagnosis)
        assert report.code == "iam-role.timeout"
        assert elapsed < 1.0, elapsed
        assert report.details["probe_timeout_s"] <= 0.4

    def test_default_budget_is_two_seconds(
        self, silent_server: SilentServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", silent_server.url)
        start = time.monotonic()
        credsafe.diagnose()
        assert time.monotonic() - start < 2.0

    def test_no_budget_means_no_probe(self, imds: IMDSServer) -> None:
        report = iam(credsafe.diagnose(budget=0))
        assert report.code == "iam-role.not_probed"
        assert "budget" in report.summary
        assert imds.requests == []

    def test_wrapped_foreign_client_is_probed(self, imds: IMDSServer) -> None:
        imds.role_list = Reply(404, "Not Found")
        client = credsafe.wrap(boto3.client("s3", region_name="us-east-1"))
        before = len(imds.requests)
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            client.list_buckets()
        report = iam(info.value.diagnosis)  # type: ignore[attr-defined]
        assert report.code == "iam-role.no_instance_profile"
        assert report.details["probed"] is True
        assert len(imds.requests) == before + 2

    def test_probe_uses_the_imds_endpoint_only(
        self, imds: IMDSServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        seen = guard_loopback(monkeypatch)
        credsafe.diagnose()
        assert {port for _, port in seen} == {imds.port}


def test_codes_are_documented() -> None:
    from credsafe._codes import lookup

    for code in (
        "iam-role.hop_limit",
        "iam-role.no_instance_profile",
        "iam-role.not_json",
        "iam-role.ipv6_unreachable",
    ):
        doc = lookup(code)
        assert doc is not None and doc.fix




class TestMoreStates:
    def test_v1_disabled_and_token_timeout(
        self, imds: IMDSServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        imds.token = Reply(hang=True)
        monkeypatch.setenv("AWS_EC2_METADATA_V1_DISABLED", "true")
        with pytest.raises(botocore.exceptions.MetadataRetrievalError) as info:
            _session().client("s3")
        report = iam(info.value.diagnosis)  # type: ignore[attr-defined]
        assert report.code == "iam-role.v1_disabled_no_token"
        assert "timed out" in report.summary
        assert any("--http-put-response-hop-limit 2" in h for h in report.hints)

    def test_retries_are_all_recorded(
        self, imds: IMDSServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3")
        imds.role_list = Reply(404, "Not Found")
        report = iam(failing_call())
        assert report.code == "iam-role.no_instance_profile"
        assert [e["status"] for e in report.details["exchanges"]] == [200, 404, 404, 404]
        assert report.details["num_attempts"] == 3

    def test_ipv6_mode_names_the_ipv6_endpoint(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without a custom endpoint botocore would ask [fd00:ec2::254]; never probed here."""
        monkeypatch.delenv("AWS_EC2_METADATA_SERVICE_ENDPOINT")
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")
        report = iam(credsafe.diagnose(network=False))
        assert report.code == "iam-role.not_probed"
        assert report.details["endpoint"] == "http://[fd00:ec2::254]/"
        assert "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE" in report.summary

    def test_not_probed_behind_a_container_source(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/x")
        report = iam(credsafe.diagnose(network=False))
        assert "container-role comes first" in report.summary
