"""The web app's structure: routes live in routers (no closures inside a function), and the
modules of qimma.web import each other without a cycle (checked on their source)."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest
from fastapi import APIRouter

import qimma.web
from qimma.web import routes_evidence, routes_misc, routes_runs, routes_scenarios

WEB = Path(qimma.web.__file__).parent
ROUTERS = (routes_scenarios, routes_runs, routes_evidence, routes_misc)


def web_imports(path: Path) -> set[str]:
    """The qimma.web modules a module imports, at its top or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "qimma.web":
                found |= {a.name for a in node.names}
            elif node.module.startswith("qimma.web."):
                found.add(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[2] for a in node.names if a.name.startswith("qimma.web.")}
    return found


def test_no_import_cycle_inside_web():
    graph = {p.stem: web_imports(p) for p in WEB.glob("*.py")}
    assert graph["app"] >= {"routes_scenarios", "pages"}  # the check sees real imports
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as e:  # pragma: no cover - the failure message
        pytest.fail(f"import cycle in qimma.web: {' -> '.join(e.args[1])}")
    assert order.index("pages") < order.index("routes_runs") < order.index("app")


def test_a_cycle_would_be_found(tmp_path):
    """The check above can fail: two modules importing each other are a cycle."""
    (tmp_path / "a.py").write_text("from qimma.web.b import x\n")
    (tmp_path / "b.py").write_text("def f():\n    from qimma.web import a\n")
    graph = {p.stem: web_imports(p) for p in tmp_path.glob("*.py")}
    with pytest.raises(CycleError):
        list(TopologicalSorter(graph).static_order())


@pytest.mark.parametrize("module", ROUTERS, ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_routes_are_declared_on_a_module_router(module):
    assert isinstance(module.router, APIRouter) and module.router.routes
    tree = ast.parse(Path(module.__file__).read_text("utf-8"))
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(fn):
            if inner is not fn and isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef):
                decorated = [ast.unparse(d) for d in inner.decorator_list]
                assert not any(d.startswith(("app.", "router.")) for d in decorated), (
                    f"{module.__name__}.{fn.name} declares the route {inner.name} inside it"
                )
