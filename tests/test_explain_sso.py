"""The SSO (IAM Identity Center) explainer, against real botocore and real files.

Every test writes a real config file and, where it matters, a real token cache file
under the temporary HOME, and goes through ``credsafe.Session`` or
``credsafe.diagnose()``. No test contacts IAM Identity Center or SSO-OIDC: the
``no_network`` guard fails any connection outside 127.0.0.0/8, and token files
never carry refresh fields unless the test only diagnoses (never signs).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import botocore.credentials
import botocore.exceptions
import botocore.tokens
import pytest

import credsafe
from credsafe import CredsafeError, Outcome, Status
from servers import LoopbackServer, Reply

START_URL = "https://example-corp.awsapps.com/start"
ACCESS_TOKEN = "aoaAAAAAGd0ExampleSsoAccessToken0123456789abcdefGHIJKLmnopQRSTuvwxyz"
REFRESH_TOKEN = "Atrt|IwEBIExampleSsoRefreshToken0123456789abcdefGHIJKLmnopQRST"
CLIENT_SECRET = "eyJraWQiOiJrZXktMTU2NDAyODA5OSIsImFsZyI6IkhTMzg0In0ExampleClientSecret"

LEGACY = f"""[profile dev]
sso_start_url = {START_URL}
sso_region = us-east-1
sso_account_id = 111122223333
sso_role_name = ReadOnly
"""
WITH_SESSION = f"""[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly
region = us-east-1

[sso-session corp]
sso_start_url = {START_URL}
sso_region = us-east-1
sso_registration_scopes = sso:account:access
"""


@pytest.fixture
def sso_cache(aws_files: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    """botocore's SSO token directory, pointed under the temporary HOME.

    botocore computes ``_SSO_TOKEN_CACHE_DIR`` from ``~`` when it is imported,
    before the hermetic fixture changes HOME; this configures the path the way a
    process started with this HOME would have it (botocore's logic is untouched).
    """
    cache = aws_files.home / ".aws" / "sso" / "cache"
    monkeypatch.setattr(
        botocore.credentials.SSOProvider, "_SSO_TOKEN_CACHE_DIR", str(cache)
    )
    monkeypatch.setattr(
        botocore.tokens.SSOTokenProvider, "_SSO_TOKEN_CACHE_DIR", str(cache)
    )
    return cache


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Fail, and record, any DNS lookup or connection outside 127.0.0.0/8."""
    attempts: list[Any] = []
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in {"127.0.0.1", "localhost", None}:
            attempts.append(host)
            raise OSError(f"test guard: no DNS lookup of {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self: socket.socket, address: Any) -> Any:
        if not (isinstance(address, tuple) and str(address[0]).startswith("127.")):
            attempts.append(address)
            raise OSError(f"test guard: no connection to {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    yield attempts
    assert attempts == [], f"network outside loopback was attempted: {attempts}"


def _iso(delta: timedelta) -> str:
    return (datetime.now(timezone.utc) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_token(cache: Path, key_source: str, **fields: Any) -> Path:
    """Write a token cache file named like botocore's (sha1 of *key_source*)."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / (hashlib.sha1(key_source.encode()).hexdigest() + ".json")
    token: dict[str, Any] = {
        "startUrl": START_URL,
        "region": "us-east-1",
        "accessToken": ACCESS_TOKEN,
        "expiresAt": _iso(timedelta(hours=8)),
    }
    token.update(fields)
    path.write_text(json.dumps({k: v for k, v in token.items() if v is not None}))
    return path


def fail_api_call(profile: str = "dev") -> CredsafeError:
    """Make an API call with *profile* and return the enriched exception."""
    session = credsafe.Session(profile_name=profile, region_name="us-east-1")
    with pytest.raises(CredsafeError) as info:
        session.client("sts").get_caller_identity()
    return info.value


def assert_no_secret(text: str) -> None:
    for secret in (ACCESS_TOKEN, REFRESH_TOKEN, CLIENT_SECRET):
        assert secret not in text
        assert secret[:24] not in text


def sso_report(exc: BaseException) -> Any:
    diagnosis = exc.diagnosis  # type: ignore[attr-defined]
    report = diagnosis.source("sso")
    assert report is not None
    assert_no_secret(str(exc))
    assert_no_secret(json.dumps(diagnosis.to_dict()))
    return report


class TestConfiguration:
    def test_not_configured(self, aws_files: Any) -> None:
        """A profile without SSO keys: sso is not_configured, and says why."""
        aws_files.write_config("[profile dev]\nregion = us-east-1\n")
        report = credsafe.diagnose(profile_name="dev").source("sso")
        assert report is not None
        assert report.status is Status.NOT_CONFIGURED
        assert report.code == "sso.not_configured"
        assert "'dev'" in report.summary

    def test_session_settings_without_account_or_role(
        self, aws_files: Any, sso_cache: Path
    ) -> None:
        """sso_session alone never turns SSO credentials on: botocore says nothing."""
        aws_files.write_config(
            "[profile dev]\nsso_session = corp\n\n"
            f"[sso-session corp]\nsso_start_url = {START_URL}\nsso_region = us-east-1\n"
        )
        exc = fail_api_call()
        assert isinstance(exc, botocore.exceptions.NoCredentialsError)
        report = sso_report(exc)
        assert report.status is Status.MISCONFIGURED
        assert report.code == "sso.no_account_or_role"
        assert "sso_session" in report.summary
        assert f"{aws_files.config}:1" in report.hints[0]
        assert exc.diagnosis.root_cause.code == "sso.no_account_or_role"

    def test_missing_region_legacy(self, aws_files: Any) -> None:
        """A legacy profile without sso_region: InvalidConfigError, key named."""
        aws_files.write_config(LEGACY.replace("sso_region = us-east-1\n", ""))
        with pytest.raises(botocore.exceptions.InvalidConfigError) as info:
            credsafe.Session(profile_name="dev").client("sts", region_name="us-east-1")
        report = sso_report(info.value)
        assert report.status is Status.MISCONFIGURED
        assert report.code == "sso.incomplete"
        assert report.details["missing"] == ["sso_region"]
        assert any(
            "sso_region" in h and f"[profile dev] ({aws_files.config}:1)" in h
            for h in report.hints
        )
        assert info.value.diagnosis.root_cause.code == "sso.incomplete"

    def test_missing_start_url_in_session(self, aws_files: Any) -> None:
        """A missing sso_start_url belongs in the [sso-session] section: say so."""
        aws_files.write_config(
            WITH_SESSION.replace(f"sso_start_url = {START_URL}\n", "")
        )
        with pytest.raises(botocore.exceptions.InvalidConfigError) as info:
            credsafe.Session(profile_name="dev").client("sts", region_name="us-east-1")
        report = sso_report(info.value)
        assert report.code == "sso.incomplete"
        assert report.details["missing"] == ["sso_start_url"]
        assert f"[sso-session corp] ({aws_files.config}:7)" in report.hints[0]

    def test_session_section_missing(self, aws_files: Any) -> None:
        """sso_session names a section that does not exist; a near miss is found."""
        aws_files.write_config(
            WITH_SESSION.replace("[sso-session corp]", "[sso_session corp]")
        )
        with pytest.raises(botocore.exceptions.InvalidConfigError) as info:
            credsafe.Session(profile_name="dev").client("sts", region_name="us-east-1")
        report = sso_report(info.value)
        assert report.status is Status.MISCONFIGURED
        assert report.code == "sso.session_missing"
        assert "[sso-session corp]" in report.summary
        assert any(
            f"{aws_files.config}:7 has [sso_session corp]" in h for h in report.hints
        )
        assert info.value.diagnosis.root_cause.source == "sso"

    def test_session_section_in_credentials_file(self, aws_files: Any) -> None:
        """[sso-session] sections are read from the config file only."""
        config, session = WITH_SESSION.split("[sso-session corp]")
        aws_files.write_config(config)
        aws_files.write_credentials("[sso-session corp]" + session)
        report = credsafe.diagnose(profile_name="dev").source("sso")
        assert report is not None
        assert report.code == "sso.session_missing"
        assert any(
            h.startswith("[sso-session corp] is in the shared credentials file")
            and str(aws_files.config) in h
            for h in report.hints
        )

    def test_session_name_did_you_mean(self, aws_files: Any) -> None:
        aws_files.write_config(
            WITH_SESSION.replace("sso_session = corp", "sso_session = crop")
        )
        report = credsafe.diagnose(profile_name="dev").source("sso")
        assert report is not None
        assert report.code == "sso.session_missing"
        assert "Did you mean sso_session = corp?" in report.hints

    def test_inconsistent_values(self, aws_files: Any) -> None:
        """sso_region differs between profile and session: both values named."""
        aws_files.write_config(
            WITH_SESSION.replace(
                "sso_session = corp\n", "sso_session = corp\nsso_region = eu-west-1\n"
            )
        )
        with pytest.raises(botocore.exceptions.InvalidConfigError) as info:
            credsafe.Session(profile_name="dev").client("sts", region_name="us-east-1")
        report = sso_report(info.value)
        assert report.code == "sso.inconsistent"
        assert report.details["key"] == "sso_region"
        assert "eu-west-1" in report.summary
        assert "us-east-1" in report.summary
        assert f"[sso-session corp] ({aws_files.config}:8)" in report.summary
        assert "Delete the `sso_region = eu-west-1` line" in report.hints[0]


class TestToken:
    def test_never_logged_in_legacy(self, aws_files: Any, sso_cache: Path) -> None:
        """No cache file: SSOTokenLoadError at the call, with the exact command."""
        aws_files.write_config(LEGACY)
        exc = fail_api_call()
        assert isinstance(exc, botocore.exceptions.SSOTokenLoadError)
        report = sso_report(exc)
        assert report.status is Status.FAILED
        assert report.code == "sso.not_logged_in"
        expected = sso_cache / (hashlib.sha1(START_URL.encode()).hexdigest() + ".json")
        assert f"{expected.name} in {expected.parent} does not exist" in report.summary
        assert report.details["cache_file"] == str(expected)
        assert report.hints[0] == "Run `aws sso login --profile dev`, then retry."
        assert exc.diagnosis.outcome is Outcome.ERROR
        assert exc.diagnosis.root_cause.code == "sso.not_logged_in"
        assert "aws sso login --profile dev" in str(exc)

    def test_never_logged_in_session(self, aws_files: Any, sso_cache: Path) -> None:
        """With an sso-session the file is sha1(session name); both commands given."""
        aws_files.write_config(WITH_SESSION)
        exc = fail_api_call()
        report = sso_report(exc)
        assert report.code == "sso.not_logged_in"
        assert report.details["cache_file"] == str(
            sso_cache / (hashlib.sha1(b"corp").hexdigest() + ".json")
        )
        assert report.hints[0] == (
            "Run `aws sso login --sso-session corp` "
            "(or `aws sso login --profile dev`), then retry."
        )

    def test_doctor_predicts_not_logged_in(
        self, aws_files: Any, sso_cache: Path
    ) -> None:
        """Without a failure, diagnose() reads the cache and predicts the error."""
        aws_files.write_config(LEGACY)
        diagnosis = credsafe.diagnose(profile_name="dev")
        report = diagnosis.source("sso")
        assert report is not None
        assert report.code == "sso.not_logged_in"
        assert diagnosis.outcome is Outcome.ERROR
        assert diagnosis.root_cause.code == "sso.not_logged_in"

    @pytest.mark.skipif(
        "expiresAt"
        not in inspect.getsource(
            botocore.credentials.SSOCredentialFetcher._get_credentials
        ),
        reason="this botocore sends an expired legacy token to SSO (no local check)",
    )
    def test_expired_legacy(self, aws_files: Any, sso_cache: Path) -> None:
        """An expired legacy token: UnauthorizedSSOTokenError, expiry time named."""
        aws_files.write_config(LEGACY)
        write_token(sso_cache, START_URL, expiresAt=_iso(-timedelta(hours=2)))
        exc = fail_api_call()
        assert isinstance(exc, botocore.exceptions.UnauthorizedSSOTokenError)
        report = sso_report(exc)
        assert report.status is Status.FAILED
        assert report.code == "sso.token_expired"
        assert "expired at" in report.summary
        assert (
            "(2 hours ago); botocore raises UnauthorizedSSOTokenError" in report.summary
        )
        assert report.hints == ("Run `aws sso login --profile dev`, then retry.",)

    def test_expired_session_without_refresh(
        self, aws_files: Any, sso_cache: Path
    ) -> None:
        """An expired sso-session token that cannot be refreshed: no network."""
        aws_files.write_config(WITH_SESSION)
        write_token(sso_cache, "corp", expiresAt=_iso(-timedelta(minutes=5)))
        exc = fail_api_call()
        assert isinstance(exc, botocore.exceptions.TokenRetrievalError)
        report = sso_report(exc)
        assert report.code == "sso.token_expired"
        assert "cannot be refreshed" in report.summary
        assert "--sso-session corp" in report.hints[0]

    def test_expired_session_refreshable_is_only_diagnosed(
        self, aws_files: Any, sso_cache: Path
    ) -> None:
        """A refreshable token: found, botocore will refresh it (never done here)."""
        aws_files.write_config(WITH_SESSION)
        write_token(
            sso_cache,
            "corp",
            expiresAt=_iso(-timedelta(minutes=5)),
            refreshToken=REFRESH_TOKEN,
            clientId="exampleClientId",
            clientSecret=CLIENT_SECRET,
            registrationExpiresAt=_iso(timedelta(days=60)),
        )
        before = {p.name: p.read_bytes() for p in sso_cache.iterdir()}
        diagnosis = credsafe.diagnose(profile_name="dev")
        report = diagnosis.source("sso")
        assert report is not None
        assert report.status is Status.FOUND
        assert report.code == "sso.token_needs_refresh"
        assert "oidc.us-east-1.amazonaws.com" in report.summary
        assert diagnosis.outcome is Outcome.FOUND
        assert {p.name: p.read_bytes() for p in sso_cache.iterdir()} == before
        assert_no_secret(json.dumps(diagnosis.to_dict()))

    def test_corrupt_cache_file(self, aws_files: Any, sso_cache: Path) -> None:
        """A cache file that is not JSON: botocore raises a bare KeyError."""
        aws_files.write_config(LEGACY)
        path = write_token(sso_cache, START_URL)
        path.write_text('{"accessToken": "' + ACCESS_TOKEN)
        exc = fail_api_call()
        assert isinstance(exc, KeyError)
        report = sso_report(exc)
        assert report.code == "sso.token_invalid"
        assert "is not valid JSON" in report.summary
        assert report.hints[0].startswith(
            f"Delete {path.name} in {path.parent}, then run `aws sso login"
        )

    def test_token_without_fields(self, aws_files: Any, sso_cache: Path) -> None:
        """A cache file without expiresAt: SSOTokenLoadError 'is invalid'."""
        aws_files.write_config(LEGACY)
        write_token(sso_cache, START_URL, expiresAt=None)
        exc = fail_api_call()
        assert isinstance(exc, botocore.exceptions.SSOTokenLoadError)
        report = sso_report(exc)
        assert report.code == "sso.token_invalid"
        assert report.details["token_keys"] == ["accessToken", "region", "startUrl"]

    def test_valid_login_found(self, aws_files: Any, sso_cache: Path) -> None:
        """A valid cached login: found, with account, role and expiry; no secret."""
        aws_files.write_config(WITH_SESSION)
        write_token(
            sso_cache, "corp", refreshToken=REFRESH_TOKEN, clientSecret=CLIENT_SECRET
        )
        diagnosis = credsafe.diagnose(profile_name="dev")
        assert diagnosis.outcome is Outcome.FOUND
        assert diagnosis.resolved_by == "sso"
        report = diagnosis.source("sso")
        assert report is not None
        assert report.code == "sso.found"
        assert "111122223333" in report.summary
        assert "ReadOnly" in report.summary
        assert_no_secret(json.dumps(diagnosis.to_dict()))

    def test_cache_under_another_home(
        self, aws_files: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """botocore fixed its cache dir from an earlier HOME; the login is elsewhere."""
        imported_home = tmp_path / "home-at-import"
        monkeypatch.setattr(
            botocore.credentials.SSOProvider,
            "_SSO_TOKEN_CACHE_DIR",
            str(imported_home / ".aws" / "sso" / "cache"),
        )
        aws_files.write_config(LEGACY)
        written = write_token(aws_files.home / ".aws" / "sso" / "cache", START_URL)
        exc = fail_api_call()
        report = sso_report(exc)
        assert report.status is Status.FAILED
        assert report.code == "sso.cache_elsewhere"
        assert str(imported_home / ".aws" / "sso" / "cache") in report.summary
        assert f"{written.name} in {written.parent}" in report.summary
        assert report.details["found_at"] == str(written)

    def test_token_rejected_by_portal(
        self, aws_files: Any, sso_cache: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A valid-looking token the portal (a loopback server) rejects with 401."""

        class Portal(LoopbackServer):
            def route(self, method: str, path: str, headers: Any) -> Reply:
                return Reply(
                    401,
                    {
                        "__type": "UnauthorizedException",
                        "message": "Session token not found or invalid",
                    },
                    "application/json",
                )

        portal = Portal().start()
        try:
            monkeypatch.setenv("AWS_ENDPOINT_URL_SSO", portal.url.rstrip("/"))
            aws_files.write_config(LEGACY)
            write_token(sso_cache, START_URL)
            exc = fail_api_call()
        finally:
            portal.stop()
        assert isinstance(exc, botocore.exceptions.UnauthorizedSSOTokenError)
        assert [r.path.split("?")[0] for r in portal.requests] == [
            "/federation/credentials"
        ]
        report = sso_report(exc)
        assert report.code == "sso.token_rejected"
        assert "rejected" in report.summary
        assert report.hints == ("Run `aws sso login --profile dev`, then retry.",)
