"""The registry of diagnosis codes is complete and has no dead entries.

Issue #9: "A test fails if the library can emit a code that has no entry, or an
entry exists for a code nothing emits." Codes are added by many modules, so the
checks read the source rather than a hand-kept list:

1. Every ``define("...")`` in ``src/credsafe`` is in the registry that
   ``credsafe explain`` reads, and the registry holds nothing else.
2. Every string literal used as a code (``code="..."`` in any call, such as
   ``SourceReport(...)`` or ``attrs.evolve(...)``, or compared with ``.code``) is
   registered. Codes are never built with f-strings or ``+``, so nothing escapes 2.
3. Every constant bound to ``define(...)`` is used somewhere besides its
   definition, and every ``define`` is bound to a constant or its code is used as
   a literal: an entry nothing can emit fails.
4. Every entry is documented (title, why, fix) and is named after its source.

At run time, tests/test_docs.py checks that every code emitted by the ~120 real
diagnoses the docs build makes is registered, and tests/test_schema.py does the
same for the diagnoses it validates.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import attrs
import pytest

from credsafe import _cli
from credsafe._codes import CODES, CodeDoc, define, lookup
from credsafe._explain import BOTOCORE_METHODS

SRC = Path(__file__).resolve().parent.parent / "src" / "credsafe"

#: Prefixes of codes that describe no single botocore source.
CROSS_CUTTING = (
    "advice",
    "chain",
    "custom",
    "explicit",
    "generic",
    "internal",
    "rejected",  # credentials found but refused by AWS (credsafe._rejected)
    "verify",  # `credsafe doctor --verify` (credsafe._verify)
)


@attrs.frozen
class Definition:
    """A ``define()`` call, or a call of a helper that calls ``define()``.

    ``code`` is ``None`` when the helper builds the code (``f"{method}.found"``);
    the registry of a fresh process then tells which codes the helper defined.
    """

    code: str | None
    module: str
    line: int
    constant: str | None


@attrs.frozen
class CodeUse:
    code: str
    module: str
    line: int


@attrs.define
class Scan:
    """What the AST of ``src/credsafe`` says about codes."""

    definitions: list[Definition] = attrs.Factory(list)
    # (module, line) of each define() call whose code is built, not a literal
    dynamic_sites: set[tuple[str, int]] = attrs.Factory(set)
    literal_uses: list[CodeUse] = attrs.Factory(list)
    computed_uses: list[CodeUse] = attrs.Factory(list)
    # module -> names loaded in it (bare names, and attributes such as env.FOUND)
    names: dict[str, set[str]] = attrs.Factory(lambda: defaultdict(set))
    attributes: dict[str, set[str]] = attrs.Factory(lambda: defaultdict(set))
    # module -> {name: module it was imported from}
    imported: dict[str, dict[str, str]] = attrs.Factory(lambda: defaultdict(dict))


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_define(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "define") or (
        isinstance(func, ast.Attribute) and func.attr == "define"
    )


def _is_code_attribute(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "code"


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    # a package's __init__ is named after the package itself
    package = base if is_package else base[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join([*package, *([node.module] if node.module else [])])


def source_files() -> list[tuple[str, bool, str]]:
    """``(module, is_package, text)`` of every module of credsafe."""
    return [
        (_module_name(path), path.name == "__init__.py", path.read_text(encoding="utf-8"))
        for path in sorted(SRC.rglob("*.py"))
    ]


def _definers(tree: ast.Module) -> set[str]:
    """Functions of a module that call define() with a built code."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
            _is_define(inner) and _literal(inner) is None  # type: ignore[arg-type]
            for inner in ast.walk(node)
        ):
            names.add(node.name)
    return names


def _is_definer_call(node: ast.AST, definers: set[str]) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in definers
    )


def scan(files: list[tuple[str, bool, str]]) -> Scan:
    result = Scan()
    for module, is_package, text in files:
        tree = ast.parse(text, filename=module)
        definers = _definers(tree)
        constants = _string_constants(tree)
        bound: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None and (
                _is_define(node.value) or _is_definer_call(node.value, definers)
            ):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                call = node.value
                assert isinstance(call, ast.Call)
                bound.add(id(call))
                code = _literal(call, constants) if _is_define(call) else None
                if _is_define(call) and code is None:
                    result.dynamic_sites.add((module, call.lineno))
                for target in targets:
                    if isinstance(target, ast.Name):
                        result.definitions.append(
                            Definition(code, module, node.lineno, target.id)
                        )
            elif isinstance(node, ast.ImportFrom):
                origin = _resolve(module, is_package, node)
                for alias in node.names:
                    result.imported[module][alias.asname or alias.name] = origin
                    # `from .env import FOUND` uses FOUND of that module
                    result.attributes[module].add(f"{origin}:{alias.name}")
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                result.names[module].add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                result.attributes[module].add(node.attr)
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "code":
                        _record_use(result, module, keyword.value)
            if isinstance(node, ast.Compare):
                sides = [node.left, *node.comparators]
                if any(_is_code_attribute(side) for side in sides):
                    for side in sides:
                        _record_use(result, module, side)
        for node in ast.walk(tree):
            if not _is_define(node) or id(node) in bound:
                continue
            assert isinstance(node, ast.Call)
            code = _literal(node, constants)
            if code is None:
                result.dynamic_sites.add((module, node.lineno))
            else:
                result.definitions.append(Definition(code, module, node.lineno, None))
    return result


def _literal(call: ast.Call, constants: dict[str, str] | None = None) -> str | None:
    """The code a define() call registers, or ``None`` if it is built at run time.

    An f-string of module-level string constants (``f"{METHOD}.found"``) counts
    as a literal.
    """
    first = call.args[0] if call.args else None
    if first is None:
        first = next((k.value for k in call.keywords if k.arg == "code"), None)
    return _evaluate(first, constants or {})


def _evaluate(node: ast.AST | None, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                if value.format_spec is not None or value.conversion != -1:
                    return None
                part = _evaluate(value.value, constants)
            else:
                part = _evaluate(value, constants)
            if part is None:
                return None
            parts.append(part)
        return "".join(parts)
    return None


def _string_constants(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"`` assignments."""
    constants = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            constants[node.targets[0].id] = node.value.value
    return constants


def _record_use(result: Scan, module: str, value: ast.AST) -> None:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        result.literal_uses.append(CodeUse(value.value, module, value.lineno))
    elif isinstance(value, ast.JoinedStr | ast.BinOp):
        result.computed_uses.append(CodeUse(ast.unparse(value), module, value.lineno))


def unused_constants(result: Scan) -> list[str]:
    """Constants bound to define() that no module reads."""
    unused = []
    for d in result.definitions:
        if d.constant is None:
            continue
        here = d.constant in result.names[d.module]
        imported = any(
            f"{d.module}:{d.constant}" in names and d.constant in result.names[m]
            for m, names in result.attributes.items()
        )
        as_attribute = any(
            d.constant in names and m != d.module for m, names in result.attributes.items()
        )
        if not (here or imported or as_attribute):
            unused.append(f"{d.constant} = {d.code!r} ({d.module}:{d.line})")
    return unused


SCAN = scan(source_files())


_PROBE = """
import json, sys, attrs
sites = {}
def profile(frame, event, arg):
    if (event == "call" and frame.f_code.co_name == "define"
            and frame.f_globals.get("__name__") == "credsafe._codes"):
        caller = frame.f_back
        sites[frame.f_locals["code"]] = [caller.f_globals["__name__"], caller.f_lineno]
sys.setprofile(profile)
import credsafe._cli  # what `credsafe explain CODE` imports before it looks a code up
from credsafe._codes import CODES, lookup
lookup("env.partial")
sys.setprofile(None)
print(json.dumps({c: {**attrs.asdict(d), "site": sites.get(c)} for c, d in CODES.items()}))
"""


def registry_of_a_fresh_process() -> dict[str, dict[str, Any]]:
    """The registry exactly as ``credsafe explain`` sees it, and where each code was
    defined (module and line of the ``define()`` call), untouched by tests."""
    out = subprocess.run(
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    registry: dict[str, dict[str, Any]] = json.loads(out.stdout.splitlines()[-1])
    return registry


REGISTRY = registry_of_a_fresh_process()


class TestScan:
    """The scanner itself sees what it must (else every check below is vacuous)."""

    def test_finds_the_known_definitions(self) -> None:
        found = {(d.code, d.module, d.constant) for d in SCAN.definitions}
        assert ("env.partial", "credsafe._explain.env", "PARTIAL") in found
        assert ("chain.shadowed", "credsafe._replay", "SHADOWED") in found

    def test_finds_literal_uses(self) -> None:
        """``report.code == "chain.not_consulted"`` in the renderer is a use."""
        assert "chain.not_consulted" in {u.code for u in SCAN.literal_uses}

    def test_sees_problems_in_a_made_up_package(self) -> None:
        """Dead constants, literal and computed codes, in modules that import each other."""
        files = [
            ("pkg", True, "from .a import VIA_IMPORT\nuse(VIA_IMPORT)\n"),
            (
                "pkg.a",
                False,
                "DEAD = define('x.dead', title='t', why='w', fix='f')\n"
                "LOCAL = define('x.local', title='t', why='w', fix='f')\n"
                "VIA_IMPORT = define('x.via_import', title='t', why='w', fix='f')\n"
                "VIA_ATTR = define('x.via_attr', title='t', why='w', fix='f')\n"
                "define('x.unbound', title='t', why='w', fix='f')\n"
                "SourceReport(code=LOCAL)\n"
                "M = 'x'\n"
                "FROM_CONSTANT = define(f'{M}.const', title='t', why='w', fix='f')\n"
                "def _both(s):\n"
                "    return {m: define(f'{m}.{s}', title='t', why='w', fix='f') for m in 'ab'}\n"
                "HELPED = _both('found')\n"
                "use(FROM_CONSTANT, HELPED['a'])\n",
            ),
            (
                "pkg.b",
                False,
                "from . import a\n"
                "from .a import DEAD\n"  # imported but never read
                "SourceReport(code=a.VIA_ATTR)\n"
                "attrs.evolve(r, code='x.literal')\n"
                "attrs.evolve(r, code=f'{m}.found')\n"
                "if r.code == 'x.compared': pass\n",
            ),
        ]
        result = scan(files)
        assert unused_constants(result) == ["DEAD = 'x.dead' (pkg.a:1)"]
        assert ("x.const", "FROM_CONSTANT") in {(d.code, d.constant) for d in result.definitions}
        assert (None, "HELPED") in {(d.code, d.constant) for d in result.definitions}
        assert result.dynamic_sites == {("pkg.a", 10)}
        assert [d.code for d in result.definitions if d.constant is None] == ["x.unbound"]
        assert [u.code for u in result.literal_uses] == ["x.literal", "x.compared"]
        assert [u.code for u in result.computed_uses] == ["f'{m}.found'"]


class TestEveryCodeHasAnEntry:
    def test_every_definition_is_registered(self) -> None:
        """Each define() runs when credsafe is imported, so `explain` knows it."""
        missing = sorted(
            f"{d.code} ({d.module}:{d.line})"
            for d in SCAN.definitions
            if d.code is not None and d.code not in REGISTRY
        )
        assert missing == []

    def test_the_registry_holds_only_defined_codes(self) -> None:
        """Every entry comes from a define() in src/credsafe that the scan sees."""
        literal = {d.code for d in SCAN.definitions}
        stray = sorted(
            f"{code} (defined at {entry['site']})"
            for code, entry in REGISTRY.items()
            if code not in literal
            and tuple(entry["site"] or ()) not in SCAN.dynamic_sites
        )
        assert stray == []

    def test_every_literal_code_is_registered(self) -> None:
        """A code written as a string literal must have an entry."""
        unregistered = sorted(
            f"{u.code} ({u.module}:{u.line})" for u in SCAN.literal_uses if u.code not in REGISTRY
        )
        assert unregistered == []

    def test_no_code_is_computed(self) -> None:
        """Codes built with f-strings or + would escape these checks."""
        assert [f"{u.code} ({u.module}:{u.line})" for u in SCAN.computed_uses] == []

    def test_each_code_is_defined_once(self) -> None:
        where = defaultdict(list)
        for d in SCAN.definitions:
            if d.code is not None:
                where[d.code].append(f"{d.module}:{d.line}")
        assert {c: w for c, w in where.items() if len(w) > 1} == {}


class TestEveryEntryIsEmitted:
    def test_every_constant_is_used(self) -> None:
        """A constant bound to define() that nothing reads is a code nothing emits."""
        assert unused_constants(SCAN) == []

    def test_every_unbound_definition_is_used_as_a_literal(self) -> None:
        """A define() not bound to a name must be emitted through its literal."""
        literals = {u.code for u in SCAN.literal_uses}
        dead = sorted(
            f"{d.code} ({d.module}:{d.line})"
            for d in SCAN.definitions
            if d.constant is None and d.code not in literals
        )
        assert dead == []


class TestEntries:
    @pytest.mark.parametrize("code", sorted(REGISTRY))
    def test_is_documented(self, code: str) -> None:
        """Title, why and fix are sentences, and the code names its source."""
        doc = REGISTRY[code]
        source, _, finding = code.partition(".")
        assert source in (*BOTOCORE_METHODS, *CROSS_CUTTING), (
            f"{code}: codes start with a provider METHOD or one of {CROSS_CUTTING}"
        )
        assert finding
        assert finding == finding.lower()
        for field in ("title", "why", "fix"):
            text = doc[field].strip()
            assert text, f"{code}: empty {field}"
            assert text[-1] in ".)`'\"", f"{code}: {field} is not a sentence: {text!r}"

    @pytest.mark.parametrize("code", sorted(REGISTRY))
    def test_explain_prints_it(self, code: str, capsys: pytest.CaptureFixture[str]) -> None:
        """`credsafe explain CODE` reads the same text."""
        assert _cli.main(["explain", code]) == 0
        out = capsys.readouterr().out
        assert REGISTRY[code]["title"] in out
        assert REGISTRY[code]["fix"] in out

    def test_explain_unknown(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert _cli.main(["explain", "env.no_such_code"]) == 2
        assert "unknown code" in capsys.readouterr().err

    def test_lookup_imports_every_explainer(self) -> None:
        entry = {k: v for k, v in REGISTRY["env.partial"].items() if k != "site"}
        assert lookup("env.partial") == CodeDoc(**entry)

    def test_define_twice_differently_is_refused(self) -> None:
        code = "internal.test_only_duplicate"
        try:
            define(code, title="One.", why="One.", fix="One.")
            define(code, title="One.", why="One.", fix="One.")  # the same: fine
            with pytest.raises(ValueError, match="defined twice"):
                define(code, title="Two.", why="Two.", fix="Two.")
        finally:
            CODES.pop(code, None)
