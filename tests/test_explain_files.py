"""Issue #3, the shared files and the profile: every finding, through credsafe.Session.

Each test writes real files under the temporary HOME, lets real botocore parse them
through :class:`credsafe.Session`, and checks the code, the ``path:line`` in the
summary, the fix, and that no secret on any line is ever printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import botocore.exceptions
import pytest

import credsafe
from credsafe import Status
from credsafe._explain import files as files_explainer
from fakes import ACCESS_KEY, MASKED, SECRET_KEY, SESSION_TOKEN, TEMP_ACCESS_KEY

CREDS = "shared-credentials-file"
CONFIG = "config-file"
KEYS = f"aws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"


def _session(**kwargs: Any) -> credsafe.Session:
    return credsafe.Session(region_name="us-east-1", **kwargs)


def _no_secrets(*texts: str) -> None:
    for text in texts:
        assert SECRET_KEY not in text
        assert SECRET_KEY[-10:] not in text
        assert SESSION_TOKEN not in text
        assert ACCESS_KEY not in text


def _check(exc: BaseException) -> credsafe.SourceReport:
    """No secret anywhere; return the root cause."""
    diagnosis = exc.diagnosis  # type: ignore[attr-defined]
    _no_secrets(str(exc), json.dumps(diagnosis.to_dict()))
    assert diagnosis.root_cause is not None
    return diagnosis.root_cause  # type: ignore[no-any-return]


def _diagnose(**kwargs: Any) -> credsafe.Diagnosis:
    diagnosis = credsafe.diagnose(_session(**kwargs))
    _no_secrets(json.dumps(diagnosis.to_dict()))
    return diagnosis


def _no_credentials(**kwargs: Any) -> BaseException:
    with pytest.raises(botocore.exceptions.NoCredentialsError) as info:
        _session(**kwargs).client("s3").list_buckets()
    return info.value


def _parse_error(**kwargs: Any) -> BaseException:
    with pytest.raises(botocore.exceptions.ConfigParseError) as info:
        _session(**kwargs).client("s3")
    return info.value


class TestFound:
    def test_credentials_file(self, aws_files: Any) -> None:
        path = aws_files.write_credentials("[default]\n" + KEYS)
        report = _diagnose().source(CREDS)
        assert (report.status, report.code) == (Status.FOUND, f"{CREDS}.found")
        assert (
            f"[default] at {path}:1 holds aws_access_key_id ({MASKED}" in report.summary
        )

    def test_config_file(self, aws_files: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        path = aws_files.write_config("[profile dev]\nregion = us-east-1\n" + KEYS)
        monkeypatch.setenv("AWS_PROFILE", "dev")
        diagnosis = _diagnose()
        report = diagnosis.source(CONFIG)
        assert (report.status, report.code) == (Status.FOUND, f"{CONFIG}.found")
        assert f"[profile dev] at {path}:1" in report.summary
        assert diagnosis.resolved_by == CONFIG


class TestWhereFilesAreLooked:
    def test_variable_points_at_nothing(
        self, aws_files: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        missing = tmp_path / "nowhere" / "credentials"
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(missing))
        exc = _no_credentials()
        report = exc.diagnosis.source(CREDS)
        assert (report.status, report.code) == (
            Status.MISCONFIGURED,
            f"{CREDS}.path_missing",
        )
        assert (
            f"AWS_SHARED_CREDENTIALS_FILE='{missing}' points at {missing}"
            in report.summary
        )
        assert "does not exist" in report.summary
        assert _check(exc).code == f"{CREDS}.path_missing"

    def test_missing_path_is_not_the_problem_when_the_profile_works_otherwise(
        self, aws_files: Any
    ) -> None:
        """A missing credentials file while the config file supplies keys: no alarm."""
        aws_files.write_config("[default]\n" + KEYS)
        report = _diagnose().source(CREDS)
        assert (report.status, report.code) == (
            Status.NOT_CONFIGURED,
            f"{CREDS}.path_missing",
        )

    def test_variable_points_at_a_directory(
        self, aws_files: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        folder = tmp_path / "awsdir"
        folder.mkdir()
        (folder / "credentials").write_text("[default]\n" + KEYS)
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(folder))
        exc = _no_credentials()
        root = _check(exc)
        assert (root.source, root.code) == (CREDS, f"{CREDS}.path_is_directory")
        assert "which is a directory" in root.summary
        assert (
            root.hints[0]
            == f'export AWS_SHARED_CREDENTIALS_FILE="{folder / "credentials"}"'
        )

    def test_broken_symlink(self, aws_files: Any, tmp_path: Path) -> None:
        """~/.aws/credentials linked to a file that moved: botocore sees no file."""
        aws_files.credentials.parent.mkdir(parents=True, exist_ok=True)
        aws_files.credentials.symlink_to(tmp_path / "moved" / "credentials")
        root = _check(_no_credentials())
        assert (root.source, root.code) == (CREDS, f"{CREDS}.path_not_a_file")
        assert "which is a broken symbolic link, not a regular file" in root.summary

    def test_unreadable_file(self, tmp_path: Path) -> None:
        """botocore reads an unreadable file as empty; credsafe says who cannot read it.

        Root can read any file, so as root the child process first warms every
        import with a readable file, then drops to the user ``nobody`` (whose id
        cannot read the 0600 file) and diagnoses again.
        """
        base = Path(tempfile.mkdtemp(prefix="credsafe-unreadable-"))
        try:
            os.chmod(base, 0o755)
            creds = base / "credentials"
            creds.write_text("[default]\n" + KEYS)
            os.chmod(creds, 0o600)
            script = (
                "import os, botocore.session, credsafe\n"
                "credsafe.diagnose(botocore.session.Session())\n"
                "if os.geteuid() == 0:\n"
                "    os.setgid(65534); os.setuid(65534)\n"
                "d = credsafe.diagnose(botocore.session.Session())\n"
                "r = d.source('shared-credentials-file')\n"
                "print(r.code); print(r.summary)\n"
            )
            env = {
                "PATH": os.environ.get("PATH", ""),
                "HOME": str(base),
                "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
                "AWS_SHARED_CREDENTIALS_FILE": str(creds),
                "AWS_CONFIG_FILE": str(base / "config"),
                "BOTO_CONFIG": str(base / "boto"),
                "AWS_EC2_METADATA_SERVICE_ENDPOINT": os.environ[
                    "AWS_EC2_METADATA_SERVICE_ENDPOINT"
                ],
                "AWS_METADATA_SERVICE_TIMEOUT": "1",
                "AWS_METADATA_SERVICE_NUM_ATTEMPTS": "1",
            }
            if os.geteuid() != 0:
                os.chmod(creds, 0)
            result = subprocess.run(
                [sys.executable, "-c", script],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
                cwd=tmp_path,
            )
            lines = result.stdout.splitlines()
            assert lines[:1] == [f"{CREDS}.unreadable"], result.stderr
            assert f"{creds}, which exists but user" in lines[1]
            assert "botocore silently reads it as empty" in lines[1]
            _no_secrets(result.stdout)
        finally:
            for path in sorted(base.rglob("*"), reverse=True):
                path.unlink()
            base.rmdir()

    def test_file_in_the_sudo_callers_home(
        self, aws_files: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """sudo -H: HOME is /root-like, ~/.aws lives in the caller's home."""
        alice = tmp_path / "alice"
        (alice / ".aws").mkdir(parents=True)
        (alice / ".aws" / "credentials").write_text("[default]\n" + KEYS)
        monkeypatch.delenv("AWS_SHARED_CREDENTIALS_FILE")
        monkeypatch.setenv("SUDO_USER", "alice")
        real_user_home = files_explainer._user_home
        monkeypatch.setattr(
            files_explainer,
            "_user_home",
            lambda user: str(alice) if user == "alice" else real_user_home(user),
        )
        exc = _no_credentials()
        report = exc.diagnosis.source(CREDS)
        assert report.code == f"{CREDS}.other_home"
        assert (
            f"{alice}/.aws/credentials does (the home of alice, who ran sudo)"
            in report.summary
        )
        assert (
            report.hints[0]
            == f'export AWS_SHARED_CREDENTIALS_FILE="{alice}/.aws/credentials"'
        )
        _check(exc)

    def test_home_unset(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """cron/systemd: no HOME, so ~ comes from /etc/passwd."""
        import pwd

        passwd_home = pwd.getpwuid(os.geteuid()).pw_dir
        if os.path.exists(os.path.join(passwd_home, ".aws")):
            pytest.skip("this user has a real ~/.aws; the test must not read it")
        monkeypatch.delenv("HOME")
        monkeypatch.delenv("AWS_SHARED_CREDENTIALS_FILE")
        report = _diagnose().source(CREDS)
        assert report.code == f"{CREDS}.home_unset"
        assert (
            "HOME is not set (cron, systemd), so ~ was taken from the password "
            in report.summary
        )
        assert passwd_home in report.summary


class TestParseErrors:
    def test_bom(self, aws_files: Any) -> None:
        aws_files.credentials.parent.mkdir(parents=True, exist_ok=True)
        aws_files.credentials.write_bytes(b"\xef\xbb\xbf[default]\n" + KEYS.encode())
        root = _check(_parse_error())
        assert (root.source, root.code) == (CREDS, f"{CREDS}.bom")
        assert "byte-order mark" in root.summary
        assert "MissingSectionHeaderError" in root.summary

    def test_undecodable_byte(self, aws_files: Any) -> None:
        aws_files.config.parent.mkdir(parents=True, exist_ok=True)
        aws_files.config.write_bytes(b"[default]\nregion = us-east-1\n# caf\xe9\n")
        root = _check(_parse_error())
        assert (root.source, root.code) == (CONFIG, f"{CONFIG}.undecodable")
        assert (
            f"{aws_files.config}:3 holds the byte 0xe9, which is not valid"
            in root.summary
        )

    def test_valid_utf8_under_a_c_locale(self, aws_files: Any, tmp_path: Path) -> None:
        """Under LANG=C without UTF-8 mode, Python reads the file as ASCII."""
        aws_files.config.parent.mkdir(parents=True, exist_ok=True)
        aws_files.config.write_bytes("[default]\nregion = us-east-1\n# café\n".encode())
        script = (
            "import botocore.exceptions, credsafe\n"
            "try:\n"
            "    credsafe.Session(region_name='us-east-1').client('s3')\n"
            "except botocore.exceptions.ConfigParseError as e:\n"
            "    r = e.diagnosis.root_cause\n"
            "    print(r.code); print(r.summary); print(r.hints[0])\n"
        )
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("LC_", "LANG", "PYTHONUTF8", "PYTHONIOENCODING"))
        }
        env.update(
            LC_ALL="C",
            PYTHONUTF8="0",
            PYTHONCOERCECLOCALE="0",
            PYTHONPATH=os.pathsep.join(p for p in sys.path if p),
        )
        result = subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            cwd=tmp_path,
        )
        code, summary, hint = result.stdout.splitlines()[:3]
        assert code == f"{CONFIG}.undecodable", result.stderr
        assert (
            f"{aws_files.config}:3 holds the byte 0xc3, which is not valid" in summary
        )
        assert "LC_ALL='C'" in summary
        assert "export LANG=C.UTF-8" in hint

    def test_key_before_section(self, aws_files: Any) -> None:
        path = aws_files.write_credentials("region = us-east-1\n[default]\n" + KEYS)
        root = _check(_parse_error())
        assert root.code == f"{CREDS}.key_before_section"
        assert (
            f"{path}:1: `region = us-east-1` comes before any [section]" in root.summary
        )

    def test_duplicate_section(self, aws_files: Any) -> None:
        path = aws_files.write_config(
            "[profile dev]\nregion = a\n[default]\n[profile dev]\n"
        )
        root = _check(_parse_error())
        assert root.code == f"{CONFIG}.duplicate_section"
        assert f"[profile dev] appears twice in {path}: lines 1 and 4" in root.summary

    def test_duplicate_key_never_prints_the_secret(self, aws_files: Any) -> None:
        aws_files.write_credentials(
            "[default]\n" + KEYS + f"AWS_SECRET_ACCESS_KEY = {SECRET_KEY}\n"
        )
        exc = _parse_error()
        root = _check(exc)
        assert root.code == f"{CREDS}.duplicate_key"
        assert "aws_secret_access_key appears twice in [default]" in root.summary
        assert "lines 3 and 4" in root.summary

    def test_line_without_equals_holding_a_pasted_secret(self, aws_files: Any) -> None:
        path = aws_files.write_credentials(
            f"[default]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key =\n{SECRET_KEY}\n"
        )
        exc = _parse_error()
        root = _check(exc)
        assert root.code == f"{CREDS}.line_without_equals"
        assert (
            f"{path}:4: `<a 40-character value on its own line, not shown>`"
            in root.summary
        )
        assert root.details["line"] == 4
        assert "join the two lines" in root.hints[0]

    def test_nested_line_without_equals(self, aws_files: Any) -> None:
        path = aws_files.write_config(
            "[default]\ns3 =\n  addressing_style = path\n  oops\n"
        )
        root = _check(_parse_error())
        assert root.code == f"{CONFIG}.nested_without_equals"
        assert f"{path}:4: `oops` is indented under `s3 =`" in root.summary


class TestKeys:
    def test_partial(self, aws_files: Any) -> None:
        path = aws_files.write_credentials(
            f"[default]\naws_access_key_id = {ACCESS_KEY}\n"
        )
        with pytest.raises(botocore.exceptions.PartialCredentialsError) as info:
            _session().client("s3")
        root = _check(info.value)
        assert (root.source, root.code) == (CREDS, f"{CREDS}.partial")
        assert f"[default] at {path}:2 has aws_access_key_id ({MASKED})" in root.summary

    def test_secret_in_the_key_id_line_is_never_shown(self, aws_files: Any) -> None:
        """A secret written as aws_access_key_id: not even its last 4 characters."""
        aws_files.write_credentials(f"[default]\naws_access_key_id = {SECRET_KEY}\n")
        with pytest.raises(botocore.exceptions.PartialCredentialsError) as info:
            _session().client("s3")
        root = _check(info.value)
        assert root.code == f"{CREDS}.partial"
        assert "(<40 characters, not shown>)" in root.summary
        assert SECRET_KEY[-4:] not in root.summary

    def test_split_across_files(
        self, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        creds = aws_files.write_credentials(
            f"[dev]\naws_access_key_id = {ACCESS_KEY}\n"
        )
        config = aws_files.write_config(
            f"[profile dev]\naws_secret_access_key = {SECRET_KEY}\n"
        )
        monkeypatch.setenv("AWS_PROFILE", "dev")
        with pytest.raises(botocore.exceptions.PartialCredentialsError) as info:
            _session().client("s3")
        root = _check(info.value)
        assert root.code == f"{CREDS}.split_across_files"
        assert f"aws_access_key_id in {creds}" in root.summary
        assert f"aws_secret_access_key in the other file, {config}:2" in root.summary

    def test_misspelled_secret_key(self, aws_files: Any) -> None:
        path = aws_files.write_credentials(
            f"[default]\naws_access_key_id = {ACCESS_KEY}\naws_secret_key = {SECRET_KEY}\n"
        )
        with pytest.raises(botocore.exceptions.PartialCredentialsError) as info:
            _session().client("s3")
        root = _check(info.value)
        assert root.code == f"{CREDS}.key_misspelled"
        assert f"[default] at {path}:3 has aws_secret_key" in root.summary
        assert "did you mean aws_secret_access_key?" in root.summary

    def test_misspelled_key_id(self, aws_files: Any) -> None:
        aws_files.write_credentials(
            f"[default]\naws_access_key = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
        )
        exc = _no_credentials()
        root = _check(exc)
        assert root.code == f"{CREDS}.key_misspelled"
        assert "did you mean aws_access_key_id?" in root.summary

    def test_indented_key_is_swallowed(self, aws_files: Any) -> None:
        path = aws_files.write_credentials(
            f"[default]\naws_access_key_id = {ACCESS_KEY}\n  aws_secret_access_key = {SECRET_KEY}\n"
        )
        with pytest.raises(botocore.exceptions.PartialCredentialsError) as info:
            _session().client("s3")
        root = _check(info.value)
        assert root.code == f"{CREDS}.key_swallowed"
        assert (
            f"{path}:3: `aws_secret_access_key = <redacted>` is indented"
            in root.summary
        )
        assert "value of aws_access_key_id on line 2" in root.summary

    def test_key_nested_under_empty_key(self, aws_files: Any) -> None:
        aws_files.write_credentials(
            f"[default]\naws_access_key_id = {ACCESS_KEY}\ns3 =\n"
            f"  aws_secret_access_key = {SECRET_KEY}\n"
        )
        with pytest.raises(botocore.exceptions.PartialCredentialsError) as info:
            _session().client("s3")
        root = _check(info.value)
        assert root.code == f"{CREDS}.value_nested"
        assert "indented under `s3 =` on line 3" in root.summary

    @pytest.mark.parametrize(
        ("line", "code", "words"),
        [
            (f'aws_access_key_id = "{ACCESS_KEY}"', "value_quoted", 'in " quotes'),
            (
                f"aws_access_key_id = {ACCESS_KEY} # work",
                "value_inline_comment",
                "ends with a comment",
            ),
            ("aws_access_key_id =", "value_empty", "is empty"),
            (
                f"aws_access_key_id = {SECRET_KEY}",
                "key_id_malformed",
                "40 characters, mixed case",
            ),
            (
                f"aws_access_key_id = {TEMP_ACCESS_KEY}",
                "temporary_key_without_token",
                "temporary key (ASIA)",
            ),
        ],
    )
    def test_values_aws_will_reject(
        self, aws_files: Any, line: str, code: str, words: str
    ) -> None:
        path = aws_files.write_credentials(
            f"[default]\n{line}\naws_secret_access_key = {SECRET_KEY}\n"
        )
        report = _diagnose().source(CREDS)
        assert (report.status, report.code) == (Status.FOUND, f"{CREDS}.{code}")
        assert SECRET_KEY[-4:] not in json.dumps(report.to_dict())
        assert f"{path}:2" in report.summary
        assert words in report.summary


class TestSectionNames:
    def test_profile_prefix_in_credentials_file(self, aws_files: Any) -> None:
        path = aws_files.write_credentials("[profile default]\n" + KEYS)
        root = _check(_no_credentials())
        assert root.code == f"{CREDS}.section_has_profile_prefix"
        assert (
            f"{path}:1: [profile default] in the credentials file is a profile named"
            in root.summary
        )
        assert root.hints[0] == f"Rename [profile default] to [default] at {path}:1."

    def test_missing_prefix_in_config_file(
        self, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        aws_files.write_credentials("[dev]\nregion = us-east-1\n")
        path = aws_files.write_config("[dev]\n" + KEYS)
        monkeypatch.setenv("AWS_PROFILE", "dev")
        report = _no_credentials().diagnosis.source(CONFIG)
        assert (report.status, report.code) == (
            Status.MISCONFIGURED,
            f"{CONFIG}.section_missing_prefix",
        )
        assert report.hints[0] == f"Rename [dev] to [profile dev] at {path}:1."

    def test_prefix_glued_to_the_name(
        self, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        aws_files.write_credentials("[dev]\nregion = us-east-1\n")
        path = aws_files.write_config("[profiledev]\n" + KEYS)
        monkeypatch.setenv("AWS_PROFILE", "dev")
        report = _no_credentials().diagnosis.source(CONFIG)
        assert report.code == f"{CONFIG}.section_prefix_malformed"
        assert f"{path}:1: botocore drops [profiledev]" in report.summary

    @pytest.mark.parametrize("header", ["Default", " default "])
    def test_case_and_spaces(self, aws_files: Any, header: str) -> None:
        aws_files.write_credentials(f"[{header}]\n" + KEYS)
        root = _check(_no_credentials())
        assert root.code == f"{CREDS}.section_name_mismatch"
        assert f"[{header}] names a profile {header!r}, not 'default'" in root.summary

    def test_upper_case_default_section(self, aws_files: Any) -> None:
        aws_files.write_credentials("[DEFAULT]\n" + KEYS)
        root = _check(_no_credentials())
        assert root.code == f"{CREDS}.section_upper_default"
        assert "[DEFAULT] is not the profile 'default'" in root.summary

    def test_upper_case_default_leaks_into_every_profile(
        self, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """configparser copies [DEFAULT]'s keys into [dev]: botocore uses them."""
        aws_files.write_credentials(
            "[DEFAULT]\n" + KEYS + "[dev]\nregion = us-east-1\n"
        )
        monkeypatch.setenv("AWS_PROFILE", "dev")
        report = _diagnose().source(CREDS)
        assert (report.status, report.code) == (
            Status.FOUND,
            f"{CREDS}.section_upper_default",
        )
        assert "comes from [DEFAULT]" in report.summary


class TestProfileNotFound:
    def test_every_profile_listed_with_did_you_mean(
        self, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        config = aws_files.write_config(
            "[default]\nregion = us-east-1\n[profile staging]\nregion = eu-west-1\n"
            "[prod]\nregion = us-west-2\n[profiledev]\nregion = x\n"
        )
        creds = aws_files.write_credentials("[profile qa]\n" + KEYS)
        monkeypatch.setenv("AWS_PROFILE", "stagign")
        with pytest.raises(botocore.exceptions.ProfileNotFound) as info:
            _session().client("s3")
        root = _check(info.value)
        assert (root.source, root.code) == (CONFIG, f"{CONFIG}.profile_not_found")
        assert root.summary == (
            f"profile 'stagign' (from AWS_PROFILE) is in neither {creds} nor {config}; "
            "did you mean 'staging'?"
        )
        assert root.hints[0] == "export AWS_PROFILE=staging"
        listing = "\n".join(root.hints)
        assert f"'staging' ([profile staging] at {config}:3)" in listing
        assert (
            f"[prod] at {config}:5 (ignored by botocore: the config file needs [profile prod])"
            in listing
        )
        assert f"[profiledev] at {config}:7 (ignored" in listing
        assert f"[profile qa] at {creds}:1 (a profile named 'profile qa'" in listing
        profiles = {
            (p["section"], p["line"], p["usable"]) for p in root.details["profiles"]
        }
        assert ("[prod]", 5, False) in profiles
        assert ("[profile staging]", 3, True) in profiles

    def test_meant_section_in_wrong_form(self, aws_files: Any) -> None:
        """profile_name='prod' and a [prod] in the config file: rename it."""
        config = aws_files.write_config("[prod]\n" + KEYS)
        with pytest.raises(botocore.exceptions.ProfileNotFound) as info:
            _session(profile_name="prod")
        root = _check(info.value)
        assert root.code == f"{CONFIG}.profile_not_found"
        assert "(passed as profile_name) is not defined for botocore" in root.summary
        assert root.hints[0] == f"Rename [prod] to [profile prod] at {config}:1."

    def test_no_files_at_all(
        self, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("AWS_PROFILE", "dev")
        with pytest.raises(botocore.exceptions.ProfileNotFound) as info:
            _session().client("s3")
        root = _check(info.value)
        assert (
            f"{aws_files.credentials} (missing) nor {aws_files.config} (missing)"
            in root.summary
        )

    def test_default_profile_overrides(
        self, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        aws_files.write_credentials("[dev]\n" + KEYS)
        monkeypatch.setenv("AWS_DEFAULT_PROFILE", "old")
        monkeypatch.setenv("AWS_PROFILE", "dev")
        with pytest.raises(botocore.exceptions.ProfileNotFound) as info:
            _session().client("s3")
        root = _check(info.value)
        assert root.summary.startswith("profile 'old' (from AWS_DEFAULT_PROFILE)")
        assert (
            "AWS_DEFAULT_PROFILE='old' overrides AWS_PROFILE='dev' in botocore: "
            "`unset AWS_DEFAULT_PROFILE` to use 'dev' (that profile exists)."
        ) in root.hints

    def test_empty_default_profile(
        self, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """AWS_DEFAULT_PROFILE='' makes botocore look for the profile '' (tested)."""
        aws_files.write_credentials("[dev]\n" + KEYS)
        monkeypatch.setenv("AWS_DEFAULT_PROFILE", "")
        monkeypatch.setenv("AWS_PROFILE", "dev")
        with pytest.raises(botocore.exceptions.ProfileNotFound) as info:
            _session().client("s3")
        assert info.value.kwargs["profile"] == ""
        root = _check(info.value)
        assert root.code == f"{CONFIG}.empty_profile_name"
        assert root.hints == (
            "`unset AWS_DEFAULT_PROFILE` (AWS_PROFILE='dev' is then used)",
        )
        assert info.value.diagnosis.profile.name == ""


class TestBothFiles:
    def test_same_profile_in_both_files(
        self, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        creds = aws_files.write_credentials("[dev]\n" + KEYS + "region = eu-west-1\n")
        config = aws_files.write_config("[profile dev]\nregion = us-east-1\n")
        monkeypatch.setenv("AWS_PROFILE", "dev")
        session = _session()
        assert session.region_name == "us-east-1"  # explicit region_name wins
        assert (
            session._session.get_scoped_config()["region"] == "eu-west-1"
        )  # creds file wins
        report = _diagnose().source(CONFIG)
        finding = report.details["findings"][0]
        assert finding["code"] == f"{CONFIG}.profile_in_both_files"
        assert (
            f"profile 'dev' is in both {creds}:1 and {config}:1" in finding["summary"]
        )
        assert "for region the credentials file's value wins" in finding["summary"]

    def test_default_defined_twice(self, aws_files: Any) -> None:
        path = aws_files.write_config(
            "[default]\nregion = a\n[profile default]\nregion = b\n"
        )
        report = _diagnose().source(CONFIG)
        finding = report.details["findings"][0]
        assert finding["code"] == f"{CONFIG}.default_defined_twice"
        assert f"{path} has both [default] and [profile default]" in finding["summary"]
        assert "[profile default] at line 3" in finding["summary"]

    def test_section_without_keys(
        self, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        path = aws_files.write_config("[profile dev]\nregion = us-east-1\n")
        monkeypatch.setenv("AWS_PROFILE", "dev")
        report = _diagnose().source(CONFIG)
        assert (report.status, report.code) == (
            Status.NOT_CONFIGURED,
            f"{CONFIG}.not_configured",
        )
        assert report.summary == f"[profile dev] at {path}:1 has no aws_access_key_id."

    def test_section_getting_credentials_another_way(
        self, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A role profile: the config-file source names how the profile gets keys."""
        path = aws_files.write_config(
            "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/r\n"
            "source_profile = base\n[profile base]\nregion = us-east-1\n"
        )
        monkeypatch.setenv("AWS_PROFILE", "dev")
        report = _diagnose().source(CONFIG)
        summary = report.details.get("finding_summary", report.summary)
        assert f"[profile dev] at {path}:1 has no aws_access_key_id" in summary
        assert "it gets credentials through assume-role (role_arn)" in summary


class TestScannerAgreesWithBotocore:
    """The line-aware scanner sees what botocore's parser sees, on any input.

    Hypothesis writes files from lines that exercise every configparser rule
    (headers, ``=``/``:``, case, indentation, comments, blank lines, duplicates,
    empty names, nested blocks) and compares the scan with botocore's own
    ``raw_config_parse`` of the same file.
    """

    LINES = (
        "[a]",
        "[b]",
        "[profile a]",
        "  [a]",
        "k = 1",
        "K: 2",
        "j =",
        "  k = 3",
        "  cont",
        "\tx=y",
        "noequals",
        "= v",
        "# comment",
        "; note",
        "",
        "   ",
        "[DEFAULT]",
    )

    @staticmethod
    def _compare(tmp_path: Path, lines: list[str], bom: bool) -> None:
        import configparser

        from botocore.configloader import raw_config_parse

        from credsafe._explain import _ini

        path = tmp_path / "f.ini"
        path.write_text(
            ("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8"
        )
        scan = _ini.scan(str(path))
        try:
            parsed = raw_config_parse(str(path))
        except botocore.exceptions.ConfigParseError as exc:
            assert scan.problem is not None, lines
            inner = exc.kwargs["error"]
            if isinstance(inner, configparser.MissingSectionHeaderError):
                assert scan.problem.kind in ("bom", "key_before_section"), lines
                assert scan.problem.line == inner.lineno, lines
            elif isinstance(inner, configparser.ParsingError):
                assert scan.problem.kind == "no_delimiter", lines
                assert scan.problem.line == inner.errors[0][0], lines
            elif isinstance(inner, configparser.DuplicateSectionError):
                assert scan.problem.kind == "duplicate_section", lines
                assert scan.problem.line == inner.lineno, lines
            elif isinstance(inner, configparser.DuplicateOptionError):
                assert scan.problem.kind == "duplicate_key", lines
                assert scan.problem.line == inner.lineno, lines
            else:
                assert isinstance(inner, ValueError)
                assert scan.problem.kind == "nested_without_equals", lines
            return
        assert scan.problem is None, lines
        defaults = {
            k.name for s in scan.sections if s.name == "DEFAULT" for k in s.keys
        }
        mine = {
            s.name: {k.name for k in s.keys} | defaults
            for s in scan.sections
            if s.name != "DEFAULT"
        }
        assert {name: set(keys) for name, keys in parsed.items()} == mine, lines

    def test_examples(self, tmp_path: Path) -> None:
        """Cases a reader can check by eye, including the order of errors."""
        for lines, bom in (
            (["[a]", "k = 1", "noequals", "[a]"], False),  # duplicate raised first
            (["[a]", "= v", "= w"], False),
            (["[a]", "j =", "  cont"], False),
            (["[a]", "k = 1", "  [a]", "[a]"], False),
            (["[a]", "k = 1"], True),
            (["[DEFAULT]", "k = 1", "[DEFAULT]", "[a]"], False),
        ):
            self._compare(tmp_path, lines, bom)

    def test_property(self, tmp_path: Path) -> None:
        from hypothesis import given, settings
        from hypothesis import strategies as st

        @settings(max_examples=300, deadline=None, database=None)
        @given(
            st.lists(st.sampled_from(self.LINES), max_size=10),
            st.booleans(),
        )
        def check(lines: list[str], bom: bool) -> None:
            self._compare(tmp_path, lines, bom)

        check()


class TestNoProfileChosen:
    def test_keys_only_under_another_profile(self, aws_files: Any) -> None:
        """`aws configure --profile work`, then code that chooses no profile."""
        path = aws_files.write_credentials("[work]\n" + KEYS)
        exc = _no_credentials()
        report = exc.diagnosis.source(CREDS)
        assert (report.status, report.code) == (
            Status.NOT_CONFIGURED,
            f"{CREDS}.no_default_profile",
        )
        assert f"{path} has keys only under [work] (line 1)" in report.summary
        _check(exc)
        root = _diagnose().root_cause
        assert root is not None
        assert root.code == "chain.nothing_configured"
        assert (
            root.hints[0]
            == "export AWS_PROFILE=work   (or profile_name='work' in code)"
        )
        assert "But no profile was chosen, so botocore reads [default]" in root.summary
