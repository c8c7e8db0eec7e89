"""Explain the environment-variable source (``env``)."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping
from typing import Any

import attrs

from .._codes import define
from .._model import SourceReport, Status
from .._recording import Attempt
from .._redact import key_kind, looks_like_key_id, mask_key_id
from ._base import ReplayContext, error_text

METHOD = "env"
KEY = "AWS_ACCESS_KEY_ID"
SECRET = "AWS_SECRET_ACCESS_KEY"  # noqa: S105 (a variable name, not a secret)
SESSION_TOKEN = "AWS_SESSION_TOKEN"  # noqa: S105 (a variable name)
SECURITY_TOKEN = "AWS_SECURITY_TOKEN"  # noqa: S105 (a variable name)
EXPIRATION = "AWS_CREDENTIAL_EXPIRATION"

FOUND = define(
    "env.found",
    title="Credentials came from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
    why="The environment provider is first in botocore's chain (unless a profile "
    "was passed explicitly), so these variables win over every file.",
    fix="Nothing to fix. Unset the variables if you meant a profile to be used.",
)
NOT_CONFIGURED = define(
    "env.not_configured",
    title="No credential environment variables are set.",
    why="botocore reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; neither is set.",
    fix="Set both variables, or configure a profile instead.",
)
PARTIAL = define(
    "env.partial",
    title="AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not.",
    why="botocore raises PartialCredentialsError when it finds a key id without its "
    "secret, and stops the chain there: no profile or role is tried.",
    fix="Set AWS_SECRET_ACCESS_KEY to the secret of that key, or unset "
    "AWS_ACCESS_KEY_ID to let later sources supply credentials.",
)
SECRET_ONLY = define(
    "env.secret_without_key_id",
    title="AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not.",
    why="botocore looks only at AWS_ACCESS_KEY_ID to decide whether environment "
    "credentials exist, and silently ignores a secret on its own.",
    fix="Set AWS_ACCESS_KEY_ID to the key id that belongs to the secret, or unset "
    "AWS_SECRET_ACCESS_KEY.",
)
EMPTY_KEY = define(
    "env.empty_key_id",
    title="AWS_ACCESS_KEY_ID is set to an empty value.",
    why="botocore treats an empty AWS_ACCESS_KEY_ID as unset. This usually comes "
    "from `AWS_ACCESS_KEY_ID=` in a compose file, a CI variable that does not exist "
    "or `export AWS_ACCESS_KEY_ID=$UNSET_VAR`.",
    fix="Give the variable a value, or remove it from the environment.",
)
SKIPPED_EXPLICIT_PROFILE = define(
    "env.skipped_explicit_profile",
    title="Environment variables were not consulted because a profile was passed "
    "explicitly.",
    why="When a profile is set on the session itself (boto3 `profile_name=`, "
    "botocore `profile=`), botocore removes the environment provider from the "
    "chain, even for `profile_name='default'`. AWS_PROFILE does not do this.",
    fix="Drop the explicit profile to use the environment variables, or unset them "
    "to avoid confusion.",
)
RAISED = define(
    "env.error",
    title="Reading the credential environment variables raised an error.",
    why="botocore raises when a variable it reads cannot be used, and the chain "
    "stops there.",
    fix="Correct or unset the variable the error names.",
)


SECRET_EMPTY = define(
    "env.empty_secret",
    title="AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is empty.",
    why="botocore treats an empty AWS_SECRET_ACCESS_KEY as missing and raises "
    "PartialCredentialsError, which stops the chain.",
    fix="Give AWS_SECRET_ACCESS_KEY its value (check the CI secret or compose file "
    "that should provide it), or unset both variables.",
)
NEAR_MISS = define(
    "env.near_miss_name",
    title="A variable with a name close to one botocore reads is set.",
    why="botocore reads exact, upper-case names (AWS_ACCESS_KEY_ID, "
    "AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE, ...). Other spellings, "
    "such as AWS_SECRET_KEY (read by some other tools and SDKs) or lower-case names, "
    "are ignored without a word.",
    fix="Rename the variable to the name botocore reads.",
)
WHITESPACE = define(
    "env.value_whitespace",
    title="A credential variable has leading or trailing whitespace or a newline.",
    why="botocore uses the values exactly as they are; a trailing newline or space "
    "(from `$(cat file)`, a copy-paste or a CRLF .env file) becomes part of the key, "
    "and AWS rejects the signature.",
    fix="Set the variable again without the whitespace.",
)
QUOTED = define(
    "env.value_quoted",
    title="A credential variable's value is wrapped in quotes.",
    why="Quotes inside the value (for example from `docker run --env-file`, which "
    "does not remove them) are sent to AWS as part of the key, and AWS rejects it.",
    fix="Remove the quotes from the value.",
)
KEY_SHAPE = define(
    "env.key_id_malformed",
    title="AWS_ACCESS_KEY_ID does not look like an access key id.",
    why="Access key ids are 20 upper-case letters and digits, starting with AKIA "
    "(long-term) or ASIA (temporary). Anything else is rejected by AWS; a 40-character "
    "mixed-case value is usually the secret, set in the wrong variable.",
    fix="Set AWS_ACCESS_KEY_ID to the key id (and AWS_SECRET_ACCESS_KEY to the "
    "secret).",
)
TEMP_NO_TOKEN = define(
    "env.temporary_key_without_token",
    title="A temporary key id (ASIA...) is set without a session token.",
    why="Temporary credentials only work together with their session token; AWS "
    "rejects an ASIA key id sent without AWS_SESSION_TOKEN.",
    fix="Set AWS_SESSION_TOKEN to the token issued with the key.",
)
LONG_TERM_WITH_TOKEN = define(
    "env.long_term_key_with_token",
    title="A long-term key id (AKIA...) is set together with a session token.",
    why="A session token belongs to temporary (ASIA) keys; AWS rejects a long-term "
    "key sent with a token. The token is usually left over from an earlier session.",
    fix="Unset AWS_SESSION_TOKEN (and AWS_SECURITY_TOKEN).",
)
SECURITY_TOKEN_WINS = define(
    "env.security_token_wins",
    title="AWS_SECURITY_TOKEN and AWS_SESSION_TOKEN are both set, to different values.",
    why="botocore reads the legacy AWS_SECURITY_TOKEN first, so it silently wins over "
    "AWS_SESSION_TOKEN, which other tools set; a stale AWS_SECURITY_TOKEN makes every "
    "request fail.",
    fix="Unset AWS_SECURITY_TOKEN.",
)
EXPIRATION_UNPARSABLE = define(
    "env.expiration_unparsable",
    title="AWS_CREDENTIAL_EXPIRATION is not a date botocore can parse.",
    why="botocore parses AWS_CREDENTIAL_EXPIRATION with dateutil when it loads "
    "environment credentials, and an unparsable value raises an error that stops the "
    "chain.",
    fix="Set it to an ISO 8601 time such as 2030-01-01T00:00:00Z, or unset it.",
)
EXPIRED = define(
    "env.expired",
    title="AWS_CREDENTIAL_EXPIRATION is in the past.",
    why="botocore accepts the variables, then refuses to sign with credentials past "
    "their expiration, raising 'Credentials were refreshed, but the refreshed "
    "credentials are still expired.' at the first request.",
    fix="Get fresh temporary credentials and set all four variables again, or unset "
    "AWS_CREDENTIAL_EXPIRATION if the keys are long-term.",
)
SHADOWS_PROFILE = define(
    "env.shadows_profile",
    title="Environment credentials are used although a profile is named by "
    "AWS_PROFILE.",
    why="botocore's environment source comes before every profile source, so "
    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY silently win over the profile "
    "AWS_PROFILE names. Only profile_name= in code removes the environment source.",
    fix="Unset the credential variables to use the profile, or pass "
    "profile_name= explicitly.",
)
DEFAULT_PROFILE_WINS = define(
    "env.default_profile_overrides",
    title="AWS_DEFAULT_PROFILE and AWS_PROFILE are both set, to different profiles.",
    why="botocore reads AWS_DEFAULT_PROFILE before AWS_PROFILE (the AWS CLI does the "
    "opposite), so the profile in AWS_PROFILE is silently ignored.",
    fix="Unset AWS_DEFAULT_PROFILE, or set both to the same profile.",
)

#: The names botocore reads for credentials and profile selection.
CANONICAL = (
    KEY,
    SECRET,
    SESSION_TOKEN,
    SECURITY_TOKEN,
    EXPIRATION,
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
)
#: Names people set instead, and the name they meant.
ALIASES = {
    "AWS_ACCESS_KEY": KEY,
    "AWS_ACCESS_KEY_ID_ID": KEY,
    "AWS_ACCESS_ID": KEY,
    "AWS_KEY_ID": KEY,
    "AWS_ACCESS_KEYID": KEY,
    "AWS_ACCESSKEYID": KEY,
    "ACCESS_KEY_ID": KEY,
    "AWS_SECRET_KEY": SECRET,
    "AWS_SECRET_ACCESS_KEY_ID": SECRET,
    "AWS_ACCESS_KEY_SECRET": SECRET,
    "AWS_ACCESS_SECRET_KEY": SECRET,
    "AWS_SECRET": SECRET,
    "AWS_SECRET_ACCESS": SECRET,
    "AWS_SECRETKEY": SECRET,
    "SECRET_ACCESS_KEY": SECRET,
    "AWS_TOKEN": SESSION_TOKEN,
    "AWS_SESSION_KEY": SESSION_TOKEN,
    "AWS_SESSIONTOKEN": SESSION_TOKEN,
    "AWS_STS_TOKEN": SESSION_TOKEN,
    "AWS_PROFILE_NAME": "AWS_PROFILE",
    "AWS_PROFILES": "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE_NAME": "AWS_DEFAULT_PROFILE",
    "AWS_CREDENTIALS_FILE": "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_SHARED_CREDENTIAL_FILE": "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_SHARED_CREDENTIALS": "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG": "AWS_CONFIG_FILE",
    "AWS_CONFIG_PATH": "AWS_CONFIG_FILE",
    "AWS_CONFIG_FILE_PATH": "AWS_CONFIG_FILE",
}
# Real variables of botocore or other AWS tools: never reported as near misses.
_KNOWN = frozenset(
    {
        "AWS_CREDENTIAL_FILE",
        "AWS_ACCOUNT_ID",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ROLE_ARN",
        "AWS_ROLE_SESSION_NAME",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        "AWS_SDK_LOAD_CONFIG",
    }
)
#: Names some other SDKs or tools read, worth naming in the explanation.
_OTHER_TOOLS = {
    "AWS_ACCESS_KEY": "is read by the AWS SDK for Java, not by botocore",
    "AWS_SECRET_KEY": "is read by the AWS SDK for Java, not by botocore",
}
_SECRET_NAMES = (SECRET, SESSION_TOKEN, SECURITY_TOKEN)


def explain(ctx: ReplayContext, provider: Any, attempt: Attempt | None) -> SourceReport:
    """Explain what the environment provider saw."""
    env = ctx.environ
    key = env.get(KEY)
    secret = env.get(SECRET)
    for name in _SECRET_NAMES:
        if env.get(name):
            ctx.secrets.add(env[name])
            ctx.secrets.add(env[name].strip())
    details: dict[str, Any] = {
        "variables_set": sorted(
            name
            for name in (KEY, SECRET, SESSION_TOKEN, SECURITY_TOKEN, EXPIRATION)
            if name in env
        ),
    }
    if key:
        details["access_key_id"] = _show_key(key)
    duration = None if attempt is None else attempt.duration_ms
    extra = _profile_selection(env)

    report = _primary(ctx, provider, attempt, key, secret, details, duration)
    near = [n for n in _near_misses(env) if n.code != report.code]
    if report.status is Status.FOUND or report.status is Status.SKIPPED:
        # Credential-name near misses do not matter once the variables are used.
        near = [
            n
            for n in near
            if ALIASES.get(n.details["name"], "") not in (KEY, SECRET)
            and _meant(n.details["name"]) not in (KEY, SECRET)
        ]
    secondary = [*extra, *near]
    if not secondary:
        return report
    hints = list(report.hints)
    for finding in secondary:
        hints.extend(h for h in finding.hints if h not in hints)
    return attrs.evolve(
        report,
        hints=tuple(hints),
        details={
            **report.details,
            "findings": [{"code": f.code, "summary": f.summary} for f in secondary],
        },
    )


def _primary(
    ctx: ReplayContext,
    provider: Any,
    attempt: Attempt | None,
    key: str | None,
    secret: str | None,
    details: dict[str, Any],
    duration: float | None,
) -> SourceReport:
    env = ctx.environ
    if provider is None and attempt is None and ctx.explicit_profile:
        return _skipped_explicit(ctx, key, secret, details)

    if attempt is not None and attempt.result == "raised" and attempt.error is not None:
        error = attempt.error
        names = {cls.__name__ for cls in type(error).__mro__}
        if "PartialCredentialsError" in names:
            return _partial(ctx, key, details, duration)
        if EXPIRATION in env and (
            "ParserError" in names or isinstance(error, ValueError)
        ):
            return SourceReport(
                source=METHOD,
                status=Status.MISCONFIGURED,
                code=EXPIRATION_UNPARSABLE,
                summary=f"{EXPIRATION}={_short(env[EXPIRATION])!r} is not a date "
                "botocore can parse, and it stops the whole chain there "
                f"({error_text(ctx, error)}).",
                hints=(
                    f"export {EXPIRATION}=2030-01-01T00:00:00Z (the expiration issued "
                    "with the credentials, in ISO 8601)",
                    f"or `unset {EXPIRATION}` if the keys do not expire.",
                ),
                duration_ms=duration,
                details={**details, "exception": type(error).__name__},
            )
        return SourceReport(
            source=METHOD,
            status=Status.MISCONFIGURED,
            code=RAISED,
            summary=f"reading the environment variables raised "
            f"{error_text(ctx, error)}",
            hints=("Correct or unset the variable the error names.",),
            duration_ms=duration,
            details=details,
        )

    if attempt is not None and attempt.result == "found":
        return _found(ctx, key or "", details, duration)

    if key == "" and KEY in env:
        return SourceReport(
            source=METHOD,
            status=Status.MISCONFIGURED,
            code=EMPTY_KEY,
            summary=f"{KEY} is set but empty, so botocore ignores the environment"
            + (f" (and {SECRET}, which is set)." if secret else "."),
            hints=(
                f"Give {KEY} a value, or `unset {KEY}` "
                "(check compose files and CI variables that expand to nothing).",
            ),
            duration_ms=duration,
            details=details,
        )
    near = _near_misses(env)
    credential_near = [n for n in near if _meant(n.details["name"]) in (KEY, SECRET)]
    if not key and credential_near:
        first = credential_near[0]
        return attrs.evolve(
            first, duration_ms=duration, details={**details, **first.details}
        )
    if not key and secret:
        return SourceReport(
            source=METHOD,
            status=Status.MISCONFIGURED,
            code=SECRET_ONLY,
            summary=f"{SECRET} is set but {KEY} is not, and botocore silently "
            "ignores a secret on its own.",
            hints=(
                f"export {KEY}=<the key id that belongs to this secret>",
                f"or `unset {SECRET}` if it is left over.",
            ),
            duration_ms=duration,
            details=details,
        )
    profile_near = [n for n in near if _meant(n.details["name"]) not in (KEY, SECRET)]
    if profile_near and not any(_meant(n.details["name"]) in env for n in profile_near):
        first = profile_near[0]
        return attrs.evolve(
            first, duration_ms=duration, details={**details, **first.details}
        )
    return SourceReport(
        source=METHOD,
        status=Status.NOT_CONFIGURED,
        code=NOT_CONFIGURED,
        summary=f"{KEY} and {SECRET} are not set.",
        duration_ms=duration,
        details=details,
    )


def _skipped_explicit(
    ctx: ReplayContext, key: str | None, secret: str | None, details: dict[str, Any]
) -> SourceReport:
    if key or secret:
        summary = (
            f"not consulted: the profile {ctx.profile.name!r} was passed "
            f"explicitly, so botocore ignores {KEY}"
            + (f" ({_show_key(key)})" if key else "")
            + f" and {SECRET} that are set in the environment."
        )
        hints: tuple[str, ...] = (
            f"To use the environment variables, create the session without "
            f"profile_name={ctx.profile.name!r}.",
            f"To use the profile, unset {KEY} and {SECRET} to avoid confusion.",
        )
    else:
        summary = (
            f"not consulted: the profile {ctx.profile.name!r} was passed "
            "explicitly, which removes environment variables from botocore's "
            "chain."
        )
        hints = ()
    return SourceReport(
        source=METHOD,
        status=Status.SKIPPED,
        code=SKIPPED_EXPLICIT_PROFILE,
        summary=summary,
        hints=hints,
        details=details,
    )


def _partial(
    ctx: ReplayContext, key: str | None, details: dict[str, Any], duration: float | None
) -> SourceReport:
    env = ctx.environ
    near = [n for n in _near_misses(env) if _meant(n.details["name"]) == SECRET]
    if near:
        first = near[0]
        return attrs.evolve(
            first,
            summary=f"{KEY} is set ({_show_key(key)}) but {SECRET} is not, and "
            f"botocore stops the whole chain there; {first.summary}",
            duration_ms=duration,
            details={**details, **first.details},
        )
    if SECRET in env:
        return SourceReport(
            source=METHOD,
            status=Status.MISCONFIGURED,
            code=SECRET_EMPTY,
            summary=f"{KEY} is set ({_show_key(key)}) but {SECRET} is set to an "
            "empty value, and botocore stops the whole chain there.",
            hints=(
                f"Give {SECRET} its value (a CI secret or compose variable that "
                "expanded to nothing is the usual cause),",
                f"or `unset {KEY} {SECRET}` so that your profile or role is used.",
            ),
            duration_ms=duration,
            details=details,
        )
    return SourceReport(
        source=METHOD,
        status=Status.MISCONFIGURED,
        code=PARTIAL,
        summary=f"{KEY} is set ({_show_key(key)}) but {SECRET} is "
        "not, and botocore stops the whole chain there.",
        hints=(
            f"export {SECRET}=<the secret of the key ending {(key or '')[-4:]}>"
            if key and not _looks_like_secret(key)
            else f"export {SECRET}=<the secret of this key>",
            f"or `unset {KEY}` so that your profile or role is used.",
        ),
        duration_ms=duration,
        details=details,
    )


def _found(  # noqa: C901
    ctx: ReplayContext, key: str, details: dict[str, Any], duration: float | None
) -> SourceReport:
    env = ctx.environ
    kind = key_kind(key)
    base = (
        f"{KEY} ({_show_key(key)}" + (f", {kind}" if kind else "") + f") and {SECRET} "
        "are set"
    )

    def report(
        code: str, summary: str, hints: tuple[str, ...], status: Status = Status.FOUND
    ) -> SourceReport:
        return SourceReport(
            source=METHOD,
            status=status,
            code=code,
            summary=summary,
            hints=hints,
            duration_ms=duration,
            details=details,
        )

    expiry = env.get(EXPIRATION)
    if expiry:
        when = _parse_time(expiry)
        if when is not None and when <= dt.datetime.now(dt.timezone.utc):
            return report(
                EXPIRED,
                f"{base}, but {EXPIRATION}={expiry.strip()!r} is in the past: botocore "
                "refuses to sign with them.",
                (
                    "Get fresh temporary credentials and export AWS_ACCESS_KEY_ID, "
                    f"AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and {EXPIRATION} again,",
                    f"or `unset {EXPIRATION}` if these keys do not expire.",
                ),
                Status.FAILED,
            )
    for name in (KEY, SECRET, SESSION_TOKEN, SECURITY_TOKEN):
        value = env.get(name)
        if not value:
            continue
        problem = _whitespace(value)
        if problem:
            return report(
                WHITESPACE,
                f"{base}, but {name} {problem}; botocore sends it as it is and AWS "
                "will reject the signature.",
                (
                    f'export {name}="$(printf %s "${name}" | tr -d \'[:space:]\')"',
                    "(`$(cat file)` or a CRLF .env file are the usual cause.)",
                ),
            )
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            return report(
                QUOTED,
                f"{base}, but the value of {name} is wrapped in {value[0]} quotes, "
                "which botocore sends as part of it: AWS will reject it.",
                (
                    f"Remove the quotes from {name} (`docker run --env-file` and "
                    "some .env loaders keep them).",
                ),
            )
    if not looks_like_key_id(key):
        swapped = _looks_like_secret(key)
        return report(
            KEY_SHAPE,
            f"{base}, but {KEY} ({_describe(key)}) does not look like an access key "
            "id (20 upper-case letters and digits starting with AKIA or ASIA)"
            + ("; it looks like a secret access key." if swapped else "."),
            (
                f"Are {KEY} and {SECRET} swapped? Set each to the other's value."
                if swapped
                else f"Copy the key id again into {KEY}.",
            ),
        )
    token_name = next((n for n in (SECURITY_TOKEN, SESSION_TOKEN) if env.get(n)), None)
    if key.startswith("ASIA") and token_name is None:
        return report(
            TEMP_NO_TOKEN,
            f"{base}, but {KEY} is a temporary key (ASIA) and {SESSION_TOKEN} is not "
            "set: AWS will reject it.",
            (f"export {SESSION_TOKEN}=<the session token issued with this key>",),
        )
    if key.startswith("AKIA") and token_name is not None:
        return report(
            LONG_TERM_WITH_TOKEN,
            f"{base}, but {KEY} is a long-term key (AKIA) and {token_name} is also "
            "set: AWS rejects a long-term key sent with a session token.",
            (f"unset {SESSION_TOKEN} {SECURITY_TOKEN}",),
        )
    if (
        env.get(SECURITY_TOKEN)
        and env.get(SESSION_TOKEN)
        and env[SECURITY_TOKEN] != env[SESSION_TOKEN]
    ):
        return report(
            SECURITY_TOKEN_WINS,
            f"{base}; {SECURITY_TOKEN} and {SESSION_TOKEN} are both set, to different "
            f"values, and botocore uses {SECURITY_TOKEN}.",
            (f"unset {SECURITY_TOKEN}  (botocore reads it before {SESSION_TOKEN})",),
        )
    profile_var = next(
        (v for v in ("AWS_DEFAULT_PROFILE", "AWS_PROFILE") if env.get(v)), None
    )
    if profile_var is not None and not ctx.explicit_profile:
        named = env[profile_var]
        return report(
            SHADOWS_PROFILE,
            f"{base}, and they win over the profile {named!r} named by "
            f"{profile_var}: botocore reads the environment first.",
            (
                f"To use the profile {named!r}: `unset {KEY} {SECRET} {SESSION_TOKEN}`,"
                f" or pass profile_name={named!r} in code.",
            ),
        )
    return report(FOUND, f"{base}.", ())


def _profile_selection(env: Mapping[str, str]) -> list[SourceReport]:
    default, profile = env.get("AWS_DEFAULT_PROFILE"), env.get("AWS_PROFILE")
    if default is None or profile is None or default in (profile, ""):
        return []
    return [
        SourceReport(
            source=METHOD,
            status=Status.NOT_CONFIGURED,
            code=DEFAULT_PROFILE_WINS,
            summary=f"AWS_DEFAULT_PROFILE={default!r} and AWS_PROFILE={profile!r} are "
            f"both set; botocore uses {default!r} (the AWS CLI would use {profile!r}).",
            hints=(
                f"`unset AWS_DEFAULT_PROFILE` to use the profile {profile!r}, or set "
                "both to the same name.",
            ),
        )
    ]


def _meant(name: str) -> str | None:
    """The variable botocore reads that *name* was probably meant to be."""
    stripped = name.strip()
    upper = stripped.upper().replace("-", "_")
    if stripped in CANONICAL or stripped in _KNOWN:
        return None
    if upper in ALIASES:
        return ALIASES[upper]
    if upper in CANONICAL:
        return upper
    if not upper.startswith(("AWS", "AMAZON")):
        return None
    if upper in _KNOWN or not any(
        w in upper
        for w in ("KEY", "SECRET", "TOKEN", "PROFILE", "CREDENTIAL", "CONFIG")
    ):
        return None
    # A longer name that extends a real one (AWS_SESSION_TOKEN_TTL) is another
    # tool's variable, not a typo.
    names = [c for c in CANONICAL if not upper.startswith(c)]
    close = difflib.get_close_matches(upper, names, n=1, cutoff=0.85)
    return close[0] if close else None


def _near_misses(env: Mapping[str, str]) -> list[SourceReport]:
    found = []
    for name in sorted(env):
        meant = _meant(name)
        if meant is None or env.get(meant):
            continue
        why = _OTHER_TOOLS.get(name.strip().upper())
        if name.strip() != name:
            how = "has whitespace in its name"
        elif name.upper() == meant:
            how = "is in lower case; environment variable names are case-sensitive"
        else:
            how = why or "is not a name botocore reads"
        shown = "" if meant in _SECRET_NAMES or meant == KEY else f"={env[name]!r}"
        hint = (
            f'export {meant}="${name}" && unset {name}'
            if name.strip() == name
            else f"Rename the variable {name!r} to {meant} where it is set."
        )
        found.append(
            SourceReport(
                source=METHOD,
                status=Status.MISCONFIGURED,
                code=NEAR_MISS,
                summary=f"{name!r}{shown} is set but botocore ignores it: it {how}. "
                f"Did you mean {meant}?",
                hints=(hint,),
                details={"name": name, "meant": meant},
            )
        )
    return found


def _whitespace(value: str) -> str | None:
    if value.endswith(("\n", "\r")):
        return "ends with a newline"
    if value != value.strip():
        return "has leading or trailing whitespace"
    if any(c.isspace() for c in value):
        return "contains whitespace"
    return None


def _parse_time(value: str) -> dt.datetime | None:
    try:
        # botocore's own parser for this variable (dateutil, a botocore dependency).
        from dateutil.parser import parse  # type: ignore[import-untyped]  # noqa: PLC0415
        from dateutil.tz import tzlocal  # type: ignore[import-untyped]  # noqa: PLC0415

        when: dt.datetime = parse(value)
    except (ImportError, ValueError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=tzlocal())
    return when


def _looks_like_secret(value: str) -> bool:
    return len(value) >= 30 and any(c.islower() for c in value)


def _show_key(key: str | None) -> str | None:
    """The masked key id, or its length only when it looks like a secret."""
    if key is None:
        return None
    if _looks_like_secret(key):
        return f"<{len(key)} characters, not shown>"
    return mask_key_id(key.strip())


def _describe(key: str) -> str:
    if _looks_like_secret(key):
        return f"{len(key)} characters, mixed case"
    return f"{mask_key_id(key.strip())}, {len(key)} characters"


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "..."
