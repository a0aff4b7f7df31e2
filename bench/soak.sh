#!/usr/bin/env bash
# The soak, one command: bench/soak.sh [seconds] [clients]   (default 600 s, 16)
#
# Builds the release binary, starts `stint serve --demo` (SQLite) on loopback,
# measures /healthz with ApacheBench as the ceiling, runs bench/soak.py (the
# mixed load, then the wrong-password burst) and measures /healthz again.
# Writes bench/results/soak.json; bench/README.md explains it.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_="${1:-600}" CLIENTS="${2:-16}"
PORT="${STINT_BENCH_PORT:-18081}"
command -v ab >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq apache2-utils >/dev/null; }
cargo build --release -p stint
BIN="$PWD/target/release/stint"
WORK="$(mktemp -d)"
mkdir -p bench/results
trap 'kill "${SERVER:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
STINT_LOG=warn STINT_AUTH_RATE_PER_MINUTE=100000 "$BIN" --data-dir "$WORK" serve --demo --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
healthz() { ab -q -k -c 32 -t 10 "http://127.0.0.1:$PORT/healthz" 2>/dev/null | awk '/Requests per second/ {print $4}'; }
BEFORE="$(healthz)"
python3 bench/soak.py --base "http://127.0.0.1:$PORT" --pid "$SERVER" --seconds "$SECONDS_" --clients "$CLIENTS" > "$WORK/soak.json"
AFTER="$(healthz)"
python3 - "$WORK/soak.json" "$BEFORE" "$AFTER" > bench/results/soak.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["healthz_req_per_s_before"] = float(sys.argv[2] or 0)
d["healthz_req_per_s_after"] = float(sys.argv[3] or 0)
print(json.dumps(d, indent=1))
PY
cat bench/results/soak.json
grep -c " ERROR \|panicked" "$WORK/server.log" | sed 's/^/server log errors: /' || true
