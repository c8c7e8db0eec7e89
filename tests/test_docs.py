"""Every code example in docs/ runs, and the index of codes is complete.

How a fenced block in docs/*.md is treated depends on its language:

- ``python``: run with Sybil, in page order, one namespace per page. A block that
  starts with ``>>>`` is a doctest (ELLIPSIS and NORMALIZE_WHITESPACE on).
- ``console``: each ``$ command`` (continued by lines starting ``> ``, as a
  terminal shows a here-document) runs in bash with the test's hermetic HOME and
  environment, in a scratch directory; commands of one page share environment and
  directory like one terminal. The lines after a command are its expected output
  (stdout and stderr together, ``...`` matches anything, whitespace is
  normalised); a command shown without output must print nothing and exit 0.
- ``json``: must parse (a ``--8<-- "path"`` include: the file must parse).
- ``sh``, ``bash``, ``yaml``, ``ini``, ``dockerfile``, ``toml``, ``text``, ``hcl``
  and ``systemd``: shown, never run (commands for AWS, Docker, Kubernetes or CI
  that cannot run here). Every other language, and a block without one, fails.

Everything runs with the autouse ``hermetic`` fixture: a temporary HOME and no
AWS_* variables, IMDS on a closed loopback port.
"""

from __future__ import annotations

import doctest
import functools
import importlib.util
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from sybil import Document, Example, Sybil
from sybil.parsers.markdown import CodeBlockParser, PythonCodeBlockParser, SkipParser

DOCS = Path(__file__).resolve().parent.parent / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md"))

RUN = {"python", "console"}
CHECKED = {"json"}
SHOWN = {"sh", "bash", "yaml", "ini", "dockerfile", "toml", "text", "hcl", "systemd"}

FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
FENCE = re.compile(r"^(?P<indent> *)(?P<fence>```+|~~~+)(?P<info>[^\n`]*)$", re.MULTILINE)


_SHELL = """
cd "$CONSOLE_CWD" || exit 99
eval "$CONSOLE_COMMAND"
rc=$?
env -0 > "$CONSOLE_STATE/env"
pwd > "$CONSOLE_STATE/cwd"
exit $rc
"""


def _console_state(workdir: Path) -> tuple[dict[str, str], Path]:
    """The environment and directory left by the page's previous command."""
    state = workdir.parent / "console-state"
    if not state.exists():
        state.mkdir()
        env = dict(os.environ)
        path = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        env.update(PATH=path, PYTHONIOENCODING="utf-8", COLUMNS="200")
        return env, workdir
    raw = (state / "env").read_bytes().split(b"\0")
    env = dict(item.decode().split("=", 1) for item in raw if b"=" in item)
    return env, Path((state / "cwd").read_text().strip())


def run_console(example: Example) -> str | None:
    """Run each ``$ command`` of a console block and compare its output.

    Commands of one page share their environment and working directory, as in
    one terminal: ``export``, ``unset`` and ``cd`` carry over to the next command.
    """
    workdir: Path = example.namespace["__console_dir__"]
    commands: list[tuple[str, list[str]]] = []
    for line in str(example.parsed).splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif (line.startswith("> ") or line == ">") and commands and not commands[-1][1]:
            commands[-1] = (commands[-1][0] + "\n" + line[2:], [])
        elif commands:
            commands[-1][1].append(line)
        elif line.strip():
            return f"console block must start with '$ ': {line!r}"
    checker = doctest.OutputChecker()
    for command, expected_lines in commands:
        env, cwd = _console_state(workdir)
        env.update(
            CONSOLE_CWD=str(cwd),
            CONSOLE_COMMAND=command,
            CONSOLE_STATE=str(workdir.parent / "console-state"),
        )
        done = subprocess.run(
            ["bash", "--norc", "--noprofile", "-c", _SHELL],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=120,
            check=False,
        )
        got = done.stdout.strip() + "\n"
        expected = "\n".join(expected_lines).strip() + "\n"
        if not expected.strip():
            if done.stdout.strip() or done.returncode != 0:
                return f"$ {command}\nexited {done.returncode}:\n{done.stdout}"
            continue
        if not checker.check_output(expected, got, FLAGS):
            return f"$ {command}\nexpected:\n{expected}\ngot:\n{got}"
    return None


def check_json(example: Example) -> str | None:
    """A JSON block parses; a snippet include (``--8<-- "path"``) names a JSON file."""
    text = str(example.parsed)
    include = re.fullmatch(r'\s*--8<-- "(?P<path>[^"]+)"\s*', text)
    if include:
        path = DOCS.parent / include["path"]
        if not path.is_file():
            return f"included file {include['path']} does not exist"
        text = path.read_text(encoding="utf-8")
    try:
        json.loads(text)
    except ValueError as exc:
        return f"not JSON: {exc}"
    return None


SYBIL = Sybil(
    parsers=[
        PythonCodeBlockParser(doctest_optionflags=FLAGS),
        CodeBlockParser(language="console", evaluator=run_console),
        CodeBlockParser(language="json", evaluator=check_json),
        SkipParser(),
    ],
    path=str(DOCS),
    patterns=["*.md", "**/*.md"],
)


def page_id(path: Path) -> str:
    return path.relative_to(DOCS).as_posix()


@pytest.fixture
def page_dir(tmp_path: Path) -> Iterator[Path]:
    """A scratch directory for the page; the environment is restored afterwards."""
    work = tmp_path / "work"
    work.mkdir()
    old = Path.cwd()
    environ = dict(os.environ)
    os.chdir(work)
    try:
        yield work
    finally:
        os.chdir(old)
        os.environ.clear()
        os.environ.update(environ)


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_examples_run(path: Path, page_dir: Path) -> None:
    """Each page's examples, in order, as a reader would run them."""
    document: Document = SYBIL.parse(path)
    document.namespace["__console_dir__"] = page_dir
    for example in document:
        example.evaluate()


def fences(text: str) -> Iterator[tuple[int, str]]:
    """``(line, language)`` of every fenced block opening in *text*."""
    inside: str | None = None
    for match in FENCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if inside is None:
            inside = match["fence"]
            yield line, match["info"].strip().split(" ")[0].lstrip(".").lower()
        elif match["fence"].startswith(inside) and not match["info"].strip():
            inside = None


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_every_block_declares_how_it_is_tested(path: Path) -> None:
    """A block is run, checked, or explicitly shown-only: never silently skipped."""
    unknown = [
        f"{page_id(path)}:{line}: {language or '(no language)'}"
        for line, language in fences(path.read_text(encoding="utf-8"))
        if language not in RUN | CHECKED | SHOWN
    ]
    assert unknown == []


def test_fence_scanner() -> None:
    text = "a\n```python\nx = 1\n```\n\n````text\n```\n````\n```\nplain\n```\n"
    assert list(fences(text)) == [(2, "python"), (6, "text"), (9, "")]


def test_console_runner_fails_on_wrong_output(page_dir: Path) -> None:
    """The console runner is not vacuous."""
    good = Example.__new__(Example)
    good.parsed = "$ echo hello\nhello\n"  # type: ignore[attr-defined]
    good.namespace = {"__console_dir__": page_dir}  # type: ignore[attr-defined]
    assert run_console(good) is None
    good.parsed = "$ echo hello\ngoodbye\n"  # type: ignore[attr-defined]
    assert "expected:" in (run_console(good) or "")
    good.parsed = "$ false\n"  # type: ignore[attr-defined]
    assert "exited 1" in (run_console(good) or "")
    good.parsed = (  # type: ignore[attr-defined]
        "$ export GREETING=hi\n$ mkdir sub && cd sub\n"
        "$ cat > f.txt <<'EOF'\n> line one\n> EOF\n"
        "$ echo $GREETING; cat f.txt; basename $PWD\nhi\nline one\nsub\n"
        "$ unset GREETING\n$ echo ${GREETING:-gone}\ngone\n"
    )
    assert run_console(good) is None


# --- the index of codes ----------------------------------------------------------


def load_hooks() -> Any:
    spec = importlib.util.spec_from_file_location("credsafe_docs_hooks", DOCS / "_hooks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HOOKS = load_hooks()


@functools.cache
def all_examples() -> dict[str, Any]:
    """The examples of the build's scenarios (harvested once: it takes seconds)."""
    return dict(HOOKS.harvest())


def test_index_has_every_code() -> None:
    """The generated index has an entry, with its anchor, for every registered code."""
    codes = HOOKS.registry()
    examples = HOOKS.harvest(HOOKS.SCENARIOS[:3])
    page = HOOKS.render_index(codes, examples)
    for code, doc in codes.items():
        assert f"### `{code}` {{#{code}}}" in page
        assert f"| [`{code}`](#{code}) |" in page
        assert HOOKS._text(doc.why) in page
    assert "env.partial" in examples


def test_index_escapes_text() -> None:
    """Angle brackets and masked key ids cannot turn into HTML or Markdown."""
    assert HOOKS._text("export X=<name> `a<b`") == "export X=&lt;name&gt; <code>a&lt;b</code>"


def test_examples_come_from_real_diagnoses() -> None:
    """The build's scenarios give examples; none holds a secret or an unknown code.

    This is also the runtime half of the registry check (tests/test_codes.py):
    every code that ~120 real diagnoses emit, in any report, root cause, advice
    or finding behind a skipped source, has an entry.
    """
    examples = all_examples()
    assert {"env.partial", "env.found", "chain.shadowed"} <= set(examples)
    assert sorted(set(examples) - set(HOOKS.registry())) == []
    text = repr(examples)
    assert HOOKS._SECRET not in text
    assert HOOKS._KEY not in text
    for token in ("aoaEXAMPLE", "EXAMPLEREFRESH", "EXAMPLECLIENTSECRET", "IQoJb3J"):
        assert token not in text  # SSO, refresh and session tokens of the scenarios
    assert "credsafe-docs-" not in text  # the temporary HOME is shown as ~


def test_every_code_has_an_example_or_a_reason() -> None:
    """Issue #9: every code shows a real message, unless NO_EXAMPLE says why not.

    The allow-list only shrinks: a listed code that gets an example, or that is
    no longer registered, fails too.
    """
    codes = set(HOOKS.registry())
    examples = set(all_examples())
    allowed = set(HOOKS.NO_EXAMPLE)
    assert sorted(codes - examples - allowed) == []
    assert sorted(allowed & examples) == []
    assert sorted(allowed - codes) == []
    assert all(reason.strip() for reason in HOOKS.NO_EXAMPLE.values())
    # The allow-list stays the exception.
    assert len(allowed) <= len(codes) // 5


def test_index_says_why_a_code_has_no_example() -> None:
    codes = HOOKS.registry()
    page = HOOKS.render_index(codes, {})
    code = next(iter(HOOKS.NO_EXAMPLE))
    entry = page.split(f"### `{code}`", 1)[1].split("### ", 1)[0]
    assert "No example:" in entry


def test_harvest_restores_the_environment() -> None:
    """The build's scenarios leave the environment and credsafe's logger as found."""
    before = dict(os.environ)
    HOOKS.harvest(HOOKS.SCENARIOS[:2])
    assert dict(os.environ) == before
    assert not logging.getLogger("credsafe").disabled


def test_nav_drops_missing_pages_and_lists_new_ones(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# a")
    (tmp_path / "new.md").write_text("# new")

    class Config:
        docs_dir = str(tmp_path)
        nav: ClassVar[Any] = [{"A": "a.md"}, {"Group": [{"Gone": "gone.md"}]}, {"B": "b.md"}]

    config = HOOKS.on_config(Config())
    assert config.nav == [{"A": "a.md"}, {"More": ["new.md"]}]


def test_codes_page_keeps_its_marker() -> None:
    assert HOOKS.MARKER in (DOCS / HOOKS.CODES_PAGE).read_text(encoding="utf-8")


def test_api_reference_covers_the_public_api() -> None:
    """Every public name of credsafe has its entry in the API reference."""
    import credsafe

    text = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    missing = [
        name
        for name in credsafe.__all__
        if name != "__version__" and f"::: credsafe.{name}\n" not in text
    ]
    assert missing == []
