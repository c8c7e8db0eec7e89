"""Hypothesis strategies shared by the guarantee tests (one module, as pypa/packaging does).

Secrets are generated with the shape of real ones: a 40-character secret access key
is 30 random bytes in base64, a session token starts ``IQoJb3JpZ2luX2Vj`` and runs
for hundreds of base64 characters, a web-identity token is a three-part JWT, an SSO
access token starts ``aoa``. Random output has every character class (upper case,
lower case, digits); a draw without them (probability below one in a million for a
real 40-character key) is filtered out, so that a string such as forty ``A`` does
not count as a secret. Every secret also carries a random part long enough never to
occur by chance in a message.
"""

from __future__ import annotations

import base64
import json
import string

from hypothesis import strategies as st

B64 = string.ascii_letters + string.digits + "+/"
B64URL = string.ascii_letters + string.digits + "-_"
KEY_ID_CHARS = string.ascii_uppercase + "234567"


def _mixed(text: str) -> bool:
    upper = sum(c.isupper() for c in text)
    lower = sum(c.islower() for c in text)
    digits = sum(c.isdigit() for c in text)
    return upper >= 4 and lower >= 4 and digits >= 2


def _random(alphabet: str, size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=size, max_size=size).filter(_mixed)


def access_key_ids(prefix: str | None = None) -> st.SearchStrategy[str]:
    """``AKIA``/``ASIA`` + 16 upper-case letters and digits, as AWS issues them."""
    prefixes = st.just(prefix) if prefix else st.sampled_from(["AKIA", "ASIA"])
    return st.builds(
        lambda p, rest: p + rest,
        prefixes,
        st.text(alphabet=KEY_ID_CHARS, min_size=16, max_size=16),
    )


def secret_keys() -> st.SearchStrategy[str]:
    """A 40-character secret access key (base64 of 30 random bytes)."""
    return _random(B64, 40)


def session_tokens() -> st.SearchStrategy[str]:
    """An STS session token: ``IQoJb3JpZ2luX2Vj`` and a long base64 tail."""
    return st.integers(min_value=100, max_value=400).flatmap(
        lambda n: _random(B64, n).map(lambda tail: "IQoJb3JpZ2luX2Vj" + tail)
    )


def sso_access_tokens() -> st.SearchStrategy[str]:
    """An IAM Identity Center access token (``aoa`` + base64 with a colon part)."""
    return st.builds(lambda a, b: f"aoa{a}:{b}", _random(B64, 60), _random(B64, 40))


def _b64url(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def jwts() -> st.SearchStrategy[str]:
    """A web-identity token: a real three-part JWT shape (header.payload.signature)."""
    return st.builds(
        lambda sub, sig: ".".join(
            (
                _b64url({"alg": "RS256", "kid": "k1", "typ": "JWT"}),
                _b64url(
                    {
                        "iss": "https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
                        "sub": f"system:serviceaccount:default:{sub}",
                        "aud": "sts.amazonaws.com",
                        "exp": 4102444800,
                    }
                ),
                sig,
            )
        ),
        st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=12),
        _random(B64URL, 86),
    )


def container_tokens() -> st.SearchStrategy[str]:
    """An ECS/EKS container authorization token (opaque base64 or a JWT)."""
    return st.one_of(_random(B64, 48), jwts())


def secrets() -> st.SearchStrategy[str]:
    """Any kind of secret credsafe must never show."""
    return st.one_of(
        secret_keys(), session_tokens(), sso_access_tokens(), jwts(), container_tokens()
    )


# -- hostile files -------------------------------------------------------------------
_KEYS = [
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "region",
    "role_arn",
    "source_profile",
    "credential_process",
    "sso_session",
    "web_identity_token_file",
    "s3",
    "output",
]
_NAMES = ["default", "profile default", "profile dev", "dev", "sso-session s", ""]


def _ini_line() -> st.SearchStrategy[str]:
    text = st.text(max_size=30)
    return st.one_of(
        st.builds(lambda n: f"[{n}]", st.sampled_from(_NAMES) | text),
        st.builds(
            lambda k, sep, v: f"{k}{sep}{v}",
            st.sampled_from(_KEYS) | text,
            st.sampled_from(["=", " = ", ":", " ", "=="]),
            text,
        ),
        st.builds(lambda k, v: f"  {k} = {v}", st.sampled_from(_KEYS), text),
        st.sampled_from(["", "#c", ";c", "[", "]", "[default", "\t", "=", "  "]),
        text,
    )


def near_ini_text() -> st.SearchStrategy[str]:
    """Text that looks like an AWS config/credentials file, with every kind of mistake."""
    return st.builds(
        lambda lines, eol: eol.join(lines),
        st.lists(_ini_line(), max_size=20),
        st.sampled_from(["\n", "\r\n", "\r", "\n\n"]),
    )


def _encoded(text: str, encoding: str, bom: bool) -> bytes:
    data = text.encode(encoding, "replace")
    if bom:
        data = {
            "utf-8": b"\xef\xbb\xbf",
            "utf-16-le": b"\xff\xfe",
            "utf-16-be": b"\xfe\xff",
        }.get(encoding, b"") + data
    return data


def hostile_file_bytes() -> st.SearchStrategy[bytes]:
    """Bytes of a credentials/config file: random, near-INI in many encodings, NULs."""
    return st.one_of(
        st.binary(max_size=400),
        st.builds(
            _encoded,
            near_ini_text(),
            st.sampled_from(
                ["utf-8", "utf-16-le", "utf-16-be", "latin-1", "cp1252", "utf-32"]
            ),
            st.booleans(),
        ),
        st.builds(
            lambda text, junk, at: text.encode()[:at] + junk + text.encode()[at:],
            near_ini_text(),
            st.sampled_from(
                [
                    b"\x00",
                    b"\xff",
                    b"\xc3\x28",
                    b"\xed\xa0\x80",
                    b"\xf8\x88\x80\x80\x80",
                    b"\x80",
                ]
            ),
            st.integers(min_value=0, max_value=200),
        ),
    )


def deep_nesting_text(depth: int) -> str:
    """A config with *depth* nested sub-sections and a source_profile chain that deep."""
    lines = []
    for i in range(depth):
        lines += [
            f"[profile p{i}]",
            f"source_profile = p{i + 1}",
            "role_arn = arn:aws:iam::123456789012:role/r",
            "s3 =",
            *[f"{'  ' * (j + 1)}k{j} = v" for j in range(min(i, 20))],
        ]
    return "\n".join(lines) + "\n"


# -- endpoint replies ---------------------------------------------------------------
def http_statuses() -> st.SearchStrategy[int]:
    """Any status an endpoint (or a proxy in the way) may send."""
    return st.one_of(
        st.sampled_from(
            [200, 201, 204, 301, 302, 400, 401, 403, 404, 405, 429, 500, 502, 503]
        ),
        st.integers(min_value=100, max_value=599),
    )


def json_values() -> st.SearchStrategy[object]:
    return st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=12), children, max_size=4)
        ),
        max_leaves=12,
    )


def credential_documents(secret: str) -> st.SearchStrategy[object]:
    """IMDS/container bodies: real documents with missing/odd fields, and junk."""
    keys = [
        "Code",
        "AccessKeyId",
        "SecretAccessKey",
        "Token",
        "Expiration",
        "LastUpdated",
        "Type",
    ]
    field = st.one_of(st.just(secret), st.text(max_size=30), json_values())
    return st.one_of(
        st.dictionaries(st.sampled_from(keys), field, max_size=7),
        json_values(),
    )


def response_bodies(secret: str) -> st.SearchStrategy[bytes]:
    """What an endpoint answers: JSON, half JSON, binary, HTML, with the secret in it."""
    return st.one_of(
        credential_documents(secret).map(lambda d: json.dumps(d).encode()),
        st.binary(max_size=200),
        st.builds(lambda t: f"<html>{t}{secret}</html>".encode(), st.text(max_size=30)),
        # A secret straddling the cut of a short excerpt.
        st.integers(min_value=80, max_value=119).map(
            lambda pad: ("Error: " + "x" * pad + " " + secret).encode()
        ),
        st.just(f'{{"SecretAccessKey": "{secret}", '.encode()),
        st.just(secret.encode()),
    )
