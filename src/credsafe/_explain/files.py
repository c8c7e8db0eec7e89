"""Explain the ``shared-credentials-file``, ``config-file`` sources.

Placeholder: uses the generic explanation until this module's explainer lands.
"""

from __future__ import annotations

from ._base import Explainer, generic_explain


#: The explainer of each METHOD this module covers.
EXPLAINERS: dict[str, Explainer] = {
    "shared-credentials-file": generic_explain,
    "config-file": generic_explain,
}
