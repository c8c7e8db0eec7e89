"""The credential_process source (``custom-process``), explained.

Failures that happen when botocore runs the command are produced by real botocore
running small ``sys.executable -c ...`` scripts during the real resolution; static
findings come from ``credsafe.diagnose()``, which never starts a process (proved
with an audit hook).
"""

from __future__ import annotations

import json
import os
import shlex
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

import credsafe
from credsafe import CredsafeError, Outcome, Status
from fakes import ACCESS_KEY, MASKED, SECRET_KEY, SESSION_TOKEN
from servers import closed_port_url

PY = shlex.quote(sys.executable)


@pytest.fixture(autouse=True)
def _no_sts(monkeypatch: pytest.MonkeyPatch) -> None:
    # Nothing here may reach AWS: STS would only be contacted by mistake.
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", closed_port_url())


def script(code: str) -> str:
    """A credential_process running *code* with this Python."""
    return f"{PY} -c {shlex.quote(code)}"


def printing(doc: Any) -> str:
    return script(f"import json,sys; sys.stdout.write(json.dumps({doc!r}))")


def fail_on_create(profile: str) -> CredsafeError:
    with pytest.raises(CredsafeError) as info:
        credsafe.Session(profile_name=profile, region_name="us-east-1").client("s3")
    return info.value


def process_report(exc: BaseException) -> Any:
    diagnosis = exc.diagnosis  # type: ignore[attr-defined]
    report = diagnosis.source("custom-process")
    assert report is not None
    return diagnosis, report


def no_secret(diagnosis: Any, *secrets: str) -> str:
    text = json.dumps(diagnosis.to_dict())
    for secret in secrets:
        assert secret not in text
    return text


class TestStatic:
    """What diagnose() finds without running anything."""

    def test_command_not_on_path(self, aws_files: Any) -> None:
        """A program that is not on PATH stops the chain before the config keys."""
        aws_files.write_config(
            "[profile p]\ncredential_process = credsafe-no-such-tool --json\n"
            f"aws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
        )
        diagnosis = credsafe.diagnose(profile_name="p", network=False)
        report = diagnosis.source("custom-process")
        assert report.code == "custom-process.command_not_found"
        assert report.status is Status.MISCONFIGURED
        assert "'credsafe-no-such-tool'" in report.summary
        assert f"{aws_files.config}:2" in report.summary
        assert diagnosis.root_cause.code == "custom-process.command_not_found"
        assert diagnosis.outcome is Outcome.ERROR
        assert diagnosis.resolved_by is None
        assert diagnosis.source("config-file").status in {Status.SKIPPED, Status.SHADOWED}
        no_secret(diagnosis, SECRET_KEY)

    def test_relative_path(self, aws_files: Any) -> None:
        aws_files.write_config("[profile p]\ncredential_process = bin/get-creds\n")
        diagnosis = credsafe.diagnose(profile_name="p", network=False)
        report = diagnosis.source("custom-process")
        # bin/get-creds does not exist relative to the cwd of the test run
        assert report.code == "custom-process.command_not_found"
        assert "relative path" in report.summary

    def test_relative_path_that_exists(
        self, aws_files: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        tool = tmp_path / "bin" / "get-creds"
        tool.parent.mkdir()
        tool.write_text("#!/bin/sh\necho {}\n")
        tool.chmod(0o755)
        monkeypatch.chdir(tmp_path)
        aws_files.write_config("[profile p]\ncredential_process = bin/get-creds\n")
        report = credsafe.diagnose(profile_name="p", network=False).source("custom-process")
        assert report.code == "custom-process.relative_path"
        assert report.status is Status.FOUND
        assert str(tool) in report.hints[0]

    def test_not_executable(self, aws_files: Any, tmp_path: Path) -> None:
        tool = tmp_path / "creds.sh"
        tool.write_text("#!/bin/sh\necho {}\n")
        tool.chmod(0o644)
        aws_files.write_config(f"[profile p]\ncredential_process = {tool}\n")
        report = credsafe.diagnose(profile_name="p", network=False).source("custom-process")
        assert report.code == "custom-process.not_executable"
        assert f"chmod +x {tool}" in report.hints

    def test_tilde_is_not_expanded(self, aws_files: Any) -> None:
        tool = aws_files.home / "bin" / "creds"
        tool.parent.mkdir()
        tool.write_text("#!/bin/sh\n")
        tool.chmod(0o755)
        aws_files.write_config("[profile p]\ncredential_process = ~/bin/creds --x\n")
        report = credsafe.diagnose(profile_name="p", network=False).source("custom-process")
        assert report.code == "custom-process.unexpanded_path"
        assert str(tool) in report.hints[0]

    @pytest.mark.skipif(os.name == "nt", reason="POSIX splitting only")
    def test_windows_backslashes(self, aws_files: Any) -> None:
        aws_files.write_config(
            "[profile p]\ncredential_process = C:\\Tools\\get-creds.exe --profile x\n"
        )
        report = credsafe.diagnose(profile_name="p", network=False).source("custom-process")
        assert report.code == "custom-process.backslashes_removed"
        assert "'C:Toolsget-creds.exe'" in report.summary
        assert "C:/Tools/get-creds.exe" in report.hints[0]

    def test_shell_syntax(self, aws_files: Any) -> None:
        aws_files.write_config("[profile p]\ncredential_process = /bin/echo {} | cat\n")
        report = credsafe.diagnose(profile_name="p", network=False).source("custom-process")
        assert report.code == "custom-process.shell_syntax"
        assert "'|'" in report.summary
        assert "sh -c" in report.hints[0]

    def test_runnable_command_is_not_run(self, aws_files: Any) -> None:
        aws_files.write_config(f"[profile p]\ncredential_process = {printing({})}\n")
        diagnosis = credsafe.diagnose(profile_name="p", network=False)
        report = diagnosis.source("custom-process")
        assert report.code == "custom-process.not_run"
        assert report.status is Status.FOUND
        assert report.details["evaluated"] is False
        assert diagnosis.resolved_by == "custom-process"

    def test_not_configured(self, aws_files: Any) -> None:
        aws_files.write_config("[profile p]\nregion = eu-west-1\n")
        report = credsafe.diagnose(profile_name="p", network=False).source("custom-process")
        assert report.code == "custom-process.not_configured"
        assert report.status is Status.NOT_CONFIGURED


class TestWhatBotocoreRan:
    """Errors from the real resolution, where botocore ran the command."""

    def test_not_on_path(self, aws_files: Any) -> None:
        aws_files.write_config("[profile p]\ncredential_process = credsafe-no-such-tool\n")
        exc = fail_on_create("p")
        assert isinstance(exc, FileNotFoundError)
        _, report = process_report(exc)
        assert report.code == "custom-process.command_not_found"
        assert "not on PATH" in report.summary
        assert "credsafe-no-such-tool" in str(exc)

    def test_not_executable(self, aws_files: Any, tmp_path: Path) -> None:
        tool = tmp_path / "creds.sh"
        tool.write_text("#!/bin/sh\necho {}\n")
        tool.chmod(stat.S_IRUSR | stat.S_IWUSR)
        aws_files.write_config(f"[profile p]\ncredential_process = {tool}\n")
        exc = fail_on_create("p")
        assert isinstance(exc, PermissionError)
        assert process_report(exc)[1].code == "custom-process.not_executable"

    def test_unbalanced_quotes(self, aws_files: Any) -> None:
        aws_files.write_config('[profile p]\ncredential_process = /bin/echo "abc\n')
        exc = fail_on_create("p")
        assert isinstance(exc, ValueError)
        _, report = process_report(exc)
        assert report.code == "custom-process.unbalanced_quotes"
        assert "No closing quotation" in report.summary
        assert "1 double" in report.summary

    def test_empty_command(self, aws_files: Any) -> None:
        aws_files.write_config("[profile p]\ncredential_process =\n")
        exc = fail_on_create("p")
        assert isinstance(exc, IndexError)
        assert process_report(exc)[1].code == "custom-process.empty_command"

    def test_exit_status_and_redacted_stderr(self, aws_files: Any) -> None:
        code = (
            "import sys; sys.stderr.write('token expired for "
            f"{ACCESS_KEY} secret {SECRET_KEY}\\n'); sys.exit(3)"
        )
        aws_files.write_config(f"[profile p]\ncredential_process = {script(code)}\n")
        exc = fail_on_create("p")
        diagnosis, report = process_report(exc)
        assert report.code == "custom-process.exit_status"
        assert report.status is Status.FAILED
        assert "exited with status 3" in report.summary
        assert "token expired for" in report.summary
        assert MASKED in report.summary
        assert report.details["exit_status"] == 3
        assert diagnosis.root_cause.code == "custom-process.exit_status"
        no_secret(diagnosis, SECRET_KEY, ACCESS_KEY)
        assert SECRET_KEY not in str(exc).split("\n", 1)[1]

    def test_output_not_json_is_never_shown(self, aws_files: Any) -> None:
        code = f"print('Welcome! {SECRET_KEY}')"
        aws_files.write_config(f"[profile p]\ncredential_process = {script(code)}\n")
        exc = fail_on_create("p")
        diagnosis, report = process_report(exc)
        assert report.code == "custom-process.output_not_json"
        assert "not JSON" in report.summary
        assert "banner" in report.hints[0]
        assert report.details["stdout_length"] == len(f"Welcome! {SECRET_KEY}\n")
        text = no_secret(diagnosis, SECRET_KEY)
        assert "Welcome" not in text
        assert "Welcome" not in str(exc)

    def test_output_empty(self, aws_files: Any) -> None:
        aws_files.write_config(f"[profile p]\ncredential_process = {script('pass')}\n")
        report = process_report(fail_on_create("p"))[1]
        assert report.code == "custom-process.output_not_json"
        assert "printed nothing on stdout" in report.summary

    @pytest.mark.parametrize(
        ("version", "expected"), [(2, "Version '2'"), ("1", 'the string "1"'), (None, "no Version")]
    )
    def test_version(self, aws_files: Any, version: Any, expected: str) -> None:
        doc: dict[str, Any] = {"AccessKeyId": ACCESS_KEY, "SecretAccessKey": SECRET_KEY}
        if version is not None:
            doc["Version"] = version
        aws_files.write_config(f"[profile p]\ncredential_process = {printing(doc)}\n")
        diagnosis, report = process_report(fail_on_create("p"))
        assert report.code == "custom-process.unsupported_version"
        assert expected in report.summary + " ".join(report.hints)
        no_secret(diagnosis, SECRET_KEY)

    def test_missing_key(self, aws_files: Any) -> None:
        doc = {"Version": 1, "AccessKeyId": ACCESS_KEY, "secretAccessKey": SECRET_KEY}
        aws_files.write_config(f"[profile p]\ncredential_process = {printing(doc)}\n")
        diagnosis, report = process_report(fail_on_create("p"))
        assert report.code == "custom-process.missing_key"
        assert "'SecretAccessKey'" in report.summary
        assert report.details["missing_key"] == "SecretAccessKey"
        no_secret(diagnosis, SECRET_KEY)

    def test_bad_expiration(self, aws_files: Any) -> None:
        doc = {
            "Version": 1,
            "AccessKeyId": ACCESS_KEY,
            "SecretAccessKey": SECRET_KEY,
            "Expiration": "next tuesday",
        }
        aws_files.write_config(f"[profile p]\ncredential_process = {printing(doc)}\n")
        report = process_report(fail_on_create("p"))[1]
        assert report.code == "custom-process.bad_expiration"

    def test_expiration_in_the_past(self, aws_files: Any) -> None:
        doc = {
            "Version": 1,
            "AccessKeyId": ACCESS_KEY,
            "SecretAccessKey": SECRET_KEY,
            "SessionToken": SESSION_TOKEN,
            "Expiration": "2020-01-01T00:00:00Z",
        }
        aws_files.write_config(f"[profile p]\ncredential_process = {printing(doc)}\n")
        s3 = credsafe.Session(profile_name="p", region_name="us-east-1").client("s3")
        with pytest.raises(CredsafeError) as info:
            s3.list_buckets()
        assert isinstance(info.value, RuntimeError)
        diagnosis, report = process_report(info.value)
        assert report.code == "custom-process.expired"
        assert "2020-01-01T00:00:00+00:00" in report.summary
        assert diagnosis.root_cause.code == "custom-process.expired"
        no_secret(diagnosis, SECRET_KEY, SESSION_TOKEN)


# -- the diagnosis never starts a process -------------------------------------------

_EVENTS: list[str] = []
_RECORDING = False
_HOOKED = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _RECORDING and event.startswith(
        ("subprocess.Popen", "os.system", "os.posix_spawn", "os.exec", "os.spawn", "os.fork")
    ):
        _EVENTS.append(event)


def _record_processes() -> None:
    global _HOOKED  # noqa: PLW0603  (audit hooks cannot be removed: install once)
    if not _HOOKED:
        sys.addaudithook(_audit)
        _HOOKED = True


def test_diagnosis_never_starts_a_process(aws_files: Any, tmp_path: Path) -> None:
    """diagnose() on credential_process (direct and as a role's source) runs nothing."""
    global _RECORDING  # noqa: PLW0603
    marker = tmp_path / "ran"
    code = f"open({str(marker)!r}, 'w').write('x'); print('{{}}')"
    aws_files.write_config(
        f"[profile p]\ncredential_process = {script(code)}\n"
        "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = p\n"
    )
    _record_processes()
    _EVENTS.clear()
    _RECORDING = True
    try:
        direct = credsafe.diagnose(profile_name="p", network=False)
        via_role = credsafe.diagnose(profile_name="role", network=False)
        # The hook does see processes: prove it with one started on purpose.
        _RECORDING = False
        assert not _EVENTS
        _RECORDING = True
        os.system("true")
    finally:
        _RECORDING = False
    assert _EVENTS == ["os.system"]
    assert not marker.exists()
    assert direct.source("custom-process").code == "custom-process.not_run"
    assert via_role.source("assume-role").status is Status.FOUND
    assert "does not run" in via_role.source("assume-role").summary
