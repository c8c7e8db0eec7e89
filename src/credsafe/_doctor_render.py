"""The human output of ``credsafe doctor``, and the region facts it shows.

The order is fixed: the verdict in one line; then, when credentials are found, the
source that supplies them, the masked access key id, the region and the profile
with where each came from, and the sources the winner shadows; when they are not,
the root cause and its fix first. Then every source in chain order with a status
mark, its summary and, for problems, its hints.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, TextIO

import attrs

from ._model import PROBLEM_STATUSES, Diagnosis, Outcome, SourceReport, Status
from ._render import mark


@attrs.frozen
class RegionInfo:
    """The region a client of the diagnosed session would use, and its origin.

    Attributes:
        name: The region, or ``None`` when none is configured.
        origin: Where it came from, in words (``from AWS_DEFAULT_REGION``,
            ``from the config file ~/.aws/config, profile 'dev'``), or why it is
            missing.
        notes: Things worth knowing, such as an ``AWS_REGION`` that boto3 ignores.
    """

    name: str | None
    origin: str
    notes: tuple[str, ...] = ()


def region_info(session: Any, environ: Mapping[str, str]) -> RegionInfo:
    """Find the region botocore resolves for *session*, asking its own config chain.

    Walks the providers of botocore's ``region`` setting (instance variable,
    environment variable, profile) in order, so the origin is what botocore itself
    uses; reads files only.
    """
    notes: list[str] = []
    try:
        store = session.get_component("config_store")
        overrides = getattr(store, "_overrides", {})
        if "region" in overrides:
            return RegionInfo(str(overrides["region"]), "set on the session")
        chain = store.get_config_provider("region")
    except Exception as exc:
        return RegionInfo(None, f"unknown: botocore raised {type(exc).__name__}")
    providers = list(getattr(chain, "_providers", [chain]))
    env_names = [
        str(getattr(p, "_name", ""))
        for p in providers
        if type(p).__name__ == "EnvironmentProvider"
    ]
    result: RegionInfo | None = None
    for provider in providers:
        try:
            value = provider.provide()
        except Exception as exc:
            profile = getattr(exc, "kwargs", {}).get("profile")
            result = RegionInfo(
                None,
                f"unknown: the profile {profile!r} does not exist"
                if type(exc).__name__ == "ProfileNotFound" and profile
                else f"unknown: reading the profile raised {type(exc).__name__}",
            )
            break
        if value is None:
            continue
        result = _region_from(session, provider, str(value))
        break
    if result is None:
        result = RegionInfo(
            None,
            "not set: clients need region_name=, AWS_DEFAULT_REGION or "
            "`region = ...` in the profile",
        )
    aws_region = environ.get("AWS_REGION")
    if aws_region and "AWS_REGION" not in env_names and aws_region != result.name:
        notes.append(
            f"AWS_REGION={aws_region} is set, but boto3 ignores it: it reads "
            f"AWS_DEFAULT_REGION (`export AWS_DEFAULT_REGION={aws_region}`)."
        )
    return attrs.evolve(result, notes=(*result.notes, *notes))


def _region_from(session: Any, provider: Any, value: str) -> RegionInfo:
    kind = type(provider).__name__
    if kind == "InstanceVarProvider":
        return RegionInfo(value, "set on the session")
    if kind == "EnvironmentProvider":
        name = str(getattr(provider, "_name", "the environment"))
        if not value:
            return RegionInfo(
                None,
                f"{name} is set but empty, so clients have no region",
                notes=(f"Give {name} a value, or `unset {name}`.",),
            )
        return RegionInfo(value, f"from {name}")
    if kind == "ScopedConfigProvider":
        return RegionInfo(value, _profile_file_origin(session))
    return RegionInfo(value, f"from {kind}")


def _profile_file_origin(session: Any) -> str:
    """Say which file of the profile sets ``region``: the credentials file wins."""
    from botocore.configloader import raw_config_parse  # noqa: PLC0415

    profile = str(session.get_config_variable("profile") or "default")
    try:
        creds_path = str(session.get_config_variable("credentials_file"))
        if "region" in (raw_config_parse(creds_path).get(profile) or {}):
            return (
                f"from the credentials file {os.path.expanduser(creds_path)}, "
                f"profile {profile!r}"
            )
    except Exception:  # no credentials file: the config file set it
        pass
    config_path = str(session.get_config_variable("config_file") or "~/.aws/config")
    path = os.path.expanduser(config_path)
    return f"from the config file {path}, profile {profile!r}"


# ANSI styles, used only when colour is on.
_RESET = "\033[0m"
_STYLES = {
    "good": "\033[32m",
    "bad": "\033[31m",
    "warn": "\033[33m",
    "dim": "\033[2m",
    "bold": "\033[1m",
}
_STATUS_STYLE = {
    Status.FOUND: "good",
    Status.NOT_CONFIGURED: "dim",
    Status.MISCONFIGURED: "bad",
    Status.UNREACHABLE: "bad",
    Status.FAILED: "bad",
    Status.SKIPPED: "dim",
    Status.SHADOWED: "warn",
}
_PROFILE_ORIGINS = {
    "argument": "from --profile",
    "AWS_DEFAULT_PROFILE": "from AWS_DEFAULT_PROFILE",
    "AWS_PROFILE": "from AWS_PROFILE",
    "default": "no profile was chosen",
}


def use_color(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (no-color.org)."""
    if environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except Exception:
        return False


@attrs.frozen
class _Painter:
    color: bool

    def __call__(self, style: str, text: str) -> str:
        if not self.color or not text:
            return text
        return f"{_STYLES[style]}{text}{_RESET}"


@attrs.frozen
class VerifyView:
    """What ``--verify`` learnt, ready to render.

    Attributes:
        ok: Whether AWS accepted the credentials.
        code: The diagnosis code of a rejection or failure, if credsafe has one
            (``credsafe explain`` documents it).
        summary: One sentence.
        facts: ``(label, value)`` pairs: account, ARN, user id.
        hints: Concrete fixes when AWS rejected the credentials.
    """

    ok: bool
    code: str | None
    summary: str
    facts: tuple[tuple[str, str], ...] = ()
    hints: tuple[str, ...] = ()


def render(
    diagnosis: Diagnosis,
    region: RegionInfo,
    *,
    color: bool = False,
    verify: VerifyView | None = None,
    probed: bool = True,
) -> str:
    """Return the human output of ``credsafe doctor`` for *diagnosis*.

    After the sources comes the security advice, if any (it never changes the
    outcome or the exit status).

    *probed* is ``False`` under ``--no-network``: the verdict then does not claim
    that no source at all supplies credentials.
    """
    paint = _Painter(color)
    lines = [_verdict(diagnosis, paint, probed=probed)]
    if diagnosis.outcome is Outcome.FOUND:
        lines.extend(_found_block(diagnosis, region, paint))
    else:
        lines.extend(_root_block(diagnosis, paint))
        lines.extend(_context_lines(diagnosis, region))
    if verify is not None:
        lines.extend(_verify_lines(verify, paint))
    lines.append("")
    lines.append(paint("bold", "Sources, in botocore's order:"))
    width = max((len(r.source) for r in diagnosis.sources), default=0)
    for report in diagnosis.sources:
        lines.extend(_source_lines(report, width, paint))
    advice = getattr(diagnosis, "advice", ())
    if advice:
        lines.append("")
        lines.append(paint("bold", "Advice (never changes the outcome):"))
        for item in advice:
            where = f"[{item.source}] " if item.source else ""
            lines.append(
                f"  {paint('warn', f'{item.severity:<8}')} {where}{item.summary}"
            )
            lines.extend(f"           fix: {hint}" for hint in item.hints)
            lines.append(f"           code: {item.code}")
    lines.append("")
    lines.append(
        paint(
            "dim",
            "ok found  -- not configured  !! broken  ~~ shadowed  .. skipped; "
            "`credsafe explain CODE` documents a code.",
        )
    )
    return "\n".join(lines)


def render_partial(diagnosis: Diagnosis | None, facts: tuple[str, ...]) -> str:
    """Plain lines of what is known when rendering or the diagnosis crashed."""
    lines = list(facts)
    if diagnosis is not None:
        lines.append(f"outcome: {diagnosis.outcome.value}")
        if diagnosis.resolved_by:
            lines.append(f"credentials from: {diagnosis.resolved_by}")
        lines.extend(
            f"  {mark(r.status)} {r.source}: {r.status.value}: {r.summary} ({r.code})"
            for r in diagnosis.sources
        )
    return "\n".join(lines)


def profile_text(diagnosis: Diagnosis) -> str:
    """``'dev' (from AWS_PROFILE)``."""
    profile = diagnosis.profile
    origin = _PROFILE_ORIGINS.get(profile.origin, f"from {profile.origin}")
    return f"{profile.name!r} ({origin})"


def region_text(region: RegionInfo) -> str:
    """``eu-west-1 (from AWS_DEFAULT_REGION)`` or why there is none."""
    if region.name is None:
        return region.origin
    return f"{region.name} ({region.origin})"


def _problems(diagnosis: Diagnosis) -> list[SourceReport]:
    return [r for r in diagnosis.sources if r.status in PROBLEM_STATUSES]


def _fetched(report: SourceReport) -> bool:
    """Whether the diagnosis really loaded the credentials of *report*.

    Sources that run a process or call AWS (credential_process, assume-role, SSO,
    web identity) are only predicted: their explainers mark them ``evaluated:
    false`` or ``deferred: true``, and no key id is known.
    """
    details = report.details
    if details.get("access_key_id"):
        return True
    return details.get("evaluated") is not False and not details.get("deferred")


def _verdict(diagnosis: Diagnosis, paint: _Painter, *, probed: bool) -> str:
    problems = _problems(diagnosis)
    if diagnosis.outcome is Outcome.FOUND:
        text = f"Credentials found: {diagnosis.resolved_by} supplies them"
        winner = diagnosis.source(diagnosis.resolved_by or "")
        if winner is not None and not _fetched(winner):
            text = (
                f"Credentials expected from {winner.source}: botocore selects it, "
                "and fetches the credentials when they are first used"
            )
        if problems:
            names = ", ".join(r.source for r in problems)
            count = (
                "1 source is" if len(problems) == 1 else f"{len(problems)} sources are"
            )
            return paint("warn", f"{text}, but {count} broken ({names}).")
        return paint("good", text + ".")
    root = diagnosis.root_cause
    if diagnosis.outcome is Outcome.ERROR and root is not None:
        if root.code == "generic.retrieval_failed":
            return paint(
                "bad",
                f"No usable credentials: {root.source} was selected, but fetching "
                "its credentials fails.",
            )
        return paint(
            "bad",
            f"No credentials: botocore stops at {root.source}, which is "
            f"{root.status.value.replace('_', ' ')}; no later source is tried.",
        )
    if root is not None and root.status in PROBLEM_STATUSES:
        return paint(
            "bad",
            f"No credentials: no source supplies any, and {root.source} is "
            f"{root.status.value.replace('_', ' ')}.",
        )
    if not probed:
        return paint(
            "bad",
            "No credentials: no source checked supplies any; the instance metadata "
            "and container endpoints were not probed (--no-network).",
        )
    return paint("bad", "No credentials: no source in botocore's chain supplies any.")


def _found_block(
    diagnosis: Diagnosis, region: RegionInfo, paint: _Painter
) -> list[str]:
    winner = diagnosis.source(diagnosis.resolved_by or "")
    lines: list[str] = []
    if winner is not None:
        lines.append(f"  source:      {winner.source}: {winner.summary}")
        key = winner.details.get("access_key_id")
        if key:
            lines.append(f"  access key:  {key}")
        elif not _fetched(winner):
            lines.append(
                "  access key:  not fetched: the diagnosis does not run processes or "
                "call AWS (--verify does)"
            )
        else:
            lines.append("  access key:  (not known to credsafe)")
    lines.append(f"  region:      {region_text(region)}")
    lines.extend(f"               note: {note}" for note in region.notes)
    lines.append(f"  profile:     {profile_text(diagnosis)}")
    shadowed = [r for r in diagnosis.sources if r.status is Status.SHADOWED]
    for report in shadowed:
        key = report.details.get("access_key_id")
        suffix = f" (key {key})" if key else ""
        lines.append(
            paint("warn", f"  shadows:     {report.source}{suffix}")
            + f": {report.summary}"
        )
    return lines


def _root_block(diagnosis: Diagnosis, paint: _Painter) -> list[str]:
    root = diagnosis.root_cause
    if root is None:
        return []
    lines = [paint("bold", f"  root cause:  [{root.source}] {root.summary}")]
    lines.extend(f"  fix:         {hint}" for hint in root.hints)
    lines.append(f"  more:        credsafe explain {root.code}")
    return lines


def _context_lines(diagnosis: Diagnosis, region: RegionInfo) -> list[str]:
    lines = [f"  profile:     {profile_text(diagnosis)}"]
    lines.append(f"  region:      {region_text(region)}")
    lines.extend(f"               note: {note}" for note in region.notes)
    return lines


def _verify_lines(verify: VerifyView, paint: _Painter) -> list[str]:
    style = "good" if verify.ok else "bad"
    lines = [paint(style, f"  verify:      {verify.summary}")]
    lines.extend(f"  {label + ':':<12} {value}" for label, value in verify.facts)
    lines.extend(f"  fix:         {hint}" for hint in verify.hints)
    if verify.code is not None:
        lines.append(f"  more:        credsafe explain {verify.code}")
    return lines


def _source_lines(report: SourceReport, width: int, paint: _Painter) -> list[str]:
    style = _STATUS_STYLE[report.status]
    head = (
        f"  {paint(style, mark(report.status))} {report.source:<{width}}  "
        f"{paint(style, f'{report.status.value:<15}')} {report.summary}"
    )
    lines = [head.rstrip()]
    if report.status in PROBLEM_STATUSES:
        indent = " " * (width + 7)
        lines.extend(f"{indent}fix: {hint}" for hint in report.hints)
        lines.append(f"{indent}code: {report.code}")
    return lines
