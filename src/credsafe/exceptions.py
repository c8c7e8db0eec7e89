"""credsafe's exceptions.

Every exception credsafe raises is an instance of :class:`CredsafeError` *and* of
the class the caller would have caught without credsafe::

    Exception
     +-- CredsafeError                        (never raised directly)
          +-- credsafe.exceptions.NoCredentialsError
          |       also a botocore.exceptions.NoCredentialsError
          +-- credsafe.exceptions.PartialCredentialsError
          |       also a botocore.exceptions.PartialCredentialsError
          +-- ... one per botocore class that credsafe enriches
          +-- credsafe.exceptions.FileNotFoundError
                  also a builtins.FileNotFoundError (and so an OSError)

So ``except NoCredentialsError:`` keeps working, and ``except CredsafeError:``
catches every enriched failure. An enriched exception:

- keeps the original's ``args``, ``kwargs`` and attributes;
- starts its message with the original message, then adds the root cause, its fix,
  and one line per credential source;
- chains the original as ``__cause__``;
- carries the :class:`~credsafe.Diagnosis` as ``.diagnosis``.

credsafe never subclasses ``botocore.exceptions.ClientError``: waiters and
s3transfer treat a ``ClientError`` as a response.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._model import Diagnosis


class CredsafeError(Exception):
    """Root of every credsafe exception; never raised directly.

    Attributes:
        diagnosis: The per-source diagnosis of the credential failure.
    """

    diagnosis: Diagnosis
    _credsafe_message: str

    def __str__(self) -> str:
        message: str | None = getattr(self, "_credsafe_message", None)
        if message is None:
            return super().__str__()
        return message

    def __repr__(self) -> str:
        # BaseException's repr shows ``args``: botocore's original message, which
        # may quote a secret (credential_process stderr). Show the redacted
        # first line of the diagnosed message instead.
        message: str | None = getattr(self, "_credsafe_message", None)
        if message is None:
            return super().__repr__()
        return f"{type(self).__name__}({message.split(chr(10), 1)[0]!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        original = type(self).__mro__[1]
        state = dict(self.__dict__)
        return (_rebuild, (original, self.args, state))


def _rebuild(
    original: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]
) -> BaseException:
    cls = enriched_class(original)
    exc = cls.__new__(cls, *args)
    exc.args = args
    exc.__dict__.update(state)
    return exc


_CLASSES: dict[type[BaseException], type[CredsafeError]] = {}
_LOCK = threading.Lock()


def enriched_class(original: type[BaseException]) -> type[CredsafeError]:
    """Return the credsafe subclass of *original* (created once, then cached).

    The subclass has the same name, lives in ``credsafe.exceptions`` and derives
    from both *original* and :class:`CredsafeError`.
    """
    if issubclass(original, CredsafeError):
        return original
    with _LOCK:
        cls = _CLASSES.get(original)
        if cls is None:
            cls = type(
                original.__name__,
                (original, CredsafeError),
                {
                    # Defined here too: the original class (KeyError, OSError,
                    # BotoCoreError) comes first in the MRO and has its own.
                    "__str__": CredsafeError.__str__,
                    "__repr__": CredsafeError.__repr__,
                    "__reduce__": CredsafeError.__reduce__,
                    "__module__": __name__,
                    "__qualname__": original.__name__,
                    "__doc__": f"A diagnosed :class:`{original.__module__}."
                    f"{original.__qualname__}`.",
                },
            )
            _CLASSES[original] = cls
    return cls


def build(
    original: BaseException,
    diagnosis: Diagnosis,
    message: str,
    *,
    as_class: type[BaseException] | None = None,
) -> CredsafeError:
    """Create the enriched counterpart of *original*.

    Args:
        original: The exception botocore raised.
        diagnosis: Its diagnosis.
        message: The full text ``str()`` of the new exception returns.
        as_class: Raise as this class instead of ``type(original)`` (used to turn
            the ``AttributeError`` of a presigned POST into ``NoCredentialsError``).
    """
    base = as_class or type(original)
    cls = enriched_class(base)
    if as_class is None:
        exc = cls.__new__(cls, *original.args)
        exc.args = original.args
        exc.__dict__.update(getattr(original, "__dict__", {}))
        for attr in ("errno", "strerror", "filename", "filename2"):
            if hasattr(original, attr):
                with contextlib.suppress(AttributeError, TypeError):
                    setattr(exc, attr, getattr(original, attr))
    else:
        exc = cls()
    exc.diagnosis = diagnosis
    exc._credsafe_message = message
    return exc


__all__ = ["CredsafeError"]
