"""The `aws login` (login_session) explainer, against real botocore and real files.

botocore needs ``awscrt`` for login_session profiles. Tests of what happens without
it run in the default environment (where awscrt is absent); tests of the cache and
refresh paths need awscrt and are skipped without it. Run them with awscrt on the
path, e.g. ``pip install --target /tmp/crt awscrt`` and
``PYTHONPATH=/tmp/crt python -m pytest tests/test_explain_login.py``.
Refreshes only ever reach a Sign-In stand-in on 127.0.0.1.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import socket
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import botocore.credentials
import botocore.exceptions
import pytest

import credsafe
import servers
from credsafe import CredsafeError, Outcome, Status
from fakes import MASKED, SECRET_KEY, SESSION_TOKEN, TEMP_ACCESS_KEY
from servers import LoopbackServer, Reply

pytestmark = pytest.mark.skipif(
    getattr(botocore.credentials, "LoginProvider", None) is None,
    reason="botocore < 1.41.0 has no login provider",
)

HAS_CRT = importlib.util.find_spec("awscrt") is not None
needs_crt = pytest.mark.skipif(not HAS_CRT, reason="needs awscrt (botocore[crt])")
without_crt = pytest.mark.skipif(HAS_CRT, reason="awscrt is installed")

SESSION_ARN = "arn:aws:iam::111122223333:user/alice"
REFRESH_TOKEN = "aorrtExampleLoginRefreshToken0123456789abcdefGHIJKLmnopQRSTuvwx"
PROFILE = f"[profile dev]\nlogin_session = {SESSION_ARN}\nregion = us-east-1\n"


class _PostHandler(servers._Handler):
    """The loopback servers' handler, also answering POST (Sign-In's protocol)."""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)  # drain the body before answering
        super()._serve()

    do_POST = _serve


class SignIn(LoopbackServer):
    """A stand-in for the AWS Sign-In service that refuses every refresh."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self._httpd.RequestHandlerClass = _PostHandler
        self.error = error

    def route(self, method: str, path: str, headers: Any) -> Reply:
        return Reply(
            400,
            {"__type": "AccessDeniedException", "error": self.error, "message": "no"},
            "application/json",
        )


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


def _dpop_key() -> str:
    """A real P-256 private key in PEM, as `aws login` writes it."""
    from awscrt.crypto import EC, ECExportFormat, ECType

    der = EC.new_generate(ECType.P_256).export_key(ECExportFormat.SEC1)
    body = base64.b64encode(der).decode()
    return f"-----BEGIN EC PRIVATE KEY-----\n{body}\n-----END EC PRIVATE KEY-----\n"


def write_cache(directory: Path, *, expires: timedelta, **overrides: Any) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (hashlib.sha256(SESSION_ARN.encode()).hexdigest() + ".json")
    token: dict[str, Any] = {
        "accessToken": {
            "accessKeyId": TEMP_ACCESS_KEY,
            "secretAccessKey": SECRET_KEY,
            "sessionToken": SESSION_TOKEN,
            "accountId": "111122223333",
            "expiresAt": _iso(expires),
        },
        "tokenType": "aws_sigv4",
        "refreshToken": REFRESH_TOKEN,
        "idToken": "ignored",
        "clientId": "arn:aws:signin:::devtools/same-device",
        "dpopKey": _dpop_key() if HAS_CRT else "not-a-key",
    }
    token.update(overrides)
    path.write_text(json.dumps({k: v for k, v in token.items() if v is not None}))
    return path


def default_cache(aws_files: Any) -> Path:
    return aws_files.home / ".aws" / "login" / "cache"


def login_report(exc_or_diagnosis: Any) -> Any:
    diagnosis = getattr(exc_or_diagnosis, "diagnosis", exc_or_diagnosis)
    text = json.dumps(diagnosis.to_dict()) + str(exc_or_diagnosis)
    for secret in (SECRET_KEY, SESSION_TOKEN, REFRESH_TOKEN, TEMP_ACCESS_KEY):
        assert secret not in text
    assert "PRIVATE KEY" not in text
    report = diagnosis.source("login")
    assert report is not None
    return report


def test_not_configured(aws_files: Any) -> None:
    aws_files.write_config("[profile dev]\nregion = us-east-1\n")
    report = login_report(credsafe.diagnose(profile_name="dev"))
    assert report.status is Status.NOT_CONFIGURED
    assert report.code == "login.not_configured"


@without_crt
class TestWithoutCrt:
    def test_missing_crt_at_client_creation(self, aws_files: Any) -> None:
        """MissingDependencyException: install botocore[crt], then `aws login`."""
        aws_files.write_config(PROFILE)
        with pytest.raises(botocore.exceptions.MissingDependencyException) as info:
            credsafe.Session(profile_name="dev").client("sts")
        assert isinstance(info.value, CredsafeError)
        report = login_report(info.value)
        assert report.status is Status.MISCONFIGURED
        assert report.code == "login.missing_crt"
        assert report.hints[0].startswith('pip install "botocore[crt]"')
        assert report.hints[1] == (
            "Then run `aws login --profile dev` (AWS CLI 2.32.0 or later)."
        )
        assert info.value.diagnosis.root_cause.code == "login.missing_crt"

    def test_missing_crt_with_cached_login(self, aws_files: Any) -> None:
        """A cached login exists: only the package is missing."""
        aws_files.write_config(PROFILE)
        write_cache(default_cache(aws_files), expires=timedelta(minutes=10))
        with pytest.raises(botocore.exceptions.MissingDependencyException) as info:
            credsafe.Session(profile_name="dev").client("sts")
        report = login_report(info.value)
        assert report.code == "login.missing_crt"
        assert len(report.hints) == 1

    def test_doctor_predicts_missing_crt(self, aws_files: Any) -> None:
        """diagnose() does not load this source; it predicts the error statically."""
        aws_files.write_config(PROFILE)
        diagnosis = credsafe.diagnose(profile_name="dev")
        report = login_report(diagnosis)
        assert report.code == "login.missing_crt"
        assert diagnosis.outcome is Outcome.ERROR
        assert diagnosis.root_cause.code == "login.missing_crt"


@needs_crt
class TestWithCrt:
    def test_not_logged_in(self, aws_files: Any) -> None:
        """No cache file: LoginTokenLoadError at client creation, path and command."""
        aws_files.write_config(PROFILE)
        with pytest.raises(botocore.exceptions.LoginTokenLoadError) as info:
            credsafe.Session(profile_name="dev").client("sts")
        report = login_report(info.value)
        assert report.status is Status.FAILED
        assert report.code == "login.not_logged_in"
        expected = default_cache(aws_files) / (
            hashlib.sha256(SESSION_ARN.encode()).hexdigest() + ".json"
        )
        assert f"{expected.name} in {expected.parent} does not exist" in report.summary
        assert report.hints[0] == (
            "Run `aws login --profile dev` (AWS CLI 2.32.0 or later), then retry."
        )
        assert info.value.diagnosis.root_cause.code == "login.not_logged_in"

    def test_cache_directory_variable(
        self, aws_files: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """AWS_LOGIN_CACHE_DIRECTORY moves the cache: the report says where."""
        monkeypatch.setenv("AWS_LOGIN_CACHE_DIRECTORY", str(tmp_path / "logins"))
        aws_files.write_config(PROFILE)
        write_cache(default_cache(aws_files), expires=timedelta(minutes=10))
        report = login_report(credsafe.diagnose(profile_name="dev"))
        assert report.code == "login.not_logged_in"
        assert report.details["cache_dir"] == str(tmp_path / "logins")
        assert f"AWS_LOGIN_CACHE_DIRECTORY is {tmp_path / 'logins'}" in report.summary

    def test_missing_fields(self, aws_files: Any) -> None:
        aws_files.write_config(PROFILE)
        write_cache(
            default_cache(aws_files), expires=timedelta(minutes=10), dpopKey=None
        )
        with pytest.raises(botocore.exceptions.LoginTokenLoadError) as info:
            credsafe.Session(profile_name="dev").client("sts")
        report = login_report(info.value)
        assert report.code == "login.token_invalid"
        assert "lacks dpopKey" in report.summary

    def test_found(self, aws_files: Any) -> None:
        aws_files.write_config(PROFILE)
        write_cache(default_cache(aws_files), expires=timedelta(minutes=10))
        diagnosis = credsafe.diagnose(profile_name="dev")
        report = login_report(diagnosis)
        assert report.status is Status.FOUND
        assert report.code == "login.found"
        assert MASKED.replace("MPLE", TEMP_ACCESS_KEY[-4:]) in report.summary
        assert diagnosis.resolved_by == "login"

    def test_expired_credentials_will_refresh(self, aws_files: Any) -> None:
        """Expired cached credentials are not an error: botocore refreshes them."""
        aws_files.write_config(PROFILE)
        path = write_cache(default_cache(aws_files), expires=-timedelta(minutes=30))
        before = path.read_bytes()
        report = login_report(credsafe.diagnose(profile_name="dev"))
        assert report.status is Status.FOUND
        assert report.code == "login.credentials_expired"
        assert path.read_bytes() == before

    def test_malformed_private_key(self, aws_files: Any) -> None:
        """An unloadable dpopKey fails the refresh before any network call."""
        aws_files.write_config(PROFILE)
        bad_key = "-----BEGIN EC PRIVATE KEY-----\nbm90IGEga2V5\n-----END EC PRIVATE KEY-----\n"
        write_cache(
            default_cache(aws_files), expires=-timedelta(minutes=30), dpopKey=bad_key
        )
        with pytest.raises(CredsafeError) as info:
            credsafe.Session(profile_name="dev").client("sts").get_caller_identity()
        report = login_report(info.value)
        assert report.status is Status.FAILED
        assert report.code == "login.token_invalid"
        assert "private key (dpopKey) that cannot be loaded" in report.summary
        assert info.value.diagnosis.root_cause.code == "login.token_invalid"

    @pytest.mark.parametrize(
        ("error", "exc_class", "code"),
        [
            ("TOKEN_EXPIRED", "LoginRefreshRequired", "login.session_expired"),
            (
                "INSUFFICIENT_PERMISSIONS",
                "LoginInsufficientPermissions",
                "login.insufficient_permissions",
            ),
        ],
    )
    def test_refresh_refused(
        self,
        aws_files: Any,
        monkeypatch: pytest.MonkeyPatch,
        error: str,
        exc_class: str,
        code: str,
    ) -> None:
        """Sign-In (a loopback stand-in) refuses the refresh at the API call."""

        server = SignIn(error).start()
        try:
            monkeypatch.setenv("AWS_ENDPOINT_URL_SIGNIN", server.url.rstrip("/"))
            aws_files.write_config(PROFILE)
            write_cache(default_cache(aws_files), expires=-timedelta(minutes=30))
            with pytest.raises(CredsafeError) as info:
                credsafe.Session(profile_name="dev").client("sts").get_caller_identity()
        finally:
            server.stop()
        assert type(info.value).__mro__[1].__name__ == exc_class
        assert [r.method for r in server.requests] == ["POST"]
        report = login_report(info.value)
        assert report.status is Status.FAILED
        assert report.code == code
        assert "aws login --profile dev" in " ".join(report.hints)
        assert info.value.diagnosis.root_cause.code == code
