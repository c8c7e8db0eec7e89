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
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

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
    code: str
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


def scan(files: list[tuple[str, bool, str]]) -> Scan:
    result = Scan()
    for module, is_package, text in files:
        tree = ast.parse(text, filename=module)
        bound: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign) and _is_define(node.value):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                call = node.value
                assert isinstance(call, ast.Call)
                bound.add(id(call))
                for target in targets:
                    if isinstance(target, ast.Name):
                        result.definitions.append(
                            Definition(_literal(call), module, node.lineno, target.id)
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
            if _is_define(node) and id(node) not in bound:
                assert isinstance(node, ast.Call)
                result.definitions.append(
                    Definition(_literal(node), module, node.lineno, None)
                )
    return result


def _literal(call: ast.Call) -> str:
    first = call.args[0] if call.args else None
    if first is None:
        first = next((k.value for k in call.keywords if k.arg == "code"), None)
    assert isinstance(first, ast.Constant)
    assert isinstance(first.value, str), "define() takes the code as a string literal"
    return first.value


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


def registry_of_a_fresh_process() -> dict[str, dict[str, str]]:
    """The registry exactly as ``credsafe explain`` sees it, untouched by tests."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            # what `credsafe explain CODE` imports before it looks a code up
            "import json, attrs, credsafe._cli\n"
            "from credsafe._codes import CODES, lookup\n"
            "lookup('env.partial')\n"
            "print(json.dumps({c: attrs.asdict(d) for c, d in CODES.items()}))",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    registry: dict[str, dict[str, str]] = json.loads(out.stdout)
    return registry


REGISTRY = registry_of_a_fresh_process()


class TestScan:
    """The scanner itself sees what it must (else every check below is vacuous)."""

    def test_finds_the_known_definitions(self) -> None:
        found = {(d.code, d.module, d.constant) for d in SCAN.definitions}
        assert ("env.partial", "credsafe._explain.env", "PARTIAL") in found
        assert ("chain.shadowed", "credsafe._replay", "SHADOWED") in found

    def test_finds_literal_uses(self) -> None:
        """``report.code != "generic.not_evaluated"`` in the replay is a use."""
        assert "generic.not_evaluated" in {u.code for u in SCAN.literal_uses}

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
                "SourceReport(code=LOCAL)\n",
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
        assert [d.code for d in result.definitions if d.constant is None] == ["x.unbound"]
        assert [u.code for u in result.literal_uses] == ["x.literal", "x.compared"]
        assert [u.code for u in result.computed_uses] == ["f'{m}.found'"]


class TestEveryCodeHasAnEntry:
    def test_every_definition_is_registered(self) -> None:
        """Each define() runs when credsafe is imported, so `explain` knows it."""
        missing = sorted(
            f"{d.code} ({d.module}:{d.line})" for d in SCAN.definitions if d.code not in REGISTRY
        )
        assert missing == []

    def test_the_registry_holds_only_defined_codes(self) -> None:
        """No entry is registered from anywhere but a define() in src/credsafe."""
        assert sorted(set(REGISTRY) - {d.code for d in SCAN.definitions}) == []

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
            assert text[-1] in ".)`", f"{code}: {field} is not a sentence: {text!r}"

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
        assert lookup("env.partial") == CodeDoc(**REGISTRY["env.partial"])

    def test_define_twice_differently_is_refused(self) -> None:
        code = "internal.test_only_duplicate"
        try:
            define(code, title="One.", why="One.", fix="One.")
            define(code, title="One.", why="One.", fix="One.")  # the same: fine
            with pytest.raises(ValueError, match="defined twice"):
                define(code, title="Two.", why="Two.", fix="Two.")
        finally:
            CODES.pop(code, None)
