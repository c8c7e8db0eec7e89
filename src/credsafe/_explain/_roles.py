"""Helpers shared by the role and process explainers.

- :class:`Finding`: one explained problem (or success) before it becomes a report.
- :func:`check_role_arn`: whether a role ARN has the shape STS accepts.
- :func:`locate`: the ``path:line`` where a profile key is written.
- :func:`can_prompt`: whether anyone could answer botocore's MFA prompt.

Nothing here runs a process, opens a network connection or writes a file.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from typing import Any

import attrs

from .._model import SourceReport, Status
from ._base import ReplayContext, open_regular


@attrs.frozen
class Finding:
    """One explained outcome of a source.

    Attributes:
        code: The diagnosis code.
        status: The status of the source.
        summary: The sentence naming the concrete thing.
        hints: The exact fixes.
        details: Facts behind the summary (never secrets).
        raises: The exception class botocore raises (or would raise) at
            ``load()``, or ``None`` when ``load()`` returns credentials.
    """

    code: str
    status: Status
    summary: str
    hints: tuple[str, ...] = ()
    details: Mapping[str, Any] = attrs.field(factory=dict)
    raises: str | None = None

    def report(
        self,
        source: str,
        *,
        duration_ms: float | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> SourceReport:
        """Turn the finding into the report of *source*."""
        return SourceReport(
            source=source,
            status=self.status,
            code=self.code,
            summary=self.summary,
            hints=self.hints,
            duration_ms=duration_ms,
            details={**self.details, **(extra or {})},
        )


# Partitions STS knows; an ARN in any other partition is rejected.
PARTITIONS = (
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
)
_ROLE_ARN_RE = re.compile(
    r"arn:(?P<partition>[a-z-]+):iam::(?P<account>\d{12}):role/"
    r"(?P<path>(?:[\w+=,.@-]+/)*)(?P<name>[\w+=,.@-]{1,64})"
)


def check_role_arn(value: str) -> tuple[str, str] | None:
    """Return ``(problem, fix)`` if *value* is not a valid IAM role ARN, else ``None``.

    A valid role ARN is ``arn:<partition>:iam::<12-digit account>:role/[path/]name``.
    """
    text = value
    if text != text.strip():
        return (
            "has spaces or a line break around it",
            f"remove the whitespace: {text.strip()}",
        )
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return (
            "is wrapped in quotes, which botocore keeps as part of the value",
            f"remove the quotes: {text[1:-1]}",
        )
    match = _ROLE_ARN_RE.fullmatch(text)
    if match is not None:
        if match.group("partition") not in PARTITIONS:
            return (
                f"names the unknown partition {match.group('partition')!r}",
                "use arn:aws:... (or arn:aws-cn:..., arn:aws-us-gov:... in those "
                "partitions)",
            )
        return None
    parts = text.split(":", 5)
    if not text.startswith("arn:"):
        return (
            "is not an ARN (it does not start with 'arn:')",
            f"use the full ARN: arn:aws:iam::<12-digit account id>:role/{text}",
        )
    if len(parts) == 6 and parts[2] == "sts" and parts[5].startswith("assumed-role/"):
        role = parts[5].split("/")[1] if parts[5].count("/") >= 1 else "<name>"
        return (
            "is the ARN of an assumed-role session, not of the role",
            f"use the role's ARN: arn:{parts[1]}:iam::{parts[4]}:role/{role}",
        )
    if len(parts) != 6 or parts[2] != "iam" or parts[3] != "":
        return (
            "does not have the shape arn:<partition>:iam::<account>:role/<name>",
            "copy the role's ARN from the IAM console (Roles > the role > ARN)",
        )
    account, resource = parts[4], parts[5]
    if not re.fullmatch(r"\d{12}", account):
        return (
            f"has the account id {account!r}, which is not 12 digits",
            "write the account id as exactly 12 digits, without dashes "
            "(keep leading zeros)",
        )
    if not resource.startswith("role/"):
        kind = resource.split("/", 1)[0]
        return (
            f"names an IAM {kind!r}, not a role",
            f"use a role ARN: arn:{parts[1]}:iam::{account}:role/<role name>",
        )
    return (
        "has a role name with characters IAM does not allow",
        "role names use letters, digits and +=,.@_- (at most 64 characters)",
    )


def locate(ctx: ReplayContext, profile: str, key: str) -> str:
    """Return where *key* of *profile* is written: ``path:line``, or a description.

    The credentials file wins over the config file when both hold the key, as in
    botocore's ``full_config``.
    """
    config_headers: tuple[str, ...] = (f"profile {profile}",)
    if profile == "default":
        config_headers = (f"profile {profile}", "default")
    wanted: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("credentials_file", (profile,)),
        ("config_file", config_headers),
    )
    places: list[tuple[str, tuple[str, ...]]] = []
    for variable, headers in wanted:
        try:
            path = ctx.session.get_config_variable(variable)
        except Exception:
            path = None
        if path:
            places.append((ctx.expand_path(str(path)), headers))
    for path, section_names in places:
        line = _key_line(path, section_names, key)
        if line is not None:
            return f"{path}:{line}"
    config = places[-1][0] if places else "~/.aws/config"
    return (
        f"[profile {profile}] in {config}"
        if profile != "default"
        else f"[default] in {config}"
    )


def config_path(ctx: ReplayContext) -> str:
    """The expanded path of the shared config file."""
    try:
        path = ctx.session.get_config_variable("config_file")
    except Exception:
        path = None
    return ctx.expand_path(str(path or "~/.aws/config"))


_HEADER_RE = re.compile(r"\[(?P<header>[^]]+)\]")


def _key_line(path: str, headers: tuple[str, ...], key: str) -> int | None:
    """Line of the last ``key =`` under one of *headers* in *path* (the one kept)."""
    try:
        with open_regular(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read(1_000_000)
    except OSError:
        return None
    section = None
    found = None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = _HEADER_RE.fullmatch(stripped)
        if header is not None and not line[:1].isspace():
            section = header.group("header").strip()
            section = " ".join(section.split())
            continue
        if section not in headers or line[:1].isspace():
            continue
        name = re.split(r"[=:]", stripped, maxsplit=1)[0].strip().lower()
        if name == key and ("=" in stripped or ":" in stripped):
            found = number
    return found


def can_prompt() -> bool:
    """Tell whether botocore's MFA prompt (``getpass``) could be answered.

    ``getpass`` prompts on the controlling terminal (``/dev/tty``) and falls back to
    standard input; with neither a terminal nor an interactive stdin, nobody can
    type the code. Opening ``/dev/tty`` (read-only) reads and writes nothing.
    """
    if os.name != "nt":
        try:
            fd = os.open("/dev/tty", os.O_RDONLY | os.O_NOCTTY)
        except OSError:
            pass
        else:
            os.close(fd)
            return True
    try:
        return bool(sys.stdin is not None and sys.stdin.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def is_true(value: str | None) -> bool:
    """Botocore's ``ensure_boolean`` on a string: only ``true`` (any case) is true."""
    return str(value or "").strip().lower() == "true"
