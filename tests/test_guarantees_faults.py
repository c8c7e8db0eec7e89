"""Guarantee: a fault inside credsafe never makes a failure worse (docs/guarantees.md).

An exception is injected into each explainer (``credsafe._explain.EXPLAINERS``),
each advice check (``credsafe._advice``), each probe (``credsafe._probe``), the
rendering, the logging and the whole replay. In every case the caller still gets
an exception of botocore's class whose first line is botocore's message; the
diagnosis marks the source it could not explain (``internal.explainer_failed``) or,
when nothing could be diagnosed, the original exception carries a note. Nothing
else escapes, and a secret in the injected error's message is never shown.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import boto3
import botocore.exceptions
import pytest

import credsafe
import credsafe._context
from credsafe import _advice, _log, _probe, _render, _replay
from credsafe._cli import main as cli_main
from credsafe._explain import EXPLAINERS
from fakes import ACCESS_KEY, SECRET_KEY
from property.checks import assert_no_secret, assert_valid, exception_texts
from servers import ContainerServer, IMDSServer, Reply, closed_port_url, guard_loopback

INJECTED_SECRET = "Zk9v3Tq7Lx2Mw8Rb4Nc6Pd1Hs5Jt0Gy7Uv3Ae9Q"


class Injected(RuntimeError):
    """The fault credsafe must contain."""


def boom(*_args: Any, **_kwargs: Any) -> Any:
    raise Injected(f"injected fault {INJECTED_SECRET}")


@pytest.fixture(autouse=True)
def _loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", closed_port_url())
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    guard_loopback(monkeypatch)


@pytest.fixture
def imds_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[IMDSServer]:
    server = IMDSServer().start()
    server.credentials = Reply(500, "Internal Server Error")
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url)
    yield server
    server.stop()


# Failures that reach every explainer: (name, setup, call).
def _nothing(aws_files: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    aws_files.write_config("[default]\nregion = us-east-1\n")


def _partial_env(aws_files: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)


def _process(aws_files: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    aws_files.write_config(
        f'[default]\ncredential_process = {sys.executable} -c "import sys; sys.exit(3)"\n'
    )


def _profile_missing(aws_files: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "nope")
    aws_files.write_credentials(
        f"[dev]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
    )


SETUPS: dict[str, Callable[[Any, pytest.MonkeyPatch], None]] = {
    "nothing": _nothing,
    "partial_env": _partial_env,
    "process": _process,
    "profile_missing": _profile_missing,
}


def _original(call: Callable[[Any], Any]) -> BaseException:
    """What plain boto3 raises for the same environment."""
    with pytest.raises(Exception) as info:
        call(boto3.Session)
    return info.value


def _through_credsafe(call: Callable[[Any], Any]) -> BaseException:
    with pytest.raises(Exception) as info:
        call(credsafe.Session)
    return info.value


def _api_call(factory: Any) -> Any:
    return factory().client("sts").get_caller_identity()


def _same_failure(got: BaseException, original: BaseException) -> None:
    """The caller gets botocore's class and botocore's first line."""
    assert isinstance(got, type(original)), (type(got), type(original))
    assert type(got).__name__ == type(original).__name__
    assert str(got).split("\n", 1)[0] == str(original).split("\n", 1)[0]
    assert_no_secret(exception_texts(got), [INJECTED_SECRET, SECRET_KEY])


@pytest.mark.parametrize("setup", ["nothing", "partial_env"])
@pytest.mark.parametrize("method", sorted(EXPLAINERS))
def test_explainer_fault_is_marked(
    aws_files: Any,
    monkeypatch: pytest.MonkeyPatch,
    imds_server: IMDSServer,
    method: str,
    setup: str,
) -> None:
    """A fault in one explainer marks that source; the rest of the diagnosis stands."""
    SETUPS[setup](aws_files, monkeypatch)
    original = _original(_api_call)
    monkeypatch.setitem(EXPLAINERS, method, boom)
    got = _through_credsafe(_api_call)
    _same_failure(got, original)
    assert isinstance(got, credsafe.CredsafeError), str(got)
    document = got.diagnosis.to_dict()
    assert_valid(document)
    by_source = {s["source"]: s for s in document["sources"]}
    if method in by_source:
        report = by_source[method]
        # Marked, unless the chain never reached the source (then it says so).
        assert "internal.explainer_failed" in (
            report["code"],
            report.get("details", {}).get("finding"),
        ), report
        assert report["details"]["explainer_error"] == "Injected"
    # diagnose() and the CLI survive the same fault.
    assert_valid(credsafe.diagnose(network=False).to_dict())


@pytest.mark.parametrize("method", sorted(EXPLAINERS))
def test_explainer_fault_in_doctor(
    aws_files: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    method: str,
) -> None:
    """`credsafe doctor` reports the source it could not explain; it does not crash."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setitem(EXPLAINERS, method, boom)
    assert cli_main(["doctor", "--json", "--no-network"]) in {0, 1}
    out, err = capsys.readouterr()
    document = json.loads(out)
    assert_valid(document)
    assert INJECTED_SECRET not in out + err
    assert cli_main(["doctor", "--no-network"]) in {0, 1}
    out, err = capsys.readouterr()
    assert INJECTED_SECRET not in out + err


def test_explicit_explainer_fault(
    aws_files: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report on credentials passed in code is marked too."""
    import credsafe._explain.explicit as explicit

    monkeypatch.setattr(explicit, "explain", boom)
    with pytest.raises(botocore.exceptions.PartialCredentialsError) as info:
        credsafe.Session().client("sts", aws_access_key_id=ACCESS_KEY)
    report = info.value.diagnosis.sources[0]
    assert (report.source, report.code) == ("explicit", "internal.explainer_failed")
    assert_no_secret(exception_texts(info.value), [INJECTED_SECRET])


@pytest.mark.parametrize("check", ["_file_checks", "_key_checks"])
def test_advice_fault_is_contained(
    aws_files: Any, monkeypatch: pytest.MonkeyPatch, check: str
) -> None:
    """A failing advice check drops its advice; the diagnosis is otherwise identical."""
    aws_files.write_credentials(
        f"[default]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
        f"[copy]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
    )
    os.chmod(aws_files.credentials, 0o644)
    monkeypatch.setenv("AWS_PROFILE", "nope")
    original = _original(_api_call)
    clean = _through_credsafe(_api_call)
    _log._DEDUPER.clear()
    monkeypatch.setattr(_advice, check, boom)
    got = _through_credsafe(_api_call)
    _same_failure(got, original)
    before, after = clean.diagnosis.to_dict(), got.diagnosis.to_dict()  # type: ignore[attr-defined]
    assert_valid(after)
    assert before["sources"] == after["sources"]
    assert len(after.get("advice", [])) < len(before.get("advice", []))


@pytest.mark.parametrize(
    ("target", "where", "entry"),
    [
        ("probe_imds", "iam-role", "diagnose"),
        ("probe_imds", "iam-role", "wrap"),
        ("probe_container", "container-role", "diagnose"),
        ("skip_reason", "container-role", "diagnose"),
        ("skip_reason", "iam-role", "diagnose"),
        ("skip_reason", "iam-role", "wrap"),
    ],
)
def test_probe_fault_is_marked(
    aws_files: Any,
    monkeypatch: pytest.MonkeyPatch,
    imds_server: IMDSServer,
    target: str,
    where: str,
    entry: str,
) -> None:
    """A failing probe marks its source; diagnose() and a wrapped client still work.

    (A wrapped foreign client fails at its API call only when no credentials were
    found at its creation: a failing container endpoint raises at creation, before
    the client exists, so the container probe is checked through diagnose().)
    """
    container = ContainerServer().start()
    try:
        container.reply = Reply(500, "nope")
        if where == "container-role":
            monkeypatch.setenv(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url + "c"
            )
        monkeypatch.setattr(_probe, target, boom)
        if entry == "diagnose":
            diagnosis = credsafe.diagnose()
        else:
            original = _original(lambda f: f().client("sts").get_caller_identity())
            client = credsafe.wrap(boto3.Session().client("sts"))
            with pytest.raises(Exception) as info:
                client.get_caller_identity()
            _same_failure(info.value, original)
            diagnosis = info.value.diagnosis  # type: ignore[attr-defined]
    finally:
        container.stop()
    assert_valid(diagnosis.to_dict())
    report = next(r for r in diagnosis.sources if r.source == where)
    assert report.code == "internal.explainer_failed", report
    assert INJECTED_SECRET not in json.dumps(diagnosis.to_dict())


@pytest.mark.parametrize(
    ("module", "name"),
    [
        (_replay, "_diagnose"),
        (_replay, "_build_chain"),
        (_replay, "_collect_secrets"),
        (_replay, "_sanitize"),
        (_render, "exception_message"),
        (_replay, "profile_info"),
    ],
)
@pytest.mark.parametrize("setup", ["nothing", "process", "profile_missing"])
def test_whole_diagnosis_fault_keeps_the_original(
    aws_files: Any, monkeypatch: pytest.MonkeyPatch, module: Any, name: str, setup: str
) -> None:
    """When nothing can be diagnosed, the original exception comes through, with a note."""
    SETUPS[setup](aws_files, monkeypatch)
    original = _original(_api_call)
    monkeypatch.setattr(module, name, boom)
    got = _through_credsafe(_api_call)
    _same_failure(got, original)
    assert not isinstance(got, credsafe.CredsafeError)
    assert str(got) == str(original)
    notes = getattr(got, "__notes__", [])
    assert any("the diagnosis of this error failed (Injected)" in n for n in notes), (
        notes
    )


@pytest.mark.parametrize(
    ("module", "name"), [(_advice, "collect"), (credsafe._context, "detect")]
)
def test_context_and_advice_faults_are_contained(
    aws_files: Any, monkeypatch: pytest.MonkeyPatch, module: Any, name: str
) -> None:
    """Advice and runtime detection are best effort: their faults cost nothing else."""
    _partial_env(aws_files, monkeypatch)
    original = _original(_api_call)
    monkeypatch.setattr(module, name, boom)
    got = _through_credsafe(_api_call)
    _same_failure(got, original)
    assert isinstance(got, credsafe.CredsafeError)
    document = got.diagnosis.to_dict()
    assert_valid(document)
    assert document["root_cause"]["code"] == "env.partial"


def test_logging_fault_keeps_the_diagnosis(
    aws_files: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure while logging adds a note; the diagnosed exception is raised."""
    original = _original(_api_call)
    monkeypatch.setattr(_log, "credential_failure", boom)
    got = _through_credsafe(_api_call)
    _same_failure(got, original)
    assert isinstance(got, credsafe.CredsafeError)
    assert "credsafe: logging the diagnosis failed." in got.__notes__


def test_fault_in_every_explainer_at_once(
    aws_files: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even with every explainer failing, the caller gets a complete, valid diagnosis."""
    original = _original(_api_call)
    for method in list(EXPLAINERS):
        monkeypatch.setitem(EXPLAINERS, method, boom)
    with (
        mock.patch.object(_advice, "_file_checks", boom),
        mock.patch.object(_advice, "_key_checks", boom),
    ):
        got = _through_credsafe(_api_call)
    _same_failure(got, original)
    document = got.diagnosis.to_dict()  # type: ignore[attr-defined]
    assert_valid(document)
    assert {s["code"] for s in document["sources"]} == {"internal.explainer_failed"}


@pytest.mark.parametrize("garbage", [None, "a string", 42, object()])
def test_explainer_returning_garbage_is_marked(
    aws_files: Any, monkeypatch: pytest.MonkeyPatch, garbage: Any
) -> None:
    """An explainer that returns something other than a report is a failed explainer."""
    original = _original(_api_call)
    monkeypatch.setitem(EXPLAINERS, "env", lambda *_: garbage)
    got = _through_credsafe(_api_call)
    _same_failure(got, original)
    assert isinstance(got, credsafe.CredsafeError)
    env = got.diagnosis.sources[0]
    assert (env.source, env.code) == ("env", "internal.explainer_failed")
    assert_valid(got.diagnosis.to_dict())


def test_objects_in_details_are_redacted(
    aws_files: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last net: a secret inside an object, a set or a key of ``details`` is redacted too."""
    from credsafe._explain import env as env_explainer

    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)  # known to the diagnosis

    def leaky(ctx: Any, provider: Any, attempt: Any) -> Any:
        import attrs

        report = env_explainer.explain(ctx, provider, attempt)
        return attrs.evolve(
            report,
            details={
                **report.details,
                "error": RuntimeError(f"boom {SECRET_KEY}"),
                "values": {f"x{SECRET_KEY}"},
                SECRET_KEY: "as a key",
            },
        )

    monkeypatch.setitem(EXPLAINERS, "env", leaky)
    got = _through_credsafe(_api_call)
    document = got.diagnosis.to_dict()  # type: ignore[attr-defined]
    assert_valid(document)
    assert_no_secret([json.dumps(document), *exception_texts(got)], [SECRET_KEY])
    assert "boom" in json.dumps(document)
