"""Bounded probes (credsafe._probe): same requests as botocore, one budget (issue 4)."""

from __future__ import annotations

import time
from typing import Any

import botocore.session
import pytest
from botocore.credentials import create_credential_resolver

from credsafe import _probe
from credsafe._context import RuntimeContext
from credsafe._explain._base import ReplayContext
from credsafe._model import ProfileInfo
from credsafe._recording import Resolution
from servers import (
    IMDS_TOKEN,
    SECRET_KEY,
    SESSION_TOKEN,
    ContainerServer,
    IMDSServer,
    Reply,
    SilentServer,
    guard_loopback,
)


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    return guard_loopback(monkeypatch)


def make_ctx(budget: float = 2.0, **kwargs: Any) -> ReplayContext:
    import os

    session = botocore.session.Session()
    return ReplayContext(
        session=session,
        environ=dict(os.environ),
        profile=ProfileInfo(name="default", origin="default"),
        explicit_profile=False,
        deadline=time.monotonic() + budget,
        runtime=RuntimeContext(kinds=()),
        **kwargs,
    )


def provider(ctx: ReplayContext, method: str) -> Any:
    for p in create_credential_resolver(ctx.session).providers:
        if method == p.METHOD:
            return p
    raise AssertionError(method)


class TestSkipReason:
    def test_probe_allowed(self) -> None:
        ctx = make_ctx()
        assert _probe.skip_reason(ctx, object()) is None

    def test_recorded_resolution_is_never_probed(self) -> None:
        ctx = make_ctx(resolution=Resolution(attempts=()))
        assert _probe.skip_reason(ctx, object()) == "the recorded resolution never reached it"

    def test_network_off(self) -> None:
        assert _probe.skip_reason(make_ctx(network=False), object()) == (
            "network probes are switched off"
        )

    def test_no_provider(self) -> None:
        assert "could not build" in str(_probe.skip_reason(make_ctx(), None))

    def test_earlier_source_stopped_the_chain(self) -> None:
        ctx = make_ctx()
        ctx.stopped_by = "env"
        assert _probe.skip_reason(ctx, object()) == "botocore stops at env before reaching it"

    def test_budget_used_up(self) -> None:
        assert "budget" in str(_probe.skip_reason(make_ctx(budget=0.05), object()))


class TestImdsProbe:
    def test_same_requests_as_botocore(self, imds: IMDSServer) -> None:
        ctx = make_ctx()
        p = provider(ctx, "iam-role")
        result = _probe.probe_imds(ctx, p)
        assert result.attempt.result == "found"
        # Exactly what botocore's own provider sends, User-Agent included.
        p.load()
        probe_requests, botocore_requests = imds.requests[:3], imds.requests[3:]
        assert [(r.method, r.path) for r in probe_requests] == [
            (r.method, r.path) for r in botocore_requests
        ]
        assert probe_requests[0].headers["user-agent"] == botocore_requests[0].headers["user-agent"]
        assert probe_requests[1].headers["x-aws-ec2-metadata-token"] == IMDS_TOKEN

    def test_exchanges_are_recorded_without_secrets(self, imds: IMDSServer) -> None:
        ctx = make_ctx()
        result = _probe.probe_imds(ctx, provider(ctx, "iam-role"))
        text = repr([e.to_dict() for e in result.attempt.exchanges])
        for secret in (IMDS_TOKEN, SECRET_KEY, SESSION_TOKEN):
            assert secret not in text
        assert [e.status for e in result.attempt.exchanges] == [200, 200, 200]
        assert SECRET_KEY in ctx.secrets and SESSION_TOKEN in ctx.secrets

    def test_live_provider_is_untouched(self, imds: IMDSServer) -> None:
        ctx = make_ctx()
        p = provider(ctx, "iam-role")
        session_before = p._role_fetcher._session
        _probe.probe_imds(ctx, p)
        assert p._role_fetcher._session is session_before

    def test_timeout_shares_the_budget(
        self, silent_server: SilentServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", silent_server.url)
        monkeypatch.setenv("AWS_METADATA_SERVICE_TIMEOUT", "10")
        monkeypatch.setenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "5")
        ctx = make_ctx(budget=0.7)
        start = time.monotonic()
        result = _probe.probe_imds(ctx, provider(ctx, "iam-role"))
        assert time.monotonic() - start < 0.7
        assert result.timeout == pytest.approx(0.2, abs=0.02)
        assert result.attempts_per_request == 1
        assert len(result.attempt.exchanges) == 2  # PUT timed out, then one v1 GET

    def test_disabled_sends_nothing(
        self, imds: IMDSServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
        ctx = make_ctx()
        result = _probe.probe_imds(ctx, provider(ctx, "iam-role"))
        assert result.attempt.result == "none"
        assert imds.requests == []


class TestContainerProbe:
    def test_one_attempt_no_sleep(self, container_server: ContainerServer) -> None:
        container_server.reply = Reply(500, "broken")
        ctx = make_ctx()
        start = time.monotonic()
        result = _probe.probe_container(ctx, provider(ctx, "container-role"))
        assert time.monotonic() - start < 0.5
        assert result.attempt.result == "raised"
        assert type(result.attempt.error).__name__ == "CredentialRetrievalError"
        assert len(container_server.requests) == 1

    def test_uses_the_diagnosed_environment(self, container_server: ContainerServer) -> None:
        ctx = make_ctx()
        env = dict(ctx.environ)
        env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "probe-token"
        ctx.environ = env
        _probe.probe_container(ctx, provider(ctx, "container-role"))
        assert container_server.requests[0].headers["authorization"] == "probe-token"
        assert container_server.requests[0].headers["accept"] == "application/json"

    def test_host_check_before_any_request(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://192.0.2.1/creds")
        ctx = make_ctx()
        result = _probe.probe_container(ctx, provider(ctx, "container-role"))
        assert isinstance(result.attempt.error, ValueError)
        assert result.attempt.exchanges == ()

    def test_silent_endpoint_bounded(
        self, silent_server: SilentServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", silent_server.url + "x")
        ctx = make_ctx(budget=0.4)
        start = time.monotonic()
        result = _probe.probe_container(ctx, provider(ctx, "container-role"))
        assert time.monotonic() - start < 0.4
        assert result.attempt.exchanges[0].error.startswith("ReadTimeoutError")
