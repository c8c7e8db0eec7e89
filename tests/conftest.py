"""Hermetic test environment: every test gets a temporary HOME and a clean AWS_* env.

The real ~/.aws and 169.254.169.254 are never touched: IMDS is pointed at a closed
loopback port unless a test starts an IMDS server, and nothing contacts any address
outside 127.0.0.0/8.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import attrs
import boto3
import botocore
import pytest
import structlog

import credsafe._context
from servers import ContainerServer, IMDSServer, SilentServer, closed_port_url

# Variables that change what botocore or credsafe's context detection sees.
_CLEARED_PREFIXES = ("AWS_", "BOTO_", "ECS_", "AMAZON_")
_CLEARED = {
    "BOTO_CONFIG",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "http_proxy",
    "https_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
    "CI",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "CIRCLECI",
    "JENKINS_URL",
    "BUILDKITE",
    "CODEBUILD_BUILD_ID",
    "BITBUCKET_BUILD_NUMBER",
    "TF_BUILD",
    "TRAVIS",
    "SUDO_USER",
    "SUDO_UID",
    "SUDO_COMMAND",
    "KUBERNETES_SERVICE_HOST",
    "INVOCATION_ID",
    "NO_COLOR",
}


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [
        f"boto3 {boto3.__version__}, botocore {botocore.__version__}, "
        f"structlog {structlog.__version__}, attrs {attrs.__version__}"
    ]


@attrs.define
class AwsFiles:
    """The test's AWS files (all under tmp_path) and helpers to write them."""

    home: Path
    config: Path
    credentials: Path
    boto_config: Path

    def write_config(self, text: str) -> Path:
        self.config.parent.mkdir(parents=True, exist_ok=True)
        self.config.write_text(text)
        return self.config

    def write_credentials(self, text: str) -> Path:
        self.credentials.parent.mkdir(parents=True, exist_ok=True)
        self.credentials.write_text(text)
        return self.credentials


@pytest.fixture(autouse=True)
def hermetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AwsFiles:
    """Temporary HOME, no AWS_* variables, files under tmp_path, IMDS on loopback."""
    for name in list(os.environ):
        if name.startswith(_CLEARED_PREFIXES) or name in _CLEARED:
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    files = AwsFiles(
        home=home,
        config=home / ".aws" / "config",
        credentials=home / ".aws" / "credentials",
        boto_config=tmp_path / "boto.cfg",
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(files.config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(files.credentials))
    monkeypatch.setenv("BOTO_CONFIG", str(files.boto_config))
    # IMDS answers nothing: a closed loopback port refuses at once.
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", closed_port_url())
    monkeypatch.setenv("AWS_METADATA_SERVICE_TIMEOUT", "1")
    monkeypatch.setenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "1")
    # Context detection reads DMI, /proc and /.dockerenv under this root: an empty
    # directory, so the host running the tests is never taken for EC2 or a container.
    context_root = tmp_path / "context-root"
    context_root.mkdir()
    monkeypatch.setattr(credsafe._context, "ROOT", str(context_root))
    for name in (
        "SUDO_GID", "JOURNAL_STREAM", "container", "TEAMCITY_VERSION", "DRONE",
        "SEMAPHORE", "APPVEYOR", "BITRISE_IO", "AWS_EXECUTION_ENV",
    ):
        monkeypatch.delenv(name, raising=False)
    return files


@pytest.fixture(autouse=True)
def _fresh_failure_log() -> None:
    """No failure logged by an earlier test is remembered (credsafe folds repeats)."""
    from credsafe import _log

    _log._DEDUPER.clear()


@pytest.fixture
def aws_files(hermetic: AwsFiles) -> AwsFiles:
    return hermetic


@pytest.fixture
def imds(monkeypatch: pytest.MonkeyPatch) -> Iterator[IMDSServer]:
    """A running IMDS server on 127.0.0.1, and botocore pointed at it."""
    server = IMDSServer().start()
    monkeypatch.setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", server.url)
    yield server
    server.stop()


@pytest.fixture
def container_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ContainerServer]:
    """A running container-credentials server; AWS_CONTAINER_CREDENTIALS_FULL_URI points at it."""
    server = ContainerServer().start()
    monkeypatch.setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url + "creds")
    yield server
    server.stop()


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    """Accepts connections on 127.0.0.1 and never answers."""
    server = SilentServer().start()
    yield server
    server.stop()
