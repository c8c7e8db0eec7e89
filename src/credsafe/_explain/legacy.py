"""Explain the two legacy file sources: ``ec2-credentials-file`` and ``boto-config``.

- ``ec2-credentials-file`` (``OriginalEC2Provider``) reads the file named by
  ``AWS_CREDENTIAL_FILE``, a format of the retired EC2 API tools: ``key=value``
  lines ``AWSAccessKeyId`` and ``AWSSecretKey``. botocore expands ``~`` in the
  path but not ``$VARS``. A missing file raises ``ConfigNotFound``, which nothing
  catches: it aborts the whole chain. A key id without a secret raises a bare
  ``KeyError: 'AWSSecretKey'``.
- ``boto-config`` (``BotoProvider``) reads the ``[Credentials]`` section of the
  boto 2 config: the file named by ``BOTO_CONFIG`` (which replaces the defaults),
  otherwise ``/etc/boto.cfg`` then ``~/.boto``.

Both are read here exactly as botocore reads them, without keeping any secret.
"""

from __future__ import annotations

import configparser
import difflib
import os
from typing import Any

from .._codes import define
from .._model import SourceReport, Status
from .._recording import Attempt
from .._redact import mask_key_id
from ._base import Explainer, ReplayContext, error_text, make_report, open_regular

EC2 = "ec2-credentials-file"
BOTO = "boto-config"
EC2_ENV = "AWS_CREDENTIAL_FILE"
EC2_KEY = "AWSAccessKeyId"
EC2_SECRET = "AWSSecretKey"  # noqa: S105 (a key name, not a secret)
BOTO_ENV = "BOTO_CONFIG"
BOTO_DEFAULTS = ("/etc/boto.cfg", "~/.boto")
BOTO_SECTION = "Credentials"
BOTO_KEY = "aws_access_key_id"
BOTO_SECRET = "aws_secret_access_key"  # noqa: S105 (a key name, not a secret)

# ------------------------------------------------------------------ codes: EC2 file
EC2_NOT_CONFIGURED = define(
    "ec2-credentials-file.not_configured",
    title="AWS_CREDENTIAL_FILE is not set.",
    why="botocore reads the legacy EC2 tools credential file only when "
    "AWS_CREDENTIAL_FILE names it.",
    fix="Nothing to fix: the AWS SDKs use ~/.aws/credentials instead.",
)
EC2_FOUND = define(
    "ec2-credentials-file.found",
    title="Credentials came from the file named by AWS_CREDENTIAL_FILE.",
    why="The file has AWSAccessKeyId and AWSSecretKey lines, the format of the "
    "retired EC2 API tools, which botocore still reads.",
    fix="Nothing to fix. Consider moving the key to ~/.aws/credentials "
    "(`aws configure`), the format every AWS tool reads.",
)
EC2_FILE_NOT_FOUND = define(
    "ec2-credentials-file.file_not_found",
    title="AWS_CREDENTIAL_FILE names a file that cannot be read, which stops the "
    "whole chain.",
    why="botocore opens the file named by AWS_CREDENTIAL_FILE (expanding ~ but not "
    "$VARS); when it is missing, a directory or unreadable, botocore raises "
    "ConfigNotFound, which nothing catches, so no later source (container role, "
    "instance role) is consulted.",
    fix="`unset AWS_CREDENTIAL_FILE` (it belongs to the retired EC2 API tools), or "
    "point it at an existing file.",
)
EC2_PARTIAL = define(
    "ec2-credentials-file.partial",
    title="The AWS_CREDENTIAL_FILE file has AWSAccessKeyId but no AWSSecretKey.",
    why="botocore reads AWSSecretKey without checking that it exists, so a missing "
    "line raises a bare KeyError: 'AWSSecretKey', which stops the chain.",
    fix="Add an `AWSSecretKey=<secret>` line to the file, or unset "
    "AWS_CREDENTIAL_FILE.",
)
EC2_SECRET_ONLY = define(
    "ec2-credentials-file.secret_without_key_id",
    title="The AWS_CREDENTIAL_FILE file has AWSSecretKey but no AWSAccessKeyId.",
    why="botocore looks only for AWSAccessKeyId to decide whether the file holds "
    "credentials, and silently ignores the file without it.",
    fix="Add an `AWSAccessKeyId=<key id>` line to the file, or unset "
    "AWS_CREDENTIAL_FILE.",
)
EC2_NO_KEYS = define(
    "ec2-credentials-file.no_keys",
    title="The AWS_CREDENTIAL_FILE file has no AWSAccessKeyId line.",
    why="botocore reads only `AWSAccessKeyId=` and `AWSSecretKey=` lines "
    "(case-sensitive) from this file and silently ignores it otherwise. A file in "
    "the ~/.aws/credentials format belongs in AWS_SHARED_CREDENTIALS_FILE.",
    fix="Write the lines as `AWSAccessKeyId=...` and `AWSSecretKey=...`, or point "
    "AWS_SHARED_CREDENTIALS_FILE (not AWS_CREDENTIAL_FILE) at an INI-style file.",
)
EC2_ERROR = define(
    "ec2-credentials-file.error",
    title="Reading the AWS_CREDENTIAL_FILE file raised an error.",
    why="botocore raised while reading the legacy EC2 credential file, and the "
    "chain stops there.",
    fix="Correct the file or `unset AWS_CREDENTIAL_FILE`.",
)

# --------------------------------------------------------------- codes: boto config
BOTO_NOT_CONFIGURED = define(
    "boto-config.not_configured",
    title="No boto 2 config file with a [Credentials] section exists.",
    why="botocore reads aws_access_key_id and aws_secret_access_key from the "
    "[Credentials] section of BOTO_CONFIG, or else /etc/boto.cfg and ~/.boto.",
    fix="Nothing to fix: ~/.aws/credentials is the usual place for keys.",
)
BOTO_FOUND = define(
    "boto-config.found",
    title="Credentials came from the [Credentials] section of a boto 2 config file.",
    why="botocore still reads the boto 2 config (BOTO_CONFIG, /etc/boto.cfg, "
    "~/.boto) after every other file-based source.",
    fix="Nothing to fix. Consider moving the key to ~/.aws/credentials.",
)
BOTO_PARTIAL = define(
    "boto-config.partial",
    title="A boto config [Credentials] section has aws_access_key_id but no "
    "aws_secret_access_key.",
    why="botocore raises PartialCredentialsError when the key id has no secret, "
    "and stops the chain there.",
    fix="Add `aws_secret_access_key = <secret>` to the section, or remove "
    "aws_access_key_id from it.",
)
BOTO_SECRET_ONLY = define(
    "boto-config.secret_without_key_id",
    title="A boto config [Credentials] section has aws_secret_access_key but no "
    "aws_access_key_id.",
    why="botocore looks only for aws_access_key_id and silently skips the section "
    "without it.",
    fix="Add `aws_access_key_id = <key id>` to the section.",
)
BOTO_MISNAMED = define(
    "boto-config.misnamed",
    title="A boto config file has AWS keys that botocore does not read.",
    why="botocore reads exactly the section [Credentials] (case-sensitive) and the "
    "keys aws_access_key_id and aws_secret_access_key; anything else is silently "
    "ignored.",
    fix="Rename the section or keys as the diagnosis says.",
)
BOTO_PARSE_ERROR = define(
    "boto-config.parse_error",
    title="A boto config file cannot be parsed, which stops the chain.",
    why="botocore parses the boto config with configparser; a syntax error raises "
    "ConfigParseError, which stops the chain (even when the file was not meant to "
    "hold AWS keys).",
    fix="Correct the line the diagnosis names, or point BOTO_CONFIG elsewhere.",
)
BOTO_ENV_REPLACES = define(
    "boto-config.env_replaces_defaults",
    title="BOTO_CONFIG hides a ~/.boto or /etc/boto.cfg that holds credentials.",
    why="When BOTO_CONFIG is set botocore reads only that file, never "
    "/etc/boto.cfg or ~/.boto.",
    fix="Unset BOTO_CONFIG, or point it at the file with the credentials.",
)
BOTO_ERROR = define(
    "boto-config.error",
    title="Reading the boto config raised an error.",
    why="botocore raised while reading the boto 2 config, and the chain stops there.",
    fix="Correct the file the error names.",
)


# ----------------------------------------------------------------------- EC2 file


def _read_key_values(path: str) -> tuple[dict[str, str], dict[str, int]]:
    """Parse like ``parse_key_val_file``; also return each key's line number."""
    with open_regular(path) as handle:
        contents = handle.read()
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    for number, line in enumerate(contents.splitlines(), start=1):
        if "=" not in line:
            continue
        key, value = line.split("=", 1)
        values[key.strip()] = value.strip()
        lines[key.strip()] = number
    return values, lines


def _unreadable_reason(path: str) -> str | None:
    """Why ``open(path)`` fails, in words, or ``None`` if it can be read."""
    if path == "":
        return "is empty"
    if os.path.isdir(path):
        return "is a directory"
    if not os.path.lexists(path):
        return "does not exist"
    if not os.path.exists(path):
        return "is a broken symbolic link"
    try:
        with open_regular(path, "rb"):
            pass
    except PermissionError:
        return f"cannot be read by this user (uid {os.getuid()})"
    except OSError as exc:
        return f"cannot be opened ({type(exc).__name__})"
    return None


def explain_ec2(
    ctx: ReplayContext, provider: Any, attempt: Attempt | None
) -> SourceReport:
    """Explain the legacy EC2 tools credential file (``AWS_CREDENTIAL_FILE``)."""
    del provider
    raw = ctx.environ.get(EC2_ENV)
    if raw is None:
        return make_report(
            EC2,
            attempt,
            Status.NOT_CONFIGURED,
            EC2_NOT_CONFIGURED,
            f"{EC2_ENV} is not set.",
        )
    path = os.path.expanduser(raw)
    details: dict[str, Any] = {"variable": EC2_ENV, "path": path}
    reason = _unreadable_reason(path)
    if reason is not None:
        return _ec2_unreadable(ctx, attempt, raw, path, reason, details)
    try:
        values, lines = _read_key_values(path)
    except (OSError, ValueError) as exc:
        return make_report(
            EC2,
            attempt,
            Status.MISCONFIGURED,
            EC2_ERROR,
            f"reading {path} (from {EC2_ENV}) failed: {error_text(ctx, exc)}",
            (f"Correct the file, or `unset {EC2_ENV}`.",),
            stops=True,
            **details,
        )
    secret = values.get(EC2_SECRET)
    if secret:
        ctx.secrets.add(secret)
    details["keys"] = sorted(values)
    key = values.get(EC2_KEY)
    if key is not None and EC2_SECRET not in values:
        return make_report(
            EC2,
            attempt,
            Status.MISCONFIGURED,
            EC2_PARTIAL,
            f"{path}:{lines[EC2_KEY]} (from {EC2_ENV}) has {EC2_KEY} "
            f"({mask_key_id(key)}) but the file has no {EC2_SECRET} line, so "
            f"botocore raises KeyError: '{EC2_SECRET}' and stops the whole chain.",
            (
                f"Add a line `{EC2_SECRET}=<the secret of the key ending "
                f"{key[-4:]}>` to {path},",
                f"or `unset {EC2_ENV}` so that later sources are consulted.",
            ),
            stops=True,
            access_key_id=mask_key_id(key),
            **details,
        )
    if key is not None:
        return make_report(
            EC2,
            attempt,
            Status.FOUND,
            EC2_FOUND,
            f"{path}:{lines[EC2_KEY]} (from {EC2_ENV}) has {EC2_KEY} "
            f"({mask_key_id(key)}) and {EC2_SECRET}.",
            access_key_id=mask_key_id(key),
            **details,
        )
    if EC2_SECRET in values and not _ec2_near_misses(values):
        return make_report(
            EC2,
            attempt,
            Status.MISCONFIGURED,
            EC2_SECRET_ONLY,
            f"{path}:{lines[EC2_SECRET]} (from {EC2_ENV}) has {EC2_SECRET} but no "
            f"{EC2_KEY} line, so botocore silently ignores the file.",
            (f"Add a line `{EC2_KEY}=<the key id of this secret>` to {path}.",),
            **details,
        )
    return _ec2_no_keys(attempt, path, values, lines, details)


def _ec2_unreadable(
    ctx: ReplayContext,
    attempt: Attempt | None,
    raw: str,
    path: str,
    reason: str,
    details: dict[str, Any],
) -> SourceReport:
    hints: list[str] = []
    note = ""
    expanded = ctx.expand_path(raw)
    if "$" in raw and expanded != path:
        note = (
            f" botocore expands ~ but not environment variables in {EC2_ENV}, so "
            f"it opened {path!r} literally."
        )
        if os.path.isfile(expanded):
            hints.append(f'export {EC2_ENV}="{expanded}"  (the path written out)')
    shown = repr(raw) if raw == "" else path
    hints.extend(
        (
            f"`unset {EC2_ENV}`: it is a setting of the retired EC2 API tools, and "
            "while it names a missing file no other source (profile, container or "
            "instance role) is consulted.",
            f"or point {EC2_ENV} at a file with `{EC2_KEY}=...` and "
            f"`{EC2_SECRET}=...` lines.",
        )
    )
    return make_report(
        EC2,
        attempt,
        Status.MISCONFIGURED,
        EC2_FILE_NOT_FOUND,
        f"{EC2_ENV} is set to {shown}, which {reason}; botocore raises "
        f"ConfigNotFound and stops the whole chain.{note}",
        tuple(hints),
        stops=True,
        reason=reason,
        **details,
    )


def _ec2_near_misses(values: dict[str, str]) -> dict[str, str]:
    """``{name in the file: the name botocore wants}`` for misspelled key names."""
    near: dict[str, str] = {}
    for name in values:
        for wanted in (EC2_KEY, EC2_SECRET):
            if name != wanted and (
                name.lower() == wanted.lower()
                or difflib.get_close_matches(name, [wanted], n=1, cutoff=0.8)
            ):
                near[name] = wanted
    return near


def _ec2_no_keys(
    attempt: Attempt | None,
    path: str,
    values: dict[str, str],
    lines: dict[str, int],
    details: dict[str, Any],
) -> SourceReport:
    hints: list[str] = []
    near = _ec2_near_misses(values)
    for name, wanted in near.items():
        hints.append(
            f"{path}:{lines[name]}: rename `{name}` to `{wanted}` "
            "(botocore matches the names exactly)."
        )
    if any(name.lower() in {BOTO_KEY, BOTO_SECRET} for name in values):
        hints.append(
            f"{path} looks like a ~/.aws/credentials file: "
            f'export AWS_SHARED_CREDENTIALS_FILE="{path}" and `unset {EC2_ENV}`.'
        )
    if not hints:
        hints.append(
            f"Write the credentials as `{EC2_KEY}=...` and `{EC2_SECRET}=...` "
            f"lines, or `unset {EC2_ENV}`."
        )
    return make_report(
        EC2,
        attempt,
        Status.MISCONFIGURED,
        EC2_NO_KEYS,
        f"{path} (from {EC2_ENV}) has no {EC2_KEY} line"
        + (
            f" (it has {', '.join(sorted(values))})"
            if values
            else " (no key=value lines)"
        )
        + ", so botocore silently ignores it.",
        tuple(hints),
        near_misses=list(near),
        **details,
    )


# -------------------------------------------------------------------- boto config


def _boto_locations(ctx: ReplayContext) -> tuple[list[str], bool]:
    if BOTO_ENV in ctx.environ:
        return [ctx.environ[BOTO_ENV]], True
    return list(BOTO_DEFAULTS), False


def _section_key_lines(path: str) -> dict[tuple[str, str], int]:
    """``(section, lowercased key) -> line`` for every key of *path* (no values)."""
    found: dict[tuple[str, str], int] = {}
    section = ""
    try:
        with open_regular(path, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                text = line.strip()
                if text.startswith("[") and text.endswith("]"):
                    section = text[1:-1]
                    found[(section, "")] = number
                    continue
                for sep in ("=", ":"):
                    if sep in text and not line[:1].isspace():
                        name = text.split(sep, 1)[0].strip().lower()
                        found.setdefault((section, name), number)
                        break
    except OSError:
        return found
    return found


def _at(path: str, lines: dict[tuple[str, str], int], section: str, key: str) -> str:
    number = lines.get((section, key))
    return f"{path}:{number}" if number else path


class _BotoFile:
    """What botocore finds in one boto config location."""

    def __init__(self, ctx: ReplayContext, location: str) -> None:
        self.location = location
        self.path = ctx.expand_path(location)
        self.exists = os.path.isfile(self.path)
        self.config: dict[str, Any] = {}
        self.error: BaseException | None = None
        self.lines: dict[tuple[str, str], int] = {}
        if not self.exists:
            return
        try:
            from botocore.configloader import raw_config_parse  # noqa: PLC0415

            self.config = raw_config_parse(location)
        except Exception as exc:
            self.error = exc
            return
        for section in self.config.values():
            if isinstance(section, dict):
                value = section.get(BOTO_SECRET)
                if isinstance(value, str) and value:
                    ctx.secrets.add(value)
        self.lines = _section_key_lines(self.path)

    def credentials(self) -> dict[str, Any] | None:
        section = self.config.get(BOTO_SECTION)
        return section if isinstance(section, dict) else None


def _parse_error_text(error: BaseException) -> tuple[int | None, str]:
    """The line number and a description of a configparser error, without values."""
    inner = getattr(error, "kwargs", {}).get("error", error)
    line = getattr(inner, "lineno", None)
    if isinstance(inner, configparser.ParsingError) and not line:
        errors = getattr(inner, "errors", [])
        line = errors[0][0] if errors else None
    kinds = {
        "MissingSectionHeaderError": "a line before any [section] header",
        "DuplicateSectionError": "a section that appears twice",
        "DuplicateOptionError": "a key that appears twice in one section",
        "ParsingError": "a line that is neither `key = value` nor a [section]",
        "UnicodeDecodeError": "bytes that are not valid in the locale's encoding",
    }
    what = kinds.get(type(inner).__name__, type(inner).__name__)
    if isinstance(inner, configparser.DuplicateOptionError):
        what += f" ([{inner.section}] {inner.option})"
    elif isinstance(inner, configparser.DuplicateSectionError):
        what += f" ([{inner.section}])"
    return (int(line) if isinstance(line, int) else None), what


def explain_boto(
    ctx: ReplayContext, provider: Any, attempt: Attempt | None
) -> SourceReport:
    """Explain the boto 2 config source (``BOTO_CONFIG``, /etc/boto.cfg, ~/.boto)."""
    del provider
    locations, from_env = _boto_locations(ctx)
    files = [_BotoFile(ctx, location) for location in locations]
    details: dict[str, Any] = {
        "looked_at": [f.path for f in files],
        "from_env": from_env,
    }
    notes: list[SourceReport] = []
    for boto_file in files:
        if not boto_file.exists:
            continue
        if boto_file.error is not None:
            return _boto_parse_error(boto_file, attempt, details)
        found = _boto_credentials(boto_file, attempt, details, notes)
        if found is not None:
            return found
    if attempt is not None and attempt.result == "raised" and attempt.error is not None:
        return make_report(
            BOTO,
            attempt,
            Status.MISCONFIGURED,
            BOTO_ERROR,
            f"reading the boto config raised {error_text(ctx, attempt.error)}",
            ("Correct the file the error names.",),
            **details,
        )
    if notes:
        return notes[0]
    if from_env:
        hidden = _hidden_defaults(ctx)
        if hidden is not None:
            state = (
                "which has no AWS keys" if files[0].exists else "which does not exist"
            )
            return make_report(
                BOTO,
                attempt,
                Status.MISCONFIGURED,
                BOTO_ENV_REPLACES,
                f"{BOTO_ENV} is set to {files[0].path}, {state}, so botocore never "
                f"reads {hidden}, which has a [{BOTO_SECTION}] section with "
                f"{BOTO_KEY}.",
                (
                    f"`unset {BOTO_ENV}` to let botocore read {hidden},",
                    f'or export {BOTO_ENV}="{hidden}".',
                ),
                hidden_file=hidden,
                **details,
            )
    looked = ", ".join(f.path for f in files)
    summary = (
        f"{BOTO_ENV} is set to {files[0].path}"
        + (", which does not exist" if not files[0].exists else "")
        + f" (it replaces {' and '.join(BOTO_DEFAULTS)})"
        if from_env
        else f"looked at {looked}"
    )
    return make_report(
        BOTO,
        attempt,
        Status.NOT_CONFIGURED,
        BOTO_NOT_CONFIGURED,
        f"{summary}: no [{BOTO_SECTION}] section with {BOTO_KEY}.",
        **details,
    )


def _boto_parse_error(
    boto_file: _BotoFile, attempt: Attempt | None, details: dict[str, Any]
) -> SourceReport:
    assert boto_file.error is not None
    line, what = _parse_error_text(boto_file.error)
    where = f"{boto_file.path}:{line}" if line else boto_file.path
    return make_report(
        BOTO,
        attempt,
        Status.MISCONFIGURED,
        BOTO_PARSE_ERROR,
        f"{where} has {what}, so botocore cannot parse this boto config file "
        "(ConfigParseError) and stops the chain.",
        (
            f"Correct line {line} of {boto_file.path}."
            if line
            else f"Correct {boto_file.path}.",
            f"or, if the file is not meant for AWS, point {BOTO_ENV} at another file.",
        ),
        stops=True,
        path=boto_file.path,
        line=line,
        **details,
    )


def _boto_credentials(
    boto_file: _BotoFile,
    attempt: Attempt | None,
    details: dict[str, Any],
    notes: list[SourceReport],
) -> SourceReport | None:
    """The report for *boto_file* if it ends the search (found, partial)."""
    path = boto_file.path
    section = boto_file.credentials()
    if section is not None and BOTO_KEY in section:
        key = str(section[BOTO_KEY])
        at = _at(path, boto_file.lines, BOTO_SECTION, BOTO_KEY)
        if BOTO_SECRET not in section:
            return make_report(
                BOTO,
                attempt,
                Status.MISCONFIGURED,
                BOTO_PARTIAL,
                f"{at} sets {BOTO_KEY} ({mask_key_id(key)}) in [{BOTO_SECTION}] but "
                f"the section has no {BOTO_SECRET}, so botocore raises "
                "PartialCredentialsError and stops the chain.",
                (
                    f"Add `{BOTO_SECRET} = <the secret of the key ending "
                    f"{key[-4:]}>` under [{BOTO_SECTION}] in {path},",
                    f"or remove {BOTO_KEY} from it.",
                ),
                stops=True,
                path=path,
                access_key_id=mask_key_id(key),
                **details,
            )
        return make_report(
            BOTO,
            attempt,
            Status.FOUND,
            BOTO_FOUND,
            f"{at} sets {BOTO_KEY} ({mask_key_id(key)}) and {BOTO_SECRET} in "
            f"[{BOTO_SECTION}].",
            path=path,
            access_key_id=mask_key_id(key),
            **details,
        )
    misnamed = _misnamed(boto_file)
    if section is not None and BOTO_SECRET in section and not misnamed:
        notes.append(
            make_report(
                BOTO,
                attempt,
                Status.MISCONFIGURED,
                BOTO_SECRET_ONLY,
                f"{_at(path, boto_file.lines, BOTO_SECTION, BOTO_SECRET)} sets "
                f"{BOTO_SECRET} in [{BOTO_SECTION}] but there is no {BOTO_KEY}, so "
                "botocore silently skips the file.",
                (f"Add `{BOTO_KEY} = <key id>` under [{BOTO_SECTION}] in {path}.",),
                path=path,
                **details,
            )
        )
        return None
    if misnamed:
        notes.append(
            make_report(
                BOTO,
                attempt,
                Status.MISCONFIGURED,
                BOTO_MISNAMED,
                f"{path} has AWS keys that botocore does not read: "
                + "; ".join(m[0] for m in misnamed)
                + ".",
                tuple(m[1] for m in misnamed),
                path=path,
                **details,
            )
        )
    return None


def _misnamed(boto_file: _BotoFile) -> list[tuple[str, str]]:
    """``(what, fix)`` for AWS keys in the wrong section or under the wrong name."""
    found: list[tuple[str, str]] = []
    path = boto_file.path
    for name, section in boto_file.config.items():
        if not isinstance(section, dict):
            continue
        keys = [str(k) for k in section]
        awsish = [k for k in keys if "aws" in k or k in {BOTO_KEY, BOTO_SECRET}]
        if name != BOTO_SECTION and name.lower() == BOTO_SECTION.lower() and awsish:
            line = boto_file.lines.get((name, ""))
            found.append(
                (
                    f"section [{name}]" + (f" (line {line})" if line else ""),
                    f"Rename [{name}] to [{BOTO_SECTION}] in {path} (the name is "
                    "case-sensitive).",
                )
            )
            continue
        if name != BOTO_SECTION:
            continue
        for key in keys:
            if key in {BOTO_KEY, BOTO_SECRET}:
                continue
            close = difflib.get_close_matches(
                key, [BOTO_KEY, BOTO_SECRET], n=1, cutoff=0.75
            )
            if close:
                found.append(
                    (
                        f"{key} at {_at(path, boto_file.lines, name, key)}",
                        f"Rename `{key}` to `{close[0]}` under [{BOTO_SECTION}] in "
                        f"{path}.",
                    )
                )
    return found


def _hidden_defaults(ctx: ReplayContext) -> str | None:
    """A default boto file with credentials that BOTO_CONFIG hides, if any."""
    for location in BOTO_DEFAULTS:
        boto_file = _BotoFile(ctx, location)
        section = boto_file.credentials() if boto_file.exists else None
        if section is not None and BOTO_KEY in section:
            return boto_file.path
    return None


#: The explainer of each METHOD this module covers.
EXPLAINERS: dict[str, Explainer] = {
    EC2: explain_ec2,
    BOTO: explain_boto,
}
