# ruff: noqa: E501  (scenario data reads best one file line per line)
"""MkDocs hooks: the index of diagnosis codes, and a nav that tolerates missing pages.

The index is generated from the registry that ``credsafe explain CODE`` reads
(``credsafe._codes.CODES``), so the text of a code lives in exactly one place: its
``define()`` call. Each entry gets an example of the message, taken from a real
diagnosis that the build makes in a throwaway HOME with a clean environment (see
``SCENARIOS``). Nothing here reads the real ``~/.aws`` or sends anything off the
host (probes go to a closed port on 127.0.0.1), and the only processes run are the
scenarios' own ``credential_process`` scripts.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import email.utils
import hashlib
import html
import http.server
import importlib.util
import json
import logging
import os
import random
import re
import shutil
import socket
import string
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import botocore.credentials
import botocore.exceptions

log = logging.getLogger("mkdocs.hooks.credsafe")

#: The page that receives the index, and the marker replaced in it.
CODES_PAGE = "reference/codes.md"
MARKER = "<!-- credsafe:codes -->"

#: Prefixes of codes that belong to no single source, in the order shown.
CROSS_CUTTING = {
    "chain": "The chain as a whole",
    "generic": "Any source",
    "custom": "Providers the application added",
    "explicit": "Credentials passed explicitly",
    "rejected": "Credentials AWS rejected",
    "verify": "credsafe doctor --verify",
    "advice": "Advice",
    "internal": "credsafe itself",
}


@attrs.frozen
class Scenario:
    """A real environment to diagnose: variables, file contents, a profile."""

    name: str
    env: Mapping[str, str] = attrs.field(factory=dict)
    config: str | None = None
    credentials: str | None = None
    boto_config: str | None = None
    profile: str | None = None
    #: Other files, by path relative to HOME: text, or bytes written as they are.
    #: A path ending in ``/`` is made a directory. ``{home}`` in ``env`` values
    #: and file texts is the temporary HOME.
    files: Mapping[str, str | bytes] = attrs.field(factory=dict)
    #: Create a client through ``credsafe.Session(**session)`` as an application
    #: does, and diagnose what botocore really did (it may run the scenario's
    #: ``credential_process``), instead of ``credsafe.diagnose()``.
    call: bool = False
    session: Mapping[str, str] = attrs.field(factory=dict)
    #: Allow probes. IMDS and the container endpoint are then pointed at a closed
    #: port on 127.0.0.1 unless ``env`` says otherwise: nothing leaves the host.
    network: bool = False
    #: Answers of a server on 127.0.0.1 started for the scenario, by
    #: ``"METHOD /path"``: ``(status, body)``; anything else gets 404. ``{server}``
    #: in ``env`` is its URL (``http://127.0.0.1:PORT/``).
    server: Mapping[str, tuple[int, str]] = attrs.field(factory=dict)
    #: Make one STS call after creating the client (``call`` mode), so that AWS's
    #: answer is diagnosed. Only allowed with ``AWS_ENDPOINT_URL_STS={server}``.
    api_call: bool = False
    #: Permission bits to set on files written by the scenario, by path
    #: relative to HOME (``.aws/credentials``...).
    modes: Mapping[str, int] = attrs.field(factory=dict)
    #: Where botocore reads cached SSO logins. botocore fixes it from HOME when it
    #: is imported; the build points it at the scenario's HOME, as if botocore had
    #: been imported there, unless a scenario shows a HOME changed after import.
    sso_cache: str = "{home}/.aws/sso/cache"
    #: The region of the client created in ``call`` mode.
    region: str = "us-east-1"
    #: The ``Date`` header of the loopback server's answers (default: now).
    server_date: str | None = None
    #: Run with HOME as the current directory (for relative paths).
    cwd_home: bool = False
    #: ``call`` mode: set these variables only after the client was created
    #: (credentials that appear too late for it).
    late_env: Mapping[str, str] = attrs.field(factory=dict)
    #: ``call`` mode: the application inserts a provider of its own (which finds
    #: nothing) at the head of botocore's chain.
    custom_provider: bool = False
    #: Files given to another user (uid 65534, nobody), when the build may
    #: (as root); by path relative to HOME.
    foreign_owner: tuple[str, ...] = ()
    #: Symbolic links to create, by path relative to HOME: their target.
    links: Mapping[str, str] = attrs.field(factory=dict)


_KEY = "AKIAIOSFODNN7EXAMPLE"  # AWS's documented example key id
_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # noqa: S105 (documented example)
_CREDS = f"aws_access_key_id = {_KEY}\naws_secret_access_key = {_SECRET}\n"


def _creds_doc(hours: int = 6) -> str:
    """An IMDS/container credentials document (fake values)."""
    expiry = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=hours)
    return json.dumps(
        {
            "Code": "Success",
            "AccessKeyId": "ASIAY34FZKBOKMUTVV7A",
            "SecretAccessKey": _SECRET,
            "Token": "IQoJb3JpZ2luX2VjEXAMPLETOKENEXAMPLETOKEN",
            "Expiration": expiry.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    )


def _sts_error(code: str, message: str) -> str:
    return (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        f"<Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message>"
        "</Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>"
        "</ErrorResponse>"
    )


_IMDS_TOKEN = {"PUT /latest/api/token": (200, "AQAEAEXAMPLETOKEN")}
_IMDS_LIST = "GET /latest/meta-data/iam/security-credentials/"
_IMDS_APP = "GET /latest/meta-data/iam/security-credentials/app-role"
_IMDS_ROLE = {_IMDS_LIST: (200, "app-role")}
_IMDS_CREDS = {_IMDS_APP: (200, _creds_doc())}

#: Problems of a ``[default]`` section, written to either shared file.
_FILE_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("duplicate section", f"[default]\n{_CREDS}[default]\nregion = x\n"),
    ("duplicate key", f"[default]\n{_CREDS}aws_access_key_id = {_KEY}\n"),
    ("key before section", f"aws_access_key_id = {_KEY}\n[default]\n"),
    ("line without =", f"[default]\n{_CREDS}just some text\n"),
    (
        "quoted value",
        f'[default]\naws_access_key_id = "{_KEY}"\n'
        f'aws_secret_access_key = "{_SECRET}"\n',
    ),
    (
        "inline comment",
        f"[default]\naws_access_key_id = {_KEY} # mine\n"
        f"aws_secret_access_key = {_SECRET}\n",
    ),
    (
        "empty value",
        f"[default]\naws_access_key_id = {_KEY}\naws_secret_access_key =\n",
    ),
    (
        "misspelled key",
        f"[default]\naws_access_key = {_KEY}\naws_secret_key = {_SECRET}\n",
    ),
    (
        "indented line",
        f"[default]\naws_access_key_id = {_KEY}\n  aws_secret_access_key = {_SECRET}\n",
    ),
    (
        "nested value",
        f"[default]\naws_access_key_id =\n  x = {_KEY}\n"
        f"aws_secret_access_key = {_SECRET}\n",
    ),
    ("nested line without =", "[default]\ns3 =\n  no equals here\n"),
    ("[DEFAULT] section", f"[DEFAULT]\n{_CREDS}"),
    ("[Default] section", f"[Default]\n{_CREDS}"),
    (
        "temporary key without token",
        f"[default]\naws_access_key_id = ASIAY34FZKBOKMUTVV7A\n"
        f"aws_secret_access_key = {_SECRET}\n",
    ),
    (
        "malformed key id",
        f"[default]\naws_access_key_id = my-key\naws_secret_access_key = {_SECRET}\n",
    ),
    ("secret only", f"[default]\naws_secret_access_key = {_SECRET}\n"),
)

#: Environments whose diagnoses give the examples of the index.
SCENARIOS: tuple[Scenario, ...] = (
    Scenario("nothing configured"),
    Scenario("key id without secret", env={"AWS_ACCESS_KEY_ID": _KEY}),
    Scenario("secret without key id", env={"AWS_SECRET_ACCESS_KEY": _SECRET}),
    Scenario("empty key id", env={"AWS_ACCESS_KEY_ID": ""}),
    Scenario(
        "environment shadows the profile",
        env={"AWS_ACCESS_KEY_ID": _KEY, "AWS_SECRET_ACCESS_KEY": _SECRET},
        credentials=f"[default]\n{_CREDS}",
    ),
    Scenario(
        "explicit profile ignores the environment",
        env={"AWS_ACCESS_KEY_ID": _KEY, "AWS_SECRET_ACCESS_KEY": _SECRET},
        credentials=f"[dev]\n{_CREDS}",
        profile="dev",
    ),
    Scenario("credentials file found", credentials=f"[default]\n{_CREDS}"),
    Scenario(
        "credentials file with a byte-order mark",
        credentials=f"\ufeff[default]\n{_CREDS}",
    ),
    Scenario(
        "credentials file missing the secret",
        credentials=f"[default]\naws_access_key_id = {_KEY}\n",
    ),
    Scenario(
        "credentials file with a [profile x] section",
        credentials=f"[profile dev]\n{_CREDS}",
        env={"AWS_PROFILE": "dev"},
    ),
    Scenario(
        "config section without the profile prefix",
        config=f"[dev]\n{_CREDS}",
        env={"AWS_PROFILE": "dev"},
    ),
    Scenario(
        "profile named by AWS_PROFILE does not exist",
        config="[default]\nregion = us-east-1\n",
        env={"AWS_PROFILE": "prod"},
    ),
    Scenario(
        "config file credentials", config=f"[profile dev]\n{_CREDS}", profile="dev"
    ),
    Scenario(
        "config file with a duplicate key",
        config=f"[default]\nregion = us-east-1\nregion = eu-west-1\n{_CREDS}",
    ),
    Scenario(
        "assume-role without a source",
        config="[default]\nrole_arn = arn:aws:iam::123456789012:role/app\n",
    ),
    Scenario(
        "assume-role with a missing source profile",
        config="[default]\nrole_arn = arn:aws:iam::123456789012:role/app\n"
        "source_profile = base\n",
    ),
    Scenario(
        "assume-role with both sources",
        config="[default]\nrole_arn = arn:aws:iam::123456789012:role/app\n"
        "source_profile = base\ncredential_source = Environment\n"
        f"[profile base]\n{_CREDS}",
    ),
    Scenario(
        "web identity without a role",
        env={"AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/secrets/token"},
    ),
    Scenario(
        "web identity with a missing token file",
        env={
            "AWS_WEB_IDENTITY_TOKEN_FILE": "/nonexistent/token",
            "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/app",
        },
    ),
    Scenario(
        "SSO profile missing settings",
        config="[default]\nsso_account_id = 123456789012\n",
    ),
    Scenario(
        "SSO session that does not exist",
        config="[default]\nsso_session = corp\nsso_account_id = 123456789012\n"
        "sso_role_name = ReadOnly\n",
    ),
    Scenario(
        "SSO profile never logged in",
        config="[default]\nsso_session = corp\nsso_account_id = 123456789012\n"
        "sso_role_name = ReadOnly\n[sso-session corp]\n"
        "sso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n",
    ),
    Scenario(
        "credential_process",
        config="[default]\ncredential_process = /usr/local/bin/get-creds --json\n",
    ),
    Scenario(
        "login session",
        config="[default]\nlogin_session = arn:aws:iam::123456789012:user/me\n",
    ),
    Scenario(
        "legacy EC2 credentials file missing",
        env={"AWS_CREDENTIAL_FILE": "/nonexistent/aws-credentials"},
    ),
    Scenario(
        "boto config without a secret",
        boto_config=f"[Credentials]\naws_access_key_id = {_KEY}\n",
    ),
    Scenario("boto config", boto_config=f"[Credentials]\n{_CREDS}"),
    Scenario(
        "container URI on a host botocore refuses",
        env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://192.0.2.10/creds"},
    ),
    Scenario("empty container URI", env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": ""}),
    Scenario("IMDS disabled", env={"AWS_EC2_METADATA_DISABLED": "true"}),
    Scenario(
        "IMDS endpoint mode invalid",
        env={"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "ipv5"},
    ),
    *(
        Scenario(f"{label}: {name}", **{keyword: text})
        for label, keyword in (
            ("credentials file", "credentials"),
            ("config file", "config"),
        )
        for name, text in _FILE_PROBLEMS
    ),
    *(
        Scenario(f"config file: {name}", config=text)
        for name, text in (
            ("byte-order mark", "\ufeff[default]\nregion = eu-west-1\n"),
            ("duplicate section", "[default]\nregion = a\n[default]\nregion = b\n"),
            ("key before section", "region = eu-west-1\n[default]\n"),
            ("line without =", "[default]\nregion eu-west-1\n"),
            ("[profiledev] section", f"[profiledev]\n{_CREDS}"),
            ("[DEFAULT] section", f"[DEFAULT]\n{_CREDS}"),
            ("[default] twice", f"[default]\n{_CREDS}[profile default]\nregion = x\n"),
            ("partial", f"[default]\naws_access_key_id = {_KEY}\n"),
            (
                "quoted value",
                f'[default]\naws_access_key_id = "{_KEY}"\n'
                f"aws_secret_access_key = {_SECRET}\n",
            ),
        )
    ),
    Scenario(
        "config file not UTF-8", files={".aws/config": b"[default]\nregion = caf\xe9\n"}
    ),
    Scenario(
        "key id and secret in different files",
        credentials=f"[default]\naws_access_key_id = {_KEY}\n",
        config=f"[default]\naws_secret_access_key = {_SECRET}\n",
    ),
    Scenario(
        "profile in both files",
        credentials=f"[dev]\n{_CREDS}",
        config="[profile dev]\nregion = eu-west-1\n",
        profile="dev",
    ),
    Scenario(
        "AWS_SHARED_CREDENTIALS_FILE missing",
        env={"AWS_SHARED_CREDENTIALS_FILE": "{home}/secrets/aws-credentials"},
    ),
    Scenario(
        "AWS_CONFIG_FILE is a directory",
        env={"AWS_CONFIG_FILE": "{home}/aws-config"},
        files={"aws-config/": ""},
    ),
    Scenario("empty AWS_PROFILE", env={"AWS_PROFILE": ""}),
    Scenario(
        "AWS_SHARED_CREDENTIALS_FILE is a directory",
        env={"AWS_SHARED_CREDENTIALS_FILE": "{home}/aws-credentials"},
        files={"aws-credentials/": ""},
    ),
    Scenario(
        "AWS_CONFIG_FILE missing",
        env={"AWS_CONFIG_FILE": "{home}/settings/aws-config"},
    ),
    Scenario(
        "credentials file not UTF-8",
        files={".aws/credentials": b"[default]\naws_access_key_id = caf\xe9\n"},
    ),
    Scenario(
        "explicit profile that does not exist",
        config="[default]\nregion = eu-west-1\n",
        profile="prod",
    ),
    *(
        Scenario(
            f"credential_process: {name}",
            config=f"[default]\ncredential_process = {cmd}\n",
        )
        for name, cmd in (
            ("relative path", "bin/get-creds --json"),
            ("shell syntax", "get-creds --profile dev | jq .Credentials"),
            ("unbalanced quotes", '"/opt/get creds --json'),
            ("empty command", ""),
            ("unexpanded path", "~/bin/get-creds"),
            ("backslashes", "C:\\tools\\get-creds.exe --json"),
            ("not executable", "{home}/get-creds"),
        )
    ),
    *(
        Scenario(f"web identity: {name}", env=env, files=files)
        for name, env, files in (
            ("empty token variable", {"AWS_WEB_IDENTITY_TOKEN_FILE": ""}, {}),
            (
                "role without token file",
                {"AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/app"},
                {},
            ),
            (
                "malformed role ARN",
                {
                    "AWS_WEB_IDENTITY_TOKEN_FILE": "{home}/token",
                    "AWS_ROLE_ARN": "app-role",
                },
                {"token": "eyJhbGciOiJub25lIn0.eyJleHAiOjQxMDI0NDQ4MDB9.c2ln"},
            ),
            (
                "empty token",
                {
                    "AWS_WEB_IDENTITY_TOKEN_FILE": "{home}/token",
                    "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/app",
                },
                {"token": ""},
            ),
            (
                "token not a JWT",
                {
                    "AWS_WEB_IDENTITY_TOKEN_FILE": "{home}/token",
                    "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/app",
                },
                {"token": "not a token"},
            ),
            (
                "token is a directory",
                {
                    "AWS_WEB_IDENTITY_TOKEN_FILE": "{home}/token",
                    "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/app",
                },
                {"token/": ""},
            ),
            (
                "expired token",
                {
                    "AWS_WEB_IDENTITY_TOKEN_FILE": "{home}/token",
                    "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/app",
                },
                {"token": "eyJhbGciOiJub25lIn0.eyJleHAiOjE2MDAwMDAwMDB9.c2ln"},
            ),
            (
                "token path with ~",
                {
                    "AWS_WEB_IDENTITY_TOKEN_FILE": "~/token",
                    "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/app",
                },
                {"token": "eyJhbGciOiJub25lIn0.eyJleHAiOjQxMDI0NDQ4MDB9.c2ln"},
            ),
            (
                "configured",
                {
                    "AWS_WEB_IDENTITY_TOKEN_FILE": "{home}/token",
                    "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/app",
                },
                {"token": "eyJhbGciOiJub25lIn0.eyJleHAiOjQxMDI0NDQ4MDB9.c2ln"},
            ),
        )
    ),
    *(
        Scenario(f"assume-role: {name}", config=text)
        for name, text in (
            (
                "loop",
                "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\n"
                "source_profile = b\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\n"
                "source_profile = a\n[default]\nrole_arn = arn:aws:iam::123456789012:role/d\n"
                "source_profile = a\n",
            ),
            (
                "invalid credential_source",
                "[default]\nrole_arn = arn:aws:iam::123456789012:role/app\n"
                "credential_source = Ec2\n",
            ),
            (
                "credential_source without credentials",
                "[default]\nrole_arn = arn:aws:iam::123456789012:role/app\n"
                "credential_source = Environment\n",
            ),
            (
                "malformed role_arn",
                f"[default]\nrole_arn = app\nsource_profile = base\n"
                f"[profile base]\n{_CREDS}",
            ),
            (
                "duration not a number",
                "[default]\nrole_arn = arn:aws:iam::123456789012:role/app\n"
                f"source_profile = base\nduration_seconds = 1h\n[profile base]\n{_CREDS}",
            ),
            (
                "duration out of range",
                "[default]\nrole_arn = arn:aws:iam::123456789012:role/app\n"
                f"source_profile = base\nduration_seconds = 60\n[profile base]\n{_CREDS}",
            ),
            (
                "source profile partial",
                "[default]\nrole_arn = arn:aws:iam::123456789012:role/app\n"
                f"source_profile = base\n[profile base]\naws_access_key_id = {_KEY}\n",
            ),
            (
                "source profile without credentials",
                "[default]\nrole_arn = arn:aws:iam::123456789012:role/app\n"
                "source_profile = base\n[profile base]\nregion = eu-west-1\n",
            ),
            (
                "MFA without a terminal",
                "[default]\nrole_arn = arn:aws:iam::123456789012:role/app\n"
                "source_profile = base\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n"
                f"[profile base]\n{_CREDS}",
            ),
            (
                "configured",
                "[default]\nrole_arn = arn:aws:iam::123456789012:role/app\n"
                f"source_profile = base\n[profile base]\n{_CREDS}",
            ),
        )
    ),
    *(
        Scenario(
            f"AWS_CREDENTIAL_FILE: {name}",
            env={"AWS_CREDENTIAL_FILE": "{home}/ec2-creds"},
            files={"ec2-creds": text},
        )
        for name, text in (
            ("found", f"AWSAccessKeyId={_KEY}\nAWSSecretKey={_SECRET}\n"),
            ("no keys", "Region=eu-west-1\n"),
            ("partial", f"AWSAccessKeyId={_KEY}\n"),
            ("secret only", f"AWSSecretKey={_SECRET}\n"),
        )
    ),
    Scenario(
        "boto config: misnamed keys",
        boto_config=f"[Credentials]\naccess_key = {_KEY}\n",
    ),
    Scenario("boto config: parse error", boto_config="[Credentials]\nno equals sign\n"),
    Scenario(
        "boto config: secret only",
        boto_config=f"[Credentials]\naws_secret_access_key = {_SECRET}\n",
    ),
    Scenario(
        "BOTO_CONFIG hides ~/.boto",
        env={"BOTO_CONFIG": "{home}/other.cfg"},
        files={".boto": f"[Credentials]\n{_CREDS}"},
    ),
    Scenario(
        "container: relative URI without /",
        env={"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "v2/credentials/abc"},
    ),
    Scenario(
        "container: token with a newline",
        env={
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "{home}/token",
        },
        files={"token": "abc\n"},
    ),
    Scenario(
        "container: token file missing",
        env={
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "{home}/missing-token",
        },
    ),
    Scenario(
        "IMDS: AWS_EC2_METADATA_DISABLED=1", env={"AWS_EC2_METADATA_DISABLED": "1"}
    ),
    Scenario(
        "IMDS: invalid endpoint", env={"AWS_EC2_METADATA_SERVICE_ENDPOINT": "not a url"}
    ),
    Scenario("IMDS: fractional timeout", env={"AWS_METADATA_SERVICE_TIMEOUT": "0.5"}),
    Scenario(
        "SSO: region differs from the session",
        config="[default]\nsso_session = corp\nsso_account_id = 123456789012\n"
        "sso_role_name = ReadOnly\nsso_region = eu-west-1\n[sso-session corp]\n"
        "sso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n",
    ),
    *(
        Scenario(
            f"credential_process: {name}",
            config="[default]\ncredential_process = {python} {home}/creds.py\n",
            files={"creds.py": script},
            call=True,
        )
        for name, script in (
            (
                "fails",
                "import sys\nprint('token expired', file=sys.stderr)\nsys.exit(3)\n",
            ),
            ("prints no JSON", "print('AccessKeyId=AKIA...')\n"),
            ("prints a list", "print('[]')\n"),
            ("wrong version", "print('{\"Version\": 2}')\n"),
            ("missing keys", 'print(\'{"Version": 1, "AccessKeyId": "AKIAX"}\')\n'),
            (
                "bad expiration",
                "import json\nprint(json.dumps({'Version': 1, 'AccessKeyId': 'ASIAX',"
                " 'SecretAccessKey': 's', 'SessionToken': 't', 'Expiration': 'soon'}))\n",
            ),
            (
                "works",
                "import json\nprint(json.dumps({'Version': 1, "
                f"'AccessKeyId': '{_KEY}', 'SecretAccessKey': '{_SECRET}'}}))\n",
            ),
        )
    ),
    Scenario(
        "passed in code, but empty",
        session={"aws_access_key_id": "", "aws_secret_access_key": ""},
        call=True,
    ),
    *(
        Scenario(
            f"IMDS: {name}",
            env={"AWS_EC2_METADATA_SERVICE_ENDPOINT": "{server}"},
            server=routes,
            network=True,
        )
        for name, routes in (
            ("instance role", {**_IMDS_TOKEN, **_IMDS_ROLE, **_IMDS_CREDS}),
            ("no instance profile", {**_IMDS_TOKEN}),
            ("token request refused", {"PUT /latest/api/token": (403, "")}),
            ("token bad request", {"PUT /latest/api/token": (400, "")}),
            ("role listing fails", {**_IMDS_TOKEN, _IMDS_LIST: (500, "")}),
            ("credentials error", {**_IMDS_TOKEN, **_IMDS_ROLE, _IMDS_APP: (500, "")}),
            ("not JSON", {**_IMDS_TOKEN, **_IMDS_ROLE, _IMDS_APP: (200, "<html/>")}),
            (
                "token refused, IMDSv1 rejected",
                {"PUT /latest/api/token": (403, ""), _IMDS_LIST: (401, "")},
            ),
            (
                "no token, IMDSv1 rejected",
                {"PUT /latest/api/token": (404, ""), _IMDS_LIST: (401, "")},
            ),
            ("turned off", {"PUT /latest/api/token": (403, ""), _IMDS_LIST: (403, "")}),
            (
                "token lost on the way back",
                {"PUT /latest/api/token": (0, ""), _IMDS_LIST: (401, "")},
            ),
            ("no answer", {"PUT /latest/api/token": (0, ""), _IMDS_LIST: (0, "")}),
            (
                "role cannot be assumed",
                {
                    **_IMDS_TOKEN,
                    **_IMDS_ROLE,
                    _IMDS_APP: (
                        200,
                        json.dumps(
                            {
                                "Code": "AssumeRoleUnauthorizedAccess",
                                "Message": "EC2 cannot assume the role app-role.",
                            }
                        ),
                    ),
                },
            ),
            (
                "expired credentials",
                {**_IMDS_TOKEN, **_IMDS_ROLE, _IMDS_APP: (200, _creds_doc(hours=-1))},
            ),
        )
    ),
    *(
        Scenario(
            f"container endpoint: {name}",
            env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": "{server}creds"},
            server={"GET /creds": answer},
            network=True,
        )
        for name, answer in (
            ("task role", (200, _creds_doc())),
            ("error status", (500, '{"message": "internal"}')),
            ("not JSON", (200, "<html/>")),
            (
                "missing keys",
                (200, json.dumps({"AccessKeyId": "ASIAEXAMPLEEXAMPLE12"})),
            ),
        )
    ),
    *(
        Scenario(
            f"AWS rejects the credentials: {code}",
            env={"AWS_ENDPOINT_URL_STS": "{server}", **env},
            server={"POST /": (403, _sts_error(code, message))},
            credentials=credentials,
            session=session,
            call=True,
            api_call=True,
        )
        for code, message, env, credentials, session in (
            (
                "InvalidClientTokenId",
                "The security token included in the request is invalid.",
                {"AWS_ACCESS_KEY_ID": _KEY, "AWS_SECRET_ACCESS_KEY": _SECRET},
                f"[default]\n{_CREDS.replace(_KEY, 'AKIA2E0A8F3B244C9986')}",
                {},
            ),
            (
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature "
                "you provided.",
                {},
                f"[default]\n{_CREDS}",
                {},
            ),
            (
                "ExpiredToken",
                "The security token included in the request is expired",
                {
                    "AWS_ACCESS_KEY_ID": "ASIAY34FZKBOKMUTVV7A",
                    "AWS_SECRET_ACCESS_KEY": _SECRET,
                    "AWS_SESSION_TOKEN": "IQoJb3JpZ2luX2VjEXAMPLETOKEN",
                },
                None,
                {},
            ),
            (
                "InvalidClientTokenId",
                "The security token included in the request is invalid.",
                {},
                None,
                {
                    "aws_access_key_id": "ASIAY34FZKBOKMUTVV7A",
                    "aws_secret_access_key": _SECRET,
                },
            ),
        )
    ),
    Scenario("nothing configured, probed", network=True),
    Scenario(
        "container endpoint refuses",
        env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": "{imds}creds"},
        network=True,
    ),
    Scenario(
        "SSO: start URL only",
        config="[default]\nsso_start_url = https://example.awsapps.com/start\n",
    ),
)

_START_URL = "https://example.awsapps.com/start"
_SSO_LEGACY = (
    f"[default]\nsso_start_url = {_START_URL}\nsso_region = us-east-1\n"
    "sso_account_id = 123456789012\nsso_role_name = ReadOnly\n"
)
_SSO_SESSION = (
    "[default]\nsso_session = corp\nsso_account_id = 123456789012\n"
    f"sso_role_name = ReadOnly\n[sso-session corp]\nsso_start_url = {_START_URL}\n"
    "sso_region = us-east-1\n"
)
#: botocore's cache file names: SHA-1 of the start URL (legacy profile) or of the
#: sso-session name.
_SSO_LEGACY_FILE = (
    f".aws/sso/cache/{hashlib.sha1(_START_URL.encode()).hexdigest()}.json"  # noqa: S324
)
_SSO_SESSION_FILE = f".aws/sso/cache/{hashlib.sha1(b'corp').hexdigest()}.json"  # noqa: S324
#: Any request botocore might make for an SSO scenario goes to a closed loopback
#: port (the scenarios never need one; this is a guard).
_NO_AWS = {"AWS_ENDPOINT_URL": "{closed}"}


def _sso_token(hours: float, **extra: str) -> str:
    """A cached SSO login (fake values), expiring in *hours*."""
    expiry = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=hours)
    return json.dumps(
        {
            "startUrl": _START_URL,
            "region": "us-east-1",
            "accessToken": "aoaEXAMPLEACCESSTOKENEXAMPLE",
            "expiresAt": expiry.strftime("%Y-%m-%dT%H:%M:%SZ"),
            **extra,
        }
    )


_ASIA = "ASIAY34FZKBOKMUTVV7A"
_ENV_KEYS = {"AWS_ACCESS_KEY_ID": _KEY, "AWS_SECRET_ACCESS_KEY": _SECRET}

#: Scenarios added for the codes the first set left without an example.
MORE_SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "SSO: valid cached login",
        config=_SSO_LEGACY,
        files={_SSO_LEGACY_FILE: _sso_token(6)},
        env=_NO_AWS,
    ),
    Scenario(
        "SSO: expired cached login",
        config=_SSO_LEGACY,
        files={_SSO_LEGACY_FILE: _sso_token(-2)},
        env=_NO_AWS,
    ),
    Scenario(
        "SSO: cache file not JSON",
        config=_SSO_LEGACY,
        files={_SSO_LEGACY_FILE: "{not json"},
        env=_NO_AWS,
    ),
    Scenario(
        "SSO: cache file without accessToken",
        config=_SSO_LEGACY,
        files={_SSO_LEGACY_FILE: json.dumps({"startUrl": _START_URL})},
        env=_NO_AWS,
    ),
    Scenario(
        "SSO: token about to be refreshed",
        config=_SSO_SESSION,
        files={
            _SSO_SESSION_FILE: _sso_token(
                0.05,
                refreshToken="EXAMPLEREFRESH",
                clientId="EXAMPLECLIENT",
                clientSecret="EXAMPLECLIENTSECRET",
                registrationExpiresAt="2099-01-01T00:00:00Z",
            )
        },
        env=_NO_AWS,
    ),
    Scenario(
        "SSO: HOME changed after botocore was imported",
        config=_SSO_LEGACY,
        files={_SSO_LEGACY_FILE: _sso_token(6)},
        env=_NO_AWS,
        sso_cache="/home/builder/.aws/sso/cache",
    ),
    Scenario(
        "SSO: login revoked",
        config=_SSO_LEGACY,
        files={_SSO_LEGACY_FILE: _sso_token(6)},
        env={"AWS_ENDPOINT_URL_SSO": "{server}", "AWS_ENDPOINT_URL_STS": "{server}"},
        api_call=True,
        server={
            "GET /federation/credentials?role_name=ReadOnly&account_id=123456789012": (
                401,
                json.dumps(
                    {
                        "__type": "UnauthorizedException",
                        "message": "Session token not found or invalid",
                    }
                ),
            )
        },
        call=True,
    ),
    *(
        Scenario(
            f"AWS rejects the credentials: {name}",
            env={"AWS_ENDPOINT_URL_STS": "{server}", **env},
            server={"POST /": (403, _sts_error(code, message))},
            credentials=credentials,
            call=True,
            api_call=True,
            region=region,
            server_date=date,
        )
        for name, code, message, env, credentials, region, date in (
            (
                "clock off",
                "SignatureDoesNotMatch",
                "Signature expired",
                {},
                f"[default]\n{_CREDS}",
                "us-east-1",
                # AWS's clock 15 minutes behind ours
                email.utils.format_datetime(
                    dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=15),
                    usegmt=True,
                ),
            ),
            (
                "temporary key without token",
                "InvalidClientTokenId",
                "The security token included in the request is invalid.",
                {},
                f"[default]\naws_access_key_id = {_ASIA}\naws_secret_access_key = {_SECRET}\n",
                "us-east-1",
                None,
            ),
            (
                "AWS_SECURITY_TOKEN wins",
                "ExpiredToken",
                "The security token included in the request is expired",
                {
                    "AWS_ACCESS_KEY_ID": _ASIA,
                    "AWS_SECRET_ACCESS_KEY": _SECRET,
                    "AWS_SESSION_TOKEN": "IQoJb3JpZ2luX2VjNEWTOKEN",
                    "AWS_SECURITY_TOKEN": "IQoJb3JpZ2luX2VjOLDTOKEN",
                },
                None,
                "us-east-1",
                None,
            ),
            (
                "unknown key",
                "InvalidClientTokenId",
                "The security token included in the request is invalid.",
                {},
                f"[default]\n{_CREDS}",
                "us-east-1",
                None,
            ),
            (
                "China region",
                "InvalidClientTokenId",
                "The security token included in the request is invalid.",
                {},
                f"[default]\n{_CREDS}",
                "cn-north-1",
                None,
            ),
        )
    ),
    *(
        Scenario(
            f"passed in code: {name}",
            session=session,
            call=True,
            api_call=True,
            env={"AWS_ENDPOINT_URL_STS": "{server}"},
            server={
                "POST /": (
                    403,
                    _sts_error(
                        "InvalidClientTokenId",
                        "The security token included in the request is invalid.",
                    ),
                )
            },
        )
        for name, session in (
            ("used", {"aws_access_key_id": _KEY, "aws_secret_access_key": _SECRET}),
            ("key id only", {"aws_access_key_id": _KEY}),
            ("swapped", {"aws_access_key_id": _SECRET, "aws_secret_access_key": _KEY}),
            (
                "whitespace",
                {"aws_access_key_id": f" {_KEY}", "aws_secret_access_key": _SECRET},
            ),
        )
    ),
    Scenario(
        "credentials file readable by others",
        credentials=f"[default]\n{_CREDS}",
        modes={".aws/credentials": 0o644},
    ),
    Scenario(
        "long-term keys in GitHub Actions",
        env={**_ENV_KEYS, "GITHUB_ACTIONS": "true", "CI": "true"},
    ),
    Scenario(
        "same key in the environment and the file",
        env=_ENV_KEYS,
        credentials=f"[default]\n{_CREDS}",
    ),
    Scenario(
        "static keys next to a container role",
        env={**_ENV_KEYS, "AWS_CONTAINER_CREDENTIALS_FULL_URI": "{closed}creds"},
    ),
    *(
        Scenario(f"environment: {name}", env=env)
        for name, env in (
            (
                "AWS_DEFAULT_PROFILE and AWS_PROFILE",
                {"AWS_DEFAULT_PROFILE": "a", "AWS_PROFILE": "b"},
            ),
            ("empty secret", {"AWS_ACCESS_KEY_ID": _KEY, "AWS_SECRET_ACCESS_KEY": ""}),
            (
                "expiration not a date",
                {**_ENV_KEYS, "AWS_CREDENTIAL_EXPIRATION": "soon"},
            ),
            (
                "expired",
                {
                    "AWS_ACCESS_KEY_ID": _ASIA,
                    "AWS_SECRET_ACCESS_KEY": _SECRET,
                    "AWS_SESSION_TOKEN": "IQoJb3JpZ2luX2VjTOKEN",
                    "AWS_CREDENTIAL_EXPIRATION": "2020-01-01T00:00:00Z",
                },
            ),
            (
                "malformed key id",
                {"AWS_ACCESS_KEY_ID": "my-key", "AWS_SECRET_ACCESS_KEY": _SECRET},
            ),
            (
                "long-term key with a token",
                {**_ENV_KEYS, "AWS_SESSION_TOKEN": "IQoJb3JpZ2luX2VjTOKEN"},
            ),
            ("near-miss name", {"AWS_ACCESS_KEY_ID": _KEY, "AWS_SECRET_KEY": _SECRET}),
            (
                "AWS_SECURITY_TOKEN differs",
                {
                    "AWS_ACCESS_KEY_ID": _ASIA,
                    "AWS_SECRET_ACCESS_KEY": _SECRET,
                    "AWS_SESSION_TOKEN": "IQoJb3JpZ2luX2VjNEWTOKEN",
                    "AWS_SECURITY_TOKEN": "IQoJb3JpZ2luX2VjOLDTOKEN",
                },
            ),
            (
                "temporary key without token",
                {"AWS_ACCESS_KEY_ID": _ASIA, "AWS_SECRET_ACCESS_KEY": _SECRET},
            ),
            (
                "quoted value",
                {"AWS_ACCESS_KEY_ID": f'"{_KEY}"', "AWS_SECRET_ACCESS_KEY": _SECRET},
            ),
            (
                "trailing newline",
                {"AWS_ACCESS_KEY_ID": f"{_KEY}\n", "AWS_SECRET_ACCESS_KEY": _SECRET},
            ),
        )
    ),
    Scenario(
        "environment shadows AWS_PROFILE",
        env={**_ENV_KEYS, "AWS_PROFILE": "dev"},
        credentials=f"[dev]\n{_CREDS.replace(_KEY, 'AKIA2E0A8F3B244C9986')}",
    ),
    Scenario(
        "secret in the credentials file, key id in the config file",
        credentials=f"[default]\naws_secret_access_key = {_SECRET}\n",
        config=f"[default]\naws_access_key_id = {_KEY}\n",
    ),
    Scenario(
        "profile region in both files",
        credentials="[dev]\nregion = us-east-1\n",
        config=f"[profile dev]\nregion = eu-west-1\n{_CREDS}",
        profile="dev",
    ),
    Scenario(
        "credential_process: program not executable",
        config="[default]\ncredential_process = {home}/get-creds\n",
        files={"get-creds": "#!/bin/sh\n"},
        modes={"get-creds": 0o644},
    ),
    Scenario(
        "credential_process: relative program",
        config="[default]\ncredential_process = bin/get-creds --json\n",
        files={"bin/get-creds": "#!/bin/sh\n"},
        modes={"bin/get-creds": 0o755},
        cwd_home=True,
    ),
    Scenario(
        "credential_process: a pipe",
        config="[default]\ncredential_process = {python} {home}/creds.py | jq .Credentials\n",
        files={"creds.py": "print('{}')\n"},
    ),
    Scenario(
        "config section without the prefix, profile in the credentials file",
        credentials=f"[dev]\n{_CREDS}",
        config="[dev]\nregion = eu-west-1\n",
        profile="dev",
    ),
    Scenario(
        "config section [profiledev], profile in the credentials file",
        credentials=f"[dev]\n{_CREDS}",
        config="[profiledev]\nregion = eu-west-1\n",
        profile="dev",
    ),
    Scenario(
        "config file is a broken link",
        links={".aws/config": "{home}/gone/config"},
    ),
    Scenario(
        "credentials file is a broken link",
        links={".aws/credentials": "{home}/gone/credentials"},
    ),
    Scenario(
        "container endpoint: no answer",
        env={"AWS_CONTAINER_CREDENTIALS_FULL_URI": "{server}creds"},
        server={"GET /creds": (0, "")},
        network=True,
    ),
    Scenario(
        "ECS task without a task role",
        env={"ECS_CONTAINER_METADATA_URI_V4": "{closed}v4/abc"},
    ),
    Scenario(
        "IMDS: AWS_EC2_METADATA_DISABLED=yes",
        env={"AWS_EC2_METADATA_DISABLED": "yes"},
        network=True,
    ),
    Scenario(
        "IMDS: IMDSv1 disabled, token refused",
        env={
            "AWS_EC2_METADATA_V1_DISABLED": "true",
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": "{server}",
        },
        server={"PUT /latest/api/token": (403, "")},
        network=True,
    ),
    Scenario(
        "IMDS: proxy unreachable",
        env={
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://192.0.2.10/",
            "HTTP_PROXY": "{closed}",
        },
        network=True,
    ),
    Scenario(
        "web identity in the environment, profile passed in code",
        env={
            "AWS_WEB_IDENTITY_TOKEN_FILE": "{home}/token",
            "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/app",
        },
        files={"token": "eyJhbGciOiJub25lIn0.eyJleHAiOjQxMDI0NDQ4MDB9.c2ln"},
        config="[profile dev]\nregion = eu-west-1\n",
        profile="dev",
    ),
    Scenario(
        "Kubernetes pod without IRSA",
        env={"KUBERNETES_SERVICE_HOST": "10.0.0.1"},
    ),
    Scenario(
        "boto config: [credentials] section",
        boto_config=f"[credentials]\n{_CREDS}",
    ),
    Scenario(
        "credential_process: expired credentials",
        config="[default]\ncredential_process = {python} {home}/creds.py\n",
        files={
            "creds.py": "import json\nprint(json.dumps({'Version': 1, "
            f"'AccessKeyId': '{_ASIA}', 'SecretAccessKey': 'x', 'SessionToken': 't', "
            "'Expiration': '2020-01-01T00:00:00Z'}))\n"
        },
        call=True,
        # Signing the call refreshes the credentials: botocore raises before
        # anything is sent to the loopback server.
        api_call=True,
        env={"AWS_ENDPOINT_URL_STS": "{server}"},
        server={"POST /": (500, "")},
    ),
    Scenario(
        "assume-role: source profile's credential_process fails",
        config="[default]\nrole_arn = arn:aws:iam::123456789012:role/app\n"
        "source_profile = base\n[profile base]\n"
        "credential_process = {python} {home}/creds.py\n",
        files={"creds.py": "import sys\nsys.exit(3)\n"},
        call=True,
    ),
    Scenario(
        "credentials set after the client was created",
        late_env=_ENV_KEYS,
        call=True,
    ),
    Scenario(
        "IMDS: token request fails, IMDSv1 rejected",
        env={"AWS_EC2_METADATA_SERVICE_ENDPOINT": "{server}"},
        server={"PUT /latest/api/token": (500, ""), _IMDS_LIST: (401, "")},
        network=True,
    ),
    Scenario(
        "assume-role: source profile with a token file but no role",
        config="[default]\nrole_arn = arn:aws:iam::123456789012:role/app\n"
        "source_profile = base\n[profile base]\nweb_identity_token_file = {home}/token\n",
        files={"token": "eyJhbGciOiJub25lIn0.eyJleHAiOjQxMDI0NDQ4MDB9.c2ln"},
    ),
    # Unreadable files: examples only when the build does not run as root (root
    # reads every file; NO_EXAMPLE lists these codes for root).
    Scenario(
        "credentials file not readable",
        credentials=f"[default]\n{_CREDS}",
        modes={".aws/credentials": 0o000},
    ),
    Scenario(
        "config file not readable",
        config="[default]\nregion = eu-west-1\n",
        modes={".aws/config": 0o000},
    ),
    Scenario(
        "web identity token not readable",
        env={
            "AWS_WEB_IDENTITY_TOKEN_FILE": "{home}/token",
            "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/app",
        },
        files={"token": "eyJhbGciOiJub25lIn0.eyJleHAiOjQxMDI0NDQ4MDB9.c2ln"},
        modes={"token": 0o000},
    ),
    Scenario(
        "container authorization token not readable",
        env={
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "{home}/token",
        },
        files={"token": "abc"},
        modes={"token": 0o000},
    ),
    Scenario(
        "credentials file owned by another user",
        credentials=f"[default]\n{_CREDS}",
        foreign_owner=(".aws/credentials",),
    ),
    Scenario("a provider added by the application", custom_provider=True, call=True),
    Scenario("credentials file: only other profiles", credentials=f"[dev]\n{_CREDS}"),
    Scenario("config file: only other profiles", config=f"[profile dev]\n{_CREDS}"),
    Scenario("config file: unclosed section", config="[default\nregion = eu-west-1\n"),
    Scenario(
        "credentials file: unclosed section", credentials="[default\nregion = x\n"
    ),
)

#: Codes the build cannot show a real example of, and why. tests/test_docs.py
#: fails when a code has no example and is not listed here, and when a listed
#: code gets one (so the list only shrinks). The index shows the reason instead.
_FALLBACK = (
    "the fallback for an exception of this source that credsafe does not classify; "
    "every error the scenarios make botocore raise gets a specific code."
)
_NO_EXPLAINER = (
    "for a source credsafe has no explainer for (a botocore newer than credsafe); "
    "every source of the installed botocore has one."
)
_ROOT_READS = (
    "needs a file this process cannot read; the build runs as root, which reads "
    "every file."
)
_NO_CRT = (
    "botocore's `aws login` source needs awscrt (botocore[crt]), which the docs "
    "build does not install (`nox -s tests_crt` tests these codes)."
)


def _reads_every_file() -> bool:
    """Whether this process reads a file with mode 000 (root, CAP_DAC_OVERRIDE)."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory, "probe")
        path.write_text("x", encoding="utf-8")
        path.chmod(0)
        try:
            path.read_text(encoding="utf-8")
        except OSError:
            return False
        return True


_AS_ROOT = _reads_every_file()
_NO_AWSCRT = importlib.util.find_spec("awscrt") is None
_MAY_CHOWN = hasattr(os, "geteuid") and os.geteuid() == 0
NO_EXAMPLE: Mapping[str, str] = {
    **(
        dict.fromkeys(
            (
                "shared-credentials-file.unreadable",
                "config-file.unreadable",
                "assume-role-with-web-identity.token_file_unreadable",
                "container-role.token_file_unreadable",
            ),
            _ROOT_READS,
        )
        if _AS_ROOT
        else {}
    ),
    **(
        {}
        if _MAY_CHOWN
        else {
            "advice.file_owner": "needs a file owned by another user, which only "
            "root can make (the build makes one when it runs as root)."
        }
    ),
    # Fallbacks: reached only by an error nobody has seen yet.
    "env.error": _FALLBACK,
    "shared-credentials-file.error": _FALLBACK,
    "config-file.error": _FALLBACK,
    "boto-config.error": _FALLBACK,
    "ec2-credentials-file.error": _FALLBACK,
    "assume-role.error": _FALLBACK,
    "assume-role-with-web-identity.error": _FALLBACK,
    "sso.error": _FALLBACK,
    "custom-process.error": _FALLBACK,
    "container-role.error": _FALLBACK,
    "iam-role.error": _FALLBACK,
    "generic.found": _NO_EXPLAINER,
    "generic.no_credentials": _NO_EXPLAINER,
    "generic.not_configured": _NO_EXPLAINER,
    "generic.not_evaluated": _NO_EXPLAINER,
    "generic.raised": _NO_EXPLAINER,
    "internal.explainer_failed": "only when one of credsafe's explainers crashes, "
    "which is a bug the tests keep out.",
    # The build must not read or create anything outside its throwaway HOME.
    "shared-credentials-file.home_unset": "needs HOME unset, and botocore then reads the real "
    "user's ~/.aws from the password database.",
    "shared-credentials-file.other_home": "looks for the file in the home of SUDO_USER or of the "
    "user in the password database: real homes the build must not read.",
    "shared-credentials-file.parse_error": "the fallback for a parse error without its own code; "
    "every malformed file the scenarios write gets a specific one.",
    "config-file.home_unset": "needs HOME unset, and botocore then reads the real "
    "user's ~/.aws from the password database.",
    "config-file.other_home": "looks for the file in the home of SUDO_USER or of the "
    "user in the password database: real homes the build must not read.",
    "config-file.parse_error": "the fallback for a parse error without its own code; "
    "every malformed file the scenarios write gets a specific one.",
    "assume-role-with-web-identity.irsa_env_missing": "needs the EKS token at "
    "/var/run/secrets/eks.amazonaws.com/serviceaccount/token, outside HOME.",
    "container-role.lost_uri": "compares with PID 1's environment "
    "(/proc/1/environ), which the build cannot set.",
    # Only the network off the host, or AWS, can produce these.
    "container-role.pod_identity_agent_unreachable": "a probe of the EKS Pod "
    "Identity Agent at 169.254.170.23, off the host.",
    "iam-role.ipv6_unreachable": "a probe of IMDS at [fd00:ec2::254], off the host.",
    "iam-role.no_route": "needs 'no route to host' from a link-local address; "
    "loopback never answers that.",
    "assume-role.mfa_refresh_unsupported": "needs MFA role credentials that STS "
    "issued and that expired.",
    "assume-role.stale_provider_state": "needs a botocore provider reused after "
    "its configuration changed, in a long-running process.",
    "iam-role.no_credentials": "needs a recorded IMDS attempt without any "
    "exchange, which the recording never makes.",
    # What the public API does not show.
    "custom-process.found": "credsafe.diagnose() never runs credential_process, "
    "and when AWS rejects the credentials the report is replaced by rejected.*.",
    "explicit.used": "credsafe.diagnose(session) does not pass the Session's "
    "explicit credentials to the replay, and a rejection replaces the report by "
    "rejected.*.",
    "login.error": _NO_CRT if _NO_AWSCRT else _FALLBACK,
    **(
        {}
        if _NO_AWSCRT
        else {
            "login.missing_crt": "made only where awscrt is missing; this build "
            "has it (the tests show it).",
            # A finding: credsafe does not diagnose this signer error (yet).
            "explicit.incomplete": "with awscrt, botocore's CRT signer fails on a "
            "missing or empty secret (AssertionError, RuntimeError) before AWS "
            "can answer.",
        }
    ),
    **(
        dict.fromkeys(
            (
                "login.credentials_expired",
                "login.found",
                "login.insufficient_permissions",
                "login.not_logged_in",
                "login.session_expired",
                "login.token_invalid",
            ),
            _NO_CRT,
        )
        if _NO_AWSCRT
        else {}
    ),
}

_LOGIN_ARN = "arn:aws:iam::123456789012:user/me"


def _login_scenarios() -> tuple[Scenario, ...]:
    """`aws login` sessions: only where awscrt (botocore[crt]) is installed.

    Without awscrt botocore cannot use them at all (``login.missing_crt``).
    """
    try:
        from awscrt.crypto import EC, ECExportFormat, ECType  # noqa: PLC0415
    except ImportError:
        return ()
    der = EC.new_generate(ECType.P_256).export_key(ECExportFormat.SEC1)
    pem = (
        "-----BEGIN EC PRIVATE KEY-----\n"
        f"{base64.b64encode(der).decode()}\n-----END EC PRIVATE KEY-----\n"
    )

    def cache(hours: float, **overrides: str | None) -> str:
        expiry = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=hours)
        token: dict[str, Any] = {
            "accessToken": {
                "accessKeyId": _ASIA,
                "secretAccessKey": _SECRET,
                "sessionToken": "IQoJb3JpZ2luX2VjLOGINTOKEN",
                "accountId": "123456789012",
                "expiresAt": expiry.strftime("%Y-%m-%dT%H:%M:%SZ"),
            },
            "tokenType": "aws_sigv4",
            "refreshToken": "EXAMPLEREFRESHLOGIN",
            "idToken": "ignored",
            "clientId": "arn:aws:signin:::devtools/same-device",
            "dpopKey": pem,
            **overrides,
        }
        return json.dumps({k: v for k, v in token.items() if v is not None})

    path = f".aws/login/cache/{hashlib.sha256(_LOGIN_ARN.encode()).hexdigest()}.json"
    config = f"[default]\nlogin_session = {_LOGIN_ARN}\nregion = us-east-1\n"
    return (
        Scenario(
            "aws login: valid session",
            config=config,
            files={path: cache(0.2)},
            env=_NO_AWS,
        ),
        Scenario(
            "aws login: cached credentials expired",
            config=config,
            files={path: cache(-0.5)},
            env=_NO_AWS,
        ),
        Scenario(
            "aws login: cache without dpopKey",
            config=config,
            files={path: cache(0.2, dpopKey=None)},
            env=_NO_AWS,
            call=True,
        ),
        *(
            Scenario(
                f"aws login: Sign-In refuses the refresh ({error})",
                config=config,
                files={path: cache(-0.5)},
                env={
                    "AWS_ENDPOINT_URL_SIGNIN": "{server_root}",
                    "AWS_ENDPOINT_URL_STS": "{server}",
                },
                server={
                    "*": (
                        400,
                        json.dumps(
                            {
                                "__type": "AccessDeniedException",
                                "error": error,
                                "message": "no",
                            }
                        ),
                    )
                },
                call=True,
                api_call=True,
            )
            for error in ("TOKEN_EXPIRED", "INSUFFICIENT_PERMISSIONS")
        ),
    )


# Variables that change what botocore or credsafe's context detection sees.
_CLEARED_PREFIXES = ("AWS_", "BOTO_", "ECS_", "AMAZON_")
_CLEARED = frozenset(
    {
        "BOTO_CONFIG", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy",
        "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "CI", "GITHUB_ACTIONS",
        "GITLAB_CI", "CIRCLECI", "JENKINS_URL", "BUILDKITE", "CODEBUILD_BUILD_ID",
        "BITBUCKET_BUILD_NUMBER", "TF_BUILD", "TRAVIS", "SUDO_USER", "SUDO_UID",
        "SUDO_COMMAND", "KUBERNETES_SERVICE_HOST", "INVOCATION_ID",
    }
)  # fmt: skip


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: Mapping[str, tuple[int, str]] = {}
    date: str | None = None

    def date_time_string(self, timestamp: float | None = None) -> str:
        return self.date or super().date_time_string(timestamp)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        del format, args

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        status, body = self.routes.get(
            f"{self.command} {self.path}", self.routes.get("*", (404, ""))
        )
        if status == 0:  # never answer (the client times out; 1 s in scenarios)
            time.sleep(1.5)
            return
        payload = body.encode()
        self.send_response(status)
        kind = "text/xml" if body.startswith("<") else "application/json"
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_POST = _answer  # noqa: N815


def _serve(
    routes: Mapping[str, tuple[int, str]],
    cleanup: contextlib.ExitStack,
    date: str | None = None,
) -> str:
    """Start a loopback server answering *routes*; return its URL."""
    handler = type("Handler", (_Handler,), {"routes": dict(routes), "date": date})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    cleanup.callback(server.server_close)
    cleanup.callback(server.shutdown)
    return f"http://127.0.0.1:{server.server_address[1]}/"


_SERVER_URL = ""


def _fill(text: str, home: Path) -> str:
    text = text.replace("{home}", str(home)).replace("{python}", sys.executable)
    text = text.replace("{server}", _SERVER_URL)
    text = text.replace("{server_root}", _SERVER_URL.rstrip("/"))
    if "{closed}" in text:
        text = text.replace("{closed}", _closed_port_url())
    return text.replace(
        "{imds}", os.environ.get("AWS_EC2_METADATA_SERVICE_ENDPOINT", "")
    )


def _closed_port_url() -> str:
    """A loopback URL where nothing listens: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@contextlib.contextmanager
def _isolated(scenario: Scenario) -> Iterator[Path]:
    """Run with a temporary HOME and only the scenario's AWS settings."""
    saved = dict(os.environ)
    # Letters only: a path with digits next to HOME= can look like a secret to
    # credsafe's redaction, and the example would show <redacted>.
    name = "credsafe-docs-" + "".join(random.choices(string.ascii_lowercase, k=12))  # noqa: S311
    tmp = Path(tempfile.gettempdir()) / name
    tmp.mkdir(mode=0o700)
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(shutil.rmtree, tmp, ignore_errors=True)
        home = tmp / "home"
        aws = home / ".aws"
        aws.mkdir(parents=True)
        try:
            for name in list(os.environ):
                if name.startswith(_CLEARED_PREFIXES) or name in _CLEARED:
                    del os.environ[name]
            # Only HOME: the files are where botocore looks by default, as on a
            # workstation, so the examples read like what users see.
            os.environ["HOME"] = str(home)
            _write_files(scenario, home)
            if scenario.network or scenario.call:
                os.environ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = _closed_port_url()
                os.environ["AWS_METADATA_SERVICE_TIMEOUT"] = "1"
            global _SERVER_URL  # noqa: PLW0603
            _SERVER_URL = (
                _serve(scenario.server, cleanup, scenario.server_date)
                if scenario.server
                else ""
            )
            os.environ.update({k: _fill(v, home) for k, v in scenario.env.items()})
            _point_sso_cache(_fill(scenario.sso_cache, home), cleanup)
            if scenario.cwd_home:
                cleanup.callback(os.chdir, os.getcwd())
                os.chdir(home)
            yield home
        finally:
            os.environ.clear()
            os.environ.update(saved)


def _write_files(scenario: Scenario, home: Path) -> None:
    """Write the scenario's files, links and modes under *home*."""
    for name, text in (
        ("config", scenario.config),
        ("credentials", scenario.credentials),
    ):
        if text is not None:
            (home / ".aws" / name).write_text(_fill(text, home), encoding="utf-8")
    if scenario.boto_config is not None:
        (home / ".boto").write_text(scenario.boto_config, encoding="utf-8")
    for relative, content in scenario.files.items():
        path = home / relative
        if relative.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(_fill(content, home), "utf-8")
    for relative, target in scenario.links.items():
        (home / relative).symlink_to(_fill(target, home))
    for relative, mode in scenario.modes.items():
        (home / relative).chmod(mode)
    for relative in scenario.foreign_owner if _MAY_CHOWN else ():
        os.chown(home / relative, 65534, 65534)


def _point_sso_cache(directory: str, cleanup: contextlib.ExitStack) -> None:
    """Make botocore read cached SSO logins from *directory* (restored after)."""
    import botocore.credentials  # noqa: PLC0415
    import botocore.tokens  # noqa: PLC0415

    for owner in (botocore.credentials.SSOProvider, botocore.tokens.SSOTokenProvider):
        cleanup.callback(
            setattr, owner, "_SSO_TOKEN_CACHE_DIR", owner._SSO_TOKEN_CACHE_DIR
        )
        owner._SSO_TOKEN_CACHE_DIR = directory


@attrs.frozen
class Example:
    """The message of one code in a real diagnosis."""

    scenario: str
    summary: str
    hints: tuple[str, ...]


class VaultProvider(botocore.credentials.CredentialProvider):  # type: ignore[misc]
    """A provider an application might add: it finds nothing here."""

    METHOD = "vault"

    def load(self) -> None:
        return None


def _diagnose(credsafe: Any, scenario: Scenario) -> Any:
    if not scenario.call:
        return credsafe.diagnose(
            profile_name=scenario.profile, network=scenario.network, budget=1.0
        )
    try:
        session = credsafe.Session(profile_name=scenario.profile, **scenario.session)
        if scenario.custom_provider:
            resolver = session._session.get_component("credential_provider")
            resolver.insert_before("env", VaultProvider())
        client = session.client("sts", region_name=scenario.region)
        if scenario.late_env:
            # A client created elsewhere (no recording), wrapped afterwards.
            import boto3  # noqa: PLC0415

            foreign = credsafe.wrap(
                boto3.Session().client("sts", region_name=scenario.region)
            )
            os.environ.update(scenario.late_env)
            foreign.get_caller_identity()  # no credentials: fails before sending
        if session.get_credentials() is None:
            # Without credentials botocore fails while signing, before sending
            # anything: the call never leaves the process.
            client.get_caller_identity()
        elif scenario.api_call:
            endpoint = os.environ.get("AWS_ENDPOINT_URL_STS", "")
            if not endpoint.startswith("http://127.0.0.1:"):
                raise ValueError(
                    "api_call scenarios talk to their loopback server only"
                )
            client.get_caller_identity()
    except credsafe.CredsafeError as exc:
        return exc.diagnosis
    except botocore.exceptions.ClientError as exc:
        # credsafe attaches the diagnosis of rejected credentials to the error
        return exc.diagnosis  # type: ignore[attr-defined]
    return credsafe.diagnose(session, network=scenario.network, budget=1.0)


def harvest(scenarios: tuple[Scenario, ...] | None = None) -> dict[str, Example]:
    """Diagnose each scenario for real (no network) and keep one example per code."""
    import credsafe  # noqa: PLC0415  (imported late: the build may not need it)

    # The scenarios' failures would be logged by credsafe (stdlib's last-resort
    # handler prints them): they are evidence here, not news.
    quiet = contextlib.ExitStack()
    # botocore's own warnings (a refresh that failed, as the scenario wanted) too.
    for name in ("credsafe", "botocore"):
        logger = logging.getLogger(name)
        quiet.callback(setattr, logger, "disabled", logger.disabled)
        logger.disabled = True
    with quiet:
        return _harvest(
            credsafe,
            (*SCENARIOS, *MORE_SCENARIOS, *_login_scenarios())
            if scenarios is None
            else scenarios,
        )


def _harvest(credsafe: Any, scenarios: tuple[Scenario, ...]) -> dict[str, Example]:
    examples: dict[str, Example] = {}
    for scenario in scenarios:
        with _isolated(scenario) as home:
            try:
                diagnosis = _diagnose(credsafe, scenario)
            except Exception as exc:  # a scenario is evidence, never a build failure
                log.info("credsafe docs: scenario %r: %r", scenario.name, exc)
                continue
            data = diagnosis.to_dict()
        reports = [data["root_cause"]] if data["root_cause"] else []
        reports += data["sources"]
        reports += [
            {**item, "source": item["source"] or "advice"} for item in data["advice"]
        ]
        for report in reports:
            source = report["source"]
            found = [(report["code"], report["summary"], report["hints"])]
            details = report.get("details") or {}
            # A finding the chain never reached is kept in the details of its
            # skipped or shadowed report.
            if isinstance(details.get("finding"), str) and details.get(
                "finding_summary"
            ):
                found.append((details["finding"], str(details["finding_summary"]), []))
            # Secondary findings of a report (a file's other problems).
            findings = details.get("findings")
            found.extend(
                (str(item["code"]), str(item["summary"]), [])
                for item in (findings if isinstance(findings, list) else ())
                if isinstance(item, dict) and item.get("code") and item.get("summary")
            )
            for code, summary, hints in found:
                if code in examples:
                    continue
                examples[code] = Example(
                    scenario.name,
                    f"[{source}] {_homeless(summary, home)}",
                    tuple(_homeless(h, home) for h in hints),
                )
    return examples


def _homeless(text: str, home: Path) -> str:
    """Show the temporary HOME as ``~`` and this interpreter as a usual one."""
    return text.replace(str(home), "~").replace(sys.executable, "/usr/bin/python3")


def registry() -> Mapping[str, Any]:
    """Every registered code, as ``credsafe explain`` sees them."""
    import credsafe._cli  # noqa: F401, PLC0415  (imports every module that defines codes)
    from credsafe._codes import CODES, lookup  # noqa: PLC0415

    lookup("env.partial")  # imports every explainer
    return dict(CODES)


def _group(code: str) -> str:
    return code.split(".", 1)[0]


def _order(codes: Mapping[str, Any]) -> list[str]:
    from credsafe._explain import BOTOCORE_METHODS  # noqa: PLC0415

    ranks = {name: i for i, name in enumerate((*BOTOCORE_METHODS, *CROSS_CUTTING))}
    return sorted(codes, key=lambda c: (ranks.get(_group(c), len(ranks)), _group(c), c))


_TICKS = re.compile(r"`([^`]+)`")


def _text(value: str) -> str:
    """Escape *value* as HTML, with `backtick` spans as code."""
    parts = _TICKS.split(value)
    return "".join(
        f"<code>{html.escape(p)}</code>" if i % 2 else html.escape(p)
        for i, p in enumerate(parts)
    )


def _group_title(group: str) -> str:
    return CROSS_CUTTING.get(group, f"<code>{group}</code>")


def render_index(codes: Mapping[str, Any], examples: Mapping[str, Example]) -> str:
    """The Markdown of the index: a table of every code, then one entry each."""
    order = _order(codes)
    lines = [
        f"credsafe can emit **{len(order)}** codes. Each entry says what the code "
        "means, why botocore behaves that way, what to do, and shows an example of "
        "the message"
        + (
            f" (taken from a real diagnosis made when this page was built; "
            f"{sum(c in examples for c in order)} of {len(order)} have one)."
            if examples
            else "."
        ),
        "",
        "| Code | Meaning |",
        "| --- | --- |",
    ]
    lines += [f"| [`{c}`](#{c}) | {_text(codes[c].title)} |" for c in order]
    current = None
    for code in order:
        doc = codes[code]
        group = _group(code)
        if group != current:
            current = group
            lines += ["", f"## {_group_title(group)} {{#{group}}}", ""]
        lines += [
            "",
            f"### `{code}` {{#{code}}}",
            "",
            f"<p><strong>{_text(doc.title)}</strong></p>",
        ]
        lines += ["", f"<p><em>Why.</em> {_text(doc.why)}</p>"]
        lines += ["", f"<p><em>Fix.</em> {_text(doc.fix)}</p>"]
        example = examples.get(code)
        if example is None and code in NO_EXAMPLE:
            lines += ["", f"<p><em>No example:</em> {_text(NO_EXAMPLE[code])}</p>"]
        if example is not None:
            body = example.summary + "".join(f"\n  fix: {h}" for h in example.hints)
            lines += [
                "",
                f"<p><em>Example</em> ({html.escape(example.scenario)}):</p>",
                "",
                f'<pre><code class="language-text">{html.escape(body)}</code></pre>',
            ]
        lines += ["", f"`credsafe explain {code}` prints this entry."]
    return "\n".join(lines) + "\n"


# --- MkDocs events -------------------------------------------------------------


def _prune(nav: list[Any], docs_dir: Path) -> list[Any]:
    """Drop nav entries whose page does not exist (yet), and say which."""
    kept: list[Any] = []
    for item in nav:
        if isinstance(item, str):
            value: Any = item
        elif isinstance(item, dict):
            ((title, value),) = item.items()
        else:  # pragma: no cover
            kept.append(item)
            continue
        if isinstance(value, list):
            children = _prune(value, docs_dir)
            if children:
                kept.append({title: children} if isinstance(item, dict) else children)
            continue
        if "://" in value or (docs_dir / value).is_file():
            kept.append(item)
        else:
            log.info("credsafe docs: %s is not written yet; left out of the nav", value)
    return kept


def _pages(nav: list[Any]) -> set[str]:
    found: set[str] = set()
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            found |= _pages(value)
        elif isinstance(value, str):
            found.add(value)
    return found


def on_config(config: Any) -> Any:
    """Leave pages that do not exist yet out of the nav; list new ones under More."""
    if not config.nav:
        return config
    docs_dir = Path(config.docs_dir)
    nav = _prune(config.nav, docs_dir)
    listed = _pages(nav)
    extra = sorted(
        path.relative_to(docs_dir).as_posix()
        for path in docs_dir.rglob("*.md")
        if path.relative_to(docs_dir).as_posix() not in listed
    )
    for page in extra:
        log.info(
            "credsafe docs: %s is not in mkdocs.yml's nav; listed under More", page
        )
    config.nav = [*nav, {"More": extra}] if extra else nav
    return config


#: Pages written by other engineers in parallel: a link to one that does not exist
#: yet becomes plain text (and is logged) instead of failing the strict build.
PAGES_IN_PROGRESS = (
    "contract.md",
    "sources-env-and-files.md",
    "sources-roles-and-processes.md",
    "sources-sso-login-legacy.md",
    "sources-imds-and-containers.md",
    "cli.md",
    "logging.md",
    "performance.md",
    "compatibility.md",
)
_LINK = re.compile(
    r"\[(?P<text>[^\]]+)\]\((?P<up>(?:\.\./)*)(?P<page>[a-z-]+\.md)(?:#[^)]*)?\)"
)


def _unlink_missing(markdown: str, docs_dir: Path, page: str) -> str:
    def replace(match: re.Match[str]) -> str:
        target = match["page"]
        if target not in PAGES_IN_PROGRESS or (docs_dir / target).is_file():
            return match[0]
        log.info("credsafe docs: %s links to %s, not written yet", page, target)
        return match["text"]

    return _LINK.sub(replace, markdown)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Fill the index of codes into its page; unlink pages not written yet."""
    del files
    markdown = _unlink_missing(markdown, Path(config.docs_dir), page.file.src_uri)
    if page.file.src_uri != CODES_PAGE:
        return markdown
    if MARKER not in markdown:
        raise ValueError(f"{CODES_PAGE} lost its marker {MARKER}")
    codes = registry()
    examples = harvest()
    missing = sorted(set(codes) - set(examples))
    log.info(
        "credsafe docs: %d codes, %d with an example; without: %s",
        len(codes),
        len(codes) - len(missing),
        ", ".join(missing) or "none",
    )
    return markdown.replace(MARKER, render_index(codes, examples))
