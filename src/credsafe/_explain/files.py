"""Explain the shared files: ``shared-credentials-file`` and ``config-file``.

Both sources read an INI file for the profile: ``~/.aws/credentials`` (sections
``[NAME]``) and ``~/.aws/config`` (sections ``[profile NAME]`` and ``[default]``).
botocore says little when they give nothing: a missing, unreadable or misplaced file
reads as empty, a misnamed section or key is ignored, and a parse failure names only
the file. These explainers read the same bytes line by line (:mod:`._ini`) and name
the file, the line and the edit, without ever printing a secret that is on a line.

The config-file explainer also explains ``ProfileNotFound``, which botocore raises
while it builds the chain: it lists every profile that exists, in which file and in
what form, with a did-you-mean.
"""

from __future__ import annotations

import difflib
import os
import pwd
import stat
import time
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from .._codes import define
from .._model import SourceReport, Status
from .._recording import Attempt
from .._redact import key_kind, looks_like_key_id, mask_key_id
from . import _ini
from ._base import Explainer, ReplayContext, error_text

CREDS = "shared-credentials-file"
CONFIG = "config-file"

_LABEL = {CREDS: "credentials file", CONFIG: "config file"}
_VARIABLE = {CREDS: "AWS_SHARED_CREDENTIALS_FILE", CONFIG: "AWS_CONFIG_FILE"}
_SETTING = {CREDS: "credentials_file", CONFIG: "config_file"}
_DEFAULT_NAME = {CREDS: "credentials", CONFIG: "config"}

ACCESS = "aws_access_key_id"
SECRET = "aws_secret_access_key"  # noqa: S105 (a key name, not a secret)
TOKENS = ("aws_security_token", "aws_session_token")
CREDENTIAL_KEYS = (
    ACCESS,
    SECRET,
    "aws_session_token",
    "aws_security_token",
    "aws_account_id",
)

# Key names people write instead of botocore's, and what they meant.
_KEY_ALIASES = {
    "aws_access_key": ACCESS,
    "aws_access_key_id_id": ACCESS,
    "access_key_id": ACCESS,
    "access_key": ACCESS,
    "aws_key_id": ACCESS,
    "accesskeyid": ACCESS,
    "awsaccesskeyid": ACCESS,
    "aws-access-key-id": ACCESS,
    "aws_secret_key": SECRET,
    "aws_secret_access_key_id": SECRET,
    "aws_access_key_secret": SECRET,
    "aws_secret": SECRET,
    "secret_access_key": SECRET,
    "secret_key": SECRET,
    "awssecretkey": SECRET,
    "aws-secret-access-key": SECRET,
    "aws_token": "aws_session_token",
    "session_token": "aws_session_token",
    "aws-session-token": "aws_session_token",
}
# Keys that make a profile get credentials some other way.
_OTHER_WAYS = {
    "role_arn": "assume-role (role_arn)",
    "credential_process": "custom-process (credential_process)",
    "sso_session": "sso (sso_session)",
    "sso_account_id": "sso (sso_account_id)",
    "sso_start_url": "sso (sso_start_url)",
    "web_identity_token_file": (
        "assume-role-with-web-identity (web_identity_token_file)"
    ),
    "login_session": "login (login_session)",
    "credential_source": "assume-role (credential_source)",
}


def _both(suffix: str, *, title: str, why: str, fix: str) -> dict[str, str]:
    """Define ``<method>.<suffix>`` for both files; ``{file}`` names the file."""
    return {
        method: define(
            f"{method}.{suffix}",
            title=title.format(file=_LABEL[method], var=_VARIABLE[method]),
            why=why.format(file=_LABEL[method], var=_VARIABLE[method]),
            fix=fix.format(file=_LABEL[method], var=_VARIABLE[method]),
        )
        for method in (CREDS, CONFIG)
    }


FOUND = _both(
    "found",
    title="The profile's section in the {file} holds an access key and its secret.",
    why="botocore reads aws_access_key_id and aws_secret_access_key from the profile's "
    "section of the {file}.",
    fix="Nothing to fix.",
)
NOT_CONFIGURED = _both(
    "not_configured",
    title="The {file} holds no access key for the profile.",
    why="The file is absent, has no section for the profile, or the section has no "
    "aws_access_key_id; botocore then moves on to the next source.",
    fix="Nothing to fix, unless you meant the {file} to supply the credentials: then "
    "add aws_access_key_id and aws_secret_access_key to the profile's section.",
)
NO_DEFAULT = _both(
    "no_default_profile",
    title="No profile was chosen, and the {file} has keys only under other profiles.",
    why="Without profile_name=, AWS_PROFILE or AWS_DEFAULT_PROFILE, botocore reads "
    "the profile 'default'; keys written with `aws configure --profile NAME` are "
    "only used when NAME is chosen.",
    fix="Choose the profile (export AWS_PROFILE=NAME, or profile_name= in code), or "
    "make it the default.",
)
PATH_MISSING = _both(
    "path_missing",
    title="{var} points at a file that does not exist.",
    why="botocore reads the {file} from the path in {var}; a missing file is "
    "silently treated as empty.",
    fix="Correct {var}, or unset it to use the default under ~/.aws/.",
)
PATH_NOT_FILE = _both(
    "path_not_a_file",
    title="The {file} path is a broken symbolic link, a FIFO or a device.",
    why="botocore only reads regular files; anything else at the path is silently "
    "treated as no file at all.",
    fix="Point {var} at the real file, or replace the link.",
)
PATH_IS_DIRECTORY = _both(
    "path_is_directory",
    title="The {file} path is a directory.",
    why="botocore only reads regular files; a directory is silently treated as no "
    "file at all.",
    fix="Point {var} at the file inside the directory.",
)
UNREADABLE = _both(
    "unreadable",
    title="The {file} exists, but this process cannot read it.",
    why="Python's configparser skips files it cannot open, so botocore reads an "
    "unreadable file as empty, without any error. This usually means the process "
    "runs as another user than the one who owns ~/.aws (sudo, a service account, a "
    "container user).",
    fix="Run as the file's owner, or give this user read access to the file.",
)
OTHER_HOME = _both(
    "other_home",
    title="The {file} is missing here, but exists in another user's home directory.",
    why="botocore finds ~/.aws through HOME. Under sudo, cron, systemd or in a "
    "container, HOME is often not the home of the user who ran `aws configure`.",
    fix="Point {var} at the file that exists, run as that user, or keep HOME "
    "(`sudo -E`, or `sudo --preserve-env=HOME`).",
)
HOME_UNSET = _both(
    "home_unset",
    title="HOME is not set, so ~ was taken from the password database.",
    why="cron jobs, systemd units and some container runtimes start processes "
    "without HOME; Python then expands ~ to the home directory of the user id in "
    "/etc/passwd, which may not be where ~/.aws lives.",
    fix="Set HOME (systemd: `Environment=HOME=/home/USER` or `User=`), or set {var} "
    "to the full path of the file.",
)
BOM = _both(
    "bom",
    title="The {file} starts with a byte-order mark (BOM).",
    why="Python's configparser does not skip a UTF-8 BOM, so the first section "
    "header is not recognised and botocore raises ConfigParseError naming only the "
    "file. Windows editors and PowerShell's `Out-File -Encoding utf8` write one.",
    fix="Save the file as UTF-8 without BOM.",
)
DECODE = _both(
    "undecodable",
    title="The {file} holds bytes that are not valid in the encoding Python reads it "
    "with.",
    why="botocore opens the file with the locale's encoding (UTF-8 in a UTF-8 locale, "
    "ASCII under LANG=C without Python's UTF-8 mode). Any other byte, such as "
    "a Latin-1 accented letter, makes parsing fail.",
    fix="Save the file as UTF-8 and run with a UTF-8 locale (or PYTHONUTF8=1).",
)
KEY_BEFORE_SECTION = _both(
    "key_before_section",
    title="A line of the {file} comes before any [section] header.",
    why="Every setting must belong to a section; configparser raises "
    "MissingSectionHeaderError and botocore reports only the file name.",
    fix="Put a section header such as [default] above the line, or delete it.",
)
DUPLICATE_SECTION = _both(
    "duplicate_section",
    title="A section appears twice in the {file}.",
    why="botocore's parser is strict: a repeated [section] header is an error, "
    "which botocore reports only as 'Unable to parse config file'.",
    fix="Merge the two sections into one.",
)
DUPLICATE_KEY = _both(
    "duplicate_key",
    title="A key appears twice in one section of the {file}.",
    why="botocore's parser is strict: a repeated key (names are case-insensitive) "
    "is an error, which botocore reports only as 'Unable to parse config file'.",
    fix="Keep one of the two lines.",
)
NO_DELIMITER = _both(
    "line_without_equals",
    title="A line of the {file} is neither a section, a comment nor `key = value`.",
    why="configparser needs `=` or `:` on every setting line; botocore reports "
    "the resulting error only as 'Unable to parse config file'. A value that "
    "wrapped onto its own line, or a pasted secret, are the usual causes.",
    fix="Join the line to the previous value, write it as `key = value`, or make it "
    "a comment with `#`.",
)
NESTED_NO_EQUALS = _both(
    "nested_without_equals",
    title="An indented line under an empty `key =` has no `=`.",
    why="botocore reads an indented block under `key =` as nested `name = value` "
    "settings (as for `s3 =`), and raises ValueError on a line without `=`.",
    fix="Write the indented line as `name = value`, or un-indent it.",
)
PARSE_OTHER = _both(
    "parse_error",
    title="The {file} could not be parsed.",
    why="botocore raises ConfigParseError, naming only the file; the parser's own "
    "error says more.",
    fix="Correct the line the parser names.",
)
PARTIAL = _both(
    "partial",
    title="The profile has aws_access_key_id but no aws_secret_access_key.",
    why="botocore raises PartialCredentialsError when the profile's section has a "
    "key id without its secret, and stops the whole chain there.",
    fix="Add `aws_secret_access_key = ...` to the section, or remove the key id.",
)
SPLIT = _both(
    "split_across_files",
    title="The profile's key id and secret are in different files.",
    why="Each file is read on its own: the credentials-file source only sees the "
    "credentials file and the config-file source only the config file. A key id in "
    "one and its secret in the other is a partial profile for both.",
    fix="Put aws_access_key_id and aws_secret_access_key in the same file, under "
    "the same profile.",
)
KEY_MISSPELLED = _both(
    "key_misspelled",
    title="A credential key in the {file} is misspelled.",
    why="botocore only reads aws_access_key_id, aws_secret_access_key and "
    "aws_session_token; any other name is silently ignored.",
    fix="Rename the key to the name botocore reads.",
)
KEY_SWALLOWED = _both(
    "key_swallowed",
    title="An indented line of the {file} was read as part of the previous value.",
    why="configparser treats a line indented deeper than the key above it as a "
    "continuation of that key's value, so the key on the indented line does not "
    "exist for botocore.",
    fix="Remove the indentation of the line.",
)
VALUE_NESTED = _both(
    "value_nested",
    title="A credential key is inside an indented block under another key.",
    why="botocore reads `key =` followed by indented lines as a nested block of "
    "settings; keys inside it are not profile keys.",
    fix="Give the key above a value, or un-indent the block.",
)
VALUE_QUOTED = _both(
    "value_quoted",
    title="A credential value in the {file} is in quotes.",
    why="botocore keeps quotes as part of the value, so AWS receives a key id or "
    "secret with quotes around it and rejects the signature.",
    fix="Remove the quotes.",
)
VALUE_COMMENT = _both(
    "value_inline_comment",
    title="A credential value in the {file} is followed by a comment.",
    why="botocore does not strip inline comments: `key = value # note` gives the "
    "value `value # note`, which AWS rejects.",
    fix="Move the comment to a line of its own.",
)
VALUE_EMPTY = _both(
    "value_empty",
    title="A credential key in the {file} has an empty value.",
    why="botocore accepts an empty value as given and signs requests with it, which "
    "AWS rejects.",
    fix="Fill in the value, or remove the line.",
)
KEY_ID_SHAPE = _both(
    "key_id_malformed",
    title="The aws_access_key_id in the {file} does not look like an access key id.",
    why="Access key ids are 20 upper-case letters and digits starting with AKIA "
    "(long-term) or ASIA (temporary). Anything else is rejected by AWS.",
    fix="Copy the key id again from the IAM console or `aws configure`.",
)
TEMP_NO_TOKEN = _both(
    "temporary_key_without_token",
    title="A temporary key id (ASIA...) has no session token in the {file}.",
    why="Temporary credentials only work together with their session token; AWS "
    "rejects an ASIA key id sent without one.",
    fix="Add `aws_session_token = ...` with the token issued with the key.",
)
SECTION_PREFIX_IN_CREDENTIALS = define(
    f"{CREDS}.section_has_profile_prefix",
    title="The credentials file has a [profile NAME] section.",
    why="Only the config file uses the `profile ` prefix. In the credentials file, "
    "botocore takes the whole header as the name, so [profile dev] is a profile "
    "called 'profile dev', not 'dev'.",
    fix="Rename the section to [NAME] in the credentials file.",
)
SECTION_NO_PREFIX = define(
    f"{CONFIG}.section_missing_prefix",
    title="The config file has a [NAME] section without the `profile ` prefix.",
    why="In the config file, only [default] and [profile NAME] are profiles; "
    "botocore silently ignores [NAME] as a profile.",
    fix="Rename the section to [profile NAME].",
)
SECTION_GLUED = define(
    f"{CONFIG}.section_prefix_malformed",
    title="A config file section starts with `profile` but is not `[profile NAME]`.",
    why="botocore splits the header into `profile` and one name; [profiledev], "
    "[profile-dev] or [profile dev extra] are silently dropped.",
    fix="Write the header as [profile NAME], with one space.",
)
SECTION_CASE = _both(
    "section_name_mismatch",
    title="A section of the {file} names the profile with other case or spaces.",
    why="Profile names are case-sensitive and spaces inside the brackets are kept: "
    "[Default] and [ default ] are not the profile 'default'.",
    fix="Rename the section to the exact profile name.",
)
SECTION_DEFAULT_UPPER = _both(
    "section_upper_default",
    title="The {file} has a [DEFAULT] section.",
    why="[DEFAULT] (upper case) is special in Python's configparser: it is not a "
    "profile, and its keys are copied into every other section of the file.",
    fix="Rename it to [default] (lower case) for the default profile.",
)
PROFILE_NOT_FOUND = define(
    f"{CONFIG}.profile_not_found",
    title="The profile named for the session exists in neither shared file.",
    why="botocore raises ProfileNotFound while it builds the credential chain when "
    "the profile is missing from both ~/.aws/config ([profile NAME]) and "
    "~/.aws/credentials ([NAME]); no source is consulted at all.",
    fix="Use one of the profiles that exist, or create the profile "
    "(`aws configure --profile NAME`).",
)
EMPTY_PROFILE_NAME = define(
    f"{CONFIG}.empty_profile_name",
    title="The profile name is empty.",
    why="botocore takes the first of AWS_DEFAULT_PROFILE and AWS_PROFILE that is set, "
    "even to an empty string, and then looks for a profile named ''; it does not "
    "fall back to 'default' or to the other variable.",
    fix="Unset the empty variable, or give it a profile name.",
)
PROFILE_IN_BOTH = define(
    f"{CONFIG}.profile_in_both_files",
    title="The profile is defined in both the credentials and the config file.",
    why="botocore merges the two sections key by key for settings, and the "
    "credentials file's value wins on a clash. For credentials, the "
    "credentials-file source comes first in the chain and only sees its own file.",
    fix="Keep credential keys in ~/.aws/credentials and other settings in "
    "~/.aws/config, and remove the duplicates.",
)
DEFAULT_TWICE = define(
    f"{CONFIG}.default_defined_twice",
    title="The config file has both [default] and [profile default].",
    why="Both headers name the profile 'default'; botocore silently keeps only the "
    "one that comes later in the file.",
    fix="Merge them into one [default] section.",
)
RAISED = _both(
    "error",
    title="Reading the {file} raised an error.",
    why="botocore stops the chain at the first source that raises.",
    fix="Correct what the error names.",
)


@attrs.frozen
class _File:
    method: str
    setting: str
    origin: str  # "env", "session" or "default"
    scan: _ini.Scan

    @property
    def label(self) -> str:
        return _LABEL[self.method]

    @property
    def variable(self) -> str:
        return _VARIABLE[self.method]

    @property
    def path(self) -> str:
        return self.scan.path


@attrs.frozen
class _Finding:
    code: str
    status: Status
    summary: str
    hints: tuple[str, ...] = ()
    line: int | None = None
    details: dict[str, Any] = attrs.field(factory=dict)


def _file(ctx: ReplayContext, method: str, provider: Any) -> _File:
    attr = "_creds_filename" if method == CREDS else "_config_filename"
    setting = getattr(provider, attr, None) if provider is not None else None
    if setting is None:
        try:
            setting = ctx.session.get_config_variable(_SETTING[method])
        except Exception:
            setting = None
    if setting is None:
        setting = f"~/.aws/{_DEFAULT_NAME[method]}"
    variable = _VARIABLE[method]
    if ctx.session.instance_variables().get(_SETTING[method]) is not None:
        origin = "session"
    elif variable in ctx.environ:
        origin = "env"
    else:
        origin = "default"
    path = os.path.abspath(ctx.expand_path(str(setting)))
    scan = _scan_cached(ctx, path)
    ctx.secrets.update(_ini.value_secrets(scan))
    return _File(method=method, setting=str(setting), origin=origin, scan=scan)


def _scan_cached(ctx: ReplayContext, path: str) -> _ini.Scan:
    del ctx  # files are small; each explainer reads them afresh
    return _ini.scan(path)


def _profile_name(ctx: ReplayContext, provider: Any) -> str:
    name = getattr(provider, "_profile_name", None) if provider is not None else None
    return str(name) if name is not None else ctx.profile.name


def _header_for(method: str, profile: str) -> str:
    if method == CONFIG and profile != "default":
        return f"[profile {profile}]"
    return f"[{profile}]"


def _section(f: _File, profile: str) -> _ini.Section | None:
    """The section botocore reads for *profile* in *f* (the last that maps to it)."""
    found = None
    for section in f.scan.sections:
        if _botocore_name(f.method, section.name) == profile:
            found = section
    return found


def _botocore_name(method: str, header: str) -> str | None:
    """The profile name botocore gives a header, or ``None`` if it is no profile."""
    if header == "DEFAULT":
        return None
    if method == CREDS:
        return header
    if header.startswith("profile"):
        import shlex  # noqa: PLC0415

        try:
            parts = shlex.split(header)
        except ValueError:
            return None
        return parts[1] if len(parts) == 2 else None
    if header == "default":
        return "default"
    return None


def _intended_name(method: str, header: str) -> str | None:
    """What the author of a header most likely meant as profile name."""
    if header.startswith(("sso-session", "services")) and method == CONFIG:
        return None
    name = header.strip()
    if name.startswith("profile"):
        name = name[len("profile") :].strip(" -_:")
    return name or None


def _where(f: _File, line: int | None) -> str:
    return f.scan.where(line)


def _quote(f: _File, line: int | None, ctx: ReplayContext) -> str:
    text = _ini.safe_line(f.scan, line, ctx.secrets).strip()
    return f"`{text}`" if text else ""


# --- explainers ----------------------------------------------------------------


def explain_credentials(
    ctx: ReplayContext, provider: Any, attempt: Attempt | None
) -> SourceReport:
    """Explain the shared credentials file source (``shared-credentials-file``)."""
    return _explain(ctx, CREDS, provider, attempt)


def explain_config(
    ctx: ReplayContext, provider: Any, attempt: Attempt | None
) -> SourceReport:
    """Explain the config file source (``config-file``), and ProfileNotFound."""
    return _explain(ctx, CONFIG, provider, attempt)


def _explain(
    ctx: ReplayContext, method: str, provider: Any, attempt: Attempt | None
) -> SourceReport:
    f = _file(ctx, method, provider)
    profile = _profile_name(ctx, provider)
    predicted = False
    if attempt is None and provider is not None:
        attempt, predicted = _load(provider, method), True
    details: dict[str, Any] = {
        "path": f.path,
        "path_from": {"env": f.variable, "session": "session"}.get(f.origin, "default"),
        "profile": profile,
        "file_exists": f.scan.exists and not f.scan.is_dir and not f.scan.special,
    }
    if attempt is not None and attempt.result == "raised" and attempt.error is not None:
        finding = _explain_error(ctx, f, profile, attempt.error)
    elif attempt is not None and attempt.result == "found":
        finding = _explain_found(f, profile)
    else:
        finding = _explain_none(ctx, f, profile)
    extra = _secondary(ctx, f, profile, finding)
    details.update(finding.details)
    section = _section(f, profile)
    access = section.key(ACCESS) if section is not None else None
    if access is not None and access.value:
        details["access_key_id"] = _ini.show_key_id(access.value)
    if finding.line is not None:
        details["line"] = finding.line
        details["line_text"] = _ini.safe_line(f.scan, finding.line, ctx.secrets).strip()
    if extra:
        details["findings"] = [
            {"code": x.code, "summary": x.summary, "line": x.line} for x in extra
        ]
    hints = list(finding.hints)
    for x in extra:
        hints.extend(h for h in x.hints if h not in hints)
    if predicted:
        details["predicted"] = True
        if attempt is not None and attempt.result == "raised":
            details["stops_chain"] = True
    return SourceReport(
        source=method,
        status=finding.status,
        code=finding.code,
        summary=finding.summary,
        hints=tuple(hints),
        duration_ms=None if attempt is None or predicted else attempt.duration_ms,
        details=details,
    )


def _load(provider: Any, method: str) -> Attempt:
    """Run a shared-file provider (it only reads its file)."""
    start = time.perf_counter()
    error: BaseException | None = None
    try:
        creds = provider.load()
    except Exception as exc:
        result, error = "raised", exc
    else:
        result = "none" if creds is None else "found"
    return Attempt(
        method=method,
        result=result,
        duration_ms=(time.perf_counter() - start) * 1000,
        error=error,
    )


def _explain_error(
    ctx: ReplayContext, f: _File, profile: str, error: BaseException
) -> _Finding:
    name = type(error).__name__
    if name == "ConfigParseError":
        path = str(getattr(error, "kwargs", {}).get("path", "") or "")
        target = f
        if path and os.path.abspath(path) != f.path:
            other = CONFIG if f.method == CREDS else CREDS
            candidate = _file(ctx, other, None)
            if candidate.path == os.path.abspath(path):
                target = candidate
        return _parse_finding(ctx, target, error)
    if name == "ProfileNotFound":
        wanted = getattr(error, "kwargs", {}).get("profile", profile)
        return _profile_not_found(ctx, str(wanted))
    if name == "PartialCredentialsError":
        return _partial(ctx, f, profile)
    return _Finding(
        code=RAISED[f.method],
        status=Status.MISCONFIGURED,
        summary=f"reading {f.path} raised {error_text(ctx, error)}",
        hints=("Correct what the error names.",),
    )


# --- parse errors ------------------------------------------------------------


def _parse_finding(ctx: ReplayContext, f: _File, error: BaseException) -> _Finding:
    inner = getattr(error, "kwargs", {}).get("error")
    problem = f.scan.problem
    line = problem.line if problem is not None else getattr(inner, "lineno", None)
    kind = problem.kind if problem is not None else "other"
    where = _where(f, line)
    quoted = _quote(f, line, ctx)
    parser = type(inner).__name__ if inner is not None else "unknown"
    note = f" (botocore's message names only the file; the parser said {parser})"
    method = f.method
    if kind == "bom":
        return _Finding(
            BOM[method],
            Status.MISCONFIGURED,
            f"{f.path} starts with a UTF-8 byte-order mark (BOM) before its first "
            f"line, so botocore cannot parse the {f.label}{note}.",
            (
                f"Remove the BOM: `sed -i '1s/^\\xEF\\xBB\\xBF//' {f.path}` "
                "(or save as 'UTF-8' without BOM in your editor).",
                "In Windows PowerShell 5, write the file with `-Encoding ascii`, not "
                "`-Encoding utf8`, which adds a BOM.",
            ),
            1,
        )
    if kind == "decode":
        detail = problem.detail if problem is not None else {}
        encoding = detail.get("encoding", _ini.botocore_encoding())
        byte = detail.get("byte", "")
        locale_vars = (
            ", ".join(
                f"{v}={ctx.environ[v]!r}"
                for v in ("LC_ALL", "LC_CTYPE", "LANG")
                if v in ctx.environ
            )
            or "no LC_ALL, LC_CTYPE or LANG set"
        )
        hints: list[str] = []
        if encoding.lower().replace("-", "") not in ("utf8", "utf_8"):
            hints.append(
                f"Python decodes files here as {encoding} because of the locale "
                f"({locale_vars}): `export LANG=C.UTF-8` or `export PYTHONUTF8=1`."
            )
        hints.append(
            f"Save {f.path} as UTF-8 (for Latin-1 text: `iconv -f latin1 -t utf-8 "
            f"{f.path} > {f.path}.new && mv {f.path}.new {f.path}`)."
        )
        return _Finding(
            DECODE[method],
            Status.MISCONFIGURED,
            f"{where} holds the byte {byte or '?'}, which is not valid {encoding}, "
            f"the encoding Python reads files with here ({locale_vars}){note}.",
            tuple(hints),
            line,
        )
    section = (problem.detail.get("section") if problem is not None else None) or ""
    if kind == "key_before_section":
        return _Finding(
            KEY_BEFORE_SECTION[method],
            Status.MISCONFIGURED,
            f"{where}: {quoted} comes before any [section] header{note}.",
            (
                f"Put a header such as {_header_for(method, 'default')} above line "
                f"{line} of {f.path}, or delete the line.",
            ),
            line,
        )
    if kind == "duplicate_section":
        first = next((s.line for s in f.scan.sections if s.name == section), None)
        return _Finding(
            DUPLICATE_SECTION[method],
            Status.MISCONFIGURED,
            f"[{section}] appears twice in {f.path}: lines {first} and {line}{note}.",
            (f"Merge the section at {where} into the one at line {first}.",),
            line,
        )
    if kind == "duplicate_key":
        key = problem.detail.get("key", "") if problem is not None else ""
        first = _first_key_line(f.scan, section, key)
        return _Finding(
            DUPLICATE_KEY[method],
            Status.MISCONFIGURED,
            f"{key} appears twice in [{section}] of {f.path}: lines {first} and "
            f"{line} (key names are case-insensitive){note}.",
            (f"Delete one of the two lines ({f.path}:{first} or {where}).",),
            line,
        )
    if kind == "no_delimiter":
        previous = _previous_key(f.scan, line)
        hints = [
            f"Write line {line} of {f.path} as `key = value`, or start it with `#`."
        ]
        if previous is not None:
            hints.insert(
                0,
                f"If it is the rest of {previous.key} on line {previous.number} that "
                "wrapped, join the two lines.",
            )
        return _Finding(
            NO_DELIMITER[method],
            Status.MISCONFIGURED,
            f"{where}: {quoted} in [{section}] has no `=`{note}.",
            tuple(hints),
            line,
        )
    if kind == "nested_without_equals":
        key = problem.detail.get("key", "") if problem is not None else ""
        return _Finding(
            NESTED_NO_EQUALS[method],
            Status.MISCONFIGURED,
            f"{where}: {quoted} is indented under `{key} =` (an empty value), so "
            f"botocore reads it as a nested `name = value` setting, and it has no "
            f"`=`{note}.",
            (
                f"Un-indent line {line} of {f.path}, or give {key} a value on its own "
                "line.",
            ),
            line,
        )
    return _Finding(
        PARSE_OTHER[method],
        Status.MISCONFIGURED,
        f"botocore could not parse {f.path}: {error_text(ctx, inner or error)}",
        ("Correct the line the error names.",),
        line,
    )


def _first_key_line(scan: _ini.Scan, section: str, key: str) -> int | None:
    for line in scan.lines:
        if line.kind == "key" and line.section == section and line.key == key:
            return line.number
    return None


def _previous_key(scan: _ini.Scan, number: int | None) -> _ini.Line | None:
    if number is None:
        return None
    for line in reversed(scan.lines[: number - 1]):
        if line.kind == "key":
            return line
        if line.kind == "section":
            return None
    return None


# --- found ---------------------------------------------------------------------


def _explain_found(f: _File, profile: str) -> _Finding:
    section = _section(f, profile)
    header = _header_for(f.method, profile)
    default_section = f.scan.section("DEFAULT")
    if section is None or section.key(ACCESS) is None:
        if default_section is not None and default_section.key(ACCESS) is not None:
            line = default_section.line
            return _Finding(
                SECTION_DEFAULT_UPPER[f.method],
                Status.FOUND,
                f"the key id botocore uses for profile {profile!r} comes from "
                f"[DEFAULT] at {_where(f, line)}, which Python's configparser copies "
                f"into every section of the {f.label}.",
                (
                    f"Rename [DEFAULT] at {_where(f, line)} to [default] unless you "
                    "really want its keys in every profile.",
                ),
                line,
            )
        return _Finding(
            FOUND[f.method],
            Status.FOUND,
            f"{header} in {f.path} holds aws_access_key_id and aws_secret_access_key.",
        )
    access = section.key(ACCESS)
    assert access is not None
    warning = _value_warning(f, section)
    if warning is not None:
        return warning
    kind = key_kind(access.value)
    return _Finding(
        FOUND[f.method],
        Status.FOUND,
        f"{header} at {_where(f, section.line)} holds aws_access_key_id "
        f"({_ini.show_key_id(access.value)}" + (f", {kind}" if kind else "") + ") and "
        "aws_secret_access_key.",
    )


def _value_warning(f: _File, section: _ini.Section) -> _Finding | None:
    """A credential value botocore accepts but AWS will reject."""
    header = f"[{section.name}]"
    for key in section.keys:
        if key.name not in (ACCESS, SECRET, *TOKENS):
            continue
        where = _where(f, key.line)
        value = key.value
        if not value and key.continuation:
            nested = ", ".join(n for n, _ in _ini.nested_pairs(f.scan, key))
            return _Finding(
                VALUE_NESTED[f.method],
                Status.FOUND,
                f"{key.name} at {where} has no value, so the indented lines below it "
                f"({nested}) become a nested block, and botocore passes that block to "
                "AWS as the value.",
                (f"Give {key.name} its value on line {key.line} of {f.path}.",),
                key.line,
            )
        if not value:
            return _Finding(
                VALUE_EMPTY[f.method],
                Status.FOUND,
                f"{key.name} in {header} at {where} is empty; botocore uses the empty "
                "value and AWS will reject every request.",
                (f"Fill in {key.name} on line {key.line} of {f.path}.",),
                key.line,
            )
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            return _Finding(
                VALUE_QUOTED[f.method],
                Status.FOUND,
                f"the value of {key.name} at {where} is in {value[0]} quotes, and "
                "botocore keeps them: AWS will reject the signature.",
                (
                    f"Remove the quotes around the value on line {key.line} of "
                    f"{f.path}.",
                ),
                key.line,
            )
        for mark in (" #", " ;", "\t#", "\t;"):
            if mark in value:
                return _Finding(
                    VALUE_COMMENT[f.method],
                    Status.FOUND,
                    f"the value of {key.name} at {where} ends with a comment "
                    f"(`{mark.strip()} ...`), which botocore keeps as part of the "
                    "value: AWS will reject it.",
                    (
                        f"Move the comment on line {key.line} of {f.path} to a line of "
                        "its own.",
                    ),
                    key.line,
                )
    access = section.key(ACCESS)
    if access is not None and access.value and not looks_like_key_id(access.value):
        return _Finding(
            KEY_ID_SHAPE[f.method],
            Status.FOUND,
            f"aws_access_key_id at {_where(f, access.line)} "
            f"({_describe_key_id(access.value)}) does not look like an access key id "
            "(20 upper-case letters and digits starting with AKIA or ASIA).",
            (
                f"Copy the key id again into line {access.line} of {f.path}"
                + (
                    "; it looks like a secret key: are the key id and secret swapped?"
                    if _looks_like_secret(access.value)
                    else "."
                ),
            ),
            access.line,
        )
    if (
        access is not None
        and access.value.startswith("ASIA")
        and not any(section.key(t) for t in TOKENS)
    ):
        return _Finding(
            TEMP_NO_TOKEN[f.method],
            Status.FOUND,
            f"aws_access_key_id at {_where(f, access.line)} is a temporary key (ASIA) "
            f"but [{section.name}] has no aws_session_token: AWS will reject it.",
            (
                f"Add `aws_session_token = <the token issued with this key>` under "
                f"[{section.name}] in {f.path}.",
            ),
            access.line,
        )
    return None


def _looks_like_secret(value: str) -> bool:
    return len(value) >= 30 and any(c.islower() for c in value)


def _describe_key_id(value: str) -> str:
    if _looks_like_secret(value):
        return f"{len(value)} characters, mixed case"
    return f"{mask_key_id(value)}, {len(value)} characters"


# --- partial ------------------------------------------------------------------


def _partial(ctx: ReplayContext, f: _File, profile: str) -> _Finding:
    section = _section(f, profile)
    header = _header_for(f.method, profile)
    access = section.key(ACCESS) if section is not None else None
    at = _where(f, access.line if access else (section.line if section else None))
    why = _missing_key_reason(ctx, f, section, SECRET)
    if why is not None:
        return attrs.evolve(why, status=Status.MISCONFIGURED)
    other = _file(ctx, CONFIG if f.method == CREDS else CREDS, None)
    other_section = _section(other, profile)
    if other_section is not None and other_section.key(SECRET) is not None:
        secret_line = other_section.key(SECRET).line  # type: ignore[union-attr]
        return _Finding(
            SPLIT[f.method],
            Status.MISCONFIGURED,
            f"profile {profile!r} has aws_access_key_id in {f.path} ({at}) but its "
            f"aws_secret_access_key in the other file, {_where(other, secret_line)}; "
            f"botocore reads each file on its own and stops at this partial profile.",
            (
                f"Move aws_secret_access_key from {_where(other, secret_line)} to "
                f"{header} in {f.path}, next to the key id.",
            ),
            access.line if access else None,
        )
    return _Finding(
        PARTIAL[f.method],
        Status.MISCONFIGURED,
        f"{header} at {at} has aws_access_key_id"
        + (f" ({_ini.show_key_id(access.value)})" if access and access.value else "")
        + " but no aws_secret_access_key, and botocore stops the whole chain there.",
        (
            f"Add `aws_secret_access_key = <the secret of this key>` under {header} in "
            f"{f.path}.",
            "Or remove aws_access_key_id from the section if the profile should get "
            "credentials another way.",
        ),
        access.line if access else None,
    )


def _missing_key_reason(
    ctx: ReplayContext, f: _File, section: _ini.Section | None, wanted: str
) -> _Finding | None:
    """Why *wanted* is missing from *section*: swallowed, misspelled or nested."""
    if section is None:
        return None
    header = f"[{section.name}]"
    # Swallowed into the previous value by indentation.
    for key in section.keys:
        for number in key.continuation:
            text = f.scan.lines[number - 1].text.strip()
            name = text.split("=", 1)[0].split(":", 1)[0].strip().lower()
            if name == wanted and key.value:
                return _Finding(
                    KEY_SWALLOWED[f.method],
                    Status.MISCONFIGURED,
                    f"{_where(f, number)}: {_quote(f, number, ctx)} is indented, so "
                    f"configparser reads it as part of the value of {key.name} on "
                    f"line {key.line}, and {header} has no {wanted}.",
                    (
                        f"Remove the indentation at the start of line {number} of "
                        f"{f.path}.",
                    ),
                    number,
                )
            if name == wanted and not key.value:
                return _Finding(
                    VALUE_NESTED[f.method],
                    Status.MISCONFIGURED,
                    f"{_where(f, number)}: {wanted} is indented under "
                    f"`{key.name} =` on "
                    f"line {key.line}, so botocore reads it as a nested setting of "
                    f"{key.name}, not as a key of {header}.",
                    (
                        f"Un-indent line {number} of {f.path}, or give {key.name} a "
                        "value.",
                    ),
                    number,
                )
    # Misspelled.
    names = [k.name for k in section.keys]
    for key in section.keys:
        meant = _meant_key(key.name, names)
        if meant == wanted:
            return _Finding(
                KEY_MISSPELLED[f.method],
                Status.MISCONFIGURED,
                f"{header} at {_where(f, key.line)} has {key.raw_name}, which botocore "
                f"does not read; did you mean {wanted}?",
                (f"Rename {key.raw_name} to {wanted} on line {key.line} of {f.path}.",),
                key.line,
            )
    return None


def _meant_key(name: str, present: Sequence[str]) -> str | None:
    """The credential key *name* was probably meant to be, if it is not one."""
    if name in CREDENTIAL_KEYS:
        return None
    normal = name.strip().lower().replace("-", "_").replace(" ", "_")
    meant = _KEY_ALIASES.get(name) or _KEY_ALIASES.get(normal)
    if meant is None:
        if normal in CREDENTIAL_KEYS:
            meant = normal
        else:
            close = difflib.get_close_matches(normal, CREDENTIAL_KEYS, n=1, cutoff=0.85)
            meant = close[0] if close else None
    if meant is None or meant in present:
        return None
    return meant


# --- nothing found -------------------------------------------------------------


def _explain_none(ctx: ReplayContext, f: _File, profile: str) -> _Finding:
    header = _header_for(f.method, profile)
    path_finding = _path_finding(ctx, f)
    if path_finding is not None:
        return path_finding
    if not f.scan.exists:
        return _Finding(
            NOT_CONFIGURED[f.method],
            Status.NOT_CONFIGURED,
            f"{f.path} does not exist" + _home_note(ctx, f) + ".",
        )
    section = _section(f, profile)
    if section is None:
        near = _near_sections(f, profile)
        if near:
            return near[0]
        elsewhere = _located_elsewhere(ctx, f, profile)
        if not elsewhere and profile == "default" and ctx.profile.origin == "default":
            others = _profiles_with_keys(f)
            if others:
                return _no_default(f, others)
        return _Finding(
            NOT_CONFIGURED[f.method],
            Status.NOT_CONFIGURED,
            f"{f.path} has no {header} section{elsewhere}.",
        )
    reason = _missing_key_reason(ctx, f, section, ACCESS)
    if reason is not None:
        return reason
    other_ways = [v for k, v in _OTHER_WAYS.items() if section.key(k) is not None]
    other = _file(ctx, CONFIG if f.method == CREDS else CREDS, None)
    other_section = _section(other, profile)
    if other_ways:
        tail = f"; it gets credentials through {', '.join(other_ways)}"
    elif other_section is not None and other_section.key(ACCESS) is not None:
        tail = f"; the profile's key id is in {other.path}"
    else:
        tail = ""
    return _Finding(
        NOT_CONFIGURED[f.method],
        Status.NOT_CONFIGURED,
        f"{header} at {_where(f, section.line)} has no aws_access_key_id{tail}.",
    )


def _profiles_with_keys(f: _File) -> list[tuple[str, int]]:
    """``(profile, line)`` of every profile of *f* that holds an access key id."""
    found = []
    for section in f.scan.sections:
        name = _botocore_name(f.method, section.name)
        if name is not None and section.key(ACCESS) is not None:
            found.append((name, section.line))
    return found


def _no_default(f: _File, others: list[tuple[str, int]]) -> _Finding:
    listed = ", ".join(
        f"{_header_for(f.method, name)} (line {line})" for name, line in others
    )
    first = others[0][0]
    return _Finding(
        NO_DEFAULT[f.method],
        Status.NOT_CONFIGURED,
        f"no profile was chosen, so botocore reads [default], but {f.path} has keys "
        f"only under {listed}.",
        (
            f"export AWS_PROFILE={first}   (or profile_name={first!r} in code)",
            f"or rename {_header_for(f.method, first)} to "
            f"{_header_for(f.method, 'default')} in {f.path} to make it the default.",
        ),
        others[0][1],
        details={"advice_when_nothing_found": True},
    )


def _located_elsewhere(ctx: ReplayContext, f: _File, profile: str) -> str:
    other = _file(ctx, CONFIG if f.method == CREDS else CREDS, None)
    section = _section(other, profile)
    if section is None:
        return ""
    return f" (profile {profile!r} is in {_where(other, section.line)})"


def _near_sections(f: _File, profile: str) -> list[_Finding]:
    """Sections that look meant for *profile* but that botocore reads otherwise."""
    found: list[_Finding] = []
    header = _header_for(f.method, profile)
    for section in f.scan.sections:
        name = section.name
        where = _where(f, section.line)
        if name == "DEFAULT" and profile == "default":
            found.append(
                _Finding(
                    SECTION_DEFAULT_UPPER[f.method],
                    Status.MISCONFIGURED,
                    f"{where}: [DEFAULT] is not the profile 'default': Python's "
                    "configparser treats [DEFAULT] as defaults for every other "
                    "section.",
                    (f"Rename [DEFAULT] to {header} at {where}.",),
                    section.line,
                )
            )
            continue
        if _botocore_name(f.method, name) == profile:
            continue
        intended = _intended_name(f.method, name)
        if f.method == CREDS and name.startswith("profile ") and intended == profile:
            found.append(
                _Finding(
                    SECTION_PREFIX_IN_CREDENTIALS,
                    Status.MISCONFIGURED,
                    f"{where}: [{name}] in the credentials file is a profile named "
                    f"{name!r}, not {profile!r}: only the config file uses the "
                    "`profile ` prefix.",
                    (f"Rename [{name}] to [{profile}] at {where}.",),
                    section.line,
                )
            )
        elif f.method == CONFIG and name == profile and profile != "default":
            found.append(
                _Finding(
                    SECTION_NO_PREFIX,
                    Status.MISCONFIGURED,
                    f"{where}: [{name}] in the config file is not a profile: botocore "
                    "only reads [profile NAME] sections (and [default]) there.",
                    (f"Rename [{name}] to [profile {profile}] at {where}.",),
                    section.line,
                )
            )
        elif (
            f.method == CONFIG
            and name.startswith("profile")
            and _botocore_name(CONFIG, name) is None
            and intended == profile
        ):
            found.append(
                _Finding(
                    SECTION_GLUED,
                    Status.MISCONFIGURED,
                    f"{where}: botocore drops [{name}]: a profile header must be "
                    "`profile`, one space and the name.",
                    (f"Rename [{name}] to [profile {profile}] at {where}.",),
                    section.line,
                )
            )
        elif intended is not None and _normal(intended) == _normal(profile):
            found.append(
                _Finding(
                    SECTION_CASE[f.method],
                    Status.MISCONFIGURED,
                    f"{where}: [{name}] names a profile "
                    f"{_botocore_name(f.method, name) or intended!r}, "
                    f"not {profile!r}: profile names are case-sensitive and spaces "
                    "inside the brackets count.",
                    (f"Rename [{name}] to {header} at {where}.",),
                    section.line,
                )
            )
    return found


def _normal(name: str) -> str:
    return " ".join(name.split()).lower()


# --- where the file is looked for ---------------------------------------------


def _user_home(user: str | None) -> str | None:
    """The home directory of *user* (default: this process's user) in /etc/passwd."""
    try:
        entry = pwd.getpwnam(user) if user else pwd.getpwuid(os.geteuid())
    except (KeyError, OSError):
        return None
    return entry.pw_dir


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


_COVERING_KEYS = (ACCESS, *_OTHER_WAYS)


def _path_finding(ctx: ReplayContext, f: _File) -> _Finding | None:
    """Why the file could not be read, if it could not.

    A problem of the path is only the root of the failure when nothing else sets up
    the profile; otherwise it is reported, with the same code, as not configured.
    """
    finding = _path_problem(ctx, f)
    if finding is None or finding.status is not Status.MISCONFIGURED:
        return finding
    profile = ctx.profile_config()
    if any(key in profile for key in _COVERING_KEYS):
        return attrs.evolve(finding, status=Status.NOT_CONFIGURED)
    if not f.scan.exists and f.origin == "env":
        # A variable naming a missing file while the other file is in use is
        # rarely why nothing was found (test setups and CI templates do this).
        other = _file(ctx, CONFIG if f.method == CREDS else CREDS, None)
        if other.scan.usable and other.scan.sections:
            return attrs.evolve(finding, status=Status.NOT_CONFIGURED)
    return finding


def _path_problem(ctx: ReplayContext, f: _File) -> _Finding | None:
    scan, method = f.scan, f.method
    from_env = f.origin == "env"
    described = (
        f"{f.variable}={f.setting!r} points at {f.path}"
        if from_env
        else f"the {f.label} {f.path}"
    )
    if scan.is_dir:
        inside = os.path.join(f.path, _DEFAULT_NAME[method])
        return _Finding(
            PATH_IS_DIRECTORY[method],
            Status.MISCONFIGURED,
            f"{described}, which is a directory; botocore silently treats it as no "
            "file.",
            (
                f'export {f.variable}="{inside}"'
                if os.path.isfile(inside)
                else f"Point {f.variable} at the {f.label} itself, not its directory.",
            ),
        )
    if scan.special:
        return _Finding(
            PATH_NOT_FILE[method],
            Status.MISCONFIGURED,
            f"{described}, which is {scan.special}, not a regular file; botocore "
            "silently treats it as no file.",
            (f"Point {f.variable} at the {f.label} itself.",)
            if from_env
            else (f"Replace {f.path} with the real {f.label}.",),
        )
    if scan.exists and not scan.readable:
        try:
            info = os.stat(f.path)
            owner = _user_name(info.st_uid)
            mode = stat.filemode(info.st_mode)
        except OSError:
            owner, mode = "?", "?"
        me = _user_name(os.geteuid())
        return _Finding(
            UNREADABLE[method],
            Status.MISCONFIGURED,
            f"{described}, which exists but user {me!r} cannot read it (owner "
            f"{owner!r}, mode {mode}); botocore silently reads it as empty.",
            (
                f"Run as {owner!r}, or give {me!r} read access: `sudo chmod o+r "
                f"{f.path}` (or `sudo chown {me} {f.path}` if it is {me}'s file).",
            ),
        )
    if scan.exists:
        return None
    other = _other_home_candidate(ctx, f)
    if other is not None:
        candidate, who = other
        return _Finding(
            OTHER_HOME[method],
            Status.MISCONFIGURED,
            f"{described}, which does not exist, but {candidate} does ({who})"
            + _home_note(ctx, f)
            + ".",
            (
                f'export {f.variable}="{candidate}"',
                "Under sudo, keep your HOME: `sudo --preserve-env=HOME,AWS_PROFILE "
                "...` (or `sudo -E`).",
            ),
        )
    if from_env:
        default = os.path.abspath(os.path.expanduser(f"~/.aws/{_DEFAULT_NAME[method]}"))
        relative = not os.path.isabs(os.path.expandvars(os.path.expanduser(f.setting)))
        hints = [f"Correct {f.variable}, or `unset {f.variable}` to use {default}."]
        if os.path.isfile(default):
            hints.insert(0, f"`unset {f.variable}`: {default} exists.")
        return _Finding(
            PATH_MISSING[method],
            Status.MISCONFIGURED,
            f"{described}, which does not exist"
            + (
                f" (a relative path, taken from the working directory {os.getcwd()})"
                if relative
                else ""
            )
            + f"; botocore silently reads no {f.label}.",
            tuple(hints),
        )
    if "HOME" not in ctx.environ:
        return _Finding(
            HOME_UNSET[method],
            Status.NOT_CONFIGURED,
            f"{f.path} does not exist; HOME is not set (cron, systemd), so ~ was "
            f"taken from the password database as {_user_home(None)}.",
            (
                "Set HOME for this process (systemd: `Environment=HOME=/home/USER`), "
                f"or `export {f.variable}=/full/path/to/{_DEFAULT_NAME[method]}`.",
            ),
        )
    return None


def _home_note(ctx: ReplayContext, f: _File) -> str:
    if f.origin != "default":
        return ""
    home = ctx.environ.get("HOME")
    note = f" (~ is HOME, {home})" if home else " (HOME is not set)"
    if "container" in ctx.runtime.kinds:
        note += "; this runs in a container: mount ~/.aws into it"
    return note


def _other_home_candidate(ctx: ReplayContext, f: _File) -> tuple[str, str] | None:
    """The same file in the home of the sudo caller or of this user, if it exists."""
    home = ctx.environ.get("HOME") or _user_home(None) or ""
    try:
        rel = os.path.relpath(f.path, home) if home else None
    except ValueError:
        rel = None
    if rel is None or rel.startswith(".."):
        if f.origin != "default":
            return None
        rel = os.path.join(".aws", _DEFAULT_NAME[f.method])
    candidates: list[tuple[str | None, str]] = []
    sudo_user = ctx.environ.get("SUDO_USER")
    if sudo_user:
        candidates.append(
            (_user_home(sudo_user), f"the home of {sudo_user}, who ran sudo")
        )
    candidates.append(
        (_user_home(None), f"the home of {_user_name(os.geteuid())} in /etc/passwd")
    )
    for other_home, who in candidates:
        if not other_home or os.path.abspath(other_home) == os.path.abspath(home):
            continue
        candidate = os.path.join(other_home, rel)
        if os.path.isfile(candidate):
            return candidate, who
    return None


# --- ProfileNotFound -----------------------------------------------------------


@attrs.frozen
class _Entry:
    file: _File
    line: int
    header: str
    name: str | None  # what botocore calls it, None when ignored
    intended: str | None

    def describe(self) -> str:
        where = _where(self.file, self.line)
        if self.header == "DEFAULT":
            return (
                f"[DEFAULT] at {where} (not a profile: its keys go into every section)"
            )
        if self.name is None:
            return (
                f"[{self.header}] at {where} (ignored by botocore: the config file "
                f"needs [profile {self.intended}])"
            )
        if self.file.method == CREDS and self.header.startswith("profile "):
            return (
                f"[{self.header}] at {where} (a profile named {self.name!r}: the "
                "credentials file takes no `profile ` prefix)"
            )
        return f"{self.name!r} ([{self.header}] at {where})"


def _inventory(ctx: ReplayContext) -> tuple[list[_Entry], _File, _File]:
    creds = _file(ctx, CREDS, None)
    config = _file(ctx, CONFIG, None)
    entries: list[_Entry] = []
    for f in (config, creds):
        for section in f.scan.sections:
            intended = _intended_name(f.method, section.name)
            if intended is None:
                continue
            entries.append(
                _Entry(
                    file=f,
                    line=section.line,
                    header=section.name,
                    name=_botocore_name(f.method, section.name),
                    intended=intended,
                )
            )
    return entries, creds, config


def _profile_not_found(ctx: ReplayContext, wanted: str) -> _Finding:
    entries, creds, config = _inventory(ctx)
    origin = _origin_text(ctx, wanted)
    if wanted == "" and ctx.profile.origin != "argument":
        variable = next(
            (v for v in ("AWS_DEFAULT_PROFILE", "AWS_PROFILE") if v in ctx.environ),
            None,
        )
        other = (
            ctx.environ.get("AWS_PROFILE")
            if variable == "AWS_DEFAULT_PROFILE"
            else None
        )
        unset_hint = [
            f"`unset {variable}`"
            + (
                f" (AWS_PROFILE={other!r} is then used)"
                if other
                else " (the profile 'default' is then used)"
            )
        ]
        return _Finding(
            EMPTY_PROFILE_NAME,
            Status.MISCONFIGURED,
            f"{variable} is set to an empty string, so botocore looks for a profile "
            "named '' (it does not fall back to 'default'"
            + (f" nor to AWS_PROFILE={other!r}" if other else "")
            + ").",
            tuple(unset_hint),
        )
    usable = [e for e in entries if e.name is not None]
    names = sorted({e.name for e in usable if e.name is not None})
    exact_intended = [e for e in entries if e.name != wanted and e.intended == wanted]
    close_intended = [
        e
        for e in entries
        if e.name != wanted
        and e.intended is not None
        and e not in exact_intended
        and _normal(e.intended) == _normal(wanted)
    ]
    files_text = _files_text(creds, config)
    hints = []
    if exact_intended or close_intended:
        entry = (exact_intended or close_intended)[0]
        target = _header_for(entry.file.method, wanted)
        problem = entry.describe()
        summary = (
            f"profile {wanted!r}{origin} is not defined for botocore: the section "
            f"meant for it is {problem}."
        )
        hints.append(
            f"Rename [{entry.header}] to {target} at {_where(entry.file, entry.line)}."
        )
    else:
        candidates = names + [
            e.intended for e in entries if e.name is None and e.intended is not None
        ]
        close = difflib.get_close_matches(wanted, candidates, n=3, cutoff=0.6)
        lowered = [
            c for c in candidates if c.lower() == wanted.lower() and c not in close
        ]
        close = lowered + close
        mean = f"; did you mean {_or_list(close)}?" if close else "."
        summary = f"profile {wanted!r}{origin} is in neither {files_text}{mean}"
        if close:
            best = close[0]
            if best in names:
                hints.append(_use_profile_hint(ctx, best))
            else:
                entry = next(
                    e for e in entries if e.name is None and e.intended == best
                )
                hints.append(
                    f"If you meant {best!r}: rename [{entry.header}] to "
                    f"{_header_for(entry.file.method, best)} at "
                    f"{_where(entry.file, entry.line)}, then "
                    + _use_profile_hint(ctx, best)[0].lower()
                    + _use_profile_hint(ctx, best)[1:]
                )
    if usable:
        hints.append(
            "Profiles botocore can use: "
            + "; ".join(
                e.describe()
                for e in usable
                if not (e.file.method == CREDS and e.header.startswith("profile "))
            )
            + "."
        )
    else:
        hints.append(f"No profile is defined in {files_text}.")
    ignored = [
        e
        for e in entries
        if e.name is None
        or (e.file.method == CREDS and e.header.startswith("profile "))
    ]
    ignored = [e for e in ignored if e not in exact_intended + close_intended]
    if ignored:
        hints.append(
            "Not usable as written: " + "; ".join(e.describe() for e in ignored) + "."
        )
    for f in (creds, config):
        path_finding = _path_finding(ctx, f)
        if path_finding is not None:
            hints.append(path_finding.summary[0].upper() + path_finding.summary[1:])
    hints.extend(_selection_hints(ctx, wanted, names))
    hints.append(
        f"Or create it: `aws configure --profile {wanted}` (keys), or "
        f"`aws configure sso --profile {wanted}`."
    )
    profiles = [
        {
            "file": e.file.path,
            "line": e.line,
            "section": f"[{e.header}]",
            "profile": e.name,
            "usable": e.name is not None,
        }
        for e in entries
    ]
    return _Finding(
        PROFILE_NOT_FOUND,
        Status.MISCONFIGURED,
        summary,
        tuple(hints),
        details={"wanted": wanted, "profiles": profiles},
    )


def _files_text(creds: _File, config: _File) -> str:
    def one(f: _File) -> str:
        if f.scan.is_dir:
            return f"{f.path} (a directory)"
        if not f.scan.exists:
            return f"{f.path} (missing)"
        if not f.scan.readable:
            return f"{f.path} (unreadable)"
        return f.path

    return f"{one(creds)} nor {one(config)}"


def _or_list(items: Iterable[str]) -> str:
    quoted = [repr(i) for i in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _origin_text(ctx: ReplayContext, wanted: str) -> str:
    origin = ctx.profile.origin
    if origin == "argument":
        return " (passed as profile_name)"
    if (
        origin in ("AWS_DEFAULT_PROFILE", "AWS_PROFILE")
        and ctx.environ.get(origin) == wanted
    ):
        return f" (from {origin})"
    return ""


def _use_profile_hint(ctx: ReplayContext, name: str) -> str:
    origin = ctx.profile.origin
    if origin == "argument":
        return f"Pass profile_name={name!r}."
    if origin == "AWS_DEFAULT_PROFILE":
        return f"export AWS_DEFAULT_PROFILE={name}"
    return f"export AWS_PROFILE={name}"


def _selection_hints(
    ctx: ReplayContext, wanted: str, names: Sequence[str]
) -> list[str]:
    env = ctx.environ
    if ctx.profile.origin != "AWS_DEFAULT_PROFILE" or "AWS_PROFILE" not in env:
        return []
    other = env["AWS_PROFILE"]
    if other == wanted:
        return []
    tail = " (that profile exists)" if other in names else ""
    return [
        f"AWS_DEFAULT_PROFILE={wanted!r} overrides AWS_PROFILE={other!r} in botocore: "
        f"`unset AWS_DEFAULT_PROFILE` to use {other!r}{tail}."
    ]


# --- secondary findings ----------------------------------------------------------


def _secondary(
    ctx: ReplayContext, f: _File, profile: str, primary: _Finding
) -> list[_Finding]:
    """Findings worth knowing besides the main one (no status of their own)."""
    found: list[_Finding] = []
    if primary.code == PROFILE_NOT_FOUND or not f.scan.usable:
        return found
    if f.method == CONFIG:
        defaults = [
            s for s in f.scan.sections if s.name in ("default", "profile default")
        ]
        if len({s.name for s in defaults}) > 1:
            kept = defaults[-1]
            found.append(
                _Finding(
                    DEFAULT_TWICE,
                    Status.NOT_CONFIGURED,
                    f"{f.path} has both [default] and [profile default]; botocore "
                    "keeps "
                    f"only [{kept.name}] at line {kept.line}.",
                    (f"Merge the two 'default' sections of {f.path} into one.",),
                    kept.line,
                )
            )
        creds = _file(ctx, CREDS, None)
        mine, theirs = _section(f, profile), _section(creds, profile)
        if mine is not None and theirs is not None:
            clash = sorted({k.name for k in mine.keys} & {k.name for k in theirs.keys})
            if clash:
                found.append(
                    _Finding(
                        PROFILE_IN_BOTH,
                        Status.NOT_CONFIGURED,
                        f"profile {profile!r} is in both "
                        f"{_where(creds, theirs.line)} and {_where(f, mine.line)}; "
                        f"for {', '.join(clash)} the credentials "
                        "file's value wins.",
                        (
                            f"Remove {', '.join(clash)} from one of the two files to "
                            "avoid surprises.",
                        ),
                        mine.line,
                    )
                )
    return found


#: The explainer of each METHOD this module covers.
EXPLAINERS: dict[str, Explainer] = {
    CREDS: explain_credentials,
    CONFIG: explain_config,
}
