"""Render a diagnosis as text: the message of an enriched exception."""

from __future__ import annotations

from ._model import Diagnosis, Outcome, SourceReport, Status

_MARKS = {
    Status.FOUND: "ok",
    Status.NOT_CONFIGURED: "--",
    Status.MISCONFIGURED: "!!",
    Status.UNREACHABLE: "!!",
    Status.FAILED: "!!",
    Status.SKIPPED: "..",
    Status.SHADOWED: "~~",
}


def mark(status: Status) -> str:
    """A two-character status mark for plain-text output."""
    return _MARKS[status]


def profile_line(diagnosis: Diagnosis) -> str:
    """Say which profile was used and where its name came from."""
    profile = diagnosis.profile
    origin = {
        "argument": "passed as profile_name",
        "AWS_DEFAULT_PROFILE": "from AWS_DEFAULT_PROFILE",
        "AWS_PROFILE": "from AWS_PROFILE",
        "default": "no profile was chosen",
    }.get(profile.origin, profile.origin)
    return f"profile {profile.name!r} ({origin})"


def exception_message(first_line: str, diagnosis: Diagnosis) -> str:
    """Return ``str(exc)`` of an enriched exception.

    botocore's own message comes first, then the root cause and its fix, then one
    line per source in chain order.
    """
    lines = [first_line or "(no message)"]
    root = diagnosis.root_cause
    lines.append(f"credsafe: diagnosis for {profile_line(diagnosis)}")
    if root is not None:
        lines.append(f"  root cause: [{root.source}] {root.summary} ({root.code})")
        lines.extend(f"    fix: {hint}" for hint in root.hints)
    elif diagnosis.outcome is Outcome.FOUND:
        lines.append(f"  credentials are available from {diagnosis.resolved_by}.")
    lines.append("  sources, in botocore's order:")
    width = max((len(r.source) for r in diagnosis.sources), default=0)
    lines.extend(source_lines(diagnosis.sources, width))
    return "\n".join(lines)


def source_lines(reports: tuple[SourceReport, ...], width: int) -> list[str]:
    """One line per source; a run of sources the chain never reached is folded."""
    lines: list[str] = []
    i = 0
    while i < len(reports):
        report = reports[i]
        j = i
        while (
            j + 1 < len(reports)
            and report.code == "chain.not_consulted"
            and reports[j + 1].code == report.code
        ):
            j += 1
        if j > i + 1:
            names = f"{report.source} ... {reports[j].source}"
            lines.append(
                f"    {mark(report.status)} {names}: {j - i + 1} sources "
                f"{report.summary}"
            )
        else:
            lines.extend(_source_line(r, width) for r in reports[i : j + 1])
        i = j + 1
    return lines


def _source_line(report: SourceReport, width: int) -> str:
    return (
        f"    {mark(report.status)} {report.source:<{width}}  "
        f"{report.status.value:<14} {report.summary}"
    )
