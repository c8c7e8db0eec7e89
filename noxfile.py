"""Development tasks: `nox` runs tests, lint and typing; see `nox --list`."""

from __future__ import annotations

import re
from collections.abc import Collection

import nox

nox.needs_version = ">=2025.2.9"
nox.options.sessions = ["tests", "lint", "typing"]
nox.options.reuse_venv = "yes"

PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
# Packages that pin botocore to one exact release: with one installed, the
# minimums session could not install the oldest botocore credsafe allows, nor the
# newest session the newest. Tests that need them skip when they are missing.
PINS_BOTOCORE = frozenset({"awscli"})
# The stubs the typing test file (tests/typing/) is checked against.
BOTO3_STUBS = "boto3-stubs[s3,sts]"
STUB_DISTS = (
    "boto3-stubs",
    "botocore-stubs",
    "mypy-boto3-s3",
    "mypy-boto3-sts",
    "types-s3transfer",
    "types-awscrt",
)


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;@(]", requirement, maxsplit=1)[0].lower()


def _group(name: str, *, exclude: Collection[str] = ()) -> list[str]:
    """The requirements of dependency group *name*, less those in *exclude*."""
    return [
        req
        for req in nox.project.dependency_groups(PYPROJECT, name)
        if _name(req) not in exclude
    ]


def _run_tests(session: nox.Session) -> None:
    session.install(".", *nox.project.dependency_groups(PYPROJECT, "tests"))
    session.run("pytest", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the whole test suite on the Python that runs nox (the README command)."""
    _run_tests(session)


@nox.session(python=PYTHONS, default=False)
def tests_all(session: nox.Session) -> None:
    """Run the whole test suite on every supported Python that is installed."""
    _run_tests(session)


@nox.session(default=False)
def tests_crt(session: nox.Session) -> None:
    """Run the whole suite with botocore[crt] (awscrt): CRT signers, `aws login`."""
    session.install(
        ".", "botocore[crt]", *nox.project.dependency_groups(PYPROJECT, "tests")
    )
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHONS, venv_backend="uv", default=False)
def minimums(session: nox.Session) -> None:
    """Run the whole suite on the oldest boto3/botocore/attrs/structlog allowed.

    `--resolution=lowest-direct` installs the floor of every dependency declared in
    pyproject.toml (botocore 1.34.0, boto3 1.34.0, ...); packages that pin botocore
    exactly (awscli) are left out, and the tests that need them skip.
    """
    session.install(
        "--resolution=lowest-direct",
        ".",
        *_group("tests", exclude=PINS_BOTOCORE),
        silent=False,
    )
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHONS, venv_backend="uv", default=False)
def newest(session: nox.Session) -> None:
    """Run the whole suite on the newest release of every dependency."""
    session.install(
        "--upgrade",
        "--resolution=highest",
        ".",
        *_group("tests", exclude=PINS_BOTOCORE),
        silent=False,
    )
    session.run("pytest", *session.posargs)


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", "src", "tests", "noxfile.py", "benchmarks")
    session.run("ruff", "format", "--check", "src")


@nox.session(python="3.11")
def typing(session: nox.Session) -> None:
    """mypy --strict on the package, then on tests/typing with boto3-stubs.

    The second run checks user code the way a user's mypy sees it: credsafe as an
    installed, typed package and boto3 described by boto3-stubs, so that
    `credsafe.Session` type-checks wherever `boto3.Session` does.
    """
    session.install(".", *nox.project.dependency_groups(PYPROJECT, "typing"))
    # The package is checked as it is developed, without stubs for boto3 (a reused
    # venv still has them from the last run).
    session.run("python", "-m", "pip", "uninstall", "--quiet", "--yes", *STUB_DISTS)
    session.run("mypy", "src/credsafe")
    session.install(".", BOTO3_STUBS)
    session.run(
        "mypy",
        "--config-file",
        "tests/typing/mypy.ini",
        "tests/typing",
        *session.posargs,
    )


@nox.session(python="3.11", default=False)
def bench(session: nox.Session) -> None:
    """Benchmark credsafe against plain boto3 (see docs/performance.md).

    `nox -s bench -- --quick` for a fast smoke run; `-- --json FILE` to keep the
    figures.
    """
    session.install(".")
    session.run("python", "benchmarks/bench.py", *session.posargs)


@nox.session(python="3.11", default=False)
def docs(session: nox.Session) -> None:
    """Build the documentation site into site/, with warnings as errors.

    `nox -s docs -- serve` previews it instead. The examples in the pages run as
    tests in the `tests` session (tests/test_docs.py).
    """
    session.install(".", *nox.project.dependency_groups(PYPROJECT, "docs"))
    if session.posargs[:1] == ["serve"]:
        session.run("mkdocs", "serve", "--strict", *session.posargs[1:])
    else:
        session.run("mkdocs", "build", "--strict", "--clean", *session.posargs)


@nox.session(python="3.11", default=False)
def doctor(session: nox.Session) -> None:
    """Install the package and run `credsafe doctor` for this environment."""
    session.install(".")
    session.run("credsafe", "doctor", *session.posargs, success_codes=[0, 1])
