"""Guarantee: hostile input never breaks the diagnosis (docs/guarantees.md).

Files: random bytes, near-INI text, every encoding problem (BOMs, UTF-16/32,
invalid UTF-8, NULs), CR-only and mixed line ends, a 5 MB file, deep nesting; and a
FIFO, a character device and a symlink loop in place of each file credsafe or
botocore reads. Endpoints: random status codes and bodies from the loopback IMDS
and container servers. The diagnosis always completes, within a bounded time,
with a valid ``credsafe.diagnosis/1`` object; and credsafe.Session always ends as
plain boto3 does (same class and first line, or the same credentials): credsafe
never changes what it observes.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore.utils
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import credsafe
from credsafe._redact import redact_text
from property import strategies as cs
from property.checks import assert_valid, run_bounded
from servers import ContainerServer, IMDSServer, Reply, closed_port_url, guard_loopback

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Seconds a diagnosis of local files may take here before it counts as blocked.
BLOCKED = 10.0


@pytest.fixture(autouse=True)
def _loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", closed_port_url())
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    # botocore sleeps a second between container retries; tests need no sleep.
    monkeypatch.setattr(botocore.utils.ContainerMetadataFetcher, "SLEEP_TIME", 0)
    guard_loopback(monkeypatch)


def _outcome(factory: Callable[[], Any]) -> tuple[str, str]:
    """How a credential resolution ended: ``(class, first line)`` or the key id."""
    try:
        creds = factory().get_credentials()
    except Exception as exc:
        return type(exc).__name__, redact_text(str(exc).split("\n", 1)[0])
    if creds is None:
        return "None", ""
    return "found", str(creds.access_key)


def _same_as_boto3() -> None:
    """credsafe.Session resolves exactly as boto3.Session does."""
    original = _outcome(boto3.Session)
    observed = _outcome(credsafe.Session)
    assert observed == original


def _diagnose_valid(**kwargs: Any) -> dict[str, Any]:
    diagnosis = run_bounded(lambda: credsafe.diagnose(**kwargs), BLOCKED)
    document = diagnosis.to_dict()
    assert_valid(document)
    json.dumps(document)
    return document


@SETTINGS
@given(
    credentials=cs.hostile_file_bytes(),
    config=cs.hostile_file_bytes(),
    profile=st.sampled_from([None, "default", "dev", "nope"]),
)
def test_fuzzed_files(
    aws_files: Any,
    monkeypatch: pytest.MonkeyPatch,
    credentials: bytes,
    config: bytes,
    profile: str | None,
) -> None:
    """Whatever the two files hold, the diagnosis completes and is valid."""
    aws_files.credentials.parent.mkdir(parents=True, exist_ok=True)
    aws_files.credentials.write_bytes(credentials)
    aws_files.config.write_bytes(config)
    if profile is None:
        monkeypatch.delenv("AWS_PROFILE", raising=False)
    else:
        monkeypatch.setenv("AWS_PROFILE", profile)
    if (
        b"credential_process" not in config + credentials
        and b"role_arn" not in config + credentials
    ):
        # (No process and no STS call in the real resolution of a fuzzed file.)
        _same_as_boto3()
    _diagnose_valid(network=False)
    _diagnose_valid(network=False, profile_name=profile or "default")


HOSTILE_FILES: dict[str, bytes] = {
    "nul_bytes": b"[default]\x00\naws_access_key_id = AKIA\x00\n",
    "utf8_bom": b"\xef\xbb\xbf[default]\nregion = us-east-1\n",
    "utf16_bom": "\ufeff[default]\nregion = us-east-1\n".encode("utf-16"),
    "utf32": "[default]\nregion = us-east-1\n".encode("utf-32"),
    "invalid_utf8": b"[default]\nregion = us-\xc3\x28east-1\n",
    "lone_surrogate": b"[default]\nregion = \xed\xa0\x80\n",
    "cr_only": b"[default]\raws_access_key_id = AKIAIOSFODNN7EXAMPLE\rregion = x\r",
    "crlf": b"[default]\r\nregion = us-east-1\r\n",
    "latin1": "[défault]\nregion = é\n".encode("latin-1"),
    "only_header_bracket": b"[",
    "binary": bytes(range(256)) * 4,
    "deep_nesting": cs.deep_nesting_text(400).encode(),
    "long_line": b"[default]\nregion = " + b"x" * 2_000_000 + b"\n",
    "huge": (
        b"[default]\nregion = us-east-1\n"
        + b"".join(
            b"# %d %s\nk%d = %s\n" % (i, b"c" * 200, i, b"v" * 200)
            for i in range(12_000)
        )
    )[: 5 * 1024 * 1024],
    "many_sections": b"".join(
        b"[profile p%d]\nregion = r\ns3 =\n  x = y\nsource_profile = p%d\n" % (i, i + 1)
        for i in range(3_000)
    ),
}


@pytest.mark.parametrize("which", ["credentials", "config"])
@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_hostile_files(aws_files: Any, which: str, name: str) -> None:
    """Each named horror, as either file: the diagnosis completes and is valid."""
    target = aws_files.credentials if which == "credentials" else aws_files.config
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(HOSTILE_FILES[name])
    _same_as_boto3()
    _diagnose_valid(network=False)


# -- special files in place of every file ------------------------------------------------
def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _loop(path: Path) -> Path:
    other = path.with_name(path.name + ".loop")
    os.symlink(other, path)
    os.symlink(path, other)
    return path


def _device(path: Path) -> Path:
    os.symlink("/dev/zero", path)
    return path


def _urandom(path: Path) -> Path:
    os.symlink("/dev/urandom", path)
    return path


SPECIAL: dict[str, Callable[[Path], Path]] = {
    "fifo": _fifo,
    "symlink_loop": _loop,
    "dev_zero": _device,
    "dev_urandom": _urandom,
}


_STARTED: list[ContainerServer] = []


@pytest.fixture
def release_fifos(tmp_path: Path) -> Iterator[None]:
    """Stop servers; unblock any reader still stuck on a FIFO (a failed test)."""
    yield
    while _STARTED:
        _STARTED.pop().stop()
    for path in tmp_path.rglob("*"):
        try:
            if stat.S_ISFIFO(os.lstat(path).st_mode):
                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
                os.close(fd)
        except OSError:
            continue


# Where each file is named: (env var or profile key, extra setup).
PLACES = [
    "credentials",
    "config",
    "web_identity_token",
    "container_token",
    "ec2_credential_file",
    "boto_config",
    "sso_cache",
    "source_profile_credentials",
]


def _place(
    aws_files: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    where: str,
    make: Callable[[Path], Path],
) -> None:
    aws_files.home.joinpath(".aws").mkdir(parents=True, exist_ok=True)
    special = tmp_path / f"special-{where}"
    if where == "credentials":
        aws_files.credentials.unlink(missing_ok=True)
        make(aws_files.credentials)
    elif where == "config":
        make(aws_files.config)
    elif where == "web_identity_token":
        monkeypatch.setenv("AWS_WEB_IDENTITY_TOKEN_FILE", str(make(special)))
        monkeypatch.setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/r")
    elif where == "container_token":
        container = ContainerServer().start()
        _STARTED.append(container)
        monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url + "c")
        monkeypatch.setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", str(make(special)))
    elif where == "ec2_credential_file":
        monkeypatch.setenv("AWS_CREDENTIAL_FILE", str(make(special)))
    elif where == "boto_config":
        make(aws_files.boto_config)
    elif where == "sso_cache":
        aws_files.write_config(
            "[default]\nsso_session = s\nsso_account_id = 123456789012\n"
            "sso_role_name = r\n[sso-session s]\nsso_start_url = https://x.awsapps.com/start\n"
            "sso_region = us-east-1\n"
        )
        cache = aws_files.home / ".aws" / "sso" / "cache"
        cache.mkdir(parents=True)
        import hashlib

        make(cache / (hashlib.sha1(b"s").hexdigest() + ".json"))
    elif where == "source_profile_credentials":
        aws_files.write_config(
            "[default]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n"
        )
        make(aws_files.credentials)
    else:
        raise AssertionError(where)


@pytest.mark.usefixtures("release_fifos")
@pytest.mark.parametrize("kind", sorted(SPECIAL))
@pytest.mark.parametrize("where", PLACES)
def test_special_files_never_block_the_diagnosis(
    aws_files: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    where: str,
    kind: str,
) -> None:
    """A FIFO, a device or a symlink loop in place of a file: the diagnosis completes.

    (botocore itself opens some of these paths in its own resolution, e.g. the
    container token file or AWS_CREDENTIAL_FILE, and would block on a FIFO there;
    the diagnosis, which reads the files again, must not.)
    """
    aws_files.credentials.parent.mkdir(parents=True, exist_ok=True)
    _place(aws_files, monkeypatch, tmp_path, where, SPECIAL[kind])
    document = _diagnose_valid(network=True, budget=1.0)
    assert document["sources"]


# -- endpoint replies ------------------------------------------------------------------
@pytest.fixture
def endpoints(
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[IMDSServer, ContainerServer]]:
    imds = IMDSServer().start()
    container = ContainerServer().start()
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url)
    yield imds, container
    imds.stop()
    container.stop()


def _reply(data: Any) -> Reply:
    return Reply(
        data.draw(cs.http_statuses()),
        data.draw(cs.response_bodies("Zk9v3Tq7Lx2Mw8Rb4Nc6Pd1Hs5Jt0Gy7Uv3Ae9Q")),
        data.draw(st.sampled_from(["application/json", "text/plain", "text/html", ""])),
    )


@SETTINGS
@given(data=st.data(), use_container=st.booleans())
def test_fuzzed_endpoint_replies(
    aws_files: Any,
    monkeypatch: pytest.MonkeyPatch,
    endpoints: tuple[IMDSServer, ContainerServer],
    data: Any,
    use_container: bool,
) -> None:
    """Random statuses and bodies from IMDS and container endpoints."""
    imds, container = endpoints
    imds.token = (
        data.draw(st.sampled_from([imds.token, Reply(404, ""), Reply(403, "x")]))
        if data.draw(st.booleans())
        else _reply(data)
    )
    imds.role_list = _reply(data) if data.draw(st.booleans()) else None
    imds.credentials = _reply(data)
    container.reply = _reply(data)
    if use_container:
        monkeypatch.setenv(
            "AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url + "creds"
        )
    else:
        monkeypatch.delenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", raising=False)
    _same_as_boto3()
    _diagnose_valid(budget=2.0)


# -- hostile environment -----------------------------------------------------------------
_ENV_NAMES = [
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
    "AWS_METADATA_SERVICE_TIMEOUT",
    "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
    "AWS_CREDENTIAL_FILE",
    "AWS_DEFAULT_REGION",
]
_ENV_VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "default",
            "dev ",
            "[dev]",
            "profile dev",
            "~",
            "/",
            ".",
            "0",
            "-1",
            "true",
            "nan",
        ]
    ),
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs",), blacklist_characters="\x00"
        ),
        max_size=40,
    ),
)


@settings(SETTINGS, max_examples=100)
@given(env=st.dictionaries(st.sampled_from(_ENV_NAMES), _ENV_VALUES, max_size=6))
def test_fuzzed_environment(
    aws_files: Any, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    """Odd values in every AWS_* variable (empty profile names too): valid diagnosis."""
    aws_files.write_config("[default]\nregion = us-east-1\n[profile dev]\nregion = x\n")
    for name in _ENV_NAMES:
        if name not in (
            "AWS_CONFIG_FILE",
            "AWS_SHARED_CREDENTIALS_FILE",
            "AWS_METADATA_SERVICE_TIMEOUT",
            "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
            "AWS_DEFAULT_REGION",
        ):
            monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    _diagnose_valid(network=False)


@pytest.mark.parametrize("variable", ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"])
def test_empty_profile_name_is_valid(
    aws_files: Any, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    """AWS_PROFILE='' is reported as the empty name it is, in a schema-valid object."""
    monkeypatch.setenv(variable, "")
    document = _diagnose_valid(network=False)
    assert document["profile"] == {"name": "", "origin": variable}
