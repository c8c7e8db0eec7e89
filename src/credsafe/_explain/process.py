"""Explain the ``credential_process`` source (``custom-process``).

The diagnosis never runs the command. It checks it statically (can botocore split
it the way it was meant, does the program exist and may it be executed) and
explains what really happened when botocore ran it during the original resolution:
the exit status (recorded by :func:`record_runs`), a redacted excerpt of stderr,
output that is not JSON (never shown: it may hold the secret), a ``Version`` other
than 1, missing keys, an ``Expiration`` in the past.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import shutil
import time
from collections.abc import Mapping
from typing import Any

from .._codes import define
from .._model import SourceReport, Status
from .._recording import Attempt, Exchange, Recorder
from .._redact import mask_key_id
from ._base import Explainer, ReplayContext, error_text, error_to_explain
from ._roles import Finding, locate

METHOD = "custom-process"
KEY = "credential_process"

FOUND = define(
    "custom-process.found",
    title="credential_process ran and printed valid credentials.",
    why="botocore runs the command of the profile's credential_process and reads "
    "credentials from the JSON it prints on stdout.",
    fix="Nothing to fix.",
)
NOT_RUN = define(
    "custom-process.not_run",
    title="credential_process is configured; the diagnosis does not run it.",
    why="botocore would run the command here and stop at it (with its credentials "
    "or its error). credsafe never runs credential_process commands: they may "
    "prompt, open a browser or have side effects. The static checks passed.",
    fix="Nothing to fix if the command works: run it by hand to check its output.",
)
NOT_CONFIGURED = define(
    "custom-process.not_configured",
    title="The profile has no credential_process.",
    why="botocore only runs a command when the profile sets credential_process.",
    fix="Nothing to fix, unless you meant a command to supply credentials.",
)
EMPTY = define(
    "custom-process.empty_command",
    title="credential_process is set to an empty command.",
    why="botocore splits the empty value into no arguments at all and fails with "
    "a raw IndexError, which stops the chain.",
    fix="Set credential_process to the command line, or remove the key.",
)
UNBALANCED = define(
    "custom-process.unbalanced_quotes",
    title="botocore cannot split credential_process into arguments.",
    why="botocore splits the command with shlex (POSIX shell rules, no shell is "
    "run); an unclosed quote or a trailing backslash raises ValueError, which "
    "stops the chain.",
    fix="Balance the quotes; put an argument that contains one kind of quote "
    "inside the other kind.",
)
BACKSLASHES = define(
    "custom-process.backslashes_removed",
    title="shlex removes the backslashes of a Windows-style path.",
    why="On Linux and macOS botocore splits credential_process with POSIX shell "
    "rules, where a backslash escapes the next character and disappears: "
    "C:\\Tools\\get.exe becomes C:Toolsget.exe.",
    fix="Write the path with forward slashes, double the backslashes, or put the "
    "path in single quotes.",
)
UNEXPANDED = define(
    "custom-process.unexpanded_path",
    title="credential_process uses ~ or $VARIABLE, which botocore does not expand.",
    why="botocore runs the command without a shell, so ~ and $HOME reach the "
    "operating system literally and the program is not found.",
    fix="Write the program as an absolute path, or run it through `sh -c '...'`.",
)
NOT_FOUND = define(
    "custom-process.command_not_found",
    title="The program of credential_process does not exist or is not on PATH.",
    why="botocore starts the program directly; when it is missing, a raw "
    "FileNotFoundError stops the whole chain.",
    fix="Install the program, write its absolute path, or add its directory to "
    "PATH of the process that runs botocore.",
)
NOT_EXECUTABLE = define(
    "custom-process.not_executable",
    title="The program of credential_process may not be executed.",
    why="The file exists but has no execute permission (or is a directory); the "
    "operating system refuses to start it and a raw PermissionError stops the "
    "chain.",
    fix="`chmod +x` the file, or name its interpreter first (python3 /path/x.py).",
)
RELATIVE = define(
    "custom-process.relative_path",
    title="The program of credential_process is a relative path.",
    why="A relative path is resolved against the current working directory of "
    "the process that runs botocore, so the command works from one directory only.",
    fix="Write the program as an absolute path.",
)
SHELL_SYNTAX = define(
    "custom-process.shell_syntax",
    title="credential_process contains shell syntax that no shell interprets.",
    why="botocore runs the command without a shell: pipes, redirections, `&&`, "
    "`;` and `$(...)` are passed to the program as literal arguments.",
    fix="Wrap the command in `sh -c '...'`, or move the logic into a script.",
)
EXIT_STATUS = define(
    "custom-process.exit_status",
    title="The credential_process command exited with a non-zero status.",
    why="botocore raises CredentialRetrievalError with the command's stderr when "
    "it exits with a non-zero status, and stops the chain.",
    fix="Run the command by hand and fix what its error output says (often an "
    "expired login of the tool behind it).",
)
NOT_JSON = define(
    "custom-process.output_not_json",
    title="The credential_process command did not print JSON on stdout.",
    why="botocore parses stdout as JSON; anything else (a banner, a log line, a "
    "prompt, nothing at all) raises a raw JSONDecodeError that stops the chain. "
    "credsafe never shows the output: it may contain the secret.",
    fix="Make the command print only the JSON document on stdout; send logs and "
    "prompts to stderr.",
)
NOT_OBJECT = define(
    "custom-process.output_not_object",
    title="The credential_process command printed JSON that is not an object.",
    why="botocore expects a JSON object with Version, AccessKeyId and "
    "SecretAccessKey; a list or a string raises a raw AttributeError.",
    fix='Print one object: {"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ...}.',
)
VERSION = define(
    "custom-process.unsupported_version",
    title="The credential_process output has a Version other than 1.",
    why="botocore only accepts output whose Version is the number 1 (not the "
    'string "1") and raises CredentialRetrievalError otherwise.',
    fix='Print "Version": 1 (a JSON number) in the output.',
)
MISSING_KEY = define(
    "custom-process.missing_key",
    title="The credential_process output lacks a required key.",
    why="botocore requires AccessKeyId and SecretAccessKey in the output (keys are "
    "case-sensitive) and raises CredentialRetrievalError without them.",
    fix="Add the key the error names to the command's output.",
)
EXPIRED = define(
    "custom-process.expired",
    title="The credentials printed by credential_process had already expired.",
    why="botocore refreshes credentials whose Expiration has passed by running the "
    "command again; when the new ones are expired too it raises RuntimeError "
    "'Credentials were refreshed, but the refreshed credentials are still expired.'",
    fix="Make the command renew its credentials before printing them (often: log "
    "in again with the tool behind it), and check the machine's clock.",
)
BAD_EXPIRATION = define(
    "custom-process.bad_expiration",
    title="The Expiration printed by credential_process is not a date.",
    why="botocore parses Expiration as an ISO 8601 timestamp and fails with a raw "
    "parser error that stops the chain.",
    fix='Print Expiration as ISO 8601 with a time zone, e.g. "2030-01-01T00:00:00Z".',
)
RAISED = define(
    "custom-process.error",
    title="Running credential_process raised an error.",
    why="botocore stops the chain at the first provider that raises.",
    fix="Correct what the error names.",
)

_SHAPE = (
    'The command must print exactly: {"Version": 1, "AccessKeyId": "...", '
    '"SecretAccessKey": "...", "SessionToken": "...", "Expiration": '
    '"2030-01-01T00:00:00Z"} (SessionToken and Expiration are optional).'
)
_SHELL_TOKENS = frozenset({"|", "||", "&&", ";", ">", ">>", "<", "&", "2>&1", "1>&2"})
_WINDOWS_PATH_RE = re.compile(r"(?:^|\s|[\"'])(?:[A-Za-z]:)?\\[A-Za-z0-9_.-]")


def split(command: str) -> list[str]:
    """Split *command* into arguments the way botocore does (``compat_shell_split``)."""
    from botocore.compat import compat_shell_split  # noqa: PLC0415

    return list(compat_shell_split(command))


def check_command(  # noqa: C901  (one branch per finding)
    ctx: ReplayContext, profile: str, command: str
) -> Finding | None:
    """Check *command* statically, without running it.

    Returns the most serious problem, or ``None`` when the command looks runnable.
    ``Finding.raises`` names the exception botocore would raise when it runs it.
    """
    where = locate(ctx, profile, KEY)
    subject = f"credential_process of profile {profile!r} ({where})"
    details: dict[str, Any] = {"profile": profile, "location": where}
    if not command.strip():
        return Finding(
            code=EMPTY,
            status=Status.MISCONFIGURED,
            summary=f"{subject} is empty, so botocore has no program to run.",
            hints=(f"Set {KEY} = <command> at {where}, or delete the line.",),
            details=details,
            raises="IndexError",
        )
    try:
        argv = split(command)
    except ValueError as exc:
        return Finding(
            code=UNBALANCED,
            status=Status.MISCONFIGURED,
            summary=f"{subject} cannot be split into arguments: {exc} "
            f"(it has {command.count(chr(34))} double and {command.count(chr(39))} "
            "single quotes).",
            hints=(
                f"Balance the quotes at {where}; an argument containing a double "
                "quote goes inside single quotes, and vice versa.",
            ),
            details={**details, "error": str(exc)},
            raises="ValueError",
        )
    if not argv:
        return Finding(
            code=EMPTY,
            status=Status.MISCONFIGURED,
            summary=f"{subject} splits into no arguments at all.",
            hints=(f"Set {KEY} = <command> at {where}.",),
            details=details,
            raises="IndexError",
        )
    program = argv[0]
    details["program"] = ctx.redact(program)
    details["argument_count"] = len(argv) - 1
    path_var = ctx.environ.get("PATH", os.defpath)
    if (
        os.name != "nt"
        and _WINDOWS_PATH_RE.search(command)
        and "\\" not in " ".join(argv)
    ):
        literal = command.split(maxsplit=1)[0].strip("\"'")
        return Finding(
            code=BACKSLASHES,
            status=Status.MISCONFIGURED,
            summary=f"{subject} uses backslashes, which botocore's POSIX splitting "
            f"removes: it runs {program!r} instead of {literal!r}.",
            hints=(
                f"At {where}, write the path with forward slashes "
                f"({literal.replace(chr(92), '/')!r}) or in single quotes.",
            ),
            details={**details, "argv": [ctx.redact(a) for a in argv]},
            raises="FileNotFoundError" if not _runnable(program, path_var) else None,
        )
    if program.startswith("~") or "$" in program:
        expanded = os.path.expanduser(os.path.expandvars(program))
        literal_ok = _runnable(program, path_var)
        if not literal_ok:
            return Finding(
                code=UNEXPANDED,
                status=Status.MISCONFIGURED,
                summary=f"{subject} starts with {program!r}; botocore runs it without "
                "a shell, so ~ and $VARIABLES are not expanded and the program is "
                "not found.",
                hints=(f"At {where}, write the absolute path: {expanded}",),
                details={**details, "expanded": expanded},
                raises="FileNotFoundError",
            )
    has_sep = os.sep in program or bool(os.altsep and os.altsep in program)
    if has_sep:
        absolute = os.path.isabs(program)
        path = program if absolute else os.path.join(os.getcwd(), program)
        details["resolved"] = path
        if not os.path.exists(path):
            why = (
                ""
                if absolute
                else f" (a relative path, resolved against the current directory "
                f"{os.getcwd()})"
            )
            return Finding(
                code=NOT_FOUND,
                status=Status.MISCONFIGURED,
                summary=f"{subject} runs {program!r}, which does not exist{why}.",
                hints=(
                    f"Install the program or correct the path at {where}"
                    + ("; use an absolute path." if not absolute else "."),
                ),
                details=details,
                raises="FileNotFoundError",
            )
        if os.path.isdir(path) or not os.access(path, os.X_OK):
            kind = "a directory" if os.path.isdir(path) else "not executable"
            return Finding(
                code=NOT_EXECUTABLE,
                status=Status.MISCONFIGURED,
                summary=f"{subject} runs {path!r}, which is {kind}.",
                hints=(
                    (
                        f"chmod +x {shlex.quote(path)}"
                        if kind != "a directory"
                        else f"Point {KEY} at the program inside {path}."
                    ),
                    "or name its interpreter first at "
                    + where
                    + f" (e.g. {KEY} = python3 {path} ...)",
                ),
                details=details,
                raises="PermissionError",
            )
        if not absolute:
            return Finding(
                code=RELATIVE,
                status=Status.FOUND,
                summary=f"{subject} runs the relative path {program!r}, which works "
                f"only from {os.getcwd()}.",
                hints=(f"At {where}, write the absolute path: {path}",),
                details=details,
            )
    else:
        found = shutil.which(program, path=path_var)
        if found is None:
            local = os.path.join(os.getcwd(), program)
            entries = [e for e in path_var.split(os.pathsep) if e]
            shown = os.pathsep.join(entries)
            if len(shown) > 160:
                shown = (
                    os.pathsep.join(entries[:4])
                    + f"{os.pathsep}... ({len(entries)} directories)"
                )
            hints = [
                f"Install {program!r}, or write its absolute path at {where}.",
                f"This process searched PATH: {ctx.redact(shown)}",
            ]
            if os.path.isfile(local):
                hints.insert(0, f"It is in the current directory: write {local}.")
            return Finding(
                code=NOT_FOUND,
                status=Status.MISCONFIGURED,
                summary=f"{subject} runs {program!r}, which is not on PATH.",
                hints=tuple(hints),
                details={**details, "path_entries": len(path_var.split(os.pathsep))},
                raises="FileNotFoundError",
            )
        details["resolved"] = found
    shell = [
        a
        for a in argv[1:]
        if a in _SHELL_TOKENS or a.startswith(("$(", "`", "2>", "1>"))
    ]
    if shell:
        return Finding(
            code=SHELL_SYNTAX,
            status=Status.MISCONFIGURED,
            summary=f"{subject} contains {', '.join(repr(s) for s in shell)}, which "
            f"botocore passes to {program!r} as literal arguments (no shell runs).",
            hints=(f"At {where}, write: {KEY} = sh -c {shlex.quote(command)}",),
            details=details,
        )
    return None


def _runnable(program: str, path_var: str) -> bool:
    if os.sep in program:
        return os.path.isfile(program) and os.access(program, os.X_OK)
    return shutil.which(program, path=path_var) is not None


def explain(ctx: ReplayContext, provider: Any, attempt: Attempt | None) -> SourceReport:
    """Explain what the credential_process source did, or would do."""
    del provider
    profile = ctx.profile.name
    command = ctx.profile_config().get(KEY)
    duration = None if attempt is None else attempt.duration_ms
    if command is None or (attempt is not None and attempt.result == "none"):
        return SourceReport(
            source=METHOD,
            status=Status.NOT_CONFIGURED,
            code=NOT_CONFIGURED,
            summary=f"profile {profile!r} has no {KEY}.",
            duration_ms=duration,
        )
    command = str(command)
    runs = _runs(attempt)
    extra: dict[str, Any] = {}
    if runs:
        extra["exit_status"] = runs[-1].status
        extra["stdout_length"] = runs[-1].body.get("stdout_length")
        extra["stderr_length"] = runs[-1].body.get("stderr_length")
    error, at_call = error_to_explain(ctx, attempt)
    if error is not None:
        finding = explain_error(ctx, profile, command, error, runs)
        extra["exception"] = type(error).__name__
        if at_call:
            extra["failed_at"] = "first use of the credentials"
        return finding.report(METHOD, duration_ms=duration, extra=extra)
    if attempt is not None and attempt.result == "found":
        key = _stored(ctx, "access_key")
        return SourceReport(
            source=METHOD,
            status=Status.FOUND,
            code=FOUND,
            summary=f"botocore ran the {KEY} of profile {profile!r}"
            + (f" (exit status {runs[-1].status})" if runs else "")
            + " and it printed credentials"
            + (f" ({mask_key_id(key)})." if key else "."),
            duration_ms=duration,
            details=extra,
        )
    static = check_command(ctx, profile, command)
    if static is not None and static.status is not Status.FOUND:
        # botocore would stop here, with this error or with what the program does.
        return static.report(METHOD, extra={"stops_chain": True, "evaluated": False})
    program = _program(command)
    return SourceReport(
        source=METHOD,
        status=Status.FOUND,
        code=static.code if static is not None else NOT_RUN,
        summary=(static.summary + " " if static is not None else "")
        + f"botocore would run {program!r} here and stop at it; credsafe does not "
        "run credential_process commands.",
        hints=(static.hints if static is not None else ())
        + (f"To check it, run the {KEY} of profile {profile!r} by hand.",),
        details={**(static.details if static is not None else {}), "evaluated": False},
    )


def _program(command: str) -> str:
    try:
        argv = split(command)
    except ValueError:
        return command.split(maxsplit=1)[0] if command.split() else command
    return argv[0] if argv else command


def _runs(attempt: Attempt | None) -> list[Exchange]:
    if attempt is None:
        return []
    return [e for e in attempt.exchanges if e.method == "EXEC"]


def explain_error(  # noqa: C901  (one branch per botocore error)
    ctx: ReplayContext,
    profile: str,
    command: str,
    error: BaseException,
    runs: list[Exchange] | tuple[Exchange, ...] = (),
) -> Finding:
    """Explain *error*, raised when botocore ran (or split) the credential_process."""
    names = {cls.__name__ for cls in type(error).__mro__}
    where = locate(ctx, profile, KEY)
    subject = f"the {KEY} of profile {profile!r} ({where})"
    details: dict[str, Any] = {"profile": profile, "location": where}
    program = _program(command)
    shlex_error = "ValueError" in names and (
        "quotation" in str(error) or "escaped" in str(error)
    )
    if names & {"FileNotFoundError", "PermissionError", "IndexError"} or shlex_error:
        static = check_command(ctx, profile, command)
        if static is not None and static.raises is not None:
            return static
    if shlex_error:
        return Finding(
            code=UNBALANCED,
            status=Status.MISCONFIGURED,
            summary=f"botocore could not split {subject} into arguments: {error}.",
            hints=(f"Balance the quotes at {where}.",),
            details=details,
        )
    if "FileNotFoundError" in names:
        return Finding(
            code=NOT_FOUND,
            status=Status.MISCONFIGURED,
            summary=f"botocore could not start {program!r}, the program of "
            f"{subject}: {error_text(ctx, error)}.",
            hints=(f"Install it, or write its absolute path at {where}.",),
            details=details,
        )
    if "PermissionError" in names:
        return Finding(
            code=NOT_EXECUTABLE,
            status=Status.MISCONFIGURED,
            summary=f"botocore was not allowed to start {program!r}, the program of "
            f"{subject}.",
            hints=(f"chmod +x {shlex.quote(program)}",),
            details=details,
        )
    if "JSONDecodeError" in names:
        doc = getattr(error, "doc", "") or ""
        size = len(doc)
        if not doc.strip():
            what = (
                "printed nothing on stdout" if size == 0 else "printed only whitespace"
            )
            why = (
                "The program may write its output to stderr, wait for input it "
                "cannot get, or need a login first."
            )
        elif doc.lstrip()[:1] in "{[":
            what = (
                f"printed {size} characters of malformed JSON (error at line "
                f"{getattr(error, 'lineno', '?')}, "
                f"column {getattr(error, 'colno', '?')})"
            )
            why = "Check the quoting of the JSON the program builds."
        else:
            what = (
                f"printed {size} characters on stdout that are not JSON (error at "
                f"line {getattr(error, 'lineno', '?')}, column "
                f"{getattr(error, 'colno', '?')})"
            )
            why = (
                "It probably prints a banner, a log line or a prompt on stdout "
                "before (or instead of) the JSON."
            )
        return Finding(
            code=NOT_JSON,
            status=Status.FAILED,
            summary=f"{program!r}, run by {subject}, {what}; credsafe does not show "
            "the output because it may contain the secret.",
            hints=(why, "Make it print only the JSON document on stdout.", _SHAPE),
            details={**details, "stdout_length": size},
        )
    if "ParserError" in names or (
        "ValueError" in names and "string" in str(error).lower()
    ):
        return Finding(
            code=BAD_EXPIRATION,
            status=Status.FAILED,
            summary=f"the Expiration printed by {program!r} ({subject}) is not a "
            f"date botocore can parse ({type(error).__name__}).",
            hints=(
                'Print Expiration as ISO 8601, e.g. "2030-01-01T00:00:00Z".',
                _SHAPE,
            ),
            details=details,
        )
    if "AttributeError" in names:
        return Finding(
            code=NOT_OBJECT,
            status=Status.FAILED,
            summary=f"{program!r}, run by {subject}, printed JSON that is not an "
            "object.",
            hints=(_SHAPE,),
            details=details,
        )
    if "CredentialRetrievalError" in names:
        message = str(getattr(error, "kwargs", {}).get("error_msg", "") or "")
        if message.startswith("Unsupported version"):
            match = re.search(r"Unsupported version '(.*?)'", message)
            version = match.group(1) if match else "?"
            shown = (
                "no Version key"
                if version == "<Version key not provided>"
                else f"Version {version!r}"
            )
            tip = (
                'Version is the string "1": print the number 1 instead.'
                if version == "1"
                else 'Add "Version": 1 (a JSON number) to the output.'
            )
            return Finding(
                code=VERSION,
                status=Status.FAILED,
                summary=f"{program!r}, run by {subject}, printed {shown}; botocore "
                "only accepts Version 1.",
                hints=(tip, _SHAPE),
                details={**details, "version": version},
            )
        if message.startswith("Missing required key"):
            match = re.search(r"Missing required key in response: '?(\w+)'?", message)
            key = match.group(1) if match else "?"
            return Finding(
                code=MISSING_KEY,
                status=Status.FAILED,
                summary=f"{program!r}, run by {subject}, printed JSON without {key!r}.",
                hints=(
                    f"Add {key!r} to the output (key names are case-sensitive).",
                    _SHAPE,
                ),
                details={**details, "missing_key": key},
            )
        status = runs[-1].status if runs else None
        excerpt = _excerpt(ctx, message)
        return Finding(
            code=EXIT_STATUS,
            status=Status.FAILED,
            summary=f"{program!r}, run by {subject}, exited with "
            + (f"status {status}" if status is not None else "a non-zero status")
            + (
                f"; its stderr says: {excerpt}"
                if excerpt
                else " and wrote nothing on stderr"
            )
            + ".",
            hints=(
                f"Run it by hand to see the whole error: {scrub(ctx, command)}",
                "If it wraps a tool that needs a login (SSO, a password manager, "
                "a hardware key), log in with that tool first.",
            ),
            details={**details, "stderr_excerpt": excerpt},
        )
    if "RuntimeError" in names and "expired" in str(error):
        expiry = _stored(ctx, "_expiry_time")
        when = ""
        if isinstance(expiry, dt.datetime):
            age = dt.datetime.now(dt.timezone.utc) - expiry
            when = (
                f" (Expiration {expiry.isoformat()}, {_ago(age.total_seconds())} ago)"
            )
            details["expiration"] = expiry.isoformat()
        return Finding(
            code=EXPIRED,
            status=Status.FAILED,
            summary=f"{program!r}, run by {subject}, printed credentials that had "
            f"already expired{when}, even when botocore ran it again.",
            hints=(
                "Make the command renew its credentials before printing them (log "
                "in again with the tool behind it).",
                f"Check the clock of this machine (now: "
                f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}).",
            ),
            details=details,
        )
    return Finding(
        code=RAISED,
        status=Status.FAILED,
        summary=f"running {subject} raised {error_text(ctx, error)}",
        hints=("Correct what the error names.",),
        details=details,
    )


# Output of a foreign program: anything shaped like a key or token goes, even with
# less entropy than the generic redaction requires.
_TOKENISH_RE = re.compile(
    r"(?<![A-Za-z0-9/+=_-])[A-Za-z0-9/+=_-]{20,}(?![A-Za-z0-9/+=_-])"
)


def scrub(ctx: ReplayContext, text: str) -> str:
    """Redact *text* from a foreign program: known secrets and token-shaped runs."""

    def hide(match: re.Match[str]) -> str:
        run = match.group(0)
        mixed = any(c.isupper() for c in run) and any(c.islower() for c in run)
        if mixed and any(c.isdigit() or c in "/+" for c in run):
            return "<redacted>"
        return run

    return _TOKENISH_RE.sub(hide, ctx.redact(text))


def _excerpt(ctx: ReplayContext, text: str, limit: int = 300) -> str:
    """A redacted, one-line excerpt of *text*."""
    flat = " ".join(scrub(ctx, text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _ago(seconds: float) -> str:
    seconds = abs(int(seconds))
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return f"{seconds} seconds"


def _stored(ctx: ReplayContext, field: str) -> Any:
    """A stored field of the resolved credentials (never a property: no refresh)."""
    resolution = ctx.resolution
    creds = None if resolution is None else resolution.credentials
    fields: Mapping[str, Any] = getattr(creds, "__dict__", {}) or {}
    if field == "access_key":
        return fields.get("access_key", fields.get("_access_key"))
    return fields.get(field)


# -- recording what botocore really ran -----------------------------------------


class _RecordedProcess:
    """A ``Popen`` whose ``communicate()`` records the exit status, never the output."""

    def __init__(self, inner: Any, program: str, recorder: Recorder) -> None:
        self._credsafe_inner = inner
        self._credsafe_program = program
        self._credsafe_recorder = recorder

    def __getattr__(self, name: str) -> Any:
        return getattr(self._credsafe_inner, name)

    def communicate(self, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        result = self._credsafe_inner.communicate(*args, **kwargs)
        try:
            out, err = result
            self._credsafe_recorder.add_exchange(
                Exchange(
                    method="EXEC",
                    url=self._credsafe_program,
                    status=self._credsafe_inner.returncode,
                    error=None,
                    elapsed_ms=(time.perf_counter() - start) * 1000.0,
                    body={
                        "stdout_length": len(out or b""),
                        "stderr_length": len(err or b""),
                    },
                )
            )
        except Exception:  # recording must never change what botocore sees
            return result
        return result


class _RecordingPopen:
    """Wraps ``ProcessProvider._popen`` of a live resolver."""

    def __init__(self, inner: Any, recorder: Recorder) -> None:
        self._credsafe_inner = inner
        self._credsafe_recorder = recorder

    def __call__(self, args: Any, *rest: Any, **kwargs: Any) -> Any:
        process = self._credsafe_inner(args, *rest, **kwargs)
        try:
            program = os.path.basename(str(args[0])) if args else "?"
            return _RecordedProcess(process, program, self._credsafe_recorder)
        except Exception:
            return process


def record_runs(provider: Any, recorder: Recorder) -> None:
    """Record the exit status of every command *provider* runs during a resolution.

    Only the program's base name, its exit status and the sizes of its output are
    kept; never its arguments or output.
    """
    popen = getattr(provider, "_popen", None)
    if popen is None or isinstance(popen, _RecordingPopen):
        return
    provider._popen = _RecordingPopen(popen, recorder)


#: The explainer of each METHOD this module covers.
EXPLAINERS: dict[str, Explainer] = {METHOD: explain}
