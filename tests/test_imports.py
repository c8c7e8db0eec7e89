"""What ``import credsafe`` and the success path import (docs/performance.md).

No timings here (benchmarks/bench.py measures): these tests pin the *design* that
keeps ``import credsafe`` within 10% of ``import boto3`` and the success path free,
so that a change which eagerly imports the diagnosis machinery or structlog fails
a test instead of quietly slowing every user down.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import credsafe._replay
import credsafe._session

# Imported only by a failure, diagnose(), the CLI, or an application.
_LAZY = ("structlog", "credsafe._replay", "credsafe._explain", "credsafe._cli")


def _modules_after(code: str) -> set[str]:
    """The modules loaded by a fresh interpreter that ran *code*."""
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=dict(os.environ),  # the hermetic environment of this test
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_import_credsafe_imports_no_diagnosis_machinery() -> None:
    """`import credsafe` loads neither structlog nor the explainers nor attrs.

    attrs alone costs more than 10% of `import boto3`; it is loaded with the first
    Session (the recorder) or the first access to the diagnosis model.
    """
    loaded = _modules_after("import credsafe")
    assert "credsafe" in loaded
    assert "boto3" in loaded
    assert [m for m in (*_LAZY, "attrs", "credsafe._model") if m in loaded] == []


def test_model_names_load_on_first_use() -> None:
    """credsafe.Diagnosis & co. are there (and say credsafe) though loaded lazily."""
    loaded = _modules_after(
        "import credsafe\n"
        "assert credsafe.Diagnosis.__module__ == 'credsafe'\n"
        "from credsafe import Outcome, ProfileInfo, SourceReport, Status\n"
        "assert Status.FOUND.value == 'found', Status\n"
        "assert set(credsafe.__all__) <= set(dir(credsafe))\n"
        "assert all(getattr(credsafe, name) for name in credsafe.__all__)\n"
    )
    assert "credsafe._model" in loaded


def test_success_path_imports_no_diagnosis_machinery(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Creating a session and a client with working credentials loads none of it."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv(
        "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    )
    loaded = _modules_after(
        "import credsafe\n"
        "s = credsafe.Session(region_name='us-east-1')\n"
        "c = s.client('sts')\n"
        "assert c._request_signer._credentials is not None\n"
        "assert s.get_credentials().method == 'env'\n"
    )
    assert [m for m in _LAZY if m in loaded] == []


def test_failure_loads_the_diagnosis() -> None:
    """The lazily imported machinery is there when a failure needs it."""
    loaded = _modules_after(
        "import botocore.exceptions, credsafe\n"
        "try:\n"
        "    credsafe.Session(region_name='us-east-1').client('sts')"
        ".get_caller_identity()\n"
        "except botocore.exceptions.NoCredentialsError as exc:\n"
        "    assert exc.diagnosis.sources, exc\n"
        "else:\n"
        "    raise SystemExit('no failure')\n"
    )
    assert {"credsafe._replay", "credsafe._explain"} <= loaded


def test_default_budget_is_the_replay_default() -> None:
    """diagnose()'s default budget (kept in _session to avoid importing _replay)."""
    assert credsafe._session.DEFAULT_BUDGET == credsafe._replay.DEFAULT_BUDGET
