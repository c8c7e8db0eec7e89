"""`credsafe doctor` and `credsafe explain`, run as a user runs them: a subprocess.

Every command runs in the hermetic environment the autouse fixture made (temporary
HOME, no AWS_* variables, IMDS on a closed loopback port), passed on with
``env=dict(os.environ)``. A ``sitecustomize`` written for each test points the
subprocess's runtime-context detection at the same empty directory as the
in-process fixture, so the subprocess and the library see the same environment.

Human output is pinned by snapshots in ``tests/snapshots/``: after a deliberate
change of wording (here or in an explainer), regenerate them with
``CREDSAFE_UPDATE_SNAPSHOTS=1 python3 -m pytest tests/test_cli.py`` and review the
diff.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import botocore.credentials
import pytest

import credsafe
import credsafe._context
from credsafe import _cli, _session
from credsafe._codes import lookup
from credsafe._doctor_render import region_info, use_color
from fakes import ACCESS_KEY, MASKED, SECRET_KEY, SESSION_TOKEN, TEMP_ACCESS_KEY
from servers import closed_port_url

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE_SNAPSHOTS = os.environ.get("CREDSAFE_UPDATE_SNAPSHOTS") == "1"

_SITECUSTOMIZE = """\
import os
_root = os.environ.get("CREDSAFE_TEST_CONTEXT_ROOT")
if _root:
    import credsafe._context
    credsafe._context.ROOT = _root
"""


@attrs.frozen
class Result:
    code: int
    out: str
    err: str

    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.out)
        return data


@attrs.define
class Cli:
    """Runs ``python -m credsafe`` in the test's hermetic environment."""

    tmp_path: Path

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "credsafe", *args]

    def run(self, *args: str, argv: list[str] | None = None) -> Result:
        done = subprocess.run(
            argv or self.argv(*args),
            env=dict(os.environ),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    def normalise(self, text: str) -> str:
        """Replace temporary paths, loopback ports and durations by placeholders."""
        text = text.replace(str(self.tmp_path), "<TMP>")
        text = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:<PORT>", text)
        text = re.sub(r"\b\d+(?:\.\d+)? ?ms\b", "<N> ms", text)
        return re.sub(r"\b\d+\.\d+ ?s\b", "<N> s", text)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(_SITECUSTOMIZE)
    monkeypatch.setenv("PYTHONPATH", str(site))
    monkeypatch.setenv("CREDSAFE_TEST_CONTEXT_ROOT", credsafe._context.ROOT)
    # The common setup names no file variables: HOME is temporary, so botocore's
    # defaults are the fixture's files (~/.aws/config, ~/.aws/credentials).
    monkeypatch.delenv("AWS_CONFIG_FILE")
    monkeypatch.delenv("AWS_SHARED_CREDENTIALS_FILE")
    return Cli(tmp_path)


def _strip_timings(value: Any) -> Any:
    """Drop what differs between two runs of the same diagnosis: timings."""
    if isinstance(value, dict):
        return {
            k: _strip_timings(v)
            for k, v in value.items()
            if k not in {"duration_ms", "elapsed_ms"}
        }
    if isinstance(value, list):
        return [_strip_timings(v) for v in value]
    return value


def library_dict(profile: str | None = None, *, network: bool = True) -> dict[str, Any]:
    """The library's own diagnosis of the current (hermetic) environment."""
    diagnosis = credsafe.diagnose(profile_name=profile, network=network)
    return _strip_timings(diagnosis.to_dict())  # type: ignore[no-any-return]


def assert_valid(data: dict[str, Any]) -> None:
    """*data* validates against the schema shipped in the package."""
    jsonschema = pytest.importorskip("jsonschema")
    text = resources.files("credsafe").joinpath("schema/diagnosis-1.json").read_text()
    schema = json.loads(text)
    jsonschema.validators.validator_for(schema)(schema).validate(data)


def assert_no_secrets(*texts: str) -> None:
    for text in texts:
        for secret in (SECRET_KEY, SESSION_TOKEN, ACCESS_KEY, TEMP_ACCESS_KEY):
            assert secret not in text


def assert_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / f"doctor_{name}.txt"
    if UPDATE_SNAPSHOTS:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return
    assert path.exists(), (
        f"no snapshot {path.name}: run with CREDSAFE_UPDATE_SNAPSHOTS=1 to create it"
    )
    if not hasattr(botocore.credentials, "LoginProvider"):
        # The output itself was checked above; only its exact text is version-bound.
        pytest.skip("snapshots show the chain of botocore >= 1.41 (with login)")
    assert text == path.read_text(), (
        f"the output differs from {path.name}; if the new wording is deliberate, "
        "regenerate with CREDSAFE_UPDATE_SNAPSHOTS=1 python3 -m pytest tests/test_cli.py "
        "and review the diff"
    )


# --- the common cases: each sets up an environment and names the doctor options ---

CREDENTIALS = f"[default]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
DEV_CREDENTIALS = (
    "[dev]\naws_access_key_id = AKIAI44QH8DHBEXAMDEV\n"
    "aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\n"
)


def _nothing(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    pass


def _env_found(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")


def _shared_file(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    files.write_credentials(CREDENTIALS)
    files.write_config("[default]\nregion = eu-central-1\n")


def _config_file(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    files.write_config(
        f"[default]\nregion = us-west-2\naws_access_key_id = {ACCESS_KEY}\n"
        f"aws_secret_access_key = {SECRET_KEY}\n"
    )


def _env_partial(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    files.write_credentials(CREDENTIALS)


def _env_shadows_profile(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    monkeypatch.setenv("AWS_PROFILE", "dev")
    files.write_credentials(DEV_CREDENTIALS)


def _explicit_profile(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    _env_shadows_profile(monkeypatch, files)
    monkeypatch.delenv("AWS_PROFILE")
    files.write_config("[profile dev]\nregion = ap-southeast-2\n")


def _profile_not_found(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    monkeypatch.setenv("AWS_PROFILE", "prod")
    files.write_credentials(DEV_CREDENTIALS)


def _aws_region_ignored(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    files.write_credentials(CREDENTIALS)
    monkeypatch.setenv("AWS_REGION", "eu-north-1")


def _secret_without_key(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
    files.write_credentials(CREDENTIALS)


Setup = Callable[[pytest.MonkeyPatch, Any], None]

#: name -> (setup, extra doctor arguments, --profile value, expected exit status)
CASES: dict[str, tuple[Setup, tuple[str, ...], str | None, int]] = {
    "nothing": (_nothing, (), None, 1),
    "env_found": (_env_found, (), None, 0),
    "shared_file": (_shared_file, (), None, 0),
    "config_file": (_config_file, (), None, 0),
    "env_partial": (_env_partial, (), None, 1),
    "env_shadows_profile": (_env_shadows_profile, (), None, 0),
    "explicit_profile": (_explicit_profile, ("--profile", "dev"), "dev", 0),
    "profile_not_found": (_profile_not_found, (), None, 1),
    "aws_region_ignored": (_aws_region_ignored, (), None, 0),
    "secret_without_key": (_secret_without_key, (), None, 1),
}


class TestCommonCases:
    @pytest.mark.parametrize("name", sorted(CASES))
    def test_json_and_human_output(
        self, name: str, cli: Cli, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """`--json` is exactly the library's `Diagnosis.to_dict()` of the same
        environment; the text a person reads is pinned by a snapshot.

        Both commands run concurrently, to keep the test fast.
        """
        setup, args, profile, status = CASES[name]
        setup(monkeypatch, aws_files)
        # as `aws configure` leaves them, whatever the umask of the test run
        for path in (aws_files.config, aws_files.credentials):
            if path.exists():
                path.chmod(0o600)
        with ThreadPoolExecutor(2) as pool:
            as_json = pool.submit(cli.run, "doctor", "--json", *args)
            as_text = pool.submit(cli.run, "doctor", *args)
            library = library_dict(profile)
            json_result, text_result = as_json.result(), as_text.result()

        assert json_result.code == status, json_result.err
        assert json_result.err == ""
        assert_valid(json_result.json())
        ours = _strip_timings(json_result.json())
        # source by source first, for a readable difference
        assert ours.pop("sources") == library.pop("sources")
        assert ours == library

        assert text_result.code == status, text_result.err
        assert "\033[" not in text_result.out  # not a terminal: no colour
        assert_no_secrets(json_result.out, text_result.out, text_result.err)
        assert_snapshot(name, cli.normalise(text_result.out))


class TestHumanOutput:
    """What the snapshots show, stated: so a regenerated snapshot cannot hide a loss."""

    def test_found_says_source_key_region_profile_and_shadowed(
        self, cli: Cli, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _env_shadows_profile(monkeypatch, aws_files)
        monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-3")
        lines = cli.run("doctor", "--no-network").out.splitlines()
        assert lines[0] == "Credentials found: env supplies them."
        assert lines[1].startswith("  source:      env: ")
        assert lines[2] == f"  access key:  {MASKED}"
        assert lines[3] == "  region:      eu-west-3 (from AWS_DEFAULT_REGION)"
        assert lines[4] == "  profile:     'dev' (from AWS_PROFILE)"
        assert lines[5].startswith(
            "  shadows:     shared-credentials-file (key ****************MDEV): "
        )
        sources = lines[lines.index("Sources, in botocore's order:") + 1 :]
        marks = [line.split()[:3] for line in sources if re.match(r"  \S\S \S", line)]
        assert [m[1] for m in marks] == [
            "env",
            "assume-role",
            "assume-role-with-web-identity",
            "sso",
            "shared-credentials-file",
            *(["login"] if hasattr(botocore.credentials, "LoginProvider") else []),
            "custom-process",
            "config-file",
            "ec2-credentials-file",
            "boto-config",
            "container-role",
            "iam-role",
        ]
        assert marks[0] == ["ok", "env", "found"]
        assert marks[4] == ["~~", "shared-credentials-file", "shadowed"]

    def test_key_of_a_file_source_is_masked_like_the_aws_cli(
        self, cli: Cli, aws_files: Any
    ) -> None:
        aws_files.write_config(
            f"[default]\naws_access_key_id = {TEMP_ACCESS_KEY}\n"
            f"aws_secret_access_key = {SECRET_KEY}\naws_session_token = {SESSION_TOKEN}\n"
        )
        result = cli.run("doctor", "--no-network")
        assert "  access key:  ****************VV7A" in result.out.splitlines()
        assert_no_secrets(result.out, result.err)

    def test_advice_is_shown_after_the_sources_and_keeps_exit_0(
        self, cli: Cli, aws_files: Any
    ) -> None:
        aws_files.write_credentials(CREDENTIALS).chmod(0o644)
        result = cli.run("doctor", "--no-network")
        assert result.code == 0
        lines = result.out.splitlines()
        start = lines.index("Advice (never changes the outcome):")
        assert start > lines.index("Sources, in botocore's order:")
        assert lines[start + 1].startswith("  warning  the credentials file ")
        assert lines[start + 2] == f"           fix: chmod 600 {aws_files.credentials}"

    def test_not_found_puts_root_cause_and_fix_first(
        self, cli: Cli, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _env_partial(monkeypatch, aws_files)
        lines = cli.run("doctor", "--no-network").out.splitlines()
        assert lines[0].startswith("No credentials: botocore stops at env")
        assert lines[1].startswith("  root cause:  [env] AWS_ACCESS_KEY_ID is set")
        assert lines[2].startswith("  fix:         export AWS_SECRET_ACCESS_KEY=")
        assert "  more:        credsafe explain env.partial" in lines
        # the problem source repeats its hints in the list
        env_line = next(i for i, line in enumerate(lines) if line.startswith("  !! env"))
        assert "fix: export AWS_SECRET_ACCESS_KEY=" in lines[env_line + 1]

    def test_region_from_each_origin(self, aws_files: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        """The origin is what botocore's own config chain used, in its order."""
        import botocore.session

        def region() -> tuple[str | None, str]:
            info = region_info(botocore.session.Session(), os.environ)
            return info.name, info.origin

        assert region()[0] is None
        aws_files.write_config("[default]\nregion = eu-west-1\n[profile dev]\nregion = sa-east-1\n")
        assert region() == ("eu-west-1", f"from the config file {aws_files.config}, profile 'default'")
        aws_files.write_credentials("[default]\nregion = ca-central-1\n")
        assert region() == (
            "ca-central-1",
            f"from the credentials file {aws_files.credentials}, profile 'default'",
        )
        monkeypatch.setenv("AWS_PROFILE", "dev")
        assert region() == ("sa-east-1", f"from the config file {aws_files.config}, profile 'dev'")
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-2")
        assert region() == ("us-east-2", "from AWS_DEFAULT_REGION")
        monkeypatch.setenv("AWS_DEFAULT_REGION", "")
        assert region()[0] is None
        assert "AWS_DEFAULT_REGION is set but empty" in region()[1]

    def test_aws_region_alone_is_flagged(self, aws_files: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        import botocore.session

        monkeypatch.setenv("AWS_REGION", "eu-north-1")
        info = region_info(botocore.session.Session(), os.environ)
        assert info.name is None
        assert info.notes == (
            "AWS_REGION=eu-north-1 is set, but boto3 ignores it: it reads "
            "AWS_DEFAULT_REGION (`export AWS_DEFAULT_REGION=eu-north-1`).",
        )
        monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-north-1")
        assert region_info(botocore.session.Session(), os.environ).notes == ()

    def test_region_of_a_missing_profile_is_unknown_not_a_crash(
        self, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        import botocore.session

        info = region_info(botocore.session.Session(profile="nope"), os.environ)
        assert info.name is None
        assert info.origin == "unknown: the profile 'nope' does not exist"


class TestColour:
    def _run_on_terminal(self, cli: Cli) -> str:
        """Run the doctor with stdout on a pseudo-terminal; return what it wrote."""
        pty = pytest.importorskip("pty", reason="needs a POSIX pseudo-terminal")
        import select

        leader, follower = pty.openpty()
        try:
            proc = subprocess.Popen(
                cli.argv("doctor", "--no-network"),
                env=dict(os.environ),
                stdout=follower,
                stderr=subprocess.DEVNULL,
                stdin=subprocess.DEVNULL,
            )
            os.close(follower)
            chunks: list[bytes] = []
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                ready, _, _ = select.select([leader], [], [], 0.5)
                if ready:
                    try:
                        chunk = os.read(leader, 65536)
                    except OSError:  # the terminal closed: the process ended
                        break
                    if not chunk:
                        break
                    chunks.append(chunk)
                elif proc.poll() is not None:
                    break
            proc.wait(timeout=30)
        finally:
            os.close(leader)
        return b"".join(chunks).decode()

    def test_colour_on_a_terminal(self, cli: Cli, aws_files: Any) -> None:
        aws_files.write_credentials(CREDENTIALS)
        out = self._run_on_terminal(cli)
        assert "\033[32mCredentials found" in out

    def test_no_colour_with_no_color(
        self, cli: Cli, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        aws_files.write_credentials(CREDENTIALS)
        monkeypatch.setenv("NO_COLOR", "1")
        out = self._run_on_terminal(cli)
        assert "Credentials found" in out
        assert "\033[" not in out

    def test_use_color_rules(self) -> None:
        class Tty:
            def isatty(self) -> bool:
                return True

        class Pipe:
            def isatty(self) -> bool:
                return False

        assert use_color(Tty(), {}) is True  # type: ignore[arg-type]
        assert use_color(Tty(), {"NO_COLOR": "1"}) is False  # type: ignore[arg-type]
        assert use_color(Tty(), {"NO_COLOR": ""}) is True  # type: ignore[arg-type]  # no-color.org: empty means unset
        assert use_color(Pipe(), {}) is False  # type: ignore[arg-type]


class TestExitStatus:
    def test_found_is_0_and_console_script_agrees(self, cli: Cli, aws_files: Any) -> None:
        """The `credsafe` console script and `python -m credsafe` are one command."""
        aws_files.write_credentials(CREDENTIALS)
        module = cli.run("doctor", "--json", "--no-network")
        script = Path(sysconfig.get_path("scripts")) / "credsafe"
        if not script.exists():
            found = shutil.which("credsafe")
            if found is None:
                pytest.skip("the credsafe console script is not installed")
            script = Path(found)
        console = cli.run(argv=[str(script), "doctor", "--json", "--no-network"])
        assert (module.code, console.code) == (0, 0)
        assert _strip_timings(console.json()) == _strip_timings(module.json())

    def test_found_but_a_source_broken_is_1(
        self, cli: Cli, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _secret_without_key(monkeypatch, aws_files)
        result = cli.run("doctor", "--no-network")
        assert result.code == 1
        assert result.out.splitlines()[0] == (
            "Credentials found: shared-credentials-file supplies them, but 1 source "
            "is broken (env)."
        )

    @pytest.mark.parametrize(
        "args",
        [("doctor", "--bogus"), ("doctor", "--profile"), ("frobnicate",), ()],
    )
    def test_usage_error_is_2(self, args: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
        assert _cli.main(list(args)) == 2
        assert "usage: credsafe" in capsys.readouterr().err

    def test_usage_error_is_2_in_a_subprocess(self, cli: Cli) -> None:
        result = cli.run("doctor", "--jsn")
        assert result.code == 2
        assert "unrecognized arguments: --jsn" in result.err

    def test_version_is_0(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert _cli.main(["--version"]) == 0
        assert capsys.readouterr().out.strip() == credsafe.__version__

    def test_help_is_0(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert _cli.main(["doctor", "--help"]) == 0
        out = capsys.readouterr().out
        assert "--verify" in out
        assert "Exit status: 0 credentials found" in out


class TestCrash:
    """A crash inside credsafe prints what it has and exits 3 with a clear message."""

    def test_diagnosis_crash(
        self,
        aws_files: Any,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        monkeypatch.setenv("AWS_PROFILE", "dev")
        monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)

        def boom(*args: Any, **kwargs: Any) -> None:
            raise RuntimeError(f"injected fault near {SECRET_KEY}")

        monkeypatch.setattr(_session, "diagnose", boom)
        assert _cli.main(["doctor"]) == 3
        out, err = capsys.readouterr()
        assert out.splitlines() == [
            "What credsafe found before it crashed:",
            "profile: 'dev' (origin: AWS_PROFILE)",
            "region: eu-west-1 (from AWS_DEFAULT_REGION)",
        ]
        assert err.splitlines()[-1].startswith(
            "credsafe doctor: internal error: the diagnosis crashed with "
            "RuntimeError: injected fault near <redacted>. This is a bug in credsafe"
        )
        assert "Traceback (most recent call last)" in err
        assert_no_secrets(out, err)

    def test_rendering_crash_still_prints_every_source(
        self,
        aws_files: Any,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        aws_files.write_credentials(CREDENTIALS)
        import credsafe._doctor_render

        def boom(*args: Any, **kwargs: Any) -> str:
            raise ValueError("renderer fault")

        monkeypatch.setattr(credsafe._doctor_render, "render", boom)
        assert _cli.main(["doctor", "--no-network"]) == 3
        out, err = capsys.readouterr()
        assert "outcome: found" in out
        assert "credentials from: shared-credentials-file" in out
        assert "  ok shared-credentials-file: found:" in out
        assert out.count("\n  ") == len(credsafe.diagnose(network=False).sources)
        assert "printing the diagnosis crashed with ValueError: renderer fault" in err

    def test_json_mode_crash_prints_no_half_object(
        self, aws_files: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        def boom(*args: Any, **kwargs: Any) -> None:
            raise KeyError("x")

        monkeypatch.setattr(_session, "diagnose", boom)
        assert _cli.main(["doctor", "--json"]) == 3
        out, err = capsys.readouterr()
        assert not out.lstrip().startswith("{")
        assert "internal error: the diagnosis crashed with KeyError" in err


class TestNoNetwork:
    def test_no_probe_with_no_network(
        self, cli: Cli, aws_files: Any, imds: Any
    ) -> None:
        """`--no-network`: IMDS gets no request; the JSON is diagnose(network=False)."""
        result = cli.run("doctor", "--json", "--no-network")
        assert imds.requests == []
        assert _strip_timings(result.json()) == library_dict(network=False)
        assert result.json()["outcome"] == "not_found"

    def test_no_container_probe_with_no_network(
        self, cli: Cli, aws_files: Any, container_server: Any
    ) -> None:
        result = cli.run("doctor", "--json", "--no-network")
        assert container_server.requests == []
        container = next(s for s in result.json()["sources"] if s["source"] == "container-role")
        assert container["status"] == "skipped"
        assert container["summary"].startswith("not probed")

    def test_statuses_and_verdict_say_not_probed(self, cli: Cli, aws_files: Any) -> None:
        lines = cli.run("doctor", "--no-network").out.splitlines()
        assert lines[0] == (
            "No credentials: no source checked supplies any; the instance metadata "
            "and container endpoints were not probed (--no-network)."
        )
        iam_role = next(line for line in lines if line.startswith("  .. iam-role"))
        assert "skipped         not probed" in iam_role

    def test_probes_without_no_network(self, cli: Cli, aws_files: Any, imds: Any) -> None:
        """The counterpart: without the option the IMDS is asked, so the checks above can fail."""
        cli.run("doctor", "--json")
        assert imds.requests != []


class TestExplain:
    def test_explain_prints_the_registry_text(self, cli: Cli) -> None:
        result = cli.run("explain", "env.partial")
        doc = lookup("env.partial")
        assert doc is not None
        assert result.code == 0
        assert result.out == f"env.partial: {doc.title}\n\nWhy: {doc.why}\n\nFix: {doc.fix}\n"

    def test_unknown_code_suggests_close_ones(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert _cli.main(["explain", "env.partail"]) == 2
        assert "Did you mean env.partial?" in capsys.readouterr().err

    def test_list(self, capsys: pytest.CaptureFixture[str]) -> None:
        from credsafe._codes import CODES

        assert _cli.main(["explain", "--list"]) == 0
        listed = [line.split(":", 1)[0] for line in capsys.readouterr().out.splitlines()]
        assert listed == sorted(CODES)
        assert "chain.shadowed" in listed

    def test_no_code_is_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert _cli.main(["explain"]) == 2


# --- the real AWS CLI agrees on which source supplies the access key --------------


def _aws_available() -> bool:
    """Whether the AWS CLI is installed (the `minimums` session may leave it out)."""
    return importlib.util.find_spec("awscli") is not None


AWS_CASES: dict[str, tuple[Setup, str | None]] = {}


def _aws_case(name: str, profile: str | None = None) -> Callable[[Setup], Setup]:
    def register(setup: Setup) -> Setup:
        AWS_CASES[name] = (setup, profile)
        return setup

    return register


@_aws_case("env")
def _a_env(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)


@_aws_case("shared_file")
def _a_shared(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    files.write_credentials(CREDENTIALS)


@_aws_case("config_file")
def _a_config(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    files.write_config(
        f"[default]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
    )


@_aws_case("both_files")
def _a_both(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    _a_config(monkeypatch, files)
    files.write_credentials(DEV_CREDENTIALS.replace("[dev]", "[default]"))


@_aws_case("aws_profile_shared")
def _a_profile_shared(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    files.write_credentials(CREDENTIALS + DEV_CREDENTIALS)
    monkeypatch.setenv("AWS_PROFILE", "dev")


@_aws_case("aws_profile_config")
def _a_profile_config(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    files.write_config(
        f"[profile dev]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
    )
    monkeypatch.setenv("AWS_PROFILE", "dev")


@_aws_case("profile_option_shared", profile="dev")
def _a_option_shared(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    files.write_credentials(CREDENTIALS + DEV_CREDENTIALS)


@_aws_case("profile_option_config", profile="dev")
def _a_option_config(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    files.write_config(
        f"[profile dev]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
    )
    files.write_credentials(CREDENTIALS)


@_aws_case("env_beats_aws_profile")
def _a_env_profile(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    _a_env(monkeypatch, files)
    _a_profile_shared(monkeypatch, files)


@_aws_case("profile_option_beats_env", profile="dev")
def _a_option_env(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    _a_env(monkeypatch, files)
    files.write_credentials(DEV_CREDENTIALS)


@_aws_case("nothing")
def _a_nothing(monkeypatch: pytest.MonkeyPatch, files: Any) -> None:
    pass


def _aws_configure_list(env: dict[str, str], profile: str | None) -> tuple[str | None, str | None]:
    """Run the real `aws configure list`; return (Type, Value) of access_key."""
    argv = [sys.executable, "-m", "awscli", "configure", "list"]
    if profile:
        argv += ["--profile", profile]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    for line in done.stdout.splitlines():
        fields = line.split()
        if fields and fields[0] == "access_key":
            if fields[1] == "<not":
                return None, None
            return fields[2], fields[1]
    raise AssertionError(f"no access_key line in:\n{done.stdout}")


def _doctor_json(argv: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode in {0, 1}, (done.returncode, done.stdout, done.stderr)
    data: dict[str, Any] = json.loads(done.stdout)
    return data


@attrs.define
class _EnvPatch:
    """The setenv/delenv part of monkeypatch, on one case's own environment."""

    env: dict[str, str]

    def setenv(self, name: str, value: str) -> None:
        self.env[name] = value

    def delenv(self, name: str) -> None:
        del self.env[name]


@pytest.mark.skipif(not _aws_available(), reason="awscli is not installed")
def test_aws_cli_agrees_on_the_source(cli: Cli, tmp_path: Path) -> None:
    """`aws configure list` (Type of access_key) and `credsafe doctor` name one source.

    Every case gets its own HOME and environment, built from the hermetic one; the
    commands of all cases run concurrently to keep the test fast. The masked key
    ids agree too: credsafe masks like the AWS CLI.
    """
    jobs = {}
    with ThreadPoolExecutor(4) as pool:
        for name, (setup, profile) in sorted(AWS_CASES.items()):
            home = tmp_path / "aws-cases" / name
            home.mkdir(parents=True)
            env = dict(os.environ, HOME=str(home))
            files = type(
                "Files",
                (),
                {
                    "write_config": lambda _s, text, h=home: _write(h / ".aws" / "config", text),
                    "write_credentials": lambda _s, text, h=home: _write(
                        h / ".aws" / "credentials", text
                    ),
                },
            )()
            setup(_EnvPatch(env), files)  # type: ignore[arg-type]
            args = ["doctor", "--json", "--no-network"] + (["--profile", profile] if profile else [])
            aws_env = {k: v for k, v in env.items() if k != "PYTHONPATH"}
            jobs[name] = (
                pool.submit(_aws_configure_list, aws_env, profile),
                pool.submit(_doctor_json, cli.argv(*args), env),
            )
        seen = {}
        for name, (aws, ours) in jobs.items():
            aws_type, aws_value = aws.result()
            data = ours.result()
            winner = next((s for s in data["sources"] if s["source"] == aws_type), None)
            seen[name] = (
                (aws_type, aws_value),
                (data["resolved_by"], None if winner is None else winner["details"].get("access_key_id")),
            )
    disagreements = {name: pair for name, pair in seen.items() if pair[0] != pair[1]}
    assert disagreements == {}
    # the cases really cover every source the AWS CLI names, and the no-source case
    assert {pair[0][0] for pair in seen.values()} == {
        "env",
        "shared-credentials-file",
        "config-file",
        None,
    }


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


# --- --verify: STS GetCallerIdentity, against 127.0.0.1 only -----------------------


@pytest.fixture(scope="module")
def moto_sts() -> Iterator[str]:
    """A moto server on 127.0.0.1 (speaks STS); its URL."""
    server_module = pytest.importorskip("moto.server")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


_STS_ERROR = """<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>
  <RequestId>4c1d3b2a-0000-4000-8000-000000000000</RequestId>
</ErrorResponse>"""


class StsStub:
    """Answers every POST with one STS error, as AWS does to refused credentials."""

    def __init__(self, code: str, message: str) -> None:
        self.requests: list[str] = []
        body = _STS_ERROR.format(code=code, message=message).encode()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                owner.requests.append(self.rfile.read(length).decode())
                self.send_response(403)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def sts_stub() -> Iterator[Callable[[str, str], StsStub]]:
    stubs: list[StsStub] = []

    def make(code: str, message: str) -> StsStub:
        stubs.append(StsStub(code, message))
        return stubs[-1]

    yield make
    for stub in stubs:
        stub.stop()


class TestVerify:
    def test_accepted_shows_account_and_arn(
        self, cli: Cli, aws_files: Any, monkeypatch: pytest.MonkeyPatch, moto_sts: str
    ) -> None:
        _env_found(monkeypatch, aws_files)
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", moto_sts)
        result = cli.run("doctor", "--verify", "--no-network")
        assert result.code == 0, result.err
        lines = result.out.splitlines()
        assert "  verify:      AWS accepted these credentials (STS GetCallerIdentity)." in lines
        assert "  account:     123456789012" in lines
        assert "  arn:         arn:aws:sts::123456789012:user/moto" in lines
        assert_no_secrets(result.out, result.err)

    def test_generic_endpoint_variable_and_json(
        self, cli: Cli, aws_files: Any, monkeypatch: pytest.MonkeyPatch, moto_sts: str
    ) -> None:
        """AWS_ENDPOINT_URL works too; --json adds a `verify` key and nothing else."""
        aws_files.write_credentials(CREDENTIALS)
        monkeypatch.setenv("AWS_ENDPOINT_URL", moto_sts)
        result = cli.run("doctor", "--verify", "--json", "--no-network")
        assert result.code == 0, result.err
        data = result.json()
        assert_valid(data)
        assert data.pop("verify") == {
            "ok": True,
            "code": None,
            "summary": "AWS accepted these credentials (STS GetCallerIdentity).",
            "facts": {
                "account": "123456789012",
                "arn": "arn:aws:sts::123456789012:user/moto",
                "access key": MASKED,
            },
            "hints": [],
        }
        ours, library = _strip_timings(data), library_dict(network=False)
        assert ours.pop("sources") == library.pop("sources")
        assert ours == library

    def test_rejected_key_is_diagnosed(
        self,
        cli: Cli,
        aws_files: Any,
        monkeypatch: pytest.MonkeyPatch,
        sts_stub: Callable[[str, str], StsStub],
    ) -> None:
        """A temporary key without its token: AWS refuses, credsafe says why."""
        stub = sts_stub("InvalidClientTokenId", "The security token included in the request is invalid.")
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", TEMP_ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", stub.url)
        result = cli.run("doctor", "--verify", "--no-network")
        assert result.code == 1
        assert len(stub.requests) == 1
        assert "Action=GetCallerIdentity" in stub.requests[0]
        lines = result.out.splitlines()
        assert (
            "  verify:      AWS rejected these credentials: InvalidClientTokenId: "
            "The security token included in the request is invalid."
        ) in lines
        assert "  more:        credsafe explain rejected.temporary_key_without_token" in lines
        assert any(line.startswith("  fix:         Set AWS_SESSION_TOKEN") for line in lines)
        assert_no_secrets(result.out, result.err)

    def test_expired_token_is_diagnosed(
        self,
        cli: Cli,
        aws_files: Any,
        monkeypatch: pytest.MonkeyPatch,
        sts_stub: Callable[[str, str], StsStub],
    ) -> None:
        stub = sts_stub("ExpiredToken", "The security token included in the request is expired")
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", TEMP_ACCESS_KEY)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        monkeypatch.setenv("AWS_SESSION_TOKEN", SESSION_TOKEN)
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", stub.url)
        result = cli.run("doctor", "--verify", "--json", "--no-network")
        assert result.code == 1
        assert_valid(result.json())
        verify = result.json()["verify"]
        assert verify["ok"] is False
        assert verify["code"] == "rejected.expired_session"
        assert verify["summary"].startswith("AWS rejected these credentials: ExpiredToken")
        assert_no_secrets(result.out, result.err)

    def test_assume_role_is_expected_then_fetched_by_verify(
        self, cli: Cli, aws_files: Any, monkeypatch: pytest.MonkeyPatch, moto_sts: str
    ) -> None:
        """Without --verify nothing calls STS; with it, botocore assumes the role."""
        aws_files.write_config(
            "[default]\nrole_arn = arn:aws:iam::123456789012:role/deploy\n"
            "source_profile = base\nrole_session_name = doctor-test\n"
            f"[profile base]\naws_access_key_id = {ACCESS_KEY}\n"
            f"aws_secret_access_key = {SECRET_KEY}\n"
        )
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", moto_sts)
        plain = cli.run("doctor", "--no-network").out.splitlines()
        assert plain[0] == (
            "Credentials expected from assume-role: botocore selects it, and fetches "
            "the credentials when they are first used."
        )
        assert plain[2] == (
            "  access key:  not fetched: the diagnosis does not run processes or call "
            "AWS (--verify does)"
        )
        result = cli.run("doctor", "--verify", "--no-network")
        assert result.code == 0, result.out + result.err
        lines = result.out.splitlines()
        assert "  arn:         arn:aws:sts::123456789012:assumed-role/deploy/doctor-test" in lines
        key_line = next(line for line in lines if line.startswith("  access key:  ****"))
        assert re.fullmatch(r"  access key:  \*{16}[A-Z0-9]{4}", key_line)
        assert_no_secrets(result.out, result.err)

    def test_fetch_failure_is_diagnosed(self, cli: Cli, aws_files: Any) -> None:
        """--verify runs the credential_process; when it fails, the replay explains it."""
        aws_files.write_config(
            f"[default]\ncredential_process = {sys.executable} -c 'raise SystemExit(3)'\n"
        )
        result = cli.run("doctor", "--verify", "--no-network")
        assert result.code == 1
        verify_line = next(line for line in result.out.splitlines() if "verify:" in line)
        assert verify_line.startswith(
            "  verify:      fetching the credentials failed: CredentialRetrievalError"
        )
        assert "  more:        credsafe explain " in result.out

    def test_unreachable_endpoint(
        self, cli: Cli, aws_files: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _env_found(monkeypatch, aws_files)
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", closed_port_url())
        result = cli.run("doctor", "--verify", "--no-network")
        assert result.code == 1
        assert "  verify:      STS could not be reached: EndpointConnectionError" in result.out

    def test_nothing_to_verify_calls_nothing(
        self,
        cli: Cli,
        aws_files: Any,
        monkeypatch: pytest.MonkeyPatch,
        sts_stub: Callable[[str, str], StsStub],
    ) -> None:
        stub = sts_stub("InvalidClientTokenId", "x")
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", stub.url)
        result = cli.run("doctor", "--verify", "--no-network")
        assert result.code == 1
        assert "  verify:      not called: there are no credentials to verify." in result.out
        assert stub.requests == []

    def test_doctor_never_calls_aws_without_verify(
        self,
        cli: Cli,
        aws_files: Any,
        monkeypatch: pytest.MonkeyPatch,
        sts_stub: Callable[[str, str], StsStub],
    ) -> None:
        stub = sts_stub("InvalidClientTokenId", "x")
        _env_found(monkeypatch, aws_files)
        monkeypatch.setenv("AWS_ENDPOINT_URL", stub.url)
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", stub.url)
        assert cli.run("doctor").code == 0
        assert stub.requests == []
