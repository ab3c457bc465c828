"""House rules on imports that import-linter cannot express (docs/CONVENTIONS.md).

1. Imports sit at module top. An import inside a function or class is allowed only
   when a comment on its line or the line above says why, starting with
   ``# cycle:`` (a documented import cycle) or ``# optional:`` (an optional
   dependency such as PyTorch that the web app does not install).
2. Another app's private names (``_name``) are never imported.

Prints each offence as ``path:line: message`` and exits 1 if there is any.
Run: ``python scripts/check_imports.py [--count]`` from the repository root.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "nanum"
REASONS = ("# cycle:", "# optional:")


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "nanum" else None


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def check_file(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source, filename=str(path))
    here = module_name(path)
    offences: list[str] = []

    def justified(lineno: int) -> bool:
        for no in (lineno, lineno - 1):
            if 1 <= no <= len(lines) and any(r in lines[no - 1] for r in REASONS):
                return True
        return False

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if (
                isinstance(child, ast.Import | ast.ImportFrom)
                and nested
                and not justified(child.lineno)
            ):
                offences.append(
                    f"{path.relative_to(ROOT)}:{child.lineno}: import inside a "
                    "function or class without a '# cycle:' or '# optional:' reason"
                )
            if isinstance(child, ast.ImportFrom) and child.module:
                target = child.module
                if child.level:
                    base = here.split(".")
                    if path.name != "__init__.py":
                        base = base[:-1]
                    base = base[: len(base) - (child.level - 1)]
                    target = ".".join([*base, child.module])
                if app_of(target) and app_of(target) != app_of(here):
                    for alias in child.names:
                        if alias.name.startswith("_"):
                            offences.append(
                                f"{path.relative_to(ROOT)}:{child.lineno}: imports "
                                f"the private name {alias.name} of {target}"
                            )
            visit(
                child,
                nested
                or isinstance(
                    child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
                ),
            )

    visit(tree, False)

    # Names bound to another app's modules (``from nanum.x import selectors``):
    # ``selectors._private`` is as private as importing ``_private``.
    other_modules: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if app_of(node.module) and app_of(node.module) != app_of(here):
                    other_modules[alias.asname or alias.name] = node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and app_of(alias.name) != app_of(here):
                    other_modules[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in other_modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and node.attr != "_meta"  # Django's model metadata is public API
        ):
            offences.append(
                f"{path.relative_to(ROOT)}:{node.lineno}: uses the private name "
                f"{node.attr} of {other_modules[node.value.id]}"
            )
    return offences


def main(argv: list[str]) -> int:
    offences: list[str] = []
    paths = [
        *PACKAGE.rglob("*.py"),
        *(ROOT / "tests").rglob("*.py"),
        ROOT / "conftest.py",
    ]
    for path in sorted(paths):
        if "migrations" in path.parts:
            continue
        offences.extend(check_file(path))
    if "--count" in argv:
        print(len(offences))
        return 0
    for line in offences:
        print(line)
    if offences:
        print(f"{len(offences)} import rule offence(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
