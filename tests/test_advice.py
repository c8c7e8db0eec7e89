"""Issue #11: security advice the diagnosis checks for itself, on real files and env.

Advice is a warning or info with its own ``advice.*`` code; it never changes the
exception or the outcome, and it never claims what cannot be known offline.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import botocore.exceptions
import pytest

import credsafe
import credsafe._context
from fakes import ACCESS_KEY, MASKED, SECRET_KEY

CREDS = f"[default]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"


def _advice(diagnosis: credsafe.Diagnosis) -> dict[str, dict]:
    return {item["code"]: item for item in diagnosis.to_dict()["advice"]}


def test_nothing_to_say_for_a_clean_setup(aws_files) -> None:
    path = aws_files.write_credentials(CREDS)
    path.chmod(0o600)
    diagnosis = credsafe.diagnose(network=False)
    assert diagnosis.to_dict()["advice"] == []


def test_credentials_file_readable_by_others(aws_files) -> None:
    path = aws_files.write_credentials(CREDS)
    path.chmod(0o644)
    diagnosis = credsafe.diagnose(network=False)
    item = _advice(diagnosis)["advice.file_permissions"]
    assert item["severity"] == "warning"
    assert item["hints"] == [f"chmod 600 {path}"]
    assert item["details"]["mode"] == "644"
    assert diagnosis.outcome is credsafe.Outcome.FOUND  # advice never changes it


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another uid needs root")
def test_credentials_file_owned_by_another_user(aws_files) -> None:
    path = aws_files.write_credentials(CREDS)
    path.chmod(0o600)
    os.chown(path, 65534, -1)
    item = _advice(credsafe.diagnose(network=False))["advice.file_owner"]
    assert item["details"]["owner_uid"] == 65534
    assert "chown" in item["hints"][0]


def test_same_key_in_environment_and_file(aws_files, monkeypatch) -> None:
    path = aws_files.write_credentials(CREDS)
    path.chmod(0o600)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    diagnosis = credsafe.diagnose(network=False)
    item = _advice(diagnosis)["advice.duplicate_key_id"]
    assert item["severity"] == "info"
    assert item["details"]["access_key_id"] == MASKED
    assert len(item["details"]["places"]) == 2
    text = json.dumps(diagnosis.to_dict())
    assert ACCESS_KEY not in text
    assert SECRET_KEY not in text


def test_long_term_keys_on_github_actions(monkeypatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    item = _advice(credsafe.diagnose(network=False))["advice.long_term_keys"]
    assert "OIDC" in item["summary"]
    assert item["source"] == "env"


def test_long_term_keys_on_ec2(aws_files, tmp_path: Path) -> None:
    """EC2 is detected from the DMI vendor string under the context root."""
    root = Path(credsafe._context.ROOT)
    dmi = root / "sys/devices/virtual/dmi/id"
    dmi.mkdir(parents=True)
    (dmi / "sys_vendor").write_text("Amazon EC2\n")
    aws_files.write_credentials(CREDS).chmod(0o600)
    item = _advice(credsafe.diagnose(network=False))["advice.long_term_keys"]
    assert "instance profile" in item["summary"]


def test_no_long_term_advice_without_a_better_option(monkeypatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    assert "advice.long_term_keys" not in _advice(credsafe.diagnose(network=False))


def test_static_keys_next_to_a_container_role(monkeypatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds")
    item = _advice(credsafe.diagnose(network=False))["advice.static_keys_next_to_role"]
    assert item["source"] == "env"
    assert item["details"]["role_source"] == "container-role"


def test_root_user_is_never_claimed(aws_files, monkeypatch) -> None:
    """Whether a key belongs to the root user cannot be known offline."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    aws_files.write_credentials(CREDS).chmod(0o644)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    text = json.dumps(credsafe.diagnose(network=False).to_dict()["advice"]).lower()
    assert "root user" not in text
    assert "root account" not in text


def test_advice_rides_along_on_exceptions_without_changing_them(aws_files, monkeypatch) -> None:
    aws_files.write_credentials(f"[default]\naws_access_key_id = {ACCESS_KEY}\n").chmod(0o644)
    with pytest.raises(botocore.exceptions.PartialCredentialsError) as info:
        credsafe.Session(region_name="us-east-1").client("s3")
    diagnosis = info.value.diagnosis
    assert "advice.file_permissions" in _advice(diagnosis)
    assert diagnosis.root_cause is not None
    assert diagnosis.root_cause.source == "shared-credentials-file"
