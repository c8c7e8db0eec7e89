"""Diagnose credentials that were found but rejected by AWS.

The second most common credential failure is not a missing key but the wrong one
winning: stale environment variables shadowing a good profile, a temporary key
without its session token, an expired session, a clock that is off. AWS answers
with a ``ClientError`` (``InvalidClientTokenId``, ``SignatureDoesNotMatch``,
``ExpiredToken``, ...). credsafe attaches the diagnosis to that same exception
object (``exc.diagnosis``) and adds a note; it never changes its class, because
waiters and s3transfer depend on ``ClientError`` handling.
"""

from __future__ import annotations

import email.utils
from datetime import datetime, timezone
from typing import Any

import attrs

from ._codes import define
from ._model import Diagnosis, Outcome, SourceReport, Status
from ._recording import Resolution
from ._redact import key_kind, mask_key_id

#: Error codes that mean "the credentials were rejected", across services.
REJECTED_CODES = frozenset(
    {
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "InvalidSignatureException",
        "ExpiredToken",
        "ExpiredTokenException",
        "TokenRefreshRequired",
        "UnrecognizedClientException",
        "InvalidAccessKeyId",
        "AuthFailure",
        "InvalidToken",
        "RequestExpired",
        "RequestTimeTooSkewed",
        "InvalidSecurity",
        "IncompleteSignature",
        "MissingAuthenticationToken",
        "InvalidAccessKeyId.NotFound",
    }
)

#: AWS accepts requests signed up to 5 minutes away from its clock.
MAX_SKEW_SECONDS = 300

CLOCK_SKEW = define(
    "rejected.clock_skew",
    title="AWS rejected the request because the local clock is off.",
    why="Signatures include the time of signing; AWS rejects requests signed more "
    "than 5 minutes away from its own clock, whatever the credentials.",
    fix="Synchronise the clock (for example `sudo chronyc makestep` or "
    "`sudo timedatectl set-ntp true`; in a container or VM, the host's clock).",
)
TEMP_KEY_WITHOUT_TOKEN = define(
    "rejected.temporary_key_without_token",
    title="A temporary (ASIA) access key was used without its session token.",
    why="Temporary credentials from STS, SSO or a role come as three values; AWS "
    "rejects an ASIA key id signed without its session token.",
    fix="Set the session token next to the key (AWS_SESSION_TOKEN or "
    "aws_session_token), or use the source that issues them (a profile with "
    "role_arn or SSO) instead of copying them.",
)
SECURITY_TOKEN_OVERRIDE = define(
    "rejected.security_token_override",
    title="AWS_SECURITY_TOKEN silently replaced AWS_SESSION_TOKEN.",
    why="botocore reads AWS_SECURITY_TOKEN before AWS_SESSION_TOKEN; a stale "
    "AWS_SECURITY_TOKEN left by an old tool wins over the current session token.",
    fix="`unset AWS_SECURITY_TOKEN`.",
)
STALE_ENV = define(
    "rejected.stale_env_keys",
    title="Environment variables supplied rejected credentials while another "
    "source holds different ones.",
    why="The environment comes first in botocore's chain and silently wins over "
    "the profile named by AWS_PROFILE and every file.",
    fix="`unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN` to use "
    "the other source, or refresh the variables.",
)
EXPIRED = define(
    "rejected.expired_session",
    title="The session token of the credentials has expired.",
    why="Temporary credentials expire (typically after 1 to 12 hours); sources "
    "that botocore cannot refresh (environment variables, static keys in files) "
    "keep sending the expired token.",
    fix="Get fresh credentials from the source that issued them "
    "(`aws sso login`, re-export, re-run the tool that wrote them).",
)
UNKNOWN_KEY = define(
    "rejected.unknown_key_id",
    title="AWS does not recognise the access key id.",
    why="The key was deleted or deactivated, belongs to another partition (aws-cn, "
    "aws-us-gov) or is a typo; the session token may also belong to other keys.",
    fix="Check the key in the IAM console or with `aws iam list-access-keys`, and "
    "create a new one if it was deleted.",
)
WRONG_SECRET = define(
    "rejected.signature_mismatch",
    title="The secret access key does not belong to the access key id.",
    why="AWS recomputes the signature with the secret of the key id; a different "
    "secret (a copy-paste error, a rotated key, a stray space) gives another "
    "signature.",
    fix="Set the secret that was issued with this key id, or create a new key pair.",
)
PARTITION = define(
    "rejected.partition_mismatch",
    title="The credentials may belong to another AWS partition than the region.",
    why="Keys of the commercial partition do not work in China (cn-*) or GovCloud "
    "(us-gov-*) regions, and the other way round.",
    fix="Use credentials issued in the partition of the region, or the region of "
    "the partition the credentials belong to.",
)


def rejection_code(exc: BaseException) -> str | None:
    """The error code of *exc* when it means "credentials rejected", else ``None``."""
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return None
    code = (response.get("Error") or {}).get("Code")
    if isinstance(code, str) and code in REJECTED_CODES:
        return code
    return None


@attrs.frozen
class _Used:
    """What the client signed with: never the secret, only facts about it."""

    method: str | None
    key_id: str | None
    has_token: bool


def _used_credentials(client: Any) -> _Used:
    creds = getattr(getattr(client, "_request_signer", None), "_credentials", None)
    # Read stored fields, never the properties (which may refresh over the network).
    fields = getattr(creds, "__dict__", {})
    key = fields.get("access_key", fields.get("_access_key"))
    token = fields.get("token", fields.get("_token"))
    return _Used(
        method=getattr(creds, "method", None),
        key_id=key if isinstance(key, str) else None,
        has_token=bool(token),
    )


def _skew_seconds(exc: BaseException) -> float | None:
    response = getattr(exc, "response", {}) or {}
    headers = (response.get("ResponseMetadata") or {}).get("HTTPHeaders") or {}
    date = headers.get("date")
    if not date:
        return None
    try:
        server = email.utils.parsedate_to_datetime(date)
    except (TypeError, ValueError):
        return None
    if server.tzinfo is None:
        server = server.replace(tzinfo=timezone.utc)
    return (datetime.now(timezone.utc) - server).total_seconds()


def diagnose_rejection(
    exc: BaseException,
    *,
    client: Any,
    session: Any,
    resolution: Resolution | None,
    live_providers: list[Any] | None,
    explicit: Any = None,
) -> Diagnosis:
    """Explain why AWS rejected the credentials *client* signed *exc*'s request with."""
    from . import _replay  # noqa: PLC0415

    code = rejection_code(exc) or "?"
    base = _replay.replay(
        session,
        resolution=resolution,
        live_providers=live_providers,
        explicit=explicit,
    ).diagnosis
    used = _used_credentials(client)
    winner = used.method or base.resolved_by or "explicit"
    if winner not in {r.source for r in base.sources}:
        winner_report = None
    else:
        winner_report = base.source(winner)
    others = [
        r
        for r in base.sources
        if r.status is Status.SHADOWED
        and r.details.get("access_key_id") not in {None, mask_key_id(used.key_id)}
    ]
    region = str(getattr(getattr(client, "meta", None), "region_name", "") or "")
    reason, summary, hints = _reason(exc, code, used, winner, others, region, base)
    masked = mask_key_id(used.key_id)
    details: dict[str, Any] = {
        "error_code": code,
        "access_key_id": masked,
        "key_kind": key_kind(used.key_id),
        "session_token": used.has_token,
        "region": region or None,
        "alternatives": [
            {
                "source": r.source,
                "access_key_id": r.details.get("access_key_id"),
                "summary": r.summary,
            }
            for r in others
        ],
    }
    if winner_report is not None:
        details["supplied_by"] = winner_report.summary
    root = SourceReport(
        source=winner,
        status=Status.FAILED,
        code=reason,
        summary=summary,
        hints=hints,
        details=details,
    )
    sources = tuple(root if r.source == winner else r for r in base.sources)
    if winner_report is None:
        sources = (root, *sources)
    return Diagnosis(
        outcome=Outcome.ERROR,
        profile=base.profile,
        resolved_by=winner,
        root_cause=root,
        sources=sources,
        advice=base.advice,
    )


def _reason(
    exc: BaseException,
    code: str,
    used: _Used,
    winner: str,
    others: list[SourceReport],
    region: str,
    base: Diagnosis,
) -> tuple[str, str, tuple[str, ...]]:
    masked = mask_key_id(used.key_id)
    where = f"{winner} supplied key {masked}"
    skew = _skew_seconds(exc)
    if skew is not None and abs(skew) > MAX_SKEW_SECONDS:
        direction = "ahead of" if skew > 0 else "behind"
        return (
            CLOCK_SKEW,
            f"AWS answered {code}: the local clock is {abs(skew):.0f} s {direction} "
            "AWS's clock (the limit is 300 s).",
            (
                "Synchronise the clock: `sudo timedatectl set-ntp true` or "
                "`sudo chronyc makestep`; in a container or VM, fix the host's clock.",
            ),
        )
    explicit_report = base.source("explicit")
    if (
        winner == "explicit"
        and explicit_report is not None
        and explicit_report.status is Status.MISCONFIGURED
    ):
        return (
            explicit_report.code,
            f"AWS answered {code}: {explicit_report.summary}",
            explicit_report.hints,
        )
    env_report = base.source("env")
    env_details = env_report.details if env_report is not None else {}
    variables = set(env_details.get("variables_set", []))
    if (
        winner == "env"
        and {"AWS_SECURITY_TOKEN", "AWS_SESSION_TOKEN"} <= variables
        and code
        in {
            "ExpiredToken",
            "InvalidToken",
            "InvalidClientTokenId",
            "UnrecognizedClientException",
            "ExpiredTokenException",
        }
    ):
        return (
            SECURITY_TOKEN_OVERRIDE,
            f"AWS answered {code}: both AWS_SECURITY_TOKEN and AWS_SESSION_TOKEN "
            "are set, and botocore used AWS_SECURITY_TOKEN.",
            ("`unset AWS_SECURITY_TOKEN` (a leftover of older tools).",),
        )
    if used.key_id and used.key_id.startswith("ASIA") and not used.has_token:
        return (
            TEMP_KEY_WITHOUT_TOKEN,
            f"AWS answered {code}: {where}, a temporary (ASIA) key, without a "
            "session token.",
            (
                "Set AWS_SESSION_TOKEN (or aws_session_token in the profile) to "
                "the token issued with this key.",
                "Temporary keys cannot be used on their own; prefer a profile with "
                "role_arn or SSO that issues them for you.",
            ),
        )
    if winner == "env" and others:
        alternative = others[0]
        alt_key = alternative.details.get("access_key_id")
        return (
            STALE_ENV,
            f"AWS answered {code}: environment variables supplied key {masked}, "
            f"while {alternative.source} holds another key"
            + (f" ({alt_key})" if alt_key else "")
            + " that botocore never tried.",
            (
                "`unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN` "
                f"to use {alternative.source} instead.",
                "Or refresh the environment variables if they are the ones you want.",
            ),
        )
    if code in {"ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired"}:
        return (
            EXPIRED,
            f"AWS answered {code}: the session token that came with key {masked} "
            f"({winner}) has expired.",
            _refresh_hints(winner, base),
        )
    partition = _partition(region)
    if partition != "aws" and code in {
        "InvalidClientTokenId",
        "InvalidAccessKeyId",
        "UnrecognizedClientException",
        "AuthFailure",
    }:
        return (
            PARTITION,
            f"AWS answered {code} in region {region!r} ({partition} partition): "
            f"{where}, which may belong to another partition.",
            (f"Use credentials issued in the {partition} partition for {region!r}.",),
        )
    if code in {"SignatureDoesNotMatch", "InvalidSignatureException"}:
        return (
            WRONG_SECRET,
            f"AWS answered {code}: {where}, but the secret signed with does not "
            "belong to it.",
            (
                "Set the secret access key issued with this key id (check for "
                "stray spaces or quotes), or create a new key pair.",
            ),
        )
    return (
        UNKNOWN_KEY,
        f"AWS answered {code}: AWS does not recognise key {masked}, which {winner} "
        "supplied.",
        (
            "Check it with `aws iam list-access-keys` (with working credentials) "
            "or in the IAM console; create a new key if it was deleted.",
            "If a session token is set, check that it belongs to this key.",
        ),
    )


def _refresh_hints(winner: str, base: Diagnosis) -> tuple[str, ...]:
    profile = base.profile.name
    if winner == "sso":
        return (f"aws sso login --profile {profile}",)
    if winner == "env":
        return (
            "Export fresh AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and "
            "AWS_SESSION_TOKEN, or unset them to let a refreshable source "
            "(profile with role_arn, SSO, instance role) supply credentials.",
        )
    if winner in {"shared-credentials-file", "config-file"}:
        return (
            f"Replace the expired keys of profile {profile!r}, or configure it "
            "with role_arn/SSO so that botocore refreshes them.",
        )
    return (f"Get fresh credentials from {winner}.",)


def _partition(region: str) -> str:
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("us-iso"):
        return "aws-iso"
    return "aws"
