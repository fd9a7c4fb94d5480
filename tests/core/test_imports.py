"""The import rules, read from the source with ``ast`` (no import is executed):

- no import cycle between the project's modules, counting imports inside functions too
  (a deferred import still ties the two modules together);
- core imports no domain app: apps reach core through registries and providers
  (``demo_steps``, ``core.scope.register_org_tree``, the checker registry), never the
  other way round.

Why a test and not import-linter: see docs/architecture.md ("Import rules").
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import dangjian

PACKAGE = Path(dangjian.__file__).parent

# Imports from core into a domain app that are allowed for now, each with its reason.
CORE_EXCEPTIONS: set[tuple[str, str]] = set()  # none left: core imports no domain app


def modules(package: Path) -> dict[str, Path]:
    """Dotted module name → file, for every module of ``package``."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = [package.name, *path.relative_to(package).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imported_names(module: str, path: Path, tree: ast.AST) -> Iterable[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's package, up level - 1
                base = module.split(".")
                if path.name != "__init__.py":
                    base.pop()
                base = base[: len(base) - node.level + 1]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            yield origin
            yield from (f"{origin}.{alias.name}" for alias in node.names)


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module → the project modules it imports (anywhere in its body)."""
    known = modules(package)
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for target in _imported_names(name, path, tree):
            while target and target not in known:  # a name inside a module → the module
                target = target.rpartition(".")[0]
            if target and target != name:
                graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def domain_apps(package: Path) -> set[str]:
    """The project's apps other than core (every package with an ``apps.py``)."""
    return {f"{package.name}.{p.parent.name}" for p in package.glob("*/apps.py")} - {
        f"{package.name}.core"
    }


def upward_imports(graph: dict[str, set[str]], package: Path) -> set[tuple[str, str]]:
    """(core module, domain module) for every import from core into a domain app."""
    core = f"{package.name}.core"
    apps = domain_apps(package)
    return {
        (source, target)
        for source, targets in graph.items()
        if source == core or source.startswith(core + ".")
        for target in targets
        if any(target == app or target.startswith(app + ".") for app in apps)
    }


def test_no_import_cycles():
    found = cycles(import_graph(PACKAGE))
    assert not found, "import cycles:\n" + "\n".join(" ↔ ".join(c) for c in found)


def test_core_imports_no_domain_app():
    upward = upward_imports(import_graph(PACKAGE), PACKAGE)
    assert upward <= CORE_EXCEPTIONS, "core imports a domain app:\n" + "\n".join(
        f"{a} → {b}" for a, b in sorted(upward - CORE_EXCEPTIONS)
    )


def test_every_listed_exception_is_still_needed():
    assert upward_imports(import_graph(PACKAGE), PACKAGE) >= CORE_EXCEPTIONS


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "proj" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path / "proj"


def test_the_check_sees_a_deferred_import_cycle_and_an_arrow_from_core(tmp_path):
    package = _package(
        tmp_path,
        {
            "__init__.py": "",
            "core/__init__.py": "",
            "core/apps.py": "",
            "core/scope.py": "def f():\n    from proj.orgs.models import Org\n",
            "orgs/__init__.py": "",
            "orgs/apps.py": "",
            "orgs/models.py": "from ..core import scope\n",
            "members/__init__.py": "",
            "members/apps.py": "",
            "members/models.py": "import proj.orgs.models\n",
        },
    )
    graph = import_graph(package)
    assert graph["proj.orgs.models"] == {"proj.core", "proj.core.scope"}  # relative, resolved
    assert cycles(graph) == [["proj.core.scope", "proj.orgs.models"]]
    assert upward_imports(graph, package) == {("proj.core.scope", "proj.orgs.models")}
