"""Credential arguments passed in code, kept in memory only.

A light module: ``credsafe.Session(aws_access_key_id=...)`` builds an
:class:`ExplicitArgs` on the success path, so it must not import the explainers.
"""

from __future__ import annotations

from typing import Any

import attrs

_ARGS = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")


@attrs.frozen
class ExplicitArgs:
    """Credential arguments passed in code, kept in memory only (never rendered).

    Attributes:
        where: ``"Session"`` or ``"client"``: where they were passed.
        access_key: ``aws_access_key_id`` as passed.
        secret_key: ``aws_secret_access_key`` as passed.
        token: ``aws_session_token`` as passed.
    """

    where: str
    access_key: Any = attrs.field(default=None, repr=False)
    secret_key: Any = attrs.field(default=None, repr=False)
    token: Any = attrs.field(default=None, repr=False)

    @classmethod
    def from_kwargs(cls, where: str, kwargs: dict[str, Any]) -> ExplicitArgs | None:
        """Build from keyword arguments; ``None`` when no credential was passed."""
        values = [kwargs.get(name) for name in _ARGS]
        if all(value is None for value in values):
            return None
        return cls(where, *values)

    def raises(self) -> bool:
        """Whether botocore raises PartialCredentialsError for these arguments."""
        return self.where == "client" and (
            (self.access_key is None) != (self.secret_key is None)
        )

    def used_by_botocore(self) -> bool:
        """Whether botocore signs with these arguments instead of walking the chain."""
        if self.where == "Session":
            return any((self.access_key, self.secret_key, self.token))
        return self.access_key is not None and self.secret_key is not None
