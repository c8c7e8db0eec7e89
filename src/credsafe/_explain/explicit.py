"""Explain credentials passed in code (``explicit``).

botocore labels credentials passed to ``Session(aws_access_key_id=...,
aws_secret_access_key=..., aws_session_token=...)`` or ``client(...)`` with the
method ``explicit``, ahead of the whole chain. Real applications pass values read
from settings or ``os.environ.get(...)`` and get ``None``, an empty string, a
swapped pair, or a key id without its secret. What boto3 and botocore then do:

- ``boto3.Session(...)`` uses the arguments when *any* of them is truthy, even if
  the secret is missing: it then signs with incomplete credentials and AWS rejects
  the request. When all of them are ``None`` or empty, they are ignored and the
  chain is walked.
- ``client(...)`` uses them when both the key id and the secret are not ``None``
  (empty strings included); exactly one of the two raises
  ``PartialCredentialsError`` (provider ``explicit``).
"""

from __future__ import annotations

import re
from typing import Any

from .._codes import define
from .._explicit_args import ExplicitArgs
from .._model import SourceReport, Status
from .._redact import key_kind, looks_like_key_id, mask_key_id
from ._base import ReplayContext

METHOD = "explicit"

USED = define(
    "explicit.used",
    title="Credentials passed in code were used.",
    why="Credentials given to Session() or client() come before the whole chain; "
    "botocore does not look anywhere else.",
    fix="Nothing to fix, unless you meant a profile or role to be used: then stop "
    "passing aws_access_key_id/aws_secret_access_key.",
)
IGNORED = define(
    "explicit.ignored",
    title="Credential arguments were passed but empty, so boto3 ignored them.",
    why="boto3.Session uses the credential arguments only if at least one is "
    "non-empty; None or '' (typically `os.environ.get('MY_KEY')` of an unset "
    "variable, or an empty setting) makes it walk the normal chain instead.",
    fix="Make sure the setting or variable your code reads is set, or stop passing "
    "the arguments and configure a profile or role.",
)
INCOMPLETE = define(
    "explicit.incomplete",
    title="Some credential arguments are missing or empty.",
    why="boto3.Session signs with whatever it was given, so a key id without its "
    "secret is sent and AWS rejects it; client() raises PartialCredentialsError "
    "when exactly one of the key id and the secret is None.",
    fix="Pass both aws_access_key_id and aws_secret_access_key (and "
    "aws_session_token for temporary keys).",
)
SWAPPED = define(
    "explicit.swapped",
    title="The access key id and the secret access key look swapped.",
    why="A key id is 20 upper-case letters and digits starting with AKIA or ASIA; a "
    "secret is 40 characters of mixed case, digits, '/' and '+'. The values passed "
    "have each other's shape.",
    fix="Swap the two arguments.",
)
WHITESPACE = define(
    "explicit.whitespace",
    title="A credential argument has surrounding whitespace or quotes.",
    why="botocore signs with the value exactly as given; a trailing newline from a "
    "file or quotes from a settings file make the signature wrong.",
    fix="Strip the value before passing it (`value.strip()`), and remove quotes.",
)
TEMP_WITHOUT_TOKEN = define(
    "explicit.temporary_without_token",
    title="A temporary (ASIA) key id was passed without aws_session_token.",
    why="Temporary credentials only work with their session token.",
    fix="Pass aws_session_token as well.",
)


def _state(value: Any) -> str:
    if value is None:
        return "None"
    if not isinstance(value, str):
        return type(value).__name__
    if value == "":
        return "empty"
    if value.strip() == "":
        return "whitespace"
    if value != value.strip() or value[:1] in "\"'" or value[-1:] in "\"'":
        return "padded"
    return "set"


_SECRET_SHAPE = re.compile(r"[A-Za-z0-9/+=]{40}")


def explain(ctx: ReplayContext, args: ExplicitArgs) -> SourceReport:
    """Explain the credential arguments *args* passed in code."""
    for secret in (args.secret_key, args.token):
        if isinstance(secret, str) and secret:
            ctx.secrets.add(secret)
            ctx.secrets.add(secret.strip())
    states = {
        "aws_access_key_id": _state(args.access_key),
        "aws_secret_access_key": _state(args.secret_key),
        "aws_session_token": _state(args.token),
    }
    passed = ", ".join(f"{name}={state}" for name, state in states.items())
    key = args.access_key if isinstance(args.access_key, str) else None
    details: dict[str, Any] = {"passed_to": args.where, "arguments": states}
    if key and looks_like_key_id(key.strip()):
        details["access_key_id"] = mask_key_id(key.strip())
    used = args.used_by_botocore()
    where = f"{args.where}()"

    if not used and not args.raises():
        return SourceReport(
            source=METHOD,
            status=Status.MISCONFIGURED,
            code=IGNORED,
            summary=f"credentials were passed to {where} but all are None or empty "
            f"({passed}), so boto3 ignored them and walked the chain.",
            hints=(
                "Check the setting or variable your code reads the credentials "
                "from (an `os.environ.get(...)` of an unset variable returns None).",
                "Or stop passing them and configure a profile or role.",
            ),
            details=details,
        )
    secret = args.secret_key if isinstance(args.secret_key, str) else None
    if (
        key
        and secret
        and looks_like_key_id(secret.strip())
        and _SECRET_SHAPE.fullmatch(key.strip())
    ):
        return SourceReport(
            source=METHOD,
            status=Status.MISCONFIGURED,
            code=SWAPPED,
            summary=f"the values passed to {where} look swapped: "
            "aws_access_key_id has the shape of a secret and aws_secret_access_key "
            f"the shape of a key id ({mask_key_id(secret.strip())}).",
            hints=("Swap aws_access_key_id and aws_secret_access_key.",),
            details=details,
        )
    missing = [
        name
        for name, state in states.items()
        if name != "aws_session_token" and state in {"None", "empty", "whitespace"}
    ]
    if missing:
        what = (
            "signs with incomplete credentials, which AWS rejects"
            if args.where == "Session"
            else "raises PartialCredentialsError"
        )
        return SourceReport(
            source=METHOD,
            status=Status.MISCONFIGURED,
            code=INCOMPLETE,
            summary=f"{where} was passed {passed}: {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} missing, and botocore {what}.",
            hints=(
                f"Pass {' and '.join(missing)} too (check the setting it is read "
                "from).",
            ),
            details=details,
        )
    padded = [name for name, state in states.items() if state == "padded"]
    if padded:
        return SourceReport(
            source=METHOD,
            status=Status.MISCONFIGURED,
            code=WHITESPACE,
            summary=f"{', '.join(padded)} passed to {where} "
            f"{'has' if len(padded) == 1 else 'have'} surrounding whitespace or "
            "quotes, which botocore signs with as they are.",
            hints=(f"Strip the value(s): {', '.join(padded)}.strip().",),
            details=details,
        )
    if key and key.startswith("ASIA") and not args.token:
        return SourceReport(
            source=METHOD,
            status=Status.MISCONFIGURED,
            code=TEMP_WITHOUT_TOKEN,
            summary=f"{where} was passed a temporary key "
            f"{mask_key_id(key)} without aws_session_token.",
            hints=("Pass aws_session_token=<the token issued with this key>.",),
            details=details,
        )
    kind = key_kind(key)
    return SourceReport(
        source=METHOD,
        status=Status.FOUND,
        code=USED,
        summary=f"credentials passed to {where} "
        f"({mask_key_id(key) if key else 'no key id'}"
        + (f", {kind}" if kind else "")
        + ") come before the whole chain.",
        details=details,
    )
