"""The assume-role source (``role_arn`` with a source), explained.

Errors botocore raises while loading come from real botocore through
``credsafe.Session``; what only fails at the first request (malformed ARN, MFA
without a terminal, duration out of range) is predicted by ``credsafe.diagnose()``,
which never calls the provider's ``load()`` and never calls STS.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import credsafe
from credsafe import CredsafeError, Outcome, Status
from credsafe._explain import assume_role
from credsafe._explain._roles import check_role_arn
from fakes import ACCESS_KEY, MASKED, SECRET_KEY
from servers import closed_port_url

ARN = "arn:aws:iam::123456789012:role/deploy"
KEYS = f"aws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"


@pytest.fixture(autouse=True)
def _no_sts(monkeypatch: pytest.MonkeyPatch) -> None:
    # STS must never be reached; if it were, it would hit a closed loopback port.
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", closed_port_url())


def fail_on_create(profile: str) -> CredsafeError:
    with pytest.raises(CredsafeError) as info:
        credsafe.Session(profile_name=profile, region_name="us-east-1").client("s3")
    return info.value


def role_report(diagnosis: Any) -> Any:
    report = diagnosis.source("assume-role")
    assert report is not None
    assert SECRET_KEY not in json.dumps(diagnosis.to_dict())
    return report


def test_found_static(aws_files: Any) -> None:
    """A working role is FOUND without any STS call; the source key is masked."""
    aws_files.write_config(
        f"[profile r]\nrole_arn = {ARN}\nsource_profile = src\n[profile src]\n{KEYS}"
    )
    diagnosis = credsafe.diagnose(profile_name="r", network=False)
    report = role_report(diagnosis)
    assert report.code == "assume-role.found"
    assert report.status is Status.FOUND
    assert diagnosis.resolved_by == "assume-role"
    assert ARN in report.summary
    assert "source profile 'src'" in report.summary
    assert MASKED in report.summary


def test_no_source(aws_files: Any) -> None:
    aws_files.write_config(f"[profile r]\nregion = us-east-1\nrole_arn = {ARN}\n")
    exc = fail_on_create("r")
    report = role_report(exc.diagnosis)  # type: ignore[attr-defined]
    assert report.code == "assume-role.no_source"
    assert report.status is Status.MISCONFIGURED
    assert f"{aws_files.config}:3" in report.summary
    assert "credential_source = Ec2InstanceMetadata" in " ".join(report.hints)
    assert exc.diagnosis.root_cause.code == "assume-role.no_source"  # type: ignore[attr-defined]


def test_no_source_predicted(aws_files: Any) -> None:
    """Without a recording, the static walk predicts the same error and stops there."""
    aws_files.write_config(f"[profile r]\nrole_arn = {ARN}\n{KEYS}")
    diagnosis = credsafe.diagnose(profile_name="r", network=False)
    report = role_report(diagnosis)
    assert report.code == "assume-role.no_source"
    assert report.details["stops_chain"] is True
    assert diagnosis.outcome is Outcome.ERROR
    assert diagnosis.resolved_by is None


def test_both_sources(aws_files: Any) -> None:
    aws_files.write_config(
        f"[profile r]\nrole_arn = {ARN}\nsource_profile = src\n"
        f"credential_source = Environment\n[profile src]\n{KEYS}"
    )
    report = role_report(fail_on_create("r").diagnosis)  # type: ignore[attr-defined]
    assert report.code == "assume-role.both_sources"
    assert f"{aws_files.config}:3" in report.summary
    assert f"{aws_files.config}:4" in report.summary


def test_source_profile_missing_did_you_mean(aws_files: Any) -> None:
    aws_files.write_config(
        f"[profile r]\nrole_arn = {ARN}\nsource_profile = prodd\n[profile prod]\n{KEYS}"
    )
    report = role_report(fail_on_create("r").diagnosis)  # type: ignore[attr-defined]
    assert report.code == "assume-role.source_profile_missing"
    assert "'prodd'" in report.summary
    assert "Did you mean 'prod'?" in report.hints


def test_source_profile_without_prefix(aws_files: Any) -> None:
    aws_files.write_config(f"[profile r]\nrole_arn = {ARN}\nsource_profile = base\n[base]\n{KEYS}")
    report = role_report(fail_on_create("r").diagnosis)  # type: ignore[attr-defined]
    assert report.code == "assume-role.source_profile_missing"
    assert "rename it to [profile base]" in report.hints[0]


def test_loop_names_the_cycle(aws_files: Any) -> None:
    aws_files.write_config(
        f"[profile a]\nrole_arn = {ARN}\nsource_profile = b\n"
        f"[profile b]\nrole_arn = {ARN}\nsource_profile = c\n"
        f"[profile c]\nrole_arn = {ARN}\nsource_profile = b\n"
    )
    exc = fail_on_create("a")
    assert type(exc.__cause__).__name__ == "InfiniteLoopConfigError"
    report = role_report(exc.diagnosis)  # type: ignore[attr-defined]
    assert report.code == "assume-role.loop"
    assert "b -> c -> b" in report.summary
    assert "a -> b -> c -> b" in report.summary
    assert report.details["cycle"] == ["b", "c", "b"]
    assert f"{aws_files.config}:9" in report.summary


def test_self_reference_without_keys(aws_files: Any) -> None:
    aws_files.write_config(f"[profile a]\nrole_arn = {ARN}\nsource_profile = a\n")
    report = role_report(fail_on_create("a").diagnosis)  # type: ignore[attr-defined]
    assert report.code == "assume-role.loop"
    assert "names itself" in report.summary


def test_self_reference_with_keys_works(aws_files: Any) -> None:
    aws_files.write_config(f"[profile a]\nrole_arn = {ARN}\nsource_profile = a\n{KEYS}")
    report = role_report(credsafe.diagnose(profile_name="a", network=False))
    assert report.code == "assume-role.found"


def test_stale_state_after_a_first_failure(aws_files: Any) -> None:
    """botocore#1780: the second attempt on a session reports a loop that is not there."""
    aws_files.write_config(
        f"[profile r]\nrole_arn = {ARN}\nsource_profile = empty\n"
        "[profile empty]\nregion = us-east-1\n"
    )
    session = credsafe.Session(profile_name="r", region_name="us-east-1")
    with pytest.raises(CredsafeError) as first:
        session.client("s3")
    assert role_report(first.value.diagnosis).code == (  # type: ignore[attr-defined]
        "assume-role.source_profile_no_credentials"
    )
    with pytest.raises(CredsafeError) as second:
        session.client("s3")
    assert type(second.value.__cause__).__name__ == "InfiniteLoopConfigError"
    report = role_report(second.value.diagnosis)  # type: ignore[attr-defined]
    assert report.code == "assume-role.stale_provider_state"
    assert "botocore#1780" in report.summary
    assert "source profile 'empty' holds no credentials" in report.summary
    assert "new session" in report.hints[-1]


def test_invalid_credential_source_case(aws_files: Any) -> None:
    """botocore compares credential_source case-sensitively."""
    aws_files.write_config(f"[profile r]\nrole_arn = {ARN}\ncredential_source = ec2instancemetadata\n")
    report = role_report(fail_on_create("r").diagnosis)  # type: ignore[attr-defined]
    assert report.code == "assume-role.invalid_credential_source"
    assert "credential_source = Ec2InstanceMetadata" in report.hints[0]


def test_credential_source_environment_empty(aws_files: Any) -> None:
    aws_files.write_config(f"[profile r]\nrole_arn = {ARN}\ncredential_source = Environment\n")
    report = role_report(fail_on_create("r").diagnosis)  # type: ignore[attr-defined]
    assert report.code == "assume-role.credential_source_unavailable"
    assert "AWS_ACCESS_KEY_ID is not set" in report.summary
    static = role_report(credsafe.diagnose(profile_name="r", network=False))
    assert static.code == "assume-role.credential_source_unavailable"
    assert static.details["stops_chain"] is True


def test_credential_source_environment_works(
    aws_files: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """credential_source = Environment reads the variables even with an explicit profile."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    aws_files.write_config(f"[profile r]\nrole_arn = {ARN}\ncredential_source = Environment\n")
    credsafe.Session(profile_name="r", region_name="us-east-1").client("s3")
    report = role_report(credsafe.diagnose(profile_name="r", network=False))
    assert report.code == "assume-role.found"
    assert "environment variables" in report.summary


def test_credential_source_container_without_variables(aws_files: Any) -> None:
    aws_files.write_config(f"[profile r]\nrole_arn = {ARN}\ncredential_source = EcsContainer\n")
    report = role_report(fail_on_create("r").diagnosis)  # type: ignore[attr-defined]
    assert report.code == "assume-role.credential_source_unavailable"
    assert "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" in report.summary


def test_credential_source_imds_unreachable(aws_files: Any) -> None:
    """The real IMDS requests of the source are named (here: a closed loopback port)."""
    aws_files.write_config(
        f"[profile r]\nrole_arn = {ARN}\ncredential_source = Ec2InstanceMetadata\n"
    )
    report = role_report(fail_on_create("r").diagnosis)  # type: ignore[attr-defined]
    assert report.code == "assume-role.credential_source_unavailable"
    assert "instance metadata service" in report.summary
    assert "/latest/api/token" in report.summary


def test_credential_source_imds_disabled(
    aws_files: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    aws_files.write_config(
        f"[profile r]\nrole_arn = {ARN}\ncredential_source = Ec2InstanceMetadata\n"
    )
    report = role_report(credsafe.diagnose(profile_name="r", network=False))
    assert report.code == "assume-role.credential_source_unavailable"
    assert "AWS_EC2_METADATA_DISABLED=true" in report.summary
    assert report.hints == ("unset AWS_EC2_METADATA_DISABLED",)


def test_credential_source_imds_off_ec2(
    aws_files: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DMI data naming non-Amazon hardware means no instance metadata service."""
    dmi = tmp_path / "dmi"
    dmi.mkdir()
    (dmi / "sys_vendor").write_text("QEMU\n")
    (dmi / "product_name").write_text("Standard PC (Q35 + ICH9, 2009)\n")
    monkeypatch.setattr(assume_role, "DMI_DIR", str(dmi))
    monkeypatch.setattr(assume_role, "HYPERVISOR_UUID", str(tmp_path / "none"))
    aws_files.write_config(
        f"[profile r]\nrole_arn = {ARN}\ncredential_source = Ec2InstanceMetadata\n"
    )
    report = role_report(credsafe.diagnose(profile_name="r", network=False))
    assert report.code == "assume-role.credential_source_unavailable"
    assert "does not look like an EC2 instance" in report.summary
    (dmi / "sys_vendor").write_text("Amazon EC2\n")
    report = role_report(credsafe.diagnose(profile_name="r", network=False))
    assert report.code == "assume-role.found"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("region = us-east-1\n", "(its keys: region; "),
        (f"aws_secret_access_key = {SECRET_KEY}\n", "aws_secret_access_key but no aws_access_key_id"),
    ],
)
def test_source_profile_without_credentials(aws_files: Any, source: str, expected: str) -> None:
    aws_files.write_config(f"[profile r]\nrole_arn = {ARN}\nsource_profile = s\n[profile s]\n{source}")
    report = role_report(fail_on_create("r").diagnosis)  # type: ignore[attr-defined]
    assert report.code == "assume-role.source_profile_no_credentials"
    assert expected in report.summary


def test_source_profile_partial(aws_files: Any) -> None:
    aws_files.write_config(
        f"[profile r]\nrole_arn = {ARN}\nsource_profile = s\n[profile s]\naws_access_key_id = {ACCESS_KEY}\n"
    )
    report = role_report(fail_on_create("r").diagnosis)  # type: ignore[attr-defined]
    assert report.code == "assume-role.source_profile_partial"
    assert MASKED in report.summary
    assert f"{aws_files.config}:5" in report.summary


def test_source_profile_process_not_found(aws_files: Any) -> None:
    """A failing credential_process of the source profile, named as such."""
    aws_files.write_config(
        f"[profile r]\nrole_arn = {ARN}\nsource_profile = s\n"
        "[profile s]\ncredential_process = credsafe-no-such-tool\n"
    )
    exc = fail_on_create("r")
    assert isinstance(exc, FileNotFoundError)
    report = role_report(exc.diagnosis)  # type: ignore[attr-defined]
    assert report.code == "assume-role.source_failed"
    assert report.details["finding"] == "custom-process.command_not_found"
    assert "source profile 's'" in report.summary


@pytest.mark.parametrize(
    ("arn", "problem"),
    [
        ("deploy", "not an ARN"),
        ("arn:aws:iam::1234-5678-9012:role/deploy", "not 12 digits"),
        ("arn:aws:iam::123456789012:user/deploy", "IAM 'user'"),
        ("arn:aws:sts::123456789012:assumed-role/deploy/session", "assumed-role session"),
        ('"arn:aws:iam::123456789012:role/deploy"', "quotes"),
        ("arn:aws:iam:us-east-1:123456789012:role/deploy", "shape"),
    ],
)
def test_malformed_arn(aws_files: Any, arn: str, problem: str) -> None:
    aws_files.write_config(f"[profile r]\nrole_arn = {arn}\nsource_profile = s\n[profile s]\n{KEYS}")
    diagnosis = credsafe.diagnose(profile_name="r", network=False)
    report = role_report(diagnosis)
    assert report.code == "assume-role.malformed_role_arn"
    assert problem in report.summary
    assert report.details["stops_chain"] is True
    assert diagnosis.root_cause.code == "assume-role.malformed_role_arn"


@pytest.mark.parametrize(
    "arn",
    [
        ARN,
        "arn:aws-cn:iam::123456789012:role/deploy",
        "arn:aws-us-gov:iam::123456789012:role/path/to/deploy",
        "arn:aws:iam::012345678901:role/a+b=c,d.e@f_g-h",
    ],
)
def test_valid_arns(arn: str) -> None:
    assert check_role_arn(arn) is None


def test_assumed_role_arn_fix() -> None:
    problem = check_role_arn("arn:aws:sts::123456789012:assumed-role/deploy/me")
    assert problem is not None
    assert problem[1] == "use the role's ARN: arn:aws:iam::123456789012:role/deploy"


def test_duration_ignored_is_a_warning(aws_files: Any) -> None:
    aws_files.write_config(
        f"[profile r]\nrole_arn = {ARN}\nsource_profile = s\nduration_seconds = 1h\n[profile s]\n{KEYS}"
    )
    diagnosis = credsafe.diagnose(profile_name="r", network=False)
    report = role_report(diagnosis)
    assert report.code == "assume-role.duration_ignored"
    assert report.status is Status.FOUND
    assert "'1h'" in report.summary
    assert "duration_seconds = 3600" in report.hints[0]
    assert diagnosis.outcome is Outcome.FOUND


@pytest.mark.parametrize("seconds", [60, 86400])
def test_duration_out_of_range(aws_files: Any, seconds: int) -> None:
    aws_files.write_config(
        f"[profile r]\nrole_arn = {ARN}\nsource_profile = s\nduration_seconds = {seconds}\n"
        f"[profile s]\n{KEYS}"
    )
    report = role_report(credsafe.diagnose(profile_name="r", network=False))
    assert report.code == "assume-role.duration_out_of_range"
    assert report.status is Status.MISCONFIGURED
    assert f"{aws_files.config}:4" in report.summary


def test_diagnosis_never_loads_the_source(aws_files: Any, tmp_path: Path) -> None:
    """The source profile's credential_process is not run by diagnose()."""
    marker = tmp_path / "ran"
    aws_files.write_config(
        f"[profile r]\nrole_arn = {ARN}\nsource_profile = s\n"
        f"[profile s]\ncredential_process = {sys.executable} -c "
        f"\"open('{marker}', 'w').write('x')\"\n"
    )
    report = role_report(credsafe.diagnose(profile_name="r", network=False))
    assert report.status is Status.FOUND
    assert not marker.exists()


# -- MFA: run in a child process without a controlling terminal ------------------------

_MFA_CHILD = textwrap.dedent(
    """
    import json, sys
    import credsafe
    mode = sys.argv[1]
    if mode == "diagnose":
        d = credsafe.diagnose(profile_name="mfa", network=False)
        print(json.dumps(d.to_dict()))
    else:
        s3 = credsafe.Session(profile_name="mfa", region_name="us-east-1").client("s3")
        try:
            s3.list_buckets()
        except credsafe.CredsafeError as exc:
            print(json.dumps({"class": type(exc.__cause__).__name__, **exc.diagnosis.to_dict()}))
    """
)


def _run_without_terminal(mode: str, aws_files: Any) -> dict[str, Any]:
    aws_files.write_config(
        f"[profile mfa]\nrole_arn = {ARN}\nsource_profile = s\n"
        "mfa_serial = arn:aws:iam::123456789012:mfa/alice\n"
        f"[profile s]\n{KEYS}"
    )
    result = subprocess.run(
        [sys.executable, "-c", _MFA_CHILD, mode],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONWARNINGS="ignore"),
        start_new_session=True,  # no controlling terminal: /dev/tty cannot be opened
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.skipif(os.name == "nt", reason="POSIX sessions")
def test_mfa_without_terminal_predicted(aws_files: Any) -> None:
    out = _run_without_terminal("diagnose", aws_files)
    report = next(s for s in out["sources"] if s["source"] == "assume-role")
    assert report["code"] == "assume-role.mfa_no_terminal"
    assert "arn:aws:iam::123456789012:mfa/alice" in report["summary"]
    assert "get-session-token" in " ".join(report["hints"])
    assert out["root_cause"]["code"] == "assume-role.mfa_no_terminal"


@pytest.mark.skipif(os.name == "nt", reason="POSIX sessions")
def test_mfa_without_terminal_at_first_request(aws_files: Any) -> None:
    """botocore's getpass fails at the first request (EOFError); it is explained."""
    out = _run_without_terminal("call", aws_files)
    assert out["class"] == "EOFError"
    assert out["root_cause"]["code"] == "assume-role.mfa_no_terminal"
    assert SECRET_KEY not in json.dumps(out)
