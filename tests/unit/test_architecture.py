"""The package layout holds: no import cycles, no function-level imports of helpers modules, no module using
another module's private names, analyses that never draw, and rooms that import only the rooms below them.

The rules and the rooms are described in ARCHITECTURE.md; this file is their check.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "helpers"

#: where lazy imports are allowed, and why (start-up speed of the command line, not cycles)
LAZY_IMPORT_ALLOWED = {"helpers.__main__"}

#: rooms, bottom first; a room may import only rooms earlier in this list (and itself)
LAYERS: list[set[str]] = [
    {"helpers.formatting", "helpers.progress", "helpers.parallel", "helpers.scct", "helpers.stats", "helpers.io",
     "helpers.i18n"},
    {"helpers.text"},
    {"helpers.sentiment"},
    {"helpers.annotate"},
    {"helpers.metrics", "helpers.audience", "helpers.campaigns", "helpers.crisis", "helpers.triage"},
    {"helpers.plots", "helpers.views"},
    {"helpers.publish", "helpers.report"},
    {"helpers.run", "helpers.periods", "helpers.synth", "helpers.watch"},
    {"helpers.__main__", "helpers"},
]

#: analysis modules: they return data and never import matplotlib or the presentation rooms
ANALYSES = {"helpers.annotate", "helpers.metrics", "helpers.audience", "helpers.campaigns", "helpers.crisis",
            "helpers.triage", "helpers.stats", "helpers.text", "helpers.sentiment", "helpers.io"}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _target(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if MODULES[module].name != "__init__.py":
        base = base[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str) -> list[tuple[str, str | None, bool, int]]:
    """(imported module, imported name or None, inside a function?, line) for every helpers import."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: list[tuple[str, str | None, bool, int]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if isinstance(child, ast.Import):
                found.extend((a.name, None, in_function, child.lineno) for a in child.names
                             if a.name.startswith("helpers"))
            elif isinstance(child, ast.ImportFrom):
                target = _target(module, child)
                if target == "helpers" or target.startswith("helpers."):
                    for alias in child.names:
                        sub = f"{target}.{alias.name}"
                        if sub in MODULES:
                            found.append((sub, None, in_function, child.lineno))
                        else:
                            found.append((target, alias.name, in_function, child.lineno))
            visit(child, inner)

    visit(tree, False)
    return found


def _room(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


def _layer(module: str) -> int:
    room = _room(module)
    for i, rooms in enumerate(LAYERS):
        if room in rooms:
            return i
    raise AssertionError(f"{module} belongs to no room in LAYERS: add its room to ARCHITECTURE.md and here")


def test_every_module_belongs_to_a_room():
    for module in MODULES:
        _layer(module)


def test_no_import_cycles():
    graph = {m: {t for t, _, _, _ in _imports(m) if t in MODULES and t != m} for m in MODULES}
    # a package's __init__ re-exports its own modules: importing the package is importing them
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def walk(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt == "helpers":
                continue
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                # a module importing its own package's __init__ (which re-exports it) is a cycle too
                cycles.append(cycle)
            elif nxt not in state:
                walk(nxt, stack)
        stack.pop()
        state[node] = 2

    for m in sorted(graph):
        if m not in state:
            walk(m, [])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_no_function_level_imports_of_helpers():
    hits = [f"{m}:{line} imports {t}" for m in MODULES if m not in LAZY_IMPORT_ALLOWED
            for t, _, inside, line in _imports(m) if inside]
    assert not hits, "function-level imports of helpers modules:\n" + "\n".join(hits)


def test_no_module_uses_another_modules_private_names():
    hits = []
    for m, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {}
        for t, name, _, line in _imports(m):
            if name and name.startswith("_") and not name.startswith("__"):
                hits.append(f"{m}:{line} imports {t}.{name}")
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                target = _target(m, node)
                for alias in node.names:
                    if f"{target}.{alias.name}" in MODULES:
                        aliases[alias.asname or alias.name] = f"{target}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("helpers"):
                        aliases[alias.asname or alias.name] = alias.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                hits.append(f"{m}:{node.lineno} uses {aliases[node.value.id]}.{node.attr}")
    assert not hits, "private names used across modules:\n" + "\n".join(hits)


def test_rooms_import_only_rooms_below_them():
    hits = []
    for m in MODULES:
        for t, _, _, line in _imports(m):
            if t in ("helpers",) or _room(t) == _room(m):
                continue
            if _layer(t) > _layer(m):
                hits.append(f"{m}:{line} imports {t} (a room above it)")
    hits = list(dict.fromkeys(hits))
    assert not hits, "\n".join(hits)


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _room(m) in ANALYSES))
def test_analyses_do_not_draw(module):
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    drawn = [n.lineno for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
             and any((getattr(n, "module", None) or a.name).startswith(("matplotlib", "seaborn", "helpers.plots",
                                                                         "helpers.views"))
                     for a in n.names)]
    assert not drawn, f"{module} draws or writes prose (lines {drawn}): move it to helpers.plots or helpers.views"


def test_import_helpers_gives_the_everyday_names():
    import helpers

    for name in ("load_dataset", "Dataset", "Findings", "prepare_audience", "prepare_campaigns", "prepare_crisis",
                 "score_sentiment", "detect_languages", "generate", "plots", "views", "metrics"):
        assert name in helpers.__all__
        assert getattr(helpers, name) is not None
    with pytest.raises(AttributeError):
        helpers.no_such_name  # noqa: B018
