"""credsafe: turn ``Unable to locate credentials`` into a precise diagnosis.

The public API is small::

    from credsafe import Session      # a drop-in boto3.Session
    credsafe.wrap(client)             # instrument objects created elsewhere
    credsafe.diagnose()               # the diagnosis, without a failure
    credsafe.enable_success_trace()   # log which source supplied credentials
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._log import enable_success_trace
from ._session import Session, diagnose, wrap
from ._version import __version__
from .exceptions import CredsafeError

if TYPE_CHECKING:
    from ._model import Diagnosis, Outcome, ProfileInfo, SourceReport, Status

for _obj in (Session, diagnose, enable_success_trace, wrap):
    _obj.__module__ = __name__  # tracebacks and docs show credsafe.Session
del _obj

# The diagnosis model is imported on first use: it needs attrs, whose import
# alone costs more than 10% of `import boto3` (docs/performance.md).
_MODEL_NAMES = frozenset(
    {"Diagnosis", "Outcome", "ProfileInfo", "SourceReport", "Status"}
)


def __getattr__(name: str) -> Any:
    if name in _MODEL_NAMES:
        from . import _model  # noqa: PLC0415

        value = getattr(_model, name)
        value.__module__ = __name__
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _MODEL_NAMES)


__all__ = [
    "CredsafeError",
    "Diagnosis",
    "Outcome",
    "ProfileInfo",
    "Session",
    "SourceReport",
    "Status",
    "__version__",
    "diagnose",
    "enable_success_trace",
    "wrap",
]
