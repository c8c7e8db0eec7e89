"""Explain the container-credentials source (``container-role``).

ECS (the task role), EKS Pod Identity, CodeBuild and local emulators hand out
credentials over HTTP: botocore reads ``AWS_CONTAINER_CREDENTIALS_RELATIVE_URI``
(appended to ``http://169.254.170.2``) or else ``AWS_CONTAINER_CREDENTIALS_FULL_URI``
(after checking its host), sends the authorization token from
``AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`` or ``AWS_CONTAINER_AUTHORIZATION_TOKEN``,
and raises on every failure, which stops the chain. This explainer reads the recorded
exchange (or a bounded probe made with botocore's own provider) and names the
variable, the host, the token source or the answer that went wrong.
"""

from __future__ import annotations

import errno
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlparse

import attrs

from .. import _probe
from .._codes import define
from .._model import SourceReport, Status
from .._recording import Attempt, Exchange
from ._base import Explainer, ReplayContext, error_text, special_file

METHOD = "container-role"
RELATIVE = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
FULL = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
TOKEN = "AWS_CONTAINER_AUTHORIZATION_TOKEN"  # noqa: S105 (a variable name)
TOKEN_FILE = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"  # noqa: S105 (a variable name)
ECS_HOST = "169.254.170.2"
POD_IDENTITY_HOSTS = ("169.254.170.23", "fd00:ec2::23")
CHECK_PID1 = "cat /proc/1/environ | tr '\\0' '\\n' | grep AWS_CONTAINER"

FOUND = define(
    "container-role.found",
    title="Credentials came from the container credentials endpoint.",
    why="botocore fetched temporary credentials from the URL in "
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (ECS task role) or "
    "AWS_CONTAINER_CREDENTIALS_FULL_URI (EKS Pod Identity, CodeBuild, emulators).",
    fix="Nothing to fix.",
)
NOT_CONFIGURED = define(
    "container-role.not_configured",
    title="No container credentials endpoint is configured.",
    why="botocore uses container credentials only when "
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI "
    "is in the environment.",
    fix="Nothing to fix, unless this runs in ECS or with EKS Pod Identity.",
)
NO_TASK_ROLE = define(
    "container-role.no_task_role",
    title="This looks like an ECS task, but no task-role endpoint is set.",
    why="The ECS agent sets AWS_CONTAINER_CREDENTIALS_RELATIVE_URI in a container "
    "only when the task definition has a task role (taskRoleArn).",
    fix="Give the task definition a task role, or check that the variable was not "
    "lost (subprocess, sudo, docker exec).",
)
LOST_URI = define(
    "container-role.lost_uri",
    title="The container's main process has the credentials endpoint variable, "
    "but this process does not.",
    why="The ECS agent or EKS sets AWS_CONTAINER_CREDENTIALS_* in the environment of "
    "the container's main process only. A subprocess started with a fresh "
    "environment, a command run under sudo (which resets the environment) or a "
    "`docker exec` session does not inherit it, so botocore skips the source.",
    fix="Pass the variable on (`sudo --preserve-env=...`, env= of the subprocess, "
    "`docker exec -e ...`), after checking it with `cat /proc/1/environ | tr '\\0' "
    "'\\n' | grep AWS_CONTAINER`.",
)
EMPTY_FULL_URI = define(
    "container-role.empty_full_uri",
    title="AWS_CONTAINER_CREDENTIALS_FULL_URI is set but empty.",
    why="botocore uses the variable as soon as it exists, even empty, and raises "
    "ValueError: Unsupported host 'None', which stops the whole chain.",
    fix="Unset AWS_CONTAINER_CREDENTIALS_FULL_URI or give it the endpoint URL.",
)
HOST_NOT_ALLOWED = define(
    "container-role.host_not_allowed",
    title="botocore refuses the host of AWS_CONTAINER_CREDENTIALS_FULL_URI.",
    why="Over plain HTTP botocore only contacts a loopback address, 169.254.170.2, "
    "169.254.170.23, fd00:ec2::23 or localhost; any other host raises ValueError: "
    "Unsupported host, before any request, and stops the chain.",
    fix="Use https:// for a remote endpoint, or one of the allowed hosts.",
)
BAD_RELATIVE_URI = define(
    "container-role.bad_relative_uri",
    title="AWS_CONTAINER_CREDENTIALS_RELATIVE_URI does not start with '/'.",
    why="botocore appends the value to http://169.254.170.2 without checking it, so "
    "a value without a leading slash changes the host, which is then refused.",
    fix="The value must be a path such as /v2/credentials/<id>.",
)
TOKEN_FILE_MISSING = define(
    "container-role.token_file_missing",
    title="AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE names a file that does not exist.",
    why="botocore reads the token file on every fetch and lets the raw "
    "FileNotFoundError escape, which stops the chain.",
    fix="Point the variable at the mounted token file, or unset it.",
)
TOKEN_FILE_UNREADABLE = define(
    "container-role.token_file_unreadable",
    title="The authorization token file cannot be read.",
    why="botocore opens AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE on every fetch; any "
    "error escapes and stops the chain.",
    fix="Make the file readable by this user, or point the variable at another file.",
)
TOKEN_NEWLINE = define(
    "container-role.token_newline",
    title="The container authorization token contains a line break.",
    why="botocore rejects a token with CR or LF anywhere, including a trailing "
    "newline left by `echo` or an editor, with ValueError: Auth token value is not "
    "a legal header value, which stops the chain.",
    fix='Write the token without a newline (`printf %s "$TOKEN" > file`, or '
    "`tr -d '\\r\\n'`).",
)
REFUSED = define(
    "container-role.connection_refused",
    title="Nothing listens at the container credentials endpoint.",
    why="botocore tried 3 times, 1 second apart, and raised "
    "CredentialRetrievalError, which stops the chain.",
    fix="Check that the endpoint's agent runs here; the summary names it.",
)
TIMEOUT = define(
    "container-role.timeout",
    title="The container credentials endpoint did not answer in time.",
    why="botocore waits 2 seconds per try, tries 3 times with 1-second pauses "
    "(about 9 seconds), then raises CredentialRetrievalError.",
    fix="Check the network path to the endpoint; the summary names it.",
)
POD_IDENTITY_DOWN = define(
    "container-role.pod_identity_agent_unreachable",
    title="The EKS Pod Identity Agent does not answer.",
    why="With EKS Pod Identity the pod asks the agent on its node (169.254.170.23 or "
    "[fd00:ec2::23]). The agent runs as the eks-pod-identity-agent DaemonSet; if it "
    "is not installed or not running on the node, nothing answers.",
    fix="Install or repair the add-on: `aws eks create-addon --cluster-name "
    "<cluster> --addon-name eks-pod-identity-agent`.",
)
HTTP_ERROR = define(
    "container-role.http_error",
    title="The container credentials endpoint answered with an error status.",
    why="botocore needs HTTP 200; after 3 tries it raises CredentialRetrievalError "
    "with the body, which stops the chain.",
    fix="Act on the code and message the endpoint returned (see the summary).",
)
NOT_JSON = define(
    "container-role.not_json",
    title="The container credentials endpoint answered something that is not JSON.",
    why="botocore parses the body as JSON; after 3 tries it raises "
    "CredentialRetrievalError: Unable to parse JSON returned from container "
    "metadata services.",
    fix="Check that the URL points at a credentials endpoint and not at another "
    "service.",
)
MISSING_KEYS = define(
    "container-role.missing_keys",
    title="The container credentials document lacks required keys.",
    why="botocore reads AccessKeyId, SecretAccessKey, Token and Expiration and "
    "lets a raw KeyError escape when one is missing, which stops the chain.",
    fix="Fix the endpoint so it returns all four keys (emulators often omit Token "
    "or Expiration).",
)
NOT_PROBED = define(
    "container-role.not_probed",
    title="The container credentials endpoint was not probed.",
    why="Without a recorded resolution the diagnosis probes the endpoint only when "
    "network probes are on and the budget allows it.",
    fix="Run `credsafe doctor` without --no-network, or use credsafe.Session so the "
    "real exchange is recorded.",
)
RAISED = define(
    "container-role.error",
    title="The container provider raised an error, which stopped botocore's chain.",
    why="Once AWS_CONTAINER_CREDENTIALS_* is set, every failure of the container "
    "provider raises and stops the chain.",
    fix="Correct what the error names.",
)


@attrs.frozen
class _Config:
    url_var: str | None
    url: str | None
    ignored: str | None
    token_from: str | None
    token_path: str | None

    @property
    def host(self) -> str | None:
        if self.url is None:
            return None
        try:
            return urlparse(self.url).hostname
        except ValueError:
            return None


def _config(env: Mapping[str, str]) -> _Config:
    url_var: str | None = None
    url: str | None = None
    ignored = None
    if RELATIVE in env:
        url_var, url = RELATIVE, f"http://{ECS_HOST}{env[RELATIVE]}"
        if FULL in env:
            ignored = FULL
    elif FULL in env:
        url_var, url = FULL, env[FULL]
    token_from: str | None = None
    token_path: str | None = None
    if TOKEN_FILE in env:
        token_from, token_path = TOKEN_FILE, env[TOKEN_FILE]
    elif TOKEN in env:
        token_from = TOKEN
    return _Config(url_var, url, ignored, token_from, token_path)


def _is_pod_identity(cfg: _Config) -> bool:
    host = (cfg.host or "").strip("[]")
    if host in POD_IDENTITY_HOSTS:
        return True
    return "pods.eks.amazonaws.com" in (cfg.token_path or "")


@attrs.frozen
class _Verdict:
    code: str
    status: Status
    summary: str
    hints: tuple[str, ...] = ()
    stops_chain: bool = False


def _url_words(cfg: _Config) -> str:
    if cfg.url_var == RELATIVE:
        return f"{cfg.url} ({RELATIVE} appended to http://{ECS_HOST})"
    return f"{cfg.url!r} ({FULL})"


def _kind(ex: Exchange) -> str:
    error = ex.error or ""
    name = error.split(":", 1)[0]
    if name in ("ReadTimeoutError", "ConnectTimeoutError"):
        return "timeout"
    if name == "EndpointConnectionError":
        return "refused" if "refused" in error.lower() else "no_route"
    return "error"


def _fmt(ex: Exchange) -> str:
    outcome = (
        str(ex.status)
        if ex.status is not None
        else (ex.error or "no answer").split(":", 1)[0]
    )
    auth = " with Authorization" if ex.sent_token else ""
    waited = f" after {ex.elapsed_ms / 1000:.1f} s" if _kind(ex) == "timeout" else ""
    return f"GET{auth} -> {outcome}{waited}"


def _wire(exchanges: Sequence[Exchange]) -> str:
    if not exchanges:
        return "no request"
    parts = [_fmt(e) for e in exchanges]
    if len(set(parts)) == 1 and len(parts) > 1:
        return f"{len(parts)} x {parts[0]}"
    return "; ".join(parts)


def _pid1_grep(name: str) -> str:
    return CHECK_PID1.replace("AWS_CONTAINER", name)


def _not_configured(ctx: ReplayContext) -> _Verdict:
    runtime = ctx.runtime
    pid1 = runtime.pid1_vars or ()
    lost = [v for v in (RELATIVE, FULL) if v in pid1]
    if lost:
        how = (
            "this process runs under sudo, which resets the environment"
            if runtime.has("sudo")
            else "the variable was dropped on the way (a subprocess started with a "
            "fresh env=, sudo, or a `docker exec` session)"
        )
        return _Verdict(
            LOST_URI,
            Status.MISCONFIGURED,
            f"{lost[0]} is set in the container's main process (PID 1) but not in "
            f"this process, so botocore skips container credentials: {how}.",
            (
                f"Check: `{CHECK_PID1}`.",
                f"docker exec: `docker exec -e {lost[0]}=<value from PID 1> ...`, or "
                f"in the shell `export $({_pid1_grep(lost[0])})`.",
                f"sudo: `sudo --preserve-env={lost[0]} ...` (or `sudo -E`).",
                "subprocess: pass env={**os.environ, ...} instead of a fresh "
                "environment.",
            ),
        )
    if runtime.has("ecs"):
        return _Verdict(
            NO_TASK_ROLE,
            Status.MISCONFIGURED,
            f"this looks like an ECS task ({runtime.evidence.get('ecs')} is set) but "
            f"{RELATIVE} is not: the task definition has no task role, or the "
            "variable was lost in a subprocess, under sudo or in `docker exec`.",
            (
                "Give the task definition a task role (taskRoleArn) and redeploy.",
                f"Check the main process: `{CHECK_PID1}`.",
            ),
        )
    hints: tuple[str, ...] = ()
    if runtime.has("container") or runtime.has("eks"):
        hints = (
            "If the container's main process has it, it was lost here: "
            f"`{CHECK_PID1}`.",
        )
    return _Verdict(
        NOT_CONFIGURED,
        Status.NOT_CONFIGURED,
        f"{RELATIVE} and {FULL} are not set, so botocore skips container credentials.",
        hints,
    )


def _value_error(ctx: ReplayContext, cfg: _Config, error: BaseException) -> _Verdict:
    text = error_text(ctx, error)
    if "legal header value" in str(error):
        where = (
            f"the file {cfg.token_path} ({TOKEN_FILE})"
            if cfg.token_from == TOKEN_FILE
            else TOKEN
        )
        fix = (
            f'Rewrite the file without the newline: `printf %s "$(cat '
            f'{cfg.token_path})" > {cfg.token_path}.tmp && mv {cfg.token_path}.tmp '
            f"{cfg.token_path}`, and write it with `printf %s` rather than `echo`."
            if cfg.token_from == TOKEN_FILE
            else f'Set {TOKEN} without a line break (`export {TOKEN}="$(printf %s '
            '"$TOKEN" | tr -d \'\\r\\n\')"`).'
        )
        return _Verdict(
            TOKEN_NEWLINE,
            Status.MISCONFIGURED,
            f"the authorization token in {where} contains a line break (a trailing "
            "newline, most often), and botocore rejects it as not a legal header "
            f"value before sending anything ({text}).",
            (fix,),
            stops_chain=True,
        )
    if "Unsupported host" in str(error):
        if cfg.url_var == FULL and not (cfg.url or "").strip():
            return _Verdict(
                EMPTY_FULL_URI,
                Status.MISCONFIGURED,
                f"{FULL} is set but empty; botocore uses it anyway and raises "
                "ValueError: Unsupported host 'None', which stops the whole chain.",
                (
                    f"`unset {FULL}`, or give it the endpoint URL (check compose "
                    "files and CI variables that expand to nothing).",
                ),
                stops_chain=True,
            )
        if cfg.url_var == RELATIVE:
            return _Verdict(
                BAD_RELATIVE_URI,
                Status.MISCONFIGURED,
                f"{RELATIVE}={ctx.environ.get(RELATIVE, '')!r} does not start with "
                f"'/', so botocore builds {cfg.url!r}, whose host it refuses ({text}).",
                (f"Set {RELATIVE} to a path that starts with '/'.",),
                stops_chain=True,
            )
        return _Verdict(
            HOST_NOT_ALLOWED,
            Status.MISCONFIGURED,
            f"{FULL}={cfg.url!r}: botocore refuses the host {cfg.host!r} before "
            "sending anything, and the error stops the whole chain. Over http:// it "
            "only accepts a loopback address, 169.254.170.2, 169.254.170.23, "
            "fd00:ec2::23 or localhost.",
            (
                "Use https:// for an endpoint on another host, or one of the "
                "allowed hosts.",
                *(
                    (f"{FULL} is ignored anyway while {RELATIVE} is set.",)
                    if cfg.ignored
                    else ()
                ),
            ),
            stops_chain=True,
        )
    return _Verdict(
        RAISED,
        Status.MISCONFIGURED,
        f"botocore raised {text} while preparing the container credentials request.",
        ("Correct what the error names.",),
        stops_chain=True,
    )


def _os_error(ctx: ReplayContext, cfg: _Config, error: BaseException) -> _Verdict:
    if isinstance(error, FileNotFoundError):
        return _Verdict(
            TOKEN_FILE_MISSING,
            Status.MISCONFIGURED,
            f"{TOKEN_FILE}={cfg.token_path!r} names a file that does not exist; "
            "botocore lets the raw FileNotFoundError escape, which stops the chain.",
            (
                f"Point {TOKEN_FILE} at the mounted token file (EKS Pod Identity: "
                "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/"
                f"eks-pod-identity-token), or `unset {TOKEN_FILE}`.",
            ),
            stops_chain=True,
        )
    return _Verdict(
        TOKEN_FILE_UNREADABLE,
        Status.MISCONFIGURED,
        f"the token file {cfg.token_path!r} ({TOKEN_FILE}) cannot be read: "
        f"{error_text(ctx, error)}.",
        ("Make the file readable by this user, or point the variable elsewhere.",),
        stops_chain=True,
    )


def _static_errors(ctx: ReplayContext, cfg: _Config) -> _Verdict | None:
    """Run botocore's own pre-request checks (host, token): no network."""
    from botocore.credentials import ContainerProvider  # noqa: PLC0415
    from botocore.utils import ContainerMetadataFetcher  # noqa: PLC0415

    try:
        ContainerMetadataFetcher(session=object())._validate_allowed_url(cfg.url or "")
    except ValueError as exc:
        return _value_error(ctx, cfg, exc)
    if cfg.token_path and special_file(cfg.token_path):
        # botocore would open it on every fetch: a FIFO blocks, a device never
        # ends. The diagnosis reads no further.
        return _os_error(
            ctx,
            cfg,
            OSError(errno.EINVAL, "Not a regular file", cfg.token_path),
        )
    provider = ContainerProvider(environ=dict(ctx.environ))
    try:
        headers = provider._build_headers()
    except ValueError as exc:
        return _value_error(ctx, cfg, exc)
    except OSError as exc:
        return _os_error(ctx, cfg, exc)
    for value in (headers or {}).values():
        ctx.secrets.add(str(value))
        ctx.secrets.add(str(value).strip())
    return None


def _unreachable(cfg: _Config, exchanges: Sequence[Exchange]) -> _Verdict:
    kinds = {_kind(e) for e in exchanges}
    wire = _wire(exchanges)
    timed_out = kinds == {"timeout"}
    what = "did not answer in time" if timed_out else "refused the connection"
    if _is_pod_identity(cfg):
        return _Verdict(
            POD_IDENTITY_DOWN,
            Status.UNREACHABLE,
            f"the EKS Pod Identity Agent at {_url_words(cfg)} {what} ({wire}).",
            (
                "Check the agent on this node: `kubectl get daemonset "
                "eks-pod-identity-agent -n kube-system` and its pods' logs.",
                "Install it if missing: `aws eks create-addon --cluster-name "
                "<cluster> --addon-name eks-pod-identity-agent` (not needed on EKS "
                "Auto Mode).",
                "The agent listens on 169.254.170.23 and [fd00:ec2::23]; it cannot "
                "start on nodes where IPv6 is disabled unless configured for IPv4 "
                "only.",
            ),
        )
    if cfg.url_var == RELATIVE:
        hints: tuple[str, ...] = (
            f"{RELATIVE} only works inside an ECS task (or CodeBuild), where the "
            f"agent serves {ECS_HOST}; if this variable was copied into another "
            "environment, unset it.",
            "In ECS, check that the container can reach 169.254.170.2 (bridge and "
            "awsvpc network modes route it through the agent).",
        )
    else:
        hints = (
            f"Check that the service behind {cfg.url!r} is running and listening.",
        )
    return _Verdict(
        TIMEOUT if timed_out else REFUSED,
        Status.UNREACHABLE,
        f"the container credentials endpoint {_url_words(cfg)} {what} ({wire}); "
        "botocore raised CredentialRetrievalError, which stops the chain.",
        hints,
    )


def _classify(  # noqa: C901  (one branch per answer botocore can get)
    ctx: ReplayContext, cfg: _Config, attempt: Attempt
) -> _Verdict:
    error = attempt.error
    exchanges = list(attempt.exchanges)
    if isinstance(error, KeyError) or (
        attempt.result != "found"
        and exchanges
        and exchanges[-1].status == 200
        and exchanges[-1].body.get("missing_keys")
    ):
        missing = (
            list(exchanges[-1].body.get("missing_keys") or []) if exchanges else []
        )
        if not missing and error is not None:
            missing = [str(error).strip("'\"")]
        return _Verdict(
            MISSING_KEYS,
            Status.FAILED,
            f"{_url_words(cfg)} answered 200 with a JSON document that lacks "
            f"{', '.join(missing)}; botocore lets the raw KeyError escape, which "
            "stops the chain.",
            (
                "Fix the endpoint so it returns AccessKeyId, SecretAccessKey, Token "
                "and Expiration.",
            ),
        )
    if isinstance(error, ValueError):
        return _value_error(ctx, cfg, error)
    if isinstance(error, OSError):
        return _os_error(ctx, cfg, error)
    if attempt.result == "found":
        last = exchanges[-1] if exchanges else None
        key = last.body.get("access_key_id") if last is not None else None
        expires = last.body.get("expiration") if last is not None else None
        detail = ", ".join(
            p
            for p in (
                f"key {key}" if key else "",
                f"expiring {expires}" if expires else "",
            )
            if p
        )
        hints: tuple[str, ...] = ()
        if cfg.ignored:
            hints = (f"{FULL} is set too, but {RELATIVE} wins; unset {FULL}.",)
        return _Verdict(
            FOUND,
            Status.FOUND,
            f"temporary credentials from {_url_words(cfg)}"
            + (f" ({detail})" if detail else "")
            + ".",
            hints,
        )
    answered = [e for e in exchanges if e.status is not None]
    if exchanges and not answered:
        return _unreachable(cfg, exchanges)
    if answered:
        last = answered[-1]
        wire = _wire(exchanges)
        if last.status != 200:
            body = last.body
            said = ", ".join(
                f"{k} {body[k]!r}" for k in ("code", "message") if body.get(k)
            ) or (f"body {body['excerpt']!r}" if body.get("excerpt") else "no body")
            advice = [f"Act on what the endpoint said: {said}."]
            if last.status in (401, 403) and cfg.token_from:
                advice.insert(
                    0,
                    f"The endpoint refused the authorization token from "
                    f"{cfg.token_from}"
                    + (f" ({cfg.token_path})" if cfg.token_path else "")
                    + ": check that it is the current token for this task or pod.",
                )
            if _is_pod_identity(cfg):
                advice.append(
                    "Check the pod's association: `aws eks "
                    "list-pod-identity-associations --cluster-name <cluster> "
                    "--namespace <ns> --service-account <sa>`, and that the node "
                    "role allows eks-auth:AssumeRoleForPodIdentity."
                )
            return _Verdict(
                HTTP_ERROR,
                Status.FAILED,
                f"{_url_words(cfg)} answered HTTP {last.status} ({said}); botocore "
                f"raised CredentialRetrievalError, which stops the chain ({wire}).",
                tuple(advice),
            )
        if last.body.get("json") is False:
            return _Verdict(
                NOT_JSON,
                Status.FAILED,
                f"{_url_words(cfg)} answered 200 with a body that is not JSON "
                f"({last.body.get('content_type') or 'no content type'}, starts "
                f"{str(last.body.get('excerpt', ''))[:60]!r}) ({wire}).",
                (
                    "Check that the URL points at the credentials endpoint and not at "
                    "another service.",
                ),
            )
    if error is not None:
        return _Verdict(
            RAISED,
            Status.FAILED,
            f"asking {_url_words(cfg)} raised {error_text(ctx, error)}, which stops "
            "the chain.",
            ("Correct what the error names.",),
        )
    return _Verdict(
        RAISED,
        Status.FAILED,
        f"{_url_words(cfg)} gave no credentials ({_wire(exchanges)}).",
    )


def explain(  # noqa: C901  (recorded, static, probed, not probed)
    ctx: ReplayContext, provider: Any, attempt: Attempt | None
) -> SourceReport:
    """Explain what the container provider did, or would do."""
    cfg = _config(ctx.environ)
    details: dict[str, Any] = {
        "url": cfg.url,
        "url_from": cfg.url_var,
        "ignored": cfg.ignored,
        "token_from": cfg.token_from,
        "token_file": cfg.token_path,
        "pod_identity": _is_pod_identity(cfg) if cfg.url_var else False,
        "pid1_vars": None
        if ctx.runtime.pid1_vars is None
        else list(ctx.runtime.pid1_vars),
    }
    probe: _probe.ProbeResult | None = None
    if cfg.url_var is None and (attempt is None or attempt.result == "none"):
        # botocore's provider returns None without a request when neither variable
        # is set: the normal case everywhere but ECS/EKS.
        verdict = _not_configured(ctx)
    elif attempt is not None:
        verdict = _classify(ctx, cfg, attempt)
    else:
        static = None
        if provider is not None and ctx.resolution is None:
            static = _static_errors(ctx, cfg)
        reason = _probe.skip_reason(ctx, provider)
        if static is not None:
            verdict = static
        elif reason is None:
            probe = _probe.probe_container(ctx, provider)
            attempt = probe.attempt
            details.update(probe.details())
            verdict = _classify(ctx, cfg, attempt)
            if attempt.result in ("found", "raised"):
                verdict = attrs.evolve(verdict, stops_chain=True)
        else:
            verdict = _Verdict(
                NOT_PROBED,
                Status.SKIPPED,
                f"not probed ({reason}); botocore would ask {_url_words(cfg)}"
                + (f" with the token from {cfg.token_from}" if cfg.token_from else "")
                + ", and any failure there stops the chain.",
            )
    if attempt is not None:
        details["exchanges"] = [e.to_dict() for e in attempt.exchanges]
        if attempt.error is not None:
            details["exception"] = type(attempt.error).__name__
    if verdict.stops_chain:
        details["stops_chain"] = True
    hints = verdict.hints
    if cfg.ignored and verdict.code != FOUND:
        hints = (*hints, f"{FULL} is ignored: {RELATIVE} is set and wins.")
    return SourceReport(
        source=METHOD,
        status=verdict.status,
        code=verdict.code,
        summary=verdict.summary,
        hints=hints,
        duration_ms=None if attempt is None else attempt.duration_ms,
        details=details,
    )


#: The explainer of each METHOD this module covers.
EXPLAINERS: dict[str, Explainer] = {METHOD: explain}
