"""The legacy sources, ``ec2-credentials-file`` and ``boto-config``, on real files.

Each test writes the real file (or points the real variable at nothing) and goes
through ``credsafe.Session`` or ``credsafe.diagnose()`` with real botocore.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import botocore.exceptions
import pytest

import credsafe
from credsafe import CredsafeError, Outcome, Status
from fakes import ACCESS_KEY, MASKED, SECRET_KEY


@pytest.fixture(autouse=True)
def empty_aws_files(aws_files: Any) -> None:
    """Empty ~/.aws files, so that no other source is the root cause."""
    aws_files.write_config("")
    aws_files.write_credentials("")


def fail_client() -> CredsafeError:
    with pytest.raises(CredsafeError) as info:
        credsafe.Session(region_name="us-east-1").client("sts")
    return info.value


def fail_call() -> CredsafeError:
    with pytest.raises(CredsafeError) as info:
        credsafe.Session(region_name="us-east-1").client("sts").get_caller_identity()
    return info.value


def report_of(exc: BaseException, source: str) -> Any:
    diagnosis = exc.diagnosis  # type: ignore[attr-defined]
    report = diagnosis.source(source)
    assert report is not None
    text = str(exc) + json.dumps(diagnosis.to_dict())
    assert SECRET_KEY not in text
    assert ACCESS_KEY not in text
    return report


class TestEc2CredentialFile:
    def test_not_configured(self) -> None:
        report = credsafe.diagnose().source("ec2-credentials-file")
        assert report is not None
        assert report.status is Status.NOT_CONFIGURED
        assert report.code == "ec2-credentials-file.not_configured"

    def test_missing_file_stops_the_chain(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """ConfigNotFound aborts botocore's chain: root cause, path, and the fix."""
        missing = tmp_path / "ec2-creds"
        monkeypatch.setenv("AWS_CREDENTIAL_FILE", str(missing))
        exc = fail_client()
        assert isinstance(exc, botocore.exceptions.ConfigNotFound)
        report = report_of(exc, "ec2-credentials-file")
        assert report.status is Status.MISCONFIGURED
        assert report.code == "ec2-credentials-file.file_not_found"
        assert f"AWS_CREDENTIAL_FILE is set to {missing}, which does not exist" in (
            report.summary
        )
        assert "stops the whole chain" in report.summary
        assert report.hints[0].startswith("`unset AWS_CREDENTIAL_FILE`")
        diagnosis = exc.diagnosis
        assert diagnosis.root_cause.code == "ec2-credentials-file.file_not_found"
        assert diagnosis.source("iam-role").status is Status.SKIPPED

    def test_unexpanded_variable(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """botocore does not expand $VARS here: say so and give the path written out."""
        real = tmp_path / "ec2-creds"
        real.write_text(f"AWSAccessKeyId={ACCESS_KEY}\nAWSSecretKey={SECRET_KEY}\n")
        monkeypatch.setenv("CREDS_DIR", str(tmp_path))
        monkeypatch.setenv("AWS_CREDENTIAL_FILE", "$CREDS_DIR/ec2-creds")
        report = report_of(fail_client(), "ec2-credentials-file")
        assert report.code == "ec2-credentials-file.file_not_found"
        assert "not environment variables" in report.summary
        assert report.hints[0].startswith(f'export AWS_CREDENTIAL_FILE="{real}"')

    def test_directory(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_CREDENTIAL_FILE", str(tmp_path))
        report = report_of(fail_client(), "ec2-credentials-file")
        assert report.code == "ec2-credentials-file.file_not_found"
        assert "is a directory" in report.summary

    def test_empty_value(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """AWS_CREDENTIAL_FILE= (empty) is still 'set': botocore opens '' and stops."""
        monkeypatch.setenv("AWS_CREDENTIAL_FILE", "")
        exc = fail_client()
        assert isinstance(exc, botocore.exceptions.ConfigNotFound)
        report = report_of(exc, "ec2-credentials-file")
        assert report.code == "ec2-credentials-file.file_not_found"
        assert "AWS_CREDENTIAL_FILE is set to '', which is empty" in report.summary

    def test_key_without_secret(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """AWSAccessKeyId alone: botocore raises a bare KeyError; line and fix named."""
        path = tmp_path / "ec2-creds"
        path.write_text(f"# EC2 tools\nAWSAccessKeyId={ACCESS_KEY}\n")
        monkeypatch.setenv("AWS_CREDENTIAL_FILE", str(path))
        exc = fail_client()
        assert isinstance(exc, KeyError)
        report = report_of(exc, "ec2-credentials-file")
        assert report.status is Status.MISCONFIGURED
        assert report.code == "ec2-credentials-file.partial"
        assert f"{path}:2" in report.summary
        assert MASKED in report.summary
        assert report.hints[0].startswith("Add a line `AWSSecretKey=")
        assert exc.diagnosis.root_cause.source == "ec2-credentials-file"

    def test_secret_without_key(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        path = tmp_path / "ec2-creds"
        path.write_text(f"AWSSecretKey={SECRET_KEY}\n")
        monkeypatch.setenv("AWS_CREDENTIAL_FILE", str(path))
        exc = fail_call()
        assert isinstance(exc, botocore.exceptions.NoCredentialsError)
        report = report_of(exc, "ec2-credentials-file")
        assert report.code == "ec2-credentials-file.secret_without_key_id"
        assert f"{path}:1" in report.summary
        assert (
            exc.diagnosis.root_cause.code
            == "ec2-credentials-file.secret_without_key_id"
        )

    def test_shared_credentials_format(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An INI credentials file in AWS_CREDENTIAL_FILE: point at the right variable."""
        path = tmp_path / "creds"
        path.write_text(
            f"[default]\naws_access_key_id = {ACCESS_KEY}\n"
            f"aws_secret_access_key = {SECRET_KEY}\n"
        )
        monkeypatch.setenv("AWS_CREDENTIAL_FILE", str(path))
        report = report_of(fail_call(), "ec2-credentials-file")
        assert report.code == "ec2-credentials-file.no_keys"
        assert f'export AWS_SHARED_CREDENTIALS_FILE="{path}"' in report.hints[-1]

    def test_misspelled_key(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        path = tmp_path / "ec2-creds"
        path.write_text(f"AWSAccessKeyID={ACCESS_KEY}\nAWSSecretKey={SECRET_KEY}\n")
        monkeypatch.setenv("AWS_CREDENTIAL_FILE", str(path))
        report = report_of(fail_call(), "ec2-credentials-file")
        assert report.code == "ec2-credentials-file.no_keys"
        assert report.details["near_misses"] == ["AWSAccessKeyID"]
        assert (
            f"{path}:1: rename `AWSAccessKeyID` to `AWSAccessKeyId`" in report.hints[0]
        )

    def test_found(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        path = tmp_path / "ec2-creds"
        path.write_text(f"AWSAccessKeyId={ACCESS_KEY}\nAWSSecretKey={SECRET_KEY}\n")
        monkeypatch.setenv("AWS_CREDENTIAL_FILE", str(path))
        diagnosis = credsafe.diagnose()
        assert diagnosis.outcome is Outcome.FOUND
        assert diagnosis.resolved_by == "ec2-credentials-file"
        report = diagnosis.source("ec2-credentials-file")
        assert report.code == "ec2-credentials-file.found"
        assert MASKED in report.summary
        assert SECRET_KEY not in json.dumps(diagnosis.to_dict())


class TestBotoConfig:
    def test_not_configured_names_paths(self, aws_files: Any) -> None:
        """The hermetic BOTO_CONFIG points at nothing: not_configured, path named."""
        report = credsafe.diagnose().source("boto-config")
        assert report is not None
        assert report.status is Status.NOT_CONFIGURED
        assert report.code == "boto-config.not_configured"
        assert str(aws_files.boto_config) in report.summary
        assert "which does not exist" in report.summary

    def test_partial_in_boto_config(self, aws_files: Any) -> None:
        """[Credentials] with a key id and no secret: PartialCredentialsError."""
        aws_files.boto_config.write_text(
            f"[Boto]\ndebug = 0\n\n[Credentials]\naws_access_key_id = {ACCESS_KEY}\n"
        )
        exc = fail_client()
        assert isinstance(exc, botocore.exceptions.PartialCredentialsError)
        report = report_of(exc, "boto-config")
        assert report.status is Status.MISCONFIGURED
        assert report.code == "boto-config.partial"
        assert f"{aws_files.boto_config}:5" in report.summary
        assert MASKED in report.summary
        assert "aws_secret_access_key" in report.hints[0]
        assert exc.diagnosis.root_cause.code == "boto-config.partial"

    def test_partial_in_home_dot_boto(
        self, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without BOTO_CONFIG botocore reads ~/.boto (under HOME at load time)."""
        if os.path.exists("/etc/boto.cfg"):
            pytest.skip("/etc/boto.cfg exists on this machine and is read first")
        monkeypatch.delenv("BOTO_CONFIG")
        dot_boto = aws_files.home / ".boto"
        dot_boto.write_text(f"[Credentials]\naws_access_key_id = {ACCESS_KEY}\n")
        exc = fail_client()
        report = report_of(exc, "boto-config")
        assert report.code == "boto-config.partial"
        assert f"{dot_boto}:2" in report.summary
        assert report.details["looked_at"] == ["/etc/boto.cfg", str(dot_boto)]

    def test_secret_without_key(self, aws_files: Any) -> None:
        aws_files.boto_config.write_text(
            f"[Credentials]\naws_secret_access_key = {SECRET_KEY}\n"
        )
        exc = fail_call()
        report = report_of(exc, "boto-config")
        assert report.code == "boto-config.secret_without_key_id"
        assert f"{aws_files.boto_config}:2" in report.summary
        assert exc.diagnosis.root_cause.code == "boto-config.secret_without_key_id"

    def test_lowercase_section(self, aws_files: Any) -> None:
        """[credentials] is not [Credentials]: botocore ignores it silently."""
        aws_files.boto_config.write_text(
            f"[credentials]\naws_access_key_id = {ACCESS_KEY}\n"
            f"aws_secret_access_key = {SECRET_KEY}\n"
        )
        report = report_of(fail_call(), "boto-config")
        assert report.code == "boto-config.misnamed"
        assert "section [credentials] (line 1)" in report.summary
        assert "Rename [credentials] to [Credentials]" in report.hints[0]

    def test_misspelled_key(self, aws_files: Any) -> None:
        aws_files.boto_config.write_text(
            f"[Credentials]\naws_access_key = {ACCESS_KEY}\n"
            f"aws_secret_access_key = {SECRET_KEY}\n"
        )
        report = report_of(fail_call(), "boto-config")
        assert report.code == "boto-config.misnamed"
        assert f"aws_access_key at {aws_files.boto_config}:2" in report.summary
        assert "Rename `aws_access_key` to `aws_access_key_id`" in report.hints[0]

    def test_gsutil_boto_file_is_not_an_error(self, aws_files: Any) -> None:
        """A ~/.boto written for gsutil (no AWS keys) is not flagged."""
        aws_files.boto_config.write_text("[Credentials]\ngs_oauth2_refresh_token = x\n")
        report = credsafe.diagnose().source("boto-config")
        assert report.status is Status.NOT_CONFIGURED

    def test_parse_error(self, aws_files: Any) -> None:
        """A syntax error in the boto config stops the chain; line named, no value."""
        aws_files.boto_config.write_text(
            f"[Credentials]\naws_access_key_id = {ACCESS_KEY}\n{SECRET_KEY}\n"
        )
        exc = fail_client()
        assert isinstance(exc, botocore.exceptions.ConfigParseError)
        report = report_of(exc, "boto-config")
        assert report.code == "boto-config.parse_error"
        assert f"{aws_files.boto_config}:3" in report.summary
        assert report.details["line"] == 3

    def test_boto_config_hides_dot_boto(self, aws_files: Any) -> None:
        """BOTO_CONFIG set to a missing file hides a ~/.boto with credentials."""
        dot_boto = aws_files.home / ".boto"
        dot_boto.write_text(
            f"[Credentials]\naws_access_key_id = {ACCESS_KEY}\n"
            f"aws_secret_access_key = {SECRET_KEY}\n"
        )
        exc = fail_call()
        report = report_of(exc, "boto-config")
        assert report.status is Status.MISCONFIGURED
        assert report.code == "boto-config.env_replaces_defaults"
        assert str(dot_boto) in report.summary
        assert (
            report.hints[0] == f"`unset BOTO_CONFIG` to let botocore read {dot_boto},"
        )

    def test_boto_config_for_gsutil_hides_dot_boto(self, aws_files: Any) -> None:
        """BOTO_CONFIG names a file without AWS keys: ~/.boto is still never read."""
        aws_files.boto_config.write_text("[Credentials]\ngs_oauth2_refresh_token = x\n")
        (aws_files.home / ".boto").write_text(
            f"[Credentials]\naws_access_key_id = {ACCESS_KEY}\n"
            f"aws_secret_access_key = {SECRET_KEY}\n"
        )
        report = credsafe.diagnose().source("boto-config")
        assert report is not None
        assert report.code == "boto-config.env_replaces_defaults"
        assert "which has no AWS keys" in report.summary

    def test_found(self, aws_files: Any) -> None:
        aws_files.boto_config.write_text(
            f"[Credentials]\naws_access_key_id = {ACCESS_KEY}\n"
            f"aws_secret_access_key = {SECRET_KEY}\n"
        )
        diagnosis = credsafe.diagnose()
        assert diagnosis.resolved_by == "boto-config"
        report = diagnosis.source("boto-config")
        assert report.code == "boto-config.found"
        assert f"{aws_files.boto_config}:2" in report.summary
        assert SECRET_KEY not in json.dumps(diagnosis.to_dict())
