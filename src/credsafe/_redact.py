"""Keep secrets out of every message, log event and output.

Access key ids are masked the way the AWS CLI masks them (``aws configure list``):
16 ``*`` followed by the last 4 characters. Everything else that is secret (secret
access keys, session tokens, SSO and web-identity tokens, container authorization
tokens) is never shown at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "*" * 16

# AWS access key ids: a 4-letter prefix and 16 more upper-case letters or digits.
# Matched anywhere in free text so that a key id in a botocore or process message is
# masked too.
_KEY_ID_RE = re.compile(
    r"\b(A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA)[A-Z0-9]{12,}\b"
)
# Long base64-ish runs (40-char secret keys, session tokens, JWTs) in free text.
_LONG_SECRET_RE = re.compile(
    r"(?<![A-Za-z0-9/+=._-])[A-Za-z0-9/+=._-]{32,}(?![A-Za-z0-9/+=._-])"
)
_REDACTED = "<redacted>"
# Key ids are upper-case letters and digits; a value with any of these is not one.
_SECRET_CHARS = re.compile(r"[a-z/+=]")

_KEY_KINDS = {
    "AKIA": "a long-term access key (AKIA)",
    "ASIA": "a temporary access key (ASIA)",
    "ABIA": "an AWS STS service bearer token key (ABIA)",
    "ACCA": "a context-specific credential key (ACCA)",
}


def mask_key_id(key_id: str | None) -> str | None:
    """Mask *key_id* like the AWS CLI: 16 ``*`` and the last 4 characters.

    Values of 4 characters or fewer, and values that cannot be a key id (lower-case
    letters, ``/``, ``+`` or ``=``: a secret in the key id's place) are masked
    completely.
    """
    if key_id is None:
        return None
    key_id = str(key_id)
    if len(key_id) <= 4 or _SECRET_CHARS.search(key_id):
        # Not shaped like a key id (a secret pasted into the key id slot): even
        # its last characters are not shown.
        return MASK
    return MASK + key_id[-4:]


def key_kind(key_id: str | None) -> str | None:
    """Say in words what kind of key *key_id* is, from its prefix, or ``None``."""
    if not key_id:
        return None
    return _KEY_KINDS.get(str(key_id).strip()[:4].upper())


def looks_like_key_id(value: str) -> bool:
    """Tell whether *value* has the shape of an access key id (prefix and length)."""
    return bool(re.fullmatch(r"(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}", value))


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Return *text* with known *secrets*, key ids and secret-looking runs removed.

    Known secret values are replaced first (longest first), then anything shaped like
    an access key id is masked, then any long base64-like run (a secret access key, a
    session token or a JWT) is replaced by ``<redacted>``.
    """
    for secret in sorted(
        {s for s in secrets if s and len(s) >= 4}, key=len, reverse=True
    ):
        text = text.replace(secret, _REDACTED)
    text = _KEY_ID_RE.sub(lambda m: MASK + m.group(0)[-4:], text)
    return _LONG_SECRET_RE.sub(_mask_long_run, text)


def _mask_long_run(match: re.Match[str]) -> str:
    run = match.group(0)
    if _looks_like_path(run):
        # A path: judge each segment on its own, so that a home directory such as
        # /Users/JaneDoe/Projects/AWS2024 stays readable while a secret-looking
        # segment is still removed.
        return "/".join(
            _REDACTED if len(part) >= 20 and _has_secret_entropy(part) else part
            for part in run.split("/")
        )
    return _REDACTED if _has_secret_entropy(run) else run


_PATH_WORDS = frozenset(
    {
        "",
        "~",
        ".",
        "..",
        ".aws",
        "tmp",
        "home",
        "Users",
        "root",
        "var",
        "etc",
        "opt",
        "usr",
        "run",
        "proc",
        "sys",
        "srv",
        "mnt",
        "private",
        "Library",
        "secrets",
        "cache",
        "sso",
        "login",
        "login-cache",
    }
)


def _looks_like_path(run: str) -> bool:
    """A run with a directory-like segment (``/tmp/``, ``~/.aws``) is a path."""
    if "/" not in run:
        return False
    head = run.split("=", 1)[-1]
    parts = head.split("/")
    return head.startswith(("/", "~/", "./", "../")) and any(
        part in _PATH_WORDS for part in parts[1:-1] or parts
    )


def _has_secret_entropy(run: str) -> bool:
    """Heuristic: a secret mixes upper case, lower case and digits densely."""
    upper = sum(c.isupper() for c in run)
    lower = sum(c.islower() for c in run)
    digits = sum(c.isdigit() for c in run)
    return upper >= 4 and lower >= 4 and digits >= 2
