"""Issue #10: credentials that were found but rejected by AWS.

Against a real AWS API emulator (moto in server mode on 127.0.0.1, IAM
authentication on, so unknown keys are rejected) and a loopback endpoint that
answers each error shape. The ClientError keeps its class; it gains ``.diagnosis``
and a note.
"""

from __future__ import annotations

import email.utils
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import botocore.exceptions
import pytest

import credsafe
from credsafe import Status
from fakes import ACCESS_KEY, SECRET_KEY, SESSION_TOKEN, TEMP_ACCESS_KEY

OTHER_KEY = "AKIAJ7Q2EXAMPLE5KEYZ"
OTHER_SECRET = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    """moto's server on 127.0.0.1 with IAM authentication enforced."""
    pytest.importorskip("flask", reason="moto[server] is not installed")
    port = _free_port()
    env = {**os.environ, "INITIAL_NO_AUTH_ACTION_COUNT": "0"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:  # pragma: no cover
        proc.kill()
        pytest.fail("moto server did not start")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)


def _sts(endpoint: str, **session_kwargs: object):
    return credsafe.Session(region_name="us-east-1", **session_kwargs).client(  # type: ignore[arg-type]
        "sts", endpoint_url=endpoint
    )


def _assert_no_secret(exc: BaseException) -> None:
    text = "\n".join([str(exc), *getattr(exc, "__notes__", []), repr(exc.diagnosis.to_dict())])  # type: ignore[attr-defined]
    for secret in (SECRET_KEY, OTHER_SECRET, SESSION_TOKEN, ACCESS_KEY, OTHER_KEY, TEMP_ACCESS_KEY):
        assert secret not in text


class TestMoto:
    def test_stale_env_keys_over_profile(self, moto_endpoint: str, aws_files, monkeypatch) -> None:
        """Env keys win over AWS_PROFILE's keys; AWS rejects them; both are named."""
        aws_files.write_credentials(
            f"[work]\naws_access_key_id = {OTHER_KEY}\naws_secret_access_key = {OTHER_SECRET}\n"
        )
        monkeypatch.setenv("AWS_PROFILE", "work")
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        with pytest.raises(botocore.exceptions.ClientError) as info:
            _sts(moto_endpoint).get_caller_identity()
        exc = info.value
        assert type(exc).__name__ == "ClientError"
        assert not isinstance(exc, credsafe.CredsafeError)
        root = exc.diagnosis.root_cause
        assert root.code == "rejected.stale_env_keys"
        assert root.source == "env"
        assert root.status is Status.FAILED
        assert "****************MPLE" in root.summary
        assert "shared-credentials-file" in root.summary
        assert root.details["alternatives"][0]["access_key_id"] == "****************MPLE".replace("MPLE", OTHER_KEY[-4:])
        assert any("rejected.stale_env_keys" in note for note in exc.__notes__)
        _assert_no_secret(exc)

    def test_temporary_key_without_token(self, moto_endpoint: str, monkeypatch) -> None:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", TEMP_ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        with pytest.raises(botocore.exceptions.ClientError) as info:
            _sts(moto_endpoint).get_caller_identity()
        root = info.value.diagnosis.root_cause
        assert root.code == "rejected.temporary_key_without_token"
        assert "AWS_SESSION_TOKEN" in root.hints[0]
        _assert_no_secret(info.value)

    def test_unknown_key_from_shared_file(self, moto_endpoint: str, aws_files) -> None:
        aws_files.write_credentials(
            f"[default]\naws_access_key_id = {OTHER_KEY}\naws_secret_access_key = {OTHER_SECRET}\n"
        )
        with pytest.raises(botocore.exceptions.ClientError) as info:
            _sts(moto_endpoint).get_caller_identity()
        root = info.value.diagnosis.root_cause
        assert root.code == "rejected.unknown_key_id"
        assert root.source == "shared-credentials-file"
        assert info.value.diagnosis.resolved_by == "shared-credentials-file"
        _assert_no_secret(info.value)

    def test_waiter_and_s3transfer_keep_client_error_handling(
        self, moto_endpoint: str, monkeypatch, tmp_path: Path
    ) -> None:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        s3 = credsafe.Session(region_name="us-east-1").client("s3", endpoint_url=moto_endpoint)
        src = tmp_path / "f"
        src.write_text("x")
        import boto3.exceptions

        with pytest.raises(boto3.exceptions.S3UploadFailedError):
            s3.upload_file(str(src), "b", "k")
        with pytest.raises(botocore.exceptions.ClientError) as info:
            s3.list_buckets()
        assert info.value.diagnosis.root_cause.code == "rejected.unknown_key_id"


class _ErrorServer:
    """Answers every request with one STS-style XML error and a chosen Date."""

    def __init__(self) -> None:
        self.code = "ExpiredToken"
        self.status = 403
        self.date_offset = 0.0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                self.rfile.read(length)
                body = (
                    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
                    f"<Error><Type>Sender</Type><Code>{owner.code}</Code>"
                    "<Message>rejected</Message></Error><RequestId>r</RequestId>"
                    "</ErrorResponse>"
                ).encode()
                self.send_response_only(owner.status)
                self.send_header(
                    "Date", email.utils.formatdate(time.time() + owner.date_offset, usegmt=True)
                )
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def error_server() -> Iterator[_ErrorServer]:
    server = _ErrorServer()
    yield server
    server.stop()


def _no_retry_sts(url: str, region: str = "us-east-1"):
    from botocore.config import Config

    return credsafe.Session(region_name=region).client(
        "sts", endpoint_url=url, config=Config(retries={"max_attempts": 1, "mode": "standard"})
    )


class TestErrorShapes:
    @pytest.fixture(autouse=True)
    def _env_keys(self, monkeypatch) -> None:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", TEMP_ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)

    def test_expired_session(self, error_server: _ErrorServer) -> None:
        error_server.code = "ExpiredToken"
        with pytest.raises(botocore.exceptions.ClientError) as info:
            _no_retry_sts(error_server.url).get_caller_identity()
        root = info.value.diagnosis.root_cause
        assert root.code == "rejected.expired_session"
        assert root.source == "env"
        _assert_no_secret(info.value)

    def test_clock_skew(self, error_server: _ErrorServer) -> None:
        error_server.code = "SignatureDoesNotMatch"
        error_server.date_offset = -3600
        with pytest.raises(botocore.exceptions.ClientError) as info:
            _no_retry_sts(error_server.url).get_caller_identity()
        root = info.value.diagnosis.root_cause
        assert root.code == "rejected.clock_skew"
        assert "ahead of" in root.summary

    def test_signature_mismatch(self, error_server: _ErrorServer) -> None:
        error_server.code = "SignatureDoesNotMatch"
        with pytest.raises(botocore.exceptions.ClientError) as info:
            _no_retry_sts(error_server.url).get_caller_identity()
        assert info.value.diagnosis.root_cause.code == "rejected.signature_mismatch"

    def test_security_token_override(self, error_server: _ErrorServer, monkeypatch) -> None:
        monkeypatch.setenv("AWS_SECURITY_TOKEN", "stale-token-value-0123456789")
        error_server.code = "InvalidClientTokenId"
        with pytest.raises(botocore.exceptions.ClientError) as info:
            _no_retry_sts(error_server.url).get_caller_identity()
        root = info.value.diagnosis.root_cause
        assert root.code == "rejected.security_token_override"
        assert "stale-token-value" not in str(info.value.__notes__)

    def test_partition_mismatch(self, error_server: _ErrorServer) -> None:
        error_server.code = "InvalidClientTokenId"
        with pytest.raises(botocore.exceptions.ClientError) as info:
            _no_retry_sts(error_server.url, region="cn-north-1").get_caller_identity()
        root = info.value.diagnosis.root_cause
        assert root.code == "rejected.partition_mismatch"
        assert "aws-cn" in root.summary

    def test_other_client_errors_are_untouched(self, error_server: _ErrorServer) -> None:
        error_server.code = "AccessDenied"
        with pytest.raises(botocore.exceptions.ClientError) as info:
            _no_retry_sts(error_server.url).get_caller_identity()
        assert not hasattr(info.value, "diagnosis")
        assert not getattr(info.value, "__notes__", [])


class TestRefreshRefused:
    """AWS refuses while botocore *fetches* credentials (STS AssumeRole)."""

    def test_assume_role_refused_by_sts(self, moto_endpoint: str, aws_files, monkeypatch) -> None:
        aws_files.write_credentials(
            f"[base]\naws_access_key_id = {OTHER_KEY}\naws_secret_access_key = {OTHER_SECRET}\n"
        )
        aws_files.write_config(
            "[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\n"
            "source_profile = base\n"
        )
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", moto_endpoint)
        s3 = credsafe.Session(profile_name="deploy", region_name="us-east-1").client(
            "s3", endpoint_url=moto_endpoint
        )
        with pytest.raises(botocore.exceptions.ClientError) as info:
            s3.list_buckets()
        exc = info.value
        assert type(exc).__name__ == "ClientError"
        assert exc.operation_name == "AssumeRole"
        root = exc.diagnosis.root_cause
        assert root.source == "assume-role"
        assert root.status is Status.FAILED
        assert "AssumeRole" in root.summary
        assert any("assume-role" in note for note in exc.__notes__)
        _assert_no_secret(exc)
