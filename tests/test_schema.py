"""The shipped JSON Schema of ``credsafe.diagnosis/1`` describes real output.

Every diagnosis here is produced by real botocore from real files, a real
environment or a real loopback server, then validated against the schema file
shipped inside the package (``credsafe/schema/diagnosis-1.json``). The schema is
strict (no unknown keys), so a change to the contract that is not also made to the
schema fails here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from typing import Any

import jsonschema
import pytest

import credsafe
from credsafe import CredsafeError, Outcome, Status
from credsafe._codes import lookup
from credsafe._model import SCHEMA as CONTRACT
from fakes import ACCESS_KEY, SECRET_KEY, SESSION_TOKEN
from servers import SECRET_KEY as SERVER_SECRET
from servers import SESSION_TOKEN as SERVER_TOKEN


def load_schema() -> dict[str, Any]:
    text = resources.files("credsafe").joinpath("schema/diagnosis-1.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


SCHEMA = load_schema()
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
SECRETS = (SECRET_KEY, SESSION_TOKEN, SERVER_SECRET, SERVER_TOKEN)


def check(document: dict[str, Any]) -> dict[str, Any]:
    """Validate *document*, and check what a schema cannot: codes and secrets."""
    errors = sorted(VALIDATOR.iter_errors(document), key=lambda e: list(e.path))
    assert [f"{list(e.path)}: {e.message}" for e in errors] == []
    text = json.dumps(document)
    for secret in SECRETS:
        assert secret not in text
    codes = {r["code"] for r in document["sources"]}
    codes |= {a["code"] for a in document.get("advice", [])}
    if document["root_cause"] is not None:
        codes.add(document["root_cause"]["code"])
    assert sorted(c for c in codes if lookup(c) is None) == []
    return document


def failure(session: credsafe.Session) -> CredsafeError:
    with pytest.raises(CredsafeError) as info:
        session.client("sts", region_name="us-east-1").get_caller_identity()
    return info.value


class TestSchemaFile:
    def test_is_a_valid_draft_2020_12_schema(self) -> None:
        """The shipped file is itself a valid JSON Schema."""
        jsonschema.Draft202012Validator.check_schema(SCHEMA)

    def test_names_the_contract(self) -> None:
        """The schema pins the contract name the model writes."""
        assert SCHEMA["properties"]["schema"]["const"] == CONTRACT

    def test_statuses_match_the_model(self) -> None:
        """Every Status value, and no other, is allowed."""
        assert SCHEMA["$defs"]["status"]["enum"] == [s.value for s in Status]

    def test_outcomes_match_the_model(self) -> None:
        """Every Outcome value, and no other, is allowed."""
        assert SCHEMA["properties"]["outcome"]["enum"] == [o.value for o in Outcome]

    def test_is_in_the_built_package(self) -> None:
        """The file is a package resource, readable however credsafe is installed."""
        assert resources.files("credsafe").joinpath("schema/diagnosis-1.json").is_file()


class TestRealOutput:
    def test_nothing_configured(self) -> None:
        """The most common case: no source has anything."""
        doc = check(credsafe.diagnose(network=False).to_dict())
        assert doc["outcome"] == "not_found"
        assert doc["root_cause"] is not None

    def test_partial_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A raised error stops the chain: the later sources are skipped."""
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        exc = failure(credsafe.Session())
        doc = check(exc.diagnosis.to_dict())
        assert doc["outcome"] == "error"
        assert doc["root_cause"]["code"] == "env.partial"
        assert {r["status"] for r in doc["sources"][1:]} == {"skipped"}

    def test_found_and_shadowed(self, monkeypatch: pytest.MonkeyPatch, aws_files: Any) -> None:
        """Environment credentials win over a profile's: found and shadowed."""
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)
        aws_files.write_credentials(
            f"[default]\naws_access_key_id = {ACCESS_KEY}\n"
            f"aws_secret_access_key = {SECRET_KEY}\n"
        )
        doc = check(credsafe.diagnose(network=False).to_dict())
        assert doc["outcome"] == "found"
        assert doc["resolved_by"] == "env"
        assert "shadowed" in {r["status"] for r in doc["sources"]}

    def test_explicit_profile(self, aws_files: Any) -> None:
        """An explicit profile: origin ``argument`` and the env source skipped."""
        aws_files.write_credentials(
            f"[dev]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
        )
        doc = check(credsafe.diagnose(profile_name="dev", network=False).to_dict())
        assert doc["profile"] == {"name": "dev", "origin": "argument"}
        assert doc["resolved_by"] == "shared-credentials-file"

    def test_profile_from_environment(self, monkeypatch: pytest.MonkeyPatch, aws_files: Any) -> None:
        """A profile named by AWS_PROFILE that does not exist."""
        monkeypatch.setenv("AWS_PROFILE", "nope")
        aws_files.write_config("[default]\nregion = us-east-1\n")
        with pytest.raises(CredsafeError) as info:
            credsafe.Session()
        doc = check(info.value.diagnosis.to_dict())
        assert doc["profile"] == {"name": "nope", "origin": "AWS_PROFILE"}

    def test_unparsable_config(self, aws_files: Any) -> None:
        """A config file botocore cannot parse (a UTF-8 byte-order mark)."""
        aws_files.config.parent.mkdir(parents=True, exist_ok=True)
        aws_files.config.write_bytes(b"\xef\xbb\xbf[default]\nregion = us-east-1\n")
        with pytest.raises(CredsafeError) as info:
            credsafe.Session().client("sts", region_name="us-east-1")
        check(info.value.diagnosis.to_dict())

    def test_advice(self, aws_files: Any) -> None:
        """A credentials file readable by others: an ``advice`` entry that validates."""
        path = aws_files.write_credentials(
            f"[default]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
        )
        path.chmod(0o644)
        doc = check(credsafe.diagnose(network=False).to_dict())
        assert "advice.file_permissions" in {a["code"] for a in doc["advice"]}

    def test_instance_metadata(self, imds: Any) -> None:
        """A real IMDS server on loopback, probed within the budget."""
        check(credsafe.diagnose(budget=1.0).to_dict())

    def test_container_endpoint(self, container_server: Any) -> None:
        """A real container-credentials server on loopback, probed within the budget."""
        check(credsafe.diagnose(budget=1.0).to_dict())

    def test_container_failure(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """An empty container URI, which botocore refuses before any I/O."""
        monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "")
        with pytest.raises(CredsafeError) as info:
            credsafe.Session().client("sts", region_name="us-east-1")
        doc = check(info.value.diagnosis.to_dict())
        assert doc["outcome"] == "error"

    def test_cli_json(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """``credsafe doctor --json`` prints one document that validates."""
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        out = subprocess.run(
            [sys.executable, "-m", "credsafe", "doctor", "--json", "--no-network"],
            capture_output=True,
            text=True,
            env=dict(os.environ),
            timeout=60,
            check=False,
        )
        assert out.returncode == 1, out.stderr
        check(json.loads(out.stdout))


class TestSchemaRejects:
    """The schema is not vacuous: each broken document fails validation."""

    @pytest.fixture
    def good(self, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        return credsafe.diagnose(network=False).to_dict()

    @pytest.mark.parametrize(
        ("path", "value"),
        [
            (("schema",), "credsafe.diagnosis/2"),
            (("outcome",), "maybe"),
            (("profile", "origin"), "somewhere"),
            (("sources", 0, "status"), "broken"),
            (("sources", 0, "code"), "Not A Code"),
            (("sources", 0, "duration_ms"), -1),
            (("sources", 0, "hints"), "a string, not a list"),
            (("root_cause", "summary"), ""),
            (("sources", 0, "surprise"), True),
            (("advice",), [{"code": "advice.x", "severity": "fatal", "source": None,
                            "summary": "s", "hints": [], "details": {}}]),
            (("surprise",), True),
        ],
    )
    def test_a_broken_value(self, good: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
        assert VALIDATOR.is_valid(good)
        target: Any = good
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
        assert not VALIDATOR.is_valid(good)

    @pytest.mark.parametrize("key", ["schema", "outcome", "profile", "resolved_by", "root_cause", "sources"])
    def test_a_missing_key(self, good: dict[str, Any], key: str) -> None:
        del good[key]
        assert not VALIDATOR.is_valid(good)

    def test_no_sources(self, good: dict[str, Any]) -> None:
        good["sources"] = []
        assert not VALIDATOR.is_valid(good)
