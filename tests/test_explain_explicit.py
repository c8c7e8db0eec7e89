"""Issue #11: credentials passed in code are reported as the first source, ``explicit``."""

from __future__ import annotations

import botocore.exceptions
import pytest

import credsafe
from credsafe import Status
from fakes import ACCESS_KEY, MASKED, SECRET_KEY, TEMP_ACCESS_KEY
from test_rejected import _ErrorServer


def _no_secret(text: str) -> None:
    assert SECRET_KEY not in text
    assert ACCESS_KEY not in text


def test_empty_arguments_are_ignored_and_reported_first() -> None:
    """`os.environ.get()` of unset variables: boto3 ignores '' and walks the chain."""
    s = credsafe.Session(aws_access_key_id="", aws_secret_access_key="", region_name="us-east-1")
    with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
        s.client("s3").list_buckets()
    diagnosis = info.value.diagnosis
    first = diagnosis.sources[0]
    assert (first.source, first.status, first.code) == ("explicit", Status.MISCONFIGURED, "explicit.ignored")
    assert "aws_access_key_id=empty" in first.summary
    assert diagnosis.root_cause is not None and diagnosis.root_cause.code == "explicit.ignored"
    assert str(info.value).splitlines()[0] == "Unable to locate credentials"


def test_client_partial_arguments() -> None:
    """client(aws_access_key_id=...) without the secret: PartialCredentialsError(explicit)."""
    s = credsafe.Session(region_name="us-east-1")
    with pytest.raises(botocore.exceptions.PartialCredentialsError) as info:
        s.client("s3", aws_access_key_id=ACCESS_KEY)
    root = info.value.diagnosis.root_cause
    assert root is not None
    assert (root.source, root.code) == ("explicit", "explicit.incomplete")
    assert "aws_secret_access_key" in root.summary
    assert "raises PartialCredentialsError" in root.summary
    assert root.details["access_key_id"] == MASKED
    _no_secret(str(info.value))


@pytest.fixture
def error_server():
    server = _ErrorServer()
    server.code = "SignatureDoesNotMatch"
    yield server
    server.stop()


def test_swapped_pair_is_named_when_aws_rejects(error_server: _ErrorServer) -> None:
    s = credsafe.Session(aws_access_key_id=SECRET_KEY, aws_secret_access_key=ACCESS_KEY, region_name="us-east-1")
    from botocore.config import Config

    sts = s.client("sts", endpoint_url=error_server.url, config=Config(retries={"max_attempts": 1}))
    with pytest.raises(botocore.exceptions.ClientError) as info:
        sts.get_caller_identity()
    root = info.value.diagnosis.root_cause
    assert (root.source, root.code) == ("explicit", "explicit.swapped")
    _no_secret("\n".join([str(info.value), *info.value.__notes__, repr(info.value.diagnosis.to_dict())]))


def test_session_key_without_secret_signs_incompletely(error_server: _ErrorServer) -> None:
    s = credsafe.Session(aws_access_key_id=ACCESS_KEY, region_name="us-east-1")
    from botocore.config import Config

    sts = s.client("sts", endpoint_url=error_server.url, config=Config(retries={"max_attempts": 1}))
    with pytest.raises(botocore.exceptions.ClientError) as info:
        sts.get_caller_identity()
    root = info.value.diagnosis.root_cause
    assert root.code == "explicit.incomplete"
    assert "signs with incomplete credentials" in root.summary


def test_whitespace_and_temporary_key(error_server: _ErrorServer) -> None:
    from botocore.config import Config

    s = credsafe.Session(aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY + "\n", region_name="us-east-1")
    sts = s.client("sts", endpoint_url=error_server.url, config=Config(retries={"max_attempts": 1}))
    with pytest.raises(botocore.exceptions.ClientError) as info:
        sts.get_caller_identity()
    assert info.value.diagnosis.root_cause.code == "explicit.whitespace"

    s = credsafe.Session(aws_access_key_id=TEMP_ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name="us-east-1")
    sts = s.client("sts", endpoint_url=error_server.url, config=Config(retries={"max_attempts": 1}))
    with pytest.raises(botocore.exceptions.ClientError) as info:
        sts.get_caller_identity()
    assert info.value.diagnosis.root_cause.code == "explicit.temporary_without_token"


def test_explicit_credentials_shadow_the_profile(aws_files, monkeypatch, error_server: _ErrorServer) -> None:
    """Explicit arguments win over AWS_PROFILE's keys; the profile is reported shadowed."""
    aws_files.write_credentials(
        "[work]\naws_access_key_id = AKIAJ7Q2EXAMPLE5KEYZ\n"
        "aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\n"
    )
    monkeypatch.setenv("AWS_PROFILE", "work")
    error_server.code = "InvalidClientTokenId"
    s = credsafe.Session(aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name="us-east-1")
    from botocore.config import Config

    sts = s.client("sts", endpoint_url=error_server.url, config=Config(retries={"max_attempts": 1}))
    with pytest.raises(botocore.exceptions.ClientError) as info:
        sts.get_caller_identity()
    diagnosis = info.value.diagnosis
    assert diagnosis.sources[0].source == "explicit"
    shared = diagnosis.source("shared-credentials-file")
    assert shared is not None and shared.status is Status.SHADOWED
    assert shared.details["winner"] == "explicit"


def test_no_explicit_source_without_arguments() -> None:
    with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
        credsafe.Session(region_name="us-east-1").client("s3").list_buckets()
    assert info.value.diagnosis.source("explicit") is None



def test_diagnose_a_session_reports_its_explicit_credentials() -> None:
    """credsafe.diagnose(session) sees the credentials passed to that session."""
    s = credsafe.Session(aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)
    diagnosis = credsafe.diagnose(s, network=False)
    first = diagnosis.sources[0]
    assert (first.source, first.code, first.status) == ("explicit", "explicit.used", Status.FOUND)
    assert diagnosis.resolved_by == "explicit"
    assert first.details["access_key_id"] == MASKED
