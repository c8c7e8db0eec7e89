"""Explain the IAM Identity Center (SSO) source (``sso``).

botocore's ``SSOProvider`` turns on when the profile has ``sso_account_id`` or
``sso_role_name``. It then needs ``sso_start_url`` and ``sso_region``, in the profile
(legacy form) or in the ``[sso-session NAME]`` section the profile names with
``sso_session``. ``load()`` only checks this configuration; the cached login token
(``~/.aws/sso/cache/<sha1>.json``) is read when a request is first signed, so a
missing or expired login shows up at the API call as ``SSOTokenLoadError``,
``UnauthorizedSSOTokenError`` or ``TokenRetrievalError``.

This explainer reads the configuration and the token cache file, never refreshes a
token, never calls SSO or SSO-OIDC, and never writes the cache. No token value
(``accessToken``, ``refreshToken``, ``clientSecret``) ever enters a message.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import os
import re
from collections.abc import Mapping
from typing import Any

from .._codes import define
from .._model import SourceReport, Status
from .._recording import Attempt
from ._base import Explainer, ReplayContext, error_text, make_report, open_regular

METHOD = "sso"

#: Keys that turn the SSO provider on (either one is enough).
TRIGGER_KEYS = ("sso_account_id", "sso_role_name")
#: Keys botocore requires, in the order it reports them missing.
REQUIRED_KEYS = ("sso_role_name", "sso_account_id", "sso_start_url", "sso_region")
#: Keys that belong in the ``[sso-session]`` section when one is used.
SESSION_KEYS = ("sso_start_url", "sso_region")
#: Token fields botocore needs to refresh an ``sso-session`` token by itself.
REFRESH_KEYS = ("refreshToken", "clientId", "clientSecret", "registrationExpiresAt")
#: botocore refreshes an ``sso-session`` token this long before it expires.
REFRESH_WINDOW = dt.timedelta(minutes=15)

FOUND = define(
    "sso.found",
    title="The profile signs in through IAM Identity Center (SSO) and a valid "
    "login is cached.",
    why="botocore exchanges the cached SSO access token for role credentials "
    "(sso GetRoleCredentials) when a request is first signed.",
    fix="Nothing to fix.",
)
NOT_CONFIGURED = define(
    "sso.not_configured",
    title="The profile does not use IAM Identity Center (SSO).",
    why="botocore uses SSO only when the profile has sso_account_id or sso_role_name.",
    fix="Nothing to fix, unless you meant to use SSO: then run `aws configure sso`.",
)
NO_ROLE = define(
    "sso.no_account_or_role",
    title="The profile has SSO settings but neither sso_account_id nor "
    "sso_role_name, so botocore ignores SSO.",
    why="botocore turns the SSO credential provider on only when the profile "
    "names the account and role to sign in to; sso_session, sso_start_url or "
    "sso_region alone are used for SSO bearer tokens, not for AWS credentials.",
    fix="Add sso_account_id and sso_role_name to the profile, or run "
    "`aws configure sso --profile NAME`.",
)
INCOMPLETE = define(
    "sso.incomplete",
    title="The profile is set up for SSO but a required setting is missing.",
    why="botocore needs sso_account_id, sso_role_name, sso_start_url and "
    "sso_region (the last two from the [sso-session] section when the profile "
    "names one). A missing one raises InvalidConfigError, which stops the chain.",
    fix="Add the missing setting to the section the diagnosis names, or run "
    "`aws configure sso --profile NAME` again.",
)
SESSION_MISSING = define(
    "sso.session_missing",
    title="The profile names an [sso-session] section that does not exist.",
    why="With sso_session = NAME, botocore reads sso_start_url and sso_region from "
    "the [sso-session NAME] section of the config file (never from the "
    "credentials file). When it is missing botocore raises InvalidConfigError "
    "and stops the chain.",
    fix="Add the [sso-session NAME] section to the config file, correct the "
    "name in sso_session, or run `aws configure sso-session`.",
)
INCONSISTENT = define(
    "sso.inconsistent",
    title="A setting has different values in the profile and in its "
    "[sso-session] section.",
    why="botocore requires every key that appears in both the profile and the "
    "[sso-session] section to have the same value, and raises InvalidConfigError "
    "otherwise.",
    fix="Remove the setting from the profile (the [sso-session] value applies) "
    "or make both values equal.",
)
NOT_LOGGED_IN = define(
    "sso.not_logged_in",
    title="There is no cached SSO login for this profile.",
    why="botocore reads the SSO access token from a cache file that `aws sso "
    "login` writes; the file does not exist, so no credentials can be fetched. "
    "botocore raises SSOTokenLoadError when the first request is signed.",
    fix="Run `aws sso login` with the --profile or --sso-session the diagnosis names.",
)
CACHE_ELSEWHERE = define(
    "sso.cache_elsewhere",
    title="The SSO login is cached under another home directory than the one "
    "botocore reads.",
    why="botocore fixes its SSO token directory (~/.aws/sso/cache) from HOME "
    "when botocore.credentials is first imported. A HOME changed later in the "
    "process, sudo (which may switch HOME to /root), or another user account "
    "puts `aws sso login`'s file where botocore does not look.",
    fix="Set HOME before the process starts (not after importing boto3), run "
    "`aws sso login` as the user and with the HOME that runs the code, or use "
    "`sudo -E` to keep HOME.",
)
TOKEN_EXPIRED = define(
    "sso.token_expired",
    title="The cached SSO login has expired.",
    why="The access token in the SSO cache file is past its expiresAt. For a "
    "legacy profile botocore raises UnauthorizedSSOTokenError; for an "
    "[sso-session] profile it raises TokenRetrievalError when the token cannot "
    "be refreshed (no refresh token, or an expired client registration).",
    fix="Run `aws sso login` again with the --profile or --sso-session the "
    "diagnosis names.",
)
TOKEN_REJECTED = define(
    "sso.token_rejected",
    title="IAM Identity Center rejected the cached SSO token.",
    why="The token file has not expired, but the SSO portal answered "
    "Unauthorized: the session was signed out, revoked, or belongs to another "
    "start URL.",
    fix="Run `aws sso login` again with the --profile or --sso-session the "
    "diagnosis names.",
)
TOKEN_INVALID = define(
    "sso.token_invalid",
    title="The SSO cache file cannot be used.",
    why="botocore needs a JSON object with accessToken and expiresAt in the cache "
    "file. A file that is not valid JSON makes botocore raise a bare KeyError; "
    "one without those fields raises SSOTokenLoadError.",
    fix="Delete the cache file the diagnosis names and run `aws sso login` again.",
)
REFRESH_PENDING = define(
    "sso.token_needs_refresh",
    title="The cached SSO access token has expired or is about to, and botocore "
    "will refresh it.",
    why="For an [sso-session] profile botocore refreshes the access token with "
    "the cached refresh token (a call to sso-oidc CreateToken) when it is within "
    "15 minutes of expiry. This normally works until the refresh token or the "
    "client registration expires.",
    fix="Nothing to do unless the refresh fails; then run `aws sso login` again.",
)
ERROR = define(
    "sso.error",
    title="Loading SSO credentials raised an error.",
    why="botocore raised an error while reading the SSO configuration or token, "
    "and the chain stops there.",
    fix="Correct what the error names, then run `aws sso login` if needed.",
)


# --------------------------------------------------------------------------- config


def _config_file(ctx: ReplayContext) -> str:
    try:
        value = ctx.session.get_config_variable("config_file")
    except Exception:
        value = None
    return ctx.expand_path(str(value or "~/.aws/config"))


def _profile_header(name: str) -> str:
    return "[default]" if name == "default" else f"[profile {name}]"


def _section_line(path: str, pattern: re.Pattern[str]) -> int | None:
    """The 1-based line of the first section header in *path* matching *pattern*."""
    try:
        with open_regular(path, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                if pattern.fullmatch(line.strip()):
                    return number
    except OSError:
        return None
    return None


def _section_headers(path: str) -> list[tuple[int, str]]:
    """Every ``[section]`` header of *path* with its line (names only, no values)."""
    headers: list[tuple[int, str]] = []
    try:
        with open_regular(path, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                text = line.strip()
                if text.startswith("[") and text.endswith("]"):
                    headers.append((number, text[1:-1]))
    except OSError:
        return []
    return headers


def _where(path: str, line: int | None) -> str:
    return f"{path}:{line}" if line else path


def _profile_where(ctx: ReplayContext, config_file: str) -> str:
    name = ctx.profile.name
    pattern = re.compile(
        r"\[\s*default\s*\]"
        if name == "default"
        else r"\[\s*profile\s+" + re.escape(name) + r"\s*\]"
    )
    line = _section_line(config_file, pattern)
    return f"{_profile_header(name)} ({_where(config_file, line)})"


def _session_where(config_file: str, session: str) -> str:
    pattern = re.compile(r"\[\s*sso-session\s+" + re.escape(session) + r"\s*\]")
    line = _section_line(config_file, pattern)
    return f"[sso-session {session}] ({_where(config_file, line)})"


def _near_miss_sessions(
    ctx: ReplayContext, config_file: str, name: str, sessions: Mapping[str, Any]
) -> list[str]:
    """Say where a missing [sso-session NAME] might have been written instead."""
    notes: list[str] = []
    wanted = name.strip().lower()
    for line, header in _section_headers(config_file):
        normal = re.sub(
            r"\s+", " ", header.strip().strip('"').lower().replace("_", "-")
        )
        parts = normal.split(" ", 1)
        if (
            len(parts) == 2
            and parts[1].strip('"') == wanted
            and header != f"sso-session {name}"
        ):
            notes.append(
                f"{config_file}:{line} has [{header}], which botocore does not read "
                f"as [sso-session {name}]: write the header exactly as "
                f"`[sso-session {name}]`."
            )
    profiles = (ctx.full_config() or {}).get("profiles", {}) or {}
    if f"sso-session {name}" in profiles:
        notes.append(
            f"[sso-session {name}] is in the shared credentials file, which botocore "
            "reads only for profiles: move the section to the config file "
            f"{config_file}."
        )
    close = difflib.get_close_matches(name, list(sessions), n=1, cutoff=0.6)
    if close:
        notes.append(f"Did you mean sso_session = {close[0]}?")
    return notes


class _Config:
    """The profile's SSO settings, resolved the way ``SSOProvider`` resolves them."""

    def __init__(self, ctx: ReplayContext) -> None:
        full = ctx.full_config() or {}
        self.profile: Mapping[str, Any] = ctx.profile_config()
        sessions = full.get("sso_sessions", {}) or {}
        self.sessions: Mapping[str, Any] = (
            sessions if isinstance(sessions, Mapping) else {}
        )
        self.session_name: str | None = None
        raw_session = self.profile.get("sso_session")
        if raw_session is not None:
            self.session_name = str(raw_session)
        self.session: Mapping[str, Any] | None = None
        if self.session_name is not None:
            value = self.sessions.get(self.session_name)
            self.session = value if isinstance(value, Mapping) else None
        self.triggered = any(key in self.profile for key in TRIGGER_KEYS)

    def inconsistency(self) -> tuple[str, Any, Any] | None:
        if self.session is None:
            return None
        for key, value in self.session.items():
            if self.profile.get(key, value) != value:
                return key, self.profile[key], value
        return None

    def resolved(self) -> dict[str, Any]:
        merged = dict(self.profile)
        if self.session is not None:
            merged.update(self.session)
        return merged

    def missing(self) -> list[str]:
        resolved = self.resolved()
        required = REQUIRED_KEYS + (("sso_session",) if self.session_name else ())
        return [key for key in required if key not in resolved]


# ---------------------------------------------------------------------- token cache


def _cache_dir(provider: Any, session_name: str | None) -> str:
    """The directory botocore really reads the token from."""
    if session_name is not None:
        token_provider = getattr(provider, "_token_provider", None)
        cache = getattr(token_provider, "_cache", None)
        directory = getattr(cache, "_working_dir", None)
        if isinstance(directory, str):
            return directory
        from botocore import tokens  # noqa: PLC0415

        token_dir = getattr(
            getattr(tokens, "SSOTokenProvider", None), "_SSO_TOKEN_CACHE_DIR", None
        )
        if isinstance(token_dir, str):
            return token_dir
    directory = getattr(getattr(provider, "_token_cache", None), "_working_dir", None)
    if isinstance(directory, str):
        return directory
    from botocore.credentials import SSOProvider  # noqa: PLC0415

    return str(SSOProvider._SSO_TOKEN_CACHE_DIR)


def cache_key(session_name: str | None, start_url: str) -> str:
    """The cache file stem botocore uses: sha1 of the session name or start URL."""
    source = session_name if session_name is not None else start_url
    return hashlib.sha1(source.encode("utf-8")).hexdigest()  # noqa: S324 (botocore's key)


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


class _Token:
    """What the token cache file holds, without keeping any secret in it."""

    def __init__(self, ctx: ReplayContext, path: str) -> None:
        self.path = path
        self.state = "missing"
        self.keys: list[str] = []
        self.expires_at: dt.datetime | None = None
        self.refreshable = False
        self.registration_expires_at: dt.datetime | None = None
        if not os.path.isfile(path):
            self.state = "missing"
            return
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            self.state = "unreadable"
            return
        if not isinstance(data, dict):
            self.state = "invalid"
            return
        for name in ("accessToken", "refreshToken", "clientSecret"):
            value = data.get(name)
            if isinstance(value, str) and value:
                ctx.secrets.add(value)
        self.keys = sorted(str(key) for key in data)
        if "accessToken" not in data or "expiresAt" not in data:
            self.state = "invalid"
            return
        self.expires_at = _parse_time(data.get("expiresAt"))
        self.registration_expires_at = _parse_time(data.get("registrationExpiresAt"))
        now = dt.datetime.now(dt.timezone.utc)
        self.refreshable = all(key in data for key in REFRESH_KEYS) and (
            self.registration_expires_at is not None
            and self.registration_expires_at > now
        )
        if self.expires_at is None:
            self.state = "invalid"
        elif self.expires_at <= now:
            self.state = "expired"
        elif self.expires_at - now < REFRESH_WINDOW:
            self.state = "expiring"
        else:
            self.state = "valid"

    def expiry_text(self) -> str:
        return when(self.expires_at)


def when(moment: dt.datetime | None) -> str:
    """``2026-05-01 10:00:00 UTC (3 hours ago)``: a time, and how far it is."""
    if moment is None:
        return "an unknown time"
    text = moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    seconds = (moment - dt.datetime.now(dt.timezone.utc)).total_seconds()
    span = abs(seconds)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if span >= size:
            count = int(span // size)
            amount = f"{count} {unit}{'s' if count != 1 else ''}"
            break
    else:
        amount = "less than a minute"
    return f"{text} ({amount} ago)" if seconds < 0 else f"{text} (in {amount})"


def _home_cache_dirs(ctx: ReplayContext) -> list[tuple[str, str]]:
    """``(why, directory)`` of other places `aws sso login` may have written to."""
    candidates: list[tuple[str, str]] = []
    home = ctx.environ.get("HOME")
    if home:
        candidates.append(
            (f"the current HOME ({home})", os.path.join(home, ".aws", "sso", "cache"))
        )
    sudo_user = ctx.environ.get("SUDO_USER")
    if sudo_user:
        try:
            import pwd  # noqa: PLC0415

            sudo_home = pwd.getpwnam(sudo_user).pw_dir
        except Exception:
            sudo_home = None
        if sudo_home:
            candidates.append(
                (
                    f"the home of {sudo_user}, who ran sudo ({sudo_home})",
                    os.path.join(sudo_home, ".aws", "sso", "cache"),
                )
            )
    return candidates


# -------------------------------------------------------------------------- explain


def login_commands(ctx: ReplayContext, session_name: str | None) -> tuple[str, ...]:
    """The exact `aws sso login` commands that refresh this profile's login."""
    by_profile = f"`aws sso login --profile {ctx.profile.name}`"
    if session_name is not None:
        return (f"`aws sso login --sso-session {session_name}`", by_profile)
    return (by_profile,)


def _trigger_kind(ctx: ReplayContext) -> str | None:
    """Classify ``ctx.trigger`` when it comes from loading the SSO token."""
    trigger = ctx.trigger
    if trigger is None:
        return None
    names = {cls.__name__ for cls in type(trigger).__mro__}
    if "TokenRetrievalError" in names:
        provider = str(getattr(trigger, "kwargs", {}).get("provider", "sso"))
        return "refresh_failed" if provider == "sso" else None
    if "UnauthorizedSSOTokenError" in names:
        return "unauthorized"
    if "SSOTokenLoadError" in names:
        message = str(trigger)
        return "invalid" if message.rstrip().endswith("is invalid") else "missing"
    if isinstance(trigger, KeyError) and trigger.args:
        key = str(trigger.args[0])
        if re.fullmatch(r"[0-9a-f]{40}", key):
            return "unreadable"
    return None


class _Reporter:
    """Builds the reports of one explanation, sharing its details."""

    def __init__(
        self, ctx: ReplayContext, provider: Any, attempt: Attempt | None
    ) -> None:
        self.ctx = ctx
        self.provider = provider
        self.attempt = attempt
        self.config = _Config(ctx)
        self.config_file = _config_file(ctx)
        self.profile = ctx.profile.name
        self.details: dict[str, Any] = {
            "profile": self.profile,
            "config_file": self.config_file,
        }
        if self.config.session_name is not None:
            self.details["sso_session"] = self.config.session_name

    def report(
        self,
        status: Status,
        code: str,
        summary: str,
        hints: tuple[str, ...] = (),
        *,
        stops: bool = False,
        **extra: Any,
    ) -> SourceReport:
        # stops: botocore would raise here, or return credentials that fail
        # later: either way the chain stops at this source.
        return make_report(
            METHOD,
            self.attempt,
            status,
            code,
            summary,
            hints,
            stops=stops,
            **{**self.details, **extra},
        )

    # -- not turned on -----------------------------------------------------------
    def not_triggered(self) -> SourceReport:
        config = self.config
        sso_keys = sorted(k for k in config.profile if str(k).startswith("sso_"))
        if sso_keys:
            where = _profile_where(self.ctx, self.config_file)
            return self.report(
                Status.MISCONFIGURED,
                NO_ROLE,
                f"profile {self.profile!r} has SSO settings ({', '.join(sso_keys)}) "
                "but neither sso_account_id nor sso_role_name, so botocore does not "
                "use SSO to get credentials for it.",
                (
                    "Add `sso_account_id = <12-digit account id>` and "
                    f"`sso_role_name = <permission set name>` under {where}.",
                    f"or run `aws configure sso --profile {self.profile}`.",
                ),
                sso_keys=sso_keys,
            )
        return self.report(
            Status.NOT_CONFIGURED,
            NOT_CONFIGURED,
            f"profile {self.profile!r} has no sso_account_id or sso_role_name, so "
            "SSO is not used.",
        )

    # -- configuration errors: what botocore raises in load() ------------------
    def config_problem(self) -> SourceReport | None:
        config = self.config
        if config.session_name is not None and config.session is None:
            return self.session_missing(config.session_name)
        clash = config.inconsistency()
        if clash is not None:
            assert config.session_name is not None
            return self.inconsistent(config.session_name, *clash)
        missing = config.missing()
        if missing:
            return self.incomplete(missing)
        return None

    def session_missing(self, name: str) -> SourceReport:
        names = sorted(self.config.sessions)
        existing = (
            "the config file defines " + ", ".join(f"[sso-session {n}]" for n in names)
            if names
            else "the config file defines no [sso-session] section at all"
        )
        hints = (
            *_near_miss_sessions(
                self.ctx, self.config_file, name, self.config.sessions
            ),
            f"Add to {self.config_file}:\n[sso-session {name}]\n"
            "sso_start_url = https://<your portal>.awsapps.com/start\n"
            "sso_region = <region of IAM Identity Center>",
            f"or run `aws configure sso-session` and name the session {name!r}.",
        )
        return self.report(
            Status.MISCONFIGURED,
            SESSION_MISSING,
            f"profile {self.profile!r} says sso_session = {name}, but there is no "
            f"[sso-session {name}] section ({existing}); botocore raises "
            "InvalidConfigError and stops the chain.",
            hints,
            stops=True,
            sso_sessions=names,
        )

    def inconsistent(
        self, session: str, key: str, in_profile: Any, in_session: Any
    ) -> SourceReport:
        return self.report(
            Status.MISCONFIGURED,
            INCONSISTENT,
            f"{key} is {in_profile!s} in {_profile_where(self.ctx, self.config_file)} "
            f"but {in_session!s} in {_session_where(self.config_file, session)}; "
            "botocore requires them to match and raises InvalidConfigError.",
            (
                f"Delete the `{key} = {in_profile!s}` line from "
                f"{_profile_header(self.profile)} (the [sso-session {session}] "
                "value applies),",
                f"or set `{key} = {in_profile!s}` in [sso-session {session}] if "
                "that is the right value.",
            ),
            stops=True,
            key=key,
        )

    def incomplete(self, missing: list[str]) -> SourceReport:
        hints: list[str] = []
        profile_where = _profile_where(self.ctx, self.config_file)
        session = self.config.session_name
        for key in missing:
            if key in SESSION_KEYS and session is not None:
                target = _session_where(self.config_file, session)
            else:
                target = profile_where
            hints.append(
                f"Add `{key} = {_EXAMPLES.get(key, '<value>')}` under {target}."
            )
        hints.append(f"or run `aws configure sso --profile {self.profile}`.")
        return self.report(
            Status.MISCONFIGURED,
            INCOMPLETE,
            f"profile {self.profile!r} is set up for SSO but lacks "
            f"{', '.join(missing)}; botocore raises InvalidConfigError and stops "
            "the chain.",
            tuple(hints),
            stops=True,
            missing=missing,
        )

    # -- configuration complete: the cached token decides ----------------------
    def token_report(self) -> SourceReport:
        config = self.config
        resolved = config.resolved()
        start_url = str(resolved.get("sso_start_url"))
        self.details.update(
            start_url=start_url,
            sso_region=str(resolved.get("sso_region")),
            account_id=str(resolved.get("sso_account_id")),
            role_name=str(resolved.get("sso_role_name")),
        )
        directory = _cache_dir(self.provider, config.session_name)
        path = os.path.join(
            directory, cache_key(config.session_name, start_url) + ".json"
        )
        token = _Token(self.ctx, path)
        self.details.update(
            cache_dir=directory,
            cache_file=path,
            cache_file_name=os.path.basename(path),
            token_state=token.state,
        )
        if token.expires_at is not None:
            self.details["expires_at"] = token.expiry_text()
        attempt = self.attempt
        kind = (
            _trigger_kind(self.ctx)
            if attempt is None or attempt.result == "found"
            else None
        )
        if token.state == "missing" or kind == "missing":
            return self.not_logged_in(token, directory)
        if token.state in {"unreadable", "invalid"} or kind in {
            "unreadable",
            "invalid",
        }:
            return self.token_invalid(token)
        if kind == "refresh_failed" or (
            token.state == "expired"
            and not (config.session_name is not None and token.refreshable)
        ):
            return self.token_expired(token, refresh_failed=kind == "refresh_failed")
        if kind == "unauthorized":
            return self.report(
                Status.FAILED,
                TOKEN_REJECTED,
                f"{self.subject()}; the cached login for {self.who()} is valid until "
                f"{token.expiry_text()}, but IAM Identity Center rejected it "
                "(UnauthorizedSSOTokenError): it was signed out or revoked.",
                (self.login_hint(),),
                stops=True,
            )
        if token.state in {"expired", "expiring"}:
            verb = "expired" if token.state == "expired" else "expires"
            return self.report(
                Status.FOUND,
                REFRESH_PENDING,
                f"{self.subject()}; the cached access token for {self.who()} {verb} "
                f"at {token.expiry_text()}, and botocore will refresh it with the "
                "cached refresh token (a call to "
                f"oidc.{self.details['sso_region']}.amazonaws.com) when it is first "
                "used.",
                (f"If that refresh fails: {_lower_first(self.login_hint())}",),
            )
        return self.report(
            Status.FOUND,
            FOUND,
            f"{self.subject()}; the cached login for {self.who()} is valid until "
            f"{token.expiry_text()}.",
        )

    def subject(self) -> str:
        return (
            f"profile {self.profile!r} (account {self.details['account_id']}, role "
            f"{self.details['role_name']}) signs in through IAM Identity Center"
        )

    def who(self) -> str:
        if self.config.session_name is not None:
            return f"sso-session {self.config.session_name!r}"
        return f"start URL {self.details['start_url']}"

    def login_hint(self) -> str:
        commands = login_commands(self.ctx, self.config.session_name)
        text = f"Run {commands[0]}"
        if len(commands) > 1:
            text += f" (or {commands[1]})"
        return text + ", then retry."

    def not_logged_in(self, token: _Token, directory: str) -> SourceReport:
        for why, other in _home_cache_dirs(self.ctx):
            other_path = os.path.join(other, os.path.basename(token.path))
            same = os.path.normpath(other) == os.path.normpath(directory)
            if not same and os.path.isfile(other_path):
                command = login_commands(self.ctx, self.config.session_name)[0]
                return self.report(
                    Status.FAILED,
                    CACHE_ELSEWHERE,
                    f"{self.subject()}, but botocore looks for the login of "
                    f"{self.who()} in {directory} (fixed when botocore was imported) "
                    f"and it is not there; it is cached under {why}: "
                    f"{file_in(other_path)}.",
                    (
                        "Set HOME before the Python process starts (not after "
                        "importing boto3/botocore), or run the code as the user "
                        "who ran `aws sso login`.",
                        f"Under sudo, use `sudo -E` (keeps HOME) or run {command} "
                        "as the same user and with the same HOME as the code.",
                    ),
                    stops=True,
                    found_at=other_path,
                )
        note = ""
        home = self.ctx.environ.get("HOME")
        if home and os.path.normpath(
            os.path.join(home, ".aws", "sso", "cache")
        ) != os.path.normpath(directory):
            note = (
                f" Note: HOME is {home}, but botocore fixed its cache directory "
                "when it was imported."
            )
        return self.report(
            Status.FAILED,
            NOT_LOGGED_IN,
            f"{self.subject()}, but there is no cached login for {self.who()}: "
            f"{file_in(token.path)} does not exist, so botocore cannot fetch "
            "credentials "
            f"(SSOTokenLoadError).{note}",
            (
                self.login_hint(),
                "`aws sso login` opens a browser; on a machine without one, add "
                "`--use-device-code`.",
            ),
            stops=True,
        )

    def token_invalid(self, token: _Token) -> SourceReport:
        what = {
            "unreadable": "is not valid JSON",
            "invalid": "lacks accessToken or a valid expiresAt",
        }.get(token.state, "could not be used")
        return self.report(
            Status.FAILED,
            TOKEN_INVALID,
            f"{self.subject()}, but the cached login for {self.who()} "
            f"({file_in(token.path)}) {what}, so botocore cannot use it.",
            (f"Delete {file_in(token.path)}, then {_lower_first(self.login_hint())}",),
            stops=True,
            token_keys=token.keys,
        )

    def token_expired(self, token: _Token, *, refresh_failed: bool) -> SourceReport:
        session = self.config.session_name
        why = ""
        if session is not None and not token.refreshable:
            why = (
                " and it cannot be refreshed (no refresh token, or the client "
                "registration has expired)"
            )
        elif refresh_failed:
            why = "; refreshing it with the cached refresh token failed"
        error = (
            "TokenRetrievalError"
            if session is not None
            else ("UnauthorizedSSOTokenError")
        )
        return self.report(
            Status.FAILED,
            TOKEN_EXPIRED,
            f"{self.subject()}, but the cached login for {self.who()} expired at "
            f"{token.expiry_text()}{why}; botocore raises {error}.",
            (self.login_hint(),),
            stops=True,
        )


_EXAMPLES = {
    "sso_role_name": "<permission set name>",
    "sso_account_id": "<12-digit account id>",
    "sso_start_url": "https://<your portal>.awsapps.com/start",
    "sso_region": "<region of IAM Identity Center>",
}


def file_in(path: str) -> str:
    """``NAME in DIR``: a cache path split so that no redaction swallows it.

    A hex file name joined to a directory can look like a secret to the redaction
    heuristic (a long run mixing case and digits); split, both parts stay readable.
    """
    return f"{os.path.basename(path)} in {os.path.dirname(path)}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def explain(ctx: ReplayContext, provider: Any, attempt: Attempt | None) -> SourceReport:
    """Explain what botocore's SSO provider saw for the profile."""
    reporter = _Reporter(ctx, provider, attempt)
    raised = (
        attempt.error if attempt is not None and attempt.result == "raised" else None
    )
    if not reporter.config.triggered and raised is None:
        return reporter.not_triggered()
    if reporter.config.triggered:
        problem = reporter.config_problem()
        if problem is not None:
            return problem
    if raised is not None:
        return reporter.report(
            Status.MISCONFIGURED
            if type(raised).__name__ == "InvalidConfigError"
            else Status.FAILED,
            ERROR,
            f"loading the SSO settings of profile {reporter.profile!r} raised "
            f"{error_text(ctx, raised)}",
            ("Correct the setting the error names.",),
        )
    return reporter.token_report()


#: The explainer of each METHOD this module covers.
EXPLAINERS: dict[str, Explainer] = {METHOD: explain}
