"""Every interception path of issue #2, against real botocore.

Each test produces the failure with real files, a real environment or a real
loopback server, and checks the enriched exception's contract: an instance of the
class the caller would have caught and of CredsafeError, botocore's message as the
first line, the original as ``__cause__`` and a ``.diagnosis``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import boto3
import botocore.exceptions
import botocore.session
import pytest

import credsafe
from credsafe import CredsafeError, Outcome, Status
from fakes import ACCESS_KEY, MASKED, SECRET_KEY
from servers import ContainerServer, IMDSServer, Reply


def _session(**kwargs: object) -> credsafe.Session:
    return credsafe.Session(region_name="us-east-1", **kwargs)  # type: ignore[arg-type]


def assert_enriched(exc: BaseException, cls: type[BaseException], first_line: str) -> None:
    assert isinstance(exc, cls)
    assert isinstance(exc, CredsafeError)
    assert str(exc).splitlines()[0] == first_line
    assert exc.__cause__ is not None
    assert type(exc.__cause__) is cls or isinstance(exc.__cause__, (cls, AttributeError))
    diagnosis = exc.diagnosis
    assert diagnosis.to_dict()["schema"] == "credsafe.diagnosis/1"
    json.dumps(diagnosis.to_dict())


NO_CREDS = "Unable to locate credentials"


class TestDropIn:
    def test_is_a_boto3_session(self) -> None:
        """credsafe.Session is a boto3.Session subclass with the same signature."""
        import inspect

        s = credsafe.Session()
        assert isinstance(s, boto3.Session)
        assert inspect.signature(credsafe.Session.__init__).parameters.keys() >= {
            "aws_access_key_id",
            "aws_secret_access_key",
            "aws_session_token",
            "region_name",
            "botocore_session",
            "profile_name",
        }

    def test_except_clauses_keep_working(self) -> None:
        """Code catching botocore's class, BotoCoreError or CredsafeError catches it."""
        s3 = _session().client("s3")
        for catch in (
            botocore.exceptions.NoCredentialsError,
            botocore.exceptions.BotoCoreError,
            CredsafeError,
        ):
            with pytest.raises(catch):
                s3.list_buckets()

    def test_args_and_kwargs_are_kept(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The enriched exception keeps botocore's args and kwargs."""
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        with pytest.raises(botocore.exceptions.PartialCredentialsError) as info:
            _session().client("s3")
        assert info.value.kwargs == {"provider": "env", "cred_var": "AWS_SECRET_ACCESS_KEY"}
        assert info.value.args == info.value.__cause__.args  # type: ignore[union-attr]

    def test_enriched_exception_pickles(self) -> None:
        import pickle

        with pytest.raises(CredsafeError) as info:
            _session().client("s3").list_buckets()
        clone = pickle.loads(pickle.dumps(info.value))
        assert isinstance(clone, botocore.exceptions.NoCredentialsError)
        assert clone.diagnosis == info.value.diagnosis


class TestApiCalls:
    """NoCredentialsError raised when a request is signed, on every client kind."""

    def test_client_call(self, monkeypatch: pytest.MonkeyPatch) -> None:
        # Default file locations (under the temporary HOME), as on a fresh machine.
        monkeypatch.delenv("AWS_SHARED_CREDENTIALS_FILE")
        monkeypatch.delenv("AWS_CONFIG_FILE")
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            _session().client("sts").get_caller_identity()
        assert_enriched(info.value, botocore.exceptions.NoCredentialsError, NO_CREDS)
        diagnosis = info.value.diagnosis
        assert diagnosis.outcome is Outcome.NOT_FOUND
        # The most common case: nothing configured anywhere. No source may be
        # blamed; the root cause says so and points at the usual source here.
        assert diagnosis.root_cause is not None
        assert diagnosis.root_cause.code == "chain.nothing_configured"
        problems = [r.source for r in diagnosis.sources if r.status.value in {"misconfigured", "failed"}]
        assert problems == []
        container = diagnosis.source("container-role")
        assert container is not None and container.status is Status.NOT_CONFIGURED

    def test_paginator(self) -> None:
        pages = _session().client("s3").get_paginator("list_objects_v2").paginate(Bucket="b")
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            list(pages)
        assert_enriched(info.value, botocore.exceptions.NoCredentialsError, NO_CREDS)

    def test_waiter(self) -> None:
        waiter = _session().client("s3").get_waiter("bucket_exists")
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            waiter.wait(Bucket="b", WaiterConfig={"Delay": 0, "MaxAttempts": 1})
        assert_enriched(info.value, botocore.exceptions.NoCredentialsError, NO_CREDS)

    def test_resource_collection_and_load(self) -> None:
        s3 = _session().resource("s3")
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            list(s3.Bucket("b").objects.all())
        assert_enriched(info.value, botocore.exceptions.NoCredentialsError, NO_CREDS)
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            s3.Object("b", "k").load()
        assert_enriched(info.value, botocore.exceptions.NoCredentialsError, NO_CREDS)

    def test_s3transfer_upload_and_download(self, tmp_path: Path) -> None:
        """s3transfer raises in worker threads; the caller still gets it enriched."""
        src = tmp_path / "f.txt"
        src.write_text("x")
        s3 = _session().client("s3")
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            s3.upload_file(str(src), "b", "k")
        assert_enriched(info.value, botocore.exceptions.NoCredentialsError, NO_CREDS)
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            s3.download_file("b", "k", str(tmp_path / "out"))
        assert_enriched(info.value, botocore.exceptions.NoCredentialsError, NO_CREDS)


class TestPresign:
    def test_presigned_url(self) -> None:
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            _session().client("s3").generate_presigned_url(
                "get_object", Params={"Bucket": "b", "Key": "k"}
            )
        assert_enriched(info.value, botocore.exceptions.NoCredentialsError, NO_CREDS)

    def test_presigned_post_attribute_error_becomes_no_credentials(self) -> None:
        """botocore raises AttributeError here; credsafe raises NoCredentialsError."""
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            _session().client("s3").generate_presigned_post("b", "k")
        assert_enriched(info.value, botocore.exceptions.NoCredentialsError, NO_CREDS)
        assert isinstance(info.value.__cause__, AttributeError)

    def test_db_auth_token(self) -> None:
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            _session().client("rds").generate_db_auth_token("db.example", 5432, "user")
        assert_enriched(info.value, botocore.exceptions.NoCredentialsError, NO_CREDS)

    def test_presign_with_credentials_still_works(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        s3 = _session().client("s3")
        url = s3.generate_presigned_url("get_object", Params={"Bucket": "b", "Key": "k"})
        assert "X-Amz-Credential" in url or "AWSAccessKeyId" in url
        assert s3.generate_presigned_post("b", "k")["fields"]


class TestChainErrors:
    """Errors raised while the chain resolves, at construction or client()."""

    def test_partial_env(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        with pytest.raises(botocore.exceptions.PartialCredentialsError) as info:
            _session().client("s3")
        assert_enriched(
            info.value,
            botocore.exceptions.PartialCredentialsError,
            "Partial credentials found in env, missing: AWS_SECRET_ACCESS_KEY",
        )
        root = info.value.diagnosis.root_cause
        assert root is not None
        assert (root.source, root.status, root.code) == ("env", Status.MISCONFIGURED, "env.partial")
        assert MASKED in str(info.value)
        assert ACCESS_KEY not in str(info.value)

    def test_profile_not_found_at_construction(self, aws_files) -> None:
        with pytest.raises(botocore.exceptions.ProfileNotFound) as info:
            credsafe.Session(profile_name="nope")
        assert_enriched(
            info.value,
            botocore.exceptions.ProfileNotFound,
            "The config profile (nope) could not be found",
        )
        assert info.value.diagnosis.profile.to_dict() == {"name": "nope", "origin": "argument"}

    def test_profile_not_found_from_aws_profile(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_PROFILE", "nope")
        with pytest.raises(botocore.exceptions.ProfileNotFound) as info:
            _session().client("s3")
        assert_enriched(
            info.value,
            botocore.exceptions.ProfileNotFound,
            "The config profile (nope) could not be found",
        )
        assert info.value.diagnosis.profile.origin == "AWS_PROFILE"

    def test_config_parse_error(self, aws_files) -> None:
        path = aws_files.write_credentials("aws_access_key_id = x\n[default]\n")
        with pytest.raises(botocore.exceptions.ConfigParseError) as info:
            _session().client("s3")
        assert_enriched(
            info.value, botocore.exceptions.ConfigParseError, f"Unable to parse config file: {path}"
        )

    def test_invalid_config_missing_source_profile(self, aws_files) -> None:
        aws_files.write_config(
            "[default]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = missing\n"
        )
        with pytest.raises(botocore.exceptions.InvalidConfigError) as info:
            _session().client("s3")
        assert_enriched(
            info.value,
            botocore.exceptions.InvalidConfigError,
            'The source_profile "missing" referenced in the profile "default" does not exist.',
        )
        root = info.value.diagnosis.root_cause
        assert root is not None and root.source == "assume-role"

    def test_infinite_loop(self, aws_files) -> None:
        aws_files.write_config(
            "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = b\n"
            "[profile b]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = a\n"
        )
        with pytest.raises(botocore.exceptions.InfiniteLoopConfigError) as info:
            _session(profile_name="a").client("s3")
        assert isinstance(info.value, CredsafeError)
        assert str(info.value).splitlines()[0] == str(info.value.__cause__)

    def test_credential_process_failure(self, aws_files) -> None:
        aws_files.write_config(
            f"[default]\ncredential_process = {sys.executable} -c "
            "\"import sys; sys.stderr.write('token expired'); sys.exit(3)\"\n"
        )
        with pytest.raises(botocore.exceptions.CredentialRetrievalError) as info:
            _session().client("s3")
        assert isinstance(info.value, CredsafeError)
        assert "token expired" in str(info.value).splitlines()[0]
        root = info.value.diagnosis.root_cause
        assert root is not None and root.source == "custom-process"
        assert root.status is Status.FAILED

    def test_credential_process_missing_executable(self, aws_files) -> None:
        """botocore lets a raw FileNotFoundError escape; it stays a FileNotFoundError."""
        aws_files.write_config("[default]\ncredential_process = /nonexistent/helper --json\n")
        with pytest.raises(FileNotFoundError) as info:
            _session().client("s3")
        assert isinstance(info.value, CredsafeError)
        assert isinstance(info.value.__cause__, FileNotFoundError)
        assert info.value.errno == info.value.__cause__.errno

    def test_credential_process_not_json(self, aws_files) -> None:
        aws_files.write_config(
            f"[default]\ncredential_process = {sys.executable} -c \"print('hello')\"\n"
        )
        with pytest.raises(json.JSONDecodeError) as info:
            _session().client("s3")
        assert isinstance(info.value, CredsafeError)
        assert info.value.__cause__ is not None

    def test_metadata_retrieval_error_v1_disabled(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_EC2_METADATA_V1_DISABLED", "true")
        with pytest.raises(botocore.exceptions.MetadataRetrievalError) as info:
            _session().client("s3")
        assert isinstance(info.value, CredsafeError)
        root = info.value.diagnosis.root_cause
        assert root is not None and root.source == "iam-role"

    def test_sso_token_missing(self, aws_files) -> None:
        """Legacy SSO profile without a cached token: raised at the API call."""
        aws_files.write_config(
            "[default]\nsso_start_url = https://example.awsapps.com/start\n"
            "sso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Dev\n"
        )
        with pytest.raises(botocore.exceptions.SSOTokenLoadError) as info:
            _session().client("s3").list_buckets()
        assert isinstance(info.value, CredsafeError)
        root = info.value.diagnosis.root_cause
        assert root is not None and root.source == "sso"
        assert root.status is Status.FAILED

    def test_web_identity_token_file_missing(self, aws_files, tmp_path: Path) -> None:
        aws_files.write_config(
            "[default]\nrole_arn = arn:aws:iam::123456789012:role/r\n"
            f"web_identity_token_file = {tmp_path / 'missing-token'}\n"
        )
        with pytest.raises(FileNotFoundError) as info:
            _session().client("s3").list_buckets()
        assert isinstance(info.value, CredsafeError)
        root = info.value.diagnosis.root_cause
        assert root is not None and root.source == "assume-role-with-web-identity"

    def test_container_response_missing_key(self, container_server: ContainerServer) -> None:
        container_server.reply = Reply(
            200, {"AccessKeyId": "ASIAX", "SecretAccessKey": "s", "Expiration": "2099-01-01T00:00:00Z"},
            "application/json",
        )
        with pytest.raises(KeyError) as info:
            _session().client("s3")
        assert isinstance(info.value, CredsafeError)
        assert str(info.value).splitlines()[0] == "'Token'"

    def test_container_disallowed_host(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """botocore refuses the host before any I/O: no traffic leaves loopback."""
        monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.1.2.3/creds")
        with pytest.raises(ValueError, match="Unsupported host") as info:
            _session().client("s3")
        assert isinstance(info.value, CredsafeError)
        root = info.value.diagnosis.root_cause
        assert root is not None and root.source == "container-role"

    def test_container_token_with_newline(
        self, container_server: ContainerServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        token_file = tmp_path / "token"
        token_file.write_text("secret-token-value\n")
        monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", str(token_file))
        with pytest.raises(ValueError, match="not a legal header value") as info:
            _session().client("s3")
        assert isinstance(info.value, CredsafeError)
        assert "secret-token-value" not in str(info.value)

    def test_ec2_credentials_file_missing(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.setenv("AWS_CREDENTIAL_FILE", str(tmp_path / "nope"))
        with pytest.raises(botocore.exceptions.ConfigNotFound) as info:
            _session().client("s3")
        assert isinstance(info.value, CredsafeError)
        root = info.value.diagnosis.root_cause
        assert root is not None and root.source == "ec2-credentials-file"

    def test_account_id_without_keys(self) -> None:
        """boto3 raises NoCredentialsError in the constructor itself."""
        if "aws_account_id" not in boto3.Session.__init__.__code__.co_varnames:
            pytest.skip("boto3 < 1.37 has no aws_account_id")
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            credsafe.Session(aws_account_id="123456789012")
        assert isinstance(info.value, CredsafeError)

    def test_get_credentials_errors_are_enriched(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        with pytest.raises(botocore.exceptions.PartialCredentialsError) as info:
            credsafe.Session().get_credentials()
        assert isinstance(info.value, CredsafeError)


class TestRecordedResolution:
    def test_imds_exchange_is_reused_not_probed_again(self, imds: IMDSServer) -> None:
        """The diagnosis reuses the recorded IMDS exchanges: no second request."""
        imds.role_list = Reply(404, "Not Found")
        s3 = _session().client("s3")
        requests_after_resolution = len(imds.requests)
        assert requests_after_resolution >= 2
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            s3.list_buckets()
        assert len(imds.requests) == requests_after_resolution
        report = info.value.diagnosis.source("iam-role")
        assert report is not None
        assert report.duration_ms is not None

    def test_custom_provider_is_reported_by_method(self) -> None:
        class Custom(botocore.credentials.CredentialProvider):
            METHOD = "my-vault"

            def load(self) -> None:
                return None

        s = _session()
        resolver = s._session.get_component("credential_provider")
        resolver.insert_before("env", Custom())
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            s.client("s3").list_buckets()
        sources = [r.source for r in info.value.diagnosis.sources]
        assert sources[0] == "my-vault"
        assert info.value.diagnosis.sources[0].code == "custom.provider"
        fresh = botocore.credentials.create_credential_resolver(botocore.session.Session())
        assert sources[1:] == [p.METHOD for p in fresh.providers]

    def test_chain_order_matches_botocore(self) -> None:
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            _session().client("s3").list_buckets()
        fresh = botocore.credentials.create_credential_resolver(botocore.session.Session())
        assert [r.source for r in info.value.diagnosis.sources] == [p.METHOD for p in fresh.providers]

    def test_explicit_profile_reports_env_skipped(self, aws_files, monkeypatch: pytest.MonkeyPatch) -> None:
        aws_files.write_config("[profile dev]\nregion = us-east-1\n")
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            _session(profile_name="dev").client("s3").list_buckets()
        env = info.value.diagnosis.sources[0]
        assert (env.source, env.status, env.code) == ("env", Status.SKIPPED, "env.skipped_explicit_profile")
        assert MASKED in env.summary
        assert SECRET_KEY not in str(info.value)


class TestNeverWorse:
    def test_diagnosis_failure_keeps_original(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A fault inside the diagnosis: the caller gets botocore's exception and a note."""
        import credsafe._replay

        def boom(*args: object, **kwargs: object) -> None:
            raise RuntimeError("injected")

        monkeypatch.setattr(credsafe._replay, "replay", boom)
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            _session().client("s3").list_buckets()
        assert type(info.value) is botocore.exceptions.NoCredentialsError
        assert str(info.value) == NO_CREDS
        assert any("diagnosis of this error failed" in n for n in info.value.__notes__)

    def test_explainer_failure_is_marked(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from credsafe import _explain

        def boom(*args: object, **kwargs: object) -> None:
            raise RuntimeError("injected")

        monkeypatch.setitem(_explain.EXPLAINERS, "env", boom)
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            _session().client("s3").list_buckets()
        env = info.value.diagnosis.source("env")
        assert env is not None and env.code == "internal.explainer_failed"

    def test_non_credential_errors_pass_through(self) -> None:
        with pytest.raises(botocore.exceptions.UnknownServiceError) as info:
            _session().client("no-such-service")
        assert not isinstance(info.value, CredsafeError)


class TestSuccessPath:
    def test_no_diagnosis_with_working_credentials(
        self, monkeypatch: pytest.MonkeyPatch, s3_endpoint: str
    ) -> None:
        """Creating clients and calling APIs with working credentials never diagnoses."""
        import credsafe._replay

        def forbidden(*args: object, **kwargs: object) -> None:
            raise AssertionError("diagnosis ran on the success path")

        monkeypatch.setattr(credsafe._replay, "replay", forbidden)
        monkeypatch.setattr(credsafe._intercept, "enrich", forbidden)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        s = _session()
        for _ in range(3):
            s3 = s.client("s3", endpoint_url=s3_endpoint)
            assert s3.list_buckets()["Buckets"] == []
        s.resource("s3", endpoint_url=s3_endpoint)
        s3.generate_presigned_url("get_object", Params={"Bucket": "b", "Key": "k"})


class TestWrap:
    def test_foreign_client(self) -> None:
        client = boto3.Session(region_name="us-east-1").client("s3")
        assert credsafe.wrap(client) is client
        assert credsafe.wrap(client) is client  # idempotent
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            client.list_buckets()
        assert isinstance(info.value, CredsafeError)
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            client.generate_presigned_post("b", "k")
        assert isinstance(info.value, CredsafeError)

    def test_foreign_resource(self) -> None:
        resource = boto3.Session(region_name="us-east-1").resource("s3")
        assert credsafe.wrap(resource) is resource
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            resource.Object("b", "k").load()
        assert isinstance(info.value, CredsafeError)

    def test_foreign_sessions(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        s = boto3.Session(region_name="us-east-1")
        assert credsafe.wrap(s) is s
        with pytest.raises(botocore.exceptions.PartialCredentialsError) as info:
            s.client("s3")
        assert isinstance(info.value, CredsafeError)
        bc = botocore.session.Session()
        assert credsafe.wrap(bc) is bc
        with pytest.raises(botocore.exceptions.PartialCredentialsError) as info:
            bc.create_client("s3", region_name="us-east-1")
        assert isinstance(info.value, CredsafeError)

    def test_wrap_rejects_other_objects(self) -> None:
        with pytest.raises(TypeError, match="not 'int'"):
            credsafe.wrap(3)


@pytest.fixture
def s3_endpoint():
    """A loopback endpoint that answers every request with an empty ListBuckets."""
    from servers import LoopbackServer

    class S3(LoopbackServer):
        def route(self, method, path, headers):
            return Reply(
                200,
                '<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult>'
                "<Owner><ID>x</ID></Owner><Buckets></Buckets></ListAllMyBucketsResult>",
                "application/xml",
            )

    server = S3().start()
    yield server.url
    server.stop()


class TestRedaction:
    def test_paths_stay_readable_secrets_do_not(self) -> None:
        """Home directories with capitals and digits are paths, not secrets."""
        from credsafe._redact import redact_text

        path = "/Users/JaneDoe/Projects/AWS2024/test_Foo12/credentials"
        assert redact_text(f"file {path}") == f"file {path}"
        assert redact_text("HOME=/tmp/pytest-of-root/pytest-77/test_Explain0/home").endswith("/home")
        secret = "9Ab+cdEFghIJ12klMNopQRstuVWxyz0123456789"
        assert secret not in redact_text(f"stderr: {secret}")
        assert secret not in redact_text(f"/{secret}")


def test_mask_never_shows_the_tail_of_a_secret() -> None:
    """A secret pasted where the key id belongs is masked completely."""
    from credsafe._redact import mask_key_id

    assert mask_key_id("AKIAIOSFODNN7EXAMPLE") == "****************MPLE"
    assert mask_key_id("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") == "*" * 16


def test_a_dropped_client_is_freed_without_the_garbage_collector(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No reference cycle through credsafe's wrappers: freed as boto3's are (memory).

    With working credentials, as on the success path (a failed IMDS probe leaves
    frames behind that hold botocore's client until the collector runs, with or
    without credsafe).
    """
    import gc
    import weakref

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    gc.disable()
    try:
        for session in (boto3.Session(region_name="us-east-1"), _session()):
            client = session.client("s3")
            client.generate_presigned_url("get_object", Params={"Bucket": "b", "Key": "k"})
            ref = weakref.ref(client)
            del client
            assert ref() is None, type(session)
    finally:
        gc.enable()


def test_credential_process_printing_a_json_list(aws_files) -> None:
    """botocore lets AttributeError escape for a JSON list: it stays one, diagnosed."""
    aws_files.write_config(
        f"[default]\ncredential_process = {sys.executable} -c \"print('[1, 2]')\"\n"
    )
    with pytest.raises(AttributeError) as info:
        _session().client("s3")
    assert isinstance(info.value, CredsafeError)
    root = info.value.diagnosis.root_cause
    assert root is not None and root.source == "custom-process"
