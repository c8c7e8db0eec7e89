"""Type-checked, never run: credsafe.Session type-checks wherever boto3.Session does.

`nox -s typing` checks this file with mypy --strict against the installed credsafe
and boto3-stubs (with the s3 and sts extras). An ``assert_type`` fails when a type
degrades, and each ``# type: ignore[...]`` marks a mistake mypy must catch: with
``warn_unused_ignores`` it fails if credsafe ever turns the client types into Any.
"""

from __future__ import annotations

from typing import assert_type

import boto3
import boto3.session
import botocore.exceptions
import botocore.session
from mypy_boto3_s3 import S3Client, S3ServiceResource
from mypy_boto3_s3.type_defs import ListBucketsOutputTypeDef
from mypy_boto3_sts import STSClient

import credsafe


def session_is_a_boto3_session() -> None:
    """A credsafe.Session is accepted where a boto3.Session is expected."""
    session = credsafe.Session(profile_name="dev", region_name="eu-west-1")
    plain: boto3.Session = session
    also: boto3.session.Session = session
    assert_type(plain, boto3.Session)
    assert_type(also, boto3.session.Session)
    takes_boto3_session(session)
    assert_type(session.profile_name, str)
    region: str | None = session.region_name
    assert_type(region, str | None)


def takes_boto3_session(session: boto3.Session) -> None:
    """A function typed for boto3 sessions."""


def clients_keep_their_stub_types() -> None:
    """client()/resource() overloads of boto3-stubs apply to credsafe.Session."""
    session = credsafe.Session()
    s3 = session.client("s3")
    assert_type(s3, S3Client)
    assert_type(session.client("sts"), STSClient)
    assert_type(session.resource("s3"), S3ServiceResource)
    assert_type(s3.list_buckets(), ListBucketsOutputTypeDef)
    s3.list_bucketz()  # type: ignore[attr-defined]
    session.client("sts").get_caller_identity(Bucket="x")  # type: ignore[call-arg]


def constructor_matches_boto3() -> None:
    """Every boto3.Session constructor argument is accepted, with the same types."""
    credsafe.Session(
        aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
        aws_secret_access_key="secret",
        aws_session_token="token",
        region_name="us-east-1",
        botocore_session=botocore.session.get_session(),
        profile_name="dev",
    )
    credsafe.Session(region_name=1)  # type: ignore[arg-type]


def wrap_returns_what_it_was_given() -> None:
    """wrap() is typed as the identity, so stub types survive it."""
    assert_type(credsafe.wrap(boto3.client("s3")), S3Client)
    assert_type(credsafe.wrap(boto3.Session()), boto3.Session)
    assert_type(credsafe.wrap(credsafe.Session()), credsafe.Session)
    assert_type(credsafe.wrap(boto3.resource("s3")), S3ServiceResource)


def diagnosis_types() -> None:
    """diagnose() and the exceptions carry a typed Diagnosis."""
    diagnosis = credsafe.diagnose(credsafe.Session(), network=False, budget=0.5)
    assert_type(diagnosis, credsafe.Diagnosis)
    assert_type(credsafe.diagnose(profile_name="dev"), credsafe.Diagnosis)
    for report in diagnosis.sources:
        assert_type(report, credsafe.SourceReport)
        assert_type(report.status, credsafe.Status)
    try:
        credsafe.Session().client("sts").get_caller_identity()
    except botocore.exceptions.NoCredentialsError as exc:
        if isinstance(exc, credsafe.CredsafeError):
            assert_type(exc.diagnosis, credsafe.Diagnosis)
    except credsafe.CredsafeError as exc:
        assert_type(exc.diagnosis, credsafe.Diagnosis)
