#!/usr/bin/env bash
# Fuzzes the API from its own OpenAPI document with schemathesis (PyPI),
# against the real binary with demo data: every operation, as an anonymous
# visitor and as each role (student, employer, university staff, admin).
# Fails on any 5xx, any response that breaks its documented schema, and any
# undocumented status code or content type.
#
#   e2e/api-fuzz.sh [path to the stint binary]   (default: target/debug/stint)
#
# Installs schemathesis into a virtual environment under target/ on first use.
# STINT_FUZZ_EXAMPLES sets the examples per operation (default 25).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-target/debug/stint}"
EXAMPLES="${STINT_FUZZ_EXAMPLES:-25}"
VENV="target/schemathesis-venv"
SCHEMATHESIS_VERSION="4.32.5"

if [ ! -x "$VENV/bin/schemathesis" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
DATA="$(mktemp -d)"
BASE="http://127.0.0.1:$PORT"
STINT_LOG=warn STINT_AUTH_RATE_PER_MINUTE=100000 "$BIN" --data-dir "$DATA" serve --demo --addr "127.0.0.1:$PORT" >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 150); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "$BASE/healthz" >/dev/null || { echo "stint did not start"; cat "$DATA/server.log"; exit 1; }

token() {
  curl -sf -X POST -H 'content-type: application/json' \
    -d "{\"email\": \"$1\", \"password\": \"stint-demo-2026\", \"name\": \"api-fuzz\"}" \
    "$BASE/api/v1/auth/token" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

FAILED=0
run() {
  local who="$1"; shift
  echo "== schemathesis as $who"
  # Revoking tokens is left out: the run would revoke its own credentials
  # half-way (the integration tests cover revocation). One worker: with two
  # threads, hypothesis parses sources with `ast.parse` at once, which
  # CPython 3.11 can fail with "AST constructor recursion depth mismatch"
  # (a Runtime Error of the tool, not of the API).
  if ! "$VENV/bin/schemathesis" --config-file e2e/schemathesis.toml run "$BASE/api/v1/openapi.json" \
      --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
      --max-examples "$EXAMPLES" --seed 20261126 --no-color --workers 1 \
      --suppress-health-check filter_too_much,too_slow \
      --exclude-path '/api/v1/auth/tokens/{id}' \
      --report junit --report-junit-path "$DATA/junit-$who.xml" \
      "$@"; then
    FAILED=$((FAILED + 1))
    echo "schemathesis found failures as $who"
  fi
}

run anonymous
run student -H "Authorization: Bearer $(token asha.rao@dit.example.ac.in)"
run employer -H "Authorization: Bearer $(token priya@brightleaf.example)"
run university -H "Authorization: Bearer $(token careers@dit.example.ac.in)"
run admin -H "Authorization: Bearer $(token admin@stint.example)"

if grep -q " 500 \| panicked" "$DATA/server.log"; then
  echo "the server logged errors:"; grep " 500 \| panicked" "$DATA/server.log" | head -20
  FAILED=$((FAILED + 1))
fi
if [ "$FAILED" -ne 0 ]; then
  echo "api-fuzz: $FAILED identities failed"
  exit 1
fi
echo "api-fuzz: 5 identities, every operation, no failure"
