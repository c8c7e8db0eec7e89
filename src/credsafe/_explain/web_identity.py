"""Explain the ``assume-role-with-web-identity`` source (OIDC token files, EKS IRSA).

botocore's provider only remembers the token file's path when it loads; the file is
read when the first request is signed, so a missing file surfaces then, as a raw
``FileNotFoundError``. The diagnosis reads the file itself (a local read, no
network), decodes the JWT claims without verifying them and never shows the token:
only non-secret claims (``iss``, ``aud``, ``sub``, ``exp``) are reported.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import os
from collections.abc import Mapping
from typing import Any

from .._codes import define
from .._model import SourceReport, Status
from .._recording import Attempt
from ._base import (
    Explainer,
    ReplayContext,
    error_text,
    error_to_explain,
    open_regular,
)
from ._roles import Finding, check_role_arn, locate

METHOD = "assume-role-with-web-identity"
ENV_TOKEN = "AWS_WEB_IDENTITY_TOKEN_FILE"  # noqa: S105 (a variable name)
ENV_ROLE = "AWS_ROLE_ARN"
_ENV = {"web_identity_token_file": ENV_TOKEN, "role_arn": ENV_ROLE}
#: Where the EKS Pod Identity Webhook mounts the projected IRSA token.
IRSA_TOKEN_PATH = "/var/run/secrets/eks.amazonaws.com/serviceaccount/token"  # noqa: S105
#: The pod's own service-account directory (namespace, and a token naming the account).
K8S_SERVICEACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"
_ANNOTATION = "eks.amazonaws.com/role-arn"

FOUND = define(
    "assume-role-with-web-identity.found",
    title="A web identity token file and a role ARN are configured.",
    why="botocore exchanges the token for role credentials with STS "
    "AssumeRoleWithWebIdentity when the first request is signed.",
    fix="Nothing to fix.",
)
NOT_CONFIGURED = define(
    "assume-role-with-web-identity.not_configured",
    title="No web identity token file is configured.",
    why="botocore uses this source only when AWS_WEB_IDENTITY_TOKEN_FILE or the "
    "profile's web_identity_token_file is set.",
    fix="Nothing to fix, unless you meant to use OIDC federation (EKS IRSA, CI).",
)
NO_ROLE_ARN = define(
    "assume-role-with-web-identity.no_role_arn",
    title="A web identity token file is set but no role ARN.",
    why="botocore raises InvalidConfigError when it has a token file but neither "
    "AWS_ROLE_ARN nor role_arn, and the chain stops there.",
    fix="Set AWS_ROLE_ARN, or role_arn in the profile.",
)
ROLE_WITHOUT_TOKEN = define(
    "assume-role-with-web-identity.role_arn_without_token_file",
    title="AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not.",
    why="botocore uses AWS_ROLE_ARN only together with a token file; on its own "
    "it is silently ignored.",
    fix="Set AWS_WEB_IDENTITY_TOKEN_FILE to the token's path, or unset AWS_ROLE_ARN.",
)
EMPTY_VARIABLE = define(
    "assume-role-with-web-identity.empty_token_file_variable",
    title="AWS_WEB_IDENTITY_TOKEN_FILE is set to an empty value.",
    why="botocore takes the empty variable over the profile's "
    "web_identity_token_file and then treats it as unset, so the source is "
    "silently skipped.",
    fix="Unset AWS_WEB_IDENTITY_TOKEN_FILE or give it the token's path.",
)
ENV_IGNORED = define(
    "assume-role-with-web-identity.env_ignored_explicit_profile",
    title="AWS_WEB_IDENTITY_TOKEN_FILE is ignored because a profile was passed "
    "explicitly.",
    why="When a profile is set on the session (profile_name=), botocore ignores "
    "AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN and AWS_ROLE_SESSION_NAME, even "
    "for profile_name='default'.",
    fix="Create the session without profile_name=, or put "
    "web_identity_token_file and role_arn in that profile.",
)
TOKEN_MISSING = define(
    "assume-role-with-web-identity.token_file_missing",
    title="The web identity token file does not exist.",
    why="botocore reads the file only when the first request is signed and fails "
    "there with a raw FileNotFoundError.",
    fix="Point the setting at the real token file, or make sure it is mounted or "
    "written before the program starts.",
)
UNEXPANDED = define(
    "assume-role-with-web-identity.token_path_unexpanded",
    title="The token file path uses ~ or $VARIABLE, which botocore does not expand.",
    why="botocore opens the path exactly as written; `~/token` means a directory "
    "literally named ~ in the current directory.",
    fix="Write the absolute path.",
)
TOKEN_DIRECTORY = define(
    "assume-role-with-web-identity.token_file_is_directory",
    title="The web identity token path is a directory.",
    why="botocore opens the path as a file at the first request and fails with "
    "IsADirectoryError.",
    fix="Point the setting at the token file inside the directory.",
)
TOKEN_UNREADABLE = define(
    "assume-role-with-web-identity.token_file_unreadable",
    title="The web identity token file cannot be read by this process.",
    why="botocore opens the file at the first request and fails with PermissionError.",
    fix="Give the user this process runs as read access (in Kubernetes: "
    "securityContext.fsGroup), or run as the file's owner.",
)
TOKEN_EMPTY = define(
    "assume-role-with-web-identity.token_empty",
    title="The web identity token file is empty.",
    why="botocore sends the file's content to STS, which rejects an empty token.",
    fix="Write the OIDC token into the file (or fix what should write it).",
)
TOKEN_NOT_JWT = define(
    "assume-role-with-web-identity.token_not_jwt",
    title="The web identity token file does not hold a JWT.",
    why="STS AssumeRoleWithWebIdentity expects an OpenID Connect ID token: three "
    "base64url parts separated by dots. Anything else is rejected.",
    fix="Write the identity provider's ID token (not a path, a URL or an API key) "
    "into the file.",
)
TOKEN_EXPIRED = define(
    "assume-role-with-web-identity.token_expired",
    title="The web identity token has expired.",
    why="STS rejects a token whose exp claim has passed (ExpiredTokenException). "
    "botocore re-reads the file at every refresh, so whatever writes it must "
    "renew it.",
    fix="Renew the token: in EKS the kubelet rotates projected tokens; a copied "
    "token is never renewed.",
)
MALFORMED_ARN = define(
    "assume-role-with-web-identity.malformed_role_arn",
    title="The role ARN of the web identity source is not a valid IAM role ARN.",
    why="botocore passes it to STS unchecked, which rejects it at the first request.",
    fix="Use arn:<partition>:iam::<12-digit account>:role/<name>.",
)
IRSA_ENV_MISSING = define(
    "assume-role-with-web-identity.irsa_env_missing",
    title="An EKS IRSA token is mounted, but its environment variables are missing.",
    why="The EKS Pod Identity Webhook mounts the token and sets AWS_ROLE_ARN and "
    "AWS_WEB_IDENTITY_TOKEN_FILE in the pod; a process started without them (sudo, "
    "env -i, a process manager) cannot use the token.",
    fix="Pass AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE on to this process.",
)
IRSA_NOT_CONFIGURED = define(
    "assume-role-with-web-identity.irsa_not_configured",
    title="This runs in Kubernetes without IAM Roles for Service Accounts (IRSA).",
    why="No IRSA token is mounted, so the pod's service account has no "
    "eks.amazonaws.com/role-arn annotation (or the pod predates it).",
    fix="Annotate the service account with eks.amazonaws.com/role-arn and restart "
    "the pods, or create an EKS Pod Identity association.",
)
RAISED = define(
    "assume-role-with-web-identity.error",
    title="The web identity source raised an error.",
    why="botocore stops the chain at the first provider that raises.",
    fix="Correct what the error names.",
)


def _setting(ctx: ReplayContext, key: str) -> tuple[str | None, str]:
    """The value botocore uses for *key* and where it comes from, in words."""
    env_name = _ENV[key]
    if not ctx.explicit_profile and env_name in ctx.environ:
        return ctx.environ[env_name], env_name
    value = ctx.profile_config().get(key)
    if value is None:
        return None, "unset"
    where = locate(ctx, ctx.profile.name, key)
    return str(value), f"{key} of profile {ctx.profile.name!r}, {where}"


def explain(  # noqa: C901  (one branch per situation, in botocore's order)
    ctx: ReplayContext, provider: Any, attempt: Attempt | None
) -> SourceReport:
    """Explain what the web-identity source did, or would do."""
    del provider
    token_path, token_origin = _setting(ctx, "web_identity_token_file")
    role_arn, role_origin = _setting(ctx, "role_arn")
    details: dict[str, Any] = {
        "token_file": token_path,
        "token_file_from": token_origin,
        "role_arn": role_arn,
        "role_arn_from": role_origin,
    }
    overridden = _overridden(ctx)
    if overridden:
        details["profile_values_overridden"] = overridden
    duration = None if attempt is None else attempt.duration_ms
    stops = {"stops_chain": True} if attempt is None else {}

    if attempt is not None and attempt.result == "raised" and attempt.error is not None:
        error = attempt.error
        if type(error).__name__ == "InvalidConfigError" and not role_arn:
            return _no_role(ctx, token_path, token_origin, role_arn).report(
                METHOD, duration_ms=duration, extra=details
            )
        return SourceReport(
            source=METHOD,
            status=Status.MISCONFIGURED,
            code=RAISED,
            summary=f"the web identity source raised {error_text(ctx, error)}",
            hints=("Correct what the error names.",),
            duration_ms=duration,
            details={**details, "exception": type(error).__name__},
        )

    if not token_path:
        finding = _not_set(ctx, token_path)
        return finding.report(
            METHOD,
            duration_ms=duration,
            extra={**details, **(stops if finding.raises else {})},
        )

    if not role_arn:
        return _no_role(ctx, token_path, token_origin, role_arn).report(
            METHOD, duration_ms=duration, extra={**details, **stops}
        )

    trigger = ctx.trigger
    at_call = error_to_explain(ctx, attempt)[1]
    token_finding, claims = _check_token(ctx, token_path, token_origin)
    if claims:
        details["claims"] = claims
    if at_call:
        details["failed_at"] = "first use of the credentials"
        details["exception"] = type(trigger).__name__
    if token_finding is not None:
        return token_finding.report(
            METHOD, duration_ms=duration, extra={**details, **stops}
        )
    problem = check_role_arn(role_arn)
    if problem is not None:
        return SourceReport(
            source=METHOD,
            status=Status.MISCONFIGURED,
            code=MALFORMED_ARN,
            summary=f"the role ARN {role_arn!r} ({role_origin}) {problem[0]}; STS "
            "will reject it at the first request.",
            hints=(f"{problem[1]} ({role_origin}).",),
            duration_ms=duration,
            details={**details, **stops},
        )
    if at_call and trigger is not None:
        late = isinstance(trigger, OSError)
        return SourceReport(
            source=METHOD,
            status=Status.FAILED,
            code=RAISED,
            summary=f"exchanging the token in {token_path} for role {role_arn!r} "
            f"failed at the first request: {error_text(ctx, trigger)}"
            + (
                " (the file looks fine now: it may have been written after the "
                "request)."
                if late
                else f"{_describe_claims(claims)}."
            ),
            hints=(
                ("Make sure the token file exists before the program starts.",)
                if late
                else (
                    "Check that IAM has an OIDC identity provider for the token's "
                    "issuer with its audience, and that the role's trust policy "
                    "allows its subject.",
                )
            ),
            duration_ms=duration,
            details=details,
        )
    about = _describe_claims(claims)
    return SourceReport(
        source=METHOD,
        status=Status.FOUND,
        code=FOUND,
        summary=f"the token in {token_path} ({token_origin}{about}) is exchanged "
        f"for role {role_arn!r} ({role_origin}) with STS AssumeRoleWithWebIdentity "
        "at the first request.",
        duration_ms=duration,
        details={**details, "deferred": True},
    )


def _overridden(ctx: ReplayContext) -> dict[str, str]:
    """Profile values that environment variables silently override."""
    if ctx.explicit_profile:
        return {}
    profile = ctx.profile_config()
    return {
        key: env_name
        for key, env_name in _ENV.items()
        if env_name in ctx.environ
        and key in profile
        and str(profile[key]) != ctx.environ[env_name]
    }


def _no_role(
    ctx: ReplayContext, token_path: str | None, token_origin: str, role_arn: str | None
) -> Finding:
    profile = ctx.profile.name
    empty = role_arn == "" and not ctx.explicit_profile and ENV_ROLE in ctx.environ
    ignored = ctx.explicit_profile and bool(ctx.environ.get(ENV_ROLE))
    if empty:
        why = f"{ENV_ROLE} is set to an empty value"
    elif ignored:
        why = (
            f"profile {profile!r} has no role_arn, and {ENV_ROLE} is ignored because "
            "the profile was passed explicitly"
        )
    else:
        why = (
            f"there is no role ARN: neither {ENV_ROLE} nor role_arn in profile "
            f"{profile!r}"
        )
    return Finding(
        code=NO_ROLE_ARN,
        status=Status.MISCONFIGURED,
        summary=f"the token file {token_path} is set ({token_origin}) but "
        + why
        + ", so botocore raises InvalidConfigError.",
        hints=(
            f"export {ENV_ROLE}=arn:aws:iam::<12-digit account id>:role/<role name>",
            f"or add role_arn = ... under [profile {profile}] in the config file.",
        ),
        details={"empty_variable": empty},
        raises="InvalidConfigError",
    )


def _not_set(ctx: ReplayContext, token_path: str | None) -> Finding:
    env = ctx.environ
    profile = ctx.profile.name
    profile_config = ctx.profile_config()
    if token_path == "" and not ctx.explicit_profile and ENV_TOKEN in env:
        shadowed = profile_config.get("web_identity_token_file")
        return Finding(
            code=EMPTY_VARIABLE,
            status=Status.MISCONFIGURED,
            summary=f"{ENV_TOKEN} is set but empty"
            + (
                f", which hides web_identity_token_file = {shadowed!r} of profile "
                f"{profile!r}"
                if shadowed
                else ""
            )
            + "; botocore skips web identity.",
            hints=(f"unset {ENV_TOKEN}", "or set it to the token file's path."),
        )
    if ctx.explicit_profile and ENV_TOKEN in env:
        deliberate = any(
            key in profile_config
            for key in (
                "aws_access_key_id",
                "role_arn",
                "sso_account_id",
                "sso_session",
                "credential_process",
                "login_session",
            )
        )
        return Finding(
            code=ENV_IGNORED,
            status=Status.SKIPPED if deliberate else Status.MISCONFIGURED,
            summary=f"{ENV_TOKEN} ({env[ENV_TOKEN]}) is set, but botocore ignores it "
            f"because the profile {profile!r} was passed explicitly.",
            hints=(
                f"Create the session without profile_name={profile!r} to use the "
                "environment's web identity,",
                f"or add web_identity_token_file = {env[ENV_TOKEN]} and role_arn = "
                f"{env.get(ENV_ROLE, '<role ARN>')} under [profile {profile}].",
            ),
        )
    if not ctx.explicit_profile and env.get(ENV_ROLE):
        return Finding(
            code=ROLE_WITHOUT_TOKEN,
            status=Status.MISCONFIGURED,
            summary=f"{ENV_ROLE} is set ({env[ENV_ROLE]}) but {ENV_TOKEN} is not, "
            f"so botocore silently ignores {ENV_ROLE}.",
            hints=(
                f"export {ENV_TOKEN}=<path of the OIDC token file>"
                + (
                    f" (an IRSA token is mounted at {IRSA_TOKEN_PATH})"
                    if os.path.isfile(IRSA_TOKEN_PATH)
                    else ""
                ),
                f"or unset {ENV_ROLE} if it is left over.",
            ),
        )
    if "eks" in ctx.runtime.kinds:
        return _eks(ctx)
    return Finding(
        code=NOT_CONFIGURED,
        status=Status.NOT_CONFIGURED,
        summary=f"{ENV_TOKEN} is not set and profile {profile!r} has no "
        "web_identity_token_file.",
    )


def _eks(ctx: ReplayContext) -> Finding:
    namespace, account = _service_account()
    ns = namespace or "<namespace>"
    sa = account or "<service account>"
    if os.path.isfile(IRSA_TOKEN_PATH):
        return Finding(
            code=IRSA_ENV_MISSING,
            status=Status.MISCONFIGURED,
            summary=f"an EKS IRSA token is mounted at {IRSA_TOKEN_PATH}, but "
            f"{ENV_ROLE} and {ENV_TOKEN} are not in this process's environment.",
            hints=(
                "The pod has them (`kubectl exec <pod> -- env | grep AWS_`): pass "
                "them on to this process (sudo -E, no env -i, the process manager's "
                "environment settings),",
                f"or export {ENV_TOKEN}={IRSA_TOKEN_PATH} and {ENV_ROLE}=$(kubectl "
                f"get serviceaccount {sa} -n {ns} -o "
                "jsonpath='{.metadata.annotations.eks\\.amazonaws\\.com/role-arn}')",
            ),
            details={"namespace": namespace, "service_account": account},
        )
    if "AWS_CONTAINER_CREDENTIALS_FULL_URI" in ctx.environ:
        return Finding(
            code=NOT_CONFIGURED,
            status=Status.NOT_CONFIGURED,
            summary="no web identity token is configured (this pod uses EKS Pod "
            "Identity through the container credentials endpoint instead).",
        )
    return Finding(
        code=IRSA_NOT_CONFIGURED,
        status=Status.NOT_CONFIGURED,
        summary="this runs in Kubernetes, but no IRSA token is mounted at "
        f"{IRSA_TOKEN_PATH}: service account {sa!r} in namespace {ns!r} has no "
        f"{_ANNOTATION} annotation (or the pod was created before it).",
        hints=(
            f"kubectl annotate serviceaccount {sa} -n {ns} "
            f"{_ANNOTATION}=arn:aws:iam::<account id>:role/<role name>",
            f"then recreate the pods (kubectl rollout restart deployment/<name> -n "
            f"{ns}): the webhook only changes pods created after the annotation.",
            "The role's trust policy must allow sts:AssumeRoleWithWebIdentity from "
            f"the cluster's OIDC provider for system:serviceaccount:{ns}:{sa}.",
        ),
        details={"namespace": namespace, "service_account": account},
    )


def _service_account() -> tuple[str | None, str | None]:
    """The pod's namespace and service account name, from its mounted files."""
    namespace = None
    try:
        with open(
            os.path.join(K8S_SERVICEACCOUNT_DIR, "namespace"), encoding="utf-8"
        ) as f:
            namespace = f.read(256).strip() or None
    except OSError:
        pass
    account = None
    try:
        with open(os.path.join(K8S_SERVICEACCOUNT_DIR, "token"), encoding="utf-8") as f:
            claims = jwt_claims(f.read(100_000).strip())
    except (OSError, UnicodeDecodeError):
        claims = None
    sub = str((claims or {}).get("sub", ""))
    if sub.startswith("system:serviceaccount:") and sub.count(":") == 3:
        _, _, ns, account = sub.split(":")
        namespace = namespace or ns
    return namespace, account


def _check_token(  # noqa: C901  (one branch per finding)
    ctx: ReplayContext, path: str, origin: str
) -> tuple[Finding | None, dict[str, Any]]:
    """Check the token file the way botocore will use it (literally, unexpanded)."""
    details = {"token_file": path}
    try:
        os.stat(path)
    except PermissionError:
        return Finding(
            code=TOKEN_UNREADABLE,
            status=Status.MISCONFIGURED,
            summary=f"the web identity token file {path} ({origin}) cannot be read "
            f"by this process (uid {_uid()}): a directory on its path may not be "
            "entered.",
            hints=(
                f"Let this user enter every directory of {os.path.dirname(path)} "
                "and read the file (ls -ld each one).",
            ),
            details=details,
            raises="PermissionError",
        ), {}
    except OSError:
        pass
    if not os.path.exists(path):
        if path.startswith("~") or "$" in path:
            expanded = ctx.expand_path(path)
            exists = os.path.isfile(expanded)
            return Finding(
                code=UNEXPANDED,
                status=Status.MISCONFIGURED,
                summary=f"the token file {path!r} ({origin}) uses "
                + ("~" if path.startswith("~") else "a $VARIABLE")
                + ", which botocore does not expand, so it opens a path that does "
                "not exist"
                + (f"; the file itself is at {expanded}" if exists else "")
                + ".",
                hints=(f"Write the absolute path: {expanded} ({origin}).",),
                details=details,
                raises="FileNotFoundError",
            ), {}
        hints = [f"Point {origin} at the real token file."]
        if path == IRSA_TOKEN_PATH or path.startswith(os.path.dirname(IRSA_TOKEN_PATH)):
            hints = [
                "The EKS Pod Identity Webhook mounts this file; check that the pod "
                "has the aws-iam-token projected volume (kubectl get pod <pod> -o "
                "yaml) and that this process runs in that container.",
            ]
        elif not os.path.isabs(path):
            hints.append(
                f"The path is relative: it is looked up from the current "
                f"directory {os.getcwd()}; use an absolute path."
            )
        else:
            hints.append(
                "If another step writes it (a CI OIDC step, a sidecar), make sure it "
                "runs before this program."
            )
        return Finding(
            code=TOKEN_MISSING,
            status=Status.MISCONFIGURED,
            summary=f"the web identity token file {path} ({origin}) does not exist.",
            hints=tuple(hints),
            details=details,
            raises="FileNotFoundError",
        ), {}
    if os.path.isdir(path):
        return Finding(
            code=TOKEN_DIRECTORY,
            status=Status.MISCONFIGURED,
            summary=f"the web identity token path {path} ({origin}) is a directory.",
            hints=(f"Point {origin} at the token file inside it.",),
            details=details,
            raises="IsADirectoryError",
        ), {}
    try:
        with open_regular(path, encoding="utf-8", errors="replace") as handle:
            token = handle.read(1_000_000)
    except PermissionError:
        return Finding(
            code=TOKEN_UNREADABLE,
            status=Status.MISCONFIGURED,
            summary=f"the web identity token file {path} ({origin}) cannot be read "
            f"by this process (uid {_uid()}).",
            hints=(
                f"Let this user read it (ls -l {path}); in Kubernetes set "
                "securityContext.fsGroup so the projected token is readable.",
            ),
            details=details,
            raises="PermissionError",
        ), {}
    except OSError as exc:
        return Finding(
            code=TOKEN_UNREADABLE,
            status=Status.MISCONFIGURED,
            summary=f"the web identity token file {path} ({origin}) cannot be read: "
            f"{error_text(ctx, exc)}.",
            details=details,
            raises=type(exc).__name__,
        ), {}
    if token:
        ctx.secrets.add(token)
        ctx.secrets.add(token.strip())
    if not token.strip():
        return Finding(
            code=TOKEN_EMPTY,
            status=Status.MISCONFIGURED,
            summary=f"the web identity token file {path} ({origin}) is empty.",
            hints=("Write the OIDC ID token into it, or fix the step that should.",),
            details=details,
        ), {}
    claims = jwt_claims(token.strip())
    if claims is None:
        parts = token.strip().count(".") + 1
        return Finding(
            code=TOKEN_NOT_JWT,
            status=Status.MISCONFIGURED,
            summary=f"the web identity token file {path} ({origin}) does not hold a "
            f"JWT ({len(token.strip())} characters in {parts} dot-separated "
            f"part{'s' if parts != 1 else ''}; a JWT has 3 whose first two are "
            "base64url JSON).",
            hints=(
                "Write the identity provider's OIDC ID token into the file (not a "
                "path, a URL or an API key).",
            ),
            details=details,
        ), {}
    shown = _safe_claims(claims)
    exp = claims.get("exp")
    if isinstance(exp, int | float):
        expiry = dt.datetime.fromtimestamp(exp, tz=dt.timezone.utc)
        now = dt.datetime.now(dt.timezone.utc)
        if expiry <= now:
            return Finding(
                code=TOKEN_EXPIRED,
                status=Status.FAILED,
                summary=f"the web identity token in {path} ({origin}) expired at "
                f"{expiry.isoformat()} ({_ago((now - expiry).total_seconds())} ago)"
                f"{_describe_claims(shown)}.",
                hints=(
                    "Renew it: on EKS the kubelet rotates the projected token, so an "
                    "expired one means the file is a copy or the pod's token "
                    "projection is broken;",
                    "in CI, request a new OIDC token in the same job, right before "
                    "this step.",
                ),
                details={**details, "claims": shown},
            ), shown
    return None, shown


def jwt_claims(token: str) -> dict[str, Any] | None:
    """Decode the claims of a JWT without verifying it; ``None`` if it is not one."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header = json.loads(_b64url(parts[0]))
        payload = json.loads(_b64url(parts[1]))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if not isinstance(header, dict) or not isinstance(payload, dict):
        return None
    return payload


def _b64url(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _safe_claims(claims: Mapping[str, Any]) -> dict[str, Any]:
    """The claims that are not secret: issuer, audience, subject and times."""
    result: dict[str, Any] = {}
    for key in ("iss", "aud", "sub", "exp", "iat"):
        value = claims.get(key)
        if isinstance(value, str | int | float) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            result[key] = value
    return result


def _describe_claims(claims: Mapping[str, Any]) -> str:
    parts = []
    if "iss" in claims:
        parts.append(f"issuer {claims['iss']}")
    if "sub" in claims:
        parts.append(f"subject {claims['sub']}")
    if "aud" in claims:
        parts.append(f"audience {claims['aud']}")
    exp = claims.get("exp")
    if isinstance(exp, int | float):
        parts.append(
            "expires " + dt.datetime.fromtimestamp(exp, tz=dt.timezone.utc).isoformat()
        )
    return ("; " + ", ".join(parts)) if parts else ""


def _ago(seconds: float) -> str:
    seconds = abs(int(seconds))
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return f"{seconds} seconds"


def _uid() -> str:
    getuid = getattr(os, "geteuid", None)
    return str(getuid()) if getuid is not None else "?"


#: The explainer of each METHOD this module covers.
EXPLAINERS: dict[str, Explainer] = {METHOD: explain}
