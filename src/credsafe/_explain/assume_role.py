"""Explain the ``assume-role`` source (``role_arn`` with a source).

botocore's ``AssumeRoleProvider.load()`` resolves the *source* credentials eagerly
(which can run a ``credential_process`` or call IMDS) and defers the STS call and
the MFA prompt to the first request. The diagnosis therefore never calls
``load()``: it walks the same configuration statically, the way botocore would
(``_get_role_config``, ``_validate_source_profile``, the source sub-chain), and
explains the error botocore really raised when the resolution was recorded.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from typing import Any

import attrs

from .._codes import define
from .._model import SourceReport, Status
from .._recording import Attempt
from .._redact import mask_key_id
from . import process as process_explainer
from ._base import Explainer, ReplayContext, error_text, error_to_explain
from ._roles import Finding, can_prompt, check_role_arn, is_true, locate

METHOD = "assume-role"
CREDENTIAL_SOURCES = ("Environment", "Ec2InstanceMetadata", "EcsContainer")
MIN_DURATION, MAX_DURATION = 900, 43200
#: Where Linux exposes the machine's DMI data (read to tell EC2 from elsewhere).
DMI_DIR = "/sys/devices/virtual/dmi/id"
HYPERVISOR_UUID = "/sys/hypervisor/uuid"

FOUND = define(
    "assume-role.found",
    title="The profile assumes an IAM role with credentials from its source.",
    why="With role_arn and a source_profile or credential_source, botocore "
    "resolves the source credentials and calls STS AssumeRole when the first "
    "request is signed.",
    fix="Nothing to fix.",
)
NOT_CONFIGURED = define(
    "assume-role.not_configured",
    title="The profile has no role_arn.",
    why="botocore only assumes a role when the profile sets role_arn (without "
    "web_identity_token_file, which belongs to the web-identity source).",
    fix="Nothing to fix, unless you meant to assume a role.",
)
NO_SOURCE = define(
    "assume-role.no_source",
    title="role_arn is set without source_profile or credential_source.",
    why="botocore needs credentials to call STS AssumeRole with; without a source "
    "it raises PartialCredentialsError, which stops the chain.",
    fix="Add source_profile = <profile with credentials>, or credential_source = "
    "Environment | Ec2InstanceMetadata | EcsContainer.",
)
BOTH_SOURCES = define(
    "assume-role.both_sources",
    title="The profile sets both source_profile and credential_source.",
    why="botocore refuses to guess which one is meant and raises "
    "InvalidConfigError, which stops the chain.",
    fix="Keep exactly one of the two keys.",
)
SOURCE_PROFILE_MISSING = define(
    "assume-role.source_profile_missing",
    title="source_profile names a profile that does not exist.",
    why="botocore looks the source profile up in the merged config and "
    "credentials files and raises InvalidConfigError when it is absent.",
    fix="Create the profile, or correct the name in source_profile.",
)
LOOP = define(
    "assume-role.loop",
    title="source_profile references form a cycle.",
    why="botocore follows source_profile from profile to profile; when it reaches "
    "one it already visited it raises InfiniteLoopConfigError. A profile may name "
    "itself only if it holds static keys.",
    fix="Point the last profile of the cycle at a profile with credentials.",
)
STALE_STATE = define(
    "assume-role.stale_provider_state",
    title="botocore reports a loop that is not in the configuration.",
    why="botocore's AssumeRoleProvider remembers the profiles it visited and never "
    "forgets them (boto/botocore#1780): after one failed attempt on a session, "
    "every later attempt on the same session raises InfiniteLoopConfigError.",
    fix="Fix the first error (see the summary), then create a new session.",
)
INVALID_CREDENTIAL_SOURCE = define(
    "assume-role.invalid_credential_source",
    title="credential_source is not one of the names botocore accepts.",
    why="botocore accepts exactly Environment, Ec2InstanceMetadata and "
    "EcsContainer (case-sensitive) and raises InvalidConfigError otherwise.",
    fix="Use one of the three names, spelled exactly.",
)
CREDENTIAL_SOURCE_EMPTY = define(
    "assume-role.credential_source_unavailable",
    title="The credential_source gives no credentials here.",
    why="botocore reads the named source (environment variables, the container "
    "endpoint or the EC2 instance metadata service) and raises "
    "CredentialRetrievalError when it gives nothing; the chain stops there.",
    fix="Run where that source exists, or use source_profile instead.",
)
SOURCE_NO_CREDENTIALS = define(
    "assume-role.source_profile_no_credentials",
    title="The source profile holds no credentials.",
    why="botocore resolves the source profile's own credentials (keys, SSO, "
    "web identity, credential_process, or another role) and raises "
    "InvalidConfigError when it has none.",
    fix="Add credentials to the source profile, or point source_profile at a "
    "profile that has them.",
)
SOURCE_PARTIAL = define(
    "assume-role.source_profile_partial",
    title="The source profile has an access key id without its secret.",
    why="botocore raises PartialCredentialsError for the source profile and the "
    "chain stops there.",
    fix="Add aws_secret_access_key to the source profile.",
)
SOURCE_FAILED = define(
    "assume-role.source_failed",
    title="Resolving the source credentials raised an error.",
    why="botocore resolves the source credentials inside the assume-role source; "
    "any error there (a failing credential_process, a broken SSO or web-identity "
    "setup) stops the chain.",
    fix="Fix the source profile; its own explanation names the problem.",
)
MALFORMED_ARN = define(
    "assume-role.malformed_role_arn",
    title="role_arn is not a valid IAM role ARN.",
    why="botocore passes role_arn to STS unchecked; STS rejects anything but "
    "arn:<partition>:iam::<12-digit account>:role/<name> at the first request.",
    fix="Copy the role's ARN from the IAM console into role_arn.",
)
MFA_NO_TTY = define(
    "assume-role.mfa_no_terminal",
    title="mfa_serial is set but nobody can answer the MFA prompt.",
    why="botocore asks for the MFA code with getpass on the terminal at the first "
    "request; without a terminal (cron, CI, a service, a container) the prompt "
    "fails (EOFError) and so does the request.",
    fix="Use a profile without mfa_serial where no one can type, or get session "
    "credentials beforehand (aws sts get-session-token --serial-number ... "
    "--token-code ...).",
)
MFA_REFRESH = define(
    "assume-role.mfa_refresh_unsupported",
    title="The MFA-protected role credentials expired and botocore cannot renew them.",
    why="botocore prompts for the MFA code only once per session; when the "
    "assumed-role credentials expire it raises RefreshWithMFAUnsupportedError.",
    fix="Create a new session (it prompts again), or raise duration_seconds up to "
    "the role's maximum session duration.",
)
DURATION_IGNORED = define(
    "assume-role.duration_ignored",
    title="duration_seconds is not a whole number, and botocore silently drops it.",
    why="botocore converts duration_seconds with int(); on failure it ignores the "
    "value without a warning and STS uses its default of one hour.",
    fix="Write duration_seconds as a whole number of seconds (e.g. 3600).",
)
DURATION_RANGE = define(
    "assume-role.duration_out_of_range",
    title="duration_seconds is outside what STS accepts (900 to 43200).",
    why="botocore sends duration_seconds to STS, which rejects values below 900 "
    "seconds or above 43200 (and above the role's maximum session duration) at "
    "the first request.",
    fix="Use a value from 900 to the role's maximum session duration (1 hour by "
    "default; at most 12 hours).",
)
RAISED = define(
    "assume-role.error",
    title="The assume-role source raised an error.",
    why="botocore stops the chain at the first provider that raises.",
    fix="Correct what the error names.",
)

_DISPLAY = {
    "Environment": "the environment variables AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY",
    "EcsContainer": "the container credentials endpoint",
    "Ec2InstanceMetadata": "the EC2 instance metadata service (the instance profile)",
}


@attrs.frozen
class _Plan:
    """What botocore would do, statically: the roles, the source, and the outcome.

    Attributes:
        roles: ``(profile, role_arn)`` of every role assumed, first is the profile
            diagnosed (botocore assumes them from the last to the first).
        source: Where the first credentials come from, in words.
        finding: The problem, if botocore would raise or the credentials would
            fail; ``None`` when the plan works.
    """

    roles: tuple[tuple[str, str], ...]
    source: str
    finding: Finding | None = None


def explain(ctx: ReplayContext, provider: Any, attempt: Attempt | None) -> SourceReport:
    """Explain the assume-role source from the config and what botocore did."""
    del provider
    profile = ctx.profile.name
    config = ctx.full_config() or {}
    profiles: Mapping[str, Any] = config.get("profiles", {}) or {}
    current = profiles.get(profile, {}) or {}
    duration = None if attempt is None else attempt.duration_ms
    if not _has_role(current) or (attempt is not None and attempt.result == "none"):
        summary = f"profile {profile!r} has no role_arn."
        if "role_arn" in current:
            summary = (
                f"profile {profile!r} has role_arn and web_identity_token_file, so "
                "the web-identity source assumes the role instead."
            )
        return SourceReport(
            source=METHOD,
            status=Status.NOT_CONFIGURED,
            code=NOT_CONFIGURED,
            summary=summary,
            duration_ms=duration,
        )
    plan = _plan(ctx, profiles, profile)
    details: dict[str, Any] = {
        "role_arn": str(current.get("role_arn")),
        "roles": [name for name, _ in plan.roles],
    }
    for key in (
        "source_profile",
        "credential_source",
        "mfa_serial",
        "duration_seconds",
    ):
        if key in current:
            details[key] = str(current[key])
    error, at_call = error_to_explain(ctx, attempt)
    if error is not None:
        explained = _explain_error(ctx, profiles, profile, plan, error)
        details["exception"] = type(error).__name__
        if at_call:
            details["failed_at"] = "first use of the credentials"
        return explained.report(METHOD, duration_ms=duration, extra=details)
    finding = plan.finding
    if finding is not None and finding.status is not Status.FOUND:
        if attempt is None:
            details["stops_chain"] = True
        return finding.report(METHOD, duration_ms=duration, extra=details)
    chain = " -> ".join(repr(arn) for _, arn in reversed(plan.roles))
    when = (
        "botocore calls STS AssumeRole at the first request"
        if attempt is not None
        else "botocore would call STS AssumeRole at the first request (the "
        "diagnosis does not)"
    )
    summary = (
        f"profile {profile!r} assumes {chain} with credentials from {plan.source}; "
        f"{when}."
    )
    if finding is not None:  # a warning that does not stop the credentials
        return attrs.evolve(finding, summary=f"{summary} But {finding.summary}").report(
            METHOD, duration_ms=duration, extra={**details, "deferred": True}
        )
    return SourceReport(
        source=METHOD,
        status=Status.FOUND,
        code=FOUND,
        summary=summary,
        duration_ms=duration,
        details={**details, "deferred": True},
    )


def _has_role(profile: Mapping[str, Any]) -> bool:
    return "role_arn" in profile and "web_identity_token_file" not in profile


def _has_static(profile: Mapping[str, Any]) -> bool:
    return "aws_access_key_id" in profile or "aws_secret_access_key" in profile


def _plan(ctx: ReplayContext, profiles: Mapping[str, Any], top: str) -> _Plan:
    """Walk role_arn/source_profile/credential_source the way botocore does."""
    visited = [top]
    roles: list[tuple[str, str]] = []
    name = top
    while True:
        profile = profiles.get(name, {}) or {}
        roles.append((name, str(profile.get("role_arn"))))
        source_profile = profile.get("source_profile")
        credential_source = profile.get("credential_source")
        if source_profile is not None and credential_source is not None:
            return _Plan(tuple(roles), "?", _both(ctx, name))
        if source_profile is None and credential_source is None:
            return _Plan(tuple(roles), "?", _no_source(ctx, name))
        if credential_source is not None:
            finding = _credential_source(ctx, name, str(credential_source))
            source = _DISPLAY.get(str(credential_source), str(credential_source))
            if finding is not None:
                return _Plan(tuple(roles), source, finding)
            return _Plan(tuple(roles), source, _role_checks(ctx, roles))
        source_name = str(source_profile)
        if source_name not in profiles:
            return _Plan(tuple(roles), "?", _missing(ctx, profiles, name, source_name))
        settings: Mapping[str, Any] = profiles.get(source_name, {}) or {}
        if source_name in visited and (
            source_name != name or not _has_static(settings)
        ):
            return _Plan(tuple(roles), "?", _loop(ctx, visited, name, source_name))
        visited.append(source_name)
        if _has_static(settings) or not _has_role(settings):
            described, found = _source_chain(ctx, source_name, settings, name)
            if found is not None:
                return _Plan(tuple(roles), described, found)
            return _Plan(tuple(roles), described, _role_checks(ctx, roles))
        name = source_name


def _both(ctx: ReplayContext, name: str) -> Finding:
    sp, cs = locate(ctx, name, "source_profile"), locate(ctx, name, "credential_source")
    return Finding(
        code=BOTH_SOURCES,
        status=Status.MISCONFIGURED,
        summary=f"profile {name!r} sets both source_profile ({sp}) and "
        f"credential_source ({cs}); botocore accepts only one.",
        hints=(
            f"Delete the line at {cs} to use the source profile, or the line at "
            f"{sp} to use the credential source.",
        ),
        details={"profile": name},
        raises="InvalidConfigError",
    )


def _no_source(ctx: ReplayContext, name: str) -> Finding:
    where = locate(ctx, name, "role_arn")
    return Finding(
        code=NO_SOURCE,
        status=Status.MISCONFIGURED,
        summary=f"profile {name!r} sets role_arn ({where}) but neither "
        "source_profile nor credential_source, so botocore has no credentials to "
        "call STS AssumeRole with.",
        hints=(
            f"Under role_arn at {where}, add source_profile = <a profile with "
            "credentials>,",
            "or credential_source = Ec2InstanceMetadata (on EC2), EcsContainer (in "
            "ECS) or Environment (keys in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).",
        ),
        details={"profile": name},
        raises="PartialCredentialsError",
    )


def _missing(
    ctx: ReplayContext, profiles: Mapping[str, Any], name: str, source: str
) -> Finding:
    where = locate(ctx, name, "source_profile")
    hints = []
    config = ctx.full_config() or {}
    if source in config and source not in ("profiles", "sso_sessions", "services"):
        hints.append(
            f"The config file has a section [{source}] without the 'profile ' "
            f"prefix: rename it to [profile {source}]."
        )
    close = difflib.get_close_matches(source, list(profiles), n=3, cutoff=0.6)
    if close:
        hints.append(f"Did you mean {' or '.join(repr(c) for c in close)}?")
    hints.append(
        f"Existing profiles: {', '.join(sorted(profiles)) or '(none)'}; create "
        f"[profile {source}] with credentials or correct source_profile at {where}."
    )
    return Finding(
        code=SOURCE_PROFILE_MISSING,
        status=Status.MISCONFIGURED,
        summary=f"profile {name!r} names source_profile = {source!r} ({where}), "
        "which does not exist.",
        hints=tuple(hints),
        details={"profile": name, "source_profile": source},
        raises="InvalidConfigError",
    )


def _loop(ctx: ReplayContext, visited: list[str], name: str, source: str) -> Finding:
    path = [*visited, source]
    cycle = [*visited[visited.index(source) :], source]
    where = locate(ctx, name, "source_profile")
    if len(cycle) == 2:  # a profile naming itself without static keys
        summary = (
            f"profile {source!r} names itself as source_profile ({where}) but holds "
            "no access keys, so the chain never ends: " + " -> ".join(path) + "."
        )
        hint = (
            f"Add aws_access_key_id and aws_secret_access_key to profile "
            f"{source!r}, or point source_profile at {where} to another profile."
        )
    else:
        summary = (
            "source_profile references form a cycle: "
            + " -> ".join(cycle)
            + (f" (reached from {' -> '.join(path)})" if path != cycle else "")
            + f"; profile {name!r} closes it at {where}."
        )
        hint = (
            f"Change source_profile at {where} to a profile with credentials of "
            "its own (access keys, SSO or credential_process)."
        )
    return Finding(
        code=LOOP,
        status=Status.MISCONFIGURED,
        summary=summary,
        hints=(hint,),
        details={"cycle": cycle, "visited": path},
        raises="InfiniteLoopConfigError",
    )


def _credential_source(  # noqa: C901  (one branch per named source)
    ctx: ReplayContext, name: str, value: str
) -> Finding | None:
    where = locate(ctx, name, "credential_source")
    if value not in CREDENTIAL_SOURCES:
        exact = [c for c in CREDENTIAL_SOURCES if c.lower() == value.strip().lower()]
        close = exact or difflib.get_close_matches(
            value, CREDENTIAL_SOURCES, n=1, cutoff=0.5
        )
        hint = (
            f"Write credential_source = {close[0]} at {where} (botocore compares the "
            "name case-sensitively)."
            if close
            else f"Write one of {', '.join(CREDENTIAL_SOURCES)} at {where}."
        )
        return Finding(
            code=INVALID_CREDENTIAL_SOURCE,
            status=Status.MISCONFIGURED,
            summary=f"profile {name!r} has credential_source = {value!r} ({where}), "
            f"which is not one of {', '.join(CREDENTIAL_SOURCES)}.",
            hints=(hint,),
            details={"profile": name, "credential_source": value},
            raises="InvalidConfigError",
        )
    env = ctx.environ
    problem: str | None = None
    hints: tuple[str, ...] = ()
    if value == "Environment":
        if not env.get("AWS_ACCESS_KEY_ID"):
            problem = "AWS_ACCESS_KEY_ID is not set in the environment"
            hints = (
                "export AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... before "
                "running, "
                f"or use source_profile instead of credential_source at {where}.",
            )
        elif not env.get("AWS_SECRET_ACCESS_KEY"):
            return Finding(
                code=CREDENTIAL_SOURCE_EMPTY,
                status=Status.MISCONFIGURED,
                summary=f"profile {name!r} takes its source credentials from the "
                f"environment ({where}), where AWS_ACCESS_KEY_ID "
                f"({mask_key_id(env.get('AWS_ACCESS_KEY_ID'))}) is set but "
                "AWS_SECRET_ACCESS_KEY is not.",
                hints=("export AWS_SECRET_ACCESS_KEY=<the secret of that key>",),
                details={"profile": name, "credential_source": value},
                raises="PartialCredentialsError",
            )
    elif value == "EcsContainer":
        if not (
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" in env
            or "AWS_CONTAINER_CREDENTIALS_FULL_URI" in env
        ):
            problem = (
                "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor "
                "AWS_CONTAINER_CREDENTIALS_FULL_URI is set, so this is not an ECS "
                "task with a task role (or the variables were not passed on)"
            )
            hints = (
                "Give the ECS task definition a task role (taskRoleArn), or on "
                "EKS an EKS Pod Identity association;",
                "if a wrapper (sudo, env -i, a process manager) starts this "
                "program, pass AWS_CONTAINER_CREDENTIALS_RELATIVE_URI on.",
            )
    elif value == "Ec2InstanceMetadata":
        if is_true(env.get("AWS_EC2_METADATA_DISABLED")):
            problem = (
                "AWS_EC2_METADATA_DISABLED=true turns the instance metadata service off"
            )
            hints = ("unset AWS_EC2_METADATA_DISABLED",)
        else:
            evidence = on_ec2(ctx)
            if evidence is False:
                problem = (
                    "this machine does not look like an EC2 instance (its DMI "
                    f"data in {DMI_DIR} names no Amazon hardware), so there is no "
                    "instance metadata service"
                )
                hints = (
                    "Off EC2, use source_profile = <a profile with credentials> "
                    f"instead of credential_source at {where};",
                    "on EC2, attach an instance profile: `aws ec2 "
                    "associate-iam-instance-profile --instance-id <id> "
                    "--iam-instance-profile Name=<profile>`.",
                )
    if problem is None:
        return None
    return Finding(
        code=CREDENTIAL_SOURCE_EMPTY,
        status=Status.MISCONFIGURED,
        summary=f"profile {name!r} takes its source credentials from "
        f"{_DISPLAY[value]} (credential_source = {value}, {where}), but {problem}.",
        hints=hints,
        details={"profile": name, "credential_source": value},
        raises="CredentialRetrievalError",
    )


def on_ec2(ctx: ReplayContext) -> bool | None:
    """Tell from local evidence whether this is an EC2 instance (``None``: unknown)."""
    if "lambda" in ctx.runtime.kinds:
        return False
    if "ec2" in ctx.runtime.kinds:
        return True
    texts = []
    # One small sysfs file each; a missing one is normal in containers.
    for name in (
        "sys_vendor",
        "product_name",
        "bios_vendor",
        "bios_version",
        "board_asset_tag",
    ):
        try:
            with open(
                os.path.join(DMI_DIR, name), encoding="utf-8", errors="replace"
            ) as f:
                texts.append(f.read(200).strip())
        except OSError:
            continue
    try:
        with open(HYPERVISOR_UUID, encoding="utf-8", errors="replace") as f:
            if f.read(64).strip().lower().startswith("ec2"):
                return True
    except OSError:
        pass
    if not texts:
        return None
    return any("amazon" in t.lower() or t.startswith("i-") for t in texts)


def _source_chain(
    ctx: ReplayContext, name: str, profile: Mapping[str, Any], parent: str
) -> tuple[str, Finding | None]:
    """Predict the profile sub-chain botocore runs for a source profile."""
    label = f"source profile {name!r}"
    if profile.get("web_identity_token_file"):
        if not profile.get("role_arn"):
            return label, Finding(
                code=SOURCE_FAILED,
                status=Status.MISCONFIGURED,
                summary=f"source profile {name!r} sets web_identity_token_file "
                "without role_arn.",
                hints=(
                    f"Add role_arn at {locate(ctx, name, 'web_identity_token_file')}.",
                ),
                details={"source_profile": name},
                raises="InvalidConfigError",
            )
        return f"{label} (web identity token)", None
    if "sso_account_id" in profile or "sso_role_name" in profile:
        return f"{label} (IAM Identity Center / SSO)", None
    key = profile.get("aws_access_key_id")
    if key:
        if "aws_secret_access_key" not in profile:
            where = locate(ctx, name, "aws_access_key_id")
            return label, Finding(
                code=SOURCE_PARTIAL,
                status=Status.MISCONFIGURED,
                summary=f"source profile {name!r} has aws_access_key_id "
                f"({mask_key_id(str(key))}, {where}) but no aws_secret_access_key.",
                hints=(f"Add aws_secret_access_key = <secret> under {where}.",),
                details={"source_profile": name},
                raises="PartialCredentialsError",
            )
        return f"{label} (access key {mask_key_id(str(key))})", None
    if "login_session" in profile:
        return f"{label} (aws login session)", None
    command = profile.get("credential_process")
    if command is not None:
        finding = process_explainer.check_command(ctx, name, str(command))
        if finding is not None and finding.raises is not None:
            return label, Finding(
                code=SOURCE_FAILED,
                status=Status.MISCONFIGURED,
                summary=f"the source profile {name!r} would fail: {finding.summary}",
                hints=finding.hints,
                details={
                    **finding.details,
                    "source_profile": name,
                    "finding": finding.code,
                },
                raises=finding.raises,
            )
        return (
            f"{label} (its credential_process, which the diagnosis does not run)",
            None,
        )
    keys = sorted(k for k in profile if not k.startswith("aws_secret"))
    where = locate(ctx, name, keys[0]) if keys else f"profile {name!r}"
    secret_only = "aws_secret_access_key" in profile
    return label, Finding(
        code=SOURCE_NO_CREDENTIALS,
        status=Status.MISCONFIGURED,
        summary=f"profile {parent!r} takes its source credentials from "
        f"source_profile = {name!r} ({locate(ctx, parent, 'source_profile')}), but "
        f"source profile {name!r} holds no credentials"
        + (
            ": it has aws_secret_access_key but no aws_access_key_id"
            if secret_only
            else f" (its keys: {', '.join(keys) or 'none'}; {where})"
        )
        + ".",
        hints=(
            (
                f"Add aws_access_key_id to profile {name!r}."
                if secret_only
                else f"Add aws_access_key_id and aws_secret_access_key to profile "
                f"{name!r} (e.g. `aws configure --profile {name}`), or sso_* keys, "
                "or credential_process."
            ),
        ),
        details={"source_profile": name, "keys": keys},
        raises="InvalidConfigError",
    )


def _role_checks(ctx: ReplayContext, roles: list[tuple[str, str]]) -> Finding | None:
    """Problems of the roles themselves that only show at the first request."""
    profiles = (ctx.full_config() or {}).get("profiles", {}) or {}
    warning: Finding | None = None
    for name, arn in roles:
        problem = check_role_arn(arn)
        if problem is not None:
            where = locate(ctx, name, "role_arn")
            return Finding(
                code=MALFORMED_ARN,
                status=Status.MISCONFIGURED,
                summary=f"role_arn = {arn!r} of profile {name!r} ({where}) "
                f"{problem[0]}; STS will reject it at the first request.",
                hints=(f"At {where}: {problem[1]}.",),
                details={"profile": name},
            )
    for name, _ in roles:
        profile = profiles.get(name, {}) or {}
        serial = profile.get("mfa_serial")
        if serial is not None and not can_prompt():
            where = locate(ctx, name, "mfa_serial")
            return Finding(
                code=MFA_NO_TTY,
                status=Status.MISCONFIGURED,
                summary=f"profile {name!r} sets mfa_serial = {serial!r} ({where}), "
                "so botocore will ask for an MFA code on the terminal at the first "
                "request, but this process has no terminal to ask on.",
                hints=(
                    "Run it from an interactive terminal, or use a role without "
                    f"mfa_serial here (delete {where} if the role does not require "
                    "MFA).",
                    "Or export temporary credentials first: `aws sts "
                    f"get-session-token --serial-number {serial} --token-code "
                    "<code>` and set them in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY "
                    "and AWS_SESSION_TOKEN.",
                ),
                details={"profile": name, "mfa_serial": str(serial)},
            )
        raw = profile.get("duration_seconds")
        if raw is None:
            continue
        where = locate(ctx, name, "duration_seconds")
        try:
            seconds = int(str(raw))
        except ValueError:
            warning = warning or Finding(
                code=DURATION_IGNORED,
                status=Status.FOUND,
                summary=f"duration_seconds = {raw!r} of profile {name!r} ({where}) is "
                "not a whole number, so botocore silently ignores it and the "
                "session lasts STS's default of 1 hour.",
                hints=(
                    f"Write a number of seconds at {where}, e.g. "
                    "duration_seconds = 3600.",
                ),
                details={"profile": name, "duration_seconds": str(raw)},
            )
            continue
        if not MIN_DURATION <= seconds <= MAX_DURATION:
            return Finding(
                code=DURATION_RANGE,
                status=Status.MISCONFIGURED,
                summary=f"duration_seconds = {seconds} of profile {name!r} ({where}) "
                f"is outside {MIN_DURATION}..{MAX_DURATION}; STS will reject it at "
                "the first request.",
                hints=(
                    f"Set duration_seconds at {where} to a value from {MIN_DURATION} "
                    "to the role's maximum session duration (3600 unless raised, at "
                    f"most {MAX_DURATION}).",
                ),
                details={"profile": name, "duration_seconds": seconds},
            )
    return warning


# -- explaining what botocore really raised ------------------------------------------


def _explain_error(
    ctx: ReplayContext,
    profiles: Mapping[str, Any],
    profile: str,
    plan: _Plan,
    error: BaseException,
) -> Finding:
    """Explain *error*, raised by botocore's assume-role source, precisely."""
    name = type(error).__name__
    predicted = plan.finding
    if predicted is not None and predicted.raises == name:
        if name == "CredentialRetrievalError":
            return attrs.evolve(
                predicted, summary=predicted.summary + _exchanges_text(ctx)
            )
        return predicted
    if name == "InfiniteLoopConfigError":
        first = predicted.summary if predicted is not None else None
        return Finding(
            code=STALE_STATE,
            status=Status.FAILED,
            summary="botocore raised InfiniteLoopConfigError, but the source_profile "
            "references of profile "
            f"{profile!r} form no cycle: this session already failed once to "
            "resolve credentials and botocore remembers the profiles it visited "
            "(boto/botocore#1780)."
            + (f" The first failure is: {first}" if first else ""),
            hints=(
                *(predicted.hints if predicted is not None else ()),
                "Then create a new session: this one keeps raising the same error.",
            ),
            details={
                "visited": list(
                    getattr(error, "kwargs", {}).get("visited_profiles", [])
                )
            },
        )
    if name in {"EOFError", "OSError"} and "mfa_serial" in (
        profiles.get(profile) or {}
    ):
        serial = (profiles.get(profile) or {}).get("mfa_serial")
        return Finding(
            code=MFA_NO_TTY,
            status=Status.MISCONFIGURED,
            summary=f"botocore asked for the MFA code of {serial!r} (mfa_serial of "
            f"profile {profile!r}, {locate(ctx, profile, 'mfa_serial')}) and nobody "
            f"could answer: {error_text(ctx, error)}.",
            hints=(
                "Run it from an interactive terminal, or export temporary "
                "credentials first with `aws sts get-session-token "
                f"--serial-number {serial} --token-code <code>`.",
            ),
        )
    if name == "RefreshWithMFAUnsupportedError":
        return Finding(
            code=MFA_REFRESH,
            status=Status.FAILED,
            summary=f"the credentials of role {plan.roles[0][1]!r} (profile "
            f"{profile!r}, which uses mfa_serial) expired, and botocore cannot ask "
            "for a new MFA code within the same session.",
            hints=(
                "Create a new session to be prompted again,",
                f"or raise duration_seconds in profile {profile!r} (up to the role's "
                "maximum session duration).",
            ),
        )
    if name == "CredentialRetrievalError" and predicted is None:
        provider = str(getattr(error, "kwargs", {}).get("provider", ""))
        current = profiles.get(profile) or {}
        source = str(current.get("credential_source", provider))
        return Finding(
            code=CREDENTIAL_SOURCE_EMPTY,
            status=Status.FAILED,
            summary=f"profile {profile!r} takes its source credentials from "
            f"{_DISPLAY.get(source, source)} (credential_source = {source}), which "
            f"gave none: {error_text(ctx, error)}" + _exchanges_text(ctx),
            hints=_source_hints(source),
        )
    return Finding(
        code=SOURCE_FAILED if plan.source != "?" else RAISED,
        status=Status.FAILED,
        summary=f"resolving the credentials to assume role {plan.roles[0][1]!r} "
        f"(profile {profile!r}) from "
        f"{plan.source if plan.source != '?' else 'its source'} "
        f"raised {error_text(ctx, error)}",
        hints=(
            "Correct what the error names; the source profile's own settings "
            "are explained by its source (run `credsafe doctor --profile "
            "<source profile>`).",
        ),
    )


def _exchanges_text(ctx: ReplayContext) -> str:
    resolution = ctx.resolution
    attempt = None if resolution is None else resolution.attempt(METHOD)
    if attempt is None or not attempt.exchanges:
        return ""
    parts = []
    for exchange in attempt.exchanges[:4]:
        outcome = exchange.error or f"HTTP {exchange.status}"
        parts.append(f"{exchange.method} {exchange.url}: {outcome}")
    return " (" + "; ".join(ctx.redact(p) for p in parts) + ")."


def _source_hints(source: str) -> tuple[str, ...]:
    if source == "Ec2InstanceMetadata":
        return (
            "On EC2, attach an instance profile: `aws ec2 associate-iam-instance-"
            "profile --instance-id <id> --iam-instance-profile Name=<profile>`;",
            "off EC2, use source_profile instead of credential_source.",
        )
    if source == "EcsContainer":
        return ("Give the ECS task definition a task role (taskRoleArn).",)
    return ("export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY before running.",)


#: The explainer of each METHOD this module covers.
EXPLAINERS: dict[str, Explainer] = {METHOD: explain}
