#!/usr/bin/env bash
# Run every benchmark in bench/ at a tiny scale, only to prove they still run.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
for b in bench/*.py; do
  case "$(basename "$b")" in _*) continue ;; esac
  echo "-- $b --tiny"
  .venv/bin/python "$b" --tiny
done
