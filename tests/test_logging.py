"""Structured logs (issue 6): every source consulted and every failure as events.

Pins, against real botocore, files, environment and loopback servers:

- the whole list of events of representative failures (``capture_logs``);
- exactly one failure event per failure: s3transfer worker threads failing at once,
  an exception re-raised through another hook, repeats within the window;
- nothing on the success path unless the opt-in trace is on, and then one event
  per resolution, built from the recorded resolution (no extra I/O);
- the three setups an application can have: structlog configured (JSON), only
  stdlib ``logging`` (records with fields, JSON parsed back), nothing at all (one
  line on stderr, nothing on stdout);
- no secret in any event, key ids masked.
"""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import botocore.credentials
import botocore.exceptions
import pytest
import structlog
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from structlog.testing import capture_logs

import credsafe
import credsafe._intercept
from credsafe import _log
from credsafe._model import Status
from fakes import ACCESS_KEY, MASKED, SECRET_KEY, SESSION_TOKEN
from servers import ACCESS_KEY as SERVER_KEY
from servers import (
    SECRET_KEY as SERVER_SECRET,
)
from servers import (
    SESSION_TOKEN as SERVER_TOKEN,
)
from servers import (
    ContainerServer,
    Reply,
    credentials_document,
)

FAILED = "credsafe.credentials_failed"
CONSULTED = "credsafe.source_consulted"
RESOLVED = "credsafe.credentials_resolved"
SECRETS = (
    ACCESS_KEY,
    SECRET_KEY,
    SESSION_TOKEN,
    SERVER_KEY,
    SERVER_SECRET,
    SERVER_TOKEN,
)


@pytest.fixture(autouse=True)
def _structlog_unconfigured() -> Iterator[None]:
    """Each test starts with structlog unconfigured (capture_logs configures it)."""
    structlog.reset_defaults()
    _log.enable_success_trace(False)
    yield
    structlog.reset_defaults()
    _log.enable_success_trace(False)


def _session(**kwargs: Any) -> credsafe.Session:
    return credsafe.Session(region_name="us-east-1", **kwargs)


class _Float:
    """Equal to any float: durations are measured, not predicted."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, float)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return "<float>"


FLOAT = _Float()


def assert_no_secret(events: list[dict[str, Any]]) -> None:
    text = json.dumps(events, default=str)
    for secret in SECRETS:
        assert secret not in text


def consulted(diagnosis: credsafe.Diagnosis, failure_id: str) -> list[dict[str, Any]]:
    """The debug events a diagnosis must produce: one per source botocore reached."""
    return [
        {
            "event": CONSULTED,
            "log_level": "debug",
            "failure_id": failure_id,
            "position": position,
            "source": report.source,
            "status": report.status.value,
            "code": report.code,
            "duration_ms": None
            if report.duration_ms is None
            else round(report.duration_ms, 3),
        }
        for position, report in enumerate(diagnosis.sources)
        if report.status is not Status.SKIPPED
    ]


def failed(
    diagnosis: credsafe.Diagnosis, failure_id: str, **fields: Any
) -> dict[str, Any]:
    """The error event of a diagnosis; *fields* are the literal expectations."""
    root = diagnosis.root_cause
    assert root is not None
    event = {
        "event": FAILED,
        "log_level": "error",
        "failure_id": failure_id,
        "summary": root.summary,
        "hint": root.hints[0] if root.hints else None,
        "duplicates_suppressed": 0,
    }
    event.update(fields)
    return event


class TestFailureEvents:
    """The whole list of events of representative failures."""

    def test_partial_env_at_client_creation(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """env stops the chain: one debug event (the rest was never reached), one error."""
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        with (
            capture_logs() as events,
            pytest.raises(botocore.exceptions.PartialCredentialsError) as info,
        ):
            _session().client("s3")
        fid = events[0]["failure_id"]
        assert events == [
            {
                "event": CONSULTED,
                "log_level": "debug",
                "failure_id": fid,
                "position": 0,
                "source": "env",
                "status": "misconfigured",
                "code": "env.partial",
                "duration_ms": FLOAT,
            },
            failed(
                info.value.diagnosis,
                fid,
                exception_class="PartialCredentialsError",
                service="s3",  # read from botocore's create_client frame
                operation=None,
                profile="default",
                profile_origin="default",
                outcome="error",
                resolved_by=None,
                source="env",
                status="misconfigured",
                code="env.partial",
            ),
        ]
        assert MASKED in events[-1]["summary"]
        assert_no_secret(events)

    def test_no_credentials_at_api_call(self) -> None:
        """Every source reached: one debug event each, in chain order, then the error."""
        with (
            capture_logs() as events,
            pytest.raises(botocore.exceptions.NoCredentialsError) as info,
        ):
            _session().client("sts").get_caller_identity()
        diagnosis = info.value.diagnosis
        fid = events[0]["failure_id"]
        root = diagnosis.root_cause
        assert root is not None
        assert events == [
            *consulted(diagnosis, fid),
            failed(
                diagnosis,
                fid,
                exception_class="NoCredentialsError",
                service="sts",
                operation="GetCallerIdentity",
                profile="default",
                profile_origin="default",
                outcome="not_found",
                resolved_by=None,
                source=root.source,
                status=root.status.value,
                code=root.code,
            ),
        ]
        assert [e["source"] for e in events[:3]] == [
            "env",
            "assume-role",
            "assume-role-with-web-identity",
        ]
        assert events[-2]["source"] == "iam-role"
        assert len(events) == len(diagnosis.sources) + 1  # nothing skipped: all reached
        assert all(isinstance(e["duration_ms"], float) for e in events[:-1])

    def test_credential_process_failure_from_aws_profile(
        self, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A source that raised: its code and the profile's origin (AWS_PROFILE)."""
        aws_files.write_config(
            f"[profile batch]\ncredential_process = {sys.executable} -c "
            "\"import sys; sys.stderr.write('token expired'); sys.exit(3)\"\n"
        )
        monkeypatch.setenv("AWS_PROFILE", "batch")
        with (
            capture_logs() as events,
            pytest.raises(botocore.exceptions.CredentialRetrievalError) as info,
        ):
            _session().client("s3")
        diagnosis = info.value.diagnosis
        fid = events[0]["failure_id"]
        root = diagnosis.root_cause
        assert root is not None
        assert events == [
            *consulted(diagnosis, fid),
            failed(
                diagnosis,
                fid,
                exception_class="CredentialRetrievalError",
                service="s3",
                operation=None,
                profile="batch",
                profile_origin="AWS_PROFILE",
                outcome="error",
                resolved_by=None,
                source="custom-process",
                status="failed",
                code=root.code,
            ),
        ]
        assert [e["source"] for e in events[:-1]][-1] == "custom-process"
        assert root.code.startswith("custom-process.")

    def test_profile_not_found_at_session(self, aws_files: Any) -> None:
        """No service, no operation: the failure is in Session() itself."""
        with (
            capture_logs() as events,
            pytest.raises(botocore.exceptions.ProfileNotFound) as info,
        ):
            credsafe.Session(profile_name="nope")
        diagnosis = info.value.diagnosis
        fid = events[-1]["failure_id"]
        root = diagnosis.root_cause
        assert root is not None
        assert events == [
            *consulted(diagnosis, fid),
            failed(
                diagnosis,
                fid,
                exception_class="ProfileNotFound",
                service=None,
                operation=None,
                profile="nope",
                profile_origin="argument",
                outcome=diagnosis.outcome.value,
                resolved_by=None,
                source=root.source,
                status=root.status.value,
                code=root.code,
            ),
        ]

    def test_presigned_post_reports_the_class_the_caller_gets(self) -> None:
        """botocore's AttributeError is raised as NoCredentialsError, and logged so."""
        with (
            capture_logs() as events,
            pytest.raises(botocore.exceptions.NoCredentialsError),
        ):
            _session().client("s3").generate_presigned_post("b", "k")
        assert [e["event"] for e in events].count(FAILED) == 1
        assert events[-1]["exception_class"] == "NoCredentialsError"
        assert (events[-1]["service"], events[-1]["operation"]) == (
            "s3",
            "generate_presigned_post",
        )

    def test_failure_events_carry_no_secret(
        self, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A secret present in env and files never reaches an event; key ids are masked."""
        aws_files.write_credentials(
            f"[default]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
        )
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)  # env is partial: no secret
        monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)
        with (
            capture_logs() as events,
            pytest.raises(botocore.exceptions.PartialCredentialsError),
        ):
            _session().client("s3")
        assert events[-1]["event"] == FAILED
        assert MASKED in events[-1]["summary"]
        assert_no_secret(events)

    def test_logging_failure_never_replaces_the_exception(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A broken processor in the application: the caller still gets the diagnosis."""

        def broken(logger: Any, name: str, event: dict[str, Any]) -> dict[str, Any]:
            raise RuntimeError("processor bug")

        structlog.configure(processors=[broken])
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            _session().client("s3").list_buckets()
        assert isinstance(info.value, credsafe.CredsafeError)
        assert "credsafe: logging the diagnosis failed." in info.value.__notes__


# -- exactly one failure event per failure -------------------------------------------


class _S3Handler(BaseHTTPRequestHandler):
    """Just enough S3 for a multipart upload: create, parts, complete, abort."""

    server: _S3HTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return

    def _reply(
        self, status: int, body: str = "", headers: dict[str, str] | None = None
    ) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        payload = body.encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self) -> None:
        self.server.requests.append(("POST", self.path))
        if "uploads" in self.path:
            self.server.on_create()
            self._reply(
                200,
                "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>"
                "<UploadId>upload-1</UploadId></InitiateMultipartUploadResult>",
            )
        else:
            self._reply(
                200,
                "<CompleteMultipartUploadResult><ETag>x</ETag></CompleteMultipartUploadResult>",
            )

    def do_PUT(self) -> None:
        self.server.requests.append(("PUT", self.path))
        self._reply(200, headers={"ETag": '"etag"'})

    def do_DELETE(self) -> None:
        self.server.requests.append(("DELETE", self.path))
        self._reply(204)

    def do_GET(self) -> None:
        self.server.requests.append(("GET", self.path))
        self._reply(
            200,
            "<ListAllMyBucketsResult><Owner><ID>x</ID></Owner><Buckets></Buckets>"
            "</ListAllMyBucketsResult>",
        )


class _S3HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _S3Handler)
        self.requests: list[tuple[str, str]] = []
        self.on_create: Any = lambda: None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def s3_server() -> Iterator[_S3HTTPServer]:
    server = _S3HTTPServer()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


class _SlowContainer(ContainerServer):
    """Answers after a delay, so that every worker thread is inside its refresh."""

    delay = 0.0

    def route(self, method: str, path: str, headers: Any) -> Reply:
        time.sleep(self.delay)
        return super().route(method, path, headers)


def _s3_client(session: credsafe.Session, endpoint: str) -> Any:
    return session.client(
        "s3",
        endpoint_url=endpoint,
        config=Config(
            s3={"addressing_style": "path"}, retries={"total_max_attempts": 1}
        ),
    )


class TestOneEventPerFailure:
    def test_multipart_upload_failing_in_every_worker_thread(
        self,
        s3_server: _S3HTTPServer,
        monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path,
    ) -> None:
        """Container credentials that expire soon and can no longer be refreshed.

        CreateMultipartUpload succeeds; then the container endpoint answers a
        document without keys, so every UploadPart worker thread (and the abort
        s3transfer runs on cleanup) fails its mandatory refresh with its own
        exception. The application gets one exception; the log gets one event.
        """
        container = _SlowContainer().start()
        try:
            monkeypatch.setenv(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url + "creds"
            )
            container.reply = Reply(
                200,
                credentials_document(expires_in=timedelta(minutes=5)),
                "application/json",
            )

            def break_refresh() -> None:
                container.delay = 0.3
                container.reply = Reply(200, {"Code": "Success"}, "application/json")

            s3_server.on_create = break_refresh
            enrich_calls: list[str] = []
            enrich = credsafe._intercept.enrich

            def counting_enrich(exc: BaseException, **kwargs: Any) -> BaseException:
                enrich_calls.append(str(kwargs.get("operation")))
                return enrich(exc, **kwargs)

            monkeypatch.setattr(credsafe._intercept, "enrich", counting_enrich)
            src = tmp_path / "big.bin"
            src.write_bytes(b"x" * (15 * 1024 * 1024))
            config = TransferConfig(
                multipart_threshold=5 * 1024 * 1024,
                multipart_chunksize=5 * 1024 * 1024,
                max_concurrency=3,
            )
            s3 = _s3_client(_session(), s3_server.url)
            with capture_logs() as events, pytest.raises(KeyError) as info:
                s3.upload_file(str(src), "b", "k", Config=config)
        finally:
            container.stop()

        assert isinstance(info.value, credsafe.CredsafeError)
        assert ("POST", "/b/k?uploads") in s3_server.requests
        # Several threads really failed and were diagnosed ...
        assert enrich_calls.count("UploadPart") >= 2, enrich_calls
        # ... and the log holds exactly one failure.
        failures = [e for e in events if e["event"] == FAILED]
        assert len(failures) == 1, failures
        failure = failures[0]
        assert failure["exception_class"] == "KeyError"
        assert (failure["service"], failure["source"]) == ("s3", "container-role")
        assert failure["operation"] in {"UploadPart", "AbortMultipartUpload"}
        assert {e["failure_id"] for e in events} == {failure["failure_id"]}
        assert_no_secret(events)

    def test_same_exception_reraised_through_another_hook(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The original exception raised again (a caching layer, a retry helper): no new event."""
        monkeypatch.setattr(_log._DEDUPER, "window", 0.0)  # only identity counts here
        s3 = _session().client("s3")
        with capture_logs() as events:
            with pytest.raises(botocore.exceptions.NoCredentialsError) as first:
                s3.list_buckets()
            original = first.value.__cause__
            assert original is not None

            def reraise(**kwargs: Any) -> None:
                raise original

            s3.meta.events.register("before-sign.s3.ListBuckets", reraise)
            with pytest.raises(botocore.exceptions.NoCredentialsError) as second:
                s3.list_buckets()
        assert second.value.__cause__ is original
        assert isinstance(second.value, credsafe.CredsafeError)  # still diagnosed
        assert [e["event"] for e in events].count(FAILED) == 1

    def test_repeats_within_the_window_fold_and_are_counted(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Same session, same cause: one event per window, the next one says how many folded."""
        s3 = _session().client("s3")
        with capture_logs() as events:
            for _ in range(3):
                with pytest.raises(botocore.exceptions.NoCredentialsError):
                    s3.list_buckets()
            monkeypatch.setattr(_log._DEDUPER, "window", 0.0)
            with pytest.raises(botocore.exceptions.NoCredentialsError):
                s3.list_buckets()
        failures = [e for e in events if e["event"] == FAILED]
        assert [f["duplicates_suppressed"] for f in failures] == [0, 2]

    def test_different_sessions_are_different_failures(self, aws_files: Any) -> None:
        """Folding never merges two sessions: each gets its event."""
        aws_files.write_config("[profile a]\nregion = us-east-1\n")
        with capture_logs() as events:
            for profile in (None, "a"):
                with pytest.raises(botocore.exceptions.NoCredentialsError):
                    _session(profile_name=profile).client("s3").list_buckets()
        failures = [e for e in events if e["event"] == FAILED]
        assert [f["profile"] for f in failures] == ["default", "a"]
        assert len({f["failure_id"] for f in failures}) == 2

    def test_dedupe_survives_id_reuse(self) -> None:
        """A dead object's id() reused by a new one is a new scope, not a repeat."""
        deduper = _log._Deduper(window=60.0)

        class Scope:
            pass

        first = Scope()
        assert deduper.admit((ValueError(),), (first,), ("c",)) == 0
        assert deduper.admit((ValueError(),), (first,), ("c",)) is None
        key = next(iter(deduper._recent))
        entry = deduper._recent[key]
        del first
        # Simulate the id being reused: the entry's weak reference is dead.
        assert entry.refs[0]() is None
        second = Scope()
        deduper._recent[(tuple(id(o) for o in (second,)), "c")] = entry
        assert deduper.admit((ValueError(),), (second,), ("c",)) == 0


# -- the success path ----------------------------------------------------------------


class TestSuccessPath:
    def test_nothing_logged_on_success(
        self,
        s3_server: _S3HTTPServer,
        monkeypatch: pytest.MonkeyPatch,
        credsafe_records: _Records,
    ) -> None:
        """Not even debug: working credentials produce no event on any route."""
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        s = _session()
        _s3_client(s, s3_server.url).list_buckets()  # stdlib route
        with capture_logs() as events:  # structlog route
            _s3_client(s, s3_server.url).list_buckets()
            _s3_client(_session(), s3_server.url).list_buckets()
        assert events == []
        assert credsafe_records.records == []

    def test_trace_off_does_no_work(
        self, s3_server: _S3HTTPServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With the trace off, the success path never reaches the trace code."""

        def forbidden(*args: object, **kwargs: object) -> None:
            raise AssertionError("success trace ran while off")

        monkeypatch.setattr(credsafe._intercept, "_trace", forbidden)
        monkeypatch.setattr(_log, "credentials_resolved", forbidden)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        assert _s3_client(_session(), s3_server.url).list_buckets()["Buckets"] == []

    def test_trace_on_one_event_per_resolution(
        self, s3_server: _S3HTTPServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Three clients of one session share one resolution: one event, key id masked."""
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        credsafe.enable_success_trace()
        with capture_logs() as events:
            s = _session()
            for _ in range(3):
                _s3_client(s, s3_server.url).list_buckets()
        assert events == [
            {
                "event": RESOLVED,
                "log_level": "info",
                "source": "env",
                "credential_method": "env",
                "profile": "default",
                "profile_origin": "default",
                "sources_consulted": 1,
                "duration_ms": FLOAT,
                "access_key_id": MASKED,
            }
        ]
        assert_no_secret(events)

    def test_trace_of_refreshable_credentials_makes_no_request(
        self, container_server: ContainerServer, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The trace reads what was recorded: the container is asked once, by botocore."""
        credsafe.enable_success_trace()
        with capture_logs() as events:
            _session().client("s3")
        assert len(container_server.requests) == 1
        assert [(e["event"], e["source"], e["sources_consulted"]) for e in events] == [
            # 11 sources up to container-role; 10 before botocore 1.41 (no login).
            (RESOLVED, "container-role", 10 + hasattr(botocore.credentials, "LoginProvider"))
        ]
        assert events[0]["access_key_id"] == "*" * 16 + SERVER_KEY[-4:]
        assert_no_secret(events)

    def test_trace_env_variable(self) -> None:
        assert _log._trace_from_env({"CREDSAFE_TRACE": "1"})
        assert _log._trace_from_env({"CREDSAFE_TRACE": " True "})
        assert not _log._trace_from_env({"CREDSAFE_TRACE": "0"})
        assert not _log._trace_from_env({})


# -- the three setups an application can have ---------------------------------------------

_FAIL = """
import credsafe, botocore.exceptions
try:
    credsafe.Session(region_name="us-east-1").client("sts").get_caller_identity()
except botocore.exceptions.NoCredentialsError:
    pass
"""


def _run(
    script: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={**os.environ, **(env or {})},
    )


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def credsafe_records() -> Iterator[_Records]:
    """Every record of the stdlib 'credsafe' logger, enabled down to DEBUG."""
    records = _Records()
    logger = logging.getLogger("credsafe")
    old = logger.level
    logger.addHandler(records)
    logger.setLevel(logging.DEBUG)  # setLevel, not .level=: it clears the level cache
    yield records
    logger.removeHandler(records)
    logger.setLevel(old)


class _JSONFormatter(logging.Formatter):
    """The stdlib-only JSON formatter of docs/logging.md."""

    def format(self, record: logging.LogRecord) -> str:
        doc = {
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        doc.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        return json.dumps(doc, default=str)


_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


@pytest.fixture
def credsafe_stdlib(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    """A stream handler with the given formatter on the stdlib 'credsafe' logger at DEBUG."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(request.param())
    logger = logging.getLogger("credsafe")
    old = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(old)


def _processor_formatter() -> logging.Formatter:
    """structlog's ProcessorFormatter for stdlib records, structlog left unconfigured."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[
            structlog.stdlib.add_log_level,
            structlog.stdlib.ExtraAdder(),
        ],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.JSONRenderer(),
        ],
    )


class TestSetups:
    def test_structlog_configured_with_json(self) -> None:
        """The application's structlog renders every event as JSON, queryable by code and source."""
        out = io.StringIO()
        structlog.configure(
            processors=[
                structlog.processors.add_log_level,
                structlog.processors.JSONRenderer(),
            ],
            logger_factory=structlog.PrintLoggerFactory(out),
        )
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            _session().client("sts").get_caller_identity()
        lines = [json.loads(line) for line in out.getvalue().splitlines()]
        diagnosis = info.value.diagnosis
        fid = lines[0]["failure_id"]
        root = diagnosis.root_cause
        assert root is not None
        assert lines == [
            {("level" if k == "log_level" else k): v for k, v in e.items()}
            for e in [
                *consulted(diagnosis, fid),
                failed(
                    diagnosis,
                    fid,
                    exception_class="NoCredentialsError",
                    service="sts",
                    operation="GetCallerIdentity",
                    profile="default",
                    profile_origin="default",
                    outcome="not_found",
                    resolved_by=None,
                    source=root.source,
                    status=root.status.value,
                    code=root.code,
                ),
            ]
        ]
        assert all({"code", "source"} <= set(line) for line in lines)

    def test_structlog_configured_filters_debug(self) -> None:
        """The application's level decides: at info, only the failure event."""
        out = io.StringIO()
        structlog.configure(
            processors=[structlog.processors.JSONRenderer()],
            wrapper_class=structlog.make_filtering_bound_logger(logging.INFO),
            logger_factory=structlog.PrintLoggerFactory(out),
        )
        with pytest.raises(botocore.exceptions.NoCredentialsError):
            _session().client("s3").list_buckets()
        assert [json.loads(line)["event"] for line in out.getvalue().splitlines()] == [
            FAILED
        ]

    def test_stdlib_records_carry_the_fields(self, credsafe_records: _Records) -> None:
        """structlog unconfigured: stdlib records of logger 'credsafe' with every key as an attribute."""
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            _session().client("sts").get_caller_identity()
        diagnosis = info.value.diagnosis
        got = credsafe_records.records
        assert [(r.name, r.levelname, r.event) for r in got] == [  # type: ignore[attr-defined]
            *[("credsafe", "DEBUG", CONSULTED)] * len(consulted(diagnosis, "")),
            ("credsafe", "ERROR", FAILED),
        ]
        last = got[-1]
        root = diagnosis.root_cause
        assert root is not None
        assert (last.source, last.code, last.service, last.operation) == (  # type: ignore[attr-defined]
            root.source,
            root.code,
            "sts",
            "GetCallerIdentity",
        )
        assert last.getMessage().startswith(
            f"{FAILED}: NoCredentialsError in sts.GetCallerIdentity for profile 'default' (default); "
            f"root cause {root.source} [{root.status.value}, {root.code}]: "
        )
        assert got[0].getMessage().startswith(f"{CONSULTED}: env: not_configured (")

    @pytest.mark.parametrize(
        "credsafe_stdlib",
        [_JSONFormatter, _processor_formatter],
        indirect=True,
        ids=["plain", "structlog-formatter"],
    )
    def test_stdlib_json_parsed_back(self, credsafe_stdlib: io.StringIO) -> None:
        """Only stdlib logging configured, JSON out: every line parses and has the keys."""
        with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
            _session().client("sts").get_caller_identity()
        lines = [json.loads(line) for line in credsafe_stdlib.getvalue().splitlines()]
        diagnosis = info.value.diagnosis
        fid = lines[0]["failure_id"]
        root = diagnosis.root_cause
        assert root is not None
        keep = {
            "event",
            "failure_id",
            "position",
            "source",
            "status",
            "code",
            "duration_ms",
            "exception_class",
            "service",
            "operation",
            "profile",
            "profile_origin",
            "outcome",
            "resolved_by",
            "summary",
            "hint",
            "duplicates_suppressed",
        }
        expected = [
            *consulted(diagnosis, fid),
            failed(
                diagnosis,
                fid,
                exception_class="NoCredentialsError",
                service="sts",
                operation="GetCallerIdentity",
                profile="default",
                profile_origin="default",
                outcome="not_found",
                resolved_by=None,
                source=root.source,
                status=root.status.value,
                code=root.code,
            ),
        ]
        assert [{k: v for k, v in line.items() if k in keep} for line in lines] == [
            {k: v for k, v in e.items() if k in keep} for e in expected
        ]
        assert [line["level"] for line in lines] == ["debug"] * (len(lines) - 1) + [
            "error"
        ]

    def test_nothing_configured(self) -> None:
        """A fresh interpreter that configured nothing: one line on stderr, nothing on stdout."""
        done = _run(_FAIL)
        assert done.stdout == ""
        lines = done.stderr.splitlines()
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith(
            f"{FAILED}: NoCredentialsError in sts.GetCallerIdentity for profile 'default'"
        )
        for secret in SECRETS:
            assert secret not in done.stderr

    def test_stdlib_basic_config_at_info(self) -> None:
        """logging.basicConfig(level=INFO): the failure line, no debug events built."""
        done = _run("import logging; logging.basicConfig(level=logging.INFO)\n" + _FAIL)
        assert done.stdout == ""
        assert [line.split(":", 2)[:2] for line in done.stderr.splitlines()] == [
            ["ERROR", "credsafe"]
        ]

    def test_trace_from_environment_variable(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """CREDSAFE_TRACE=1: the application opts in without code; its logging shows the event."""
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        script = """
        import logging, credsafe
        handler = logging.StreamHandler()
        handler.setFormatter(
            logging.Formatter("%(levelname)s %(name)s %(event)s %(source)s %(access_key_id)s")
        )
        logging.getLogger("credsafe").addHandler(handler)
        logging.getLogger("credsafe").setLevel(logging.INFO)
        credsafe.Session(region_name="us-east-1").client("s3")
        """
        on = _run(script, {"CREDSAFE_TRACE": "1"})
        assert on.stderr.splitlines() == [f"INFO credsafe {RESOLVED} env {MASKED}"], (
            on.stderr
        )
        off = _run(script)
        assert off.stderr == ""
