#!/usr/bin/env bash
# The outcomes benchmark, one command: bench/outcomes.sh [--small]
#
# Builds the release binary, then for SQLite and for PostgreSQL: loads a
# university of 20,000 confirmed students with two years of history (about
# 240,000 applications and 100,000 engagements on 50,000 closed projects of
# 500 employers) with `stint bench-data`, starts `stint serve` on loopback,
# runs bench/outcomes.py against it as the university's career staff, and
# stops it. Results go to bench/results/outcomes-<engine>.json.
# --small loads a tenth (a quick check, not the published run).
# STINT_BENCH_ENGINES="postgres" (or "sqlite") runs one engine only.
set -euo pipefail
cd "$(dirname "$0")/.."
STUDENTS=20000 CLOSED=60000
if [ "${1:-}" = "--small" ]; then STUDENTS=2000 CLOSED=6000; fi
PG_URL="${STINT_BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
PORT="${STINT_BENCH_PORT:-18081}"

command -v ab >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apache2-utils >/dev/null; }
cargo build --release -p stint
BIN="$PWD/target/release/stint"
mkdir -p bench/results
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

for ENGINE in ${STINT_BENCH_ENGINES:-sqlite postgres}; do
  echo "== $ENGINE"
  if [ "$ENGINE" = sqlite ]; then
    DB_ARGS=(--data-dir "$WORK/sqlite")
  else
    psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS stint_bench_outcomes" -c "CREATE DATABASE stint_bench_outcomes" >/dev/null
    DB_ARGS=(--database-url "$PG_URL/stint_bench_outcomes")
  fi
  /usr/bin/time -f "load: %e s wall, %M KiB peak" "$BIN" "${DB_ARGS[@]}" bench-data \
    --projects 1000 --closed "$CLOSED" --students "$((STUDENTS + 1))" --applicants 0 --orgs 500 \
    --university-students "$STUDENTS"
  STINT_LOG=warn STINT_AUTH_RATE_PER_MINUTE=100000 "$BIN" "${DB_ARGS[@]}" serve --addr "127.0.0.1:$PORT" &
  SERVER=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
  python3 bench/outcomes.py --base "http://127.0.0.1:$PORT" --pid "$SERVER" > "bench/results/outcomes-$ENGINE.json"
  cat "bench/results/outcomes-$ENGINE.json"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
  if [ "$ENGINE" = postgres ]; then psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS stint_bench_outcomes" >/dev/null; fi
done
