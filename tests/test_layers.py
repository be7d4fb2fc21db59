"""The one-way rule (docs/architecture.md): a module imports only layers below its own, so any
room can be read, tested and changed without the ones above it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# generators' tables (the function table, the symbols, the task table) sit below the numerics,
# the problem constructors above them; the package root re-exports the API lazily (top).
LAYERS = [
    {"symseq.io", "symseq.version"},
    {"symseq.sandbox"},
    {"symseq.exec"},
    {"generators.functions", "generators.symbols", "generators.tasks"},
    {"symseq.numerics"},
    {"generators"},
    {"symseq.domain"},
    {"symseq.lang"},
    {"symseq.data"},
    {"symseq.nn"},
    {"symseq.solve"},
    {"symseq.bench", "symseq.serve"},
    {"symseq.cli", "symseq.__main__"},
    {"symseq"},
]


def _layer(module: str) -> int:
    """The layer of a dotted module name: its longest prefix named in LAYERS."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        for i, layer in enumerate(LAYERS):
            if prefix in layer:
                return i
    raise AssertionError(f"{module} is in no layer")


def _imports(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{a.name}" for a in node.names] if node.module in ("symseq", "generators") \
                else [node.module]
            out += names
        elif isinstance(node, ast.Import):
            out += [a.name for a in node.names]
    return [m for m in out if m.split(".")[0] in ("symseq", "generators")]


def test_no_module_imports_a_layer_above_its_own():
    upward = []
    for path in sorted([*ROOT.joinpath("symseq").rglob("*.py"), *ROOT.joinpath("generators").rglob("*.py")]):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        own = _layer(module)
        upward += [f"{module} -> {m}" for m in _imports(path)
                   if not (m.startswith(module + ".") or m == module) and _layer(m) > own]
    assert upward == []


def test_no_module_is_over_350_lines():
    long = {str(p.relative_to(ROOT)): n for p in [*ROOT.joinpath("symseq").rglob("*.py"),
                                                 *ROOT.joinpath("generators").rglob("*.py")]
            if (n := len(p.read_text().splitlines())) > 350}
    assert long == {}
