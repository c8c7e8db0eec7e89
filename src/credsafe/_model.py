"""The diagnosis model: frozen value objects and their ``credsafe.diagnosis/1`` form."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

SCHEMA = "credsafe.diagnosis/1"


class Status(str, enum.Enum):
    """What one credential source did, or would have done.

    The values are the strings of the ``credsafe.diagnosis/1`` contract.
    """

    FOUND = "found"
    """It supplied the credentials."""
    NOT_CONFIGURED = "not_configured"
    """Nothing is set up for it: normal for most sources."""
    MISCONFIGURED = "misconfigured"
    """It is set up, but wrongly."""
    UNREACHABLE = "unreachable"
    """Its endpoint could not be reached or timed out."""
    FAILED = "failed"
    """It is set up, but retrieving failed (process error, expired token, ...)."""
    SKIPPED = "skipped"
    """It was not consulted; the summary says why."""
    SHADOWED = "shadowed"
    """It holds usable-looking credentials, but an earlier source won."""

    def __str__(self) -> str:
        return self.value


#: Statuses that mean something is wrong with a source.
PROBLEM_STATUSES = frozenset({Status.MISCONFIGURED, Status.FAILED, Status.UNREACHABLE})


class Outcome(str, enum.Enum):
    """How the whole chain ended."""

    FOUND = "found"
    """A source supplied credentials."""
    NOT_FOUND = "not_found"
    """Every source was consulted and none supplied credentials."""
    ERROR = "error"
    """A source raised and stopped the chain, or its credentials could not be used."""

    def __str__(self) -> str:
        return self.value


def _freeze_details(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return dict(value)


def _str_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _report_tuple(value: Iterable[SourceReport]) -> tuple[SourceReport, ...]:
    return tuple(value)


@attrs.frozen
class SourceReport:
    """What one credential source looked at, what it found and why.

    Attributes:
        source: botocore's ``METHOD`` name of the provider (``env``, ``iam-role``, ...).
        status: What the source did.
        code: A stable dotted identifier of the finding, such as ``env.partial``.
        summary: One sentence naming the concrete thing: variable, file and line,
            profile, endpoint.
        hints: Concrete fixes, most useful first: the variable to set, the edit,
            the command.
        duration_ms: Time the source took in the resolution this report describes,
            or ``None`` when it was not run.
        details: Flat, JSON-serialisable facts (never secrets) behind the summary.
    """

    source: str
    status: Status
    code: str
    summary: str
    hints: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    duration_ms: float | None = None
    details: Mapping[str, Any] = attrs.field(factory=dict, converter=_freeze_details)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-serialisable ``sources[]`` entry of the contract."""
        return {
            "source": self.source,
            "status": self.status.value,
            "code": self.code,
            "summary": self.summary,
            "hints": list(self.hints),
            "duration_ms": (
                None if self.duration_ms is None else round(self.duration_ms, 3)
            ),
            "details": _jsonable(self.details),
        }


def _advice_tuple(value: Iterable[Advice]) -> tuple[Advice, ...]:
    return tuple(value)


@attrs.frozen
class Advice:
    """A security finding: something a careful engineer would change.

    Advice never changes the exception or the outcome.

    Attributes:
        code: A stable ``advice.*`` identifier.
        severity: ``warning`` or ``info``.
        source: The source it concerns, if one.
        summary: One sentence naming the concrete thing (file, mode, key).
        hints: Concrete fixes.
        details: Flat, JSON-serialisable facts (never secrets).
    """

    code: str
    severity: str
    source: str | None
    summary: str
    hints: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    details: Mapping[str, Any] = attrs.field(factory=dict, converter=_freeze_details)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-serialisable ``advice[]`` entry of the contract."""
        return {
            "code": self.code,
            "severity": self.severity,
            "source": self.source,
            "summary": self.summary,
            "hints": list(self.hints),
            "details": _jsonable(self.details),
        }


@attrs.frozen
class ProfileInfo:
    """The profile the chain was resolved for, and where its name came from.

    Attributes:
        name: The profile name (``default`` when none was chosen).
        origin: ``argument`` (``profile_name=`` / botocore ``profile=``),
            ``AWS_DEFAULT_PROFILE``, ``AWS_PROFILE``, or ``default``.
    """

    name: str
    origin: str

    def to_dict(self) -> dict[str, str]:
        """Return the ``profile`` object of the contract."""
        return {"name": self.name, "origin": self.origin}


@attrs.frozen
class Diagnosis:
    """The per-source diagnosis of one credential resolution.

    Attributes:
        outcome: How the chain ended.
        profile: The profile the chain was resolved for.
        resolved_by: The ``METHOD`` of the source that supplied credentials, if any.
        root_cause: The source the user most likely meant to work, or ``None``
            when credentials were found and nothing is wrong.
        sources: One report per provider, in chain order.
        advice: Security advice (warnings, never errors).
    """

    outcome: Outcome
    profile: ProfileInfo
    resolved_by: str | None
    root_cause: SourceReport | None
    sources: tuple[SourceReport, ...] = attrs.field(converter=_report_tuple)
    advice: tuple[Advice, ...] = attrs.field(default=(), converter=_advice_tuple)

    def source(self, name: str) -> SourceReport | None:
        """Return the report of the source whose ``METHOD`` is *name*, if any."""
        for report in self.sources:
            if report.source == name:
                return report
        return None

    def to_dict(self) -> dict[str, Any]:
        """Return the ``credsafe.diagnosis/1`` object: JSON-serialisable, no secrets."""
        root = self.root_cause
        return {
            "schema": SCHEMA,
            "outcome": self.outcome.value,
            "profile": self.profile.to_dict(),
            "resolved_by": self.resolved_by,
            "root_cause": (
                None
                if root is None
                else {
                    "source": root.source,
                    "status": root.status.value,
                    "code": root.code,
                    "summary": root.summary,
                    "hints": list(root.hints),
                }
            ),
            "sources": [report.to_dict() for report in self.sources],
            "advice": [item.to_dict() for item in self.advice],
        }


def _jsonable(value: Any) -> Any:
    """Turn *value* into plain JSON types (dict, list, str, number, bool, None)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return _jsonable(value.value)
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return str(value)
