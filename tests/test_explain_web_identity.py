"""The web-identity source (``assume-role-with-web-identity``), explained.

Real botocore, real token files. botocore reads the token only at the first
request, so a missing file surfaces there as a raw FileNotFoundError while the
recorded attempt says "found"; the STS endpoint is a closed loopback port, and no
test gets as far as calling it.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

import credsafe
from credsafe import CredsafeError, Outcome, Status
from credsafe._explain import web_identity
from servers import closed_port_url

ARN = "arn:aws:iam::123456789012:role/ci"
SIGNATURE = "c2lnbmF0dXJlLXRoYXQtaXMtbm90LWNoZWNrZWQtYnktY3JlZHNhZmUtMDEyMzQ1Njc4OQ"


def jwt(**claims: Any) -> str:
    def part(doc: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(doc).encode()).decode().rstrip("=")

    body = {
        "iss": "https://token.actions.githubusercontent.com",
        "aud": "sts.amazonaws.com",
        "sub": "repo:acme/app:ref:refs/heads/main",
        "exp": int(time.time()) + 3600,
        **claims,
    }
    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(body)}.{SIGNATURE}"


@pytest.fixture(autouse=True)
def _no_sts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", closed_port_url())


def report_of(diagnosis: Any, *secrets: str) -> Any:
    text = json.dumps(diagnosis.to_dict())
    for secret in secrets:
        assert secret not in text
        assert SIGNATURE not in text
    report = diagnosis.source("assume-role-with-web-identity")
    assert report is not None
    return report


def env_setup(
    monkeypatch: pytest.MonkeyPatch, token_file: Path | str, arn: str = ARN
) -> None:
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(token_file))
    monkeypatch.setenv("AWS_ROLE_ARN", arn)


def first_request_fails() -> CredsafeError:
    s3 = credsafe.Session(region_name="us-east-1").client("s3")
    with pytest.raises(CredsafeError) as info:
        s3.list_buckets()
    return info.value


def test_found_shows_claims_never_the_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = jwt()
    path = tmp_path / "token"
    path.write_text(token)
    env_setup(monkeypatch, path)
    diagnosis = credsafe.diagnose(network=False)
    report = report_of(diagnosis, token)
    assert report.code == "assume-role-with-web-identity.found"
    assert report.status is Status.FOUND
    assert diagnosis.resolved_by == "assume-role-with-web-identity"
    assert "issuer https://token.actions.githubusercontent.com" in report.summary
    assert "subject repo:acme/app:ref:refs/heads/main" in report.summary
    assert report.details["claims"]["aud"] == "sts.amazonaws.com"


def test_missing_file_at_first_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The raw FileNotFoundError of the first request is explained precisely."""
    env_setup(monkeypatch, tmp_path / "nope" / "token")
    exc = first_request_fails()
    assert isinstance(exc, FileNotFoundError)
    diagnosis = exc.diagnosis  # type: ignore[attr-defined]
    report = report_of(diagnosis)
    assert report.code == "assume-role-with-web-identity.token_file_missing"
    assert report.status is Status.MISCONFIGURED
    assert str(tmp_path / "nope" / "token") in report.summary
    assert "AWS_WEB_IDENTITY_TOKEN_FILE" in report.summary
    assert report.details["failed_at"] == "first use of the credentials"
    assert diagnosis.root_cause.code == report.code


def test_irsa_path_missing_names_the_projected_volume(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    irsa = tmp_path / "eks.amazonaws.com" / "serviceaccount" / "token"
    monkeypatch.setattr(web_identity, "IRSA_TOKEN_PATH", str(irsa))
    env_setup(monkeypatch, irsa)
    report = report_of(credsafe.diagnose(network=False))
    assert report.code == "assume-role-with-web-identity.token_file_missing"
    assert "aws-iam-token projected volume" in report.hints[0]


def test_tilde_is_not_expanded(aws_files: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    (aws_files.home / "token").write_text(jwt())
    aws_files.write_config(
        f"[profile ci]\nrole_arn = {ARN}\nweb_identity_token_file = ~/token\n"
    )
    s3 = credsafe.Session(profile_name="ci", region_name="us-east-1").client("s3")
    with pytest.raises(CredsafeError) as info:
        s3.list_buckets()
    report = report_of(info.value.diagnosis)  # type: ignore[attr-defined]
    assert report.code == "assume-role-with-web-identity.token_path_unexpanded"
    assert f"the file itself is at {aws_files.home / 'token'}" in report.summary
    assert f"{aws_files.config}:3" in report.summary
    assert str(aws_files.home / "token") in report.hints[0]


def test_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_setup(monkeypatch, tmp_path)
    exc = first_request_fails()
    assert isinstance(exc, IsADirectoryError)
    report = report_of(exc.diagnosis)  # type: ignore[attr-defined]
    assert report.code == "assume-role-with-web-identity.token_file_is_directory"


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
@pytest.mark.parametrize(
    ("blocked", "expected"),
    [("file", "cannot be read by this process"), ("directory", "may not be entered")],
)
def test_unreadable(monkeypatch: pytest.MonkeyPatch, blocked: str, expected: str) -> None:
    # A directory every user may enter (pytest's tmp_path is private to its owner).
    base = Path(tempfile.mkdtemp(prefix="credsafe-"))
    try:
        base.chmod(0o755 if blocked == "file" else 0o700)
        path = base / "token"
        path.write_text(jwt())
        path.chmod(0)
        env_setup(monkeypatch, path)
        if os.geteuid() != 0:
            diagnosis = credsafe.diagnose(network=False)
        else:
            # root reads every file: diagnose as 'nobody' (the effective uid only,
            # so that the test can switch back).
            os.seteuid(65534)
            try:
                diagnosis = credsafe.diagnose(network=False)
            finally:
                os.seteuid(0)
    finally:
        shutil.rmtree(base)
    report = report_of(diagnosis)
    assert report.code == "assume-role-with-web-identity.token_file_unreadable"
    assert expected in report.summary
    assert ("may not be entered" in report.summary) is (blocked == "directory")


def test_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "token"
    path.write_text("\n")
    env_setup(monkeypatch, path)
    diagnosis = credsafe.diagnose(network=False)
    report = report_of(diagnosis)
    assert report.code == "assume-role-with-web-identity.token_empty"
    assert diagnosis.outcome is Outcome.ERROR
    assert diagnosis.root_cause.code == report.code


def test_not_a_jwt_is_never_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = "ghp_Z3x9QmT7vR2kLp8NwY4sB6dF1hJ0aC5eXuVo"
    path = tmp_path / "token"
    path.write_text(token)
    env_setup(monkeypatch, path)
    report = report_of(credsafe.diagnose(network=False), token)
    assert report.code == "assume-role-with-web-identity.token_not_jwt"
    assert f"{len(token)} characters in 1 dot-separated part" in report.summary


def test_expired(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    token = jwt(exp=int(time.time()) - 7200, sub="system:serviceaccount:prod:app")
    path = tmp_path / "token"
    path.write_text(token)
    env_setup(monkeypatch, path)
    report = report_of(credsafe.diagnose(network=False), token)
    assert report.code == "assume-role-with-web-identity.token_expired"
    assert report.status is Status.FAILED
    assert "(2 hours ago)" in report.summary
    assert "subject system:serviceaccount:prod:app" in report.summary


def test_no_role_arn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "token"
    path.write_text(jwt())
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(path))
    with pytest.raises(CredsafeError) as info:
        credsafe.Session(region_name="us-east-1").client("s3")
    assert type(info.value.__cause__).__name__ == "InvalidConfigError"
    report = report_of(info.value.diagnosis)  # type: ignore[attr-defined]
    assert report.code == "assume-role-with-web-identity.no_role_arn"
    assert "neither AWS_ROLE_ARN nor role_arn in profile 'default'" in report.summary
    assert report.hints[0].startswith("export AWS_ROLE_ARN=arn:aws:iam::")


def test_role_arn_env_ignored_with_explicit_profile(
    aws_files: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "token"
    path.write_text(jwt())
    aws_files.write_config(f"[profile ci]\nweb_identity_token_file = {path}\n")
    monkeypatch.setenv("AWS_ROLE_ARN", ARN)
    with pytest.raises(CredsafeError) as info:
        credsafe.Session(profile_name="ci", region_name="us-east-1").client("s3")
    report = report_of(info.value.diagnosis)  # type: ignore[attr-defined]
    assert report.code == "assume-role-with-web-identity.no_role_arn"
    assert "AWS_ROLE_ARN is ignored because the profile was passed explicitly" in (
        report.summary
    )


def test_empty_role_arn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "token"
    path.write_text(jwt())
    env_setup(monkeypatch, path, arn="")
    with pytest.raises(CredsafeError) as info:
        credsafe.Session(region_name="us-east-1").client("s3")
    report = report_of(info.value.diagnosis)  # type: ignore[attr-defined]
    assert report.code == "assume-role-with-web-identity.no_role_arn"
    assert "AWS_ROLE_ARN is set to an empty value" in report.summary


def test_malformed_role_arn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "token"
    path.write_text(jwt())
    env_setup(monkeypatch, path, arn="arn:aws:iam::123456789012:user/ci")
    report = report_of(credsafe.diagnose(network=False))
    assert report.code == "assume-role-with-web-identity.malformed_role_arn"
    assert "IAM 'user'" in report.summary
    assert "(AWS_ROLE_ARN)" in report.summary


def test_env_beats_profile(
    aws_files: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "token"
    path.write_text(jwt())
    aws_files.write_config(
        "[default]\nrole_arn = arn:aws:iam::123456789012:role/other\n"
        "web_identity_token_file = /nowhere/token\n"
    )
    env_setup(monkeypatch, path)
    report = report_of(credsafe.diagnose(network=False))
    assert report.code == "assume-role-with-web-identity.found"
    assert f"the token in {path} (AWS_WEB_IDENTITY_TOKEN_FILE" in report.summary
    assert report.details["profile_values_overridden"] == {
        "web_identity_token_file": "AWS_WEB_IDENTITY_TOKEN_FILE",
        "role_arn": "AWS_ROLE_ARN",
    }


def test_explicit_profile_ignores_env(
    aws_files: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "token"
    path.write_text(jwt())
    env_setup(monkeypatch, path)
    aws_files.write_config("[default]\nregion = us-east-1\n")
    with pytest.raises(CredsafeError) as info:
        credsafe.Session(profile_name="default", region_name="us-east-1").client(
            "s3"
        ).list_buckets()
    diagnosis = info.value.diagnosis  # type: ignore[attr-defined]
    report = report_of(diagnosis)
    assert report.code == "assume-role-with-web-identity.env_ignored_explicit_profile"
    assert report.status is Status.MISCONFIGURED
    assert "profile_name='default'" in report.hints[0]
    assert diagnosis.root_cause.code == report.code


def test_role_arn_without_token_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ROLE_ARN", ARN)
    report = report_of(credsafe.diagnose(network=False))
    assert report.code == "assume-role-with-web-identity.role_arn_without_token_file"
    assert report.status is Status.MISCONFIGURED


def test_empty_variable_hides_profile(
    aws_files: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "token"
    path.write_text(jwt())
    aws_files.write_config(
        f"[default]\nrole_arn = {ARN}\nweb_identity_token_file = {path}\n"
    )
    monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "")
    report = report_of(credsafe.diagnose(network=False))
    assert report.code == "assume-role-with-web-identity.empty_token_file_variable"
    assert f"hides web_identity_token_file = {str(path)!r}" in report.summary
    assert "of profile 'default'" in report.summary


def test_not_configured(aws_files: Any) -> None:
    report = report_of(credsafe.diagnose(network=False))
    assert report.code == "assume-role-with-web-identity.not_configured"
    assert report.status is Status.NOT_CONFIGURED


class TestEKS:
    @pytest.fixture
    def pod(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        """A pod's mounted service-account files, under tmp_path."""
        monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.100.0.1")
        sa_dir = tmp_path / "kubernetes.io" / "serviceaccount"
        sa_dir.mkdir(parents=True)
        (sa_dir / "namespace").write_text("shop")
        (sa_dir / "token").write_text(jwt(sub="system:serviceaccount:shop:checkout"))
        monkeypatch.setattr(web_identity, "K8S_SERVICEACCOUNT_DIR", str(sa_dir))
        irsa = tmp_path / "eks.amazonaws.com" / "serviceaccount" / "token"
        monkeypatch.setattr(web_identity, "IRSA_TOKEN_PATH", str(irsa))
        return irsa

    def test_not_annotated(self, pod: Path) -> None:
        report = report_of(credsafe.diagnose(network=False))
        assert report.code == "assume-role-with-web-identity.irsa_not_configured"
        assert "service account 'checkout' in namespace 'shop'" in report.summary
        assert report.hints[0] == (
            "kubectl annotate serviceaccount checkout -n shop "
            "eks.amazonaws.com/role-arn=arn:aws:iam::<account id>:role/<role name>"
        )

    def test_token_mounted_but_env_missing(self, pod: Path) -> None:
        pod.parent.mkdir(parents=True)
        pod.write_text(jwt(aud="sts.amazonaws.com"))
        diagnosis = credsafe.diagnose(network=False)
        report = report_of(diagnosis)
        assert report.code == "assume-role-with-web-identity.irsa_env_missing"
        assert report.status is Status.MISCONFIGURED
        assert "kubectl get serviceaccount checkout -n shop" in report.hints[1]
        assert diagnosis.root_cause.code == report.code
