"""credsafe: turn ``Unable to locate credentials`` into a precise diagnosis.

The public API is small::

    from credsafe import Session      # a drop-in boto3.Session
    credsafe.wrap(client)             # instrument objects created elsewhere
    credsafe.diagnose()               # the diagnosis, without a failure
    credsafe.enable_success_trace()   # log which source supplied credentials
"""

from __future__ import annotations

from ._log import enable_success_trace
from ._model import Diagnosis, Outcome, ProfileInfo, SourceReport, Status
from ._session import Session, diagnose, wrap
from ._version import __version__
from .exceptions import CredsafeError

for _obj in (
    Diagnosis,
    Outcome,
    ProfileInfo,
    SourceReport,
    Status,
    Session,
    diagnose,
    enable_success_trace,
    wrap,
):
    _obj.__module__ = __name__  # tracebacks and docs show credsafe.Session
del _obj

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
