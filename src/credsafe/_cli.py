"""The ``credsafe`` command: ``credsafe doctor`` and ``credsafe explain CODE``.

Exit statuses (documented in docs/cli.md):

- 0: credentials found, and no source is broken;
- 1: no credentials, a source is broken, or ``--verify`` was refused by AWS;
- 2: usage error (unknown option, unknown code);
- 3: credsafe itself crashed; what was known is printed first.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from ._model import PROBLEM_STATUSES, Diagnosis, Outcome

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2
EXIT_CRASH = 3

_ISSUES = "https://github.com/credsafe/credsafe/issues"

_T = TypeVar("_T")


def _say(text: str, *, err: bool = False) -> None:
    """Write one block of text and a newline to stdout (or stderr)."""
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


class _Parser(argparse.ArgumentParser):
    """An argument parser that raises instead of exiting, so main() returns."""

    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        _say(f"{self.prog}: error: {message}", err=True)
        raise _UsageError


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    from ._version import __version__  # noqa: PLC0415

    parser = _Parser(
        prog="credsafe",
        description="Diagnose where boto3 looks for AWS credentials and why it "
        "finds none.",
        epilog="Exit status: 0 credentials found; 1 no credentials or a source is "
        "broken; 2 usage error; 3 credsafe crashed.",
    )
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    doctor = sub.add_parser(
        "doctor",
        help="diagnose the credential chain of the current environment",
        description="Walk botocore's credential chain for the current environment "
        "and say, for every source, what it found and why. Never runs "
        "credential_process and never calls AWS, unless --verify is given.",
        epilog="Exit status: 0 credentials found; 1 no credentials, a source is "
        "broken, or --verify was refused; 2 usage error; 3 credsafe crashed.",
    )
    doctor.add_argument(
        "--profile",
        metavar="NAME",
        help="diagnose this profile, as boto3.Session(profile_name=NAME) would use "
        "it (this removes environment variables from the chain, as it does in boto3)",
    )
    doctor.add_argument(
        "--json",
        action="store_true",
        help="print the credsafe.diagnosis/1 object instead of text",
    )
    doctor.add_argument(
        "--no-network",
        action="store_true",
        help="do not probe the IMDS or container credential endpoints",
    )
    doctor.add_argument(
        "--verify",
        action="store_true",
        help="call STS GetCallerIdentity with the credentials found (the only "
        "option that contacts AWS): show the account and ARN, or why AWS refuses "
        "them",
    )
    explain = sub.add_parser(
        "explain",
        help="print the documentation of a diagnosis code",
        description="Print what a diagnosis code means, why botocore behaves that "
        "way and how to fix it.",
    )
    explain.add_argument(
        "code", nargs="?", help="a diagnosis code, such as env.partial"
    )
    explain.add_argument("--list", action="store_true", help="list every code")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``credsafe`` command line with *argv*; return the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError:
        return EXIT_USAGE
    except SystemExit as exc:  # --help, --version
        return EXIT_OK if not exc.code else EXIT_USAGE
    if args.command == "explain":
        return _explain(args.code, list_all=args.list)
    return _doctor(args)


def _doctor(args: argparse.Namespace) -> int:
    """Run the diagnosis; print it; say clearly what crashed, if anything did."""
    known: list[str] = []
    step = "starting botocore"
    try:
        import botocore.session  # noqa: PLC0415

        from . import _session  # noqa: PLC0415
        from ._doctor_render import region_info  # noqa: PLC0415
        from ._replay import profile_info  # noqa: PLC0415

        session = botocore.session.Session(profile=args.profile)
        region = _try(lambda: region_info(session, os.environ))
        profile = _try(lambda: profile_info(session, os.environ))
        if profile is not None:
            known.append(f"profile: {profile.name!r} (origin: {profile.origin})")
        if region is not None:
            known.append(f"region: {region.name or 'not set'} ({region.origin})")
        step = "the diagnosis"
        diagnosis = _session.diagnose(session, network=not args.no_network)
    except Exception as exc:
        return _crashed(step, exc, known, None, as_json=args.json)

    verified = None
    if args.verify:
        step = "--verify"
        try:
            verified = _verify(args, session, diagnosis, region)
        except Exception as exc:
            return _crashed(step, exc, known, diagnosis, as_json=args.json)

    status = exit_status(diagnosis)
    if verified is not None and not verified.ok:
        status = EXIT_PROBLEM
    try:
        text = _output(args, diagnosis, region, verified)
    except Exception as exc:
        return _crashed("printing the diagnosis", exc, known, diagnosis, as_json=False)
    _say(text)
    return status


def _try(func: Callable[[], _T]) -> _T | None:
    try:
        return func()
    except Exception:
        return None


def _verify(
    args: argparse.Namespace, session: Any, diagnosis: Diagnosis, region: Any
) -> Any:
    from ._doctor_render import VerifyView  # noqa: PLC0415
    from ._verify import verify  # noqa: PLC0415

    if diagnosis.outcome is not Outcome.FOUND:
        return VerifyView(
            ok=False,
            code=None,
            summary="not called: there are no credentials to verify.",
        )
    return verify(
        session, None if region is None else region.name, network=not args.no_network
    )


def _output(
    args: argparse.Namespace, diagnosis: Diagnosis, region: Any, verified: Any
) -> str:
    if args.json:
        data: dict[str, Any] = diagnosis.to_dict()
        if verified is not None:
            # Only with --verify: an additional key, so the object stays
            # credsafe.diagnosis/1 for every consumer that ignores unknown keys.
            data["verify"] = {
                "ok": verified.ok,
                "code": verified.code,
                "summary": verified.summary,
                "facts": dict(verified.facts),
                "hints": list(verified.hints),
            }
        return json.dumps(data, indent=2)
    from ._doctor_render import RegionInfo, render, use_color  # noqa: PLC0415

    if region is None:
        region = RegionInfo(None, "unknown: credsafe could not read it")
    return render(
        diagnosis,
        region,
        color=use_color(sys.stdout, os.environ),
        verify=verified,
        probed=not args.no_network,
    )


def _crashed(
    step: str,
    exc: BaseException,
    known: list[str],
    diagnosis: Diagnosis | None,
    *,
    as_json: bool,
) -> int:
    """Print what is known, then a clear message and the traceback, on stderr."""
    from ._doctor_render import render_partial  # noqa: PLC0415
    from ._redact import redact_text  # noqa: PLC0415

    secrets = _environment_secrets(os.environ)
    if as_json and diagnosis is not None:
        _say(json.dumps(diagnosis.to_dict(), indent=2))
    else:
        partial = render_partial(diagnosis, tuple(known))
        if partial:
            _say(f"What credsafe found before it crashed:\n{partial}")
    message = redact_text(str(exc), secrets).replace("\n", " ").strip()
    trace = redact_text("".join(traceback.format_exception(exc)), secrets)
    _say(trace.rstrip("\n"), err=True)
    _say(
        f"credsafe doctor: internal error: {step} crashed with "
        f"{type(exc).__name__}" + (f": {message}" if message else "") + ". "
        f"This is a bug in credsafe, not in your configuration; please report it "
        f"at {_ISSUES} with this output.",
        err=True,
    )
    return EXIT_CRASH


def _environment_secrets(environ: Mapping[str, str]) -> set[str]:
    names = (
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    )
    return {environ[n] for n in names if environ.get(n)}


def exit_status(diagnosis: Diagnosis) -> int:
    """0 when credentials are found and no source is broken, else 1."""
    if diagnosis.outcome is not Outcome.FOUND:
        return EXIT_PROBLEM
    if any(r.status in PROBLEM_STATUSES for r in diagnosis.sources):
        return EXIT_PROBLEM
    return EXIT_OK


def _explain(code: str | None, *, list_all: bool) -> int:
    from ._codes import CODES, lookup  # noqa: PLC0415

    if list_all or code is None:
        lookup("env.partial")  # registers every code
        if code is None and not list_all:
            _say("credsafe explain: give a code, or --list.", err=True)
            return EXIT_USAGE
        for name in sorted(CODES):
            _say(f"{name}: {CODES[name].title}")
        return EXIT_OK
    doc = lookup(code)
    if doc is None:
        close = difflib.get_close_matches(code, list(CODES), n=3, cutoff=0.6)
        suggestion = f" Did you mean {', '.join(close)}?" if close else ""
        _say(
            f"credsafe explain: unknown code {code!r}.{suggestion} "
            "`credsafe explain --list` lists every code.",
            err=True,
        )
        return EXIT_USAGE
    _say(f"{doc.code}: {doc.title}\n\nWhy: {doc.why}\n\nFix: {doc.fix}")
    return EXIT_OK
