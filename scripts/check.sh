#!/usr/bin/env bash
# The house rules in seconds: ruff, import-linter contracts, import placement, mypy,
# and a Korean translation for every user-visible string.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$*"; }
step "ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
step "import contracts (.importlinter)"
.venv/bin/lint-imports --no-cache
step "imports at module top, no other app's private names"
.venv/bin/python scripts/check_imports.py
step "types (mypy with django-stubs)"
NANUM_MANIFEST_STATIC=0 .venv/bin/mypy nanum tests bench scripts conftest.py
step "every user-visible string has Korean"
.venv/bin/python scripts/check_translations.py
