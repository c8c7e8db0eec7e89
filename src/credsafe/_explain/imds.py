"""Explain the instance-metadata source (``iam-role``) from the real HTTP exchange.

botocore's ``InstanceMetadataFetcher`` asks for an IMDSv2 token (``PUT
/latest/api/token``), falls back to IMDSv1 when that fails, lists the role
(``GET .../iam/security-credentials/``) and fetches its credentials. Everything that
goes wrong is swallowed and logged at DEBUG level; the chain just moves on. This
explainer reads each recorded exchange (or, without a recording, a bounded probe
made with botocore's own fetcher) and says what happened on the wire and what to
change.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlparse

import attrs

from .. import _probe
from .._codes import define
from .._model import SourceReport, Status
from .._recording import Attempt, Exchange
from ._base import Explainer, ReplayContext, error_text

METHOD = "iam-role"
DISABLED_VAR = "AWS_EC2_METADATA_DISABLED"
V1_DISABLED_VAR = "AWS_EC2_METADATA_V1_DISABLED"
ENDPOINT_VAR = "AWS_EC2_METADATA_SERVICE_ENDPOINT"
MODE_VAR = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"
DEFAULT_URL = "http://169.254.169.254/"
IPV6_URL = "http://[fd00:ec2::254]/"
_ROLE_PATH = "/latest/meta-data/iam/security-credentials/"

_MODIFY = "aws ec2 modify-instance-metadata-options --instance-id {iid}"
_DESCRIBE = (
    "aws ec2 describe-instances --instance-ids {iid} "
    "--query 'Reservations[].Instances[].MetadataOptions'"
)

FOUND = define(
    "iam-role.found",
    title="Credentials came from the EC2 instance metadata service (IMDS).",
    why="botocore asked IMDS for the instance profile's role and its temporary "
    "credentials.",
    fix="Nothing to fix.",
)
DISABLED = define(
    "iam-role.disabled",
    title="IMDS is disabled by AWS_EC2_METADATA_DISABLED=true.",
    why="With AWS_EC2_METADATA_DISABLED set to 'true' (any case), botocore never "
    "contacts the instance metadata service.",
    fix="Unset AWS_EC2_METADATA_DISABLED if this code runs on EC2 and should use the "
    "instance profile.",
)
DISABLE_IGNORED = define(
    "iam-role.disable_value_ignored",
    title="AWS_EC2_METADATA_DISABLED is set, but not to 'true', so IMDS is still "
    "contacted.",
    why="botocore disables IMDS only when the variable equals 'true' "
    "(case-insensitive); '1', 'yes' or 'on' leave it enabled, and each resolution "
    "waits for IMDS.",
    fix="Set AWS_EC2_METADATA_DISABLED=true.",
)
INVALID_ENDPOINT = define(
    "iam-role.invalid_endpoint",
    title="The IMDS endpoint setting is not a valid URL.",
    why="botocore validates AWS_EC2_METADATA_SERVICE_ENDPOINT (or the "
    "ec2_metadata_service_endpoint config key) when it builds the chain and raises "
    "InvalidIMDSEndpointError, so no source at all is consulted.",
    fix="Set it to a URL such as http://169.254.169.254/ or http://[fd00:ec2::254]/, "
    "or unset it.",
)
INVALID_MODE = define(
    "iam-role.invalid_endpoint_mode",
    title="The IMDS endpoint mode is neither IPv4 nor IPv6.",
    why="botocore accepts only 'ipv4' or 'ipv6' (any case) for "
    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE / ec2_metadata_service_endpoint_mode, "
    "and raises InvalidIMDSEndpointModeError otherwise, before any source runs.",
    fix="Set it to IPv4 or IPv6, or unset it.",
)
BAD_SETTING = define(
    "iam-role.bad_setting",
    title="An IMDS timeout or attempt setting is not an integer.",
    why="botocore converts AWS_METADATA_SERVICE_TIMEOUT and "
    "AWS_METADATA_SERVICE_NUM_ATTEMPTS (or metadata_service_timeout / "
    "metadata_service_num_attempts) with int(); '0.5' raises ValueError while the "
    "chain is built.",
    fix="Use a whole number of seconds, such as 1 or 2.",
)
REFUSED = define(
    "iam-role.connection_refused",
    title="Nothing listens at the IMDS endpoint: the connection was refused.",
    why="A refused connection means the address answered but no metadata service "
    "listens there: this is not an EC2 instance, or a custom endpoint points at the "
    "wrong place. botocore moves on silently.",
    fix="Off EC2, configure another credential source. On EC2, check "
    "AWS_EC2_METADATA_SERVICE_ENDPOINT and local firewall rules.",
)
TIMEOUT = define(
    "iam-role.timeout",
    title="The IMDS endpoint did not answer in time.",
    why="botocore waits metadata_service_timeout seconds (default 1) per request. "
    "A silent endpoint means no route to it (not on EC2, a firewall, a container "
    "network without access) or a metadata service that hangs.",
    fix="On EC2, check routes and firewall rules to 169.254.169.254 (`curl -v "
    "http://169.254.169.254/`); off EC2, set AWS_EC2_METADATA_DISABLED=true to stop "
    "waiting.",
)
NO_ROUTE = define(
    "iam-role.no_route",
    title="The IMDS address is unreachable from this network.",
    why="The operating system reported no route to the metadata address, which "
    "happens off EC2 and in container networks that block link-local traffic.",
    fix="Run where IMDS is reachable, or use another credential source.",
)
IPV6_UNREACHABLE = define(
    "iam-role.ipv6_unreachable",
    title="IMDS was asked over IPv6, and nothing answered there.",
    why="In IPv6 endpoint mode botocore asks http://[fd00:ec2::254]/ only. The IPv6 "
    "endpoint must be enabled per instance and exists only on Nitro instances in "
    "IPv6-enabled subnets; the IPv4 endpoint is never tried.",
    fix="Unset AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE (IPv4 is the default), or "
    "enable the IPv6 endpoint with `aws ec2 modify-instance-metadata-options "
    "--instance-id <id> --http-protocol-ipv6 enabled`.",
)
HOP_LIMIT = define(
    "iam-role.hop_limit",
    title="The IMDSv2 token request timed out while the GET requests were "
    "answered: the PUT response hop limit is too low.",
    why="The instance's HttpPutResponseHopLimit sets the IP TTL of the token "
    "response. Inside a container the reply needs one more hop, so with a limit of "
    "1 it is dropped and botocore waits out its timeout, then falls back to IMDSv1. "
    "If the instance requires IMDSv2, IMDSv1 is refused and no credentials come.",
    fix="`aws ec2 modify-instance-metadata-options --instance-id <id> "
    "--http-put-response-hop-limit 2 --http-endpoint enabled` (or set the hop limit "
    "in the launch template), or run the container with host networking.",
)
TOKEN_REFUSED = define(
    "iam-role.token_refused",
    title="IMDS refused the IMDSv2 token request.",
    why="botocore treats 403, 404 and 405 on PUT /latest/api/token as 'no IMDSv2' "
    "and falls back to IMDSv1. A 403 means the metadata service is turned off for "
    "the instance or refused the request (for example a request carrying "
    "X-Forwarded-For); 404/405 usually mean something other than IMDS answered.",
    fix="Check the instance's metadata options (`aws ec2 describe-instances`), "
    "and any proxy between this process and IMDS.",
)
ENDPOINT_DISABLED = define(
    "iam-role.endpoint_disabled",
    title="The instance metadata service is turned off for this instance.",
    why="IMDS answers 403 Forbidden to every request when the instance's "
    "HttpEndpoint option is disabled.",
    fix="`aws ec2 modify-instance-metadata-options --instance-id <id> "
    "--http-endpoint enabled`.",
)
TOKEN_BAD_REQUEST = define(
    "iam-role.token_bad_request",
    title="IMDS answered 400 Bad Request to the token request, and botocore gave up.",
    why="On a 400 to PUT /latest/api/token botocore stops at once (no IMDSv1 "
    "fallback). IMDS sends 400 when the PUT is malformed, for example when a proxy "
    "or sidecar altered it.",
    fix="Make sure nothing rewrites requests to 169.254.169.254 (proxies, "
    "iptables redirects, service meshes).",
)
V1_REJECTED = define(
    "iam-role.v1_rejected",
    title="IMDS requires IMDSv2 tokens, and no token could be obtained.",
    why="An instance with HttpTokens=required answers 401 to every request without "
    "a token. botocore fell back to IMDSv1 because its token request failed, so the "
    "role could not be read.",
    fix="Fix the token request (see the summary); do not turn IMDSv2 off.",
)
V1_DISABLED = define(
    "iam-role.v1_disabled_no_token",
    title="IMDSv1 is disabled on the client and no IMDSv2 token could be obtained.",
    why="With AWS_EC2_METADATA_V1_DISABLED=true (or ec2_metadata_v1_disabled) "
    "botocore raises MetadataRetrievalError instead of falling back to IMDSv1 when "
    "the token request fails, and that error stops the whole chain.",
    fix="Fix the token request (see the summary), or unset "
    "AWS_EC2_METADATA_V1_DISABLED if this code does not run on EC2.",
)
NO_PROFILE = define(
    "iam-role.no_instance_profile",
    title="This EC2 instance has no instance profile (no IAM role).",
    why="IMDS answered, but GET /latest/meta-data/iam/security-credentials/ gave "
    "404 (or nothing): no role is attached to the instance.",
    fix="`aws ec2 associate-iam-instance-profile --instance-id <id> "
    "--iam-instance-profile Name=<profile>`.",
)
ROLE_LIST_FAILED = define(
    "iam-role.role_list_failed",
    title="IMDS failed to list the instance's role.",
    why="botocore needs the role name from GET .../iam/security-credentials/ and "
    "retries it metadata_service_num_attempts times on any non-200 answer.",
    fix="Retry; if it persists, check the instance's metadata options and proxies.",
)
ROLE_CREDENTIALS_ERROR = define(
    "iam-role.role_credentials_error",
    title="The instance role is listed, but IMDS could not supply its credentials.",
    why="IMDS answers an error document (Code/Message) instead of credentials when "
    "it cannot assume the role, most often because the role's trust policy does not "
    "allow ec2.amazonaws.com; botocore only logs it at DEBUG level.",
    fix="Let EC2 assume the role: its trust policy needs a statement allowing "
    'Principal {"Service": "ec2.amazonaws.com"} the action sts:AssumeRole.',
)
ROLE_CREDENTIALS_HTTP = define(
    "iam-role.role_credentials_http_error",
    title="The instance role is listed, but fetching its credentials failed with an "
    "HTTP error.",
    why="A 404 means the role named in the listing no longer belongs to the "
    "instance profile (it was changed or deleted); 5xx is a transient IMDS failure.",
    fix="For 404, replace the instance profile association (`aws ec2 "
    "describe-iam-instance-profile-associations`, then `aws ec2 "
    "replace-iam-instance-profile-association`); for 5xx, retry.",
)
NOT_JSON = define(
    "iam-role.not_json",
    title="Something other than IMDS answered: the body is not the expected JSON.",
    why="botocore sends IMDS requests through HTTP_PROXY/HTTPS_PROXY unless NO_PROXY "
    "covers the metadata address, so a corporate proxy may answer with an HTML page.",
    fix="Add the metadata addresses to NO_PROXY: `export "
    "NO_PROXY=169.254.169.254,fd00:ec2::254,$NO_PROXY`.",
)
PROXY_UNREACHABLE = define(
    "iam-role.proxy_unreachable",
    title="botocore sent IMDS requests through a proxy that could not be reached.",
    why="IMDS requests honour HTTP_PROXY unless NO_PROXY covers the metadata "
    "address; a proxy connection error is not caught by botocore's IMDS fetcher and "
    "stops the whole chain.",
    fix="Add the metadata addresses to NO_PROXY: `export "
    "NO_PROXY=169.254.169.254,fd00:ec2::254,$NO_PROXY`.",
)
EXPIRED = define(
    "iam-role.expired",
    title="IMDS returned credentials that have already expired.",
    why="IMDS serves the last credentials it has when it cannot refresh them; "
    "botocore extends their lifetime by a few minutes and AWS then rejects them "
    "(ExpiredToken). A wrong system clock has the same effect.",
    fix="Check the system clock (`timedatectl status`); if the clock is right, wait "
    "and retry, and if it persists stop and start the instance.",
)
NOT_PROBED = define(
    "iam-role.not_probed",
    title="IMDS was not probed.",
    why="Without a recorded resolution the diagnosis probes IMDS only when network "
    "probes are on and the budget allows it.",
    fix="Run `credsafe doctor` without --no-network, or use credsafe.Session so the "
    "real exchange is recorded.",
)
NO_EXCHANGE = define(
    "iam-role.no_credentials",
    title="IMDS was consulted and gave no credentials, but no exchange was recorded.",
    why="The recording of the HTTP exchanges was not in place for this resolution.",
    fix="Use credsafe.Session (or credsafe.wrap the session before the first client) "
    "so the exchanges are recorded.",
)
RAISED = define(
    "iam-role.error",
    title="The IMDS provider raised an error, which stopped botocore's chain.",
    why="Most IMDS failures are swallowed, but some errors escape and stop the chain.",
    fix="Correct what the error names.",
)


@attrs.frozen
class _Settings:
    base_url: str
    endpoint_from: str
    mode: str
    mode_from: str | None
    timeout: Any
    attempts: Any
    v1_disabled: bool
    disabled_value: str | None
    proxies: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "endpoint": self.base_url,
            "endpoint_from": self.endpoint_from,
            "endpoint_mode": self.mode,
            "timeout_s": self.timeout,
            "num_attempts": self.attempts,
            "v1_disabled": self.v1_disabled,
            "proxies": dict(self.proxies),
        }


def _strip_userinfo(url: str) -> str:
    parsed = urlparse(url)
    if parsed.username or parsed.password:
        host = parsed.hostname or ""
        port = f":{parsed.port}" if parsed.port else ""
        return parsed._replace(netloc=f"{host}{port}").geturl()
    return url


def _proxies_for(url: str) -> dict[str, str]:
    try:
        from botocore.utils import get_environ_proxies  # noqa: PLC0415

        proxies = get_environ_proxies(url)
    except Exception:
        return {}
    scheme = urlparse(url).scheme or "http"
    return {
        k: _strip_userinfo(str(v))
        for k, v in (proxies or {}).items()
        if k == scheme and v
    }


def _config_var(ctx: ReplayContext, name: str) -> Any:
    try:
        return ctx.session.get_config_variable(name)
    except Exception:
        return None


def _settings(ctx: ReplayContext, provider: Any) -> _Settings:
    env = ctx.environ
    fetcher = getattr(provider, "_role_fetcher", None)
    custom = env.get(ENDPOINT_VAR) or _config_var(ctx, "ec2_metadata_service_endpoint")
    mode_raw = env.get(MODE_VAR) or _config_var(
        ctx, "ec2_metadata_service_endpoint_mode"
    )
    mode_from: str | None = None
    if env.get(MODE_VAR):
        mode_from = MODE_VAR
    elif mode_raw:
        mode_from = "ec2_metadata_service_endpoint_mode"
    elif env.get("AWS_IMDS_USE_IPV6") or _config_var(ctx, "imds_use_ipv6"):
        mode_raw, mode_from = (
            "ipv6",
            ("AWS_IMDS_USE_IPV6" if env.get("AWS_IMDS_USE_IPV6") else "imds_use_ipv6"),
        )
    mode = str(mode_raw or "ipv4").lower()
    if fetcher is not None:
        base = str(fetcher.get_base_url())
    elif custom:
        base = str(custom)
    else:
        base = IPV6_URL if mode == "ipv6" else DEFAULT_URL
    if custom:
        endpoint_from = (
            ENDPOINT_VAR if env.get(ENDPOINT_VAR) else ("ec2_metadata_service_endpoint")
        )
    elif mode == "ipv6":
        endpoint_from = f"{mode_from} = ipv6"
    else:
        endpoint_from = "default"
    return _Settings(
        base_url=base,
        endpoint_from=endpoint_from,
        mode=mode,
        mode_from=mode_from,
        timeout=getattr(fetcher, "_timeout", None),
        attempts=getattr(fetcher, "_num_attempts", None),
        v1_disabled=bool(getattr(fetcher, "_imds_v1_disabled", False))
        or str(env.get(V1_DISABLED_VAR, "")).lower() == "true",
        disabled_value=env.get(DISABLED_VAR),
        proxies=_proxies_for(base),
    )


def _where(s: _Settings) -> str:
    if s.endpoint_from == "default":
        return s.base_url
    return f"{s.base_url} (from {s.endpoint_from})"


def _iid(ctx: ReplayContext) -> str:
    return ctx.runtime.instance_id or "<instance-id>"


def _is_ipv6(url: str) -> bool:
    host = urlparse(url).hostname or ""
    try:
        return ipaddress.ip_address(host).version == 6
    except ValueError:
        return False


# -- reading exchanges ----------------------------------------------------------


def _kind(ex: Exchange) -> str:
    """The failure kind of an exchange that got no response."""
    error = ex.error or ""
    name = error.split(":", 1)[0]
    if name == "ReadTimeoutError":
        return "read_timeout"
    if name == "ConnectTimeoutError":
        return "connect_timeout"
    if name == "ProxyConnectionError":
        return "proxy"
    if name == "EndpointConnectionError":
        lowered = error.lower()
        if "refused" in lowered:
            return "refused"
        if "unreachable" in lowered or "no route" in lowered:
            return "no_route"
        return "connect_failed"
    if name == "ConnectionClosedError":
        return "closed"
    return "error"


def _step(ex: Exchange) -> str:
    path = urlparse(ex.url).path
    if ex.method == "PUT":
        return "token"
    if path.endswith(_ROLE_PATH) or path.rstrip("/") + "/" == _ROLE_PATH:
        return "role"
    return "credentials"


def _looks_foreign(ex: Exchange) -> bool:
    """A 200 whose body is not what IMDS sends (HTML, a proxy page)."""
    if ex.status != 200:
        return False
    body = ex.body
    ctype = str(body.get("content_type", "")).lower()
    if "html" in ctype:
        return True
    if _step(ex) == "credentials":
        return body.get("json") is False
    if _step(ex) == "role":
        lines = body.get("lines") or []
        return any(str(line).lstrip().startswith("<") for line in lines)
    return False


def _fmt(ex: Exchange) -> str:
    path = urlparse(ex.url).path or "/"
    outcome = (
        str(ex.status)
        if ex.status is not None
        else (ex.error or "no answer").split(":", 1)[0]
    )
    token = " with token" if ex.sent_token else ""
    waited = (
        f" after {ex.elapsed_ms / 1000:.1f} s"
        if _kind(ex) in ("read_timeout", "connect_timeout")
        else ""
    )
    return f"{ex.method} {path}{token} -> {outcome}{waited}"


def _wire(exchanges: Sequence[Exchange]) -> str:
    return "; ".join(_fmt(e) for e in exchanges)


@attrs.frozen
class _Verdict:
    code: str
    status: Status
    summary: str
    hints: tuple[str, ...] = ()


def _nothing_answered(
    ctx: ReplayContext, s: _Settings, exchanges: Sequence[Exchange]
) -> _Verdict:
    kinds = {_kind(e) for e in exchanges}
    wire = _wire(exchanges)
    expected_here = ctx.runtime.has("ec2") or ctx.runtime.has("eks")
    status = Status.UNREACHABLE if expected_here else Status.NOT_CONFIGURED
    off_ec2 = (
        ""
        if expected_here
        else " Nothing suggests this is an EC2 instance, so this is expected here."
    )
    disabled_hint = (
        f"If this code never runs on EC2, `export {DISABLED_VAR}=true` so botocore "
        "stops waiting for IMDS."
    )
    if _is_ipv6(s.base_url) and kinds <= {
        "refused",
        "no_route",
        "connect_failed",
        "connect_timeout",
        "read_timeout",
    }:
        hints: list[str] = []
        custom = s.endpoint_from in (ENDPOINT_VAR, "ec2_metadata_service_endpoint")
        if not custom and s.mode_from is not None:
            hints.append(
                f"`unset {s.mode_from}` (or set it to IPv4): botocore then asks "
                f"{DEFAULT_URL}, which every instance serves."
            )
        else:
            hints.append(
                f"Point {ENDPOINT_VAR} at an address that answers (the IPv4 "
                f"endpoint is {DEFAULT_URL}), or unset it."
            )
        hints.append(
            f"Or enable the IPv6 endpoint: `{_MODIFY.format(iid=_iid(ctx))} "
            "--http-protocol-ipv6 enabled` (Nitro instances in an IPv6-enabled "
            "subnet only)."
        )
        return _Verdict(
            IPV6_UNREACHABLE,
            Status.UNREACHABLE,
            f"IMDS was asked over IPv6 at {_where(s)} and nothing answered "
            f"({wire}); botocore never tries the IPv4 endpoint in this mode.",
            tuple(hints),
        )
    if "refused" in kinds:
        return _Verdict(
            REFUSED,
            status,
            f"nothing listens at {_where(s)}: the connection was refused ({wire})."
            + off_ec2,
            (disabled_hint,)
            if not expected_here
            else (
                f"Check {ENDPOINT_VAR} and local firewall rules (`sudo iptables -L "
                "-n | grep 169.254`).",
            ),
        )
    if "no_route" in kinds or "connect_failed" in kinds:
        return _Verdict(
            NO_ROUTE,
            status,
            f"the IMDS address {_where(s)} is unreachable from here ({wire})."
            + off_ec2,
            (disabled_hint,),
        )
    waited = sum(e.elapsed_ms for e in exchanges) / 1000
    return _Verdict(
        TIMEOUT,
        status,
        f"IMDS at {_where(s)} did not answer: {len(exchanges)} request(s) timed out, "
        f"{waited:.1f} s lost ({wire})." + off_ec2,
        (
            disabled_hint,
            "On EC2, check that this network namespace can reach the metadata "
            "address: `curl -sv -m 2 -X PUT -H 'x-aws-ec2-metadata-token-ttl-seconds: "
            f"60' {s.base_url.rstrip('/')}/latest/api/token`.",
        ),
    )


def _token_story(puts: Sequence[Exchange]) -> tuple[str, str]:
    """(kind, words) describing why no IMDSv2 token was obtained."""
    if not puts:
        return "none", "no token request was made"
    last = puts[-1]
    if last.status is None:
        kind = _kind(last)
        if kind == "read_timeout":
            return "timeout", (
                f"the token request (PUT /latest/api/token) timed out after "
                f"{last.elapsed_ms / 1000:.1f} s"
            )
        return kind, f"the token request failed ({(last.error or '').split(':', 1)[0]})"
    if last.status in (403, 404, 405):
        return "refused", f"IMDS answered {last.status} to the token request"
    if last.status == 200:
        return "ok", "a token was obtained"
    return "failed", f"the token request got HTTP {last.status}"


def _hop_limit_hints(ctx: ReplayContext) -> tuple[str, ...]:
    iid = _iid(ctx)
    return (
        "Raise the instance's HttpPutResponseHopLimit to 2 so the token response "
        f"survives the container's extra hop: `{_MODIFY.format(iid=iid)} "
        "--http-put-response-hop-limit 2 --http-endpoint enabled` (for an Auto "
        "Scaling group or EKS node group, set it in the launch template's metadata "
        "options).",
        f"Check the current value: `{_DESCRIBE.format(iid=iid)}`.",
        "Or run the container with host networking (`--network host`).",
    )


def _proxy_words(s: _Settings) -> str:
    if not s.proxies:
        return ""
    proxy = next(iter(s.proxies.values()))
    return (
        f" botocore sent these requests through the proxy {proxy} (from the "
        "HTTP_PROXY/http_proxy variable) because NO_PROXY does not cover "
        f"{urlparse(s.base_url).hostname}."
    )


def _classify(  # noqa: C901  (one branch per IMDS state, in wire order)
    ctx: ReplayContext, s: _Settings, attempt: Attempt
) -> _Verdict:
    exchanges = list(attempt.exchanges)
    wire = _wire(exchanges)
    puts = [e for e in exchanges if _step(e) == "token"]
    roles = [e for e in exchanges if _step(e) == "role"]
    creds = [e for e in exchanges if _step(e) == "credentials"]
    put_kind, token_words = _token_story(puts)
    iid = _iid(ctx)

    foreign = next((e for e in exchanges if _looks_foreign(e)), None)
    if foreign is not None:
        excerpt = foreign.body.get("excerpt") or foreign.body.get("lines") or ""
        return _Verdict(
            NOT_JSON,
            Status.FAILED,
            f"something other than IMDS answered at {_where(s)}: {_fmt(foreign)} "
            f"returned {foreign.body.get('content_type') or 'a body'} that is not "
            f"the IMDS format (starts {str(excerpt)[:60]!r})." + _proxy_words(s),
            (
                "Exempt the metadata addresses from the proxy: `export "
                "NO_PROXY=169.254.169.254,fd00:ec2::254${NO_PROXY:+,$NO_PROXY}` "
                "(and the same for no_proxy).",
            ),
        )

    answered = [e for e in exchanges if e.status is not None]
    if not answered:
        return _nothing_answered(ctx, s, exchanges)

    # The token step.
    if puts and puts[-1].status == 400 and not roles:
        return _Verdict(
            TOKEN_BAD_REQUEST,
            Status.FAILED,
            f"IMDS at {_where(s)} answered 400 Bad Request to the token request and "
            f"botocore gave up without trying IMDSv1 ({wire}).",
            (
                "Make sure nothing rewrites requests to the metadata address "
                "(proxies, iptables redirects, service-mesh sidecars).",
            ),
        )

    role_statuses = [e.status for e in roles if e.status is not None]
    hop = put_kind == "timeout" and bool(role_statuses)
    if roles and all(e.status is None for e in roles):
        # The token step answered (or not) but the role listing got no answer.
        verdict = _nothing_answered(ctx, s, roles)
        return attrs.evolve(
            verdict,
            summary=f"IMDS stopped answering when botocore listed the role: "
            f"{verdict.summary}",
        )

    last_role = roles[-1] if roles else None
    if last_role is not None and last_role.status == 401 and not last_role.sent_token:
        if hop:
            return _Verdict(
                HOP_LIMIT,
                Status.FAILED,
                f"{token_words}, while IMDS at {_where(s)} answered the GET requests: "
                "the token response is dropped on its way back, which is what an "
                "HttpPutResponseHopLimit of 1 does to a process in a container. The "
                "instance requires IMDSv2 (HttpTokens=required), so botocore's "
                f"IMDSv1 fallback got 401 ({wire}).",
                _hop_limit_hints(ctx),
            )
        if put_kind == "refused":
            return _Verdict(
                TOKEN_REFUSED,
                Status.FAILED,
                f"{token_words} at {_where(s)}, so botocore fell back to IMDSv1, but "
                "the instance requires IMDSv2 tokens and answered 401 Unauthorized "
                f"({wire}). Something between this process and IMDS (a proxy, a "
                "sidecar, a request carrying X-Forwarded-For) refuses the token "
                "request.",
                (
                    "Check the instance's metadata options: "
                    f"`{_DESCRIBE.format(iid=iid)}`.",
                    "Exempt the metadata address from proxies: `export "
                    "NO_PROXY=169.254.169.254,fd00:ec2::254${NO_PROXY:+,$NO_PROXY}`.",
                ),
            )
        return _Verdict(
            V1_REJECTED,
            Status.FAILED,
            f"the instance requires IMDSv2 tokens but {token_words}, so botocore's "
            f"IMDSv1 fallback got 401 Unauthorized ({wire}).",
            (
                "Check the instance's metadata options: "
                f"`{_DESCRIBE.format(iid=iid)}`.",
                "Look for a proxy or firewall rule that blocks PUT requests to the "
                "metadata address.",
            ),
        )
    if (
        last_role is not None
        and last_role.status == 403
        and puts
        and puts[-1].status == 403
    ):
        return _Verdict(
            ENDPOINT_DISABLED,
            Status.FAILED,
            f"IMDS at {_where(s)} answers 403 Forbidden to every request: the "
            f"instance metadata service is turned off for this instance ({wire}).",
            (
                f"Turn it on: `{_MODIFY.format(iid=iid)} --http-endpoint enabled`.",
                f"Check: `{_DESCRIBE.format(iid=iid)}` (HttpEndpoint).",
            ),
        )
    if last_role is not None and (
        last_role.status == 404 or (last_role.status == 200 and not creds)
    ):
        return _Verdict(
            NO_PROFILE,
            Status.MISCONFIGURED,
            f"IMDS at {_where(s)} answered, but lists no IAM role: this instance has "
            f"no instance profile ({wire}).",
            (
                "Attach one: `aws ec2 associate-iam-instance-profile --instance-id "
                f"{iid} --iam-instance-profile Name=<instance-profile-name>`.",
                "Check: `aws ec2 describe-iam-instance-profile-associations "
                f"--filters Name=instance-id,Values={iid}`.",
            ),
        )
    if last_role is not None and last_role.status != 200:
        return _Verdict(
            ROLE_LIST_FAILED,
            Status.FAILED,
            f"IMDS at {_where(s)} answered HTTP {last_role.status} when botocore "
            f"listed the instance role ({wire}).",
            ("Retry; if it persists, check the instance's metadata options.",),
        )

    role = _role_name(roles)
    if creds:
        last = creds[-1]
        body: Mapping[str, Any] = last.body
        if last.status is None:
            verdict = _nothing_answered(ctx, s, creds)
            return attrs.evolve(
                verdict,
                status=Status.UNREACHABLE,
                summary=f"IMDS listed the role {role!r} but did not answer the "
                f"credentials request: {verdict.summary}",
            )
        if last.status != 200:
            fix = (
                (
                    "The role listed is no longer in the instance profile: replace "
                    "the association (`aws ec2 describe-iam-instance-profile-"
                    f"associations --filters Name=instance-id,Values={iid}`, then "
                    "`aws ec2 replace-iam-instance-profile-association "
                    "--association-id <id> --iam-instance-profile "
                    "Name=<profile>`).",
                )
                if last.status == 404
                else ("IMDS failed transiently; retry.",)
            )
            return _Verdict(
                ROLE_CREDENTIALS_HTTP,
                Status.FAILED,
                f"IMDS listed the role {role!r} but answered HTTP {last.status} to "
                f"the request for its credentials ({wire}).",
                fix,
            )
        missing = list(body.get("missing_keys") or [])
        if missing:
            code_txt = body.get("code")
            message = body.get("message")
            said = (
                f"an error document: Code {code_txt!r}"
                + (f", Message {message!r}" if message else "")
                if code_txt
                else f"a document without {', '.join(missing)}"
            )
            return _Verdict(
                ROLE_CREDENTIALS_ERROR,
                Status.FAILED,
                f"IMDS listed the role {role!r} but answered {said} instead of its "
                f"credentials ({wire}).",
                (
                    f"Make sure EC2 may assume {role!r}: its trust policy needs "
                    'Principal {"Service": "ec2.amazonaws.com"} with '
                    f"sts:AssumeRole (`aws iam get-role --role-name {role} --query "
                    "Role.AssumeRolePolicyDocument`).",
                ),
            )
        expired = _expired(body.get("expiration"))
        if expired is not None:
            return _Verdict(
                EXPIRED,
                Status.FAILED,
                f"IMDS returned credentials for the role {role!r} that expired at "
                f"{body.get('expiration')} ({expired} ago); AWS will reject them with "
                "ExpiredToken.",
                (
                    "Check the system clock (`timedatectl status`); if it is right, "
                    "IMDS could not refresh the role: retry later, and stop/start "
                    "the instance if it persists.",
                ),
            )
        if attempt.result == "found":
            return _found(ctx, s, role, last, put_kind, token_words, hop, wire)
    if attempt.result == "found":
        return _found(ctx, s, role, None, put_kind, token_words, hop, wire)
    return _Verdict(
        NO_EXCHANGE,
        Status.NOT_CONFIGURED,
        f"IMDS at {_where(s)} gave no credentials ({wire or 'no request'}).",
    )


def _found(
    ctx: ReplayContext,
    s: _Settings,
    role: str | None,
    last: Exchange | None,
    put_kind: str,
    token_words: str,
    hop: bool,
    wire: str,
) -> _Verdict:
    key = last.body.get("access_key_id") if last is not None else None
    expires = last.body.get("expiration") if last is not None else None
    version = "IMDSv2" if put_kind == "ok" else "IMDSv1"
    what = (
        f"temporary credentials of the instance role {role!r} from {version} at "
        f"{_where(s)}"
        + (f" (key {key}" if key else "")
        + (f", expiring {expires}" if expires else "")
        + (")" if key else "")
    )
    if hop:
        return _Verdict(
            HOP_LIMIT,
            Status.FOUND,
            f"{what}; but {token_words} before botocore fell back to IMDSv1, which "
            "costs that time on every resolution and stops working once the instance "
            "requires IMDSv2: the HttpPutResponseHopLimit is too low for a container "
            f"({wire}).",
            _hop_limit_hints(ctx),
        )
    hints: tuple[str, ...] = ()
    if put_kind not in ("ok", "none"):
        hints = (
            f"botocore used IMDSv1 because {token_words}; IMDSv2 is safer. "
            f"Check: `{_DESCRIBE.format(iid=_iid(ctx))}`.",
        )
    return _Verdict(FOUND, Status.FOUND, what + ".", hints)


def _role_name(roles: Sequence[Exchange]) -> str | None:
    for ex in reversed(roles):
        lines = ex.body.get("lines") or []
        if lines:
            return str(lines[0])
    return None


def _expired(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        when = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=dt.timezone.utc
        )
    except ValueError:
        return None
    now = dt.datetime.now(dt.timezone.utc)
    if when > now:
        return None
    minutes = int((now - when).total_seconds() // 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h"


def _raised(ctx: ReplayContext, s: _Settings, attempt: Attempt) -> _Verdict:
    error = attempt.error
    assert error is not None
    name = type(error).__name__
    text = error_text(ctx, error)
    if name == "InvalidIMDSEndpointError":
        source = (
            f"{ENDPOINT_VAR}={ctx.environ[ENDPOINT_VAR]!r}"
            if ENDPOINT_VAR in ctx.environ
            else "the ec2_metadata_service_endpoint config key"
        )
        return _Verdict(
            INVALID_ENDPOINT,
            Status.MISCONFIGURED,
            f"{source} is not a valid endpoint URL, and botocore refuses to build "
            f"its credential chain ({text}).",
            (
                f"Set it to a full URL such as {DEFAULT_URL} (or {IPV6_URL}), or "
                f"`unset {ENDPOINT_VAR}`.",
            ),
        )
    if name == "InvalidIMDSEndpointModeError":
        source = (
            f"{MODE_VAR}={ctx.environ[MODE_VAR]!r}"
            if MODE_VAR in ctx.environ
            else "the ec2_metadata_service_endpoint_mode config key"
        )
        return _Verdict(
            INVALID_MODE,
            Status.MISCONFIGURED,
            f"{source} is neither IPv4 nor IPv6, and botocore refuses to build its "
            "credential chain.",
            (f"Set {MODE_VAR}=IPv4 (the default) or IPv6, or unset it.",),
        )
    if name == "ValueError" and "int()" in str(error):
        bad = [
            f"{var}={ctx.environ[var]!r}"
            for var in (
                "AWS_METADATA_SERVICE_TIMEOUT",
                "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
            )
            if var in ctx.environ and not ctx.environ[var].strip().isdigit()
        ]
        where = " and ".join(bad) or (
            "metadata_service_timeout or metadata_service_num_attempts in the "
            "config file"
        )
        return _Verdict(
            BAD_SETTING,
            Status.MISCONFIGURED,
            f"{where} is not a whole number; botocore converts it with int() and "
            f"cannot build its credential chain ({text}).",
            ("Use a whole number of seconds or attempts, such as 1 or 2.",),
        )
    if name == "MetadataRetrievalError":
        puts = [e for e in attempt.exchanges if _step(e) == "token"]
        kind, words = _token_story(puts)
        hints: list[str] = []
        if kind == "timeout":
            hints.extend(_hop_limit_hints(ctx))
        elif kind in ("refused", "connect_failed", "no_route", "connect_timeout"):
            hints.append(
                f"If this code does not run on EC2, `unset {V1_DISABLED_VAR}` (and set "
                f"{DISABLED_VAR}=true)."
            )
        hints.append(
            f"{V1_DISABLED_VAR}=true turns a failed token request into an error that "
            "stops the chain; keep it only where IMDSv2 works."
        )
        return _Verdict(
            V1_DISABLED,
            Status.FAILED,
            f"{V1_DISABLED_VAR} forbids IMDSv1 and {words} at {_where(s)}, so "
            f"botocore raised MetadataRetrievalError and stopped the whole chain "
            f"({_wire(attempt.exchanges) or 'no request'}).",
            tuple(hints),
        )
    if name == "ProxyConnectionError" or "proxy" in str(error).lower():
        return _Verdict(
            PROXY_UNREACHABLE,
            Status.UNREACHABLE,
            f"botocore sent the IMDS request for {_where(s)} through a proxy that "
            f"could not be reached, and the error stopped the chain ({text})."
            + _proxy_words(s),
            (
                "Exempt the metadata addresses from the proxy: `export "
                "NO_PROXY=169.254.169.254,fd00:ec2::254${NO_PROXY:+,$NO_PROXY}`.",
            ),
        )
    return _Verdict(
        RAISED,
        Status.FAILED,
        f"asking IMDS at {_where(s)} raised {text}, which stopped botocore's chain.",
        ("Correct what the error names.",),
    )


def _static(ctx: ReplayContext, s: _Settings, reason: str) -> _Verdict:
    container_var = next(
        (
            v
            for v in (
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            )
            if v in ctx.environ
        ),
        None,
    )
    if container_var is not None:
        reason = (
            f"{container_var} is set, so container-role comes first and either "
            "supplies credentials or stops the chain"
        )
    return _Verdict(
        NOT_PROBED,
        Status.SKIPPED,
        f"not probed ({reason}); botocore would ask {_where(s)} with a "
        f"{s.timeout} s timeout and {s.attempts} attempt(s) per request.",
    )


def explain(  # noqa: C901  (raised, disabled, recorded, probed, not probed)
    ctx: ReplayContext, provider: Any, attempt: Attempt | None
) -> SourceReport:
    """Explain what the instance-metadata provider did, or would do."""
    s = _settings(ctx, provider)
    details: dict[str, Any] = s.to_dict()
    if s.mode_from and s.endpoint_from in (
        ENDPOINT_VAR,
        "ec2_metadata_service_endpoint",
    ):
        details["endpoint_mode_ignored"] = (
            f"{s.mode_from} is ignored because {s.endpoint_from} is set"
        )
    extra_hints: list[str] = []
    probe: _probe.ProbeResult | None = None

    if attempt is not None and attempt.result == "raised" and attempt.error is not None:
        verdict = _raised(ctx, s, attempt)
        details["exception"] = type(attempt.error).__name__
    elif str(s.disabled_value or "").lower() == "true":
        verdict = _Verdict(
            DISABLED,
            Status.NOT_CONFIGURED,
            f"IMDS is disabled by {DISABLED_VAR}={s.disabled_value!r}: botocore makes "
            "no request to it.",
            (
                (
                    f"This looks like EC2: `unset {DISABLED_VAR}` to use the "
                    "instance profile.",
                )
                if ctx.runtime.has("ec2")
                else ()
            ),
        )
    else:
        if attempt is None:
            reason = _probe.skip_reason(ctx, provider)
            if reason is None:
                probe = _probe.probe_imds(ctx, provider)
                attempt = probe.attempt
                details.update(probe.details())
        if attempt is None:
            verdict = _static(ctx, s, reason or "not consulted")
        elif attempt.result == "raised" and attempt.error is not None:
            verdict = _raised(ctx, s, attempt)
            details["exception"] = type(attempt.error).__name__
        else:
            verdict = _classify(ctx, s, attempt)
        if s.disabled_value is not None and attempt is not None:
            if verdict.code in (REFUSED, TIMEOUT, NO_ROUTE):
                verdict = attrs.evolve(
                    verdict,
                    code=DISABLE_IGNORED,
                    summary=f"{DISABLED_VAR}={s.disabled_value!r} does not disable "
                    "IMDS (only 'true' does), so botocore still asked it: "
                    + verdict.summary,
                    hints=(f"export {DISABLED_VAR}=true",),
                )
            else:
                extra_hints.append(
                    f"{DISABLED_VAR}={s.disabled_value!r} has no effect: only 'true' "
                    "disables IMDS."
                )
    if attempt is not None:
        details["exchanges"] = [e.to_dict() for e in attempt.exchanges]
        if probe is not None and attempt.result in ("found", "raised"):
            details["stops_chain"] = True
    if "endpoint_mode_ignored" in details and verdict.status is not Status.FOUND:
        extra_hints.append(str(details["endpoint_mode_ignored"]) + ".")
    return SourceReport(
        source=METHOD,
        status=verdict.status,
        code=verdict.code,
        summary=verdict.summary,
        hints=verdict.hints + tuple(extra_hints),
        duration_ms=None if attempt is None else attempt.duration_ms,
        details=details,
    )


#: The explainer of each METHOD this module covers.
EXPLAINERS: dict[str, Explainer] = {METHOD: explain}
