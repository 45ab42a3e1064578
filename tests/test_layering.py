"""Layering, checked by walking the package's own imports (every ``import``/``from`` statement in every module,
function-level ones included, since a lazy import only hides a circle): no module imports a private (``_name``)
name of another module, no two modules import each other through any chain, and the analysis core's packages
(model -> lexicon -> extract -> resolve -> learn/eval -> report -> nlp) import each other in one direction only;
and no function in resolve/ is over 80 lines (ruff's C901 at 15 bounds their complexity).

``PENDING_*`` list what other areas still owe, each with its owner; the test fails when one of them is fixed
(so the entry goes) as it fails on any new one."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "src" / "reportedly"
# the packages (or top-level modules) that analyse one article: ingest/, serve/, store/, link/ and scale/ drive
# them and may import any of them, never the other way round
CORE = ("model", "lexicon", "base_model", "extract", "resolve", "learn", "eval", "report", "nlp")
PENDING_PRIVATE: set[tuple[str, str, str]] = set()
PENDING_CIRCLES: set[frozenset[str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(modules: dict[str, Path]) -> tuple[dict[str, set[str]], set[tuple[str, str, str]]]:
    """module -> the package modules it imports; and (importer, module, name) for every private name."""
    graph: dict[str, set[str]] = {}
    private: set[tuple[str, str, str]] = set()
    for name, path in modules.items():
        out: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "reportedly":
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    out.add(full if full in modules else node.module)
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        private.add((name, node.module, alias.name))
            elif isinstance(node, ast.Import):
                out |= {a.name for a in node.names if a.name.split(".")[0] == "reportedly"}
        graph[name] = out - {name}
    return graph, private


def circles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: set[frozenset[str]] = set()

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.add(frozenset(comp))

    for v in list(graph):
        if v not in index:
            visit(v)
    return found


def package_graph(graph: dict[str, set[str]], packages: tuple[str, ...]) -> dict[str, set[str]]:
    """The module graph folded onto top-level packages, keeping only ``packages``."""
    def top(m: str) -> str:
        return m.split(".")[1] if m.count(".") else m

    out: dict[str, set[str]] = {p: set() for p in packages}
    for m, targets in graph.items():
        if top(m) in out:
            out[top(m)] |= {top(t) for t in targets if top(t) in out and top(t) != top(m)}
    return out


def _package() -> tuple[dict[str, set[str]], set[tuple[str, str, str]]]:
    return imports({module_name(p): p for p in PKG.rglob("*.py")})


def test_no_private_name_is_imported_across_modules() -> None:
    _, private = _package()
    assert private - PENDING_PRIVATE == set(), "import a public name (or make the helper public where it is shared)"
    assert PENDING_PRIVATE - private == set(), "fixed: remove the entry from PENDING_PRIVATE"


def test_no_import_circle_between_modules() -> None:
    graph, _ = _package()
    found = circles(graph)
    assert found - PENDING_CIRCLES == set()
    assert PENDING_CIRCLES - found == set(), "fixed: remove the entry from PENDING_CIRCLES"


def test_the_analysis_core_is_layered() -> None:
    graph, _ = _package()
    assert circles(package_graph(graph, CORE)) == set()
    layers = package_graph(graph, CORE)
    assert "nlp" not in layers["learn"] and "resolve" not in layers["extract"] and "nlp" not in layers["eval"]


def test_the_walk_finds_a_circle_and_a_private_import(tmp_path: Path) -> None:
    pkg = tmp_path / "reportedly"
    pkg.mkdir()
    (pkg / "a.py").write_text("def f():\n    from reportedly.b import g\n", encoding="utf-8")
    (pkg / "b.py").write_text("from reportedly.a import _h\n", encoding="utf-8")
    graph, private = imports({"reportedly.a": pkg / "a.py", "reportedly.b": pkg / "b.py"})
    assert circles(graph) == {frozenset({"reportedly.a", "reportedly.b"})}
    assert private == {("reportedly.b", "reportedly.a", "_h")}


def test_no_function_in_resolve_is_over_80_lines() -> None:
    long = []
    for path in sorted((PKG / "resolve").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None \
                    and node.end_lineno - node.lineno + 1 > 80:
                long.append(f"{path.name}:{node.name}")
    assert long == []
