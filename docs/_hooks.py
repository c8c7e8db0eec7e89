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

import contextlib
import datetime as dt
import html
import http.server
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
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
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

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        del format, args

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        status, body = self.routes.get(f"{self.command} {self.path}", (404, ""))
        payload = body.encode()
        self.send_response(status)
        kind = "text/xml" if body.startswith("<") else "application/json"
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_POST = _answer  # noqa: N815


def _serve(routes: Mapping[str, tuple[int, str]], cleanup: contextlib.ExitStack) -> str:
    """Start a loopback server answering *routes*; return its URL."""
    handler = type("Handler", (_Handler,), {"routes": dict(routes)})
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
            for name, text in (
                ("config", scenario.config),
                ("credentials", scenario.credentials),
            ):
                if text is not None:
                    (aws / name).write_text(_fill(text, home), encoding="utf-8")
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
            if scenario.network or scenario.call:
                os.environ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = _closed_port_url()
                os.environ["AWS_METADATA_SERVICE_TIMEOUT"] = "1"
            global _SERVER_URL  # noqa: PLW0603
            _SERVER_URL = _serve(scenario.server, cleanup) if scenario.server else ""
            os.environ.update({k: _fill(v, home) for k, v in scenario.env.items()})
            yield home
        finally:
            os.environ.clear()
            os.environ.update(saved)


@attrs.frozen
class Example:
    """The message of one code in a real diagnosis."""

    scenario: str
    summary: str
    hints: tuple[str, ...]


def _diagnose(credsafe: Any, scenario: Scenario) -> Any:
    if not scenario.call:
        return credsafe.diagnose(
            profile_name=scenario.profile, network=scenario.network, budget=1.0
        )
    try:
        session = credsafe.Session(profile_name=scenario.profile, **scenario.session)
        client = session.client("sts", region_name="us-east-1")
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


def harvest(scenarios: tuple[Scenario, ...] = SCENARIOS) -> dict[str, Example]:
    """Diagnose each scenario for real (no network) and keep one example per code."""
    import credsafe  # noqa: PLC0415  (imported late: the build may not need it)

    # The scenarios' failures would be logged by credsafe (stdlib's last-resort
    # handler prints them): they are evidence here, not news.
    quiet = contextlib.ExitStack()
    credsafe_logger = logging.getLogger("credsafe")
    quiet.callback(setattr, credsafe_logger, "disabled", credsafe_logger.disabled)
    credsafe_logger.disabled = True
    with quiet:
        return _harvest(credsafe, scenarios)


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
