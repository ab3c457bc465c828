#!/usr/bin/env bash
# Run benchmarks in bench/ at a tiny scale, only to prove they still run.
#   bash scripts/bench_tiny.sh                      every benchmark
#   bash scripts/bench_tiny.sh faults zeus_sync     only these (scripts/test.sh splits them
#                                                   between its two lanes)
#
# The PostgreSQL benchmarks (PG_BENCHES) share one throwaway cluster: the schema is
# migrated once into the database `nanum`, and each of them gets a fresh copy of it
# (CREATE DATABASE ... TEMPLATE), instead of each starting its own cluster and
# migrating from nothing. The others run as they do by hand (SQLite, or their own
# cluster as bench/faults.py, which restarts it). Each benchmark is bounded by
# BENCH_TIMEOUT seconds (default 600): a hang fails the run instead of stalling it.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
PY=.venv/bin/python
PG_BENCHES=" learning_home lending_race lending_search lending_throughput "

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for b in bench/*.py; do
    n=$(basename "$b" .py)
    case "$n" in _*) continue ;; esac
    names+=("$n")
  done
fi

wants_pg=0
for n in "${names[@]}"; do
  [ -f "bench/$n.py" ] || { echo "bench_tiny: no bench/$n.py" >&2; exit 2; }
  case "$PG_BENCHES" in *" $n "*) wants_pg=1 ;; esac
done
if [ "$wants_pg" = 1 ] && [ -z "${NANUM_BENCH_PG_SHARED:-}" ] \
  && command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
  # one cluster for this run; scripts/pgtmp.py removes it afterwards
  exec env NANUM_BENCH_PG_SHARED=1 $PY scripts/pgtmp.py -- bash "$0" "${names[@]}"
fi

base_url=""
if [ -n "${NANUM_BENCH_PG_SHARED:-}" ] && [[ "${DATABASE_URL:-}" == postgres* ]]; then
  base_url=${DATABASE_URL%/*}
  t0=$(date +%s)
  NANUM_MANIFEST_STATIC=0 $PY manage.py migrate --verbosity 0 --no-input
  echo "-- shared PostgreSQL cluster migrated once: $(( $(date +%s) - t0 ))s"
fi
psql_admin() {
  psql -X -q -h 127.0.0.1 -p "$NANUM_PG_PORT" -U nanum -d postgres -c "$1"
}

i=0
for n in "${names[@]}"; do
  i=$((i + 1))
  b="bench/$n.py"
  echo "-- $b --tiny"
  t0=$(date +%s)
  rc=0
  case "$PG_BENCHES" in
    *" $n "*)
      if [ -n "$base_url" ]; then
        db="bench_$i"
        psql_admin "CREATE DATABASE $db TEMPLATE nanum"
        DATABASE_URL="$base_url/$db" timeout -k 20 "${BENCH_TIMEOUT:-600}" \
          $PY "$b" --tiny || rc=$?
        psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
      else
        timeout -k 20 "${BENCH_TIMEOUT:-600}" $PY "$b" --tiny || rc=$?
      fi
      ;;
    *)
      env -u DATABASE_URL timeout -k 20 "${BENCH_TIMEOUT:-600}" \
        $PY "$b" --tiny || rc=$?
      ;;
  esac
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    echo "FAIL: $b --tiny did not finish within ${BENCH_TIMEOUT:-600}s" >&2
  fi
  [ "$rc" = 0 ] || exit "$rc"
  echo "-- $b --tiny: $(( $(date +%s) - t0 ))s"
done
