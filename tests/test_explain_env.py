"""Issue #3, environment variables (``env``): every finding, through credsafe.Session.

Each test sets a real environment, lets real botocore resolve (or fail to resolve)
credentials through :class:`credsafe.Session`, and checks the code, the summary
naming the variable, the fix, and that no secret is printed anywhere.
"""

from __future__ import annotations

import json
from typing import Any

import botocore.exceptions
import pytest

import credsafe
from credsafe import Status
from fakes import ACCESS_KEY, MASKED, SECRET_KEY, SESSION_TOKEN, TEMP_ACCESS_KEY


def _session(**kwargs: Any) -> credsafe.Session:
    return credsafe.Session(region_name="us-east-1", **kwargs)


def _no_secrets(*texts: str) -> None:
    for text in texts:
        assert SECRET_KEY not in text
        assert SECRET_KEY.strip()[-10:] not in text
        assert SESSION_TOKEN not in text
        assert ACCESS_KEY not in text


def _check_exc(exc: BaseException) -> None:
    _no_secrets(str(exc), json.dumps(exc.diagnosis.to_dict()))  # type: ignore[attr-defined]


def _env_report(diagnosis: credsafe.Diagnosis) -> credsafe.SourceReport:
    report = diagnosis.source("env")
    assert report is not None
    return report


def _diagnose(**kwargs: Any) -> credsafe.Diagnosis:
    diagnosis = credsafe.diagnose(_session(**kwargs))
    _no_secrets(json.dumps(diagnosis.to_dict()))
    return diagnosis


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    return monkeypatch


class TestMissingParts:
    def test_key_without_secret(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A key id alone raises PartialCredentialsError and stops the chain."""
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        with pytest.raises(botocore.exceptions.PartialCredentialsError) as info:
            _session().client("s3")
        root = info.value.diagnosis.root_cause
        assert (root.source, root.status, root.code) == (
            "env",
            Status.MISCONFIGURED,
            "env.partial",
        )
        assert MASKED in root.summary
        assert root.hints[0].startswith("export AWS_SECRET_ACCESS_KEY=")
        _check_exc(info.value)

    def test_empty_secret(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """AWS_SECRET_ACCESS_KEY='' is said to be empty, not missing."""
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "")
        with pytest.raises(botocore.exceptions.PartialCredentialsError) as info:
            _session().client("s3")
        root = info.value.diagnosis.root_cause
        assert root.code == "env.empty_secret"
        assert "AWS_SECRET_ACCESS_KEY is set to an empty value" in root.summary
        _check_exc(info.value)

    def test_secret_without_key(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """botocore silently ignores a lone secret; credsafe names it."""
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            _session().client("s3").list_buckets()
        env = _env_report(info.value.diagnosis)
        assert (env.status, env.code) == (
            Status.MISCONFIGURED,
            "env.secret_without_key_id",
        )
        assert info.value.diagnosis.root_cause.code == "env.secret_without_key_id"
        _check_exc(info.value)

    def test_empty_key(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            _session().client("s3").list_buckets()
        env = _env_report(info.value.diagnosis)
        assert env.code == "env.empty_key_id"
        assert "AWS_ACCESS_KEY_ID is set but empty" in env.summary
        _check_exc(info.value)


class TestNearMissNames:
    def test_secret_key_alias_explains_partial(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """AWS_SECRET_KEY (a Java SDK name) next to a key id: did you mean ...?"""
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_KEY", SECRET_KEY)
        with pytest.raises(botocore.exceptions.PartialCredentialsError) as info:
            _session().client("s3")
        root = info.value.diagnosis.root_cause
        assert root.code == "env.near_miss_name"
        assert "'AWS_SECRET_KEY' is set but botocore ignores it" in root.summary
        assert "Did you mean AWS_SECRET_ACCESS_KEY?" in root.summary
        assert root.hints[0] == (
            'export AWS_SECRET_ACCESS_KEY="$AWS_SECRET_KEY" && unset AWS_SECRET_KEY'
        )
        _check_exc(info.value)

    @pytest.mark.parametrize(
        ("name", "meant"),
        [
            ("aws_access_key_id", "AWS_ACCESS_KEY_ID"),
            ("AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID"),
            ("AWS_SECRET_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"),
        ],
    )
    def test_credential_name_near_miss(
        self, monkeypatch: pytest.MonkeyPatch, name: str, meant: str
    ) -> None:
        value = ACCESS_KEY if "ACCESS_KEY_ID" in meant else SECRET_KEY
        monkeypatch.setenv(name, value)
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            _session().client("s3").list_buckets()
        root = info.value.diagnosis.root_cause
        assert (root.source, root.code) == ("env", "env.near_miss_name")
        assert f"Did you mean {meant}?" in root.summary
        if name.islower():
            assert "lower case" in root.summary
        _check_exc(info.value)

    @pytest.mark.parametrize(
        "name",
        ["AWS_SESSION_TOKEN_TTL", "AWS_REGION", "AWS_CREDENTIAL_FILE", "MY_SECRET"],
    )
    def test_other_variables_are_not_near_misses(
        self, monkeypatch: pytest.MonkeyPatch, name: str
    ) -> None:
        monkeypatch.setenv(name, "x")
        env = _env_report(_diagnose())
        assert env.code == "env.not_configured"
        assert "findings" not in env.details

    def test_session_token_typo(self, keys: pytest.MonkeyPatch) -> None:
        """AWS_SESION_TOKEN next to an ASIA key: named as a secondary finding."""
        keys.setenv("AWS_ACCESS_KEY_ID", TEMP_ACCESS_KEY)
        keys.setenv("AWS_SESION_TOKEN", SESSION_TOKEN)
        env = _env_report(_diagnose())
        assert env.code == "env.temporary_key_without_token"
        assert env.details["findings"][0]["code"] == "env.near_miss_name"
        assert (
            "Did you mean AWS_SESSION_TOKEN?" in env.details["findings"][0]["summary"]
        )

    def test_profile_name_near_miss(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """AWS_PROFILE_NAME=dev is shown with its value (a profile name, not secret)."""
        monkeypatch.setenv("AWS_PROFILE_NAME", "dev")
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            _session().client("s3").list_buckets()
        env = _env_report(info.value.diagnosis)
        assert env.code == "env.near_miss_name"
        assert "'AWS_PROFILE_NAME'='dev'" in env.summary
        assert "Did you mean AWS_PROFILE?" in env.summary


class TestValuesBotocoreAcceptsButAwsRejects:
    def test_trailing_newline(self, keys: pytest.MonkeyPatch) -> None:
        keys.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY + "\n")
        env = _env_report(_diagnose())
        assert (env.status, env.code) == (Status.FOUND, "env.value_whitespace")
        assert "AWS_SECRET_ACCESS_KEY ends with a newline" in env.summary

    def test_quotes(self, keys: pytest.MonkeyPatch) -> None:
        keys.setenv("AWS_ACCESS_KEY_ID", f'"{ACCESS_KEY}"')
        env = _env_report(_diagnose())
        assert env.code == "env.value_quoted"
        assert 'AWS_ACCESS_KEY_ID is wrapped in " quotes' in env.summary

    def test_swapped_key_and_secret(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A secret in AWS_ACCESS_KEY_ID: not even its last characters are shown."""
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", SECRET_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", ACCESS_KEY)
        env = _env_report(_diagnose())
        assert env.code == "env.key_id_malformed"
        assert "40 characters" in env.summary
        assert SECRET_KEY[-4:] not in env.summary
        assert "swapped" in env.hints[0]

    def test_temporary_key_without_token(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", TEMP_ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        env = _env_report(_diagnose())
        assert env.code == "env.temporary_key_without_token"
        assert env.hints == (
            "export AWS_SESSION_TOKEN=<the session token issued with this key>",
        )

    def test_long_term_key_with_token(self, keys: pytest.MonkeyPatch) -> None:
        keys.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)
        env = _env_report(_diagnose())
        assert env.code == "env.long_term_key_with_token"
        assert "AWS_SESSION_TOKEN is also set" in env.summary

    def test_security_token_wins(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """botocore reads AWS_SECURITY_TOKEN before AWS_SESSION_TOKEN."""
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", TEMP_ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)
        monkeypatch.setenv("AWS_SECURITY_TOKEN", "OldTokenLeftOverFromYesterday0123")
        session = _session()
        creds = session.get_credentials()
        assert creds.token == "OldTokenLeftOverFromYesterday0123"  # what botocore does
        env = _env_report(_diagnose())
        assert env.code == "env.security_token_wins"
        assert "botocore uses AWS_SECURITY_TOKEN" in env.summary
        assert "OldTokenLeftOver" not in json.dumps(env.to_dict())


class TestExpiration:
    def test_unparsable(self, keys: pytest.MonkeyPatch) -> None:
        """dateutil's ParserError from botocore stops the chain; the variable is named."""
        keys.setenv("AWS_CREDENTIAL_EXPIRATION", "next tuesday-ish")
        with pytest.raises(ValueError) as info:
            _session().client("s3")
        assert isinstance(info.value, credsafe.CredsafeError)
        root = info.value.diagnosis.root_cause
        assert (root.source, root.code) == ("env", "env.expiration_unparsable")
        assert (
            "AWS_CREDENTIAL_EXPIRATION='next tuesday-ish' is not a date" in root.summary
        )
        _check_exc(info.value)

    def test_in_the_past(self, keys: pytest.MonkeyPatch) -> None:
        """Past expiration: botocore accepts the variables, then refuses to sign."""
        keys.setenv("AWS_CREDENTIAL_EXPIRATION", "2020-01-01T00:00:00Z")
        sts = _session().client("sts")
        with pytest.raises(RuntimeError) as info:
            sts.generate_presigned_url("get_caller_identity")
        assert isinstance(info.value, credsafe.CredsafeError)
        root = info.value.diagnosis.root_cause
        assert (root.source, root.status, root.code) == (
            "env",
            Status.FAILED,
            "env.expired",
        )
        assert (
            "AWS_CREDENTIAL_EXPIRATION='2020-01-01T00:00:00Z' is in the past"
            in root.summary
        )
        _check_exc(info.value)


class TestPrecedence:
    def test_env_shadows_aws_profile(
        self, keys: pytest.MonkeyPatch, aws_files: Any
    ) -> None:
        """Env keys win over AWS_PROFILE; the profile's own keys are reported shadowed."""
        aws_files.write_credentials(
            "[dev]\naws_access_key_id = AKIAI44QH8DHBEXAMPLE\n"
            "aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\n"
        )
        keys.setenv("AWS_PROFILE", "dev")
        diagnosis = _diagnose()
        env = _env_report(diagnosis)
        assert (env.status, env.code) == (Status.FOUND, "env.shadows_profile")
        assert "win over the profile 'dev' named by AWS_PROFILE" in env.summary
        shared = diagnosis.source("shared-credentials-file")
        assert (shared.status, shared.code) == (Status.SHADOWED, "chain.shadowed")
        assert "[dev] at" in shared.summary
        assert diagnosis.resolved_by == "env"

    def test_explicit_profile_skips_env(
        self, keys: pytest.MonkeyPatch, aws_files: Any
    ) -> None:
        aws_files.write_config("[profile dev]\nregion = us-east-1\n")
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            _session(profile_name="dev").client("s3").list_buckets()
        env = _env_report(info.value.diagnosis)
        assert (env.status, env.code) == (
            Status.SKIPPED,
            "env.skipped_explicit_profile",
        )
        assert "profile 'dev' was passed explicitly" in env.summary
        _check_exc(info.value)

    def test_default_profile_overrides_aws_profile(
        self, keys: pytest.MonkeyPatch, aws_files: Any
    ) -> None:
        """AWS_DEFAULT_PROFILE beats AWS_PROFILE in botocore (not in the AWS CLI)."""
        aws_files.write_config(
            "[profile a]\nregion = us-east-1\n[profile b]\nregion = eu-west-1\n"
        )
        keys.setenv("AWS_DEFAULT_PROFILE", "a")
        keys.setenv("AWS_PROFILE", "b")
        session = _session()
        assert session.profile_name == "a"  # what botocore does
        env = _env_report(_diagnose())
        findings = env.details["findings"]
        assert findings[0]["code"] == "env.default_profile_overrides"
        assert "botocore uses 'a'" in findings[0]["summary"]
        assert any("unset AWS_DEFAULT_PROFILE" in h for h in env.hints)

    def test_found(self, keys: pytest.MonkeyPatch) -> None:
        env = _env_report(_diagnose())
        assert (env.status, env.code) == (Status.FOUND, "env.found")
        assert MASKED in env.summary
        assert "long-term access key (AKIA)" in env.summary

    def test_not_configured(self) -> None:
        env = _env_report(_diagnose())
        assert (env.status, env.code) == (Status.NOT_CONFIGURED, "env.not_configured")
