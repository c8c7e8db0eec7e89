"""One explainer per credential source, keyed by botocore's provider ``METHOD``.

Each module defines ``EXPLAINERS``, a mapping from the METHOD names it covers to its
explainer. A source without an entry gets :func:`~._base.generic_explain`, which
reports a correct status from what the provider did, without knowledge of its
inputs; a provider the application inserted gets :func:`~._base.custom_explain`.
"""

from __future__ import annotations

from . import (
    assume_role,
    container,
    env,
    files,
    imds,
    legacy,
    login,
    process,
    sso,
    web_identity,
)
from ._base import Explainer, ReplayContext, custom_explain, generic_explain

#: The explainer of each of botocore's own sources.
EXPLAINERS: dict[str, Explainer] = {env.METHOD: env.explain}
for _module in (
    assume_role,
    web_identity,
    sso,
    files,
    login,
    process,
    legacy,
    container,
    imds,
):
    EXPLAINERS.update(_module.EXPLAINERS)
del _module

#: botocore's own provider METHOD names, in chain order.
BOTOCORE_METHODS: tuple[str, ...] = (
    "env",
    "assume-role",
    "assume-role-with-web-identity",
    "sso",
    "shared-credentials-file",
    "login",
    "custom-process",
    "config-file",
    "ec2-credentials-file",
    "boto-config",
    "container-role",
    "iam-role",
)


def explainer_for(method: str) -> Explainer:
    """Return the explainer of *method*: its own, the generic one, or the custom one."""
    if method in EXPLAINERS:
        return EXPLAINERS[method]
    if method in BOTOCORE_METHODS:
        return generic_explain
    return custom_explain


__all__ = [
    "BOTOCORE_METHODS",
    "EXPLAINERS",
    "Explainer",
    "ReplayContext",
    "explainer_for",
]
