"""Explain the environment-variable source (``env``)."""

from __future__ import annotations

from typing import Any

from .._codes import define
from .._model import SourceReport, Status
from .._recording import Attempt
from .._redact import key_kind, mask_key_id
from ._base import ReplayContext, error_text


METHOD = "env"
KEY = "AWS_ACCESS_KEY_ID"
SECRET = "AWS_SECRET_ACCESS_KEY"  # noqa: S105 (a variable name, not a secret)

FOUND = define(
    "env.found",
    title="Credentials came from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
    why="The environment provider is first in botocore's chain (unless a profile "
    "was passed explicitly), so these variables win over every file.",
    fix="Nothing to fix. Unset the variables if you meant a profile to be used.",
)
NOT_CONFIGURED = define(
    "env.not_configured",
    title="No credential environment variables are set.",
    why="botocore reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; neither is set.",
    fix="Set both variables, or configure a profile instead.",
)
PARTIAL = define(
    "env.partial",
    title="AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not.",
    why="botocore raises PartialCredentialsError when it finds a key id without its "
    "secret, and stops the chain there: no profile or role is tried.",
    fix="Set AWS_SECRET_ACCESS_KEY to the secret of that key, or unset "
    "AWS_ACCESS_KEY_ID to let later sources supply credentials.",
)
SECRET_ONLY = define(
    "env.secret_without_key_id",
    title="AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not.",
    why="botocore looks only at AWS_ACCESS_KEY_ID to decide whether environment "
    "credentials exist, and silently ignores a secret on its own.",
    fix="Set AWS_ACCESS_KEY_ID to the key id that belongs to the secret, or unset "
    "AWS_SECRET_ACCESS_KEY.",
)
EMPTY_KEY = define(
    "env.empty_key_id",
    title="AWS_ACCESS_KEY_ID is set to an empty value.",
    why="botocore treats an empty AWS_ACCESS_KEY_ID as unset. This usually comes "
    "from `AWS_ACCESS_KEY_ID=` in a compose file, a CI variable that does not exist "
    "or `export AWS_ACCESS_KEY_ID=$UNSET_VAR`.",
    fix="Give the variable a value, or remove it from the environment.",
)
SKIPPED_EXPLICIT_PROFILE = define(
    "env.skipped_explicit_profile",
    title="Environment variables were not consulted because a profile was passed "
    "explicitly.",
    why="When a profile is set on the session itself (boto3 `profile_name=`, "
    "botocore `profile=`), botocore removes the environment provider from the "
    "chain, even for `profile_name='default'`. AWS_PROFILE does not do this.",
    fix="Drop the explicit profile to use the environment variables, or unset them "
    "to avoid confusion.",
)
RAISED = define(
    "env.error",
    title="Reading the credential environment variables raised an error.",
    why="botocore raises when a variable it reads cannot be used, and the chain "
    "stops there.",
    fix="Correct or unset the variable the error names.",
)


def explain(ctx: ReplayContext, provider: Any, attempt: Attempt | None) -> SourceReport:
    """Explain what the environment provider saw."""
    env = ctx.environ
    key = env.get(KEY)
    secret = env.get(SECRET)
    if secret:
        ctx.secrets.add(secret)
    details: dict[str, Any] = {
        "variables_set": sorted(
            name
            for name in (
                KEY,
                SECRET,
                "AWS_SESSION_TOKEN",
                "AWS_SECURITY_TOKEN",
                "AWS_CREDENTIAL_EXPIRATION",
            )
            if name in env
        ),
    }
    if key:
        details["access_key_id"] = mask_key_id(key)
    duration = None if attempt is None else attempt.duration_ms

    if provider is None and attempt is None and ctx.explicit_profile:
        if key or secret:
            summary = (
                f"not consulted: the profile {ctx.profile.name!r} was passed "
                f"explicitly, so botocore ignores {KEY}"
                + (f" ({mask_key_id(key)})" if key else "")
                + f" and {SECRET} that are set in the environment."
            )
            hints: tuple[str, ...] = (
                f"To use the environment variables, create the session without "
                f"profile_name={ctx.profile.name!r}.",
                f"To use the profile, unset {KEY} and {SECRET} to avoid confusion.",
            )
        else:
            summary = (
                f"not consulted: the profile {ctx.profile.name!r} was passed "
                "explicitly, which removes environment variables from botocore's "
                "chain."
            )
            hints = ()
        return SourceReport(
            source=METHOD,
            status=Status.SKIPPED,
            code=SKIPPED_EXPLICIT_PROFILE,
            summary=summary,
            hints=hints,
            details=details,
        )

    if attempt is not None and attempt.result == "raised" and attempt.error is not None:
        if type(attempt.error).__name__ == "PartialCredentialsError":
            return SourceReport(
                source=METHOD,
                status=Status.MISCONFIGURED,
                code=PARTIAL,
                summary=f"{KEY} is set ({mask_key_id(key)}) but {SECRET} is "
                "not, and botocore stops the whole chain there.",
                hints=(
                    f"export {SECRET}=<the secret of the key ending "
                    f"{(key or '')[-4:]}>",
                    f"or `unset {KEY}` so that your profile or role is used.",
                ),
                duration_ms=duration,
                details=details,
            )
        return SourceReport(
            source=METHOD,
            status=Status.MISCONFIGURED,
            code=RAISED,
            summary=f"reading the environment variables raised "
            f"{error_text(ctx, attempt.error)}",
            hints=("Correct or unset the variable the error names.",),
            duration_ms=duration,
            details=details,
        )

    if attempt is not None and attempt.result == "found":
        kind = key_kind(key)
        return SourceReport(
            source=METHOD,
            status=Status.FOUND,
            code=FOUND,
            summary=f"{KEY} ({mask_key_id(key)}"
            + (f", {kind}" if kind else "")
            + f") and {SECRET} are set.",
            duration_ms=duration,
            details=details,
        )

    if key == "" and KEY in env:
        return SourceReport(
            source=METHOD,
            status=Status.MISCONFIGURED,
            code=EMPTY_KEY,
            summary=f"{KEY} is set but empty, so botocore ignores the environment"
            + (f" (and {SECRET}, which is set)." if secret else "."),
            hints=(
                f"Give {KEY} a value, or `unset {KEY}` "
                "(check compose files and CI variables that expand to nothing).",
            ),
            duration_ms=duration,
            details=details,
        )
    if not key and secret:
        return SourceReport(
            source=METHOD,
            status=Status.MISCONFIGURED,
            code=SECRET_ONLY,
            summary=f"{SECRET} is set but {KEY} is not, and botocore silently "
            "ignores a secret on its own.",
            hints=(
                f"export {KEY}=<the key id that belongs to this secret>",
                f"or `unset {SECRET}` if it is left over.",
            ),
            duration_ms=duration,
            details=details,
        )
    return SourceReport(
        source=METHOD,
        status=Status.NOT_CONFIGURED,
        code=NOT_CONFIGURED,
        summary=f"{KEY} and {SECRET} are not set.",
        duration_ms=duration,
        details=details,
    )
