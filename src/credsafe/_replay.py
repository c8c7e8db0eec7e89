"""Replay botocore's provider chain and turn it into a :class:`Diagnosis`.

The replay walks the providers of a *fresh* resolver, built the way the session
builds its own (never the live one: ``AssumeRoleProvider`` keeps state across
loads, botocore#1780), in their real order, including providers the application
inserted into the live resolver. For each provider it takes what really happened
from the recorded resolution when there is one; otherwise it calls ``load()`` only
on providers that read the environment or files and nothing else. Then each
source's explainer says what it looked at, what it found and why.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any

import attrs

from . import _advice, _context
from ._codes import define
from ._explain import BOTOCORE_METHODS, explainer_for
from ._explain import explicit as explicit_explainer
from ._explain._base import (
    ReplayContext,
    error_text,
    generic_explain,
    special_file,
)
from ._explicit_args import ExplicitArgs
from ._model import (
    PROBLEM_STATUSES,
    Diagnosis,
    Outcome,
    ProfileInfo,
    SourceReport,
    Status,
)
from ._recording import Attempt, Resolution
from ._redact import mask_key_id, redact_text

#: Providers whose ``load()`` only reads the environment and local files: no
#: process, no network, no file writes. Everything else is explained statically.
SAFE_TO_LOAD = frozenset(
    {
        "env",
        "assume-role-with-web-identity",
        "sso",
        "shared-credentials-file",
        "config-file",
        "ec2-credentials-file",
        "boto-config",
    }
)

#: Default budget, in seconds, for all network probes of one diagnosis.
DEFAULT_BUDGET = 2.0

NOT_CONSULTED = define(
    "chain.not_consulted",
    title="botocore never reached this source.",
    why="botocore stops at the first source that supplies credentials or raises an "
    "error; sources after it are not consulted.",
    fix="Nothing, unless you meant this source to be used: then remove what stops "
    "the chain earlier (see the root cause).",
)
SHADOWED = define(
    "chain.shadowed",
    title="This source holds credentials, but an earlier source won.",
    why="botocore uses the first source that supplies credentials. A source later "
    "in the chain is never used while an earlier one succeeds; for example, "
    "environment variables silently win over the profile named by AWS_PROFILE.",
    fix="Remove the credentials of the earlier source (for example `unset "
    "AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN`), or pass the "
    "profile explicitly with profile_name=.",
)
CHAIN_NOT_BUILT = define(
    "chain.not_built",
    title="botocore could not build its credential chain.",
    why="botocore reads the profile and a few settings before it builds the chain; "
    "an error there means no source is consulted at all.",
    fix="Correct the error named by the root cause.",
)
DEFERRED_FAILURE = define(
    "generic.retrieval_failed",
    title="This source was selected, but fetching its credentials failed when they "
    "were first used.",
    why="Some sources (SSO, assume-role, web identity, refreshable credentials) only "
    "fetch credentials when a request is first signed; their errors appear at the "
    "API call, not when the client is created.",
    fix="Correct what the error names; the source's own explanation says how.",
)
EXPLAINER_FAILED = define(
    "internal.explainer_failed",
    title="credsafe could not explain this source.",
    why="The explainer of this source raised an unexpected error; the status comes "
    "from what botocore itself did.",
    fix="Please report this to credsafe with the output of `credsafe doctor --json`.",
)
NOTHING_CONFIGURED = define(
    "chain.nothing_configured",
    title="No credential source is configured anywhere.",
    why="Every source in botocore's chain was consulted and none had anything set "
    "up, so botocore raised NoCredentialsError.",
    fix="Configure the source that fits where the code runs; the hints name it.",
)


@attrs.frozen
class Replay:
    """The result of one replay.

    Attributes:
        diagnosis: The diagnosis.
        redact: Removes every secret met during the replay from a text.
    """

    diagnosis: Diagnosis
    redact: Callable[[str], str]


def profile_info(session: Any, environ: Mapping[str, str]) -> ProfileInfo:
    """Return the profile botocore resolves for *session*, and its origin."""
    explicit = session.instance_variables().get("profile")
    if explicit is not None:
        return ProfileInfo(name=str(explicit), origin="argument")
    try:
        name = session.get_config_variable("profile")
    except Exception:
        name = None
    if "AWS_DEFAULT_PROFILE" in environ:
        origin = "AWS_DEFAULT_PROFILE"
    elif "AWS_PROFILE" in environ:
        origin = "AWS_PROFILE"
    else:
        origin = "default"
    # AWS_DEFAULT_PROFILE='' makes botocore look for a profile named '' (it raises
    # ProfileNotFound): keep the empty name instead of calling it 'default'.
    return ProfileInfo(name="default" if name is None else str(name), origin=origin)


def replay(
    session: Any,
    *,
    resolution: Resolution | None = None,
    trigger: BaseException | None = None,
    live_providers: list[Any] | None = None,
    network: bool = True,
    budget: float = DEFAULT_BUDGET,
    environ: Mapping[str, str] | None = None,
    explicit: ExplicitArgs | None = None,
) -> Replay:
    """Diagnose the credential chain of the botocore *session*.

    Args:
        session: A ``botocore.session.Session``.
        resolution: What really happened, when the original resolution was
            recorded; its attempts are reused instead of running providers again.
        trigger: The exception that started the diagnosis, if any.
        live_providers: The providers of the session's live resolver, to include
            providers the application inserted; never loaded.
        network: Whether IMDS and container endpoints may be probed.
        budget: Seconds all probes together may take.
        environ: The environment to diagnose (default: ``os.environ``).
        explicit: Credential arguments passed in code, reported as the first
            source (``explicit``).
    """
    env = dict(os.environ if environ is None else environ)
    ctx = ReplayContext(
        session=session,
        environ=env,
        profile=profile_info(session, env),
        explicit_profile=session.instance_variables().get("profile") is not None,
        resolution=resolution,
        trigger=trigger,
        network=network,
        deadline=time.monotonic() + max(0.0, budget),
        runtime=_detect_runtime(env),
        explicit=explicit,
    )
    _collect_secrets(ctx, resolution, trigger)
    diagnosis = _diagnose(ctx, live_providers)
    return Replay(diagnosis=_sanitize(diagnosis, ctx), redact=ctx.redact)


def _diagnose(ctx: ReplayContext, live_providers: list[Any] | None) -> Diagnosis:
    chain, chain_error = _build_chain(ctx, live_providers)
    reports, stops = _walk(ctx, chain, chain_error)
    stop_index = next((i for i, stop in enumerate(stops) if stop), None)
    outcome, resolved_by = Outcome.NOT_FOUND, None
    root: SourceReport | None = None
    if stop_index is not None:
        stopper = reports[stop_index]
        if stopper.status is not Status.FOUND:
            outcome, root = Outcome.ERROR, stopper
        elif _is_deferred_failure(ctx):
            stopper = _as_deferred_failure(ctx, stopper)
            reports[stop_index] = stopper
            outcome, root = Outcome.ERROR, stopper
        else:
            outcome, resolved_by = Outcome.FOUND, stopper.source
        for i in range(stop_index + 1, len(reports)):
            reports[i] = _not_consulted(reports[i], stopper, chain_error)
    if outcome is Outcome.NOT_FOUND:
        root = _rank_root_cause(ctx, reports)
    return Diagnosis(
        outcome=outcome,
        profile=ctx.profile,
        resolved_by=resolved_by,
        root_cause=root,
        sources=tuple(reports),
        advice=_collect_advice(ctx, tuple(reports)),
    )


def _walk(
    ctx: ReplayContext,
    chain: list[tuple[str, Any]],
    chain_error: BaseException | None,
) -> tuple[list[SourceReport], list[bool]]:
    """Explain every source in chain order; say which ones stop the chain."""
    reports: list[SourceReport] = []
    stops: list[bool] = []
    if ctx.explicit is not None:
        reports.append(_explain_explicit(ctx))
        stops.append(ctx.explicit.used_by_botocore() or ctx.explicit.raises())
    if ctx.explicit_profile and "env" not in {method for method, _ in chain}:
        reports.append(_explain(ctx, "env", None, None))
        stops.append(False)
    trigger_source = None if chain_error is None else _attribute(chain_error, ctx)
    for method, provider in chain:
        attempt = _attempt_for(ctx, method, provider, chain_error, trigger_source)
        report = _with_key_id(ctx, _explain(ctx, method, provider, attempt))
        reports.append(report)
        stops.append(
            (attempt is not None and attempt.result in {"found", "raised"})
            or (attempt is None and report.status is Status.FOUND)
            or bool(report.details.get("stops_chain"))
        )
        if stops[-1] and ctx.stopped_by is None:
            ctx.stopped_by = method  # later sources are never probed
    return reports, stops


def _rank_root_cause(
    ctx: ReplayContext, reports: list[SourceReport]
) -> SourceReport | None:
    """The root cause when no source stopped the chain."""
    problems = [r for r in reports if r.status in PROBLEM_STATUSES]
    # Where the context names the usual source (EC2: iam-role, ECS:
    # container-role), its problem outranks earlier ones.
    expected = _expected_sources(ctx)
    root = next((r for r in problems if r.source in expected), None) or next(
        iter(problems), None
    )
    return root if root is not None else _nothing_configured(ctx, reports)


def _detect_runtime(env: Mapping[str, str]) -> _context.RuntimeContext:
    """The runtime context; unknown (not a reason to lose the diagnosis) on a fault."""
    try:
        return _context.detect(env)
    except Exception:
        return _context.RuntimeContext(kinds=())


def _collect_advice(
    ctx: ReplayContext, reports: tuple[SourceReport, ...]
) -> tuple[Any, ...]:
    """Advice is best effort: a fault there never costs the diagnosis."""
    try:
        return _advice.collect(ctx, reports)
    except Exception:
        return ()


def _explain_explicit(ctx: ReplayContext) -> SourceReport:
    try:
        return explicit_explainer.explain(ctx, ctx.explicit)
    except Exception as exc:
        return SourceReport(
            source=explicit_explainer.METHOD,
            status=Status.MISCONFIGURED,
            code=EXPLAINER_FAILED,
            summary=f"credsafe could not explain the credentials passed in code "
            f"({type(exc).__name__}).",
            details={"explainer_error": type(exc).__name__},
        )


def _build_chain(
    ctx: ReplayContext, live_providers: list[Any] | None
) -> tuple[list[tuple[str, Any]], BaseException | None]:
    """Return ``[(METHOD, fresh provider or None)]`` in chain order."""
    from botocore.credentials import create_credential_resolver  # noqa: PLC0415

    try:
        fresh = create_credential_resolver(
            ctx.session,
            region_name=getattr(ctx.session, "_last_client_region_used", None),
        ).providers
    except Exception as exc:
        methods = [
            m for m in BOTOCORE_METHODS if not (ctx.explicit_profile and m == "env")
        ]
        return [(m, None) for m in methods], exc
    by_method = {getattr(p, "METHOD", type(p).__name__): p for p in fresh}
    if not live_providers:
        return list(by_method.items()), None
    chain: list[tuple[str, Any]] = []
    for live in live_providers:
        method = str(getattr(live, "METHOD", type(live).__name__))
        # botocore's own sources use the fresh instance; a provider the application
        # inserted is reported from its live instance, which is never loaded.
        chain.append((method, by_method.get(method, live)))
    return chain, None


def _attempt_for(
    ctx: ReplayContext,
    method: str,
    provider: Any,
    chain_error: BaseException | None,
    trigger_source: str | None,
) -> Attempt | None:
    if chain_error is not None:
        if method == trigger_source:
            return Attempt(
                method=method, result="raised", duration_ms=0.0, error=chain_error
            )
        return None
    if ctx.resolution is not None:
        recorded = ctx.resolution.attempt(method)
        if recorded is not None or not ctx.resolution.attempts:
            return recorded
        # Not reached by the real resolution: a safe load still tells whether the
        # source holds credentials (reported as shadowed).
    if method not in SAFE_TO_LOAD or provider is None or method not in BOTOCORE_METHODS:
        return None
    if method == "ec2-credentials-file" and special_file(
        os.path.expanduser(ctx.environ.get("AWS_CREDENTIAL_FILE", ""))
    ):
        # botocore reads it whole: a FIFO would block, /dev/urandom never ends.
        return None
    start = time.perf_counter()
    try:
        creds = provider.load()
    except Exception as exc:
        return Attempt(
            method=method,
            result="raised",
            duration_ms=(time.perf_counter() - start) * 1000,
            error=exc,
        )
    elapsed = (time.perf_counter() - start) * 1000
    if creds is None:
        return Attempt(method=method, result="none", duration_ms=elapsed)
    _remember_credential_secrets(ctx, creds)
    _remember_key_id(ctx, method, creds)
    return Attempt(
        method=method,
        result="found",
        duration_ms=elapsed,
        credential_method=getattr(creds, "method", None),
    )


def _explain(
    ctx: ReplayContext, method: str, provider: Any, attempt: Attempt | None
) -> SourceReport:
    explainer = explainer_for(method)
    try:
        report = _checked(explainer(ctx, provider, attempt))
    except Exception as exc:
        fallback = generic_explain(ctx, provider, attempt)
        return attrs.evolve(
            fallback,
            source=method,
            code=EXPLAINER_FAILED,
            summary=f"credsafe could not explain this source "
            f"({type(exc).__name__}); botocore's outcome: {fallback.summary}",
            details={**fallback.details, "explainer_error": type(exc).__name__},
        )
    if report.duration_ms is None and attempt is not None:
        report = attrs.evolve(report, duration_ms=attempt.duration_ms)
    if report.source != method and provider is None and attempt is None:
        # The generic explainer names a source by its provider, absent here.
        report = attrs.evolve(
            report, source=method, summary=report.summary.replace("NoneType", method)
        )
    return report


def _checked(report: Any) -> SourceReport:
    """*report*, if it is a :class:`SourceReport` (else the explainer failed)."""
    if not isinstance(report, SourceReport):
        raise TypeError(f"explainer returned {type(report).__name__}")
    return report


def _not_consulted(
    report: SourceReport, stopper: SourceReport, chain_error: BaseException | None
) -> SourceReport:
    # Every source after the one that stopped the chain reads the same way, whatever
    # its own explainer said (e.g. "not probed"); that finding stays in details.
    if chain_error is not None:
        return attrs.evolve(
            report,
            status=Status.SKIPPED,
            code=CHAIN_NOT_BUILT,
            summary="not consulted: botocore could not build its chain "
            f"(see {stopper.source}).",
            hints=(),
            details={"finding": report.code},
        )
    if report.status is Status.FOUND:
        return attrs.evolve(
            report,
            status=Status.SHADOWED,
            code=SHADOWED,
            summary=f"{report.summary} Not used: {stopper.source} comes first in "
            + (
                "the chain and won."
                if stopper.status is Status.FOUND
                else "the chain and raised an error, which stopped it."
            ),
            hints=(
                f"To use these credentials instead, remove the credentials of "
                f"{stopper.source}.",
            ),
            details={
                **report.details,
                "finding": report.code,
                "winner": stopper.source,
            },
        )
    why = (
        "which supplied the credentials"
        if stopper.status is Status.FOUND
        else "which raised an error"
    )
    return attrs.evolve(
        report,
        status=Status.SKIPPED,
        code=NOT_CONSULTED,
        summary=f"not consulted: botocore stopped at {stopper.source}, {why}.",
        hints=(),
        details={
            **report.details,
            "finding": report.code,
            "finding_summary": report.summary,
            "stopped_at": stopper.source,
        },
    )


def _is_deferred_failure(ctx: ReplayContext) -> bool:
    trigger = ctx.trigger
    if trigger is None:
        return False
    return type(trigger).__name__ != "NoCredentialsError" or ctx.resolution is None


def _as_deferred_failure(ctx: ReplayContext, report: SourceReport) -> SourceReport:
    assert ctx.trigger is not None
    if ctx.trigger is not None and type(ctx.trigger).__name__ == "NoCredentialsError":
        # The chain found credentials now, but the client had none: they were
        # missing when the client was created.
        return attrs.evolve(
            report,
            status=Status.FAILED,
            code=DEFERRED_FAILURE,
            summary=f"{report.summary} But the client that failed was created "
            "before these credentials were available.",
            hints=("Create the client again now that credentials are available.",),
        )
    return attrs.evolve(
        report,
        status=Status.FAILED,
        code=DEFERRED_FAILURE,
        summary=f"{report.source} was selected, but fetching its credentials "
        f"failed: {error_text(ctx, ctx.trigger)}",
        hints=report.hints,
        details={
            **report.details,
            "finding": report.code,
            "exception": type(ctx.trigger).__name__,
        },
    )


_TRIGGER_SOURCES = {
    "InvalidIMDSEndpointError": "iam-role",
    "InvalidIMDSEndpointModeError": "iam-role",
    "MetadataRetrievalError": "iam-role",
}


def _attribute(error: BaseException | None, ctx: ReplayContext) -> str:
    """Name the source an error raised while building the chain belongs to."""
    name = type(error).__name__
    if name in _TRIGGER_SOURCES:
        return _TRIGGER_SOURCES[name]
    if name == "ConfigParseError":
        path = str(getattr(error, "kwargs", {}).get("path", ""))
        creds_file = str(ctx.session.get_config_variable("credentials_file") or "")
        if (
            path
            and creds_file
            and os.path.abspath(ctx.expand_path(creds_file)) == os.path.abspath(path)
        ):
            return "shared-credentials-file"
        return "config-file"
    if name == "ValueError" and "int()" in str(error):
        return "iam-role"
    return "config-file"


def _expected_sources(ctx: ReplayContext) -> tuple[str, ...]:
    """Sources the local evidence says are meant to supply credentials here."""
    runtime = ctx.runtime
    expected: list[str] = []
    if runtime.kinds:
        expected.append(_CONTEXT_HINTS.get(runtime.primary, ("", ()))[0])
    if runtime.has("ecs") or any(
        v.startswith("AWS_CONTAINER_CREDENTIALS_") for v in runtime.pid1_vars or ()
    ):
        expected.append("container-role")
    if runtime.has("ec2"):
        expected.append("iam-role")
    return tuple(expected)


def _nothing_configured(
    ctx: ReplayContext, reports: list[SourceReport]
) -> SourceReport | None:
    """Pick the source the runtime context calls for, with hints for that context."""
    runtime = ctx.runtime
    primary = runtime.primary
    wanted, hints = _CONTEXT_HINTS.get(primary, _CONTEXT_HINTS["laptop"])
    if primary == "ci":
        hints = _CI_OIDC_HINTS.get(runtime.ci_name or "", ()) + hints
    if primary == "ec2" and runtime.has("container"):
        hints = (*hints, _CONTAINER_ON_EC2_HINT)
    values = {
        "{ci}": runtime.ci_name or "your CI system",
        "{instance_id}": runtime.instance_id or "<instance-id>",
        "{sudo_home}": f"~{runtime.sudo_user}" if runtime.sudo_user else "~<user>",
    }
    for marker, value in values.items():
        hints = tuple(h.replace(marker, value) for h in hints)
    if not any(r.source == "login" for r in reports):
        # botocore < 1.41 has no login provider: `aws login` would not help.
        hints = tuple(h.replace(_AWS_LOGIN_OPTION, "") for h in hints)
    # A source that knows the concrete fix (the profile to choose, say) puts it first.
    advising = [r for r in reports if r.details.get("advice_when_nothing_found")]
    specific = tuple(h for r in advising for h in r.hints)
    hints = specific + tuple(h for h in hints if h not in specific)
    base = next((r for r in reports if r.source == wanted), None)
    summary = (
        "no credential source is configured"
        + (
            f" (this looks like {_CONTEXT_NAMES.get(primary, primary)})"
            if runtime.kinds
            else ""
        )
        + f"; {wanted} is the usual source here."
    )
    if advising:
        summary += f" But {advising[0].summary}"
    return SourceReport(
        source=wanted,
        status=base.status if base is not None else Status.NOT_CONFIGURED,
        code=NOTHING_CONFIGURED,
        summary=summary,
        hints=hints,
        details={"context": list(runtime.kinds), "evidence": dict(runtime.evidence)},
    )


_CONTEXT_NAMES = {
    "lambda": "AWS Lambda",
    "ecs": "Amazon ECS",
    "eks": "Kubernetes/EKS",
    "ec2": "Amazon EC2",
    "ci": "a CI job",
    "sudo": "a sudo'd process",
    "container": "a container",
    "cron": "a cron job",
    "systemd": "a systemd service",
    "laptop": "a workstation",
}

# OIDC federation, per CI system: no long-lived keys to store as secrets.
_CI_OIDC_HINTS: dict[str, tuple[str, ...]] = {
    "GitHub Actions": (
        "Use OIDC: give the job `permissions: id-token: write` and a step "
        "`uses: aws-actions/configure-aws-credentials@v4` with `role-to-assume: "
        "arn:aws:iam::<account>:role/<role>` and `aws-region`.",
    ),
    "GitLab CI": (
        "Use OIDC: declare `id_tokens: AWS_TOKEN: {aud: sts.amazonaws.com}` in the "
        "job, write $AWS_TOKEN to a file and set AWS_ROLE_ARN and "
        "AWS_WEB_IDENTITY_TOKEN_FILE to it.",
    ),
    "CircleCI": (
        "Use OIDC: write $CIRCLE_OIDC_TOKEN_V2 to a file and set AWS_ROLE_ARN and "
        "AWS_WEB_IDENTITY_TOKEN_FILE to it.",
    ),
}
_CONTAINER_ON_EC2_HINT = (
    "Inside a container on EC2 the IMDSv2 token reply needs a hop limit of 2: `aws "
    "ec2 modify-instance-metadata-options --instance-id {instance_id} "
    "--http-put-response-hop-limit 2 --http-endpoint enabled`."
)

_AWS_LOGIN_OPTION = ", or `aws login` (AWS CLI 2.32+)"
_CONTEXT_HINTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "laptop": (
        "shared-credentials-file",
        (
            "Run `aws configure` to write ~/.aws/credentials, or `aws configure sso` "
            f"for IAM Identity Center{_AWS_LOGIN_OPTION}.",
            "If credentials live in another profile, set AWS_PROFILE=<name> or pass "
            "profile_name=.",
        ),
    ),
    "ci": (
        "env",
        (
            "Add AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY as secrets of {ci} and "
            "expose them to this job's environment, or better, use OIDC federation "
            "(assume-role-with-web-identity).",
        ),
    ),
    "lambda": (
        "env",
        (
            "Lambda supplies the execution role's credentials in AWS_ACCESS_KEY_ID, "
            "AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN; check that the function "
            "code does not overwrite or delete them.",
        ),
    ),
    "ecs": (
        "container-role",
        (
            "Give the ECS task definition a task role (taskRoleArn); the agent then "
            "sets AWS_CONTAINER_CREDENTIALS_RELATIVE_URI in the container.",
        ),
    ),
    "eks": (
        "assume-role-with-web-identity",
        (
            "Annotate the pod's service account with eks.amazonaws.com/role-arn "
            "(IRSA), or create an EKS Pod Identity association for it.",
        ),
    ),
    "ec2": (
        "iam-role",
        (
            "Attach an instance profile: `aws ec2 associate-iam-instance-profile "
            "--instance-id {instance_id} --iam-instance-profile "
            "Name=<profile>`.",
        ),
    ),
    "sudo": (
        "shared-credentials-file",
        (
            "sudo changes HOME or drops variables: use `sudo -E`, or point "
            "AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE at the real user's "
            "files ({sudo_home}/.aws/credentials and {sudo_home}/.aws/config).",
        ),
    ),
    "container": (
        "env",
        (
            "A container does not see the host's ~/.aws: pass credentials in "
            "(`docker run -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY -e "
            "AWS_SESSION_TOKEN ...`) or mount the files read-only (`-v "
            "$HOME/.aws:/root/.aws:ro -e AWS_PROFILE=<name>`).",
        ),
    ),
    "cron": (
        "shared-credentials-file",
        (
            "cron starts jobs with a minimal environment: AWS_PROFILE and other "
            "variables from your shell are not set, and HOME may differ. Set them "
            "in the crontab (`AWS_PROFILE=<name>` on its own line) or in the "
            "script.",
        ),
    ),
    "systemd": (
        "shared-credentials-file",
        (
            "systemd services do not inherit your shell's environment: set "
            "`Environment=AWS_PROFILE=<name>` (and HOME if the service runs as "
            "another user) in the unit, or use an instance profile on EC2.",
        ),
    ),
}


def _collect_secrets(
    ctx: ReplayContext, resolution: Resolution | None, trigger: BaseException | None
) -> None:
    """Gather every secret value the diagnosis might meet, to redact it anywhere."""
    del trigger
    for name in (
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    ):
        value = ctx.environ.get(name)
        if value:
            ctx.secrets.add(value)
            ctx.secrets.add(value.strip())
    config = ctx.full_config() or {}
    for profile in (config.get("profiles") or {}).values():
        if not isinstance(profile, Mapping):
            continue
        for key in ("aws_secret_access_key", "aws_session_token", "aws_security_token"):
            value = profile.get(key)
            if isinstance(value, str) and value:
                ctx.secrets.add(value)
    if resolution is not None and resolution.credentials is not None:
        _remember_credential_secrets(ctx, resolution.credentials)
        winner = next((a for a in resolution.attempts if a.result == "found"), None)
        if winner is not None:
            _remember_key_id(ctx, winner.method, resolution.credentials)


def _remember_key_id(ctx: ReplayContext, method: str, creds: Any) -> None:
    # The stored field only: a deferred credential's property would fetch it (SSO,
    # STS), and a refreshable one's may refresh.
    fields = getattr(creds, "__dict__", {})
    key = fields.get("access_key") or fields.get("_access_key")
    if isinstance(key, str) and key:
        masked = mask_key_id(key.strip())
        if masked is not None:
            ctx.key_ids[method] = masked


def _with_key_id(ctx: ReplayContext, report: SourceReport) -> SourceReport:
    """Add the masked key id of what the source supplied to its ``details``."""
    masked = ctx.key_ids.get(report.source)
    if masked is None or report.status is not Status.FOUND:
        return report
    if "access_key_id" in report.details:
        return report
    return attrs.evolve(report, details={**report.details, "access_key_id": masked})


def _remember_credential_secrets(ctx: ReplayContext, creds: Any) -> None:
    # Read the stored fields, never the properties: on refreshable credentials the
    # properties may trigger a refresh (a network call).
    fields = getattr(creds, "__dict__", {})
    for name in ("secret_key", "_secret_key", "token", "_token"):
        value = fields.get(name)
        if isinstance(value, str) and value:
            ctx.secrets.add(value)


def _sanitize(diagnosis: Diagnosis, ctx: ReplayContext) -> Diagnosis:
    """Redact every text of *diagnosis*: no explainer can leak a secret."""

    def clean(report: SourceReport | None) -> SourceReport | None:
        if report is None:
            return None
        return attrs.evolve(
            report,
            summary=ctx.redact(report.summary),
            hints=tuple(ctx.redact(h) for h in report.hints),
            details=_clean_value(report.details, ctx.secrets),
        )

    return attrs.evolve(
        diagnosis,
        root_cause=clean(diagnosis.root_cause),
        sources=tuple(clean(r) for r in diagnosis.sources),  # type: ignore[misc]
        advice=tuple(
            attrs.evolve(
                item,
                summary=ctx.redact(item.summary),
                hints=tuple(ctx.redact(h) for h in item.hints),
                details=_clean_value(item.details, ctx.secrets),
            )
            for item in diagnosis.advice
        ),
    )


def _clean_value(value: Any, secrets: set[str]) -> Any:
    """Redact every text in *value*: strings, keys, and objects shown as text."""
    if isinstance(value, str):
        return redact_text(value, secrets)
    if value is None or isinstance(value, bool | int | float | Enum):
        return value
    if isinstance(value, Mapping):
        return {
            _clean_key(k, secrets): _clean_value(v, secrets) for k, v in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [_clean_value(v, secrets) for v in value]
    # Anything else becomes str(value) in to_dict(): redact that text now.
    return redact_text(str(value), secrets)


def _clean_key(key: Any, secrets: set[str]) -> Any:
    if key is None or isinstance(key, bool | int | float | Enum):
        return key
    return redact_text(str(key), secrets)
