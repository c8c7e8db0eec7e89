"""Guarantee: no secret ever leaves credsafe (docs/guarantees.md).

Hypothesis places realistic secrets (tests/property/strategies.py) in every input
channel credsafe or botocore reads: environment variables (expected and
near-miss names), both files (as values of expected and unexpected keys, as
section names, on unparsable lines), credential_process output on stdout and
stderr (the process really runs, in botocore's own resolution through
credsafe.Session), IMDS and container responses (real loopback servers), the SSO
token cache, the web-identity and container authorization token files. None of
them may appear in ``str(exc)``, ``repr(exc)``, the notes, ``to_dict()``, a log
event (structlog and stdlib), or ``credsafe doctor`` output (text and JSON); key
ids appear only masked.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from unittest import mock

import botocore.utils
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import credsafe
from property import strategies as cs
from property.checks import (
    assert_key_ids_masked,
    assert_no_secret,
    assert_valid,
    exception_texts,
    with_both_loggers,
)
from servers import ContainerServer, IMDSServer, Reply, closed_port_url, guard_loopback

SETTINGS = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Fail loudly on any connection outside 127.0.0.0/8; AWS APIs go to a closed port."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", closed_port_url())
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return guard_loopback(monkeypatch)


@pytest.fixture
def servers(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[IMDSServer, ContainerServer]]:
    imds = IMDSServer().start()
    container = ContainerServer().start()
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url)
    yield imds, container
    imds.stop()
    container.stop()


class Secrets:
    """One draw of every kind of secret, and the key ids that must stay masked."""

    def __init__(self, draw: Any) -> None:
        self.secret = draw(cs.secret_keys())
        self.token = draw(cs.session_tokens())
        self.sso = draw(cs.sso_access_tokens())
        self.jwt = draw(cs.jwts())
        self.container = draw(cs.container_tokens())
        self.key_id = draw(cs.access_key_ids())
        self.process_secret = draw(cs.secret_keys())
        self.process_token = draw(cs.session_tokens())
        self.imds_secret = draw(cs.secret_keys())

    @property
    def all(self) -> list[str]:
        return [
            self.secret,
            self.token,
            self.sso,
            self.jwt,
            self.container,
            self.process_secret,
            self.process_token,
            self.imds_secret,
        ]


@st.composite
def secret_sets(draw: Any) -> Secrets:
    return Secrets(draw)


def _files_text(s: Secrets, placement: str, header: str) -> str:
    """A file holding the secrets in the way *placement* names."""
    if placement == "unexpected_keys":
        return (
            f"[{header}]\nregion = us-east-1\naws_secret_acess_key = {s.secret}\n"
            f"aws_sesion_token = {s.token}\nnote = {s.jwt}\n"
            f"[{'profile ' if header.startswith('profile') else ''}other]\n"
            f"aws_secret_access_key = {s.secret}\naws_session_token = {s.token}\n"
        )
    if placement == "section_name":
        return f"[{header}]\nregion = us-east-1\n[{s.secret}]\nx = 1\n[profile {s.token}]\n"
    if placement == "unparsable_line":
        return f"[{header}]\nregion = us-east-1\n{s.secret}\n{s.token}\n"
    if placement == "before_any_section":
        return f"{s.secret}\n[{header}]\naws_session_token = {s.token}\n"
    if placement == "partial":
        # A key id without its secret: PartialCredentialsError; the secret sits
        # under a near-miss name.
        return (
            f"[{header}]\naws_access_key_id = {s.key_id}\naws_secret_key = {s.secret}\n"
            f"aws_session_token = {s.token}\n"
        )
    if placement == "continuation":
        return f"[{header}]\nregion = us-east-1\n  {s.secret}\nfoo = bar\n\t{s.token}\n"
    raise AssertionError(placement)


PLACEMENTS = [
    "unexpected_keys",
    "section_name",
    "unparsable_line",
    "before_any_section",
    "partial",
    "continuation",
]


def _env(s: Secrets, aws_files: Any) -> dict[str, str]:
    """Secrets in expected and near-miss environment variables (no key id: not usable)."""
    token_file = aws_files.home / "web-identity-token"
    token_file.write_text(s.jwt)
    return {
        "AWS_SECRET_ACCESS_KEY": s.secret,
        "AWS_SESSION_TOKEN": s.token,
        "AWS_SECURITY_TOKEN": s.token,
        "AWS_SECRET_KEY": s.secret,
        "AWS_SECERT_ACCESS_KEY": s.secret,
        "AWS_ACCESS_KEY": s.secret,
        "AWS_WEB_IDENTITY_TOKEN_FILE": str(token_file),
        "AWS_CONTAINER_AUTHORIZATION_TOKEN": s.container,
    }


def _check(texts: list[str], s: Secrets) -> None:
    assert_no_secret(texts, s.all)
    assert_key_ids_masked(texts, [s.key_id])


def _fail() -> BaseException:
    """A credential failure through credsafe.Session, as an application meets it."""
    with pytest.raises(Exception) as info:
        credsafe.Session().client("sts").get_caller_identity()
    return info.value


def _fail_and_check(s: Secrets) -> None:
    excs, lines = with_both_loggers(_fail)
    texts = [t for exc in excs for t in exception_texts(exc)] + lines
    _check(texts, s)
    for exc in excs:
        assert isinstance(exc, credsafe.CredsafeError), exception_texts(exc)[0]
        assert_valid(exc.diagnosis.to_dict())
    assert lines, "no log event was captured"
    diagnosis = credsafe.diagnose()
    _check([json.dumps(diagnosis.to_dict())], s)


@SETTINGS
@given(
    s=secret_sets(),
    placement=st.sampled_from(PLACEMENTS),
    where=st.sampled_from(["credentials", "config"]),
)
def test_files_and_environment(
    aws_files: Any, loopback_only: Any, s: Secrets, placement: str, where: str
) -> None:
    """Secrets in both files (every placement) and in the environment never leak."""
    if where == "credentials":
        aws_files.write_credentials(_files_text(s, placement, "default"))
        aws_files.write_config("[default]\nregion = us-east-1\n")
    else:
        aws_files.write_credentials("")
        aws_files.write_config(_files_text(s, placement, "default"))
    with mock.patch.dict(os.environ, _env(s, aws_files)):
        _fail_and_check(s)


PROCESS = """\
import sys
out = {out!r}
err = {err!r}
sys.stdout.write(out)
sys.stderr.write(err)
sys.exit({status})
"""


@SETTINGS
@given(
    s=secret_sets(),
    mode=st.sampled_from(["exit1", "bad_json", "no_version", "no_key", "stderr_only"]),
)
def test_credential_process_output(
    aws_files: Any, loopback_only: Any, tmp_path: Path, s: Secrets, mode: str
) -> None:
    """credential_process runs in botocore's resolution; nothing it prints leaks."""
    document = {
        "Version": 1,
        "AccessKeyId": s.key_id,
        "SecretAccessKey": s.process_secret,
        "SessionToken": s.process_token,
    }
    out, err, status = (
        json.dumps(document),
        f"error: {s.process_secret} {s.process_token}",
        0,
    )
    if mode == "exit1":
        status = 1
    elif mode == "bad_json":
        out = out[:-5]
    elif mode == "no_version":
        document.pop("Version")
        out = json.dumps(document)
    elif mode == "no_key":
        document.pop("AccessKeyId")
        out = json.dumps(document)
    else:
        out, status = "", 2
    script = tmp_path / "proc.py"
    script.write_text(PROCESS.format(out=out, err=err, status=status))
    aws_files.write_config(
        f"[default]\nregion = us-east-1\ncredential_process = {sys.executable} {script}\n"
    )
    aws_files.write_credentials("")
    _fail_and_check(s)


@SETTINGS
@given(
    s=secret_sets(),
    status=cs.http_statuses(),
    body=st.data(),
)
def test_endpoint_responses(
    aws_files: Any,
    loopback_only: Any,
    servers: tuple[IMDSServer, ContainerServer],
    monkeypatch: pytest.MonkeyPatch,
    s: Secrets,
    status: int,
    body: Any,
) -> None:
    """IMDS and container replies carrying secrets, and the token file, never leak."""
    # botocore sleeps a second between its container retries; tests need no sleep.
    monkeypatch.setattr(botocore.utils.ContainerMetadataFetcher, "SLEEP_TIME", 0)
    imds, container = servers
    payload = body.draw(cs.response_bodies(s.imds_secret))
    imds.credentials = Reply(status, payload, "application/json")
    container.reply = Reply(status, payload, "application/json")
    token_file = aws_files.home / "container-token"
    token_file.write_text(s.container)
    aws_files.write_credentials("")
    aws_files.write_config("[default]\nregion = us-east-1\n")
    env = {
        "AWS_CONTAINER_CREDENTIALS_FULL_URI": container.url + "creds",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": str(token_file),
        "AWS_CONTAINER_AUTHORIZATION_TOKEN": s.jwt,
    }
    # Container first (it stops the chain when configured), then IMDS alone.
    for variables in (env, {}):
        with mock.patch.dict(os.environ, variables):
            for var in set(env) - set(variables):
                os.environ.pop(var, None)
            try:
                exc = _fail()
            except pytest.fail.Exception:
                continue  # the payload was a usable document: no failure
            texts = exception_texts(exc)
            _check(texts, s)
            _check([json.dumps(credsafe.diagnose().to_dict())], s)


def _sso_cache(aws_files: Any, s: Secrets, start_url: str) -> None:
    cache = aws_files.home / ".aws" / "sso" / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    expired = (datetime.now(timezone.utc) - timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    (cache / (hashlib.sha1(start_url.encode()).hexdigest() + ".json")).write_text(
        json.dumps(
            {
                "startUrl": start_url,
                "region": "us-east-1",
                "accessToken": s.sso,
                "expiresAt": expired,
                "refreshToken": s.token,
                "clientSecret": s.jwt,
            }
        )
    )


@SETTINGS
@given(s=secret_sets())
def test_sso_token_cache(aws_files: Any, loopback_only: Any, s: Secrets) -> None:
    """An expired SSO token (no network: botocore checks expiry first) never leaks."""
    start_url = "https://example.awsapps.com/start"
    aws_files.write_config(
        "[default]\nregion = us-east-1\n"
        f"sso_start_url = {start_url}\nsso_region = us-east-1\n"
        "sso_account_id = 123456789012\nsso_role_name = Dev\n"
    )
    aws_files.write_credentials("")
    _sso_cache(aws_files, s, start_url)
    _fail_and_check(s)


@SETTINGS
@given(s=secret_sets())
def test_masked_key_ids(aws_files: Any, loopback_only: Any, s: Secrets) -> None:
    """A working key id shows only masked (16 ``*`` and the last 4) in a diagnosis."""
    aws_files.write_credentials(
        f"[default]\naws_access_key_id = {s.key_id}\naws_secret_access_key = {s.secret}\n"
    )
    aws_files.write_config("")
    diagnosis = credsafe.diagnose()
    text = json.dumps(diagnosis.to_dict())
    _check([text], s)
    assert "*" * 16 + s.key_id[-4:] in text


# -- credsafe doctor, as a process ------------------------------------------------
FIXED = [
    # (secret key, session token, JWT, key id): shapes of real ones.
    (
        "Zk9v3Tq7Lx2Mw8Rb4Nc6Pd1Hs5Jt0Gy7Uv3Ae9Q",
        "IQoJb3JpZ2luX2VjEJr7fKq2Lm9Tx4Wb8Nc3Pd6Hs1Jt5Gy0Uv7Ae2Qz9Rk4Mw8Yb3Nc6Pd1Hs5Jt0Gy7Uv3Ae9QzLx2Mw8Rb4Nc",
        "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.Qm9Xk3Lp7Tz2Wv8Nb4Rc6Hd1Js5Gt0Yu9Ae3Lx7Mq2Wk8",
        "AKIAQ7ZKX3M2WPL4TB6N",
    ),
]


def _doctor(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "credsafe", "doctor", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(("secret", "token", "jwt", "key_id"), FIXED, ids=["fixed"])
@pytest.mark.parametrize(
    "placement", ["unexpected_keys", "unparsable_line", "partial", "section_name"]
)
def test_doctor_output(
    aws_files: Any,
    tmp_path: Path,
    secret: str,
    token: str,
    jwt: str,
    key_id: str,
    placement: str,
) -> None:
    """`credsafe doctor` (text and --json) shows no secret, whatever the files hold."""
    s = Secrets.__new__(Secrets)
    s.secret, s.token, s.jwt, s.key_id = secret, token, jwt, key_id
    s.sso = s.container = s.process_secret = s.process_token = s.imds_secret = jwt
    aws_files.write_credentials(_files_text(s, placement, "default"))
    script = tmp_path / "proc.py"
    script.write_text(PROCESS.format(out=secret, err=token, status=1))
    aws_files.write_config(
        f"[profile proc]\ncredential_process = {sys.executable} {script}\n"
        + _files_text(s, "unexpected_keys", "profile dev")
    )
    env = {**os.environ, **_env(s, aws_files)}
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    for args in (("--json",), ("--profile", "proc"), ("--profile", "dev", "--json")):
        done = _doctor(env, "--no-network", *args)
        assert done.returncode in {0, 1}, done.stderr
        _check([done.stdout, done.stderr], s)
        if "--json" in args:
            assert_valid(json.loads(done.stdout))


@pytest.mark.parametrize("pad", [84, 90, 100, 110])
def test_secret_cut_by_an_excerpt(
    aws_files: Any,
    loopback_only: Any,
    servers: tuple[IMDSServer, ContainerServer],
    pad: int,
) -> None:
    """A secret straddling the end of a body excerpt: no part of it is shown.

    (Bodies are summarised with a 120-character excerpt; cutting before
    redacting left up to 31 characters of a secret, too short to be recognised.)
    """
    imds, _ = servers
    secret = FIXED[0][0]
    imds.credentials = Reply(500, "Error: " + "x" * pad + " " + secret)
    aws_files.write_config("[default]\nregion = us-east-1\n")
    texts = [*exception_texts(_fail()), json.dumps(credsafe.diagnose().to_dict())]
    assert "xxxxxxxxxx" in texts[-1]  # the excerpt is there...
    assert_no_secret(texts, [secret])  # ...without any part of the secret


@SETTINGS
@given(s=secret_sets(), broken=st.booleans())
def test_legacy_files(
    aws_files: Any, loopback_only: Any, s: Secrets, broken: bool
) -> None:
    """Secrets in BOTO_CONFIG and AWS_CREDENTIAL_FILE (the legacy sources) never leak."""
    ec2_file = aws_files.home / "ec2-credentials"
    aws_files.boto_config.write_text(
        f"[Credentials]\naws_secret_access_key = {s.secret}\n"
        + (f"{s.token}\n" if broken else f"aws_secret_key = {s.token}\n")
    )
    ec2_file.write_text(
        f"AWSSecretKey={s.secret}\n"
        + (f"{s.token}\n" if broken else f"AWSAccesKeyId={s.key_id}\nToken={s.token}\n")
    )
    aws_files.write_config("[default]\nregion = us-east-1\n")
    with mock.patch.dict(os.environ, {"AWS_CREDENTIAL_FILE": str(ec2_file)}):
        _fail_and_check(s)
