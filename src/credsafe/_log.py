"""Structured log events, through structlog; credsafe never configures logging."""

from __future__ import annotations

from typing import Any

import structlog

from ._model import Diagnosis


def _logger() -> Any:
    # Fetched at every use, like stamina: the application may configure structlog
    # after importing credsafe.
    return structlog.get_logger("credsafe")


def credential_failure(
    diagnosis: Diagnosis,
    *,
    exception: BaseException,
    service: str | None = None,
    operation: str | None = None,
) -> None:
    """Log one event per source consulted (debug) and one failure event (error)."""
    log = _logger()
    for report in diagnosis.sources:
        log.debug(
            "credsafe.source_consulted",
            source=report.source,
            status=report.status.value,
            code=report.code,
            duration_ms=(
                None if report.duration_ms is None else round(report.duration_ms, 3)
            ),
        )
    root = diagnosis.root_cause
    log.error(
        "credsafe.credentials_failed",
        outcome=diagnosis.outcome.value,
        root_source=None if root is None else root.source,
        root_status=None if root is None else root.status.value,
        root_code=None if root is None else root.code,
        root_summary=None if root is None else root.summary,
        profile=diagnosis.profile.name,
        profile_origin=diagnosis.profile.origin,
        exception=type(exception).__name__,
        service=service,
        operation=operation,
    )
