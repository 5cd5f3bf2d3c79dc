"""The structure drawn from the code's imports: no circles, and no layer importing one above it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "assess"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> dict[str, bool]:
    """The assess modules `path` imports, each with whether the import sits inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: dict[str, bool] = {}
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    nested = {id(n) for f in functions for n in ast.walk(f) if n is not f}
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from package import module` imports the submodule; `from module import name` the module.
            targets = [f"{base}.{alias.name}" if _is_module(f"{base}.{alias.name}") else base for alias in node.names]
        for target in targets:
            if target.startswith("assess"):
                found[target] = found.get(target, False) or id(node) in nested
    return found


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _graph() -> dict[str, dict[str, bool]]:
    return {_module_name(path): _imports(path) for path in PACKAGE.rglob("*.py")}


def _cycle(graph: dict[str, dict[str, bool]]) -> list[str] | None:
    """One import circle among the modules, if there is any (a module's package counts as imported with it)."""
    edges = {name: set(targets) for name, targets in graph.items()}
    for name in graph:  # importing a.b.c runs a/__init__ and a/b/__init__ first
        for target in list(edges[name]):
            parts = target.split(".")
            edges[name].update(".".join(parts[:i]) for i in range(1, len(parts)) if ".".join(parts[:i]) != name)
    for name in edges:  # a package's own __init__ is not a circle with the modules it imports from inside it
        edges[name] = {t for t in edges[name] if t in graph and not name.startswith(t + ".")}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_module_imports_another_inside_a_function_but_the_pdf_engine() -> None:
    """Function-level imports hide circles; the only ones allowed are third-party (WeasyPrint is loaded late)."""
    late = {name: [t for t, inside in targets.items() if inside] for name, targets in _graph().items()}
    assert {name: targets for name, targets in late.items() if targets} == {}


def test_the_imports_draw_no_circle() -> None:
    assert _cycle(_graph()) is None


@pytest.mark.parametrize(
    ("lower", "upper"),
    [
        ("assess.core", "assess.store"),
        ("assess.core", "assess.web"),
        ("assess.core", "assess.reports"),
        ("assess.reports", "assess.web"),
        ("assess.store", "assess.web"),
        ("assess.config", "assess.store"),
        ("assess.cli", "assess.web"),
        ("assess.interchange", "assess.web"),
        ("assess.jobs", "assess.web"),
    ],
)
def test_no_layer_imports_one_above_it(lower: str, upper: str) -> None:
    graph = _graph()
    upward = {
        (name, target)
        for name, targets in graph.items()
        if name == lower or name.startswith(lower + ".")
        for target in targets
        if target == upper or target.startswith(upper + ".")
    }
    assert upward == set()
