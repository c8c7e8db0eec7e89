"""Detect where the code runs, from local evidence only (never the network).

The context decides which source the diagnosis should point at when nothing is
configured anywhere, and tailors the hints: on CI, the secrets to add; on EC2, the
instance profile; in ECS, the task role; in Lambda, the execution role.

Evidence is read from environment variables and a few well-known files: the DMI
strings the firmware exposes in ``/sys/devices/virtual/dmi/id`` (on EC2 the vendor is
``Amazon EC2`` and, on Nitro instances, the board asset tag is the instance id),
``/sys/hypervisor/uuid`` (older Xen instances), ``/.dockerenv``,
``/run/.containerenv``, ``/proc/1/cgroup``, the environment of PID 1 (variable
*names* only) and the command name of the parent process. Every file is read under
:data:`ROOT` (or the ``root=`` argument), so tests can point detection at a
temporary directory. Unreadable files are simply no evidence.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import attrs

#: The filesystem root under which evidence files are read. Tests point it at a
#: temporary directory; nothing else should change it.
ROOT = "/"

_DMI = "sys/devices/virtual/dmi/id"
_CONTAINER_CGROUP_MARKERS = (
    "docker",
    "kubepods",
    "containerd",
    "libpod",
    "lxc",
    "/ecs/",
    "crio",
)
#: Where EKS mounts the projected service-account tokens.
IRSA_TOKEN_DIR = "var/run/secrets/eks.amazonaws.com/serviceaccount"  # noqa: S105
POD_IDENTITY_TOKEN_DIR = "var/run/secrets/pods.eks.amazonaws.com/serviceaccount"  # noqa: S105
_K8S_SA_DIR = "var/run/secrets/kubernetes.io/serviceaccount"

#: Parent process names that mean "started by a scheduler or service manager".
_SCHEDULERS = {
    "cron": "cron",
    "crond": "cron",
    "anacron": "cron",
    "atd": "cron",
    "systemd": "systemd",
}


@attrs.frozen
class RuntimeContext:
    """Where the process seems to run.

    Attributes:
        kinds: Detected contexts, most specific first: ``lambda``, ``ecs``,
            ``eks``, ``ci``, ``ec2``, ``container``, ``sudo``, ``cron``,
            ``systemd``. Empty means a workstation (``primary`` is ``laptop``).
        ci_name: The CI system's name when ``ci`` was detected.
        evidence: What each detection rests on (variable or file names, and
            non-secret values such as the DMI vendor string).
        instance_id: The EC2 instance id, when the DMI board asset tag gives it.
        sudo_user: The user who ran ``sudo``, when ``sudo`` was detected.
        pid1_vars: Names of ``AWS_CONTAINER_*`` variables set in the environment
            of PID 1 (the container's main process), when it is readable; ``None``
            when it is not.
    """

    kinds: tuple[str, ...]
    ci_name: str | None = None
    evidence: Mapping[str, str] = attrs.field(factory=dict)
    instance_id: str | None = None
    sudo_user: str | None = None
    pid1_vars: tuple[str, ...] | None = None

    @property
    def primary(self) -> str:
        """The most specific detected context."""
        return self.kinds[0] if self.kinds else "laptop"

    def has(self, kind: str) -> bool:
        """Tell whether *kind* was detected."""
        return kind in self.kinds

    @property
    def on_aws_compute(self) -> bool:
        """Whether there is evidence of EC2, ECS, EKS or Lambda."""
        return bool({"ec2", "ecs", "eks", "lambda"} & set(self.kinds))


_CI_VARS = (
    ("GITHUB_ACTIONS", "GitHub Actions"),
    ("GITLAB_CI", "GitLab CI"),
    ("CIRCLECI", "CircleCI"),
    ("JENKINS_URL", "Jenkins"),
    ("BUILDKITE", "Buildkite"),
    ("CODEBUILD_BUILD_ID", "AWS CodeBuild"),
    ("BITBUCKET_BUILD_NUMBER", "Bitbucket Pipelines"),
    ("TF_BUILD", "Azure Pipelines"),
    ("TRAVIS", "Travis CI"),
    ("TEAMCITY_VERSION", "TeamCity"),
    ("DRONE", "Drone"),
    ("SEMAPHORE", "Semaphore"),
    ("APPVEYOR", "AppVeyor"),
    ("BITRISE_IO", "Bitrise"),
    ("CI", "CI"),
)


def _read(root: str, relative: str, limit: int = 65536) -> str | None:
    """Return the text of ``root/relative``, or ``None`` if it cannot be read."""
    try:
        with open(os.path.join(root, relative), "rb") as handle:
            return handle.read(limit).decode("utf-8", "replace")
    except (OSError, ValueError):
        return None


def _exists(root: str, relative: str) -> bool:
    try:
        return os.path.exists(os.path.join(root, relative))
    except (OSError, ValueError):
        return False


def detect(  # noqa: C901  (one check per kind of evidence)
    environ: Mapping[str, str], *, root: str | None = None, ppid: int | None = None
) -> RuntimeContext:
    """Detect the runtime context from *environ* and well-known local files.

    Args:
        environ: The environment to read (a snapshot of ``os.environ``).
        root: Read evidence files under this directory instead of :data:`ROOT`.
        ppid: The parent process id whose command name is read (default:
            ``os.getppid()``).
    """
    root = ROOT if root is None else root
    kinds: list[str] = []
    evidence: dict[str, str] = {}

    # Lambda: the runtime sets these for every function.
    if environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        kinds.append("lambda")
        evidence["lambda"] = "AWS_LAMBDA_FUNCTION_NAME"
    elif environ.get("AWS_EXECUTION_ENV", "").startswith("AWS_Lambda_"):
        kinds.append("lambda")
        evidence["lambda"] = "AWS_EXECUTION_ENV"

    # ECS: the agent injects the task metadata endpoint and AWS_EXECUTION_ENV.
    for var in ("ECS_CONTAINER_METADATA_URI_V4", "ECS_CONTAINER_METADATA_URI"):
        if environ.get(var):
            kinds.append("ecs")
            evidence["ecs"] = var
            break
    else:
        if environ.get("AWS_EXECUTION_ENV", "").startswith("AWS_ECS_"):
            kinds.append("ecs")
            evidence["ecs"] = "AWS_EXECUTION_ENV"

    ec2_evidence, instance_id = _ec2_evidence(root)

    # Kubernetes: the service host variable, or a mounted service-account dir.
    k8s = None
    if environ.get("KUBERNETES_SERVICE_HOST"):
        k8s = "KUBERNETES_SERVICE_HOST"
    elif _exists(root, _K8S_SA_DIR):
        k8s = "/" + _K8S_SA_DIR
    if k8s is not None:
        kinds.append("eks")
        evidence["eks"] = k8s
        for token_dir in (IRSA_TOKEN_DIR, POD_IDENTITY_TOKEN_DIR):
            if _exists(root, token_dir):
                evidence["eks_token_dir"] = "/" + token_dir

    ci_name = None
    for var, name in _CI_VARS:
        if environ.get(var):
            kinds.append("ci")
            ci_name = name
            evidence["ci"] = var
            break

    if ec2_evidence is not None:
        kinds.append("ec2")
        evidence["ec2"] = ec2_evidence

    container = _container_evidence(environ, root)
    if container is not None:
        kinds.append("container")
        evidence["container"] = container

    sudo_user = environ.get("SUDO_USER") or None
    if sudo_user or environ.get("SUDO_UID"):
        kinds.append("sudo")
        evidence["sudo"] = "SUDO_USER" if sudo_user else "SUDO_UID"

    scheduler = _scheduler_evidence(environ, root, ppid)
    if scheduler is not None:
        kind, why = scheduler
        kinds.append(kind)
        evidence[kind] = why

    return RuntimeContext(
        kinds=tuple(kinds),
        ci_name=ci_name,
        evidence=evidence,
        instance_id=instance_id,
        sudo_user=sudo_user,
        pid1_vars=pid1_container_vars(root),
    )


def _ec2_evidence(root: str) -> tuple[str | None, str | None]:
    """Return (what shows this is EC2, the instance id if known)."""
    vendor = (_read(root, f"{_DMI}/sys_vendor") or "").strip()
    asset_tag = (_read(root, f"{_DMI}/board_asset_tag") or "").strip()
    instance_id = asset_tag if asset_tag.startswith("i-") else None
    if vendor == "Amazon EC2":
        return f"{_DMI}/sys_vendor = {vendor!r}", instance_id
    bios = (_read(root, f"{_DMI}/bios_vendor") or "").strip()
    if bios == "Amazon EC2":
        return f"{_DMI}/bios_vendor = {bios!r}", instance_id
    for path in (f"{_DMI}/product_uuid", "sys/hypervisor/uuid"):
        uuid = (_read(root, path) or "").strip()
        if uuid[:3].lower() == "ec2":
            return f"{path} starts with 'ec2'", instance_id
    if instance_id is not None:
        return f"{_DMI}/board_asset_tag is an instance id", instance_id
    return None, None


def _container_evidence(environ: Mapping[str, str], root: str) -> str | None:
    for marker in (".dockerenv", "run/.containerenv"):
        if _exists(root, marker):
            return "/" + marker
    cgroup = _read(root, "proc/1/cgroup") or ""
    for line in cgroup.splitlines():
        path = line.rsplit(":", 1)[-1]
        if any(m in path for m in _CONTAINER_CGROUP_MARKERS):
            return "/proc/1/cgroup"
    if environ.get("container"):
        return "container"
    return None


def _scheduler_evidence(
    environ: Mapping[str, str], root: str, ppid: int | None
) -> tuple[str, str] | None:
    if ppid is None:
        try:
            ppid = os.getppid()
        except OSError:  # pragma: no cover
            ppid = 0
    comm = (_read(root, f"proc/{ppid}/comm", 256) or "").strip() if ppid else ""
    if comm in _SCHEDULERS:
        return _SCHEDULERS[comm], f"parent process {comm!r}"
    if environ.get("INVOCATION_ID"):
        # systemd sets INVOCATION_ID for every unit it starts (services, timers).
        return "systemd", "INVOCATION_ID"
    return None


def pid1_container_vars(root: str | None = None) -> tuple[str, ...] | None:
    """Names of ``AWS_CONTAINER_*`` variables in the environment of PID 1.

    In a container PID 1 is the main process, which received the variables the
    ECS agent or EKS injected. Only names are returned, never values. ``None`` when
    ``/proc/1/environ`` cannot be read (another user's process, no procfs).
    """
    root = ROOT if root is None else root
    text = _read(root, "proc/1/environ", 1 << 20)
    if text is None:
        return None
    names = []
    for entry in text.split("\0"):
        name = entry.split("=", 1)[0]
        if name.startswith("AWS_CONTAINER_"):
            names.append(name)
    return tuple(sorted(set(names)))
