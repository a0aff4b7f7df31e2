#!/usr/bin/env bash
# The discovery benchmark, one command: bench/run.sh [--small]
#
# Builds the release binary, then for SQLite and for PostgreSQL: loads the
# volumes with `stint bench-data`, starts `stint serve` on loopback, runs
# bench/measure.py against it, and stops it. Results go to
# bench/results/<engine>.json; bench/README.md explains them.
# --small loads a tenth of the volumes (a quick check, not the published run).
# STINT_BENCH_ENGINES="postgres" (or "sqlite") runs one engine only.
set -euo pipefail
cd "$(dirname "$0")/.."
OPEN=100000 CLOSED=900000 STUDENTS=200000 APPLICANTS=2000 ORGS=2000
if [ "${1:-}" = "--small" ]; then OPEN=10000 CLOSED=90000 STUDENTS=20000; fi
PG_URL="${STINT_BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}"
PORT="${STINT_BENCH_PORT:-18080}"

command -v ab >/dev/null && command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apache2-utils wrk >/dev/null; }
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
    psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS stint_bench" -c "CREATE DATABASE stint_bench" >/dev/null
    DB_ARGS=(--database-url "$PG_URL/stint_bench")
  fi
  /usr/bin/time -f "load: %e s wall, %M KiB peak" "$BIN" "${DB_ARGS[@]}" bench-data \
    --projects "$OPEN" --closed "$CLOSED" --students "$STUDENTS" --applicants "$APPLICANTS" --orgs "$ORGS"
  STINT_LOG=warn STINT_AUTH_RATE_PER_MINUTE=100000 "$BIN" "${DB_ARGS[@]}" serve --addr "127.0.0.1:$PORT" > "$WORK/serve.log" 2>&1 &
  SERVER=$!
  # Up to two minutes: the search index is built from the loaded projects first.
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
  grep -h "ready in" "$WORK/serve.log" || true
  python3 bench/measure.py --base "http://127.0.0.1:$PORT" --pid "$SERVER" > "bench/results/$ENGINE.json"
  cat "bench/results/$ENGINE.json"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
  if [ "$ENGINE" = postgres ]; then psql "$PG_URL/postgres" -qc "DROP DATABASE IF EXISTS stint_bench" >/dev/null; fi
done

# Cold start: the demo on an empty directory, from start to the first
# answer of /healthz, and the server's RSS then.
echo "== cold start"
DEMO="$WORK/demo"
T0=$(date +%s%N)
"$BIN" --data-dir "$DEMO" serve --demo --addr "127.0.0.1:$PORT" >/dev/null &
SERVER=$!
until curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null; do sleep 0.02; done
T1=$(date +%s%N)
RSS=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$SERVER/status")
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
echo "{\"ready_ms\": $(( (T1 - T0) / 1000000 )), \"rss_mib\": $RSS}" | tee bench/results/cold_start.json
