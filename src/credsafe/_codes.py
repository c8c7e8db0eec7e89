"""The registry of diagnosis codes: one place for their documentation.

Every explainer defines the codes it can emit with :func:`define` at import time.
``credsafe explain CODE`` and the documentation's index of codes both read this
registry, so the text lives in exactly one place.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class CodeDoc:
    """The documentation of one diagnosis code.

    Attributes:
        code: The stable dotted identifier, such as ``env.partial``.
        title: One line: what the code means.
        why: Why botocore behaves this way (what it read, what it did).
        fix: What to do about it, in general terms; the diagnosis itself names the
            concrete variable, file, line or command.
    """

    code: str
    title: str
    why: str
    fix: str

    @property
    def source(self) -> str:
        """The source (provider ``METHOD``) part of the code."""
        return self.code.split(".", 1)[0]


CODES: dict[str, CodeDoc] = {}


def define(code: str, *, title: str, why: str, fix: str) -> str:
    """Register the documentation of *code* and return *code*.

    Raises:
        ValueError: If *code* is registered twice with different text.
    """
    doc = CodeDoc(code=code, title=title, why=why, fix=fix)
    existing = CODES.get(code)
    if existing is not None and existing != doc:
        raise ValueError(f"diagnosis code {code!r} is defined twice")
    CODES[code] = doc
    return code


def load_all() -> dict[str, CodeDoc]:
    """Import every module of credsafe, so that every code is registered.

    Codes are defined at import time by the modules that emit them (explainers,
    the replay, advice, ...), and some of those are imported lazily: importing
    them all here keeps ``credsafe explain`` and the docs complete without a list
    to maintain (tests/test_codes.py checks it).
    """
    import importlib  # noqa: PLC0415
    import pkgutil  # noqa: PLC0415

    package = __name__.rpartition(".")[0]
    path = importlib.import_module(package).__path__
    for module in pkgutil.walk_packages(path, f"{package}."):
        if module.name.endswith(".__main__"):
            continue
        try:
            importlib.import_module(module.name)
        except Exception:  # explain what can be explained; tests/test_codes catches it
            continue
    return CODES


def lookup(code: str) -> CodeDoc | None:
    """Return the documentation of *code*, importing every module first."""
    load_all()
    return CODES.get(code)
