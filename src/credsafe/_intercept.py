"""Catch credential failures on every path and re-raise them diagnosed.

The hooks (tested against real botocore, see docs/contract.md):

- API calls of clients, resources, paginators, waiters and s3transfer workers: an
  ``after-call-error`` handler registered last on each client's event emitter.
- Presigning (``generate_presigned_url``, ``generate_presigned_post``,
  ``generate_db_auth_token``, ...): the instance's methods are wrapped, since
  botocore emits no event when presigning fails.
- Errors raised while the chain resolves: ``create_client`` and ``get_credentials``
  of the botocore session are wrapped on the instance.

Nothing here does any work until an exception is raised, except recording the
resolution (see :mod:`credsafe._recording`).
"""

from __future__ import annotations

import functools
import json
import os
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

from . import _log
from .exceptions import CredsafeError, build

if TYPE_CHECKING:
    # Imported where used: they import attrs, which costs more than 10% of
    # `import boto3`; `import credsafe` imports neither (docs/performance.md).
    from ._explicit_args import ExplicitArgs
    from ._recording import Recorder, Resolution

# botocore exceptions that always mean "credentials could not be had", by name so
# that classes missing from older botocore releases need no import.
_CREDENTIAL_ERRORS = frozenset(
    {
        "NoCredentialsError",
        "PartialCredentialsError",
        "ProfileNotFound",
        "ConfigParseError",
        "ConfigNotFound",
        "InvalidConfigError",
        "InfiniteLoopConfigError",
        "CredentialRetrievalError",
        "MetadataRetrievalError",
        "SSOError",
        "SSOTokenLoadError",
        "UnauthorizedSSOTokenError",
        "TokenRetrievalError",
        "InvalidIMDSEndpointError",
        "InvalidIMDSEndpointModeError",
        "RefreshWithMFAUnsupportedError",
        "LoginError",
        "LoginTokenLoadError",
        "LoginRefreshRequired",
    }
)
# Raw exceptions that botocore lets escape from credential providers; enriched
# only when they were raised by botocore's credential code.
_RAW_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    json.JSONDecodeError,
    KeyError,
    ValueError,
    RuntimeError,
    # IndexError: an empty credential_process; EOFError: the MFA prompt of
    # assume-role with nobody to answer it.
    IndexError,
    EOFError,
    # AttributeError: a credential_process printing JSON that is not an object.
    AttributeError,
)
_CREDENTIAL_MODULES = (
    os.path.join("botocore", "credentials.py"),
    os.path.join("botocore", "tokens.py"),
)
_PRESIGN_METHODS = (
    "generate_presigned_url",
    "generate_presigned_post",
    "generate_db_auth_token",
    "generate_db_connect_auth_token",
    "generate_db_connect_admin_auth_token",
)


def is_credential_error(exc: BaseException) -> bool:
    """Tell whether *exc* is a credential failure credsafe should diagnose."""
    if isinstance(exc, CredsafeError):
        return False
    names = {
        cls.__name__
        for cls in type(exc).__mro__
        if cls.__module__.startswith("botocore")
    }
    if names & _CREDENTIAL_ERRORS:
        return True
    if "MissingDependencyException" in names or isinstance(exc, _RAW_ERRORS):
        return _raised_by_credential_code(exc)
    return False


def _called_from_credential_code(depth: int = 12) -> bool:
    """Whether botocore's credential code is creating this client (a few frames up)."""
    frame = sys._getframe(2)
    while frame is not None and depth > 0:
        if frame.f_code.co_filename.endswith(_CREDENTIAL_MODULES):
            return True
        frame = frame.f_back  # type: ignore[assignment]
        depth -= 1
    return False


def is_refresh_refusal(exc: BaseException) -> bool:
    """An AWS error response met while botocore fetched credentials.

    For example STS refusing ``AssumeRole`` (a trust policy, unknown source keys)
    or SSO refusing ``GetRoleCredentials``: a ``ClientError`` raised from botocore's
    credential code while a request was being signed. credsafe attaches a diagnosis
    to it in place and never changes its class.
    """
    response = getattr(exc, "response", None)
    return (
        isinstance(response, dict)
        and "Error" in response
        and _raised_by_credential_code(exc)
    )


def _raised_by_credential_code(exc: BaseException) -> bool:
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(_CREDENTIAL_MODULES):
            return True
        tb = tb.tb_next
    return False


class SessionState:
    """credsafe's bookkeeping for one instrumented botocore session."""

    def __init__(self, session: Any) -> None:
        from ._recording import Recorder  # noqa: PLC0415

        self.session = session
        self.recorder = Recorder()
        # Credential arguments given to credsafe.Session(), if any.
        self.explicit: ExplicitArgs | None = None

    def live_providers(self) -> list[Any] | None:
        """The providers of the session's live resolver, if it has been built."""
        try:
            components = self.session._components._components
            resolver = components.get("credential_provider")
            return list(resolver.providers) if resolver is not None else None
        except Exception:
            return None


_STATE_ATTR = "_credsafe_state"
_INSTRUMENT_LOCK = threading.Lock()


def instrument_botocore_session(session: Any) -> SessionState:
    """Instrument *session* in place (idempotent) and return its state."""
    with _INSTRUMENT_LOCK:
        state: SessionState | None = getattr(session, _STATE_ATTR, None)
        if state is not None:
            return state
        state = SessionState(session)
        _instrument_resolver_component(session, state.recorder)
        _wrap_session_methods(session, state)
        setattr(session, _STATE_ATTR, state)
        return state


def state_of(session: Any) -> SessionState | None:
    """The state of an instrumented botocore *session*, if any."""
    return getattr(session, _STATE_ATTR, None)


def _instrument_resolver_component(session: Any, recorder: Recorder) -> None:
    locator = session._components
    deferred = getattr(locator, "_deferred", {})
    if "credential_provider" in deferred:
        factory = deferred["credential_provider"]

        def instrumented_factory() -> Any:
            resolver = factory()
            instrument_resolver(resolver, recorder)
            return resolver

        deferred["credential_provider"] = instrumented_factory
        return
    resolver = getattr(locator, "_components", {}).get("credential_provider")
    if resolver is not None:
        instrument_resolver(resolver, recorder)


def instrument_resolver(resolver: Any, recorder: Recorder) -> None:
    """Record every ``load_credentials()`` of *resolver* and its HTTP exchanges."""
    from ._recording import RecordingHTTPSession  # noqa: PLC0415

    if getattr(resolver, "_credsafe_recorder", None) is not None:
        return
    if not hasattr(resolver, "providers"):
        return
    resolver.load_credentials = functools.partial(recorder.load_credentials, resolver)
    resolver._credsafe_recorder = recorder
    for provider in resolver.providers:
        for fetcher_attr in ("_role_fetcher", "_fetcher"):
            fetcher: Any = getattr(provider, fetcher_attr, None)
            http = getattr(fetcher, "_session", None)
            if (
                http is not None
                and hasattr(http, "send")
                and not isinstance(http, RecordingHTTPSession)
            ):
                fetcher._session = RecordingHTTPSession(http, recorder)
        if getattr(provider, "METHOD", None) == "custom-process":
            _record_runs_when_run(provider, recorder)


def _record_runs_when_run(provider: Any, recorder: Recorder) -> None:
    """``record_runs(provider, recorder)`` deferred to the first command run.

    The process provider is in every chain, but runs a command only when a profile
    has ``credential_process``: importing the explainers (which ``record_runs``
    lives with) before that would cost every session (docs/performance.md).
    """
    popen = getattr(provider, "_popen", None)
    if popen is None or getattr(popen, "_credsafe_deferred", False):
        return

    def first_popen(*args: Any, **kwargs: Any) -> Any:
        from ._explain.process import record_runs  # noqa: PLC0415

        provider._popen = popen
        record_runs(provider, recorder)  # exit status only, never the output
        return provider._popen(*args, **kwargs)

    first_popen._credsafe_deferred = True  # type: ignore[attr-defined]
    provider._popen = first_popen


def explicit_args(where: str, kwargs: dict[str, Any]) -> ExplicitArgs | None:
    """The credential arguments in *kwargs*, or ``None`` when none was passed."""
    from ._explicit_args import ExplicitArgs  # noqa: PLC0415

    return ExplicitArgs.from_kwargs(where, kwargs)


def raise_diagnosed(exc: BaseException, **kwargs: Any) -> NoReturn:
    """Raise the diagnosed counterpart of *exc* (being handled), chained to it.

    Called from an ``except`` block: when the diagnosis fails, *exc* itself is
    re-raised unchanged but for its note. *kwargs* go to :func:`enrich`.
    """
    enriched = enrich(exc, **kwargs)
    if enriched is exc:
        raise  # noqa: PLE0704  (the exception being handled by the caller)
    raise enriched from exc


def _wrap_session_methods(session: Any, state: SessionState) -> None:
    create_client = session.create_client
    get_credentials = session.get_credentials

    @functools.wraps(create_client)
    def credsafe_create_client(*args: Any, **kwargs: Any) -> Any:
        explicit = explicit_args("client", kwargs)
        with state.recorder.capture() as captured:
            try:
                client = create_client(*args, **kwargs)
            except Exception as exc:
                if not is_credential_error(exc):
                    raise
                raise_diagnosed(
                    exc,
                    state=state,
                    resolution=captured[-1] if captured else state.recorder.last,
                    service=_service_name(args, kwargs),
                    explicit=explicit,
                )
        if _called_from_credential_code():
            # STS/SSO clients botocore makes to fetch credentials: their errors
            # are diagnosed where they surface, on the caller's client.
            return client
        resolution = captured[-1] if captured else None
        instrument_client(client, state=state, resolution=resolution, explicit=explicit)
        return client

    @functools.wraps(get_credentials)
    def credsafe_get_credentials(*args: Any, **kwargs: Any) -> Any:
        with state.recorder.capture() as captured:
            try:
                credentials = get_credentials(*args, **kwargs)
            except Exception as exc:
                if not is_credential_error(exc):
                    raise
                raise_diagnosed(
                    exc,
                    state=state,
                    resolution=captured[-1] if captured else state.recorder.last,
                )
        if captured and _log.success_trace_enabled():
            _trace(state, captured[-1])
        return credentials

    session.create_client = credsafe_create_client
    session.get_credentials = credsafe_get_credentials


def _trace(state: SessionState, resolution: Resolution) -> None:
    """Log the opt-in success trace of *resolution*; never raises."""
    try:
        from ._replay import profile_info  # noqa: PLC0415

        profile = profile_info(state.session, os.environ)
        _log.credentials_resolved(
            resolution, profile=profile.name, profile_origin=profile.origin
        )
    except Exception:
        return


def _service_name(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str | None:
    name = kwargs.get("service_name", args[0] if args else None)
    return None if name is None else str(name)


class ClientScope:
    """What a client's failures are diagnosed against (stored on the instance).

    A plain class, not attrs: it is built on the success path (client creation)
    and must not pull in attrs at import time.

    Attributes:
        state: The instrumented session that created the client, if known.
        resolution: The resolution recorded when the client was created.
        explicit: Credential arguments passed to ``create_client``, if any.
    """

    __slots__ = ("explicit", "resolution", "state")

    def __init__(
        self,
        state: SessionState | None,
        resolution: Resolution | None,
        explicit: ExplicitArgs | None,
    ) -> None:
        self.state = state
        self.resolution = resolution
        self.explicit = explicit

    def current_resolution(self) -> Resolution | None:
        """The recorded resolution, or the session's latest one."""
        if self.resolution is not None:
            return self.resolution
        return self.state.recorder.last if self.state is not None else None


_SCOPE_ATTR = "_credsafe_scope"
_CLASS_FLAG = "_credsafe_class_instrumented"


def instrument_client(
    client: Any,
    *,
    state: SessionState | None,
    resolution: Resolution | None = None,
    explicit: ExplicitArgs | None = None,
) -> Any:
    """Instrument *client* in place (idempotent) and return it.

    *explicit* holds the credential arguments passed to ``create_client``, if any.
    The presign methods and ``_make_api_call`` are wrapped on the client's class
    (botocore builds one class per client), never on the instance: an instance
    attribute holding a bound method would make a reference cycle, and a dropped
    client would wait for the garbage collector.
    """
    if _SCOPE_ATTR in getattr(client, "__dict__", {}):
        return client
    scope = ClientScope(state=state, resolution=resolution, explicit=explicit)

    def on_after_call_error(
        exception: BaseException | None = None, event_name: str = "", **_: Any
    ) -> None:
        if exception is None:
            return
        parts = event_name.split(".")
        if not is_credential_error(exception):
            if is_refresh_refusal(exception):
                attach_rejection(
                    exception,
                    client=None,
                    state=scope.state,
                    resolution=scope.current_resolution(),
                    operation=parts[2] if len(parts) > 2 else None,
                    explicit=scope.explicit,
                    service=parts[1] if len(parts) > 2 else None,
                )
            return
        enriched = enrich(
            exception,
            state=scope.state,
            resolution=scope.current_resolution(),
            service=parts[1] if len(parts) > 2 else None,
            operation=parts[2] if len(parts) > 2 else None,
            explicit=scope.explicit,
        )
        if enriched is not exception:
            raise enriched from exception

    client.meta.events.register_last(
        "after-call-error", on_after_call_error, unique_id="credsafe.after-call-error"
    )
    _instrument_class(type(client))
    client.__dict__[_SCOPE_ATTR] = scope
    return client


def _instrument_class(cls: type) -> None:
    """Wrap the presign methods and ``_make_api_call`` of a client class, once.

    Instances without a scope (not instrumented) go straight through.
    """
    if cls.__dict__.get(_CLASS_FLAG):
        return
    for name in _PRESIGN_METHODS:
        function = getattr(cls, name, None)
        if callable(function):
            setattr(cls, name, _presign_method(name, function))
    cls._make_api_call = _api_call_method(cls._make_api_call)  # type: ignore[attr-defined]
    setattr(cls, _CLASS_FLAG, True)


def _api_call_method(make_api_call: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``_make_api_call`` to diagnose credentials that AWS rejected.

    On success this costs one function frame; on a ``ClientError`` whose code
    does not mean "credentials rejected", one dictionary lookup.
    """

    @functools.wraps(make_api_call)
    def credsafe_make_api_call(self: Any, operation_name: str, api_params: Any) -> Any:
        try:
            return make_api_call(self, operation_name, api_params)
        except Exception as exc:
            scope = self.__dict__.get(_SCOPE_ATTR)
            if scope is None:
                raise
            from ._rejected import rejection_code  # noqa: PLC0415

            if rejection_code(exc) is not None:
                attach_rejection(
                    exc,
                    client=self,
                    state=scope.state,
                    resolution=scope.current_resolution(),
                    operation=operation_name,
                    explicit=scope.explicit,
                )
            raise

    return credsafe_make_api_call


def attach_rejection(
    exc: BaseException,
    *,
    client: Any,
    state: SessionState | None,
    resolution: Resolution | None,
    operation: str | None,
    explicit: ExplicitArgs | None = None,
    service: str | None = None,
) -> None:
    """Attach the diagnosis of rejected credentials to *exc*, in place.

    The exception keeps its class (a ``ClientError``); it gains ``.diagnosis`` and
    a note. Never raises. With ``client=None``, *exc* is an AWS refusal met while
    *fetching* credentials (STS ``AssumeRole``, SSO ``GetRoleCredentials``): the
    source that was fetching is diagnosed as failed, with *exc* as the trigger.
    """
    if getattr(exc, "diagnosis", None) is not None:
        return
    try:
        from ._rejected import diagnose_rejection  # noqa: PLC0415
        from ._render import exception_message  # noqa: PLC0415

        if state is not None:
            session, live = state.session, state.live_providers()
        else:
            import botocore.session  # noqa: PLC0415

            session, live = botocore.session.Session(), None
        explicit = explicit or (state.explicit if state is not None else None)
        if client is None:
            from ._replay import replay  # noqa: PLC0415

            diagnosis = replay(
                session,
                resolution=resolution,
                trigger=exc,
                live_providers=live,
                explicit=explicit,
            ).diagnosis
        else:
            diagnosis = diagnose_rejection(
                exc,
                client=client,
                session=session,
                resolution=resolution,
                live_providers=live,
                explicit=explicit,
            )
        exc.diagnosis = diagnosis  # type: ignore[attr-defined]
        add_note(exc, exception_message("credsafe:", diagnosis).split("\n", 1)[1])
    except Exception as err:
        add_note(exc, _DIAGNOSIS_FAILED_NOTE.format(error=type(err).__name__))
        return
    try:
        if client is not None:
            service = getattr(client.meta.service_model, "service_name", None)
        _log.credential_failure(
            diagnosis, exception=exc, service=service, operation=operation
        )
    except Exception:
        add_note(exc, "credsafe: logging the diagnosis failed.")


def _presign_method(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def presign(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return function(self, *args, **kwargs)
        except Exception as exc:
            scope = self.__dict__.get(_SCOPE_ATTR)
            if scope is None:
                raise
            enriched = _presign_failure(self, name, scope, exc)
            if enriched is exc:
                raise
            raise enriched from exc

    return presign


def _presign_failure(
    client: Any, name: str, scope: ClientScope, exc: Exception
) -> BaseException:
    """The enriched counterpart of a presign failure, or *exc* itself."""
    from botocore.exceptions import NoCredentialsError  # noqa: PLC0415

    as_class: type[BaseException] | None = None
    if isinstance(exc, AttributeError):
        # botocore's POST presigners dereference missing credentials instead of
        # raising NoCredentialsError.
        signer = getattr(client, "_request_signer", None)
        if getattr(signer, "_credentials", 1) is not None:
            return exc
        as_class = NoCredentialsError
    elif not is_credential_error(exc):
        if is_refresh_refusal(exc):
            attach_rejection(
                exc,
                client=None,
                state=scope.state,
                resolution=scope.current_resolution(),
                operation=name,
                explicit=scope.explicit,
            )
        return exc
    service = getattr(getattr(client.meta, "service_model", None), "service_name", None)
    return enrich(
        exc,
        state=scope.state,
        resolution=scope.current_resolution(),
        service=service,
        operation=name,
        as_class=as_class,
        explicit=scope.explicit,
    )


_DIAGNOSIS_FAILED_NOTE = (
    "credsafe: the diagnosis of this error failed ({error}); this is botocore's "
    "original error. Run `credsafe doctor` to diagnose the environment."
)


def enrich(
    exc: BaseException,
    *,
    state: SessionState | None,
    resolution: Resolution | None,
    service: str | None = None,
    operation: str | None = None,
    as_class: type[BaseException] | None = None,
    explicit: ExplicitArgs | None = None,
) -> BaseException:
    """Return the diagnosed counterpart of *exc*, or *exc* itself with a note.

    Never raises: if anything goes wrong while diagnosing, the original exception
    is returned unchanged but for a note saying that the diagnosis failed.
    """
    if isinstance(exc, CredsafeError):
        return exc
    try:
        from . import _replay  # noqa: PLC0415
        from ._render import exception_message  # noqa: PLC0415

        if state is not None:
            session = state.session
            live = state.live_providers()
        else:
            import botocore.session  # noqa: PLC0415

            session = botocore.session.Session()
            live = None
        result = _replay.replay(
            session,
            resolution=resolution,
            trigger=exc,
            live_providers=live,
            explicit=explicit or (state.explicit if state is not None else None),
        )
        first = str(exc) if as_class is None else str(as_class())
        message = exception_message(result.redact(first), result.diagnosis)
        enriched = build(exc, result.diagnosis, message, as_class=as_class)
    except Exception as err:
        add_note(exc, _DIAGNOSIS_FAILED_NOTE.format(error=type(err).__name__))
        return exc
    try:
        # One event per failure: s3transfer worker threads failing together share
        # the state and the resolution; a re-raised exception is the same object.
        _log.credential_failure(
            result.diagnosis,
            exception=exc,
            exception_class=type(enriched).__name__,
            service=service or _service_being_created(),
            operation=operation,
            scope=(state, resolution),
            also=(enriched,),
        )
    except Exception:  # logging must never replace the caller's exception
        add_note(enriched, "credsafe: logging the diagnosis failed.")
    return enriched


_BOTOCORE_SESSION_PY = os.path.join("botocore", "session.py")


def _service_being_created() -> str | None:
    """The ``service_name`` of the ``create_client`` call on the stack, if any.

    A failure while the chain resolves surfaces in ``get_credentials``, which
    botocore's ``create_client`` calls; only its frame knows the service. Read on
    the failure path only, so the success path pays nothing.
    """
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        if code.co_name == "create_client" and code.co_filename.endswith(
            _BOTOCORE_SESSION_PY
        ):
            name = frame.f_locals.get("service_name")
            return None if name is None else str(name)
        frame = frame.f_back  # type: ignore[assignment]
    return None


def add_note(exc: BaseException, note: str) -> None:
    """``exc.add_note(note)``, also on Python 3.10 (which has no ``add_note``)."""
    adder = getattr(exc, "add_note", None)
    if adder is not None:
        adder(note)
        return
    notes = list(getattr(exc, "__notes__", []))
    notes.append(note)
    try:
        exc.__notes__ = notes
    except Exception:
        return
