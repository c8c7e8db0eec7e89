"""The ``credsafe`` command: ``credsafe doctor`` and ``credsafe explain CODE``."""

from __future__ import annotations

import argparse
import json
import sys

from collections.abc import Sequence

from ._model import PROBLEM_STATUSES, Diagnosis, Outcome
from ._render import profile_line, source_lines


EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="credsafe",
        description="Diagnose where boto3 looks for AWS credentials and why it "
        "finds none.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    doctor = sub.add_parser(
        "doctor", help="diagnose the credential chain of the current environment"
    )
    doctor.add_argument("--profile", help="diagnose this profile (as profile_name=)")
    doctor.add_argument(
        "--json", action="store_true", help="print the credsafe.diagnosis/1 object"
    )
    doctor.add_argument(
        "--no-network",
        action="store_true",
        help="do not probe the IMDS or container endpoints",
    )
    explain = sub.add_parser("explain", help="print the documentation of a code")
    explain.add_argument("code", help="a diagnosis code, such as env.partial")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) and EXIT_USAGE
    if args.command == "explain":
        return _explain(args.code)
    return _doctor(args)


def _doctor(args: argparse.Namespace) -> int:
    from ._session import diagnose  # noqa: PLC0415

    try:
        diagnosis = diagnose(profile_name=args.profile, network=not args.no_network)
    except Exception as exc:
        print(
            f"credsafe doctor: the diagnosis failed ({type(exc).__name__}); "
            "please report this.",
            file=sys.stderr,
        )
        return EXIT_PROBLEM
    if args.json:
        print(json.dumps(diagnosis.to_dict(), indent=2))
    else:
        print(render_text(diagnosis))
    return exit_status(diagnosis)


def exit_status(diagnosis: Diagnosis) -> int:
    """0 when credentials are found and nothing is broken, else 1."""
    if diagnosis.outcome is not Outcome.FOUND:
        return EXIT_PROBLEM
    if any(r.status in PROBLEM_STATUSES for r in diagnosis.sources):
        return EXIT_PROBLEM
    return EXIT_OK


def render_text(diagnosis: Diagnosis) -> str:
    """The human form of ``credsafe doctor``."""
    lines: list[str] = []
    if diagnosis.outcome is Outcome.FOUND:
        lines.append(f"credentials found: {diagnosis.resolved_by} supplies them.")
    elif diagnosis.outcome is Outcome.NOT_FOUND:
        lines.append("no credentials: no source in botocore's chain supplies any.")
    else:
        lines.append("credentials unavailable: a source is broken.")
    lines.append(profile_line(diagnosis))
    root = diagnosis.root_cause
    if root is not None:
        lines.append(f"root cause: [{root.source}] {root.summary} ({root.code})")
        lines.extend(f"  fix: {hint}" for hint in root.hints)
    lines.append("sources, in botocore's order:")
    width = max((len(r.source) for r in diagnosis.sources), default=0)
    lines.extend(source_lines(diagnosis.sources, width))
    return "\n".join(lines)


def _explain(code: str) -> int:
    from ._codes import lookup  # noqa: PLC0415

    doc = lookup(code)
    if doc is None:
        print(f"credsafe explain: unknown code {code!r}.", file=sys.stderr)
        return EXIT_USAGE
    print(f"{doc.code}: {doc.title}\n\nWhy: {doc.why}\n\nFix: {doc.fix}")
    return EXIT_OK
