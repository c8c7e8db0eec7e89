"""Explain the ``ec2-credentials-file``, ``boto-config`` sources.

Placeholder: uses the generic explanation until this module's explainer lands.
"""

from __future__ import annotations

from ._base import Explainer, generic_explain


#: The explainer of each METHOD this module covers.
EXPLAINERS: dict[str, Explainer] = {
    "ec2-credentials-file": generic_explain,
    "boto-config": generic_explain,
}
