"""Detect where the code runs, from local evidence only (never the network).

The context decides which source the diagnosis should point at when nothing is
configured anywhere, and tailors the hints: on CI, the secrets to add; on EC2, the
instance profile; in ECS, the task role; in Lambda, the execution role.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs


@attrs.frozen
class RuntimeContext:
    """Where the process seems to run.

    Attributes:
        kinds: Detected contexts, most specific first: ``lambda``, ``ecs``,
            ``eks``, ``ec2``, ``container``, ``ci``, ``sudo``, ``cron``, ``laptop``.
        ci_name: The CI system's name when ``ci`` was detected.
        evidence: What each detection rests on (variable or file names, no values).
    """

    kinds: tuple[str, ...]
    ci_name: str | None = None
    evidence: Mapping[str, str] = attrs.field(factory=dict)

    @property
    def primary(self) -> str:
        """The most specific detected context."""
        return self.kinds[0] if self.kinds else "laptop"


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
    ("CI", "CI"),
)


def detect(environ: Mapping[str, str]) -> RuntimeContext:
    """Detect the runtime context from *environ* and well-known local files."""
    kinds: list[str] = []
    evidence: dict[str, str] = {}
    ci_name = None
    if environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        kinds.append("lambda")
        evidence["lambda"] = "AWS_LAMBDA_FUNCTION_NAME"
    if environ.get("ECS_CONTAINER_METADATA_URI_V4") or environ.get(
        "ECS_CONTAINER_METADATA_URI"
    ):
        kinds.append("ecs")
        evidence["ecs"] = "ECS_CONTAINER_METADATA_URI_V4"
    if environ.get("KUBERNETES_SERVICE_HOST"):
        kinds.append("eks")
        evidence["eks"] = "KUBERNETES_SERVICE_HOST"
    for var, name in _CI_VARS:
        if environ.get(var):
            kinds.append("ci")
            ci_name = name
            evidence["ci"] = var
            break
    if environ.get("SUDO_USER"):
        kinds.append("sudo")
        evidence["sudo"] = "SUDO_USER"
    return RuntimeContext(kinds=tuple(kinds), ci_name=ci_name, evidence=evidence)
