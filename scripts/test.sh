#!/usr/bin/env bash
# Every check: the house rules (scripts/check.sh: ruff, import contracts, import
# placement, mypy), the suite on SQLite (with browser tests when Chromium exists), the
# same suite on a throwaway PostgreSQL 15 cluster, and the benchmarks at tiny scale.
# NANUM_REQUIRE_POSTGRES=1 / NANUM_REQUIRE_BROWSER=1 (set by CI) turn a skip into a failure.
#
# The machine has two cores, so the work runs in two lanes at once:
#   lane 1: house rules, Django checks, the suite on SQLite, half of the tiny benchmarks
#   lane 2: the suite on PostgreSQL, the other half of the tiny benchmarks
# Each lane writes to its own log (var/test-lane-N.log), printed when the lane ends.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
start=$(date +%s)
mkdir -p var

browser_flag=()
if [ ! -x /usr/bin/chromium ]; then
  if [ "${NANUM_REQUIRE_BROWSER:-0}" = "1" ]; then
    echo "FAIL: browser tests are required but /usr/bin/chromium is missing" >&2; exit 1
  fi
  echo "(Chromium not found: browser tests will be skipped)"
  browser_flag=(-m "not browser")
fi
have_pg=1
if ! command -v initdb >/dev/null || ! command -v pg_ctl >/dev/null; then
  if [ "${NANUM_REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "FAIL: PostgreSQL tests are required but initdb/pg_ctl are missing" >&2; exit 1
  fi
  echo "(PostgreSQL binaries not found: PostgreSQL run skipped)"
  have_pg=0
fi

step() { printf '\n== %s (lane %s, %ss)\n' "$2" "$1" "$(( $(date +%s) - start ))"; }

lane1() {
  step 1 "house rules"
  bash scripts/check.sh
  step 1 "Django checks and migrations in sync"
  NANUM_MANIFEST_STATIC=0 $PY manage.py check --fail-level WARNING
  NANUM_MANIFEST_STATIC=0 $PY manage.py makemigrations --check --dry-run >/dev/null
  step 1 "pytest on SQLite"
  $PY -m pytest --durations=15 "${browser_flag[@]}"
  step 1 "benchmarks at tiny scale, shard 1/2"
  bash scripts/bench_tiny.sh 1/2
  step 1 "done"
}

lane2() {
  if [ "$have_pg" = "1" ]; then
    step 2 "pytest on PostgreSQL (throwaway cluster)"
    $PY scripts/pgtmp.py -- $PY -m pytest -m "not browser" -p no:cacheprovider --durations=15
  fi
  step 2 "benchmarks at tiny scale, shard 2/2"
  bash scripts/bench_tiny.sh 2/2
  step 2 "done"
}

( set -euo pipefail; lane1 ) >var/test-lane-1.log 2>&1 &
p1=$!
( set -euo pipefail; lane2 ) >var/test-lane-2.log 2>&1 &
p2=$!
echo "make test: two lanes running (logs: var/test-lane-1.log, var/test-lane-2.log)"
rc1=0; rc2=0
wait $p1 || rc1=$?
echo; echo "################ lane 1 (exit $rc1) ################"; cat var/test-lane-1.log
wait $p2 || rc2=$?
echo; echo "################ lane 2 (exit $rc2) ################"; cat var/test-lane-2.log

echo
echo "make test finished in $(( $(date +%s) - start ))s (lane 1 exit $rc1, lane 2 exit $rc2)"
if [ "$rc1" != 0 ] || [ "$rc2" != 0 ]; then
  echo "FAIL: see the lane logs above" >&2
  exit 1
fi
