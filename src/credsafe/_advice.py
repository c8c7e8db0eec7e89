"""Security advice the diagnosis can check for itself.

The diagnosis already knows where credentials live; this module says what a careful
engineer would: files readable by others, long-term keys where the runtime offers
something better, the same key copied into several places, static keys next to a
role. Each finding is an :class:`~credsafe.Advice` with its own ``advice.*`` code and
a severity (``warning`` or ``info``); advice never changes the exception or the
outcome. What cannot be known offline (whether a key belongs to the root user) is
never claimed.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from typing import Any

from ._codes import define
from ._explain._base import ReplayContext
from ._model import Advice, SourceReport, Status
from ._redact import mask_key_id

FILE_PERMISSIONS = define(
    "advice.file_permissions",
    title="A credentials or config file is readable by other users.",
    why="Anyone who can read ~/.aws/credentials can use the keys in it; the AWS CLI "
    "creates it readable by its owner only.",
    fix="`chmod 600 <file>` (and `chmod 700 ~/.aws`).",
)
FILE_OWNER = define(
    "advice.file_owner",
    title="A credentials or config file is owned by another user.",
    why="A file owned by someone else can be changed by them: they can make this "
    "process use their keys or run their credential_process. It also often means "
    "the process runs as another user than intended (sudo, a service account).",
    fix="`chown $(id -un) <file>`, or point AWS_SHARED_CREDENTIALS_FILE / "
    "AWS_CONFIG_FILE at files of the user the process runs as.",
)
LONG_TERM_KEYS = define(
    "advice.long_term_keys",
    title="Long-term access keys are used where the runtime offers temporary "
    "credentials.",
    why="Long-term (AKIA) keys never expire and leak easily; EC2, ECS, EKS and CI "
    "systems with OIDC can hand out short-lived credentials instead.",
    fix="Use the runtime's role (instance profile, task role, IRSA or Pod Identity, "
    "OIDC federation) and delete the keys.",
)
DUPLICATE_KEY = define(
    "advice.duplicate_key_id",
    title="The same access key id is stored in several places.",
    why="Copies drift: after a rotation, one copy keeps the old secret and fails "
    "while another works, which is hard to see.",
    fix="Keep one copy (for example one profile) and refer to it (AWS_PROFILE, "
    "source_profile) instead of copying the keys.",
)
STATIC_NEXT_TO_ROLE = define(
    "advice.static_keys_next_to_role",
    title="Static keys win over a role that is available here.",
    why="Environment variables and files come before the container and instance "
    "roles in botocore's chain, so static keys silently replace the role.",
    fix="Remove the static keys so that the role's temporary credentials are used.",
)

_STATIC_SOURCES = frozenset({"env", "shared-credentials-file", "config-file"})
_ROLE_SOURCES = {
    "ec2": "an EC2 instance profile",
    "ecs": "an ECS task role",
    "eks": "IRSA or EKS Pod Identity",
}
_OIDC = {
    "GitHub Actions": "OIDC federation (aws-actions/configure-aws-credentials with "
    "role-to-assume)",
    "GitLab CI": "OIDC federation (id_tokens with AssumeRoleWithWebIdentity)",
}


def collect(
    ctx: ReplayContext, reports: tuple[SourceReport, ...]
) -> tuple[Advice, ...]:
    """Return the advice for the diagnosed environment; never raises."""
    advice: list[Advice] = []
    for check in (_file_checks, _key_checks):
        try:
            advice.extend(check(ctx, reports))
        except Exception:  # advice is best effort; it never breaks a diagnosis
            continue
    return tuple(advice)


def _files(ctx: ReplayContext) -> Iterator[tuple[str, str]]:
    for variable, label in (
        ("credentials_file", "credentials file"),
        ("config_file", "config file"),
    ):
        try:
            path = ctx.session.get_config_variable(variable)
        except Exception:
            continue
        if path:
            yield label, ctx.expand_path(str(path))


def _file_checks(
    ctx: ReplayContext, reports: tuple[SourceReport, ...]
) -> Iterator[Advice]:
    del reports
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    for label, path in _files(ctx):
        try:
            info = os.stat(path)
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            yield Advice(
                code=FILE_PERMISSIONS,
                severity="warning",
                source=None,
                summary=f"the {label} {path} has mode {mode:o}: readable by "
                + (
                    "group and others"
                    if mode & 0o044 == 0o044
                    else "others"
                    if mode & 0o004
                    else "its group"
                )
                + ".",
                hints=(f"chmod 600 {path}",),
                details={"path": path, "mode": f"{mode:o}"},
            )
        if uid is not None and info.st_uid != uid:
            yield Advice(
                code=FILE_OWNER,
                severity="warning",
                source=None,
                summary=f"the {label} {path} is owned by uid {info.st_uid}, but "
                f"this process runs as uid {uid}.",
                hints=(
                    f"chown $(id -un) {path}",
                    "Or point AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE at the "
                    "files of the user this process runs as.",
                ),
                details={"path": path, "owner_uid": info.st_uid, "uid": uid},
            )


def _key_locations(ctx: ReplayContext) -> list[tuple[str, str]]:
    """Every ``(where, key id)`` of static keys: environment and every profile."""
    found: list[tuple[str, str]] = []
    key = ctx.environ.get("AWS_ACCESS_KEY_ID", "").strip()
    if key:
        found.append(("AWS_ACCESS_KEY_ID", key))
    from botocore.configloader import raw_config_parse  # noqa: PLC0415

    for label, path in _files(ctx):
        try:
            sections: dict[str, Any] = raw_config_parse(path)
        except Exception:
            continue
        for section, values in sections.items():
            value = (
                values.get("aws_access_key_id") if isinstance(values, dict) else None
            )
            if isinstance(value, str) and value.strip():
                found.append((f"[{section}] in the {label} {path}", value.strip()))
    return found


def _key_checks(
    ctx: ReplayContext, reports: tuple[SourceReport, ...]
) -> Iterator[Advice]:
    locations = _key_locations(ctx)
    by_key: dict[str, list[str]] = {}
    for where, key in locations:
        by_key.setdefault(key, []).append(where)
    for key, places in by_key.items():
        if len(places) > 1:
            yield Advice(
                code=DUPLICATE_KEY,
                severity="info",
                source=None,
                summary=f"access key {mask_key_id(key)} is stored in "
                f"{len(places)} places: {'; '.join(places)}.",
                hints=(
                    "Keep one copy and refer to it (AWS_PROFILE, source_profile) "
                    "instead of copying it.",
                ),
                details={
                    "access_key_id": mask_key_id(key),
                    "places": places,
                    # A stable, non-reversible id to correlate across reports.
                    "key_fingerprint": hashlib.sha256(key.encode()).hexdigest()[:12],
                },
            )

    winner = next((r for r in reports if r.status is Status.FOUND), None)
    kinds = set(ctx.runtime.kinds)
    long_term = [(w, k) for w, k in locations if k.startswith("AKIA")]
    better = [text for kind, text in _ROLE_SOURCES.items() if kind in kinds]
    if "ci" in kinds and ctx.runtime.ci_name in _OIDC:
        better.append(_OIDC[str(ctx.runtime.ci_name)])
    if long_term and better:
        where, key = long_term[0]
        yield Advice(
            code=LONG_TERM_KEYS,
            severity="warning",
            source="env" if where == "AWS_ACCESS_KEY_ID" else None,
            summary=f"long-term access key {mask_key_id(key)} ({where}) is used "
            f"where {better[0]} could supply temporary credentials.",
            hints=(f"Use {better[0]} and delete the long-term key.",),
            details={"access_key_id": mask_key_id(key), "context": sorted(kinds)},
        )
    role_configured = [
        r.source
        for r in reports
        if r.source in {"container-role", "assume-role-with-web-identity"}
        and r.status in {Status.SHADOWED, Status.FOUND}
    ]
    if "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" in ctx.environ or (
        "AWS_CONTAINER_CREDENTIALS_FULL_URI" in ctx.environ
    ):
        role_configured.append("container-role")
    if winner is not None and winner.source in _STATIC_SOURCES and role_configured:
        yield Advice(
            code=STATIC_NEXT_TO_ROLE,
            severity="warning",
            source=winner.source,
            summary=f"static keys from {winner.source} win over "
            f"{role_configured[0]}, which is configured here.",
            hints=(
                f"Remove the static keys of {winner.source} so that "
                f"{role_configured[0]} supplies temporary credentials.",
            ),
            details={"role_source": role_configured[0]},
        )
