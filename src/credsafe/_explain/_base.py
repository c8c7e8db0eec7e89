"""What every explainer receives, and the generic explanation of any source.

An explainer is a function ``(ctx, provider, attempt) -> SourceReport``:

- *ctx* is the :class:`ReplayContext` of the diagnosis (the botocore session, an
  environment snapshot, the profile, the recorded resolution, the time budget).
- *provider* is the provider instance of a fresh resolver built the way the session
  builds its own, or ``None`` when it could not be built. Explainers read its
  attributes; they never call ``load()`` on anything that could run a process, call
  STS/SSO or write a file.
- *attempt* is what the provider really did: from the recorded resolution when there
  is one, else from a safe replay, else ``None`` (not consulted).

The status of a report describes the source itself; the replay turns it into
``skipped`` or ``shadowed`` for sources that the chain never reached.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Callable, Mapping
from typing import IO, Any

import attrs

from .._codes import define
from .._context import RuntimeContext
from .._model import ProfileInfo, SourceReport, Status
from .._recording import Attempt, Resolution
from .._redact import redact_text


@attrs.define
class ReplayContext:
    """Everything an explainer may read about the diagnosed environment.

    Attributes:
        session: The botocore session whose chain is diagnosed.
        environ: A snapshot of ``os.environ`` taken when the diagnosis started.
        profile: The profile name and where it came from.
        explicit_profile: Whether the profile was set on the session itself (this
            removes the environment provider from botocore's chain).
        resolution: The recorded resolution, when the original one was instrumented.
        trigger: The exception that started the diagnosis, if any.
        network: Whether probes of IMDS and container endpoints are allowed.
        deadline: ``time.monotonic()`` value by which all probes must be done.
        runtime: The detected runtime context.
        secrets: Secret values met during the diagnosis, to redact from any text.
        explicit: The credential arguments passed in code
            (:class:`~credsafe._explain.explicit.ExplicitArgs`), if any.
        stopped_by: The METHOD of the first source that supplied credentials or
            stopped the chain, once the replay has met it; later sources are
            never probed.
        key_ids: The masked access key id of the credentials each source supplied
            in the replay or the recorded resolution, by ``METHOD``.
    """

    session: Any
    environ: Mapping[str, str]
    profile: ProfileInfo
    explicit_profile: bool
    resolution: Resolution | None = None
    trigger: BaseException | None = None
    network: bool = True
    deadline: float = attrs.field(factory=lambda: time.monotonic() + 2.0)
    runtime: RuntimeContext = attrs.field(factory=lambda: RuntimeContext(kinds=()))
    secrets: set[str] = attrs.field(factory=set)
    explicit: Any = None
    stopped_by: str | None = None
    key_ids: dict[str, str] = attrs.field(factory=dict)
    _full_config: Any = attrs.field(default=None, alias="_full_config")
    _full_config_error: BaseException | None = attrs.field(
        default=None, alias="_full_config_error"
    )
    _full_config_loaded: bool = attrs.field(default=False, alias="_full_config_loaded")

    def remaining(self) -> float:
        """Seconds left in the probe budget (never negative)."""
        return max(0.0, self.deadline - time.monotonic())

    def full_config(self) -> Mapping[str, Any] | None:
        """Return botocore's merged ``full_config``, or ``None`` if it cannot be read.

        The error, if any, is kept in :meth:`full_config_error`.
        """
        if not self._full_config_loaded:
            self._full_config_loaded = True
            try:
                self._full_config = self.session.full_config
            except Exception as exc:
                self._full_config_error = exc
        return self._full_config  # type: ignore[no-any-return]

    def full_config_error(self) -> BaseException | None:
        """The exception raised while reading ``full_config``, if any."""
        self.full_config()
        return self._full_config_error

    def profile_config(self) -> Mapping[str, Any]:
        """The merged settings of the diagnosed profile (empty if unreadable)."""
        config = self.full_config() or {}
        profiles = config.get("profiles", {}) or {}
        value = profiles.get(self.profile.name, {})
        return value if isinstance(value, Mapping) else {}

    def redact(self, text: str) -> str:
        """Remove secrets met so far, key ids and secret-looking runs from *text*."""
        return redact_text(text, self.secrets)

    def expand_path(self, path: str) -> str:
        """Expand ``~`` and ``$VAR`` in *path* the way botocore does for its files."""
        return os.path.expanduser(os.path.expandvars(path))


Explainer = Callable[[ReplayContext, Any, Attempt | None], SourceReport]


def special_file(path: str) -> bool:
    """Whether *path* names a FIFO, a device or a socket (following symlinks).

    Reading one could block forever (a FIFO without a writer) or never end
    (``/dev/urandom``): the diagnosis never opens them. A path that does not
    exist or cannot be stat'ed (a symlink loop) is not special: opening it fails
    at once.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def open_regular(path: str, mode: str = "r", **kwargs: Any) -> IO[Any]:
    """``open(path, mode)`` for reading, but only a regular file.

    The file is opened without blocking and checked with ``fstat`` before any
    read, so a FIFO or a device in place of a file raises :class:`OSError` at
    once instead of blocking the diagnosis or reading without end.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        _check_regular(fd, path)
        os.set_blocking(fd, True)
        return open(fd, mode, **kwargs)
    except BaseException:
        os.close(fd)
        raise


def _check_regular(fd: int, path: str) -> None:
    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "Not a regular file", path)


def error_text(ctx: ReplayContext, exc: BaseException) -> str:
    """``ClassName: message`` of *exc*, redacted and on one line."""
    message = ctx.redact(str(exc)).replace("\n", " ").strip()
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


GENERIC_FOUND = define(
    "generic.found",
    title="This source supplied the credentials.",
    why="botocore walks its providers in order and the first one that returns "
    "credentials wins.",
    fix="Nothing to fix.",
)
GENERIC_NONE = define(
    "generic.no_credentials",
    title="This source was consulted and gave no credentials.",
    why="The provider found nothing it could use and botocore moved on to the next "
    "one.",
    fix="Only relevant if you meant this source to supply credentials; see its "
    "documentation.",
)
GENERIC_RAISED = define(
    "generic.raised",
    title="This source raised an error, which stopped botocore's chain.",
    why="botocore stops walking the chain at the first provider that raises, so no "
    "later source is consulted.",
    fix="Correct the configuration the error names, or remove it if this source "
    "was not meant to be used.",
)
GENERIC_NOT_RUN = define(
    "generic.not_evaluated",
    title="This source was not evaluated by the diagnosis.",
    why="Evaluating it could run a process, call AWS or contact a network endpoint, "
    "which the diagnosis never does on its own.",
    fix="Run `credsafe doctor` for a full evaluation.",
)
CUSTOM_SOURCE = define(
    "custom.provider",
    title="A credential provider that the application added to botocore's chain.",
    why="Applications may insert their own providers into botocore's resolver; "
    "credsafe reports them by their METHOD name but cannot know what they read.",
    fix="See the documentation of the code that inserted the provider.",
)

# Exceptions that mean the source is set up wrongly, by class name (so that classes
# missing from older botocore releases need no import).
_MISCONFIGURED = frozenset(
    {
        "PartialCredentialsError",
        "InvalidConfigError",
        "InfiniteLoopConfigError",
        "ProfileNotFound",
        "ConfigParseError",
        "ConfigNotFound",
        "InvalidIMDSEndpointError",
        "InvalidIMDSEndpointModeError",
        "MissingDependencyException",
        "ParserError",
        "ValueError",
    }
)


def status_for_error(exc: BaseException) -> Status:
    """Map an exception a provider raised to a status, by its class."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    if "PartialCredentialsError" in names or "InvalidConfigError" in names:
        return Status.MISCONFIGURED
    if type(exc).__name__ in _MISCONFIGURED:
        return Status.MISCONFIGURED
    if names & {"ConnectTimeoutError", "ReadTimeoutError", "EndpointConnectionError"}:
        return Status.UNREACHABLE
    return Status.FAILED


GENERIC_NOT_CONFIGURED = define(
    "generic.not_configured",
    title="Nothing is set up for this source.",
    why="The setting that turns this source on (a profile key or an environment "
    "variable) is absent, so botocore skips it.",
    fix="Nothing to fix, unless you meant this source to supply credentials.",
)


def _trigger(ctx: ReplayContext, method: str) -> str | None:
    """The setting that turns *method* on, if it is present; ``None`` if absent.

    Returns ``"?"`` for sources that cannot be judged statically.
    """
    profile = ctx.profile_config()
    env = ctx.environ
    if method == "assume-role":
        if "role_arn" in profile and "web_identity_token_file" not in profile:
            return "role_arn"
        return None
    if method == "custom-process":
        return "credential_process" if "credential_process" in profile else None
    if method == "login":
        return "login_session" if "login_session" in profile else None
    if method == "container-role":
        for name in (
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        ):
            if name in env:
                return name
        return None
    return "?"


def generic_explain(
    ctx: ReplayContext, provider: Any, attempt: Attempt | None
) -> SourceReport:
    """Explain any source from what it did, without knowledge of its inputs."""
    method = _method_of(provider, attempt)
    duration = None if attempt is None else attempt.duration_ms
    if (attempt is None or attempt.result == "none") and _trigger(ctx, method) is None:
        return SourceReport(
            source=method,
            status=Status.NOT_CONFIGURED,
            code=GENERIC_NOT_CONFIGURED,
            summary=f"{method}: nothing is set up for it in profile "
            f"{ctx.profile.name!r} or the environment.",
            duration_ms=duration,
        )
    if attempt is None:
        return SourceReport(
            source=method,
            status=Status.SKIPPED,
            code=GENERIC_NOT_RUN,
            summary=f"{method}: not evaluated (it may run a process or call a "
            "network endpoint).",
        )
    if attempt.result == "found":
        return SourceReport(
            source=method,
            status=Status.FOUND,
            code=GENERIC_FOUND,
            summary=f"{method} supplied the credentials.",
            duration_ms=duration,
        )
    if attempt.result == "raised" and attempt.error is not None:
        return SourceReport(
            source=method,
            status=status_for_error(attempt.error),
            code=GENERIC_RAISED,
            summary=f"{method} raised {error_text(ctx, attempt.error)}",
            hints=(
                "This error stopped botocore's chain: no later source was consulted.",
            ),
            duration_ms=duration,
            details={"exception": type(attempt.error).__name__},
        )
    return SourceReport(
        source=method,
        status=Status.NOT_CONFIGURED,
        code=GENERIC_NONE,
        summary=f"{method} was consulted and gave no credentials.",
        duration_ms=duration,
    )


def custom_explain(
    ctx: ReplayContext, provider: Any, attempt: Attempt | None
) -> SourceReport:
    """Explain a provider inserted by the application, by its METHOD name."""
    report = generic_explain(ctx, provider, attempt)
    method = report.source
    kind = type(provider).__name__ if provider is not None else "unknown"
    if attempt is None:
        summary = (
            f"{method}: a provider added by the application ({kind}); not evaluated."
        )
        status = Status.SKIPPED
    else:
        summary = f"{method}: a provider added by the application ({kind}); " + (
            report.summary.split(": ", 1)[-1]
            if attempt.result != "none"
            else "it gave no credentials."
        )
        status = report.status
    return attrs.evolve(
        report,
        code=CUSTOM_SOURCE,
        status=status,
        summary=summary,
        details={**report.details, "provider_class": kind},
    )


def _method_of(provider: Any, attempt: Attempt | None) -> str:
    if attempt is not None:
        return attempt.method
    return str(getattr(provider, "METHOD", type(provider).__name__))


def make_report(
    source: str,
    attempt: Attempt | None,
    status: Status,
    code: str,
    summary: str,
    hints: tuple[str, ...] = (),
    *,
    stops: bool = False,
    **details: Any,
) -> SourceReport:
    """Build a source's report; *stops* predicts that botocore stops the chain here.

    The prediction matters only when the source was not run (``attempt is None``):
    a real attempt already says whether it stopped the chain.
    """
    if stops and attempt is None:
        details["stops_chain"] = True
    return SourceReport(
        source=source,
        status=status,
        code=code,
        summary=summary,
        hints=hints,
        duration_ms=None if attempt is None else attempt.duration_ms,
        details=details,
    )


def error_to_explain(
    ctx: ReplayContext, attempt: Attempt | None
) -> tuple[BaseException | None, bool]:
    """The error a source's explainer should explain, and whether it came at call time.

    The error the provider raised during the resolution, or else, when the provider
    supplied (deferred) credentials, the trigger raised when they were first used
    (an STS or SSO error, a missing token file): ``(error, True)``.
    """
    if attempt is None:
        return None, False
    if attempt.result == "raised":
        return attempt.error, False
    trigger = ctx.trigger
    if (
        attempt.result == "found"
        and trigger is not None
        and type(trigger).__name__ != "NoCredentialsError"
    ):
        return trigger, True
    return None, False
