#!/usr/bin/env bash
# Runs scim2-tester (PyPI) against the real binary's SCIM service, with the
# demo data: the demo university's owner makes a provisioning token through
# the API, and the tester checks /scim/v2 with it (e2e/scim_check.py).
#
#   e2e/scim-check.sh [path to the stint binary]   (default: target/debug/stint)
#
# Installs scim2-tester into a virtual environment under target/ on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-target/debug/stint}"
VENV="target/scim-venv"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import scim2_tester, httpx2' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "scim2-tester[httpx2]==0.5.2"
fi

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
DATA="$(mktemp -d)"
BASE="http://127.0.0.1:$PORT"
STINT_LOG=warn STINT_AUTH_RATE_PER_MINUTE=1000 "$BIN" --data-dir "$DATA" serve --demo --addr "127.0.0.1:$PORT" >"$DATA/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$DATA"' EXIT
for _ in $(seq 1 150); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "$BASE/healthz" >/dev/null || { echo "stint did not start"; cat "$DATA/server.log"; exit 1; }

API_TOKEN="$(curl -sf -X POST -H 'content-type: application/json' \
  -d '{"email": "careers@dit.example.ac.in", "password": "stint-demo-2026", "name": "scim-check"}' \
  "$BASE/api/v1/auth/token" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')"
SCIM_TOKEN="$(curl -sf -X POST -H 'content-type: application/json' -H "Authorization: Bearer $API_TOKEN" \
  -d '{"label": "scim2-tester"}' "$BASE/api/v1/organization/provisioning/tokens" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])')"

status=0
"$VENV/bin/python" e2e/scim_check.py "$BASE/scim/v2" "$SCIM_TOKEN" dit.example.ac.in || status=$?
if grep -q " 500 \| panicked" "$DATA/server.log"; then
  echo "the server logged errors:"; grep " 500 \| panicked" "$DATA/server.log" | head -20
  status=1
fi
exit "$status"
