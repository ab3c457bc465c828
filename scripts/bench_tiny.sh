#!/usr/bin/env bash
# Run every benchmark in bench/ at a tiny scale, only to prove they still run.
#   bash scripts/bench_tiny.sh          every benchmark
#   bash scripts/bench_tiny.sh 1/2      the first of two shards (scripts/test.sh runs two at once)
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
shard=${1:-1/1}
k=${shard%/*}; n=${shard#*/}
i=0
for b in bench/*.py; do
  case "$(basename "$b")" in _*) continue ;; esac
  i=$((i + 1))
  if [ $(( (i - 1) % n + 1 )) -ne "$k" ]; then continue; fi
  echo "-- $b --tiny"
  t0=$(date +%s)
  .venv/bin/python "$b" --tiny
  echo "-- $b --tiny: $(( $(date +%s) - t0 ))s"
done
