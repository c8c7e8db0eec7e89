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


def lookup(code: str) -> CodeDoc | None:
    """Return the documentation of *code*, importing every explainer first."""
    from . import _explain  # noqa: F401, PLC0415  (registers every code)

    return CODES.get(code)
