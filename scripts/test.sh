#!/usr/bin/env bash
# Every check: the house rules (scripts/check.sh: ruff, import contracts, import
# placement, mypy), the suite on SQLite (with browser tests when Chromium exists), the
# same suite on a throwaway PostgreSQL 15 cluster, and the benchmarks at tiny scale.
# NANUM_REQUIRE_POSTGRES=1 / NANUM_REQUIRE_BROWSER=1 (set by CI) turn a skip into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
start=$(date +%s)
step() { printf '\n== %s\n' "$*"; }

bash scripts/check.sh

step "Django checks and migrations in sync"
NANUM_MANIFEST_STATIC=0 $PY manage.py check --fail-level WARNING
NANUM_MANIFEST_STATIC=0 $PY manage.py makemigrations --check --dry-run >/dev/null

browser_flag=()
if [ -x /usr/bin/chromium ]; then
  browser_flag=()
else
  if [ "${NANUM_REQUIRE_BROWSER:-0}" = "1" ]; then
    echo "FAIL: browser tests are required but /usr/bin/chromium is missing" >&2; exit 1
  fi
  echo "(Chromium not found: browser tests will be skipped)"
  browser_flag=(-m "not browser")
fi

step "pytest on SQLite"
$PY -m pytest "${browser_flag[@]}"

if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
  step "pytest on PostgreSQL (throwaway cluster)"
  $PY scripts/pgtmp.py -- $PY -m pytest -m "not browser"
else
  if [ "${NANUM_REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "FAIL: PostgreSQL tests are required but initdb/pg_ctl are missing" >&2; exit 1
  fi
  echo "(PostgreSQL binaries not found: PostgreSQL run skipped)"
fi

step "benchmarks at tiny scale"
bash scripts/bench_tiny.sh

echo
echo "make test finished in $(( $(date +%s) - start ))s"
