"""The drop-in ``Session``, ``wrap()`` for foreign objects, and ``diagnose()``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

import boto3
import botocore.session

from ._intercept import (
    explicit_args,
    instrument_botocore_session,
    instrument_client,
    is_credential_error,
    raise_diagnosed,
    state_of,
)

if TYPE_CHECKING:
    from ._model import Diagnosis

# The same as credsafe._replay.DEFAULT_BUDGET (tests/test_imports.py pins it): not
# imported from there, since _replay imports every explainer, which only a failure
# or diagnose() needs (docs/performance.md).
DEFAULT_BUDGET = 2.0


class Session(boto3.Session):  # type: ignore[misc]  # boto3 ships no types
    """A ``boto3.Session`` whose credential failures explain themselves.

    Same constructor as :class:`boto3.session.Session`, and an instance of it. Until
    a credential failure happens, everything behaves exactly as in boto3. When one
    happens (``NoCredentialsError`` and its relatives), the exception raised is an
    instance of the botocore class the caller already catches *and* of
    :class:`credsafe.CredsafeError`, and carries the per-source diagnosis as
    ``.diagnosis``.
    """

    def __init__(
        self,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        aws_session_token: str | None = None,
        region_name: str | None = None,
        botocore_session: botocore.session.Session | None = None,
        profile_name: str | None = None,
        aws_account_id: str | None = None,
    ) -> None:
        kwargs: dict[str, Any] = {
            "aws_access_key_id": aws_access_key_id,
            "aws_secret_access_key": aws_secret_access_key,
            "aws_session_token": aws_session_token,
            "region_name": region_name,
            "botocore_session": botocore_session,
            "profile_name": profile_name,
        }
        if aws_account_id is not None:
            # Only boto3 1.37+ knows this argument; pass it only when it is used.
            kwargs["aws_account_id"] = aws_account_id
        explicit = explicit_args("Session", kwargs)
        try:
            super().__init__(**kwargs)
        except Exception as exc:
            bc = getattr(self, "_session", None)
            if bc is None or not is_credential_error(exc):
                raise
            state = instrument_botocore_session(bc)
            state.explicit = explicit
            raise_diagnosed(exc, state=state, resolution=None)
        instrument_botocore_session(self._session).explicit = explicit


_T = TypeVar("_T")


def wrap(obj: _T) -> _T:
    """Instrument, in place, a session, client or resource created elsewhere.

    Returns the same object (no proxy), so ``isinstance`` checks and type stubs keep
    working. Calling it again on the same object does nothing.

    - A ``boto3.Session`` or ``botocore.session.Session``: clients and resources it
      creates from now on are covered, as with :class:`credsafe.Session`. Clients
      it created earlier are not: wrap them too.
    - A client (``boto3.client(...)``, ``session.client(...)``): its API calls and
      presigning are covered. credsafe cannot know which session or profile created
      a foreign client, so the diagnosis replays the chain of the current
      environment's default session, and network sources are probed within a
      bounded time instead of reusing what really happened.
    - A resource: its client (``resource.meta.client``) is instrumented.

    Raises:
        TypeError: If *obj* is none of these.
    """
    if isinstance(obj, boto3.Session):
        instrument_botocore_session(obj._session)
        return obj
    if isinstance(obj, botocore.session.Session):
        instrument_botocore_session(obj)
        return obj
    from botocore.client import BaseClient  # noqa: PLC0415

    if isinstance(obj, BaseClient):
        instrument_client(obj, state=None)
        return obj
    client = getattr(getattr(obj, "meta", None), "client", None)
    if isinstance(client, BaseClient):
        instrument_client(client, state=None)
        return obj
    raise TypeError(
        f"credsafe.wrap() takes a boto3/botocore session, client or resource, "
        f"not {type(obj).__name__!r}."
    )


def diagnose(
    session: boto3.Session | botocore.session.Session | None = None,
    *,
    profile_name: str | None = None,
    network: bool = True,
    budget: float = DEFAULT_BUDGET,
) -> Diagnosis:
    """Diagnose the credential chain now, without waiting for a failure.

    Args:
        session: The session to diagnose; by default a new botocore session for the
            current environment.
        profile_name: Diagnose this profile (as ``profile_name=`` would select it).
            Only used when *session* is ``None``.
        network: Whether the IMDS and container endpoints may be probed.
        budget: Seconds all network probes together may take.

    Never runs ``credential_process`` commands, never calls STS or SSO, never
    writes a file.
    """
    if isinstance(session, boto3.Session):
        bc = session._session
    elif session is None:
        bc = botocore.session.Session(profile=profile_name)
    else:
        bc = session
    state = state_of(bc)
    live = state.live_providers() if state is not None else None
    from ._replay import replay  # noqa: PLC0415

    return replay(
        bc,
        live_providers=live,
        network=network,
        budget=budget,
        explicit=state.explicit if state is not None else None,
    ).diagnosis
