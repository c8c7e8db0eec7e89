"""Explain the console sign-in source (``login``, botocore 1.41.0 and later).

A profile written by ``aws login`` (AWS CLI 2.32.0+) has ``login_session = <ARN>``.
botocore's ``LoginProvider`` then needs ``awscrt`` (``pip install "botocore[crt]"``)
and reads the cached credentials from ``<dir>/<sha256(login_session)>.json``, where
``<dir>`` is ``AWS_LOGIN_CACHE_DIRECTORY`` or ``~/.aws/login/cache``. It returns the
cached credentials even when they have expired and refreshes them with the cached
refresh token (a call to the AWS Sign-In service, which rewrites the file) when a
request is first signed.

This explainer reads the configuration and the cache file only: it never refreshes,
never calls Sign-In and never writes the cache. No secret from the file (the
secret key, session token, refresh token or ``dpopKey``) enters any message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Mapping
from typing import Any

from .._codes import define
from .._model import SourceReport, Status
from .._recording import Attempt
from .._redact import mask_key_id
from ._base import Explainer, ReplayContext, error_text, make_report
from .sso import file_in, when

METHOD = "login"
CACHE_ENV = "AWS_LOGIN_CACHE_DIRECTORY"
#: Fields botocore requires in the cache file.
REQUIRED_FIELDS = ("accessToken", "refreshToken", "dpopKey", "clientId")
#: Fields botocore reads from ``accessToken``.
ACCESS_FIELDS = (
    "accessKeyId",
    "secretAccessKey",
    "sessionToken",
    "accountId",
    "expiresAt",
)
CRT_INSTALL = 'pip install "botocore[crt]"'

NOT_CONFIGURED = define(
    "login.not_configured",
    title="The profile does not use console sign-in (login_session).",
    why="botocore uses the login provider only when the profile has "
    "login_session, which `aws login` writes.",
    fix="Nothing to fix, unless you meant to sign in with `aws login`.",
)
FOUND = define(
    "login.found",
    title="Credentials come from an `aws login` session.",
    why="The profile has login_session and the cache file written by `aws login` "
    "holds current credentials.",
    fix="Nothing to fix.",
)
MISSING_CRT = define(
    "login.missing_crt",
    title="The profile uses `aws login`, but the awscrt package is not installed.",
    why="botocore needs awscrt (the botocore[crt] extra) to use login_session "
    "profiles, and raises MissingDependencyException without it, which stops the "
    "chain.",
    fix='`pip install "botocore[crt]"` (or "boto3[crt]") in the environment that '
    "runs the code.",
)
NOT_LOGGED_IN = define(
    "login.not_logged_in",
    title="There is no cached `aws login` session for this profile.",
    why="botocore reads the credentials of a login_session profile from "
    "<AWS_LOGIN_CACHE_DIRECTORY or ~/.aws/login/cache>/<sha256 of the session>.json; "
    "the file does not exist, so botocore raises LoginTokenLoadError and stops the "
    "chain.",
    fix="Run `aws login --profile NAME` (AWS CLI 2.32.0 or later) with the same "
    "HOME and AWS_LOGIN_CACHE_DIRECTORY as the code.",
)
TOKEN_INVALID = define(
    "login.token_invalid",
    title="The cached `aws login` session cannot be used.",
    why="The cache file is not valid JSON, lacks fields botocore requires "
    "(accessToken, refreshToken, dpopKey, clientId), or holds a key botocore "
    "cannot load.",
    fix="Run `aws login --profile NAME` again to rewrite the file.",
)
CREDENTIALS_EXPIRED = define(
    "login.credentials_expired",
    title="The cached `aws login` credentials have expired; botocore will refresh "
    "them.",
    why="Login credentials last 15 minutes. botocore refreshes them with the cached "
    "refresh token (a call to the AWS Sign-In service) when a request is signed, "
    "which works for up to 12 hours after `aws login`.",
    fix="Nothing to do unless the refresh fails; then run `aws login --profile NAME`.",
)
SESSION_EXPIRED = define(
    "login.session_expired",
    title="The `aws login` session has expired and must be renewed.",
    why="AWS Sign-In refused to refresh the credentials (LoginRefreshRequired): the "
    "session is older than its limit (12 hours) or the identity's credentials "
    "changed.",
    fix="Run `aws login --profile NAME` again.",
)
INSUFFICIENT_PERMISSIONS = define(
    "login.insufficient_permissions",
    title="The signed-in identity may not refresh `aws login` credentials.",
    why="AWS Sign-In refused the refresh (LoginInsufficientPermissions): the IAM "
    "identity lacks signin:CreateOAuth2Token.",
    fix="Attach the SignInLocalDevelopmentAccess managed policy to the IAM user, "
    "role or group, then run `aws login --profile NAME`.",
)
ERROR = define(
    "login.error",
    title="The login source raised an error.",
    why="botocore raised while loading or refreshing the `aws login` session.",
    fix="Run `aws login --profile NAME` again; if it persists, see the error.",
)


def _cache_dir(ctx: ReplayContext, provider: Any) -> str:
    """The directory botocore reads from (fixed when the provider was built)."""
    directory = getattr(getattr(provider, "_token_cache", None), "_working_dir", None)
    if isinstance(directory, str):
        return directory
    if CACHE_ENV in ctx.environ:
        return ctx.expand_path(ctx.environ[CACHE_ENV])
    return os.path.expanduser(os.path.join("~", ".aws", "login", "cache"))


def cache_key(session_name: str) -> str:
    """The cache file stem botocore uses: sha256 of the login_session value."""
    return hashlib.sha256(session_name.encode("utf-8")).hexdigest()


def _crt_available() -> bool:
    try:
        import botocore.compat  # noqa: PLC0415
    except Exception:
        return False
    return getattr(botocore.compat, "EC", None) is not None


class _Cache:
    """What the cache file holds, keeping no secret."""

    def __init__(self, ctx: ReplayContext, path: str) -> None:
        self.path = path
        self.state = "missing"
        self.missing: list[str] = []
        self.expires_at: dt.datetime | None = None
        self.account_id: str | None = None
        self.key_id: str | None = None
        if not os.path.isfile(path):
            return
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            self.state = "unreadable"
            return
        if not isinstance(data, Mapping):
            self.state = "invalid"
            return
        access = data.get("accessToken")
        access = access if isinstance(access, Mapping) else {}
        for value in (
            access.get("secretAccessKey"),
            access.get("sessionToken"),
            data.get("refreshToken"),
            data.get("dpopKey"),
        ):
            if isinstance(value, str) and value:
                ctx.secrets.add(value)
        self.missing = [f for f in REQUIRED_FIELDS if f not in data] + [
            f"accessToken.{f}" for f in ACCESS_FIELDS if f not in access
        ]
        if "accessToken" not in data:
            self.missing = [f for f in self.missing if not f.startswith("accessToken.")]
        if self.missing:
            self.state = "invalid"
            return
        self.account_id = str(access.get("accountId"))
        self.key_id = mask_key_id(str(access.get("accessKeyId")))
        self.expires_at = _parse_time(access.get("expiresAt"))
        now = dt.datetime.now(dt.timezone.utc)
        if self.expires_at is None:
            self.state = "invalid"
            self.missing = ["accessToken.expiresAt (unparsable)"]
        elif self.expires_at <= now:
            self.state = "expired"
        else:
            self.state = "valid"

    def expiry_text(self) -> str:
        return when(self.expires_at)


def _parse_time(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        import dateutil.parser  # type: ignore[import-untyped]  # noqa: PLC0415

        parsed: dt.datetime = dateutil.parser.parse(value)
    except Exception:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed


def _trigger_kind(ctx: ReplayContext) -> str | None:
    trigger = ctx.trigger
    if trigger is None:
        return None
    if _raised_in(trigger, "_load_private_key"):
        # awscrt raises a bare RuntimeError for a malformed key, which botocore
        # (catching only ValueError) lets escape.
        return "bad_key"
    names = [cls.__name__ for cls in type(trigger).__mro__]
    for name, kind in (
        ("LoginRefreshRequired", "expired"),
        ("LoginInsufficientPermissions", "permissions"),
        ("LoginTokenLoadError", "invalid"),
        ("LoginError", "error"),
    ):
        if name in names:
            return kind
    return None


def _raised_in(exc: BaseException, function: str) -> bool:
    """Whether a frame of *function* is in the traceback of *exc* or its context."""
    seen: BaseException | None = exc
    while seen is not None:
        tb = seen.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_name == function:
                return True
            tb = tb.tb_next
        seen = seen.__context__
    return False


class _Reporter:
    def __init__(
        self, ctx: ReplayContext, provider: Any, attempt: Attempt | None
    ) -> None:
        self.ctx = ctx
        self.attempt = attempt
        self.profile = ctx.profile.name
        self.session_name = str(ctx.profile_config().get("login_session", ""))
        self.directory = _cache_dir(ctx, provider)
        self.cache = _Cache(
            ctx, os.path.join(self.directory, cache_key(self.session_name) + ".json")
        )
        self.details: dict[str, Any] = {
            "profile": self.profile,
            "login_session": self.session_name,
            "cache_dir": self.directory,
            "cache_file": self.cache.path,
            "cache_file_name": os.path.basename(self.cache.path),
            "cache_state": self.cache.state,
            "awscrt": _crt_available(),
        }
        if CACHE_ENV in ctx.environ:
            self.details["cache_dir_from"] = CACHE_ENV
        if self.cache.expires_at is not None:
            self.details["expires_at"] = self.cache.expiry_text()
        if self.cache.account_id:
            self.details["account_id"] = self.cache.account_id
        if self.cache.key_id:
            self.details["access_key_id"] = self.cache.key_id

    @property
    def command(self) -> str:
        return f"`aws login --profile {self.profile}`"

    def subject(self) -> str:
        return (
            f"profile {self.profile!r} signs in with `aws login` "
            f"(login_session {self.session_name})"
        )

    def report(
        self,
        status: Status,
        code: str,
        summary: str,
        hints: tuple[str, ...] = (),
        *,
        stops: bool = False,
    ) -> SourceReport:
        return make_report(
            METHOD,
            self.attempt,
            status,
            code,
            summary,
            hints,
            stops=stops,
            **self.details,
        )

    def where_note(self) -> str:
        if CACHE_ENV in self.ctx.environ:
            return f" ({CACHE_ENV} is {self.ctx.environ[CACHE_ENV]})"
        return ""

    def missing_crt(self) -> SourceReport:
        hints = [
            f"{CRT_INSTALL} (or `pip install awscrt`) in the environment that runs "
            "this code."
        ]
        state = ""
        if self.cache.state == "missing":
            state = f" There is also no cached login yet ({file_in(self.cache.path)})."
            hints.append(f"Then run {self.command} (AWS CLI 2.32.0 or later).")
        return self.report(
            Status.MISCONFIGURED,
            MISSING_CRT,
            f"{self.subject()}, but the awscrt package is not installed, so "
            "botocore raises MissingDependencyException and stops the chain." + state,
            tuple(hints),
            stops=True,
        )

    def not_logged_in(self) -> SourceReport:
        return self.report(
            Status.FAILED,
            NOT_LOGGED_IN,
            f"{self.subject()}, but there is no cached login: "
            f"{file_in(self.cache.path)} "
            f"does not exist{self.where_note()}, so botocore raises "
            "LoginTokenLoadError and stops the chain.",
            (
                f"Run {self.command} (AWS CLI 2.32.0 or later), then retry.",
                "Run it as the same user, with the same HOME"
                + (f" and {CACHE_ENV}" if CACHE_ENV in self.ctx.environ else "")
                + ", as this code.",
            ),
            stops=True,
        )

    def token_invalid(self) -> SourceReport:
        if self.cache.state == "unreadable":
            what = "is not valid JSON"
        elif _trigger_kind(self.ctx) == "bad_key":
            what = (
                "holds a private key (dpopKey) that cannot be loaded, so botocore "
                "cannot refresh the credentials"
            )
        elif self.cache.missing:
            what = "lacks " + ", ".join(self.cache.missing)
        else:
            what = (
                f"could not be used ({error_text(self.ctx, self.ctx.trigger)})"
                if (self.ctx.trigger is not None)
                else "could not be used"
            )
        return self.report(
            Status.FAILED,
            TOKEN_INVALID,
            f"{self.subject()}, but the cached login "
            f"({file_in(self.cache.path)}) {what}.",
            (f"Run {self.command} again to rewrite it, then retry.",),
            stops=True,
        )


def explain(ctx: ReplayContext, provider: Any, attempt: Attempt | None) -> SourceReport:
    """Explain what botocore's login provider saw for the profile."""
    if "login_session" not in ctx.profile_config():
        return SourceReport(
            source=METHOD,
            status=Status.NOT_CONFIGURED,
            code=NOT_CONFIGURED,
            summary=f"profile {ctx.profile.name!r} has no login_session, so "
            "`aws login` credentials are not used.",
            duration_ms=None if attempt is None else attempt.duration_ms,
        )
    rep = _Reporter(ctx, provider, attempt)
    if attempt is not None and attempt.result == "raised" and attempt.error:
        return _raised(rep, attempt.error)
    if attempt is None and not _crt_available():
        return rep.missing_crt()
    if rep.cache.state == "missing":
        return rep.not_logged_in()
    if rep.cache.state in {"unreadable", "invalid"}:
        return rep.token_invalid()
    failed = _refresh_failure(rep)
    if failed is not None:
        return failed
    cache = rep.cache
    if cache.state == "expired":
        return rep.report(
            Status.FOUND,
            CREDENTIALS_EXPIRED,
            f"{rep.subject()}; the cached credentials ({cache.key_id}, account "
            f"{cache.account_id}) expired at {cache.expiry_text()}, and botocore "
            "will refresh them with the cached refresh token (a call to AWS "
            "Sign-In) when a request is first signed.",
            (f"If that refresh fails, run {rep.command}.",),
        )
    return rep.report(
        Status.FOUND,
        FOUND,
        f"{rep.subject()}; the cached credentials ({cache.key_id}, account "
        f"{cache.account_id}) are valid until {cache.expiry_text()}.",
    )


def _raised(rep: _Reporter, error: BaseException) -> SourceReport:
    """Explain an error botocore's ``load()`` raised."""
    name = type(error).__name__
    if name == "MissingDependencyException":
        return rep.missing_crt()
    if name == "LoginTokenLoadError" and rep.cache.state == "missing":
        return rep.not_logged_in()
    if name == "LoginTokenLoadError":
        return rep.token_invalid()
    return rep.report(
        Status.FAILED,
        ERROR,
        f"{rep.subject()}; loading it raised {error_text(rep.ctx, error)}",
        (f"Run {rep.command} again, then retry.",),
    )


def _refresh_failure(rep: _Reporter) -> SourceReport | None:
    """Explain a refresh error raised when a request was signed (``ctx.trigger``)."""
    kind = _trigger_kind(rep.ctx)
    trigger = rep.ctx.trigger
    if kind is None or trigger is None:
        return None
    if kind == "expired":
        return rep.report(
            Status.FAILED,
            SESSION_EXPIRED,
            f"{rep.subject()}; the cached credentials expired at "
            f"{rep.cache.expiry_text()} and AWS Sign-In refused to refresh them "
            "(LoginRefreshRequired): the session is over.",
            (f"Run {rep.command}, then retry.",),
            stops=True,
        )
    if kind == "permissions":
        return rep.report(
            Status.FAILED,
            INSUFFICIENT_PERMISSIONS,
            f"{rep.subject()}; AWS Sign-In refused to refresh the credentials "
            "because the identity lacks signin:CreateOAuth2Token "
            "(LoginInsufficientPermissions).",
            (
                "Attach the AWS managed policy SignInLocalDevelopmentAccess to the "
                f"IAM identity of account {rep.cache.account_id}, then run "
                f"{rep.command}.",
            ),
            stops=True,
        )
    if kind in {"invalid", "bad_key"}:
        return rep.token_invalid()
    return rep.report(
        Status.FAILED,
        ERROR,
        f"{rep.subject()}; refreshing it failed: {error_text(rep.ctx, trigger)}",
        (f"Run {rep.command} again, then retry.",),
        stops=True,
    )


#: The explainer of each METHOD this module covers.
EXPLAINERS: dict[str, Explainer] = {METHOD: explain}
