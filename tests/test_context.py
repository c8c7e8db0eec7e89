"""Runtime-context detection from local evidence only, and the hints it tailors (issue 4).

Evidence files live under a temporary root (``credsafe._context.ROOT`` is pointed at
an empty directory by the hermetic fixture); each test writes the few files a real
host would have.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import credsafe
import credsafe._context
from credsafe import Status
from credsafe._context import detect, pid1_container_vars


@pytest.fixture
def root() -> Path:
    return Path(credsafe._context.ROOT)


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


DMI = "sys/devices/virtual/dmi/id"


class TestDetect:
    def test_nothing_is_a_laptop(self) -> None:
        ctx = detect({}, ppid=0)
        assert ctx.kinds == ()
        assert ctx.primary == "laptop"
        assert not ctx.on_aws_compute

    def test_ec2_nitro_vendor_and_instance_id(self, root: Path) -> None:
        write(root, f"{DMI}/sys_vendor", "Amazon EC2\n")
        write(root, f"{DMI}/board_asset_tag", "i-0123456789abcdef0\n")
        ctx = detect({}, ppid=0)
        assert ctx.kinds == ("ec2",)
        assert ctx.instance_id == "i-0123456789abcdef0"
        assert "sys_vendor" in ctx.evidence["ec2"]

    def test_ec2_xen_product_uuid(self, root: Path) -> None:
        write(root, f"{DMI}/sys_vendor", "Xen\n")
        write(root, f"{DMI}/product_uuid", "EC2E1916-9099-7CAF-FD21-012345678901\n")
        assert detect({}, ppid=0).kinds == ("ec2",)

    def test_ec2_xen_hypervisor_uuid(self, root: Path) -> None:
        write(root, "sys/hypervisor/uuid", "ec2e1916-9099-7caf-fd21-012345678901\n")
        assert detect({}, ppid=0).kinds == ("ec2",)

    def test_other_vendor_is_not_ec2(self, root: Path) -> None:
        write(root, f"{DMI}/sys_vendor", "QEMU\n")
        write(root, f"{DMI}/product_uuid", "4c4c4544-0000-0000-0000-000000000000\n")
        assert detect({}, ppid=0).kinds == ()

    def test_ecs(self) -> None:
        ctx = detect({"ECS_CONTAINER_METADATA_URI_V4": "http://169.254.170.2/v4/x"}, ppid=0)
        assert ctx.kinds == ("ecs",)
        assert detect({"AWS_EXECUTION_ENV": "AWS_ECS_FARGATE"}, ppid=0).kinds == ("ecs",)

    def test_lambda(self) -> None:
        assert detect({"AWS_LAMBDA_FUNCTION_NAME": "f"}, ppid=0).primary == "lambda"
        assert detect({"AWS_EXECUTION_ENV": "AWS_Lambda_python3.12"}, ppid=0).primary == "lambda"

    def test_eks_with_irsa_token(self, root: Path) -> None:
        write(root, "var/run/secrets/eks.amazonaws.com/serviceaccount/token", "jwt")
        write(root, f"{DMI}/sys_vendor", "Amazon EC2\n")
        ctx = detect({"KUBERNETES_SERVICE_HOST": "10.100.0.1"}, ppid=0)
        assert ctx.kinds == ("eks", "ec2")
        assert ctx.evidence["eks_token_dir"].endswith("eks.amazonaws.com/serviceaccount")

    @pytest.mark.parametrize(
        ("relative", "text"),
        [
            (".dockerenv", ""),
            ("run/.containerenv", ""),
            ("proc/1/cgroup", "12:memory:/docker/0123abcd\n"),
            ("proc/1/cgroup", "0::/kubepods/burstable/pod1/abc\n"),
        ],
    )
    def test_container(self, root: Path, relative: str, text: str) -> None:
        write(root, relative, text)
        ctx = detect({}, ppid=0)
        assert ctx.kinds == ("container",)

    def test_cgroup_v2_root_is_not_a_container(self, root: Path) -> None:
        write(root, "proc/1/cgroup", "0::/\n")
        assert detect({}, ppid=0).kinds == ()

    @pytest.mark.parametrize(
        ("var", "name"),
        [
            ("GITHUB_ACTIONS", "GitHub Actions"),
            ("GITLAB_CI", "GitLab CI"),
            ("CIRCLECI", "CircleCI"),
            ("JENKINS_URL", "Jenkins"),
            ("CODEBUILD_BUILD_ID", "AWS CodeBuild"),
            ("CI", "CI"),
        ],
    )
    def test_ci(self, var: str, name: str) -> None:
        ctx = detect({var: "true"}, ppid=0)
        assert ctx.kinds == ("ci",)
        assert ctx.ci_name == name

    def test_sudo(self) -> None:
        ctx = detect({"SUDO_USER": "alice", "SUDO_UID": "1000"}, ppid=0)
        assert ctx.kinds == ("sudo",)
        assert ctx.sudo_user == "alice"

    def test_cron_parent(self, root: Path) -> None:
        write(root, "proc/4242/comm", "cron\n")
        ctx = detect({}, ppid=4242)
        assert ctx.kinds == ("cron",)
        assert ctx.evidence["cron"] == "parent process 'cron'"

    def test_systemd_invocation_id(self) -> None:
        assert detect({"INVOCATION_ID": "abc"}, ppid=0).kinds == ("systemd",)

    def test_order_most_specific_first(self, root: Path) -> None:
        write(root, f"{DMI}/sys_vendor", "Amazon EC2\n")
        write(root, ".dockerenv", "")
        env = {"GITHUB_ACTIONS": "true", "SUDO_USER": "runner"}
        assert detect(env, ppid=0).kinds == ("ci", "ec2", "container", "sudo")

    def test_pid1_environment_gives_names_only(self, root: Path) -> None:
        write(
            root,
            "proc/1/environ",
            "PATH=/bin\0AWS_CONTAINER_CREDENTIALS_RELATIVE_URI=/v2/credentials/uuid\0"
            "AWS_CONTAINER_AUTHORIZATION_TOKEN=secret\0",
        )
        names = pid1_container_vars()
        assert names == (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        )
        assert detect({}, ppid=0).pid1_vars == names

    def test_pid1_unreadable_is_none(self) -> None:
        assert pid1_container_vars() is None

    def test_explicit_root_argument(self, tmp_path: Path) -> None:
        write(tmp_path, ".dockerenv", "")
        assert detect({}, root=str(tmp_path), ppid=0).kinds == ("container",)


class TestTailoredHints:
    """With nothing configured, the root cause names the source the context calls for."""

    def _root(self) -> credsafe.SourceReport:
        diagnosis = credsafe.diagnose(network=False)
        root = diagnosis.root_cause
        assert root is not None
        return root

    @pytest.fixture(autouse=True)
    def _files_exist(self, aws_files) -> None:  # type: ignore[no-untyped-def]
        # Empty files: nothing configured, and no "file missing" finding either.
        aws_files.write_credentials("")
        aws_files.write_config("")

    def test_github_actions(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("GITHUB_ACTIONS", "true")
        root = self._root()
        assert root.code == "chain.nothing_configured"
        assert root.source == "env"
        assert "aws-actions/configure-aws-credentials" in root.hints[0]
        assert "id-token: write" in root.hints[0]
        assert any("secrets of GitHub Actions" in h for h in root.hints)

    def test_ec2_names_the_instance(self, root: Path) -> None:
        write(root, f"{DMI}/sys_vendor", "Amazon EC2\n")
        write(root, f"{DMI}/board_asset_tag", "i-0123456789abcdef0\n")
        got = self._root()
        assert got.source == "iam-role"
        assert "--instance-id i-0123456789abcdef0" in got.hints[0]

    def test_container_on_ec2_mentions_hop_limit(self, root: Path) -> None:
        write(root, f"{DMI}/sys_vendor", "Amazon EC2\n")
        write(root, ".dockerenv", "")
        got = self._root()
        assert any("--http-put-response-hop-limit 2" in h for h in got.hints)

    def test_ecs_task_role(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("ECS_CONTAINER_METADATA_URI_V4", "http://169.254.170.2/v4/x")
        got = self._root()
        assert got.source == "container-role"
        assert any("taskRoleArn" in h for h in got.hints)

    def test_eks_irsa_or_pod_identity(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.100.0.1")
        got = self._root()
        assert got.source == "assume-role-with-web-identity"
        assert any("Pod Identity" in h and "eks.amazonaws.com/role-arn" in h for h in got.hints)

    def test_lambda_env_overwritten(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "fn")
        got = self._root()
        assert got.source == "env"
        assert any("overwrite" in h for h in got.hints)

    def test_sudo_real_users_home(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("SUDO_USER", "alice")
        got = self._root()
        assert any("sudo -E" in h and "~alice/.aws/credentials" in h for h in got.hints)

    def test_cron(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        import os

        write(root, f"proc/{os.getppid()}/comm", "cron\n")
        got = self._root()
        assert any("crontab" in h for h in got.hints)

    def test_laptop(self) -> None:
        got = self._root()
        assert got.source == "shared-credentials-file"
        assert got.status is Status.NOT_CONFIGURED


def test_ec2_context_ranks_imds_first(root: Path, aws_files, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """On EC2 an IMDS problem outranks an earlier source's problem."""
    write(root, f"{DMI}/sys_vendor", "Amazon EC2\n")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "")  # env.empty_key_id: an earlier problem
    diagnosis = credsafe.diagnose()
    assert diagnosis.source("env").status is Status.MISCONFIGURED
    assert diagnosis.root_cause.source == "iam-role"
    assert diagnosis.root_cause.status is Status.UNREACHABLE
