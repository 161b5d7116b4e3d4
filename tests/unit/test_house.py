"""The house's walls (docs/architecture.md): who may import what, and no import cycles.

Read from the source with `ast` (every import statement, at any depth, but those under `if TYPE_CHECKING:`, which
never run), so these checks need none of the packages installed and cost a few milliseconds.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
API = ROOT / "api"
PACKAGES = {"chalicelib": API / "chalicelib", "site_builder": ROOT / "site_builder", "staff": ROOT / "staff"}
# What talks to the outside world: the rooms' rules, services, storage contracts, pages and descriptions import
# none of it, only the routes, the HTTP glue and the adapters do.
OUTSIDE = {"boto3", "botocore", "chalice", "sqlite3", "urllib3", "requests", "socket", "aiohttp", "httpx", "smtplib"}
# (http.cookies only parses the Cookie header's syntax: it reaches nothing.)
OUTSIDE_MODULES = {"http.client", "http.server", "urllib.request", "urllib.error"}
ROOMS = (
    "votes",
    "comments",
    "proposals",
    "moderation",
    "results",
    "imports",
    "identity",
    "staff_access",
    "system",
    "verification",
)


def module_name(path: Path) -> str:
    for name, folder in PACKAGES.items():
        if path.is_relative_to(folder):
            parts = [name, *path.relative_to(folder).with_suffix("").parts]
            return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    if path == API / "app.py":
        return "app"
    raise AssertionError(path)


def sources() -> dict[str, Path]:
    found = {module_name(p): p for folder in PACKAGES.values() for p in folder.rglob("*.py")}
    found["app"] = API / "app.py"
    return found


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node but those under `if TYPE_CHECKING:` (imports for type hints only)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", None)) == "TYPE_CHECKING":
            stack.extend(node.orelse)
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def imports_of(module: str, path: Path, known: set[str]) -> set[str]:
    """The absolute names this module imports (a `from x import y` names x.y when that is a module)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in known else target)
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = sources()
    known = set(modules)
    return {name: imports_of(name, path, known) for name, path in modules.items()}


def _reaches_outside(imported: str) -> bool:
    return imported.split(".")[0] in OUTSIDE or imported in OUTSIDE_MODULES


def pure_modules(graph) -> list[str]:
    """The rooms' modules but their routes, and the kernel."""
    pure = []
    for name in graph:
        parts = name.split(".")
        if parts[0] != "chalicelib" or len(parts) < 2:
            continue
        if parts[1] == "kernel" or (parts[1] in ROOMS and parts[-1] != "routes"):
            pure.append(name)
    return pure


def test_the_rooms_and_the_kernel_know_no_framework_store_or_network(graph):
    pure = pure_modules(graph)
    assert len(pure) > 40, "the rooms were not found"
    for name in pure:
        outside = sorted(i for i in graph[name] if _reaches_outside(i))
        assert not outside, f"{name} imports {outside}: only routes, web/ and adapters/ may"
        # Nor through another module of ours: a room reaches the HTTP glue and the adapters only through what
        # consultation.py gives it.
        leaks = sorted(i for i in graph[name] if i.startswith(("chalicelib.web.call", "chalicelib.web.middleware",
                       "chalicelib.web.routes", "chalicelib.adapters", "chalicelib.consultation", "chalicelib.runtime")))  # fmt: skip
        assert not leaks, f"{name} imports {leaks}"


def test_each_room_keeps_its_rules_service_and_storage_contract_together():
    for room in ROOMS:
        folder = PACKAGES["chalicelib"] / room
        assert (folder / "__init__.py").read_text(encoding="utf-8").startswith('"""'), f"{room} says what it is"
    for room in ("votes", "comments", "proposals", "moderation", "results", "imports", "identity", "staff_access"):
        names = {p.stem for p in (PACKAGES["chalicelib"] / room).glob("*.py")}
        assert {"service", "store"} <= names, f"{room} lacks { ({'service', 'store'} - names) }"


def test_the_api_never_imports_the_build_nor_staff_the_api(graph):
    for name, imported in graph.items():
        top = name.split(".")[0]
        if top in ("chalicelib", "app"):
            assert not {i for i in imported if i.split(".")[0] in ("site_builder", "staff")}, name
        if top == "staff":
            assert not {i for i in imported if i.split(".")[0] in ("chalicelib", "app")}, name


def test_the_content_model_imports_no_mkdocs(graph):
    glue = {"site_builder.mkdocs_plugin"}
    for name, imported in graph.items():
        if name.startswith("site_builder") and name not in glue:
            assert not {i for i in imported if i.split(".")[0] == "mkdocs"}, f"{name} imports mkdocs"


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, if there is one (depth-first, iterative)."""
    state: dict[str, int] = {}
    for start in sorted(edges):
        if state.get(start):
            continue
        path, stack = [start], [iter(sorted(edges[start]))]
        state[start] = 1
        while stack:
            following = next(stack[-1], None)
            if following is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(following) == 1:
                return path[path.index(following) :] + [following]
            elif not state.get(following):
                state[following] = 1
                path.append(following)
                stack.append(iter(sorted(edges.get(following, ()))))
    return None


def test_no_module_imports_itself_in_a_ring(graph):
    ours = {name: {i for i in imported if i in graph and i != name} for name, imported in graph.items()}
    assert _cycle(ours) is None, " -> ".join(_cycle(ours))


def test_no_room_depends_on_itself_through_others(graph):
    """Between the API's folders too (a room, the kernel, web, the adapters): dependencies go one way."""

    def folder(name: str) -> str:
        parts = name.split(".")
        return ".".join(parts[:2]) if parts[0] == "chalicelib" else parts[0]

    edges: dict[str, set[str]] = {}
    for name, imported in graph.items():
        if name.startswith("chalicelib."):
            edges.setdefault(folder(name), set()).update(
                folder(i) for i in imported if i.startswith("chalicelib.") and folder(i) != folder(name)
            )
    assert _cycle(edges) is None, " -> ".join(_cycle(edges))


def test_the_cycle_finder_finds_cycles():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set(), "c": {"b"}}) is None
