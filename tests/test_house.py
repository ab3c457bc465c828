"""Every app has the one shape written down in docs/CONVENTIONS.md §1.

The import contracts (`.importlinter`) and `scripts/check_imports.py` check how the
layers import each other; this test checks that the layers are where a reader looks
for them, and that nothing else sits beside them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

APPS_DIR = Path(__file__).resolve().parent.parent / "nanum"

# Required in every domain app: (name, may be a module, may be a package).
REQUIRED = [
    ("models", True, True),
    ("services", False, True),
    ("selectors", True, True),
    ("views", False, True),
    ("api", True, True),  # a package when one router module would pass ~500 lines
    ("schemas", True, False),
    ("forms", True, True),  # a package when one module would pass ~500 lines
    ("tasks", True, False),
    ("urls", True, False),
    ("admin", True, False),
    ("demo", True, True),
    ("tests", False, True),
]
ALWAYS_ALLOWED = {
    "__init__.py",
    "apps.py",
    "locale",
    "migrations",
    "templates",
    "templatetags",
    "management",
    "__pycache__",
}
# Named subpackages holding a pure algorithm (no Django; see the contract
# "pure algorithm subpackages" in .importlinter).
PURE = {
    "programs": {"selection"},
    "mentoring": {"matching"},
    "learner_model": {"engine", "kt"},
}
# core is the ground floor: besides the template it holds the shared kernel.
CORE_KERNEL = {
    "charts",
    "checks",
    "clock",
    "context_processors",
    "demo_structure",
    "errors",
    "fields",
    "http",
    "idempotency",
    "middleware",
    "navigation",
    "prepared",
    "problems",
    "spreadsheets",
    "tenancy",
    "testing",
}
DOMAIN_APPS = [
    "lending",
    "learning",
    "programs",
    "mentoring",
    "learner_model",
    "insights",
]


def _entries(app: str) -> dict[str, Path]:
    return {p.name: p for p in (APPS_DIR / app).iterdir()}


@pytest.mark.parametrize("app", [*DOMAIN_APPS, "core"])
def test_app_has_every_layer_of_the_template(app: str) -> None:
    entries = _entries(app)
    for name, as_module, as_package in REQUIRED:
        module = entries.get(f"{name}.py")
        package = entries.get(name)
        ok = (as_module and module is not None) or (
            as_package and package is not None and (package / "__init__.py").exists()
        )
        assert ok, f"nanum/{app} has no {name} layer of the right kind"


@pytest.mark.parametrize("app", [*DOMAIN_APPS, "core"])
def test_app_has_nothing_beside_the_template(app: str) -> None:
    allowed = set(ALWAYS_ALLOWED)
    for name, as_module, as_package in REQUIRED:
        if as_module:
            allowed.add(f"{name}.py")
        if as_package:
            allowed.add(name)
    allowed |= PURE.get(app, set())
    if app == "core":
        # a kernel member is a module or a package
        allowed |= {f"{name}.py" for name in CORE_KERNEL}
        allowed |= {
            name
            for name in CORE_KERNEL
            if (APPS_DIR / "core" / name / "__init__.py").exists()
        }
    extra = sorted(set(_entries(app)) - allowed)
    assert extra == [], f"nanum/{app} has modules outside the template: {extra}"


def test_services_packages_name_their_public_services() -> None:
    for app in [*DOMAIN_APPS, "core"]:
        init = (APPS_DIR / app / "services" / "__init__.py").read_text()
        assert "__all__" in init, f"nanum/{app}/services/__init__.py has no __all__"
