#!/usr/bin/env bash
# Starts localstripe (a stateful fake Stripe from PyPI, pinned) on a free
# loopback port for the Stripe client's tests; installs it first in a
# virtual environment under target/. Prints the server's address; its
# process id is in target/localstripe.pid and its log in target/localstripe.log.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/localstripe-venv
if [ ! -x "$venv/bin/localstripe" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check localstripe==1.15.10 >&2
fi
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$venv/bin/localstripe" --port "$port" > target/localstripe.log 2>&1 &
echo $! > target/localstripe.pid
for _ in $(seq 1 100); do
  if curl -sf -o /dev/null -H "Authorization: Bearer sk_test_ready" "http://127.0.0.1:$port/v1/customers"; then
    echo "http://127.0.0.1:$port"
    exit 0
  fi
  sleep 0.2
done
echo "localstripe did not start; see target/localstripe.log" >&2
exit 1
