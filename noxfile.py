"""Development tasks: `nox` runs tests, lint and typing; see `nox --list`."""

from __future__ import annotations

import nox


nox.needs_version = ">=2025.2.9"
nox.options.sessions = ["tests", "lint", "typing"]
nox.options.reuse_venv = "yes"

PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]


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


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", "src", "tests", "noxfile.py")
    session.run("ruff", "format", "--check", "src")


@nox.session(python="3.11")
def typing(session: nox.Session) -> None:
    """mypy --strict on the package."""
    session.install(".", *nox.project.dependency_groups(PYPROJECT, "typing"))
    session.run("mypy", "src/credsafe")


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
