"""A line-aware reading of the shared AWS files, the way botocore's parser sees them.

botocore parses ``~/.aws/credentials`` and ``~/.aws/config`` with Python's
``configparser.RawConfigParser`` and reports every failure as ``Unable to parse
config file: <path>``. This module reads the same bytes with the same decoding and
the same line rules (section header, option line, continuation by indentation,
whole-line comments), so that the diagnosis can name ``path:line`` for every finding.

It never shows a secret: :func:`safe_line` prints a line with the value of any
secret-looking key replaced, and a bare token on its own as its length only.
"""

from __future__ import annotations

import configparser
import locale
import os
import re
import stat
import sys
from collections.abc import Mapping

import attrs

from .._redact import mask_key_id, redact_text
from ._base import open_regular

# The parser botocore uses, for its exact section and option patterns.
_PARSER = configparser.RawConfigParser()
_SECTCRE = _PARSER.SECTCRE
_OPTCRE: re.Pattern[str] = _PARSER._optcre  # type: ignore[attr-defined]
_COMMENT_PREFIXES = ("#", ";")

#: Keys whose values are secret: never printed.
SECRET_KEYS = frozenset(
    {
        "aws_secret_access_key",
        "aws_session_token",
        "aws_security_token",
    }
)
_SECRET_WORDS = ("secret", "token", "password", "passwd")
ACCESS_KEY = "aws_access_key_id"


def show_key_id(value: str) -> str:
    """A key id masked like the AWS CLI does; nothing of it if it looks like a secret.

    A 40-character mixed-case value in ``aws_access_key_id`` is a secret access
    key written in the wrong place: not even its last four characters are shown.
    """
    if len(value) >= 30 and any(c.islower() for c in value):
        return f"<{len(value)} characters, not shown>"
    return mask_key_id(value) or ""


def is_secret_key(key: str | None) -> bool:
    """Tell whether the value of *key* must never be printed."""
    if not key:
        return False
    name = key.strip().lower()
    if name.endswith("_file"):  # a path (web_identity_token_file), never a secret
        return False
    return name in SECRET_KEYS or any(word in name for word in _SECRET_WORDS)


def botocore_encoding() -> str:
    """The encoding botocore's parser uses: the locale's (``encoding=None``)."""
    if sys.flags.utf8_mode:
        return "utf-8"
    return locale.getpreferredencoding(do_setlocale=False)


@attrs.frozen
class Line:
    """One physical line of the file, classified as configparser would.

    Attributes:
        number: 1-based line number.
        text: The line without its line ending (may contain secrets: use
            :func:`safe_line` to show it).
        kind: ``blank``, ``comment``, ``section``, ``key``, ``continuation`` or
            ``invalid`` (no ``=`` or ``:``).
        section: The section the line belongs to (raw header text), if any.
        key: For ``key`` lines the (lower-cased) key; for ``continuation`` lines
            the key whose value they continue.
        indent: Number of leading whitespace characters.
    """

    number: int
    text: str
    kind: str
    section: str | None = None
    key: str | None = None
    indent: int = 0


@attrs.frozen
class Key:
    """One ``key = value`` of a section.

    Attributes:
        name: The key as botocore sees it (lower-cased, stripped).
        raw_name: The key as written.
        line: Its line number.
        value: The value on the key line (stripped; may be secret).
        continuation: Line numbers of the indented lines appended to the value.
    """

    name: str
    raw_name: str
    line: int
    value: str
    continuation: tuple[int, ...] = ()


@attrs.frozen
class Section:
    """One ``[header]`` of the file, with its keys in file order.

    Attributes:
        name: The header text as configparser stores it (``profile dev``).
        line: The line of the header.
        keys: The keys of this header occurrence.
    """

    name: str
    line: int
    keys: tuple[Key, ...] = ()

    def key(self, name: str) -> Key | None:
        """Return the key *name*, if present."""
        for key in self.keys:
            if key.name == name:
                return key
        return None


@attrs.frozen
class ParseProblem:
    """The first thing that makes configparser (or botocore) reject the file.

    Attributes:
        kind: ``bom``, ``decode``, ``key_before_section``, ``duplicate_section``,
            ``duplicate_key``, ``no_delimiter``, ``nested_without_equals`` or
            ``other``.
        line: 1-based line number, when known.
        detail: Extra facts (section, key, byte, encoding), never a secret.
    """

    kind: str
    line: int | None
    detail: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen
class Scan:
    """What is at a path, and what its lines are.

    Attributes:
        path: The expanded path.
        exists: Whether anything is at the path.
        is_dir: Whether it is a directory (botocore treats it as absent).
        special: What the path is when it is neither a regular file nor a
            directory (``a broken symbolic link``, ``a FIFO``, ...): botocore
            treats it as absent too.
        readable: Whether this process may read it (botocore reads an unreadable
            file as empty, silently).
        encoding: The encoding botocore decodes it with.
        lines: Every line, classified.
        sections: Every header occurrence, in file order.
        problem: The first parse problem, or ``None``.
    """

    path: str
    exists: bool = False
    is_dir: bool = False
    special: str | None = None
    readable: bool = False
    encoding: str = "utf-8"
    lines: tuple[Line, ...] = ()
    sections: tuple[Section, ...] = ()
    problem: ParseProblem | None = None

    @property
    def usable(self) -> bool:
        """Whether botocore would read sections from this file."""
        return self.exists and not self.is_dir and not self.special and self.readable

    def line(self, number: int | None) -> Line | None:
        """Return line *number* (1-based), if it exists."""
        if number is None or number < 1 or number > len(self.lines):
            return None
        return self.lines[number - 1]

    def section(self, name: str) -> Section | None:
        """Return the last occurrence of header *name* (the one botocore keeps)."""
        found = None
        for section in self.sections:
            if section.name == name:
                found = section
        return found

    def where(self, number: int | None) -> str:
        """``path:line`` (or the path alone when *number* is unknown)."""
        return self.path if number is None else f"{self.path}:{number}"


def scan(path: str) -> Scan:
    """Read the file at *path* (already expanded) the way botocore would."""
    if not os.path.lexists(path):
        return Scan(path=path)
    if os.path.isdir(path):
        return Scan(path=path, exists=True, is_dir=True)
    if not os.path.isfile(path):
        return Scan(path=path, exists=True, special=_special_kind(path))
    encoding = botocore_encoding()
    readable = os.access(path, os.R_OK)
    try:
        with open_regular(path, "rb") as handle:
            raw = handle.read(1_000_000)
    except OSError:
        return Scan(path=path, exists=True, readable=False, encoding=encoding)
    text, problem = _decode(raw, encoding)
    lines, sections, parse_problem = _classify(text)
    return Scan(
        path=path,
        exists=True,
        readable=readable,
        encoding=encoding,
        lines=lines,
        sections=sections,
        problem=problem or parse_problem,
    )


def _special_kind(path: str) -> str:
    if not os.path.exists(path):
        return "a broken symbolic link"
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "not a regular file"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _decode(raw: bytes, encoding: str) -> tuple[str, ParseProblem | None]:
    try:
        text = raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        start = getattr(exc, "start", 0)
        number = raw[:start].count(b"\n") + 1
        byte = raw[start : start + 1].hex() if start < len(raw) else ""
        text = raw.decode(encoding if _known(encoding) else "utf-8", "backslashreplace")
        return text, ParseProblem(
            kind="decode",
            line=number,
            detail={"encoding": encoding, "byte": f"0x{byte}" if byte else ""},
        )
    return text, None


def _known(encoding: str) -> bool:
    try:
        b"".decode(encoding)
    except LookupError:
        return False
    return True


def _split_lines(text: str) -> list[str]:
    # Universal newlines, as text-mode reading does: \r\n, \r and \n only.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _classify(  # noqa: C901, PLR0915  (mirrors configparser._read)
    text: str,
) -> tuple[tuple[Line, ...], tuple[Section, ...], ParseProblem | None]:
    lines: list[Line] = []
    sections: list[Section] = []
    fatal: ParseProblem | None = None  # raised at once by configparser
    deferred: ParseProblem | None = None  # collected, raised at the end
    seen_sections: set[str] = set()
    seen_keys: set[tuple[str, str]] = set()

    section: str | None = None
    keys: list[Key] = []
    header_line = 0
    option: Key | None = None
    indent_level = 0

    def close_section() -> None:
        if section is not None:
            flush_option()
            sections.append(Section(name=section, line=header_line, keys=tuple(keys)))

    def flush_option() -> None:
        nonlocal option
        if option is not None:
            keys.append(option)
            option = None

    def note(found: ParseProblem) -> None:
        nonlocal fatal
        if fatal is None:
            fatal = found

    def defer(found: ParseProblem) -> None:
        nonlocal deferred
        if deferred is None:
            deferred = found

    for number, line in enumerate(_split_lines(text), start=1):
        if number == 1 and line.startswith("\ufeff"):
            # configparser fails on line 1; read the rest as if the BOM were not
            # there, so that the profiles of the file can still be listed.
            note(ParseProblem("bom", 1))
            line = line[1:]  # noqa: PLW2901
        stripped = line.strip()
        is_comment = any(stripped.startswith(p) for p in _COMMENT_PREFIXES)
        value = "" if is_comment else stripped
        match_indent = re.search(r"\S", line)
        indent = match_indent.start() if match_indent else 0
        if not value:
            lines.append(
                Line(
                    number,
                    line,
                    "comment" if is_comment else "blank",
                    section,
                    option.name if option else None,
                    indent,
                )
            )
            continue
        if section is not None and option is not None and indent > indent_level:
            option = attrs.evolve(option, continuation=(*option.continuation, number))
            lines.append(
                Line(number, line, "continuation", section, option.name, indent)
            )
            continue
        indent_level = indent
        header = _SECTCRE.match(value)
        if header:
            close_section()
            name = header.group("header")
            if name in seen_sections and name != "DEFAULT":
                note(ParseProblem("duplicate_section", number, {"section": name}))
            seen_sections.add(name)
            section, keys, header_line, option = name, [], number, None
            lines.append(Line(number, line, "section", name, None, indent))
            continue
        if section is None:
            note(ParseProblem("key_before_section", number))
            lines.append(Line(number, line, "invalid", None, None, indent))
            continue
        opt = _OPTCRE.match(value)
        if not opt:
            defer(ParseProblem("no_delimiter", number, {"section": section}))
            lines.append(Line(number, line, "invalid", section, None, indent))
            continue
        flush_option()
        raw_name = opt.group("option").rstrip()
        if not raw_name:
            # `= value`: an error configparser reports at the end, and no key.
            defer(ParseProblem("no_delimiter", number, {"section": section}))
            if (section, "") in seen_keys:
                note(
                    ParseProblem(
                        "duplicate_key", number, {"section": section, "key": ""}
                    )
                )
            seen_keys.add((section, ""))
            lines.append(Line(number, line, "invalid", section, None, indent))
            continue
        name = raw_name.lower()
        if (section, name) in seen_keys:
            note(
                ParseProblem("duplicate_key", number, {"section": section, "key": name})
            )
        seen_keys.add((section, name))
        option = Key(
            name=name, raw_name=raw_name, line=number, value=opt.group("value").strip()
        )
        lines.append(Line(number, line, "key", section, name, indent))
    close_section()
    result = tuple(lines)
    problem = fatal or deferred or _nested_problem(result, tuple(sections))
    return result, tuple(sections), problem


def _nested_problem(
    lines: tuple[Line, ...], sections: tuple[Section, ...]
) -> ParseProblem | None:
    """The first indented line without ``=`` under an empty ``key =``.

    botocore parses such a block as nested ``a = b`` pairs and raises ``ValueError``
    (``ConfigParseError``) on a line without ``=``.
    """
    real = any(s.name != "DEFAULT" for s in sections)
    for section in sections:
        if section.name == "DEFAULT" and not real:
            continue  # [DEFAULT] values are only read through other sections
        for key in section.keys:
            if key.value or not key.continuation:
                continue
            for number in key.continuation:
                if "=" not in lines[number - 1].text:
                    return ParseProblem(
                        "nested_without_equals",
                        number,
                        {"section": section.name, "key": key.name},
                    )
    return None


def nested_pairs(scan_: Scan, key: Key) -> list[tuple[str, int]]:
    """For a ``key =`` with an indented block: the nested key names and lines."""
    pairs = []
    for number in key.continuation:
        text = scan_.lines[number - 1].text.strip()
        if "=" in text:
            pairs.append((text.split("=", 1)[0].strip(), number))
    return pairs


def safe_line(scan_: Scan, number: int | None, secrets: set[str] | None = None) -> str:
    """Line *number* of the file, fit to print: no secret value, ever.

    - ``key = value`` where the key is secret: ``key = <redacted>``; an access key
      id is masked like the AWS CLI masks it.
    - A continuation of a secret value: ``<redacted continuation of KEY>``.
    - A bare word of 16 characters or more on its own: its length only.
    - Anything else: the text, with anything that looks like a secret removed.
    """
    line = scan_.line(number)
    if line is None:
        return ""
    text = line.text.replace("\ufeff", "\\ufeff")
    pad = text[: len(text) - len(text.lstrip())]
    body = text.strip()
    if line.kind in ("blank", "section"):
        return redact_text(text, secrets or ())
    opt = _OPTCRE.match(body) if line.kind != "comment" else None
    if opt and opt.group("option"):
        raw_key = opt.group("option").rstrip()
        value = (opt.group("value") or "").strip()
        if is_secret_key(raw_key) or (
            line.kind == "continuation" and is_secret_key(line.key)
        ):
            shown = "<redacted>" if value else ""
        elif raw_key.strip().lower() == ACCESS_KEY and value:
            shown = show_key_id(value)
        else:
            shown = value
        return redact_text(
            f"{pad}{raw_key} {opt.group('vi')} {shown}".rstrip(), secrets or ()
        )
    if line.kind == "continuation" and is_secret_key(line.key):
        return f"{pad}<redacted continuation of {line.key}>"
    if len(body) >= 16 and " " not in body and line.kind != "comment":
        return f"{pad}<a {len(body)}-character value on its own line, not shown>"
    return redact_text(text, secrets or ())


def value_secrets(scan_: Scan) -> set[str]:
    """Every value of a secret key in the file (to redact from any text)."""
    found: set[str] = set()
    for section in scan_.sections:
        for key in section.keys:
            if is_secret_key(key.name) and key.value:
                found.add(key.value)
            if is_secret_key(key.name):
                for number in key.continuation:
                    found.add(scan_.lines[number - 1].text.strip())
    return {s for s in found if len(s) >= 4}
