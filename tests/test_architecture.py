"""The shape the README's "How it fits together" describes, kept by tests: dependencies point
one way (front ends -> runs -> engine -> render, writers, content, localdata -> base), no
import circles, and no library module words a message in a front end's terms."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "campaign_kit"
# Highest first: a module may import from its own package and from the layers after its own.
LAYERS = (
    ("__main__",), ("cli",), ("web",), ("authoring",), ("runs",), ("engine",), ("render",),
    ("writers",), ("content",), ("localdata",),
    ("__init__", "errors", "notes", "document", "textfiles", "paths"),
)
LAYER_OF = {name: n for n, names in enumerate(LAYERS) for name in names}
OPTION_OR_COMMAND = re.compile(r"(?<![\w(-])--[a-z][a-z-]*|campaign-kit [a-z]")
BASE = len(LAYERS) - 1


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = modules()


def imports(name: str) -> set[str]:
    """The package's modules that `name` imports, at the top or inside a function."""
    path = MODULES[name]
    here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    if name == "__init__":
        here = []
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name.removeprefix("campaign_kit.") for a in node.names
                       if a.name.startswith("campaign_kit.")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[:len(here) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            elif (node.module or "").startswith("campaign_kit"):
                module = (node.module or "").removeprefix("campaign_kit").lstrip(".")
            else:
                continue
            targets = [f"{module}.{a.name}".lstrip(".") if f"{module}.{a.name}".lstrip(".")
                       in MODULES else module or "__init__" for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in MODULES and t != name)
    return found


GRAPH = {name: imports(name) for name in MODULES}


def top(name: str) -> str:
    return name.split(".")[0]


def test_dependencies_point_one_way():
    upward = [f"{name} -> {dep}" for name, deps in GRAPH.items() for dep in deps
              if top(dep) != top(name) and LAYER_OF[top(dep)] <= LAYER_OF[top(name)]
              and not LAYER_OF[top(dep)] == LAYER_OF[top(name)] == BASE]
    assert upward == [], "imports from a layer above (or beside) their own"


def test_no_import_circles():
    circles = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in GRAPH[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for name in sorted(GRAPH):
        if name not in index:
            visit(name)
    assert circles == []


def test_every_module_is_in_a_layer():
    assert {top(name) for name in MODULES} <= set(LAYER_OF)


def test_no_library_message_names_an_option_or_a_command():
    """Only the front ends (cli/, web/) word messages in their own terms: a library message
    naming '--council' or 'campaign-kit check' would be wrong in the web app."""
    found = []
    for name, path in MODULES.items():
        if top(name) in ("cli", "web", "__main__"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                                           ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)}
        found += [f"{name}:{node.lineno}: {node.value[:60]!r}" for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)
                  and id(node) not in docstrings and OPTION_OR_COMMAND.search(node.value)]
    assert found == []


def test_the_check_itself_finds_an_option_name():
    assert OPTION_OR_COMMAND.search("pass --council NAME")
    assert OPTION_OR_COMMAND.search("run 'campaign-kit check'")
    assert not OPTION_OR_COMMAND.search("a 2024--25 period, var(--text) and campaign-kit's")


def test_no_function_over_sixty_lines():
    """Short enough to read: a longer one says more than one thing (split it by what each
    part does, as the postcode index's builder and the print merge are)."""
    long = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > 60:
                    long.append(f"{name}.{node.name}: {length} lines")
    assert long == []


def test_each_command_module_stays_thin():
    assert {p.name: n for p in (PACKAGE / "cli").glob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) >= 400} == {}
