"""The diagnosis adapts to the installed botocore (docs/compatibility.md).

These tests run on every botocore the project supports: `nox -s minimums` runs
them on the oldest (1.34.0), where the login source (botocore 1.41.0) does not
exist, and the ordinary sessions on a current one.
"""

from __future__ import annotations

import botocore.credentials
import pytest

import credsafe

HAS_LOGIN = hasattr(botocore.credentials, "LoginProvider")


def _all_hints(diagnosis: credsafe.Diagnosis) -> list[str]:
    hints = [h for report in diagnosis.sources for h in report.hints]
    root = diagnosis.root_cause
    return hints + ([] if root is None else list(root.hints))


def test_login_source_only_where_botocore_has_it() -> None:
    """The chain reported is the installed botocore's: login only from 1.41.0 on."""
    diagnosis = credsafe.diagnose(network=False)
    sources = [report.source for report in diagnosis.sources]
    assert ("login" in sources) == HAS_LOGIN
    assert sources[0] == "env"


def test_nothing_configured_suggests_aws_login_only_where_it_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`aws login` is offered as a fix only when botocore would read its credentials."""
    # No file variables: the default ~/.aws files (absent in the temporary HOME).
    monkeypatch.delenv("AWS_SHARED_CREDENTIALS_FILE", raising=False)
    monkeypatch.delenv("AWS_CONFIG_FILE", raising=False)
    diagnosis = credsafe.diagnose(network=False)
    configure = [h for h in _all_hints(diagnosis) if "`aws configure sso`" in h]
    assert configure, _all_hints(diagnosis)
    for hint in configure:
        assert ("`aws login`" in hint) == HAS_LOGIN, hint
        assert hint.endswith("."), hint
