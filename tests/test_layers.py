"""The dependency rule, checked on the source: bot -> conversations -> calc, handlers import the
kernel and never the router or the command table, and no project import hides inside a function
(the way an import cycle gets dodged)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parent.parent
PACKAGES = ("calc", "conversations", "bot")
WIRING = {"conversations/router.py", "conversations/commands.py"}


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module imported, whether the import is inside a function) for every project import."""
    tree = ast.parse(path.read_text())
    nested: set[ast.AST] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            nested.update(n for n in ast.walk(node) if n is not node)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] in PACKAGES:
                found.append((name, node in nested))
    return found


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_dependencies_point_one_way() -> None:
    wrong = []
    for package, forbidden in (("calc", ("conversations", "bot")), ("conversations", ("bot",))):
        for path in _modules(package):
            wrong += [f"{path.relative_to(ROOT)} imports {m}" for m, _ in _imports(path) if m.startswith(forbidden)]
    assert wrong == []


def test_only_the_wiring_imports_the_router_and_the_command_table() -> None:
    wrong = []
    for path in _modules("conversations"):
        if str(path.relative_to(ROOT)) in WIRING:
            continue
        for module, _ in _imports(path):
            if module.startswith(("conversations.router", "conversations.commands")):
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert wrong == []


def test_no_project_import_inside_a_function() -> None:
    # Third-party libraries may load on first use (matplotlib, fpdf2, dateparser: start-up time);
    # the project's own modules are imported at the top, so a cycle can't hide.
    wrong = []
    for package in ("calc", "conversations"):
        for path in _modules(package):
            wrong += [f"{path.relative_to(ROOT)} imports {m} in a function" for m, inner in _imports(path) if inner]
    assert wrong == []


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _private_uses(path: Path) -> list[str]:
    """Private names (`_x`) this file takes from another project module: imported by name, or read
    as an attribute of a project module it imported (`reports._year_arg`)."""
    tree = ast.parse(path.read_text())
    modules: set[str] = set()  # local names bound to project modules
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in PACKAGES:
            for alias in node.names:
                if _private(alias.name):
                    found.append(f"imports {alias.name} from {node.module}")
                elif (ROOT / node.module.replace(".", "/") / f"{alias.name}.py").exists():
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES:
                    modules.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)):
            continue
        if _private(node.attr) and node.value.id in modules:
            found.append(f"reads {node.value.id}.{node.attr}")
    return found


def test_no_module_takes_another_modules_private_names() -> None:
    # A leading underscore means "this module's own": a name another module (or a benchmark) needs is
    # given a public home instead, so a change inside one module can't break another unseen. Tests
    # are left out: a white-box test of a module's internals (booking's checkpoints) may read them.
    wrong = []
    for package in (*PACKAGES, "bench"):
        for path in _modules(package):
            wrong += [f"{path.relative_to(ROOT)} {use}" for use in _private_uses(path)]
    assert wrong == []
