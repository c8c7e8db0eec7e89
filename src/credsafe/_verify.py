"""``credsafe doctor --verify``: ask AWS whether the credentials found are accepted.

This is the only place where credsafe calls AWS, and only when asked to: STS
``GetCallerIdentity`` needs no permission, so it tells whether the credentials
themselves are valid. The endpoint is botocore's own, so ``AWS_ENDPOINT_URL_STS``
and ``AWS_ENDPOINT_URL`` are honoured.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ._doctor_render import VerifyView
from ._redact import mask_key_id, redact_text

#: STS is called with these bounds, so ``--verify`` never hangs.
_CONNECT_TIMEOUT = 5
_READ_TIMEOUT = 10


def verify(session: Any, region: str | None, *, network: bool = True) -> VerifyView:
    """Call STS GetCallerIdentity with the credentials *session* resolves.

    Args:
        session: The botocore session that was diagnosed.
        region: The region to call STS in; ``us-east-1`` when ``None``.
        network: Passed to the diagnosis made when fetching credentials fails.
    """
    from botocore.config import Config  # noqa: PLC0415

    secrets: set[str] = set()
    try:
        # The client first: botocore then resolves the chain for this region, as
        # for the application's first client (assume-role needs one for STS).
        client = session.create_client(
            "sts",
            region_name=region or "us-east-1",
            config=Config(
                connect_timeout=_CONNECT_TIMEOUT,
                read_timeout=_READ_TIMEOUT,
                retries={"total_max_attempts": 1},
            ),
        )
        creds = session.get_credentials()
        # Deferred credentials (assume-role, SSO, web identity) are fetched here.
        frozen = None if creds is None else creds.get_frozen_credentials()
    except Exception as exc:
        return _fetch_failed(session, exc, network=network)
    if frozen is None:
        return VerifyView(
            ok=False,
            code=None,
            summary="botocore returned no credentials, so there is nothing to verify.",
        )
    secrets.update(s for s in (frozen.secret_key, frozen.token) if s)
    try:
        identity = client.get_caller_identity()
    except Exception as exc:
        return _rejection(exc, session, client, secrets)
    facts = tuple(
        (label, str(identity[key]))
        for label, key in (
            ("account", "Account"),
            ("arn", "Arn"),
        )
        if identity.get(key)
    )
    masked = mask_key_id(frozen.access_key)
    if masked:
        facts = (*facts, ("access key", masked))
    return VerifyView(
        ok=True,
        code=None,
        summary="AWS accepted these credentials (STS GetCallerIdentity).",
        facts=facts,
    )


def _fetch_failed(session: Any, exc: BaseException, *, network: bool) -> VerifyView:
    """Fetching failed (SSO, assume-role, process): let the replay explain it."""
    from ._replay import replay  # noqa: PLC0415

    try:
        done = replay(session, trigger=exc, network=network)
    except Exception:
        done = None
    root = None if done is None else done.diagnosis.root_cause
    text = _error_text(exc, ())
    if done is not None:
        text = done.redact(text)
    if root is None:
        return VerifyView(
            ok=False, code=None, summary=f"fetching the credentials failed: {text}"
        )
    return VerifyView(
        ok=False,
        code=root.code,
        summary=f"fetching the credentials failed: {text}",
        # The generic finding only repeats the error; a source's own one says why.
        facts=()
        if root.code == "generic.retrieval_failed"
        else (("why", f"[{root.source}] {root.summary}"),),
        hints=root.hints,
    )


def _rejection(
    exc: BaseException, session: Any, client: Any, secrets: Iterable[str]
) -> VerifyView:
    error = (getattr(exc, "response", None) or {}).get("Error") or {}
    aws_code = str(error.get("Code") or "")
    message = redact_text(str(error.get("Message") or ""), secrets)
    if aws_code:
        summary = f"AWS rejected these credentials: {aws_code}: {message}"
        root = _diagnose_rejection(exc, session, client)
        if root is None:
            return VerifyView(ok=False, code=None, summary=summary)
        return VerifyView(
            ok=False,
            code=root.code,
            summary=summary,
            facts=(("why", root.summary),),
            hints=root.hints,
        )
    names = {cls.__name__ for cls in type(exc).__mro__}
    if names & _UNREACHABLE:
        return VerifyView(
            ok=False,
            code=None,
            summary="STS could not be reached: " + _error_text(exc, secrets),
            hints=(
                "Check the network path to the endpoint, the proxy variables "
                "(HTTPS_PROXY, NO_PROXY) and AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL.",
            ),
        )
    return VerifyView(
        ok=False, code=None, summary="calling STS failed: " + _error_text(exc, secrets)
    )


_UNREACHABLE = frozenset(
    {
        "EndpointConnectionError",
        "ConnectTimeoutError",
        "ReadTimeoutError",
        "ConnectionClosedError",
        "ProxyConnectionError",
        "SSLError",
    }
)


def _diagnose_rejection(exc: BaseException, session: Any, client: Any) -> Any:
    """The root cause credsafe gives any rejected call (``credsafe._rejected``)."""
    try:
        from ._rejected import diagnose_rejection, rejection_code  # noqa: PLC0415
    except ImportError:
        return None
    if rejection_code(exc) is None:
        return None
    try:
        diagnosis = diagnose_rejection(
            exc, client=client, session=session, resolution=None, live_providers=None
        )
    except Exception:
        return None
    return diagnosis.root_cause


def _error_text(exc: BaseException, secrets: Iterable[str]) -> str:
    message = redact_text(str(exc), secrets).replace("\n", " ").strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
